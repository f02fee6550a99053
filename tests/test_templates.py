"""branca's rendering through corridormap's template shim: data stays text, templates still work, output unchanged."""

from __future__ import annotations

import folium
import jinja2
from branca.element import Element, Figure
from hypothesis import given
from hypothesis import strategies as st

import corridormap.render  # noqa: F401  (installs the shim)
from corridormap.render import _templates


def test_data_that_looks_like_jinja_is_not_evaluated():
    m = folium.Map(tiles=None)
    folium.Marker([40.4, 49.9], tooltip="{{ 7*7 }} Baku", popup="{% if 1 %}yes{% endif %}").add_to(m)
    html = m.get_root().render()
    assert "{{ 7*7 }} Baku" in html and "49 Baku" not in html
    assert "{% if 1 %}yes{% endif %}" in html


def test_saving_and_notebook_display_also_keep_data_as_text(tmp_path):
    m = folium.Map(tiles=None)
    folium.Marker([40.4, 49.9], tooltip="{{ 6*7 }} Aktau").add_to(m)
    m.save(str(tmp_path / "m.html"))
    assert "{{ 6*7 }} Aktau" in (tmp_path / "m.html").read_text(encoding="utf-8")
    assert "42 Aktau" not in m._repr_html_()


def test_an_element_made_outside_a_render_is_still_a_template():
    figure = Figure()
    element = Element("<p>{{ this.word }}</p>")
    element.word = "Ceyhan"
    figure.html.add_child(element)
    assert "<p>Ceyhan</p>" in figure.render()
    assert _templates.element_template("{{ x }}") is _templates.element_template("{{ x }}")  # compiled once


@given(st.text(alphabet=st.sampled_from(list("ab {}%#\r\n\t<>&'\""))))
def test_verbatim_renders_exactly_what_jinja_renders_for_plain_text(text):
    try:
        expected = jinja2.Template(text).render()
    except jinja2.TemplateSyntaxError:
        expected = None
    if not any(mark in text for mark in ("{{", "{%", "{#")):
        assert _templates.Verbatim(text).render() == expected


def test_a_corridor_name_with_jinja_syntax_reaches_the_atlas_as_text(root):
    from corridormap.join import join
    from corridormap.load import load
    from corridormap.render import html

    atlas = load(root)
    row = atlas.corridors.index[atlas.corridors["id"] == "btc"][0]
    atlas.corridors.loc[row, "name"] = "BTC {{ 7*7 }} pipeline"
    layers = join(atlas)
    html.prepare(layers)
    page = html.atlas_map(layers).get_root().render()
    assert "BTC {{ 7*7 }} pipeline" in page and "BTC 49 pipeline" not in page
