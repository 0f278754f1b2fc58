/**
 * The notebook harness itself: fixture notebooks that pass and fail in known ways, each run
 * in a process of its own through the harness's command line (tslab allows one executor
 * per process), and all of them once through the vitest suite, which must fail exactly
 * where the command line does.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "..");
const fixtures = path.join(root, "test", "fixtures");
const FIXTURES = readdirSync(fixtures).filter((f) => f.endsWith(".ipynb")).map((f) => f.slice(0, -".ipynb".length)).sort();

interface CliReport {
  cells: { index: number; ran: boolean; ok: boolean; problems: string[] }[];
  stoppedAt: number | null;
  runAll: string[];
  types: string[];
  stubTypes: string[] | null;
  figures: string[];
  problems: string[];
}

interface CliResult { status: number | null; report: CliReport }

/**
 * Runs a command without blocking this worker (a long synchronous spawn starves vitest's own
 * messages), at most two at a time: the machine may have only two cores.
 */
const queue: (() => void)[] = [];
let running = 0;
async function run(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ status: number | null; stdout: string; stderr: string }> {
  if (running >= 2) await new Promise<void>((resolve) => queue.push(resolve));
  running++;
  try {
    return await new Promise((resolve, reject) => {
      const child = spawn(process.execPath, args, { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "", stderr = "";
      child.stdout.on("data", (d) => { stdout += d; });
      child.stderr.on("data", (d) => { stderr += d; });
      child.on("error", reject);
      child.on("close", (status) => resolve({ status, stdout, stderr }));
    });
  } finally {
    running--;
    queue.shift()?.();
  }
}

const cliRuns = new Map<string, Promise<CliResult>>();

/** The harness's command line on one fixture (run once per fixture, then remembered). */
function runFixture(name: string): Promise<CliResult> {
  if (!cliRuns.has(name)) {
    cliRuns.set(name, run([path.join(root, "node_modules", "vite-node", "vite-node.mjs"),
      path.join(root, "test", "harness", "cli.ts"), path.join(fixtures, `${name}.ipynb`), "--json"]).then((r) => {
      const line = r.stdout.trim().split("\n").pop() ?? "";
      if (!line.startsWith("{")) throw new Error(`no report from the harness:\n${r.stdout}\n${r.stderr}`);
      return { status: r.status, report: JSON.parse(line) as CliReport };
    }));
  }
  return cliRuns.get(name)!;
}

/** Each fixture's failed vitest tests (title → failure message), from one run of the suite over all of them. */
async function runSuiteOverFixtures(): Promise<Map<string, Map<string, string>>> {
  const out = mkdtempSync(path.join(tmpdir(), "harness-suite-"));
  try {
    const json = path.join(out, "results.json");
    // A clean environment for the inner vitest: the outer run's VITEST_* variables would confuse it.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("VITEST") && k !== "NODE_OPTIONS"));
    const r = await run([path.join(root, "node_modules", "vitest", "vitest.mjs"), "run",
      "--config", path.join(fixtures, "vitest.config.ts"), "--reporter=json", `--outputFile=${json}`], env);
    let results: { testResults: { name: string; assertionResults: { title: string; status: string; failureMessages: string[] }[] }[] };
    try {
      results = JSON.parse(readFileSync(json, "utf8"));
    } catch {
      throw new Error(`the suite wrote no results:\n${r.stdout}\n${r.stderr}`);
    }
    return new Map(results.testResults.map((file) => [path.basename(file.name, ".ipynb"),
      new Map(file.assertionResults.filter((a) => a.status === "failed").map((a) => [a.title, a.failureMessages.join("\n")]))]));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

describe("notebook harness", () => {
  // Every fixture through the command line and the suite, two processes at a time.
  let suite: Promise<Map<string, Map<string, string>>>;
  beforeAll(() => {
    suite = runSuiteOverFixtures();
    for (const name of FIXTURES) void runFixture(name).catch(() => { /* reported by the test that awaits it */ });
    suite.catch(() => { /* reported by the tests that await it */ });
  });

  it("passes a notebook whose cells meet their output, value and raises-exception expectations", async () => {
    const { status, report } = await runFixture("good");
    expect(report.problems).toEqual([]);
    expect(status).toBe(0);
    // The last cell raised, as its tag says, and ran (so it counts as a run cell).
    expect(report.cells.map((c) => c.ok)).toEqual([true, true, false]);
  }, 900_000);

  it("fails a notebook on a missed expectation, stderr output, and a type error, and stops there", async () => {
    const { status, report } = await runFixture("failing");
    expect(status).toBe(1);
    const text = report.problems.join("\n");
    expect(text).toMatch(/cell 1: output does not match \/\^forty-two\$\/; it was:\n42/);
    expect(text).toMatch(/cell 1: expected answer = 41 ± 0.5, got 42/);
    expect(text).toMatch(/cell 2: wrote to stderr:\na warning on stderr/);
    expect(text).toMatch(/cell 3: failed:\n.*Type 'string' is not assignable to type 'number'/);
    expect(report.stoppedAt).toBe(3);
    expect(report.cells.map((c) => c.ran)).toEqual([true, true, true, false]);
    expect(text).toMatch(/cell 4: did not run: cell 3 failed before it/);
  }, 900_000);

  it("refuses a raising cell that has code cells after it (the kernel would drop them)", async () => {
    const { status, report } = await runFixture("misplaced-raise");
    expect(status).toBe(1);
    expect(report.problems.join("\n")).toMatch(/cell 1 is tagged raises-exception but code cells follow it/);
  }, 900_000);

  it("type-checks under strict settings what the kernel's lax compiler accepts", async () => {
    const { status, report } = await runFixture("lax");
    expect(status).toBe(1);
    expect(report.cells.every((c) => c.ok)).toBe(true); // tslab ran every cell
    const text = report.problems.join("\n");
    expect(text).toMatch(/type check, cell 1, line 1: Parameter 'x' implicitly has an 'any' type/);
    expect(text).toMatch(/type check, cell 3, line 1: Cannot redeclare block-scoped variable 'n'/);
  }, 900_000);

  it("applies the figure rules and type-checks the solutions stubbed out, though every cell ran", async () => {
    const { status, report } = await runFixture("rules");
    expect(status).toBe(1);
    expect(report.cells.every((c) => c.ok && c.problems.length === 0)).toBe(true);
    expect(report.types).toEqual([]);
    // Cell 1 plots two unnamed traces with no titles; cell 2 is a complete figure.
    expect(report.figures).toEqual([
      "cell 1: a figure has no title",
      "cell 1: the xaxis has no title",
      "cell 1: the yaxis has no title",
      "cell 1: a trace has no name for the legend",
    ]);
    // With the solution cut out, `twice` is not declared for the cell that uses it.
    expect(report.stubTypes).toEqual(["cell 4, line 1: Cannot find name 'twice'."]);
  }, 900_000);

  describe("the vitest suite, over the same fixtures", () => {
    for (const name of FIXTURES) {
      it(`${name}: fails exactly where the command line finds problems, with the same messages`, async () => {
        const { status, report } = await runFixture(name);
        const failed = (await suite).get(name);
        expect(failed, `the suite did not run ${name}`).toBeDefined();
        const messages = [...failed!.values()].join("\n");
        const sections = [
          ...report.cells.flatMap((c) => c.problems.map((p) => `cell ${c.index}: ${p}`)),
          ...report.runAll, ...report.types, ...(report.stubTypes ?? []), ...report.figures,
        ];
        for (const problem of sections) expect(messages).toContain(problem);
        expect(failed!.size > 0).toBe(status === 1);
        if (name === "rules") {
          expect([...failed!.keys()].sort()).toEqual([
            "still type-checks with every worked solution replaced by a \"not implemented\" stub",
            "titles every figure and its axes, and names traces when there are several",
          ]);
        }
      }, 900_000);
    }
  });
});
