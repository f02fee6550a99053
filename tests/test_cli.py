"""The command line: help for every command, documented in README, exit codes, python -m."""

from __future__ import annotations

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


def test_info_lists_every_corridor_with_length(capsys):
    assert main(["--root", str(ROOT), "info"]) == 0
    out = capsys.readouterr().out
    for cid in ("middle_corridor", "titr", "lapis_lazuli", "btc", "zangezur"):
        line = next(line for line in out.splitlines() if line.startswith(cid + " "))
        assert float(line.split()[1]) > 100


def test_python_dash_m_works():
    result = subprocess.run([sys.executable, "-m", "corridormap", "--root", str(ROOT), "validate"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK: ")


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
