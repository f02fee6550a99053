"""The folium atlas and per-corridor maps: one function per layer, self-contained HTML by default.

The pages' furniture is in :mod:`.controls`, the offline base and labels in :mod:`.base`, line widths and offsets
in :mod:`.lines`; the page runtime (toggles, framing, permalink, labels) is ``static/corridormap.js``.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import cast

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import xyzservices
from branca.element import Figure
from markupsafe import Markup, escape
from shapely.geometry import mapping

from .. import facts, style
from .._io import write_text
from ..join import Layers, per_layers, sources_by_id
from . import assets, base, lines, popups
from .controls import PRESETS, add_legend, add_title, add_year_control, as_of, legend_html, sources_html, swatch
from .elements import (
    AgreementLayer,
    DeferDrawing,
    GeoJsonLayer,
    Head,
    LabelLayer,
    OfflineBase,
    PageSetup,
    Panel,
    Shared,
    js_json,
)
from .geometry import encode

__all__ = ["as_of", "atlas_map", "corridor_map", "embed_map", "render_html", "swatch"]

#: Display simplification of route lines (degrees; ~150 m) and coordinate rounding for HTML. GIS exports keep
#: full detail.
ROUTE_TOLERANCE = 0.0015
DISPLAY_DECIMALS = 4
ONLINE_TILES = ("OpenStreetMap (online)", "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
                '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors')


def online_tiles() -> xyzservices.TileProvider:
    """:data:`ONLINE_TILES` as a tile provider: folium looks a URL given as text up among all of xyzservices'
    providers first (2.5 ms a page, to find none)."""
    name, url, attribution = ONLINE_TILES
    return xyzservices.TileProvider(name=name, url=url, attribution=attribution, html_attribution=attribution)


NODE_RADIUS = {"port": 5, "terminal": 5, "border_crossing": 4, "city": 4, "station": 3, "junction": 3}
#: Agreements closer than this (degrees) are one place, one marker.
PLACE_DISTANCE = 0.15
MIN_ZOOM = 2
RIVER = "#8fb8d8"

class OfflineMap(folium.Map):
    """A folium Map that loads none of folium's default CDN assets (Bootstrap, Font Awesome, jQuery …)."""

    default_js: list[tuple[str, str]] = []
    default_css: list[tuple[str, str]] = []


def render_html(layers: Layers, out: str | Path = "maps", *, cdn: bool = False) -> list[Path]:
    """Write ``atlas.html``, one ``<corridor>.html`` per corridor and ``index.html``; returns the paths."""
    out = Path(out)
    return [write_atlas(layers, out, cdn=cdn), *(write_corridor(layers, cid, out, cdn=cdn)
                                                 for cid in layers.corridors["id"]), write_index(layers, out)]


def write_atlas(layers: Layers, out: Path, *, cdn: bool = False) -> Path:
    return save(atlas_map(layers, cdn=cdn), out / "atlas.html")


def write_corridor(layers: Layers, cid: str, out: Path, *, cdn: bool = False) -> Path:
    return save(corridor_map(layers, cid, cdn=cdn), out / f"{cid}.html")


def write_embed(layers: Layers, cid: str, out: Path, *, cdn: bool = False) -> Path:
    """``<out>/<corridor>.html``: a minimal map for an iframe (no layer control, the corridor and its legend)."""
    return save(embed_map(layers, cid, cdn=cdn), out / f"{cid}.html")


def write_index(layers: Layers, out: Path) -> Path:
    return write_text(out / "index.html", index_html(layers))


def prepare(layers: Layers) -> None:
    """Compute the display data every page shares (base map, segments, sources) into ``layers.cache``, so
    processes forked afterwards inherit it instead of each computing it again."""
    base.country_shapes_json(layers)
    base.base_json(layers)
    segment_table(layers)
    sources_html(layers)
    lines.offsets(layers)


def save(m: folium.Map, path: Path) -> Path:
    return write_text(path, stable_ids(m.get_root().render()))


def stable_ids(html: str) -> str:
    """Replace folium's random element ids (uuid4 hex) by numbers in order of appearance, so the same data gives
    byte-identical HTML (diff-friendly, cache-friendly).

    >>> a, b = "0123456789abcdef" * 2, "fedcba9876543210" * 2
    >>> stable_ids(f"map_{a}; layer_{b}_layers map_{a}")
    'map_1; layer_2_layers map_1'
    """
    numbers: dict[str, str] = {}

    def number(match: re.Match[str]) -> str:
        return "_" + numbers.setdefault(match.group(1), str(len(numbers) + 1))

    return re.sub(r"_([0-9a-f]{32})(?![0-9a-f])", number, html)


# --- the three kinds of map ----------------------------------------------------------------------------------

def atlas_map(layers: Layers, *, cdn: bool = False) -> folium.Map:
    """All corridors as layers, with nodes, agreements, place names, the trade choropleth, legend, year control,
    view presets and a permalink."""
    bounds = layers.corridors.total_bounds
    m = new_map(bounds, cdn=cdn)
    bases = add_base_layers(m, layers)
    trade = add_trade_layer(m, layers)
    ids = list(layers.corridors["id"])
    add_segments(m, layers, ids)
    corridor_layers = {cid: add_corridor_layer(m, layers, cid, swatched=True) for cid in ids}
    on_route = layers.nodes[layers.nodes["on_route"]]
    nodes = add_nodes_layer(m, layers, on_route)
    places = agreement_places(layers, layers.agreements)
    agreements = add_agreements_layer(m, places)
    labels = add_labels_layer(m, layers, on_route, places)
    presets = {"All corridors": bounds_list(bounds), **{k: bounds_list(v) for k, v in PRESETS.items()}}
    add_title(m, layers, "Eurasian transport corridors",
              "Middle Corridor, TITR, Lapis Lazuli, BTC, Zangezur and the routes beside them", presets=presets)
    keyed = [("nodes", nodes), ("agreements", agreements), ("trade", trade)]
    add_legend(m, layers, keyed, legend_html(layers, ids, trade=True, corridors_listed=False))
    add_year_control(m, layers, agreements, list(corridor_layers.values()))
    folium.LayerControl(collapsed=False).add_to(m)
    overlays = [*corridor_layers.items(), *keyed, *([("labels", labels)] if labels else [])]
    PageSetup(bounds_list(bounds), overlays=overlays, bases=bases, presets=presets, min_zoom=MIN_ZOOM).add_to(m)
    return m


def corridor_map(layers: Layers, cid: str, *, cdn: bool = False) -> folium.Map:
    """One corridor framed on its bounds (inside the area its panels leave free), with its nodes, its agreements,
    place names and its facts panel."""
    corridor = layers.corridor(cid)
    members = layers.members[cid]
    m = new_map(members.total_bounds, cdn=cdn)
    bases = add_base_layers(m, layers)
    add_segments(m, layers, [cid])
    layer = add_corridor_layer(m, layers, cid)
    used = set(members["from"]) | set(members["to"])
    page_nodes = layers.nodes[layers.nodes["id"].isin(used)]
    nodes = add_nodes_layer(m, layers, page_nodes)
    named = layers.agreements[layers.agreements["id"].isin(layers.facts[cid].agreements["id"])]
    places = agreement_places(layers, named)
    agreements = add_agreements_layer(m, places)
    labels = add_labels_layer(m, layers, page_nodes, places)
    add_title(m, layers, corridor["name"], "corridormap: one corridor with its facts")
    Panel(Markup(corridor_features(layers, cid)[1]), position="topleft", css_class="cm-panel cm-facts",
          label="Facts").add_to(m)
    keyed = [(cid, layer), ("nodes", nodes), ("agreements", agreements)]
    add_legend(m, layers, keyed, legend_html(layers, [cid], trade=False, corridors_listed=True),
               position="bottomright")
    add_year_control(m, layers, agreements, [layer])
    folium.LayerControl(collapsed=False).add_to(m)
    overlays = [*keyed, *([("labels", labels)] if labels else [])]
    PageSetup(bounds_list(page_frame(members.total_bounds, places)), overlays=overlays, bases=bases,
              layers_open=False, min_zoom=MIN_ZOOM, margin=FRAME_MARGIN).add_to(m)
    return m


#: What a corridor's frame keeps clear of the map's edges and panels (px): an agreement marker's width, so that
#: no marker at a line's end starts cut by the screen's edge (the atlas keeps the runtime's 8 px).
FRAME_MARGIN = 20
#: A corridor page frames the agreement markers within this share of the corridor's size beyond its bounds
#: (Zangezur's Baku, just past Alat), not those far off (an agreement signed in Washington).
FRAME_REACH = 0.15


def page_frame(bounds, places: list[dict]) -> tuple[float, float, float, float]:
    """*bounds* (minx, miny, maxx, maxy) grown to take in the agreement *places* (``agreement_places``) that lie
    within :data:`FRAME_REACH` of them, so that no marker next to the line starts half off the screen.

    >>> page_frame((40.0, 39.0, 50.0, 41.0), [{"ll": [40.4, 49.9]}, {"ll": [40.4, 51.2]}, {"ll": [38.9, -77.0]}])
    (40.0, 39.0, 51.2, 41.0)
    """
    x0, y0, x1, y1 = (float(v) for v in bounds)
    reach = FRAME_REACH * max(x1 - x0, y1 - y0)
    for lat, lon in (p["ll"] for p in places):
        if x0 - reach <= lon <= x1 + reach and y0 - reach <= lat <= y1 + reach:
            x0, y0, x1, y1 = min(x0, lon), min(y0, lat), max(x1, lon), max(y1, lat)
    return x0, y0, x1, y1


def embed_map(layers: Layers, cid: str, *, cdn: bool = False) -> folium.Map:
    """The corridor alone, filling its frame: the offline base, place names, its segments and a compact legend."""
    members = layers.members[cid]
    m = new_map(members.total_bounds, cdn=cdn)
    add_base_layers(m, layers, online=False)
    add_segments(m, layers, [cid])
    layer = add_corridor_layer(m, layers, cid)
    page_nodes = layers.nodes[layers.nodes["id"].isin(set(members["from"]) | set(members["to"]))]
    labels = add_labels_layer(m, layers, page_nodes, [], control=False)
    corridor = layers.corridor(cid)
    rows = [f'<div data-layer="{escape(cid)}">{swatch(corridor["color"], weight=4)}'
            f'<b>{escape(corridor["name"])}</b></div>']
    rows += [f'<div>{swatch(corridor["color"], dash=style.STATUS[s]["dash"])}{escape(style.STATUS[s]["label"])}</div>'
             for s in style.STATUS if s in set(members["status"])]
    credits = ["Base map and names: Natural Earth", style.licence_credits(members["licence"]), "corridormap"]
    rows.append(f'<div class="cm-src">{escape(" · ".join(filter(None, credits)))}</div>')
    add_legend(m, layers, [(cid, layer)], "".join(rows), position="bottomright")
    PageSetup(bounds_list(members.total_bounds), overlays=[(cid, layer)] + ([("labels", labels)] if labels else []),
              margin=FRAME_MARGIN).add_to(m)
    return m


def bounds_list(bounds) -> list[list[float]]:
    """(minx, miny, maxx, maxy) as Leaflet's [[south, west], [north, east]]."""
    x0, y0, x1, y1 = (float(v) for v in bounds)
    return [[round(y0, 4), round(x0, 4)], [round(y1, 4), round(x1, 4)]]


def new_map(bounds, *, cdn: bool) -> folium.Map:
    """An empty map centred on *bounds* with Leaflet and the page runtime inlined (or Leaflet from the CDN);
    the page runtime frames *bounds* once the controls are drawn (:class:`PageSetup`)."""
    x0, y0, x1, y1 = bounds
    (south, west), (north, east) = base.max_bounds()
    m = OfflineMap(location=[(y0 + y1) / 2, (x0 + x1) / 2], zoom_start=5, tiles=None, control_scale=True,
                   zoom_control="bottomleft", prefer_canvas=False, zoomSnap=0.25, zoomDelta=0.5,
                   max_bounds=True, min_lon=west, min_lat=south, max_lon=east, max_lat=north,
                   max_zoom=12, max_bounds_viscosity=1.0)
    root = cast(Figure, m.get_root())
    root.header.add_child(Head(assets.head_html(cdn=cdn), "leaflet"), name="leaflet", index=0)
    root.header.add_child(Head(assets.page_head(), "page_css"), name="page_css")
    root.header.add_child(Head('<meta name="viewport" content="width=device-width, initial-scale=1">', "viewport"),
                          name="viewport")
    root.title = "corridormap"
    DeferDrawing().add_to(m)
    return m


# --- layers --------------------------------------------------------------------------------------------------

def display_geometry(geom, tolerance: float, decimals: int = DISPLAY_DECIMALS) -> dict:
    """Simplified (topology-preserving) and rounded GeoJSON geometry for display; exports keep full detail."""
    simple = geom.simplify(tolerance, preserve_topology=True)
    return mapping(shapely.transform(simple, lambda xy: np.round(xy, decimals)))


def collection(features: list[dict]) -> dict:
    return {"type": "FeatureCollection", "features": features}


def add_base_layers(m: folium.Map, layers: Layers, *, online: bool = True) -> list[tuple[str, folium.map.Layer]]:
    """The offline base (Natural Earth: the region in detail, the world beyond it coarsely, borders and coasts
    as lines); online tiles as an alternative, never required. Returns the base layers by permalink key."""
    Shared("cm_shapes", base.country_shapes_json(layers)).add_to(m)
    Shared("cm_base", base.base_json(layers)).add_to(m)
    fill = {"stroke": False, "fillColor": style.LAND, "fillOpacity": 1, "interactive": False, "className": "cm-land"}
    line = {"color": style.BORDER, "weight": 0.8, "opacity": 1, "fill": False, "interactive": False,
            "className": "cm-border"}
    river = {"color": RIVER, "weight": 1.2, "opacity": 0.9, "fill": False, "interactive": False,
             "className": "cm-river"}
    offline = OfflineBase(name="Countries (Natural Earth, offline)", fill=fill, line=line, river=river)
    offline.add_to(m)
    bases: list[tuple[str, folium.map.Layer]] = [("offline", offline)]
    if online:
        tiles = folium.TileLayer(online_tiles(), name=ONLINE_TILES[0], attr=ONLINE_TILES[2], show=False,
                                 overlay=False)
        tiles.add_to(m)
        bases.append(("osm", tiles))
    return bases


def add_trade_layer(m: folium.Map, layers: Layers) -> GeoJsonLayer:
    """Choropleth of the latest trade turnover with Azerbaijan (only countries with a figure are filled)."""
    with_data = layers.countries[layers.countries["turnover_aze_usd"].notna()]
    sources = sources_by_id(layers)
    feats = [{"type": "Feature", "geometry": None,
              "properties": {"_shape": c["iso3"],
                             "_style": {"stroke": False, "fillOpacity": 0.6,
                                        "fillColor": style.trade_color(c["turnover_aze_usd"]),
                                        "className": "cm-trade"},
                             "_popup": str(popups.country_html(c, sources)),
                             "_tip": str(escape(f"{c['name']}: {style.money(c['turnover_aze_usd'])} "
                                                f"({c['turnover_aze_period']})"))}}
             for c in with_data.drop(columns="geometry").to_dict("records")]
    layer = GeoJsonLayer(collection(feats), name="Trade turnover with Azerbaijan (latest year)", show=False)
    layer.add_to(m)
    return layer


def tonnage_by_year(volumes: pd.DataFrame, corridor: str) -> dict[int, float]:
    """The corridor's latest observed tonnage known at the end of each year (:func:`facts.tonnage_by_year`)."""
    return facts.tonnage_by_year(volumes, corridor)


def add_corridor_layer(m: folium.Map, layers: Layers, cid: str, *, show: bool = True,
                       swatched: bool = False) -> GeoJsonLayer:
    """The corridor's lines; in the layer control under its name (with its colour when *swatched*)."""
    corridor = layers.corridor(cid)
    feats, panel = corridor_features(layers, cid)
    name = str(escape(corridor["name"]))
    if swatched:
        name = swatch(corridor["color"], weight=4) + " " + name
    layer = GeoJsonLayer(collection(feats), name=name, panel=panel, show=show, key=cid)
    layer.add_to(m)
    return layer


@per_layers
def corridor_features(layers: Layers, cid: str) -> tuple[list[dict], str]:
    """The corridor's styled segment references and its facts panel, computed once per Layers (the atlas, the
    corridor page and the embed all draw them)."""
    corridor = layers.corridor(cid)
    tonnage = tonnage_by_year(layers.facts[cid].volumes, cid)
    latest = tonnage[max(tonnage)] if tonnage else None
    offsets = lines.offsets(layers)
    feats = []
    for seg in layers.members[cid][["id", "mode", "status"]].to_dict("records"):
        offset = offsets.get((seg["id"], cid), 0.0)
        casing = lines.leaflet_casing(seg["mode"], latest, offset)
        props = {"_seg": seg["id"],
                 "_style": {**lines.leaflet_style(corridor["color"], seg["status"], seg["mode"], latest, offset),
                            "className": f"cm-c-{cid}"},
                 "_casing": {**casing, "className": f"cm-c-{cid} cm-casing"} if casing else None,
                 "_bonus": lines.bonus(latest)}
        if tonnage:
            props["_widths"] = {year: round(lines.weight(seg["mode"], t), 2) for year, t in tonnage.items()}
        feats.append({"type": "Feature", "geometry": None, "properties": props})
    names = dict(zip(layers.countries["iso3"], layers.countries["name"]))
    return feats, str(popups.corridor_html(corridor, layers.facts[cid], sources_by_id(layers), names))


@per_layers
def segment_table(layers: Layers) -> dict[str, dict]:
    """Segment id → encoded display geometry, popup and tooltip, computed once per Layers."""
    names = dict(zip(layers.nodes["id"], layers.nodes["name"]))
    corridors = dict(zip(layers.corridors["id"], layers.corridors["name"]))
    countries = dict(zip(layers.countries["iso3"], layers.countries["name"]))
    return {seg["id"]: {"g": encode(seg["geometry"].simplify(ROUTE_TOLERANCE, preserve_topology=True),
                                    DISPLAY_DECIMALS),
                        "p": str(popups.segment_html(seg, corridors, names, countries)),
                        "t": str(popups.segment_tip(seg))}
            for seg in layers.segments.to_dict("records")}


def add_segments(m: folium.Map, layers: Layers, corridor_ids: list[str]) -> None:
    """Emit, once, the segments the given corridors draw (shared by every layer that includes them)."""
    table = segment_table(layers)
    ids = dict.fromkeys(i for cid in corridor_ids for i in layers.members[cid]["id"])
    Shared("cm_segments", js_json({i: table[i] for i in ids})).add_to(m)


def add_nodes_layer(m: folium.Map, layers: Layers, nodes: gpd.GeoDataFrame) -> GeoJsonLayer:
    feats = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [round(n["lon"], 5),
                                                                               round(n["lat"], 5)]},
              "properties": {"_style": {"radius": NODE_RADIUS.get(n["kind"], 3), "color": "#ffffff", "weight": 1,
                                        "fillColor": style.NODE_COLORS.get(n["kind"], "#555555"),
                                        "fillOpacity": 0.95, "className": "cm-node"},
                             "_popup": str(popups.node_html(n)),
                             "_tip": str(escape(f"{n['name']} ({n['kind'].replace('_', ' ')})"))}}
             for n in nodes.drop(columns="geometry").to_dict("records")]
    layer = GeoJsonLayer(collection(feats), name="Ports, terminals, stations and border crossings", key="nodes")
    layer.add_to(m)
    return layer


def place_name(layers: Layers, a: pd.Series, node_names: dict[str, str], capitals: dict[str, str]) -> str:
    """Where an agreement is drawn: its place's name, else its first party's capital (``capital of AZE``)."""
    if a["place"]:
        return node_names.get(a["place"], a["place"])
    iso3 = str(a["located_at"]).removeprefix("capital of ").strip()
    return capitals.get(iso3, str(a["located_at"]))


def agreement_places(layers: Layers, agreements: gpd.GeoDataFrame) -> list[dict]:
    """Agreements grouped by place (within :data:`PLACE_DISTANCE`): one entry per marker, oldest first within it."""
    node_names = dict(zip(layers.nodes["id"], layers.nodes["name"]))
    capitals = dict(zip(layers.atlas.capitals["iso3"], layers.atlas.capitals["capital"]))
    groups: list[dict] = []
    sources = sources_by_id(layers)
    for a in agreements.sort_values(["date", "id"]).to_dict("records"):
        x, y = a["geometry"].x, a["geometry"].y
        group = next((g for g in groups if math.hypot(g["x"] - x, g["y"] - y) < PLACE_DISTANCE), None)
        if group is None:
            group = {"x": x, "y": y, "name": place_name(layers, a, node_names, capitals), "items": []}
            groups.append(group)
        group["items"].append({"y": int(a["year"]), "d": str(escape(a["date"])), "t": str(escape(a["title"])),
                               "p": str(popups.agreement_body(a, node_names, sources))})
    return [{"ll": [round(g["y"], 5), round(g["x"], 5)], "name": str(escape(g["name"])), "items": g["items"]}
            for g in groups]


def add_agreements_layer(m: folium.Map, places: list[dict]) -> AgreementLayer:
    layer = AgreementLayer(places, name="Agreements (treaties, declarations, road maps), by place")
    layer.add_to(m)
    return layer


def marker_radius(count: int) -> float:
    """Half the size of an agreement marker of *count* agreements (as ``cm.agreements`` draws it)."""
    return (18 + 4 * math.log2(max(1, count))) / 2


def add_labels_layer(m: folium.Map, layers: Layers, nodes: pd.DataFrame, places: list[dict], *,
                     control: bool = True) -> LabelLayer | None:
    """Place names (Natural Earth) as text, kept off the page's node and agreement markers; None without labels."""
    rows = base.label_rows(layers, nodes)
    if not rows:
        return None
    obstacles = [[round(lon, 4), round(lat, 4), NODE_RADIUS.get(kind, 3) + 1] for lon, lat, kind in
                 zip(nodes["lon"].to_numpy(float).tolist(), nodes["lat"].to_numpy(float).tolist(), nodes["kind"])]
    obstacles += [[p["ll"][1], p["ll"][0], marker_radius(len(p["items"]))] for p in places]
    layer = LabelLayer(rows, obstacles, name="Place names (Natural Earth)")
    layer.control = control
    layer.add_to(m)
    return layer


# --- the index -----------------------------------------------------------------------------------------------

def index_html(layers: Layers) -> str:
    """maps/index.html: every map, embed, slide image, the deck and the GIS files, one line per corridor."""
    rows = "".join(
        f'<tr><td><a href="{escape(cid)}.html">{escape(name)}</a></td><td>{length:,.0f} km</td>'
        f'<td><a href="embed/{escape(cid)}.html">embed</a></td>'
        f'<td><a href="slides/{escape(cid)}.png">PNG</a> · <a href="slides/{escape(cid)}.svg">SVG</a> · '
        f'<a href="slides/{escape(cid)}.pdf">PDF</a></td><td><a href="gis/{escape(cid)}.geojson">GeoJSON</a></td></tr>'
        for cid, name, length in zip(layers.corridors["id"], layers.corridors["name"], layers.corridors["length_km"]))
    return ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>corridormap</title>"
            "<style>body{font:15px/1.5 system-ui,sans-serif;max-width:880px;margin:2em auto;padding:0 1em}"
            "td{padding:2px 10px 2px 0}</style></head><body><h1>corridormap</h1>"
            f"<p><a href=\"atlas.html\">Atlas: all corridors</a> · slides: <a href=\"slides/atlas.png\">PNG</a> · "
            f"<a href=\"slides/atlas.svg\">SVG</a> · <a href=\"slides/atlas.pdf\">PDF</a> · "
            f"<a href=\"corridormap.pptx\">PowerPoint deck</a> · data as of {escape(as_of(layers))}</p>"
            f"<h2>Corridors</h2><table>{rows}</table><h2>GIS</h2><p><a href=\"gis/corridormap.gpkg\">"
            "corridormap.gpkg</a> (layers segments, corridors, nodes, countries, agreement_points; tables volumes, "
            "agreements, sources) · <a href=\"gis/corridors.geojson\">corridors.geojson</a> · "
            "<a href=\"gis/countries.geojson\">countries.geojson</a> · "
            "<a href=\"gis/agreements.geojson\">agreements.geojson</a></p></body></html>\n")
