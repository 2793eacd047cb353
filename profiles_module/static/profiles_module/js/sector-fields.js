/* The sectors of the publication and edit forms: show only the fields of the chosen kind
 * of sector (a commune and its radius, a département or a région). Without this script
 * every field stays visible and the server ignores those of the other kinds. */
(function () {
  "use strict";
  document.querySelectorAll("[data-fv-sector]").forEach(function (sector) {
    var radios = sector.querySelectorAll('input[type="radio"][name$="-kind"]');
    var groups = sector.querySelectorAll("[data-fv-sector-kind]");

    function update() {
      var chosen = "";
      radios.forEach(function (radio) { if (radio.checked) chosen = radio.value; });
      groups.forEach(function (group) {
        // A field with an error stays visible, whatever the kind, so the error is seen.
        var hasError = group.querySelector(".errorlist") !== null;
        group.hidden = chosen !== "" && group.dataset.fvSectorKind !== chosen && !hasError;
      });
    }

    radios.forEach(function (radio) { radio.addEventListener("change", update); });
    update();
  });
})();
