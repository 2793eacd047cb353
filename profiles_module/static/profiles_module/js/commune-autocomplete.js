// Commune autocomplete: suggestions in a native <datalist> (keyboard and screen
// reader support come with it). Event delegation, so forms added later (Wagtail
// inline panels) work without initialisation. Used by the publication form (the
// picked commune's id goes in a hidden input) and the map page's search box (no
// hidden input: the picked label is sent and resolved on the server).
(function () {
  "use strict";
  var timers = new WeakMap();
  var choices = new WeakMap();

  function refresh(input) {
    var box = input.closest("[data-fv-commune]");
    var hidden = box.querySelector("[data-fv-commune-value]");
    var list = box.querySelector("datalist");
    var known = choices.get(input) || {};
    // A label picked from the list: keep its id. Anything else: no commune yet.
    // Without a hidden input (the map page's search box), the text itself is sent.
    var picked = known[input.value] || "";
    if (hidden) {
      hidden.value = picked;
    }
    var query = input.value.trim();
    if (query.length < 2 || picked) {
      return;
    }
    fetch(box.dataset.url + "?q=" + encodeURIComponent(query), {
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.ok ? response.json() : { results: [] };
      })
      .then(function (data) {
        var labels = {};
        list.replaceChildren();
        data.results.forEach(function (commune) {
          var option = document.createElement("option");
          option.value = commune.label;
          labels[commune.label] = String(commune.id);
          list.appendChild(option);
        });
        choices.set(input, labels);
        if (hidden) {
          hidden.value = labels[input.value] || "";
        }
      })
      .catch(function () {
        /* Offline: the server resolves the typed text on submit. */
      });
  }

  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("[data-fv-commune-input]")) {
      return;
    }
    clearTimeout(timers.get(input));
    timers.set(input, setTimeout(refresh, 150, input));
  });
})();
