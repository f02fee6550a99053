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


def flat_deltas(coords: np.ndarray, decimals: int) -> list[int]:
    """A ring or line as ``[x0, y0, dx1, dy1, …]`` integers; repeated points (after rounding) are dropped.

    >>> flat_deltas(np.array([[1.0, 2.0], [1.25, 2.0], [1.25, 2.0], [1.5, 1.5]]), 2)
    [100, 200, 25, 0, 25, -50]
    """
    ints = np.round(np.asarray(coords)[:, :2] * 10**decimals).astype(np.int64)
    keep = np.ones(len(ints), dtype=bool)
    keep[1:] = np.any(ints[1:] != ints[:-1], axis=1)
    ints = ints[keep]
    deltas = np.vstack([ints[:1], np.diff(ints, axis=0)])
    return deltas.ravel().tolist()


def _polygon(poly, decimals: int) -> list[list[int]]:
    return [flat_deltas(np.asarray(r.coords), decimals) for r in (poly.exterior, *poly.interiors)]


def encode(geom: BaseGeometry, decimals: int) -> dict | None:
    """*geom* (Polygon, MultiPolygon, LineString, MultiLineString) encoded for ``cm.geometry``; None when empty.

    >>> encode(shapely.LineString([(0, 0), (0.5, 0.25)]), 2)
    {'t': 'LineString', 'k': 2, 'c': [0, 0, 50, 25]}
    """
    if geom is None or geom.is_empty:
        return None
    kind = geom.geom_type
    if kind == "Polygon":
        coords: list = _polygon(geom, decimals)
    elif kind == "MultiPolygon":
        coords = [_polygon(p, decimals) for p in geom.geoms]
    elif kind == "LineString":
        coords = flat_deltas(np.asarray(geom.coords), decimals)
    elif kind == "MultiLineString":
        coords = [flat_deltas(np.asarray(g.coords), decimals) for g in geom.geoms]
    else:
        raise TypeError(f"cannot encode a {kind} for display")
    return {"t": kind, "k": decimals, "c": coords}


def polygons_only(geom: BaseGeometry) -> BaseGeometry:
    """The polygonal part of *geom* (a clip or a simplification can leave stray lines and points)."""
    parts = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon") and not g.is_empty]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def lines_only(geom: BaseGeometry) -> BaseGeometry:
    """The linear part of *geom*, merged into as few lines as possible."""
    parts = [g for g in shapely.get_parts(geom) if g.geom_type in ("LineString", "MultiLineString")]
    if not parts:
        return shapely.MultiLineString([])
    return shapely.line_merge(shapely.union_all(parts))
