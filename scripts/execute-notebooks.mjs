#!/usr/bin/env node
/**
 * Executes notebooks through real Jupyter (nbconvert with this checkout's TypeScript kernel)
 * and exports each to HTML:
 *   build/executed/<name>.ipynb   the notebook with its outputs
 *   build/html/<name>.html        the same as a web page
 * Fails when any cell raised an error or wrote to stderr (unless tagged raises-exception).
 * The TypeScript kernel reports a failed cell to nbconvert with an empty error and writes
 * the real message to stderr, so the failing cell's source and its stderr are printed here.
 *   node scripts/execute-notebooks.mjs [notebooks…]   (default: every notebook)
 * With JUPYTER_RUN_LOG set to a file, each execution appends the notebook's path there, so
 * CI can check that every notebook ran through Jupyter exactly once.
 */
import { spawn } from "node:child_process";
import { appendFileSync, mkdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { notebooksToProcess } from "./notebooks.mjs";
import { haveJupyter, INSTALL_JUPYTER, jupyterEnv, root } from "./setup.mjs";

const executedDir = path.join(root, "build", "executed");
const htmlDir = path.join(root, "build", "html");

/**
 * Runs `jupyter nbconvert` without blocking this process (a test worker that blocks for the
 * minutes a notebook takes stops answering its test runner).
 */
function nbconvert(args) {
  return new Promise((resolve) => {
    const child = spawn("jupyter", ["nbconvert", ...args], { env: jupyterEnv(), stdio: ["ignore", "pipe", "pipe"] });
    let log = "";
    child.stdout.on("data", (d) => { log += d; });
    child.stderr.on("data", (d) => { log += d; });
    child.on("error", (e) => resolve({ ok: false, log: `${log}${e.message}` }));
    child.on("close", (status) => resolve({ ok: status === 0, log }));
  });
}

const text = (src) => (Array.isArray(src) ? src.join("") : src ?? "");

/** The cells that raised an error or wrote to stderr without being tagged to, with that stderr. */
export function failures(nb) {
  return nb.cells.flatMap((cell, index) => {
    if (cell.cell_type !== "code" || (cell.metadata?.tags ?? []).includes("raises-exception")) return [];
    const outputs = cell.outputs ?? [];
    const error = outputs.find((o) => o.output_type === "error");
    const stderr = outputs.filter((o) => o.output_type === "stream" && o.name === "stderr")
      .map((o) => text(o.text)).join("");
    if (!error && !stderr) return [];
    const message = error ? [error.ename, error.evalue].filter(Boolean).join(": ") : "";
    return [{ index, source: text(cell.source), stderr: stderr || message || "(no message)" }];
  });
}

/** Executes one notebook, then exports it to HTML; resolves with its problems (none when clean). */
export async function executeNotebook(file) {
  const name = path.basename(file, ".ipynb");
  const t0 = Date.now();
  const run = await nbconvert(["--to", "notebook", "--execute", "--allow-errors",
    "--ExecutePreprocessor.kernel_name=tslab", "--ExecutePreprocessor.timeout=1200",
    "--output-dir", executedDir, file]);
  const seconds = (Date.now() - t0) / 1000;
  if (process.env.JUPYTER_RUN_LOG) appendFileSync(process.env.JUPYTER_RUN_LOG, `${path.resolve(file)}\n`);
  if (!run.ok) return { name, seconds, problems: [`nbconvert --execute failed:\n${run.log}`] };
  const executed = path.join(executedDir, `${name}.ipynb`);
  const problems = failures(JSON.parse(readFileSync(executed, "utf8"))).map((f) =>
    `cell ${f.index} failed:\n--- source ---\n${f.source}\n--- stderr ---\n${f.stderr}`);
  const html = await nbconvert(["--to", "html", "--output-dir", htmlDir, executed]);
  if (!html.ok) problems.push(`nbconvert --to html failed:\n${html.log}`);
  return { name, seconds, problems };
}

async function main(args) {
  let files;
  try {
    files = notebooksToProcess(args, "execute-notebooks");
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
  if (!haveJupyter()) {
    console.error(INSTALL_JUPYTER);
    process.exit(1);
  }
  mkdirSync(executedDir, { recursive: true });
  let failed = 0;
  for (const file of files) {
    const r = await executeNotebook(file);
    const status = r.problems.length ? "FAILED" : "ok";
    console.log(`${status.padEnd(6)} ${r.name} (${r.seconds.toFixed(1)} s)`);
    for (const p of r.problems) console.log(p.replace(/^/gm, "    "));
    if (r.problems.length) failed++;
  }
  console.log(`${files.length - failed} of ${files.length} notebooks ran clean through Jupyter`);
  process.exit(failed ? 1 : 0);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main(process.argv.slice(2));
}
