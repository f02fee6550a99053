"""Custom folium elements, one per Leaflet concept folium lacks. Data reaches JavaScript only through ``tojson``;
HTML strings passed in are built (and escaped) by :mod:`corridormap.render.popups`."""

from __future__ import annotations

import json
from collections.abc import Sequence

from branca.element import Element, MacroElement
from folium.map import Layer
from jinja2 import Template
from markupsafe import Markup

#: Characters that could end a <script> block or start markup, escaped as JSON \u sequences (as Jinja's tojson).
_JS_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "'": "\\u0027"}


def js_json(value: object) -> Markup:
    r"""Compact JSON safe to place inside a ``<script>``: what ``|tojson`` does, without the padding spaces.

    >>> print(js_json({"t": "</script><b>"}))
    {"t":"\u003c/script\u003e\u003cb\u003e"}
    """
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    for char, escaped in _JS_UNSAFE.items():
        text = text.replace(char, escaped)
    return Markup(text)


class Head(Element):
    """Raw ``<head>`` content produced by corridormap itself (inlined Leaflet, page CSS); never data text.

    Emitted through a one-line template: passing the ~200 KB of inlined Leaflet as the template itself would make
    Jinja compile it on every page.
    """

    _template = Template("{{ this.html }}")

    def __init__(self, html: str, name: str):
        super().__init__()
        self._name = name
        self.html = Markup(html)


class Shared(MacroElement):
    """Data emitted once per page as ``window.<name>``, referred to by features instead of copied into each layer:
    ``cm_shapes`` (country geometries: base map and trade choropleth, by ``_shape``) and ``cm_segments``
    (geometry, popup and tooltip of segments drawn by several corridors, by ``_seg``)."""

    _template = Template("""
{% macro script(this, kwargs) %}
window.{{ this.variable }} = {{ this.data_json }};
{% endmacro %}
""")

    def __init__(self, variable: str, data_json: Markup):
        super().__init__()
        self._name = "Shared"
        self.variable = variable
        self.data_json = data_json


class GeoJsonLayer(Layer):
    """An overlay of GeoJSON features styled by their ``_style`` (and ``_casing``) properties.

    Geometry may be shared: ``_shape`` names a country in ``window.cm_shapes``, ``_seg`` a segment in
    ``window.cm_segments`` (encoded, see :mod:`corridormap.render.geometry`). ``_popup`` / ``_tip`` properties are
    pre-escaped HTML; ``panel`` (HTML, optional) is appended to every popup (the corridor's facts, stored once per
    layer instead of once per feature). A line's ``_style.offset`` (px) draws it beside the shared track.
    """

    _template = Template("""
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = L.featureGroup();
(function () {
  var data = {{ this.data_json }};
  data.features.forEach(function (f) {
    var p = f.properties, seg = p._seg && window.cm_segments[p._seg];
    if (p._shape) { f.geometry = cm.geometry("cm_shapes", p._shape); }
    if (seg) { f.geometry = cm.geometry("cm_segments", p._seg); p._popup = seg.p; p._tip = seg.t; }
  });
  var panel = {{ this.panel|tojson }};
  var group = {{ this.get_name() }};
  group.casing = L.geoJSON(data, {filter: function (f) { return !!f.properties._casing; },
                                  style: function (f) { return f.properties._casing; }, interactive: false});
  group.main = L.geoJSON(data, {
    style: function (f) { return f.properties._style; },
    pointToLayer: function (f, latlng) { return L.circleMarker(latlng, f.properties._style); },
    onEachFeature: function (f, layer) {
      if (f.properties._popup) {
        layer.bindPopup(function () { return f.properties._popup + panel; }, cm.popupOptions());
      }
      if (f.properties._tip) { layer.bindTooltip(f.properties._tip, {sticky: true}); }
    }
  });
  group.casing.addTo(group);
  group.main.addTo(group);
})();
{% endmacro %}
""")

    def __init__(self, data: dict, *, name: str, panel: str = "", show: bool = True, key: str = ""):
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "GeoJsonLayer"
        self.data_json = js_json(data)
        self.panel = panel
        self.key = key


class OfflineBase(Layer):
    """The offline base map (a base layer): the coarse world beyond the region, the region's countries (shapes
    shared through ``window.cm_shapes``), the labelled rivers, and the borders and coasts as lines, from
    ``window.cm_base``."""

    _template = Template("""
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = (function () {
  var base = window.cm_base, group = L.featureGroup();
  var fill = {{ this.fill|tojson }}, line = {{ this.line|tojson }}, river = {{ this.river|tojson }};
  function add(geometry, style) {
    if (geometry) { L.geoJSON({type: "Feature", geometry: geometry, properties: {}}, {style: style}).addTo(group); }
  }
  if (base.world) { add(cm.geometry("cm_base", "world"), fill); }
  add({type: "GeometryCollection", geometries: Object.keys(window.cm_shapes).map(function (k) {
    return cm.geometry("cm_shapes", k); })}, fill);
  if (base.rivers) { add(cm.geometry("cm_base", "rivers"), river); }
  if (base.world_borders) { add(cm.geometry("cm_base", "world_borders"), line); }
  add(cm.geometry("cm_base", "borders"), line);
  return group;
})();
{% endmacro %}
""")

    def __init__(self, *, name: str, fill: dict, line: dict, river: dict):
        super().__init__(name=name, overlay=False, control=True, show=True)
        self._name = "OfflineBase"
        self.fill = fill
        self.line = line
        self.river = river


class LabelLayer(Layer):
    """Place names as text in the page (``cm.Labels``): shown from their minimum zoom, placed most important
    first, never over one another or over a node or agreement marker (*obstacles*: ``[lon, lat, radius px]``)."""

    _template = Template("""
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = new cm.Labels({{ this.labels_json }}, {{ this.obstacles_json }});
{% endmacro %}
""")

    def __init__(self, labels: list[list], obstacles: list[list], *, name: str):
        super().__init__(name=name, overlay=True, control=True, show=True)
        self._name = "LabelLayer"
        self.key = "labels"
        self.labels_json = js_json(labels)
        self.obstacles_json = js_json(obstacles)


class AgreementLayer(Layer):
    """One marker per place with the number of agreements signed there; its popup lists them (``cm.agreements``).

    *places*: ``{"ll": [lat, lon], "name": …, "items": [{"y": year, "d": date, "t": title, "p": body}]}``, text
    pre-escaped HTML.
    """

    _template = Template("""
{% macro script(this, kwargs) %}
var {{ this.get_name() }} = cm.agreements({{ this.places_json }});
{% endmacro %}
""")

    def __init__(self, places: list[dict], *, name: str):
        super().__init__(name=name, overlay=True, control=True, show=True)
        self._name = "AgreementLayer"
        self.key = "agreements"
        self.places_json = js_json(places)


class Legend(MacroElement):
    """A collapsible legend whose entries follow the layer control: the entry of a hidden overlay disappears."""

    _template = Template("""
{% macro script(this, kwargs) %}
(function () {
  var map = {{ this._parent.get_name() }};
  var box = cm.control(map, {{ this.position|tojson }}, "cm-legend", {{ this.html|tojson }}, "Legend",
                       {{ this.open|tojson }});
  var layers = [{% for key, layer in this.layers %}[{{ key|tojson }}, {{ layer.get_name() }}],{% endfor %}];
  function sync() {
    layers.forEach(function (pair) {
      var shown = map.hasLayer(pair[1]);
      box.getContainer().querySelectorAll('[data-layer="' + pair[0] + '"]').forEach(function (el) {
        el.style.display = shown ? "" : "none";
      });
    });
  }
  // Coalesced: adding the page's layers fires layeradd hundreds of times in one task; one sync after it is enough.
  var queued = false;
  map.on("overlayadd overlayremove layeradd layerremove", function () {
    if (!queued) { queued = true; Promise.resolve().then(function () { queued = false; sync(); }); }
  });
  sync();
})();
{% endmacro %}
""")

    def __init__(self, html: str, layers: Sequence[tuple[str, Layer]], *, position: str = "topleft",
                 open: bool = True):
        super().__init__()
        self._name = "Legend"
        self.html = html
        self.layers = layers
        self.position = position
        self.open = open


class Panel(MacroElement):
    """A fixed HTML box (title, facts) at a corner of the map; *html* is pre-escaped. With a *label* it collapses
    into a toggle button (closed at phone width, the content in a bottom sheet)."""

    _template = Template("""
{% macro script(this, kwargs) %}
cm.control({{ this._parent.get_name() }}, {{ this.position|tojson }}, {{ this.css_class|tojson }},
           {{ this.html|tojson }}, {{ this.label|tojson }}, {{ this.open|tojson }});
{% endmacro %}
""")

    def __init__(self, html: str, *, position: str = "topleft", css_class: str = "cm-panel", label: str = "",
                 open: bool = True):
        super().__init__()
        self._name = "Panel"
        self.html = html
        self.position = position
        self.css_class = css_class
        self.label = label
        self.open = open


class YearControl(MacroElement):
    """A slider: agreements signed up to the chosen year are shown; volume-scaled line widths follow the year.

    The agreement layer counts by year (``setYear``); corridor features may carry ``_widths`` ({year: weight}).
    """

    _template = Template("""
{% macro script(this, kwargs) %}
(function () {
  var map = {{ this._parent.get_name() }};
  var agreements = {{ this.agreements.get_name() }};
  var corridors = [{% for layer in this.corridors %}{{ layer.get_name() }},{% endfor %}];
  function widthFor(widths, year) {
    var best = null, bestYear = -1;
    Object.keys(widths).forEach(function (y) {
      if (+y <= year && +y > bestYear) { bestYear = +y; best = widths[y]; }
    });
    return best;
  }
  var label, count, input, toggle;
  function apply(year) {
    var n = agreements.setYear(year);
    corridors.forEach(function (group) {
      [group.main, group.casing].forEach(function (part, casing) {
        part.eachLayer(function (l) {
          var w = l.feature.properties._widths;
          if (!w) { return; }
          var base = widthFor(w, year);
          var weight = base === null ? l.feature.properties._style.weight - l.feature.properties._bonus : base;
          l.setStyle({weight: casing ? weight + {{ this.casing_extra|tojson }} : weight});
        });
      });
    });
    label.textContent = year;
    count.textContent = n;
    toggle.textContent = "Year " + year;
  }
  var control = L.control({position: "bottomleft"});
  control.onAdd = function () {
    var div = L.DomUtil.create("div", "cm-panel cm-year");
    div.innerHTML = '<label>Year <b class="cm-year-value"></b> <input type="range" class="cm-year-input"></label>' +
                    '<div><span class="cm-year-count"></span> agreements signed up to this year</div>';
    label = div.querySelector(".cm-year-value");
    count = div.querySelector(".cm-year-count");
    input = div.querySelector(".cm-year-input");
    input.min = {{ this.first|tojson }}; input.max = {{ this.last|tojson }}; input.step = 1;
    input.value = {{ this.last|tojson }};
    input.addEventListener("input", function () { apply(+input.value); });
    toggle = cm.collapsible(map, div, "Year", true).container.querySelector(".cm-toggle");
    return div;
  };
  control.addTo(map);
  apply({{ this.last|tojson }});
})();
{% endmacro %}
""")

    def __init__(self, agreements: Layer, corridors: list[GeoJsonLayer], first: int, last: int,
                 casing_extra: float):
        super().__init__()
        self._name = "YearControl"
        self.agreements = agreements
        self.corridors = corridors
        self.first = first
        self.last = last
        self.casing_extra = casing_extra


class DeferDrawing(MacroElement):
    """The map's first child: layers added while the page is built are queued and drawn once, after
    :class:`PageSetup` has framed the map (drawing them at a provisional view and again would double the work)."""

    _template = Template("""
{% macro script(this, kwargs) %}
cm.defer({{ this._parent.get_name() }});
{% endmacro %}
""")

    def __init__(self):
        super().__init__()
        self._name = "DeferDrawing"


class PageSetup(MacroElement):
    """Added after the layer control: makes it collapsible, frames *bounds* in the area the controls leave free
    (or restores the view and layers of the URL hash), keeps popups clear of the controls, wires the presets."""

    _template = Template("""
{% macro script(this, kwargs) %}
cm.setup({{ this._parent.get_name() }}, {
  bounds: {{ this.bounds|tojson }}, minZoom: {{ this.min_zoom|tojson }}, presets: {{ this.presets|tojson }},
  layersOpen: {{ this.layers_open|tojson }}, margin: {{ this.margin|tojson }},
  overlays: { {% for key, layer in this.overlays %}{{ key|tojson }}: {{ layer.get_name() }},{% endfor %} },
  bases: { {% for key, layer in this.bases %}{{ key|tojson }}: {{ layer.get_name() }},{% endfor %} }
});
{% endmacro %}
""")

    def __init__(self, bounds: list[list[float]], *, overlays: Sequence[tuple[str, Layer]] = (),
                 bases: Sequence[tuple[str, Layer]] = (), presets: dict | None = None, layers_open: bool = True,
                 min_zoom: float = 2, margin: int | None = None):
        super().__init__()
        self._name = "PageSetup"
        self.margin = margin  # px the frame keeps clear of the map's edges and panels (None: the runtime's 8)
        self.bounds = bounds
        self.overlays = overlays
        self.bases = bases
        self.presets = presets or {}
        self.layers_open = layers_open
        self.min_zoom = min_zoom
