#!/usr/bin/env node
/**
 * npm start: get everything ready, bring the learner's working copy (my-notebooks/) up to date
 * with the chapters, then open Jupyter Notebook there at the course index.
 *
 *   npm start                          open the course
 *   npm start -- --reset 05 [07 …]     first give chapter 05 (and 07 …) a fresh copy; the
 *                                      learner's copy moves to my-notebooks/.backups/
 *   npm start -- --no-browser --port 8890   other arguments go to Jupyter
 *
 * BYHAND_WORKING_COPY names another folder inside the checkout for the working copy.
 */
import { spawn } from "node:child_process";
import * as path from "node:path";
import { describeSync, syncLearnerCopy } from "./editions.mjs";
import { haveJupyter, INSTALL_JUPYTER, jupyterEnv, prepare, root } from "./setup.mjs";
import { runAsCommand } from "./command.mjs";

/** Splits `--reset A B …` (the chapters, up to the next option) from Jupyter's arguments. */
export function parseStartArgs(argv) {
  const reset = [], jupyter = [];
  for (let k = 0; k < argv.length; k++) {
    if (argv[k] === "--reset") {
      while (k + 1 < argv.length && !argv[k + 1].startsWith("-")) reset.push(argv[++k]);
      if (!reset.length) throw new Error("npm start: --reset needs a chapter, e.g. --reset 05");
    } else {
      jupyter.push(argv[k]);
    }
  }
  return { reset, jupyter };
}

function main() {
  const { reset, jupyter } = parseStartArgs(process.argv.slice(2));
  // Jupyter first: without it nothing else is worth doing (installing packages takes minutes).
  if (!haveJupyter()) {
    console.error(INSTALL_JUPYTER);
    process.exit(1);
  }
  prepare();
  const dir = path.resolve(root, process.env.BYHAND_WORKING_COPY ?? "my-notebooks");
  const changes = describeSync(syncLearnerCopy({ dir, reset }), path.relative(process.cwd(), dir) || ".");
  if (changes) console.log(changes);
  // The index opens through default_url, not as a file argument: Notebook 6 opens a browser
  // for a file argument even with --no-browser.
  const args = ["notebook", "--NotebookApp.default_url=/notebooks/index.ipynb", ...jupyter];
  // Jupyter refuses to run as root unless told it may (containers often run as root).
  if (process.getuid?.() === 0 && !args.includes("--allow-root")) args.push("--allow-root");
  console.log(`Starting Jupyter Notebook in ${path.relative(process.cwd(), dir) || "."}, your working copy of the course; ` +
    "open a chapter and choose Kernel > Restart & Run All.");
  const child = spawn("jupyter", args, { cwd: dir, env: jupyterEnv(), stdio: "inherit" });
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
  child.on("exit", (code) => process.exit(code ?? 0));
}

runAsCommand(import.meta.url, main);
