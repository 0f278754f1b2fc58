/**
 * What `npm start`, `npm test` and `npm run execute` need before they run, done only when
 * missing or out of date: the npm packages, the built library, and this checkout's own
 * Jupyter kernel for TypeScript, registered in ./.jupyter (not in a global Jupyter path,
 * so two clones of the course never fight over one kernel).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import * as path from "node:path";

export const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
export const jupyterPath = path.join(root, ".jupyter");

const npm = process.platform === "win32" ? "npm.cmd" : "npm";

function mtime(file) {
  return existsSync(file) ? statSync(file).mtimeMs : 0;
}

/** Runs `npm install` when node_modules is missing or older than package.json / the lock file. */
export function ensurePackages() {
  const installed = mtime(path.join(root, "node_modules", ".package-lock.json"));
  const wanted = Math.max(mtime(path.join(root, "package.json")), mtime(path.join(root, "package-lock.json")));
  if (installed && installed >= wanted) return;
  // Progress goes to stderr, so that commands whose stdout is data (bench --json) stay clean.
  console.error("Installing npm packages (npm install)…");
  execFileSync(npm, ["install", "--no-audit", "--no-fund"], { cwd: root, stdio: ["ignore", 2, 2] });
}

/** Compiles lib/ to JS + .d.ts (incremental: fast when nothing changed). */
export function buildLibrary() {
  const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");
  execFileSync(process.execPath, [tsc, "-b", path.join(root, "lib")], { cwd: root, stdio: ["ignore", 2, 2] });
}

/** Writes .jupyter/kernels/tslab/kernel.json pointing at this checkout's tslab and node. */
export function registerKernel() {
  const dir = path.join(jupyterPath, "kernels", "tslab");
  mkdirSync(dir, { recursive: true });
  const spec = {
    argv: [process.execPath, path.join(root, "node_modules", "tslab", "bin", "tslab"),
      "kernel", "--config-path", "{connection_file}"],
    display_name: "TypeScript",
    language: "typescript",
  };
  writeFileSync(path.join(dir, "kernel.json"), JSON.stringify(spec, null, 2) + "\n");
}

/** The environment for Jupyter commands: this checkout's kernel comes first. */
export function jupyterEnv() {
  const prior = process.env.JUPYTER_PATH;
  return { ...process.env, JUPYTER_PATH: prior ? `${jupyterPath}${path.delimiter}${prior}` : jupyterPath };
}

export const INSTALL_JUPYTER =
  "Jupyter Notebook is not installed. Install it, then run this again:\n" +
  "  Debian/Ubuntu:  sudo apt-get install jupyter-notebook jupyter-nbconvert python3-nbclient\n" +
  "  elsewhere:      pip install notebook";

/** True when `jupyter notebook` and `jupyter nbconvert` both answer. */
export function haveJupyter() {
  return ["notebook", "nbconvert"].every((sub) =>
    spawnSync("jupyter", [sub, "--version"], { stdio: "ignore" }).status === 0);
}

export function prepare() {
  ensurePackages();
  buildLibrary();
  registerKernel();
}
