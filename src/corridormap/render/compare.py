"""``maps/compare/<scenario>.html``: a scenario's alternatives highlighted over the network, with a table panel.

Self-contained and offline like the other pages (Leaflet inlined, the Natural Earth base layer); built from the
stable map functions of :mod:`corridormap.render.html`. On a phone the panel starts closed (a one-line bar) and
opens to at most half the screen; on wider screens it starts open beside the routes.
"""

from __future__ import annotations

from pathlib import Path
from typing import cast

import folium
from branca.element import Figure, MacroElement
from jinja2 import Template
from markupsafe import Markup, escape

from .. import style
from .._io import write_text
from ..join import Layers, sources_by_id
from ..network import Router
from ..network.scenarios import ALTERNATIVE_COLORS, Comparison, Outcome
from . import popups
from .elements import GeoJsonLayer, Head, Panel, Shared, js_json
from .html import add_base_layers, add_labels_layer, collection, display_geometry, new_map, save, segment_table

COMPARE_CSS = """<style>
.cm-compare { max-width: min(480px, calc(100vw - 24px)); padding: 0; }
.cm-compare > details > summary { cursor: pointer; padding: 6px 10px; font-weight: 600; font-size: 13px; }
.cm-compare .cm-body { padding: 0 10px 8px; max-height: calc(100vh - 90px); overflow: auto; }
.cm-compare h1 { font-size: 15px; margin: 0 0 2px; } .cm-compare p { margin: 2px 0 6px; }
.cm-compare table { border-collapse: collapse; width: 100%; font-size: 12px; }
.cm-compare th, .cm-compare td { text-align: left; padding: 3px 4px; border-top: 1px solid #ddd; vertical-align: top; }
.cm-compare td.n, .cm-compare th.n { text-align: right; white-space: nowrap; }
.cm-compare tr[data-alt] { cursor: pointer; } .cm-compare tr[data-alt]:hover { background: #f1f1ea; }
.cm-compare .cm-flag { color: #8a3b00; font-weight: 600; } .cm-compare .cm-err { color: #8a0000; }
.cm-compare td:last-child { overflow-wrap: anywhere; min-width: 70px; }
.cm-compare ol { padding-left: 18px; margin: 2px 0; } .cm-compare blockquote { margin: 2px 0 4px; color: #333; }
@media (max-width: 600px) {
  .cm-compare .cm-body { max-height: 45vh; }
  .cm-compare table { font-size: 11px; }
}
</style>"""


class CompareControl(MacroElement):
    """Fits the routes beside the panel (wide screens) or above it (phones), closes the panel on phones at
    start, and highlights an alternative when its table row is clicked."""

    _template = Template("""
{% macro script(this, kwargs) %}
(function () {
  var map = {{ this._parent.get_name() }};
  var bounds = {{ this.bounds|tojson }};
  var narrow = window.matchMedia("(max-width: 600px)").matches;
  var box = document.querySelector(".cm-compare details");
  if (box && narrow) { box.open = false; }
  function fit() {
    // Beside the panel on wide screens, below it on portrait tablets and phones.
    var panel = document.querySelector(".cm-compare").getBoundingClientRect();
    var side = window.innerWidth >= 1000;
    var top = side ? 20 : Math.min(panel.bottom + 10, window.innerHeight * 0.6);
    // The region's max bounds would pull the routes back under the panel: loosen them by half a region.
    map.setMaxBounds(L.latLngBounds(map.options.maxBounds || bounds).pad(0.5));
    map.fitBounds(bounds, {paddingTopLeft: [20, top], paddingBottomRight: [side ? panel.width + 30 : 20, 40]});
  }
  fit();
  // The page's layers were queued while it was built (render.elements.DeferDrawing): draw them now, framed.
  if (map._cmFlush) { map._cmFlush(); }
  map.getContainer().setAttribute("data-cm-ready", String(Math.round(performance.now())));
  var routes = {{ this.routes|tojson }};
  var groups = [{% for layer in this.layers %}{{ layer.get_name() }},{% endfor %}];
  document.querySelectorAll(".cm-compare tr[data-alt]").forEach(function (row) {
    row.addEventListener("click", function () {
      var i = routes.indexOf(row.getAttribute("data-alt"));
      groups.forEach(function (g, j) {
        g.eachLayer(function (sub) { sub.eachLayer && sub.eachLayer(function (l) {
          if (l.setStyle) { l.setStyle({opacity: j === i ? 1 : 0.25}); }
          if (j === i && l.bringToFront) { l.bringToFront(); }
        }); });
      });
    });
  });
})();
{% endmacro %}
""")

    def __init__(self, bounds: list[list[float]], routes: list[str], layers: list[GeoJsonLayer]):
        super().__init__()
        self._name = "CompareControl"
        self.bounds, self.routes, self.layers = bounds, routes, layers


def write_comparison(layers: Layers, router: Router, comparison: Comparison, out: Path, *,
                     cdn: bool = False) -> Path:
    """``<out>/<scenario>.html``."""
    return save(comparison_map(layers, router, comparison, cdn=cdn), out / f"{comparison.scenario.id}.html")


def route_bounds(comparison: Comparison, router: Router) -> tuple[float, float, float, float]:
    nodes = router.network.nodes
    ends = [nodes[n] for o in comparison.outcomes for n in (o.alternative.start, o.alternative.end) if n in nodes]
    boxes = [leg.geometry.bounds for o in comparison.outcomes if o.route for leg in o.route.legs
             if leg.geometry is not None]
    xs = [n["lon"] for n in ends] + [x for b in boxes for x in b[::2]]
    ys = [n["lat"] for n in ends] + [y for b in boxes for y in b[1::2]]
    return min(xs), min(ys), max(xs), max(ys)


def comparison_map(layers: Layers, router: Router, comparison: Comparison, *, cdn: bool = False) -> folium.Map:
    """The scenario's alternatives over the whole network (grey), with the table panel."""
    x0, y0, x1, y1 = route_bounds(comparison, router)
    m = new_map((x0, y0, x1, y1), cdn=cdn)
    root = cast(Figure, m.get_root())
    root.header.add_child(Head(COMPARE_CSS, "compare_css"), name="compare_css")
    root.title = f"{comparison.scenario.name} · corridormap"
    add_base_layers(m, layers)
    table = segment_table(layers)
    Shared("cm_segments", js_json({i: table[i] for leg in router.network.legs.values() for i in leg.ids})).add_to(m)
    network_layer(router).add_to(m)
    groups: list[tuple[str, GeoJsonLayer]] = []
    for i, o in enumerate(comparison.outcomes):
        if o.route is None:
            continue
        # Each alternative narrower than the one before, drawn over it: shared track shows every colour.
        group = alternative_layer(o, ALTERNATIVE_COLORS[i % len(ALTERNATIVE_COLORS)], max(3, 11 - 3 * i),
                                  halo=not groups)
        group.add_to(m)
        groups.append((o.alternative.id, group))
    end_markers(router, comparison).add_to(m)
    ends = {n for o in comparison.outcomes for n in (o.alternative.start, o.alternative.end)}
    add_labels_layer(m, layers, layers.nodes[layers.nodes["id"].isin(ends)], [], control=False)
    Panel(Markup(panel_html(layers, router, comparison)), position="topright", css_class="cm-panel cm-compare"
          ).add_to(m)
    folium.LayerControl(collapsed=True, position="bottomright").add_to(m)
    CompareControl([[y0, x0], [y1, x1]], [g[0] for g in groups], [g[1] for g in groups]).add_to(m)
    return m


def network_layer(router: Router) -> GeoJsonLayer:
    feats = [{"type": "Feature", "geometry": None,
              "properties": {"_seg": leg.id, "_style": {"color": "#8c8c8c", "weight": 2, "opacity": 0.7,
                                                        "dashArray": style.STATUS[leg.status]["dash"]}}}
             for leg in router.network.legs.values()]
    return GeoJsonLayer(collection(feats), name="Network (rail, road, sea legs)")


def alternative_layer(o: Outcome, color: str, weight: float = 5, *, halo: bool = True) -> GeoJsonLayer:
    """An alternative's legs in its colour (dashed where not operating); *halo*: a white casing beneath (only the
    widest, first one: a narrower one's halo would cut the line below it)."""
    assert o.route is not None
    feats = []
    for leg in o.route.legs:
        tip = (f"<b>{escape(o.alternative.name)}</b><br>{escape(leg.id)}: {leg.km:,.0f} km {escape(leg.mode)}"
               f", {escape(leg.status)}")
        props = {"_tip": tip, "_style": {"color": color, "weight": weight, "opacity": 1,
                                         "dashArray": style.STATUS[leg.status]["dash"]},
                 "_casing": {"color": "#ffffff", "weight": weight + 3, "opacity": 0.9} if halo else None,
                 "alt": o.alternative.id}
        feats.append({"type": "Feature", "geometry": display_geometry(leg.geometry, 0.0015), "properties": props})
    return GeoJsonLayer(collection(feats), name=str(escape(o.alternative.name)))


def end_markers(router: Router, comparison: Comparison) -> GeoJsonLayer:
    nodes = router.network.nodes
    ends = dict.fromkeys(n for o in comparison.outcomes for n in (o.alternative.start, o.alternative.end))
    feats = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [nodes[n]["lon"], nodes[n]["lat"]]},
              "properties": {"_style": {"radius": 6, "color": "#ffffff", "weight": 2, "fillColor": "#222222",
                                        "fillOpacity": 1}, "_tip": str(escape(nodes[n]["name"]))}}
             for n in ends if n in nodes]
    return GeoJsonLayer(collection(feats), name="Start and ends")


def swatch(color: str) -> str:
    return (f'<svg width="18" height="10" aria-hidden="true"><line x1="1" y1="5" x2="17" y2="5" '
            f'stroke="{escape(color)}" stroke-width="4"/></svg>')


def published_cell(o: Outcome) -> str:
    a = o.alternative
    text = a.published_text(day_unit="d")
    if not text:
        return "–"
    return f'<span title="{escape(a.published_span)}">{escape(text)}</span> [{escape(a.source)}]'


def row_html(o: Outcome, color: str) -> str:
    a, r = o.alternative, o.route
    name = f"{swatch(color)} {escape(a.name)}"
    if r is None:
        reason = o.error.split(": ", 1)[-1]  # after "no route from … with …"
        return (f'<tr><td>{name}</td><td colspan="5" class="cm-err" title="{escape(o.error)}">no route: '
                f"{escape(reason)}</td><td>{published_cell(o)}</td></tr>")
    labels = " · ".join(style.STATUS[s]["label"] for s in r.statuses)
    flags = f' <span class="cm-flag">{escape(labels)}</span>' if labels else ""
    return (f'<tr data-alt="{escape(a.id)}"><td>{name}{flags}</td><td class="n">{r.km:,.0f}</td>'
            f'<td class="n">{r.days.low:.1f}–{r.days.high:.1f}</td><td class="n">{r.border_crossings}</td>'
            f'<td class="n">{r.transshipments}</td><td>{escape(" ".join(r.countries))}</td>'
            f"<td>{published_cell(o)}</td></tr>")


def parameters_html(layers: Layers, router: Router, comparison: Comparison) -> str:
    sources = sources_by_id(layers)
    items = []
    for _, p in router.params.sources(comparison.parameter_ids()).iterrows():
        s = sources.get(p["source"], {})
        what = " ".join(x for x in (p["parameter"], p["mode"], p["iso3"], p["applies_to"]) if x)
        link = popups.link_html(s.get("title") or p["source"], s.get("url", "")) if s else escape(p["source"])
        items.append(f"<li><b>{escape(what)}</b>: {escape(p['low'])}–{escape(p['high'])} {escape(p['unit'])}, "
                     f"{link}<blockquote>{escape(p['quote'])}</blockquote></li>")
    published = []
    for o in comparison.outcomes:
        a = o.alternative
        if a.source:
            s = sources.get(a.source, {})
            link = popups.link_html(s.get("title") or a.source, s.get("url", "")) if s else escape(a.source)
            published.append(f"<li><b>{escape(a.name)}</b> ({escape(a.published_span)}): {link}"
                             f"<blockquote>{escape(a.quote)}</blockquote>"
                             f"{'<p>' + escape(a.note) + '</p>' if a.note else ''}</li>")
    return (f"<details><summary>Time parameters ({len(items)}), cited</summary><ol>{''.join(items)}</ol></details>"
            f"<details><summary>Published figures ({len(published)})</summary><ol>{''.join(published)}</ol>"
            "</details>")


def panel_html(layers: Layers, router: Router, comparison: Comparison) -> str:
    s = comparison.scenario
    rows = "".join(row_html(o, ALTERNATIVE_COLORS[i % len(ALTERNATIVE_COLORS)])
                   for i, o in enumerate(comparison.outcomes))
    credits = style.licence_credits(layers.segments["licence"])  # the whole network is drawn
    return (f'<details open><summary>{escape(s.name)}</summary><div class="cm-body">'
            f"<p>{escape(s.description)}</p>"
            '<table class="cm-routes"><thead><tr><th>alternative</th><th class="n">km</th><th class="n">days</th>'
            '<th class="n" title="border crossings">borders</th><th class="n" title="transshipments">trans.</th>'
            f"<th>countries</th><th>published</th></tr></thead><tbody>{rows}</tbody></table>"
            "<p class=\"cm-src\">Days: low–high from the cited parameters (speeds, border and port dwell, ferry "
            "crossing and waiting). Dashed: not yet operating. Click a row to highlight it.</p>"
            f"{parameters_html(layers, router, comparison)}"
            f'<p class="cm-src">Base map: Natural Earth (public domain). {escape(credits)}'
            ' · <a href="../index.html">all maps</a></p>'
            "</div></details>")


def write_index_section(comparisons: list[Comparison]) -> str:
    """The index page's list of comparison pages (inserted by the build)."""
    items = "".join(f'<li><a href="compare/{escape(c.scenario.id)}.html">{escape(c.scenario.name)}</a> · '
                    f'slide <a href="slides/compare_{escape(c.scenario.id)}.png">PNG</a></li>' for c in comparisons)
    return f"<h2>Route comparisons</h2><ul>{items}</ul>" if items else ""


def add_to_index(index: Path, comparisons: list[Comparison]) -> Path:
    """Link the comparison pages from ``maps/index.html`` (before its GIS section)."""
    text = index.read_text(encoding="utf-8")
    section = write_index_section(comparisons)
    if section and "<h2>GIS</h2>" in text:
        text = text.replace("<h2>GIS</h2>", section + "<h2>GIS</h2>", 1)
    return write_text(index, text)
