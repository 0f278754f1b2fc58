/**
 * The vitest suite for one notebook: run it top to bottom in a fresh executor, then one
 * test per code cell (did it run, did it meet its expectations), the strict type check,
 * the course's figure rules, and the chapter's own checks when test/notebooks/<name>.ts
 * exists. The vitest plugin in ./plugin.ts turns every notebook into such a suite.
 */
import { existsSync } from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  cellSource, checkCell, notebookProblems, readNotebook, runNotebook, typecheckNotebook, type NotebookRun,
} from "./notebook";
import { stubSolutions } from "../../scripts/notebooks.mjs";

export type ChapterChecks = (run: () => NotebookRun) => void;

const here = path.dirname(new URL(import.meta.url).pathname);

export function notebookSuite(file: string): void {
  const nb = readNotebook(file);
  const name = path.basename(file, ".ipynb");
  let run: NotebookRun | undefined;
  const getRun = () => {
    if (!run) throw new Error("the notebook did not run");
    return run;
  };

  describe(name, () => {
    beforeAll(async () => { run = await runNotebook(file); }, 600_000);

    for (const [index, cell] of nb.cells.entries()) {
      if (cell.cell_type !== "code") continue;
      const firstLine = cellSource(cell).split("\n")[0].slice(0, 60);
      it(`cell ${index}: ${firstLine}`, () => {
        const r = getRun();
        const cellRun = r.cells.find((c) => c.index === index);
        if (!cellRun) {
          throw new Error(`cell ${index} did not run: cell ${r.stoppedAt} failed before it`);
        }
        const problems = checkCell(cell, cellRun, r.locals);
        expect(problems, `cell ${index}:\n${cellRun.source}\n`).toEqual([]);
      });
    }

    it("runs in Jupyter's Run All (no raising cell before other code)", () => {
      expect(notebookProblems(nb)).toEqual([]);
    });

    it("type-checks under strict TypeScript", () => {
      const problems = typecheckNotebook(file).map((p) => `cell ${p.cell}, line ${p.line}: ${p.message}`);
      expect(problems).toEqual([]);
    }, 60_000);

    if (nb.cells.some((c) => cellSource(c).includes("// BEGIN SOLUTION"))) {
      it("still type-checks with every worked solution replaced by a \"not implemented\" stub", () => {
        const problems = typecheckNotebook(file, stubSolutions).map((p) => `cell ${p.cell}, line ${p.line}: ${p.message}`);
        expect(problems).toEqual([]);
      }, 60_000);
    }

    it("titles every figure and its axes, and names traces when there are several", () => {
      const problems: string[] = [];
      for (const c of getRun().cells) {
        for (const d of c.displays) {
          const fig = d["application/vnd.plotly.v1+json"] as
            { data: { name?: string }[]; layout: Record<string, { text?: string; title?: { text?: string } }> } | undefined;
          if (!fig) continue;
          const where = `cell ${c.index}`;
          if (!fig.layout.title?.text) problems.push(`${where}: a figure has no title`);
          for (const axis of ["xaxis", "yaxis"]) {
            if (!fig.layout[axis]?.title?.text) problems.push(`${where}: the ${axis} has no title`);
          }
          if (fig.data.length > 1 && fig.data.some((t) => !t.name)) problems.push(`${where}: a trace has no name for the legend`);
        }
      }
      expect(problems).toEqual([]);
    });

    const checksFile = path.resolve(here, "..", "notebooks", `${name}.ts`);
    if (existsSync(checksFile)) {
      describe("chapter checks", async () => {
        const mod = (await import(checksFile)) as { default: ChapterChecks };
        mod.default(getRun);
      });
    }
  });
}
