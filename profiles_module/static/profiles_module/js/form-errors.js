/* A form sent back with problems: the focus goes to their summary when the form has one
 * (publication and edit forms), otherwise to the first field in error (contact forms),
 * so that a screen reader reads it and the keyboard starts there. Without this script
 * the browser leaves the focus at the top of the page. */
(function () {
  "use strict";
  var target =
    document.getElementById("error-summary") ||
    document.querySelector("form.fv-form [aria-invalid=true]");
  if (!target) return;
  target.focus();
  // A page opened at a #fragment (the contact forms post to #contact) is scrolled there
  // once loaded, which takes the focus back to the page: give it to the errors again.
  window.addEventListener("load", function () {
    if (!document.activeElement || document.activeElement === document.body) target.focus();
  });
})();
