"""GIS exports opened the way GIS users open them: through GDAL (pyogrio)."""

from __future__ import annotations

import json

import pyogrio
import pytest
from shapely import equals_exact

from corridormap.export import GPKG_LAYERS, GPKG_TABLES, export


@pytest.fixture(scope="module")
def gis(layers, tmp_path_factory):
    out = tmp_path_factory.mktemp("gis")
    export(layers, out)
    return out


def test_files_written(gis, layers):
    names = {p.name for p in gis.iterdir()}
    assert {f"{cid}.geojson" for cid in layers.corridors["id"]} <= names
    assert {"corridors.geojson", "countries.geojson", "agreements.geojson", "corridormap.gpkg"} <= names
    assert not [n for n in names if n.endswith(".part")]


@pytest.mark.parametrize("cid", ["btc", "titr", "zangezur", "middle_corridor"])
def test_geojson_round_trip_equals_source(gis, layers, cid):
    frame = pyogrio.read_dataframe(gis / f"{cid}.geojson")
    source = layers.members[cid]
    assert list(frame["segment"]) == list(source["segment"])
    assert list(frame["status"]) == list(source["status"])
    for a, b in zip(frame.geometry, source.geometry):
        assert equals_exact(a, b, tolerance=1e-6)
    assert frame["length_km"].tolist() == pytest.approx(source["length_km"].tolist())


def test_gpkg_round_trip(gis, layers):
    path = gis / "corridormap.gpkg"
    listed = {name for name, _ in pyogrio.list_layers(path)}
    assert set(GPKG_LAYERS) | set(GPKG_TABLES) <= listed
    segments = pyogrio.read_dataframe(path, layer="segments")
    assert len(segments) == len(layers.segments)
    for a, b in zip(segments.geometry, layers.segments.geometry):
        assert equals_exact(a, b, tolerance=1e-9)
    corridors = pyogrio.read_dataframe(path, layer="corridors")
    assert list(corridors["id"]) == list(layers.corridors["id"])
    volumes = pyogrio.read_dataframe(path, layer="volumes", read_geometry=False)
    assert len(volumes) == len(layers.volumes) and volumes["value"].tolist() == layers.volumes["value"].tolist()
    points = pyogrio.read_dataframe(path, layer="agreement_points")
    assert len(points) == len(layers.agreements) and set(points.geometry.geom_type) == {"Point"}
    assert pyogrio.read_info(path, layer="segments")["crs"] == "EPSG:4326"


def positions(coords):
    if coords and isinstance(coords[0], (int, float)):
        yield coords
    else:
        for c in coords:
            yield from positions(c)


def ring_area(ring):
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:])) / 2


@pytest.mark.parametrize("name", ["corridors.geojson", "btc.geojson", "countries.geojson", "agreements.geojson"])
def test_rfc7946(gis, name):
    data = json.loads((gis / name).read_text(encoding="utf-8"))
    assert "crs" not in data and data["type"] == "FeatureCollection"
    for f in data["features"]:
        assert all(not isinstance(v, (dict, list)) for v in f["properties"].values()), "flat properties"
        for x, y in positions(f["geometry"]["coordinates"]):
            assert -180 <= x <= 180 and -90 <= y <= 90 and 12 <= x <= 112 and 22 <= y <= 60  # lon, lat order
            assert round(x, 6) == x and round(y, 6) == y
        if f["geometry"]["type"] in ("Polygon", "MultiPolygon"):
            polys = [f["geometry"]["coordinates"]] if f["geometry"]["type"] == "Polygon" else f["geometry"][
                "coordinates"]
            for poly in polys:
                assert ring_area(poly[0]) > 0, "exterior rings counterclockwise (right-hand rule)"
                assert all(ring_area(hole) < 0 for hole in poly[1:])


def test_exported_corridor_carries_facts(gis):
    data = json.loads((gis / "btc.geojson").read_text(encoding="utf-8"))
    props = data["features"][0]["properties"]
    for key in ("length_km", "km_by_country", "latest_volume", "latest_volume_period", "latest_volume_source"):
        assert key in props


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from shapely.geometry import LineString  # noqa: E402

from corridormap.export import write_geojson  # noqa: E402

lon = st.floats(12, 112, allow_nan=False)
lat = st.floats(22, 60, allow_nan=False)
props = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=40)


@settings(max_examples=30, deadline=None)
@given(lines=st.lists(st.lists(st.tuples(lon, lat), min_size=2, max_size=30, unique=True), min_size=1, max_size=5),
       names=st.lists(props, min_size=5, max_size=5), numbers=st.lists(st.floats(-1e12, 1e12), min_size=5,
                                                                        max_size=5))
def test_geojson_round_trip_property(tmp_path_factory, lines, names, numbers):
    import geopandas as gpd

    frame = gpd.GeoDataFrame({"name": names[:len(lines)], "value": numbers[:len(lines)]},
                             geometry=[LineString(c) for c in lines], crs="EPSG:4326")
    path = write_geojson(frame, tmp_path_factory.mktemp("rt") / "x.geojson")
    back = pyogrio.read_dataframe(path)
    assert list(back["name"]) == list(frame["name"])
    assert back["value"].tolist() == pytest.approx(frame["value"].tolist(), rel=1e-12)
    for a, b in zip(back.geometry, frame.geometry):
        assert equals_exact(a, b, tolerance=1e-6)  # 6 decimals: 0.1 m
