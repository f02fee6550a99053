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


def test_a_page_legend_lists_only_what_it_draws(layers):
    from corridormap.render.controls import legend_html

    def legend(cid: str) -> str:  # the legend without its sources list
        return legend_html(layers, [cid], trade=False, corridors_listed=True).split("<details>")[0]

    btc = legend("btc")
    assert "pipeline" in btc and "sea leg" in btc and "operating" in btc
    assert ">rail<" not in btc and "under construction" not in btc and "planned" not in btc
    zangezur = legend("zangezur")
    assert "under construction" in zangezur and "planned" in zangezur and "pipeline" not in zangezur
    assert ("Line width" in zangezur) == bool(layers.corridor("zangezur")["latest_tonnes"] > 0)


def test_popups_show_seed_quotes_without_leftover_markup(layers, atlas_html):
    quotes = " ".join([*layers.volumes["quote"], *layers.agreements["quote"]])
    assert "](#)" in quotes  # the data keeps the verbatim text
    assert "](#)" not in atlas_html
    assert "amounted to" in atlas_html or "signed" in atlas_html


def test_the_base_draws_no_border_along_the_region_clip(layers):
    """Borders and coasts are lines, and none of them runs along the region's rectangle."""
    import json

    import numpy as np
    import shapely

    from corridormap.render import base
    from corridormap.settings import REGION_BOUNDS

    data = json.loads(str(base.base_json(layers)))
    edge = shapely.boundary(shapely.box(*REGION_BOUNDS)).buffer(0.005)
    for key in ("borders", "world_borders"):
        g = data[key]
        lines = [np.cumsum(np.array(f).reshape(-1, 2), axis=0) / 10 ** g["k"] for f in g["c"]]
        on_edge = [shapely.LineString(c) for c in lines if len(c) > 1 and edge.contains(shapely.LineString(c))]
        assert on_edge == [], key
    assert len(data["borders"]["c"]) > 10 and data["world"]["t"] == "MultiPolygon"


def test_display_geometry_round_trips(layers):
    import numpy as np
    import shapely

    from corridormap.render.geometry import encode

    seg = layers.segments.geometry.iloc[0]
    g = encode(seg, 4)
    decoded = np.cumsum(np.array(g["c"]).reshape(-1, 2), axis=0) / 1e4
    assert shapely.hausdorff_distance(shapely.LineString(decoded), seg) < 1e-4
