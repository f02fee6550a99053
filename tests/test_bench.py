"""The facts benchmark's generator (benchmarks/bench.py --facts N): N valid rows, and the bad row it plants."""

from __future__ import annotations

import importlib.util
import shutil

import pytest

import corridormap as cm

from .conftest import ROOT


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench", ROOT / "benchmarks" / "bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_rows_are_valid_and_as_many_as_asked(bench):
    repo = bench.facts_repo(ROOT, 5_000)
    try:
        atlas = cm.load(repo)
        cm.validate(atlas)
        assert len(atlas.volumes) == 5_000
        assert atlas.volumes["period"].nunique() > 100  # other periods than the real rows'
    finally:
        shutil.rmtree(repo)


def test_the_planted_bad_row_is_reported_by_row_and_field(bench):
    repo = bench.facts_repo(ROOT, 5_000, bad_row=2_502)
    try:
        with pytest.raises(cm.DataError) as raised:
            cm.validate(cm.load(repo))
        assert [str(p) for p in raised.value.problems] == [
            "routes/volumes.csv:row 2502: value: expected a plain number (no units or separators), found '12,5'"]
    finally:
        shutil.rmtree(repo)
