/**
 * A learner's path through the classic Notebook UI: open a chapter, choose
 * Kernel → Restart & Run All, and see every cell run and every plot drawn, offline.
 * The chapter is copied into build/ first, so the committed notebook is never written.
 */
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import * as path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { root } from "../../scripts/setup.mjs";
import { launchChromium } from "./browser";
import { startJupyter, waitForKernelIdle, type JupyterServer } from "./jupyter-server";
import { e2eMissing } from "./requirements";

const CHAPTERS = ["03-neurons-and-activations"];
/** Ceilings, not waits: each wait ends as soon as the kernel or page reports it is ready. */
const KERNEL_CEILING = 300_000;
const RUN_ALL_CEILING = 600_000;
const missing = e2eMissing();

describe.skipIf(missing !== null)("the classic Notebook UI", () => {
  const dir = path.join(root, "build", "ui-test");
  let browser: Browser;
  let server: JupyterServer;

  beforeAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    for (const name of CHAPTERS) copyFileSync(path.join(root, "notebooks", `${name}.ipynb`), path.join(dir, `${name}.ipynb`));
    server = await startJupyter(dir);
    browser = await launchChromium();
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  for (const name of CHAPTERS) {
    it(`${name}: Kernel → Restart & Run All runs every cell and draws every plot`, async () => {
      const page = await browser.newPage();
      const errors: string[] = [];
      const remote: string[] = [];
      page.on("pageerror", (e) => errors.push(String(e)));
      page.on("request", (r) => { if (/^https?:/.test(r.url()) && !r.url().startsWith("http://127.0.0.1")) remote.push(r.url()); });
      await page.goto(server.url(`/notebooks/${name}.ipynb`), { timeout: KERNEL_CEILING });
      // Opening the notebook starts its kernel. Wait on the kernel's own state, as Jupyter
      // reports it, then for the page to be connected to it: on a busy machine tslab can take
      // well over a minute to start, so the ceilings are generous and each failure says why.
      await waitForKernelIdle(server.url, `${name}.ipynb`, { ceilingMs: KERNEL_CEILING });
      await page.waitForFunction(() => (window as any).Jupyter?.notebook?.kernel?.is_connected?.(), null,
        { timeout: KERNEL_CEILING, polling: 500 }).catch((e) => {
        throw new Error(`the kernel of ${name} is idle, but the page did not connect to it: ${e}\n${server.log()}`);
      });

      await page.click("#kernellink");
      await page.click("#restart_run_all");
      await page.click(".modal-footer button.btn-danger"); // "Restart and Run All Cells"

      // Done when every code cell shows an execution count and the kernel is idle.
      await page.waitForFunction(() => {
        const nb = (window as any).Jupyter.notebook;
        const cells = nb.get_cells().filter((c: any) => c.cell_type === "code");
        return cells.every((c: any) => typeof c.input_prompt_number === "number") &&
          document.querySelector("#kernel_indicator_icon.kernel_idle_icon") !== null;
      }, null, { timeout: RUN_ALL_CEILING, polling: 500 }).catch(async (e) => {
        const progress = await page.evaluate(() => {
          const cells = (window as any).Jupyter.notebook.get_cells().filter((c: any) => c.cell_type === "code");
          return `${cells.filter((c: any) => typeof c.input_prompt_number === "number").length} of ${cells.length} code cells ran`;
        }).catch(() => "progress unknown");
        throw new Error(`Restart & Run All of ${name} did not finish within ${RUN_ALL_CEILING / 1000} s (${progress}): ${e}\n${server.log()}`);
      });

      const result = await page.evaluate(() => ({
        stderr: Array.from(document.querySelectorAll(".output_stderr, .output_error")).map((e) => e.textContent),
        plots: document.querySelectorAll(".byhand-plot").length,
        drawn: Array.from(document.querySelectorAll(".byhand-plot")).filter((el) => el.querySelector(".main-svg")).length,
      }));
      await page.close();
      expect(result.stderr, server.log()).toEqual([]);
      expect(result.plots).toBeGreaterThan(0);
      expect(result.drawn).toBe(result.plots);
      expect(errors).toEqual([]);
      expect(remote).toEqual([]);
    }, KERNEL_CEILING * 2 + RUN_ALL_CEILING + 60_000);
  }
});
