#!/usr/bin/env node
/**
 * npm run book: the course as a static site in book/, for reading offline.
 *   npm run book                 run the notebooks that changed, then write book/ (and its slides)
 *   npm run book -- --out DIR    write the site somewhere else
 *   npm run book -- --no-slides  the book alone
 *
 * Every notebook is run as the kernel runs it (./execute.mjs keeps the results in
 * build/book-runs/ and reruns a notebook only when it, the library or the lock file changed),
 * then rendered with JavaScript libraries only: markdown-it, KaTeX (math typeset here, not in
 * the browser), highlight.js, Plotly for the charts and MiniSearch for the search box. Every
 * file a page uses is copied into the site, and every link is relative, so the folder can be
 * zipped, opened from disk or served by any static server.
 */
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { runAsCommand } from "../command.mjs";
import { allNotebooks, cellText } from "../notebooks.mjs";
import { withEditionIntro } from "../editions.mjs";
import { executeAll, root, withOutputs } from "./execute.mjs";
import { cellsHtml, escapeHtml, markdownRenderer, outline, plainHeading, shownSource } from "./render.mjs";
import { writeSlides } from "./slides.mjs";

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
export const SITE_TITLE = "Deep Learning by Hand";
export const bookDir = path.join(root, "book");

/** A page's file name: the notebook's, as .html; the course index is the site's index.html. */
export const pageName = (notebook) => path.basename(notebook).replace(/\.ipynb$/, ".html");

/** Copies what the pages load (styles, fonts, scripts) into `out`/assets. */
export function copyAssets(out) {
  const assets = path.join(out, "assets");
  mkdirSync(assets, { recursive: true });
  const pkg = (name) => path.dirname(require.resolve(`${name}/package.json`));
  cpSync(path.join(pkg("katex"), "dist", "katex.min.css"), path.join(assets, "katex", "katex.min.css"));
  cpSync(path.join(pkg("katex"), "dist", "fonts"), path.join(assets, "katex", "fonts"), { recursive: true });
  cpSync(path.join(pkg("highlight.js"), "styles", "github.min.css"), path.join(assets, "highlight.css"));
  cpSync(require.resolve("plotly.js-dist-min"), path.join(assets, "plotly.min.js"));
  // MiniSearch's package exports no package.json; its UMD build sits beside the CommonJS entry.
  cpSync(path.join(path.dirname(require.resolve("minisearch")), "..", "umd", "index.js"), path.join(assets, "minisearch.js"));
  for (const f of ["book.css", "book.js", "slides.css", "slides.js"]) cpSync(path.join(here, "assets", f), path.join(assets, f));
  const reveal = pkg("reveal.js");
  for (const f of ["reveal.js", "reveal.css", "reset.css", "theme/white.css"]) {
    cpSync(path.join(reveal, "dist", f), path.join(assets, "reveal", f));
  }
  // The theme's fonts folder holds its web fonts (the white theme uses Source Sans Pro).
  cpSync(path.join(reveal, "dist", "theme", "fonts"), path.join(assets, "reveal", "theme", "fonts"), { recursive: true });
}

/**
 * Plain text of Markdown for the search index and its snippets: no markup, table rules or
 * TeX commands (`$\\sigma(z)$` reads "σ(z)"-like as "sigma(z)").
 */
export function searchText(markdown) {
  return markdown
    .replace(/<[^>]+>/g, " ")
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\\(left|right|big|Big|mathrm|text|operatorname|mathbf|boldsymbol)\b/g, "")
    .replace(/\\([A-Za-z]+)/g, " $1 ")
    .replace(/\\[,;:! ]/g, " ")
    .replace(/[$*_`>#|{}\\]/g, " ")
    .replace(/:?-{3,}:?/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * One rendered page per notebook, plus the search index's documents (one per section).
 * `pages` are { notebook, executed } in reading order, the course index first.
 */
export function renderPages(pages) {
  const docs = [];
  const rendered = pages.map(({ notebook, executed }) => {
    const nb = withEditionIntro(withOutputs(notebook, executed), "book", path.basename(notebook));
    const md = markdownRenderer();
    const { cells, figures } = cellsHtml(nb, md);
    const headings = [];
    for (const { html } of cells) {
      for (const m of html.matchAll(/<h([1-3]) id="([^"]+)"[^>]*>([\s\S]*?)<\/h\1>/g)) {
        headings.push({ level: Number(m[1]), id: m[2], html: m[3] });
      }
    }
    const titleText = outline(nb).title || path.basename(notebook);
    // Search documents: the text under each heading, Markdown and code alike.
    const page = pageName(notebook);
    let doc = { page, anchor: "", section: titleText, chapter: titleText, text: "" };
    const flush = () => { if (doc.text.trim()) docs.push({ ...doc, id: docs.length, text: doc.text.trim() }); };
    let h = 0;
    for (const { cell } of cells) {
      if (cell.cell_type === "code") { doc.text += " " + shownSource(cell).replace(/\s+/g, " "); continue; }
      for (const line of cellText(cell).split("\n")) {
        const m = /^(#{1,3})\s+(.*)$/.exec(line);
        if (m && headings[h]) {
          flush();
          doc = { page, anchor: headings[h].id, section: plainHeading(m[2]), chapter: titleText, text: "" };
          h++;
        } else {
          doc.text += " " + searchText(line);
        }
      }
    }
    flush();
    return { notebook, page, title: titleText, headings, cells, figures };
  });
  return { rendered, docs };
}

function pageHtml({ page, title, headings, cells, figures }, all, { slides }) {
  const chapters = all.filter((p) => p.page !== "index.html");
  const at = chapters.findIndex((p) => p.page === page);
  const prev = at > 0 ? chapters[at - 1] : at === 0 ? all.find((p) => p.page === "index.html") : null;
  const next = at >= 0 ? chapters[at + 1] : page === "index.html" ? chapters[0] : null;
  const toc = headings.filter((h) => h.level > 1)
    .map((h) => `<li class="level-${h.level}"><a href="#${escapeHtml(h.id)}">${h.html}</a></li>`).join("\n");
  const nav = all.map((p) => `<li${p.page === page ? ' class="current" aria-current="page"' : ""}><a href="${p.page}">${escapeHtml(p.title)}</a></li>`).join("\n");
  const deck = slides && page !== "index.html" ? `<p class="slides-link"><a href="slides/${page}">Slides for this chapter</a></p>` : "";
  const link = (p, rel) => (p ? `<a class="${rel}" rel="${rel}" href="${p.page}">${rel === "prev" ? "← " : ""}${escapeHtml(p.title)}${rel === "next" ? " →" : ""}</a>` : "<span></span>");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · ${SITE_TITLE}</title>
<link rel="stylesheet" href="assets/katex/katex.min.css">
<link rel="stylesheet" href="assets/highlight.css">
<link rel="stylesheet" href="assets/book.css">
</head>
<body>
<header class="topbar">
<button class="nav-toggle" type="button" aria-controls="sidebar" aria-expanded="false" aria-label="Chapters">☰</button>
<a class="home" href="index.html">${SITE_TITLE}</a>
${slides ? '<a class="deck-list" href="slides/index.html">Slides</a>' : ""}
<div class="search" role="search">
<input id="search" type="search" placeholder="Search the book" aria-label="Search the book" autocomplete="off">
<ol id="search-results" hidden></ol>
</div>
</header>
<div class="layout">
<nav class="sidebar" id="sidebar" aria-label="Chapters and sections">
<ol class="chapters">${nav}</ol>
${toc ? `<h2 class="toc-title">On this page</h2><ol class="toc">${toc}</ol>` : ""}
</nav>
<main id="content">
${deck}
${cells.map((c) => c.html).join("\n")}
<nav class="prevnext" aria-label="Previous and next chapter">${link(prev, "prev")}${link(next, "next")}</nav>
</main>
</div>
${figures.length ? '<script src="assets/plotly.min.js"></script>' : ""}
<script src="assets/book.js"></script>
</body>
</html>
`;
}

/** slides/index.html: every chapter's deck, and the way back to the book. */
function deckListHtml(chapters) {
  const items = chapters.map((p) => `<li><a href="${p.page}">${escapeHtml(p.title)}</a> · <a href="../${p.page}">book</a></li>`).join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Slides · ${SITE_TITLE}</title>
<link rel="stylesheet" href="../assets/book.css">
</head>
<body>
<header class="topbar"><a class="home" href="../index.html">${SITE_TITLE}</a></header>
<main id="content">
<h1>Slides</h1>
<p>One deck per chapter, with the chapter's math, code and charts. Arrow keys or Space move,
Esc shows the overview, S the speaker notes, F fills the screen.</p>
<ol class="decks">
${items}
</ol>
</main>
</body>
</html>
`;
}

/** Writes the site into `out` from executed notebooks; returns the pages written. */
export function writeBook({ out = bookDir, pages, slides = true }) {
  mkdirSync(out, { recursive: true });
  copyAssets(out);
  const { rendered, docs } = renderPages(pages);
  for (const p of rendered) writeFileSync(path.join(out, p.page), pageHtml(p, rendered, { slides }));
  writeFileSync(path.join(out, "assets", "search-index.js"),
    `window.BOOK_SEARCH = ${JSON.stringify(docs).replace(/</g, "\\u003c")};\n`);
  if (slides) {
    writeSlides({ out, pages: pages.filter((p) => pageName(p.notebook) !== "index.html") });
    writeFileSync(path.join(out, "slides", "index.html"), deckListHtml(rendered.filter((p) => p.page !== "index.html")));
  }
  return rendered.map((p) => p.page);
}

/** The notebooks in reading order: the course index, then the chapters. */
export function bookNotebooks(dir) {
  const all = allNotebooks(dir);
  return [...all.filter((f) => path.basename(f) === "index.ipynb"), ...all.filter((f) => path.basename(f) !== "index.ipynb")];
}

/** Runs what changed and writes the whole site; `log` gets progress lines. */
export async function buildBook({ out = bookDir, slides = true, log = console.log, notebooks = bookNotebooks(), hint = true } = {}) {
  const t0 = Date.now();
  const executed = await executeAll(notebooks, { log });
  const pages = notebooks.map((notebook, i) => ({ notebook, executed: executed[i] }));
  rmSync(out, { recursive: true, force: true });
  const written = writeBook({ out, pages, slides });
  log(`Wrote ${written.length} pages${slides ? ` and ${written.length - 1} slide decks` : ""} to ${path.relative(process.cwd(), out) || "."} ` +
    `in ${((Date.now() - t0) / 1000).toFixed(0)} s.` + (hint ? ` Open ${path.relative(process.cwd(), path.join(out, "index.html"))} in a browser.` : ""));
  return written;
}

async function main(argv) {
  const at = argv.indexOf("--out");
  const out = at >= 0 ? path.resolve(argv[at + 1] ?? "") : bookDir;
  if (at >= 0 && !argv[at + 1]) throw new Error("npm run book: --out needs a folder");
  await buildBook({ out, slides: !argv.includes("--no-slides") });
}

runAsCommand(import.meta.url, main);
