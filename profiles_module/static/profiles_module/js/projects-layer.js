/* The projects of the national database as a second layer of the map page, off until the
 * visitor ticks "Afficher les projets". search-map.js hands over its Leaflet map with the
 * "fv:map-ready" event; the markers come from the projects' GeoJSON, fetched once. */
(function () {
  "use strict";
  var box = document.querySelector("[data-fv-projects]");
  if (!box) return;
  var text = box.dataset;
  var checkbox = box.querySelector("input[type=checkbox]");
  var status = box.querySelector("[role=status]");
  var layer = null;
  var map = null;

  function link(href, label) {
    var a = document.createElement("a");
    a.href = href;
    a.textContent = label;
    return a;
  }

  function popup(p) {
    var content = document.createElement("div");
    content.className = "fv-project-popup";
    var title = document.createElement("p");
    var name = document.createElement("strong");
    name.textContent = p.name;
    title.appendChild(name);
    var details = [p.commune, p.kind, p.status].filter(Boolean).join(" · ");
    if (details) title.appendChild(document.createTextNode(" — " + details));
    content.appendChild(title);
    [[p.url, text.pageLabel], [p.source_url, text.sourceLabel]].forEach(function (pair) {
      if (!pair[0]) return;
      var line = document.createElement("p");
      var a = link(pair[0], pair[1]);
      if (pair[0] === p.source_url) a.rel = "noopener";
      line.appendChild(a);
      content.appendChild(line);
    });
    return content;
  }

  function marker(feature) {
    var c = feature.geometry.coordinates;
    var p = feature.properties;
    var label = text.markerLabel.replace("{name}", p.name);
    var icon = L.divIcon({
      className: "fv-marker-icon",
      html: "<span class=\"fv-marker fv-marker--project\"></span>",
      iconSize: [22, 22],
    });
    var m = L.marker([c[1], c[0]], { icon: icon, title: label, keyboard: true, zIndexOffset: 500 });
    m.on("add", function () { m.getElement().setAttribute("aria-label", label); });
    m.bindPopup(popup(p), { minWidth: 200, maxWidth: 320 });
    m.on("popupopen", function () {
      var element = m.getPopup().getElement();
      var first = element.querySelector("a");
      if (first) first.focus();
      // Leaflet closes a popup on Escape only while the map itself has the focus.
      if (!element.fvEscape) {
        element.fvEscape = true;
        element.addEventListener("keydown", function (event) {
          if (event.key !== "Escape") return;
          m.closePopup();
          if (m.getElement()) m.getElement().focus();
        });
      }
    });
    return m;
  }

  function say(template, count) {
    status.textContent = template.replace("{count}", count);
  }

  function show() {
    if (layer) {
      layer.addTo(map);
      say(layer.getLayers().length === 1 ? text.loadedOne : text.loadedOther, layer.getLayers().length);
      return;
    }
    fetch(text.url, { headers: { Accept: "application/geo+json, application/json" } })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(); })
      .then(function (data) {
        layer = L.layerGroup(data.features.map(marker));
        if (checkbox.checked) show();
      })
      .catch(function () { status.textContent = text.failed; checkbox.checked = false; });
  }

  checkbox.addEventListener("change", function () {
    if (!map) return;
    if (checkbox.checked) {
      show();
    } else if (layer) {
      map.removeLayer(layer);
      status.textContent = "";
    }
  });

  document.addEventListener("fv:map-ready", function (event) {
    map = event.detail.map;
    box.hidden = false;
    if (checkbox.checked) show();  // ticked before the map was ready (a restored form)
  });
})();
