"""Geodesic lengths and kilometres per country."""

import geopandas as gpd
import pytest
from shapely.geometry import LineString, box

from corridormap.measure import SEA, crossing, geodesic_km, inner_part, length_km


def test_geodesic_distance_matches_known_value():
    # Baku - Tbilisi great-circle distance is about 450 km
    assert geodesic_km((49.8671, 40.4093), (44.7930, 41.6941)) == pytest.approx(449.7, abs=0.5)


def test_length_of_a_degree_of_longitude_at_the_equator():
    assert length_km(LineString([(0, 0), (1, 0)])) == pytest.approx(111.32, abs=0.01)


def test_crossing_splits_by_country_and_counts_the_rest_as_sea():
    countries = gpd.GeoDataFrame({"iso3": ["AAA", "BBB"]}, geometry=[box(0, -1, 1, 1), box(2, -1, 3, 1)],
                                 crs="EPSG:4326")
    cross = crossing(LineString([(0.5, 0), (2.5, 0)]), countries)
    assert list(cross.km) == [SEA, "AAA", "BBB"] or list(cross.km)[0] == SEA
    assert cross.km["AAA"] == pytest.approx(55.66, abs=0.05)
    assert cross.km["BBB"] == pytest.approx(55.66, abs=0.05)
    assert cross.km[SEA] == pytest.approx(111.32, abs=0.05)
    assert cross.countries == ["AAA", "BBB"]


def test_inner_part_drops_the_ends():
    line = LineString([(0, 0), (1, 0)])
    inner = inner_part(line, 10)
    assert length_km(inner) == pytest.approx(111.32 - 20, abs=0.5)
    assert inner_part(line, 60) is None


def test_corridor_lengths_add_up(layers):
    for _, c in layers.corridors.iterrows():
        members = layers.members[c["id"]]
        assert c["length_km"] == pytest.approx(members["length_km"].sum(), abs=0.1 * len(members) + 0.5)
        assert c["segments"] == len(members)


def test_middle_corridor_includes_titr_and_btk(layers):
    mc = layers.members["middle_corridor"]
    assert {"middle_corridor", "titr", "btk"} <= set(mc["corridor"])
    assert layers.corridors.set_index("id").loc["middle_corridor", "length_km"] > \
        layers.corridors.set_index("id").loc["titr", "length_km"]


#: A along the river, B across it: the border at lat 0, A north of it.
RIVER = gpd.GeoDataFrame({"iso3": ["AAA", "BBB"]}, geometry=[box(0, 0, 4, 2), box(0, -2, 4, 0)], crs="EPSG:4326")


def test_a_land_line_dipping_across_a_coarse_border_and_back_stays_in_its_country():
    # 0.02° (~2 km) south of the border for a degree: a meander the simplified border cut
    line = LineString([(0.5, 0.05), (1, 0.05), (1.1, -0.02), (2, -0.02), (2.1, 0.05), (3.5, 0.05)])
    assert crossing(line, RIVER, land=True).km == {"AAA": pytest.approx(length_km(line))}
    assert crossing(line, RIVER).km["BBB"] > 90  # without the rule (sea legs, cables) it is a crossing


def test_a_deep_excursion_is_a_real_crossing():
    line = LineString([(0.5, 0.05), (1, 0.05), (1.1, -0.2), (2, -0.2), (2.1, 0.05), (3.5, 0.05)])  # ~22 km deep
    assert crossing(line, RIVER, land=True).km["BBB"] > 90


def test_a_line_ending_across_the_border_keeps_both_countries():
    line = LineString([(0.5, 0.05), (2, 0.05), (2.1, -0.02), (3.5, -0.02)])
    km = crossing(line, RIVER, land=True).km
    assert set(km) == {"AAA", "BBB"} and km["BBB"] > 150


def test_a_coastal_land_line_clipped_by_the_coast_is_not_at_sea():
    land = gpd.GeoDataFrame({"iso3": ["AAA"]}, geometry=[box(0, 0, 4, 2)], crs="EPSG:4326")
    line = LineString([(0.5, 0.05), (1, 0.05), (1.1, -0.01), (2, -0.01), (2.1, 0.05), (3.5, 0.05)])
    assert list(crossing(line, land, land=True).km) == ["AAA"]


def test_the_nakhchivan_railway_along_the_araz_is_not_counted_in_iran(layers):
    """The Natural Earth border cuts the Araz meanders; the railway runs on the Azerbaijani bank."""
    zangezur = layers.corridors.set_index("id").loc["zangezur"]
    assert "IRN" not in zangezur["countries"].split(";")
    meghri = layers.segments[layers.segments["segment"] == "meghri_section"].iloc[0]
    assert 35 <= float(meghri["km_by_country"].split("ARM ")[1].split(";")[0]) <= 50
