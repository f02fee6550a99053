"""One style table for HTML maps and slides: colour per corridor, dash by status, weight and casing by mode,
width by volume, the trade colour scale. Lookup tables are data."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypedDict

from .schema import LICENCES


class StatusStyle(TypedDict):
    dash: str | None
    opacity: float
    label: str


class ModeStyle(TypedDict):
    weight: float
    casing: str | None
    label: str


#: Line pattern and opacity by status: operating solid, construction dashed, planned/proposed dotted and fainter.
STATUS: dict[str, StatusStyle] = {
    "operating": {"dash": None, "opacity": 0.95, "label": "operating"},
    "construction": {"dash": "10 6", "opacity": 0.9, "label": "under construction"},
    "planned": {"dash": "2 7", "opacity": 0.75, "label": "planned"},
    "proposed": {"dash": "1 9", "opacity": 0.6, "label": "proposed"},
    "suspended": {"dash": "14 5 2 5", "opacity": 0.5, "label": "suspended"},
}

#: Base weight (px at 1920 px width) and casing by mode: sea legs have a white halo, pipelines a dark casing.
MODE: dict[str, ModeStyle] = {
    "rail": {"weight": 4.0, "casing": None, "label": "rail"},
    "road": {"weight": 3.0, "casing": None, "label": "road"},
    "sea": {"weight": 3.0, "casing": "#ffffff", "label": "sea leg"},
    "pipeline": {"weight": 3.5, "casing": "#333333", "label": "pipeline"},
    "cable": {"weight": 2.0, "casing": "#ffffff", "label": "cable"},
}
CASING_EXTRA = 3.0

#: Example tonnages shown in the width legend.
WIDTH_EXAMPLES = (1e6, 10e6, 30e6)

#: Trade choropleth: upper bounds (USD) and a sequential colour-blind-safe ramp (ColorBrewer YlGnBu 5).
TRADE_BINS = (10e6, 50e6, 200e6, 1e9, math.inf)
TRADE_COLORS = ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494")
TRADE_NO_DATA = "#f2f2ef"

LAND = "#f2f2ef"
BORDER = "#b5b5ad"
SEA = "#d6e6f2"
#: Slides: beyond the base map's region (geo/countries.geojson covers lon 12–112, lat 22–60 only).
OUTSIDE = "#e4e4de"
NODE_COLORS = {"city": "#444444", "port": "#0b5394", "terminal": "#7f3f00", "station": "#555555",
               "border_crossing": "#990000", "junction": "#555555"}
AGREEMENT_COLOR = "#6a3d9a"


@dataclass(frozen=True)
class LineStyle:
    color: str
    weight: float
    opacity: float
    dash: str | None
    casing: str | None

    def leaflet(self) -> dict:
        """Leaflet Path options."""
        return {"color": self.color, "weight": round(self.weight, 2), "opacity": self.opacity,
                "dashArray": self.dash, "lineCap": "butt" if self.dash else "round"}

    def leaflet_casing(self) -> dict | None:
        if self.casing is None:
            return None
        return {"color": self.casing, "weight": round(self.weight + CASING_EXTRA, 2), "opacity": 0.9,
                "lineCap": "round"}


def volume_bonus(tonnes: float | None) -> float:
    """Extra line width for a corridor carrying *tonnes* a year: 0 without data, growing with log2 of Mt.

    >>> volume_bonus(None), volume_bonus(float("nan")), round(volume_bonus(1e6), 2), round(volume_bonus(31e6), 2)
    (0.0, 0.0, 1.0, 5.0)
    """
    if tonnes is None or not tonnes > 0:  # NaN (no tonnage in a joined column) is not > 0
        return 0.0
    return min(5.0, math.log2(1 + tonnes / 1e6))


def line_style(color: str, status: str, mode: str, tonnes: float | None = None) -> LineStyle:
    s, m = STATUS.get(status, STATUS["proposed"]), MODE.get(mode, MODE["rail"])
    return LineStyle(color, m["weight"] + volume_bonus(tonnes), s["opacity"], s["dash"], m["casing"])


def trade_color(usd: float | None) -> str:
    """The choropleth colour of a turnover in USD.

    >>> trade_color(None), trade_color(5e6), trade_color(2e9)
    ('#f2f2ef', '#ffffcc', '#253494')
    """
    if usd is None or usd != usd:
        return TRADE_NO_DATA
    for bound, color in zip(TRADE_BINS, TRADE_COLORS):
        if usd < bound:
            return color
    return TRADE_COLORS[-1]


def trade_legend() -> list[tuple[str, str]]:
    """(colour, label) per class of the trade choropleth."""
    labels, low = [], 0.0
    for bound, color in zip(TRADE_BINS, TRADE_COLORS):
        labels.append((color, f"≥ {money(low)}" if bound == math.inf else f"{money(low)} – {money(bound)}"))
        low = bound
    return labels


def money(usd: float) -> str:
    """``$1.2 bn``, ``$450 m``, ``$0``.

    >>> money(1.2e9), money(450e6), money(0)
    ('$1.2 bn', '$450 m', '$0')
    """
    if usd >= 1e9:
        return f"${usd / 1e9:.3g} bn"
    if usd >= 1e6:
        return f"${usd / 1e6:.3g} m"
    return f"${usd:,.0f}"


def licence_credits(licences: Iterable[object]) -> str:
    """The credit line owed for the shown segments' ``licence`` values ('' when none carries one).

    >>> licence_credits(["", "CC BY 4.0, Global Energy Monitor", "ODbL-1.0, © OpenStreetMap contributors"])
    'Route geometry: © OpenStreetMap contributors (ODbL); Global Energy Monitor (CC BY 4.0).'
    >>> licence_credits([None, ""])
    ''
    """
    present = {str(v) for v in licences if v}
    credits = [credit for licence, credit in LICENCES.items() if licence in present]
    return f"Route geometry: {'; '.join(credits)}." if credits else ""
