"""Display geometry for the HTML pages: simplified, rounded and delta-encoded so that the self-contained pages stay
small and parse fast. GIS exports keep full detail; this is for drawing only.

A geometry is ``{"t": type, "k": decimals, "c": coordinates}`` where each ring or line is one flat list of integers
``[x0, y0, dx1, dy1, …]`` in units of 10^-k degrees, nested as GeoJSON nests rings (decoded by
``cm.geometry`` in ``static/corridormap.js``).
"""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry


def _rings(rings: list, decimals: int) -> list[list[int]]:
    """Each ring or line as ``[x0, y0, dx1, dy1, …]`` integers, repeated points (after rounding) dropped; all at
    once (one rounding and one difference for all of them).

    >>> _rings([shapely.LineString([(1, 2), (1.25, 2), (1.25, 2), (1.5, 1.5)])], 2)
    [[100, 200, 25, 0, 25, -50]]
    """
    counts = shapely.get_num_coordinates(np.asarray(rings, dtype=object))
    ints = np.round(shapely.get_coordinates(np.asarray(rings, dtype=object)) * 10**decimals).astype(np.int64)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    deltas = np.vstack([ints[:1], np.diff(ints, axis=0)])
    deltas[starts] = ints[starts]
    keep = np.any(deltas != 0, axis=1)
    keep[starts] = True
    ring_id = np.repeat(np.arange(len(counts)), counts)
    kept = deltas[keep]
    bounds = np.searchsorted(ring_id[keep], np.arange(1, len(counts)))
    return [part.ravel().tolist() for part in np.split(kept, bounds)]


def encode(geom: BaseGeometry, decimals: int) -> dict | None:
    """*geom* (Polygon, MultiPolygon, LineString, MultiLineString) encoded for ``cm.geometry``; None when empty.

    >>> encode(shapely.LineString([(0, 0), (0.5, 0.25)]), 2)
    {'t': 'LineString', 'k': 2, 'c': [0, 0, 50, 25]}
    >>> encode(shapely.MultiPolygon([shapely.box(0, 0, 1, 1), shapely.box(2, 0, 3, 1)]), 0)["c"][1]
    [[3, 0, 0, 1, -1, 0, 0, -1, 1, 0]]
    """
    if geom is None or geom.is_empty:
        return None
    kind = geom.geom_type
    if kind not in ("Polygon", "MultiPolygon", "LineString", "MultiLineString"):
        raise TypeError(f"cannot encode a {kind} for display")
    parts = list(shapely.get_parts(geom))
    if kind.endswith("LineString"):
        flat = _rings(parts, decimals)
        return {"t": kind, "k": decimals, "c": flat[0] if kind == "LineString" else flat}
    per_polygon = [[p.exterior, *p.interiors] for p in parts]
    flat = _rings([r for rings in per_polygon for r in rings], decimals)
    nested, at = [], 0
    for rings in per_polygon:
        nested.append(flat[at:at + len(rings)])
        at += len(rings)
    return {"t": kind, "k": decimals, "c": nested[0] if kind == "Polygon" else nested}


def polygons_only(geom: BaseGeometry) -> BaseGeometry:
    """The polygonal part of *geom* (a clip or a simplification can leave stray lines and points)."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon") and not g.is_empty]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def lines_only(geom: BaseGeometry) -> BaseGeometry:
    """The linear part of *geom*, merged into as few lines as possible."""
    parts = [g for g in shapely.get_parts(geom) if g.geom_type in ("LineString", "MultiLineString")]
    if not parts:
        return shapely.MultiLineString([])
    return shapely.line_merge(shapely.union_all(parts))
