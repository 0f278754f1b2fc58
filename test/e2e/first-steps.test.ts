/**
 * A learner's first steps, in a fresh copy of this checkout (its tracked files and new ones)
 * in a folder whose path has a space: `npm ci` alone makes the course usable from any Jupyter
 * front end; `npm start` does not reinstall because a file was touched; and a chapter's test
 * runs the library's current sources, never a stale build.
 */
import { spawn, spawnSync } from "node:child_process";
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fromText, serialize } from "../../scripts/notebooks.mjs";
import { npmCommand, root } from "../../scripts/setup.mjs";
import { e2eMissing } from "./requirements";

const missing = e2eMissing();

/** Runs a command to the end without blocking this worker; resolves with its status and output. */
function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }) {
  return new Promise<{ status: number | null; out: string }>((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => { out += d; });
    child.stderr.on("data", (d) => { out += d; });
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, out }));
  });
}

/** The environment of a fresh shell: none of this vitest run's own variables. */
const cleanEnv = () => Object.fromEntries(Object.entries(process.env)
  .filter(([k]) => !k.startsWith("VITEST") && !k.startsWith("npm_") && k !== "NODE_OPTIONS" && k !== "JUPYTER_PATH"));

describe.skipIf(missing !== null)("a learner's first steps in a fresh copy at a path with a space", () => {
  const base = mkdtempSync(path.join(tmpdir(), "first-steps-"));
  const dir = path.join(base, "my course");
  let install: { status: number | null; out: string };

  beforeAll(async () => {
    const listed = spawnSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: root, encoding: "utf8" });
    if (listed.status !== 0) throw new Error(`git ls-files failed (this test copies the checkout's files):\n${listed.stderr}`);
    for (const f of listed.stdout.split("\0").filter(Boolean)) {
      if (!existsSync(path.join(root, f))) continue; // deleted in the working tree
      mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      cpSync(path.join(root, f), path.join(dir, f));
    }
    const npm = npmCommand();
    install = await run(npm.command, [...npm.args, "ci", "--no-audit", "--no-fund", "--prefer-offline"], { cwd: dir, env: cleanEnv() });
  }, 1_200_000);
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it("npm ci builds the library, so a kernelspec pointing at node_modules/.bin/tslab runs a notebook that imports it", async () => {
    expect(install.status, install.out).toBe(0);
    expect(existsSync(path.join(dir, "lib", "dist", "index.js"))).toBe(true);

    // What a learner's own Jupyter (Notebook, JupyterLab, VS Code) would use: a kernelspec
    // running the checkout's tslab, nothing from `npm start`.
    const kernels = path.join(base, "jupyter");
    mkdirSync(path.join(kernels, "kernels", "tslab"), { recursive: true });
    writeFileSync(path.join(kernels, "kernels", "tslab", "kernel.json"), JSON.stringify({
      argv: [path.join(dir, "node_modules", ".bin", "tslab"), "kernel", "--config-path", "{connection_file}"],
      display_name: "TypeScript", language: "typescript",
    }));
    const notebook = path.join(dir, "notebooks", "first-steps.ipynb");
    writeFileSync(notebook, serialize(fromText('// %%\nimport { Matrix } from "byhand";\nconsole.log(`byhand loaded: ${typeof Matrix}`);\n')));
    const env = { ...cleanEnv(), JUPYTER_PATH: kernels };
    const r = await run("jupyter", ["nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.kernel_name=tslab",
      "--ExecutePreprocessor.timeout=600", "--output-dir", path.join(base, "executed"), notebook], { cwd: dir, env });
    expect(r.status, r.out).toBe(0);
    const executed = JSON.parse(readFileSync(path.join(base, "executed", "first-steps.ipynb"), "utf8"));
    const outputs = executed.cells[0].outputs as { output_type: string; name?: string; text?: string[] }[];
    expect(outputs).toEqual([{ output_type: "stream", name: "stdout", text: ["byhand loaded: function\n"] }]);
  }, 900_000);

  it("npm start's preparation does not reinstall after `touch package-lock.json`, even with no npm on the PATH", async () => {
    expect(install.status, install.out).toBe(0);
    const later = new Date(Date.now() + 3_600_000);
    utimesSync(path.join(dir, "package-lock.json"), later, later);
    const bin = path.join(base, "only-node");
    mkdirSync(bin);
    symlinkSync(process.execPath, path.join(bin, "node"));
    const r = await run(process.execPath, ["scripts/ensure.mjs"], { cwd: dir, env: { ...cleanEnv(), PATH: bin } });
    expect(r.status, r.out).toBe(0);
    expect(r.out).not.toContain("Installing npm packages");
  }, 300_000);

  it("a chapter's test runs the library's current sources: a change in lib/src, not yet built, is what the notebook sees", async () => {
    expect(install.status, install.out).toBe(0);
    appendFileSync(path.join(dir, "lib", "src", "index.ts"), '\nexport const freshness = "from the current sources";\n');
    writeFileSync(path.join(dir, "notebooks", "99-freshness.ipynb"), serialize(fromText(
      '// %% {"byhand": {"output": "^from the current sources"}}\nimport { freshness } from "byhand";\nconsole.log(freshness);\n')));
    // The chapter's own checks must be found too (their path is built from the suite's URL).
    mkdirSync(path.join(dir, "test", "notebooks"), { recursive: true });
    writeFileSync(path.join(dir, "test", "notebooks", "99-freshness.ts"),
      'import { it } from "vitest";\nexport default () => { it("chapter checks ran", () => {}); };\n');
    const json = path.join(base, "results.json");
    const r = await run(process.execPath, [path.join("node_modules", "vitest", "vitest.mjs"), "run", "notebooks/99-freshness.ipynb",
      "--reporter=json", `--outputFile=${json}`], { cwd: dir, env: cleanEnv() });
    expect(r.status, r.out).toBe(0);
    const results = JSON.parse(readFileSync(json, "utf8")) as { numPassedTests: number; numFailedTests: number;
      testResults: { assertionResults: { title: string; status: string }[] }[] };
    expect(results.numFailedTests).toBe(0);
    expect(results.testResults[0].assertionResults.map((a) => `${a.status} ${a.title}`)).toContain("passed chapter checks ran");

    // The command line that applies the same checks builds first too.
    const index = path.join(dir, "lib", "src", "index.ts");
    writeFileSync(index, readFileSync(index, "utf8").replace("from the current sources", "from the current sources, edited"));
    const cli = await run(process.execPath, [path.join("node_modules", "vite-node", "vite-node.mjs"),
      path.join("test", "harness", "cli.ts"), "notebooks/99-freshness.ipynb", "--json"], { cwd: dir, env: cleanEnv() });
    expect(cli.status, cli.out).toBe(0);
    expect(cli.out).toContain('"stdout":"from the current sources, edited\\n"');
  }, 600_000);
});
