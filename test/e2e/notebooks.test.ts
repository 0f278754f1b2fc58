/**
 * The notebooks through real Jupyter: every notebook executes under nbconvert with this
 * checkout's TypeScript kernel, and its HTML export, opened offline in headless Chromium,
 * draws every figure the notebook displayed. (`npm test` builds the library and registers
 * the kernel before vitest starts.)
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { executeNotebook } from "../../scripts/execute-notebooks.mjs";
import { allNotebooks } from "../../scripts/notebooks.mjs";
import { root } from "../../scripts/setup.mjs";
import { launchChromium } from "./browser";
import { e2eMissing } from "./requirements";

const missing = e2eMissing();

/**
 * How many figures the executed notebook's HTML outputs hold: one `byhand-plot` element per
 * figure, whether shown with plot() (HTML beside Plotly's JSON) or as HTML alone (a live
 * display that redraws one figure while training). At least one per Plotly JSON output.
 */
function figureCount(executed: string): number {
  const nb = JSON.parse(readFileSync(executed, "utf8")) as { cells: { outputs?: { data?: Record<string, unknown> }[] }[] };
  const outputs = nb.cells.flatMap((c) => c.outputs ?? []);
  const html = (o: { data?: Record<string, unknown> }) => {
    const h = o.data?.["text/html"];
    return Array.isArray(h) ? h.join("") : typeof h === "string" ? h : "";
  };
  const figures = outputs.reduce((n, o) => n + (html(o).match(/class="byhand-plot"/g) ?? []).length, 0);
  const plotly = outputs.filter((o) => o.data?.["application/vnd.plotly.v1+json"]).length;
  expect(figures, "every Plotly figure also has its HTML form").toBeGreaterThanOrEqual(plotly);
  return figures;
}

describe.skipIf(missing !== null)("notebooks through real Jupyter", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  }, 300_000);
  afterAll(async () => { await browser?.close(); });

  for (const file of allNotebooks()) {
    const name = path.basename(file, ".ipynb");
    it(`${name}: nbconvert executes it, and its HTML export draws every figure offline`, async () => {
      const result = await executeNotebook(file);
      expect(result.problems, result.problems.join("\n")).toEqual([]);

      const expected = figureCount(path.join(root, "build", "executed", `${name}.ipynb`));
      const page = await browser.newPage();
      const remote: string[] = [];
      const errors: string[] = [];
      page.on("request", (r) => { if (/^https?:/.test(r.url())) remote.push(r.url()); });
      page.on("pageerror", (e) => errors.push(String(e)));
      // Ceilings, not waits: the page is several megabytes (Plotly inline), slow on a busy machine.
      await page.goto(pathToFileURL(path.join(root, "build", "html", `${name}.html`)).href, { timeout: 300_000 });
      await page.waitForFunction((n) => Array.from(document.querySelectorAll(".byhand-plot"))
        .filter((el) => el.querySelector(".main-svg")).length >= n, expected, { timeout: 300_000, polling: 250 });
      const drawn = await page.evaluate(() => Array.from(document.querySelectorAll(".byhand-plot")).map((el) => ({
        svg: el.querySelector(".main-svg") !== null,
        // 2-D traces are SVG groups; 3-D ones (surface, scatter3d) are drawn on a WebGL canvas of a scene.
        traces: el.querySelectorAll(".scatterlayer .trace, .heatmaplayer .hm, .contourlayer .contour, .barlayer .trace, .boxlayer .trace").length +
          Array.from(el.querySelectorAll(".gl-container canvas")).filter((c) => (c as HTMLCanvasElement).width > 0).length,
      })));
      await page.close();
      expect(drawn.length).toBe(expected);
      expect(drawn.filter((d) => !d.svg || d.traces === 0)).toEqual([]);
      expect(errors).toEqual([]);
      expect(remote).toEqual([]);
    }, 1_800_000);
  }
});
