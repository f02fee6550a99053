"""How the HTML maps draw the corridors so that each stays distinguishable where they share track.

The rule (README, "Line widths"): every corridor is one colour; a line's width is its mode's base width plus a
small, capped bonus for the corridor's latest annual tonnage; pipelines get a thin dark casing and sea legs and
cables a thin white halo (1 px a side). Where several corridors draw the same segment, each is drawn beside the
others, offset sideways in screen pixels (like a metro map), in the order of ``routes/corridors.csv``, so that a
segment shared by Middle Corridor, TITR, Lapis Lazuli and BTK shows four parallel lines at every zoom.
Dash and opacity follow the status (:data:`corridormap.style.STATUS`).
"""

from __future__ import annotations

import math

import pandas as pd

from .. import style
from ..join import Layers, per_layers

#: Base width (px) by mode in the HTML maps (the slides use :data:`style.MODE` at 1920 px).
WEIGHT = {"rail": 3.0, "road": 2.5, "sea": 2.5, "pipeline": 3.0, "cable": 2.0}
#: Casing/halo: this many px wider than the line (half on each side).
CASING_EXTRA = 2.0
#: Largest width bonus (px) for tonnage, and the gap (px) between parallel lines of shared track.
MAX_BONUS = 2.5
GAP = 1.0


def bonus(tonnes: float | None) -> float:
    """Extra width for *tonnes* a year: half a pixel per doubling of Mt, at most :data:`MAX_BONUS`.

    >>> bonus(None), bonus(1e6), round(bonus(30e6), 2), bonus(1e9)
    (0.0, 0.5, 2.48, 2.5)
    """
    if tonnes is None or not tonnes > 0:
        return 0.0
    return min(MAX_BONUS, 0.5 * math.log2(1 + tonnes / 1e6))


def weight(mode: str, tonnes: float | None = None) -> float:
    return WEIGHT.get(mode, WEIGHT["rail"]) + bonus(tonnes)


def leaflet_style(color: str, status: str, mode: str, tonnes: float | None, offset: float) -> dict:
    """Leaflet Path options of one corridor's line on one segment."""
    s = style.STATUS.get(status, style.STATUS["proposed"])
    options = {"color": color, "weight": round(weight(mode, tonnes), 2), "opacity": s["opacity"],
               "dashArray": s["dash"], "lineCap": "butt" if s["dash"] else "round"}
    if offset:
        options["offset"] = offset
    return options


def leaflet_casing(mode: str, tonnes: float | None, offset: float) -> dict | None:
    casing = style.MODE.get(mode, style.MODE["rail"])["casing"]
    if casing is None:
        return None
    options = {"color": casing, "weight": round(weight(mode, tonnes) + CASING_EXTRA, 2), "opacity": 0.9,
               "lineCap": "round"}
    if offset:
        options["offset"] = offset
    return options


def latest_tonnes(layers: Layers, cid: str) -> float | None:
    value = layers.corridor(cid)["latest_tonnes"]
    return None if value is None or pd.isna(value) else float(value)


def direction(geom) -> float:
    """+1 or -1 so that offsets point the same way on segments digitised in opposite directions."""
    (x0, y0), (x1, y1) = geom.coords[0], geom.coords[-1]
    if abs(x1 - x0) >= abs(y1 - y0):
        return 1.0 if x1 >= x0 else -1.0
    return 1.0 if y1 >= y0 else -1.0


@per_layers
def offsets(layers: Layers) -> dict[tuple[str, str], float]:
    """(segment id, corridor id) → sideways offset in px of that corridor's line on that segment (0 alone)."""
    order = {cid: i for i, cid in enumerate(layers.corridors["id"])}
    drawing: dict[str, list[str]] = {}
    for cid in layers.corridors["id"]:
        for sid in layers.members[cid]["id"]:
            drawing.setdefault(sid, []).append(cid)
    modes = dict(zip(layers.segments["id"], layers.segments["mode"]))
    geoms = dict(zip(layers.segments["id"], layers.segments.geometry))
    tonnes = {cid: None if pd.isna(t) else float(t)
              for cid, t in zip(layers.corridors["id"], layers.corridors["latest_tonnes"])}
    out: dict[tuple[str, str], float] = {}
    for sid, cids in drawing.items():
        cids = sorted(cids, key=order.__getitem__)
        if len(cids) == 1:
            out[(sid, cids[0])] = 0.0
            continue
        widths = [weight(modes[sid], tonnes[c]) for c in cids]
        total = sum(widths) + GAP * (len(cids) - 1)
        geom = geoms[sid]
        sign, at = direction(geom.geoms[0] if geom.geom_type.startswith("Multi") else geom), -total / 2
        for cid, w in zip(cids, widths):
            out[(sid, cid)] = round(sign * (at + w / 2), 2)
            at += w + GAP
    return out
