/**
 * What `npm start`, `npm test` and `npm run execute` need before they run, done only when
 * missing or out of date: the npm packages, the built library, and this checkout's own
 * Jupyter kernel for TypeScript, registered in ./.jupyter (not in a global Jupyter path,
 * so two clones of the course never fight over one kernel).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const jupyterPath = path.join(root, ".jupyter");

/** Where `recordInstall` keeps the hash of the package files the last install followed. */
const installRecord = () => path.join(root, "node_modules", ".byhand-install");

/** A hash of what `npm install` follows: package.json and the lock file, by content. */
export function packageFilesHash() {
  const hash = createHash("sha256");
  for (const name of ["package.json", "package-lock.json", path.join("lib", "package.json")]) {
    const file = path.join(root, name);
    hash.update(`${name}\0${existsSync(file) ? readFileSync(file) : ""}\0`);
  }
  return hash.digest("hex");
}

/** Notes that node_modules now matches the package files (npm's `prepare` step calls this). */
export function recordInstall() {
  if (!existsSync(path.join(root, "node_modules"))) return;
  writeFileSync(installRecord(), packageFilesHash() + "\n");
}

/**
 * True when node_modules was installed from the package files as they are now. Compared by
 * content, not by file times: a checkout, `touch` or `git stash` changes times, not packages.
 */
export function packagesUpToDate() {
  return existsSync(installRecord()) && readFileSync(installRecord(), "utf8").trim() === packageFilesHash();
}

/**
 * How to run npm: the npm that runs this script (`npm start` sets npm_execpath), else the npm
 * that ships beside this node, each run by this node, so neither PATH nor Windows' npm.cmd
 * (which Node refuses to spawn without a shell) matters. Last resort: `npm` from PATH.
 */
export function npmCommand() {
  const candidates = [
    process.env.npm_execpath,
    path.join(path.dirname(process.execPath), "..", "lib", "node_modules", "npm", "bin", "npm-cli.js"),
    path.join(path.dirname(process.execPath), "node_modules", "npm", "bin", "npm-cli.js"),
  ];
  const cli = candidates.find((c) => c && /npm-cli\.[cm]?js$/.test(c) && existsSync(c));
  if (cli) return { command: process.execPath, args: [cli], shell: false };
  return { command: "npm", args: [], shell: process.platform === "win32" };
}

/** Runs npm with `args` in the checkout; its output goes to stderr. */
export function runNpm(args, options = {}) {
  const npm = npmCommand();
  execFileSync(npm.command, [...npm.args, ...args],
    { cwd: root, stdio: ["ignore", 2, 2], shell: npm.shell, ...options });
}

/** Runs `npm install` unless node_modules matches package.json and the lock file. */
export function ensurePackages() {
  if (packagesUpToDate()) return;
  // Progress goes to stderr, so that commands whose stdout is data (bench --json) stay clean.
  console.error("Installing npm packages (npm install)…");
  runNpm(["install", "--no-audit", "--no-fund"]);
  recordInstall(); // also when npm ran without scripts (ignore-scripts), so prepare did not
}

/**
 * Compiles lib/ to JS + .d.ts (incremental: fast when nothing changed), then the fast path's
 * kernels, lib/assembly/kernels.ts, to lib/wasm/kernels.wasm with AssemblyScript (SIMD on),
 * unless the .wasm is newer than its source.
 */
export function buildLibrary() {
  const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");
  execFileSync(process.execPath, [tsc, "-b", path.join(root, "lib")], { cwd: root, stdio: ["ignore", 2, 2] });
  buildKernels();
}

export const kernelSource = path.join(root, "lib", "assembly", "kernels.ts");
export const kernelWasm = path.join(root, "lib", "wasm", "kernels.wasm");

function buildKernels() {
  if (existsSync(kernelWasm) && statSync(kernelWasm).mtimeMs >= statSync(kernelSource).mtimeMs) return;
  const asc = path.join(root, "node_modules", "assemblyscript", "bin", "asc.js");
  mkdirSync(path.dirname(kernelWasm), { recursive: true });
  execFileSync(process.execPath, [asc, kernelSource, "--outFile", kernelWasm, "-O3", "--runtime", "stub",
    "--noAssert", "--enable", "simd"], { cwd: root, stdio: ["ignore", 2, 2] });
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

export function prepare({ kernel = true } = {}) {
  ensurePackages();
  buildLibrary();
  if (kernel) registerKernel();
}
