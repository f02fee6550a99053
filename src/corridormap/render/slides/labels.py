"""Label placement: greedy, in priority order, never over an earlier label, the inset or the scale bar, clear of
the routes and the node markers wherever a label has such a position.

A label offers candidate positions (:class:`Candidate`: its items and the box they cover); :class:`Placer` takes
the best candidate that is free (inside the map, overlapping no placed label and no reserved box) by the order
(clear of routes and markers first, then the label's own quality, then the candidate's rank).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

import numpy as np

from .mask import Mask
from .scene import LABEL, Box, Dot, Item, Line, Panel, Scene, Text
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


@dataclass(frozen=True)
class Candidate:
    """One position a label could take: the items that draw it and the box they cover (with padding)."""

    bounds: Box
    items: tuple[Item, ...]
    #: How far the items are to be moved (a label measured once, tried at many places).
    offset: tuple[float, float] = (0.0, 0.0)
    #: The candidate's own rank, when its maker ranks them (lower is better).
    rank: int = 0

    def moved(self, dx: float, dy: float, rank: int | None = None) -> Candidate:
        """The same label shifted by (dx, dy) px."""
        x0, y0, x1, y1 = self.bounds
        ox, oy = self.offset
        return Candidate((x0 + dx, y0 + dy, x1 + dx, y1 + dy), self.items, (ox + dx, oy + dy),
                         self.rank if rank is None else rank)

    def drawn(self) -> tuple[Item, ...]:
        """The items where the candidate puts them."""
        return tuple(shift(i, *self.offset) for i in self.items) if self.offset != (0.0, 0.0) else self.items


def shift(item: Item, dx: float, dy: float) -> Item:
    if isinstance(item, Text):
        return replace(item, x=item.x + dx, y=item.y + dy)
    if isinstance(item, Panel):
        x0, y0, x1, y1 = item.box
        return replace(item, box=(x0 + dx, y0 + dy, x1 + dx, y1 + dy))
    raise TypeError(f"labels move text and panels, not {type(item).__name__}")


@dataclass(frozen=True)
class Placed:
    """A label on the slide: its text, its kind (``node``, ``country``, ``sea``…) and the box it covers."""

    text: str
    kind: str
    bounds: Box


class Placer:
    """Places labels on *scene* one at a time, each apart from all placed before it (``scene.labels``), from the
    reserved boxes (``scene.reserved``: inset, scale bar), inside the map; routes and markers are drawn already."""

    def __init__(self, scene: Scene):
        self.scene = scene
        self.cells: dict[tuple[int, int], list[Box]] = {}
        for b in (*scene.labels, *scene.reserved):
            self.index(b)
        # Routes and markers as drawn (a line's whole stroke, a marker with its ring), grown by a pixel.
        self.routes = Mask(scene.map_box, (i for i in scene.map_items
                                                       if isinstance(i, Line) and i.role == "route"), grow=1.0)
        self.dots = Mask(scene.map_box, (i for i in scene.map_items if isinstance(i, Dot)), grow=1.0)

    CELL = 64.0

    def keys(self, b: Box) -> Iterator[tuple[int, int]]:
        c = self.CELL
        for i in range(int(b[0] // c), int(b[2] // c) + 1):
            for j in range(int(b[1] // c), int(b[3] // c) + 1):
                yield i, j

    def index(self, b: Box) -> None:
        for key in self.keys(b):
            self.cells.setdefault(key, []).append(b)

    def free(self, bounds: Box) -> bool:
        """Inside the map, overlapping no placed label and no reserved box (looked up in a grid of cells)."""
        if not inside(bounds, self.scene.map_box):
            return False
        cells = self.cells
        return not any(overlaps(bounds, b) for key in self.keys(bounds) for b in cells.get(key, ()))

    def take(self, bounds: Box) -> None:
        """Keep later labels off *bounds* (a placed label, a town's marker)."""
        self.scene.labels.append(bounds)
        self.index(bounds)

    def hits(self, bounds: Box) -> tuple[bool, bool]:
        """Whether the box covers a route, a node marker."""
        return self.routes.any(bounds), self.dots.any(bounds)

    def place(self, text: str, kind: str, candidates: Iterable[Candidate], *,
              quality: Callable[[Candidate], int | None] | None = None, over_routes: bool = True,
              over_dots: bool = True, clear_first: bool = True) -> Placed | None:
        """Put the best free candidate on the slide (and return it), or none when none qualifies.

        *quality* ranks a candidate (lower is better, None rules it out; without it, the candidate's own rank);
        a candidate over a route or a marker is taken only when none is clear (or, not *clear_first*, none of
        the same quality; the candidates then come in the order of their rank), and only if *over_routes* /
        *over_dots* allow it.
        """
        best: tuple[tuple, Candidate] | None = None
        for i, c in enumerate(candidates):
            if not clear_first and best is not None and quality is None and c.rank > best[0][0]:
                break  # ranked candidates come best first: none later can do better
            if not self.free(c.bounds):
                continue
            q = quality(c) if quality else c.rank
            if q is None:
                continue
            on_route, on_dot = self.hits(c.bounds)
            if (on_route and not over_routes) or (on_dot and not over_dots):
                continue
            covers = on_route or on_dot
            key = (covers, q, i) if clear_first else (q, covers, i)
            if best is None or key < best[0]:
                best = key, c
            if q == 0 and not covers:  # nothing can be better
                break
        if best is None:
            return None
        chosen = best[1]
        self.take(chosen.bounds)
        self.scene.map_items += chosen.drawn()
        placed = Placed(text, kind, chosen.bounds)
        self.scene.placed.append(placed)
        return placed


def node_candidates(x: float, y: float, text: str, scale: float) -> list[Candidate]:
    """A node's label on a white panel, at each of :data:`LABEL_OFFSETS` around (x, y)."""
    size, pad = LABEL * scale, 0.15 * LABEL * scale
    up, down = ascent(size), descent(size)
    width = text_width(text, size)
    out = []
    for dx, dy in LABEL_OFFSETS:
        start = x + dx * scale - (width if dx < 0 else (width / 2 if dx == 0 else 0))
        base = y + dy * scale
        bounds = (start - pad, base - up - pad, start + width + pad, base + down + pad)
        out.append(Candidate(bounds, (Panel(bounds, "#ffffff", 0.75, radius=pad), Text(start, base, text, size))))
    return out


def place_labels(scene: Scene, points: list[tuple[float, float, str]], scale: float,
                 placer: Placer | None = None) -> int:
    """Label nodes greedily (in the given priority order) where the label overlaps no earlier label.

    The first candidate position that also leaves the routes and the node markers uncovered wins; failing that,
    the first that overlaps no label; a label that fits nowhere is left out. Returns how many were placed.
    """
    placer = placer or Placer(scene)
    return sum(placer.place(text, "node", node_candidates(x, y, text, scale)) is not None for x, y, text in points)


@dataclass(frozen=True)
class TextStyle:
    """How a kind of place name is set: size (px at scale 1), colour, weight, slant."""

    size: float
    color: str
    bold: bool = False
    italic: bool = False


def text_block(lines: Sequence[str], cx: float, cy: float, style: TextStyle, scale: float,
               angle: float = 0.0) -> Candidate:
    """Lines of text centred on (cx, cy), one under the other (a single line turned by *angle* degrees)."""
    size = style.size * scale
    up, down = ascent(size, style.bold, style.italic), descent(size, style.bold, style.italic)
    line_h = (up + down) * 1.05
    pad = 0.2 * size
    if angle and len(lines) == 1:
        w = text_width(lines[0], size, style.bold, style.italic)
        a = np.radians(angle)
        ox, oy = w / 2, (down - up) / 2  # the text's centre from its baseline start, before turning
        x, y = cx - (ox * np.cos(a) - oy * np.sin(a)), cy - (ox * np.sin(a) + oy * np.cos(a))
        item = Text(float(x), float(y), lines[0], size, style.color, style.bold, italic=style.italic, angle=angle)
        x0, y0, x1, y1 = item.bounds()
        return Candidate((x0 - pad, y0 - pad, x1 + pad, y1 + pad), (item,))
    top = cy - line_h * len(lines) / 2
    items, x0, x1 = [], cx, cx
    for i, line in enumerate(lines):
        w = text_width(line, size, style.bold, style.italic)
        items.append(Text(cx - w / 2, top + i * line_h + up, line, size, style.color, style.bold, italic=style.italic))
        x0, x1 = min(x0, cx - w / 2), max(x1, cx + w / 2)
    return Candidate((x0 - pad, top - pad, x1 + pad, top + line_h * len(lines) + pad), tuple(items))


#: Shifts (in label widths, label heights) around an area label's anchor, nearest first.
AREA_SHIFTS = sorted(((dx / 2, dy / 1.0) for dx in range(-3, 4) for dy in range(-3, 4)),
                     key=lambda s: (s[0] ** 2 + s[1] ** 2, abs(s[0]), s[1]))


def area_candidates(lines_options: Sequence[Sequence[str]], cx: float, cy: float, style: TextStyle,
                    scale: float, angle: float = 0.0, reach: float = 1.0) -> Iterator[Candidate]:
    """Each wording of a name (one line, two lines…) centred on (cx, cy), then shifted around it."""
    for lines in lines_options:
        base = text_block(lines, cx, cy, style, scale, angle)
        w, h = base.bounds[2] - base.bounds[0], base.bounds[3] - base.bounds[1]
        for dx, dy in AREA_SHIFTS:
            if abs(dx) <= 1.5 * reach and abs(dy) <= 3 * reach:
                yield base.moved(dx * w * reach, dy * h * reach)
