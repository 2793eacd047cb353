/* The map of a MapPage: counts per grid cell at national zoom, points when zoomed in.
 * Options come from the json_script "fv-map-options"; markers link to the profile pages.
 * The list and the filter form work without this script. */
(function () {
  "use strict";
  // After a search the page reloads at its top: bring keyboard and screen reader
  // users to the result count, not back through every criterion.
  var form = document.querySelector(".fv-filters");
  var count = document.getElementById("fv-results-count");
  if (form && count) {
    form.addEventListener("submit", function () {
      try { sessionStorage.setItem("fv-focus-results", "1"); } catch (e) { /* private mode */ }
    });
    try {
      if (sessionStorage.getItem("fv-focus-results")) {
        sessionStorage.removeItem("fv-focus-results");
        count.focus();
      }
    } catch (e) { /* storage refused: the page simply stays at its top */ }
  }

  var element = document.querySelector("[data-fv-map]");
  if (!element || !window.L) return;
  var options = JSON.parse(document.getElementById("fv-map-options").textContent);
  var tiles = JSON.parse(document.getElementById("fv-map-tiles").textContent);
  var MAX_ZOOM = 16;

  var text = element.dataset;
  // Counts grouped by thousands as the page's own count is (map-first-view.js).
  function grouped(count) {
    return window.fvCountSquares.grouped(count, options.thousands);
  }
  var map = L.map(element, {
    maxZoom: MAX_ZOOM, minZoom: 2, scrollWheelZoom: false, zoomControl: false,
    // Fractional zooms: a whole step could leave Brest or Corsica just outside.
    zoomSnap: 0.25,
  });
  // The picture of the first view's squares (map-first-view.js): the map draws its own.
  var picture = element.querySelector("[data-fv-first-view]");
  if (picture) picture.remove();
  // Leaflet's own texts are English: the page gives them in its language.
  L.control.zoom({ zoomInTitle: text.zoomInText, zoomOutTitle: text.zoomOutText }).addTo(map);
  var credit = document.createElement("a");
  credit.href = "https://leafletjs.com";
  credit.title = text.leafletTitle;
  credit.textContent = "Leaflet";
  map.attributionControl.setPrefix(credit.outerHTML);
  L.tileLayer(tiles.url, Object.assign({ maxZoom: MAX_ZOOM }, tiles.options)).addTo(map);
  // Other layers (projects-layer.js) get the map from this event.
  element.dispatchEvent(new CustomEvent("fv:map-ready", { bubbles: true, detail: { map: map } }));
  function fit(bounds) { map.fitBounds(bounds, { padding: [12, 12], maxZoom: 11 }); }
  // The bounds a hidden map (the list shown on a phone) could not fit, having no size:
  // fitted once it is shown (search-switch.js).
  var hiddenFit = null;
  // A shared address may hold the view it was shared with (?view=lat,lng,zoom).
  var shared = window.fvCountSquares.sharedView();
  if (shared) {
    map.setView([shared.lat, shared.lng], shared.zoom);
  } else if (options.bounds) {
    fit(options.bounds);
    if (element.offsetParent === null) hiddenFit = options.bounds;
  } else {
    map.setView(options.centre, options.zoom);
  }

  // The address keeps the view, so that a link or a reload shows the same place; so do
  // the results' links back from a fiche ("Retour à la recherche").
  function rememberView() {
    var centre = map.getCenter();
    var params = new URLSearchParams(location.search);
    params.set("view", [centre.lat.toFixed(4), centre.lng.toFixed(4), map.getZoom()].join(","));
    var here = location.pathname + "?" + params.toString();
    history.replaceState(history.state, "", here);
    document.querySelectorAll(".fv-search__list a[href*='back=']").forEach(function (link) {
      var url = new URL(link.href);
      url.searchParams.set("back", here);
      link.href = url.pathname + url.search;
    });
  }
  // Far-apart parts of the territory (overseas départements): one button each (shown by
  // search-layout.js).
  var areas = document.querySelector("[data-fv-map-areas]");
  if (areas) {
    areas.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-bounds]");
      if (!button) return;
      var b = button.dataset.bounds.split(",").map(Number);
      fit([[b[0], b[1]], [b[2], b[3]]]);
    });
  }

  // A group of nearby markers says what it holds ("12 fiches — zoomer"), as the count
  // squares do: Leaflet makes it a button, named by its text.
  function clusterIcon(cluster) {
    var count = cluster.getChildCount();
    var size = count < 10 ? "small" : count < 100 ? "medium" : "large";
    var html = document.createElement("div");
    var shown = document.createElement("span");
    shown.setAttribute("aria-hidden", "true");
    shown.textContent = grouped(count);
    var name = document.createElement("span");
    name.className = "fv-visually-hidden";
    name.textContent = cellLabel(count);
    html.append(shown, name);
    return L.divIcon({
      html: html.outerHTML, className: "marker-cluster marker-cluster-" + size, iconSize: [40, 40],
    });
  }

  // The searched circle around the chosen commune (none without a commune).
  var radius = L.layerGroup().addTo(map);
  function drawRadius() {
    radius.clearLayers();
    if (!options.radius) return;
    L.circle(options.radius.centre, {
      radius: options.radius.km * 1000, interactive: false, className: "fv-radius",
      color: "#1d5f8a", weight: 2, dashArray: "6 4", fillOpacity: 0.06,
    }).addTo(radius);
  }
  drawRadius();

  var points = L.markerClusterGroup({
    maxClusterRadius: 50, spiderfyOnMaxZoom: true, iconCreateFunction: clusterIcon,
  });
  var cells = L.layerGroup();
  points.addTo(map);
  cells.addTo(map);
  var request = 0;
  var mode = "";
  // Profile markers on the map by uid. Each fetch adds and removes only what changed,
  // and never the marker whose popup is open: opening a popup pans the map (autoPan),
  // which fetches again, and a full redraw would close the popup under the pointer.
  var markers = {};

  function cellLabel(count) {
    var template = count === 1 ? text.cellOne : text.cellOther;
    return template.replace("{count}", grouped(count));
  }

  function zoomOn(latlng) {
    map.setView(latlng, Math.min(map.getZoom() + 2, MAX_ZOOM));
  }

  // A count square: a button named by its count, zooming on click, Enter or Space.
  function cellMarker(latlng, count) {
    var label = cellLabel(count);
    var marker = L.marker(latlng, { icon: cellIcon(count), keyboard: true, title: label });
    marker.on("click", function () { zoomOn(latlng); });
    marker.on("add", function () {
      var icon = marker.getElement();
      icon.setAttribute("aria-label", label);
      icon.fvLatLng = latlng;
      icon.addEventListener("keydown", function (event) {
        if (event.key !== "Enter" && event.key !== " ") return;
        // Also stops Leaflet's keypress-to-click, which would zoom a second time.
        event.preventDefault();
        zoomOn(latlng);
      });
    });
    return marker;
  }

  // Redrawing the squares removes the focused one: give focus to the new square
  // nearest to where it was, or to the map itself, never to the page's body.
  function focusedCellPoint() {
    var active = document.activeElement;
    if (!active || !active.fvLatLng || !element.contains(active)) return null;
    return active.fvLatLng;
  }

  function restoreFocus(latlng) {
    if (!latlng) return;
    var target = map.latLngToContainerPoint(latlng);
    var best = null;
    var bestDistance = 80;
    cells.eachLayer(function (layer) {
      var distance = map.latLngToContainerPoint(layer.getLatLng()).distanceTo(target);
      if (distance < bestDistance) { best = layer; bestDistance = distance; }
    });
    (best && best.getElement() ? best.getElement() : element).focus();
  }

  var cellSize = window.fvCountSquares.size;  // map-first-view.js, as are the squares apart

  function cellIcon(count) {
    var size = cellSize(count);
    return L.divIcon({
      className: "fv-cell",
      html: "<span aria-hidden=\"true\">" + grouped(count) + "</span>",
      iconSize: [size, size],
    });
  }

  // A profile's marker: a shape and a colour per kind of profile, as the legend shows,
  // named with its kind for screen readers.
  function kindLabel(kind) {
    var item = document.querySelector(".fv-legend [data-kind='" + kind + "']");
    return item ? item.textContent.trim() : "";
  }

  function profileMarker(feature) {
    var c = feature.geometry.coordinates;
    var p = feature.properties;
    var kind = String(p.kind).replace(/[^a-z_]/g, "");
    // The shape is an inner element: Leaflet places the icon itself with a transform.
    var icon = L.divIcon({
      className: "fv-marker-icon",
      html: "<span class=\"fv-marker fv-marker--" + kind + "\"></span>",
      iconSize: [22, 22],
    });
    var marker = L.marker([c[1], c[0]], { icon: icon, title: p.name, keyboard: true });
    marker.on("add", function () {
      var label = kindLabel(kind);
      marker.getElement().setAttribute("aria-label", label ? p.name + " (" + label + ")" : p.name);
    });
    var link = document.createElement("a");
    link.href = p.url;
    link.textContent = p.name;
    marker.bindPopup(link, { minWidth: 240, maxWidth: 320 });
    marker.fvUrl = p.url;
    // The popup previews the fiche: its result card, fetched when opened, with its link
    // focused (Escape closes it and brings the focus back to the marker).
    marker.on("popupopen", function () {
      var url = options.cardEndpoint.replace(ZERO_UID, p.uid)
        + "?back=" + encodeURIComponent(location.pathname + location.search);
      fetch(url, { headers: { Accept: "text/html" } })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          if (html === null || !marker.isPopupOpen()) return;
          marker.setPopupContent(preview(html));
          var first = marker.getPopup().getElement().querySelector("a");
          if (first) first.focus();
        })
        .catch(function () { /* the name's link stays */ });
      link.focus();
      // Leaflet closes a popup on Escape only while the map itself has the focus.
      var element = marker.getPopup().getElement();
      if (!element.fvEscape) {
        element.fvEscape = true;
        element.addEventListener("keydown", function (event) {
          if (event.key !== "Escape") return;
          marker.closePopup();
          if (marker.getElement()) marker.getElement().focus();
        });
      }
    });
    return marker;
  }

  var ZERO_UID = "00000000-0000-0000-0000-000000000000";

  // A card as the list has it, its ids made its own (the same fiche may be listed too).
  function preview(html) {
    var card = new DOMParser().parseFromString(html, "text/html").querySelector("article");
    var heading = card.querySelector("[id]");
    if (heading) {
      heading.id += "-preview";
      card.setAttribute("aria-labelledby", heading.id);
    }
    card.classList.add("fv-card--preview");
    return document.importNode(card, true);
  }

  function showPoints(features) {
    var next = {};
    var added = [];
    features.forEach(function (feature) {
      var uid = feature.properties.uid;
      next[uid] = markers[uid] || profileMarker(feature);
      if (!markers[uid]) added.push(next[uid]);
    });
    var removed = [];
    Object.keys(markers).forEach(function (uid) {
      if (next[uid]) return;
      if (markers[uid].isPopupOpen()) next[uid] = markers[uid];
      else removed.push(markers[uid]);
    });
    points.removeLayers(removed);
    points.addLayers(added);
    markers = next;
  }

  function ask(url) {
    return fetch(url, { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; });
  }

  function load() {
    // A hidden map (the list shown on a phone) has no view: it asks once shown.
    if (element.offsetParent === null) return;
    var b = map.getBounds();
    var bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]
      .map(function (v) { return Math.max(-180, Math.min(180, v)).toFixed(4); });
    bbox[1] = Math.max(-90, bbox[1]);
    bbox[3] = Math.min(90, bbox[3]);
    // The API takes whole zooms; the map's may be fractional (zoomSnap).
    var zoom = Math.max(1, Math.floor(map.getZoom()));
    var url = options.endpoint + "&zoom=" + zoom + "&bbox=" + bbox.join(",");
    var mine = ++request;
    var fromPage = given(zoom);
    if (fromPage) {
      draw({ mode: "cells", features: fromPage });
      return;
    }
    element.setAttribute("aria-busy", "true");
    var early = prefetched(zoom, bbox.map(Number));
    // A wider area may hold too many profiles for markers where the view itself would not.
    var fits = function (data) { return data && (data.mode === "points" || zoom < options.pointsMinZoom); };
    (early ? early.then(function (data) { return fits(data) ? data : ask(url); }) : ask(url))
      .then(function (data) {
        if (!data || mine !== request) return;
        if (early) data.features = data.features.filter(inView);
        draw(data);
      })
      .finally(function () {
        if (mine === request) element.removeAttribute("aria-busy");
      });
  }

  // The count squares of cells, those that would overlap on screen merged into one.
  function apart(features) {
    var squares = features.map(function (feature) {
      var c = feature.geometry.coordinates;
      return { lat: c[1], lng: c[0], count: feature.properties.count };
    });
    return window.fvCountSquares.apart(squares, function (lat, lng) {
      return map.latLngToLayerPoint([lat, lng]);
    });
  }

  // The data of a view on the map: markers, or count squares.
  function draw(data) {
    var hadFocus = focusedCellPoint();
    if (data.mode !== mode) {
      points.clearLayers();
      cells.clearLayers();
      markers = {};
      mode = data.mode;
    }
    var total = 0;
    if (data.mode === "points") {
      showPoints(data.features);
      total = data.features.length;
    } else {
      cells.clearLayers();
      apart(data.features).forEach(function (square) {
        total += square.count;
        cellMarker(L.latLng(square.lat, square.lng), square.count).addTo(cells);
      });
    }
    restoreFocus(hadFocus);
    element.dataset.mode = data.mode;
    element.dataset.count = String(total);
    // What the map shows, for the browser tests (west,south,east,north).
    element.dataset.bounds = map.getBounds().toBBoxString();
    element.dataset.zoom = String(map.getZoom());
  }

  // The count squares the page came with (the whole search's, at the zooms already
  // counted for someone): the first view is drawn from them at once, in the same task
  // as the map, rather than after a request or after Leaflet's first frames. Taken
  // once: later views and searches ask.
  var givenCells = options.cells;
  function given(zoom) {
    var counted = givenCells && givenCells[zoom];
    givenCells = null;
    if (!counted) return null;
    return counted.map(function (cell) {
      return { geometry: { coordinates: [cell[0], cell[1]] }, properties: { count: cell[2] } };
    }).filter(inView);
  }

  // The first view's data, asked for by map-first-view.js before this script ran: taken
  // once, if it was asked for this search and zoom and covers the whole view.
  function prefetched(zoom, bbox) {
    var early = window.fvMapPrefetch;
    window.fvMapPrefetch = null;
    if (!early || early.endpoint !== options.endpoint || early.zoom !== zoom) return null;
    var b = early.bbox;
    if (b[0] > bbox[0] || b[1] > bbox[1] || b[2] < bbox[2] || b[3] < bbox[3]) return null;
    return early.data;
  }

  // Its margin around the view is left out: the map shows what the view holds.
  function inView(feature) {
    var c = feature.geometry.coordinates;
    return map.getBounds().contains([c[1], c[0]]);
  }

  // New criteria (search-live.js), before their page arrives: the map asks at once for
  // its view under them, beside the page's request rather than after it.
  element.addEventListener("fv:criteria", function (event) {
    var endpoint = new URL(options.endpoint, location.href);
    var query = new URLSearchParams(event.detail);
    ["page", "sort", "view"].forEach(function (name) { query.delete(name); });
    query.set("page_id", endpoint.searchParams.get("page_id"));
    options.endpoint = endpoint.pathname + "?" + query.toString();
    load();
  });

  function sameSearch(one, other) {
    var sorted = function (url) {
      return Array.from(new URL(url, location.href).searchParams.entries()).sort().join("&");
    };
    return sorted(one) === sorted(other);
  }

  // Whether the view already shows a search by place's results well: all in it, and not
  // lost in a corner of it (a département within a view of its region stays as it is).
  function showsWell(bounds) {
    var view = map.getBounds();
    var wanted = L.latLngBounds(bounds);
    if (!view.contains(wanted)) return false;
    var tall = (wanted.getNorth() - wanted.getSouth()) / (view.getNorth() - view.getSouth());
    var wide = (wanted.getEast() - wanted.getWest()) / (view.getEast() - view.getWest());
    return Math.max(tall, wide) >= 0.25;
  }

  // The new search's page: its canonical data address, and its profiles' extent.
  element.addEventListener("fv:results", function (event) {
    var asked = options.endpoint;
    options = event.detail;
    drawRadius();
    // A search by place moves the map to its results; other criteria leave it as it is.
    if (options.followsResults && options.bounds) {
      if (element.offsetParent === null) {
        hiddenFit = options.bounds;
      } else if (!showsWell(options.bounds)) {
        fit(options.bounds);  // then loads, once moved
        return;
      }
    }
    if (!sameSearch(asked, options.endpoint)) load();
  });

  // Shown again (search-switch.js): the map takes its size, and the view it missed, then
  // asks once for its data. Taking its size moves the map's corners (moveend), which
  // would otherwise ask for a view the fit is about to change.
  var resizing = false;
  element.addEventListener("fv:shown", function () {
    resizing = true;
    map.invalidateSize();
    resizing = false;
    if (hiddenFit) fit(hiddenFit);  // then loads, once moved
    else load();  // the view and the criteria it missed
    hiddenFit = null;
  });

  map.on("moveend", function () {
    rememberView();
    if (!resizing) load();
  });
  load();
})();
