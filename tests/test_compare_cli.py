"""``corridormap route`` and ``corridormap compare``: formats, and every error by its exact text (exit 1)."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from corridormap.cli import main

from .conftest import ROOT

#: A provisional parameter table for tests of the command's output (round numbers; the real, cited table is
#: routes/parameters.csv). The source ids exist in routes/sources.csv.
PROVISIONAL = """id,parameter,mode,iso3,applies_to,low,high,unit,source,quote,note
t_rail,speed,rail,,,600,1000,km/day,pub:etm_utlc_slawkow,[paraphrase] provisional test value,
t_road,speed,road,,,300,500,km/day,pub:etm_utlc_slawkow,[paraphrase] provisional test value,
t_sea,speed,sea,,,300,400,km/day,pub:etm_utlc_slawkow,[paraphrase] provisional test value,
t_wait,ferry_wait,sea,,,1,3,day,pub:etm_utlc_slawkow,[paraphrase] provisional test value,
t_border,border,,,,6,24,h,pub:etm_utlc_slawkow,[paraphrase] provisional test value,
t_port,transshipment,sea,,,1,2,day,pub:etm_utlc_slawkow,[paraphrase] provisional test value,
t_road_rail,transshipment,road,,,6,12,h,pub:etm_utlc_slawkow,[paraphrase] provisional test value,
"""


@pytest.fixture(scope="module")
def timed(tmp_path_factory) -> Path:
    """A scratch repository whose parameters are the provisional table (one per module: no test changes it)."""
    repo = tmp_path_factory.mktemp("timed")
    for name in ("geo", "routes"):
        shutil.copytree(ROOT / name, repo / name)
    (repo / "routes/parameters.csv").write_text(PROVISIONAL, encoding="utf-8")
    return repo


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main([*args])
    out, err = capsys.readouterr()
    return code, out, err


# -- errors, by their exact text ---------------------------------------------------------------------------------

ERRORS = [
    (["route", "bakuu", "kars"],
     "Error: FROM: unknown node 'bakuu', expected a node id of geo/nodes.csv; close matches: baku, aktau\n"),
    (["route", "baku", "karz"],
     "Error: TO: unknown node 'karz', expected a node id of geo/nodes.csv; close matches: kars, ankara\n"),
    (["route", "baku", "kars", "--avoid", "GRG"],
     "Error: --avoid: unknown country 'GRG', expected an ISO3 code of geo/countries.geojson; close matches: GRC, "
     "BGR\n"),
    (["route", "baku", "kars", "--via", "qqqqq"],
     "Error: --via: unknown node 'qqqqq', expected a node id of geo/nodes.csv; no close match (see geo/nodes.csv)\n"),
    (["route", "ceyhan", "kars"],
     "Error: FROM: node 'ceyhan' (Ceyhan Marine Terminal (Haydar Aliyev terminal, Gölovası)) is on no rail, road "
     "or sea leg of the network\n"),
    (["route", "baku", "kars", "--avoid", "AZE"], "Error: FROM baku (Baku) lies in AZE, which --avoid excludes\n"),
    (["route", "baku", "baku"], "Error: FROM and TO are the same node: baku\n"),
    (["route", "baku", "alat", "--via", "kars"],
     "Error: no route from baku (Baku) to alat (Alat (Port of Baku / Alat rail junction)) with --status operating "
     "--via kars: --via kars cuts every route (there is one without it)\n"),
    (["route", "ordubad_border", "ordubad"],
     "Error: no route from ordubad_border (Nakhchivan–Armenia border on the Araz (Kotam, Ordubad district)) to "
     "ordubad (Ordubad) with --status operating: --status operating cuts every route (--status construction has "
     "one)\n"),
    (["compare", "nope"],
     "Error: unknown scenario 'nope': expected one of china_eu, baku_nakhchivan, baku_kars, torghundi_istanbul\n"),
]


@pytest.mark.parametrize(("args", "expected"), ERRORS, ids=[" ".join(a) for a, _ in ERRORS])
def test_errors_exit_1_with_their_exact_text(capsys, timed, args, expected):
    code, out, err = run(capsys, "--root", str(timed), *args)
    assert code == 1 and out == ""
    assert err == expected


def test_avoid_that_cuts_every_route_is_named(capsys, timed):
    code, _, err = run(capsys, "--root", str(timed), "route", "herat", "istanbul", "--avoid", "TKM,IRN")
    assert code == 1
    assert err == ("Error: no route from herat (Herat) to istanbul (Istanbul) with --status operating --avoid "
                   "IRN,TKM: --avoid IRN,TKM cuts every route (there is one without it)\n")


def test_missing_parameters_are_named(capsys, repo):
    without_road = "".join(line for line in PROVISIONAL.splitlines(keepends=True) if not line.startswith("t_road,"))
    (repo / "routes/parameters.csv").write_text(without_road, encoding="utf-8")
    code, _, err = run(capsys, "--root", str(repo), "route", "herat", "torghundi")
    assert code == 1
    assert err == ("Error: no route from herat (Herat) to torghundi (Torghundi) with --status operating: the only "
                   "routes need times that routes/parameters.csv does not give: no speed for road on "
                   "lapis_lazuli/herat_torghundi in AFG\n")


# -- output --------------------------------------------------------------------------------------------------------

def test_json_is_the_documented_shape(capsys, timed):
    code, out, _ = run(capsys, "--root", str(timed), "route", "baku", "kars", "--status", "all", "--alternatives",
                       "2", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert list(data) == ["from", "to", "alternatives"] and (data["from"], data["to"]) == ("baku", "kars")
    assert len(data["alternatives"]) >= 2
    for alt in data["alternatives"]:
        assert list(alt) == ["name", "km", "days", "border_crossings", "transshipments", "countries", "legs"]
        assert alt["km"] == pytest.approx(sum(leg["km"] for leg in alt["legs"]), abs=0.05)
        assert alt["days"][0] < alt["days"][1]
        assert alt["countries"][0] == "AZE" and alt["countries"][-1] == "TUR"
        for leg in alt["legs"]:
            assert list(leg) == ["segment", "km", "mode", "status", "countries"]
    by_country = {tuple(a["countries"]): a for a in data["alternatives"]}
    btk = by_country[("AZE", "GEO", "TUR")]
    assert [leg["segment"] for leg in btk["legs"]][:2] == ["btk/baku_alat", "btk/alat_tbilisi"]
    assert btk["border_crossings"] == 2 and btk["transshipments"] == 0
    via_nakhchivan = next(a for a in data["alternatives"] if "zangezur/julfa_nakhchivan" in
                          [leg["segment"] for leg in a["legs"]])
    assert "construction" in {leg["status"] for leg in via_nakhchivan["legs"]}


def test_avoid_and_status_change_the_answer(capsys, timed):
    _, out, _ = run(capsys, "--root", str(timed), "route", "baku", "kars", "--status", "all", "--avoid", "GEO",
                    "--alternatives", "3", "--format", "json")
    alternatives = json.loads(out)["alternatives"]
    assert alternatives and all("GEO" not in a["countries"] for a in alternatives)
    for a in alternatives:
        assert all("GEO" not in leg["countries"] for leg in a["legs"])
    _, out, _ = run(capsys, "--root", str(timed), "route", "baku", "kars", "--alternatives", "3", "--format", "json")
    assert {leg["status"] for a in json.loads(out)["alternatives"] for leg in a["legs"]} == {"operating"}


def test_table_and_csv(capsys, timed):
    code, out, _ = run(capsys, "--root", str(timed), "route", "torghundi", "istanbul")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Torghundi (torghundi) → Istanbul (istanbul), --status operating"
    assert lines[2].split() == ["#", "alternative", "km", "days", "borders", "transshipments", "countries", "status"]
    assert "Times from routes/parameters.csv:" in out and "t_rail: speed rail" in out
    _, out, _ = run(capsys, "--root", str(timed), "route", "torghundi", "istanbul", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows and rows[0]["countries"].startswith("AFG;TKM")
    assert float(rows[0]["days_low"]) <= float(rows[0]["days_high"])


def test_compare_gives_every_scenario_with_two_alternatives(capsys):
    code, out, _ = run(capsys, "--root", str(ROOT), "compare", "--format", "json")
    assert code == 0
    scenarios = json.loads(out)["scenarios"]
    assert [s["id"] for s in scenarios] == ["china_eu", "baku_nakhchivan", "baku_kars", "torghundi_istanbul"]
    for s in scenarios:
        routed = [a for a in s["alternatives"] if a["route"] is not None]
        assert len(routed) >= 2, s["id"]
        for a in routed:
            assert a["route"]["km"] == pytest.approx(sum(leg["km"] for leg in a["route"]["legs"]), abs=0.05)
        assert s["parameters"]
    code, out, _ = run(capsys, "--root", str(ROOT), "compare", "china_eu")
    assert code == 0 and out.startswith("China border to the EU border")
    assert out.splitlines()[1].split()[-1] == "published"
    code, out, _ = run(capsys, "--root", str(ROOT), "compare", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["scenario"] for r in rows} == {s["id"] for s in scenarios}
