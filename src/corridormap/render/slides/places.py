"""Place names on the map: the countries the lines cross (emphasised and named first), seas, the other
countries in the frame (quieter), then capitals, regions, lakes and rivers from ``geo/labels.csv`` when the atlas
has it. Every name is placed by the same :class:`~.labels.Placer` as the node labels: apart from them, from each
other, from the inset and the scale bar, never over a node marker."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import shapely
from shapely.ops import polylabel

from .labels import Candidate, Placed, Placer, TextStyle, area_candidates, text_block
from .scene import Dot, Scene

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
#: Web-map zoom of a slide whose pixel is *m* metres on the ground at latitude φ: log2(C·cos φ / (256 m)).
EARTH_CIRCUMFERENCE = 40_075_016.686


@dataclass(frozen=True)
class Shape:
    """A country as drawn on the slide: ISO3, name, and its polygon in page pixels."""

    iso3: str
    name: str
    px: shapely.Geometry


def slide_zoom(m_per_px: float, lat: float) -> float:
    """The web-map zoom whose scale matches the slide's (for the labels' ``min_zoom``).

    >>> round(slide_zoom(156543.03, 0), 2)
    0.0
    """
    return math.log2(EARTH_CIRCUMFERENCE * math.cos(math.radians(lat)) / (256 * m_per_px))


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


class Land:
    """The countries' pixel shapes, indexed: how much of a box lies on land (they do not overlap)."""

    def __init__(self, shapes: Sequence[shapely.Geometry]):
        self.shapes = list(shapes)
        self.tree = shapely.STRtree(self.shapes) if self.shapes else None

    def share(self, bounds: tuple[float, float, float, float]) -> float:
        b = shapely.box(*bounds)
        if self.tree is None or not b.area:
            return 0.0
        hits = [self.shapes[i] for i in self.tree.query(b, "intersects")]
        return float(shapely.area(shapely.intersection(hits, b)).sum() / b.area) if hits else 0.0


def water_quality(land: Land):
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


def add_point_names(scene: Scene, placer: Placer, table: pd.DataFrame, land: Land, scale: float,
                    kinds: Sequence[str]) -> int:
    """Seas, lakes, rivers, regions, capitals and cities from the labels table (columns ``name, kind, x, y,
    angle``; x, y in page pixels), in the table's order within each kind of *kinds*."""
    placed = 0
    for kind in kinds:
        rows = table[table["kind"] == kind]
        for name, x, y, angle in zip(rows["name"], rows["x"].astype(float), rows["y"].astype(float),
                                     pd.to_numeric(rows["angle"], errors="coerce").fillna(0.0)):
            placed += place_point_name(scene, placer, str(name), kind, float(x), float(y), float(angle), land,
                                       scale) is not None
    return placed


def place_point_name(scene: Scene, placer: Placer, name: str, kind: str, x: float, y: float, angle: float,
                     land: Land, scale: float) -> Placed | None:
    style = STYLES[kind]
    if kind in ("sea", "lake"):
        return placer.place(name, kind, area_candidates(wordings(name), x, y, style, scale),
                            quality=water_quality(land), over_routes=kind == "sea", over_dots=False)
    if kind in ("capital", "city"):
        return place_town(scene, placer, name, kind, x, y, scale)
    return placer.place(name, kind, area_candidates([[name]], x, y, style, scale, angle if kind == "river" else 0.0,
                                                    reach=0.6), over_routes=False, over_dots=False)


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
        scene.labels.append(dot)
        scene.map_items.append(Dot(x, y, r, "#ffffff" if kind == "capital" else "#4a4a44", "#4a4a44",
                                   1.2 * scale))
    return placed
