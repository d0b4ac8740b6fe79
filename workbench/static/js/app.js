// Keyboard shortcuts for lists (j/k move, o or Enter opens). No inline script: CSP-safe.
(function () {
  "use strict";
  var current = -1;

  function items() {
    var list = document.querySelector("[data-nav-list]");
    return list ? Array.prototype.slice.call(list.querySelectorAll("[data-nav-item]")) : [];
  }

  function select(index) {
    var all = items();
    if (!all.length) return;
    index = Math.max(0, Math.min(all.length - 1, index));
    all.forEach(function (el) { el.classList.remove("nav-current"); });
    var el = all[index];
    el.classList.add("nav-current");
    var link = el.querySelector("a[href]");
    if (link) link.focus({ preventScroll: true });
    el.scrollIntoView({ block: "nearest" });
    current = index;
  }

  function typing(target) {
    var tag = (target.tagName || "").toLowerCase();
    return tag === "input" || tag === "textarea" || tag === "select" || target.isContentEditable;
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || typing(event.target)) return;
    if (event.key === "j") { select(current + 1); event.preventDefault(); }
    else if (event.key === "k") { select(current - 1); event.preventDefault(); }
    else if (event.key === "o") {
      var all = items();
      var el = all[current] || all[0];
      var link = el && el.querySelector("a[href]");
      if (link) { window.location.href = link.href; event.preventDefault(); }
    }
  });

  // After an htmx swap of the list, start again from the top.
  document.addEventListener("htmx:afterSwap", function () { current = -1; });
})();
