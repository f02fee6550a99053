"""QGIS layer styles for the GeoPackage: the ``layer_styles`` table (QGIS's convention) with one QML style per
spatial layer, so that segments, corridors and nodes open in QGIS with the atlas colours, dashes and casings.

QGIS reads the table when a layer of the GeoPackage is added and applies the row whose ``useAsDefault`` is true.
The styles are built from :mod:`corridormap.style`, the same table the HTML maps and slides draw with.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from xml.sax.saxutils import quoteattr

import pandas as pd

from . import style
from .join import Layers

#: QGIS's ``layer_styles`` columns, in its order (``id`` is the GeoPackage primary key).
COLUMNS = ("f_table_catalog", "f_table_schema", "f_table_name", "f_geometry_column", "styleName", "styleQML",
           "styleSLD", "useAsDefault", "description", "owner", "ui", "update_time")
#: A fixed time, so that the same data gives a byte-identical GeoPackage.
UPDATE_TIME = pd.Timestamp("2000-01-01T00:00:00Z")
#: Screen pixels at 1920 px → QGIS millimetres (QGIS's default 96 dpi: 1 px = 0.2646 mm).
MM_PER_PX = 0.2646
QML_HEAD = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"


@dataclass(frozen=True)
class Rule:
    """One rule of a rule-based renderer: a QGIS expression and the symbol layers drawn for it."""

    label: str
    filter: str
    symbol: str


def rgba(hex_color: str, opacity: float = 1.0) -> str:
    """QGIS colour text ``r,g,b,a``.

    >>> rgba("#D55E00", 0.5)
    '213,94,0,128'
    """
    h = hex_color.lstrip("#")
    return f"{int(h[0:2], 16)},{int(h[2:4], 16)},{int(h[4:6], 16)},{round(opacity * 255)}"


def options(values: dict[str, str]) -> str:
    items = "".join(f'<Option type="QString" name={quoteattr(k)} value={quoteattr(v)}/>' for k, v in values.items())
    return f'<Option type="Map">{items}</Option>'


def line_layer(color: str, width_px: float, opacity: float, dash: str | None) -> str:
    """A SimpleLine symbol layer; *dash* is the atlas's SVG dash array in pixels (``"10 6"``)."""
    values = {"line_color": rgba(color, opacity), "line_width": f"{width_px * MM_PER_PX:.2f}",
              "line_width_unit": "MM", "capstyle": "flat" if dash else "round", "joinstyle": "round",
              "line_style": "solid", "use_custom_dash": "1" if dash else "0",
              "customdash": ";".join(f"{float(d) * MM_PER_PX:.2f}" for d in dash.split()) if dash else "5;2",
              "customdash_unit": "MM"}
    return f'<layer class="SimpleLine" enabled="1" locked="0" pass="0">{options(values)}</layer>'


def marker_layer(color: str, size_px: float) -> str:
    values = {"name": "circle", "color": rgba(color), "outline_color": "255,255,255,255",
              "outline_width": "0.3", "outline_width_unit": "MM", "size": f"{size_px * MM_PER_PX:.2f}",
              "size_unit": "MM"}
    return f'<layer class="SimpleMarker" enabled="1" locked="0" pass="0">{options(values)}</layer>'


def segment_symbol(color: str, status: str, mode: str) -> str:
    """The atlas's line for a segment: colour by corridor, dash and opacity by status, weight and casing by mode."""
    s = style.line_style(color, status, mode)
    layers = []
    if s.casing:
        layers.append(line_layer(s.casing, s.weight + style.CASING_EXTRA, 0.9, None))
    layers.append(line_layer(s.color, s.weight, s.opacity, s.dash))
    return "".join(layers)


def quoted(value: str) -> str:
    """A QGIS expression string literal.

    >>> quoted("Kars'")
    "'Kars'''"
    """
    return "'" + value.replace("'", "''") + "'"


def rule_renderer(rules: list[Rule], geometry: str) -> str:
    """QML of a rule-based renderer (``line`` or ``marker`` symbols) with one rule per entry of *rules*."""
    rule_xml = "".join(f'<rule key="r{i}" symbol="{i}" label={quoteattr(r.label)} filter={quoteattr(r.filter)}/>'
                       for i, r in enumerate(rules))
    symbols = "".join(f'<symbol type="{geometry}" name="{i}" alpha="1" clip_to_extent="1" force_rhr="0">'
                      f"{r.symbol}</symbol>" for i, r in enumerate(rules))
    return (f'{QML_HEAD}<qgis version="3.28.0" styleCategories="Symbology|Labeling">'
            f'<renderer-v2 type="RuleRenderer" symbollevels="0" enableorderby="0" forceraster="0">'
            f'<rules key="root">{rule_xml}</rules><symbols>{symbols}</symbols></renderer-v2>'
            f"{labeling(geometry)}</qgis>\n")


def labeling(geometry: str) -> str:
    """Node names as QGIS labels (nodes only)."""
    if geometry != "marker":
        return ""
    return ('<labeling type="simple"><settings calloutType="simple">'
            '<text-style fieldName="name" fontSize="8" fontSizeUnit="Point" textColor="40,40,40,255">'
            '<text-buffer bufferDraw="1" bufferSize="0.8" bufferColor="255,255,255,255"/></text-style>'
            '<placement placement="0" dist="1.5" distUnits="MM"/>'
            '<rendering scaleVisibility="1" scaleMin="1" scaleMax="8000000"/></settings></labeling>')


def segment_rules(layers: Layers) -> list[Rule]:
    """One rule per (corridor file, status, mode) that the segments layer holds."""
    colors = dict(zip(layers.corridors["id"], layers.corridors["color"]))
    names = dict(zip(layers.corridors["id"], layers.corridors["name"]))
    combos = layers.segments[["corridor", "status", "mode"]].drop_duplicates().itertuples(index=False)
    return [Rule(f"{names[c]}: {style.MODE[m]['label']}, {style.STATUS[s]['label']}",
                 f'"corridor" = {quoted(c)} AND "status" = {quoted(s)} AND "mode" = {quoted(m)}',
                 segment_symbol(colors[c], s, m)) for c, s, m in combos]


def corridor_rules(layers: Layers) -> list[Rule]:
    return [Rule(str(r.name), f'"id" = {quoted(str(r.id))}', line_layer(str(r.color), 4.0, 0.95, None))
            for r in layers.corridors.itertuples()]


def node_rules(kinds: Iterable[str]) -> list[Rule]:
    return [Rule(kind.replace("_", " "), f'"kind" = {quoted(kind)}', marker_layer(style.NODE_COLORS[kind], 8))
            for kind in kinds]


def layer_styles(layers: Layers) -> pd.DataFrame:
    """The ``layer_styles`` table for the GeoPackage's ``segments``, ``corridors`` and ``nodes`` layers."""
    styles = {"segments": (rule_renderer(segment_rules(layers), "line"), "colour by corridor, dash by status"),
              "corridors": (rule_renderer(corridor_rules(layers), "line"), "one colour per corridor"),
              "nodes": (rule_renderer(node_rules(sorted(set(layers.nodes["kind"]))), "marker"), "colour by kind")}
    rows = [{"f_table_catalog": "", "f_table_schema": "", "f_table_name": table, "f_geometry_column": "geom",
             "styleName": f"corridormap {table}", "styleQML": qml, "styleSLD": "", "useAsDefault": True,
             "description": f"corridormap atlas style: {what}", "owner": "corridormap", "ui": "",
             "update_time": UPDATE_TIME} for table, (qml, what) in styles.items()]
    return pd.DataFrame(rows, columns=list(COLUMNS))
