"""The folium atlas and per-corridor maps: one function per layer, self-contained HTML by default."""

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
from branca.element import Figure
from markupsafe import Markup, escape
from shapely.geometry import mapping

from .. import facts, style
from .._io import write_text
from ..join import Layers, per_layers
from ..settings import REGION_BOUNDS
from . import assets, popups
from .elements import GeoJsonLayer, Head, Legend, Panel, Shared, YearControl, js_json

#: Display simplification of route lines (degrees; ~150 m) and coordinate rounding for HTML. GIS exports keep
#: full detail.
ROUTE_TOLERANCE = 0.0015
COUNTRY_TOLERANCE = 0.02
DISPLAY_DECIMALS = 4
COUNTRY_DECIMALS = 3
ONLINE_TILES = ("OpenStreetMap (online)", "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
                '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors')
NODE_RADIUS = {"port": 5, "terminal": 5, "border_crossing": 4, "city": 4, "station": 3, "junction": 3}

PAGE_CSS = f"""<style>
html, body {{ margin: 0; height: 100%; }}
.leaflet-container {{ background: {style.SEA}; font: 12px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; }}
.cm-panel, .cm-legend {{ background: rgba(255,255,255,.94); padding: 6px 10px; border-radius: 4px;
  box-shadow: 0 1px 4px rgba(0,0,0,.3); max-width: 340px; }}
.cm-title h1 {{ font-size: 16px; margin: 0 0 2px; }} .cm-title p {{ margin: 0; color: #444; }}
.cm-legend, .cm-facts {{ max-height: max(120px, calc(100vh - 330px)); overflow-y: auto; }}
.leaflet-right .cm-legend {{ max-height: calc(100vh - 120px); }}
.cm-legend h5 {{ margin: 6px 0 2px; font-size: 12px; }}
.cm-legend div {{ display: flex; align-items: center; gap: 6px; white-space: nowrap; }}
.cm-legend .cm-grid {{ display: grid; grid-template-columns: 1fr 1fr; column-gap: 10px; }}
.cm-legend svg {{ flex: none; }} .cm-legend details {{ white-space: normal; margin-top: 4px; }}
.cm-legend ol {{ padding-left: 18px; margin: 2px 0; max-width: 300px; }}
.cm-pop h4, .cm-corridor h4 {{ margin: 0 0 4px; font-size: 13px; }} .cm-corridor {{ border-top: 1px solid #ccc;
  margin-top: 6px; padding-top: 4px; }} .cm-corridor h5 {{ margin: 6px 0 2px; }}
.cm-corridor ul {{ margin: 2px 0; padding-left: 16px; }} .cm-src {{ color: #555; font-size: 11px; }}
.cm-table th {{ text-align: left; padding-right: 6px; vertical-align: top; color: #444; font-weight: 600; }}
.cm-pop blockquote {{ margin: 4px 0; padding-left: 6px; border-left: 3px solid #ccc; color: #333; }}
.cm-year input {{ width: 160px; vertical-align: middle; }}
.leaflet-control-layers, .cm-panel, .cm-legend {{ font-size: 12px; line-height: 1.35; }}
.leaflet-control-layers label {{ font-size: 12px; margin: 0; }} .cm-legend {{ font-size: 11.5px; }}
.leaflet-popup-content {{ max-height: 420px; overflow-y: auto; font-size: 12px; line-height: 1.35; }}
.leaflet-tooltip {{ font-size: 12px; }}
</style>"""


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
    """Compute the display data every page shares (country shapes, segments, sources) into ``layers.cache``, so
    processes forked afterwards inherit it instead of each computing it again."""
    country_shapes_json(layers)
    segment_table(layers)
    sources_html(layers)


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


# --- the two kinds of map ------------------------------------------------------------------------------------

def atlas_map(layers: Layers, *, cdn: bool = False) -> folium.Map:
    """All corridors as layers, with nodes, agreements, the trade choropleth, legend and year control."""
    m = new_map(layers.corridors.total_bounds, cdn=cdn, padding=(300, 290))
    add_base_layers(m, layers)
    trade = add_trade_layer(m, layers)
    add_segments(m, layers, list(layers.corridors["id"]))
    corridor_layers = {cid: add_corridor_layer(m, layers, cid) for cid in layers.corridors["id"]}
    nodes = add_nodes_layer(m, layers, layers.nodes[layers.nodes["on_route"]])
    agreements = add_agreements_layer(m, layers, layers.agreements)
    add_title(m, layers, "Eurasian transport corridors",
              "Middle Corridor, TITR, Lapis Lazuli, BTC, Zangezur and the routes beside them")
    add_legend(m, layers, corridor_layers, nodes, agreements, trade)
    add_year_control(m, layers, agreements, list(corridor_layers.values()))
    folium.LayerControl(collapsed=False).add_to(m)
    return m


def corridor_map(layers: Layers, cid: str, *, cdn: bool = False) -> folium.Map:
    """One corridor framed on its bounds, with its nodes, its agreements and its facts panel."""
    corridor = layers.corridor(cid)
    members = layers.members[cid]
    m = new_map(members.total_bounds, cdn=cdn, padding=(330, 40))
    add_base_layers(m, layers)
    add_segments(m, layers, [cid])
    layer = add_corridor_layer(m, layers, cid)
    used = set(members["from"]) | set(members["to"])
    nodes = add_nodes_layer(m, layers, layers.nodes[layers.nodes["id"].isin(used)])
    named = layers.agreements[layers.agreements["id"].isin(layers.facts[cid].agreements["id"])]
    agreements = add_agreements_layer(m, layers, named)
    add_title(m, layers, corridor["name"], "corridormap: one corridor with its facts")
    Panel(Markup(corridor_features(layers, cid)[1]), position="topleft", css_class="cm-panel cm-facts").add_to(m)
    add_legend(m, layers, {cid: layer}, nodes, agreements, None, position="bottomright")
    add_year_control(m, layers, agreements, [layer])
    folium.LayerControl(collapsed=True).add_to(m)
    return m


def embed_map(layers: Layers, cid: str, *, cdn: bool = False) -> folium.Map:
    """The corridor alone, filling its frame: base countries, its segments and a compact legend."""
    m = new_map(layers.members[cid].total_bounds, cdn=cdn, padding=(60, 30))
    add_base_layers(m, layers, online=False)
    add_segments(m, layers, [cid])
    layer = add_corridor_layer(m, layers, cid)
    members = layers.members[cid]
    corridor = layers.corridor(cid)
    rows = [f'<div data-layer="{escape(cid)}">{swatch(corridor["color"], weight=4)}'
            f'<b>{escape(corridor["name"])}</b></div>']
    rows += [f'<div>{swatch(corridor["color"], dash=style.STATUS[s]["dash"])}{escape(style.STATUS[s]["label"])}</div>'
             for s in style.STATUS if s in set(members["status"])]
    credits = ["Base map: Natural Earth", style.licence_credits(members["licence"]), "corridormap"]
    rows.append(f'<div class="cm-src">{escape(" · ".join(filter(None, credits)))}</div>')
    Legend("".join(rows), [(cid, layer)], position="bottomright").add_to(m)
    return m


def new_map(bounds, *, cdn: bool, padding: tuple[int, int] = (20, 20)) -> folium.Map:
    """An empty map fitted to *bounds* (minx, miny, maxx, maxy) with Leaflet inlined (or from the CDN);
    *padding* (left, right) in pixels keeps the framed area clear of the panels."""
    x0, y0, x1, y1 = bounds
    m = OfflineMap(location=[(y0 + y1) / 2, (x0 + x1) / 2], zoom_start=5, tiles=None, control_scale=True,
                   zoom_control="bottomleft", prefer_canvas=False, zoomSnap=0.25, zoomDelta=0.5,
                   max_bounds=True, min_lon=REGION_BOUNDS[0], min_lat=REGION_BOUNDS[1], max_lon=REGION_BOUNDS[2],
                   max_lat=REGION_BOUNDS[3], min_zoom=3)
    root = cast(Figure, m.get_root())
    root.header.add_child(Head(assets.head_html(cdn=cdn), "leaflet"), name="leaflet", index=0)
    root.header.add_child(Head(PAGE_CSS, "page_css"), name="page_css")
    m.fit_bounds([[y0, x0], [y1, x1]], padding_top_left=(padding[0], 20), padding_bottom_right=(padding[1], 20))
    root.title = "corridormap"
    return m


# --- layers --------------------------------------------------------------------------------------------------

def display_geometry(geom, tolerance: float, decimals: int = DISPLAY_DECIMALS) -> dict:
    """Simplified (topology-preserving) and rounded GeoJSON geometry for display; exports keep full detail."""
    simple = geom.simplify(tolerance, preserve_topology=True)
    return mapping(shapely.transform(simple, lambda xy: np.round(xy, decimals)))


def collection(features: list[dict]) -> dict:
    return {"type": "FeatureCollection", "features": features}


@per_layers
def country_shapes_json(layers: Layers) -> Markup:
    """ISO3 → display geometry of every country as script-safe JSON, computed once per Layers."""
    return js_json({c["iso3"]: display_geometry(c.geometry, COUNTRY_TOLERANCE, COUNTRY_DECIMALS)
                    for _, c in layers.countries.iterrows()})


def add_base_layers(m: folium.Map, layers: Layers, *, online: bool = True) -> None:
    """Natural Earth countries as the (offline) base layer; online tiles as an alternative, never required."""
    Shared("cm_shapes", country_shapes_json(layers)).add_to(m)
    land = {"color": style.BORDER, "weight": 0.8, "fillColor": style.LAND, "fillOpacity": 1, "interactive": False,
            "className": "cm-land"}
    feats = [{"type": "Feature", "geometry": None, "properties": {"_style": land, "_shape": iso3}}
             for iso3 in layers.countries["iso3"]]
    base = GeoJsonLayer(collection(feats), name="Countries (Natural Earth, offline)")
    base.overlay = False
    base.add_to(m)
    if not online:
        return
    folium.TileLayer(ONLINE_TILES[1], name=ONLINE_TILES[0], attr=ONLINE_TILES[2], show=False,
                     overlay=False).add_to(m)


def add_trade_layer(m: folium.Map, layers: Layers) -> GeoJsonLayer:
    """Choropleth of the latest trade turnover with Azerbaijan (only countries with a figure are filled)."""
    with_data = layers.countries[layers.countries["turnover_aze_usd"].notna()]
    feats = [{"type": "Feature", "geometry": None,
              "properties": {"_shape": c["iso3"],
                             "_style": {"color": "#666666", "weight": 0.6, "fillOpacity": 0.6,
                                        "fillColor": style.trade_color(c["turnover_aze_usd"]),
                                        "className": "cm-trade"},
                             "_popup": str(popups.country_html(c, layers.sources)),
                             "_tip": str(escape(f"{c['name']}: {style.money(c['turnover_aze_usd'])} "
                                                f"({c['turnover_aze_period']})"))}}
             for _, c in with_data.iterrows()]
    layer = GeoJsonLayer(collection(feats), name="Trade turnover with Azerbaijan (latest year)", show=False)
    layer.add_to(m)
    return layer


def tonnage_by_year(volumes: pd.DataFrame, corridor: str) -> dict[int, float]:
    """The corridor's latest observed tonnage known at the end of each year (:func:`facts.tonnage`)."""
    return facts.tonnage_by_year(volumes, corridor)


def add_corridor_layer(m: folium.Map, layers: Layers, cid: str, *, show: bool = True) -> GeoJsonLayer:
    corridor = layers.corridor(cid)
    feats, panel = corridor_features(layers, cid)
    layer = GeoJsonLayer(collection(feats), name=str(escape(corridor["name"])), panel=panel, show=show)
    layer.add_to(m)
    return layer


@per_layers
def corridor_features(layers: Layers, cid: str) -> tuple[list[dict], str]:
    """The corridor's styled segment references and its facts panel, computed once per Layers (the atlas, the
    corridor page and the embed all draw them)."""
    corridor = layers.corridor(cid)
    tonnage = tonnage_by_year(layers.facts[cid].volumes, cid)
    latest = tonnage[max(tonnage)] if tonnage else None
    feats = []
    for _, seg in layers.members[cid].iterrows():
        s = style.line_style(corridor["color"], seg["status"], seg["mode"], latest)
        casing = s.leaflet_casing()
        props = {"_seg": seg["id"], "_style": {**s.leaflet(), "className": f"cm-c-{cid}"},
                 "_casing": {**casing, "className": f"cm-c-{cid} cm-casing"} if casing else None,
                 "_bonus": style.volume_bonus(latest)}
        if tonnage:
            base = style.line_style(corridor["color"], seg["status"], seg["mode"]).weight
            props["_widths"] = {year: round(base + style.volume_bonus(t), 2) for year, t in tonnage.items()}
        feats.append({"type": "Feature", "geometry": None, "properties": props})
    return feats, str(popups.corridor_html(corridor, layers.facts[cid], layers.sources))


@per_layers
def segment_table(layers: Layers) -> dict[str, dict]:
    """Segment id → display geometry, popup and tooltip, computed once per Layers."""
    names = dict(zip(layers.nodes["id"], layers.nodes["name"]))
    corridors = dict(zip(layers.corridors["id"], layers.corridors["name"]))
    return {seg["id"]: {"g": display_geometry(seg.geometry, ROUTE_TOLERANCE),
                        "p": str(popups.segment_html(seg, corridors, names)), "t": str(popups.segment_tip(seg))}
            for _, seg in layers.segments.iterrows()}


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
             for _, n in nodes.iterrows()]
    layer = GeoJsonLayer(collection(feats), name="Ports, terminals, stations and border crossings")
    layer.add_to(m)
    return layer


def spread(points: list[tuple[float, float]], step: float = 0.09) -> list[tuple[float, float]]:
    """Fan out co-located points on a golden-angle spiral so each marker stays clickable.

    >>> spread([(1.0, 1.0), (1.0, 1.0)])[0]
    (1.0, 1.0)
    """
    seen: dict[tuple[float, float], int] = {}
    out = []
    for x, y in points:
        i = seen.get((x, y), 0)
        seen[(x, y)] = i + 1
        r, a = step * math.sqrt(i), math.radians(137.508 * i)
        out.append((x + r * math.cos(a) / max(0.2, math.cos(math.radians(y))), y + r * math.sin(a)))
    return out


def add_agreements_layer(m: folium.Map, layers: Layers, agreements: gpd.GeoDataFrame) -> GeoJsonLayer:
    names = dict(zip(layers.nodes["id"], layers.nodes["name"]))
    ordered = agreements.sort_values(["date", "id"])
    positions = spread([(g.x, g.y) for g in ordered.geometry])
    feats = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [round(x, 5), round(y, 5)]},
              "properties": {"_style": {"radius": 6, "color": "#ffffff", "weight": 1.5,
                                        "fillColor": style.AGREEMENT_COLOR, "fillOpacity": 0.9,
                                        "className": "cm-agreement"},
                             "_year": int(a["year"]), "_popup": str(popups.agreement_html(a, names, layers.sources)),
                             "_tip": str(escape(f"{a['date']}: {a['title']}"))}}
             for (_, a), (x, y) in zip(ordered.iterrows(), positions)]
    layer = GeoJsonLayer(collection(feats), name="Agreements (treaties, declarations, road maps)")
    layer.add_to(m)
    return layer


# --- furniture -----------------------------------------------------------------------------------------------

def as_of(layers: Layers) -> str:
    """The data's as-of date: the latest dated source or agreement."""
    dates = [d for d in [*layers.sources["date"], *layers.agreements["date"]] if d]
    return max(dates) if dates else "undated"


def add_title(m: folium.Map, layers: Layers, title: str, subtitle: str) -> None:
    html = (f'<h1>{escape(title)}</h1><p>{escape(subtitle)}</p>'
            f'<p class="cm-src">Data as of {escape(as_of(layers))} · <a href="index.html">all maps</a></p>')
    Panel(Markup(html), position="topleft", css_class="cm-panel cm-title").add_to(m)


def swatch(color: str, *, dash: str | None = None, weight: float = 3, casing: str | None = None,
           circle: bool = False) -> str:
    if circle:
        return (f'<svg width="26" height="12"><circle cx="13" cy="6" r="5" fill="{escape(color)}" '
                'stroke="#fff"/></svg>')
    case = (f'<line x1="2" y1="6" x2="24" y2="6" stroke="{escape(casing)}" stroke-width="{weight + 3}" '
            'stroke-linecap="round"/>' if casing else "")
    dash_attr = f' stroke-dasharray="{escape(dash)}"' if dash else ""
    return (f'<svg width="26" height="12"><rect width="26" height="12" fill="{style.LAND}"/>{case}'
            f'<line x1="2" y1="6" x2="24" y2="6" stroke="{escape(color)}" stroke-width="{weight}"{dash_attr}/></svg>')


def legend_html(layers: Layers, corridors: dict[str, GeoJsonLayer], trade: GeoJsonLayer | None) -> str:
    rows = ["<h5>Corridors</h5>"]
    rows += [f'<div data-layer="{escape(cid)}">{swatch(layers.corridor(cid)["color"], weight=4)}'
             f'{escape(layers.corridor(cid)["name"])}</div>' for cid in corridors]
    rows.append('<h5>Status · mode</h5><section class="cm-grid">')
    rows += [f'<div>{swatch("#444444", dash=s["dash"])}{escape(s["label"])}</div>' for s in style.STATUS.values()]
    rows += [f'<div>{swatch("#444444", weight=m["weight"], casing=m["casing"])}{escape(m["label"])}</div>'
             for m in style.MODE.values()]
    rows.append('</section><h5>Line width: latest annual tonnage</h5><section class="cm-grid">')
    rows += [f'<div>{swatch("#444444", weight=style.MODE["rail"]["weight"] + style.volume_bonus(t))}'
             f'{t / 1e6:g} Mt</div>' for t in style.WIDTH_EXAMPLES]
    rows.append("</section>")
    rows.append(f'<div data-layer="nodes">{swatch(style.NODE_COLORS["port"], circle=True)}port / terminal / '
                'border crossing</div>')
    rows.append(f'<div data-layer="agreements">{swatch(style.AGREEMENT_COLOR, circle=True)}agreement '
                '(at its place, else the first party\'s capital)</div>')
    if trade is not None:
        rows.append('<h5 data-layer="trade">Trade turnover with Azerbaijan</h5>')
        rows += [f'<div data-layer="trade">{swatch(color, circle=True)}{escape(label)}</div>'
                 for color, label in style.trade_legend()]
    rows.append(sources_html(layers))
    return "".join(rows)


@per_layers
def sources_html(layers: Layers) -> str:
    """Every source, linked, as a collapsed list (the same on every page: computed once per Layers)."""
    items = "".join(f"<li>{popups.link_html(s['title'] or s['id'], s['url'])}"
                    f"{escape(', ' + s['publisher']) if s['publisher'] else ''}"
                    f"{escape(', ' + s['date']) if s['date'] else ''}</li>"
                    for s in layers.sources.to_dict("records"))
    return (f"<details><summary>Sources ({len(layers.sources)}) and base map</summary><ol>{items}</ol>"
            "<p>Base map: Natural Earth 1:10m admin-0 (public domain), via world-atlas. "
            f"{escape(style.licence_credits(layers.segments['licence']))}</p></details>")


def add_legend(m: folium.Map, layers: Layers, corridors: dict[str, GeoJsonLayer], nodes: GeoJsonLayer,
               agreements: GeoJsonLayer, trade: GeoJsonLayer | None, *, position: str = "topleft") -> None:
    keyed = [*corridors.items(), ("nodes", nodes), ("agreements", agreements)]
    if trade is not None:
        keyed.append(("trade", trade))
    Legend(legend_html(layers, corridors, trade), keyed, position=position).add_to(m)


def add_year_control(m: folium.Map, layers: Layers, agreements: GeoJsonLayer, corridors: list[GeoJsonLayer]) -> None:
    years = [int(y) for y in layers.agreements["year"]] or [2000]
    first = min(years)
    last = max(years + [y for y in [facts.last_year(layers.volumes)] if y is not None])
    YearControl(agreements, corridors, first, last, style.CASING_EXTRA).add_to(m)


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
