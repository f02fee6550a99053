"""Columns and vocabularies of the data at rest, as data (one table each, no if-ladders)."""

from __future__ import annotations

import re

NODE_COLUMNS = ("id", "name", "kind", "iso3", "lon", "lat", "geonameid", "source")
NODE_REQUIRED = ("id", "name", "kind", "iso3", "lon", "lat")
NODE_KINDS = ("city", "port", "terminal", "station", "border_crossing", "junction")

#: geo/capitals.csv: derived from GeoNames by tools/make_capitals.py.
CAPITAL_COLUMNS = ("iso3", "capital", "lon", "lat", "geonameid")
CAPITAL_REQUIRED = CAPITAL_COLUMNS

#: geo/labels.csv: offline place labels, derived by tools/make_labels.py (Natural Earth, GeoNames).
LABEL_COLUMNS = ("id", "name", "kind", "iso3", "lon", "lat", "min_zoom", "priority", "angle", "source")
LABEL_REQUIRED = ("id", "name", "kind", "lon", "lat", "min_zoom", "priority", "angle", "source")
#: In the order a map draws them beneath one another (the first wins a collision at equal priority).
LABEL_KINDS = ("country", "sea", "lake", "capital", "city", "region", "river")

CORRIDOR_COLUMNS = ("id", "name", "kind", "color", "includes", "description")
CORRIDOR_REQUIRED = ("id", "name", "kind", "color", "description")
CORRIDOR_KINDS = ("multimodal", "rail", "road", "pipeline", "cable")

SEGMENT_PROPERTIES = ("corridor", "segment", "name", "mode", "status", "from", "to", "accuracy", "source")
SEGMENT_OPTIONAL = ("via", "note", "licence")
#: ``licence`` of a segment whose geometry is derived from a licensed reference (tools/trace.py), and the credit
#: every map, slide and export showing such a segment must give.
LICENCES = {
    "ODbL-1.0, © OpenStreetMap contributors": "© OpenStreetMap contributors (ODbL)",
    "CC BY 4.0, Global Energy Monitor": "Global Energy Monitor (CC BY 4.0)",
}
MODES = ("rail", "road", "sea", "pipeline", "cable")
#: Global Energy Monitor's idea: a small fixed vocabulary of statuses.
STATUSES = ("operating", "construction", "planned", "proposed", "suspended")
#: Global Energy Monitor's RouteAccuracy.
ACCURACIES = ("high", "medium", "low")

SOURCE_COLUMNS = ("id", "title", "author", "publisher", "date", "url", "note")
SOURCE_REQUIRED = ("id", "title", "publisher")
VOLUME_COLUMNS = ("subject", "metric", "period", "value", "unit", "qualifier", "source", "quote", "note")
VOLUME_REQUIRED = ("subject", "metric", "period", "value", "unit", "qualifier", "source", "quote")
AGREEMENT_COLUMNS = ("id", "date", "title", "kind", "parties", "place", "corridors", "source", "quote", "note")
AGREEMENT_REQUIRED = ("id", "date", "title", "kind", "parties", "source", "quote")

METRICS = ("trade_turnover", "exports", "imports", "investment", "contracts", "cargo", "oil", "gas", "containers",
           "growth", "trade_share", "capacity", "transit", "length")
#: Groups of countries a volume subject may name besides ISO3 codes (``AZE-SCO``).
GROUPS = {"SCO": "Shanghai Cooperation Organisation member states"}
UNITS = ("USD", "t", "bbl", "bbl/day", "m3", "m3/year", "m3/day", "t/year", "TEU", "TEU/year", "%", "km")
QUALIFIERS = ("exact", "approx", "more_than", "less_than", "target", "planned")
AGREEMENT_KINDS = ("treaty", "agreement", "declaration", "protocol", "memorandum", "road_map", "program",
                   "contract", "convention")

ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
ISO3_RE = re.compile(r"^[A-Z]{3}$")
COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
#: ``2019``, ``2022-05``, ``2022-05-14``.
DATE_RE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
#: A date, a half year ``2022-H1``, a quarter ``2022-Q3``, or a span ``start/end`` of those.
_POINT = r"\d{4}(-(0[1-9]|1[0-2])|-H[12]|-Q[1-4])?"
PERIOD_RE = re.compile(rf"^{_POINT}(/{_POINT})?$")
#: Subjects of volume rows that are countries (or groups): ``AZE``, ``AZE-KAZ`` (turnover), ``KAZ>AZE`` (exports).
COUNTRY_SUBJECT_RE = re.compile(r"^([A-Z]{3})(?:([->])([A-Z]{3}))?$")

#: routes/parameters.csv: cited time parameters for routing (issue 12).
PARAMETER_COLUMNS = ("id", "parameter", "mode", "iso3", "applies_to", "low", "high", "unit", "source", "quote", "note")
PARAMETER_REQUIRED = ("id", "parameter", "low", "high", "unit", "source", "quote")
#: Each parameter and the units it may be given in.
PARAMETER_UNITS = {"speed": ("km/h", "km/day"), "border": ("h", "day"), "transshipment": ("h", "day"),
                   "ferry": ("h", "day"), "ferry_wait": ("h", "day")}
#: Modes a route is timed over (pipelines and cables carry no freight that is routed).
FREIGHT_MODES = ("rail", "road", "sea")
#: routes/scenarios.csv and routes/scenario_alternatives.csv: the comparisons users ask for.
SCENARIO_COLUMNS = ("id", "name", "from", "to", "description", "note")
SCENARIO_REQUIRED = ("id", "name", "from", "to")
ALTERNATIVE_COLUMNS = ("scenario", "alternative", "name", "from", "to", "via", "avoid", "status",
                       "published_days_low", "published_days_high", "published_km", "published_span", "source",
                       "quote", "note")
ALTERNATIVE_REQUIRED = ("scenario", "alternative", "name", "status")
#: Which legs an alternative may use: operating only, plus those under construction, or all (flagged).
ROUTE_STATUSES = ("operating", "construction", "all")
#: A pair of countries a border parameter applies to, order free: ``CHN-KAZ``.
ISO3_PAIR_RE = re.compile(r"^([A-Z]{3})-([A-Z]{3})$")
