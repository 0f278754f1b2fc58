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
      // Projected: the chart takes the slide's width and larger type than in the book.
      var layout = spec.layout;
      delete layout.width;
      layout.autosize = true;
      layout.height = Math.max(layout.height || 0, 560);
      layout.font = Object.assign({}, layout.font, { size: Math.max((layout.font && layout.font.size) || 0, 18) });
      window.Plotly.newPlot(el, spec.data, layout, { responsive: true, displaylogo: false }).then(function (gd) {
        // Measured again once the slide is laid out at its final size.
        window.Plotly.Plots.resize(gd);
      });
    }
  }

  // A slide with more text than fits is set smaller, step by step, down to 60 %, so that a
  // presenter moving with the arrow keys sees all of it (what is still taller scrolls).
  function fit(slide) {
    // Charts keep their size (smaller type would not make them shorter).
    if (!slide || slide.dataset.fitted || slide.querySelector(".plotly-figure")) return;
    slide.dataset.fitted = "1";
    for (var scale = 100; scale > 60 && slide.scrollHeight > slide.clientHeight + 2; scale -= 5) {
      slide.style.fontSize = (scale - 5) + "%";
    }
  }
  function show(slide) { fit(slide); draw(slide); }
  window.Reveal.initialize({
    hash: true, center: false, width: 1280, height: 800, margin: 0.04,
    transition: "none", controls: true, progress: true, slideNumber: "c/t",
  });
  window.Reveal.on("ready", function (e) { show(e.currentSlide); });
  window.Reveal.on("slidechanged", function (e) { show(e.currentSlide); });
})();
