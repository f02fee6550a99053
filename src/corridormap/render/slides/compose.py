"""Building a slide's scene: the map (base, corridor lines, nodes and their labels), title, side panel, sources.

A Lambert conformal conic projection centred on the frame (not Web Mercator); the frame fits the corridor's
bounds with margins; node labels are placed greedily so they never overlap.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ... import style
from ...join import Layers, per_layers
from ...measure import LAND_MODES, crossing
from .base import base_areas, river_lines
from .content import SlideContent, corridor_content
from .furniture import add_furniture, wants_inset
from .gazetteer import PlaceLabel, label_arrays, slide_labels, towns_to_name
from .labels import Placer, place_labels, short_name
from .mask import Mask
from .panel import side_panel
from .places import KIND_ORDER, Shape, add_country_names, add_point_names, land_mask
from .scene import SIZES, SOURCE, SUBTITLE, TITLE, Dot, Line, Scene, Text, dashes, frame, lcc, map_box_of, to_scene
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
    map_box = map_box_of(w, h)
    crs = lcc(members.total_bounds)
    # A quarter pixel in degrees before projecting: very detailed lines cost nothing, nothing visible changes.
    minx, miny, maxx, maxy = members.total_bounds
    members = members.assign(geometry=members.geometry.simplify(max(maxx - minx, maxy - miny) / w / 4))
    projected = to_scene(members, crs)
    extent = frame(tuple(projected.total_bounds), (map_box[2] - map_box[0]) / (map_box[3] - map_box[1]))
    scene = Scene(w, h, content.title, crs, extent, map_box)
    px = (extent[2] - extent[0]) / (map_box[2] - map_box[0])  # metres per pixel
    focus = set(content.countries if content.countries is not None else crossed(layers, content.lines))
    areas, shapes = base_areas(layers, scene, px, focus)
    scene.map_items += areas
    scene.map_items += river_lines(layers, scene, px, scale)
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
    places = prepare_places(layers, scene, shapes, focus)
    # Seas first, on open water (clear of the routes if they can be), so no node label takes that water.
    add_point_names(scene, placer, places.labels, places.land, scale, ["sea"], strict=True, coast=False)
    add_point_names(scene, placer, places.labels, places.land, scale, ["sea"])
    place_labels(scene, [(x, y, short_name(n)) for (x, y), n in zip(xy.tolist(), nodes["name"])], scale, placer)
    add_places(scene, placer, places, focus, scale)
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
    nodes = ranked_nodes(layers)
    return to_scene(nodes[nodes["id"].isin(used)].head(limit), crs)


@per_layers
def ranked_nodes(layers: Layers) -> gpd.GeoDataFrame:
    """The nodes in the order slides mark them: ports, terminals, crossings, cities… (:data:`LABEL_KINDS`), by id
    within a kind (sorted once per build; a slide takes those its lines name)."""
    nodes = layers.nodes.copy()
    nodes["rank"] = nodes["kind"].map(lambda k: LABEL_KINDS.index(k) if k in LABEL_KINDS else 9)
    return nodes.sort_values(["rank", "id"])


def crossed(layers: Layers, lines: gpd.GeoDataFrame) -> list[str]:
    """ISO3 codes of the countries *lines* cross (by the measure's rule: more than 50 m inside)."""
    tree = shapely.STRtree(layers.countries.geometry.values)
    land = lines["mode"].isin(LAND_MODES) if "mode" in lines else pd.Series(False, index=lines.index)
    return sorted({i for geom, on_land in zip(lines.geometry, land) if geom is not None
                   for i in crossing(geom, layers.countries, tree, land=bool(on_land)).countries})


@dataclass
class Places:
    """The labels the slide may name, the countries to name (by their labels where the table has them), the
    land mask."""

    labels: list[PlaceLabel]
    shapes: list[Shape]
    points: dict[str, tuple[float, float]]
    land: Mask


def prepare_places(layers: Layers, scene: Scene, shapes: list[Shape], focus: set[str]) -> Places:
    labels = slide_labels(layers, scene)
    points = {p.iso3: (p.x, p.y) for p in labels if p.kind == "country"}
    if len(label_arrays(layers)["name"]):  # the table says which units are countries and from which zoom
        names = {str(i) for i, k, z in zip(label_arrays(layers)["iso3"], label_arrays(layers)["kind"],
                                           label_arrays(layers)["min_zoom"]) if k == "country" and z <= scene.zoom}
        shapes = [s for s in shapes if s.iso3 in names or s.iso3 in focus]
    return Places(labels, shapes, points, land_mask(scene))


def add_places(scene: Scene, placer: Placer, places: Places, focus: set[str], scale: float) -> None:
    """Names on the map after the node labels: emphasised countries, seas, the other countries, then lakes,
    capitals, rivers and cities, as far as the slide's zoom shows them (``min_zoom``) and space allows."""
    table = towns_to_name(scene, places.labels)
    add_country_names(scene, placer, places.shapes, focus, scale, places.points, emphasised=True)
    add_point_names(scene, placer, table, places.land, scale, ["sea"])
    add_country_names(scene, placer, places.shapes, focus, scale, places.points, emphasised=False)
    rivers = [item for item in scene.map_items if isinstance(item, Line) and item.role == "river"]
    add_point_names(scene, placer, table, places.land, scale, [k for k in KIND_ORDER if k not in ("sea", "country")],
                    rivers)


