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
  var shown = "";  // what is on the map: redrawing the same markers would close popups

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
        var key = data.mode + JSON.stringify(data.features.map(function (f) {
          return f.properties.uid || [f.geometry.coordinates, f.properties.count];
        }));
        if (key === shown) return;
        shown = key;
        points.clearLayers();
        cells.clearLayers();
        var total = 0;
        if (data.mode === "points") {
          points.addLayers(data.features.map(profileMarker));
          total = data.features.length;
        } else {
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
