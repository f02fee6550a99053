"""The offline base of the HTML maps: the region's countries in detail, a coarse world beyond it, borders and
coasts drawn as lines without the region's clip edge, and the place labels. Computed once per :class:`Layers`
(``per_layers``) and emitted once per page as shared data."""

from __future__ import annotations

from typing import cast

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from markupsafe import Markup

from ..join import Geography, Layers, per_layers
from ..settings import REGION_BOUNDS
from .elements import js_json
from .geometry import encode, lines_only, polygons_only

#: Coverage simplification of the region's countries (shared borders stay shared; Visvalingam–Whyatt, degrees)
#: and the rounding of their coordinates (3 decimals: ~100 m).
COUNTRY_TOLERANCE = 0.045
COUNTRY_DECIMALS = 3
#: The world beyond the region: coarser, rounded to 2 decimals (~1 km), overlapping the region by a little so no
#: hairline of sea shows at the seam.
WORLD_TOLERANCE = 0.3
WORLD_DECIMALS = 2
WORLD_OVERLAP = 0.05
RIVER_TOLERANCE = 0.04
#: Clip edges closer than this (degrees) to the region's rectangle are not drawn as borders.
CLIP_EDGE = 0.01
#: The map may be panned this far (degrees) beyond the region, and no further.
PAN_MARGIN = (25.0, 12.0)


def region_box() -> shapely.Polygon:
    return shapely.box(*REGION_BOUNDS)


def max_bounds() -> list[list[float]]:
    """[[south, west], [north, east]] a user can pan to: the region and a margin, all of it drawn."""
    x0, y0, x1, y1 = REGION_BOUNDS
    dx, dy = PAN_MARGIN
    return [[max(-85.0, y0 - dy), max(-180.0, x0 - dx)], [min(85.0, y1 + dy), min(180.0, x1 + dx)]]


@per_layers
def simplified_countries(layers: Layers) -> gpd.GeoSeries:
    """The region's countries, coverage-simplified so that neighbours keep one shared border."""
    geoms = shapely.coverage_simplify(layers.countries.geometry.values, COUNTRY_TOLERANCE)
    return gpd.GeoSeries([polygons_only(g) for g in geoms], index=layers.countries["iso3"].values, crs=4326)


def borders_of(polygons, decimals: int, *, outside_of: shapely.Geometry | None = None) -> dict | None:
    """Borders and coasts of *polygons* as lines, each once, without the region's clip edge (and without what
    lies in *outside_of*). A border two countries share (identical after coverage simplification) is kept where
    it is first met; rings are cut into runs of kept edges, so no noding of all the lines is needed."""
    scale = 10**decimals
    rings = shapely.get_rings(shapely.get_parts(np.asarray([g for g in polygons if not g.is_empty], dtype=object)))
    coords = [np.round(shapely.get_coordinates(r) * scale).astype(np.int64) for r in rings]
    seg = np.vstack([np.hstack([xy[:-1], xy[1:]]) for xy in coords])
    ring_of = np.repeat(np.arange(len(coords)), [len(xy) - 1 for xy in coords])
    low = np.where(((seg[:, 0] < seg[:, 2]) | ((seg[:, 0] == seg[:, 2]) & (seg[:, 1] <= seg[:, 3])))[:, None],
                   seg, seg[:, [2, 3, 0, 1]])
    _, first = np.unique(low, axis=0, return_index=True)
    keep = np.zeros(len(seg), dtype=bool)
    keep[first] = True
    keep &= np.any(seg[:, :2] != seg[:, 2:], axis=1)
    deg = seg / scale
    for axis, value in ((0, REGION_BOUNDS[0]), (0, REGION_BOUNDS[2]), (1, REGION_BOUNDS[1]), (1, REGION_BOUNDS[3])):
        keep &= ~((np.abs(deg[:, axis] - value) < CLIP_EDGE) & (np.abs(deg[:, axis + 2] - value) < CLIP_EDGE))
    if outside_of is not None:
        keep &= ~shapely.contains_xy(outside_of, (deg[:, 0] + deg[:, 2]) / 2, (deg[:, 1] + deg[:, 3]) / 2)
    # runs of kept edges within one ring: a run starts where keep turns on or a new ring begins
    starts = keep & ~np.concatenate([[False], keep[:-1] & (ring_of[1:] == ring_of[:-1])])
    run = np.cumsum(starts) - 1
    idx = np.flatnonzero(keep)
    lines = []
    for r in np.split(idx, np.flatnonzero(np.diff(run[idx])) + 1) if len(idx) else []:
        pts = np.vstack([deg[r, :2], deg[r[-1:], 2:]])
        lines.append(shapely.LineString(pts))
    return encode(shapely.MultiLineString(lines), decimals) if lines else None


@per_layers
def country_shapes_json(layers: Layers) -> Markup:
    """ISO3 → encoded display geometry of every country in the region (base map fill and trade choropleth)."""
    return js_json({iso3: encode(g, COUNTRY_DECIMALS) for iso3, g in simplified_countries(layers).items()})


def world_table(layers: Layers) -> gpd.GeoDataFrame | None:
    """``geo/world.geojson`` as loaded (coarse Natural Earth countries for beyond the region), if present."""
    world = getattr(layers.atlas, "world", None)
    return world if world is not None and len(world) else None


@per_layers
def base_json(layers: Layers) -> Markup:
    """The base beyond the shared country shapes: ``world`` (land beyond the region, one fill), ``borders``
    (the region's borders and coasts), ``world_borders`` (beyond it) and ``rivers`` (the labelled rivers)."""
    data: dict = {"borders": borders_of(simplified_countries(layers).values, COUNTRY_DECIMALS)}
    rivers = getattr(layers.atlas, "rivers", None)
    if rivers is not None and len(rivers):
        data["rivers"] = encode(lines_only(shapely.simplify(rivers.geometry.values, RIVER_TOLERANCE)), COUNTRY_DECIMALS)
    world = world_table(layers)
    if world is not None:
        inner = region_box().buffer(-WORLD_OVERLAP, join_style="mitre")
        geoms = shapely.make_valid(world.geometry.values)
        simple = shapely.coverage_simplify(geoms, WORLD_TOLERANCE) if shapely.coverage_is_valid(geoms) else \
            shapely.simplify(geoms, WORLD_TOLERANCE / 4, preserve_topology=True)
        outside = [polygons_only(shapely.difference(g, inner)) for g in simple]
        parts = [p for g in outside for p in shapely.get_parts(g) if not p.is_empty]
        data["world"] = encode(shapely.MultiPolygon(parts), WORLD_DECIMALS)  # fills may overlap: no union
        data["world_borders"] = borders_of(outside, WORLD_DECIMALS, outside_of=region_box())
    return js_json(data)


#: The shared display data of the base: drawn from the atlas's geometry alone, so before (or beside) the join.

# --- labels ------------------------------------------------------------------------------------------------

#: Kinds of label, in the order they are placed when priorities tie.
LABEL_KINDS = ("country", "sea", "capital", "lake", "city", "river", "region")
#: A city or capital gets its own dot unless a node of the page lies this close (degrees).
DOT_DISTANCE = 0.08


def labels_table(layers: Layers) -> pd.DataFrame | None:
    labels = getattr(layers.atlas, "labels", None)
    return labels if labels is not None and len(labels) else None


@per_layers
def ordered_labels(layers: Layers) -> pd.DataFrame | None:
    """The labels most important (highest ``priority``) first, with the display ``angle`` as a number (0 when
    blank); sorted once per build, shared by every page."""
    labels = labels_table(layers)
    if labels is None:
        return None
    order = labels.assign(_kind=labels["kind"].map({k: i for i, k in enumerate(LABEL_KINDS)}).fillna(99),
                          _rank=-labels["priority"])
    order = order.sort_values(["_rank", "_kind", "name"], kind="stable")
    angles = order["angle"].tolist() if "angle" in order else [None] * len(order)
    return pd.DataFrame({
        "name": order["name"].astype(str).tolist(), "kind": order["kind"].astype(str).tolist(),
        "lon": order["lon"].to_numpy(float), "lat": order["lat"].to_numpy(float),
        "min_zoom": order["min_zoom"].to_numpy(float),
        "angle": [float(a) if pd.notna(a) and str(a) != "" else 0.0 for a in angles]})


#: The page data :func:`base_of` computes (their keys in ``Layers.cache``).
BASE_FUNCTIONS = (country_shapes_json, base_json, ordered_labels)
BASE_ENTRIES = tuple(fn.__name__ for fn in BASE_FUNCTIONS)


def base_of(atlas) -> dict:
    """:data:`BASE_FUNCTIONS` of a validated *atlas*, as ``Layers.cache`` entries: the same values the joined
    layers would give (they read only the countries' geometry and ISO3, the world base, the rivers and the
    labels table), for a build to compute in another process while it joins (and its workers not each again)."""
    geography = Geography(atlas)
    for fn in BASE_FUNCTIONS:
        fn(cast(Layers, geography))
    return geography.entries(BASE_ENTRIES)


def label_rows(layers: Layers, nodes: pd.DataFrame) -> list[list]:
    """``[name, kind, lon, lat, min_zoom, angle, dot]`` per label, most important first: placed first, it wins a
    collision. A city or capital gets a dot unless one of the page's *nodes* lies within :data:`DOT_DISTANCE`."""
    order = ordered_labels(layers)
    if order is None:
        return []
    lon, lat = order["lon"].to_numpy(), order["lat"].to_numpy()
    nx, ny = nodes["lon"].to_numpy(float), nodes["lat"].to_numpy(float)
    dotted = order["kind"].isin(("capital", "city")).to_numpy(copy=True)
    if len(nx):
        near = (((nx[None, :] - lon[:, None]) ** 2 + (ny[None, :] - lat[:, None]) ** 2).min(axis=1)
                < DOT_DISTANCE**2)
        dotted &= ~near
    return [[name, kind, round(x, 3), round(y, 3), z, round(a, 1), int(d)]
            for name, kind, x, y, z, a, d in zip(order["name"], order["kind"], lon.tolist(), lat.tolist(),
                                                 order["min_zoom"].tolist(), order["angle"].tolist(),
                                                 dotted.tolist())]
