"""Place names on the map: the countries the lines cross (emphasised and named first), seas, the other
countries in the frame (quieter), then capitals, regions, lakes and rivers from ``geo/labels.csv`` when the atlas
has it. Every name is placed by the same :class:`~.labels.Placer` as the node labels: apart from them, from each
other, from the inset and the scale bar, never over a node marker."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

import numpy as np
import shapely
from shapely.ops import polylabel

from ... import style
from .gazetteer import PlaceLabel
from .labels import Candidate, Placed, Placer, TextStyle, area_candidates, text_block
from .mask import Mask
from .scene import Area, Dot, Line, Scene

#: Styles by kind; ``country_focus`` is a country the slide's lines cross.
STYLES = {
    "country_focus": TextStyle(16.5, "#34332c", bold=True),
    "country": TextStyle(13.5, "#858479"),
    "sea": TextStyle(15.0, "#3d6d94", italic=True),
    "lake": TextStyle(12.5, "#3d6d94", italic=True),
    "river": TextStyle(12.0, "#3d6d94", italic=True),
    "capital": TextStyle(12.5, "#4a4a44"),
    "city": TextStyle(12.0, "#5a5a54"),
    "region": TextStyle(12.5, "#77735f", italic=True),
}
#: Order in which kinds are placed after the emphasised countries (earlier kinds win contested space).
KIND_ORDER = ("sea", "country", "capital", "region", "lake", "river", "city")


@dataclass(frozen=True)
class Shape:
    """A country as drawn on the slide: ISO3, name, and its polygon in page pixels."""

    iso3: str
    name: str
    px: shapely.Geometry


def wordings(name: str) -> list[list[str]]:
    """The name on one line, and for several words also on two lines split near the middle.

    >>> wordings("Caspian Sea"), wordings("Iran")
    ([['Caspian Sea'], ['Caspian', 'Sea']], [['Iran']])
    """
    words = name.split()
    if len(words) < 2:
        return [[name]]
    cut = min(range(1, len(words)), key=lambda i: abs(len(" ".join(words[:i])) - len(" ".join(words[i:]))))
    return [[name], [" ".join(words[:cut]), " ".join(words[cut:])]]


def largest_part(geom: shapely.Geometry) -> shapely.Polygon | None:
    parts = [p for p in shapely.get_parts(geom) if isinstance(p, shapely.Polygon) and not p.is_empty]
    return max(parts, key=lambda p: p.area) if parts else None


def inside_share(c: Candidate, area: shapely.Geometry) -> float:
    b = shapely.box(*c.bounds)
    return float(shapely.intersection(b, area).area / b.area) if b.area else 0.0


def country_quality(area: shapely.Geometry):
    """Rank a country label: all inside its visible part (0), mostly (1), its centre inside (2), else out."""
    shapely.prepare(area)

    def quality(c: Candidate) -> int | None:
        x0, y0, x1, y1 = c.bounds
        if not shapely.contains_xy(area, (x0 + x1) / 2, (y0 + y1) / 2):
            return None
        share = inside_share(c, area)
        return 0 if share > 0.97 else 1 if share > 0.7 else 2
    return quality


def land_mask(scene: Scene) -> Mask:
    """Where the slide shows land (the world's and the region's countries as drawn so far)."""
    return Mask(scene.map_box, (i for i in scene.map_items if isinstance(i, Area)
                                            and i.fill in (style.LAND, style.FOCUS_LAND)))


def water_quality(land: Mask):
    """Rank a sea or lake label: on open water (0), touching a coast a little (1), else out."""
    def quality(c: Candidate) -> int | None:
        share = land.share(c.bounds)
        return 0 if share < 0.02 else 1 if share < 0.15 else None
    return quality


def visible(shapes: Sequence[Shape], scene: Scene, inset: float) -> dict[str, shapely.Geometry]:
    """Each country's part inside the map (less *inset* px at the edges), by ISO3; empty ones left out."""
    x0, y0, x1, y1 = scene.map_box
    out = {}
    for s in shapes:
        part = shapely.clip_by_rect(s.px, x0 + inset, y0 + inset, x1 - inset, y1 - inset)
        if not part.is_empty and part.area > 0:
            out[s.iso3] = part
    return out


def add_country_names(scene: Scene, placer: Placer, shapes: Sequence[Shape], focus: set[str], scale: float,
                      points: dict[str, tuple[float, float]] | None = None, *, emphasised: bool) -> int:
    """Name the countries in *focus* (*emphasised*) or the others in the frame; largest visible part first.

    A country is named at its label point (*points*, px) when that lies in its visible part, else at the pole of
    inaccessibility of its largest visible part. Emphasised names may cross a route when nothing else fits;
    quieter ones are left out then, and also when their visible part is smaller than twice their label.
    """
    kind = "country_focus" if emphasised else "country"
    style = STYLES[kind]
    seen = visible(shapes, scene, 2 * scale)
    names = {s.iso3: s.name for s in shapes}
    chosen = [i for i in seen if (i in focus) == emphasised]
    placed = 0
    for iso3 in sorted(chosen, key=lambda i: -seen[i].area):
        area = seen[iso3]
        label = text_block([names[iso3]], 0, 0, style, scale).bounds
        if not emphasised and area.area < 2 * (label[2] - label[0]) * (label[3] - label[1]):
            continue
        anchor = (points or {}).get(iso3)
        if anchor is None or not shapely.contains_xy(area, *anchor):
            part = largest_part(area)
            if part is None:
                continue
            pole = polylabel(part, tolerance=2.0 * scale)
            anchor = (pole.x, pole.y)
        candidates = area_candidates(wordings(names[iso3]), anchor[0], anchor[1], style, scale)
        if placer.place(names[iso3], kind, candidates, quality=country_quality(area), over_routes=emphasised,
                        over_dots=False):
            placed += 1
    return placed


def add_point_names(scene: Scene, placer: Placer, table: Sequence[PlaceLabel], land: Mask, scale: float,
                    kinds: Sequence[str], rivers: Sequence[Line] = (), *, strict: bool = False,
                    coast: bool = True) -> int:
    """Seas, lakes, rivers, regions, capitals and cities from the slide's labels (:mod:`.gazetteer`), in their
    order within each kind of *kinds*, each sea and lake once. A river's name
    follows its line (*rivers*, as drawn) where the slide draws it. *strict*: only clear of routes; *coast*:
    a sea's name may lie half over its coast (the passes for the seas before the node labels allow neither)."""
    placed = 0
    lines = [shapely.LineString(r.points) for r in rivers]
    for kind in kinds:
        for row in (r for r in table if r.kind == kind):
            if kind in ("sea", "lake") and any(p.text == row.name for p in scene.placed):
                continue
            placed += place_point_name(scene, placer, row.name, kind, row.x, row.y, land, scale, lines,
                                       strict, coast) is not None
    return placed


def place_point_name(scene: Scene, placer: Placer, name: str, kind: str, x: float, y: float, land: Mask,
                     scale: float, rivers: Sequence[shapely.LineString], strict: bool = False,
                     coast: bool = True) -> Placed | None:
    style = STYLES[kind]
    if kind == "sea":  # the candidates come best first: the first clear of routes and markers is taken
        # Ranked by the candidates: a level name across a route before an upright one beside it.
        return placer.place(name, kind, water_candidates(wordings(name), x, y, style, scale, land,
                                                         worst=2 if coast else 1, upright=not strict),
                            over_routes=not strict, over_dots=False, clear_first=False)
    if kind == "lake":
        return placer.place(name, kind, area_candidates(wordings(name), x, y, style, scale, reach=0.5),
                            quality=water_quality(land), over_routes=False, over_dots=False)
    if kind in ("capital", "city"):
        return place_town(scene, placer, name, kind, x, y, scale)
    if kind == "river":
        near = [r for r in rivers if r.distance(shapely.Point(x, y)) < 6 * scale]
        if not near:  # a river the slide does not draw is not named
            return None
        return placer.place(name, kind, river_candidates(name, min(near, key=lambda r: r.distance(
            shapely.Point(x, y))), x, y, scale), over_routes=False, over_dots=False)
    return placer.place(name, kind, area_candidates([[name]], x, y, style, scale, reach=0.6),
                        over_routes=False, over_dots=False)


def water_candidates(lines_options: Sequence[Sequence[str]], x: float, y: float, style: TextStyle,
                     scale: float, land: Mask, reach: float = 9.0, worst: int = 2,
                     upright: bool = True) -> Iterator[Candidate]:
    """A sea's name around its anchor out to *reach* line heights (a narrow sea's open water can be far from
    the anchor of its widest part): each wording level, and the single line set upright along a sea running
    north–south, then the same a size smaller; on open water first, then touching a coast a little, then half
    over it (a last resort), larger and nearer first. Positions mostly on land, or that the anchor cannot reach
    over water (another sea), are not offered (judged at once for all of them on the land mask); nor those
    of a quality worse than *worst*.

    The positions are judged once per name and land mask (a sea not placed in one pass is tried again in the
    next, with other limits) and only the limits are applied per call."""
    key = ("water", tuple(map(tuple, lines_options)), x, y, style, scale, reach)
    if key not in land.memo:
        land.memo[key] = water_positions(lines_options, x, y, style, scale, land, reach)
    options, order = land.memo[key]
    q, rank, k, dx, dy = order
    keep = q <= worst if upright else (q <= worst) & (rank % 2 == 0)  # odd ranks: set upright
    for qi, ri, ki, xi, yi in zip(q[keep].tolist(), rank[keep].tolist(), k[keep].tolist(), dx[keep].tolist(),
                                  dy[keep].tolist()):
        yield options[ki].moved(xi, yi, rank=4 * qi + ri)


def water_positions(lines_options: Sequence[Sequence[str]], x: float, y: float, style: TextStyle, scale: float,
                    land: Mask, reach: float) -> tuple[list[Candidate], tuple[np.ndarray, ...]]:
    """:func:`water_candidates`' labels (each wording and size, and upright) and, best first, every position of
    quality 2 or better: quality, the label's rank, which label, its offset (dx, dy)."""
    line = text_block([lines_options[0][0]], x, y, style, scale).bounds
    radius = reach * (line[3] - line[1])
    options = []
    for size_rank, k in enumerate((1.0, SMALLER)):
        sized = replace(style, size=style.size * k)
        rank = 2 * size_rank
        for lines in lines_options:
            base = text_block(lines, x, y, sized, scale)
            w, h = base.bounds[2] - base.bounds[0], base.bounds[3] - base.bounds[1]
            step = max(min(w / 3, h), 1.0)
            n = int(radius / step)
            i, j = np.meshgrid(np.arange(-n, n + 1), np.arange(-n, n + 1))
            d = np.column_stack([i.ravel() * step, j.ravel() * step])
            options.append((rank, base, d[(d ** 2).sum(axis=1) <= radius ** 2]))
        turned = text_block([lines_options[0][0]], x, y, sized, scale, -90.0)
        gy, gx = np.meshgrid(np.arange(-radius, radius + 1, 8 * scale),
                             np.arange(-radius / 3, radius / 3 + 1, 8 * scale), indexing="ij")
        options.append((rank + 1, turned, np.column_stack([gx.ravel(), gy.ravel()]).astype(float)))
    parts = []
    for k, (rank, base, d) in enumerate(options):
        boxes = np.asarray(base.bounds) + np.column_stack([d[:, 0], d[:, 1], d[:, 0], d[:, 1]])
        mx0, my0, mx1, my1 = land.area
        on_map = (boxes[:, 0] >= mx0) & (boxes[:, 1] >= my0) & (boxes[:, 2] <= mx1) & (boxes[:, 3] <= my1)
        boxes, d = boxes[on_map], d[on_map]
        wet = over_water(land, x, y, d)  # the costlier test, on the positions on the map only
        boxes, d = boxes[wet], d[wet]
        share = land.shares(boxes)
        quality = np.select([share < 0.02, share < 0.15, share < 0.45], [0, 1, 2], 9)
        ok = quality <= 2
        parts.append((quality[ok], np.full(ok.sum(), rank), np.full(ok.sum(), k), d[ok, 0], d[ok, 1]))
    columns = [np.concatenate(column) for column in zip(*parts)]
    q, ranks, ks, dx, dy = columns
    # best first: quality, rank, nearer, then which label and the offset (as tuples would sort)
    order = np.lexsort((dy, dx, ks, dx * dx + dy * dy, ranks, q))
    return [c for _, c, _ in options], tuple(c[order] for c in columns)


#: A sea's name that fits nowhere at its size is tried this much smaller.
SMALLER = 0.8


def over_water(land: Mask, x: float, y: float, d: np.ndarray, samples: int = 24) -> np.ndarray:
    """Which offsets *d* from (x, y) the anchor reaches over water: along the straight way there, once on
    water, no land again (an anchor brought to the frame's edge may start on land)."""
    t = np.linspace(0, 1, samples)
    xs = x + d[:, :1] * t
    ys = y + d[:, 1:2] * t
    wet = ~land.at(xs, ys)
    after = np.cumsum(wet, axis=1) > 0  # from the first water sample on
    return ~np.any(after & ~wet, axis=1)


#: Where along its river a name is tried, in label lengths from the label point: nearest first.
RIVER_SHIFTS = sorted((k / 2 for k in range(-8, 9)), key=abs)


def river_candidates(name: str, line: shapely.LineString, x: float, y: float, scale: float) -> list[Candidate]:
    """The name along the river, beside its line (either side, close then a little off), at the label point
    and then every half a label's length along the line, out to four lengths each way."""
    style = STYLES["river"]
    block = text_block([name], 0, 0, style, scale)
    w, h = block.bounds[2] - block.bounds[0], block.bounds[3] - block.bounds[1]
    at, length = line.project(shapely.Point(x, y)), line.length
    along = [s for s in (at + shift * w for shift in RIVER_SHIFTS) if 0 <= s <= length]
    # every point at once: the label's two ends and its middle at each place along the line
    ends = shapely.get_coordinates(shapely.line_interpolate_point(line, [
        d for s in along for d in (max(s - w / 2, 0), min(s + w / 2, length), s)])).reshape(-1, 3, 2).tolist()
    out = []
    for (ax, ay), (bx, by), (cx, cy) in ends:
        dx, dy = bx - ax, by - ay
        if dx == 0 and dy == 0:
            continue
        if dx < 0:  # read left to right
            dx, dy = -dx, -dy
        angle = math.degrees(math.atan2(dy, dx))
        if abs(angle) > 60:  # steep: set level beside the line
            angle = 0.0
        nx, ny = -dy / math.hypot(dx, dy), dx / math.hypot(dx, dy)
        for gap in (1.5, 7.0):
            for side in (-1, 1):
                off = side * (h / 2 + gap * scale)
                out.append(text_block([name], cx + nx * off, cy + ny * off, style, scale, angle))
    return out


def place_town(scene: Scene, placer: Placer, name: str, kind: str, x: float, y: float,
               scale: float) -> Placed | None:
    """A capital or city that no node marks: a small marker and its name beside it."""
    r = (2.6 if kind == "capital" else 2.0) * scale
    style = STYLES[kind]
    size = style.size * scale
    offsets = ((1, 0), (-1, 0), (0, -1), (0, 1))
    candidates = []
    for dx, dy in offsets:
        block = text_block([name], 0, 0, style, scale)
        w, h = block.bounds[2] - block.bounds[0], block.bounds[3] - block.bounds[1]
        cx = x + dx * (w / 2 + r + 0.2 * size)
        cy = y + dy * (h / 2 + r + 0.1 * size)
        candidates.append(text_block([name], cx, cy, style, scale))
    dot = (x - r - 1, y - r - 1, x + r + 1, y + r + 1)
    if not placer.free(dot) or any(placer.hits(dot)):
        return None
    placed = placer.place(name, kind, candidates, over_routes=False, over_dots=False)
    if placed is not None:
        placer.take(dot)
        scene.map_items.append(Dot(x, y, r, "#ffffff" if kind == "capital" else "#4a4a44", "#4a4a44",
                                   1.2 * scale))
    return placed
