"""The comparisons users ask for (``routes/scenarios.csv``, ``routes/scenario_alternatives.csv``), computed."""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd
from shapely.geometry import MultiLineString

from ..load import Atlas
from .route import Route, RouteError, Router


def split(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in str(text or "").split(";") if p.strip())


def number(text: str) -> float | None:
    return float(text) if str(text or "").strip() else None


@dataclass(frozen=True)
class Alternative:
    """One alternative of a scenario: its constraints and the published figures beside it."""

    id: str
    name: str
    start: str
    end: str
    via: tuple[str, ...]
    avoid: tuple[str, ...]
    status: str
    published_days: tuple[float, float] | None = None
    published_km: float | None = None
    published_span: str = ""
    source: str = ""
    quote: str = ""
    note: str = ""

    def published_days_text(self, unit: str = "days") -> str:
        """The published days as text (``"14 days"``, ``"15–18 days"``), ``""`` when none is published."""
        if not self.published_days:
            return ""
        low, high = self.published_days
        return (f"{low:g}" if low == high else f"{low:g}–{high:g}") + f" {unit}"

    def published_text(self, day_unit: str = "days") -> str:
        """The published days and km (``"14 days, 3,000 km"``), ``""`` when nothing is published."""
        km = f"{self.published_km:,.0f} km" if self.published_km else ""
        return ", ".join(filter(None, [self.published_days_text(day_unit), km]))


@dataclass(frozen=True)
class Scenario:
    id: str
    name: str
    start: str
    end: str
    description: str
    alternatives: tuple[Alternative, ...]
    note: str = ""


@dataclass(frozen=True)
class Outcome:
    """An alternative computed: its best route, or why there is none."""

    alternative: Alternative
    route: Route | None = None
    error: str = ""


@dataclass(frozen=True)
class Comparison:
    scenario: Scenario
    outcomes: tuple[Outcome, ...] = field(default_factory=tuple)

    def parameter_ids(self) -> list[str]:
        return sorted({p for o in self.outcomes if o.route for p in o.route.parameters})


def scenarios_of(atlas: Atlas) -> list[Scenario]:
    """The atlas's scenarios (``routes/scenarios.csv``) with their alternatives
    (``routes/scenario_alternatives.csv``), in file order."""
    if not len(atlas.scenarios):
        return []
    out = []
    for _, s in atlas.scenarios.iterrows():
        rows = atlas.alternatives[atlas.alternatives["scenario"] == s["id"]]
        alts = tuple(alternative_of(a, s) for _, a in rows.iterrows())
        out.append(Scenario(s["id"], s["name"], s["from"], s["to"], s["description"], alts, s["note"]))
    return out


def alternative_of(a, s) -> Alternative:
    low, high = number(a["published_days_low"]), number(a["published_days_high"])
    days = (low, high if high is not None else low) if low is not None else None
    return Alternative(a["alternative"], a["name"], a["from"] or s["from"], a["to"] or s["to"], split(a["via"]),
                       split(a["avoid"]), a["status"] or "operating", days,
                       number(a["published_km"]), a["published_span"], a["source"], a["quote"], a["note"])


def compare(router: Router, scenarios: list[Scenario], only: str | None = None) -> list[Comparison]:
    """Each scenario's alternatives computed (best route under its constraints); *only* one scenario id."""
    if only is not None and only not in {s.id for s in scenarios}:
        ids = ", ".join(s.id for s in scenarios) or "none (no routes/scenarios.csv)"
        raise RouteError(f"unknown scenario {only!r}: expected one of {ids}")
    out = []
    for s in scenarios:
        if only is not None and s.id != only:
            continue
        out.append(Comparison(s, tuple(outcome(router, a) for a in s.alternatives)))
    return out


def outcome(router: Router, a: Alternative) -> Outcome:
    try:
        q = router.query(a.start, a.end, via=a.via, avoid=a.avoid, status=a.status)
        (route,) = router.routes(q)
    except RouteError as err:
        return Outcome(a, None, str(err))
    return Outcome(a, Route(a.name, route.legs, route.days, route.transfers, route.parameters))


#: Colours of the alternatives of a comparison, in order (Okabe–Ito, colour-blind safe).
ALTERNATIVE_COLORS = ("#D55E00", "#0072B2", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")


def route_geometry(route: Route | None):
    """The route's legs as one MultiLineString (in travel order), or ``None``."""
    if route is None:
        return None
    return MultiLineString([leg.geometry for leg in route.legs if leg.geometry is not None])


def comparison_frame(comparisons: list[Comparison]) -> gpd.GeoDataFrame:
    """One feature per alternative of every scenario (the ``comparisons`` GIS layer): computed figures, the
    published ones beside them, the parameter rows used, and the route as a MultiLineString."""
    rows = []
    for c in comparisons:
        for i, o in enumerate(c.outcomes):
            r, a = o.route, o.alternative
            rows.append({
                "scenario": c.scenario.id, "scenario_name": c.scenario.name, "alternative": a.id, "name": a.name,
                "rank": i + 1, "from": a.start, "to": a.end, "via": ";".join(a.via), "avoid": ";".join(a.avoid),
                "status_level": a.status, "color": ALTERNATIVE_COLORS[i % len(ALTERNATIVE_COLORS)],
                "km": r.km if r else None, "days_low": round(r.days.low, 2) if r else None,
                "days_high": round(r.days.high, 2) if r else None,
                "border_crossings": r.border_crossings if r else None,
                "transshipments": r.transshipments if r else None,
                "countries": ";".join(r.countries) if r else None, "flags": ";".join(r.statuses) if r else None,
                "segments": ";".join(leg.id for leg in r.legs) if r else None,
                "parameters": ";".join(sorted(r.parameters)) if r else None,
                "published_days_low": a.published_days[0] if a.published_days else None,
                "published_days_high": a.published_days[1] if a.published_days else None,
                "published_km": a.published_km, "published_span": a.published_span or None,
                "published_source": a.source or None, "error": o.error or None, "geometry": route_geometry(r)})
    columns = ["scenario", "scenario_name", "alternative", "name", "rank", "from", "to", "via", "avoid",
               "status_level", "color", "km", "days_low", "days_high", "border_crossings", "transshipments",
               "countries", "flags", "segments", "parameters", "published_days_low", "published_days_high",
               "published_km", "published_span", "published_source", "error", "geometry"]
    return gpd.GeoDataFrame(pd.DataFrame(rows, columns=columns), geometry="geometry", crs="EPSG:4326")
