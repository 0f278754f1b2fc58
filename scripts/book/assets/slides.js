/* Slides: start reveal.js, and draw each chart when its slide is first shown (a hidden slide has no size). */
(function () {
  "use strict";
  function draw(slide) {
    if (!window.Plotly || !slide) return;
    var figures = slide.querySelectorAll(".plotly-figure");
    for (var i = 0; i < figures.length; i++) {
      var el = figures[i];
      if (el.dataset.drawn) { window.Plotly.Plots.resize(el); continue; }
      el.dataset.drawn = "1";
      var spec = JSON.parse(document.getElementById(el.id + "-data").textContent);
      window.Plotly.newPlot(el, spec.data, spec.layout, { responsive: true, displaylogo: false });
    }
  }
  window.Reveal.initialize({
    hash: true, center: false, width: 1280, height: 800, margin: 0.04,
    transition: "none", controls: true, progress: true, slideNumber: "c/t",
  });
  window.Reveal.on("ready", function (e) { draw(e.currentSlide); });
  window.Reveal.on("slidechanged", function (e) { draw(e.currentSlide); });
})();
