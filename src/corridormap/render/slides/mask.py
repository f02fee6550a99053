"""Coverage masks: items rasterised (with Skia) at half resolution, with a summed-area table, so that how much of
any box they cover costs four lookups. Label placement asks them whether a box lies on land, on a route, on a
node marker."""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from ._skia import skia
from .paint import skia_path
from .scene import Area, Box, Dot, Item, Line

#: Mask pixels per page pixel.
RES = 0.5


class Mask:
    """Where *items* cover the page's box *area* (the map; px): areas filled, lines stroked (widened by *grow* px
    on each side), dots as discs (grown likewise). Outside the box nothing is covered."""

    def __init__(self, area: Box, items: Iterable[Item], grow: float = 0.0):
        self.area = area
        #: What callers have judged on this mask, by their own keys (see :func:`.places.water_candidates`).
        self.memo: dict = {}
        self.x0, self.y0 = area[0], area[1]
        self.w = max(1, math.ceil((area[2] - area[0]) * RES))
        self.h = max(1, math.ceil((area[3] - area[1]) * RES))
        surface = skia.Surface.MakeRaster(skia.ImageInfo.MakeA8(self.w, self.h))
        with surface as canvas:
            canvas.clear(skia.ColorTRANSPARENT)
            canvas.scale(RES, RES)
            canvas.translate(-self.x0, -self.y0)
            fill = skia.Paint(Color=skia.ColorBLACK, AntiAlias=True)
            for item in items:
                draw(canvas, item, fill, grow)
        alpha = surface.makeImageSnapshot().toarray(colorType=skia.kAlpha_8_ColorType).reshape(self.h, self.w)
        self.mask = alpha > 0
        self.sums = np.zeros((self.h + 1, self.w + 1), np.int32)
        np.cumsum(self.mask, axis=0, dtype=np.int32, out=self.sums[1:, 1:])
        np.cumsum(self.sums[1:, 1:], axis=1, out=self.sums[1:, 1:])

    def cells(self, bounds: Box) -> tuple[int, int, int, int]:
        """The mask cells a box touches (outward rounding: a box touching a covered cell counts it)."""
        x0, y0, x1, y1 = bounds[0] - self.x0, bounds[1] - self.y0, bounds[2] - self.x0, bounds[3] - self.y0
        return (min(max(math.floor(x0 * RES), 0), self.w), min(max(math.floor(y0 * RES), 0), self.h),
                min(max(math.ceil(x1 * RES), 0), self.w), min(max(math.ceil(y1 * RES), 0), self.h))

    def count(self, bounds: Box) -> tuple[int, int]:
        """Covered cells in the box, and the box's cells."""
        x0, y0, x1, y1 = self.cells(bounds)
        if x1 <= x0 or y1 <= y0:
            return 0, 0
        s = self.sums
        return int(s[y1, x1] - s[y0, x1] - s[y1, x0] + s[y0, x0]), (x1 - x0) * (y1 - y0)

    def share(self, bounds: Box) -> float:
        """The fraction of the box covered."""
        covered, total = self.count(bounds)
        return covered / total if total else 0.0

    def shares(self, boxes: np.ndarray) -> np.ndarray:
        """:meth:`share` of each row (x0, y0, x1, y1) of an (n, 4) array at once."""
        b = np.asarray(boxes, float).reshape(-1, 4) - [self.x0, self.y0, self.x0, self.y0]
        x0 = np.clip(np.floor(b[:, 0] * RES), 0, self.w).astype(int)
        y0 = np.clip(np.floor(b[:, 1] * RES), 0, self.h).astype(int)
        x1 = np.clip(np.ceil(b[:, 2] * RES), 0, self.w).astype(int)
        y1 = np.clip(np.ceil(b[:, 3] * RES), 0, self.h).astype(int)
        s = self.sums
        covered = s[y1, x1] - s[y0, x1] - s[y1, x0] + s[y0, x0]
        total = (x1 - x0) * (y1 - y0)
        return np.where(total > 0, covered / np.maximum(total, 1), 0.0)

    def at(self, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
        """Whether each page point (xs, ys) is covered (points off the page are not)."""
        i = np.floor((np.asarray(ys, float) - self.y0) * RES).astype(int)
        j = np.floor((np.asarray(xs, float) - self.x0) * RES).astype(int)
        ok = (i >= 0) & (i < self.h) & (j >= 0) & (j < self.w)
        out = np.zeros(i.shape, bool)
        out[ok] = self.mask[i[ok], j[ok]]
        return out

    def any(self, bounds: Box) -> bool:
        return self.count(bounds)[0] > 0


def draw(canvas: skia.Canvas, item: Item, fill: skia.Paint, grow: float) -> None:
    if isinstance(item, Area):
        canvas.drawPath(skia_path(item.rings, closed=True), fill)
    elif isinstance(item, Line) and len(item.points) > 1:
        stroke = skia.Paint(Color=skia.ColorBLACK, AntiAlias=True, Style=skia.Paint.kStroke_Style,
                            StrokeWidth=item.width + 2 * grow, StrokeCap=skia.Paint.kRound_Cap,
                            StrokeJoin=skia.Paint.kRound_Join)
        canvas.drawPath(skia_path([item.points], closed=False), stroke)
    elif isinstance(item, Dot):
        canvas.drawCircle(item.x, item.y, item.r + item.width / 2 + grow, fill)
