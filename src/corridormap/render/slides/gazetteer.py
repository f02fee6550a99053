"""Which rows of the labels table (``geo/labels.csv``) a slide names, in page pixels: those its scale reaches
(``min_zoom`` against the slide's web-map zoom), in the frame (a sea beyond it brought to its edge), capitals at
their zoom, cities only near the slide's routes, no place twice."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely

from ...join import Layers, per_layers
from .furniture import ground_px
from .labels import short_name
from .scene import LONLAT, Line, Scene, Text, transformer

#: Slides are read closer than a web map at the same scale, but are smaller: a label shows from its min_zoom.
ZOOM_ALLOWANCE = 0.0
#: Cities (not capitals) are named within this many pixels (at 1920 px width) of a route: the places it serves.
CITY_REACH = 70.0
#: Web-map zoom of a slide whose pixel is *m* metres on the ground at latitude φ: log2(C·cos φ / (256 m)).
EARTH_CIRCUMFERENCE = 40_075_016.686


@dataclass(frozen=True)
class PlaceLabel:
    """One row of the labels table on a slide: name, kind, ISO3, anchor in page pixels, min_zoom."""

    name: str
    kind: str
    iso3: str
    x: float
    y: float
    min_zoom: float


@per_layers
def label_arrays(layers: Layers) -> dict[str, np.ndarray]:
    """The labels table as arrays, highest priority first; towns' names without their parenthesis
    (``Sumgait (Sumqayit)`` → ``Sumgait``)."""
    labels = getattr(layers.atlas, "labels", None)
    if labels is None or not len(labels):
        return {k: np.array([]) for k in ("name", "kind", "iso3", "lon", "lat", "min_zoom")}
    order = np.argsort(-labels["priority"].to_numpy(float), kind="stable")
    kind = labels["kind"].to_numpy(object)[order]
    names = labels["name"].to_numpy(object)[order]
    towns = np.isin(kind, ["capital", "city"])
    names = np.where(towns, [short_name(str(n)) for n in names], names)
    return {"name": names, "kind": kind, "iso3": labels["iso3"].fillna("").to_numpy(object)[order],
            "lon": labels["lon"].to_numpy(float)[order], "lat": labels["lat"].to_numpy(float)[order],
            "min_zoom": labels["min_zoom"].to_numpy(float)[order]}


def slide_labels(layers: Layers, scene: Scene) -> list[PlaceLabel]:
    """The rows the slide's zoom shows, in the frame, in page pixels (sets ``scene.zoom``). A sea whose anchor
    lies beyond the frame (by less than a quarter of its width) is brought to its edge: its water may show."""
    a = label_arrays(layers)
    m_per_px, _, lat = ground_px(scene)
    scene.zoom = slide_zoom(m_per_px, lat)
    if not len(a["name"]):
        return []
    shown = a["min_zoom"] <= scene.zoom + ZOOM_ALLOWANCE
    x, y = transformer(LONLAT, scene.crs).transform(a["lon"][shown], a["lat"][shown])
    xy = scene.to_px(np.asarray(x), np.asarray(y))
    px, py = xy[:, 0], xy[:, 1]
    kind = a["kind"][shown]
    x0, y0, x1, y1 = scene.map_box
    reach = (x1 - x0) / 4
    seas = kind == "sea"
    near = (px > x0 - reach) & (px < x1 + reach) & (py > y0 - reach) & (py < y1 + reach)
    px = np.where(seas, np.clip(px, x0 + 10, x1 - 10), px)
    py = np.where(seas, np.clip(py, y0 + 10, y1 - 10), py)
    keep = (px > x0) & (px < x1) & (py > y0) & (py < y1) & (near | ~seas)
    return [PlaceLabel(str(n), str(k), str(i), float(u), float(v), float(z)) for n, k, i, u, v, z, ok in
            zip(a["name"][shown], kind, a["iso3"][shown], px, py, a["min_zoom"][shown], keep) if ok]


def slide_zoom(m_per_px: float, lat: float) -> float:
    """The web-map zoom whose scale matches the slide's (for the labels' ``min_zoom``).

    >>> round(slide_zoom(156543.03, 0), 2)
    0.0
    """
    return math.log2(EARTH_CIRCUMFERENCE * math.cos(math.radians(lat)) / (256 * m_per_px))


def towns_to_name(scene: Scene, labels: list[PlaceLabel]) -> list[PlaceLabel]:
    """Capitals the slide's zoom reaches, cities near the slide's routes, neither where a node label already
    names the place; every other kind as it is."""
    drawn = {t.text for t in scene.map_items if isinstance(t, Text)}  # the node labels, placed by now
    routes = [shapely.LineString(i.points) for i in scene.map_items
              if isinstance(i, Line) and i.role == "route" and len(i.points) > 1]
    cities = [p for p in labels if p.kind == "city"]
    near = (shapely.distance(shapely.MultiLineString(routes), shapely.points([(p.x, p.y) for p in cities]))
            if routes and cities else np.full(len(cities), np.inf))
    close = {id(p) for p, d in zip(cities, near) if d <= CITY_REACH * scene.width / 1920}
    out = []
    for p in labels:
        if p.kind in ("capital", "city") and p.name in drawn:
            continue
        if (p.kind == "capital" and p.min_zoom > scene.zoom) or (p.kind == "city" and id(p) not in close):
            continue
        out.append(p)
    return out
