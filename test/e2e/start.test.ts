/**
 * `npm start`: it opens Jupyter Notebook on the learner's working copy of the chapters with this
 * checkout's own kernel. (Where Jupyter is missing it serves the book instead: book.test.ts.)
 */
import { spawn } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { root } from "../../scripts/setup.mjs";
import { freePort, waitForJupyter } from "./jupyter-server";
import { e2eMissing } from "./requirements";

const start = path.join(root, "scripts", "start.mjs");

describe("npm start", () => {
  it.skipIf(e2eMissing() !== null)("serves the working copy (the learner's edition of notebooks/) with the course index and this checkout's TypeScript kernel", async () => {
    const port = await freePort();
    const token = "start-test";
    // A working copy of its own (inside the checkout, where `byhand` resolves), not the developer's.
    const copy = path.join(root, "build", "start-test-working-copy");
    rmSync(copy, { recursive: true, force: true });
    const child = spawn(process.execPath, [start, "--no-browser", `--port=${port}`, `--NotebookApp.token=${token}`],
      { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, BYHAND_WORKING_COPY: copy } });
    let log = "";
    child.stdout.on("data", (d) => { log += d; });
    child.stderr.on("data", (d) => { log += d; });
    const url = (p: string) => `http://127.0.0.1:${port}${p}?token=${token}`;
    const get = async (p: string) => (await fetch(url(p))).json();
    try {
      await waitForJupyter(url, () => child.exitCode !== null, () => log);
      const index = await get("/api/contents/index.ipynb");
      expect(index.type).toBe("notebook");
      const chapter = await get("/api/contents/03-neurons-and-activations.ipynb");
      expect(chapter.type).toBe("notebook");
      // It is the learner's edition: answers stubbed, the worked solutions at the back.
      const sources: string[] = chapter.content.cells.map((c: { source: string }) => c.source);
      expect(sources.some((s) => s.includes('throw new Error("not implemented");'))).toBe(true);
      expect(sources.some((s) => s.includes("BEGIN SOLUTION"))).toBe(false);
      expect(sources.filter((s) => s.startsWith("## Solutions"))).toHaveLength(1);
      expect(existsSync(path.join(copy, ".generated.json"))).toBe(true);
      const specs = await get("/api/kernelspecs");
      const tslab = specs.kernelspecs.tslab;
      expect(tslab.spec.argv.slice(0, 2)).toEqual([process.execPath, path.join(root, "node_modules", "tslab", "bin", "tslab")]);
      expect(tslab.spec.language).toBe("typescript");
      expect(log).toMatch(/Kernel > Restart & Run All/);
    } finally {
      child.kill("SIGINT");
      await new Promise((r) => child.on("exit", r));
    }
  }, 300_000);
});
