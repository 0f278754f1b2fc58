/**
 * Every chapter's exercises survive both editions: with the answers stubbed, the exercises
 * section runs in a fresh kernel without a single failing cell, and every check reports ✗
 * "not done yet" instead of stopping Run All.
 *
 * What runs: every code cell from the first answer cell to the end of the notebook, plus the
 * earlier cells those depend on (the grader's own dependency analysis). The cells before the
 * first answer cell are the instructor's, unchanged, and the chapter's own suite runs them;
 * that both editions type-check as whole notebooks is in editions.test.ts.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { exercises, learnerEdition, studentEdition } from "../scripts/editions.mjs";
import { neededCells, runCells } from "../scripts/grade.mjs";
import { allNotebooks } from "../scripts/notebooks.mjs";
import type { Notebook } from "./harness/notebook";

const src = (c: { source: string | string[] }) => (Array.isArray(c.source) ? c.source.join("") : c.source);
const chapters = allNotebooks().filter((f) => exercises(JSON.parse(readFileSync(f, "utf8"))).length > 0);

describe.each(chapters.map((f) => [path.basename(f), f]))("%s", (name, file) => {
  const instructor = JSON.parse(readFileSync(file, "utf8")) as Notebook;
  for (const [kind, make] of [["learner's", learnerEdition], ["student", studentEdition]] as const) {
    it(`${kind} edition: the exercises section runs, every check reporting ✗ not done yet`, async () => {
      const nb = make(instructor, name) as Notebook;
      const list = exercises(nb);
      const code = nb.cells.map((c, i) => ({ c, i })).filter(({ c }) => c.cell_type === "code");
      const first = code.findIndex(({ i }) => i === list[0].answers[0]);
      const sources = code.map(({ c }) => src(c));
      const run = neededCells(sources, code.map((_, k) => k).filter((k) => k >= first));
      const results = await runCells(path.dirname(file), run.map((k) => ({ source: sources[k], limit: 600_000 })));
      expect(results).toHaveLength(run.length);
      const problems = results.flatMap((r, j) => {
        const cell = code[run[j]].i;
        const stray = r.stderr.split("\n").filter((l) => l.trim() && !l.startsWith("✗ Exercise"));
        return [
          ...(r.ok && !r.error ? [] : [`cell ${cell} failed: ${r.error ?? r.stderr}`]),
          ...(stray.length ? [`cell ${cell} wrote to stderr: ${stray.join(" / ")}`] : []),
        ];
      });
      expect(problems).toEqual([]);
      // Nothing passes with the answers stubbed; each check cell reports its exercise once, as not done yet.
      expect(results.flatMap((r) => r.results).filter((o) => o.passed)).toEqual([]);
      for (const ex of list) {
        const r = results[run.indexOf(code.findIndex(({ i }) => i === ex.check))];
        expect(r.results.map((o) => o.message), ex.id).toEqual([expect.stringMatching(/^not done yet/)]);
        expect(r.stderr, ex.id).toMatch(/^✗ Exercise .*: not done yet/m);
      }
    }, 1_200_000);
  }
});
