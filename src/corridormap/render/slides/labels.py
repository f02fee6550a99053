"""Label placement: greedy, in priority order, never over an earlier label, clear of routes and markers if it can."""

from __future__ import annotations

import shapely
from shapely.geometry import box

from .scene import LABEL, Box, Dot, Line, Panel, Scene, Text
from .text import ascent, descent, text_width

#: Candidate label positions (px at scale 1) relative to the node, tried in order.
LABEL_OFFSETS = ((8, -6), (8, 16), (-8, -6), (-8, 16), (0, -12), (0, 26), (14, 5), (-14, 5),
                 (10, -22), (10, 32), (-10, -22), (-10, 32), (0, -30), (0, 42))


def short_name(name: str) -> str:
    """A label: the name without its parenthesis (``Alat (Port of Baku …)`` → ``Alat``)."""
    return name.split(" (")[0].strip()


def overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def inside(a: Box, b: Box) -> bool:
    return b[0] <= a[0] and a[2] <= b[2] and b[1] <= a[1] and a[3] <= b[3]


def place_labels(scene: Scene, points: list[tuple[float, float, str]], scale: float) -> int:
    """Label points greedily (in the given priority order) where the label overlaps no earlier label.

    Each label is measured once; its candidate positions are that box shifted by the offsets. The first candidate
    that also leaves the routes and the node markers uncovered wins; failing that, the first that overlaps no
    label; a label that fits nowhere is left out. Returns how many were placed.
    """
    size, pad = LABEL * scale, 0.15 * LABEL * scale
    up, down = ascent(size), descent(size)
    routes = [item.points for item in scene.map_items if isinstance(item, Line) and len(item.points) > 1]
    dots = [shapely.Point(d.x, d.y).buffer(d.r) for d in scene.map_items if isinstance(d, Dot)]
    obstacles = shapely.STRtree([*map(shapely.LineString, routes), *dots]) if routes or dots else None
    for x, y, text in points:
        width = text_width(text, size)
        free = []
        for dx, dy in LABEL_OFFSETS:
            start = x + dx * scale - (width if dx < 0 else (width / 2 if dx == 0 else 0))
            base = y + dy * scale
            bounds = (start - pad, base - up - pad, start + width + pad, base + down + pad)
            if inside(bounds, scene.map_box) and not any(overlaps(bounds, t) for t in scene.labels):
                free.append((bounds, start, base))
        clear = [c for c in free if obstacles is None or not len(obstacles.query(box(*c[0]), "intersects"))]
        if clear or free:
            bounds, start, base = (clear or free)[0]
            scene.labels.append(bounds)
            scene.map_items += [Panel(bounds, "#ffffff", 0.75, radius=pad), Text(start, base, text, size)]
    return len(scene.labels)
