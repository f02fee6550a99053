"""The comparisons as a GIS layer (read back through pyogrio), a slide (its pixels) and deck slides (python-pptx)."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd
import pyogrio
import pytest
from PIL import Image
from pptx import Presentation

from corridormap.export import export
from corridormap.network import Parameters, Router, build_network, parameters_of
from corridormap.network.scenarios import ALTERNATIVE_COLORS, compare, comparison_frame, scenarios_of
from corridormap.render.compare_slides import add_comparison_slide, comparison_scene, render_comparison_slides
from corridormap.render.deck import Deck

from .test_compare_cli import PROVISIONAL


@pytest.fixture(scope="module")
def router(layers) -> Router:
    """The network with the provisional parameter table: every alternative routed, whatever the data lacks."""
    table = pd.read_csv(io.StringIO(PROVISIONAL), dtype=str, keep_default_na=False)
    return Router(build_network(layers), Parameters(table))


@pytest.fixture(scope="module")
def comparisons(router, layers):
    return compare(router, scenarios_of(layers.atlas))


def test_every_scenario_has_two_routed_alternatives_with_the_cited_parameters(layers):
    """Done when: every scenario of routes/scenarios.csv has at least two alternatives routed and timed with the
    cited parameters of routes/parameters.csv; one without a route names the parameter it lacks."""
    cited = Router(build_network(layers), parameters_of(layers.atlas))
    for c in compare(cited, scenarios_of(layers.atlas)):
        routed = [o for o in c.outcomes if o.route is not None]
        assert len(routed) >= 2, (c.scenario.id, [o.error for o in c.outcomes])
        for o in c.outcomes:
            assert o.route is not None or "routes/parameters.csv does not give: no " in o.error, o.error
        for o in routed:
            assert o.route.parameters <= set(layers.atlas.parameters["id"])
            assert 0 < o.route.days.low <= o.route.days.high


@pytest.fixture(scope="module")
def gis(layers, comparisons, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("gis")
    export(layers, out, comparisons=comparison_frame(comparisons))
    return out


@pytest.mark.parametrize("path", ["comparisons.geojson", "corridormap.gpkg"])
def test_comparisons_layer_reads_back(gis, comparisons, path):
    frame = pyogrio.read_dataframe(gis / path, layer="comparisons" if path.endswith(".gpkg") else None)
    expected = [(c.scenario.id, o.alternative.id, o.route) for c in comparisons for o in c.outcomes]
    assert list(zip(frame["scenario"], frame["alternative"])) == [(s, a) for s, a, _ in expected]
    for (_, _, route), km, low, high, geom, segments in zip(expected, frame["km"], frame["days_low"],
                                                            frame["days_high"], frame.geometry, frame["segments"]):
        assert route is not None
        assert km == pytest.approx(route.km) and low <= high
        assert segments.split(";") == [leg.id for leg in route.legs]
        assert geom.geom_type == "MultiLineString" and len(geom.geoms) == len(route.legs)
        assert (frame.crs is None) or frame.crs.to_epsg() == 4326


def test_gpkg_lists_the_comparisons_layer(gis):
    layers = {name for name, _ in pyogrio.list_layers(gis / "corridormap.gpkg")}
    assert {"comparisons", "segments", "corridors"} <= layers


def test_slide_draws_each_alternative_in_its_colour(layers, router, comparisons, tmp_path):
    c = comparisons[0]
    paths = render_comparison_slides(layers, router, c, tmp_path)
    assert sorted(p.suffix for p in paths) == [".pdf", ".png", ".svg"]
    img = np.asarray(Image.open(tmp_path / f"compare_{c.scenario.id}.png").convert("RGB")).astype(int)
    assert img.shape == (1080, 1920, 3)
    scene = comparison_scene(layers, router, c)
    x0, y0, x1, y1 = (round(v) for v in scene.map_box)
    inside = img[y0:y1, x0:x1]
    for i, _ in enumerate(c.outcomes):
        rgb = np.array([int(ALTERNATIVE_COLORS[i][k:k + 2], 16) for k in (1, 3, 5)])
        close = (np.abs(inside - rgb).sum(axis=2) < 30).sum()
        assert close > 300, f"alternative {i}: {close} pixels of {ALTERNATIVE_COLORS[i]}"
    texts = " ".join(t.text for t in scene.page_items if hasattr(t, "text"))
    for o in c.outcomes:
        assert f"{o.route.km:,.0f} km" in texts
    assert all(0 <= t.x and t.x <= scene.width for t in scene.page_items if hasattr(t, "text"))


def test_deck_slide_per_scenario_with_cited_notes(layers, router, comparisons, tmp_path):
    deck = Deck(layers, "2026")
    for c in comparisons:
        image = render_comparison_slides(layers, router, c, tmp_path, formats=["png"])[0]
        add_comparison_slide(deck.prs, router, c, image)
    path = deck.save(tmp_path / "deck.pptx")
    prs = Presentation(str(path))
    slides = list(prs.slides)[1:]
    assert [s.shapes.title.text for s in slides] == [c.scenario.name for c in comparisons]
    for slide, c in zip(slides, comparisons):
        pictures = [s for s in slide.shapes if s.shape_type == 13]
        assert len(pictures) == 1
        assert pictures[0].left + pictures[0].width <= prs.slide_width
        assert pictures[0].top + pictures[0].height <= prs.slide_height
        notes = slide.notes_slide.notes_text_frame.text
        for pid in c.parameter_ids():
            assert pid in notes
