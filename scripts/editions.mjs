#!/usr/bin/env node
/**
 * The two editions made from the chapters in notebooks/ (the instructor's edition, with worked
 * solutions and hidden tests):
 *
 *   learner  the self-study copy `npm start` keeps in my-notebooks/: each answer replaced by a
 *            stub, the checks (hidden ones included) kept, the worked solutions moved to the
 *            back of the notebook under "Solutions".
 *   student  what `npm run student` writes to student/ for an instructor to hand out, the way
 *            nbgrader's `generate_assignment` releases an assignment: answers stubbed, hidden
 *            tests removed, no solutions, check cells locked, nbgrader checksums computed.
 *
 * Exercises are marked with nbgrader's own cell metadata (schema version 3): an answer cell
 * has `solution: true`, a check cell `grade: true, locked: true, points`. Inside them,
 * `// BEGIN SOLUTION` … `// END SOLUTION` and `// BEGIN HIDDEN TESTS` … `// END HIDDEN TESTS`
 * mark the regions, found line by line exactly as nbgrader finds them (a line containing the
 * delimiter), so nbgrader with ../nbgrader_config.py makes the same student edition.
 *
 *   node scripts/editions.mjs student [OUT]            default OUT: student/
 *   node scripts/editions.mjs learner [--reset NN …]   update my-notebooks/ (see syncLearnerCopy)
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { allNotebooks, cellText, cleanNotebook, serialize, sourceLines } from "./notebooks.mjs";
import { runAsCommand } from "./command.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** What replaces a worked solution: nbgrader's stub convention, in TypeScript. */
export const CODE_STUB = '// YOUR CODE HERE\nthrow new Error("not implemented");';

const text = cellText;
const lines = sourceLines;
const withSource = (cell, source) => ({ ...cell, source: lines(source) });

// nbgrader's predicates (nbgrader/utils.py), so that checksums agree with nbgrader's.
export const isGrade = (cell) => Boolean(cell.metadata?.nbgrader?.grade);
export const isSolution = (cell) => Boolean(cell.metadata?.nbgrader?.solution);
export function isLocked(cell) {
  const nbg = cell.metadata?.nbgrader;
  if (!nbg || isSolution(cell)) return false;
  return isGrade(cell) || Boolean(nbg.locked);
}

/** Python's str() of a bool and of float(points): "True", "1.0", "0.5". */
const pyBool = (b) => (b ? "True" : "False");
const pyFloat = (x) => (Number.isInteger(x) ? x.toFixed(1) : String(x));

/**
 * nbgrader's `compute_checksum`: the MD5 of the source, the cell type, whether the cell is a
 * grade, solution and locked cell, its grade_id, and for grade cells float(points).
 */
export function nbgraderChecksum(cell) {
  const nbg = cell.metadata?.nbgrader;
  if (!nbg?.grade_id) throw new Error("nbgraderChecksum: expected a cell with nbgrader metadata and a grade_id");
  const md5 = createHash("md5");
  for (const part of [text(cell), cell.cell_type, pyBool(isGrade(cell)), pyBool(isSolution(cell)),
    pyBool(isLocked(cell)), nbg.grade_id]) md5.update(part, "utf8");
  if (isGrade(cell)) md5.update(pyFloat(Number(nbg.points)), "utf8");
  return md5.digest("hex");
}

/**
 * Replaces each delimited region of `source` (delimiter lines included) by `stub` at the
 * indentation of the begin line, as nbgrader's ClearSolutions / ClearHiddenTests do; an empty
 * stub removes the region. A begin without an end, or a nested begin, is an error.
 */
function replaceRegions(source, begin, end, stub, where) {
  const out = [];
  let inside = false;
  for (const line of source.split("\n")) {
    if (line.includes(begin)) {
      if (inside) throw new Error(`${where}: "${begin}" inside another "${begin}" region`);
      inside = true;
      const indent = /^\s*/.exec(line)[0];
      if (stub) for (const s of stub.split("\n")) out.push(indent + s);
    } else if (line.includes(end)) {
      if (!inside) throw new Error(`${where}: "${end}" without "${begin}" before it`);
      inside = false;
    } else if (!inside) {
      out.push(line);
    }
  }
  if (inside) throw new Error(`${where}: "${begin}" without "${end}"`);
  return out.join("\n");
}

/** An answer cell's source with each worked solution replaced by CODE_STUB. */
export function stubSolutions(source, where = "cell") {
  return replaceRegions(source, "BEGIN SOLUTION", "END SOLUTION", CODE_STUB, where);
}

/** A check cell's source without its hidden tests. */
export function removeHiddenTests(source, where = "cell") {
  return replaceRegions(source, "BEGIN HIDDEN TESTS", "END HIDDEN TESTS", "", where);
}

/** An answer cell as its worked solution reads: the source without the delimiter lines. */
export function solutionText(source) {
  return source.split("\n").filter((l) => !l.includes("BEGIN SOLUTION") && !l.includes("END SOLUTION"))
    .join("\n").replace(/\s+$/, "");
}

/**
 * A worked explanation: a Markdown cell right after a check cell that opens with "*Why:*" (or
 * "*Why.*"). It gives the answer away, so the editions move it (learner) or leave it out (student).
 */
export function isExplanation(nb, index) {
  const cell = nb.cells[index];
  return index > 0 && cell.cell_type === "markdown" && isGrade(nb.cells[index - 1]) && /^\*Why[:.]\*/.test(text(cell));
}

/**
 * Each exercise of a notebook: its answer cells, its check cell, its explanation, and its title.
 * @returns {{ id: string, title: string, points: number, check: number, answers: number[], explanation?: number }[]}
 */
export function exercises(nb) {
  const found = [];
  let answers = [];
  let title = "";
  for (const [index, cell] of nb.cells.entries()) {
    if (cell.cell_type === "markdown") {
      if (isExplanation(nb, index)) { found[found.length - 1].explanation = index; continue; }
      const m = /^###\s+(Exercise[^\n]*)/m.exec(text(cell));
      if (m) title = m[1].replace(/\s+/g, " ").trim();
    } else if (isSolution(cell)) {
      answers.push(index);
    } else if (isGrade(cell)) {
      const nbg = cell.metadata.nbgrader;
      found.push({ id: nbg.grade_id, title, points: Number(nbg.points), check: index, answers });
      answers = [];
    }
  }
  return found;
}

// The opening paragraph of each chapter's "## Exercises" cell, as each edition says it.
export const EXERCISES_INTRO = {
  instructor: "Each exercise has an answer cell and a check cell. In this edition the answer cells hold worked solutions",
  learner:
    "Each exercise has an answer cell and a check cell. Replace the lines `// YOUR CODE HERE` and\n" +
    "`throw new Error(\"not implemented\");` in the answer cell with your answer and run it, then run\n" +
    "the check cell: it prints ✓ when every check passes, and otherwise ✗ with what is wrong and a\n" +
    "hint, without stopping the notebook. The worked solutions are at the back of this notebook,\n" +
    "under **Solutions**, for when you have tried. The lines between `BEGIN HIDDEN TESTS` and\n" +
    "`END HIDDEN TESTS` are further checks, some computing the answer another way: read them after\n" +
    "you have tried, too. This is your own copy of the chapter: when the\n" +
    "course is updated, `npm start` leaves a chapter you have changed as it is, and\n" +
    "`npm start -- --reset NN` gives you a fresh copy of chapter NN (yours is kept in `.backups/`).",
  student:
    "Each exercise has an answer cell and a check cell. Replace the lines `// YOUR CODE HERE` and\n" +
    "`throw new Error(\"not implemented\");` in the answer cell with your answer and run it, then run\n" +
    "the check cell: it prints ✓ when every check passes, and otherwise ✗ with what is wrong and a\n" +
    "hint. The check cells are locked. Your grade comes from the same checks, and further ones you\n" +
    "do not see, run on the notebook you hand in, each exercise on its own: write everything an\n" +
    "answer needs inside its answer cell, since cells you add are not run by the grader.",
  book:
    "Each exercise has an answer cell and a check cell; the check cell's output below it is what a\n" +
    "correct answer prints. The worked solution is folded under **Worked solution**: try the\n" +
    "exercise in your own copy of the chapter first (`npm start` opens it in Jupyter), then unfold it.",
  slides:
    "Each exercise has an answer cell and a check cell; the check's output is what a correct answer\n" +
    "prints. The worked solutions are not on the slides: they are in the book, folded, and at the\n" +
    "back of each chapter in the learner's copy (`npm start`).",
};

/** The "## Exercises" cell with its opening paragraph said as `edition` says it. */
function exercisesIntro(nb, edition, where) {
  const i = nb.cells.findIndex((c) => c.cell_type === "markdown" && /^## Exercises\b/m.test(text(c)));
  if (i < 0) throw new Error(`${where}: has exercises but no "## Exercises" cell`);
  const paragraphs = text(nb.cells[i]).split(/\n\n/);
  const p = paragraphs.findIndex((s) => s.replace(/\s+/g, " ").startsWith(EXERCISES_INTRO.instructor));
  if (p < 0) {
    throw new Error(`${where}: the "## Exercises" cell must have a paragraph starting "${EXERCISES_INTRO.instructor}…", ` +
      "which each edition replaces with its own instructions");
  }
  paragraphs[p] = EXERCISES_INTRO[edition];
  return { index: i, cell: withSource(nb.cells[i], paragraphs.join("\n\n")) };
}

/**
 * The notebook with its "## Exercises" opening paragraph said as `edition` says it, and
 * nothing else changed; a notebook without exercises is returned as it is.
 */
export function withEditionIntro(nb, edition, where = "notebook") {
  if (!exercises(nb).length) return nb;
  const intro = exercisesIntro(nb, edition, where);
  return { ...nb, cells: nb.cells.map((c, i) => (i === intro.index ? intro.cell : c)) };
}

/** True when some answer cell still holds a worked solution (an instructor's notebook). */
function hasWorkedSolutions(nb) {
  return exercises(nb).some((ex) => ex.answers.some((i) => text(nb.cells[i]).includes("BEGIN SOLUTION")));
}

function edition(nb, kind, where) {
  // A notebook without worked solutions is already an edition (a course handed out as the
  // student edition, say): it stays as it is.
  if (!hasWorkedSolutions(nb)) return cleanNotebook(nb);
  const intro = exercisesIntro(nb, kind, where);
  const cells = nb.cells.map((cell, index) => {
    if (index === intro.index) return intro.cell;
    if (isExplanation(nb, index)) {
      return withSource(cell, kind === "learner" ? "*Why:* see this exercise under **Solutions** at the back of the notebook."
        : "*Why:* explained with the worked solutions, after grading.");
    }
    if (isSolution(cell)) return withSource(cell, stubSolutions(text(cell), `${where} cell ${index}`));
    if (kind === "student" && isGrade(cell)) return withSource(cell, removeHiddenTests(text(cell), `${where} cell ${index}`));
    return cell;
  });
  return { ...nb, cells };
}

/** The learner's edition of an instructor notebook (see the file's comment). */
export function learnerEdition(nb, where = "notebook") {
  const out = edition(nb, "learner", where);
  const list = exercises(nb);
  if (!hasWorkedSolutions(nb)) return out;
  const md = (source) => ({ cell_type: "markdown", metadata: {}, source: lines(source) });
  const solutions = [md("## Solutions\n\nWorked solutions to the exercises above. Each one is one way to do it; " +
    "if yours passes its check, it is right too.")];
  for (const ex of list) {
    const code = ex.answers.map((i) => solutionText(text(nb.cells[i]))).filter(Boolean).join("\n\n");
    const why = ex.explanation === undefined ? "" : `\n\n${text(nb.cells[ex.explanation]).trim()}`;
    solutions.push(md(`### ${ex.title || ex.id}\n\n\`\`\`ts\n${code}\n\`\`\`${why}`));
  }
  return cleanNotebook({ ...out, cells: [...out.cells, ...solutions] });
}

/**
 * The student edition of an instructor notebook, as nbgrader's generate_assignment releases it:
 * solutions stubbed, hidden tests removed, check and locked cells made read-only and
 * undeletable, and every nbgrader cell given `cell_type` and `checksum` of its released form.
 */
export function studentEdition(nb, where = "notebook") {
  const out = edition(nb, "student", where);
  const cells = out.cells.map((cell) => {
    if (!cell.metadata?.nbgrader) return cell;
    const metadata = { ...cell.metadata, nbgrader: { ...cell.metadata.nbgrader, cell_type: cell.cell_type } };
    if (isLocked(cell)) Object.assign(metadata, { deletable: false, editable: false });
    const released = { ...cell, metadata };
    released.metadata.nbgrader.checksum = nbgraderChecksum(released);
    return released;
  });
  return cleanNotebook({ ...out, cells });
}

/** Writes the student edition of every chapter to `outDir`; returns the files written. */
export function writeStudentEdition(outDir = path.join(root, "student"), sources = allNotebooks()) {
  mkdirSync(outDir, { recursive: true });
  return sources.map((file) => {
    const nb = JSON.parse(readFileSync(file, "utf8"));
    const target = path.join(outDir, path.basename(file));
    writeFileSync(target, serialize(studentEdition(nb, path.basename(file))));
    return target;
  });
}

/** What counts as the learner's work in a notebook: each cell's type and source. */
function workHash(nb) {
  const h = createHash("sha256");
  for (const c of nb.cells) h.update(`${c.cell_type}\0${text(c).replace(/\s+$/, "")}\0`);
  return h.digest("hex");
}

/**
 * Brings the learner's working copy `dir` up to date with the chapters in `sources`:
 *   - a chapter not yet in `dir` is written ("new");
 *   - a chapter the learner has not changed since it was written (same cells, whatever
 *     Jupyter did to outputs and metadata) is replaced by its newer edition ("updated");
 *   - a chapter the learner has changed is never overwritten ("kept": if the course's
 *     edition changed meanwhile, the result says so);
 *   - a chapter named in `reset` (by file name or by its number, "05") is written afresh,
 *     the learner's copy first moved to `dir/.backups/` ("reset").
 * What was generated is recorded by work hash in `dir/.generated.json`.
 */
export function syncLearnerCopy({ dir = path.join(root, "my-notebooks"), sources = allNotebooks(), reset = [] } = {}) {
  mkdirSync(dir, { recursive: true });
  const recordFile = path.join(dir, ".generated.json");
  const record = existsSync(recordFile) ? JSON.parse(readFileSync(recordFile, "utf8")) : {};
  const names = sources.map((f) => path.basename(f));
  // A chapter is named by its file name, with or without .ipynb, or by its number ("05").
  const matches = (r, name) => r === name || r === name.replace(/\.ipynb$/, "") || name.startsWith(`${r}-`);
  const unknown = reset.filter((r) => !names.some((n) => matches(r, n)));
  if (unknown.length) {
    throw new Error(`reset: no chapter ${unknown.join(", ")}; the chapters are ${names.map((n) => n.split("-")[0]).join(", ")}`);
  }
  const wanted = (name) => reset.some((r) => matches(r, name));
  const report = [];
  for (const file of sources) {
    const name = path.basename(file);
    const target = path.join(dir, name);
    const generated = learnerEdition(JSON.parse(readFileSync(file, "utf8")), name);
    const fresh = workHash(generated);
    let status;
    if (!existsSync(target)) {
      status = "new";
    } else if (wanted(name)) {
      const backups = path.join(dir, ".backups");
      mkdirSync(backups, { recursive: true });
      const stamp = new Date().toISOString().replace(/[:.]/g, "-");
      renameSync(target, path.join(backups, name.replace(/\.ipynb$/, `.${stamp}.ipynb`)));
      status = "reset";
    } else {
      const current = workHash(JSON.parse(readFileSync(target, "utf8")));
      if (current === fresh) { report.push({ name, status: "unchanged" }); record[name] = fresh; continue; }
      if (current !== record[name]) {
        report.push({ name, status: "kept", courseChanged: record[name] !== undefined && record[name] !== fresh });
        continue;
      }
      status = "updated";
    }
    writeFileSync(target, serialize(generated));
    record[name] = fresh;
    report.push({ name, status });
  }
  writeFileSync(recordFile, JSON.stringify(record, null, 1) + "\n");
  return report;
}

/** One line per chapter that changed, for `npm start` to print. */
export function describeSync(report, dir) {
  const say = {
    new: "added",
    updated: "updated to the course's newer version",
    reset: `reset to a fresh copy (yours is in ${path.join(dir, ".backups")}, a hidden folder: copy it back to undo)`,
  };
  const out = report.filter((r) => say[r.status]).map((r) => `  ${r.name}: ${say[r.status]}`);
  for (const r of report.filter((r) => r.status === "kept" && r.courseChanged)) {
    out.push(`  ${r.name}: has your changes, so it was left as it is; the course has a newer version ` +
      `(npm start -- --reset ${r.name.split("-")[0]} takes it, keeping yours in .backups/)`);
  }
  return out.length ? [`Your working copy, ${dir}:`, ...out].join("\n") : "";
}

function main(argv) {
  const [cmd, ...args] = argv;
  if (cmd === "student") {
    const out = path.resolve(args[0] ?? path.join(root, "student"));
    const files = writeStudentEdition(out);
    console.log(`Wrote the student edition of ${files.length} notebooks to ${path.relative(process.cwd(), out) || "."}`);
  } else if (cmd === "learner") {
    const reset = args.filter((a) => a !== "--reset");
    const dir = path.join(root, "my-notebooks");
    console.log(describeSync(syncLearnerCopy({ dir, reset }), path.relative(process.cwd(), dir)) || "Your working copy is up to date.");
  } else {
    console.error("usage: editions.mjs student [OUT] | learner [--reset NN …]");
    process.exit(2);
  }
}

runAsCommand(import.meta.url, main);
