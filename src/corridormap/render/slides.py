"""Static slide images (PNG, SVG, PDF) drawn from the same layers and style table as the HTML.

A slide is laid out first, as a :class:`Scene`: shapes and text in pixels, measured with the font that draws
them, with no drawing library involved (tests read the layout from it). The scene is then painted: PNG and PDF
with Skia, SVG written as plain elements (text stays text). No browser, no network.

A Lambert conformal conic projection centred on the frame (not Web Mercator); the frame fits the corridor's
bounds with margins; node labels are placed greedily so they never overlap.
"""

from __future__ import annotations

import importlib.util
import re
import struct
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

try:
    import skia
except ImportError as err:  # the wheel links the system's libEGL/libGL, absent from minimal Linux images
    raise ImportError(f"slides need Skia (skia-python), which failed to load: {err}. On Debian or Ubuntu: "
                      "apt-get install libegl1 libgl1") from err
from shapely.geometry import box

from .. import style
from .._io import atomic_path
from ..join import Layers, headline
from ..settings import REGION_BOUNDS
from .popups import about, value_text

FORMATS = ("png", "svg", "pdf")
#: Named frame sizes in pixels at scale 1.
SIZES = {"16:9": (1920, 1080), "4:3": (1440, 1080), "square": (1080, 1080)}
LABEL_KINDS = ("port", "terminal", "border_crossing", "city", "junction", "station")
#: Candidate label positions (px at scale 1) relative to the node, tried in order.
LABEL_OFFSETS = ((8, -6), (8, 16), (-8, -6), (-8, 16), (0, -12), (0, 26), (14, 5), (-14, 5),
                 (10, -22), (10, 32), (-10, -22), (-10, 32), (0, -30), (0, 42))
MARGIN = 0.08
#: The map's box as fractions of the slide (left, top, width, height); the side panel starts at SIDE.
MAP_BOX = (0.015, 0.125, 0.70, 0.80)
SIDE = 0.735
#: Font sizes in px at scale 1.
TITLE, SUBTITLE, LABEL, LEGEND, LEGEND_TITLE, FIGURES, ABOUT, SOURCE = 42, 22, 15, 15, 18, 14.5, 14, 12.5
FONT_FILES = {False: "DejaVuSans.ttf", True: "DejaVuSans-Bold.ttf"}
FONT_FAMILY = "DejaVu Sans"
#: PDF pages are in points; a 1920 px slide becomes a 19.2 in (1382 pt) page, as at 100 dpi.
PDF_POINTS_PER_PX = 0.72

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in px, y down


# ---------------------------------------------------------------- fonts


@cache
def font_path(bold: bool = False) -> Path:
    """DejaVu Sans from matplotlib's package data: the same font file on every machine, so output is identical.

    Found without importing matplotlib (only its files are used).
    """
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("slides need the DejaVu Sans font shipped with matplotlib: pip install matplotlib")
    path = Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf" / FONT_FILES[bold]
    if not path.is_file():
        raise RuntimeError(f"slides: font file not found: {path}")
    return path


@cache
def typeface(bold: bool = False) -> skia.Typeface:
    # An empty font manager reads the file itself: no system fontconfig (and none of its warnings) involved.
    face = skia.FontMgr.New_Custom_Empty().makeFromFile(str(font_path(bold)), 0)
    if face is None:
        raise RuntimeError(f"slides: Skia could not read the font {font_path(bold)}")
    return face


@cache
def font(size: float, bold: bool = False) -> skia.Font:
    f = skia.Font(typeface(bold), size)
    f.setSubpixel(True)
    f.setEdging(skia.Font.Edging.kAntiAlias)
    return f


def text_width(text: str, size: float, bold: bool = False) -> float:
    return font(size, bold).measureText(text)


def ascent(size: float, bold: bool = False) -> float:
    """Height of the font above the baseline (px)."""
    return -font(size, bold).getMetrics().fAscent


def descent(size: float, bold: bool = False) -> float:
    return font(size, bold).getMetrics().fDescent


def wrap(text: str, width: float, size: float, bold: bool = False, indent: str = "") -> list[str]:
    """Greedy word wrap to *width* px as measured in the font; continuation lines start with *indent*.

    A word wider than a line (``Afghanistan–Turkmenistan–Caspian–Azerbaijan``) breaks after its dashes or
    slashes, and failing those anywhere.

    >>> wrap("aa bb cc", text_width("aa bb", 14), 14)
    ['aa bb', 'cc']
    >>> wrap("Afghanistan–Turkmenistan–Caspian", text_width("Turkmenistan–", 14), 14)
    ['Afghanistan–', 'Turkmenistan–', 'Caspian']
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split():
            for i, piece in enumerate(word_pieces(word, width - text_width(indent, size, bold), size, bold)):
                joined = (" " if i == 0 else "").join((line, piece)) if line else piece
                if line and text_width(joined, size, bold) > width:
                    lines.append(line)
                    line = indent + piece
                else:
                    line = joined
        lines.append(line)
    return lines


def fit(text: str, size: float, width: float, bold: bool = False) -> float:
    """*size*, or smaller so that *text* fits in *width* px on one line (a long title on a square slide)."""
    return min(size, size * width / max(text_width(text, size, bold), 1e-9))


def word_pieces(word: str, width: float, size: float, bold: bool) -> list[str]:
    """*word*, or when wider than *width* its parts ending in a dash or slash (or single characters)."""
    if text_width(word, size, bold) <= width:
        return [word]
    pieces = re.findall(r"[^–—/-]+[–—/-]*|[–—/-]+", word)
    if len(pieces) == 1:
        pieces = list(word)
    return pieces


# ---------------------------------------------------------------- the scene


@dataclass(frozen=True)
class Area:
    """Filled and outlined rings (a country: outer rings and holes, even-odd); no outline when *width* is 0."""

    rings: list[np.ndarray]
    fill: str
    stroke: str
    width: float


@dataclass(frozen=True)
class Line:
    points: np.ndarray
    color: str
    width: float
    opacity: float = 1.0
    dash: tuple[float, ...] | None = None
    round_cap: bool = True


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
    """One line of text; (x, y) is the start of its baseline (its end when *right*)."""

    x: float
    y: float
    text: str
    size: float
    color: str = "#000000"
    bold: bool = False
    right: bool = False

    def bounds(self) -> Box:
        w = text_width(self.text, self.size, self.bold)
        x0 = self.x - w if self.right else self.x
        return x0, self.y - ascent(self.size, self.bold), x0 + w, self.y + descent(self.size, self.bold)


Item = Area | Line | Dot | Panel | Text


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
    labels: list[Box] = field(default_factory=list)  # placed node labels, with their background

    def to_px(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Projected metres → page pixels, as an (n, 2) array."""
        fx0, fy0, fx1, fy1 = self.frame
        bx0, by0, bx1, by1 = self.map_box
        px = bx0 + (np.asarray(x) - fx0) / (fx1 - fx0) * (bx1 - bx0)
        py = by0 + (fy1 - np.asarray(y)) / (fy1 - fy0) * (by1 - by0)
        return np.column_stack([px, py])


def lcc(bounds: Iterable[float]) -> str:
    """A Lambert conformal conic CRS centred on (minx, miny, maxx, maxy), standard parallels at 1/6 and 5/6."""
    x0, y0, x1, y1 = bounds
    span = max(y1 - y0, 1.0)
    return (f"+proj=lcc +lat_1={y0 + span / 6:.4f} +lat_2={y1 - span / 6:.4f} +lat_0={(y0 + y1) / 2:.4f} "
            f"+lon_0={(x0 + x1) / 2:.4f} +datum=WGS84 +units=m +no_defs")


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


def short_name(name: str) -> str:
    """A label: the name without its parenthesis (``Alat (Port of Baku …)`` → ``Alat``)."""
    return name.split(" (")[0].strip()


def slide_scene(layers: Layers, cid: str | None = None, *, size: tuple[int, int] = SIZES["16:9"],
                scale: float = 1.0) -> Scene:
    """One slide: the atlas (*cid* None) or a corridor, framed, styled, labelled, with legend and key figures."""
    cids = [cid] if cid else list(layers.corridors["id"])
    members = gpd.GeoDataFrame(pd.concat([layers.members[c] for c in cids]), geometry="geometry", crs="EPSG:4326")
    w, h = round(size[0] * scale), round(size[1] * scale)
    left, top, mw, mh = MAP_BOX
    map_box = (left * w, top * h, (left + mw) * w, (top + mh) * h)
    crs = lcc(members.total_bounds)
    # A quarter pixel in degrees before projecting: very detailed lines cost nothing, nothing visible changes.
    minx, miny, maxx, maxy = members.total_bounds
    members = members.assign(geometry=members.geometry.simplify(max(maxx - minx, maxy - miny) / w / 4))
    projected = members.to_crs(crs)
    extent = frame(tuple(projected.total_bounds), (map_box[2] - map_box[0]) / (map_box[3] - map_box[1]))
    corridor = layers.corridor(cid) if cid else None
    title = corridor["name"] if corridor is not None else "Eurasian transport corridors"
    scene = Scene(w, h, title, crs, extent, map_box)
    px = (extent[2] - extent[0]) / (map_box[2] - map_box[0])  # metres per pixel
    scene.map_items += base_areas(layers, scene, px)
    # Half a pixel of simplification: invisible, and keeps SVG/PDF small for very detailed lines.
    projected = projected.assign(geometry=projected.geometry.simplify(px / 2))
    for c in cids:
        row = layers.corridor(c)
        scene.map_items += corridor_lines(scene, projected[projected["layer"] == c], row["color"],
                                          row["latest_tonnes"], scale)
    nodes = slide_nodes(layers, members, crs)
    xy = scene.to_px(nodes.geometry.x.to_numpy(), nodes.geometry.y.to_numpy())
    scene.map_items += [Dot(x, y, 3.7 * scale, style.NODE_COLORS.get(k, "#555555"), "#ffffff", 1.1 * scale)
                        for (x, y), k in zip(xy.tolist(), nodes["kind"])]
    place_labels(scene, [(x, y, short_name(n)) for (x, y), n in zip(xy.tolist(), nodes["name"])], scale)
    subtitle = (f"{corridor['length_km']:,.0f} km as traced · {corridor['countries'].replace(';', ', ')}"
                if corridor is not None
                else "Middle Corridor, TITR, Lapis Lazuli, BTC, Zangezur and the routes beside them")
    title_size = fit(title, TITLE * scale, 0.97 * w, bold=True)
    subtitle_size = fit(subtitle, SUBTITLE * scale, 0.97 * w)
    scene.page_items += [Text(0.015 * w, 0.045 * h + ascent(title_size, True) / 2, title, title_size, bold=True),
                         Text(0.015 * w, 0.095 * h + ascent(subtitle_size) / 2, subtitle, subtitle_size, "#444444")]
    side_panel(scene, layers, cids, members, scale)
    figures = {s for c in cids for s in layers.facts[c].latest["source"]}
    source = " ".join(filter(None, (source_line(layers, figures, set(members["source"])),
                                    style.licence_credits(members["licence"]))))
    lines = wrap(source, 0.97 * w, SOURCE * scale)
    line_h = SOURCE * scale * 1.3
    y = 0.965 * h - (len(lines) - 1) * line_h / 2 + ascent(SOURCE * scale) / 2
    scene.page_items += [Text(0.015 * w, y + i * line_h, line, SOURCE * scale, "#555555")
                         for i, line in enumerate(lines)]
    return scene


def base_areas(layers: Layers, scene: Scene, px: float) -> list[Area]:
    """Countries near the frame, projected, simplified to half a pixel, as pixel rings."""
    frame_ll = gpd.GeoSeries([box(*scene.frame)], crs=scene.crs).segmentize(px * 20).to_crs("EPSG:4326")
    x0, y0, x1, y1 = frame_ll.total_bounds
    pad = 3.0
    # Clipped in lon/lat (where the polygons are valid) to the frame plus a margin: no slide carries all of
    # Russia's or China's outline.
    near = layers.countries.clip(box(x0 - pad, y0 - pad, x1 + pad, y1 + pad))
    # The base map covers the region only: sea inside it, a neutral tone beyond (not sea: it is Siberia there).
    region = gpd.GeoSeries([box(*REGION_BOUNDS)], crs="EPSG:4326").segmentize(0.5).to_crs(scene.crs)
    areas = [Area([scene.to_px(*np.asarray(region.iloc[0].exterior.coords).T)], style.SEA, style.SEA, 0.0)]
    # Plain Douglas-Peucker at half a pixel: a ring that would self-touch does so below what a pixel shows.
    shapes = shapely.simplify(near.geometry.to_crs(scene.crs).values, px / 2, preserve_topology=False)
    for geom in shapes:
        polygons = shapely.get_parts(geom)
        rings = [scene.to_px(*np.asarray(r.coords).T) for p in polygons if not p.is_empty
                 for r in (p.exterior, *p.interiors)]
        if rings:
            areas.append(Area(rings, style.LAND, style.BORDER, 0.8))
    return areas


def corridor_lines(scene: Scene, members: gpd.GeoDataFrame, color: str, tonnes: float | None,
                   scale: float) -> list[Line]:
    """Casings first, then the lines, styled exactly as in the HTML (style.line_style)."""
    casings, lines = [], []
    for geom, status, mode in zip(members.geometry, members["status"], members["mode"]):
        s = style.line_style(color, status, mode, tonnes)
        points = scene.to_px(*np.asarray(geom.coords).T)
        if s.casing:
            casings.append(Line(points, s.casing, (s.weight + style.CASING_EXTRA) * scale, 0.9))
        lines.append(Line(points, s.color, s.weight * scale, s.opacity, dashes(s.dash, scale), not s.dash))
    return casings + lines


def slide_nodes(layers: Layers, members: gpd.GeoDataFrame, crs: str, limit: int = 24) -> gpd.GeoDataFrame:
    """The nodes a slide marks: segment ends, ports and terminals first."""
    used = set(members["from"]) | set(members["to"])
    nodes = layers.nodes[layers.nodes["id"].isin(used)].copy()
    nodes["rank"] = nodes["kind"].map(lambda k: LABEL_KINDS.index(k) if k in LABEL_KINDS else 9)
    return nodes.sort_values(["rank", "id"]).head(limit).to_crs(crs)


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


def legend_items(x: float, y: float, entries: list[tuple[list[Line], str]], size: float,
                 scale: float) -> tuple[list[Item], float]:
    """Legend rows (line samples + label) from (x, y) down; returns the items and the bottom y."""
    items: list[Item] = [Text(x, y + ascent(LEGEND_TITLE * scale, True), "Legend", LEGEND_TITLE * scale, bold=True)]
    row = size * 1.55
    y += LEGEND_TITLE * scale * 1.6
    for samples, label in entries:
        mid = y + row / 2
        if len(samples) > 1:  # a cased sample (white halo) shows on land colour, as on the map
            items.append(Panel((x - 0.3 * size, y + 0.1 * row, x + 3.3 * size, y + 0.9 * row), style.LAND,
                               radius=0.2 * size))
        for sample in samples:
            items.append(replace(sample, points=np.array([[x, mid], [x + 3 * size, mid]])))
        items.append(Text(x + 3.6 * size, mid + ascent(size) / 2 - descent(size) / 2, label, size))
        y += row
    return items, y


def legend_entries(names: dict[str, str], statuses: set[str], modes: set[str], scale: float) -> list:
    """(line samples, label) per corridor colour, status dash and cased mode present on the slide."""
    k = 1.5 * scale
    entries = [([Line(np.empty((0, 2)), c, 5.5 * scale)], n) for n, c in names.items()]
    for status, s in style.STATUS.items():
        if status in statuses:
            entries.append(([Line(np.empty((0, 2)), "#444444", 3 * k, 1.0, dashes(s["dash"], k), not s["dash"])],
                            s["label"]))
    for mode, m in style.MODE.items():
        if mode in modes and m["casing"]:
            entries.append(([Line(np.empty((0, 2)), m["casing"], (m["weight"] + style.CASING_EXTRA) * k, 0.9),
                             Line(np.empty((0, 2)), "#444444", m["weight"] * k)], m["label"]))
    return entries


def figure_line(r: pd.Series, corridor: str, prefix: str = "") -> str:
    return f"{prefix}{value_text(float(r['value']), r['unit'], r['qualifier'])} {about(r, corridor)} [{r['source']}]"


def key_figures(layers: Layers, cids: list[str], limit: int = 7) -> list[str]:
    """A corridor's latest volumes; for the atlas, each corridor's headline (tonnage first)."""
    if len(cids) == 1:
        return [figure_line(r, cids[0]) for _, r in layers.facts[cids[0]].latest.tail(limit).iterrows()]
    lines = []
    for cid in cids:
        top = headline(layers.facts[cid], cid)
        if top is not None:
            lines.append(figure_line(top, cid, f"{short_name(layers.corridor(cid)['name'])}: "))
    return lines[:limit + 3]


def side_panel(scene: Scene, layers: Layers, cids: list[str], members: pd.DataFrame, scale: float) -> None:
    """Legend, key-figures box and (for a corridor) its description, stacked down the right of the map; set
    smaller, step by step down to 60 %, where it would run below the map (the atlas on a square slide)."""
    for k in (1.0, 0.9, 0.8, 0.7, 0.6):
        items, bottom = side_items(scene, layers, cids, members, scale * k)
        if bottom <= scene.map_box[3]:
            break
    scene.page_items += items


def side_items(scene: Scene, layers: Layers, cids: list[str], members: pd.DataFrame,
               scale: float) -> tuple[list[Item], float]:
    """The side panel's items at *scale*, and how far down they reach."""
    w, h = scene.width, scene.height
    x, right = SIDE * w, 0.985 * w
    size = LEGEND * scale
    names = {row["name"]: row["color"] for row in map(layers.corridor, cids)}
    entries = legend_entries(names, set(members["status"]), set(members["mode"]), scale)
    for i, (samples, label) in enumerate(entries):  # long corridor names wrap beside their sample
        label_lines = wrap(label, right - x - 3.6 * size, size)
        entries[i] = (samples, label_lines[0])
        entries[i + 1:i + 1] = [([], line) for line in label_lines[1:]]
    items, bottom = legend_items(x, scene.map_box[1], entries, size, scale)
    lines = ["Key figures"]
    fsize, pad = FIGURES * scale, 0.6 * FIGURES * scale
    for figure in key_figures(layers, cids) or ["No observed volume in the sources yet."]:
        lines += wrap(figure, right - x - 2 * pad, fsize, indent="  ")
    line_h = fsize * 1.45
    top = max(0.48 * h, bottom + 0.03 * h) if bottom < 0.45 * h else bottom + 0.03 * h
    panel = (x, top, right, top + 2 * pad + len(lines) * line_h - (line_h - fsize * 1.2))
    items.append(Panel(panel, "#f7f7f4", stroke="#cccccc", radius=0.4 * fsize))
    items += [Text(x + pad, top + pad + ascent(fsize) + i * line_h, line, fsize, bold=i == 0)
              for i, line in enumerate(lines)]
    bottom = panel[3]
    if len(cids) == 1:
        asize = ABOUT * scale
        about_lines = wrap(layers.corridor(cids[0])["description"], right - x, asize)
        about_h = asize * 1.35
        first = max(panel[3] + 0.02 * h, scene.map_box[3] - (len(about_lines) - 1) * about_h - descent(asize))
        items += [Text(x, first + i * about_h, line, asize, "#333333") for i, line in enumerate(about_lines)]
        bottom = first + (len(about_lines) - 1) * about_h + descent(asize)
    return items, bottom


def source_line(layers: Layers, source_ids: set[str], route_sources: set[str], limit: int = 420) -> str:
    """The sources of the figures shown (by publisher, title, year) and of the route geometry, shortened."""
    names = [f"{s['publisher'] or s['author']} ({s['date'][:4]})" if s["date"] else s["publisher"] or s["id"]
             for _, s in layers.sources.iterrows() if s["id"] in source_ids]
    text = "Figures: " + "; ".join(dict.fromkeys(names)) + ". " if names else ""
    text += "Routes: " + "; ".join(sorted(route_sources))
    if len(text) > limit:
        text = text[: limit - 1].rsplit(" ", 1)[0] + "…"
    return text + " Base map: Natural Earth (public domain). Lengths geodesic, as traced."


# ---------------------------------------------------------------- painting


def color(hex_color: str, opacity: float = 1.0) -> int:
    r, g, b = (int(hex_color[i:i + 2], 16) for i in (1, 3, 5))
    return skia.Color(r, g, b, round(255 * opacity))


def skia_path(rings: Iterable[np.ndarray], closed: bool) -> skia.Path:
    path = skia.Path()
    for ring in rings:
        path.addPoly([skia.Point(x, y) for x, y in ring.tolist()], closed)
    if closed:
        path.setFillType(skia.PathFillType.kEvenOdd)
    return path


def paint_item(canvas: skia.Canvas, item: Item) -> None:
    if isinstance(item, Area):
        path = skia_path(item.rings, closed=True)
        canvas.drawPath(path, skia.Paint(Color=color(item.fill), AntiAlias=True))
        if item.width > 0:
            canvas.drawPath(path, skia.Paint(Color=color(item.stroke), AntiAlias=True, Style=skia.Paint.kStroke_Style,
                                             StrokeWidth=item.width, StrokeJoin=skia.Paint.kRound_Join))
    elif isinstance(item, Line):
        paint = skia.Paint(Color=color(item.color, item.opacity), AntiAlias=True, Style=skia.Paint.kStroke_Style,
                           StrokeWidth=item.width, StrokeJoin=skia.Paint.kRound_Join,
                           StrokeCap=skia.Paint.kRound_Cap if item.round_cap else skia.Paint.kButt_Cap)
        if item.dash:
            paint.setPathEffect(skia.DashPathEffect.Make(list(item.dash), 0))
        canvas.drawPath(skia_path([item.points], closed=False), paint)
    elif isinstance(item, Dot):
        canvas.drawCircle(item.x, item.y, item.r, skia.Paint(Color=color(item.fill), AntiAlias=True))
        canvas.drawCircle(item.x, item.y, item.r, skia.Paint(Color=color(item.stroke), AntiAlias=True,
                                                             Style=skia.Paint.kStroke_Style, StrokeWidth=item.width))
    elif isinstance(item, Panel):
        rect = skia.RRect.MakeRectXY(skia.Rect.MakeLTRB(*item.box), item.radius, item.radius)
        canvas.drawRRect(rect, skia.Paint(Color=color(item.fill, item.opacity), AntiAlias=True))
        if item.stroke:
            canvas.drawRRect(rect, skia.Paint(Color=color(item.stroke), AntiAlias=True,
                                              Style=skia.Paint.kStroke_Style, StrokeWidth=1.0))
    else:
        x0, *_ = item.bounds()
        canvas.drawString(item.text, x0, item.y, font(item.size, item.bold),
                          skia.Paint(Color=color(item.color), AntiAlias=True))


def paint(scene: Scene, canvas: skia.Canvas) -> None:
    canvas.clear(skia.ColorWHITE)
    canvas.save()
    canvas.clipRect(skia.Rect.MakeLTRB(*scene.map_box))
    canvas.drawColor(color(style.OUTSIDE))
    for item in scene.map_items:
        paint_item(canvas, item)
    canvas.restore()
    canvas.drawRect(skia.Rect.MakeLTRB(*scene.map_box),
                    skia.Paint(Color=color("#333333"), AntiAlias=True, Style=skia.Paint.kStroke_Style,
                               StrokeWidth=1.0))
    for item in scene.page_items:
        paint_item(canvas, item)


def png_bytes(scene: Scene) -> bytes:
    surface = skia.Surface.MakeRaster(skia.ImageInfo.Make(scene.width, scene.height, skia.kRGBA_8888_ColorType,
                                                          skia.kOpaque_AlphaType))
    with surface as canvas:
        paint(scene, canvas)
    pixels = surface.makeImageSnapshot().toarray(colorType=skia.kRGBA_8888_ColorType)
    return encode_png(pixels[:, :, :3])


def encode_png(rgb: np.ndarray, level: int = 3) -> bytes:
    r"""An 8-bit RGB PNG with no ancillary chunks (nothing that varies between runs).

    Scanlines are left unfiltered: a map's flat fills compress better that way than with PNG's predictors, and
    zlib level 3 is twice as fast as Skia's or Pillow's encoders at a smaller size.

    >>> png = encode_png(np.zeros((2, 3, 3), np.uint8))
    >>> png[:8], struct.unpack(">II", png[16:24])
    (b'\x89PNG\r\n\x1a\n', (3, 2))
    """
    height, width, _ = rgb.shape
    rows = np.zeros((height, 1 + 3 * width), np.uint8)  # filter byte 0 (None) then the row's RGB
    rows[:, 1:] = rgb.reshape(height, -1)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows.tobytes(), level))
            + chunk(b"IEND", b""))


def pdf_bytes(scene: Scene) -> bytes:
    """One page, fonts embedded as subsets, no creation date (Skia writes none unless asked)."""
    stream = skia.DynamicMemoryWStream()
    metadata = skia.PDF.Metadata()
    metadata.fTitle = scene.title
    metadata.fCreator = "corridormap"
    document = skia.PDF.MakeDocument(stream, metadata)
    with document.page(scene.width * PDF_POINTS_PER_PX, scene.height * PDF_POINTS_PER_PX) as canvas:
        canvas.scale(PDF_POINTS_PER_PX, PDF_POINTS_PER_PX)
        paint(scene, canvas)
    document.close()
    return bytes(stream.detachAsData())


def svg_text(scene: Scene) -> str:
    """The scene as SVG elements; every text from data is XML-escaped, text stays selectable text."""
    bx0, by0, bx1, by1 = scene.map_box
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{scene.width}" height="{scene.height}" '
           f'viewBox="0 0 {scene.width} {scene.height}" font-family="{FONT_FAMILY}, sans-serif">',
           f"<title>{xml_text(scene.title)}</title>",
           f'<clipPath id="map"><rect x="{bx0:.1f}" y="{by0:.1f}" width="{bx1 - bx0:.1f}" '
           f'height="{by1 - by0:.1f}"/></clipPath>',
           f'<rect width="{scene.width}" height="{scene.height}" fill="#ffffff"/>',
           f'<g clip-path="url(#map)"><rect x="{bx0:.1f}" y="{by0:.1f}" width="{bx1 - bx0:.1f}" '
           f'height="{by1 - by0:.1f}" fill="{style.OUTSIDE}"/>',
           *map(svg_item, scene.map_items), "</g>",
           f'<rect x="{bx0:.1f}" y="{by0:.1f}" width="{bx1 - bx0:.1f}" height="{by1 - by0:.1f}" fill="none" '
           f'stroke="#333333"/>',
           *map(svg_item, scene.page_items), "</svg>"]
    return '<?xml version="1.0" encoding="utf-8"?>\n' + "\n".join(out) + "\n"


#: Characters XML 1.0 does not allow at all, even escaped (C0 controls other than tab, newline, return).
XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    """Data text as SVG character data: markup escaped, characters XML cannot hold dropped.

    >>> xml_text("<b>A&B</b>\x0b")
    '&lt;b&gt;A&amp;B&lt;/b&gt;'
    """
    return escape(XML_INVALID.sub("", text))


def svg_points(points: np.ndarray, closed: bool) -> str:
    if len(points) == 0:
        return ""
    coords = " ".join(f"{x:.1f} {y:.1f}" for x, y in points.tolist())
    return f"M{coords}{'Z' if closed else ''}"


def svg_item(item: Item) -> str:
    if isinstance(item, Area):
        d = "".join(svg_points(r, True) for r in item.rings)
        stroke = (f' stroke="{item.stroke}" stroke-width="{item.width:g}" stroke-linejoin="round"'
                  if item.width > 0 else "")
        return f'<path d="{d}" fill="{item.fill}" fill-rule="evenodd"{stroke}/>'
    if isinstance(item, Line):
        dash = f' stroke-dasharray="{" ".join(f"{v:g}" for v in item.dash)}"' if item.dash else ""
        return (f'<path d="{svg_points(item.points, False)}" fill="none" stroke="{item.color}" '
                f'stroke-opacity="{item.opacity:g}" stroke-width="{item.width:g}" stroke-linejoin="round" '
                f'stroke-linecap="{"round" if item.round_cap else "butt"}"{dash}/>')
    if isinstance(item, Dot):
        return (f'<circle cx="{item.x:.1f}" cy="{item.y:.1f}" r="{item.r:g}" fill="{item.fill}" '
                f'stroke="{item.stroke}" stroke-width="{item.width:g}"/>')
    if isinstance(item, Panel):
        x0, y0, x1, y1 = item.box
        stroke = f' stroke="{item.stroke}"' if item.stroke else ""
        return (f'<rect x="{x0:.1f}" y="{y0:.1f}" width="{x1 - x0:.1f}" height="{y1 - y0:.1f}" '
                f'rx="{item.radius:g}" fill="{item.fill}" fill-opacity="{item.opacity:g}"{stroke}/>')
    weight = ' font-weight="bold"' if item.bold else ""
    anchor = ' text-anchor="end"' if item.right else ""
    return (f'<text x="{item.x:.1f}" y="{item.y:.1f}" font-size="{item.size:g}" fill="{item.color}"{weight}'
            f'{anchor} xml:space="preserve">{xml_text(item.text)}</text>')


def scene_bytes(scene: Scene, fmt: str) -> bytes:
    if fmt == "png":
        return png_bytes(scene)
    if fmt == "pdf":
        return pdf_bytes(scene)
    if fmt == "svg":
        return svg_text(scene).encode("utf-8")
    raise ValueError(f"slide format: expected one of {', '.join(FORMATS)}, found {fmt!r}")


def save_scene(scene: Scene, path: Path) -> Path:
    """Write one format (from the suffix) atomically; the same data gives byte-identical files."""
    data = scene_bytes(scene, path.suffix[1:])
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return path


def render_slides(layers: Layers, out: str | Path = "maps/slides", *, corridors: list[str | None] | None = None,
                  size: tuple[int, int] = SIZES["16:9"], scale: float = 1.0,
                  formats: Iterable[str] = FORMATS) -> list[Path]:
    """Write ``atlas.<fmt>`` and ``<corridor>.<fmt>`` for every corridor (or those given); returns the paths."""
    out = Path(out)
    targets: list[str | None] = [None, *layers.corridors["id"]] if corridors is None else list(corridors)
    written = []
    for cid in targets:
        scene = slide_scene(layers, cid, size=size, scale=scale)
        written += [save_scene(scene, out / f"{cid or 'atlas'}.{fmt}") for fmt in formats]
    return written


def parse_size(text: str) -> tuple[int, int]:
    """``1920x1080`` or a named size (``16:9``, ``4:3``, ``square``).

    >>> parse_size("1280x720"), parse_size("square")
    ((1280, 720), (1080, 1080))
    """
    if text in SIZES:
        return SIZES[text]
    w, _, h = text.lower().partition("x")
    if not (w.isdigit() and h.isdigit()) or not (200 <= int(w) <= 10000 and 200 <= int(h) <= 10000):
        raise ValueError(f"--size: expected WIDTHxHEIGHT in pixels (200..10000) or one of {', '.join(SIZES)}, "
                         f"found {text!r}")
    return int(w), int(h)
