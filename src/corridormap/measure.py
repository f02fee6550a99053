"""Geodesic lengths (WGS84 ellipsoid), kilometres per country crossed, bounds."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
import shapely
from pyproj import Geod
from shapely.geometry import LineString
from shapely.ops import substring

from .load import Atlas
from .settings import BORDER_TOLERANCE_KM

GEOD = Geod(ellps="WGS84")
#: The key under which kilometres outside every country polygon (open sea) are counted.
SEA = "sea"
#: Modes whose lines run on land: their meanders across the base map's borders are not crossings.
LAND_MODES = ("rail", "road", "pipeline")


def geodesic_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Geodesic distance in km between two (lon, lat) positions.

    >>> round(geodesic_km((49.8671, 40.4093), (44.7930, 41.6941)), 1)   # Baku - Tbilisi
    449.7
    """
    return GEOD.inv(a[0], a[1], b[0], b[1])[2] / 1000.0


def length_km(geom) -> float:
    """Geodesic length in km of a (Multi)LineString (any collection of lines); 0 for ``None`` or empty.

    Vectorised over all vertices: an overlay can return a line as a million two-point pieces.

    >>> round(length_km(shapely.MultiLineString([[(0, 0), (1, 0)], [(5, 0), (6, 0)]])), 2)
    222.64
    """
    if geom is None or geom.is_empty:
        return 0.0
    parts = shapely.get_parts(geom)
    xy, part = shapely.get_coordinates(parts, return_index=True)
    if len(xy) < 2:
        return 0.0
    same = part[1:] == part[:-1]
    a, b = xy[:-1][same], xy[1:][same]
    return float(GEOD.inv(a[:, 0], a[:, 1], b[:, 0], b[:, 1])[2].sum()) / 1000.0


def inner_part(line: LineString, margin_km: float) -> LineString | None:
    """*line* without its first and last *margin_km* (approximately), or ``None`` if nothing is left."""
    total = length_km(line)
    if total <= 2 * margin_km:
        return None
    fraction = margin_km / total
    return substring(line, fraction, 1 - fraction, normalized=True)


@dataclass(frozen=True)
class Crossing:
    """Kilometres of a line per country (ISO3) and at sea, in order of length."""

    km: dict[str, float]

    @property
    def countries(self) -> list[str]:
        return [k for k in self.km if k != SEA]

    def text(self) -> str:
        """``AZE 443.0; GEO 249.0; sea 12.3`` (as in exports and popups)."""
        return "; ".join(f"{k} {v:.1f}" for k, v in self.km.items())


def crossing(line, countries: gpd.GeoDataFrame, tree: shapely.STRtree | None = None, *,
             land: bool = False) -> Crossing:
    """Kilometres of *line* inside each country of *countries*; the rest counts as :data:`SEA`.

    A *land* line (rail, road, pipeline) whose pieces in a third country or at sea all stay within
    :data:`~corridormap.settings.BORDER_TOLERANCE_KM` of a country it begins or ends in (a river meander cut by the
    base map's simplified border, a coastal line clipped by its coast) counts those kilometres in that country.
    """
    tree = tree or shapely.STRtree(countries.geometry.values)
    total = length_km(line)
    hits = tree.query(line, predicate="intersects")
    if len(hits) == 1 and countries.geometry.iloc[hits[0]].covers(line):
        return Crossing({countries["iso3"].iloc[hits[0]]: total})
    pieces = [(countries["iso3"].iloc[i], piece) for i in hits
              for piece in shapely.get_parts(line.intersection(countries.geometry.iloc[i]))
              if piece.geom_type == "LineString" and not piece.is_empty]
    if land:
        ends = end_countries(line, countries, tree)
        pieces = [(iso3 if iso3 in ends else excursion_home(piece, ends) or iso3, piece) for iso3, piece in pieces]
        pieces += [(home, piece) for piece in sea_pieces(line, countries, hits)
                   if (home := excursion_home(piece, ends))]
    km: dict[str, float] = {}
    for iso3, piece in pieces:
        km[iso3] = km.get(iso3, 0.0) + length_km(piece)
    km = {k: v for k, v in km.items() if v > 0.05}
    rest = total - sum(km.values())
    if rest > 0.5:
        km[SEA] = rest
    return Crossing(dict(sorted(km.items(), key=lambda kv: -kv[1])))


def sea_pieces(line, countries: gpd.GeoDataFrame, hits) -> list[LineString]:
    """The parts of *line* outside every country it meets (taken away one country at a time: a line's difference
    with each polygon is cheap, the union of the polygons is not)."""
    rest = line
    for i in hits:
        rest = rest.difference(countries.geometry.iloc[i])
    return [p for p in shapely.get_parts(rest) if p.geom_type == "LineString" and not p.is_empty]


def end_countries(line, countries: gpd.GeoDataFrame, tree: shapely.STRtree) -> dict[str, object]:
    """The countries (ISO3 → polygon) holding the first and the last vertex of *line*."""
    ends = shapely.points([line.coords[0], line.coords[-1]])
    _, country_index = tree.query(ends, predicate="intersects")
    return {str(countries["iso3"].iloc[i]): countries.geometry.iloc[i] for i in country_index}


def excursion_home(piece: LineString, ends: dict[str, object]) -> str | None:
    """The end country of a line that its *piece* elsewhere (another country, or the sea) never really left: the
    nearest of *ends* when every point of the piece lies within
    :data:`~corridormap.settings.BORDER_TOLERANCE_KM` of it; ``None`` for a real crossing."""
    if not ends:
        return None
    vertices = shapely.points(shapely.get_coordinates(piece))  # a subset of the probe below: a quick no, mostly
    if min(float(shapely.distance(vertices, p).max()) for p in ends.values()) * 111.0 > BORDER_TOLERANCE_KM:
        return None
    probe = shapely.points(shapely.get_coordinates(shapely.segmentize(piece, 0.002)))  # a point every ~200 m
    reach = {iso3: float(shapely.distance(probe, polygon).max()) * 111.0 for iso3, polygon in ends.items()}
    iso3 = min(reach, key=reach.__getitem__, default=None)
    return iso3 if iso3 is not None and reach[iso3] <= BORDER_TOLERANCE_KM else None


def segment_measures(atlas: Atlas) -> pd.DataFrame:
    """One row per segment (``owner``, ``segment``): ``length_km``, ``countries``, ``km_by_country``, bounds."""
    tree = shapely.STRtree(atlas.countries.geometry.values)
    rows = []
    for _, s in atlas.segments.iterrows():
        if s.geometry is None:
            continue
        cross = crossing(s.geometry, atlas.countries, tree, land=s["mode"] in LAND_MODES)
        rows.append({"owner": s["owner"], "segment": s["segment"], "length_km": length_km(s.geometry),
                     "countries": ";".join(cross.countries), "km_by_country": cross.text(),
                     "crossing": cross})
    return pd.DataFrame(rows, columns=["owner", "segment", "length_km", "countries", "km_by_country", "crossing"])


def corridor_measures(atlas: Atlas, segments: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per corridor: total ``length_km`` of its members, km per country, segment counts by status, bounds."""
    segments = segment_measures(atlas) if segments is None else segments
    by_key = segments.set_index(["owner", "segment"])
    rows = []
    for cid in atlas.corridor_ids():
        members = atlas.members(cid)
        km: dict[str, float] = {}
        for _, m in members.iterrows():
            for iso3, value in by_key.loc[(m["owner"], m["segment"]), "crossing"].km.items():
                km[iso3] = km.get(iso3, 0.0) + value
        cross = Crossing(dict(sorted(km.items(), key=lambda kv: -kv[1])))
        status = members["status"].value_counts()
        rows.append({"id": cid, "length_km": sum(km.values()), "segments": len(members),
                     "countries": ";".join(cross.countries), "km_by_country": cross.text(),
                     "by_status": "; ".join(f"{k} {v}" for k, v in status.items()),
                     "bounds": tuple(members.total_bounds) if len(members) else None})
    return pd.DataFrame(rows)


#: Roles of a corridor's part: the mode a single-mode corridor is (its own line), the other modes feeding it,
#: and each mode of a multimodal corridor.
OWN, FEEDER, PART = "own line", "feeder", "part"


@dataclass(frozen=True)
class ModePart:
    """The segments of one corridor in one mode: their *role*, length, km per country, segment names."""

    mode: str
    role: str
    length_km: float
    crossing: Crossing
    names: tuple[str, ...]


def mode_parts(atlas: Atlas, segments: pd.DataFrame | None = None) -> dict[str, list[ModePart]]:
    """Per corridor, its kilometres by mode, own line first, then by length.

    A corridor whose ``kind`` is a mode (``pipeline``, ``rail``, ``cable``…) has that mode as its own line and
    any other mode as a feeder (BTC: the pipeline, and the Aktau–Sangachal tanker leg that feeds it); a
    ``multimodal`` corridor's modes are all parts of it.
    """
    segments = segment_measures(atlas) if segments is None else segments
    by_key = segments.set_index(["owner", "segment"])
    kinds = dict(zip(atlas.corridors["id"], atlas.corridors["kind"]))
    out: dict[str, list[ModePart]] = {}
    for cid in atlas.corridor_ids():
        members = atlas.members(cid)
        parts = []
        for mode, group in members.groupby("mode", sort=False):
            km: dict[str, float] = {}
            for owner, segment in zip(group["owner"], group["segment"]):
                for iso3, value in by_key.loc[(owner, segment), "crossing"].km.items():
                    km[iso3] = km.get(iso3, 0.0) + value
            role = PART if kinds[cid] not in MODE_KINDS else OWN if mode == kinds[cid] else FEEDER
            parts.append(ModePart(str(mode), role, sum(km.values()),
                                  Crossing(dict(sorted(km.items(), key=lambda kv: -kv[1]))),
                                  tuple(group["name"])))
        out[cid] = sorted(parts, key=lambda p: (p.role != OWN, -p.length_km))
    return out


#: Corridor kinds that are a single mode (the rest, ``multimodal``, combine modes).
MODE_KINDS = ("rail", "road", "sea", "pipeline", "cable")
