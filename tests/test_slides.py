"""Slide images read back as users get them: pixels, SVG XML, PDF pages; the deck through python-pptx."""

from __future__ import annotations

import hashlib
import io
import re
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from PIL import Image
from pptx import Presentation
from pypdf import PdfReader

from corridormap.cli import main
from corridormap.render.deck import write_deck
from corridormap.render.slides import Area, Line, Text, overlaps, paint, parse_size, render_slides, slide_scene


@pytest.fixture(scope="module")
def slides(layers, tmp_path_factory):
    out = tmp_path_factory.mktemp("slides")
    render_slides(layers, out, corridors=[None, "btc", "zangezur"])
    return out


def rgb(color: str) -> np.ndarray:
    return np.array([int(color[i:i + 2], 16) for i in (1, 3, 5)]) / 255


def pixels(path) -> np.ndarray:
    """The PNG as users' tools read it: RGB floats in 0..1."""
    with Image.open(path) as img:
        return np.asarray(img.convert("RGB"), dtype=float) / 255


@pytest.mark.parametrize("name", ["atlas", "btc", "zangezur"])
def test_png_size_not_blank_and_corridor_colour_present(slides, layers, name):
    img = pixels(slides / f"{name}.png")
    assert img.shape[:2] == (1080, 1920)
    assert img.std() > 0.05
    color = layers.corridors.set_index("id").loc["btc" if name == "atlas" else name, "color"]
    close = np.abs(img - rgb(color)).max(axis=2) < 0.1  # lines are drawn at 0.9-0.95 opacity, antialiased
    assert close.sum() > 300, f"{color} covers only {close.sum()} pixels"


def test_svg_parses_and_has_the_title(slides, layers):
    root = ET.parse(slides / "btc.svg").getroot()
    assert root.tag.endswith("svg")
    text = (slides / "btc.svg").read_text(encoding="utf-8")
    title = layers.corridors.set_index("id").loc["btc", "name"]
    assert title in text
    texts = ["".join(el.itertext()) for el in root.iter() if el.tag.endswith("text")]
    assert title in texts, "the title is an SVG text element (selectable, searchable)"


def test_pdf_one_page_16_9(slides):
    reader = PdfReader(slides / "btc.pdf")
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) / float(box.height) == pytest.approx(16 / 9, rel=1e-3)
    assert "Aktau" in reader.pages[0].extract_text(), "labels are real text with an embedded font"


def test_pdf_draws_its_lines_and_areas_on_a_quarter_pixel_grid(slides):
    """The PDF's path points are quarter pixels (its page is drawn in pixels under a 0.72 scale): it prints
    ``512.25``, not ``512.34567``. Nearly every ``x y m`` / ``x y l`` operand pair is on that grid (the rest
    start circles and rounded boxes, which Skia draws itself)."""
    content = PdfReader(slides / "btc.pdf").pages[0].get_contents().get_data().decode("latin-1")
    points = re.findall(r"(-?[\d.]+) (-?[\d.]+) [ml]\n", content)
    assert len(points) > 2_000
    quarters = np.array(points, float) * 4
    assert np.isclose(quarters, np.round(quarters), atol=1e-3).all(axis=1).mean() > 0.97

def test_same_data_gives_byte_identical_images(layers, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for out in (a, b):
        render_slides(layers, out, corridors=["zangezur"])
    for fmt in ("png", "svg", "pdf"):
        digest = [hashlib.sha256((d / f"zangezur.{fmt}").read_bytes()).hexdigest() for d in (a, b)]
        assert digest[0] == digest[1], fmt


def test_png_encoder_gives_one_stream_for_one_image(slides):
    """zlib-ng's deflate, encoded 40 times over (in threads too, as a caller might), gives the same bytes, and
    the image reads back pixel for pixel."""
    rgb = (pixels(slides / "atlas.png") * 255).round().astype(np.uint8)
    with ThreadPoolExecutor(4) as pool:
        streams = set(pool.map(lambda _: paint.encode_png(rgb), range(40)))
    assert len(streams) == 1
    with Image.open(io.BytesIO(streams.pop())) as img:
        assert np.array_equal(np.asarray(img.convert("RGB")), rgb)


def test_scale_2_and_other_sizes(layers, tmp_path):
    render_slides(layers, tmp_path, corridors=["btk"], scale=2, formats=["png"])
    assert pixels(tmp_path / "btk.png").shape[:2] == (2160, 3840)
    render_slides(layers, tmp_path / "sq", corridors=["btk"], size=parse_size("square"), formats=["png"])
    assert pixels(tmp_path / "sq" / "btk.png").shape[:2] == (1080, 1080)


def test_bad_size_is_a_clear_error(capsys, root):
    assert main(["--root", str(root), "slides", "--size", "huge"]) == 2
    assert "Error: --size: expected WIDTHxHEIGHT in pixels (200..10000) or one of 16:9, 4:3, square, " \
           "found 'huge'" in capsys.readouterr().err


def test_deck(layers, slides, tmp_path):
    images = {cid: slides / "btc.png" for cid in layers.corridors["id"]}
    path = write_deck(layers, images, tmp_path / "deck.pptx", as_of="2025")
    prs = Presentation(str(path))
    assert len(prs.slides) == len(layers.corridors) + 1
    for slide, (_, corridor) in zip(list(prs.slides)[1:], layers.corridors.iterrows()):
        kinds = {shape.shape_type for shape in slide.shapes}
        assert any(s.shape_type == 13 for s in slide.shapes), "a picture"
        assert any(s.has_table for s in slide.shapes if hasattr(s, "has_table")), kinds
        assert slide.shapes.title.text == corridor["name"]
        notes = slide.notes_slide.notes_text_frame.text
        assert "Sources:" in notes and "Natural Earth" in notes


def test_labels_never_overlap(layers):
    for cid in (None, "titr", "zangezur"):
        scene = slide_scene(layers, cid)
        assert len(scene.labels) >= 5, cid
        for i, a in enumerate(scene.labels):
            assert not any(overlaps(a, b) for b in scene.labels[i + 1:]), cid
        x0, y0, x1, y1 = scene.map_box
        assert all(x0 <= a[0] and a[2] <= x1 and y0 <= a[1] and a[3] <= y1 for a in scene.labels), cid


def test_labels_leave_the_meghri_section_visible(layers):
    """On the Zangezur slide, the section through Armenia (the planned, dotted segment) is under no label: a label
    takes a position clear of the routes when it has one."""
    import shapely

    from corridormap.style import STATUS

    scene = slide_scene(layers, "zangezur")
    planned = [shapely.LineString(item.points) for item in scene.map_items
               if isinstance(item, Line) and item.dash == tuple(float(v) for v in STATUS["planned"]["dash"].split())]
    assert planned, "the planned segment is drawn"
    for bounds in scene.labels:
        assert not any(line.intersects(shapely.box(*bounds)) for line in planned), bounds


@pytest.mark.parametrize("size", ["16:9", "4:3", "square"])
@pytest.mark.parametrize("cid", [None, "middle_corridor", "titr", "lapis_lazuli", "btc", "zangezur"])
def test_page_text_stays_on_the_page_and_apart(layers, cid, size):
    """Title, legend, key figures, description and source line: inside the slide, no two lines overlapping."""
    scene = slide_scene(layers, cid, size=parse_size(size))
    boxes = [t.bounds() for t in scene.page_items if isinstance(t, Text)]
    assert len(boxes) > 8
    for i, a in enumerate(boxes):
        assert 0 <= a[0] and a[2] <= scene.width and 0 <= a[1] and a[3] <= scene.height, a
        assert not any(overlaps(a, b) for b in boxes[i + 1:]), a
        assert not overlaps(a, scene.map_box), a


def test_slide_frame_contains_the_corridor(layers):
    from pyproj import Transformer

    from corridormap.render.slides import lcc

    scene = slide_scene(layers, "btc")
    x0, y0, x1, y1 = scene.frame
    members = layers.members["btc"]
    assert scene.crs == lcc(members.total_bounds)
    to_map = Transformer.from_crs("EPSG:4326", scene.crs, always_xy=True)
    for geom in members.geometry:
        xs, ys = to_map.transform(*geom.xy)
        assert x0 < min(xs) and max(xs) < x1 and y0 < min(ys) and max(ys) < y1
    bx0, by0, bx1, by1 = scene.map_box
    assert (x1 - x0) / (y1 - y0) == pytest.approx((bx1 - bx0) / (by1 - by0)), "no stretching"


def test_hostile_text_stays_text_in_svg_and_deck(repo, tmp_path):
    import corridormap as cm
    from corridormap.join import join

    hostile = "BTC <script>alert(1)</script> & $5 bn"
    path = repo / "routes/corridors.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("Baku–Tbilisi–Ceyhan (BTC) oil pipeline", hostile),
                    encoding="utf-8")
    layers = join(cm.load(repo))
    render_slides(layers, tmp_path, corridors=["btc"], formats=["svg", "png"])
    root = ET.parse(tmp_path / "btc.svg").getroot()
    assert not [el for el in root.iter() if el.tag.endswith("script")]
    assert any(hostile in "".join(el.itertext()) for el in root.iter() if el.tag.endswith("text"))
    deck = write_deck(layers, {cid: tmp_path / "btc.png" for cid in layers.corridors["id"]}, tmp_path / "d.pptx",
                      as_of="2025")
    titles = [s.shapes.title.text for s in Presentation(str(deck)).slides]
    assert hostile in titles


@pytest.mark.slow
def test_deck_opens_in_libreoffice(layers, slides, tmp_path):
    """LibreOffice renders every slide (skipped where LibreOffice is not installed; it is not a CI dependency)."""
    import shutil
    import subprocess

    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) not installed")
    images = {cid: slides / "btc.png" for cid in layers.corridors["id"]}
    deck = write_deck(layers, images, tmp_path / "deck.pptx", as_of="2025")
    subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(deck)],
                   check=True, capture_output=True, timeout=180)
    assert len(PdfReader(tmp_path / "deck.pdf").pages) == len(layers.corridors) + 1


def test_corridor_without_tonnage_is_drawn_at_base_width(layers):
    from corridormap.style import MODE

    assert layers.corridors.set_index("id").loc["btk", "latest_tonnes"] != layers.corridors.set_index("id").loc[
        "btk", "latest_tonnes"]  # NaN: BTK has capacity figures, no tonnage
    def route_widths(cid):
        color = layers.corridor(cid)["color"]
        return {line.width for line in slide_scene(layers, cid).map_items if isinstance(line, Line)
                and line.color in (color, "#ffffff", "#333333")}

    assert route_widths("btk") == {MODE["rail"]["weight"]}
    btc = route_widths("btc")
    assert max(btc) > MODE["pipeline"]["weight"] + 3, "BTC's tonnage widens its line"


def test_deck_is_written_in_one_pass_as_the_rewrite_would_give_it(layers, slides, tmp_path):
    """The deck's own zip writer (images stored, every entry dated 1980) gives the bytes python-pptx's writer
    followed by the rewrite gives, and python-pptx opens it; its writer is restored afterwards."""
    import io
    import zipfile

    from pptx.opc import serialized

    from corridormap.render.deck import Deck, fixed_zip_dates

    factory = serialized._PhysPkgWriter.__dict__["factory"]
    deck = Deck(layers, "2025")
    for cid in layers.corridors["id"][:3]:
        deck.add_corridor(cid, slides / "btc.png")
    path = deck.save(tmp_path / "deck.pptx")
    assert serialized._PhysPkgWriter.__dict__["factory"] is factory
    plain = io.BytesIO()
    deck.prs.save(plain)
    assert path.read_bytes() == fixed_zip_dates(plain.getvalue())
    with zipfile.ZipFile(path) as z:
        infos = z.infolist()
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert {i.compress_type for i in infos if i.filename.endswith(".png")} == {zipfile.ZIP_STORED}
    assert {i.compress_type for i in infos if i.filename.endswith(".xml")} == {zipfile.ZIP_DEFLATED}
    assert len(Presentation(str(path)).slides) == 4


@pytest.mark.parametrize("closed", [True, False])
def test_paths_read_from_their_serial_form_are_the_paths_built_point_by_point(layers, closed):
    """The slides' Skia paths come from Skia's serial form written with numpy; on this Skia that form is read,
    and every path is the one adding the points one at a time gives (one point, two, a country's rings)."""
    assert paint.SERIAL_FORM_READ
    scene = slide_scene(layers, "zangezur")
    rings = [r for item in scene.map_items if isinstance(item, Area) for r in item.rings]
    assert sum(len(r) for r in rings) > 3_000
    for group in ([np.array([[1.5, 2.0]])], [np.array([[0.0, 0.0], [1e4, -3.25]])], rings[:40], rings):
        fast, slow = paint.skia_path(group, closed), paint.slow_skia_path(group, closed)
        assert bytes(fast.serialize()) == bytes(slow.serialize())
        assert fast.getBounds() == slow.getBounds() and fast.countVerbs() == slow.countVerbs()
    assert paint.skia_path([], closed).isEmpty()
