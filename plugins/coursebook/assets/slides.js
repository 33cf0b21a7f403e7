// coursebook decks: start reveal.js, then shrink every slide that does not fit its frame.
(function () {
  "use strict";
  var root = document.documentElement;
  var config = JSON.parse(document.getElementById("cb-deck-config").textContent);
  var query = new URLSearchParams(window.location.search);
  var printing = query.has("print-pdf");
  var withNotes = printing && query.has("notes");
  var NOTES_HEIGHT = 480; // under the 720px slide, on a 1280×1200 page (see slides.css)
  // A reader who asked for less motion gets no bouncing "next" arrow and no animations.
  var still = window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  // A CSS zoom that keeps layout: the content reflows at the smaller size, like a shrunk font.
  function fits(frame, content) {
    var outer = frame.getBoundingClientRect();
    var inner = content.getBoundingClientRect();
    var style = window.getComputedStyle(frame);
    var scale = outer.height / frame.offsetHeight || 1;
    var room = outer.height - (parseFloat(style.paddingTop) + parseFloat(style.paddingBottom)) * scale;
    var width = outer.width - (parseFloat(style.paddingLeft) + parseFloat(style.paddingRight)) * scale;
    if (inner.height > room + 0.5 || inner.width > width + 0.5) return false;
    var wide = content.querySelectorAll("pre, table, .arithmatex, img");
    for (var i = 0; i < wide.length; i++) {
      if (wide[i].scrollWidth > wide[i].clientWidth + 1) return false;
    }
    return true;
  }

  function shrink(frame, content, minimum) {
    content.style.zoom = "";
    if (fits(frame, content)) return 1;
    content.style.zoom = String(minimum);
    if (!fits(frame, content)) return null;
    var low = minimum;
    var high = 1;
    for (var step = 0; step < 7; step++) {
      var middle = (low + high) / 2;
      content.style.zoom = String(middle);
      if (fits(frame, content)) low = middle;
      else high = middle;
    }
    content.style.zoom = String(low);
    return low;
  }

  function fitAll() {
    var overflowing = [];
    var scales = [];
    // In print layout reveal.js wraps each slide in a .pdf-page.
    var sections = document.querySelectorAll(
      ".reveal .slides > section, .reveal .slides > .pdf-page > section"
    );
    sections.forEach(function (section, index) {
      var frame = section.querySelector(".cb-slide__frame");
      var content = section.querySelector(".cb-slide__content");
      if (!frame || !content) return;
      var display = section.style.display;
      section.style.display = "block";
      var scale = shrink(frame, content, config.minScale);
      section.style.display = display;
      scales.push(scale === null ? config.minScale : scale);
      if (scale === null) {
        section.setAttribute("data-cb-overflow", "");
        overflowing.push({ index: index, title: section.getAttribute("data-cb-title") || "" });
      } else {
        section.removeAttribute("data-cb-overflow");
      }
    });
    return { overflowing: overflowing, scales: scales };
  }

  function placeNotesUnderSlides() {
    root.classList.add("cb-print-notes");
    var page = document.createElement("style");
    page.textContent = "@page { size: 1280px 1200px; margin: 0; }";
    document.head.appendChild(page);
    document.querySelectorAll(".reveal .speaker-notes-pdf").forEach(function (notes) {
      notes.style.zoom = "";
      for (var zoom = 1; zoom > 0.45 && notes.getBoundingClientRect().height > NOTES_HEIGHT; zoom -= 0.05) {
        notes.style.zoom = String(zoom);
      }
    });
  }

  // reveal.js hides every slide but the current one from assistive technology; on paper they
  // are all there, and Chromium builds the PDF's tags and outline from what is not hidden.
  function exposeAllSlides() {
    document.querySelector(".reveal").removeAttribute("role");
    document.querySelectorAll(".reveal .slides section").forEach(function (section) {
      section.removeAttribute("hidden");
      section.removeAttribute("aria-hidden");
    });
  }

  function mathReady() {
    var mathjax = window.MathJax;
    if (!mathjax || !mathjax.startup || !mathjax.startup.promise) return Promise.resolve();
    return mathjax.startup.promise;
  }

  // reveal.js's speaker view (its notes plugin writes the page into an about:blank pop-up, so
  // it is same-origin) has an unnamed layout <select>, untitled slide frames and timer zeros
  // at 2.09:1. Patched here, when the view says it is connected, and not in the vendored
  // notes.js, so that scripts/refresh-vendor.sh can replace that file as it is.
  var SPEAKER_VIEW_CSS =
    // Black at 0.55 on white is #737373, 4.74:1: still muted beside the running digits.
    ".speaker-controls-time span.mute { opacity: 0.55; }";
  function patchSpeakerView(view) {
    var doc = view.document;
    if (!doc || doc.documentElement.hasAttribute("data-cb-speaker-view")) return;
    var layout = doc.querySelector(".speaker-layout-dropdown");
    if (layout) layout.setAttribute("aria-label", "Layout");
    var frames = { "#current-slide iframe": "Current slide", "#upcoming-slide iframe": "Upcoming slide" };
    Object.keys(frames).forEach(function (selector) {
      var frame = doc.querySelector(selector);
      if (frame) frame.setAttribute("title", frames[selector]);
    });
    var style = doc.createElement("style");
    style.textContent = SPEAKER_VIEW_CSS;
    doc.head.appendChild(style);
    doc.documentElement.setAttribute("data-cb-speaker-view", "patched");
  }
  window.addEventListener("message", function (event) {
    if (event.origin !== window.location.origin || typeof event.data !== "string") return;
    var data;
    try { data = JSON.parse(event.data); } catch (error) { return; }
    if (!data || data.namespace !== "reveal-notes" || data.type !== "connected") return;
    try { patchSpeakerView(event.source); } catch (error) { /* a view closed meanwhile */ }
  });

  var pdfReady = new Promise(function (resolve) {
    if (!printing) resolve();
    else Reveal.on("pdf-ready", resolve);
  });
  var started = Reveal.initialize({
    width: 1280,
    height: 720,
    margin: printing ? 0 : 0.04,
    center: false,
    hash: true,
    transition: "none",
    backgroundTransition: "none",
    controlsTutorial: !still,
    autoAnimate: !still,
    slideNumber: printing ? false : "c/t",
    pdfMaxPagesPerSlide: 1,
    pdfSeparateFragments: false,
    showNotes: withNotes,
    plugins: [window.RevealNotes],
  });
  // Layout: math typeset, fonts loaded, reveal's print layout done; only then measure.
  var loaded = new Promise(function (resolve) {
    if (document.readyState === "complete") resolve();
    else window.addEventListener("load", resolve, { once: true });
  });
  Promise.all([started, loaded])
    .then(function () { return Promise.all([mathReady(), document.fonts.ready, pdfReady]); })
    .then(function () {
      var result = fitAll();
      if (printing) exposeAllSlides();
      if (withNotes) placeNotesUnderSlides();
      window.coursebookDeck = result;
      Reveal.layout();
      root.setAttribute("data-cb-deck", "ready");
    });
})();
