"""Every check of the data, collecting problems; :func:`validate` raises one :class:`DataError` listing all."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from . import schema
from ._columns import check_pattern, check_required, check_unique, check_vocab, is_number  # noqa: F401
from ._errors import DataError, Problem, found
from .load import Atlas, feature_label
from .measure import geodesic_km
from .settings import ENDPOINT_TOLERANCE_KM, PORT_LAND_ALLOWANCE_KM, REGION_BOUNDS, in_region
from .validate_facts import (  # noqa: F401 - names kept importable from here
    CONTROL_RE,
    CONTROL_TEXT,
    SOURCE_ID_RE,
    URL_RE,
    check_agreements,
    check_datasets,
    check_sources,
    check_text,
    check_volumes,
    controlled,
    has_control,
    subject_known,
    world_iso3,
)


def validate(atlas: Atlas) -> None:
    """Check everything; raise :class:`DataError` listing every problem, or return ``None`` when clean."""
    problems = check(atlas)
    if problems:
        raise DataError(problems)


def check(atlas: Atlas) -> list[Problem]:
    """All problems of *atlas*: those met while loading, then every check below, in file order."""
    problems = list(atlas.problems)
    for checker in (*CHECKS, *table_checks()):
        problems.extend(checker(atlas))
    return problems


def table_checks() -> tuple[Callable[[Atlas], list[Problem]], ...]:
    """The route-comparison tables' checks (:mod:`corridormap.validate_tables`, imported late: it uses the helpers
    below)."""
    from .validate_tables import TABLE_CHECKS

    return TABLE_CHECKS


# --- helpers -------------------------------------------------------------------------------------------------

def row_problem(file: str, row: pd.Series, field: str, expected: str, value: object) -> Problem:
    return Problem(file, f"row {row['row']}", field, expected, found(value))


def check_id_table(file: str, table: pd.DataFrame, required: Iterable[str],
                   vocabularies: dict[str, Iterable[str]]) -> list[Problem]:
    """The checks every table with an ``id`` column shares: required values, id form, unique ids, vocabularies."""
    out = check_required(file, table, required)
    out += check_pattern(file, table, "id", schema.ID_RE, "a lower_snake_case id")
    out += check_unique(file, table, "id")
    for field, vocab in vocabularies.items():
        out += check_vocab(file, table, field, vocab)
    return out


def position_problem(x: float, y: float) -> str | None:
    """What is wrong with a lon/lat position, or ``None``; hints at swapped lat/lon."""
    if not (-180 <= x <= 180 and -90 <= y <= 90):
        return f"[{x}, {y}], out of range (lon -180..180, lat -90..90)" + (
            "; lat/lon swapped?" if in_region(y, x) else "")
    if not in_region(x, y):
        return f"[{x}, {y}], outside the corridor region" + ("; lat/lon swapped?" if in_region(y, x) else "")
    return None


def first_outside_region(line) -> tuple[float, float] | None:
    """The first position of *line* outside the region (vectorised: lines may have millions of vertices)."""
    xy = shapely.get_coordinates(line)
    x0, y0, x1, y1 = REGION_BOUNDS
    outside = (xy[:, 0] < x0) | (xy[:, 0] > x1) | (xy[:, 1] < y0) | (xy[:, 1] > y1) | ~np.isfinite(xy).all(axis=1)
    if not outside.any():
        return None
    x, y = xy[int(np.argmax(outside))]
    return float(x), float(y)


REGION_TEXT = "lon {0}..{2}, lat {1}..{3} (the corridor region)".format(*REGION_BOUNDS)


# --- geo/ ----------------------------------------------------------------------------------------------------

def check_countries(atlas: Atlas) -> list[Problem]:
    file = "geo/countries.geojson"
    out = []
    for i, c in atlas.countries.iterrows():
        if not schema.ISO3_RE.match(c["iso3"]):
            out.append(Problem(file, f"feature {i}", "iso3", "a 3-letter code", found(c["iso3"])))
        if c.geometry.geom_type not in ("Polygon", "MultiPolygon") or not c.geometry.is_valid:
            out.append(Problem(file, f"feature {i} ({c['iso3']})", "geometry", "a valid (Multi)Polygon",
                               f"{c.geometry.geom_type}, {shapely.is_valid_reason(c.geometry)}"))
    return out


def country_shapes(atlas: Atlas) -> dict[str, BaseGeometry]:
    return {r["iso3"]: r.geometry for _, r in atlas.countries.iterrows()}


def check_nodes(atlas: Atlas) -> list[Problem]:
    file, nodes = "geo/nodes.csv", atlas.nodes
    out = check_id_table(file, nodes, schema.NODE_REQUIRED, {"kind": schema.NODE_KINDS})
    shapes = country_shapes(atlas)
    for _, r in nodes.iterrows():
        out += node_position_problems(file, r, shapes)
    return out


def degree_problems(file: str, r: pd.Series) -> list[Problem]:
    """``lon``/``lat`` given but not numbers (see load.with_degrees)."""
    return [Problem(file, f"row {r['row']}", f, "a number in degrees", found(r[f"{f}_text"]))
            for f in ("lon", "lat") if r[f"{f}_text"] and pd.isna(r[f])]


def node_position_problems(file: str, r: pd.Series, shapes: dict[str, BaseGeometry]) -> list[Problem]:
    where = f"row {r['row']}"
    bad = degree_problems(file, r)
    if bad or pd.isna(r["lon"]) or pd.isna(r["lat"]):
        return bad
    issue = position_problem(r["lon"], r["lat"])
    if issue:
        return [Problem(file, where, "lon/lat", REGION_TEXT, issue)]
    if r["iso3"] and r["iso3"] not in shapes:
        return [Problem(file, where, "iso3", "the iso3 of a country in geo/countries.geojson", found(r["iso3"]))]
    country = shapes.get(r["iso3"])
    if country is not None and not country.intersects(Point(r["lon"], r["lat"])):
        swapped = " (lat/lon swapped?)" if country.intersects(Point(r["lat"], r["lon"])) else ""
        return [Problem(file, where, "lon/lat", f"a point inside {r['iso3']}",
                        f"[{r['lon']}, {r['lat']}], outside {r['iso3']}{swapped}")]
    return []


def check_capitals(atlas: Atlas) -> list[Problem]:
    """geo/capitals.csv: GeoNames' capitals, anywhere in the world (Beijing and Washington are parties too)."""
    file, table = "geo/capitals.csv", atlas.capitals
    out = check_required(file, table, schema.CAPITAL_REQUIRED)
    out += check_pattern(file, table, "iso3", schema.ISO3_RE, "a 3-letter code")
    out += check_unique(file, table, "iso3")
    for _, r in table.iterrows():
        bad = degree_problems(file, r)
        out += bad
        if not bad and not (-180 <= r["lon"] <= 180 and -90 <= r["lat"] <= 90):
            out.append(Problem(file, f"row {r['row']}", "lon/lat", "lon -180..180, lat -90..90",
                               f"[{r['lon']}, {r['lat']}]"))
    return out


# --- routes/corridors.csv ------------------------------------------------------------------------------------

def check_corridors(atlas: Atlas) -> list[Problem]:
    file, table = "routes/corridors.csv", atlas.corridors
    out = check_id_table(file, table, schema.CORRIDOR_REQUIRED, {"kind": schema.CORRIDOR_KINDS})
    out += check_pattern(file, table, "color", schema.COLOR_RE, "a colour as #rrggbb")
    ids = set(table["id"])
    owned = set(zip(atlas.segments["corridor"], atlas.segments["segment"]))
    for _, r in table.iterrows():
        for ref in atlas.includes(r["id"]):
            owner, _, segment = ref.partition("/")
            if owner not in ids or (segment and (owner, segment) not in owned):
                out.append(row_problem(file, r, "includes", "corridor ids or corridor/segment ids that exist", ref))
        if r["id"] in reachable(atlas, r["id"]):
            out.append(row_problem(file, r, "includes", "no cycle of corridors including each other", r["includes"]))
    layers = set(atlas.segments["layer_id"])
    for _, r in table.iterrows():
        if r["id"] and r["id"] not in layers:
            out.append(Problem(f"routes/{r['id']}.geojson", "", "features",
                               f"at least one segment of corridor {r['id']} (routes/corridors.csv row {r['row']})",
                               "no file or zero features"))
    for layer in sorted(layers - ids):
        out.append(Problem(f"routes/{layer}.geojson", "", "corridor", "a row for it in routes/corridors.csv",
                           "no such row"))
    return out


def reachable(atlas: Atlas, corridor: str) -> set[str]:
    """Corridor ids reachable from *corridor* through whole-corridor includes."""
    seen: set[str] = set()
    stack = [ref for ref in atlas.includes(corridor) if "/" not in ref]
    while stack:
        cid = stack.pop()
        if cid not in seen:
            seen.add(cid)
            stack.extend(ref for ref in atlas.includes(cid) if "/" not in ref)
    return seen


# --- routes/<corridor>.geojson -------------------------------------------------------------------------------

def check_segments(atlas: Atlas) -> list[Problem]:
    out: list[Problem] = []
    nodes = node_positions(atlas)
    seen: dict[tuple[str, str], int] = {}
    # An index of the country shapes answers "does this touch land?" without dissolving 76 countries first.
    land = shapely.STRtree(atlas.countries.geometry.values) if len(atlas.countries) else None
    for _, s in atlas.segments.iterrows():
        where = feature_label(s["feature"], s["segment"])
        out += segment_field_problems(s, where)
        key = (s["layer_id"], s["segment"])
        if s["segment"] and key in seen:
            out.append(Problem(s["file"], where, "segment", "a unique segment id in this file",
                               f"{found(s['segment'])}, already used by feature {seen[key]}"))
        seen.setdefault(key, s["feature"])
        if s.geometry is not None:
            out += geometry_problems(s, where, nodes, land)
    return out


def segment_field_problems(s: pd.Series, where: str) -> list[Problem]:
    file = s["file"]
    out = [Problem(file, where, k, "a property", "none") for k in s["missing"].split(",") if k]
    missing = set(s["missing"].split(","))
    out += [Problem(file, where, k, "a value", "an empty value") for k in schema.SEGMENT_PROPERTIES
            if k not in missing and not s[k]]
    if s["corridor"] and s["corridor"] != s["layer_id"]:
        out.append(Problem(file, where, "corridor", f"{found(s['layer_id'])} (the file's name)", found(s["corridor"])))
    if s["segment"] and not schema.ID_RE.match(s["segment"]):
        out.append(Problem(file, where, "segment", "a lower_snake_case id", found(s["segment"])))
    for key, vocab in (("mode", schema.MODES), ("status", schema.STATUSES), ("accuracy", schema.ACCURACIES)):
        if s[key] and s[key] not in vocab:
            out.append(Problem(file, where, key, f"one of {', '.join(vocab)}", found(s[key])))
    if s.get("licence") and s["licence"] not in schema.LICENCES:
        out.append(Problem(file, where, "licence", f"one of {'; '.join(map(repr, schema.LICENCES))}",
                           found(s["licence"])))
    return out


def node_positions(atlas: Atlas) -> dict[str, dict[str, float] | None]:
    """Node id → its ``lon``/``lat``, or ``None`` for an id used twice or a node without a position."""
    out: dict[str, dict[str, float] | None] = {}
    for node, lon, lat in zip(atlas.nodes["id"], atlas.nodes["lon"], atlas.nodes["lat"]):
        out[node] = None if node in out or pd.isna(lon) else {"lon": float(lon), "lat": float(lat)}
    return out


def geometry_problems(s: pd.Series, where: str, nodes: dict[str, dict[str, float] | None],
                      land: shapely.STRtree | None) -> list[Problem]:
    file, line = s["file"], s.geometry
    bad = first_outside_region(line)
    if bad is not None:
        return [Problem(file, where, "geometry.coordinates", REGION_TEXT, position_problem(*bad) or "")]
    if line.length == 0:
        return [Problem(file, where, "geometry", "a line of non-zero length", "all positions identical")]
    out = []
    for end, (x, y) in (("from", line.coords[0]), ("to", line.coords[-1])):
        node = s[end]
        if not node:
            continue
        if node not in nodes:
            out.append(Problem(file, where, end, "a node id from geo/nodes.csv", found(node)))
            continue
        n = nodes[node]
        if n is None:  # a duplicate id or no position (both reported with geo/nodes.csv)
            continue
        km = geodesic_km((x, y), (n["lon"], n["lat"]))
        if km > ENDPOINT_TOLERANCE_KM:
            swapped = geodesic_km((y, x), (n["lon"], n["lat"])) <= ENDPOINT_TOLERANCE_KM
            out.append(Problem(file, where, end, f"the {'first' if end == 'from' else 'last'} position within "
                               f"{ENDPOINT_TOLERANCE_KM:g} km of node {node} [{n['lon']}, {n['lat']}]",
                               f"[{x}, {y}], {km:.1f} km away{'; lat/lon swapped?' if swapped else ''}"))
    if s["mode"] == "sea" and land is not None:
        out += sea_leg_problems(s, where, land)
    return out


def sea_leg_problems(s: pd.Series, where: str, land: shapely.STRtree) -> list[Problem]:
    """A sea leg may touch land only near its ends (ports)."""
    from .measure import inner_part

    inner = inner_part(s.geometry, PORT_LAND_ALLOWANCE_KM)
    if inner is not None and len(land.query(inner, predicate="intersects")):
        return [Problem(s["file"], where, "geometry", f"a sea leg on water (land allowed only within "
                        f"{PORT_LAND_ALLOWANCE_KM:g} km of its ports)", "a line crossing land")]
    return []


CHECKS: tuple[Callable[[Atlas], list[Problem]], ...] = (
    check_countries, check_nodes, check_capitals, check_corridors, check_segments, check_sources, check_volumes,
    check_agreements, check_datasets, check_text)


# --- geo/labels.csv, geo/world.geojson, geo/rivers.geojson --------------------------------------------------

def check_labels(atlas: Atlas) -> list[Problem]:
    """geo/labels.csv: required fields, ids, kinds, positions in degrees, zooms, priorities, angles, text.
    Vectorised: only the rows a mask flags are looked at one by one."""
    file, table = "geo/labels.csv", atlas.labels
    text = {f: f"{f}_text" if f"{f}_text" in table.columns else f for f in schema.LABEL_REQUIRED}
    empty = pd.concat([table[c].eq("") for c in text.values()], axis=1).any(axis=1) if len(table) else table["id"].ne(
        table["id"])
    out = [row_problem(file, r, f, "a value", "") for _, r in table[empty].iterrows() for f, c in text.items()
           if not r[c]]
    rules = ((table["id"].ne("") & ~table["id"].str.fullmatch(schema.ID_RE.pattern), "id", "a lower_snake_case id"),
             (table["kind"].ne("") & ~table["kind"].isin(schema.LABEL_KINDS), "kind",
              f"one of {', '.join(schema.LABEL_KINDS)}"),
             (table["iso3"].ne("") & ~table["iso3"].str.fullmatch(schema.ISO3_RE.pattern), "iso3",
              "a 3-letter code or nothing"))
    for mask, field, expected in rules:
        out += [row_problem(file, r, field, expected, r[field]) for _, r in table[mask.astype(bool)].iterrows()]
    repeated = table["id"].ne("") & table["id"].duplicated(keep=False)
    out += check_unique(file, table[repeated], "id")
    for _, r in table[label_number_mask(table)].iterrows():
        out += label_number_problems(file, r)
    columns = [text.get(c, c) for c in schema.LABEL_COLUMNS]
    for _, r in table[controlled(table, columns)].iterrows():
        out += [row_problem(file, r, c.removesuffix("_text"), CONTROL_TEXT, r[c]) for c in columns
                if has_control(r.get(c))]
    return out


#: What each number column of geo/labels.csv must be: (expected, test of the parsed float).
LABEL_NUMBER_RULES = (
    ("min_zoom", "an integer zoom 0–18", lambda v: (v == v.round()) & v.between(0, 18)),
    ("priority", "an integer", lambda v: v == v.round()),
    ("angle", "an angle in degrees, -90..90", lambda v: v.between(-90, 90)),
)


def label_number_mask(table: pd.DataFrame) -> pd.Series:
    """Rows with a bad position or number (given, but unparseable or out of range)."""
    bad = ~(table["lon"].between(-180, 180) & table["lat"].between(-90, 90)) & (
        table["lon_text"].ne("") & table["lat_text"].ne(""))
    for field, _, ok in LABEL_NUMBER_RULES:
        bad |= table[f"{field}_text"].ne("") & ~ok(table[field])
    return bad


def label_number_problems(file: str, r: pd.Series) -> list[Problem]:
    """lon/lat in degrees; min_zoom an integer 0-18; priority an integer; angle -90..90 degrees."""
    out = degree_problems(file, r)
    if not out and pd.notna(r["lon"]) and pd.notna(r["lat"]) and not (-180 <= r["lon"] <= 180 and
                                                                      -90 <= r["lat"] <= 90):
        swapped = "; lat/lon swapped?" if abs(r["lat"]) > 90 >= abs(r["lon"]) else ""
        out.append(Problem(file, f"row {r['row']}", "lon/lat", "lon -180..180, lat -90..90",
                           f"[{r['lon']}, {r['lat']}]{swapped}"))
    for field, expected, ok in LABEL_NUMBER_RULES:
        text, value = r[f"{field}_text"], pd.Series([r[field]])
        if text and not bool(ok(value).iloc[0]):
            out.append(row_problem(file, r, field, expected, text))
    return out


def check_base_shapes(atlas: Atlas) -> list[Problem]:
    """geo/world.geojson and geo/rivers.geojson: valid geometry, a name, and an iso3 for every world feature."""
    out = []
    for file, frame, code in (("geo/world.geojson", atlas.world, True), ("geo/rivers.geojson", atlas.rivers, False)):
        invalid = ~shapely.is_valid(frame.geometry.values) if len(frame) else np.zeros(0, bool)
        bad = pd.Series(invalid, index=frame.index) | frame["name"].eq("")
        if code:
            bad |= ~frame["iso3"].str.fullmatch(schema.ISO3_RE.pattern)
        for _, f in frame[bad].iterrows():
            where = f"feature {f['feature']}"
            if not f.geometry.is_valid:
                out.append(Problem(file, where, "geometry", "a valid geometry", shapely.is_valid_reason(f.geometry)))
            if not f["name"]:
                out.append(Problem(file, where, "name", "a value", "an empty value"))
            if code and not schema.ISO3_RE.match(f["iso3"]):
                out.append(Problem(file, where, "iso3", "a 3-letter code", found(f["iso3"])))
    return out


CHECKS = (*CHECKS, check_labels, check_base_shapes)
