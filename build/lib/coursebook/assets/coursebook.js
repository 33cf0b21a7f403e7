// coursebook: remembered checklist ticks and the schedule's "next lecture" marker.
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

  function start() {
    setUpChecklists();
    markNextLecture();
    setUpPrinting();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
