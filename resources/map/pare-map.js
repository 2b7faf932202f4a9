/* PARÉ Desktop — the map page. Draws markers, clusters, outlines and boxes from JSON data.
   Every piece of data is put in the page with textContent or as a DOM node: never as HTML.
   Clusters: a hierarchical grid (one level per zoom, each cell the union of four cells of the level
   below) built from coordinate arrays; only the cells in view are drawn, again after each move. */
(function () {
  "use strict";

  var ZMAX = 15;          // finest clustering level; deeper zooms draw the cells of this level
  var CELLS = 4;          // cells per 256 px tile edge: 64 px cells
  var SIDE_LIMIT = 200, LIST_LIMIT = 40;

  var S = {
    map: null, config: null, renderer: null, bridge: null, layer: null, engine: null,
    rows: [], fields: null, iLat: 0, iLon: 0, px: new Float64Array(0), py: new Float64Array(0), index: new Map(),
    side: new Map(),       // id -> side row
    sel: new Int32Array(0), selKey: "", sideShown: [], levels: null,
    drawn: new Map(),      // draw key -> layer on the map
    clusterCache: new Map(),// cluster key -> marker, kept until the shown set changes (zooming back is free)
    pointLayers: new Map(),// point index -> circle marker (kept: tooltips and clicks stay bound)
    around: null, sideBox: null, legendBox: null, ready: false, popup: false,
    pendingFrame: null, frameMarkers: null, timing: null, loading: 0, pending: [], chain: Promise.resolve()
  };

  document.addEventListener("securitypolicyviolation", function (e) {
    var root = document.documentElement.dataset;
    root.pareCspViolations = String(Number(root.pareCspViolations || 0) + 1);
    console.error("CSP: " + e.violatedDirective + " " + e.blockedURI);
  });

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function button(cls, text, title) {
    var b = el("button", cls, text); b.type = "button";
    if (title) { b.title = title; b.setAttribute("aria-label", title); }
    return b;
  }

  function typeOf(index) {
    return S.config.types[index] || { slug: "", label: "Autre type", colour: "#000000" };
  }

  function swatch(colour, exact) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", "14"); svg.setAttribute("height", "14"); svg.setAttribute("class", "pare-swatch");
    var c = document.createElementNS(ns, "circle");
    c.setAttribute("cx", "7"); c.setAttribute("cy", "7"); c.setAttribute("r", "5");
    c.setAttribute("stroke", colour); c.setAttribute("stroke-width", "2");
    c.setAttribute("fill", colour); c.setAttribute("fill-opacity", exact ? "0.85" : "0.15");
    if (!exact) c.setAttribute("stroke-dasharray", "2 2");
    svg.appendChild(c);
    return svg;
  }

  function row(r, fields) {
    var o = {};
    for (var i = 0; i < fields.length; i++) o[fields[i]] = r[i];
    return o;
  }

  /** A marker's record as an object (rows stay arrays: 100,000 objects cost more than they give). */
  function recOf(p) {
    var rec = row(S.rows[p], S.fields);
    rec.lat = rec.lat_e5 / 1e5; rec.lon = rec.lon_e5 / 1e5;
    return rec;
  }

  function frNumber(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, "\u202f"); }

  function small() { return window.innerWidth < 1000 || window.innerHeight < 650; }

  // --- projection: longitude/latitude -> [0, 1) world coordinates (Web Mercator, as Leaflet) ---------
  function wx(lon) { return Math.min(Math.max((lon + 180) / 360, 0), 0.9999999999); }
  function wy(lat) {
    var s = Math.sin(Math.max(Math.min(lat, 85.05), -85.05) * Math.PI / 180);
    return Math.min(Math.max(0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI), 0), 0.9999999999);
  }
  function lonOf(x) { return x * 360 - 180; }
  function latOf(y) { return Math.atan(Math.sinh(Math.PI * (1 - 2 * y))) * 180 / Math.PI; }

  // --- the grid hierarchy -----------------------------------------------------------------------------
  // Each point gets its cell (X, Y) at level ZMAX and the Morton code of that cell (bits of X and Y
  // interleaved). Sorted by code, the points of any cell at any level are one contiguous run, so every
  // level is one pass over the level below, and a cell is found by binary search on its code.
  var BITS = ZMAX + 2, SPAN = Math.pow(2, BITS), IDX = 524288;  // 2^19 point indices fit beside a code

  function spread(v) {  // 16 bits -> every other bit of 32
    v &= 0xffff; v = (v | (v << 8)) & 0x00ff00ff; v = (v | (v << 4)) & 0x0f0f0f0f;
    v = (v | (v << 2)) & 0x33333333; return (v | (v << 1)) & 0x55555555;
  }
  function morton(X, Y) {  // X, Y < 2^17 -> a 34-bit code (exact in a double)
    var hi = spread(X >>> 8) | (spread(Y >>> 8) << 1), lo = spread(X & 255) | (spread(Y & 255) << 1);
    return hi * 65536 + (lo >>> 0);
  }
  function compact(v) {  // the even bits of v, packed
    v &= 0x55555555; v = (v | (v >>> 1)) & 0x33333333; v = (v | (v >>> 2)) & 0x0f0f0f0f;
    v = (v | (v >>> 4)) & 0x00ff00ff; return (v | (v >>> 8)) & 0x0000ffff;
  }
  function cellXY(code) {  // a finest-level code -> [X, Y]
    var hi = Math.floor(code / 65536), lo = code % 65536;
    return [(compact(hi) << 8) | compact(lo), (compact(hi >>> 1) << 8) | compact(lo >>> 1)];
  }
  function cellCode(z, X, Y) { var s = ZMAX - z; return Math.floor(morton(X << s, Y << s) / Math.pow(4, s)); }

  function level(size) {
    return { count: 0, code: new Float64Array(size), X: new Int32Array(size), Y: new Int32Array(size),
      start: new Int32Array(size), k: new Int32Array(size), sx: new Float64Array(size), sy: new Float64Array(size),
      x0: new Float64Array(size), y0: new Float64Array(size), x1: new Float64Array(size), y1: new Float64Array(size) };
  }

  /** The grid shipped with an exported page, when it is for exactly these points. */
  function shipped(sel) {
    var pre = S.pre;
    if (!pre || pre.zmax !== ZMAX || pre.order.length !== sel.length) return null;
    for (var i = 0; i < sel.length; i++) if (sel[i] !== i) return null;
    S.order = Int32Array.from(pre.order); S.codes = Float64Array.from(pre.codes);
    var levels = new Array(ZMAX + 1), f = pre.fields;
    Object.keys(pre.levels).forEach(function (z) {
      var cols = pre.levels[z], n = cols[0].length, L2 = level(n);
      f.forEach(function (name, j) { L2[name].set(cols[j]); });
      L2.count = n; levels[Number(z)] = L2;
    });
    document.body.dataset.pareGrid = "shipped";
    return levels;
  }

  /** Sorts the selected points in Morton order; levels are then built when first drawn (lvl). */
  function buildLevels(sel) {
    var ready = shipped(sel);
    if (ready) return ready;
    var px = S.px, py = S.py, n = sel.length, keys = new Float64Array(n);
    for (var i = 0; i < n; i++) {
      var p = sel[i];
      keys[i] = morton(Math.floor(px[p] * SPAN), Math.floor(py[p] * SPAN)) * IDX + p;
    }
    keys.sort();
    var order = new Int32Array(n), codes = new Float64Array(n);
    for (var h = 0; h < n; h++) {
      var r = keys[h] % IDX;
      order[h] = r; codes[h] = (keys[h] - r) / IDX;
    }
    S.order = order; S.codes = codes;
    return new Array(ZMAX + 1);
  }

  /** Level z: one pass over the points in Morton order (a cell is a run of equal code prefixes). */
  function buildLevel(z) {
    var codes = S.codes, order = S.order, px = S.px, py = S.py, n = codes.length;
    var div = Math.pow(4, ZMAX - z), shift = ZMAX - z, cells = 0, prev = -1, code;
    for (var h = 0; h < n; h++) { code = Math.floor(codes[h] / div); if (code !== prev) { cells++; prev = code; } }
    var L2 = level(cells), c = -1;
    prev = -1;
    for (var j = 0; j < n; j++) {
      var q = order[j], x = px[q], y = py[q];
      code = Math.floor(codes[j] / div);
      if (code !== prev) {
        var xy = cellXY(codes[j]);
        c = L2.count++; prev = code; L2.code[c] = code; L2.start[c] = j;
        L2.X[c] = xy[0] >> shift; L2.Y[c] = xy[1] >> shift;
        L2.x0[c] = x; L2.y0[c] = y; L2.x1[c] = x; L2.y1[c] = y;
      }
      L2.k[c]++; L2.sx[c] += x; L2.sy[c] += y;
      if (x < L2.x0[c]) L2.x0[c] = x; if (y < L2.y0[c]) L2.y0[c] = y;
      if (x > L2.x1[c]) L2.x1[c] = x; if (y > L2.y1[c]) L2.y1[c] = y;
    }
    return L2;
  }

  function lvl(z) { return S.levels[z] || (S.levels[z] = buildLevel(z)); }

  function levelFor(zoom) { return Math.max(0, Math.min(ZMAX, Math.floor(zoom))); }

  /** The cell with this code at level z, or undefined. */
  function find(z, code) {
    var a = lvl(z).code, lo = 0, hi = a.length - 1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1, v = a[mid];
      if (v === code) return mid;
      if (v < code) lo = mid + 1; else hi = mid - 1;
    }
    return undefined;
  }

  /** The cell of point p at level z. */
  function cellOf(p, z) {
    var s = ZMAX - z;
    return find(z, Math.floor(morton(Math.floor(S.px[p] * SPAN), Math.floor(S.py[p] * SPAN)) / Math.pow(4, s)));
  }

  /** The shallowest zoom at which point p is drawn alone (ZMAX + 1 when it shares its place). */
  function aloneFrom(p) {
    if (!S.levels) return ZMAX + 1;
    var c = cellOf(p, ZMAX);
    if (c === undefined || lvl(ZMAX).k[c] > 1) return ZMAX + 1;
    var z = ZMAX;
    while (z > 0 && lvl(z - 1).k[cellOf(p, z - 1)] === 1) z--;
    return z;
  }

  // --- marker tooltips that stay inside the map ------------------------------------------------------
  var TIP_GAP = 10, TIP_MARGIN = 4, TIP_SIDES = ["right", "left", "top", "bottom"];

  /** The boxes of the controls on the map (zoom, boxes, scale, attribution), in container pixels. */
  function controlBoxes() {
    var box = S.map.getContainer().getBoundingClientRect(), out = [];
    S.map.getContainer().querySelectorAll(".leaflet-control").forEach(function (n) {
      var r = n.getBoundingClientRect();
      if (r.width && r.height) out.push([r.left - box.left, r.top - box.top, r.right - box.left, r.bottom - box.top]);
    });
    return out;
  }

  function overlap(a, b) {
    return Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0])) * Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
  }

  /** The top-left corners a w × h tooltip may take beside a marker at (x, y) on one side: centred on it,
      then slid along that side, a few pixels at a time, until the marker sits near one end. */
  function tipCorners(side, x, y, w, h) {
    var along = side === "right" || side === "left" ? h : w, ks = [along / 2];
    for (var d = 6; along / 2 - d >= 12; d += 6) ks.push(along / 2 - d, along / 2 + d);
    return ks.map(function (k) {
      if (side === "right") return [x + TIP_GAP, y - k];
      if (side === "left") return [x - TIP_GAP - w, y - k];
      if (side === "top") return [x - k, y - TIP_GAP - h];
      return [x - k, y + TIP_GAP];
    });
  }

  /** Leaflet's tooltip placed where it is whole and clear of the controls, trying the side away from the
      nearer edge first; when no place is, the clearest one, pushed back inside the map. The arrow keeps
      pointing at the marker. */
  var FitTooltip = L.Tooltip.extend({
    _setPosition: function (pos) {
      var map = this._map, c = this._container, size = map.getSize();
      var w = c.offsetWidth, h = c.offsetHeight, p = map.layerPointToContainerPoint(pos);
      var inside = [TIP_MARGIN, TIP_MARGIN, size.x - TIP_MARGIN, size.y - TIP_MARGIN], controls = controlBoxes();
      var sides = p.x < size.x / 2 ? TIP_SIDES : ["left", "right", "top", "bottom"];
      var best = null;
      sides.forEach(function (side) {
        tipCorners(side, p.x, p.y, w, h).forEach(function (xy) {
          var r = [xy[0], xy[1], xy[0] + w, xy[1] + h];
          var score = overlap(r, inside) - controls.reduce(function (sum, b) { return sum + overlap(r, b); }, 0);
          if (!best || score > best.score + 0.5) best = { side: side, xy: xy, score: score };
        });
      });
      var x = Math.min(Math.max(best.xy[0], inside[0]), Math.max(inside[0], inside[2] - w));
      var y = Math.min(Math.max(best.xy[1], inside[1]), Math.max(inside[1], inside[3] - h));
      TIP_SIDES.forEach(function (side) { L.DomUtil.removeClass(c, "leaflet-tooltip-" + side); });
      L.DomUtil.addClass(c, "leaflet-tooltip-" + best.side);
      var across = best.side === "right" || best.side === "left";
      var at = across ? p.y - y : p.x - x, length = across ? h : w;
      c.style.setProperty("--pare-arrow", Math.min(Math.max(at, 8), length - 8) + "px");
      L.DomUtil.setPosition(c, map.containerPointToLayerPoint(L.point(Math.round(x), Math.round(y))));
    }
  });

  // --- drawing the cells in view -------------------------------------------------------------------
  function pointLayer(p) {
    var layer = S.pointLayers.get(p);
    if (layer) return layer;
    var rec = recOf(p), t = typeOf(rec.type);
    layer = L.circleMarker([rec.lat, rec.lon], {
      renderer: S.renderer, radius: 7, weight: 2, color: t.colour, fillColor: t.colour,
      fillOpacity: rec.exact ? 0.85 : 0.15, dashArray: rec.exact ? null : "3 3"
    });
    layer.pareId = rec.id;
    layer.bindTooltip(new FitTooltip({ className: "pare-tip" }, layer).setContent(function () {
      return el("span", null, rec.name);
    }));
    layer.on("click", function () { openRecordPopup(p); clicked(rec.id); });
    S.pointLayers.set(p, layer);
    return layer;
  }

  function clusterLayer(z, c) {
    var L2 = lvl(z), k = L2.k[c];
    var size = k < 10 ? "small" : k < 100 ? "medium" : "large";
    var icon = el("div"); icon.appendChild(el("span", null, frNumber(k)));
    var latlng = [latOf(L2.sy[c] / k), lonOf(L2.sx[c] / k)];
    var layer = L.marker(latlng, {
      icon: L.divIcon({ html: icon, className: "marker-cluster marker-cluster-" + size, iconSize: L.point(40, 40) }),
      title: frNumber(k) + " structures", keyboard: true
    });
    layer.pareCluster = { z: z, c: c, k: k };
    layer.on("click", function () { clusterClicked(z, c); });
    return layer;
  }

  function redraw() {
    if (!S.levels || !S.map) return;
    var t0 = performance.now();
    var z = levelFor(S.map.getZoom()), L2 = lvl(z), n = Math.pow(2, z + 2);
    var b = S.map.getBounds().pad(0.15);
    var X0 = Math.max(0, Math.floor(wx(b.getWest()) * n)), X1 = Math.min(n - 1, Math.floor(wx(b.getEast()) * n));
    var Y0 = Math.max(0, Math.floor(wy(b.getNorth()) * n)), Y1 = Math.min(n - 1, Math.floor(wy(b.getSouth()) * n));
    var next = new Map();
    if ((X1 - X0 + 1) * (Y1 - Y0 + 1) > L2.count) {  // few cells at this level: walk them all
      for (var c = 0; c < L2.count; c++) {
        if (L2.X[c] >= X0 && L2.X[c] <= X1 && L2.Y[c] >= Y0 && L2.Y[c] <= Y1) keep(next, z, c);
      }
    } else {
      for (var Y = Y0; Y <= Y1; Y++) for (var X = X0; X <= X1; X++) {
        var cell = find(z, cellCode(z, X, Y));
        if (cell !== undefined) keep(next, z, cell);
      }
    }
    S.drawn.forEach(function (layer, key) { if (!next.has(key)) S.layer.removeLayer(layer); });
    next.forEach(function (layer, key) { if (!S.drawn.has(key)) S.layer.addLayer(layer); });
    S.drawn = next;
    S.redrawMs = performance.now() - t0;
  }

  function keep(next, z, c) {
    var L2 = lvl(z);
    if (L2.k[c] === 1) {
      var p = S.order[L2.start[c]], key = "p" + p;
      next.set(key, S.drawn.get(key) || pointLayer(p));
    } else {
      var ck = "c" + z + ":" + L2.code[c] + ":" + L2.k[c];
      var layer = S.drawn.get(ck) || S.clusterCache.get(ck);
      if (!layer) { layer = clusterLayer(z, c); S.clusterCache.set(ck, layer); }
      next.set(ck, layer);
    }
  }

  /** The points of a cell (its run in Morton order). */
  function membersOf(z, c, limit) {
    var L2 = lvl(z), k = L2.k[c];
    return { points: Array.from(S.order.subarray(L2.start[c], L2.start[c] + Math.min(k, limit))), total: k };
  }

  function clusterClicked(z, c) {
    var L2 = lvl(z);
    var n = Math.pow(2, z + 2), degenerate = (L2.x1[c] - L2.x0[c]) * n < 0.05 && (L2.y1[c] - L2.y0[c]) * n < 0.05;
    if (z < ZMAX && !degenerate && S.map.getZoom() < S.map.getMaxZoom()) {
      var bounds = L.latLngBounds([latOf(L2.y1[c]), lonOf(L2.x0[c])], [latOf(L2.y0[c]), lonOf(L2.x1[c])]);
      var target = Math.max(S.map.getBoundsZoom(bounds, false, L.point(40, 40)), Math.floor(S.map.getZoom()) + 1);
      S.map.setView(bounds.getCenter(), Math.min(target, ZMAX + 1), { animate: false });
      return;
    }
    listPopup(z, c);
  }

  /** Structures at the same place: a list in a popup, each name opens its own popup. */
  function listPopup(z, c) {
    var L2 = lvl(z), m = membersOf(z, c, LIST_LIMIT);
    var box = el("div", "pare-popup pare-list");
    box.appendChild(el("div", "pare-popup-name", frNumber(m.total) + " structures à cet endroit"));
    var ul = el("ul");
    m.points.forEach(function (p) {
      var rec = recOf(p), li = el("li"), b = button("pare-list-item", rec.name);
      b.insertBefore(swatch(typeOf(rec.type).colour, rec.exact), b.firstChild);
      b.addEventListener("click", function () { openRecordPopup(p); clicked(rec.id); });
      li.appendChild(b); ul.appendChild(li);
    });
    box.appendChild(ul);
    if (m.total > m.points.length) box.appendChild(el("div", "pare-side-more", "… et " + frNumber(m.total - m.points.length) + " autres"));
    openPopup([latOf(L2.sy[c] / L2.k[c]), lonOf(L2.sx[c] / L2.k[c])], box);
  }

  // --- popups: DOM nodes only, placed between the controls ---------------------------------------
  function popupContent(rec) {
    var t = typeOf(rec.type);
    var box = el("div", "pare-popup");
    box.appendChild(el("div", "pare-popup-name", rec.name));
    var type = el("div", "pare-popup-type");
    type.appendChild(swatch(t.colour, rec.exact));
    type.appendChild(el("span", null, " " + t.label));
    box.appendChild(type);
    var where = rec.commune || "Commune non renseignée";
    if (!rec.exact) where += " (position approximative)";
    box.appendChild(el("div", "pare-popup-commune", where));
    box.appendChild(el("div", "pare-popup-phone", rec.phone ? "Tél. " + rec.phone : "Pas de téléphone renseigné"));
    var open = rec.open === 1 ? "Ouvert maintenant" : rec.open === 0 ? "Fermé en ce moment" : "Horaires non renseignés";
    box.appendChild(el("div", "pare-popup-open pare-open-" + String(rec.open), open));
    return box;
  }

  /** Heights of the bands the controls take at the top and at the bottom of the map. */
  function bands() {
    var box = S.map.getContainer().getBoundingClientRect(), top = 0, bottom = 0;
    S.map.getContainer().querySelectorAll(".leaflet-top .leaflet-control").forEach(function (n) {
      var r = n.getBoundingClientRect(); if (r.height) top = Math.max(top, r.bottom - box.top);
    });
    S.map.getContainer().querySelectorAll(".leaflet-bottom .leaflet-control").forEach(function (n) {
      var r = n.getBoundingClientRect(); if (r.height) bottom = Math.max(bottom, box.bottom - r.top);
    });
    return { top: top, bottom: bottom, height: box.height };
  }

  function openPopup(latlng, content) {
    var b = bands();
    if (b.height - b.top - b.bottom < 200) { collapse(S.sideBox); collapse(S.legendBox); b = bands(); }
    var popup = L.popup({ maxWidth: 260, minWidth: 160, autoPanPaddingTopLeft: L.point(12, b.top + 8),
      autoPanPaddingBottomRight: L.point(12, b.bottom + 8), keepInView: false });
    popup.setLatLng(latlng).setContent(content).openOn(S.map);
    clearOfBands(popup, b);
    return popup;
  }

  /** After layout, a popup still reaching into a band (its final height was not known when Leaflet
      panned) is moved clear of it. */
  function clearOfBands(popup, b) {
    requestAnimationFrame(function () {
      var node = popup.getElement();
      if (!node || !S.map.hasLayer(popup)) return;
      var box = S.map.getContainer().getBoundingClientRect(), r = node.getBoundingClientRect();
      var top = r.top - box.top, bottom = box.bottom - r.bottom, dy = 0;
      if (top < b.top + 6) dy = top - (b.top + 8);
      else if (bottom < b.bottom + 6) dy = (b.bottom + 8) - bottom;
      if (dy) S.map.panBy([0, dy], { animate: false });
    });
  }

  function openRecordPopup(p) {
    var rec = recOf(p);
    return openPopup([rec.lat, rec.lon], popupContent(rec));
  }

  // --- controls: collapsible boxes, territory buttons ------------------------------------------------
  function collapse(box) { if (box && !box.classList.contains("pare-collapsed")) box.classList.add("pare-collapsed"); }

  function collapsible(box, title, label) {
    title.setAttribute("aria-expanded", String(!box.classList.contains("pare-collapsed")));
    title.title = label;
    title.addEventListener("click", function () {
      box.classList.toggle("pare-collapsed");
      title.setAttribute("aria-expanded", String(!box.classList.contains("pare-collapsed")));
    });
  }

  function legendControl() {
    var c = L.control({ position: "bottomright" });
    c.onAdd = function () {
      var box = el("div", "pare-box pare-legend" + (small() ? " pare-collapsed" : ""));
      L.DomEvent.disableClickPropagation(box); L.DomEvent.disableScrollPropagation(box);
      var title = button("pare-box-title", "Légende");
      collapsible(box, title, "Afficher ou masquer la légende");
      var list = el("ul");
      S.config.types.forEach(function (t) {
        var li = el("li"); li.appendChild(swatch(t.colour, true)); li.appendChild(el("span", null, " " + t.label));
        list.appendChild(li);
      });
      var exact = el("li", "pare-legend-sep"); exact.appendChild(swatch("#333333", true));
      exact.appendChild(el("span", null, " Adresse exacte")); list.appendChild(exact);
      var approx = el("li"); approx.appendChild(swatch("#333333", false));
      approx.appendChild(el("span", null, " Position approximative (commune)")); list.appendChild(approx);
      box.appendChild(title); box.appendChild(list);
      S.legendBox = box;
      return box;
    };
    return c;
  }

  function sideControl() {
    var c = L.control({ position: "topright" });
    c.onAdd = function () {
      var box = el("div", "pare-box pare-side" + (small() ? " pare-collapsed" : ""));
      L.DomEvent.disableClickPropagation(box); L.DomEvent.disableScrollPropagation(box);
      S.sideBox = box;
      return box;
    };
    return c;
  }

  function renderSide() {
    var box = S.sideBox; if (!box) return;
    box.replaceChildren();
    var items = S.sideShown;
    box.hidden = items.length === 0;
    var national = items.filter(function (r) { return r.national; }).length;
    var label = national === items.length ? "Structures nationales" : "Nationales ou sans localisation";
    var title = button("pare-box-title pare-side-title", label + " (" + frNumber(items.length) + ")");
    collapsible(box, title, "Afficher ou masquer les structures sans place sur la carte");
    box.appendChild(title);
    var list = el("ul");
    items.slice(0, SIDE_LIMIT).forEach(function (r) {
      var li = el("li", "pare-side-item"); li.tabIndex = 0;
      li.appendChild(swatch(typeOf(r.type).colour, true));
      li.appendChild(el("span", "pare-side-name", " " + r.name));
      if (r.phone) li.appendChild(el("span", "pare-side-phone", " — " + r.phone));
      li.title = typeOf(r.type).label + (r.national ? " — intervient partout en France" : " — sans localisation");
      li.addEventListener("click", function () { clicked(r.id); });
      list.appendChild(li);
    });
    box.appendChild(list);
    if (items.length > SIDE_LIMIT) box.appendChild(el("div", "pare-side-more", "… et " + frNumber(items.length - SIDE_LIMIT) + " autres"));
  }

  /** One-click buttons for France and every overseas territory, in a strip above the map (it covers none
      of it: the map takes the rest of the page). */
  function jumpStrip() {
    var box = el("nav", "pare-jumps");
    box.setAttribute("aria-label", "Aller à un territoire");
    box.appendChild(el("span", "pare-jumps-label", "Aller à :"));
    S.config.jumps.forEach(function (j) {
      var b = button("pare-jump", j.short || j.name, j.name);
      b.dataset.code = j.code;
      b.addEventListener("click", function () { api.jump(j.code); });
      box.appendChild(b);
    });
    var node = S.map.getContainer();
    node.parentNode.insertBefore(box, node);
    document.body.classList.add("pare-page");
    S.map.invalidateSize({ animate: false });
  }

  function clicked(id) {
    if (S.bridge && (S.index.has(id) || S.side.has(id))) S.bridge.structureClicked(String(id));
    document.body.dataset.pareClicked = String(id);
  }

  // --- base map: outlines from data files or inline JSON blocks ------------------------------------
  function loadJson(source) {
    if (source.charAt(0) === "#") {
      var node = document.getElementById(source.slice(1));
      return Promise.resolve(JSON.parse(node.textContent));
    }
    return fetch(source).then(function (r) { if (!r.ok) throw new Error(source + " " + r.status); return r.json(); });
  }

  /** Rings of a GeoJSON in world coordinates, with their boxes (projected once, drawn per tile). A ring
      that crosses the antimeridian is unwrapped (no line across the world) and also drawn one world over. */
  function rings(geojson) {
    var out = [];
    function shifted(parts, dx) {
      return parts.map(function (p) {
        var xy = Float64Array.from(p.xy);
        for (var i = 0; i < xy.length; i += 2) xy[i] += dx;
        return { xy: xy, box: [p.box[0] + dx, p.box[1], p.box[2] + dx, p.box[3]] };
      });
    }
    function polygon(coords) {
      var parts = coords.map(function (ring) {
        var xy = new Float64Array(ring.length * 2), x0 = Infinity, y0 = 1, x1 = -Infinity, y1 = 0, offset = 0, prev = null;
        for (var i = 0; i < ring.length; i++) {
          var lon = ring[i][0] + offset;
          if (prev !== null && lon - prev > 180) { offset -= 360; lon -= 360; }
          else if (prev !== null && lon - prev < -180) { offset += 360; lon += 360; }
          prev = lon;
          var x = (lon + 180) / 360, y = wy(ring[i][1]);
          xy[2 * i] = x; xy[2 * i + 1] = y;
          if (x < x0) x0 = x; if (x > x1) x1 = x; if (y < y0) y0 = y; if (y > y1) y1 = y;
        }
        return { xy: xy, box: [x0, y0, x1, y1] };
      });
      if (!parts.length) return;
      var box = parts[0].box;
      out.push({ parts: parts, box: box });
      if (box[2] > 1) out.push({ parts: shifted(parts, -1), box: [box[0] - 1, box[1], box[2] - 1, box[3]] });
      if (box[0] < 0) out.push({ parts: shifted(parts, 1), box: [box[0] + 1, box[1], box[2] + 1, box[3]] });
    }
    (geojson.features || [geojson]).forEach(function (f) {
      var g = f.geometry || f;
      if (!g) return;
      if (g.type === "Polygon") polygon(g.coordinates);
      else if (g.type === "MultiPolygon") g.coordinates.forEach(polygon);
    });
    return out;
  }

  /** The base map as canvas tiles: only the outlines that cross a tile are drawn in it, and Leaflet
      keeps the tiles while panning (a zoom draws the tiles in view, not every outline of the world). */
  var OutlineTiles = L.GridLayer.extend({
    createTile: function (coords) {
      var tile = document.createElement("canvas"), dpr = window.devicePixelRatio || 1, size = this.getTileSize();
      tile.width = size.x * dpr; tile.height = size.y * dpr;
      var ctx = tile.getContext("2d"), scale = size.x * Math.pow(2, coords.z);
      var ox = coords.x * size.x, oy = coords.y * size.y, m = 2 / scale;
      var tx0 = ox / scale - m, ty0 = oy / scale - m, tx1 = (ox + size.x) / scale + m, ty1 = (oy + size.y) / scale + m;
      ctx.scale(dpr, dpr);
      (this.options.layers || []).forEach(function (layer) {
        ctx.fillStyle = layer.fill; ctx.strokeStyle = layer.stroke; ctx.lineWidth = layer.weight; ctx.lineJoin = "round";
        layer.rings.forEach(function (poly) {
          var b = poly.box;
          if (b[2] < tx0 || b[0] > tx1 || b[3] < ty0 || b[1] > ty1) return;
          ctx.beginPath();
          poly.parts.forEach(function (part) {
            var xy = part.xy, n = xy.length / 2, lx = -9, ly = -9;
            for (var i = 0; i < n; i++) {
              var px = xy[2 * i] * scale - ox, py = xy[2 * i + 1] * scale - oy;
              if (i === 0) ctx.moveTo(px, py);
              else if (i === n - 1 || Math.abs(px - lx) + Math.abs(py - ly) > 0.7) ctx.lineTo(px, py);
              else continue;
              lx = px; ly = py;
            }
            ctx.closePath();
          });
          ctx.fill("evenodd"); ctx.stroke();
        });
      });
      return tile;
    }
  });

  function drawOutlines() {
    var world = S.config.data.world, outlines = S.config.data.outlines;
    var pane = S.map.createPane("pare-outlines"); pane.style.zIndex = 150;
    var styles = [];
    if (world) styles.push(loadJson(world).then(function (g) {
      return { rings: rings(g), fill: "#e6e2d8", stroke: "#9aa5ad", weight: 0.6 };
    }));
    if (outlines) styles.push(loadJson(outlines).then(function (g) {
      return { rings: rings(g), fill: "#fbfaf6", stroke: "#7b8794", weight: 0.8 };
    }));
    return Promise.all(styles).then(function (layers) {
      new OutlineTiles({ pane: "pare-outlines", layers: layers, noWrap: true, updateWhenZooming: false,
        keepBuffer: 3, maxZoom: S.config.maxZoom }).addTo(S.map);
    }).catch(function (e) { console.error("Fond de carte : " + e); });
  }

  function addBackgrounds() {
    var overlays = {};
    if (S.config.osm) {
      // Turned on by the user in the settings: shown at once (only the tiles in view are requested).
      var osm = L.tileLayer(S.config.osm.url, { maxZoom: S.config.maxZoom, attribution: S.config.osm.attribution });
      overlays["OpenStreetMap (en ligne)"] = osm;
      osm.addTo(S.map);
    }
    S.config.backgrounds.forEach(function (b) {
      var opts = { minZoom: 0, maxNativeZoom: b.maxNativeZoom, maxZoom: S.config.maxZoom, attribution: b.attribution };
      if (b.bounds) opts.bounds = L.latLngBounds([b.bounds[1], b.bounds[0]], [b.bounds[3], b.bounds[2]]);
      var layer = L.tileLayer(b.url, opts);
      overlays[b.name] = layer;
      layer.addTo(S.map);
    });
    if (Object.keys(overlays).length) {
      L.control.layers({}, overlays, { position: "topleft", collapsed: true }).addTo(S.map);
    }
  }

  // --- engines: our grid (default), Leaflet.markercluster (the benchmark's anchor) -------------------
  var grid = {
    show: function (sel) {
      S.levels = buildLevels(sel);
      S.clusterCache = new Map();
      S.drawn.forEach(function (layer) { S.layer.removeLayer(layer); });
      S.drawn = new Map();
      redraw();
    },
    points: function () {
      var n = 0; S.drawn.forEach(function (l, k) { if (k.charAt(0) === "p") n++; }); return n;
    },
    clusters: function () {
      var out = []; S.drawn.forEach(function (l) { if (l.pareCluster) out.push(l); }); return out;
    }
  };

  var markercluster = {
    show: function (sel, done) {
      S.layer.clearLayers();
      if (!sel.length) return false;  // addLayers([]) reports no progress
      var layers = []; for (var i = 0; i < sel.length; i++) layers.push(pointLayer(sel[i]));
      S.onAdded = done; S.layer.addLayers(layers);
      return true;
    },
    points: function () { return 0; },
    clusters: function () { return []; }
  };

  function makeLayerGroup() {
    if (S.config.clusterer === "markercluster") {
      S.engine = markercluster;
      return L.markerClusterGroup({ chunkedLoading: true, chunkInterval: 150, showCoverageOnHover: false,
        chunkProgress: function (done, total) { if (done === total && S.onAdded) { var f = S.onAdded; S.onAdded = null; f(); } },
        maxClusterRadius: 50, spiderfyOnMaxZoom: true, removeOutsideVisibleBounds: true, animate: false });
    }
    S.engine = grid;
    S.map.on("moveend", redraw);
    return L.layerGroup();
  }

  // --- framing the question ----------------------------------------------------------------------
  function fitBox(box, maxZoom) {
    var bounds = L.latLngBounds([box[1], box[0]], [box[3], box[2]]);
    var size = S.map.getSize();
    if (size.x < 60 || size.y < 60) { S.pendingFrame = box; return; }  // hidden: framed when shown
    S.pendingFrame = null;
    var b = bands();
    S.map.fitBounds(bounds, { animate: false, paddingTopLeft: L.point(10, b.top + 4),
      paddingBottomRight: L.point(10, b.bottom + 4), maxZoom: maxZoom || S.config.maxZoom });
  }

  /** The bbox (west, south, east, north) of the shown markers, in the zone that holds most of them. */
  function markersBox() {
    if (!S.sel.length) return null;
    var zones = S.config.jumps, best = null;
    var boxes = zones.map(function () { return { n: 0, w: 180, s: 90, e: -180, no: -90 }; });
    var other = { n: 0, w: 180, s: 90, e: -180, no: -90 };
    for (var i = 0; i < S.sel.length; i++) {
      var r = S.rows[S.sel[i]], lat = r[S.iLat] / 1e5, lon = r[S.iLon] / 1e5, target = other;
      for (var j = 0; j < zones.length; j++) {
        var bb = zones[j].bbox;
        if (lon >= bb[0] - 0.5 && lon <= bb[2] + 0.5 && lat >= bb[1] - 0.5 && lat <= bb[3] + 0.5) { target = boxes[j]; break; }
      }
      target.n++;
      if (lon < target.w) target.w = lon; if (lon > target.e) target.e = lon;
      if (lat < target.s) target.s = lat; if (lat > target.no) target.no = lat;
    }
    boxes.concat([other]).forEach(function (b) { if (b.n && (!best || b.n > best.n)) best = b; });
    var pad = 0.02;
    return [best.w - pad, best.s - pad, best.e + pad, best.no + pad];
  }

  // --- the API Python (or the export) drives ---------------------------------------------------------
  var api = {
    init: function (map, config) {
      S.map = map; S.config = config;
      map.setMaxZoom(config.maxZoom); map.setMinZoom(1);
      map.attributionControl.setPrefix("Leaflet | Natural Earth");
      S.renderer = L.canvas({ padding: 0.5 });
      S.layer = makeLayerGroup();
      S.layer.addTo(map);
      map.on("moveend", function () {  // the view, for whoever reads the page (tests of the export)
        var b = map.getBounds();
        document.body.dataset.pareView = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]
          .map(function (v) { return v.toFixed(4); }).join(" ");
      });
      map.on("popupopen", function () { S.popup = true; });
      map.on("popupclose", function () { S.popup = false; });
      map.on("resize", function () {
        if (S.pendingFrame) fitBox(S.pendingFrame);
        else if (S.frameMarkers === "waiting" && S.levels) api.frame(S.lastFrame);
      });
      addBackgrounds();
      jumpStrip(); L.control.scale({ imperial: false, position: "bottomleft" }).addTo(map);
      sideControl().addTo(map); legendControl().addTo(map);
      renderSide();
      api.frame(config.frame || { kind: "bbox", bbox: config.jumps[0].bbox });
      var outlines = drawOutlines();
      var inline = config.data.records;
      if (inline) outlines.then(function () { return loadJson(inline); }).then(function (p) { api.load(p); api.show(null); });
      outlines.then(function () { S.ready = true; document.body.dataset.pareReady = "1"; });
      if (config.channel && window.qt && window.qt.webChannelTransport) {
        new QWebChannel(window.qt.webChannelTransport, function (channel) {
          S.bridge = channel.objects.pareBridge;
          S.bridge.pageReady();
        });
      }
    },

    /** Replaces (or, with merge, updates) the known records from a payload {fields, sideFields, markers, side}. */
    load: function (payload, merge) {
      var t0 = performance.now();
      S.pre = merge ? null : payload.clusters || null;
      if (!merge) {
        S.rows = []; S.index = new Map(); S.side.clear(); S.pointLayers.clear();
        S.sel = new Int32Array(0); S.selKey = null; S.levels = null;
        S.drawn.forEach(function (layer) { S.layer.removeLayer(layer); }); S.drawn = new Map();
      }
      var f = payload.fields, iLat = f.indexOf("lat_e5"), iLon = f.indexOf("lon_e5"), start = S.rows.length;
      S.fields = f; S.iLat = iLat; S.iLon = iLon;
      var px = new Float64Array(start + payload.markers.length), py = new Float64Array(px.length);
      px.set(S.px.subarray(0, start)); py.set(S.py.subarray(0, start));
      var n = start;
      payload.markers.forEach(function (r) {
        var id = r[0], at = S.index.get(id);
        S.side.delete(id);
        if (at === undefined) { at = n++; S.index.set(id, at); }
        else S.pointLayers.delete(at);
        S.rows[at] = r; px[at] = wx(r[iLon] / 1e5); py[at] = wy(r[iLat] / 1e5);
      });
      S.px = px.subarray(0, n); S.py = py.subarray(0, n);
      payload.side.forEach(function (r) {
        var rec = row(r, payload.sideFields);
        if (!S.index.has(rec.id)) S.side.set(rec.id, rec);
      });
      S.selKey = null;  // the next show rebuilds
      S.loadMs = performance.now() - t0;
      return S.index.size + S.side.size;
    },

    /** Shows the given ids (null: every known record); the count is reported (document and host). */
    show: function (ids) {
      if (S.adding) { S.queued = { ids: ids }; return -1; }
      var t0 = performance.now(), side = [], picked = [];
      if (ids === null) {
        for (var a = 0; a < S.rows.length; a++) picked.push(a);
        S.side.forEach(function (s) { side.push(s); });
      } else {
        for (var i = 0; i < ids.length; i++) {
          var at = S.index.get(ids[i]);
          if (at !== undefined) { picked.push(at); continue; }
          var s = S.side.get(ids[i]);
          if (s) side.push(s);
        }
      }
      var sel = Int32Array.from(picked), key = sel.length + ":" + (ids === null ? "*" : ids.length) + ":" + hashOf(sel);
      S.sideShown = side;
      renderSide();
      document.body.dataset.pareSide = String(side.length);
      var done = function () {
        S.adding = false;
        S.timing = { ms: performance.now() - t0, markers: sel.length, loadMs: S.loadMs };
        document.body.dataset.pareMarkers = String(sel.length);
        if (S.frameMarkers === "waiting") api.frame(S.lastFrame);
        if (S.bridge) S.bridge.markersShown(sel.length);
        if (S.queued) { var q = S.queued; S.queued = null; api.show(q.ids); }
      };
      if (key === S.selKey) { done(); return sel.length; }
      S.selKey = key; S.sel = sel;
      S.map.closePopup();
      if (S.engine.show(sel, done)) S.adding = true; else done();
      return sel.length;
    },

    /** Frames the question: {kind: "bbox", bbox} | {kind: "around", lat, lon, km} | {kind: "markers", bbox}. */
    frame: function (f) {
      S.lastFrame = f; S.frameMarkers = null;
      if (f.kind === "around") { api.around(f.lat, f.lon, f.km); return true; }
      api.clearAround();
      if (f.kind === "markers") {
        var box = markersBox();
        if (!box) { S.frameMarkers = "waiting"; fitBox(f.bbox); return false; }
        fitBox(box, 13);
        return true;
      }
      fitBox(f.bbox);
      return true;
    },

    /** After the next show, frame the markers (used when the question changed before the results). */
    frameAfterShow: function (f) { S.lastFrame = f; S.frameMarkers = "waiting"; },

    /** Centres the map on a structure at a useful zoom and opens its popup; false when it is not shown. */
    focus: function (id) {
      var p = S.index.get(id);
      if (p === undefined || !S.levels || cellOf(p, ZMAX) === undefined) return false;
      var rec = recOf(p), alone = aloneFrom(p), cur = S.map.getZoom();
      var target = Math.max(cur, Math.min(Math.max(alone, 9), 14));
      S.map.closePopup();
      S.map.setView([rec.lat, rec.lon], target, { animate: false });
      openRecordPopup(p);
      return true;
    },

    fit: function (west, south, east, north) { fitBox([west, south, east, north]); },

    jump: function (code) {
      var j = S.config.jumps.filter(function (x) { return x.code === code; })[0];
      if (j) fitBox(j.bbox);
      return !!j;
    },

    around: function (lat, lon, radiusKm) {
      if (S.around) S.map.removeLayer(S.around);
      S.around = L.circle([lat, lon], { radius: radiusKm * 1000, color: "#0b6e99", weight: 2, fill: false,
        dashArray: "6 4", interactive: false }).addTo(S.map);
      var b = S.around.getBounds();
      fitBox([b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]);
    },

    clearAround: function () { if (S.around) { S.map.removeLayer(S.around); S.around = null; } },

    state: function () {
      var c = S.map.getCenter(), b = S.map.getBounds();
      return JSON.stringify({ ready: S.ready, markers: S.sel.length, side: S.sideShown.length,
        lat: c.lat, lon: c.lng, zoom: S.map.getZoom(), popup: S.popup, timing: S.timing,
        bounds: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()],
        drawn: S.drawn.size, redrawMs: S.redrawMs, around: S.around ? [S.around.getLatLng().lat, S.around.getLatLng().lng, S.around.getRadius() / 1000] : null, points: S.engine.points(), clusters: S.engine.clusters().length });
    },

    /** Position of a marker in the page (tests, screenshots), or null when it is inside a cluster. */
    markerPoint: function (id) {
      var p = S.index.get(id), layer = p === undefined ? null : S.pointLayers.get(p);
      if (!layer || !S.map.hasLayer(layer)) return JSON.stringify(null);
      var pt = S.map.latLngToContainerPoint(layer.getLatLng()), box = S.map.getContainer().getBoundingClientRect();
      return JSON.stringify([pt.x + box.left, pt.y + box.top]);  // in the page (the view's widget)
    },

    /** Opens a marker's tooltip (tests, screenshots); false when the marker is not on the map. */
    tooltip: function (id) {
      var p = S.index.get(id), layer = p === undefined ? null : S.pointLayers.get(p);
      if (!layer || !S.map.hasLayer(layer)) return false;
      if (S.tipLayer && S.tipLayer !== layer) S.tipLayer.closeTooltip();
      S.tipLayer = layer; layer.openTooltip(); return true;
    },

    /** Clicks the biggest cluster in view (zoom in, or the list of what shares one place); its size. */
    openCluster: function () {
      var best = null;
      S.engine.clusters().forEach(function (l) { if (!best || l.pareCluster.k > best.pareCluster.k) best = l; });
      if (best) clusterClicked(best.pareCluster.z, best.pareCluster.c);
      return best ? best.pareCluster.k : 0;
    },

    clusterCount: function () { return S.engine.clusters().length; },

    /** Each control's box and the map's (tests: nothing covers too much, popups stay clear). */
    layout: function () {
      function rect(n) { var r = n.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; }
      var controls = [];
      S.map.getContainer().querySelectorAll(".leaflet-control").forEach(function (n) {
        if (n.getBoundingClientRect().height) controls.push({ cls: n.className, rect: rect(n) });
      });
      var popup = S.map.getContainer().querySelector(".leaflet-popup");
      return JSON.stringify({ map: rect(S.map.getContainer()), controls: controls, popup: popup ? rect(popup) : null });
    }
  };

  /** Calls that need the records wait while a fetched payload is on its way (order is kept). */
  function afterLoad(name) {
    var fn = api[name];
    api[name] = function () {
      var args = arguments;
      if (S.loading) { S.pending.push(function () { fn.apply(api, args); }); return -1; }
      return fn.apply(api, args);
    };
  }
  ["show", "focus", "frame", "frameAfterShow"].forEach(afterLoad);

  /** Fetches a JSON document the host holds for us; results are used in call order. */
  function fetchThen(url, use) {
    S.loading++;
    var got = fetch(url).then(function (r) { if (!r.ok) throw new Error(url + " " + r.status); return r.json(); });
    S.chain = S.chain.then(function () { return got; }).then(use)
      .catch(function (e) { console.error("Données de la carte : " + e); })
      .then(function () {
        if (--S.loading) return;
        var pending = S.pending; S.pending = [];
        pending.forEach(function (f) { f(); });
      });
  }
  api.loadUrl = function (url, merge) { fetchThen(url, function (p) { api.load(p, merge); }); };
  api.showUrl = function (url) {
    var slot = { ids: null, got: false };
    S.pending.push(function () { if (slot.got) api.show(slot.ids); });
    fetchThen(url, function (ids) { slot.ids = ids; slot.got = true; });
  };

  function hashOf(sel) {
    var h = 0;
    for (var i = 0; i < sel.length; i++) h = (Math.imul(h, 31) + sel[i]) | 0;
    return h;
  }

  window.PareMap = api;

  document.addEventListener("DOMContentLoaded", function () {
    var node = document.querySelector(".folium-map");
    var config = JSON.parse(document.getElementById("pare-config").textContent);
    api.init(window[node.id], config);
  });
})();
