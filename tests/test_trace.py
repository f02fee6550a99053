"""Traced geometry against its reference (tests/data/reference/, derived by tools/trace.py), the tracer's graph
on small networks, and the licences that travel with the traced segments into exports, maps and slides."""

from __future__ import annotations

import html
import json
import re
import sys
from pathlib import Path

import numpy as np
import pyogrio
import pytest
import shapely
from pyproj import Transformer
from shapely.geometry import LineString, Point, shape

from corridormap import schema, style
from corridormap.export import export

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import trace_graph as tg  # noqa: E402
import trace_ref as ref  # noqa: E402

SAMPLE = ROOT / "tests/data/reference/reference.geojson"
MEDIAN_M, WORST_M, STATION_M, CONNECTOR_M = 1000.0, 3000.0, 2000.0, 5000.0

#: Rail segments in a reference's country box that are not traced, and why (the closing note lists them too).
NOT_TRACED = {
    "btk/akhalkalaki_kars": "Kars lies west of the Azerbaijan extract's box (lon 43.21); no Turkish ways in it",
    "btk/tbilisi_akhalkalaki": "the Azerbaijan extract's box ends at lon 44.77: its ways stop short of the line",
    "titr/tbilisi_samtredia": "west of Tbilisi the line leaves the Azerbaijan extract's box; no Georgian ways",
    "zangezur/meghri_section": "no track: the Soviet line through Meghri was dismantled; the rebuild is planned",
    "zangezur/sadarak_dilucu": "no track yet: the Kars–Dilucu line was begun in 2025; OSM has no way there",
    "zangezur/dilucu_kars": "under construction in Türkiye, outside the extract's box; OSM has no way",
    "north_south/astara_rasht": "not built (construction expected from 2026); OSM has no track or station",
    "lapis_lazuli/herat_torghundi": "a road segment (the Herat–Torghundi railway is only agreed)",
    "aras_route/jolfa_julfa": "a comparison layer drawn by tools/make_alternative_routes.py, not by tools/trace.py",
    "middle_corridor/istanbul_kapikule": "through OSM stations by tools/make_alternative_routes.py; the Bulgaria "
                                         "extract's box holds Turkish Thrace but not Istanbul",
    "iran_rail/gorgan_tehran": "a comparison layer (tools/make_alternative_routes.py, through OSM stations); the "
                               "Turkmenistan extract's ways stop at lon 52.5, short of Tehran",
}
#: Only built or building track has a reference; a road, or a line only planned or proposed, has none.
REFERENCED = {"mode": ("rail", "pipeline"), "status": ("operating", "construction", "suspended")}


def referenced(p: dict) -> bool:
    return p["mode"] in REFERENCED["mode"] and p["status"] in REFERENCED["status"]


def sample() -> dict[str, dict]:
    return {f["properties"]["segment"]: f for f in json.loads(SAMPLE.read_text(encoding="utf-8"))["features"]}


def committed() -> dict[str, dict]:
    out = {}
    for path in sorted((ROOT / "routes").glob("*.geojson")):
        for f in json.loads(path.read_text(encoding="utf-8"))["features"]:
            out[f"{f['properties']['corridor']}/{f['properties']['segment']}"] = f
    return out


def local(coords) -> Transformer:
    arr = np.asarray(coords)
    lon0, lat0 = (arr.min(axis=0) + arr.max(axis=0)) / 2
    return Transformer.from_crs("EPSG:4326", f"+proj=aeqd +lat_0={lat0} +lon_0={lon0} +datum=WGS84 +units=m",
                                always_xy=True)


def project(tx: Transformer, coords) -> np.ndarray:
    arr = np.asarray(coords, dtype=float)
    return np.column_stack(tx.transform(arr[:, 0], arr[:, 1]))


def deviations(line_coords, track: dict, step: float = 250.0) -> np.ndarray:
    """Metres from each point of the line (every *step* m) to the nearest reference line."""
    tx = local(line_coords)
    line = LineString(project(tx, line_coords))
    pts = shapely.line_interpolate_point(line, np.linspace(0, line.length, max(2, int(line.length // step) + 1)))
    ref_lines = shapely.multilinestrings([LineString(project(tx, part)) for part in track["coordinates"]])
    return shapely.distance(pts, ref_lines)


TRACKS = [k for k, f in sample().items() if f["properties"]["method"] in ("ways", "pipeline")]
STATIONS = [k for k, f in sample().items() if f["properties"]["method"] == "stations"]


@pytest.mark.parametrize("sid", TRACKS)
def test_traced_segment_follows_its_reference(sid):
    ref_f, seg = sample()[sid], committed()[sid]
    p, coords = seg["properties"], seg["geometry"]["coordinates"]
    gaps = ref_f["properties"]["connectors_m"]
    track_part = coords[1 if gaps[0] else 0: len(coords) - 1 if gaps[1] else len(coords)]
    d = deviations(track_part, ref_f["geometry"])
    assert np.median(d) <= MEDIAN_M, f"{sid}: median {np.median(d):.0f} m from the reference track"
    assert d.max() <= WORST_M, f"{sid}: {d.max():.0f} m from the reference track at worst"
    assert p["accuracy"] == "high" and p["licence"] == ref_f["properties"]["licence"]
    assert ref_f["properties"]["commit"][:12] in p["source"] and ref_f["properties"]["repository"] in p["source"]
    for gap, end in zip(gaps, ("from", "to")):
        assert gap <= CONNECTOR_M, f"{sid}: the {end} node is {gap} m from the track"
        if gap > 1000:
            assert f"{p[end]} lies {gap / 1000:.1f} km from the track" in p["note"]


@pytest.mark.parametrize("sid", STATIONS)
def test_station_routed_segment_passes_every_station_it_claims(sid):
    ref_f, seg = sample()[sid], committed()[sid]
    p, coords = seg["properties"], seg["geometry"]["coordinates"]
    tx = local(coords)
    line = LineString(project(tx, coords))
    stations = project(tx, ref_f["geometry"]["coordinates"])
    far = [(n, round(line.distance(Point(xy)))) for n, xy in zip(ref_f["properties"]["names"], stations)
           if line.distance(Point(xy)) > STATION_M]
    assert not far, f"{sid}: stations farther than {STATION_M:g} m: {far}"
    assert p["accuracy"] == "medium" and "OpenStreetMap railway stations" in p["note"]
    claimed = [v for v in p["via"].split("; ") if v]
    assert claimed and set(claimed) <= set(ref_f["properties"]["names"])
    assert p["licence"] == ref.OSM_LICENCE


def test_no_low_accuracy_segment_where_a_reference_exists():
    traced = sample()
    for sid, f in committed().items():
        if f["properties"]["accuracy"] == "low" and referenced(f["properties"]):
            assert sid not in traced and sid in NOT_TRACED, f"{sid} is low accuracy, and no reason is recorded"


def boxes() -> list[shapely.Polygon]:
    """The boxes of the OSM way extracts (the sample's foreign member ``extracts``)."""
    extracts = json.loads(SAMPLE.read_text(encoding="utf-8"))["extracts"]
    assert {"azerbaijan", "turkmenistan", "afghanistan"} <= set(extracts)
    return [shapely.box(*b) for b in extracts.values()]


def test_every_rail_segment_inside_an_extract_is_traced_or_has_a_reason():
    traced = sample()
    for sid, f in committed().items():
        line = shape(f["geometry"])
        if f["properties"]["mode"] != "rail" or not referenced(f["properties"]):
            continue
        inside = max(line.intersection(b).length for b in boxes()) / line.length
        if inside > 0.5:
            assert sid in traced or sid in NOT_TRACED, f"{sid}: {inside:.0%} inside an OSM way extract, not traced"


# --- the tracer on small networks ----------------------------------------------------------------------------

def test_touching_ways_join_but_a_gap_is_bridged_only_when_allowed():
    a = [(50.0, 40.0), (50.1, 40.0)]
    b = [(50.1002, 40.0), (50.2, 40.0)]  # 17 m from a's end: touching
    c = [(50.2015, 40.0), (50.3, 40.0)]  # 128 m gap
    path = tg.way_path([a, b], [(50.0, 40.001), (50.2, 40.001)])
    assert path.coords[0] == a[0] and path.coords[-1] == b[-1] and not path.bridges
    with pytest.raises(tg.TraceError):
        tg.way_path([a, b, c], [(50.0, 40.0), (50.3, 40.0)])
    bridged = tg.way_path([a, b, c], [(50.0, 40.0), (50.3, 40.0)], bridge_m=200)
    assert len(bridged.bridges) == 1 and 120 < bridged.bridges[0] < 135


def test_shortest_path_through_via_and_off_a_siding():
    main = [(60.0, 40.0), (60.5, 40.0), (61.0, 40.0)]
    loop = [(60.0, 40.0), (60.5, 40.3), (61.0, 40.0)]
    siding = [(59.99, 40.01), (59.995, 40.012)]  # nearer the start node, but not connected to the main line
    assert tg.way_path([main, loop, siding], [(59.99, 40.011), (61.0, 40.0)]).coords == main
    assert tg.way_path([main, loop], [(60.0, 40.0), (60.5, 40.29), (61.0, 40.0)]).coords == loop


def test_simplify_keeps_every_dropped_vertex_within_the_tolerance():
    wiggly = [(70 + i / 1000, 45 + 0.0003 * np.sin(i / 3)) for i in range(600)]
    simple = tg.simplify(wiggly, 100.0)
    assert 2 <= len(simple) < len(wiggly)
    tx = local(wiggly)
    assert LineString(project(tx, simple)).hausdorff_distance(LineString(project(tx, wiggly))) <= 100.5


def test_station_chain_follows_the_line_not_the_neighbouring_one():
    line = [ref.Station(i, 70 + i * 0.1, 45.0, f"s{i}") for i in range(1, 10)]
    neighbour = [ref.Station(100 + i, 70.05 + i * 0.2, 45.12, f"n{i}") for i in range(5)]  # ~13 km north
    chain = tg.station_path(line + neighbour, (70.0, 45.0), (71.0, 45.0), [(70.0, 45.0), (71.0, 45.06)])
    assert [s.name for s in chain] == [f"s{i}" for i in range(1, 10)]


def test_station_chain_through_a_named_station_takes_the_longer_line():
    short = [ref.Station(i, 70 + i * 0.1, 45.0, f"s{i}") for i in range(1, 10)]
    long = [ref.Station(100 + i, 70 + i * 0.1, 45.3 - abs(i - 5) * 0.06, f"l{i}") for i in range(1, 10)]
    plain = tg.station_path(short + long, (70.0, 45.0), (71.0, 45.0), [(70.0, 45.0), (71.0, 45.0)],
                            corridor_m=40000)
    assert [s.name for s in plain] == [s.name for s in short]
    via = tg.station_path_via(short + long, (70.0, 45.0), [long[4]], (71.0, 45.0), corridor_m=40000)
    assert [s.name for s in via] == [s.name for s in long]


# --- licences ------------------------------------------------------------------------------------------------

def test_licence_credits_name_each_reference_once():
    assert style.licence_credits([]) == ""
    text = style.licence_credits([ref.OSM_LICENCE, ref.OSM_LICENCE, ref.GEM_LICENCE, ""])
    assert text.count("© OpenStreetMap contributors (ODbL)") == 1 and "Global Energy Monitor (CC BY 4.0)" in text
    assert set(schema.LICENCES) == {ref.OSM_LICENCE, ref.GEM_LICENCE}


def test_segment_popup_names_its_licence(layers):
    from corridormap.render.popups import segment_html

    seg = layers.segments.set_index("id").loc["btc/sangachal_ceyhan"]
    assert "CC BY 4.0, Global Energy Monitor" in segment_html(seg, {}, {})
    fibre = layers.segments[layers.segments["corridor"] == "caspian_fibre"].iloc[0]
    assert "Licence" not in segment_html(fibre, {}, {})


def test_unknown_licence_is_bad_input(repo):
    import corridormap as cm

    path = repo / "routes/btc.geojson"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["features"][0]["properties"]["licence"] = "public domain, probably"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(cm.DataError) as err:
        cm.validate(cm.load(repo))
    assert "routes/btc.geojson" in str(err.value) and "licence" in str(err.value) and "probably" in str(err.value)


@pytest.fixture(scope="module")
def gis(layers, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("gis")
    export(layers, out)
    return out


def test_exports_carry_each_segments_licence(gis, layers):
    gpkg = pyogrio.read_dataframe(gis / "corridormap.gpkg", layer="segments", read_geometry=False)
    traced = {sid: f["properties"]["licence"] for sid, f in sample().items()}
    got = {f"{r['corridor']}/{r['segment']}": r["licence"] for _, r in gpkg.iterrows()}
    assert {k: got[k] for k in traced} == traced
    btc = pyogrio.read_dataframe(gis / "btc.geojson", read_geometry=False)
    assert dict(zip(btc["segment"], btc["licence"].fillna("")))["sangachal_ceyhan"] == ref.GEM_LICENCE


def test_slide_source_line_credits_the_references(layers, tmp_path):
    from corridormap.render.slides import render_slides

    render_slides(layers, tmp_path, corridors=["btc", "caspian_fibre"], formats=("svg",))
    def text(name: str) -> str:  # the SVG keeps text as text; wrapped lines joined again
        svg = (tmp_path / f"{name}.svg").read_text(encoding="utf-8")
        return html.unescape(" ".join(re.findall(r"<text[^>]*>([^<]*)</text>", svg)))

    btc = text("btc")
    assert "Route geometry: Global Energy Monitor (CC BY 4.0)." in btc and "OpenStreetMap contributors" not in btc
    assert "Route geometry" not in text("caspian_fibre")


@pytest.mark.browser
def test_map_attribution_credits_the_references(layers, browser, tmp_path):
    from corridormap.render.html import prepare, write_atlas, write_embed

    prepare(layers)
    pages = {"atlas": write_atlas(layers, tmp_path), "btc": write_embed(layers, "btc", tmp_path),
             "caspian_fibre": write_embed(layers, "caspian_fibre", tmp_path)}
    texts = {}
    for name, path in pages.items():
        page = browser.new_page()
        page.goto(path.as_uri())
        texts[name] = page.locator(".cm-src, details").all_text_contents()
        page.close()
    atlas = " ".join(texts["atlas"])
    assert "© OpenStreetMap contributors (ODbL)" in atlas and "Global Energy Monitor (CC BY 4.0)" in atlas
    assert "Global Energy Monitor (CC BY 4.0)" in " ".join(texts["btc"])
    assert "Route geometry" not in " ".join(texts["caspian_fibre"])
