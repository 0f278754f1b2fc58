/* The book's pages: draw the charts, and search every chapter (offline, from assets/search-index.js). */
(function () {
  "use strict";

  function drawFigures() {
    if (!window.Plotly) return;
    var figures = document.querySelectorAll(".plotly-figure");
    for (var i = 0; i < figures.length; i++) {
      var el = figures[i];
      var spec = JSON.parse(document.getElementById(el.id + "-data").textContent);
      // A figure made wider than the column (a phone, say) takes the column's width instead.
      if (spec.layout.width && el.clientWidth && spec.layout.width > el.clientWidth) delete spec.layout.width;
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
      var all = s.search(query), hits = all.slice(0, 12);
      if (!hits.length) {
        list.innerHTML = '<li class="none">Nothing found for “' + escapeHtml(query) + "”.</li>";
      } else {
        var count = '<li class="count">' + all.length + (all.length === 1 ? " section" : " sections") +
          (all.length > hits.length ? ", the best " + hits.length + " below" : "") + "</li>";
        list.innerHTML = count + hits.map(function (h) {
          var href = h.page + (h.anchor ? "#" + encodeURIComponent(h.anchor) : "");
          return '<li><a href="' + href + '"><span class="where">' + escapeHtml(h.chapter) + "</span>" +
            escapeHtml(h.section) + '<span class="snippet">' + snippet(h.text, h.terms) + "</span></a></li>";
        }).join("");
      }
      list.hidden = false;
      list.setAttribute("data-query", query); // which query the list shows (typing moves on)
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    drawFigures();
    var toggle = document.querySelector(".nav-toggle");
    if (toggle) {
      toggle.addEventListener("click", function () {
        var open = document.body.classList.toggle("nav-open");
        toggle.setAttribute("aria-expanded", String(open));
      });
      document.querySelectorAll(".sidebar a").forEach(function (a) {
        a.addEventListener("click", function () { document.body.classList.remove("nav-open"); });
      });
    }
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
    // "/" jumps to the search box, as on many documentation sites.
    document.addEventListener("keydown", function (e) {
      if (e.key === "/" && document.activeElement !== input && !/^(INPUT|TEXTAREA)$/.test(document.activeElement.tagName)) {
        e.preventDefault();
        input.focus();
      }
    });
  });
})();
