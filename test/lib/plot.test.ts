/**
 * Plots and display: figure() conversions, the three forms of the display bundle, the Plotly
 * bundle sent once per process and fenced off from AMD/CommonJS, HTML escaping (run through
 * a script extractor that splits HTML the way a browser does), the text summary, and
 * display()'s two channels.
 */
import { createRequire } from "node:module";
import * as vm from "node:vm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { display, liveDisplay, type MimeBundle } from "../../lib/src/display";
import { ValueError } from "../../lib/src/errors";
import { Matrix } from "../../lib/src/matrix";
import { describeFigure, figure, plot, renderFigure } from "../../lib/src/plot";

type PlotModule = typeof import("../../lib/src/plot");

/** A fresh copy of plot.ts, as in a new kernel: its first figure carries the Plotly bundle. */
async function freshPlot(): Promise<PlotModule> {
  vi.resetModules();
  return import("../../lib/src/plot");
}

/**
 * The bodies of the <script> elements in `html`, cut where a browser cuts them: a script's
 * text ends at the first "</script" (any case), whatever JavaScript string it is inside.
 */
function scripts(html: string): string[] {
  const out: string[] = [];
  let at = 0;
  for (;;) {
    const open = html.indexOf("<script>", at);
    if (open < 0) return out;
    const body = open + "<script>".length;
    const close = html.slice(body).search(/<\/script/i);
    if (close < 0) throw new Error("unterminated <script>");
    out.push(html.slice(body, body + close));
    at = body + close;
  }
}

const traceXY = () => ({ name: "loss", mode: "lines", x: [1, 2, 3], y: [0.9, 0.5, 0.25] });

describe("figure()", () => {
  it("turns one-row and one-column matrices and typed arrays into plain arrays", () => {
    const fig = figure([
      { x: Matrix.column([1, 2, 3]), y: Matrix.row([4, 5, 6]) },
      { x: new Float64Array([0.5, 1.5]), y: new Float32Array([0.25, 0.75]) },
    ]);
    expect(fig.data[0].x).toEqual([1, 2, 3]);
    expect(fig.data[0].y).toEqual([4, 5, 6]);
    expect(fig.data[1].x).toEqual([0.5, 1.5]);
    expect(fig.data[1].y).toEqual([0.25, 0.75]); // both exact in float32
    for (const t of fig.data) {
      expect(Array.isArray(t.x)).toBe(true);
      expect(Array.isArray(t.y)).toBe(true);
    }
  });

  it("turns a z Matrix into nested rows and passes other attributes through", () => {
    const fig = figure([{ type: "heatmap", z: Matrix.from([[1, 2], [3, 4]]), colorscale: "Viridis" }]);
    expect(fig.data[0].z).toEqual([[1, 2], [3, 4]]);
    expect(fig.data[0].colorscale).toBe("Viridis");
    expect(fig.data[0].type).toBe("heatmap");
  });

  it("turns string titles into { text } and leaves object titles and other layout alone", () => {
    const fig = figure([traceXY()], {
      title: "Training",
      xaxis: { title: "epoch", range: [0, 10] },
      yaxis: { title: { text: "loss", font: { size: 12 } } },
      width: 600,
    });
    expect(fig.layout.title).toEqual({ text: "Training" });
    expect(fig.layout.xaxis).toEqual({ title: { text: "epoch" }, range: [0, 10] });
    expect(fig.layout.yaxis).toEqual({ title: { text: "loss", font: { size: 12 } } });
    expect(fig.layout.width).toBe(600);
    expect(figure([traceXY()]).layout).toEqual({});
  });

  it("leaves the traces and layout it is given unchanged", () => {
    const trace = { x: Matrix.column([1, 2]), y: [3, 4] };
    const layout = { title: "t", xaxis: { title: "x" } };
    figure([trace], layout);
    expect(trace.x).toBeInstanceOf(Matrix);
    expect(layout).toEqual({ title: "t", xaxis: { title: "x" } });
  });

  it("rejects no traces, and a matrix that is not a vector", () => {
    expect(() => figure([])).toThrow(ValueError);
    expect(() => figure([])).toThrow("figure: expected at least one trace, got none.");
    expect(() => figure([{ x: Matrix.zeros(2, 2), y: [1, 2] }])).toThrow(
      "figure: trace.x must be a vector, a [1, n] or [m, 1] Matrix; got [2, 2].",
    );
  });
});

describe("renderFigure()", () => {
  it("gives HTML, the Plotly JSON (the figure itself) and a text summary", () => {
    const fig = figure([traceXY()], { title: "T" });
    const bundle = renderFigure(fig);
    expect(Object.keys(bundle).sort()).toEqual(["application/vnd.plotly.v1+json", "text/html", "text/plain"]);
    expect(bundle["application/vnd.plotly.v1+json"]).toBe(fig);
    expect(bundle["text/plain"]).toBe(describeFigure(fig));
    expect(bundle["text/html"]).toContain('class="byhand-plot"');
  });

  it("sends the Plotly bundle with the first figure of a process only", async () => {
    const { renderFigure: render, figure: fig } = await freshPlot();
    const first = render(fig([traceXY()]))["text/html"] as string;
    const second = render(fig([traceXY()]))["text/html"] as string;
    expect(first).toContain("window.Plotly = Plotly"); // a line of the real plotly.min.js
    expect(first.length).toBeGreaterThan(1_000_000);
    expect(second).not.toContain("window.Plotly = Plotly");
    expect(second.length).toBeLessThan(5_000);
    // The bundle's own text holds no "</script", so the first HTML has exactly two scripts
    // (loader, chart) and the second one.
    expect(scripts(first)).toHaveLength(2);
    expect(first.match(/<\/script/gi)).toHaveLength(2);
    expect(scripts(second)).toHaveLength(1);
    expect(first.startsWith("<script>(function(){var define, module, exports;\n")).toBe(true);
  });

  it("gives each chart its own element id", async () => {
    const { renderFigure: render, figure: fig } = await freshPlot();
    const id = (html: string) => /<div id="(plot-[0-9a-f]{12})"/.exec(html)?.[1];
    const a = id(render(fig([traceXY()]))["text/html"] as string);
    const b = id(render(fig([traceXY()]))["text/html"] as string);
    expect(a).toBeDefined();
    expect(a).not.toBe(b);
  });
});

describe("the Plotly loader, run", () => {
  // A stand-in UMD bundle, like many libraries ship: it registers with AMD if `define` is
  // there, with CommonJS if `module` is, and only otherwise sets a global. It also holds
  // "</script>" in a string, in two cases, as minified bundles sometimes do.
  const FAKE_BUNDLE = `(function (root, factory) {
  if (typeof define === "function" && define.amd) define([], factory);
  else if (typeof module === "object" && module.exports) module.exports = factory();
  else if (typeof exports === "object") exports.Plotly = factory();
  else root.Plotly = factory();
})(this, function () { return { fake: true, note: "</script><b>x</b></SCRIPT>" }; });`;

  afterEach(() => {
    vi.doUnmock("node:fs");
    vi.resetModules();
  });

  async function plotWithFakeBundle(): Promise<PlotModule> {
    vi.resetModules();
    vi.doMock("node:fs", async (importOriginal) => {
      const fs = await importOriginal<typeof import("node:fs")>();
      const readFileSync = ((file: string, ...rest: unknown[]) =>
        String(file).includes("plotly")
          ? FAKE_BUNDLE
          : (fs.readFileSync as (...a: unknown[]) => unknown)(file, ...rest)) as typeof fs.readFileSync;
      return { ...fs, default: { ...fs, readFileSync }, readFileSync };
    });
    return import("../../lib/src/plot");
  }

  /** A page with require.js-style `define` and a CommonJS-looking `module` and `exports`. */
  function page() {
    const define = Object.assign(vi.fn(), { amd: {} });
    const sandbox: Record<string, unknown> = { define, module: { exports: {} }, exports: {} };
    sandbox.window = sandbox;
    vm.createContext(sandbox);
    return { sandbox, define };
  }

  it("control: the stand-in bundle run bare registers with AMD and sets no global", () => {
    const { sandbox, define } = page();
    vm.runInContext(FAKE_BUNDLE.replace(/<\/script/gi, "<\\/script"), sandbox);
    expect(define).toHaveBeenCalledTimes(1);
    expect(sandbox.Plotly).toBeUndefined();
  });

  it("the wrapped bundle sets window.Plotly, never calls define, leaves module.exports alone", async () => {
    const { renderFigure: render, figure: fig } = await plotWithFakeBundle();
    const html = render(fig([traceXY()]))["text/html"] as string;
    const [loader] = scripts(html);
    const { sandbox, define } = page();
    vm.runInContext(loader, sandbox);
    expect(sandbox.Plotly).toEqual({ fake: true, note: "</script><b>x</b></SCRIPT>" });
    expect(define).not.toHaveBeenCalled();
    expect(sandbox.module).toEqual({ exports: {} });
    expect(sandbox.exports).toEqual({});
  });

  it("escapes every </script in the bundle, in any case, so the page sees two whole scripts", async () => {
    const { renderFigure: render, figure: fig } = await plotWithFakeBundle();
    const html = render(fig([traceXY()]))["text/html"] as string;
    const [loader, chart] = scripts(html);
    expect(loader).toContain(String.raw`"<\/script><b>x</b><\/SCRIPT>"`);
    expect(chart).toContain("Plotly.newPlot");
    // Both parse as JavaScript: a cut in the wrong place would be a syntax error.
    expect(() => new vm.Script(loader)).not.toThrow();
    expect(() => new vm.Script(chart)).not.toThrow();
  });
});

describe("the chart script", () => {
  it("escapes < in the figure JSON, so a trace named </script><b> cannot break out", async () => {
    const { renderFigure: render, figure: fig } = await freshPlot();
    render(fig([traceXY()])); // the first figure carries the bundle; look at a later one
    const nasty = "</script><b>";
    const html = render(fig([{ name: nasty, x: [1], y: [2] }], { title: "<i>t</i>" }))["text/html"] as string;
    expect(html).not.toContain(nasty);
    expect(html).not.toContain("<i>");
    expect(html).toContain(String.raw`\u003c/script>\u003cb>`);
    const chart = scripts(html);
    expect(chart).toHaveLength(1);

    // Run it against a stub page: Plotly.newPlot must receive the name exactly as given.
    const newPlot = vi.fn();
    const el = { textContent: "" };
    const sandbox: Record<string, unknown> = {
      document: { getElementById: () => el },
      setTimeout: () => 0,
    };
    sandbox.window = Object.assign(sandbox, { Plotly: { newPlot } });
    vm.createContext(sandbox);
    vm.runInContext(chart[0], sandbox);
    expect(newPlot).toHaveBeenCalledTimes(1);
    const [target, data, layout] = newPlot.mock.calls[0];
    expect(target).toBe(el);
    expect(data[0].name).toBe(nasty);
    expect(layout.title.text).toBe("<i>t</i>");
  });

  it("says so in the element when Plotly never loads", async () => {
    const { renderFigure: render, figure: fig } = await freshPlot();
    render(fig([traceXY()]));
    const [chart] = scripts(render(fig([traceXY()]))["text/html"] as string);
    const el = { textContent: "" };
    // A setTimeout that runs its callback at once: the 400 retries happen immediately.
    const sandbox: Record<string, unknown> = {
      document: { getElementById: () => el },
      setTimeout: (f: () => void) => f(),
    };
    sandbox.window = sandbox;
    vm.createContext(sandbox);
    vm.runInContext(chart, sandbox);
    expect(el.textContent).toContain("Plotly is not loaded");
  });
});

describe("describeFigure()", () => {
  it("names the title, both axes, the trace count, and each trace's points and ranges", () => {
    const fig = figure(
      [traceXY(), { type: "bar", x: ["a", "b"], y: [3, 1] }],
      { title: "Training", xaxis: { title: "epoch" }, yaxis: { title: "loss (nats)" } },
    );
    // Trace 1: 3 points, x from 1 to 3, y from 0.25 to 0.9 (non-integers printed to 4 digits).
    // Trace 2: no name, bar, 2 points; x holds strings, so no x range; y from 1 to 3.
    expect(describeFigure(fig).split("\n")).toEqual([
      'Figure "Training"; x axis: "epoch"; y axis: "loss (nats)"; 2 traces',
      '  1. "loss" (scatter, lines): 3 points, x in [1, 3], y in [0.2500, 0.9000]',
      '  2. "(unnamed)" (bar): 2 points, x, y in [1, 3]',
    ]);
  });

  it("says when there is no title or axis title, and counts one trace in the singular", () => {
    const text = describeFigure(figure([{ y: [5, -2, 7] }]));
    expect(text.split("\n")[0]).toBe('Figure "(no title)"; x axis: "(none)"; y axis: "(none)"; 1 trace');
    expect(text).toContain("3 points");
    expect(text).toContain("y in [-2, 7]");
  });

  it("handles traces of 300 000 points (no spread of huge argument lists)", () => {
    const y = Array.from({ length: 300_000 }, (_, i) => i % 1000);
    expect(describeFigure(figure([{ y }]))).toContain("300000 points, x, y in [0, 999]");
  });
});

/** tslab's display hook: set it to act as the kernel; every test leaves it unset. */
const jupyter = createRequire(import.meta.url)("tslab/dist/jupyter") as {
  lastWriteDisplayData: ((data: unknown, update: boolean) => void) | null;
};
afterEach(() => {
  jupyter.lastWriteDisplayData = null;
  vi.restoreAllMocks();
});

describe("display() and plot()", () => {
  const bundle: MimeBundle = { "text/html": "<b>hi</b>", "text/plain": "hi" };

  it("writes the bundle through tslab's display channel when the kernel has set it", () => {
    const write = vi.fn();
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    jupyter.lastWriteDisplayData = write;
    display(bundle);
    expect(write).toHaveBeenCalledTimes(1);
    expect(write).toHaveBeenCalledWith({ data: bundle, metadata: {}, transient: {} }, false);
    expect(log).not.toHaveBeenCalled();
  });

  it("prints the text/plain form when there is no kernel", () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    jupyter.lastWriteDisplayData = null;
    display(bundle);
    expect(log).toHaveBeenCalledTimes(1);
    expect(log).toHaveBeenCalledWith("hi");
  });

  it("plot() sends one three-form bundle through the channel", () => {
    const write = vi.fn();
    jupyter.lastWriteDisplayData = write;
    plot([traceXY()], { title: "Loss" });
    expect(write).toHaveBeenCalledTimes(1);
    const { data } = write.mock.calls[0][0] as { data: MimeBundle };
    expect(Object.keys(data).sort()).toEqual(["application/vnd.plotly.v1+json", "text/html", "text/plain"]);
    expect(data["text/plain"]).toContain('Figure "Loss"');
  });

  it("plot() outside a kernel prints the summary", () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    plot([traceXY()], { title: "Loss" });
    expect(log).toHaveBeenCalledTimes(1);
    expect(log.mock.calls[0][0]).toContain('Figure "Loss"; x axis: "(none)"');
  });
});

describe("liveDisplay() and liveFigure()", () => {
  type Written = { data: MimeBundle; transient: { display_id?: string } };

  it("creates one output, then replaces it: same display id, update only after the first", () => {
    const write = vi.fn();
    jupyter.lastWriteDisplayData = write;
    const a = liveDisplay();
    const b = liveDisplay();
    a.show({ "text/plain": "frame 1" });
    a.show({ "text/plain": "frame 2" });
    b.show({ "text/plain": "other" });
    const calls = write.mock.calls as [Written, boolean][];
    expect(calls.map(([, update]) => update)).toEqual([false, true, false]);
    expect(calls.map(([d]) => d.data["text/plain"])).toEqual(["frame 1", "frame 2", "other"]);
    const [idA1, idA2, idB] = calls.map(([d]) => d.transient.display_id);
    expect(idA1).toMatch(/^[0-9a-f]{16}$/);
    expect(idA2).toBe(idA1);
    expect(idB).not.toBe(idA1);
  });

  it("prints each frame's text outside a kernel", () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const live = liveDisplay();
    live.show({ "text/plain": "frame 1" });
    live.show({ "text/plain": "frame 2" });
    expect(log.mock.calls).toEqual([["frame 1"], ["frame 2"]]);
  });

  it("sends the Plotly bundle once as its own output, then whole-figure frames that replace each other", async () => {
    const { liveFigure: live } = await freshPlot();
    const write = vi.fn();
    jupyter.lastWriteDisplayData = write;
    const chart = live();
    chart.draw([traceXY()], { title: "Epoch 1" });
    chart.draw([traceXY()], { title: "Epoch 2" });
    const calls = write.mock.calls as [Written, boolean][];
    expect(calls).toHaveLength(3);
    const [loader, frame1, frame2] = calls;
    expect(loader[0].data["text/html"]).toContain("window.Plotly = Plotly");
    expect(loader[0].transient.display_id).toBeUndefined();
    expect(loader[1]).toBe(false);
    for (const [d] of [frame1, frame2]) {
      expect(Object.keys(d.data).sort()).toEqual(["application/vnd.plotly.v1+json", "text/html", "text/plain"]);
      expect(d.data["text/html"]).not.toContain("window.Plotly = Plotly");
    }
    expect(frame1[0].data["text/plain"]).toContain('Figure "Epoch 1"');
    expect(frame2[0].data["text/plain"]).toContain('Figure "Epoch 2"');
    expect([frame1[1], frame2[1]]).toEqual([false, true]);
    expect(frame2[0].transient.display_id).toBe(frame1[0].transient.display_id);
  });

  it("sends no second bundle when a figure already carried it", async () => {
    const { liveFigure: live, plot: plotFresh } = await freshPlot();
    const write = vi.fn();
    jupyter.lastWriteDisplayData = write;
    plotFresh([traceXY()], { title: "Before" });
    live().draw([traceXY()], { title: "Live" });
    const html = (write.mock.calls as [Written, boolean][]).map(([d]) => String(d.data["text/html"]));
    expect(html).toHaveLength(2);
    expect(html.filter((h) => h.includes("window.Plotly = Plotly"))).toHaveLength(1);
  });
});
