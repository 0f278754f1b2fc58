/**
 * The book's pieces without a browser: Markdown, math, callouts and links; each kind of
 * output; folded solutions; slide grouping from `slideshow.slide_type`; running notebooks
 * (live displays keep their last frame, a failing cell fails the run, kept runs are reused
 * until code or library change); and the static server. The browser tests are in
 * e2e/book.test.ts.
 */
import { spawnSync } from "node:child_process";
import { get } from "node:http";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { executeAll, executedPath, resultKey, withOutputs } from "../scripts/book/execute.mjs";
import { cellsHtml, markdownRenderer, outline, outputHtml, shownSource, slugify } from "../scripts/book/render.mjs";
import { serveFolder } from "../scripts/book/serve.mjs";
import { deck } from "../scripts/book/slides.mjs";
import { allNotebooks, defaultSlideType } from "../scripts/notebooks.mjs";
import { bookPort } from "../scripts/start.mjs";

const root = path.resolve(__dirname, "..");
// Inside the checkout, so that `import … from "byhand"` resolves as it does for the chapters.
const work = path.join(root, "build", "book-unit");
afterAll(() => rmSync(work, { recursive: true, force: true }));

const md = () => markdownRenderer();
type Cell = { cell_type: string; source: string; metadata: Record<string, unknown>; outputs?: unknown[] };
const code = (source: string, metadata: Record<string, unknown> = {}): Cell => ({ cell_type: "code", source, metadata, outputs: [] });
const text = (source: string, metadata: Record<string, unknown> = {}): Cell => ({ cell_type: "markdown", source, metadata });
const notebook = (cells: Cell[]) => ({ cells, metadata: {}, nbformat: 4, nbformat_minor: 5 });

describe("Markdown", () => {
  it("typesets math with KaTeX at build time, and marks what KaTeX cannot read", () => {
    const html = md().render("Inline $\\sigma(z) = 1/(1+e^{-z})$ and\n\n$$\\frac{\\partial L}{\\partial w}$$");
    expect(html).toContain('class="katex"');
    expect(html).toContain("katex-display");
    expect(html).not.toContain("$");
    expect(md().render("Broken $\\frac{1}{$ here")).toContain("katex-error");
  });

  it("makes a blockquote opening with a bold word and a full stop a callout of that kind; other quotes stay quotes", () => {
    const html = md().render("> **Erratum.** Source 004 says $a$.\n> It is $b$.\n\n> **More exactly.** A detail.\n\n> Just a quote.");
    expect(html).toMatch(/<aside class="callout callout-erratum">\s*<p><strong>Erratum\.<\/strong>/);
    expect(html).toMatch(/<aside class="callout callout-more-exactly">/);
    expect(html).toMatch(/<blockquote>\s*<p>Just a quote\.<\/p>\s*<\/blockquote>/);
    expect(html.match(/<\/aside>/g)).toHaveLength(2);
  });

  it("links other chapters' notebooks to their pages, anchors kept; other links untouched", () => {
    const html = md().render("[ch 5](05-loss-functions.ipynb), [there](05-loss-functions.ipynb#5.2-cross-entropy), [web](https://example.org/a.ipynb)");
    expect(html).toContain('href="05-loss-functions.html"');
    expect(html).toContain('href="05-loss-functions.html#5.2-cross-entropy"');
    expect(html).toContain('href="https://example.org/a.ipynb"');
    const slides = markdownRenderer({ link: (f: string) => "../" + f.replace(/\.ipynb$/, ".html") });
    expect(slides.render("[i](index.ipynb)")).toContain('href="../index.html"');
  });

  it("gives headings anchors, numbered when repeated, and lists a notebook's sections with the same anchors", () => {
    expect(slugify("5.2 Cross-entropy: *why* it works")).toBe("5.2-cross-entropy-why-it-works");
    const nb = notebook([text("# Chapter 05 · Loss\n\n## 5.1 MSE\n\n### Check it"), text("## FAQ\n\n### Check it\n\n```\n## not a heading\n```")]);
    const r = md();
    const html = nb.cells.map((c) => r.render(c.source)).join("");
    const ids = [...html.matchAll(/<h[1-3] id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids).toEqual(["chapter-05-loss", "5.1-mse", "check-it", "faq", "check-it-2"]);
    const o = outline(nb);
    expect(o.title).toBe("Chapter 05 · Loss");
    expect(o.sections.map((s: { id: string }) => s.id)).toEqual(ids.slice(1));
  });
});

describe("outputs", () => {
  const figs: string[] = [];
  it("draws Plotly figures from their JSON (the page loads Plotly once), and drops the display that only carried the bundle", () => {
    const fig = { data: [{ x: [1, 2], y: [3, 4] }], layout: { title: { text: "a</script>" } } };
    const html = outputHtml({ output_type: "display_data", data: { "application/vnd.plotly.v1+json": fig, "text/html": "<div>big</div>", "text/plain": "Figure a" } }, figs, md());
    expect(html).toMatch(/<div class="plotly-figure" id="figure-1"/);
    expect(html).toContain('aria-label="Figure a"');
    expect(html).not.toContain("a</script>");
    const json = /<script type="application\/json" id="figure-1-data">(.*)<\/script>/.exec(html)![1];
    expect(JSON.parse(json)).toEqual(fig);
    expect(outputHtml({ output_type: "display_data", data: { "text/html": "<script>(function(){var define, module, exports;\n/* plotly */})</script>", "text/plain": "" } }, figs, md())).toBe("");
    expect(figs).toEqual(["figure-1"]);
  });

  it("shows streams escaped and without terminal colours, errors, HTML, SVG, images and plain text", () => {
    expect(outputHtml({ output_type: "stream", name: "stdout", text: ["a <b>", "\u001b[31m✗\u001b[0m"] }, figs, md()))
      .toBe('<pre class="output stdout">a &lt;b&gt;✗</pre>');
    expect(outputHtml({ output_type: "stream", name: "stderr", text: "oops" }, figs, md())).toContain('class="output stderr"');
    expect(outputHtml({ output_type: "error", ename: "E", evalue: "v", traceback: ["ShapeError: <2>"] }, figs, md())).toContain("ShapeError: &lt;2&gt;");
    expect(outputHtml({ output_type: "display_data", data: { "text/html": "<table><tr><td>1</td></tr></table>", "text/plain": "1" } }, figs, md())).toContain("<table>");
    expect(outputHtml({ output_type: "display_data", data: { "image/svg+xml": "<svg></svg>", "text/plain": "s" } }, figs, md())).toContain("<svg></svg>");
    expect(outputHtml({ output_type: "display_data", data: { "image/png": "iVBO\nRw==", "text/plain": "p" } }, figs, md())).toContain('src="data:image/png;base64,iVBORw=="');
    expect(outputHtml({ output_type: "execute_result", data: { "text/plain": "[1, 2]" } }, figs, md())).toBe('<pre class="output result">[1, 2]</pre>');
  });

  it("folds each worked solution and the explanation after its check, hides nbgrader's markers and the hidden tests; slides leave solutions out", () => {
    const answer = code("const x = 1;\n// BEGIN SOLUTION\nconst y = 2;\n// END SOLUTION", { nbgrader: { solution: true, grade: false, grade_id: "a" } });
    const check = code("exercise('1.1', () => {\n  checkClose(x, 1);\n  // BEGIN HIDDEN TESTS\n  checkClose(y, 2);\n  // END HIDDEN TESTS\n});", { nbgrader: { grade: true, solution: false, grade_id: "c", points: 1 } });
    expect(shownSource(answer)).toBe("const x = 1;\nconst y = 2;");
    expect(shownSource(check)).toBe("exercise('1.1', () => {\n  checkClose(x, 1);\n});\n// (further checks, which the instructor's edition holds, are not shown)");
    const nb = notebook([text("### Exercise 1.1"), answer, check, text("*Why:* because."), text("Next.")]);
    const html = cellsHtml(nb, md()).cells.map((c: { html: string }) => c.html);
    expect(html[1]).toMatch(/^<details class="solution"><summary>Worked solution<\/summary>/);
    expect(html[1]).not.toContain("BEGIN SOLUTION");
    expect(html[2]).toMatch(/^<div class="cell code check"><div class="cell-label">check<\/div>/);
    expect(html[2]).toContain("checkClose");
    expect(html[2]).not.toMatch(/HIDDEN|checkClose<\/span>\(y/);
    expect(html[3]).toMatch(/^<details class="solution explanation">/);
    expect(html[4]).toMatch(/^<div class="cell markdown">/);
    const onSlides = cellsHtml(nb, md(), { withoutSolutions: true }).cells;
    expect(onSlides.map((c: { index: number }) => c.index)).toEqual([0, 2, 4]);
  });

  it("on slides, folds long code in a cell that draws, so the picture fits", () => {
    const long = Array.from({ length: 20 }, (_, i) => `const a${i} = ${i};`).join("\n");
    const plotOut = { output_type: "display_data", data: { "application/vnd.plotly.v1+json": { data: [], layout: {} }, "text/plain": "f" } };
    const printOut = { output_type: "stream", name: "stdout", text: "x" };
    const nb = notebook([{ ...code(long), outputs: [plotOut] }, { ...code(long), outputs: [printOut] }, { ...code("plot();"), outputs: [plotOut] }]);
    const [drawing, printing, short] = cellsHtml(nb, md(), { foldCodeOver: 12 }).cells.map((c: { html: string }) => c.html);
    expect(drawing).toContain('<details class="code"><summary>The code (20 lines)</summary>');
    expect(printing).not.toContain("<details");
    expect(short).not.toContain("<details");
    expect(cellsHtml(nb, md()).cells[0].html).not.toContain("<details");
  });
});

describe("slides", () => {
  it("sets a slide type on every committed cell: a # or ## heading opens a slide, every other cell a slide below", () => {
    expect(defaultSlideType(text("## 3.1 The neuron\n\ntext"))).toBe("slide");
    expect(defaultSlideType(text("# Chapter 03"))).toBe("slide");
    expect(defaultSlideType(text("### Try it"))).toBe("subslide");
    expect(defaultSlideType(text("Plain text. ## not at the start"))).toBe("subslide");
    expect(defaultSlideType(code("## not markdown"))).toBe("subslide");
    for (const f of allNotebooks()) {
      const nb = JSON.parse(readFileSync(f, "utf8"));
      const missing = nb.cells.filter((c: Cell) => !(c.metadata.slideshow as { slide_type?: string } | undefined)?.slide_type);
      expect(missing, path.basename(f)).toHaveLength(0);
    }
  });

  it("groups cells as Jupyter's slideshow does: slide, subslide, fragment, continue, notes, skip", () => {
    const c = (type: string | undefined, html: string) => ({ cell: { metadata: type ? { slideshow: { slide_type: type } } : {} }, html });
    const d = deck([c("slide", "T"), c("-", "t2"), c("subslide", "S1"), c("fragment", "F"), c("notes", "N"), c("skip", "X"),
      c("slide", "U"), c(undefined, "u2"), c("subslide", "V")]);
    const shape = d.map((subs: { pieces: { html: string; fragment: boolean }[]; notes: string[] }[]) =>
      subs.map((s) => [s.pieces.map((p) => (p.fragment ? `+${p.html}` : p.html)).join(" "), s.notes.join(" ")]));
    expect(shape).toEqual([[["T t2", ""], ["S1 +F", "N"]], [["U u2", ""], ["V", ""]]]);
    // Cells before the first "slide" still make a slide.
    expect(deck([c("subslide", "a"), c("-", "b")]).length).toBe(1);
  });
});

describe("running the notebooks", () => {
  const kernel = path.join(root, "scripts", "book", "kernel.mjs");
  const write = (name: string, cells: Cell[]) => {
    mkdirSync(work, { recursive: true });
    const f = path.join(work, name);
    writeFileSync(f, JSON.stringify(notebook(cells)));
    return f;
  };

  it("records what each cell printed and showed, a live display keeping its last frame (even when a later cell updates it)", () => {
    const f = write("live.ipynb", [
      code('import { liveDisplay, display } from "byhand";\nconsole.log("one <two>");\nconst live = liveDisplay();\nfor (let i = 1; i <= 3; i++) live.show({ "text/plain": `frame ${i}` });'),
      code('display({ "text/html": "<b>hi</b>", "text/plain": "hi" });\nlive.show({ "text/plain": "frame 4" });\nconsole.error("careful");'),
    ]);
    const out = path.join(work, "live.out.ipynb");
    const r = spawnSync(process.execPath, [kernel, f, out, "k1"], { encoding: "utf8", cwd: work, timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const ran = JSON.parse(readFileSync(out, "utf8"));
    expect(ran.metadata.byhand_run.key).toBe("k1");
    expect(ran.cells[0].outputs).toEqual([
      { output_type: "stream", name: "stdout", text: "one <two>\n" },
      { output_type: "display_data", data: { "text/plain": "frame 4" }, metadata: {} },
    ]);
    expect(ran.cells[1].outputs).toEqual([
      { output_type: "display_data", data: { "text/html": "<b>hi</b>", "text/plain": "hi" }, metadata: {} },
      { output_type: "stream", name: "stderr", text: "careful\n" },
    ]);
    expect(ran.cells.map((c: { execution_count: number }) => c.execution_count)).toEqual([1, 2]);
  }, 120_000);

  it("stops at a failing cell as Run All does, fails with its message, and marks the run as not reusable", () => {
    const f = write("fails.ipynb", [
      code('throw new Error("expected failure");', { tags: ["raises-exception"] }),
      code("const n: number = 1;\nconsole.log(n);"),
      code('throw new Error("boom in cell 3");'),
      code('console.log("never");'),
    ]);
    const out = path.join(work, "fails.out.ipynb");
    const r = spawnSync(process.execPath, [kernel, f, out, "k2"], { encoding: "utf8", cwd: work, timeout: 120_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/fails\.ipynb: cell 3 failed:[\s\S]*boom in cell 3/);
    const ran = JSON.parse(readFileSync(out, "utf8"));
    expect(ran.metadata.byhand_run).toBeUndefined();
    expect(ran.cells[1].outputs[0].text).toBe("1\n");
    expect(ran.cells[2].outputs.at(-1).output_type).toBe("error");
    expect(ran.cells[3].outputs).toEqual([]);
  }, 120_000);

  it("reuses a kept run until a code cell changes; a Markdown edit shows without running again", async () => {
    const dir = path.join(work, "executed");
    const f = write("cached.ipynb", [text("# Title"), code('console.log("ran at", Date.now());')]);
    const log: string[] = [];
    await executeAll([f], { dir, log: (l: string) => log.push(l) });
    expect(log.join("\n")).toMatch(/Running 1 of 1 notebooks[\s\S]*cached\.ipynb/);
    const first = readFileSync(executedPath(f, dir), "utf8");
    const key = resultKey(f);

    write("cached.ipynb", [text("# A new title"), code('console.log("ran at", Date.now());')]);
    expect(resultKey(f)).toBe(key);
    log.length = 0;
    await executeAll([f], { dir, log: (l: string) => log.push(l) });
    expect(log).toEqual([]);
    expect(readFileSync(executedPath(f, dir), "utf8")).toBe(first);
    const shown = withOutputs(f, executedPath(f, dir));
    expect(shown.cells[0].source).toBe("# A new title");
    expect(shown.cells[1].outputs[0].text).toMatch(/^ran at \d+/);

    write("cached.ipynb", [text("# A new title"), code('console.log("changed", Date.now());')]);
    expect(resultKey(f)).not.toBe(key);
    await executeAll([f], { dir, log: (l: string) => log.push(l) });
    expect(log.join("\n")).toMatch(/Running 1 of 1/);
    expect(withOutputs(f, executedPath(f, dir)).cells[1].outputs[0].text).toMatch(/^changed \d+/);

    write("cached.ipynb", [text("# A new title"), code('console.log("changed");'), code("console.log(2);")]);
    expect(() => withOutputs(f, executedPath(f, dir))).toThrow(/does not hold a run of .*cached\.ipynb: run npm run book again/);
  }, 240_000);

  it("a notebook that fails stops the build with the notebook, the cell and the message", async () => {
    const f = write("broken.ipynb", [code('throw new Error("broken on purpose");')]);
    await expect(executeAll([f], { dir: path.join(work, "executed"), log: () => {} }))
      .rejects.toThrow(/Could not run every notebook:\nbroken\.ipynb: cell 1 failed:[\s\S]*broken on purpose/);
  }, 120_000);
});

describe("serving the book", () => {
  it("serves the folder's files with their types, index.html for a folder, and nothing outside it", async () => {
    const dir = path.join(work, "site");
    mkdirSync(path.join(dir, "assets"), { recursive: true });
    writeFileSync(path.join(dir, "index.html"), "<p>home</p>");
    writeFileSync(path.join(dir, "assets", "a.js"), "1");
    writeFileSync(path.join(work, "secret.txt"), "no");
    const { server, url } = await serveFolder(dir);
    try {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const home = await fetch(url);
      expect(home.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(await home.text()).toBe("<p>home</p>");
      expect((await fetch(url + "assets/a.js")).headers.get("content-type")).toBe("text/javascript; charset=utf-8");
      expect((await fetch(url + "missing.html")).status).toBe(404);
      const port = new URL(url).port;
      // fetch normalises "../", so send the raw path the way a hostile client could.
      const status = (p: string) => new Promise((resolve, reject) =>
        get({ host: "127.0.0.1", port: Number(port), path: p }, (r) => { r.resume(); resolve(r.statusCode); }).on("error", reject));
      expect(await status("/../secret.txt")).toBe(404); // the URL's own "../" stops at the site's root
      expect(await status("/..%2fsecret.txt")).toBe(403); // an encoded one is refused
      expect(await status("/assets/..%2f..%2fsecret.txt")).toBe(403);
      await expect(serveFolder(dir, { port: Number(port) })).rejects.toThrow(`port ${port} is in use: choose another with --port`);
    } finally {
      server.close();
    }
  });

  it("npm start's --port for the book: a number, else a clear error; none means any free port", () => {
    expect(bookPort(["--port", "8123"])).toBe(8123);
    expect(bookPort(["--no-browser", "--port=9000"])).toBe(9000);
    expect(bookPort([])).toBe(0);
    expect(() => bookPort(["--port", "abc"])).toThrow("npm start: --port needs a port number, got abc");
  });
});
