// coursebook: remembered checklist ticks, the schedule's "next lecture" marker, and the term's
// current week, deadlines and assignment status marked by the reader's date.
(function () {
  "use strict";
  var PREFIX = "coursebook:criterion:";

  function storage() {
    try {
      var probe = PREFIX + "probe";
      window.localStorage.setItem(probe, "1");
      window.localStorage.removeItem(probe);
      return window.localStorage;
    } catch (error) {
      return null; // private mode or storage disabled: ticks simply are not remembered
    }
  }

  function setUpChecklists() {
    var store = storage();
    document.querySelectorAll(".cb-checklist").forEach(function (list) {
      var boxes = list.querySelectorAll("input.cb-checklist__box[data-cb-item]");
      var reset = list.querySelector(".cb-checklist__reset");
      boxes.forEach(function (box) {
        var key = PREFIX + box.getAttribute("data-cb-item");
        if (store) box.checked = store.getItem(key) === "1";
        box.addEventListener("change", function () {
          if (!store) return;
          if (box.checked) store.setItem(key, "1");
          else store.removeItem(key);
        });
      });
      if (reset && store) {
        reset.hidden = false;
        reset.addEventListener("click", function () {
          boxes.forEach(function (box) {
            box.checked = false;
            store.removeItem(PREFIX + box.getAttribute("data-cb-item"));
          });
        });
      }
    });
  }

  // The build marks the next lecture as of its own date; re-mark it for the reader's today.
  function markNextLecture() {
    var rows = document.querySelectorAll("tr.cb-schedule__row[data-date]");
    if (!rows.length) return;
    var today = new Date();
    var iso = [today.getFullYear(), ("0" + (today.getMonth() + 1)).slice(-2),
      ("0" + today.getDate()).slice(-2)].join("-");
    var marked = false;
    rows.forEach(function (row) {
      var isNext = !marked && row.getAttribute("data-date") >= iso;
      row.classList.toggle("cb-schedule__row--next", isNext);
      var badge = row.querySelector(".cb-schedule__next-badge");
      if (badge) badge.hidden = !isNext;
      if (isNext) marked = true;
    });
  }

  // Print: the light scheme and open <details> (CSS covers Chromium; this covers the rest),
  // restored afterwards.
  function setUpPrinting() {
    var body = document.body;
    var saved = null;
    var opened = [];
    window.addEventListener("beforeprint", function () {
      saved = body.getAttribute("data-md-color-scheme");
      if (saved && saved !== "default") body.setAttribute("data-md-color-scheme", "default");
      document.querySelectorAll("details:not([open])").forEach(function (details) {
        details.setAttribute("open", "");
        opened.push(details);
      });
    });
    window.addEventListener("afterprint", function () {
      if (saved) body.setAttribute("data-md-color-scheme", saved);
      opened.forEach(function (details) { details.removeAttribute("open"); });
      opened = [];
      document.documentElement.classList.remove("cb-print-no-input");
    });
    document.querySelectorAll("[data-cb-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        if (button.hasAttribute("data-cb-no-input")) {
          document.documentElement.classList.add("cb-print-no-input");
        }
        window.print();
      });
    });
  }

  // Notebook pages: an embedded player is fetched only when the reader asks for it.
  function setUpEmbeds() {
    document.querySelectorAll("[data-cb-embed]").forEach(function (embed) {
      var button = embed.querySelector(".cb-embed__load");
      var player = embed.querySelector("template.cb-embed__player");
      if (!button || !player) return;
      button.addEventListener("click", function () {
        var content = document.importNode(player.content, true);
        var frame = content.querySelector("iframe");
        if (frame) {
          var src = frame.getAttribute("src") || "";
          // The reader already clicked "play" once: start the video without a second click.
          if (/(youtube(-nocookie)?\.com|vimeo\.com)\//.test(src)) {
            frame.setAttribute("src", src + (src.indexOf("?") < 0 ? "?" : "&") + "autoplay=1");
          }
          frame.setAttribute("allow", (frame.getAttribute("allow") || "autoplay; fullscreen"));
        }
        button.replaceWith(content);
        embed.classList.add("cb-embed--loaded");
        if (frame) frame.focus();
      });
    });
  }

  // Notebook pages: long stream outputs scroll until the reader asks for all of them.
  function setUpLongOutputs() {
    document.querySelectorAll(".nb-long").forEach(function (block) {
      var toggle = block.querySelector(".nb-long__toggle");
      if (!toggle) return;
      toggle.hidden = false;
      toggle.addEventListener("click", function () {
        block.classList.add("nb-long--open");
        toggle.remove();
      });
    });
  }

  // Issue 25, the term: the build marks the current week, what is due soon and each
  // assignment's status as of its own day; mark them again by the reader's date (in the
  // course's time zone), so a site built days ago is right today.
  function dayIn(timeZone, when) {
    try {
      var parts = {};
      new Intl.DateTimeFormat("en-US", {
        timeZone: timeZone || undefined, year: "numeric", month: "2-digit", day: "2-digit"
      }).formatToParts(when).forEach(function (part) { parts[part.type] = part.value; });
      return parts.year + "-" + parts.month + "-" + parts.day;
    } catch (error) {
      return null; // an unknown zone: keep what the build marked
    }
  }

  function markTerm() {
    var now = new Date();
    document.querySelectorAll("[data-cb-weeks]").forEach(function (root) {
      var today = dayIn(root.getAttribute("data-cb-timezone"), now);
      if (!today) return;
      var onlyCurrent = root.hasAttribute("data-cb-only-current");
      var any = false;
      root.querySelectorAll(".cb-week[data-cb-start]").forEach(function (week) {
        var current = week.getAttribute("data-cb-start") <= today &&
          today <= week.getAttribute("data-cb-end");
        any = any || current;
        week.classList.toggle("cb-week--current", current);
        week.classList.toggle("cb-week--past", week.getAttribute("data-cb-end") < today);
        if (current) week.setAttribute("aria-current", "date");
        else week.removeAttribute("aria-current");
        if (onlyCurrent) week.hidden = !current;
      });
      var none = root.querySelector(".cb-this-week__none");
      if (none) none.hidden = any;
    });
    document.querySelectorAll("[data-cb-due-soon]").forEach(function (block) {
      var horizon = now.getTime() + Number(block.getAttribute("data-cb-days")) * 86400000;
      var any = false;
      block.querySelectorAll("[data-cb-due]").forEach(function (item) {
        var due = Date.parse(item.getAttribute("data-cb-due"));
        var soon = due >= now.getTime() && due <= horizon;
        item.hidden = !soon;
        any = any || soon;
      });
      var none = block.querySelector(".cb-due-soon__none");
      if (none) none.hidden = any;
    });
    var labels = { upcoming: "Upcoming", open: "Open", closed: "Closed" };
    document.querySelectorAll("[data-cb-status]").forEach(function (badge) {
      var release = Date.parse(badge.getAttribute("data-cb-release"));
      var due = Date.parse(badge.getAttribute("data-cb-due"));
      var state = release > now.getTime() ? "upcoming" : (due < now.getTime() ? "closed" : "open");
      Object.keys(labels).forEach(function (name) {
        badge.classList.toggle("cb-status--" + name, name === state);
      });
      badge.textContent = labels[state];
    });
  }

  // Boxes that scroll sideways (mkdocs-material's table wrappers, long outputs) can be reached
  // and scrolled by keyboard: a tab stop and a name, only while they do scroll (WCAG 2.1.1).
  var SCROLLERS = ".md-typeset__scrollwrap, .md-typeset pre.nb-output, .md-typeset .nb-long > pre";

  function scrollerName(box) {
    var table = box.querySelector("table");
    if (!table) return "Cell output";
    var caption = table.querySelector("caption");
    if (caption && caption.textContent.trim()) return "Table: " + caption.textContent.trim();
    var heads = Array.prototype.slice.call(table.querySelectorAll("thead th"), 0, 3)
      .map(function (cell) { return cell.textContent.trim(); })
      .filter(Boolean);
    return heads.length ? "Table: " + heads.join(", ") : "Table";
  }

  function markScroller(box) {
    var scrolls = box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1;
    if (scrolls && !box.hasAttribute("data-cb-scroll")) {
      box.setAttribute("data-cb-scroll", "");
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", scrollerName(box));
    } else if (!scrolls && box.hasAttribute("data-cb-scroll")) {
      ["data-cb-scroll", "tabindex", "role", "aria-label"].forEach(function (name) {
        box.removeAttribute(name);
      });
    }
  }

  // Reflow (WCAG 1.4.10): an inline formula wider than its column scrolls in its own box.
  function markWideMath() {
    document.querySelectorAll(".md-typeset span.arithmatex").forEach(function (formula) {
      // The drawing's width: an inline container's own box ends at the line's end.
      var math = formula.querySelector("mjx-container > svg, mjx-container");
      var column = formula.closest("p, li, td, th, dd, div, blockquote");
      if (!math || !column) return;
      formula.classList.remove("cb-math--wide");
      if (math.getBoundingClientRect().width > column.clientWidth) {
        formula.classList.add("cb-math--wide");
      }
    });
  }

  function setUpReachableScrolling() {
    var check = function () {
      markWideMath();
      document.querySelectorAll(SCROLLERS).forEach(markScroller);
    };
    // mkdocs-material wraps tables after this script starts; MathJax (async) has started by
    // the load event and typesets after it.
    window.addEventListener("load", function () {
      check();
      var mathjax = window.MathJax;
      if (mathjax && mathjax.startup && mathjax.startup.promise) mathjax.startup.promise.then(check);
    });
    var pending = null;
    window.addEventListener("resize", function () {
      if (pending) window.cancelAnimationFrame(pending);
      pending = window.requestAnimationFrame(check);
    });
    document.querySelectorAll(".nb-long__toggle").forEach(function (toggle) {
      toggle.addEventListener("click", function () { window.requestAnimationFrame(check); });
    });
    check();
  }

  function start() {
    setUpReachableScrolling();
    setUpEmbeds();
    setUpLongOutputs();
    setUpChecklists();
    markNextLecture();
    markTerm();
    setUpPrinting();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
