#!/usr/bin/env node
/**
 * npm start: get everything ready, then open Jupyter Notebook on notebooks/ at the course
 * index. Extra arguments go to Jupyter, e.g. `npm start -- --no-browser --port 8890`.
 */
import { spawn } from "node:child_process";
import * as path from "node:path";
import { haveJupyter, INSTALL_JUPYTER, jupyterEnv, prepare, root } from "./setup.mjs";

// Jupyter first: without it nothing else is worth doing (installing packages takes minutes).
if (!haveJupyter()) {
  console.error(INSTALL_JUPYTER);
  process.exit(1);
}
prepare();
const args = ["notebook", "index.ipynb", ...process.argv.slice(2)];
// Jupyter refuses to run as root unless told it may (containers often run as root).
if (process.getuid?.() === 0 && !args.includes("--allow-root")) args.push("--allow-root");
console.log(`Starting Jupyter Notebook in ${path.relative(process.cwd(), path.join(root, "notebooks")) || "."}; ` +
  "open a chapter and choose Kernel > Restart & Run All.");
const child = spawn("jupyter", args, { cwd: path.join(root, "notebooks"), env: jupyterEnv(), stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => process.exit(code ?? 0));
