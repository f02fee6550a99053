"""Read ``geo/`` and ``routes/`` into an :class:`Atlas`, noting structural problems instead of failing early.

Loading is lenient so that :func:`corridormap.validate` can report every problem at once: a value that cannot be
parsed becomes ``NaN``/``None`` here and is reported with its file, row and field.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import LineString, Point, shape

from . import _csv_fast, schema
from ._csv_fast import UnknownColumnWarning  # noqa: F401 - part of the API
from ._errors import Problem, found
from .settings import GEO_DIR, ROUTES_DIR, repo_path

#: Files in routes/ that are tables, not corridor layers.
TABLE_FILES = ("corridors.csv", "sources.csv", "volumes.csv", "agreements.csv", "datasets.csv", "parameters.csv",
               "scenarios.csv", "scenario_alternatives.csv")


@dataclass
class Atlas:
    """Everything in a corridormap repository, as read from disk.

    Tables keep their text as found (plus a ``row`` column with the CSV line number); ``nodes`` gains float
    ``lon``/``lat`` (``NaN`` where unparseable) and point geometry; ``segments`` has one row per feature of every
    ``routes/<corridor>.geojson`` with ``file`` and ``feature`` locating it.
    """

    root: Path
    countries: gpd.GeoDataFrame
    nodes: gpd.GeoDataFrame
    capitals: pd.DataFrame
    corridors: pd.DataFrame
    segments: gpd.GeoDataFrame
    sources: pd.DataFrame
    volumes: pd.DataFrame
    agreements: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    #: geo/labels.csv (offline place labels), geo/world.geojson (the coarse world base beyond the region) and
    #: geo/rivers.geojson (the labelled rivers' lines); empty when a repository has none of them.
    labels: pd.DataFrame = field(default_factory=lambda: empty_labels())
    world: gpd.GeoDataFrame = field(default_factory=lambda: empty_shapes(BASE_PROPERTIES))
    rivers: gpd.GeoDataFrame = field(default_factory=lambda: empty_shapes(RIVER_PROPERTIES))
    #: routes/parameters.csv, routes/scenarios.csv, routes/scenario_alternatives.csv (route comparison, issue 12).
    parameters: pd.DataFrame = field(default_factory=pd.DataFrame)
    scenarios: pd.DataFrame = field(default_factory=pd.DataFrame)
    alternatives: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: routes/datasets.csv (bulk tables cited once), and their rows aggregated to the map's subjects in the
    #: columns of ``volumes`` plus ``dataset`` (see :mod:`corridormap.datasets`).
    datasets: pd.DataFrame = field(default_factory=lambda: pd.DataFrame())
    dataset_volumes: pd.DataFrame = field(default_factory=lambda: pd.DataFrame())
    #: Derived tables computed once per atlas (:func:`corridormap.facts.volume_rows`).
    cache: dict = field(default_factory=dict, repr=False)

    def corridor_ids(self) -> list[str]:
        """Corridor ids in the order of ``routes/corridors.csv``."""
        return list(self.corridors["id"])

    def includes(self, corridor: str) -> list[str]:
        """The ``includes`` entries of *corridor*: corridor ids or ``corridor/segment`` references."""
        if "includes" not in self.cache:  # asked for each corridor, recursively, by members and facts
            self.cache["includes"] = {
                cid: [part.strip() for part in (text if isinstance(text, str) else "").split(";") if part.strip()]
                for cid, text in zip(self.corridors["id"][::-1], self.corridors["includes"][::-1])}  # first wins
        return list(self.cache["includes"].get(corridor, []))

    def members(self, corridor: str) -> gpd.GeoDataFrame:
        """Segments drawn as part of *corridor*: its own plus those it includes (recursively), each once.

        The ``owner`` column says which corridor file a segment comes from; ``corridor`` is set to *corridor*.
        """
        key = ("members", corridor)
        if key not in self.cache:  # join, measure and facts ask for each corridor's members several times
            position = self._segment_index()[0]
            rows = [position[k] for k in dict.fromkeys(self.member_keys(corridor))]
            self.cache[key] = self.segments.iloc[rows].assign(corridor=corridor)
        return self.cache[key]

    def _segment_index(self) -> tuple[dict[tuple[str, str], int], dict[str, list[tuple[str, str]]]]:
        """(owner, segment) → first row (a duplicate id, reported by validate, keeps its first row), and each
        owner's (owner, segment) keys in file order; built once per atlas."""
        if "segment_index" not in self.cache:
            position: dict[tuple[str, str], int] = {}
            by_owner: dict[str, list[tuple[str, str]]] = {}
            for i, k in enumerate(zip(self.segments["owner"], self.segments["segment"])):
                position.setdefault(k, i)
                by_owner.setdefault(k[0], []).append(k)
            self.cache["segment_index"] = position, by_owner
        return self.cache["segment_index"]

    def member_keys(self, corridor: str, _seen: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
        """(owner, segment) of every segment *corridor* draws, in order, possibly repeated; unknown references
        and include cycles are skipped (validate() reports them)."""
        if corridor in _seen:
            return []
        by_owner = self._segment_index()[1]
        keys = list(by_owner.get(corridor, []))
        for ref in self.includes(corridor):
            owner, _, segment = ref.partition("/")
            if segment:
                keys += [k for k in by_owner.get(owner, []) if k[1] == segment]
            else:
                keys += self.member_keys(owner, _seen | {corridor})
        return keys


def load(root: str | Path | None = None) -> Atlas:
    """Read a corridormap repository (``geo/`` and ``routes/``) into an :class:`Atlas`.

    Parameters
    ----------
    root
        The repository folder; the current working directory by default.

    Examples
    --------
    >>> import corridormap as cm
    >>> atlas = cm.load()          # doctest: +SKIP
    >>> cm.validate(atlas)         # doctest: +SKIP
    """
    root = repo_path(root)
    problems: list[Problem] = []
    geo, routes = root / GEO_DIR, root / ROUTES_DIR
    countries = read_countries(geo / "countries.geojson", root, problems)
    nodes = read_nodes(geo / "nodes.csv", root, problems)
    capitals = with_degrees(read_csv(geo / "capitals.csv", root, schema.CAPITAL_COLUMNS, schema.CAPITAL_REQUIRED,
                                     problems))
    corridors = read_csv(routes / "corridors.csv", root, schema.CORRIDOR_COLUMNS, schema.CORRIDOR_REQUIRED, problems)
    segments = read_segments(routes, root, problems)
    sources = read_csv(routes / "sources.csv", root, schema.SOURCE_COLUMNS, schema.SOURCE_REQUIRED, problems)
    volumes = read_csv(routes / "volumes.csv", root, schema.VOLUME_COLUMNS, schema.VOLUME_REQUIRED, problems,
                       categorical=True)
    agreements = read_csv(routes / "agreements.csv", root, schema.AGREEMENT_COLUMNS, schema.AGREEMENT_REQUIRED,
                          problems)
    labels = read_labels(geo / "labels.csv", root, problems)
    world = read_shapes(geo / "world.geojson", root, problems, BASE_PROPERTIES, POLYGONAL)
    rivers = read_shapes(geo / "rivers.geojson", root, problems, RIVER_PROPERTIES, LINEAR)
    parameters, scenarios, alternatives = read_comparison_tables(routes, root, problems)
    atlas = Atlas(root, countries, nodes, capitals, corridors, segments, sources, volumes, agreements, problems,
                  labels=labels, world=world, rivers=rivers, parameters=parameters, scenarios=scenarios,
                  alternatives=alternatives)
    read_datasets(atlas)
    return atlas


def read_comparison_tables(routes: Path, root: Path, problems: list[Problem]
                           ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """routes/parameters.csv, scenarios.csv and scenario_alternatives.csv as text tables (see routes/README.md)."""
    return (read_csv(routes / "parameters.csv", root, schema.PARAMETER_COLUMNS, schema.PARAMETER_REQUIRED, problems),
            read_csv(routes / "scenarios.csv", root, schema.SCENARIO_COLUMNS, schema.SCENARIO_REQUIRED, problems),
            read_csv(routes / "scenario_alternatives.csv", root, schema.ALTERNATIVE_COLUMNS,
                     schema.ALTERNATIVE_REQUIRED, problems))


def read_datasets(atlas: Atlas) -> None:
    """routes/datasets.csv (optional) and its bulk tables, checked and aggregated (:mod:`corridormap.datasets`)."""
    from . import datasets
    from .validate_facts import subject_test

    path = atlas.root / ROUTES_DIR / "datasets.csv"
    if not path.exists():
        return
    atlas.datasets = read_csv(path, atlas.root, datasets.COLUMNS, datasets.REQUIRED, atlas.problems)
    atlas.dataset_volumes = datasets.read_all(atlas.root, atlas.datasets, subject_test(atlas), atlas.problems)


def rel(path: Path, root: Path) -> str:
    """*path* as shown in messages: relative to the repository when inside it."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def read_text(path: Path, root: Path, problems: list[Problem]) -> str | None:
    """The UTF-8 text of *path*, or ``None`` with a problem when missing or not UTF-8."""
    name = rel(path, root)
    if not path.is_file():
        problems.append(Problem(name, "", "file", "an existing file", "nothing at that path"))
        return None
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        problems.append(Problem(name, f"line {line}", "encoding", "UTF-8 text (re-save the file as UTF-8)",
                                f"byte 0x{data[err.start]:02x} at offset {err.start}, not valid UTF-8"))
        return None


def read_csv(path: Path, root: Path, columns: tuple[str, ...], required: tuple[str, ...],
             problems: list[Problem], *, categorical: bool = False, warn: bool = True) -> pd.DataFrame:
    """A CSV as text columns (all of *columns*, missing optional ones empty) plus ``row`` (line number).

    Well-formed files (one record per line) are parsed by Arrow (a million rows in a fraction of a second);
    anything else (blank lines, values spanning lines, bad encoding, a wrong field count) by Python's csv
    module, which says where. Both give the same table. With *categorical*, text columns but ``value`` are
    pandas categoricals (a million rows of repeated quotes take a few MiB).
    """
    empty = pd.DataFrame({c: pd.Series(dtype=str) for c in (*columns, "row")})
    keep = tuple(c for c in columns if c != "value") if categorical else ()
    fast = _csv_fast.read(path, rel(path, root), columns, required, problems, categorical=keep, warn=warn)
    if fast is None:
        fast = read_csv_exact(path, root, columns, required, problems, warn=warn)
    table = empty if fast is None else fast
    return _csv_fast.as_categories(table, keep)


def read_csv_exact(path: Path, root: Path, columns: tuple[str, ...], required: tuple[str, ...],
                   problems: list[Problem], *, warn: bool = True) -> pd.DataFrame | None:
    """The careful reader: Python's csv module, line numbers as it counts them, a problem for each bad row."""
    text = read_text(path, root, problems)
    if text is None:
        return None
    name = rel(path, root)
    reader = csv.reader(io.StringIO(text, newline=""))  # a lone \r ends a line, as in a file opened so
    header = [h.strip() for h in next(reader, [])]
    if not _csv_fast.header_ok(name, header, columns, required, problems, warn=warn):
        return None
    records = []
    for values in reader:
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            problems.append(Problem(name, f"row {reader.line_num}", "row", f"{len(header)} fields",
                                    f"{len(values)} fields (an unquoted comma?)"))
            continue
        record = dict(zip(header, (v.strip() for v in values)))
        records.append({**{c: record.get(c, "") for c in columns}, "row": reader.line_num})
    return pd.DataFrame.from_records(records, columns=[*columns, "row"]) if records else None


def to_float(text: str) -> float:
    try:
        return float(text)
    except (TypeError, ValueError):
        return float("nan")


def with_degrees(table: pd.DataFrame) -> pd.DataFrame:
    """*table* with float ``lon``/``lat`` (``NaN`` where unparseable), the text as found kept in ``lon_text``/
    ``lat_text`` for messages."""
    table = table.rename(columns={"lon": "lon_text", "lat": "lat_text"})
    table["lon"] = table["lon_text"].map(to_float).astype(float)
    table["lat"] = table["lat_text"].map(to_float).astype(float)
    return table


def read_nodes(path: Path, root: Path, problems: list[Problem]) -> gpd.GeoDataFrame:
    table = with_degrees(read_csv(path, root, schema.NODE_COLUMNS, schema.NODE_REQUIRED, problems))
    points = [Point(x, y) if pd.notna(x) and pd.notna(y) else None for x, y in zip(table["lon"], table["lat"])]
    return gpd.GeoDataFrame(table, geometry=gpd.GeoSeries(points, index=table.index, crs="EPSG:4326"))


def read_countries(path: Path, root: Path, problems: list[Problem]) -> gpd.GeoDataFrame:
    collection = read_feature_collection(path, root, problems)
    rows = []
    for i, feature in enumerate(collection):
        props = feature.get("properties") or {}
        try:
            geom = read_geometry(feature["geometry"])
        except Exception as err:  # noqa: BLE001 - any malformed geometry is a data problem
            problems.append(Problem(rel(path, root), f"feature {i}", "geometry", "a Polygon or MultiPolygon",
                                    f"unreadable geometry ({err})"))
            continue
        rows.append({"iso3": str(props.get("iso3", "")), "name": str(props.get("name", "")), "geometry": geom})
    frame = pd.DataFrame(rows, columns=["iso3", "name", "geometry"])
    return gpd.GeoDataFrame(frame, geometry="geometry", crs="EPSG:4326")


def read_geometry(geometry: Any) -> shapely.Geometry:
    """``shapely.geometry.shape``, with (multi)polygons read ring by ring as arrays (a country's thousands of
    coordinates are 10x faster so); whatever that way cannot read goes to ``shape``, which says what is wrong."""
    try:
        kind, coordinates = geometry["type"], geometry["coordinates"]
        if kind == "Polygon":
            return polygon_of(coordinates)
        if kind == "MultiPolygon":
            return shapely.MultiPolygon([polygon_of(p) for p in coordinates])
    except Exception:  # noqa: BLE001 - shape() below reports what is wrong
        pass
    return shape(geometry)


def polygon_of(rings: list) -> shapely.Polygon:
    shell, *holes = (np.asarray(r, dtype=float) for r in rings)
    return shapely.Polygon(shell, holes)


def read_feature_collection(path: Path, root: Path, problems: list[Problem]) -> list[dict]:
    """The features of a GeoJSON FeatureCollection, or ``[]`` with a problem."""
    text = read_text(path, root, problems)
    if text is None:
        return []
    name = rel(path, root)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        problems.append(Problem(name, f"line {err.lineno} column {err.colno}", "json", "valid JSON",
                                f"malformed JSON ({err.msg})"))
        return []
    kind = data.get("type") if isinstance(data, dict) else type(data).__name__
    if kind != "FeatureCollection" or not isinstance(data.get("features"), list):
        problems.append(Problem(name, "", "type", "a GeoJSON FeatureCollection", found(kind)))
        return []
    return [f if isinstance(f, dict) else {} for f in data["features"]]


def read_segments(routes: Path, root: Path, problems: list[Problem]) -> gpd.GeoDataFrame:
    """One row per feature of every ``routes/*.geojson``; unparseable geometry becomes ``None``."""
    rows = []
    for path in sorted(routes.glob("*.geojson")):
        name = rel(path, root)
        for i, feature in enumerate(read_feature_collection(path, root, problems)):
            raw = feature.get("properties")
            props: dict = raw if isinstance(raw, dict) else {}
            row: dict[str, object] = {k: "" if props.get(k) is None else str(props.get(k))
                   for k in (*schema.SEGMENT_PROPERTIES, *schema.SEGMENT_OPTIONAL)}
            row.update(file=name, feature=i, layer_id=path.stem, missing=",".join(
                k for k in schema.SEGMENT_PROPERTIES if k not in props),
                geometry=line_geometry(feature.get("geometry"), name, i, str(row["segment"]), problems))
            rows.append(row)
    columns = [*schema.SEGMENT_PROPERTIES, *schema.SEGMENT_OPTIONAL, "file", "feature", "layer_id", "missing",
               "geometry"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["owner"] = frame["corridor"]
    return gpd.GeoDataFrame(frame, geometry="geometry", crs="EPSG:4326")


def feature_label(index: int, segment: str) -> str:
    return f"feature {index} ({segment})" if segment else f"feature {index}"


def fast_positions(coords: object) -> np.ndarray | None:
    """An (n, 2) float array when *coords* is a plain list of >= 2 numeric positions, else ``None`` (the careful
    path then says what is wrong). Millions of vertices parse in milliseconds this way."""
    if not isinstance(coords, list) or len(coords) < 2:
        return None
    try:
        arr = np.array(coords)
    except ValueError:  # ragged
        return None
    if arr.ndim != 2 or arr.shape[1] < 2 or arr.dtype.kind not in "fi":
        return None
    return arr[:, :2].astype(float)


def line_geometry(geom: object, name: str, index: int, segment: str, problems: list[Problem]) -> LineString | None:
    """A LineString from GeoJSON, or ``None`` with a problem naming what was found instead."""
    where = feature_label(index, segment)
    if not isinstance(geom, dict):
        problems.append(Problem(name, where, "geometry", "a LineString", found(geom)))
        return None
    if geom.get("type") != "LineString":
        problems.append(Problem(name, where, "geometry.type", "LineString (one per segment)", found(geom.get("type"))))
        return None
    coords: Any = geom.get("coordinates")
    fast = fast_positions(coords)
    if fast is not None:
        return LineString(fast)
    ok = isinstance(coords, list) and all(
        isinstance(c, list) and len(c) >= 2 and all(isinstance(v, (int, float)) and not isinstance(v, bool)
                                                    for v in c[:2]) for c in coords)
    if not ok:
        problems.append(Problem(name, where, "geometry.coordinates", "a list of [lon, lat] number pairs",
                                found(json.dumps(coords)[:60])))
        return None
    if len(coords) < 2:
        problems.append(Problem(name, where, "geometry.coordinates", "at least 2 positions",
                                f"{len(coords)} position{'s' if len(coords) != 1 else ''}"))
        return None
    return LineString([(c[0], c[1]) for c in coords])


# --- geo/labels.csv, geo/world.geojson, geo/rivers.geojson (optional files) ----------------------------------

#: Properties of the base-map features, and of the river lines.
BASE_PROPERTIES: tuple[str, ...] = ("iso3", "name")
RIVER_PROPERTIES: tuple[str, ...] = ("name", "source")
POLYGONAL = ("Polygon", "MultiPolygon")
LINEAR = ("LineString", "MultiLineString")
#: Integer and number columns of geo/labels.csv, parsed beside their text (kept as ``<column>_text``).
LABEL_NUMBERS = ("min_zoom", "priority", "angle")


def empty_labels() -> pd.DataFrame:
    return with_numbers(with_degrees(pd.DataFrame({c: pd.Series(dtype=str) for c in (*schema.LABEL_COLUMNS, "row")})))


def empty_shapes(properties: tuple[str, ...]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(pd.DataFrame(columns=[*properties, "feature", "geometry"]), geometry="geometry",
                            crs="EPSG:4326")


def with_numbers(table: pd.DataFrame) -> pd.DataFrame:
    """*table* with float ``min_zoom``/``priority``/``angle`` (``NaN`` where unparseable); text in ``*_text``."""
    table = table.rename(columns={c: f"{c}_text" for c in LABEL_NUMBERS})
    for c in LABEL_NUMBERS:
        table[c] = table[f"{c}_text"].map(to_float).astype(float)
    return table


def read_labels(path: Path, root: Path, problems: list[Problem]) -> pd.DataFrame:
    """geo/labels.csv as text plus float ``lon``/``lat``/``min_zoom``/``priority``/``angle``; empty when absent."""
    if not path.exists():
        return empty_labels()
    table = read_csv(path, root, schema.LABEL_COLUMNS, schema.LABEL_REQUIRED, problems)
    return with_numbers(with_degrees(table))


def read_shapes(path: Path, root: Path, problems: list[Problem], properties: tuple[str, ...],
                kinds: tuple[str, ...]) -> gpd.GeoDataFrame:
    """The features of an optional GeoJSON file with *properties* (text) and a geometry of one of *kinds*;
    features with another or unreadable geometry are left out with a problem."""
    if not path.exists():
        return empty_shapes(properties)
    name, rows = rel(path, root), []
    for i, feature in enumerate(read_feature_collection(path, root, problems)):
        raw = feature.get("properties")
        props: dict = raw if isinstance(raw, dict) else {}
        geom = feature.get("geometry")
        kind = geom.get("type") if isinstance(geom, dict) else None
        try:
            shp = read_geometry(geom) if kind in kinds else None
        except Exception as err:  # noqa: BLE001 - any malformed geometry is a data problem
            problems.append(Problem(name, f"feature {i}", "geometry", f"a {' or '.join(kinds)}",
                                    f"unreadable geometry ({err})"))
            continue
        if shp is None:
            problems.append(Problem(name, f"feature {i}", "geometry.type", " or ".join(kinds), found(kind)))
            continue
        rows.append({**{k: "" if props.get(k) is None else str(props.get(k)) for k in properties}, "feature": i,
                     "geometry": shp})
    frame = pd.DataFrame(rows, columns=[*properties, "feature", "geometry"])
    return gpd.GeoDataFrame(frame, geometry="geometry", crs="EPSG:4326")
