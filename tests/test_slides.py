"""Slide images read back as users get them: pixels, SVG XML, PDF pages; the deck through python-pptx."""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET

import matplotlib.image as mpimg
import numpy as np
import pytest
from pptx import Presentation
from pypdf import PdfReader

from corridormap.cli import main
from corridormap.render.deck import write_deck
from corridormap.render.slides import parse_size, render_slides


@pytest.fixture(scope="module")
def slides(layers, tmp_path_factory):
    out = tmp_path_factory.mktemp("slides")
    render_slides(layers, out, corridors=[None, "btc", "zangezur"])
    return out


def rgb(color: str) -> np.ndarray:
    return np.array([int(color[i:i + 2], 16) for i in (1, 3, 5)]) / 255


@pytest.mark.parametrize("name", ["atlas", "btc", "zangezur"])
def test_png_size_not_blank_and_corridor_colour_present(slides, layers, name):
    img = mpimg.imread(slides / f"{name}.png")[..., :3]
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
    assert title in text  # kept as the figure's text/aria even with glyphs as paths


def test_pdf_one_page_16_9(slides):
    reader = PdfReader(slides / "btc.pdf")
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) / float(box.height) == pytest.approx(16 / 9, rel=1e-3)


def test_same_data_gives_byte_identical_images(layers, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for out in (a, b):
        render_slides(layers, out, corridors=["zangezur"])
    for fmt in ("png", "svg", "pdf"):
        digest = [hashlib.sha256((d / f"zangezur.{fmt}").read_bytes()).hexdigest() for d in (a, b)]
        assert digest[0] == digest[1], fmt


def test_scale_2_and_other_sizes(layers, tmp_path):
    render_slides(layers, tmp_path, corridors=["btk"], scale=2, formats=["png"])
    assert mpimg.imread(tmp_path / "btk.png").shape[:2] == (2160, 3840)
    render_slides(layers, tmp_path / "sq", corridors=["btk"], size=parse_size("square"), formats=["png"])
    assert mpimg.imread(tmp_path / "sq" / "btk.png").shape[:2] == (1080, 1080)


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
    import matplotlib.pyplot as plt

    from corridormap.render.slides import slide_figure

    for cid in (None, "titr", "zangezur"):
        fig = slide_figure(layers, cid)
        try:
            renderer = fig.canvas.get_renderer()
            boxes = [t.get_window_extent(renderer) for t in fig.axes[0].texts]
            assert len(boxes) >= 5
            for i, a in enumerate(boxes):
                assert not any(a.overlaps(b) for b in boxes[i + 1:]), cid
        finally:
            plt.close(fig)


def test_slide_frame_contains_the_corridor(layers):
    import matplotlib.pyplot as plt
    from pyproj import Transformer

    from corridormap.render.slides import lcc, slide_figure

    fig = slide_figure(layers, "btc")
    try:
        ax = fig.axes[0]
        x0, x1 = ax.get_xlim()
        y0, y1 = ax.get_ylim()
        members = layers.members["btc"]
        to_map = Transformer.from_crs("EPSG:4326", lcc(members.total_bounds), always_xy=True)
        for geom in members.geometry:
            xs, ys = to_map.transform(*geom.xy)
            assert x0 < min(xs) and max(xs) < x1 and y0 < min(ys) and max(ys) < y1
    finally:
        plt.close(fig)


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
    import matplotlib.pyplot as plt

    from corridormap.render.slides import PX, slide_figure
    from corridormap.style import MODE

    assert layers.corridors.set_index("id").loc["btk", "latest_tonnes"] != layers.corridors.set_index("id").loc[
        "btk", "latest_tonnes"]  # NaN: BTK has capacity figures, no tonnage
    fig = slide_figure(layers, "btk")
    try:
        widths = {round(line.get_linewidth(), 3) for line in fig.axes[0].lines}
        assert widths == {round(MODE["rail"]["weight"] * PX, 3)}
    finally:
        plt.close(fig)
