"""The network and its routes, on small hand-made graphs (and a few checks on the real network)."""

from __future__ import annotations

import pickle
import subprocess
import sys

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from shapely.geometry import LineString, box

from corridormap.network import Leg, Parameters, RouteError, Router, build_network, network_from_legs, parameters_of
from corridormap.network.graph import country_runs, land_sequence, sea_sequence

#: A provisional parameter table (round numbers, so that expected days can be worked out by hand).
PARAMS = [
    # id, parameter, mode, iso3, applies_to, low, high, unit
    ("rail", "speed", "rail", "", "", 500, 1000, "km/day"),
    ("rail_slow_y", "speed", "rail", "YYY", "", 250, 500, "km/day"),
    ("road", "speed", "road", "", "", 250, 250, "km/day"),
    ("ferry_default", "ferry", "sea", "", "", 1, 2, "day"),
    ("ferry_wait", "ferry_wait", "sea", "", "", 24, 48, "h"),
    ("border", "border", "", "", "", 12, 24, "h"),
    ("ts_sea", "transshipment", "sea", "", "", 1, 1, "day"),
    ("ts_road", "transshipment", "road", "", "", 6, 6, "h"),
]


def params(rows=PARAMS) -> Parameters:
    table = pd.DataFrame(rows, columns=["id", "parameter", "mode", "iso3", "applies_to", "low", "high", "unit"])
    return Parameters(table.assign(source="test", quote="test", note="").astype(str))


def node(iso3: str, x: float = 0.0) -> dict:
    return {"name": "", "iso3": iso3, "kind": "station", "lon": x, "lat": 40.0}


def leg(lid: str, a: str, b: str, km: float, nodes: dict, *, mode: str = "rail", status: str = "operating",
        via: tuple[str, ...] = (), corridor: str | None = None) -> Leg:
    """A leg from *a* to *b* through the countries *via* (between its end nodes' countries)."""
    ends = ((a, nodes[a]["iso3"]), (b, nodes[b]["iso3"]))
    if mode == "sea":
        countries, crossings = sea_sequence(*ends)
        km_by = {"sea": km}
    else:
        order = [ends[0][1], *via, ends[1][1]]
        runs = [(c, km / len(order), i / len(order)) for i, c in enumerate(order)]
        countries, crossings = land_sequence(runs, *ends)
        km_by = {}
        for c, part, _ in runs:
            km_by[c] = km_by.get(c, 0.0) + part
    cid = corridor or lid.partition("/")[0]
    return Leg(lid, cid, lid, mode, status, a, b, km, km_by, countries, crossings, (cid,))


def router(legs, nodes, rows=PARAMS) -> Router:
    for n in nodes:
        nodes[n]["name"] = nodes[n]["name"] or n.title()
    countries = {n["iso3"]: n["iso3"].title() for n in nodes.values()} | {"YYY": "Yland"}
    return Router(network_from_legs(legs, nodes, countries), params(rows))


# -- transshipments, crossings, days ------------------------------------------------------------------------------

@pytest.fixture
def multimodal():
    """rail A–B (X), ferry B–C (X→Z), rail C–D (Z), road D–E (Z)."""
    nodes = {"a": node("XXX"), "b": node("XXX"), "c": node("ZZZ"), "d": node("ZZZ"), "e": node("ZZZ")}
    legs = [leg("r/ab", "a", "b", 1000, nodes), leg("s/bc", "b", "c", 400, nodes, mode="sea"),
            leg("r/cd", "c", "d", 500, nodes), leg("road/de", "d", "e", 250, nodes, mode="road")]
    return router(legs, nodes)


def test_transshipments_where_the_mode_changes(multimodal):
    (route,) = multimodal.routes(multimodal.query("a", "e"))
    assert [leg.id for leg in route.legs] == ["r/ab", "s/bc", "r/cd", "road/de"]
    assert route.transfers == (("b", "rail", "sea"), ("c", "sea", "rail"), ("d", "rail", "road"))
    assert route.transshipments == 3


def test_a_ferry_between_two_countries_is_one_crossing_without_border_dwell(multimodal):
    (route,) = multimodal.routes(multimodal.query("a", "e"))
    assert route.border_crossings == 1
    assert route.countries == ["XXX", "ZZZ"]
    # rail 1000 km at 500-1000 km/day: 1-2; ferry 1-2 + wait 1-2; rail 500 km: 0.5-1; road 250 km: 1;
    # transshipments: 1 + 1 + 0.25. No border dwell: the ferry's formalities are in its ports' dwell.
    assert (route.days.low, route.days.high) == pytest.approx((1 + 1 + 1 + 0.5 + 1 + 2.25, 2 + 2 + 2 + 1 + 1 + 2.25))
    assert route.parameters == {"rail", "road", "ferry_default", "ferry_wait", "ts_sea", "ts_road"}


def test_land_crossings_cost_border_dwell_and_speed_per_country():
    nodes = {"a": node("XXX"), "b": node("ZZZ")}
    r = router([leg("r/ab", "a", "b", 1500, nodes, via=("YYY",))], nodes)
    (route,) = r.routes(r.query("a", "b"))
    assert route.border_crossings == 2
    assert route.countries == ["XXX", "YYY", "ZZZ"]
    # 500 km in X and Z at 500-1000 km/day, 500 km in Y at 250-500 km/day; two borders at 0.5-1 day.
    assert (route.days.low, route.days.high) == pytest.approx((0.5 + 1 + 0.5 + 1, 1 + 2 + 1 + 2))
    assert {"rail", "rail_slow_y", "border"} <= route.parameters


def test_land_sequence_drops_slivers_and_anchors_on_the_end_nodes():
    runs = [("XXX", 40.0, 0.0), ("YYY", 0.4, 0.45), ("XXX", 30.0, 0.46), ("ZZZ", 0.3, 0.99)]
    countries, crossings = land_sequence(runs, ("a", "XXX"), ("b", "ZZZ"))
    assert countries == ("XXX", "ZZZ")
    assert [(c.a, c.b, c.node) for c in crossings] == [("XXX", "ZZZ", "b")]
    assert sea_sequence(("p", "XXX"), ("q", "XXX")) == (("XXX",), ())


def test_country_runs_follow_the_line():
    countries = gpd.GeoDataFrame({"iso3": ["XXX", "YYY", "ZZZ"]},
                                 geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1), box(2, 0, 3, 1)], crs="EPSG:4326")
    line = LineString([(2.5, 0.5), (1.5, 0.5), (0.5, 0.5)])
    runs = country_runs(line, countries, shapely.STRtree(countries.geometry.values))
    assert [r[0] for r in runs] == ["ZZZ", "YYY", "XXX"]
    assert [round(r[1]) for r in runs] == [56, 111, 56]


# -- avoidance, status, via ----------------------------------------------------------------------------------------

@pytest.fixture
def triangle():
    """a (X) to c (X): direct through Y (operating), or through b (X, under construction), or a planned line."""
    nodes = {"a": node("XXX"), "b": node("XXX"), "c": node("XXX")}
    legs = [leg("y/ac", "a", "c", 600, nodes, via=("YYY",)),
            leg("k/ab", "a", "b", 400, nodes, status="construction"), leg("k/bc", "b", "c", 400, nodes),
            leg("p/ac", "a", "c", 3000, nodes, status="planned")]
    return router(legs, nodes)


def test_status_levels(triangle):
    assert [r.legs[0].id for r in triangle.routes(triangle.query("a", "c", alternatives=5))] == ["y/ac"]
    construction = triangle.routes(triangle.query("a", "c", status="construction", alternatives=5))
    assert [[leg.id for leg in r.legs] for r in construction] == [["k/ab", "k/bc"], ["y/ac"]]
    assert construction[0].statuses == ["construction"]
    everything = triangle.routes(triangle.query("a", "c", status="all", alternatives=5))
    assert [r.statuses for r in everything] == [["construction"], [], ["planned"]]


def test_avoid_never_crosses_the_country(triangle):
    (route,) = triangle.routes(triangle.query("a", "c", status="all", avoid=["YYY"], alternatives=0))
    assert "YYY" not in {c for leg in route.legs for c in leg.touches()}
    with pytest.raises(RouteError) as err:
        triangle.routes(triangle.query("a", "c", avoid=["yyy"]))
    assert str(err.value) == ("no route from a (A) to c (C) with --status operating --avoid YYY: --avoid YYY cuts "
                              "every route (there is one without it); --status operating cuts every route "
                              "(--status construction has one)")


def test_via_forces_the_node(triangle):
    (route,) = triangle.routes(triangle.query("a", "c", via=["b"], status="construction"))
    assert [leg.id for leg in route.legs] == ["k/ab", "k/bc"]
    with pytest.raises(RouteError, match=r"--via b cuts every route \(there is one without it\)"):
        triangle.routes(triangle.query("a", "c", via=["b"], status="operating"))


def test_via_a_spur_never_doubles_back():
    """a to c through v: the fastest way doubles back (a–c–v–c); the simple one goes a–v–c."""
    nodes = {"a": node("XXX"), "v": node("XXX"), "c": node("XXX")}
    r = router([leg("q/ac", "a", "c", 100, nodes), leg("q/cv", "c", "v", 100, nodes),
                leg("q/av", "a", "v", 2000, nodes)], nodes)
    (route,) = r.routes(r.query("a", "c", via=["v"]))
    assert [(leg.start, leg.end) for leg in route.legs] == [("a", "v"), ("v", "c")]


def test_the_ends_must_not_lie_in_an_avoided_country(triangle):
    with pytest.raises(RouteError) as err:
        triangle.query("a", "c", avoid=["XXX"])
    assert str(err.value) == "FROM a (A) lies in XXX, which --avoid excludes"


def test_unknown_names_list_close_matches(triangle):
    with pytest.raises(RouteError) as err:
        triangle.query("aa", "c")
    assert str(err.value) == "FROM: unknown node 'aa', expected a node id of geo/nodes.csv; close matches: a"
    with pytest.raises(RouteError) as err:
        triangle.query("a", "c", avoid=["YYX"])
    assert str(err.value) == ("--avoid: unknown country 'YYX', expected an ISO3 code of geo/countries.geojson; "
                              "close matches: YYY")
    assert triangle.check_country("yland") == "YYY"
    assert triangle.query("A", "C").start == "a"  # names and ids match case-insensitively


def test_missing_parameters_are_named_not_guessed():
    nodes = {"a": node("XXX"), "b": node("XXX")}
    r = router([leg("w/ab", "a", "b", 100, nodes, mode="road")], nodes, rows=[p for p in PARAMS if p[0] != "road"])
    with pytest.raises(RouteError) as err:
        r.routes(r.query("a", "b"))
    assert str(err.value) == ("no route from a (A) to b (B) with --status operating: the only routes need times "
                              "that routes/parameters.csv does not give: no speed for road on w/ab in XXX")


def test_unconnected_places():
    nodes = {"a": node("XXX"), "b": node("XXX"), "c": node("XXX"), "d": node("XXX")}
    r = router([leg("r/ab", "a", "b", 100, nodes), leg("r/cd", "c", "d", 100, nodes)], nodes)
    with pytest.raises(RouteError, match=r"with --status operating: no rail, road or sea legs connect them$"):
        r.routes(r.query("a", "d"))


# -- ties and distinct alternatives ------------------------------------------------------------------------------

def test_ties_are_broken_by_km_then_segment_ids():
    nodes = {"a": node("XXX"), "b": node("XXX"), "c": node("XXX")}
    legs = [leg("q/ac", "a", "c", 1000, nodes), leg("p/ab", "a", "b", 500, nodes), leg("p/bc", "b", "c", 500, nodes),
            leg("o/ac", "a", "c", 1000, nodes, corridor="o2")]
    r = router(legs, nodes)
    routes = r.routes(r.query("a", "c", alternatives=3))
    assert [[leg.id for leg in x.legs] for x in routes] == [["o/ac"], ["p/ab", "p/bc"], ["q/ac"]]
    assert len({x.days for x in routes}) == 1
    for _ in range(3):  # the same answer every time
        assert [x.legs for x in r.routes(r.query("a", "c", alternatives=3))] == [x.legs for x in routes]


@pytest.fixture
def corridors():
    """a to d: corridor M through X (best), its detour M' (same corridor, same countries, a spur via s),
    corridor N through Y, and a path that doubles back into Y and out again (via y1, y2)."""
    nodes = {"a": node("XXX"), "b": node("XXX"), "s": node("XXX"), "d": node("XXX"), "y1": node("YYY"),
             "y2": node("YYY"), "n": node("YYY")}
    legs = [leg("m/ab", "a", "b", 1000, nodes), leg("m/bd", "b", "d", 5000, nodes),
            leg("m/bs", "b", "s", 3000, nodes), leg("m/sd", "s", "d", 2500, nodes),
            leg("n/an", "a", "n", 3000, nodes), leg("n/nd", "n", "d", 3000, nodes),
            leg("m/ay1", "a", "y1", 600, nodes), leg("m/y1y2", "y1", "y2", 100, nodes),
            leg("m/y2b", "y2", "b", 600, nodes)]
    return router(legs, nodes)


def test_k_alternatives_are_distinct_not_detours(corridors):
    routes = corridors.routes(corridors.query("a", "d", alternatives=3))
    paths = [[leg.id for leg in r.legs] for r in routes]
    assert paths == [["m/ab", "m/bd"], ["n/an", "n/nd"]]
    assert routes[1].countries == ["XXX", "YYY"] and routes[1].border_crossings == 2
    assert len({r.name for r in routes}) == 2
    assert corridors.routes(corridors.query("a", "d", alternatives=0))[0].legs == routes[0].legs


def test_json_shape_and_legs_sum_to_km(corridors):
    for route in corridors.routes(corridors.query("a", "d", alternatives=2)):
        d = route.as_dict()
        assert list(d) == ["name", "km", "days", "border_crossings", "transshipments", "countries", "legs"]
        assert all(list(x) == ["segment", "km", "mode", "status", "countries"] for x in d["legs"])
        assert sum(x["km"] for x in d["legs"]) == pytest.approx(d["km"])
        assert d["days"][0] <= d["days"][1]


def test_parameter_specificity_and_envelope():
    rows = [("d", "speed", "rail", "", "", 100, 200, "km/day"), ("c", "speed", "rail", "", "k", 300, 300, "km/day"),
            ("i", "speed", "rail", "XXX", "", 400, 400, "km/day"),
            ("s1", "speed", "rail", "", "k/ab", 500, 600, "km/day"),
            ("s2", "speed", "rail", "", "k/ab", 550, 800, "km/day"),
            ("h", "speed", "rail", "", "", 10, 20, "km/h")]
    p = params(rows)
    assert p.lookup("speed", segment=["k/ab"], corridors=["k"], iso3=["XXX"], modes=["rail"]) == (
        500, 800, frozenset({"s1", "s2"}))
    assert p.lookup("speed", segment=["k/zz"], corridors=["k"], iso3=["XXX"], modes=["rail"])[:2] == (300, 300)
    assert p.lookup("speed", corridors=["z"], iso3=["XXX"], modes=["rail"])[:2] == (400, 400)
    assert p.lookup("speed", iso3=["QQQ"], modes=["rail"]) == (100, 480, frozenset({"d", "h"}))  # 20 km/h = 480/day
    assert p.lookup("speed", modes=["road"]) is None


# -- the real network ----------------------------------------------------------------------------------------------

def test_real_network(layers):
    net = build_network(layers)
    assert {leg.mode for leg in net.legs.values()} <= {"rail", "road", "sea"}
    # The same Dostyk–Aktogay track in two files is one edge, drawn by both corridors.
    shared = net.legs["titr/dostyk_aktogay"]
    assert shared.also == ("northern_route/dostyk_aktogay",) and "northern_route" in shared.drawn_by
    assert "northern_route/dostyk_aktogay" not in net.legs
    meghri = net.legs["zangezur/meghri_section"]
    assert meghri.countries == ("AZE", "ARM", "AZE") and len(meghri.crossings) == 2
    assert [(c.a, c.b) for c in net.legs["btk/alat_tbilisi"].crossings] == [("AZE", "GEO")]
    assert net.legs["titr/aktau_alat"].crossings[0].ferry
    assert net.legs["titr/kuryk_alat"].countries == ("KAZ", "AZE")
    assert not net.legs["north_south/samur_alat"].crossings[0].ferry  # coastal rail is not at sea
    for leg in net.legs.values():
        assert sum(leg.km_by_country.values()) == pytest.approx(leg.km, abs=0.5)


def test_a_router_for_drawing_pickles_without_networkx(layers, tmp_path):
    """The build's workers only draw routes: the router they get has the legs, nodes and parameters but no
    graph, and a fresh interpreter unpickles it (and the network package) without importing networkx."""
    router = Router(build_network(layers), parameters_of(layers.atlas))
    drawing = router.for_drawing()
    assert drawing.network.graph is None and router.network.graph is not None
    assert drawing.network.legs is router.network.legs and drawing.params is router.params
    (tmp_path / "router.pickle").write_bytes(pickle.dumps(drawing))
    code = ("import pickle, sys; r = pickle.loads(open(sys.argv[1], 'rb').read()); "
            "print(len(r.network.legs), 'networkx' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "router.pickle")], capture_output=True,
                         text=True, check=True).stdout.split()
    assert out == [str(len(router.network.legs)), "False"]
    with pytest.raises(AssertionError, match="does not route"):
        drawing.check_node("baku", "from")
