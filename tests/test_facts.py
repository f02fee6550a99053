"""Volumes and agreements: validation of the tables, the join onto corridors and countries, the facts command."""

from __future__ import annotations

import json

import pytest

from corridormap import facts
from corridormap.cli import main

from .test_validate import csv_rows, edit_csv, expect, write_rows


def test_period_ordering():
    assert facts.period_end("2022-H1") < facts.period_end("2022") < facts.period_end("2023-01/2023-02")
    assert facts.period_year("2022-01/2024-01") == 2024


def test_country_subjects():
    assert facts.country_subject("AZE-KAZ") == ("AZE", "-", "KAZ")
    assert facts.country_subject("KAZ>AZE") == ("KAZ", ">", "AZE")
    assert facts.country_subject("btc") is None


def test_unknown_subject_is_an_error_not_dropped(repo, capsys):
    row = edit_csv(repo / "routes/volumes.csv", 0, subject="atlantis")
    expect(repo, capsys, f"routes/volumes.csv:row {row}: subject: expected a corridor id, corridor/segment, node id "
                         "or ISO3 subject (AZE, AZE-KAZ, KAZ>AZE; groups: SCO), found 'atlantis'")


@pytest.mark.parametrize(("field", "value", "expected"), [
    ("value", "1,2 million", "a plain number (no units or separators)"),
    ("unit", "million USD", "one of USD, t, bbl, bbl/day, m3, m3/year, m3/day, t/year, TEU, TEU/year, %, km"),
    ("qualifier", "roughly", "one of exact, approx, more_than, less_than, target, planned"),
    ("period", "2022/H1", "a period like 2019, 2022-H1, 2022-01/2022-02 or 2005/2020"),
    ("source", "seed:999", "a source id from routes/sources.csv"),
    ("quote", "", "a value"),
    ("metric", "vibes", "one of trade_turnover, exports, imports, investment, contracts, cargo, oil, gas, "
                        "containers, growth, trade_share, capacity, transit, length"),
])
def test_bad_volume_fields(repo, capsys, field, value, expected):
    row = edit_csv(repo / "routes/volumes.csv", 0, **{field: value})
    shown = "an empty value" if value == "" else repr(value)
    expect(repo, capsys, f"routes/volumes.csv:row {row}: {field}: expected {expected}, found {shown}")


@pytest.mark.parametrize(("field", "value", "expected"), [
    ("date", "15.11.2017", "an ISO 8601 date (2017, 2017-11, 2017-11-15)"),
    ("kind", "handshake", "one of treaty, agreement, declaration, protocol, memorandum, road_map, program, "
                          "contract, convention"),
    ("parties", "AZE;XYZ", "ISO3 country codes separated by ;"),
    ("place", "atlantis", "a node id from geo/nodes.csv"),
    ("corridors", "silk_road", "corridor ids separated by ;"),
])
def test_bad_agreement_fields(repo, capsys, field, value, expected):
    row = edit_csv(repo / "routes/agreements.csv", 0, **{field: value})
    shown = {"parties": "'XYZ'"}.get(field, repr(value))
    expect(repo, capsys, f"routes/agreements.csv:row {row}: {field}: expected {expected}, found {shown}")


def test_duplicate_agreement_id(repo, capsys):
    rows = csv_rows(repo / "routes/agreements.csv")
    rows.append(dict(rows[0]))
    write_rows(repo / "routes/agreements.csv", rows)
    expect(repo, capsys, f"routes/agreements.csv:row {len(rows) + 1}: id: expected a unique id, found "
                         f"'{rows[0]['id']}', already used in row 2")


def test_javascript_url_in_sources_is_rejected(repo, capsys):
    row = edit_csv(repo / "routes/sources.csv", 0, url="javascript:alert(1)")
    expect(repo, capsys, f"routes/sources.csv:row {row}: url: expected an http(s) URL, found 'javascript:alert(1)'")


def test_btc_carries_the_kazakh_oil_volumes(layers):
    btc = layers.facts["btc"].volumes
    assert len(btc[btc["metric"] == "oil"]) >= 1
    assert any("Kazakh" in q or "Kazakhstan" in q for q in btc["quote"])


def test_aze_kaz_turnover_attaches_to_kazakhstan(layers):
    kaz = layers.countries.set_index("iso3").loc["KAZ"]
    assert kaz["turnover_aze_usd"] > 0 and kaz["turnover_aze_period"]
    assert kaz["turnover_aze_source"].startswith(("seed:", "pub:"))


def test_lapis_lazuli_agreement_in_its_corridor(layers, atlas):
    named = atlas.agreements[atlas.agreements["corridors"].str.contains("lapis_lazuli")]
    assert len(named) >= 1
    assert set(named["id"]) <= set(layers.facts["lapis_lazuli"].agreements["id"])


def test_latest_excludes_targets(layers):
    for cf in layers.facts.values():
        assert not cf.latest["qualifier"].isin(facts.FORWARD).any()


def test_agreement_points_fall_back_to_first_party_capital(layers):
    assert len(layers.agreements) == len(layers.atlas.agreements)
    unplaced = layers.agreements[layers.agreements["place"] == ""]
    assert (unplaced["located_at"].str.startswith("capital of ")).all()
    # KazMunayGas-SOCAR (parties KAZ;AZE): Kazakhstan's capital, which GeoNames lists as Nur-Sultan/Astana.
    kmg = layers.agreements.set_index("id").loc["kmg_socar_oil_transit_2022"]
    assert kmg["located_at"] == "capital of KAZ"
    assert (round(kmg.geometry.x, 2), round(kmg.geometry.y, 2)) == (71.45, 51.18)


def test_facts_command_json_filters_by_corridor(root, capsys):
    assert main(["--root", str(root), "facts", "--corridor", "btc", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["volumes"] and all(v["subject"].split("/")[0] in ("btc",) for v in data["volumes"])
    assert all(v["source_title"] for v in data["volumes"])


def test_facts_command_table_by_country_and_metric(root, capsys):
    assert main(["--root", str(root), "facts", "--country", "KAZ", "--metric", "trade_turnover"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].endswith("volume rows") and "trade_turnover" in out and "0 agreements" in out


def test_facts_command_csv(root, capsys):
    assert main(["--root", str(root), "facts", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("type,subject,metric,period,value")


def test_umbrella_corridor_shows_included_corridors_volumes_for_metrics_it_lacks(layers):
    mc = layers.facts["middle_corridor"].volumes
    assert (mc["subject"] == "titr").any() and (mc["metric"] == "cargo").any()
    titr = layers.facts["titr"].volumes
    assert not (titr["subject"] == "btk").any(), "TITR has its own capacity rows; BTK's are not mixed in"
