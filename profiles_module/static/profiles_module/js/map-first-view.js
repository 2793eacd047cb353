/* The map's first view, before Leaflet has run.
 *
 * Run once the map and the results are parsed, this small script works out the view the
 * map will open on (Leaflet's own Web Mercator arithmetic, for the map's size), then:
 * - draws the count squares the page came with for that view, where Leaflet will draw
 *   them, so that the map shows where the fiches are on the page's first paint (they
 *   are only a picture, hidden from screen readers: search-map.js replaces them with its
 *   own squares, buttons, as soon as the map is made);
 * - or, without them, asks for the view's data, twice as wide and high as the view: the
 *   page is still arriving, and its layout (a scroll bar, the results beside the map)
 *   may yet change the map's size a little. search-map.js takes the answer when it
 *   covers the view it really got, at the same zoom, and asks again otherwise: a wrong
 *   guess costs a request, never a wrong map.
 * The page's main script, Leaflet among its parts, runs once this first view is painted
 * (after-first-paint.js). */
(function () {
  "use strict";
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

  // A count square's size in pixels, by its count.
  function squareSize(count) {
    return count < 10 ? 34 : count < 100 ? 42 : count < 1000 ? 50 : 58;
  }

  // The squares of cells as the map shows them: one square for those that would overlap
  // on screen (a cell's fiches are drawn at their average point, which may lie near its
  // edge, next to its neighbour's), their counts summed, at the point their fiches
  // average, so that no count hides behind another. `squares` are {lat, lng, count};
  // `toPoint(lat, lng)` gives their place on screen ({x, y}). search-map.js uses it too.
  function apart(squares, toPoint) {
    var before;
    do {  // again while squares were merged: a merged square has moved
      before = squares.length;
      var kept = [];
      squares.forEach(function (square) {
        square.point = toPoint(square.lat, square.lng);
        var near = kept.find(function (other) {
          var dx = other.point.x - square.point.x, dy = other.point.y - square.point.y;
          return Math.sqrt(dx * dx + dy * dy) < (squareSize(other.count) + squareSize(square.count)) / 2;
        });
        if (!near) { kept.push(square); return; }
        var count = near.count + square.count;
        near.lat = (near.lat * near.count + square.lat * square.count) / count;
        near.lng = (near.lng * near.count + square.lng * square.count) / count;
        near.count = count;
        near.point = toPoint(near.lat, near.lng);
      });
      squares = kept;
    } while (squares.length < before);
    return squares;
  }

  // A count grouped by thousands as the page's own count is (the server's separator for
  // the language): toLocaleString would first load the language's data, tens of
  // milliseconds on every new page before the first count square could show.
  function grouped(count, separator) {
    return String(count).replace(/\B(?=(\d{3})+(?!\d))/g, separator);
  }

  // The view a shared address holds (?view=lat,lng,zoom), or null if it holds none that
  // the map can show.
  function sharedView() {
    var view = (new URLSearchParams(location.search).get("view") || "").split(",").map(Number);
    if (view.length === 3 && view.every(isFinite) && Math.abs(view[0]) <= 90
        && Math.abs(view[1]) <= 180 && view[2] >= MIN_ZOOM && view[2] <= MAX_ZOOM) {
      return { lat: view[0], lng: view[1], zoom: view[2] };
    }
    return null;
  }

  // search-map.js draws and places its squares with these, so that they match the first
  // view's.
  window.fvCountSquares = {
    size: squareSize, apart: apart, grouped: grouped, sharedView: sharedView,
  };

  var element = document.querySelector("[data-fv-map]");
  var source = document.getElementById("fv-map-options");
  var width = element && element.clientWidth;
  var height = element && element.clientHeight;
  // No map, or a hidden one (the list shown on a phone, search-switch.js having run):
  // nothing to draw or ask for.
  if (source && width && height) {
    firstView(JSON.parse(source.textContent));
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

  function firstView(options) {
    // The view search-map.js will set: a shared one, else the options' bounds or centre.
    var view = sharedView();
    if (view) {
      view.zoom = Math.round(view.zoom / SNAP) * SNAP;
    } else if (options.bounds) {
      view = fitted(options.bounds);
    } else {
      view = { lat: options.centre[0], lng: options.centre[1], zoom: options.zoom };
    }
    var centre = project(view.lat, view.lng, view.zoom);
    var zoom = Math.max(1, Math.floor(view.zoom));
    if (options.cells && options.cells[zoom]) {
      drawSquares(options.cells[zoom], view.zoom, centre, options.thousands);
      return;
    }
    var northWest = unproject(centre.x - width, centre.y - height, view.zoom);
    var southEast = unproject(centre.x + width, centre.y + height, view.zoom);
    var bbox = [
      Math.max(-180, northWest.lng), Math.max(-90, southEast.lat),
      Math.min(180, southEast.lng), Math.min(90, northWest.lat),
    ];
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
  }

  // The page's cells ([lng, lat, count]) in view, placed as Leaflet places a marker: at
  // its rounded projected point less the view's rounded top left corner, centred.
  function drawSquares(cells, zoom, centre, thousands) {
    var left = Math.round(centre.x - width / 2), top = Math.round(centre.y - height / 2);
    function toPoint(lat, lng) {
      var point = project(lat, lng, zoom);
      return { x: Math.round(point.x) - left, y: Math.round(point.y) - top };
    }
    var inView = cells.map(function (cell) {
      return { lat: cell[1], lng: cell[0], count: cell[2] };
    }).filter(function (square) {
      var point = toPoint(square.lat, square.lng);
      return point.x >= 0 && point.x <= width && point.y >= 0 && point.y <= height;
    });
    var picture = document.createElement("div");
    picture.className = "leaflet-container fv-first-view";
    picture.setAttribute("aria-hidden", "true");
    picture.dataset.fvFirstView = "";
    apart(inView, toPoint).forEach(function (square) {
      var size = squareSize(square.count);
      var icon = document.createElement("div");
      icon.className = "leaflet-marker-icon fv-cell";
      icon.style.cssText = "width:" + size + "px;height:" + size + "px;margin:" + (-size / 2)
        + "px 0 0 " + (-size / 2) + "px;transform:translate(" + square.point.x + "px,"
        + square.point.y + "px)";
      var shown = document.createElement("span");
      shown.textContent = grouped(square.count, thousands);
      icon.appendChild(shown);
      picture.appendChild(icon);
    });
    element.appendChild(picture);
  }
})();

