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
  var map = L.map(element, { maxZoom: 14, scrollWheelZoom: false });
  L.tileLayer(data.tiles.url, Object.assign({ maxZoom: 14 }, data.tiles.options)).addTo(map);
  var shapes = data.sectors.map(function (sector) {
    if (sector.radius_km) {
      return L.circle([sector.lat, sector.lng], { radius: sector.radius_km * 1000 }).bindTooltip(sector.label);
    }
    return L.marker([sector.lat, sector.lng], { title: sector.label, alt: sector.label });
  });
  var group = L.featureGroup(shapes).addTo(map);
  map.fitBounds(group.getBounds(), { padding: [16, 16], maxZoom: 9 });
})();
