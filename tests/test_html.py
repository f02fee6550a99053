"""The HTML maps as files: self-contained, small, escaped (the browser tests open them for real)."""

from __future__ import annotations

import re

import pytest

from corridormap.render import assets
from corridormap.render.html import atlas_map, corridor_map, render_html


@pytest.fixture(scope="module")
def atlas_html(layers) -> str:
    return atlas_map(layers).get_root().render()


def test_self_contained_no_external_scripts_or_styles(atlas_html):
    assert not re.findall(r'<script[^>]+src=', atlas_html)
    assert not re.findall(r'<link[^>]+href=', atlas_html)
    assert "bootstrap" not in atlas_html.lower() and "font-awesome" not in atlas_html.lower()
    assert "jquery" not in atlas_html.lower()  # nothing here needs it: popups are plain Leaflet
    assert "L.version" in atlas_html or "Leaflet" in atlas_html


def test_leaflet_css_images_are_inlined():
    css = assets.leaflet_css()
    assert "url(images/" not in css and "data:image/png;base64," in css


def test_cdn_variant_links_leaflet(layers):
    html = atlas_map(layers, cdn=True).get_root().render()
    assert assets.CDN_JS in html and assets.CDN_CSS in html
    assert len(html) < len(atlas_map(layers).get_root().render()) - 100_000


def test_atlas_is_at_most_1_mb(atlas_html):
    assert len(atlas_html.encode("utf-8")) <= 1_000_000


def test_every_corridor_is_a_layer(atlas_html, layers):
    for name in layers.corridors["name"]:
        assert name.replace("&", "\\u0026").replace("'", "\\u0027") in atlas_html or name in atlas_html


def test_corridor_map_frames_its_corridor(layers):
    html = corridor_map(layers, "btc").get_root().render()
    match = re.search(r"cm\.setup\([^{]*\{\s*bounds: \[\[([\d.]+), ([\d.]+)\], \[([\d.]+), ([\d.]+)\]\]", html)
    assert match, "cm.setup(map, {bounds: ...}) frames the corridor once the controls are drawn"
    south, west, north, east = map(float, match.groups())
    x0, y0, x1, y1 = layers.members["btc"].total_bounds
    assert (south, west, north, east) == pytest.approx((y0, x0, y1, x1), abs=1e-4)


def test_render_writes_every_page(layers, tmp_path):
    written = render_html(layers, tmp_path)
    names = {p.name for p in written}
    assert {"atlas.html", "index.html", *(f"{cid}.html" for cid in layers.corridors["id"])} == names
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{cid}.html"' in index for cid in layers.corridors["id"])
