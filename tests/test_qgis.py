"""The GeoPackage's QGIS styles, read back through GDAL as QGIS reads them: the ``layer_styles`` table."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pyogrio
import pytest

from corridormap import style
from corridormap.export import write_gpkg
from corridormap.qgis import MM_PER_PX, rgba


@pytest.fixture(scope="module")
def gpkg(layers, tmp_path_factory):
    return write_gpkg(layers, tmp_path_factory.mktemp("gpkg") / "corridormap.gpkg")


@pytest.fixture(scope="module")
def styles(gpkg):
    frame = pyogrio.read_dataframe(gpkg, layer="layer_styles", read_geometry=False)
    return {row.f_table_name: row for row in frame.itertuples()}


def rules(qml: str) -> list[tuple[dict[str, str], ET.Element]]:
    """(conditions of the rule's filter, its symbol) for each rule of a rule-based renderer."""
    root = ET.fromstring(qml.split("\n", 1)[1])
    symbols = {s.get("name"): s for s in root.iter("symbol")}
    out = []
    for rule in root.iter("rule"):
        conditions = dict(re.findall(r"\"(\w+)\" = '((?:[^']|'')*)'", rule.get("filter")))
        out.append((conditions, symbols[rule.get("symbol")]))
    return out


def options(layer: ET.Element) -> dict[str, str]:
    return {o.get("name"): o.get("value") for o in layer.iter("Option") if o.get("name")}


def test_layer_styles_is_the_qgis_table_for_each_spatial_layer(gpkg, styles):
    info = pyogrio.read_info(gpkg, layer="layer_styles")
    assert info["geometry_type"] is None
    assert {"f_table_name", "f_geometry_column", "styleName", "styleQML", "styleSLD", "useAsDefault",
            "update_time"} <= set(info["fields"])
    assert set(styles) == {"segments", "corridors", "nodes"}
    for table, row in styles.items():
        assert row.useAsDefault is True or row.useAsDefault == 1
        assert row.f_geometry_column == pyogrio.read_info(gpkg, layer=table)["geometry_name"]


def test_every_segment_matches_exactly_one_rule_with_its_corridor_colour_and_status_dash(gpkg, styles, layers):
    segments = pyogrio.read_dataframe(gpkg, layer="segments")
    colours = dict(zip(layers.corridors["id"], layers.corridors["color"]))
    parsed = rules(styles["segments"].styleQML)
    for seg in segments.itertuples():
        matching = [sym for cond, sym in parsed
                    if all(getattr(seg, field) == value.replace("''", "'") for field, value in cond.items())]
        assert len(matching) == 1, seg.id
        lines = [options(layer) for layer in matching[0].iter("layer")]
        top = lines[-1]
        expected = style.line_style(colours[seg.corridor], seg.status, seg.mode)
        assert top["line_color"] == rgba(expected.color, expected.opacity)
        assert float(top["line_width"]) == pytest.approx(expected.weight * MM_PER_PX, abs=0.01)
        assert (top["use_custom_dash"] == "1") == (expected.dash is not None)
        assert (len(lines) == 2) == (expected.casing is not None), seg.id


def test_construction_and_planned_zangezur_sections_are_dashed(styles):
    dashed = {cond["status"] for cond, sym in rules(styles["segments"].styleQML)
              if cond["corridor"] == "zangezur" and options(list(sym.iter("layer"))[-1])["use_custom_dash"] == "1"}
    assert dashed == {"construction", "planned"}


def test_corridors_and_nodes_styled_by_id_and_kind(gpkg, styles, layers):
    corridor_rules = {cond["id"]: options(next(sym.iter("layer")))["line_color"]
                      for cond, sym in rules(styles["corridors"].styleQML)}
    assert corridor_rules == {r.id: rgba(r.color, 0.95) for r in layers.corridors.itertuples()}
    kinds = set(pyogrio.read_dataframe(gpkg, layer="nodes")["kind"])
    node_rules = {cond["kind"] for cond, _ in rules(styles["nodes"].styleQML)}
    assert node_rules == kinds
    assert 'fieldName="name"' in styles["nodes"].styleQML
