/* The map of a MapPage: counts per grid cell at national zoom, points when zoomed in.
 * Options come from the json_script "fv-map-options"; markers link to the profile pages.
 * The list and the filter form work without this script. */
(function () {
  "use strict";
  var element = document.querySelector("[data-fv-map]");
  if (!element || !window.L) return;
  var options = JSON.parse(document.getElementById("fv-map-options").textContent);
  var tiles = JSON.parse(document.getElementById("fv-map-tiles").textContent);
  var MAX_ZOOM = 16;

  var map = L.map(element, { maxZoom: MAX_ZOOM, minZoom: 3, scrollWheelZoom: false });
  L.tileLayer(tiles.url, Object.assign({ maxZoom: MAX_ZOOM }, tiles.options)).addTo(map);
  if (options.bounds) {
    map.fitBounds(options.bounds, { padding: [24, 24], maxZoom: 11 });
  } else {
    map.setView(options.centre, options.zoom);
  }

  var points = L.markerClusterGroup({ maxClusterRadius: 50, spiderfyOnMaxZoom: true });
  var cells = L.layerGroup();
  points.addTo(map);
  cells.addTo(map);
  var request = 0;
  var mode = "";
  // Profile markers on the map by uid. Each fetch adds and removes only what changed,
  // and never the marker whose popup is open: opening a popup pans the map (autoPan),
  // which fetches again, and a full redraw would close the popup under the pointer.
  var markers = {};

  function cellIcon(count) {
    var size = count < 10 ? 34 : count < 100 ? 42 : count < 1000 ? 50 : 58;
    return L.divIcon({
      className: "fv-cell",
      html: "<span>" + count + "</span>",
      iconSize: [size, size],
    });
  }

  function profileMarker(feature) {
    var c = feature.geometry.coordinates;
    var p = feature.properties;
    var marker = L.marker([c[1], c[0]], { title: p.name, alt: p.name, keyboard: true });
    var link = document.createElement("a");
    link.href = p.url;
    link.textContent = p.name;
    marker.bindPopup(link);
    marker.fvUrl = p.url;
    return marker;
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

  function load() {
    var b = map.getBounds();
    var bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]
      .map(function (v) { return Math.max(-180, Math.min(180, v)).toFixed(4); });
    bbox[1] = Math.max(-90, bbox[1]);
    bbox[3] = Math.min(90, bbox[3]);
    var url = options.endpoint + "&zoom=" + map.getZoom() + "&bbox=" + bbox.join(",");
    var mine = ++request;
    element.setAttribute("aria-busy", "true");
    fetch(url, { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data || mine !== request) return;
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
          data.features.forEach(function (feature) {
            var c = feature.geometry.coordinates;
            var count = feature.properties.count;
            total += count;
            L.marker([c[1], c[0]], { icon: cellIcon(count), keyboard: true, title: String(count) })
              .on("click", function () { map.setView([c[1], c[0]], Math.min(map.getZoom() + 2, MAX_ZOOM)); })
              .addTo(cells);
          });
        }
        element.dataset.mode = data.mode;
        element.dataset.count = String(total);
      })
      .finally(function () {
        if (mine === request) element.removeAttribute("aria-busy");
      });
  }

  map.on("moveend", load);
  load();
})();
