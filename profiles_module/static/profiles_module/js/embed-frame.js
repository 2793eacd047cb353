/* Inside an embedded page: tell the partner's page how tall the content is, so that
 * embed.js (on the partner's page) can size the iframe and no inner scrollbar appears.
 * Only a height is sent, so any parent may receive it. */
(function () {
  "use strict";
  if (window.parent === window) return;
  var last = 0;
  function report() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    window.parent.postMessage({ type: "futurs-voisins:height", height: height }, "*");
  }
  if (window.ResizeObserver) new ResizeObserver(report).observe(document.documentElement);
  window.addEventListener("load", report);
  report();
})();
