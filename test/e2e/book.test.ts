/**
 * The book and the slides, as readers open them: every page straight from disk in headless
 * Chromium (so the folder works zipped or offline), every chart drawn, every formula typeset,
 * no console errors, no request leaving the machine, every link landing on a page and an
 * anchor that exist, search finding a late chapter; every slide deck opening and advancing;
 * and `npm start` serving the book where Jupyter is missing. Also takes the README's
 * screenshots (into build/screenshots/).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildBook, bookNotebooks, pageName } from "../../scripts/book/book.mjs";
import { executedPath } from "../../scripts/book/execute.mjs";
import { root } from "../../scripts/setup.mjs";
import { findChromium, launchChromium } from "./browser";

const ci = process.env.CI === "true" || process.env.CI === "1";
const chromium = findChromium();
if (!chromium && ci) throw new Error("CI: the book's browser tests need Chromium (apt-get install chromium)");
if (!chromium) console.warn("Skipping the book's browser tests: they need Chromium (apt-get install chromium).");

const site = path.join(root, "build", "book-test");
const shots = path.join(root, "build", "screenshots");
const notebooks = bookNotebooks();
const pages = notebooks.map(pageName);
const chapters = pages.filter((p) => p !== "index.html");

/** How many Plotly figures a notebook's run produced: each must be drawn on its page. */
function figuresIn(notebook: string): number {
  const nb = JSON.parse(readFileSync(executedPath(notebook), "utf8"));
  return nb.cells.flatMap((c: { outputs?: { data?: Record<string, unknown> }[] }) => c.outputs ?? [])
    .filter((o: { data?: Record<string, unknown> }) => o.data?.["application/vnd.plotly.v1+json"]).length;
}

/** A page with its console errors and every request that was not for a local file recorded. */
async function open(browser: Browser, url: string) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors: string[] = [];
  const external: string[] = [];
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("request", (r) => {
    const u = r.url();
    if (!/^(file|data|blob|about):/.test(u) && !u.startsWith(base)) external.push(u);
  });
  await page.route(/^https?:/, (route) => (route.request().url().startsWith(base) ? route.continue() : route.abort()));
  await page.goto(url, { waitUntil: "load" });
  return { page, errors, external };
}
let base = "\u0000"; // the served book's address in the npm start test; nothing else may be requested

/** Text outside code, outputs and typeset math that still holds a "$": math left raw. */
const rawDollars = (page: Page) => page.evaluate(() => {
  const found: string[] = [];
  const walk = document.createTreeWalker(document.querySelector("main") ?? document.body, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    const el = n.parentElement;
    if (el?.closest("pre, code, script, style, .katex, .output") || !n.textContent?.includes("$")) continue;
    found.push(n.textContent.trim().slice(0, 120));
  }
  return found;
});

const drawn = (page: Page, count: number) => page.waitForFunction((n) => {
  const figs = Array.from(document.querySelectorAll(".plotly-figure"));
  return figs.length === n && figs.every((f) => f.querySelector("svg.main-svg"));
}, count, { timeout: 120_000 });

describe.skipIf(!chromium)("the book and the slides", () => {
  let browser: Browser;

  beforeAll(async () => {
    // Runs the notebooks that changed since their last run (all of them on a fresh clone).
    await buildBook({ out: site, log: (l: string) => console.log(l) });
    browser = await launchChromium();
    mkdirSync(shots, { recursive: true });
  }, 3_600_000);
  afterAll(async () => { await browser?.close(); });

  it("has a page for every notebook and a deck for every chapter, and every link in them leads somewhere real", () => {
    for (const p of pages) expect(existsSync(path.join(site, p)), p).toBe(true);
    for (const p of chapters) expect(existsSync(path.join(site, "slides", p)), `slides/${p}`).toBe(true);
    const files = [...pages, ...chapters.map((p) => `slides/${p}`)];
    const ids = new Map<string, Set<string>>();
    const idsOf = (file: string) => {
      if (!ids.has(file)) {
        const html = readFileSync(file, "utf8");
        ids.set(file, new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1])));
      }
      return ids.get(file)!;
    };
    const problems: string[] = [];
    let checked = 0;
    for (const f of files) {
      const file = path.join(site, f);
      const html = readFileSync(file, "utf8");
      if (html.includes(root)) problems.push(`${f} holds this machine's path ${root}`);
      // The book may be handed to students: no hidden tests, no nbgrader markers in its code
      // (chapter 00's text explains the markers, so only code is searched).
      const shownCode = [...html.matchAll(/<pre class="source[^"]*">([\s\S]*?)<\/pre>/g)].map((m) => m[1]).join("\n");
      for (const marker of ["BEGIN HIDDEN TESTS", "BEGIN SOLUTION", "END SOLUTION"]) if (shownCode.includes(marker)) problems.push(`${f} shows "${marker}"`);
      if (f.startsWith("slides/") && html.includes('class="solution')) problems.push(`${f} holds a worked solution`);
      for (const m of html.matchAll(/<(\w+)[^>]*?\s(href|src)="([^"]*)"/g)) {
        const url = m[3].replace(/&amp;/g, "&");
        // A hyperlink may lead out (to Plotly's documentation, say): the reader chooses to follow
        // it. Everything a page loads by itself must come from the site.
        if (m[1] === "a" && /^https?:\/\//.test(url)) continue;
        if (/^(https?:|file:|\/)/.test(url)) { problems.push(`${f}: ${url} leaves the site`); continue; }
        if (/^(data:|mailto:)/.test(url)) continue;
        const [target, hash] = url.split("#");
        const dest = target ? path.resolve(path.dirname(file), decodeURIComponent(target)) : file;
        checked++;
        if (!existsSync(dest)) { problems.push(`${f}: ${url} does not exist`); continue; }
        if (hash && dest.endsWith(".html") && !idsOf(dest).has(decodeURIComponent(hash))) problems.push(`${f}: no #${hash} in ${target || f}`);
      }
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(500);
  });

  for (const [i, p] of pages.entries()) {
    it(`${p}: every chart drawn, every formula typeset, no console error, nothing fetched from outside`, async () => {
      const figures = figuresIn(notebooks[i]);
      const { page, errors, external } = await open(browser, pathToFileURL(path.join(site, p)).href);
      try {
        await drawn(page, figures);
        expect(await page.locator(".katex-error").count()).toBe(0);
        expect(await rawDollars(page)).toEqual([]);
        const md = readFileSync(notebooks[i], "utf8");
        if (/\$[^$\s]/.test(md)) expect(await page.locator(".katex").count()).toBeGreaterThan(0);
        // The folded worked solutions: as many as the notebook has answer cells, all closed.
        const answers = (md.match(/"solution": true/g) ?? []).length;
        expect(await page.locator("details.solution:not(.explanation)").count()).toBe(answers);
        expect(await page.locator("details[open]").count()).toBe(0);
        if (p !== "index.html") {
          expect(await page.locator("main h1").count()).toBe(1);
          expect(await page.locator(".toc a").count()).toBeGreaterThan(3);
          expect(await page.locator(".prevnext a").count()).toBeGreaterThan(0);
        }
        if (p === "03-neurons-and-activations.html") {
          expect(await page.locator("aside.callout-erratum").count()).toBeGreaterThan(0);
          await page.locator(".plotly-figure").first().scrollIntoViewIfNeeded();
          await page.screenshot({ path: path.join(shots, "book.png") });
        }
        expect(errors).toEqual([]);
        expect(external).toEqual([]);
      } finally {
        await page.close();
      }
    }, 180_000);
  }

  for (const p of ["05-loss-functions.html", "10-optimizers.html"]) {
    it(`${p} on a phone (400 px): the chapter starts at the top, nothing widens the page, charts fit, ☰ opens the chapter list`, async () => {
      const page = await browser.newPage({ viewport: { width: 400, height: 800 } });
      try {
        await page.goto(pathToFileURL(path.join(site, p)).href);
        await drawn(page, figuresIn(notebooks[pages.indexOf(p)]));
        expect(await page.evaluate(() => document.querySelector("main h1")!.getBoundingClientRect().top)).toBeLessThan(200);
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(400);
        const widest = await page.evaluate(() => Math.max(...Array.from(document.querySelectorAll(".plotly-figure svg.main-svg")).map((s) => s.getBoundingClientRect().width)));
        expect(widest).toBeLessThanOrEqual(400);
        expect(await page.locator(".sidebar").isVisible()).toBe(false);
        await page.click(".nav-toggle");
        expect(await page.locator(".sidebar").isVisible()).toBe(true);
        expect(await page.locator(".nav-toggle").getAttribute("aria-expanded")).toBe("true");
      } finally {
        await page.close();
      }
    }, 180_000);
  }

  it("search, offline, finds a term from the last chapter and leads to it", async () => {
    const { page, errors, external } = await open(browser, pathToFileURL(path.join(site, "index.html")).href);
    try {
      await page.keyboard.press("/");
      expect(await page.evaluate(() => document.activeElement?.id)).toBe("search");
      await page.keyboard.type("forget gate");
      const first = page.locator('#search-results[data-query="forget gate"] li a').first();
      await first.waitFor({ timeout: 60_000 });
      expect(await first.getAttribute("href")).toMatch(/^14-where-deep-learning-goes-next\.html#/);
      await first.click();
      await page.waitForURL(/14-where-deep-learning-goes-next\.html#/);
      expect(errors).toEqual([]);
      expect(external).toEqual([]);
    } finally {
      await page.close();
    }
  }, 120_000);

  for (const p of chapters) {
    it(`slides/${p}: opens, advances, and draws the charts of the slides it shows`, async () => {
      const { page, errors, external } = await open(browser, pathToFileURL(path.join(site, "slides", p)).href);
      try {
        await page.waitForFunction(() => (window as unknown as { Reveal?: { isReady(): boolean } }).Reveal?.isReady());
        const total = await page.evaluate(() => (window as any).Reveal.getTotalSlides());
        expect(total).toBeGreaterThan(5);
        const at = () => page.evaluate(() => (window as any).Reveal.getIndices());
        expect(await at()).toEqual({ h: 0, v: 0, f: undefined });
        await page.locator(".reveal").click({ position: { x: 5, y: 400 } });
        await page.keyboard.press("ArrowRight");
        await page.waitForFunction(() => (window as any).Reveal.getIndices().h === 1);
        // The slide's text fits (set smaller if need be, down to 60 %) or is at the floor.
        expect(await page.evaluate(() => {
          const s = (window as any).Reveal.getCurrentSlide() as HTMLElement;
          return s.scrollHeight <= s.clientHeight + 2 || s.style.fontSize === "60%";
        })).toBe(true);
        // Space goes to the next slide in reading order: below this one, or the next column.
        await page.keyboard.press("Space");
        await page.waitForFunction(() => { const i = (window as any).Reveal.getIndices(); return i.v === 1 || i.h === 2; });
        expect(await page.locator(".katex-error").count()).toBe(0);
        // Go to the first slide with a chart (if any) and see it drawn.
        const withChart = await page.evaluate(() => {
          const fig = document.querySelector(".plotly-figure");
          const sec = fig?.closest("section");
          return sec ? (window as any).Reveal.getIndices(sec) : null;
        });
        if (withChart) {
          await page.evaluate(({ h, v }) => (window as any).Reveal.slide(h, v), withChart);
          await page.waitForFunction(() => {
            const cur = (window as any).Reveal.getCurrentSlide() as Element;
            const figs = Array.from(cur.querySelectorAll(".plotly-figure"));
            return figs.length > 0 && figs.every((f) => f.querySelector("svg.main-svg"));
          }, undefined, { timeout: 60_000 });
          if (p === "03-neurons-and-activations.html") await page.screenshot({ path: path.join(shots, "slides.png") });
        }
        expect(errors).toEqual([]);
        expect(external).toEqual([]);
      } finally {
        await page.close();
      }
    }, 180_000);
  }

  it("npm start, where Jupyter is not installed, serves the book and says how to install Jupyter", async () => {
    // A PATH holding only node: no jupyter, no browser opener.
    const bin = mkdtempSync(path.join(tmpdir(), "no-jupyter-"));
    symlinkSync(process.execPath, path.join(bin, "node"));
    const child = spawn(process.execPath, [path.join(root, "scripts", "start.mjs"), "--no-browser"],
      { env: { ...process.env, PATH: bin }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "", err = "";
    child.stdout.on("data", (d) => { out += d; });
    child.stderr.on("data", (d) => { err += d; });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const look = () => { const m = /The book is at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out); if (m) resolve(m[1]); };
        child.stdout.on("data", look);
        child.on("exit", (code) => reject(new Error(`npm start ended (${code}) before serving the book:\n${out}\n${err}`)));
      });
      expect(err).toContain("Jupyter Notebook is not installed");
      expect(err).toContain("apt-get install jupyter-notebook jupyter-nbconvert python3-nbclient");
      expect(err).toContain("pip install notebook");
      base = url;
      const chapter = "08-linear-regression.html";
      const { page, errors, external } = await open(browser, url);
      try {
        expect(await page.locator(`.chapters a[href="${chapter}"]`).count()).toBe(1);
        await page.click(`.chapters a[href="${chapter}"]`);
        await page.waitForURL(new RegExp(chapter));
        await drawn(page, figuresIn(notebooks[pages.indexOf(chapter)]));
        expect(errors).toEqual([]);
        expect(external).toEqual([]);
      } finally {
        await page.close();
      }
      expect((await fetch(url + "../../etc/passwd")).status).not.toBe(200);
    } finally {
      base = "\u0000";
      child.kill("SIGTERM");
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.on("exit", r)));
    }
  }, 600_000);
});
