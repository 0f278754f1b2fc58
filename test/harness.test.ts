/**
 * The notebook harness itself: fixture notebooks that pass and fail in known ways, each run
 * in a process of its own through the harness's command line (tslab allows one executor
 * per process).
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "..");

interface CliResult {
  status: number | null;
  report: { cells: { index: number; ok: boolean; problems: string[] }[]; stoppedAt: number | null; problems: string[] };
}

function runFixture(name: string): CliResult {
  const r = spawnSync(path.join(root, "node_modules", ".bin", "vite-node"),
    [path.join(root, "test", "harness", "cli.ts"), path.join(root, "test", "fixtures", `${name}.ipynb`), "--json"],
    { cwd: root, encoding: "utf8", timeout: 120_000 });
  const line = r.stdout.trim().split("\n").pop() ?? "";
  if (!line.startsWith("{")) throw new Error(`no report from the harness:\n${r.stdout}\n${r.stderr}`);
  return { status: r.status, report: JSON.parse(line) };
}

describe("notebook harness", () => {
  it("passes a notebook whose cells meet their output, value and raises-exception expectations", () => {
    const { status, report } = runFixture("good");
    expect(report.problems).toEqual([]);
    expect(status).toBe(0);
    // The last cell raised, as its tag says, and ran (so it counts as a run cell).
    expect(report.cells.map((c) => c.ok)).toEqual([true, true, false]);
  });

  it("fails a notebook on a missed expectation, stderr output, and a type error, and stops there", () => {
    const { status, report } = runFixture("failing");
    expect(status).toBe(1);
    const text = report.problems.join("\n");
    expect(text).toMatch(/cell 1: output does not match \/\^forty-two\$\/; it was:\n42/);
    expect(text).toMatch(/cell 1: expected answer = 41 ± 0.5, got 42/);
    expect(text).toMatch(/cell 2: wrote to stderr:\na warning on stderr/);
    expect(text).toMatch(/cell 3: failed:\n.*Type 'string' is not assignable to type 'number'/);
    expect(report.stoppedAt).toBe(3);
    expect(text).toMatch(/cells 4 did not run: cell 3 failed/);
  });

  it("refuses a raising cell that has code cells after it (the kernel would drop them)", () => {
    const { status, report } = runFixture("misplaced-raise");
    expect(status).toBe(1);
    expect(report.problems.join("\n")).toMatch(/cell 1 is tagged raises-exception but code cells follow it/);
  });

  it("type-checks under strict settings what the kernel's lax compiler accepts", () => {
    const { status, report } = runFixture("lax");
    expect(status).toBe(1);
    expect(report.cells.every((c) => c.ok)).toBe(true); // tslab ran every cell
    const text = report.problems.join("\n");
    expect(text).toMatch(/type check, cell 1, line 1: Parameter 'x' implicitly has an 'any' type/);
    expect(text).toMatch(/type check, cell 3, line 1: Cannot redeclare block-scoped variable 'n'/);
  });
});
