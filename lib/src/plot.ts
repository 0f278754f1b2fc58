import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { display, inKernel, liveDisplay, type MimeBundle } from "./display";
import { ValueError } from "./errors";
import { Matrix } from "./matrix";

/**
 * Interactive charts with Plotly, drawn fully offline.
 *
 * A figure is Plotly's own JSON: traces (`data`) and a `layout`. `plot()` shows it as one
 * display bundle with three forms:
 *   - text/html: a <div> and a script that draws into it with the Plotly bundle shipped in
 *     node_modules. The bundle goes out once per kernel (with the first figure), wrapped
 *     so that it never registers as an anonymous AMD module under the notebook's
 *     require.js. This form works in classic Jupyter Notebook and in exported HTML.
 *   - application/vnd.plotly.v1+json: the figure itself, which JupyterLab and VS Code draw
 *     with their own Plotly.
 *   - text/plain: a one-paragraph summary, which is what tests and terminals read.
 */

/** Numbers for an axis: a plain array, a typed array, or a one-row / one-column Matrix. */
export type Values = readonly number[] | readonly string[] | Float64Array | Float32Array | Matrix;

/** One Plotly trace. The common fields are typed; any other Plotly attribute passes through. */
export interface Trace {
  type?: string;
  mode?: string;
  name?: string;
  x?: Values;
  y?: Values;
  z?: readonly (readonly number[])[] | Matrix;
  [attribute: string]: unknown;
}

/** A Plotly title: plain text, or Plotly's object form (with font, x, …). */
type Title = string | { text: string; [key: string]: unknown };

/** Plotly layout; `title` and axis titles may be plain strings. */
export interface Layout {
  title?: Title;
  xaxis?: { title?: Title; [key: string]: unknown };
  yaxis?: { title?: Title; [key: string]: unknown };
  [attribute: string]: unknown;
}

export interface Figure {
  data: Record<string, unknown>[];
  layout: Record<string, unknown>;
}

/** Builds a figure, turning matrices and typed arrays into the plain arrays Plotly reads. */
export function figure(traces: readonly Trace[], layout: Layout = {}): Figure {
  if (traces.length === 0) throw new ValueError("figure: expected at least one trace, got none.");
  const data = traces.map((t) => {
    const out: Record<string, unknown> = { ...t };
    for (const key of ["x", "y"] as const) if (t[key] !== undefined) out[key] = toArray(t[key] as Values, key);
    if (t.z instanceof Matrix) out.z = t.z.toArray();
    return out;
  });
  const withText = (title: unknown) => (typeof title === "string" ? { text: title } : title);
  const lay: Record<string, unknown> = { ...layout };
  if (layout.title !== undefined) lay.title = withText(layout.title);
  for (const axis of ["xaxis", "yaxis"] as const) {
    const a = layout[axis];
    if (a) lay[axis] = { ...a, ...(a.title !== undefined ? { title: withText(a.title) } : {}) };
  }
  return { data, layout: lay };
}

function toArray(values: Values, key: string): (number | string)[] {
  if (values instanceof Matrix) {
    if (values.rows !== 1 && values.cols !== 1) {
      throw new ValueError(
        `figure: trace.${key} must be a vector, a [1, n] or [m, 1] Matrix; got [${values.rows}, ${values.cols}].`,
      );
    }
    return Array.from(values.data);
  }
  return Array.from(values as ArrayLike<number | string>);
}

/** Builds a figure and shows it as the cell's output. */
export function plot(traces: readonly Trace[], layout: Layout = {}): void {
  display(renderFigure(figure(traces, layout)));
}

/** A chart that redraws in place (see `liveFigure`). */
export interface LiveFigure {
  /** Replaces the chart with this one. */
  draw(traces: readonly Trace[], layout?: Layout): void;
}

/**
 * A chart that each `draw` replaces in place, for training that is watched as it goes:
 * loss curves that grow, a decision boundary that moves. Every frame is a whole figure (all
 * three forms), so the saved notebook and its HTML export keep the last frame as an ordinary
 * chart. The Plotly bundle goes out once, as its own output just before the chart, so that
 * it stays in the notebook when the frames replace one another.
 */
export function liveFigure(): LiveFigure {
  const out = liveDisplay();
  return {
    draw(traces: readonly Trace[], layout: Layout = {}): void {
      const fig = figure(traces, layout);
      if (!bundleSent && inKernel()) {
        display({ "text/html": plotlyLoader(), "text/plain": "" });
        bundleSent = true;
      }
      out.show(renderFigure(fig));
    },
  };
}

let bundleSent = false;

/** The display bundle for a figure (HTML, Plotly JSON, text). */
export function renderFigure(fig: Figure): MimeBundle {
  const html = (bundleSent ? "" : plotlyLoader()) + chartHtml(fig);
  bundleSent = true;
  return {
    "text/html": html,
    "application/vnd.plotly.v1+json": fig,
    "text/plain": describeFigure(fig),
  };
}

/** The Plotly bundle as one inline script, shadowing AMD/CommonJS so it sets window.Plotly. */
function plotlyLoader(): string {
  // "<\/" is "</" to JavaScript but not to the HTML parser; $1 keeps the word's own case,
  // since it may sit inside one of the bundle's strings.
  const bundle = readFileSync(require.resolve("plotly.js-dist-min"), "utf8").replace(/<\/(script)/gi, "<\\/$1");
  return `<script>(function(){var define, module, exports;\n${bundle}\n}).call(window);</script>\n`;
}

function chartHtml(fig: Figure): string {
  const id = "plot-" + randomBytes(6).toString("hex");
  const json = JSON.stringify(fig).replace(/</g, "\\u003c");
  return `<div id="${id}" class="byhand-plot" style="width:100%;max-width:820px;height:440px"></div>
<script>(function(){var fig=${json};var tries=0;
function draw(){var el=document.getElementById("${id}");if(!el)return;
if(window.Plotly){window.Plotly.newPlot(el,fig.data,fig.layout,{responsive:true,displaylogo:false});}
else if(++tries<400){setTimeout(draw,25);}
else{el.textContent="The chart could not be drawn: Plotly is not loaded. Run the notebook from the top (Kernel > Restart & Run All).";}}
draw();})();</script>`;
}

function titleText(t: unknown): string | undefined {
  if (typeof t === "string") return t;
  if (t && typeof t === "object" && typeof (t as { text?: unknown }).text === "string") return (t as { text: string }).text;
  return undefined;
}

/** A short plain-text summary of a figure: title, axis titles, and each trace. */
export function describeFigure(fig: Figure): string {
  const axis = (name: string) => titleText((fig.layout[name] as { title?: unknown } | undefined)?.title);
  const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toPrecision(4));
  const range = (vs: unknown) => {
    const nums = Array.isArray(vs) ? (vs.flat(2) as unknown[]).filter((v): v is number => typeof v === "number") : [];
    if (!nums.length) return "";
    // A loop, not Math.min(...nums): spreading ~100k arguments overflows the call stack.
    let lo = Infinity, hi = -Infinity;
    for (const v of nums) { if (v < lo) lo = v; if (v > hi) hi = v; }
    return ` in [${fmt(lo)}, ${fmt(hi)}]`;
  };
  const lines = [
    `Figure "${titleText(fig.layout.title) ?? "(no title)"}"; x axis: "${axis("xaxis") ?? "(none)"}"; ` +
      `y axis: "${axis("yaxis") ?? "(none)"}"; ${fig.data.length} trace${fig.data.length === 1 ? "" : "s"}`,
    ...fig.data.map((t, i) => {
      const n = Array.isArray(t.x) ? t.x.length : Array.isArray(t.y) ? t.y.length : Array.isArray(t.z) ? t.z.length : 0;
      const kind = [t.type ?? "scatter", t.mode].filter(Boolean).join(", ");
      return `  ${i + 1}. "${t.name ?? "(unnamed)"}" (${kind}): ${n} points, x${range(t.x)}, y${range(t.y)}`;
    }),
  ];
  return lines.join("\n");
}
