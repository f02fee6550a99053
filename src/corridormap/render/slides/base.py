"""The base map under a slide's lines: sea, the coarse world beyond the region, the region's countries (those the
slide's lines cross emphasised), and the labelled rivers."""

from __future__ import annotations

from typing import cast

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import box

from ... import style
from ...join import Geography, Layers, per_layers
from ...settings import REGION_BOUNDS
from .furniture import atlas_frame, inset_base, inset_size
from .gazetteer import label_arrays
from .places import Shape
from .scene import LONLAT, SIZES, Area, Box, Line, Scene, map_box_of, project


def rings(scene: Scene, geom: shapely.Geometry) -> list[np.ndarray]:
    """A projected (Multi)Polygon's rings in page pixels."""
    return [scene.to_px(*np.asarray(r.coords).T) for p in shapely.get_parts(geom)
            if isinstance(p, shapely.Polygon) and not p.is_empty for r in (p.exterior, *p.interiors)]


@per_layers
def world_outside(layers: Layers) -> gpd.GeoDataFrame:
    """The coarse world base (``geo/world.geojson``) less the region, where the detailed countries take over."""
    world = getattr(layers.atlas, "world", None)
    if world is None or not len(world):
        return gpd.GeoDataFrame(geometry=[], crs="EPSG:4326")
    outside = world.geometry.difference(box(*REGION_BOUNDS))
    return gpd.GeoDataFrame(geometry=outside[~outside.is_empty].values, crs="EPSG:4326")


def beyond_region(layers: Layers, scene: Scene, px: float, near: Box) -> list[Area]:
    """Sea under the whole map, then the world's land beyond the region; without a world base, the region's sea
    and a neutral tone beyond it (not sea: it is Siberia there)."""
    world = world_outside(layers)
    if not len(world):
        region = project(shapely.segmentize(np.array([box(*REGION_BOUNDS)]), 0.5), LONLAT, scene.crs)[0]
        return [Area([scene.to_px(*np.asarray(region.exterior.coords).T)], style.SEA, style.SEA, 0.0)]
    bx0, by0, bx1, by1 = scene.map_box
    areas = [Area([np.array([[bx0, by0], [bx1, by0], [bx1, by1], [bx0, by1]])], style.SEA, style.SEA, 0.0)]
    clipped = shapely.clip_by_rect(world.geometry.values, *near)
    clipped = clipped[~shapely.is_empty(clipped)]
    if len(clipped):
        projected = project(clipped, LONLAT, scene.crs)
        shapes = shapely.simplify(projected, px / 2, preserve_topology=False)
        areas += [Area(r, style.LAND, style.BORDER, 0.6) for r in (rings(scene, g) for g in shapes) if r]
    return areas


def base_areas(layers: Layers, scene: Scene, px: float, focus: set[str]) -> tuple[list[Area], list[Shape]]:
    """Countries near the frame, projected, simplified to half a pixel, as pixel rings (those in *focus* drawn
    last, emphasised); and their pixel shapes, for the place names."""
    x0, y0, x1, y1 = frame_lonlat(scene, px)
    pad = 3.0
    # Clipped in lon/lat (where the polygons are valid) to the frame plus a margin: no slide carries all of
    # Russia's or China's outline.
    clipped = shapely.clip_by_rect(layers.countries.geometry.values, x0 - pad, y0 - pad, x1 + pad, y1 + pad)
    keep = ~shapely.is_empty(clipped)
    areas = beyond_region(layers, scene, px, (x0 - pad, y0 - pad, x1 + pad, y1 + pad))
    # Plain Douglas-Peucker at half a pixel: a ring that would self-touch does so below what a pixel shows.
    shapes = shapely.simplify(project(clipped[keep], LONLAT, scene.crs), px / 2, preserve_topology=False)
    drawn, emphasised, outlines = [], [], []
    iso3s, names = layers.countries["iso3"].to_numpy()[keep], layers.countries["name"].to_numpy()[keep]
    for iso3, name, geom in zip(iso3s, names, shapes):
        px_rings = rings(scene, geom)
        if not px_rings:
            continue
        if iso3 in focus:
            emphasised.append(Area(px_rings, style.FOCUS_LAND, style.FOCUS_BORDER, style.FOCUS_BORDER_WIDTH))
        else:
            drawn.append(Area(px_rings, style.LAND, style.BORDER, 0.8))
        outlines.append(Shape(iso3, name, page_shape(scene, geom)))
    return areas + drawn + emphasised, outlines


def frame_lonlat(scene: Scene, px: float) -> tuple[float, float, float, float]:
    """The lon/lat bounds of the slide's frame (its edges followed every 20 px)."""
    edge = shapely.segmentize(np.array([box(*scene.frame)]), px * 20)
    x0, y0, x1, y1 = (float(v) for v in shapely.total_bounds(project(edge, scene.crs, LONLAT)))
    return x0, y0, x1, y1


def page_shape(scene: Scene, geom: shapely.Geometry) -> shapely.Geometry:
    """A projected shape in page pixels, cut to the map (and repaired where simplifying made it invalid)."""
    bx0, by0, bx1, by1 = scene.map_box
    moved = shapely.clip_by_rect(shapely.transform(geom, lambda c: scene.to_px(c[:, 0], c[:, 1])),
                                 bx0 - 2, by0 - 2, bx1 + 2, by1 + 2)
    return moved if moved.is_valid else shapely.make_valid(moved)


def river_lines(layers: Layers, scene: Scene, px: float, scale: float) -> list[Line]:
    """The labelled rivers (``geo/rivers.geojson``) in the frame, thin and blue, under the routes."""
    rivers = getattr(layers.atlas, "rivers", None)
    if rivers is None or not len(rivers):
        return []
    mask = box(*frame_lonlat(scene, px))
    # GeoDataFrame.clip's steps on the geometry alone: the rivers its index finds (in the index's order) cut to
    # the mask (points as they are)
    geoms = rivers.geometry.to_numpy()[rivers.sindex.query(mask, predicate="intersects")]
    if not len(geoms):
        return []
    cut = np.where(shapely.get_type_id(geoms) == shapely.GeometryType.POINT, geoms, shapely.intersection(geoms, mask))
    lines = shapely.simplify(project(cut, LONLAT, scene.crs), px / 2)
    return [Line(scene.to_px(*np.asarray(part.coords).T), style.RIVER, 1.3 * scale, 1.0, role="river")
            for geom in lines for part in shapely.get_parts(geom) if isinstance(part, shapely.LineString)
            and len(part.coords) > 1]


#: The slides' shared data that the atlas's geometry alone gives (``per_layers``), whatever the slide.
SLIDE_BASE_ENTRIES = tuple(fn.__name__ for fn in (world_outside, label_arrays, atlas_frame, inset_base))


def slide_base_of(atlas, size: tuple[int, int] = SIZES["16:9"], scale: float = 1.0) -> dict:
    """The world beyond the region, the labels table as arrays, the atlas's frame and the locator inset's map
    (at *size*) of a validated *atlas*, as ``Layers.cache`` entries: the values the joined layers would give
    (:data:`SLIDE_BASE_ENTRIES`), for a build to draw once beside the join instead of once in each worker."""
    geography = Geography(atlas)
    layers = cast(Layers, geography)
    world_outside(layers)
    label_arrays(layers)
    inset_base(layers, *inset_size(map_box_of(round(size[0] * scale), round(size[1] * scale)), scale))
    return geography.entries(SLIDE_BASE_ENTRIES)
