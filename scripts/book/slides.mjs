#!/usr/bin/env node
/**
 * npm run slides: a reveal.js deck per chapter, in book/slides/ (run from the same executed
 * notebooks as the book, with the same math, code and charts, offline).
 *
 * Slide boundaries come from the cells' standard `slideshow.slide_type` metadata, as
 * Jupyter's slideshow tools read it: "slide" starts a new slide, "subslide" a new slide below
 * the current one, "fragment" appears on the next key press, "-" continues the slide,
 * "notes" goes to the speaker notes (press S), "skip" is left out.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { runAsCommand } from "../command.mjs";
import { withEditionIntro } from "../editions.mjs";
import { withOutputs } from "./execute.mjs";
import { cellsHtml, escapeHtml, markdownRenderer, outline } from "./render.mjs";

/** The slide type a cell declares; a cell without one continues the current slide. */
export function slideType(cell) {
  return cell.metadata?.slideshow?.slide_type ?? "-";
}

/**
 * The deck's structure: slides (left to right), each a list of subslides (top to bottom),
 * each a list of { html, fragment } pieces, plus speaker notes per subslide.
 */
export function deck(cells) {
  const slides = [];
  const newSub = () => ({ pieces: [], notes: [] });
  for (const { cell, html } of cells) {
    const type = slideType(cell);
    if (type === "skip") continue;
    if (type === "slide" || !slides.length) slides.push([newSub()]);
    else if (type === "subslide") slides[slides.length - 1].push(newSub());
    const sub = slides[slides.length - 1].at(-1);
    if (type === "notes") sub.notes.push(html);
    else sub.pieces.push({ html, fragment: type === "fragment" });
  }
  return slides;
}

function deckHtml({ title, page, slides, figures }) {
  const section = (sub) => `<section>\n${sub.pieces.map((p) => (p.fragment ? `<div class="fragment">${p.html}</div>` : p.html)).join("\n")}` +
    (sub.notes.length ? `\n<aside class="notes">${sub.notes.join("\n")}</aside>` : "") + "\n</section>";
  const body = slides.map((subs) => `<section>\n${subs.map(section).join("\n")}\n</section>`).join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · slides</title>
<link rel="stylesheet" href="../assets/reveal/reset.css">
<link rel="stylesheet" href="../assets/reveal/reveal.css">
<link rel="stylesheet" href="../assets/reveal/theme/white.css">
<link rel="stylesheet" href="../assets/katex/katex.min.css">
<link rel="stylesheet" href="../assets/highlight.css">
<link rel="stylesheet" href="../assets/slides.css">
</head>
<body>
<a class="back" href="../${page}">Read as a book</a>
<div class="reveal"><div class="slides">
${body}
</div></div>
${figures.length ? '<script src="../assets/plotly.min.js"></script>' : ""}
<script src="../assets/reveal/reveal.js"></script>
<script src="../assets/slides.js"></script>
</body>
</html>
`;
}

/**
 * Writes one deck per page into `out`/slides/; `pages` are { notebook, executed }.
 * The shared assets are the book's (./book.mjs copyAssets). Returns the decks' file names.
 */
export function writeSlides({ out, pages }) {
  const dir = path.join(out, "slides");
  mkdirSync(dir, { recursive: true });
  return pages.map(({ notebook, executed }) => {
    const nb = withEditionIntro(withOutputs(notebook, executed), "slides", path.basename(notebook));
    // A link to another chapter leads to its page in the book, one folder up.
    const md = markdownRenderer({ link: (f) => "../" + f.replace(/\.ipynb$/, ".html") });
    // Slides are projected: no worked solutions on them (the book has them, folded).
    const { cells, figures } = cellsHtml(nb, md, { foldCodeOver: 12, withoutSolutions: true });
    const page = path.basename(notebook).replace(/\.ipynb$/, ".html");
    const title = outline(nb).title || page;
    writeFileSync(path.join(dir, page), deckHtml({ title, page, slides: deck(cells), figures }));
    return page;
  });
}

async function main(argv) {
  // Imported here: book.mjs imports this module for writeSlides.
  const { bookDir, bookNotebooks, copyAssets, pageName } = await import("./book.mjs");
  const { executeAll } = await import("./execute.mjs");
  const at = argv.indexOf("--out");
  if (at >= 0 && !argv[at + 1]) throw new Error("npm run slides: --out needs a folder");
  const out = at >= 0 ? path.resolve(argv[at + 1]) : bookDir;
  const notebooks = bookNotebooks().filter((f) => pageName(f) !== "index.html");
  const executed = await executeAll(notebooks);
  copyAssets(out);
  const written = writeSlides({ out, pages: notebooks.map((notebook, i) => ({ notebook, executed: executed[i] })) });
  console.log(`Wrote ${written.length} slide decks to ${path.relative(process.cwd(), path.join(out, "slides"))}. ` +
    `Open one in a browser; arrow keys move, S shows the speaker notes, Esc the overview.`);
}

runAsCommand(import.meta.url, main);
