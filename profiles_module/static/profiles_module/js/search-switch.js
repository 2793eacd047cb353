/* Narrow screens show the results as a list or on the map, one at a time, with a switch
 * above them: stacked, the map pushed the list a screen down. Nothing is reloaded, so the
 * criteria, the list's page and the map's view stay as they were. The choice is kept for
 * the tab (sessionStorage): back from a fiche, the results show as they were left. Wide
 * screens (and pages without this script) show both. */
(function () {
  "use strict";
  var toggle = document.querySelector("[data-fv-switch]");
  var layout = document.querySelector(".fv-search__layout");
  var map = document.querySelector("[data-fv-map]");
  if (!toggle || !layout || !window.matchMedia) return;
  // Where the map and the list stop sitting side by side (search.css).
  var narrow = window.matchMedia("(max-width: 59.99em)");
  var KEY = "fv-results-shown-as";

  function remembered() {
    try { return sessionStorage.getItem(KEY); } catch (e) { return null; }  // private mode
  }

  function shown() {
    if (map) map.dispatchEvent(new CustomEvent("fv:shown"));
  }

  function show(which, remember) {
    layout.dataset.showing = which;
    toggle.querySelectorAll("[data-fv-show]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.dataset.fvShow === which));
    });
    if (which === "map") shown();
    if (remember) {
      try { sessionStorage.setItem(KEY, which); } catch (e) { /* private mode */ }
    }
  }

  function apply() {
    var mapWasHidden = layout.dataset.showing === "list";
    toggle.hidden = !narrow.matches;
    if (narrow.matches) {
      show(remembered() === "map" ? "map" : "list", false);
    } else {
      delete layout.dataset.showing;
      if (mapWasHidden) shown();
    }
  }

  toggle.addEventListener("click", function (event) {
    var button = event.target.closest("[data-fv-show]");
    if (button) show(button.dataset.fvShow, true);
  });
  narrow.addEventListener("change", apply);
  apply();
})();
