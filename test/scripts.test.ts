/**
 * The scripts a learner runs first, in throwaway checkouts (the scripts copied into a folder
 * whose path has a space, as many home folders do): they find their files there, refuse to
 * pass when they find nothing to do, and decide about `npm install` by what the package
 * files say, not by when they were touched.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { cleanNotebook, serialize } from "../scripts/notebooks.mjs";

const root = path.resolve(__dirname, "..");
const made: string[] = [];
afterAll(() => { for (const d of made) rmSync(d, { recursive: true, force: true }); });

/** A checkout with the scripts and package files only, at a path containing a space. */
function checkout(): string {
  const base = mkdtempSync(path.join(tmpdir(), "scripts-"));
  made.push(base);
  const dir = path.join(base, "my course");
  mkdirSync(path.join(dir, "notebooks"), { recursive: true });
  mkdirSync(path.join(dir, "lib"));
  cpSync(path.join(root, "scripts"), path.join(dir, "scripts"), { recursive: true });
  for (const f of ["package.json", "package-lock.json", path.join("lib", "package.json")]) {
    cpSync(path.join(root, f), path.join(dir, f));
  }
  return dir;
}

function node(dir: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  return spawnSync(process.execPath, args, { cwd: dir, env, encoding: "utf8", timeout: 120_000 });
}

/** Runs `code` as a module that has imported this checkout's scripts/setup.mjs as `setup`. */
function withSetup(dir: string, code: string, env: NodeJS.ProcessEnv = process.env) {
  const url = pathToFileURL(path.join(dir, "scripts", "setup.mjs")).href;
  return node(dir, ["--input-type=module", "-e", `import * as setup from ${JSON.stringify(url)};\n${code}`], env);
}

/** A folder holding only a link to this node: a PATH on which neither npm nor Jupyter is found. */
function pathWithOnlyNode(): string {
  const bin = mkdtempSync(path.join(tmpdir(), "only-node-"));
  made.push(bin);
  symlinkSync(process.execPath, path.join(bin, "node"));
  return bin;
}

const aNotebook = { cells: [{ cell_type: "code", source: ["1 + 1"], metadata: {}, outputs: [], execution_count: 3 }], metadata: {} };

describe("notebook scripts in a folder whose path has a space", () => {
  it("notebooks.mjs check finds a notebook that is not clean, and clean cleans it", () => {
    const dir = checkout();
    writeFileSync(path.join(dir, "notebooks", "01-dirty.ipynb"), JSON.stringify(aNotebook));
    const dirty = node(dir, ["scripts/notebooks.mjs", "check"]);
    expect(dirty.status).toBe(1);
    expect(dirty.stderr).toContain("notebooks/01-dirty.ipynb");
    expect(node(dir, ["scripts/notebooks.mjs", "clean"]).status).toBe(0);
    expect(readFileSync(path.join(dir, "notebooks", "01-dirty.ipynb"), "utf8")).toBe(serialize(cleanNotebook(aNotebook)));
    expect(node(dir, ["scripts/notebooks.mjs", "check"]).status).toBe(0);
  });

  it("check, clean and execute-notebooks fail, saying so, when they find no notebooks", () => {
    const dir = checkout();
    for (const args of [["scripts/notebooks.mjs", "check"], ["scripts/notebooks.mjs", "clean"], ["scripts/execute-notebooks.mjs"]]) {
      const r = node(dir, args);
      expect(r.status, `${args.join(" ")}: ${r.stdout}${r.stderr}`).toBe(1);
      expect(r.stderr).toContain(`found no notebooks in ${path.join(dir, "notebooks")}`);
    }
  });

  it("no script, test or bench file turns a file URL into a path with URL.pathname (it keeps %20 for a space)", () => {
    const pattern = new RegExp(["new URL", "\\([^)]*\\)\\.pathname"].join(""));
    const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? files(path.join(dir, e.name)) : /\.(ts|mjs|js)$/.test(e.name) ? [path.join(dir, e.name)] : []);
    const offenders = ["scripts", "test", "bench"].flatMap((d) => files(path.join(root, d)))
      .filter((f) => pattern.test(readFileSync(f, "utf8"))).map((f) => path.relative(root, f));
    expect(offenders).toEqual([]);
  });
});

describe("whether npm start installs packages", () => {
  it("decides by the package files' content: touching the lock file changes nothing, editing it does", () => {
    const dir = checkout();
    mkdirSync(path.join(dir, "node_modules"));
    const upToDate = () => withSetup(dir, "console.log(setup.packagesUpToDate());").stdout.trim();
    expect(upToDate()).toBe("false"); // nothing recorded: never installed
    withSetup(dir, "setup.recordInstall();");
    expect(upToDate()).toBe("true");
    const lock = path.join(dir, "package-lock.json");
    const later = new Date(Date.now() + 3_600_000);
    utimesSync(lock, later, later); // `touch package-lock.json`, or a checkout that rewrote it unchanged
    expect(upToDate()).toBe("true");
    writeFileSync(lock, readFileSync(lock, "utf8").replace('"version": "0.1.0"', '"version": "0.1.1"')); // as after git pull
    expect(upToDate()).toBe("false");
  });

  it("runs npm with this node, so it works where npm is not on the PATH", () => {
    const dir = checkout();
    const env = { ...process.env, PATH: pathWithOnlyNode(), npm_execpath: "" };
    const r = withSetup(dir, "setup.runNpm(['--version']);", env);
    expect(r.error).toBeUndefined();
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr.trim()).toMatch(/^\d+\.\d+\.\d+$/); // runNpm sends npm's output to stderr
  });

  it("without Jupyter, says so and how to install it before anything else, then goes on to get the book ready", () => {
    const dir = checkout(); // nothing installed, as after a fresh clone
    // An npm that only says it ran: the test sees the order of events without installing.
    const fakeNpm = path.join(dir, "fake", "npm-cli.js");
    mkdirSync(path.dirname(fakeNpm));
    writeFileSync(fakeNpm, 'console.error("fake npm ran"); process.exit(3);\n');
    const r = node(dir, ["scripts/start.mjs"], { ...process.env, PATH: pathWithOnlyNode(), npm_execpath: fakeNpm });
    expect(r.status).toBe(1);
    const said = r.stderr;
    expect(said).toContain("Jupyter Notebook is not installed, so the chapters cannot run here; opening the course as a book instead.");
    expect(said).toContain("apt-get install jupyter-notebook jupyter-nbconvert python3-nbclient");
    expect(said.indexOf("apt-get install")).toBeLessThan(said.indexOf("Installing npm packages"));
    expect(said.indexOf("Installing npm packages")).toBeLessThan(said.indexOf("fake npm ran"));
    expect(existsSync(path.join(dir, "node_modules"))).toBe(false);
  });
});
