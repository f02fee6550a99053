"""The slide's layout in pixels: items (areas, lines, dots, panels, text), the :class:`Scene` holding them, the
Lambert conformal conic projection and the frame, and the page geometry shared by the builders."""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import geopandas as gpd
import numpy as np
import shapely
from pyproj import CRS, Transformer

from .text import ascent, descent, text_width

#: Named frame sizes in pixels at scale 1.
SIZES = {"16:9": (1920, 1080), "4:3": (1440, 1080), "square": (1080, 1080)}
MARGIN = 0.08
#: The map's box as fractions of the slide (left, top, width, height); the side panel starts at SIDE.
MAP_BOX = (0.015, 0.125, 0.70, 0.80)
SIDE = 0.735
#: Font sizes in px at scale 1.
TITLE, SUBTITLE, LABEL, LEGEND, LEGEND_TITLE, FIGURES, ABOUT, SOURCE = 42, 22, 15, 15, 18, 14.5, 14, 12.5

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in px, y down


@dataclass(frozen=True)
class Area:
    """Filled and outlined rings (a country: outer rings and holes, even-odd); no outline when *width* is 0."""

    rings: list[np.ndarray]
    fill: str
    stroke: str
    width: float


@dataclass(frozen=True)
class Line:
    """A polyline; *role* says what it is (``route``: what labels keep clear of; ``river``, ``frame``…)."""

    points: np.ndarray
    color: str
    width: float
    opacity: float = 1.0
    dash: tuple[float, ...] | None = None
    round_cap: bool = True
    role: str = "route"


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    r: float
    fill: str
    stroke: str
    width: float


@dataclass(frozen=True)
class Panel:
    """A rectangle, rounded by *radius*."""

    box: Box
    fill: str
    opacity: float = 1.0
    stroke: str | None = None
    radius: float = 0.0


@dataclass(frozen=True)
class Text:
    """One line of text; (x, y) is the start of its baseline (its end when *right*), turned by *angle* degrees
    (clockwise on the page) about that point."""

    x: float
    y: float
    text: str
    size: float
    color: str = "#000000"
    bold: bool = False
    right: bool = False
    italic: bool = False
    angle: float = 0.0

    def bounds(self) -> Box:
        """The box the text covers (of the turned text, when *angle*)."""
        w = text_width(self.text, self.size, self.bold, self.italic)
        x0 = self.x - w if self.right else self.x
        box = x0, self.y - ascent(self.size, self.bold, self.italic), x0 + w, self.y + descent(self.size, self.bold,
                                                                                                   self.italic)
        return turned(box, self.x, self.y, self.angle) if self.angle else box


Item = Area | Line | Dot | Panel | Text


def turned(box: Box, x: float, y: float, angle: float) -> Box:
    """The bounding box of *box* turned by *angle* degrees (clockwise, y down) about (x, y).

    >>> [round(v, 6) + 0.0 for v in turned((0, -1, 10, 0), 0, 0, 90)]
    [0.0, 0.0, 1.0, 10.0]
    """
    a = math.radians(angle)
    cos, sin = math.cos(a), math.sin(a)
    corners = [(cx - x, cy - y) for cx, cy in ((box[0], box[1]), (box[2], box[1]), (box[2], box[3]), (box[0], box[3]))]
    rx = [x + dx * cos - dy * sin for dx, dy in corners]
    ry = [y + dx * sin + dy * cos for dx, dy in corners]
    return min(rx), min(ry), max(rx), max(ry)


@dataclass(frozen=True)
class ScaleBar:
    """The scale bar: *km* long, *px* pixels at the frame's centre latitude *lat*, from (x, y), inside *box*."""

    km: float
    px: float
    x: float
    y: float
    lat: float
    box: Box


@dataclass
class Scene:
    """A slide laid out in pixels: *map_items* are clipped to *map_box*, *page_items* are drawn over the page."""

    width: int
    height: int
    title: str
    crs: str
    frame: Box  # the map's extent in projected metres (x0, y0, x1, y1, y up)
    map_box: Box
    map_items: list[Item] = field(default_factory=list)
    page_items: list[Item] = field(default_factory=list)
    labels: list[Box] = field(default_factory=list)  # every placed label's box, with its background
    #: What labels stay clear of besides each other: the locator inset, the scale bar.
    reserved: list[Box] = field(default_factory=list)
    #: The placed labels: text, kind (``node``, ``country``, ``sea``…) and box.
    placed: list = field(default_factory=list)
    scale_bar: ScaleBar | None = None
    inset: Box | None = None
    #: The web-map zoom matching the slide's scale at its centre (set when place names are laid out).
    zoom: float = float("nan")
    #: The Skia paths of the items by ``id`` (the scene holds its items), built when first painted: PNG and PDF
    #: paint the same scene (see :func:`.paint.item_path`).
    paths: dict[int, Any] = field(default_factory=dict, repr=False, compare=False)

    def to_px(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Projected metres → page pixels, as an (n, 2) array."""
        fx0, fy0, fx1, fy1 = self.frame
        bx0, by0, bx1, by1 = self.map_box
        px = bx0 + (np.asarray(x) - fx0) / (fx1 - fx0) * (bx1 - bx0)
        py = by0 + (fy1 - np.asarray(y)) / (fy1 - fy0) * (by1 - by0)
        return np.column_stack([px, py])


def map_box_of(width: int, height: int) -> Box:
    """The map's box in page pixels on a *width* × *height* slide (:data:`MAP_BOX`)."""
    left, top, mw, mh = MAP_BOX
    return left * width, top * height, (left + mw) * width, (top + mh) * height


def lcc(bounds: Iterable[float]) -> str:
    """A Lambert conformal conic CRS centred on (minx, miny, maxx, maxy), standard parallels at 1/6 and 5/6."""
    x0, y0, x1, y1 = bounds
    span = max(y1 - y0, 1.0)
    return (f"+proj=lcc +lat_1={y0 + span / 6:.4f} +lat_2={y1 - span / 6:.4f} +lat_0={(y0 + y1) / 2:.4f} "
            f"+lon_0={(x0 + x1) / 2:.4f} +datum=WGS84 +units=m +no_defs")


GeoData = TypeVar("GeoData", gpd.GeoSeries, gpd.GeoDataFrame)

#: Lon/lat on WGS 84 as a PROJ string: EPSG:4326's coordinates (x = longitude), but a transformer between it and a
#: slide's CRS is made in about 1 ms instead of 14 (no search of the EPSG database); the pipeline is the same.
LONLAT = "+proj=longlat +datum=WGS84 +no_defs"


@functools.lru_cache(maxsize=256)
def transformer(src: str, dst: str) -> Transformer:
    """The transformer from the PROJ string *src* to *dst* (x = longitude or easting), made once per process."""
    return Transformer.from_crs(src, dst, always_xy=True)


@functools.lru_cache(maxsize=256)
def crs_of(text: str) -> CRS:
    return CRS.from_user_input(text)


def project(geoms: np.ndarray | Sequence[Any], src: str, dst: str) -> np.ndarray:
    """Shapely geometries from *src* to *dst* (PROJ strings): the coordinates geopandas' ``to_crs`` gives, without
    its look-ups of the two CRSs on every call (0.6 ms each, a dozen calls a slide)."""
    t = transformer(src, dst)
    return shapely.transform(np.asarray(geoms, dtype=object), lambda c: np.column_stack(t.transform(c[:, 0], c[:, 1])))


def to_scene(data: GeoData, crs: str) -> GeoData:
    """*data* (a GeoSeries or GeoDataFrame in EPSG:4326) projected to a slide's *crs* (by way of :data:`LONLAT`)."""
    moved = gpd.GeoSeries(project(data.geometry.to_numpy(), LONLAT, crs), index=data.index, crs=crs_of(crs),
                          name=data.geometry.name)
    if isinstance(data, gpd.GeoDataFrame):
        return data.assign(**{data.geometry.name: moved})
    return moved


def frame(bounds_m: tuple[float, float, float, float], aspect: float) -> Box:
    """*bounds_m* grown by the margin and widened or heightened to the map's *aspect* (width / height)."""
    x0, y0, x1, y1 = bounds_m
    w, h = (x1 - x0) * (1 + 2 * MARGIN) or 1e5, (y1 - y0) * (1 + 2 * MARGIN) or 1e5
    if w / h < aspect:
        w = h * aspect
    else:
        h = w / aspect
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    return cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2


def dashes(dash: str | None, scale: float) -> tuple[float, ...] | None:
    """A Leaflet dash array (``"10 6"``, px) at *scale*."""
    return tuple(float(v) * scale for v in dash.split()) if dash else None
