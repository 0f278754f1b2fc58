/**
 * Runs one notebook the way the TypeScript kernel does (tslab's converter and executor, in
 * this process, from the notebook's folder) and writes it back with every cell's outputs in
 * Jupyter's format, as a saved notebook would hold them:
 *   node scripts/book/kernel.mjs IN.ipynb OUT.ipynb [KEY]
 * KEY, when given, is recorded in the notebook's metadata (byhand_run.key) for ./execute.mjs.
 * A display that later calls replace (a live chart, a progress line) keeps its last frame.
 * A cell that fails stops the run, as in Jupyter's Run All; the exit code is then 1 and the
 * written notebook shows the error.
 */
import { Console } from "node:console";
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";

const require = createRequire(import.meta.url);
const [input, output, key] = process.argv.slice(2);
const nb = JSON.parse(readFileSync(path.resolve(input), "utf8"));
const outFile = path.resolve(output);
process.chdir(path.dirname(path.resolve(input)));

const { createConverter } = require("tslab/dist/converter");
const { createExecutor } = require("tslab/dist/executor");
const jupyter = require("tslab/dist/jupyter");

const node = createConverter();
const browser = createConverter({ isBrowser: true });
const executor = createExecutor(process.cwd(), { node, browser, close: () => { node.close(); browser.close(); } }, {
  log: (...a) => globalThis.console.log(...a),
  error: (...a) => globalThis.console.error(...a),
});

/** Every display so far by its id, across cells: an update may come from a later cell. */
const byDisplayId = new Map();
let outputs = [];

function stream(name, chunk) {
  const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
  const last = outputs[outputs.length - 1];
  if (last?.output_type === "stream" && last.name === name) last.text += text;
  else outputs.push({ output_type: "stream", name, text });
}

function displayData({ data, metadata, transient }, update) {
  const id = transient?.display_id;
  if (update && id && byDisplayId.has(id)) {
    const shown = byDisplayId.get(id);
    shown.data = data;
    shown.metadata = metadata ?? {};
    return;
  }
  const out = { output_type: "display_data", data, metadata: metadata ?? {} };
  if (id) byDisplayId.set(id, out);
  outputs.push(out);
}

const ALLOWED_TO_FAIL = (cell) => (cell.metadata?.tags ?? []).includes("raises-exception");
let count = 0, failed = null;
const realOut = process.stdout.write, realErr = process.stderr.write, realConsole = globalThis.console;
process.on("unhandledRejection", (e) => stream("stderr", `Unhandled rejection: ${String(e)}\n`));

for (const [index, cell] of nb.cells.entries()) {
  if (cell.cell_type !== "code") continue;
  const source = Array.isArray(cell.source) ? cell.source.join("") : cell.source;
  outputs = [];
  process.stdout.write = (chunk) => { stream("stdout", chunk); return true; };
  process.stderr.write = (chunk) => { stream("stderr", chunk); return true; };
  globalThis.console = new Console({ stdout: process.stdout, stderr: process.stderr });
  jupyter.lastWriteDisplayData = displayData;
  let ok = false;
  try {
    ok = await executor.execute(source);
  } catch (e) {
    stream("stderr", String(e?.stack ?? e));
  } finally {
    process.stdout.write = realOut;
    process.stderr.write = realErr;
    globalThis.console = realConsole;
  }
  cell.execution_count = ++count;
  cell.outputs = outputs;
  if (!ok) {
    const message = outputs.filter((o) => o.name === "stderr").map((o) => o.text).join("").trim();
    cell.outputs.push({ output_type: "error", ename: "Error", evalue: message.split("\n")[0] ?? "", traceback: message.split("\n") });
    if (!ALLOWED_TO_FAIL(cell)) { failed = { index, message }; break; }
  }
}
// Later cells may still update a display that an earlier cell created, so the outputs are
// written only now (they are the same objects the cells hold).
jupyter.lastWriteDisplayData = null;
if (key && !failed) nb.metadata = { ...nb.metadata, byhand_run: { key } };
const tmp = `${outFile}.${process.pid}.tmp`;
writeFileSync(tmp, JSON.stringify(nb, null, 1) + "\n");
renameSync(tmp, outFile);
executor.close?.();
if (failed) {
  realConsole.error(`${path.basename(input)}: cell ${failed.index + 1} failed:\n${failed.message || "(no message)"}`);
  process.exit(1);
}
process.exit(0);
