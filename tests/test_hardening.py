"""Bad input through the build: exit 1, the exact message, and maps/ exactly as the previous good build left it;
an interrupted build leaves no partial file; fuzzed rows and features give a DataError or succeed."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import corridormap as cm
from corridormap.build import build
from corridormap.cli import main
from corridormap.render.popups import source_html

from .conftest import ROOT
from .test_validate import edit_csv, edit_feature

pytestmark = pytest.mark.slow


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """A repository copy with a good build in maps/, and the snapshot of that build."""
    repo = tmp_path_factory.mktemp("good")
    for name in ("geo", "routes"):
        shutil.copytree(ROOT / name, repo / name)
    build(repo, repo / "maps")
    return repo, snapshot(repo / "maps")


def break_and_build(built, breakage, capsys) -> str:
    repo, before = built
    saved = {p: p.read_bytes() for p in data_files(repo)}
    try:
        breakage(repo)
        code = main(["--root", str(repo), "build"])
        err = capsys.readouterr().err
        assert code == 1
        assert snapshot(repo / "maps") == before, "maps/ changed after a failed build"
        return err
    finally:
        for path in data_files(repo):
            if path not in saved:
                path.unlink()
        for path, data in saved.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)


def data_files(repo: Path) -> list[Path]:
    """Every file of geo/ and routes/, routes/datasets/ included."""
    return [p for folder in ("geo", "routes") for p in sorted((repo / folder).rglob("*")) if p.is_file()]


def empty_folder(folder: Path) -> None:
    for path in folder.iterdir():
        shutil.rmtree(path) if path.is_dir() else path.unlink()


def set_json(path: str, text: str):
    return lambda repo: (repo / path).write_text(text, encoding="utf-8")


BREAKAGES = {
    "malformed JSON": (set_json("routes/btc.geojson", "{"),
                       "routes/btc.geojson:line 1 column 2: json: expected valid JSON, found malformed JSON"),
    "not a FeatureCollection": (set_json("routes/btc.geojson", '{"type": "Feature"}'),
                                "routes/btc.geojson: type: expected a GeoJSON FeatureCollection, found 'Feature'"),
    "zero features": (set_json("routes/btc.geojson", '{"type": "FeatureCollection", "features": []}'),
                      "routes/btc.geojson: features: expected at least one segment of corridor btc"),
    "non-LineString": (lambda r: edit_feature(r / "routes/btk.geojson", 0, lambda f: f.update(
        geometry={"type": "MultiLineString", "coordinates": [f["geometry"]["coordinates"]]})),
        "routes/btk.geojson:feature 0 (baku_alat): geometry.type: expected LineString (one per segment), "
        "found 'MultiLineString'"),
    "empty geometry": (lambda r: edit_feature(r / "routes/btk.geojson", 0, lambda f: f.update(geometry=None)),
                       "routes/btk.geojson:feature 0 (baku_alat): geometry: expected a LineString, found None"),
    "out of range": (lambda r: edit_feature(r / "routes/btk.geojson", 0, lambda f: f["geometry"][
        "coordinates"].__setitem__(1, [190.0, 40.0])), "routes/btk.geojson:feature 0 (baku_alat): "
        "geometry.coordinates: expected lon 12.0..112.0, lat 22.0..60.0 (the corridor region), found [190.0, 40.0], "
        "out of range"),
    "unknown node": (lambda r: edit_feature(r / "routes/btk.geojson", 0, lambda f: f["properties"].update(
        to="nowhere")), "routes/btk.geojson:feature 0 (baku_alat): to: expected a node id from geo/nodes.csv, "
        "found 'nowhere'"),
    "unknown unit": (lambda r: edit_csv(r / "routes/volumes.csv", 0, unit="kt"),
                     "routes/volumes.csv:row 2: unit: expected one of USD, t,"),
    "non-numeric value": (lambda r: edit_csv(r / "routes/volumes.csv", 0, value="lots"),
                          "routes/volumes.csv:row 2: value: expected a plain number (no units or separators), "
                          "found 'lots'"),
    "malformed period": (lambda r: edit_csv(r / "routes/volumes.csv", 0, period="Q3 2022"),
                         "routes/volumes.csv:row 2: period: expected a period like"),
    "malformed date": (lambda r: edit_csv(r / "routes/agreements.csv", 0, date="2017-13"),
                       "routes/agreements.csv:row 2: date: expected an ISO 8601 date"),
    "missing source": (lambda r: edit_csv(r / "routes/agreements.csv", 0, source="pub:nobody"),
                       "routes/agreements.csv:row 2: source: expected a source id from routes/sources.csv, "
                       "found 'pub:nobody'"),
    "wrong encoding": (lambda r: (r / "routes/sources.csv").write_bytes(
        (r / "routes/sources.csv").read_bytes().replace(b"Institute", b"Institut\xe9", 1)),
        "routes/sources.csv:line "),
    "invalid geometry": (lambda r: edit_feature(r / "routes/btk.geojson", 0, lambda f: f["geometry"].update(
        coordinates=f["geometry"]["coordinates"][:1])), "routes/btk.geojson:feature 0 (baku_alat): "
        "geometry.coordinates: expected at least 2 positions, found 1 position"),
    "swapped lat/lon": (lambda r: edit_feature(r / "routes/btk.geojson", 0, lambda f: f["geometry"].update(
        coordinates=[[y, x] for x, y in f["geometry"]["coordinates"]])), "routes/btk.geojson:feature 0 "
        "(baku_alat): from: expected the first position within 1 km of node baku [49.89201, 40.37767], found "
        "[40.37767, 49.89201], 1293.2 km away; lat/lon swapped?"),
    "end far from its node": (lambda r: edit_feature(r / "routes/btk.geojson", 0, lambda f: f["geometry"][
        "coordinates"].__setitem__(-1, [49.50667, 39.94833])), "routes/btk.geojson:feature 0 (baku_alat): to: "
        "expected the last position within 1 km of node alat [49.40667, 39.94833], found [49.50667, 39.94833], "
        "8.5 km away"),
    "duplicate id": (lambda r: edit_feature(r / "routes/btk.geojson", 1, lambda f: f["properties"].update(
        segment="baku_alat")), "routes/btk.geojson:feature 1 (baku_alat): segment: expected a unique segment id in "
        "this file, found 'baku_alat', already used by feature 0"),
    "colour injection": (lambda r: edit_csv(r / "routes/corridors.csv", 0, color="red;background:url(x)"),
                         "routes/corridors.csv:row 2: color: expected a colour as #rrggbb, "
                         "found 'red;background:url(x)'"),
    "javascript: URL": (lambda r: edit_csv(r / "routes/sources.csv", 2, url="javascript:alert(1)"),
                        "routes/sources.csv:row 4: url: expected an http(s) URL, found 'javascript:alert(1)'"),
    "control character": (lambda r: edit_csv(r / "routes/corridors.csv", 0, name="Middle\x0bCorridor"),
                          "routes/corridors.csv:row 2: name: expected text without control characters, "
                          "found 'Middle\\x0bCorridor'"),
    "bad capital coordinate": (lambda r: (r / "geo/capitals.csv").write_text(
        (r / "geo/capitals.csv").read_text(encoding="utf-8").replace("AZE,Baku,49.89201", "AZE,Baku,49.8x"),
        encoding="utf-8"), "geo/capitals.csv:row 17: lon: expected a number in degrees, found '49.8x'"),
    "empty routes folder": (lambda r: empty_folder(r / "routes"),
                            "routes/corridors.csv: file: expected an existing file, found nothing at that path"),
}


@pytest.mark.parametrize("case", sorted(BREAKAGES))
def test_bad_input_fails_cleanly_and_keeps_the_previous_build(built, capsys, case):
    breakage, message = BREAKAGES[case]
    err = break_and_build(built, breakage, capsys)
    assert any(line.startswith(message) for line in err.splitlines()), err


def test_missing_column_and_unknown_column(built, capsys):
    def drop_unit(repo):
        path = repo / "routes/volumes.csv"
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        fields = [k for k in rows[0] if k != "unit"] + ["units"]
        with path.open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=fields, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)
    with pytest.warns(UserWarning, match="unknown column"):
        err = break_and_build(built, drop_unit, capsys)
    assert "routes/volumes.csv:row 1: header: expected columns subject, metric, period, value, unit" in err


def test_build_in_one_process_equals_build_in_workers(built, tmp_path):
    """The process layout changes nothing: workers=0 writes the same files (six per corridor: page, embed, three
    slide formats, GeoJSON; ten shared ones; comparisons.geojson and, per scenario, its page and three slide
    formats), byte for byte."""
    repo, before = built
    written = build(repo, tmp_path / "serial", workers=0)
    with (repo / "routes/corridors.csv").open(encoding="utf-8", newline="") as f:
        corridors = len(list(csv.DictReader(f)))
    scenarios = len(cm.load(repo).scenarios)
    assert len(written) == len(before) == 6 * corridors + 10 + 1 + 4 * scenarios
    assert snapshot(tmp_path / "serial") == before


# --- interrupted builds --------------------------------------------------------------------------------------

def run_and_interrupt(repo: Path, sig: int, after: float) -> int:
    """Start a build, send *sig* *after* seconds past its first progress line ("validated"): outputs are being
    written then (the whole build takes about 2 s)."""
    proc = subprocess.Popen([sys.executable, "-m", "corridormap", "--root", str(repo), "build"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "validated"
    time.sleep(after)
    proc.send_signal(sig)
    try:
        proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    return proc.returncode


def partial_files(folder: Path) -> list[str]:
    return [p.name for p in folder.rglob("*") if ".part." in p.name]


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_interrupted_build_leaves_no_partial_file(built, sig):
    repo, before = built
    code = run_and_interrupt(repo, sig, after=0.6)
    assert code != 0
    assert partial_files(repo / "maps") == []
    after = snapshot(repo / "maps")
    assert set(after) == set(before)  # every file is the old one or a complete new one (same data: same bytes)
    assert after == before


def test_an_interrupt_python_swallows_still_stops_the_build(built, monkeypatch, capsys):
    """Python ignores an exception raised where it cannot propagate (a ``__del__``, an at-fork callback: a Ctrl-C
    landing while a worker is forked was lost and the build ran on to exit 0). The CLI remembers the signal and
    stops at the next stage instead."""
    import corridormap.build as build_module
    repo, before = built
    swallowed: list[BaseException | None] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda info: swallowed.append(info.exc_value))

    class Finalised:
        def __del__(self) -> None:
            os.kill(os.getpid(), signal.SIGINT)
            for _ in range(1000):  # the handler runs between bytecodes, here
                pass

    def remove_leftovers_then_ctrl_c(out):
        removed = remove_leftovers(out)
        Finalised()  # dropped at once: the interrupt lands in its __del__
        return removed

    remove_leftovers = build_module.remove_leftovers
    monkeypatch.setattr(build_module, "remove_leftovers", remove_leftovers_then_ctrl_c)
    code = main(["--root", str(repo), "build"])
    assert [type(e) for e in swallowed] == [KeyboardInterrupt]
    assert code == 130
    out, err = capsys.readouterr()
    assert out.splitlines() == ["validated"]
    assert "Interrupted" in err
    assert snapshot(repo / "maps") == before


def test_killed_build_leaves_only_complete_files_and_the_next_build_cleans_up(built):
    repo, before = built
    run_and_interrupt(repo, signal.SIGKILL, after=0.8)
    for name, digest in snapshot(repo / "maps").items():
        if ".part." not in name:
            assert before.get(name) == digest, f"{name} is not a complete file"
    build(repo, repo / "maps")
    assert partial_files(repo / "maps") == []
    assert snapshot(repo / "maps") == before


# --- fuzzing -------------------------------------------------------------------------------------------------

text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
cell = st.one_of(text, st.sampled_from(["", "0", "-1", "1e9", "nan", "inf", "2022-H1", "2019/2020", "AZE-KAZ",
                                        "btc", "seed:002", "t", "USD", "exact", "<script>"]))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(row=st.fixed_dictionaries({k: cell for k in ("subject", "metric", "period", "value", "unit", "qualifier",
                                                    "source", "quote", "note")}))
def test_fuzzed_volume_rows_give_a_data_error_or_succeed(repo, row):
    path = repo / "routes/volumes.csv"
    original = path.read_bytes()
    try:
        with path.open("a", encoding="utf-8", newline="") as f:
            csv.writer(f).writerow([row[k] for k in ("subject", "metric", "period", "value", "unit", "qualifier",
                                                     "source", "quote", "note")])
        try:
            atlas = cm.load(repo)
            cm.validate(atlas)
        except cm.DataError:
            pass
    finally:
        path.write_bytes(original)


coordinate = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-1000, 1000), st.text(max_size=3),
                       st.none())
geometry = st.one_of(
    st.none(), st.just({}), st.fixed_dictionaries({"type": st.sampled_from(["LineString", "Point", "Polygon", "x"]),
                                                   "coordinates": st.lists(st.lists(coordinate, max_size=3),
                                                                           max_size=4)}))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(geometry=geometry, props=st.dictionaries(st.sampled_from(["corridor", "segment", "mode", "status", "from",
                                                                 "to", "accuracy", "name", "source"]),
                                                st.one_of(text, st.integers(), st.none()), max_size=9))
def test_fuzzed_features_give_a_data_error_or_succeed(repo, geometry, props):
    path = repo / "routes/btk.geojson"
    original = path.read_bytes()
    try:
        data = json.loads(original)
        data["features"].append({"type": "Feature", "properties": props, "geometry": geometry})
        path.write_text(json.dumps(data), encoding="utf-8")
        try:
            cm.validate(cm.load(repo))
        except cm.DataError:
            pass
    finally:
        path.write_bytes(original)


def test_only_http_links_reach_html():
    sources = {"pub:x": {"id": "pub:x", "title": "<b>T</b>", "url": "javascript:alert(1)"},
               "pub:y": {"id": "pub:y", "title": "Y", "url": "https://example.org/?a=1&b=\"2\""}}
    assert str(source_html("pub:x", sources)) == "&lt;b&gt;T&lt;/b&gt;"
    assert str(source_html("pub:y", sources)) == ('<a href="https://example.org/?a=1&amp;b=&#34;2&#34;" '
                                                  'target="_blank" rel="noopener noreferrer">Y</a>')



cells = st.lists(st.fixed_dictionaries({k: cell for k in ("subject", "metric", "period", "value", "unit",
                                                         "qualifier", "source", "quote", "note")}),
                 min_size=1, max_size=5)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=cells, text=st.text(st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_fuzzed_rows_in_a_big_table_give_a_data_error_or_succeed(big_repo, rows, text):
    """The column-wise path (a table of 12,000 rows: Arrow reads it, Arrow's regexes check it): fuzzed rows and
    raw text appended give a DataError or pass, and the Arrow reader and the csv module agree on the table."""
    from corridormap import _csv_fast, schema
    from corridormap.load import read_csv_exact

    path = big_repo / "routes/volumes.csv"
    original = path.read_bytes()
    try:
        with path.open("a", encoding="utf-8", newline="") as f:
            csv.writer(f).writerows([[r[k] for k in schema.VOLUME_COLUMNS] for r in rows])
            f.write(text)
        fast = _csv_fast.read(path, "v", schema.VOLUME_COLUMNS, schema.VOLUME_REQUIRED, [])
        if fast is not None:
            exact = read_csv_exact(path, big_repo, schema.VOLUME_COLUMNS, schema.VOLUME_REQUIRED, [])
            assert exact is not None and fast.astype(str).tail(8).to_dict("records") == \
                exact.astype(str).tail(8).to_dict("records")
        try:
            cm.validate(cm.load(big_repo))
        except cm.DataError:
            pass
    finally:
        path.write_bytes(original)


@pytest.fixture(scope="module")
def big_repo(tmp_path_factory) -> Path:
    repo = tmp_path_factory.mktemp("big")
    for name in ("geo", "routes"):
        shutil.copytree(ROOT / name, repo / name)
    path = repo / "routes/volumes.csv"
    with path.open(encoding="utf-8", newline="") as f:
        real = list(csv.DictReader(f))
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(real[0]))
        writer.writeheader()
        writer.writerows({**real[i % len(real)], "period": str(1990 + i % 30)} for i in range(12_000))
    return repo


def test_a_lone_carriage_return_in_a_row_is_a_data_error_not_a_crash(repo):
    """Found by the fuzz test: Python's csv module raised `_csv.Error: new-line character seen in unquoted field`."""
    path = repo / "routes" / "volumes.csv"
    with path.open("a", encoding="utf-8", newline="") as f:
        f.write("x,y\r0,z\n")
    with pytest.raises(cm.DataError, match=r"routes/volumes.csv:row \d+: row: expected 9 fields, found 2 fields"):
        cm.validate(cm.load(repo))
