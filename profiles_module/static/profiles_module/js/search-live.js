/* Live results on a MapPage: a changed criterion updates the count, the list, the counts
 * next to the choices and the map without loading the page again. The page itself is
 * fetched (the same URL the form would open), so the server stays the one place that
 * searches and renders; without this script the form's button does the same with a
 * page load. The address follows (replaceState): it can be shared or reloaded as is.
 * The count is a polite live region: screen readers hear the new count; focus stays on
 * the control just used. */
(function () {
  "use strict";
  var form = document.querySelector(".fv-filters");
  var results = document.querySelector(".fv-search__results");
  // search-layout.js, run before the page's first paint, marks the form where the
  // browser can fetch and read a page, and lays the page out for the live search there.
  if (!form || !results || !form.hasAttribute("data-fv-live")) return;
  var TYPING_PAUSE = 400;
  var timer = null;
  var request = 0;

  function address() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      // A value the server reads as it reads none (the radius's, the order's: the
      // select's data-fv-default) is left out: a shorter address to share, and the same
      // one as the page opened without it.
      var field = form.elements[name];
      if (value === "" || (field && field.dataset && field.dataset.fvDefault === value)) return;
      params.append(name, value);
    });
    var query = params.toString();
    return form.getAttribute("action") + (query ? "?" + query : "");
  }

  // The address of the new search keeps the map's view (search-map.js puts it there and
  // changes it when the search moves the map): a link copied after a search opens there.
  function withView(target) {
    var view = new URLSearchParams(location.search).get("view");
    if (!view) return target;
    var url = new URL(target, location.href);
    url.searchParams.set("view", view);
    return url.pathname + url.search;
  }

  function same(selector, from) {
    var mine = document.querySelector(selector);
    var theirs = from.querySelector(selector);
    if (mine && theirs) mine.innerHTML = theirs.innerHTML;
  }

  // A checkbox or a select's option, by its field's name and its value.
  function choiceKey(element) {
    return (element.name || element.closest("select").name) + "\u0000" + element.value;
  }

  function choiceCounts(from) {
    // One pass over each form: looking each choice up by a selector took longer than
    // the rest of the update.
    var mine = {};
    form.querySelectorAll("input[type=checkbox], select option").forEach(function (element) {
      mine[choiceKey(element)] = element;
    });
    from.querySelectorAll(".fv-filters input[type=checkbox], .fv-filters select option")
      .forEach(function (theirs) {
        var element = mine[choiceKey(theirs)];
        if (!element) return;
        if (theirs.tagName === "OPTION") {
          // A select's options carry their count in their text; the selected one stays.
          element.textContent = theirs.textContent;
          return;
        }
        var count = theirs.parentNode.querySelector(".fv-choice__count");
        var myCount = element.parentNode.querySelector(".fv-choice__count");
        if (count && myCount) myCount.textContent = count.textContent;
        element.closest("label").parentNode.className = theirs.closest("label").parentNode.className;
      });
  }

  function alerts(from) {
    var mine = results.querySelector(":scope > .fv-alert");
    var theirs = from.querySelector(".fv-search__results > .fv-alert");
    if (mine) mine.remove();
    if (theirs) document.getElementById("fv-results-count").after(document.importNode(theirs, true));
  }

  function update(then) {
    var target = address();
    var mine = ++request;
    results.setAttribute("aria-busy", "true");
    // The map fetches its own data for the new criteria meanwhile (search-map.js).
    var map = document.querySelector("[data-fv-map]");
    if (map) map.dispatchEvent(new CustomEvent("fv:criteria", { detail: target.split("?")[1] || "" }));
    fetch(target, { headers: { Accept: "text/html" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html === null || mine !== request) return;
        // Read in an inert template rather than a DOMParser document, which takes this
        // page's Content-Security-Policy: the new page's own <style> (an embedded page's
        // colours, under its own response's nonce) would be refused, a console error on
        // every search. Nothing in a template runs, loads or applies.
        var holder = document.createElement("template");
        holder.innerHTML = html;
        var page = holder.content;
        var count = document.getElementById("fv-results-count");
        var newCount = page.getElementById("fv-results-count");
        if (!newCount) return;
        count.textContent = newCount.textContent;
        alerts(page);
        same(".fv-search__list", page);
        same(".language-switch", page);  // its links keep the criteria
        same("[data-fv-criteria-count]", page);
        choiceCounts(page);
        var options = page.getElementById("fv-map-options");
        if (options && map) {
          document.getElementById("fv-map-options").textContent = options.textContent;
          var detail = JSON.parse(options.textContent);
          // Once the list is painted: moving the map to the results lays the page out
          // again, which the list need not wait for.
          requestAnimationFrame(function () {
            setTimeout(function () {
              map.dispatchEvent(new CustomEvent("fv:results", { detail: detail }));
            }, 0);
          });
        }
        history.replaceState(history.state, "", withView(target));
        results.dataset.search = target;  // what the list shows, for the browser tests
        if (then) then();
      })
      .catch(function () { /* offline: the form's button still loads the page */ })
      .finally(function () {
        if (mine === request) results.removeAttribute("aria-busy");
      });
  }

  function soon(delay) {
    clearTimeout(timer);
    // Busy from now: the list is about to change.
    results.setAttribute("aria-busy", "true");
    timer = setTimeout(update, delay);
  }

  // "Copy the link": the address, with the criteria and the map's view (shown by
  // search-layout.js).
  var share = document.querySelector("[data-fv-share]");
  if (share && navigator.clipboard) {
    var status = share.querySelector("[role=status]");
    share.querySelector("button").addEventListener("click", function () {
      navigator.clipboard.writeText(location.href).then(function () {
        status.textContent = status.dataset.copied;
      });
    });
  }

  // The commune box only once a commune is chosen (change): a half-typed name is not one.
  form.addEventListener("change", function () { soon(0); });
  form.addEventListener("input", function (event) {
    if (event.target.name === "q") soon(TYPING_PAUSE);
  });
  // The button (or Enter in a box) searches at once, then brings keyboard and screen
  // reader users to the result count, as a page load would (search-map.js).
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    try { sessionStorage.removeItem("fv-focus-results"); } catch (e) { /* private mode */ }
    update(function () { document.getElementById("fv-results-count").focus(); });
  });
  // A criterion changed while this script was on its way (search-layout.js noted it):
  // the list still shows the search the page was loaded with.
  var early = window.fvEarlyCriteria;
  if (early) {
    early.stop();
    if (early.changed) soon(early.changed === "change" ? 0 : TYPING_PAUSE);
  }
})();
