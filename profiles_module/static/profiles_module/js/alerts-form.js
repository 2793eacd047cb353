/* The alert form of a map page saves the search the page shows now: the live search
 * changes the address's criteria without reloading, so the hidden field takes them from
 * the address when the form is sent (the server-rendered value serves without JS). */
(function () {
  "use strict";
  document.querySelectorAll("[data-fv-alert-form]").forEach(function (form) {
    form.addEventListener("submit", function () {
      var query = form.querySelector("[data-fv-alert-query]");
      if (query) query.value = window.location.search.replace(/^\?/, "");
    });
  });
})();
