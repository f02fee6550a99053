/* corridormap's page runtime (inlined once per page): collapsible controls and the phone bottom sheet, framing
 * in the area the controls leave free, popups clear of the controls, a permalink in the URL hash, offset
 * parallel lines for shared track, one agreement marker per place, and place labels as DOM text placed without
 * overlaps. Data reaches it as JSON from the page's own scripts; nothing here fetches anything. */
(function () {
  "use strict";
  var cm = window.cm = {};
  var NARROW_WIDTH = 600, NARROW_HEIGHT = 420, COMPACT_WIDTH = 900, COMPACT_HEIGHT = 500, MARGIN = 8, uid = 0;

  /* Phone: controls open as a bottom sheet. Compact (phones and tablets): controls start closed. */
  cm.narrow = function (map) {
    var s = map.getSize();
    return s.x < NARROW_WIDTH || s.y < NARROW_HEIGHT;
  };
  cm.compact = function (map) {
    var s = map.getSize();
    return s.x < COMPACT_WIDTH || s.y < COMPACT_HEIGHT;
  };

  /* --- geometry: flat delta-encoded integer rings (see render/geometry.py) ---------------------------------- */
  var DEPTH = {LineString: 0, MultiLineString: 1, Polygon: 1, MultiPolygon: 2};
  function ring(flat, scale) {
    var out = [], x = 0, y = 0;
    for (var i = 0; i < flat.length; i += 2) { x += flat[i]; y += flat[i + 1]; out.push([x / scale, y / scale]); }
    return out;
  }
  function nest(c, depth, scale) {
    return depth ? c.map(function (part) { return nest(part, depth - 1, scale); }) : ring(c, scale);
  }
  var decoded = {};
  cm.geometry = function (table, key) {
    var id = table + "/" + key;
    if (!decoded[id]) {
      var g = window[table][key];
      if (g.g) { g = g.g; }
      decoded[id] = {type: g.t, coordinates: nest(g.c, DEPTH[g.t], Math.pow(10, g.k))};
    }
    return decoded[id];
  };

  /* --- offset lines: a polyline with options.offset (px) is drawn parallel to its trace -------------------- */
  function offsetRing(points, d) {
    var n = points.length, out = [];
    if (n < 2) { return points; }
    function normal(a, b) {
      var dx = b.x - a.x, dy = b.y - a.y, len = Math.sqrt(dx * dx + dy * dy) || 1;
      return [-dy / len, dx / len];
    }
    for (var i = 0; i < n; i++) {
      var a = normal(points[Math.max(0, i - 1)], points[Math.max(1, i)]);
      var b = normal(points[Math.min(n - 2, i)], points[Math.min(n - 1, i + 1)]);
      var nx = a[0] + b[0], ny = a[1] + b[1], len = Math.sqrt(nx * nx + ny * ny) || 1;
      var cos = (nx / len) * a[0] + (ny / len) * a[1], k = d / Math.max(cos, 0.5);
      out.push(L.point(points[i].x + nx / len * k, points[i].y + ny / len * k));
    }
    return out;
  }
  var project = L.Polyline.prototype._project;
  L.Polyline.prototype._project = function () {
    project.call(this);
    var d = this.options.offset;
    if (d && !(this instanceof L.Polygon)) {
      this._rings = this._rings.map(function (r) { return offsetRing(r, d); });
      if (this._pxBounds) {
        var pad = L.point(Math.abs(d), Math.abs(d));
        this._pxBounds = L.bounds(this._pxBounds.min.subtract(pad), this._pxBounds.max.add(pad));
      }
    }
  };

  /* --- controls: a toggle button, the body beside it (desktop) or in a bottom sheet (phone) ----------------- */
  var toggles = [];
  cm.collapsible = function (map, container, label, open) {
    var button = L.DomUtil.create("button", "cm-toggle");
    var body = L.DomUtil.create("div", "cm-body");
    var close = L.DomUtil.create("button", "cm-close", body);
    button.type = close.type = "button";
    button.textContent = label;
    close.textContent = "\u00d7";
    close.setAttribute("aria-label", "Close " + label);
    while (container.firstChild) { body.appendChild(container.firstChild); }
    body.insertBefore(close, body.firstChild);
    body.id = "cm-body-" + (++uid);
    button.setAttribute("aria-controls", body.id);
    container.appendChild(button);
    container.appendChild(body);
    L.DomUtil.addClass(container, "cm-collapsible");
    L.DomEvent.disableClickPropagation(container);
    L.DomEvent.disableScrollPropagation(container);
    function set(state) {
      if (state && cm.narrow(map)) {
        toggles.forEach(function (t) { if (t.map === map && t.container !== container) { t.set(false); } });
      }
      container.classList.toggle("cm-open", state);
      button.setAttribute("aria-expanded", String(state));
      var corner = container.parentNode;
      if (corner) { corner.classList.toggle("cm-raised", state && cm.narrow(map)); }
      map.fire("cm:layout");
    }
    button.addEventListener("click", function () { set(!container.classList.contains("cm-open")); });
    close.addEventListener("click", function () { set(false); button.focus(); });
    var toggle = {map: map, container: container, set: set, label: label};
    toggles.push(toggle);
    set(!!open && !cm.compact(map));
    return toggle;
  };
  cm.control = function (map, position, cls, html, label, open) {
    var control = L.control({position: position});
    control.onAdd = function () {
      var div = L.DomUtil.create("div", cls);
      div.innerHTML = html;
      if (label) { cm.collapsible(map, div, label, open); } else {
        L.DomEvent.disableClickPropagation(div);
        L.DomEvent.disableScrollPropagation(div);
      }
      return div;
    };
    control.addTo(map);
    return control;
  };

  /* --- free area: rectangles of the map not under any control ---------------------------------------------- */
  function controlBoxes(map) {
    var origin = map.getContainer().getBoundingClientRect();
    var nodes = map.getContainer().querySelectorAll(".leaflet-control, .cm-collapsible.cm-open > .cm-body");
    var boxes = [];
    Array.prototype.forEach.call(nodes, function (el) {
      var r = el.getBoundingClientRect();
      if (r.width > 0 && r.height > 0) {
        boxes.push({left: r.left - origin.left, right: r.right - origin.left,
                    top: r.top - origin.top, bottom: r.bottom - origin.top});
      }
    });
    return boxes;
  }
  cm.controlBoxes = controlBoxes;
  /* Every maximal-ish rectangle whose edges are the map's or a control's, free of every control. */
  cm.freeRects = function (map, minWidth, minHeight) {
    var size = map.getSize(), boxes = controlBoxes(map);
    var x0s = [0], x1s = [size.x], y0s = [0], y1s = [size.y], out = [];
    boxes.forEach(function (b) { x0s.push(b.right); x1s.push(b.left); y0s.push(b.bottom); y1s.push(b.top); });
    x0s.forEach(function (x0) { x1s.forEach(function (x1) { y0s.forEach(function (y0) { y1s.forEach(function (y1) {
      if (x1 - x0 < minWidth || y1 - y0 < minHeight) { return; }
      var hit = boxes.some(function (b) { return b.left < x1 && b.right > x0 && b.top < y1 && b.bottom > y0; });
      if (!hit) { out.push({left: x0, right: x1, top: y0, bottom: y1}); }
    }); }); }); });
    return out;
  };
  /* Fit bounds [[s, w], [n, e]] inside the free rectangle where they show largest, *margin* px (default
     MARGIN) clear of its edges. */
  cm.fit = function (map, bounds, animate, margin) {
    var size = map.getSize(), best = null, ll = L.latLngBounds(bounds), gap = margin || MARGIN;
    cm.freeRects(map, 120, 120).forEach(function (r) {
      var pad = L.point(size.x - (r.right - r.left) + 2 * gap, size.y - (r.bottom - r.top) + 2 * gap);
      var zoom = map.getBoundsZoom(ll, false, pad), area = (r.right - r.left) * (r.bottom - r.top);
      if (isFinite(zoom) && (!best || zoom > best.zoom || (zoom === best.zoom && area > best.area))) {
        best = {zoom: zoom, area: area, r: r};
      }
    });
    var options = {animate: !!animate};
    if (best) {
      options.paddingTopLeft = [best.r.left + gap, best.r.top + gap];
      options.paddingBottomRight = [size.x - best.r.right + gap, size.y - best.r.bottom + gap];
    }
    map.fitBounds(ll, options);
  };

  /* --- popups: key facts visible, clear of the controls, no tooltip left over them, no focus box ------------ */
  function panClear(map, popup) {
    var el = popup.getElement();
    if (!el) { return; }
    var origin = map.getContainer().getBoundingClientRect(), r = el.getBoundingClientRect();
    var p = {left: r.left - origin.left, right: r.right - origin.left, top: r.top - origin.top,
             bottom: r.bottom - origin.top};
    var best = null;
    cm.freeRects(map, 60, 60).forEach(function (f) {
      var dx = 0, dy = 0;
      if (p.right - p.left > f.right - f.left || p.left < f.left) { dx = f.left + 4 - p.left; }
      else if (p.right > f.right) { dx = f.right - 4 - p.right; }
      if (p.bottom - p.top > f.bottom - f.top || p.top < f.top) { dy = f.top + 4 - p.top; }
      else if (p.bottom > f.bottom) { dy = f.bottom - 4 - p.bottom; }
      var cost = Math.abs(dx) + Math.abs(dy);
      if (!best || cost < best.cost) { best = {cost: cost, dx: dx, dy: dy}; }
    });
    if (best && best.cost > 0) { map.panBy([-best.dx, -best.dy], {animate: false}); }
  }
  cm.popups = function (map) {
    map.on("popupclose", function () { map.getContainer().classList.remove("cm-popup-open"); });
    map.on("popupopen", function (e) {
      map.getContainer().classList.add("cm-popup-open");
      var source = e.popup._source;
      if (source && source.getTooltip && source.getTooltip()) {
        source._cmTip = source.getTooltip();
        source.unbindTooltip();
        source.once("popupclose", function () { source.bindTooltip(source._cmTip); });
      }
      panClear(map, e.popup);
    });
  };
  cm.popupOptions = function () {
    return {maxWidth: Math.min(420, window.innerWidth - 40), minWidth: Math.min(240, window.innerWidth - 60),
            autoPan: false, className: "cm-popup"};
  };

  /* --- the layers a page registers, for the permalink ------------------------------------------------------- */
  cm.permalink = function (map, overlays, bases) {
    function state() {
      var c = map.getCenter();
      var shown = Object.keys(overlays).filter(function (k) { return map.hasLayer(overlays[k]); });
      var base = Object.keys(bases).filter(function (k) { return map.hasLayer(bases[k]); })[0];
      var hash = "#map=" + map.getZoom().toFixed(2) + "/" + c.lat.toFixed(4) + "/" + c.lng.toFixed(4);
      if (Object.keys(overlays).length) { hash += "&layers=" + shown.join(","); }
      if (base && base !== Object.keys(bases)[0]) { hash += "&base=" + base; }
      return hash;
    }
    function write() {
      if (window.history && window.history.replaceState) { window.history.replaceState(null, "", state()); }
    }
    function read() {
      var params = {};
      window.location.hash.replace(/^#/, "").split("&").forEach(function (kv) {
        var i = kv.indexOf("=");
        if (i > 0) { params[kv.slice(0, i)] = decodeURIComponent(kv.slice(i + 1)); }
      });
      var view = (params.map || "").split("/").map(Number);
      if (params.layers !== undefined) {
        var wanted = params.layers ? params.layers.split(",") : [];
        Object.keys(overlays).forEach(function (k) {
          var on = wanted.indexOf(k) >= 0;
          if (on && !map.hasLayer(overlays[k])) { map.addLayer(overlays[k]); }
          if (!on && map.hasLayer(overlays[k])) { map.removeLayer(overlays[k]); }
        });
      }
      if (params.base && bases[params.base]) {
        Object.keys(bases).forEach(function (k) { if (k !== params.base) { map.removeLayer(bases[k]); } });
        map.addLayer(bases[params.base]);
      }
      if (view.length === 3 && view.every(isFinite) && Math.abs(view[1]) <= 90 && Math.abs(view[2]) <= 180) {
        map.setView([view[1], view[2]], view[0], {animate: false});
        return true;
      }
      return false;
    }
    var restored = read();
    map.on("moveend zoomend overlayadd overlayremove baselayerchange", write);
    window.addEventListener("hashchange", read);
    return restored;
  };

  /* --- one agreement marker per place, with the count; the list opens on a tap ------------------------------ */
  function agreementIcon(n) {
    var size = Math.round(18 + 4 * Math.log(n) / Math.LN2);
    return L.divIcon({className: "cm-agreement", html: "<span>" + n + "</span>", iconSize: [size, size]});
  }
  cm.agreements = function (places) {
    var group = L.featureGroup(), markers = [], year = Infinity;
    function items(place) { return place.items.filter(function (it) { return it.y <= year; }); }
    function popup(place) {
      var shown = items(place);
      if (shown.length === 1) { return '<div class="cm-pop"><h4>' + shown[0].t + "</h4>" + shown[0].p + "</div>"; }
      return '<div class="cm-pop"><h4>' + place.name + ": " + shown.length + ' agreements</h4><ol class="cm-list">' +
        shown.map(function (it) {
          return "<li><details><summary>" + it.d + ": " + it.t + "</summary>" + it.p + "</details></li>";
        }).join("") + "</ol></div>";
    }
    places.forEach(function (place) {
      var m = L.marker(place.ll, {icon: agreementIcon(place.items.length), keyboard: true});
      m.cmPlace = place;
      m.bindPopup(function () { return popup(place); }, cm.popupOptions());
      m.bindTooltip(function () { var n = items(place).length; return place.name + ": " + n +
        (n === 1 ? " agreement" : " agreements"); }, {direction: "top", offset: [0, -8]});
      markers.push(m);
      group.addLayer(m);
    });
    group.markers = markers;
    group.setYear = function (y) {
      year = y;
      var total = 0;
      markers.forEach(function (m) {
        var n = items(m.cmPlace).length;
        total += n;
        if (n) { m.setIcon(agreementIcon(n)); if (!group.hasLayer(m)) { group.addLayer(m); } }
        else if (group.hasLayer(m)) { group.removeLayer(m); }
      });
      return total;
    };
    return group;
  };

  /* --- place labels: DOM text in their own pane, shown from min_zoom, never overlapping ---------------------- */
  // label: [name, kind, lon, lat, min_zoom, angle, dot]; obstacles: [[lon, lat, radius px], ...]
  var POINT_KINDS = {capital: 1, city: 1};
  /* A label shows from half a zoom level below its min_zoom (the maps zoom in quarter steps). */
  var LABEL_ZOOM_SLACK = 0.5;
  cm.Labels = L.Layer.extend({
    initialize: function (labels, obstacles) { this._labels = labels; this._obstacles = obstacles; },
    onAdd: function (map) {
      var pane = map.getPane("cm-labels") || map.createPane("cm-labels");
      this._pane = pane;
      this._els = this._labels.map(function (l) {
        var el = L.DomUtil.create("div", "cm-label cm-label-" + l[1], pane);
        el.textContent = l[0];
        if (l[5]) { el.style.setProperty("--cm-angle", l[5] + "deg"); }
        if (l[6]) { el.cmDot = L.DomUtil.create("div", "cm-label-dot", pane); el.cmDot.style.display = "none"; }
        el.style.display = "none";  // laid out (and measured) only from the zoom it shows at
        return el;
      });
      map.on("zoomstart", this._hide, this);
      map.on("zoomend viewreset", this._place, this);
      this._place();
    },
    onRemove: function (map) {
      this._els.forEach(function (el) { L.DomUtil.remove(el); if (el.cmDot) { L.DomUtil.remove(el.cmDot); } });
      map.off("zoomstart", this._hide, this);
      map.off("zoomend viewreset", this._place, this);
    },
    _hide: function () { this._pane.style.visibility = "hidden"; },
    _place: function () {
      var map = this._map, zoom = map.getZoom(), placed = [];
      function free(b) {
        return !placed.some(function (o) { return o.l < b.r && o.r > b.l && o.t < b.b && o.b > b.t; });
      }
      this._obstacles.forEach(function (o) {
        var p = map.latLngToLayerPoint([o[1], o[0]]), r = o[2] + 2;
        placed.push({l: p.x - r, r: p.x + r, t: p.y - r, b: p.y + r});
      });
      // Measure the labels this zoom may show, not yet measured: shown first, then read in one layout.
      var fresh = this._els.filter(function (el, i) {
        return !el.cmSize && zoom + LABEL_ZOOM_SLACK >= this._labels[i][4];
      }, this);
      fresh.forEach(function (el) { el.style.display = ""; });
      fresh.forEach(function (el) { el.cmSize = [el.offsetWidth, el.offsetHeight]; });
      var shown = 0;
      this._labels.forEach(function (l, i) {
        var el = this._els[i], box = null;
        if (zoom + LABEL_ZOOM_SLACK >= l[4]) {
          var w = el.cmSize[0], h = el.cmSize[1];
          var p = map.latLngToLayerPoint([l[3], l[2]]);
          var a = (l[5] || 0) * Math.PI / 180, bw = Math.abs(w * Math.cos(a)) + Math.abs(h * Math.sin(a));
          var bh = Math.abs(w * Math.sin(a)) + Math.abs(h * Math.cos(a));
          var candidates = POINT_KINDS[l[1]] ?
            [[8, -h / 2], [-8 - w, -h / 2], [-w / 2, -h - 8], [-w / 2, 8]] : [[-w / 2, -h / 2]];
          for (var c = 0; c < candidates.length && !box; c++) {
            var x = p.x + candidates[c][0], y = p.y + candidates[c][1];
            var cx = x + w / 2, cy = y + h / 2;
            var b = {l: cx - bw / 2, r: cx + bw / 2, t: cy - bh / 2, b: cy + bh / 2, x: x, y: y};
            var dot = el.cmDot ? {l: p.x - 3, r: p.x + 3, t: p.y - 3, b: p.y + 3} : null;
            if (free(b) && (!dot || free(dot))) { box = b; if (dot) { placed.push(dot); } }
          }
        }
        if (box) {
          placed.push(box);
          el.style.left = Math.round(box.x) + "px";
          el.style.top = Math.round(box.y) + "px";
          el.style.display = "";
          if (el.cmDot) {
            el.cmDot.style.left = Math.round(p.x) + "px";
            el.cmDot.style.top = Math.round(p.y) + "px";
            el.cmDot.style.display = "";
          }
          shown++;
        } else {
          el.style.display = "none";
          if (el.cmDot) { el.cmDot.style.display = "none"; }
        }
      }, this);
      this._pane.style.visibility = "";
      this.shown = shown;
    }
  });

  /* --- deferred drawing: layers added while the page is built are drawn once, after the framing ------------- */
  cm.defer = function (map) {
    var queue = [], add = map.addLayer;
    map.addLayer = function (layer) {
      if (queue) { if (queue.indexOf(layer) < 0) { queue.push(layer); } return this; }
      return add.call(this, layer);
    };
    var remove = map.removeLayer;
    map.removeLayer = function (layer) {
      if (queue && queue.indexOf(layer) >= 0) { queue.splice(queue.indexOf(layer), 1); return this; }
      return remove.call(this, layer);
    };
    map._cmExpand = [];
    map._cmFlush = function () {
      var pending = queue, expand = map._cmExpand;
      queue = map._cmExpand = null;
      map.addLayer = add;
      map.removeLayer = remove;
      map._cmStale = [];  // layer controls rebuild their list once, after the last layer, not on every add
      pending.forEach(function (layer) { add.call(map, layer); });
      var stale = map._cmStale;
      map._cmStale = null;
      stale.forEach(function (control) { control._update(); });
      expand.forEach(function (control) { control._expandIfNotCollapsed(); });
    };
  };
  // A layer control sizes itself (a forced layout of the page) when it is added: while the page is built, once
  // at the flush instead.
  var expandIfNotCollapsed = L.Control.Layers.prototype._expandIfNotCollapsed;
  L.Control.Layers.prototype._expandIfNotCollapsed = function () {
    var later = this._map && this._map._cmExpand;
    if (!later) { return expandIfNotCollapsed.call(this); }
    if (later.indexOf(this) < 0) { later.push(this); }
    return this;
  };
  var layerChange = L.Control.Layers.prototype._onLayerChange;
  L.Control.Layers.prototype._onLayerChange = function (e) {
    var stale = this._map && this._map._cmStale;
    if (!stale) { return layerChange.call(this, e); }
    if (stale.indexOf(this) < 0) { stale.push(this); }
    var handling = this._handlingClick;
    this._handlingClick = true;  // Leaflet's own flag: the change is reported, the list not rebuilt yet
    try { return layerChange.call(this, e); } finally { this._handlingClick = handling; }
  };

  /* --- the page: controls made collapsible, framing, popups, permalink -------------------------------------- */
  cm.setup = function (map, options) {
    var container = map.getContainer();
    if (options.minZoom !== undefined) { map.setMinZoom(options.minZoom); }
    function narrowClass() { container.classList.toggle("cm-narrow", cm.narrow(map)); }
    narrowClass();
    window.addEventListener("resize", narrowClass);
    var layers = container.querySelector(".leaflet-control-layers");
    if (layers) {
      L.DomUtil.removeClass(layers, "leaflet-control-layers-expanded");
      L.DomUtil.addClass(layers, "leaflet-control-layers-expanded");
      cm.collapsible(map, layers, "Layers", options.layersOpen);
    }
    cm.popups(map);
    container.querySelectorAll("[data-preset]").forEach(function (button) {
      button.addEventListener("click", function () {
        if (cm.narrow(map)) {
          toggles.forEach(function (t) { if (t.map === map) { t.set(false); } });
        }
        cm.fit(map, options.presets[button.getAttribute("data-preset")], true);
      });
    });
    cm.fit(map, options.bounds, false, options.margin);
    if (map._cmFlush) { map._cmFlush(); }
    cm.permalink(map, options.overlays || {}, options.bases || {});
    container.setAttribute("data-cm-ready", String(Math.round(performance.now())));
  };
})();
