/**
 * Runs a notebook the way the TypeScript kernel does (tslab's own converter and executor,
 * in this process), and records what every cell printed and displayed. Also type-checks
 * the notebook's code under the project's strict settings, which tslab does not apply.
 *
 * Expectations a cell can carry (cell metadata, so Jupyter keeps them):
 *   tags: ["raises-exception"]     the cell must fail (nbclient's tag of the same meaning)
 *   byhand.error: "regex"          …with an error message matching this
 *   byhand.output: "regex"         stdout plus the text/plain of displays must match
 *   byhand.values: [{ expr, value, tolerance }]
 *                                  after the cell, the JS expression `expr` over the
 *                                  notebook's variables must be within tolerance of value
 *   byhand.typecheck: false        leave this cell out of the strict type check
 */
import { readFileSync } from "node:fs";
import { Console } from "node:console";
import * as path from "node:path";
import { createRequire } from "node:module";
import ts from "typescript";

const require = createRequire(import.meta.url);

export interface CellExpectations {
  error?: string;
  output?: string;
  values?: { expr: string; value: number; tolerance: number }[];
  typecheck?: boolean;
}

export interface NotebookCell {
  id?: string;
  cell_type: "code" | "markdown" | "raw";
  source: string | string[];
  metadata: { tags?: string[]; byhand?: CellExpectations; [key: string]: unknown };
  outputs?: unknown[];
  execution_count?: number | null;
}

export interface Notebook {
  cells: NotebookCell[];
  metadata: Record<string, unknown>;
  nbformat: number;
  nbformat_minor: number;
}

export interface CellRun {
  /** Position among all cells, 0-based, as Jupyter counts them. */
  index: number;
  source: string;
  ok: boolean;
  stdout: string;
  stderr: string;
  /** Each display's MIME bundle, in order. */
  displays: Record<string, unknown>[];
  ms: number;
}

export interface NotebookRun {
  file: string;
  cells: CellRun[];
  /** The notebook's top-level variables after the run. */
  locals: Record<string, unknown>;
  /** Set when a cell failed unexpectedly; later cells were not run, as in the kernel. */
  stoppedAt: number | null;
}

export function readNotebook(file: string): Notebook {
  return JSON.parse(readFileSync(file, "utf8")) as Notebook;
}

export function cellSource(cell: NotebookCell): string {
  return Array.isArray(cell.source) ? cell.source.join("") : cell.source;
}

export function expectsError(cell: NotebookCell): boolean {
  return (cell.metadata.tags ?? []).includes("raises-exception");
}

type Capture = { stdout: string; stderr: string; displays: Record<string, unknown>[] };

/**
 * Executes every code cell in order in a fresh tslab executor rooted at the notebook's
 * folder (tslab resolves imports from the working directory, so this process moves there).
 * tslab keeps one executor per process: call this once per process.
 */
export async function runNotebook(file: string): Promise<NotebookRun> {
  const abs = path.resolve(file);
  const nb = readNotebook(abs);
  process.chdir(path.dirname(abs));
  const { createConverter } = require("tslab/dist/converter");
  const { createExecutor } = require("tslab/dist/executor");
  const jupyter = require("tslab/dist/jupyter");

  let cap: Capture = { stdout: "", stderr: "", displays: [] };
  const onRejection = (e: unknown) => { cap.stderr += `Unhandled rejection: ${String(e)}\n`; };
  process.on("unhandledRejection", onRejection);
  const viaConsole = {
    log: (...a: unknown[]) => globalThis.console.log(...a),
    error: (...a: unknown[]) => globalThis.console.error(...a),
  };
  const node = createConverter();
  const browser = createConverter({ isBrowser: true });
  const executor = createExecutor(process.cwd(), {
    node, browser, close: () => { node.close(); browser.close(); },
  }, viaConsole);

  const runs: CellRun[] = [];
  let stoppedAt: number | null = null;
  try {
    for (const [index, cell] of nb.cells.entries()) {
      if (cell.cell_type !== "code") continue;
      const source = cellSource(cell);
      cap = { stdout: "", stderr: "", displays: [] };
      const t0 = performance.now();
      const ok: boolean = await withCapture(cap, jupyter, () => executor.execute(source) as Promise<boolean>);
      runs.push({ index, source, ok, ...cap, ms: performance.now() - t0 });
      if (!ok && !expectsError(cell)) { stoppedAt = index; break; }
    }
  } finally {
    process.off("unhandledRejection", onRejection);
  }
  const locals = executor.locals as Record<string, unknown>;
  return { file: abs, cells: runs, locals, stoppedAt };
}

async function withCapture<T>(
  cap: Capture,
  jupyter: { lastWriteDisplayData: unknown },
  body: () => Promise<T>,
): Promise<T> {
  const out = process.stdout.write, err = process.stderr.write, con = globalThis.console;
  process.stdout.write = ((chunk: unknown) => { cap.stdout += String(chunk); return true; }) as typeof out;
  process.stderr.write = ((chunk: unknown) => { cap.stderr += String(chunk); return true; }) as typeof err;
  globalThis.console = new Console({ stdout: process.stdout, stderr: process.stderr });
  jupyter.lastWriteDisplayData = (d: { data: Record<string, unknown> }) => { cap.displays.push(d.data); };
  try {
    return await body();
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
    globalThis.console = con;
    jupyter.lastWriteDisplayData = null;
  }
}

/**
 * Problems with the notebook as a whole. The TypeScript kernel drops every cell queued
 * after one that fails, so in Jupyter's Run All a cell that is meant to raise stops the
 * rest of the notebook: such a cell may only be the last code cell.
 */
export function notebookProblems(nb: Notebook): string[] {
  const code = nb.cells.map((c, i) => ({ c, i })).filter(({ c }) => c.cell_type === "code");
  return code.slice(0, -1).filter(({ c }) => expectsError(c)).map(({ i }) =>
    `cell ${i} is tagged raises-exception but code cells follow it; the kernel would drop them ` +
    `after the error. Catch the error and print it instead, or move the cell to the end.`);
}

/** What the cell showed as text: stdout plus the text/plain form of each display. */
export function shownText(run: CellRun): string {
  return [run.stdout, ...run.displays.map((d) => String(d["text/plain"] ?? ""))].join("\n");
}

/** Checks a cell's run against its expectations; returns the problems, empty when all hold. */
export function checkCell(cell: NotebookCell, run: CellRun, locals: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const want = cell.metadata.byhand ?? {};
  if (expectsError(cell)) {
    if (run.ok) problems.push("is tagged raises-exception but ran without error");
    else if (want.error && !new RegExp(want.error).test(run.stderr)) {
      problems.push(`failed, but its error does not match /${want.error}/:\n${run.stderr}`);
    }
  } else {
    if (!run.ok) problems.push(`failed:\n${run.stderr || "(no message)"}`);
    else if (run.stderr.trim()) problems.push(`wrote to stderr:\n${run.stderr}`);
  }
  if (want.output && !new RegExp(want.output).test(shownText(run))) {
    problems.push(`output does not match /${want.output}/; it was:\n${shownText(run)}`);
  }
  for (const { expr, value, tolerance } of want.values ?? []) {
    let got: unknown;
    try {
      got = new Function(...Object.keys(locals), `return (${expr});`)(...Object.values(locals));
    } catch (e) {
      problems.push(`could not evaluate ${expr}: ${(e as Error).message}`);
      continue;
    }
    if (typeof got !== "number" || !(Math.abs(got - value) <= tolerance)) {
      problems.push(`expected ${expr} = ${value} ± ${tolerance}, got ${String(got)}`);
    }
  }
  return problems;
}

export interface TypeProblem { cell: number; line: number; message: string }

/**
 * Type-checks all code cells together, in order, as one strict TypeScript module placed in
 * the notebook's folder (so imports resolve as they do in the kernel). Each top-level
 * name is therefore declared once per notebook. Problems are reported by cell and line.
 */
export function typecheckNotebook(file: string, transform: (source: string) => string = (s) => s): TypeProblem[] {
  const abs = path.resolve(file);
  const nb = readNotebook(abs);
  const virtual = path.join(path.dirname(abs), `__typecheck_${path.basename(abs, ".ipynb")}.ts`);
  const starts: { cell: number; line: number }[] = [];
  let text = "export {};\n";
  let line = 1;
  for (const [index, cell] of nb.cells.entries()) {
    if (cell.cell_type !== "code" || cell.metadata.byhand?.typecheck === false) continue;
    const src = transform(cellSource(cell)) + "\n;\n";
    starts.push({ cell: index, line });
    text += src;
    line += src.split("\n").length - 1;
  }
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ES2022,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    lib: ["lib.es2022.d.ts"],
    types: ["node"],
    esModuleInterop: true,
    skipLibCheck: true,
  };
  const host = ts.createCompilerHost(options);
  const original = host.getSourceFile.bind(host);
  host.getSourceFile = (name, lang, ...rest) =>
    path.resolve(name) === virtual ? ts.createSourceFile(name, text, lang, true) : original(name, lang, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => path.resolve(name) === virtual || fileExists(name);
  const program = ts.createProgram([virtual], options, host);
  const diagnostics = ts.getPreEmitDiagnostics(program);
  return diagnostics.map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, "\n");
    if (!d.file || path.resolve(d.file.fileName) !== virtual || d.start === undefined) {
      return { cell: -1, line: 0, message: `${d.file?.fileName ?? ""} ${message}`.trim() };
    }
    const at = d.file.getLineAndCharacterOfPosition(d.start).line; // 0-based; line 0 is the prefix
    const start = [...starts].reverse().find((s) => s.line <= at) ?? starts[0];
    return { cell: start.cell, line: at - start.line + 1, message };
  });
}
