"""The build's head: the check and the base map run in a forked process beside the join, with the same results."""

from __future__ import annotations

import gc
import os

import numpy as np
import pandas as pd
import pytest

import corridormap as cm
from corridormap import build as build_module
from corridormap.join import join
from corridormap.render import base
from corridormap.render.slides import base as slides_base
from corridormap.render.slides import furniture, gazetteer
from corridormap.render.slides.scene import SIZES, map_box_of
from corridormap.validate import check

from .conftest import ROOT
from .test_validate import edit_csv


def test_checked_beside_the_join_gives_the_same_layers_and_base(atlas):
    beside = build_module.validated_join(cm.load(ROOT), beside=True)
    serial = join(atlas)
    pd.testing.assert_frame_equal(pd.DataFrame(beside.corridors.drop(columns="geometry")),
                                  pd.DataFrame(serial.corridors.drop(columns="geometry")))
    assert set(base.BASE_ENTRIES) <= {key[0] for key in beside.cache}
    assert beside.cache[("country_shapes_json",)] == base.country_shapes_json(serial)
    assert beside.cache[("base_json",)] == base.base_json(serial)
    assert len(base.base_json(serial)) > 10_000
    pd.testing.assert_frame_equal(beside.cache[("ordered_labels",)], base.ordered_labels(serial))


def test_the_slides_base_drawn_beside_the_join_is_what_the_joined_layers_give(atlas):
    """The checker also draws the slides' shared data (the world beyond the region, the labels, the atlas's
    frame, the locator inset's map): the same values the joined layers compute, under the keys they look up."""
    beside = build_module.validated_join(cm.load(ROOT), beside=True)
    serial = join(atlas)
    drawn = {key: value for key, value in beside.cache.items() if key[0] in slides_base.SLIDE_BASE_ENTRIES}
    assert {key[0] for key in drawn} == set(slides_base.SLIDE_BASE_ENTRIES)
    assert drawn[("atlas_frame",)] == furniture.atlas_frame(serial)
    (key,) = [key for key in drawn if key[0] == "inset_base"]
    assert key[1:] == furniture.inset_size(map_box_of(*SIZES["16:9"]), 1.0)  # the size a default slide asks for
    mine, theirs = drawn[key], furniture.inset_base(serial, *key[1:])
    assert [(a.fill, a.stroke, a.width) for a in mine] == [(a.fill, a.stroke, a.width) for a in theirs]
    assert all(np.array_equal(r, q) for a, b in zip(mine, theirs) for r, q in zip(a.rings, b.rings, strict=True))
    assert sum(len(r) for a in mine for r in a.rings) > 1000
    assert drawn[("world_outside",)].geometry.geom_equals_exact(slides_base.world_outside(serial).geometry, 0).all()
    labels = gazetteer.label_arrays(serial)
    assert all(np.array_equal(drawn[("label_arrays",)][k], labels[k]) for k in labels)
    assert len(labels["name"]) > 50


@pytest.mark.parametrize("beside", [True, False])
def test_bad_data_the_join_trips_on_is_reported_as_the_check_finds_it(repo, beside):
    """A decimal comma in a volume is a check problem, and the join (run beside the check) fails on it with a
    ValueError of its own: the check's problems are what the build raises, whichever finishes first."""
    row = edit_csv(repo / "routes/volumes.csv", 0, value="12,5")
    atlas = cm.load(repo)
    expected = check(atlas)
    assert any(f"row {row}" in str(p) and p.field == "value" for p in expected)
    with pytest.raises(Exception) as crashed:
        join(atlas)
    assert not isinstance(crashed.value, cm.DataError)  # the join alone does not say what is wrong
    with pytest.raises(cm.DataError) as raised:
        build_module.validated_join(atlas, beside=beside)
    assert raised.value.problems == expected


def _die() -> None:
    os._exit(3)


def test_a_checker_that_dies_is_replaced_by_the_check_here(repo, monkeypatch):
    monkeypatch.setattr(build_module, "_check_and_draw_base", _die)
    layers = build_module.validated_join(cm.load(ROOT), beside=True)
    assert not any(key[0] in base.BASE_ENTRIES for key in layers.cache)  # drawn later, as without a checker
    row = edit_csv(repo / "geo/nodes.csv", 0, lon="200")
    with pytest.raises(cm.DataError) as raised:
        build_module.validated_join(cm.load(repo), beside=True)
    assert any(f"row {row}" in str(p) and "lon" in p.field for p in raised.value.problems)


def test_a_build_leaves_the_garbage_collector_as_it_found_it(maps, repo):
    """build() freezes what exists (imports, then the joined layers) for its run; after it, finished or failed,
    everything is collectable again."""
    assert (maps / "atlas.html").is_file() and gc.get_freeze_count() == 0  # the session's build is done
    edit_csv(repo / "routes/volumes.csv", 0, value="12,5")
    with pytest.raises(cm.DataError):
        build_module.build(repo, repo / "maps")
    assert gc.get_freeze_count() == 0
    assert not (repo / "maps").exists()


def test_a_callers_own_frozen_objects_stay_frozen(repo):
    edit_csv(repo / "routes/volumes.csv", 0, value="12,5")
    gc.freeze()
    try:
        with pytest.raises(cm.DataError):
            build_module.build(repo, repo / "maps")
        assert gc.get_freeze_count() > 0  # not unfrozen by the build (objects freed meanwhile leave the count)
    finally:
        gc.unfreeze()
