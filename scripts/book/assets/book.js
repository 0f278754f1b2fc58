/* The book's pages: draw the charts, and search every chapter (offline, from assets/search-index.js). */
(function () {
  "use strict";

  function drawFigures() {
    if (!window.Plotly) return;
    var figures = document.querySelectorAll(".plotly-figure");
    for (var i = 0; i < figures.length; i++) {
      var el = figures[i];
      var spec = JSON.parse(document.getElementById(el.id + "-data").textContent);
      window.Plotly.newPlot(el, spec.data, spec.layout, { responsive: true, displaylogo: false });
    }
  }

  // The search index and MiniSearch load on first use, as plain scripts (so the book also
  // works opened straight from disk, where pages may not fetch files).
  var search = null, loading = null;
  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = src; s.onload = resolve;
      s.onerror = function () { reject(new Error("could not load " + src)); };
      document.head.appendChild(s);
    });
  }
  function assets() {
    var me = document.querySelector('script[src$="book.js"]');
    return me.getAttribute("src").replace(/book\.js$/, "");
  }
  function ensureSearch() {
    if (search) return Promise.resolve(search);
    if (!loading) {
      var base = assets();
      loading = Promise.all([loadScript(base + "minisearch.js"), loadScript(base + "search-index.js")]).then(function () {
        search = new window.MiniSearch({
          fields: ["section", "text", "chapter"],
          storeFields: ["page", "anchor", "section", "chapter", "text"],
          searchOptions: { boost: { section: 3, chapter: 1.5 }, prefix: true, fuzzy: 0.15, combineWith: "AND" },
        });
        search.addAll(window.BOOK_SEARCH);
        return search;
      });
    }
    return loading;
  }
  function escapeHtml(s) {
    return String(s).replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; });
  }
  function snippet(text, terms) {
    var lower = text.toLowerCase(), at = -1;
    for (var i = 0; i < terms.length && at < 0; i++) at = lower.indexOf(terms[i].toLowerCase());
    var start = Math.max(0, at - 60), piece = text.slice(start, start + 180);
    var html = escapeHtml((start > 0 ? "…" : "") + piece + (start + 180 < text.length ? "…" : ""));
    terms.forEach(function (t) {
      if (t.length < 2) return;
      html = html.replace(new RegExp("(" + t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + ")", "gi"), "<mark>$1</mark>");
    });
    return html;
  }
  function showResults(query, list) {
    list.innerHTML = "";
    if (!query.trim()) { list.hidden = true; return; }
    ensureSearch().then(function (s) {
      var hits = s.search(query).slice(0, 12);
      if (!hits.length) {
        list.innerHTML = '<li class="none">Nothing found for “' + escapeHtml(query) + "”.</li>";
      } else {
        list.innerHTML = hits.map(function (h) {
          var href = h.page + (h.anchor ? "#" + encodeURIComponent(h.anchor) : "");
          return '<li><a href="' + href + '"><span class="where">' + escapeHtml(h.chapter) + "</span>" +
            escapeHtml(h.section) + '<span class="snippet">' + snippet(h.text, h.terms) + "</span></a></li>";
        }).join("");
      }
      list.hidden = false;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    drawFigures();
    var input = document.getElementById("search"), list = document.getElementById("search-results");
    if (!input) return;
    var timer = null;
    input.addEventListener("focus", function () { ensureSearch(); });
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { showResults(input.value, list); }, 120);
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { input.value = ""; list.hidden = true; }
      if (e.key === "Enter") { var first = list.querySelector("a"); if (first) window.location.href = first.href; }
    });
    document.addEventListener("click", function (e) { if (!e.target.closest(".search")) list.hidden = true; });
  });
})();
