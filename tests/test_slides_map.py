"""Slides as printed maps: the scale bar (checked against geodesic distance and in the pixels), the locator inset,
the countries crossed emphasised and named, every label apart from the others, the inset and the scale bar."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

import numpy as np
import pytest
import shapely
from PIL import Image
from pypdf import PdfReader
from pyproj import Geod, Transformer

from corridormap import style
from corridormap.render.slides import Area, Dot, Text, overlaps, parse_size, render_slides, slide_scene
from corridormap.render.slides.furniture import FRAME_COLOR, atlas_frame

GEOD = Geod(ellps="WGS84")
SIZES = ["16:9", "4:3", "square"]


@pytest.fixture(scope="module")
def zangezur(layers, tmp_path_factory):
    out = tmp_path_factory.mktemp("zangezur")
    render_slides(layers, out, corridors=["zangezur", None])
    return out


def pixels(path) -> np.ndarray:
    with Image.open(path) as img:
        return np.asarray(img.convert("RGB"), dtype=float) / 255


def rgb(color: str) -> np.ndarray:
    return np.array([int(color[i:i + 2], 16) for i in (1, 3, 5)]) / 255


def map_texts(scene) -> list[str]:
    return [t.text for t in scene.map_items if isinstance(t, Text)]


@pytest.mark.parametrize("size", ["16:9", "square"])
@pytest.mark.parametrize("cid", [None, "zangezur", "btc", "igdir_nakhchivan_gas", "northern_route"])
def test_scale_bar_measures_the_ground(layers, cid, size):
    """The bar's pixel length, laid across the frame's centre, spans its km as a geodesic (WGS84) distance."""
    scene = slide_scene(layers, cid, size=parse_size(size))
    bar = scene.scale_bar
    mantissa = bar.km / 10 ** math.floor(math.log10(bar.km))
    assert mantissa in (1, 2, 5), bar.km
    fx0, fy0, fx1, fy1 = scene.frame
    m_per_px = (fx1 - fx0) / (scene.map_box[2] - scene.map_box[0])
    cx, cy = (fx0 + fx1) / 2, (fy0 + fy1) / 2
    half = bar.px / 2 * m_per_px
    to_ll = Transformer.from_crs(scene.crs, "EPSG:4326", always_xy=True)
    (lon0, lon1), (lat0, lat1) = to_ll.transform([cx - half, cx + half], [cy, cy])
    metres = GEOD.inv(lon0, lat0, lon1, lat1)[2]
    assert metres == pytest.approx(bar.km * 1000, rel=0.005), (cid, size, bar)
    assert bar.lat == pytest.approx(to_ll.transform(cx, cy)[1])
    assert 0.06 < bar.px / (scene.map_box[2] - scene.map_box[0]) <= 0.2


def test_scale_bar_pixels_have_its_length(zangezur, layers):
    """In the PNG, the bar's dark outline runs exactly the scene's pixel length along its middle row."""
    scene = slide_scene(layers, "zangezur")
    bar = scene.scale_bar
    img = pixels(zangezur / "zangezur.png")
    row = img[round(bar.y + 1.2), :, :].max(axis=1)  # inside the bar's lower half: dark segments, white ones
    x0 = int(bar.x) - 6
    dark = np.nonzero(row[x0:int(bar.x + bar.px) + 6] < 0.35)[0] + x0
    assert dark.size, "the bar is drawn"
    assert dark.max() - dark.min() == pytest.approx(bar.px, abs=2.0)
    assert np.count_nonzero(row[int(bar.x):int(bar.x + bar.px)] < 0.35) > bar.px / 2 - 4, "half of it is dark"


def test_every_slide_has_a_scale_bar_and_regional_ones_an_inset(layers):
    crs, extent = atlas_frame(layers)
    for cid in [None, *layers.corridors["id"]]:
        scene = slide_scene(layers, cid)
        bx0, by0, bx1, by1 = scene.map_box
        for b in filter(None, [scene.scale_bar.box, scene.inset]):
            assert bx0 <= b[0] and b[2] <= bx1 and by0 <= b[1] and b[3] <= by1, (cid, b)
        if scene.inset is not None:
            assert not overlaps(scene.inset, scene.scale_bar.box), cid
        texts = map_texts(scene)
        assert f"{scene.scale_bar.km:g} km" in texts, cid
        if cid is None:
            assert scene.inset is None, "the atlas is its own locator"
    for cid in ("zangezur", "btc", "btk", "igdir_nakhchivan_gas", "caspian_fibre"):
        assert slide_scene(layers, cid).inset is not None, cid


def test_inset_marks_the_slide_frame(zangezur, layers):
    """The red frame on the inset surrounds where the Zangezur frame's centre lies on the atlas's extent."""
    scene = slide_scene(layers, "zangezur")
    x0, y0, x1, y1 = (round(v) for v in scene.inset)
    img = pixels(zangezur / "zangezur.png")[y0:y1, x0:x1]
    red = np.abs(img - rgb(FRAME_COLOR)).max(axis=2) < 0.12
    assert red.sum() > 20
    ys, xs = np.nonzero(red)
    crs, (ex0, ey0, ex1, ey1) = atlas_frame(layers)
    fx0, fy0, fx1, fy1 = scene.frame
    lon, lat = Transformer.from_crs(scene.crs, "EPSG:4326", always_xy=True).transform((fx0 + fx1) / 2,
                                                                                      (fy0 + fy1) / 2)
    ax, ay = Transformer.from_crs("EPSG:4326", crs, always_xy=True).transform(lon, lat)
    px = (ax - ex0) / (ex1 - ex0) * (x1 - x0)
    py = (ey1 - ay) / (ey1 - ey0) * (y1 - y0)
    assert xs.min() < px < xs.max() and ys.min() < py < ys.max()
    assert xs.max() - xs.min() < (x1 - x0) / 3, "a small frame on a regional inset"


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("cid", [None, "zangezur", "btc", "titr", "lapis_lazuli"])
def test_labels_apart_from_each_other_the_inset_and_the_scale_bar(layers, cid, size):
    scene = slide_scene(layers, cid, size=parse_size(size))
    x0, y0, x1, y1 = scene.map_box
    names = [p for p in scene.placed if p.kind != "node"]
    assert names, "places are named"
    for i, a in enumerate(scene.labels):
        assert x0 <= a[0] and a[2] <= x1 and y0 <= a[1] and a[3] <= y1, a
        assert not any(overlaps(a, b) for b in scene.labels[i + 1:]), a
        assert not any(overlaps(a, r) for r in scene.reserved), a
    markers = [shapely.Point(d.x, d.y).buffer(d.r) for d in scene.map_items if isinstance(d, Dot)]
    for p in names:
        assert not any(m.intersects(shapely.box(*p.bounds)) for m in markers), p


@pytest.mark.parametrize("size", SIZES)
def test_zangezur_names_armenia_and_iran_and_emphasises_the_countries_crossed(layers, size):
    scene = slide_scene(layers, "zangezur", size=parse_size(size))
    kinds = {p.text: p.kind for p in scene.placed}
    assert kinds.get("Armenia") == "country_focus" and kinds.get("Azerbaijan") == "country_focus"
    assert kinds.get("Georgia") == "country", "a neighbour, named in the quieter style"
    # Iran: the measure counts 99 km of the Araz lines in Iran (the simplified border cuts the river's meanders)
    assert kinds.get("Iran") in ("country", "country_focus")
    texts = {t.text: t for t in scene.map_items if isinstance(t, Text)}
    assert texts["Armenia"].bold and not texts["Georgia"].bold
    assert texts["Armenia"].size > texts["Georgia"].size
    focus = [a for a in scene.map_items if isinstance(a, Area) and a.fill == style.FOCUS_LAND]
    assert len(focus) == len(layers.corridor("zangezur")["countries"].split(";")), "each country crossed"


def test_place_names_are_text_in_svg_and_pdf(zangezur):
    root = ET.parse(zangezur / "zangezur.svg").getroot()
    texts = ["".join(el.itertext()) for el in root.iter() if el.tag.endswith("text")]
    assert "Armenia" in texts and "Iran" in texts
    page = PdfReader(zangezur / "zangezur.pdf").pages[0].extract_text()
    assert "Armenia" in page and "Iran" in page and "km" in page


def test_emphasis_shows_in_the_pixels(zangezur, layers):
    """Armenia's interior is painted in the emphasis tone; Georgia's (a neighbour) in plain land."""
    scene = slide_scene(layers, "zangezur")
    img = pixels(zangezur / "zangezur.png")
    boxes = {p.text: p.bounds for p in scene.placed}

    def tone_near(name):  # the pixels around the label, whose panel-less text leaves the land visible
        x0, y0, x1, y1 = (round(v) for v in boxes[name])
        patch = img[y0:y1, x0:x1].reshape(-1, 3)
        return {c: int((np.abs(patch - rgb(c)).max(axis=1) < 0.01).sum()) for c in (style.FOCUS_LAND, style.LAND)}

    armenia, georgia = tone_near("Armenia"), tone_near("Georgia")
    assert armenia[style.FOCUS_LAND] > armenia[style.LAND]
    assert georgia[style.LAND] > georgia[style.FOCUS_LAND]


@pytest.mark.parametrize(("size", "names"), [("16:9", ["Caspian Sea", "Black Sea"]),
                                             ("4:3", ["Caspian Sea", "Black Sea"]), ("square", ["Black Sea"])])
def test_atlas_names_the_caspian_and_black_seas_on_water(layers, size, names):
    """Sea names from geo/labels.csv, set on water (at most half over a coast, where the sea is narrow at the
    atlas's scale), apart from everything else. (On a square atlas the Caspian is 35 px wide and crowded with
    port labels: the node labels keep it.)"""
    scene = slide_scene(layers, None, size=parse_size(size))
    seas = {p.text: p for p in scene.placed if p.kind == "sea"}
    assert set(names) <= set(seas), sorted(seas)
    land = [shapely.Polygon(r) for a in scene.map_items if isinstance(a, Area)
            and a.fill in (style.LAND, style.FOCUS_LAND) for r in a.rings if len(r) > 2]
    land = shapely.union_all(shapely.make_valid(land))
    for name in names:
        b = shapely.box(*seas[name].bounds)
        assert b.intersection(land).area / b.area < 0.5, name


def test_place_names_from_the_labels_table_in_svg_and_pdf(zangezur):
    """The atlas slide's SVG and PDF carry "Caspian Sea" as text (two lines where the sea is narrow)."""
    root = ET.parse(zangezur / "atlas.svg").getroot()
    svg = " ".join("".join(el.itertext()) for el in root.iter() if el.tag.endswith("text"))
    pdf = PdfReader(zangezur / "atlas.pdf").pages[0].extract_text()
    for text in (svg, pdf):
        flat = " ".join(text.split())
        assert "Caspian Sea" in flat or ("Caspian" in flat and "Sea" in flat), flat[:300]
        assert "Black Sea" in flat


def test_rivers_are_drawn_and_named_along_their_line(layers):
    """The Aras (geo/rivers.geojson) is drawn on the Zangezur slide and its name follows it, off the route."""
    from corridormap.render.slides import Line

    scene = slide_scene(layers, "zangezur")
    rivers = [i for i in scene.map_items if isinstance(i, Line) and i.role == "river"]
    assert rivers, "the Aras is drawn"
    name = next(t for t in scene.map_items if isinstance(t, Text) and t.text == "Aras")
    assert name.italic
    line = shapely.MultiLineString([r.points for r in rivers])
    x0, y0, x1, y1 = name.bounds()
    assert line.distance(shapely.Point((x0 + x1) / 2, (y0 + y1) / 2)) < 25, "beside its river"
    routes = [shapely.LineString(i.points) for i in scene.map_items if isinstance(i, Line) and i.role == "route"
              and len(i.points) > 1]
    assert not any(r.intersects(shapely.box(x0, y0, x1, y1)) for r in routes)


def test_towns_named_are_capitals_or_near_the_routes_and_not_twice(layers):
    scene = slide_scene(layers, "btc")
    towns = [p for p in scene.placed if p.kind in ("capital", "city")]
    nodes = {p.text for p in scene.placed if p.kind == "node"}
    assert {"Tbilisi", "Yerevan"} <= {p.text for p in towns if p.kind == "capital"}
    assert not nodes & {p.text for p in towns}, "a node's label is not repeated as a town"
    assert all("(" not in p.text for p in towns)


def test_subtitle_gives_the_pipeline_and_its_feeder_and_names_the_countries(layers, capsys, root):
    """The BTC slide's subtitle gives the pipeline and the tanker feeder apart, as `corridormap info` does."""
    from corridormap.cli import main

    subtitle = slide_scene(layers, "btc").page_items[1].text
    assert main(["--root", str(root), "info"]) == 0
    info = capsys.readouterr().out.split("\nbtc — ", 1)[1].split("\n\n", 1)[0]
    pipeline = info.split("\n  pipeline", 1)[1].split(" km", 1)[0].strip()
    feeder = info.split("+ feeder, sea", 1)[1].split(" km", 1)[0].strip()
    assert f"pipeline {pipeline} km + sea feeder {feeder} km" in subtitle, (subtitle, pipeline, feeder)
    assert "Azerbaijan" in subtitle and "Georgia" in subtitle


def test_compose_scene_for_any_set_of_lines(layers, tmp_path):
    """The scene API other slides build on: arbitrary highlighted lines, a title, side text, sources."""
    import geopandas as gpd
    from shapely.geometry import LineString

    from corridormap.render.slides import SlideContent, compose_scene, save_scene

    lines = gpd.GeoDataFrame(
        {"group": ["Route A", "Route B"], "color": ["#d62728", "#1f77b4"], "status": ["operating", "planned"],
         "mode": ["rail", "sea"], "tonnes": [float("nan"), 5e6], "from": ["baku", None], "to": [None, None],
         "source": ["test", "test"]},
        geometry=[LineString([(49.87, 40.41), (44.79, 41.69), (43.1, 40.6)]),
                  LineString([(50.3, 40.2), (51.2, 41.5), (51.2, 43.6)])], crs="EPSG:4326")
    content = SlideContent("Two routes compared", "A subtitle", lines, ["Route A: 1 day", "Route B: 2 days"],
                           "Sources: test.", about="Why these two.", figures_title="Days")
    scene = compose_scene(layers, content, size=parse_size("4:3"))
    texts = [t.text for t in scene.page_items if isinstance(t, Text)]
    assert {"Two routes compared", "A subtitle", "Days", "Route A", "Route B", "Why these two."} <= set(texts)
    assert {p.text for p in scene.placed if p.kind == "country_focus"} >= {"Azerbaijan", "Georgia"}
    assert scene.scale_bar is not None and scene.inset is not None
    assert "Baku" in {p.text for p in scene.placed if p.kind == "node"}, "the lines' nodes are marked"
    assert save_scene(scene, tmp_path / "routes.png").stat().st_size > 10_000
