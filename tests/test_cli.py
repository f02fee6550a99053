"""The command line: help for every command, documented in README, exit codes, python -m."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from corridormap.cli import COMMANDS, build_parser, main

from .conftest import ROOT


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_has_help_with_an_example(command, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert f"usage: corridormap {command}" in out and "Example: corridormap " + command in out


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_is_documented_in_readme(command):
    assert f"corridormap {command}" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_gives_the_two_fresh_machine_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "pip install -e . && .venv/bin/corridormap build" in readme
    assert "pip install -e '.[test]' && .venv/bin/python -m pytest" in readme
    assert ".venv/bin/python -m pytest" in (ROOT / ".ci/run").read_text(encoding="utf-8")


def test_no_command_prints_help_and_exits_2(capsys):
    assert main([]) == 2
    assert "validate" in capsys.readouterr().out


def info(capsys, *args: str, root=ROOT) -> str:
    assert main(["--root", str(root), "info", *args]) == 0
    return capsys.readouterr().out


def block(out: str, cid: str) -> dict[str, str]:
    """A corridor's block of `corridormap info`: row title → the rest of the row."""
    for chunk in out.split("\n\n"):
        lines = chunk.strip("\n").splitlines()
        if lines and lines[0].startswith(f"{cid} — "):
            return dict(re.split(r"\s{2,}", line.strip(), maxsplit=1) for line in lines[1:])
    raise AssertionError(f"no block for {cid} in:\n{out}")


def test_info_lists_every_corridor_with_length(capsys):
    out = info(capsys)
    for cid in ("middle_corridor", "titr", "lapis_lazuli", "btc", "zangezur"):
        total = block(out, cid)["total"]
        assert float(total.split(" km")[0].replace(",", "")) > 100, total


def test_info_gives_the_btc_pipeline_and_its_tanker_feeder_apart(capsys, atlas):
    """BTC's 2,105.9 km are its pipeline plus the Aktau tanker leg: each given on its own, with its km per
    country, and the two add up to the total. Checked against the segments' own geodesic lengths."""
    import pyogrio

    from corridormap.measure import length_km

    rows = block(info(capsys), "btc")
    features = pyogrio.read_dataframe(ROOT / "routes/btc.geojson")
    own = sum(length_km(g) for g, m in zip(features.geometry, features["mode"]) if m == "pipeline")
    feeder = sum(length_km(g) for g, m in zip(features.geometry, features["mode"]) if m != "pipeline")
    km = {title: float(rest.split(" km")[0].replace(",", "")) for title, rest in rows.items() if " km" in rest}
    assert km["pipeline"] == pytest.approx(own, abs=0.05)
    assert km["+ feeder, sea"] == pytest.approx(feeder, abs=0.05)
    assert km["total"] == pytest.approx(own + feeder, abs=0.1)
    assert "KAZ Kazakhstan 4.0" in rows["+ feeder, sea"] and "Aktau" in rows["+ feeder, sea"]
    assert "KAZ" not in rows["pipeline"], "the pipeline itself does not reach Kazakhstan"
    parts = rows["pipeline"].split(" km", 1)[1].split("; ")
    by_country = [float(part.rsplit(" ", 1)[1].replace(",", "")) for part in parts]
    assert sum(by_country) == pytest.approx(km["pipeline"], abs=0.05 * len(by_country))


def test_info_names_every_country_beside_its_code(capsys, atlas):
    names = dict(zip(atlas.countries["iso3"], atlas.countries["name"]))
    out = info(capsys)
    codes = re.findall(r"\b([A-Z]{3}) ([^\d;]+?) [\d,]+\.\d\b", out)
    assert len(codes) > 40
    for iso3, name in codes:
        assert names[iso3] == name, (iso3, name)
    assert "ARM Armenia 35.2" in block(out, "zangezur")["countries (km)"]


def test_info_csv_rows_add_up_to_each_corridor(capsys, layers):
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(info(capsys, "--format", "csv"))))
    assert set(rows[0]) == {"corridor", "mode", "role", "iso3", "country", "km"}
    for _, c in layers.corridors.iterrows():
        mine = [r for r in rows if r["corridor"] == c["id"]]
        assert sum(float(r["km"]) for r in mine) == pytest.approx(c["length_km"], abs=0.1 * len(mine)), c["id"]
    roles = {(r["corridor"], r["mode"]): r["role"] for r in rows}
    assert roles["btc", "pipeline"] == "own line" and roles["btc", "sea"] == "feeder"
    assert roles["middle_corridor", "sea"] == "part", "a multimodal corridor's sea legs are part of it"


def test_readme_table_is_the_info_output(capsys):
    """The README's "corridors as traced" table is `corridormap info --format markdown`, verbatim."""
    table = info(capsys, "--format", "markdown")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert table in readme, "run `corridormap info --format markdown` and paste it into README.md"


def test_info_bad_format_exits_2(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--root", str(ROOT), "info", "--format", "xml"])
    assert exit_info.value.code == 2
    assert "invalid choice: 'xml'" in capsys.readouterr().err


def test_python_dash_m_works():
    result = subprocess.run([sys.executable, "-m", "corridormap", "--root", str(ROOT), "validate"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK: ")


def test_the_console_script_exits_at_once_with_every_line_written(capsys):
    """run() leaves through os._exit (no heap teardown): output still in the buffer (a short line into a pipe)
    must arrive, and usage errors keep argparse's exit code and message."""
    main(["--root", str(ROOT), "validate"])
    expected = capsys.readouterr().out
    buffered = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # as in a user's shell
    result = subprocess.run([sys.executable, "-m", "corridormap", "--root", str(ROOT), "validate"],
                            capture_output=True, text=True, check=False, env=buffered)
    assert result.returncode == 0, result.stderr
    assert result.stdout == expected and expected.startswith("OK: ")
    usage = subprocess.run([sys.executable, "-m", "corridormap", "--root", str(ROOT), "info", "--format", "xml"],
                           capture_output=True, text=True, check=False)
    assert usage.returncode == 2
    assert "invalid choice: 'xml'" in usage.stderr


def test_bad_data_exits_1_through_the_console_script(repo):
    (repo / "routes/btc.geojson").write_text("{", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "corridormap", "--root", str(repo), "export"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert result.stderr.splitlines()[1].startswith("routes/btc.geojson:line 1 column 2: json: expected valid JSON")
    assert not (repo / "maps").exists()


def test_parser_lists_all_commands():
    text = build_parser().format_help()
    assert all(name in text for name in COMMANDS)
