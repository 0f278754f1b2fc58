/**
 * Runs one notebook in this process, as the notebook tests do, and prints every problem:
 *   npx vite-node test/harness/cli.ts notebooks/03-neurons-and-activations.ipynb [--json]
 * The checks are the vitest suite's, from the same function (checkNotebook in ./check.ts).
 * Builds the library first, as vitest does. Exits 1 when any check fails.
 * With --json, prints { cells: [{ index, ran, ok, problems, stdout, stderr, displays }], stoppedAt,
 * runAll, types, stubTypes, figures, problems }.
 */
import { buildLibrary } from "../../scripts/setup.mjs";
import { allProblems, checkNotebook } from "./check";

const [file, flag] = process.argv.slice(2);
if (!file) {
  console.error("usage: vite-node test/harness/cli.ts NOTEBOOK.ipynb [--json]");
  process.exit(2);
}
buildLibrary(); // the notebook imports the built library: never a stale build (as vitest's global setup)
const report = await checkNotebook(file);
const problems = allProblems(report);
if (flag === "--json") {
  const cells = report.cells.map((c) => ({
    index: c.index, ran: c.run !== null, ok: c.run?.ok ?? false, problems: c.problems,
    stdout: c.run?.stdout ?? "", stderr: c.run?.stderr ?? "", displays: (c.run?.displays ?? []).map((d) => d["text/plain"]),
  }));
  const { runAll, types, stubTypes, figures } = report;
  process.stdout.write(JSON.stringify({ cells, stoppedAt: report.run.stoppedAt, runAll, types, stubTypes, figures, problems }) + "\n");
} else {
  for (const p of problems) console.log(p);
  console.log(problems.length ? `${problems.length} problem(s)` : "all cells passed");
}
process.exit(problems.length ? 1 : 0);
