"""The package's top-level API as a notebook user meets it, starting with the README's own snippet."""

from __future__ import annotations

import re

import folium
import pyogrio
import pytest

import corridormap as cm

from .conftest import ROOT


def readme_snippet() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Python API"):]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_readme_snippet_runs_and_writes_what_it_says(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code = readme_snippet().replace('cm.load(".")', f"cm.load({str(ROOT)!r})")
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)
    assert isinstance(namespace["m"], folium.Map) and isinstance(namespace["btc"], folium.Map)
    assert isinstance(namespace["layers"], cm.Layers)
    assert pyogrio.read_info(tmp_path / "maps/gis/corridormap.gpkg", layer="segments")["features"] == len(
        namespace["layers"].segments)


def test_maps_display_inline_in_jupyter(layers):
    html = cm.corridor_map(layers, "zangezur")._repr_html_()
    assert html.startswith("<div") and "iframe" in html
    assert "L.map" in html and "Zangezur" in html


def test_atlas_map_from_a_path_validates_and_joins(tmp_path):
    m = cm.atlas_map(ROOT)
    assert isinstance(m, folium.Map)
    assert "Baku" in m.get_root().render()


def test_unknown_corridor_names_the_close_match(layers):
    with pytest.raises(ValueError, match=r"unknown corridor 'zangezor' \(did you mean zangezur\?\): expected one"):
        cm.corridor_map(layers, "zangezor")


def test_bad_data_through_the_api_is_a_data_error(repo):
    nodes = repo / "geo" / "nodes.csv"
    nodes.write_text(nodes.read_text(encoding="utf-8").replace("49.8", "49.8x", 1), encoding="utf-8")
    with pytest.raises(cm.DataError, match=r"geo/nodes.csv:row \d+: lon: expected a number"):
        cm.join(repo)


def test_top_level_functions_keep_their_names_after_the_stage_modules_load():
    import corridormap.build  # noqa: F401  (imports corridormap.join and corridormap.export)
    import corridormap.export  # noqa: F401
    import corridormap.join  # noqa: F401

    assert cm.join.__module__ == "corridormap" and cm.export.__module__ == "corridormap"
