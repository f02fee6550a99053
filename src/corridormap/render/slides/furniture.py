"""What makes a slide a printed map besides its subject: a scale bar in km and, on regional slides, a locator
inset (the atlas's extent with the slide's frame marked). Both sit in corners of the map chosen to cover as little
of the routes as possible; labels keep clear of them (``scene.reserved``)."""

from __future__ import annotations

import math
from dataclasses import replace
from functools import cache

import geopandas as gpd
import numpy as np
import shapely
from pyproj import Proj
from shapely.geometry import box

from ... import style
from ...join import Layers, per_layers
from ...settings import REGION_BOUNDS
from .scene import LONLAT, Area, Box, Dot, Item, Line, Panel, ScaleBar, Scene, Text, frame, lcc, project, transformer
from .text import ascent, text_width

#: The scale bar's longest length, as a fraction of the map's width.
BAR_MAX = 0.2
#: Size of the scale bar's figures and note (px at scale 1).
BAR_TEXT, BAR_NOTE = 12.5, 11.0
#: The inset's width as a fraction of the map's width (at least INSET_MIN px at scale 1), its aspect (w / h).
INSET_WIDTH, INSET_MIN, INSET_ASPECT = 0.2, 190, 1.55
#: An inset is drawn when the slide's frame covers less than this fraction of the atlas's frame (by area).
INSET_BELOW = 0.95
#: Corners, in the order tried when they cover the routes equally: (left?, top?).
CORNERS = {"bottom-left": (True, False), "bottom-right": (False, False), "top-left": (True, True),
           "top-right": (False, True)}
#: Emphasis of the slide's frame on the inset.
FRAME_COLOR = "#c0392b"


def nice_km(limit_km: float) -> float:
    """The longest 1, 2 or 5 × 10ⁿ km not longer than *limit_km*.

    >>> nice_km(740), nice_km(199.9), nice_km(3.2)
    (500, 100, 2)
    """
    power = 10 ** math.floor(math.log10(limit_km))
    return max(m * power for m in (1, 2, 5) if m * power <= limit_km)


@cache
def ground_px_at(crs: str, frame: Box, map_box: Box) -> tuple[float, float, float]:
    fx0, fy0, fx1, fy1 = frame
    bx0, _, bx1, _ = map_box
    lon, lat = transformer(crs, LONLAT).transform((fx0 + fx1) / 2, (fy0 + fy1) / 2)
    k = Proj(crs).get_factors(lon, lat).parallel_scale  # conformal: the same in every direction
    return (fx1 - fx0) / (bx1 - bx0) / k, lon, lat


def ground_px(scene: Scene) -> tuple[float, float, float]:
    """Ground metres per pixel at the frame's centre, with its (lon, lat): projected metres per pixel divided
    by the Lambert conformal conic's scale factor there."""
    return ground_px_at(scene.crs, scene.frame, scene.map_box)


def bar_note(lat: float) -> str:
    """Where the bar is true: ``true at 41° N``."""
    return f"true at {abs(lat):.0f}° {'N' if lat >= 0 else 'S'}"


def scale_bar_size(scene: Scene, scale: float) -> tuple[float, float, float, float, float]:
    """(km, px, lat, width, height) of the scale bar and its panel."""
    m_per_px, _, lat = ground_px(scene)
    width = scene.map_box[2] - scene.map_box[0]
    km = nice_km(BAR_MAX * width * m_per_px / 1000)
    px = km * 1000 / m_per_px
    label = text_width(f"{km:g} km", BAR_TEXT * scale)
    note = text_width(bar_note(lat), BAR_NOTE * scale)
    return km, px, lat, max(px + label / 2, note) + 20 * scale, 46 * scale


def scale_bar_items(bar: ScaleBar, scale: float) -> list[Item]:
    """A white panel; the bar in four alternating segments; 0, half and the length above; where it is true."""
    x, y, px = bar.x, bar.y, bar.px
    h = 5 * scale
    items: list[Item] = [Panel(bar.box, "#ffffff", 0.82, radius=4 * scale),
                         Panel((x, y - h / 2, x + px, y + h / 2), "#ffffff", stroke="#333333")]
    for i in (0, 2):
        items.append(Panel((x + i * px / 4, y - h / 2, x + (i + 1) * px / 4, y + h / 2), "#333333"))
    size = BAR_TEXT * scale
    base = y - h / 2 - 4 * scale
    for at, text in ((0, "0"), (px / 2, f"{bar.km / 2:g}"), (px, f"{bar.km:g} km")):
        items.append(Text(x + at - text_width(text, size) / 2, base, text, size, "#222222"))
    nsize = BAR_NOTE * scale
    items.append(Text(x, y + h / 2 + 3 * scale + ascent(nsize), bar_note(bar.lat), nsize, "#555555"))
    return items


def corner_box(scene: Scene, corner: str, w: float, h: float, scale: float) -> Box:
    left, top = CORNERS[corner]
    bx0, by0, bx1, by1 = scene.map_box
    m = 10 * scale
    x0 = bx0 + m if left else bx1 - m - w
    y0 = by0 + m if top else by1 - m - h
    return x0, y0, x0 + w, y0 + h


class Subject:
    """The routes and node markers drawn so far, to measure how much of them a box would hide."""

    def __init__(self, scene: Scene):
        self.routes = shapely.MultiLineString([i.points for i in scene.map_items if isinstance(i, Line)
                                               and i.role == "route" and len(i.points) > 1])
        self.dots = np.array([(i.x, i.y) for i in scene.map_items if isinstance(i, Dot)], float).reshape(-1, 2)

    def covered(self, b: Box) -> float:
        """Route length inside the box (px) plus 40 px per node marker."""
        length = float(self.routes.intersection(box(*b)).length) if not self.routes.is_empty else 0.0
        d = self.dots
        inside = (d[:, 0] > b[0]) & (d[:, 0] < b[2]) & (d[:, 1] > b[1]) & (d[:, 1] < b[3])
        return length + 40 * int(inside.sum())


def best_corner(scene: Scene, subject: Subject, w: float, h: float, scale: float, taken: set[str],
                order: list[str]) -> str:
    options = [c for c in order if c not in taken]
    return min(options, key=lambda c: (round(subject.covered(corner_box(scene, c, w, h, scale))), options.index(c)))


def inset_size(map_box: Box, scale: float) -> tuple[float, float]:
    """The locator inset's width and height (px) on a map of *map_box*."""
    iw = max(INSET_WIDTH * (map_box[2] - map_box[0]), INSET_MIN * scale)
    return iw, iw / INSET_ASPECT


def add_furniture(layers: Layers, scene: Scene, scale: float, *, inset: bool) -> None:
    """The scale bar on every slide; the locator inset when *inset*; both reserved against labels."""
    taken: set[str] = set()
    subject = Subject(scene)
    if inset:
        iw, ih = inset_size(scene.map_box, scale)
        corner = best_corner(scene, subject, iw, ih, scale, taken,
                             ["bottom-right", "top-right", "top-left", "bottom-left"])
        taken.add(corner)
        scene.inset = corner_box(scene, corner, iw, ih, scale)
        scene.reserved.append(scene.inset)
        scene.map_items += inset_items(layers, scene, scene.inset, (iw, ih))
    km, px, lat, bw, bh = scale_bar_size(scene, scale)
    corner = best_corner(scene, subject, bw, bh, scale, taken, ["bottom-left", "bottom-right", "top-left", "top-right"])
    x0, y0, x1, y1 = corner_box(scene, corner, bw, bh, scale)
    bar = ScaleBar(km, px, x0 + 10 * scale, y0 + 24 * scale, lat, (x0, y0, x1, y1))
    scene.scale_bar = bar
    scene.reserved.append(bar.box)
    scene.map_items += scale_bar_items(bar, scale)


# ---------------------------------------------------------------- the locator inset


@per_layers
def atlas_frame(layers: Layers) -> tuple[str, Box]:
    """The atlas slide's CRS and extent (every corridor, framed at the inset's aspect)."""
    # The members' geometries, from the atlas (as the join draws them): the frame is known before the join, and
    # concatenating the joined member tables (their Arrow text columns) cost 60 ms per process.
    atlas = layers.atlas
    geoms = np.concatenate([atlas.members(cid).geometry.values.to_numpy() for cid in atlas.corridor_ids()])
    crs = lcc(shapely.total_bounds(geoms))
    return crs, frame(tuple(shapely.total_bounds(project(geoms, LONLAT, crs))), INSET_ASPECT)


def wants_inset(layers: Layers, scene: Scene) -> bool:
    """A slide gets a locator when its frame covers less than :data:`INSET_BELOW` of the atlas's (by area)."""
    crs, extent = atlas_frame(layers)
    mine = frame_in(scene, crs)
    return mine.area < INSET_BELOW * box(*extent).area


def frame_in(scene: Scene, crs: str) -> shapely.Polygon:
    """The slide's frame as a polygon in another CRS (edges densified, so its curvature shows)."""
    fx0, fy0, fx1, fy1 = scene.frame
    edge = shapely.segmentize(np.array([box(*scene.frame)]), max(fx1 - fx0, fy1 - fy0) / 40)
    return project(project(edge, scene.crs, LONLAT), LONLAT, crs)[0]


@per_layers
def inset_base(layers: Layers, width: float, height: float) -> list[Area]:
    """The inset's map at the page's origin, *width* × *height* px: sea, the world's land beyond the region
    (when the atlas has the world base) and the region's countries, in the atlas's CRS and extent."""
    crs, (ex0, ey0, ex1, ey1) = atlas_frame(layers)
    sx, sy = width / (ex1 - ex0), height / (ey1 - ey0)

    def to_inset(geoms: np.ndarray) -> list[np.ndarray]:
        projected = project(geoms, LONLAT, crs)
        simple = shapely.simplify(projected, 0.5 / sx, preserve_topology=False)
        moved = shapely.transform(simple, lambda c: np.column_stack([(c[:, 0] - ex0) * sx, (ey1 - c[:, 1]) * sy]))
        clipped = shapely.clip_by_rect(moved, 0, 0, width, height)
        return [np.asarray(r.coords) for g in clipped for p in shapely.get_parts(g)
                if isinstance(p, shapely.Polygon) and not p.is_empty for r in (p.exterior, *p.interiors)]

    region = gpd.GeoSeries([box(*REGION_BOUNDS)], crs="EPSG:4326").segmentize(0.5).values
    world = getattr(layers.atlas, "world", None)
    border = 0.5 * width / 255
    if world is not None and len(world):
        outside = shapely.difference(world.geometry.values, box(*REGION_BOUNDS))
        areas = [Area([np.array([[0, 0], [width, 0], [width, height], [0, height]], float)], style.SEA,
                      style.SEA, 0.0), Area(to_inset(outside[~shapely.is_empty(outside)]), style.LAND, style.BORDER,
                                             border)]
    else:
        areas = [Area([np.array([[0, 0], [width, 0], [width, height], [0, height]], float)], style.OUTSIDE,
                      style.OUTSIDE, 0.0), Area(to_inset(region), style.SEA, style.SEA, 0.0)]
    areas.append(Area(to_inset(layers.countries.geometry.values), style.LAND, style.BORDER, border))
    return [a for a in areas if a.rings]


def inset_items(layers: Layers, scene: Scene, b: Box, size: tuple[float, float]) -> list[Item]:
    """The inset: the atlas's extent (:func:`inset_base`, *size* px) moved to *b*, the slide's frame in red, an
    outline."""
    crs, (ex0, ey0, ex1, ey1) = atlas_frame(layers)
    w, h = size
    origin = np.array([b[0], b[1]])
    items: list[Item] = [replace(a, rings=[r + origin for r in a.rings]) for a in inset_base(layers, w, h)]
    sx, sy = w / (ex1 - ex0), h / (ey1 - ey0)
    mark = shapely.clip_by_rect(shapely.transform(frame_in(scene, crs), lambda c: np.column_stack(
        [b[0] + (c[:, 0] - ex0) * sx, b[1] + (ey1 - c[:, 1]) * sy])), *b)
    x0, y0, x1, y1 = mark.bounds if not mark.is_empty else (b[0], b[1], b[2], b[3])
    if max(x1 - x0, y1 - y0) < 8 or not isinstance(mark, shapely.Polygon):
        # A frame too small to see is marked by a ring around it.
        a = np.linspace(0, 2 * np.pi, 25)
        ring = np.column_stack([(x0 + x1) / 2 + 6 * np.cos(a), (y0 + y1) / 2 + 6 * np.sin(a)])
    else:
        ring = np.asarray(mark.exterior.coords)
    items.append(Line(ring, FRAME_COLOR, 1.8, 1.0, round_cap=False, role="frame"))
    items.append(Panel(b, "#ffffff", 0.0, stroke="#666666"))
    return items


def rings_area(geom: shapely.Geometry, fill: str, stroke: str, width: float) -> list[Item]:
    rings = [np.asarray(r.coords) for p in shapely.get_parts(geom) if isinstance(p, shapely.Polygon)
             and not p.is_empty for r in (p.exterior, *p.interiors)]
    return [Area(rings, fill, stroke, width)] if rings else []

