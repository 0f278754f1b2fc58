#!/usr/bin/env node
/**
 * The autograder: `npm run grade -- <submitted notebooks or folders> [options]`.
 *
 * For each submitted notebook it finds the instructor's version (same file name in
 * notebooks/), restores every check cell and locked cell from it (matched by nbgrader's
 * grade_id, an edit found by nbgrader's checksum), and grades each exercise on its own: a fresh
 * kernel process runs the instructor's cells that the exercise needs, the student's answer
 * cells for that exercise, and the instructor's check cell with its hidden tests. So whatever
 * one answer does (loop forever, throw, write to stderr, redefine the check helpers, reach
 * into globals, exit the process) touches only that exercise's run, never another exercise,
 * another student or the grader. Within its own run an answer can still lie about itself, as
 * in any notebook grader that runs submitted code; run the grader on submissions you are
 * willing to execute (a container, or a user account of their own).
 *
 * Options:
 *   --instructor DIR   the instructor's notebooks (default: notebooks/)
 *   --out DIR          where grades.json and grades.md go (default: grades/)
 *   --timeout S        time limit per submitted cell, in seconds (default 60)
 *   --jobs N           runs at once (default: the number of CPUs)
 *
 * A student is named by the folder holding their notebook: submitted/alice/05-loss-functions.ipynb
 * is alice's (nbgrader's submitted/<student>/<assignment>/<notebook> works too: the first folder
 * below the one given is the student).
 */
import { fork } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { exercises, isGrade, isLocked, nbgraderChecksum, studentEdition } from "./editions.mjs";
import { allNotebooks, cellText } from "./notebooks.mjs";
import { runAsCommand } from "./command.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const worker = path.join(root, "scripts", "grade-worker.mjs");

const text = cellText;
const gradeId = (cell) => cell.metadata?.nbgrader?.grade_id;

// ---------------------------------------------------------------------------------------------
// Which cells an exercise needs

/**
 * For each cell, from TypeScript's parser and binder: the top-level names it declares, the
 * names it uses that it does not declare itself (so they come from earlier cells; a parameter
 * or local of the same name does not count), the names among those it may change (assigned:
 * a = …, a.b = …, a[i] += …, a++; or an object whose own method it calls: model.fit(…)),
 * and whether it imports.
 */
export function cellNames(sources) {
  const ts = require("typescript");
  const names = sources.map((_, k) => `/cell${k}.ts`);
  // Each cell is a module of its own ("export {}"), so a name from another cell stays unresolved.
  const files = new Map(sources.map((s, k) => [names[k], ts.createSourceFile(names[k], `${s}\nexport {};\n`, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS)]));
  const options = { noLib: true, noResolve: true, types: [], target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ES2022 };
  const host = {
    getSourceFile: (f) => files.get(f), fileExists: (f) => files.has(f), readFile: () => undefined,
    getDefaultLibFileName: () => "/lib.d.ts", writeFile: () => {}, getCurrentDirectory: () => "/",
    getCanonicalFileName: (f) => f, useCaseSensitiveFileNames: () => true, getNewLine: () => "\n",
    getDirectories: () => [],
  };
  const checker = ts.createProgram(names, options, host).getTypeChecker();
  return names.map((name) => {
    const file = files.get(name);
    const declares = new Set();
    let imports = false;
    const bind = (n) => {
      if (ts.isIdentifier(n)) declares.add(n.text);
      else for (const el of n.elements ?? []) if (!ts.isOmittedExpression(el)) bind(el.name);
    };
    for (const st of file.statements) {
      if (ts.isImportDeclaration(st) || ts.isImportEqualsDeclaration(st)) {
        imports = true;
        if (ts.isImportEqualsDeclaration(st)) declares.add(st.name.text);
        const clause = st.importClause;
        if (clause?.name) declares.add(clause.name.text);
        const nb = clause?.namedBindings;
        if (nb && ts.isNamespaceImport(nb)) declares.add(nb.name.text);
        if (nb && ts.isNamedImports(nb)) for (const el of nb.elements) declares.add(el.name.text);
      } else if (ts.isVariableStatement(st)) {
        for (const d of st.declarationList.declarations) bind(d.name);
      } else if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st) || ts.isInterfaceDeclaration(st) ||
        ts.isTypeAliasDeclaration(st) || ts.isEnumDeclaration(st)) && st.name) {
        declares.add(st.name.text);
      }
    }
    /** A name this cell does not declare anywhere in scope: it comes from an earlier cell. */
    const outside = (id) => {
      if (ts.isShorthandPropertyAssignment(id.parent)) return !checker.getShorthandAssignmentValueSymbol(id.parent);
      return !checker.getSymbolAtLocation(id);
    };
    const rootName = (e) => {
      while (e && (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e) || ts.isParenthesizedExpression(e))) e = e.expression;
      return e && ts.isIdentifier(e) && outside(e) ? e.text : null;
    };
    const uses = new Set();
    const mutates = new Set();
    const visit = (n) => {
      if (ts.isIdentifier(n)) {
        const p = n.parent;
        const isMember = p && ((ts.isPropertyAccessExpression(p) && p.name === n) ||
          (ts.isPropertyAssignment(p) && p.name === n) || (ts.isPropertySignature(p) && p.name === n) ||
          (ts.isMethodDeclaration(p) && p.name === n) || (ts.isPropertyDeclaration(p) && p.name === n) ||
          (ts.isQualifiedName(p) && p.right === n));
        if (!isMember && outside(n)) uses.add(n.text);
      } else if (ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
        n.operatorToken.kind <= ts.SyntaxKind.LastAssignment) {
        const r = rootName(n.left);
        if (r) mutates.add(r);
      } else if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) &&
        (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken)) {
        const r = rootName(n.operand);
        if (r) mutates.add(r);
      } else if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && ts.isIdentifier(n.expression.expression)) {
        const r = rootName(n.expression.expression);
        if (r) mutates.add(r);
      }
      ts.forEachChild(n, visit);
    };
    visit(file);
    return { declares, uses, mutates, imports };
  });
}

/**
 * The positions (in `sources`) of the cells to run for `targets`, in order: the cells that
 * import, the latest earlier cell declaring each name a needed cell uses, and the cells between
 * that may change what such a name holds (see cellNames), until nothing new is needed.
 */
/**
 * @param {string[]} sources
 * @param {number[]} targets
 * @returns {number[]}
 */
export function neededCells(sources, targets) {
  const info = cellNames(sources);
  const last = Math.max(...targets);
  const needed = new Set(targets);
  info.forEach((c, i) => { if (c.imports && i <= last) needed.add(i); });
  const queue = [...needed];
  const add = (i) => { if (!needed.has(i)) { needed.add(i); queue.push(i); } };
  while (queue.length) {
    const c = queue.pop();
    for (const name of info[c].uses) {
      for (let j = c - 1; j >= 0; j--) if (info[j].declares.has(name)) { add(j); break; }
    }
    if (info[c].imports) continue;
    for (const name of info[c].declares) {
      for (let j = c + 1; j <= last; j++) if (info[j].mutates.has(name) && !info[j].declares.has(name)) add(j);
    }
  }
  return [...needed].sort((a, b) => a - b);
}

// ---------------------------------------------------------------------------------------------
// Running cells in a fresh kernel process

/**
 * Runs `cells` ({ source, limit } with limit in ms) in order in a new kernel process in `dir`,
 * stopping at the first cell that times out or ends the process. Returns one result per cell
 * run: { ok, stdout, stderr, results, error? }. Never throws for what the cells do.
 * @param {string} dir
 * @param {{ source: string, limit: number }[]} cells
 * @returns {Promise<{ ok: boolean, stdout: string, stderr: string, error?: string,
 *   results: { name: string, passed: boolean, message: string }[] }[]>}
 */
export function runCells(dir, cells) {
  return new Promise((resolve) => {
    const child = fork(worker, [], {
      cwd: dir,
      stdio: ["ignore", "pipe", "pipe", "ipc"],
      // Submitted code may read what it likes but not write files, start processes or threads.
      execArgv: ["--experimental-permission", "--allow-fs-read=*", "--no-warnings"],
      serialization: "json",
    });
    let log = "";
    child.stdout.on("data", (d) => { log += d; });
    child.stderr.on("data", (d) => { log = (log + d).slice(-4000); });
    const out = [];
    let current = null, timer = null, finished = false;
    const finish = (error) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      if (error && current) out.push({ ok: false, stdout: "", stderr: "", results: [], error });
      child.removeAllListeners("message");
      child.kill("SIGKILL");
      resolve(out);
    };
    const next = () => {
      const cell = cells[out.length];
      if (!cell) return finish();
      current = { id: randomUUID(), cell };
      timer = setTimeout(() => finish(`stopped after ${cell.limit / 1000} s, the time limit for this cell (an endless loop?)`), cell.limit);
      child.send({ type: "run", id: current.id, source: cell.source });
    };
    child.on("message", (msg) => {
      if (msg?.type === "ready" && out.length === 0 && !current) return next();
      if (msg?.type !== "done" || !current || msg.id !== current.id) return;
      clearTimeout(timer);
      out.push({
        ok: msg.ok === true,
        stdout: String(msg.stdout ?? ""),
        stderr: String(msg.stderr ?? ""),
        results: Array.isArray(msg.results) ? msg.results : [],
      });
      current = null;
      next();
    });
    child.on("exit", (code, signal) => {
      finish(`the process ended (${signal ?? `exit code ${code}`}) while this cell ran${log.trim() ? `: ${log.trim().split("\n").slice(-3).join(" ")}` : ""}`);
    });
    child.on("error", (e) => finish(`could not start a kernel process: ${e.message}`));
  });
}

// ---------------------------------------------------------------------------------------------
// Preparing a submission

/**
 * Compares a submission with the instructor's notebook and returns the per-exercise runs to
 * make and the notes for the report.
 */
export function prepareSubmission(instructor, submitted, { limitMs = 60_000 } = {}) {
  const release = studentEdition(instructor);
  const notes = [];
  const byId = new Map();
  for (const cell of submitted.cells ?? []) {
    const id = gradeId(cell);
    if (!id) continue;
    if (byId.has(id)) notes.push(`cell ${id} appears more than once; the first one was used`);
    else byId.set(id, cell);
  }
  const releasedById = new Map(release.cells.filter(gradeId).map((c) => [gradeId(c), c]));
  for (const cell of instructor.cells) {
    const id = gradeId(cell);
    if (!id || !isLocked(cell)) continue;
    const mine = byId.get(id);
    if (!mine) { notes.push(`${isGrade(cell) ? "check" : "locked"} cell ${id} was deleted; restored from the instructor's version`); continue; }
    // Unedited: as released (its checksum), or as the instructor wrote it (a copy of the
    // instructor's notebook or of the learner's edition, which keep the hidden tests).
    let same = text(mine) === text(cell);
    try { same ||= nbgraderChecksum(mine) === releasedById.get(id).metadata.nbgrader.checksum; } catch { /* no grade_id */ }
    if (!same) notes.push(`${isGrade(cell) ? "check" : "locked"} cell ${id} was edited; restored from the instructor's version`);
  }
  const instructorCode = new Set(instructor.cells.filter((c) => c.cell_type === "code" && !gradeId(c)).map((c) => text(c).trim()));
  const extra = (submitted.cells ?? []).filter((c) => c.cell_type === "code" && !gradeId(c) && text(c).trim() &&
    !instructorCode.has(text(c).trim())).length;
  if (extra) notes.push(`${extra} code cell${extra > 1 ? "s" : ""} added or changed outside the answer cells ${extra > 1 ? "were" : "was"} not run (the grader runs the instructor's)`);

  const code = instructor.cells.map((c, i) => ({ c, i })).filter(({ c }) => c.cell_type === "code");
  const runs = exercises(instructor).map((ex) => {
    const missing = ex.answers.filter((i) => !byId.has(gradeId(instructor.cells[i])));
    const sources = code.map(({ c, i }) => {
      if (ex.answers.includes(i)) {
        const mine = byId.get(gradeId(c));
        return mine ? text(mine) : text(release.cells[i]);
      }
      return text(c);
    });
    const at = (i) => code.findIndex((x) => x.i === i);
    const targets = [...ex.answers.map(at), at(ex.check)];
    const cells = neededCells(sources, targets).map((k) => ({
      source: sources[k],
      limit: targets.includes(k) ? limitMs : 600_000,
      role: k === at(ex.check) ? "check" : ex.answers.some((i) => at(i) === k) ? "answer" : "setup",
      index: code[k].i,
    }));
    // As nbgrader does: an answer left exactly as handed out scores 0 without running.
    const untouched = !missing.length && ex.answers.every((i) => {
      try { return nbgraderChecksum(byId.get(gradeId(instructor.cells[i]))) === release.cells[i].metadata.nbgrader.checksum; } catch { return false; }
    });
    return { id: ex.id, title: ex.title, points: ex.points, cells, untouched, missing: missing.map((i) => gradeId(instructor.cells[i])) };
  });
  return { runs, notes };
}

/** Grades one exercise run: full points when its check cell reports exactly one passing exercise. */
export async function gradeRun(dir, run) {
  const base = { id: run.id, title: run.title, max: run.points };
  if (run.missing.length) {
    return { ...base, points: 0, message: `answer cell ${run.missing.join(", ")} was deleted` };
  }
  if (run.untouched) return { ...base, points: 0, message: "not answered: the answer cell is as it was handed out" };
  const results = await runCells(dir, run.cells);
  const fail = (message) => ({ ...base, points: 0, message });
  for (const [k, r] of results.entries()) {
    const cell = run.cells[k];
    if (r.error) {
      const where = cell.role === "setup" ? `instructor's cell ${cell.index}` : cell.role === "check" ? "the check cell (which runs the answer)" : "the answer cell";
      return fail(`${where}: ${r.error}`);
    }
    if (!r.ok && cell.role === "setup") return fail(`grader problem: the instructor's cell ${cell.index} failed: ${firstLine(r.stderr)}`);
    if (cell.role === "check") {
      const answerError = results.slice(0, k).find((x, j) => run.cells[j].role === "answer" && !x.ok);
      if (!r.ok) return fail(answerError ? `the answer cell failed: ${firstLine(answerError.stderr)}` : `the check cell failed: ${firstLine(r.stderr)}`);
      if (r.results.length !== 1) return fail(`the check reported ${r.results.length} outcomes, expected one`);
      const [outcome] = r.results;
      return outcome.passed ? { ...base, points: run.points, message: "" } : fail(outcome.message);
    }
  }
  return fail("the check cell did not run");
}

/**
 * The line of a cell's error output that says what went wrong: the "Error: …" line of a thrown
 * error or a compiler message ("3:5 - Cannot find name …"), not the "evalmachine…" location
 * the kernel prints first.
 */
function firstLine(stderr) {
  const lines = String(stderr).split("\n").map((l) => l.trim()).filter(Boolean);
  const said = lines.find((l) => /^[A-Za-z]*Error\b|^\d+:\d+ - /.test(l)) ?? lines[0] ?? "(no message)";
  return said.slice(0, 300);
}

// ---------------------------------------------------------------------------------------------
// Finding submissions, grading them all, reporting

/** Every submitted notebook under `inputs`, each with the student it belongs to. */
export function findSubmissions(inputs) {
  const found = [];
  for (const input of inputs) {
    const abs = path.resolve(input);
    if (!existsSync(abs)) throw new Error(`grade: ${input} does not exist`);
    const isDir = statSync(abs).isDirectory();
    for (const file of isDir ? allNotebooks(abs) : abs.endsWith(".ipynb") ? [abs] : []) {
      const rel = path.relative(abs, file).split(path.sep);
      const student = isDir && rel.length > 1 ? rel[0] : path.basename(path.dirname(file));
      found.push({ file, student });
    }
  }
  if (!found.length) throw new Error(`grade: found no notebooks in ${inputs.join(", ")}`);
  return found;
}

async function pool(tasks, jobs) {
  const out = new Array(tasks.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(jobs, tasks.length) }, async () => {
    while (next < tasks.length) { const k = next++; out[k] = await tasks[k](); }
  }));
  return out;
}

/** Grades every submission; returns { students: { name: { total, max, notebooks: { … } } } }. */
export async function grade(inputs, { instructorDir = path.join(root, "notebooks"), timeout = 60, jobs = os.cpus().length } = {}) {
  const submissions = findSubmissions(inputs);
  const tasks = [];
  const report = { students: {} };
  for (const { file, student } of submissions) {
    const name = path.basename(file, ".ipynb");
    const s = (report.students[student] ??= { total: 0, max: 0, notebooks: {} });
    const entry = (s.notebooks[name] = { score: 0, max: 0, exercises: [], notes: [] });
    const source = path.join(instructorDir, path.basename(file));
    let submitted;
    try {
      submitted = JSON.parse(readFileSync(file, "utf8"));
    } catch (e) {
      entry.notes.push(`not a readable notebook: ${e.message}`);
    }
    if (!existsSync(source)) { entry.notes.push(`no instructor notebook ${path.basename(file)} in ${instructorDir}; not graded`); continue; }
    const instructor = JSON.parse(readFileSync(source, "utf8"));
    const { runs, notes } = prepareSubmission(instructor, submitted ?? { cells: [] }, { limitMs: timeout * 1000 });
    entry.notes.push(...notes);
    entry.max = runs.reduce((a, r) => a + r.points, 0);
    s.max += entry.max;
    for (const run of runs) {
      tasks.push(async () => {
        const r = await gradeRun(instructorDir, run);
        entry.exercises.push(r);
        entry.score += r.points;
        s.total += r.points;
      });
    }
  }
  await pool(tasks, Math.max(1, jobs));
  for (const s of Object.values(report.students)) {
    for (const nb of Object.values(s.notebooks)) nb.exercises.sort((a, b) => a.id.localeCompare(b.id, "en", { numeric: true }));
  }
  return report;
}

/** "ex5-1-check" → "5.1", as the chapters number their exercises. */
const exerciseNumber = (id) => id.replace(/^ex|-check$/g, "").replace(/-/g, ".");

/** The report as a Markdown table per student, then the failing messages and notes. */
export function formatReport(report) {
  const out = ["| student | notebook | score | exercises |", "|---|---|---|---|"];
  const details = [];
  for (const [student, s] of Object.entries(report.students).sort()) {
    for (const [name, nb] of Object.entries(s.notebooks).sort()) {
      const marks = nb.exercises.map((e) => `${e.points === e.max ? "✓" : "✗"} ${exerciseNumber(e.id)}`).join(" ");
      out.push(`| ${student} | ${name} | ${nb.score} / ${nb.max} | ${marks} |`);
      for (const e of nb.exercises.filter((e) => e.points < e.max)) details.push(`- ${student} · ${name} · ${e.title || e.id}: ${e.message}`);
      for (const n of nb.notes) details.push(`- ${student} · ${name}: ${n}`);
    }
    out.push(`| ${student} | **total** | **${s.total} / ${s.max}** | |`);
  }
  return out.join("\n") + (details.length ? `\n\n${details.join("\n")}\n` : "\n");
}

const USAGE = "usage: npm run grade -- <submitted notebooks or folders> [--out DIR] [--timeout S] [--jobs N] [--instructor DIR]\n" +
  "  --out DIR         where grades.json and grades.md go (default: grades/)\n" +
  "  --timeout S       time limit per answer and check cell, in seconds (default 60)\n" +
  "  --jobs N          exercises graded at once (default: the number of CPUs)\n" +
  "  --instructor DIR  the instructor's notebooks (default: notebooks/)";

function parseArgs(argv) {
  const opts = { inputs: [], out: path.join(root, "grades") };
  if (argv.includes("--help") || argv.includes("-h")) { console.log(USAGE); process.exit(0); }
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k];
    const value = () => {
      const v = argv[++k];
      if (v === undefined) throw new Error(`grade: ${a} needs a value`);
      return v;
    };
    if (a === "--instructor") opts.instructorDir = path.resolve(value());
    else if (a === "--out") opts.out = path.resolve(value());
    else if (a === "--timeout") opts.timeout = Number(value());
    else if (a === "--jobs") opts.jobs = Number(value());
    else if (a.startsWith("--")) throw new Error(`grade: unknown option ${a}`);
    else opts.inputs.push(a);
  }
  if (!opts.inputs.length) throw new Error(USAGE);
  for (const k of ["timeout", "jobs"]) {
    if (opts[k] !== undefined && !(opts[k] > 0)) throw new Error(`grade: --${k} must be a positive number, got ${opts[k]}`);
  }
  return opts;
}

async function main(argv) {
  const opts = parseArgs(argv);
  const report = await grade(opts.inputs, opts);
  mkdirSync(opts.out, { recursive: true });
  writeFileSync(path.join(opts.out, "grades.json"), JSON.stringify(report, null, 1) + "\n");
  const table = formatReport(report);
  writeFileSync(path.join(opts.out, "grades.md"), table);
  console.log(table);
  const shown = (f) => path.relative(process.cwd(), path.join(opts.out, f)) || f;
  console.log(`Wrote ${shown("grades.json")} and ${shown("grades.md")}`);
}

runAsCommand(import.meta.url, main);
