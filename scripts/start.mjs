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
 *
 * Without Jupyter, npm start serves the course as a book instead (built by npm run book when
 * it is missing or out of date), opens it in a browser (`--no-browser`: just prints its
 * address; `--port N`: that port), and says how to install Jupyter to run the chapters.
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

/** The address the book is served at without Jupyter: `--port N` / `--port=N`, else any free port. */
export function bookPort(args) {
  const at = args.findIndex((a) => a === "--port" || a.startsWith("--port="));
  if (at < 0) return 0;
  const value = args[at].includes("=") ? args[at].split("=")[1] : args[at + 1];
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`npm start: --port needs a port number, got ${value}`);
  return port;
}

/** Tries the system's way of opening an address; quietly does nothing where there is none. */
function openBrowser(url) {
  const [cmd, args] = process.platform === "darwin" ? ["open", [url]]
    : process.platform === "win32" ? ["cmd", ["/c", "start", "", url]] : ["xdg-open", [url]];
  try {
    const child = spawn(cmd, args, { stdio: "ignore", detached: true });
    child.on("error", () => {});
    child.unref();
  } catch {
    // no opener: the address is printed anyway
  }
}

/** No Jupyter here: serve the book, and say how to get the interactive course. */
async function serveBookInstead(args) {
  console.error(INSTALL_JUPYTER.replace("Jupyter Notebook is not installed. Install it, then run this again:",
    "Jupyter Notebook is not installed, so the chapters cannot run here; opening the course as a book instead.\n" +
    "To run the chapters (and do the exercises), install Jupyter, then run npm start again:"));
  prepare({ kernel: false });
  const { buildBook, bookDir } = await import("./book/book.mjs");
  const { serveFolder } = await import("./book/serve.mjs");
  await buildBook({ log: (line) => console.error(line), hint: false });
  const { server, url } = await serveFolder(bookDir, { port: bookPort(args) });
  console.log(`The book is at ${url} (press Ctrl+C to stop).`);
  if (!args.includes("--no-browser")) openBrowser(url);
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => { server.close(); process.exit(0); });
}

async function main() {
  const { reset, jupyter } = parseStartArgs(process.argv.slice(2));
  if (!haveJupyter()) {
    await serveBookInstead(jupyter);
    return;
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
