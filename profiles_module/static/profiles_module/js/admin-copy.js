// Copy buttons of the admin: a button with data-fv-copy="ID" copies the text of the
// field ID and says so in the live region data-fv-copy-status="ID" (no inline script,
// so it works under a strict Content-Security-Policy).
(function () {
  "use strict";

  // attribute: the status element's attribute holding the message; none empties it.
  function say(id, attribute) {
    var status = document.querySelector('[data-fv-copy-status="' + id + '"]');
    if (status) {
      status.textContent = attribute ? status.getAttribute(attribute) : "";
    }
  }

  function fallback(field, id) {
    // Older browsers, or a page not served over HTTPS: select and use the legacy command.
    field.focus();
    field.select();
    var copied = false;
    try {
      copied = document.execCommand("copy");
    } catch (error) {
      copied = false;
    }
    say(id, copied ? "data-fv-copied" : "data-fv-copy-failed");
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-fv-copy]");
    if (!button) {
      return;
    }
    var id = button.getAttribute("data-fv-copy");
    var field = document.getElementById(id);
    if (!field) {
      return;
    }
    // Emptied first, so that a second click is announced again.
    say(id, null);
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(
        function () {
          say(id, "data-fv-copied");
        },
        function () {
          fallback(field, id);
        }
      );
    } else {
      fallback(field, id);
    }
  });
})();
