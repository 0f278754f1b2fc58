/**
 * The vitest suite for one notebook: checkNotebook (./check.ts, the same function the command
 * line uses) runs it top to bottom in a fresh executor and applies every check; here each
 * part of its report becomes a test: one per code cell, the Run All rule, the strict type
 * check, the type check with solutions stubbed out, the figure rules. Then the chapter's own
 * checks when test/notebooks/<name>.ts exists. The vitest plugin in ./plugin.ts turns every
 * notebook into such a suite.
 */
import { existsSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, it } from "vitest";
import { checkNotebook, hasSolutions, type NotebookReport } from "./check";
import { cellSource, readNotebook, type NotebookRun } from "./notebook";

export type ChapterChecks = (run: () => NotebookRun) => void;

const here = path.dirname(fileURLToPath(import.meta.url));

/** Fails with every problem, one after another, or passes when there are none. */
function noProblems(problems: readonly string[] | undefined): void {
  if (problems === undefined) throw new Error("the notebook was not checked (see the error above)");
  if (problems.length) throw new Error(problems.join("\n\n"));
}

export function notebookSuite(file: string): void {
  const nb = readNotebook(file);
  const name = path.basename(file, ".ipynb");
  let report: NotebookReport | undefined;
  const getRun = () => {
    if (!report) throw new Error("the notebook did not run");
    return report.run;
  };

  describe(name, () => {
    beforeAll(async () => { report = await checkNotebook(file); }, 600_000);

    for (const [index, cell] of nb.cells.entries()) {
      if (cell.cell_type !== "code") continue;
      const firstLine = cellSource(cell).split("\n")[0].slice(0, 60);
      it(`cell ${index}: ${firstLine}`, () => {
        const c = report?.cells.find((r) => r.index === index);
        noProblems(c?.problems.map((p) => `cell ${index}: ${p}\n--- source ---\n${c.source}`));
      });
    }

    it("runs in Jupyter's Run All (no raising cell before other code)", () => noProblems(report?.runAll));

    it("type-checks under strict TypeScript", () => noProblems(report?.types));

    if (hasSolutions(nb)) {
      it("still type-checks with every worked solution replaced by a \"not implemented\" stub",
        () => noProblems(report?.stubTypes ?? undefined));
    }

    it("titles every figure and its axes, and names traces when there are several", () => noProblems(report?.figures));

    const checksFile = path.resolve(here, "..", "notebooks", `${name}.ts`);
    if (existsSync(checksFile)) {
      describe("chapter checks", async () => {
        const mod = (await import(checksFile)) as { default: ChapterChecks };
        mod.default(getRun);
      });
    }
  });
}
