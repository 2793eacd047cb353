/* The small map of a profile page: its wished sectors (circles around communes, or the
 * centre of a département or région). Data from the json_script "fv-sector-map-data". */
(function () {
  "use strict";
  var element = document.querySelector("[data-fv-sector-map]");
  if (!element || !window.L) return;
  var data = JSON.parse(document.getElementById("fv-sector-map-data").textContent);
  if (!data.sectors.length) {
    element.hidden = true;
    return;
  }
  var map = L.map(element, { maxZoom: 14, scrollWheelZoom: false, zoomControl: false });
  // Leaflet's own texts are English: the page gives them in its language.
  var text = element.dataset;
  L.control.zoom({ zoomInTitle: text.zoomInText, zoomOutTitle: text.zoomOutText }).addTo(map);
  var credit = document.createElement("a");
  credit.href = "https://leafletjs.com";
  credit.title = text.leafletTitle;
  credit.textContent = "Leaflet";
  map.attributionControl.setPrefix(credit.outerHTML);
  L.tileLayer(data.tiles.url, Object.assign({ maxZoom: 14 }, data.tiles.options)).addTo(map);
  // The bounds come from the data, not from the shapes: a circle computes its own
  // bounds through the map's projection, which throws before the map has a view.
  var bounds = L.latLngBounds([]);
  var shapes = data.sectors.map(function (sector) {
    var centre = L.latLng(sector.lat, sector.lng);
    if (sector.radius_km) {
      bounds.extend(centre.toBounds(2 * sector.radius_km * 1000));
      return L.circle(centre, { radius: sector.radius_km * 1000 }).bindTooltip(sector.label);
    }
    bounds.extend(centre);
    // Named for screen readers, but not a button in the keyboard's path: pressing it
    // would do nothing, and the fiche lists its sectors in words.
    return L.marker(centre, { title: sector.label, alt: sector.label, keyboard: false });
  });
  map.fitBounds(bounds, { padding: [16, 16], maxZoom: 9 });
  L.featureGroup(shapes).addTo(map);
})();
