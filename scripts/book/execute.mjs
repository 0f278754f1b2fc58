/**
 * The chapters with their outputs, for the book and the slides: each notebook is run in a
 * process of its own by ./kernel.mjs, and the result kept in build/book-runs/. A kept result
 * is reused while the notebook's code, the library's sources (TypeScript and AssemblyScript)
 * and the lock file are unchanged.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { cellText } from "../notebooks.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, "../..");
export const executedDir = path.join(root, "build", "book-runs");

function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]).sort();
}

/** What a notebook's outputs depend on besides the notebook itself. */
function sharedInputs() {
  const files = [...filesUnder(path.join(root, "lib", "src")), ...filesUnder(path.join(root, "lib", "assembly")),
    path.join(root, "package-lock.json"), path.join(here, "kernel.mjs")];
  const h = createHash("sha256");
  for (const f of files) {
    if (!existsSync(f)) continue;
    h.update(path.relative(root, f)).update("\0").update(readFileSync(f)).update("\0");
  }
  return h.digest("hex");
}

/**
 * The key a kept result must carry to be reused for `notebook`: the code cells (source and
 * tags) and what they run on. Markdown and other metadata do not change what the code
 * prints, and the book takes them from the notebook itself (see `withOutputs`).
 */
export function resultKey(notebook, shared = sharedInputs()) {
  const h = createHash("sha256").update(shared);
  for (const cell of codeCells(JSON.parse(readFileSync(notebook, "utf8")))) {
    h.update(JSON.stringify([cellText(cell), cell.metadata?.tags ?? []])).update("\0");
  }
  return h.digest("hex");
}

const codeCells = (nb) => nb.cells.filter((c) => c.cell_type === "code");

/**
 * The notebook as it is now, with each code cell's outputs from its kept run (the code
 * cells are the same ones, in the same order, since the run's key matched).
 */
export function withOutputs(notebook, executed = executedPath(notebook)) {
  const nb = JSON.parse(readFileSync(notebook, "utf8"));
  const ran = codeCells(JSON.parse(readFileSync(executed, "utf8")));
  const code = codeCells(nb);
  if (ran.length !== code.length) throw new Error(`${executed} does not hold a run of ${notebook}: run npm run book again`);
  code.forEach((cell, i) => { cell.outputs = ran[i].outputs ?? []; cell.execution_count = ran[i].execution_count ?? null; });
  return nb;
}

/** Where the run of `notebook` is kept (in `dir`, by default build/book-runs/). */
export function executedPath(notebook, dir = executedDir) {
  return path.join(dir, path.basename(notebook));
}

function fresh(notebook, key, dir) {
  const file = executedPath(notebook, dir);
  if (!existsSync(file)) return false;
  try {
    return JSON.parse(readFileSync(file, "utf8")).metadata?.byhand_run?.key === key;
  } catch {
    return false;
  }
}

function runOne(notebook, key, dir) {
  const out = executedPath(notebook, dir);
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(here, "kernel.mjs"), notebook, out, key], {
      cwd: path.dirname(notebook), stdio: ["ignore", "inherit", "pipe"],
    });
    let err = "";
    child.stderr.on("data", (d) => { err += d; });
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code === 0) resolve((Date.now() - t0) / 1000);
      else reject(new Error(err.trim() || `${path.basename(notebook)}: the run ended with code ${code}`));
    });
  });
}

/**
 * Makes sure every notebook in `notebooks` has an up-to-date run in `dir`, running
 * the ones that do not (`jobs` at a time), and returns the executed files in the same order.
 * `log` receives one line per notebook run.
 */
export async function executeAll(notebooks, { jobs = Math.max(1, Math.min(2, availableParallelism())), log = console.log, dir = executedDir } = {}) {
  mkdirSync(dir, { recursive: true });
  const shared = sharedInputs();
  const todo = notebooks.map((nb) => ({ nb, key: resultKey(nb, shared) })).filter(({ nb, key }) => !fresh(nb, key, dir));
  if (todo.length) log(`Running ${todo.length} of ${notebooks.length} notebooks (${notebooks.length - todo.length} unchanged since their last run)…`);
  const failures = [];
  let next = 0;
  async function worker() {
    while (next < todo.length) {
      const { nb, key } = todo[next++];
      log(`  ${path.basename(nb)} …`);
      try {
        const s = await runOne(nb, key, dir);
        log(`  ${path.basename(nb)} done in ${s.toFixed(1)} s`);
      } catch (e) {
        failures.push(e.message);
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(jobs, todo.length) }, worker));
  if (failures.length) throw new Error(`Could not run every notebook:\n${failures.join("\n")}`);
  return notebooks.map((nb) => executedPath(nb, dir));
}
