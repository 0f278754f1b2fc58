/**
 * Turns executed notebooks into HTML: Markdown through markdown-it with math typeset by
 * KaTeX at build time, TypeScript highlighted by highlight.js, and every output a notebook
 * can hold (streams, errors, HTML, SVG, images, Plotly figures). Used by ./book.mjs for the
 * book's pages and by ./slides.mjs for the slides.
 */
import hljs from "highlight.js/lib/core";
import typescript from "highlight.js/lib/languages/typescript";
import bash from "highlight.js/lib/languages/bash";
import json from "highlight.js/lib/languages/json";
import python from "highlight.js/lib/languages/python";
import MarkdownIt from "markdown-it";
import anchor from "markdown-it-anchor";
import katex from "katex";
import katexPlugin from "@vscode/markdown-it-katex";
import { cellText } from "../notebooks.mjs";
import { isExplanation, isGrade, isSolution, removeHiddenTests, solutionText } from "../editions.mjs";

hljs.registerLanguage("typescript", typescript);
hljs.registerLanguage("bash", bash);
hljs.registerLanguage("json", json);
hljs.registerLanguage("python", python);
hljs.registerAliases(["ts", "js", "javascript"], { languageName: "typescript" });
hljs.registerAliases(["sh", "shell"], { languageName: "bash" });

export function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

/** A heading's anchor: its words in lower case joined by hyphens (section numbers kept). */
export function slugify(text) {
  return String(text).trim().toLowerCase()
    .replace(/<[^>]*>/g, "")
    .replace(/[^\p{L}\p{N}\s.-]/gu, "")
    .replace(/\s+/g, "-").replace(/\.(?=-|$)/g, "").replace(/-+/g, "-") || "section";
}

export function highlight(code, lang = "typescript") {
  const language = hljs.getLanguage(lang) ? lang : "typescript";
  return hljs.highlight(code, { language, ignoreIllegals: true }).value;
}

/**
 * A Markdown renderer for one page. Links to another chapter's notebook become links to its
 * page (`link(name)` maps "05-loss-functions.ipynb" to its address), and a blockquote that
 * opens with a bold word and a full stop ("> **Erratum.** …") becomes a callout of that kind.
 */
export function markdownRenderer({ link = (f) => f.replace(/\.ipynb$/, ".html") } = {}) {
  const md = new MarkdownIt({ html: true, linkify: false, typographer: false, highlight: (code, lang) =>
    `<pre class="hljs"><code class="language-${escapeHtml(lang || "text")}">${lang ? highlight(code, lang) : escapeHtml(code)}</code></pre>` });
  // The KaTeX the site's stylesheet and fonts come from, not the plugin's own copy.
  md.use(katexPlugin.default ?? katexPlugin, { katex, throwOnError: false, strict: false, output: "htmlAndMathml" });
  const seen = new Map();
  md.use(anchor.default ?? anchor, {
    level: [1, 2, 3, 4],
    slugify: (s) => {
      const base = slugify(s);
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      return n ? `${base}-${n + 1}` : base;
    },
  });
  md.core.ruler.push("notebook_links_and_callouts", (state) => {
    const tokens = state.tokens;
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i];
      if (t.type === "inline") {
        for (const c of t.children ?? []) {
          if (c.type !== "link_open") continue;
          const href = c.attrGet("href") ?? "";
          const m = /^([^/:#?]+\.ipynb)(#.*)?$/.exec(href);
          if (m) c.attrSet("href", link(m[1]) + (m[2] ?? ""));
        }
      }
      if (t.type === "blockquote_open" && tokens[i + 1]?.type === "paragraph_open") {
        const kids = (tokens[i + 2]?.children ?? []).filter((c) => !(c.type === "text" && c.content === ""));
        if (kids[0]?.type === "strong_open" && kids[1]?.type === "text" && /^[\p{L} -]+[.:]$/u.test(kids[1].content)) {
          const kind = slugify(kids[1].content.replace(/[.:]$/, ""));
          t.tag = "aside";
          t.attrJoin("class", `callout callout-${kind}`);
          const close = tokens.slice(i).findIndex((x) => x.type === "blockquote_close" && x.level === t.level);
          if (close > 0) tokens[i + close].tag = "aside";
        }
      }
    }
  });
  return {
    render: (text) => md.render(text),
    /** The headings rendered so far on this page have these anchors; start a new page. */
    reset: () => seen.clear(),
    md,
  };
}

const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;

function streamHtml(text, kind) {
  return `<pre class="output ${kind}">${escapeHtml(text.replace(ANSI, ""))}</pre>`;
}

/** True for the display that only carries the Plotly bundle (the book loads its own). */
function isPlotlyLoader(data) {
  const html = String(joined(data["text/html"]) ?? "");
  return joined(data["text/plain"]) === "" && /^<script>\(function\(\)\{var define, module, exports;/.test(html);
}

function joined(v) {
  return Array.isArray(v) ? v.join("") : v;
}

/**
 * The HTML for one output. `figures` collects Plotly figures: each becomes an empty
 * <div class="plotly-figure"> that the page's script draws from the JSON beside it.
 */
export function outputHtml(out, figures, md) {
  if (out.output_type === "stream") return streamHtml(joined(out.text), out.name === "stderr" ? "stderr" : "stdout");
  if (out.output_type === "error") {
    return `<pre class="output error">${escapeHtml((out.traceback ?? [out.evalue]).join("\n").replace(ANSI, ""))}</pre>`;
  }
  const data = out.data ?? {};
  if (isPlotlyLoader(data)) return "";
  const plotly = data["application/vnd.plotly.v1+json"];
  if (plotly) {
    const id = `figure-${figures.length + 1}`;
    figures.push(id);
    const text = joined(data["text/plain"]) ?? "";
    const json = JSON.stringify({ data: plotly.data ?? [], layout: plotly.layout ?? {} }).replace(/</g, "\\u003c");
    return `<figure class="output plot"><div class="plotly-figure" id="${id}" role="img" aria-label="${escapeHtml(text)}"></div>` +
      `<script type="application/json" id="${id}-data">${json}</script></figure>`;
  }
  if (data["text/html"] !== undefined) return `<div class="output html">${joined(data["text/html"])}</div>`;
  if (data["image/svg+xml"] !== undefined) return `<div class="output svg">${joined(data["image/svg+xml"])}</div>`;
  for (const type of ["image/png", "image/jpeg", "image/gif"]) {
    if (data[type] !== undefined) {
      return `<div class="output image"><img alt="${escapeHtml(joined(data["text/plain"]) ?? "")}" src="data:${type};base64,${String(joined(data[type])).replace(/\s+/g, "")}"></div>`;
    }
  }
  if (data["text/markdown"] !== undefined) return `<div class="output markdown">${md.render(joined(data["text/markdown"]))}</div>`;
  if (data["text/latex"] !== undefined) return `<div class="output markdown">${md.render(joined(data["text/latex"]))}</div>`;
  if (data["text/plain"] !== undefined) return streamHtml(joined(data["text/plain"]), "result");
  return "";
}

/**
 * A code cell's source as the book shows it: a worked solution without nbgrader's marker
 * lines, and a check without its hidden tests (the further checks an instructor grades with;
 * the book may be handed to students, so it never shows them).
 */
export function shownSource(cell) {
  const source = cellText(cell);
  if (isGrade(cell) && source.includes("BEGIN HIDDEN TESTS")) {
    return removeHiddenTests(source).replace(/\s+$/, "") + "\n// (further checks, which the instructor's edition holds, are not shown)";
  }
  return solutionText(source);
}

/**
 * A code cell and its outputs. `foldCodeOver` (slides): code longer than this many lines,
 * in a cell that draws something, is folded so that the picture fits on the slide.
 */
export function codeCellHtml(cell, figures, md, { foldCodeOver = Infinity } = {}) {
  const src = shownSource(cell);
  const outputs = (cell.outputs ?? []).map((o) => outputHtml(o, figures, md)).join("");
  const label = isGrade(cell) ? `<div class="cell-label">check</div>` : "";
  const lines = src.split("\n").length;
  let code = src ? `<pre class="source hljs"><code class="language-typescript">${highlight(src)}</code></pre>` : "";
  if (code && lines > foldCodeOver && /class="output (plot|svg|image)"/.test(outputs)) {
    code = `<details class="code"><summary>The code (${lines} lines)</summary>${code}</details>`;
  }
  return `<div class="cell code${isGrade(cell) ? " check" : ""}">${label}` + code +
    (outputs ? `<div class="outputs">${outputs}</div>` : "") + `</div>`;
}

/**
 * Every cell of a notebook as HTML, one string per cell (a folded worked solution and its
 * explanation count as part of the cell they belong to). Answer cells, and the "*Why:*" note
 * after a check, are folded in <details> so that reading them is a choice; with
 * `options.withoutSolutions` (slides) they are left out. `options` also go to codeCellHtml.
 */
export function cellsHtml(nb, md, options = {}) {
  const figures = [];
  const cells = nb.cells.flatMap((cell, index) => {
    if (options.withoutSolutions && (isSolution(cell) || isExplanation(nb, index))) return [];
    let html;
    if (cell.cell_type === "markdown") {
      html = `<div class="cell markdown">${md.render(cellText(cell))}</div>`;
      if (isExplanation(nb, index)) html = `<details class="solution explanation"><summary>Why (read after trying)</summary>${html}</details>`;
    } else if (cell.cell_type === "code") {
      html = codeCellHtml(cell, figures, md, options);
      if (isSolution(cell)) html = `<details class="solution"><summary>Worked solution</summary>${html}</details>`;
    } else {
      html = `<pre class="cell raw">${escapeHtml(cellText(cell))}</pre>`;
    }
    return [{ index, cell, html }];
  });
  return { cells, figures };
}

/** The notebook's title (its first "# " heading) and its "##"/"###" sections, for a table of contents. */
export function outline(nb) {
  let title = "";
  const sections = [];
  const seen = new Map();
  for (const cell of nb.cells) {
    if (cell.cell_type !== "markdown") continue;
    let fence = false;
    for (const line of cellText(cell).split("\n")) {
      if (/^\s*(```|~~~)/.test(line)) fence = !fence;
      if (fence) continue;
      const m = /^(#{1,4})\s+(.*?)\s*#*\s*$/.exec(line);
      if (!m) continue;
      const base = slugify(plainHeading(m[2]));
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      const id = n ? `${base}-${n + 1}` : base;
      if (m[1].length === 1 && !title) title = plainHeading(m[2]);
      else if (m[1].length <= 3 && m[1].length > 1) sections.push({ level: m[1].length, text: plainHeading(m[2]), id });
    }
  }
  return { title, sections };
}

/** A heading's text without Markdown emphasis, code marks or links. */
export function plainHeading(s) {
  return s.replace(/\[([^\]]*)\]\([^)]*\)/g, "$1").replace(/[*_`]/g, "").trim();
}
