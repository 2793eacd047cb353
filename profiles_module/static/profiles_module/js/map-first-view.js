/* Asks for the map's first data while Leaflet is still on its way.
 *
 * search-map.js can only ask for the view's data once Leaflet has run and placed the
 * map; this small script, run once the map and the results are parsed, works out the view the map will
 * open on (Leaflet's own Web Mercator arithmetic, for the map's size) and starts that
 * request, twice as wide and high as the view: the page is still arriving, and its
 * layout (a scroll bar, the results beside the map) may yet change the map's size a
 * little. search-map.js takes the answer when it covers the view it really got, at the
 * same zoom, and asks again otherwise: a wrong guess costs a request, never a wrong map. */
(function () {
  "use strict";
  var element = document.querySelector("[data-fv-map]");
  var source = document.getElementById("fv-map-options");
  if (!element || !source || !window.fetch) return;
  var width = element.clientWidth;
  var height = element.clientHeight;
  if (!width || !height) return;  // hidden: the list is shown on a phone
  var options = JSON.parse(source.textContent);
  // The options search-map.js gives Leaflet.
  var MIN_ZOOM = 2, MAX_ZOOM = 16, FIT_MAX_ZOOM = 11, SNAP = 0.25, PADDING = 12;
  var MAX_LATITUDE = 85.0511287798;

  function project(lat, lng, zoom) {
    var scale = 256 * Math.pow(2, zoom);
    var sin = Math.sin(Math.max(-MAX_LATITUDE, Math.min(MAX_LATITUDE, lat)) * Math.PI / 180);
    return {
      x: scale * (lng / 360 + 0.5),
      y: scale * (0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI)),
    };
  }

  function unproject(x, y, zoom) {
    var scale = 256 * Math.pow(2, zoom);
    var n = Math.PI * (1 - 2 * y / scale);
    return { lat: Math.atan(Math.sinh(n)) * 180 / Math.PI, lng: (x / scale - 0.5) * 360 };
  }

  // Map.fitBounds with search-map.js's padding and maximum zoom.
  function fitted(bounds) {
    var sw = project(bounds[0][0], bounds[0][1], 0);
    var ne = project(bounds[1][0], bounds[1][1], 0);
    var scale = Math.min(
      (width - 2 * PADDING) / Math.abs(ne.x - sw.x),
      (height - 2 * PADDING) / Math.abs(sw.y - ne.y)
    );
    var zoom = Math.floor(Math.log2(scale) / SNAP) * SNAP;
    zoom = Math.min(FIT_MAX_ZOOM, Math.max(MIN_ZOOM, Math.min(MAX_ZOOM, zoom)));
    var factor = Math.pow(2, zoom);
    var centre = unproject((sw.x + ne.x) / 2 * factor, (sw.y + ne.y) / 2 * factor, zoom);
    return { lat: centre.lat, lng: centre.lng, zoom: zoom };
  }

  // The view search-map.js will set: a shared one, else the options' bounds or centre.
  var view;
  var shared = (new URLSearchParams(location.search).get("view") || "").split(",").map(Number);
  if (shared.length === 3 && shared.every(isFinite) && Math.abs(shared[0]) <= 90
      && Math.abs(shared[1]) <= 180 && shared[2] >= MIN_ZOOM && shared[2] <= MAX_ZOOM) {
    view = { lat: shared[0], lng: shared[1], zoom: Math.round(shared[2] / SNAP) * SNAP };
  } else if (options.bounds) {
    view = fitted(options.bounds);
  } else {
    view = { lat: options.centre[0], lng: options.centre[1], zoom: options.zoom };
  }
  var centre = project(view.lat, view.lng, view.zoom);
  var northWest = unproject(centre.x - width, centre.y - height, view.zoom);
  var southEast = unproject(centre.x + width, centre.y + height, view.zoom);
  var bbox = [
    Math.max(-180, northWest.lng), Math.max(-90, southEast.lat),
    Math.min(180, southEast.lng), Math.min(90, northWest.lat),
  ];
  var zoom = Math.max(1, Math.floor(view.zoom));
  // The page came with this zoom's count squares: nothing to ask for.
  if (options.cells && options.cells[zoom]) return;
  var url = options.endpoint + "&zoom=" + zoom
    + "&bbox=" + bbox.map(function (v) { return v.toFixed(4); }).join(",");
  window.fvMapPrefetch = {
    endpoint: options.endpoint,
    zoom: zoom,
    bbox: bbox,
    data: fetch(url, { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .catch(function () { return null; }),
  };
})();
