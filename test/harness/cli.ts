/**
 * Runs one notebook in this process, as the notebook tests do, and prints every problem:
 *   npx vite-node test/harness/cli.ts notebooks/03-neurons-and-activations.ipynb [--json]
 * Exits 1 when a cell failed or missed an expectation, or the strict type check failed.
 * With --json, prints { cells: [{ index, ok, problems, stdout, stderr, displays }], typeProblems }.
 */
import { checkCell, notebookProblems, readNotebook, runNotebook, typecheckNotebook } from "./notebook";

const [file, flag] = process.argv.slice(2);
if (!file) {
  console.error("usage: vite-node test/harness/cli.ts NOTEBOOK.ipynb [--json]");
  process.exit(2);
}
const nb = readNotebook(file);
const typeProblems = typecheckNotebook(file);
const run = await runNotebook(file);
const cells = run.cells.map((c) => ({
  index: c.index, ok: c.ok, problems: checkCell(nb.cells[c.index], c, run.locals),
  stdout: c.stdout, stderr: c.stderr, displays: c.displays.map((d) => d["text/plain"]),
}));
const notRun = run.stoppedAt === null ? [] :
  nb.cells.map((c, i) => ({ c, i })).filter(({ c, i }) => c.cell_type === "code" && i > run.stoppedAt!).map(({ i }) => i);
const problems = [
  ...notebookProblems(nb),
  ...cells.flatMap((c) => c.problems.map((p) => `cell ${c.index}: ${p}`)),
  ...(notRun.length ? [`cells ${notRun.join(", ")} did not run: cell ${run.stoppedAt} failed`] : []),
  ...typeProblems.map((p) => `type check, cell ${p.cell}, line ${p.line}: ${p.message}`),
];
if (flag === "--json") {
  process.stdout.write(JSON.stringify({ cells, typeProblems, stoppedAt: run.stoppedAt, problems }) + "\n");
} else {
  for (const p of problems) console.log(p);
  console.log(problems.length ? `${problems.length} problem(s)` : "all cells passed");
}
process.exit(problems.length ? 1 : 0);
