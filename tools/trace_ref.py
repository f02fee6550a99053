"""Reference data for tools/trace.py: OpenStreetMap railway ways and stations, Global Energy Monitor pipelines.

The references are read from bare git directories (the public repositories as fetched), at their HEAD commit,
so every traced segment can name the exact commit it came from. Nothing here is committed wholesale: the tracer
writes route geometry, and ``tools/trace_sample.py`` a small derived sample for the tests.
"""

from __future__ import annotations

import json
import math
import re
import subprocess
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

OSM_REPO = "njfinney/Asia_Railway_Calculator"
GEM_REPO = "GlobalEnergyMonitor/GOIT-GGIT-pipeline-routes"
DEFAULT_OSM_DIR = Path("/work/.mirror/njfinney+Asia_Railway_Calculator/repo")
DEFAULT_GEM_DIR = Path("/work/.mirror/GlobalEnergyMonitor+GOIT-GGIT-pipeline-routes/repo")

OSM_LICENCE = "ODbL-1.0, © OpenStreetMap contributors"
GEM_LICENCE = "CC BY 4.0, Global Energy Monitor"

#: OSM ``railway=*`` values a traced line may follow: operating track, and track under construction for
#: segments that are themselves under construction. Light rail, monorail and ``proposed`` never.
WAY_TYPES = {"operating": ("rail", "narrow_gauge"), "construction": ("rail", "narrow_gauge", "construction")}

R_EARTH = 6371008.8
#: Stations named as metro stations are not on the main line, even where the extract lacks ``station=subway``
#: (Tehran's Karaj line and city metro).
METRO_RE = re.compile(r"metro|метро|مترو", re.IGNORECASE)


class ReferenceError(Exception):
    """A reference file is missing or not what the tracer expects."""


@dataclass(frozen=True)
class Station:
    osm_id: int
    lon: float
    lat: float
    name: str
    name_local: str = ""
    kind: str = "station"


@dataclass
class Reference:
    """One reference as read: where it came from, and its lines (lon/lat) or stations."""

    repo: str
    commit: str
    paths: tuple[str, ...]
    licence: str
    lines: list[list[tuple[float, float]]] = field(default_factory=list)
    stations: list[Station] = field(default_factory=list)

    def cite(self) -> str:
        files = ", ".join(self.paths)
        return f"github.com/{self.repo} {files} at commit {self.commit[:12]}"


def git(git_dir: Path, *args: str) -> str:
    out = subprocess.run(["git", "--git-dir", str(git_dir), *args], capture_output=True, text=True)
    if out.returncode != 0:
        raise ReferenceError(f"{git_dir}: git {' '.join(args)}: {out.stderr.strip()}")
    return out.stdout


@cache
def head_commit(git_dir: Path) -> str:
    return git(git_dir, "rev-parse", "HEAD").strip()


@cache
def git_json(git_dir: Path, path: str) -> object:
    text = git(git_dir, "show", f"HEAD:{path}")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReferenceError(f"{git_dir}:{path}: expected JSON, found {exc}") from exc


def osm_ways(git_dir: Path, countries: tuple[str, ...], status: str = "operating") -> Reference:
    """Railway ways of *countries* (``data/railways/<country>.json``: ``[{id, type, geometry: [[lat, lon]…]}]``)."""
    keep = WAY_TYPES["construction" if status == "construction" else "operating"]
    paths = tuple(f"data/railways/{c}.json" for c in countries)
    ref = Reference(OSM_REPO, head_commit(git_dir), paths, OSM_LICENCE)
    for path in paths:
        ways = git_json(git_dir, path)
        if not isinstance(ways, list):
            raise ReferenceError(f"{path}: expected a list of ways, found {type(ways).__name__}")
        for i, way in enumerate(ways):
            if not isinstance(way, dict) or "geometry" not in way:
                raise ReferenceError(f"{path}: way {i}: expected an object with 'geometry', found {way!r:.80}")
            if way.get("type", "rail") in keep and len(way["geometry"]) >= 2:
                ref.lines.append([(float(lon), float(lat)) for lat, lon in way["geometry"]])
    return ref


def osm_stations(git_dir: Path, countries: tuple[str, ...]) -> Reference:
    """OSM ``railway=station``/``halt`` nodes (``data/stations/<country>.json``: lat, lon, name, nameLocal, type)."""
    paths = tuple(f"data/stations/{c}.json" for c in countries)
    ref = Reference(OSM_REPO, head_commit(git_dir), paths, OSM_LICENCE)
    seen: set[int] = set()
    for path in paths:
        rows = git_json(git_dir, path)
        if not isinstance(rows, list):
            raise ReferenceError(f"{path}: expected a list of stations, found {type(rows).__name__}")
        for i, s in enumerate(rows):
            try:
                st = Station(int(s["id"]), float(s["lon"]), float(s["lat"]), str(s.get("name") or ""),
                             str(s.get("nameLocal") or ""), str(s.get("type") or "station"))
            except (KeyError, TypeError, ValueError) as exc:
                raise ReferenceError(f"{path}: station {i}: expected id, lat, lon; found {s!r:.80}") from exc
            metro = METRO_RE.search(f"{st.name} {st.name_local}")
            if st.kind in ("station", "halt") and st.osm_id not in seen and not metro:
                seen.add(st.osm_id)
                ref.stations.append(st)
    return ref


def gem_pipeline(git_dir: Path, project: str) -> Reference:
    """A Global Energy Monitor route (``data/individual-routes/*/<project>.geojson``), as one or more lines."""
    listing = git(git_dir, "ls-tree", "-r", "--name-only", "HEAD", "data/individual-routes/")
    paths = [p for p in listing.splitlines() if p.endswith(f"/{project}.geojson")]
    if len(paths) != 1:
        raise ReferenceError(f"{git_dir}: expected one route file for {project}, found {paths}")
    ref = Reference(GEM_REPO, head_commit(git_dir), (paths[0],), GEM_LICENCE)
    data = git_json(git_dir, paths[0])
    features = data.get("features", [data]) if isinstance(data, dict) else []
    for f in features:
        geom = f.get("geometry") or {}
        parts = {"LineString": [geom.get("coordinates")], "MultiLineString": geom.get("coordinates")}.get(
            geom.get("type"), [])
        ref.lines += [[(float(x), float(y)) for x, y, *_ in part] for part in parts if part and len(part) >= 2]
    if not ref.lines:
        raise ReferenceError(f"{paths[0]}: expected a LineString or MultiLineString route, found none")
    return ref


# --- local metric projection -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class LocalProjection:
    """Azimuthal equidistant metres around a centre: distances of a few km are exact to well under 1 %."""

    lon0: float
    lat0: float

    def fwd(self, lon: float, lat: float) -> tuple[float, float]:
        return _aeqd(self.lon0, self.lat0)(lon, lat)

    def inv(self, x: float, y: float) -> tuple[float, float]:
        return _aeqd(self.lon0, self.lat0)(x, y, direction="INVERSE")


@cache
def _aeqd(lon0: float, lat0: float):
    from pyproj import Transformer

    return Transformer.from_crs("EPSG:4326", f"+proj=aeqd +lat_0={lat0} +lon_0={lon0} +datum=WGS84 +units=m",
                                always_xy=True).transform


def projection_for(points: list[tuple[float, float]]) -> LocalProjection:
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    return LocalProjection(round((min(lons) + max(lons)) / 2, 3), round((min(lats) + max(lats)) / 2, 3))


def haversine_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    (lon1, lat1), (lon2, lat2) = a, b
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * R_EARTH * math.asin(math.sqrt(h))
