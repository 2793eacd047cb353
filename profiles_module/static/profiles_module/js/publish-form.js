/* The publication and edit forms: show one wished sector at a time, the next ones on
 * demand. Without this script every sector stays visible. (form-errors.js moves the
 * focus to the errors after a refused submission.) */
(function () {
  "use strict";

  var container = document.querySelector("[data-fv-sectors]");
  if (!container) return;
  var sectors = Array.prototype.slice.call(container.querySelectorAll("[data-fv-sector]"));
  if (sectors.length < 2) return;

  // A sector is in use when it holds a place, a stored sector or an error: it stays shown.
  function inUse(sector) {
    if (sector.querySelector(".errorlist")) return true;
    var filled = false;
    sector.querySelectorAll("input, select").forEach(function (field) {
      if (field.type === "radio" || field.type === "checkbox") return;
      if (/-(ORDER|DELETE|kind|radius_km)$/.test(field.name)) return;
      if (field.type === "hidden" && !/-id$/.test(field.name)) return;
      if (field.value !== "") filled = true;
    });
    return filled;
  }

  var shown = 1;
  sectors.forEach(function (sector, index) {
    if (index > 0 && inUse(sector)) shown = index + 1;
  });

  var button = document.createElement("button");
  button.type = "button";
  button.className = "fv-button fv-button--secondary";
  button.textContent = container.dataset.fvAddLabel;
  container.appendChild(button);

  function update() {
    sectors.forEach(function (sector, index) { sector.hidden = index >= shown; });
    // Removed rather than hidden: the button's class sets its display.
    if (shown >= sectors.length) button.remove();
  }

  button.addEventListener("click", function () {
    shown += 1;
    update();
    // The revealed sector's first choice takes the focus: the button may be gone.
    var first = sectors[shown - 1].querySelector("input:not([type=hidden]), select");
    if (first) first.focus();
  });
  update();
})();
