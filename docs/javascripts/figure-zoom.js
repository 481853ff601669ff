/* Full-size view for figures wider than their box.
 *
 * A figure (hooks/figures.py: figure.mg-figure > div.mg-figure__canvas > svg)
 * that is drawn wider than the column scrolls inside its box. This script gives
 * every such figure a "Full size" button; it opens the drawing at its natural
 * size in an overlay that fills the window, where it pans by scrolling, by
 * dragging, or with the arrow keys, and closes with Esc or the close button.
 * The button shows only while the figure does not fit (it is re-checked when
 * the box changes size: a window resize, a content tab opened), so a figure
 * that fits has no extra control. Without JavaScript the box still scrolls.
 */
(function () {
  "use strict";

  var FIGURE = "figure.mg-figure";
  var overlay = null; // the open overlay, if any
  var opener = null; // the button that opened it, focused again on close

  function overflows(canvas) {
    return canvas.clientWidth > 0 && canvas.scrollWidth > canvas.clientWidth + 1;
  }

  function update(figure) {
    var canvas = figure.querySelector(".mg-figure__canvas");
    var button = figure.querySelector(":scope > .mg-zoom");
    if (canvas && button) button.hidden = !overflows(canvas);
  }

  // Ids inside the copy get a suffix, and references to them follow, so the
  // copy neither duplicates the page's ids nor depends on the original.
  function renameIds(svg) {
    var renamed = {};
    svg.querySelectorAll("[id]").forEach(function (el) {
      renamed[el.id] = el.id + "-zoom";
      el.id = renamed[el.id];
    });
    var reference = /url\(#([^)]+)\)|^#(.+)$/;
    svg.querySelectorAll("*").forEach(function (el) {
      Array.prototype.forEach.call(el.attributes, function (attr) {
        var m = reference.exec(attr.value);
        var id = m && (m[1] || m[2]);
        if (id && renamed[id]) attr.value = attr.value.replace("#" + id, "#" + renamed[id]);
      });
    });
  }

  function close() {
    if (!overlay) return;
    overlay.remove();
    overlay = null;
    document.documentElement.classList.remove("mg-zoom-open");
    document.removeEventListener("keydown", onKey, true);
    if (opener) opener.focus();
    opener = null;
  }

  function onKey(event) {
    if (!overlay) return;
    if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation(); // Material's own Escape handling (search) stays out of it
      close();
    } else if (event.key === "Tab") {
      // Keep focus inside the dialog: the close button and the scrolling view.
      var stops = [overlay.querySelector(".mg-zoom-overlay__close"), overlay.querySelector(".mg-zoom-overlay__view")];
      var at = stops.indexOf(document.activeElement);
      event.preventDefault();
      stops[(at + (event.shiftKey ? stops.length - 1 : 1)) % stops.length].focus();
    }
  }

  // Pan by dragging with a mouse or pen; touch screens pan the scrolling view natively.
  // A press that moved more than a few pixels was a drag, not a click.
  function enableDrag(view) {
    var start = null;
    view.addEventListener("pointerdown", function (event) {
      if (event.pointerType === "touch" || event.button !== 0) return;
      start = {x: event.clientX, y: event.clientY, left: view.scrollLeft, top: view.scrollTop};
      view.dragged = false;
      view.setPointerCapture(event.pointerId);
      view.classList.add("mg-zoom-overlay__view--dragging");
    });
    view.addEventListener("pointermove", function (event) {
      if (!start) return;
      var dx = event.clientX - start.x, dy = event.clientY - start.y;
      if (Math.abs(dx) + Math.abs(dy) > 4) view.dragged = true;
      view.scrollLeft = start.left - dx;
      view.scrollTop = start.top - dy;
    });
    function stop() {
      start = null;
      view.classList.remove("mg-zoom-overlay__view--dragging");
    }
    view.addEventListener("pointerup", stop);
    view.addEventListener("pointercancel", stop);
  }

  function open(figure, button) {
    close();
    var canvas = figure.querySelector(".mg-figure__canvas");
    var svg = canvas && canvas.querySelector("svg");
    if (!svg) return;
    var name = canvas.getAttribute("aria-label") || "Figure";

    overlay = document.createElement("div");
    overlay.className = "mg-zoom-overlay";
    overlay.setAttribute("role", "dialog");
    overlay.setAttribute("aria-modal", "true");
    overlay.setAttribute("aria-label", "Full size: " + name);

    var bar = document.createElement("div");
    bar.className = "mg-zoom-overlay__bar";
    var hint = document.createElement("span");
    hint.className = "mg-zoom-overlay__hint";
    hint.textContent = "Drag, scroll or use the arrow keys to pan. Esc closes.";
    var closeButton = document.createElement("button");
    closeButton.type = "button";
    closeButton.className = "mg-zoom-overlay__close";
    closeButton.textContent = "Close";
    closeButton.setAttribute("aria-label", "Close the full-size figure");
    closeButton.addEventListener("click", close);
    bar.append(hint, closeButton);

    var view = document.createElement("div");
    view.className = "mg-zoom-overlay__view";
    view.tabIndex = 0; // focusable, so the arrow keys scroll it
    var copy = svg.cloneNode(true);
    renameIds(copy);
    copy.setAttribute("role", "img");
    copy.setAttribute("aria-label", name);
    var sheet = document.createElement("div");
    sheet.className = "mg-zoom-overlay__sheet";
    sheet.appendChild(copy);
    view.appendChild(sheet);
    enableDrag(view);
    // A click on the dark margin around the drawing closes, as on most image viewers.
    view.addEventListener("click", function (event) {
      if (event.target === view && !view.dragged) close();
    });

    overlay.append(bar, view);
    document.body.appendChild(overlay);
    document.documentElement.classList.add("mg-zoom-open");
    document.addEventListener("keydown", onKey, true);
    opener = button;
    view.focus();
  }

  var resizes = typeof ResizeObserver === "function"
    ? new ResizeObserver(function (entries) {
        entries.forEach(function (entry) {
          var figure = entry.target.closest(FIGURE);
          if (figure) update(figure);
        });
      })
    : null;

  function enhance(root) {
    root.querySelectorAll(FIGURE).forEach(function (figure) {
      if (figure.querySelector(":scope > .mg-zoom")) return update(figure);
      var canvas = figure.querySelector(".mg-figure__canvas");
      if (!canvas || !canvas.querySelector("svg")) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "mg-zoom";
      button.textContent = "Full size";
      button.setAttribute("aria-label", "Show full size: " + (canvas.getAttribute("aria-label") || "figure"));
      button.setAttribute("aria-haspopup", "dialog");
      button.hidden = true;
      button.addEventListener("click", function () { open(figure, button); });
      figure.insertBefore(button, canvas);
      update(figure);
      if (resizes) resizes.observe(canvas);
    });
  }

  function start() {
    close(); // an overlay left from the previous page (instant navigation)
    enhance(document);
  }

  // Figures drawn later (a graph from an example run in the page) get their button too.
  window.micrograd_enhanceFigures = enhance;

  // Material's instant navigation swaps pages without reloading scripts and
  // announces each new page on `document$`; without it, run once on load.
  if (typeof window.document$ !== "undefined" && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(start);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
  if (!resizes) window.addEventListener("resize", function () { enhance(document); });
})();
