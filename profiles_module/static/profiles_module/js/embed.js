/* On a partner's page, beside the iframes copied from the admin: resize each frame to
 * the height of its content. Messages are trusted only from this script's own origin
 * and from one of the page's Futurs voisins frames. */
(function () {
  "use strict";
  var script = document.currentScript;
  var origin = new URL(script.src).origin;
  // Styles set from a script, not in the copied HTML: a partner's CSP may refuse those.
  var all = document.querySelectorAll("iframe[data-futurs-voisins]");
  for (var j = 0; j < all.length; j++) {
    all[j].style.border = "0";
    all[j].style.width = "100%";
  }
  window.addEventListener("message", function (event) {
    if (event.origin !== origin || !event.data || event.data.type !== "futurs-voisins:height") return;
    var frames = document.querySelectorAll("iframe[data-futurs-voisins]");
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === event.source) {
        var height = Number(event.data.height);
        if (height > 0 && height < 100000) frames[i].style.height = height + "px";
      }
    }
  });
})();
