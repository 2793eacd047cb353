/* The map page's layout as its scripts want it, set before the page's first paint (this
 * file comes in the page's first script, run where the results end), so that nothing
 * moves under the visitor when the deferred scripts run later:
 * - on a phone the criteria fold behind their summary (how many are in use), so that the
 *   count and the results come first; not when the search did not understand one;
 * - the "copy the link" button shows where the browser can copy and the live search
 *   runs (search-live.js copies on click, and runs where this script marks the form);
 * - a criterion changed before the live search runs is noted for it;
 * - the buttons that show each far-apart part of the territory on the map show (the map
 *   is shorter then: map-first-view.js measures it after this; search-map.js moves the
 *   map on click). */
(function () {
  "use strict";
  var form = document.querySelector(".fv-filters");
  var results = document.querySelector(".fv-search__results");
  if (!form || !results || !window.fetch || !window.URLSearchParams
      || !("content" in document.createElement("template"))) return;
  // The live search (search-live.js) runs where this mark is, so that it and the layout
  // made for it never disagree on what the browser can do.
  form.dataset.fvLive = "";
  // A criterion changed before search-live.js runs (it comes once the page is painted)
  // is noted here, so that search-live.js searches it as soon as it runs.
  var early = window.fvEarlyCriteria = { changed: "", stop: null };
  function note(event) {
    if (event.type === "change") early.changed = "change";
    else if (event.target.name === "q" && !early.changed) early.changed = "typed";
  }
  form.addEventListener("change", note);
  form.addEventListener("input", note);
  early.stop = function () {
    form.removeEventListener("change", note);
    form.removeEventListener("input", note);
  };
  var criteria = document.querySelector("[data-fv-criteria]");
  if (criteria && window.matchMedia("(max-width: 47.99em)").matches
      && !results.querySelector(".fv-alert")) {
    criteria.open = false;
  }
  var share = document.querySelector("[data-fv-share]");
  if (share && navigator.clipboard) share.hidden = false;
  var areas = document.querySelector("[data-fv-map-areas]");
  if (areas) areas.hidden = false;
})();
