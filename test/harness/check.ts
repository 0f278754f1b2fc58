/**
 * Every check the course applies to a notebook, in one place. The command line (cli.ts)
 * prints what this finds and the vitest suite (suite.ts) turns each part into a test, so
 * the two can never disagree about what passes:
 *   - each code cell ran and met its expectations (checkCell);
 *   - Jupyter's Run All rule: no raising cell before other code (notebookProblems);
 *   - the strict type check of all code cells as one module;
 *   - the same type check with every worked solution replaced by a "not implemented" stub,
 *     when the notebook has exercises (what learners get must compile);
 *   - the figure rules: a title, axis titles, and trace names when there are several.
 * Runs the notebook in this process (tslab allows one executor per process: once per process).
 */
import * as path from "node:path";
import { stubSolutions } from "../../scripts/editions.mjs";
import {
  cellSource, checkCell, notebookProblems, readNotebook, runNotebook, typecheckNotebook,
  type CellRun, type Notebook, type NotebookRun, type TypeProblem,
} from "./notebook";

export interface CellReport {
  index: number;
  source: string;
  /** The cell's run; null when an earlier cell failed and the kernel would not have run it. */
  run: CellRun | null;
  problems: string[];
}

export interface NotebookReport {
  file: string;
  run: NotebookRun;
  /** One per code cell, in order. */
  cells: CellReport[];
  runAll: string[];
  types: string[];
  /** null when the notebook has no worked solutions. */
  stubTypes: string[] | null;
  figures: string[];
}

/** True when some cell holds a worked solution (`// BEGIN SOLUTION` … `// END SOLUTION`). */
export function hasSolutions(nb: Notebook): boolean {
  return nb.cells.some((c) => cellSource(c).includes("// BEGIN SOLUTION"));
}

const typeLine = (p: TypeProblem) => `cell ${p.cell}, line ${p.line}: ${p.message}`;

interface PlotlyFigure {
  data: { name?: string }[];
  layout: Record<string, { text?: string; title?: { text?: string } } | undefined>;
}

/** The course's figure rules over every Plotly figure the cells displayed. */
export function figureProblems(cells: readonly CellRun[]): string[] {
  const problems: string[] = [];
  for (const c of cells) {
    for (const d of c.displays) {
      const fig = d["application/vnd.plotly.v1+json"] as PlotlyFigure | undefined;
      if (!fig) continue;
      const where = `cell ${c.index}`;
      if (!fig.layout?.title?.text) problems.push(`${where}: a figure has no title`);
      for (const axis of ["xaxis", "yaxis"]) {
        if (!fig.layout?.[axis]?.title?.text) problems.push(`${where}: the ${axis} has no title`);
      }
      if (fig.data.length > 1 && fig.data.some((t) => !t.name)) problems.push(`${where}: a trace has no name for the legend`);
    }
  }
  return problems;
}

export async function checkNotebook(file: string): Promise<NotebookReport> {
  const abs = path.resolve(file); // before runNotebook moves this process into the notebook's folder
  const nb = readNotebook(abs);
  const types = typecheckNotebook(abs).map(typeLine);
  const stubTypes = hasSolutions(nb) ? typecheckNotebook(abs, stubSolutions).map(typeLine) : null;
  const run = await runNotebook(abs);
  const cells = nb.cells.flatMap((cell, index): CellReport[] => {
    if (cell.cell_type !== "code") return [];
    const cellRun = run.cells.find((c) => c.index === index) ?? null;
    const problems = cellRun ? checkCell(cell, cellRun, run.locals)
      : [`did not run: cell ${run.stoppedAt} failed before it`];
    return [{ index, source: cellSource(cell), run: cellRun, problems }];
  });
  return { file: abs, run, cells, runAll: notebookProblems(nb), types, stubTypes, figures: figureProblems(run.cells) };
}

/** Every problem in the report, one line (or block) each; empty when the notebook passes. */
export function allProblems(r: NotebookReport): string[] {
  return [
    ...r.runAll,
    ...r.cells.flatMap((c) => c.problems.map((p) => `cell ${c.index}: ${p}`)),
    ...r.types.map((p) => `type check, ${p}`),
    ...(r.stubTypes ?? []).map((p) => `type check with solutions stubbed out, ${p}`),
    ...r.figures.map((p) => `figures, ${p}`),
  ];
}
