/* Runs the page's main script (Leaflet, the map, the live search) once the criteria, the
 * first results and the map's first squares are on screen. A deferred script runs as
 * soon as the page is parsed, and when that came before a frame was due, its 50 to 80 ms
 * of evaluation delayed the results' first paint. The head's preload fetches the file
 * meanwhile. A hidden tab draws no frames: the timer then runs it anyway. */
(function () {
  "use strict";
  var preload = document.querySelector("link[data-fv-page-script]");
  if (!preload) return;
  var started = false;

  function run() {
    if (started) return;
    started = true;
    var script = document.createElement("script");
    script.src = preload.href;
    document.body.appendChild(script);
  }

  document.addEventListener("DOMContentLoaded", function () {
    // The frame's callbacks run before it is painted; the timer's, after.
    requestAnimationFrame(function () { setTimeout(run, 0); });
    setTimeout(run, 250);
  });
})();
