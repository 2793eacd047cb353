/* Where Leaflet's default marker finds its images (the fiche's map of sectors, the admin's
 * map field). Leaflet reads the address of marker-icon.png in its stylesheet and keeps its
 * folder; once collectstatic has given the files hashed names (marker-icon.<hash>.png) it
 * no longer recognises that address, and asks for marker-icon.png beside the page
 * instead: a 404, and a broken image where the marker should be. The folder is right,
 * and holds the images under their own names too (collectstatic and WhiteNoise keep
 * both), so it is taken from that address here, run right after leaflet.js. */
(function () {
  "use strict";
  if (!window.L || !document.body || typeof L.Icon.Default.imagePath === "string") return;
  var probe = document.createElement("div");
  probe.className = "leaflet-default-icon-path";
  document.body.appendChild(probe);
  var image = getComputedStyle(probe).backgroundImage;
  probe.remove();
  var address = /^url\(["']?(.+?)["']?\)$/.exec(image);
  if (address) L.Icon.Default.imagePath = address[1].replace(/[^/]*$/, "");
})();
