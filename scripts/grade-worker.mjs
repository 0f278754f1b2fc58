/**
 * One grading run: a fresh TypeScript kernel (tslab's converter and executor, as Jupyter's
 * kernel uses them) in its own process, started by ./grade.mjs. It receives cells one at a
 * time over the IPC channel and answers each with { ok, stdout, stderr, results }, where
 * `results` are the exercise outcomes the cell reported through the library's `exercise()`.
 *
 * The process runs submitted code, so the parent trusts nothing it says beyond one reply per
 * cell, and kills it when a cell runs past its time limit.
 */
import { Console } from "node:console";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { createConverter } = require("tslab/dist/converter");
const { createExecutor } = require("tslab/dist/executor");

const RESULTS = Symbol.for("byhand.exerciseResults");
const send = process.send.bind(process);

// The chapters have no browser cells, so one converter serves both kinds (each costs a
// TypeScript language service to start).
const node = createConverter();
const executor = createExecutor(process.cwd(), { node, browser: node, close: () => node.close() }, {
  log: (...a) => globalThis.console.log(...a),
  error: (...a) => globalThis.console.error(...a),
});

async function run(source) {
  const cap = { stdout: "", stderr: "" };
  const out = process.stdout.write, err = process.stderr.write, con = globalThis.console;
  process.stdout.write = (chunk) => { cap.stdout += String(chunk); return true; };
  process.stderr.write = (chunk) => { cap.stderr += String(chunk); return true; };
  globalThis.console = new Console({ stdout: process.stdout, stderr: process.stderr });
  const before = Array.isArray(globalThis[RESULTS]) ? globalThis[RESULTS].length : 0;
  let ok = false;
  try {
    ok = await executor.execute(source);
  } catch (e) {
    cap.stderr += String(e?.stack ?? e);
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
    globalThis.console = con;
  }
  const all = Array.isArray(globalThis[RESULTS]) ? globalThis[RESULTS] : [];
  const results = all.slice(before).map((r) => ({ name: String(r?.name), passed: r?.passed === true, message: String(r?.message ?? "") }));
  return { ok: ok === true, stdout: cap.stdout, stderr: cap.stderr, results };
}

process.on("unhandledRejection", () => {}); // a cell's stray rejection is that cell's business
process.on("message", async (msg) => {
  if (msg?.type !== "run" || typeof msg.source !== "string") return;
  const reply = await run(msg.source);
  send({ type: "done", id: msg.id, ...reply });
});
send({ type: "ready" });
