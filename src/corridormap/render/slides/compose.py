"""Building a slide's scene: the map (base, corridor lines, nodes and their labels), title, side panel, sources.

A Lambert conformal conic projection centred on the frame (not Web Mercator); the frame fits the corridor's
bounds with margins; node labels are placed greedily so they never overlap.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import box

from ... import style
from ...join import Layers
from ...measure import crossing
from ...settings import REGION_BOUNDS
from .content import SlideContent, corridor_content
from .furniture import add_furniture, ground_px, wants_inset
from .labels import Placer, place_labels, short_name
from .panel import side_panel
from .places import KIND_ORDER, Land, Shape, add_country_names, add_point_names, slide_zoom
from .scene import MAP_BOX, SIZES, SOURCE, SUBTITLE, TITLE, Area, Dot, Line, Scene, Text, dashes, frame, lcc
from .text import ascent, fit, wrap

LABEL_KINDS = ("port", "terminal", "border_crossing", "city", "junction", "station")


def slide_scene(layers: Layers, cid: str | None = None, *, size: tuple[int, int] = SIZES["16:9"],
                scale: float = 1.0) -> Scene:
    """One slide: the atlas (*cid* None) or a corridor, framed, styled, labelled, with legend and key figures."""
    return compose_scene(layers, corridor_content(layers, cid), size=size, scale=scale)


def compose_scene(layers: Layers, content: SlideContent, *, size: tuple[int, int] = SIZES["16:9"],
                  scale: float = 1.0) -> Scene:
    """Lay out *content* (any set of highlighted lines, a title, side text) as a slide over the base map.

    The frame fits the lines; the map shows the countries, the lines styled by the style table, the nodes the
    lines name (``from``, ``to``) with labels placed apart; beside it the legend, the figures box and the
    *about* text; the sources line at the foot. Paint the result with :func:`~.files.save_scene`.
    """
    members = content.lines
    w, h = round(size[0] * scale), round(size[1] * scale)
    left, top, mw, mh = MAP_BOX
    map_box = (left * w, top * h, (left + mw) * w, (top + mh) * h)
    crs = lcc(members.total_bounds)
    # A quarter pixel in degrees before projecting: very detailed lines cost nothing, nothing visible changes.
    minx, miny, maxx, maxy = members.total_bounds
    members = members.assign(geometry=members.geometry.simplify(max(maxx - minx, maxy - miny) / w / 4))
    projected = members.to_crs(crs)
    extent = frame(tuple(projected.total_bounds), (map_box[2] - map_box[0]) / (map_box[3] - map_box[1]))
    scene = Scene(w, h, content.title, crs, extent, map_box)
    px = (extent[2] - extent[0]) / (map_box[2] - map_box[0])  # metres per pixel
    focus = set(content.countries if content.countries is not None else crossed(layers, content.lines))
    areas, shapes = base_areas(layers, scene, px, focus)
    scene.map_items += areas
    # Half a pixel of simplification: invisible, and keeps SVG/PDF small for very detailed lines.
    projected = projected.assign(geometry=projected.geometry.simplify(px / 2))
    for group in dict.fromkeys(projected["group"]):
        part = projected[projected["group"] == group]
        scene.map_items += corridor_lines(scene, part, part["color"].iloc[0], part["tonnes"].iloc[0], scale)
    nodes = slide_nodes(layers, members, crs)
    xy = scene.to_px(nodes.geometry.x.to_numpy(), nodes.geometry.y.to_numpy())
    scene.map_items += [Dot(x, y, 3.7 * scale, style.NODE_COLORS.get(k, "#555555"), "#ffffff", 1.1 * scale)
                        for (x, y), k in zip(xy.tolist(), nodes["kind"])]
    add_furniture(layers, scene, scale,
                  inset=wants_inset(layers, scene) if content.locator is None else content.locator)
    placer = Placer(scene)
    place_labels(scene, [(x, y, short_name(n)) for (x, y), n in zip(xy.tolist(), nodes["name"])], scale, placer)
    add_places(layers, scene, placer, shapes, focus, px, scale)
    title, subtitle = content.title, content.subtitle
    title_size = fit(title, TITLE * scale, 0.97 * w, bold=True)
    subtitle_size = fit(subtitle, SUBTITLE * scale, 0.97 * w)
    scene.page_items += [Text(0.015 * w, 0.045 * h + ascent(title_size, True) / 2, title, title_size, bold=True),
                         Text(0.015 * w, 0.095 * h + ascent(subtitle_size) / 2, subtitle, subtitle_size, "#444444")]
    side_panel(scene, content, scale)
    lines = wrap(content.sources, 0.97 * w, SOURCE * scale)
    line_h = SOURCE * scale * 1.3
    y = 0.965 * h - (len(lines) - 1) * line_h / 2 + ascent(SOURCE * scale) / 2
    scene.page_items += [Text(0.015 * w, y + i * line_h, line, SOURCE * scale, "#555555")
                         for i, line in enumerate(lines)]
    return scene


def base_areas(layers: Layers, scene: Scene, px: float, focus: set[str]) -> tuple[list[Area], list[Shape]]:
    """Countries near the frame, projected, simplified to half a pixel, as pixel rings (those in *focus* drawn
    last, emphasised); and their pixel shapes, for the place names."""
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
    drawn, emphasised, outlines = [], [], []
    for iso3, name, geom in zip(near["iso3"], near["name"], shapes):
        polygons = shapely.get_parts(geom)
        rings = [scene.to_px(*np.asarray(r.coords).T) for p in polygons if not p.is_empty
                 for r in (p.exterior, *p.interiors)]
        if not rings:
            continue
        if iso3 in focus:
            emphasised.append(Area(rings, style.FOCUS_LAND, style.FOCUS_BORDER, style.FOCUS_BORDER_WIDTH))
        else:
            drawn.append(Area(rings, style.LAND, style.BORDER, 0.8))
        outlines.append(Shape(iso3, name, shapely.make_valid(
            shapely.transform(geom, lambda c: scene.to_px(c[:, 0], c[:, 1])))))
    return areas + drawn + emphasised, outlines


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
    used = set(members["from"].dropna()) | set(members["to"].dropna())
    nodes = layers.nodes[layers.nodes["id"].isin(used)].copy()
    nodes["rank"] = nodes["kind"].map(lambda k: LABEL_KINDS.index(k) if k in LABEL_KINDS else 9)
    return nodes.sort_values(["rank", "id"]).head(limit).to_crs(crs)


def crossed(layers: Layers, lines: gpd.GeoDataFrame) -> list[str]:
    """ISO3 codes of the countries *lines* cross (by the measure's rule: more than 50 m inside)."""
    tree = shapely.STRtree(layers.countries.geometry.values)
    return sorted({i for geom in lines.geometry if geom is not None
                   for i in crossing(geom, layers.countries, tree).countries})


def add_places(layers: Layers, scene: Scene, placer: Placer, shapes: list[Shape], focus: set[str], px: float,
               scale: float) -> None:
    """Names on the map after the node labels: emphasised countries, seas, other countries, then the rest of
    the labels table that the slide's zoom shows."""
    table = place_table(layers, scene, px)
    countries = table[table["kind"] == "country"]
    points = {str(i): (float(x), float(y)) for i, x, y in zip(countries["iso3"], countries["x"], countries["y"])}
    land = Land([s.px for s in shapes])
    add_country_names(scene, placer, shapes, focus, scale, points, emphasised=True)
    add_point_names(scene, placer, table, land, scale, ["sea"])
    add_country_names(scene, placer, shapes, focus, scale, points, emphasised=False)
    add_point_names(scene, placer, table, land, scale, [k for k in KIND_ORDER if k not in ("sea", "country")])


def place_table(layers: Layers, scene: Scene, px: float) -> pd.DataFrame:
    """The labels table (``geo/labels.csv``, when the atlas has one) in page pixels: the rows whose point lies
    in the frame and whose ``min_zoom`` the slide's scale reaches, by priority; names nodes already carry left out."""
    columns = ["name", "kind", "iso3", "x", "y", "angle", "priority"]
    labels = getattr(layers.atlas, "labels", None)
    if labels is None or not len(labels):
        return pd.DataFrame(columns=columns)
    m_per_px, _, lat = ground_px(scene)
    zoom = slide_zoom(m_per_px, lat)
    rows = labels[labels["min_zoom"].astype(float) <= zoom + ZOOM_ALLOWANCE]
    xy = gpd.GeoSeries(gpd.points_from_xy(rows["lon"].astype(float), rows["lat"].astype(float)),
                       crs="EPSG:4326").to_crs(scene.crs)
    pts = scene.to_px(xy.x.to_numpy(), xy.y.to_numpy())
    out = rows.assign(x=pts[:, 0], y=pts[:, 1])
    x0, y0, x1, y1 = scene.map_box
    out = out[(out["x"] > x0) & (out["x"] < x1) & (out["y"] > y0) & (out["y"] < y1)]
    named = {short_name(n) for n in layers.nodes["name"]}
    out = out[~(out["kind"].isin(["capital", "city"]) & out["name"].isin(named))]
    return out.sort_values("priority", kind="stable")[columns]


#: Slides are read closer than a web map at the same scale: labels a web map shows one zoom level later show.
ZOOM_ALLOWANCE = 1.0
