/**
 * `npm run grade`: one run of the grader's command over a class of made-up students, then
 * what its report says about each.
 *
 *   instructor  every chapter as the instructor wrote it: full marks everywhere
 *   untouched   every chapter's student edition as handed out: zero everywhere
 *   one         chapter 05 with exactly the answer to 5.1 written in
 *   edited      chapter 05 with 5.1 answered and its check cell deleted, 5.2 answered wrongly and
 *               its check cell replaced by one that always passes
 *   hostile     chapter 05 with an endless loop (5.1), an answer that ends the process (5.2),
 *               one that redefines the check helpers, forges results for another exercise,
 *               writes to stderr and tries to write a file (5.3), a wrong answer (5.4), a right
 *               one (5.5); chapter 04 with an answer cell that throws (4.1)
 *
 * The grader runs each exercise in a kernel process of its own, so the tolerances here are
 * exact: a score is a whole number of points.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exercises, studentEdition } from "../scripts/editions.mjs";
import { allNotebooks, serialize } from "../scripts/notebooks.mjs";
import type { Notebook } from "./harness/notebook";

const root = path.resolve(__dirname, "..");
const base = mkdtempSync(path.join(tmpdir(), "grade-"));
afterAll(() => rmSync(base, { recursive: true, force: true }));

const src = (c: { source: string | string[] }) => (Array.isArray(c.source) ? c.source.join("") : c.source);
const read = (f: string): Notebook => JSON.parse(readFileSync(f, "utf8"));
const chapters = allNotebooks().filter((f) => exercises(read(f)).length > 0);
const chapterFile = (n: string) => chapters.find((f) => path.basename(f).startsWith(`${n}-`))!;
const name = (n: string) => path.basename(chapterFile(n), ".ipynb");

/** The student edition of chapter `n` with `change` applied, saved as `student`'s submission. */
function submit(student: string, n: string, change: (nb: Notebook, instructor: Notebook) => void = () => {}) {
  const instructor = read(chapterFile(n));
  const nb = studentEdition(instructor) as Notebook;
  change(nb, instructor);
  mkdirSync(path.join(base, "submitted", student), { recursive: true });
  writeFileSync(path.join(base, "submitted", student, path.basename(chapterFile(n))), serialize(nb));
}

/** Index of the answer / check cell of exercise `k` (0-based) of a chapter. */
const answerOf = (nb: Notebook, k: number) => exercises(nb)[k].answers[0];
const checkOf = (nb: Notebook, k: number) => exercises(nb)[k].check;
/** The instructor's answer cell with its solution region replaced by `body`. */
const answerWith = (instructor: Notebook, k: number, body: string, before = "") =>
  before + src(instructor.cells[answerOf(instructor, k)]).replace(/\/\/ BEGIN SOLUTION[\s\S]*?\/\/ END SOLUTION/, body);
const setSource = (nb: Notebook, i: number, s: string) => { nb.cells[i].source = s; };
const stolen = path.join(base, "written-by-a-submission.txt");

type Exercise = { id: string; points: number; max: number; message: string };
type Report = { students: Record<string, { total: number; max: number; notebooks: Record<string, { score: number; max: number; exercises: Exercise[]; notes: string[] }> }> };
let report: Report;
let table = "";

/** Runs the grader's command and collects what it printed. */
function run(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(root, "scripts", "grade.mjs"), ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "", stderr = "";
    child.stdout.on("data", (d) => { stdout += d; });
    child.stderr.on("data", (d) => { stderr += d; });
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

beforeAll(async () => {
  for (const f of chapters) {
    mkdirSync(path.join(base, "submitted", "instructor"), { recursive: true });
    writeFileSync(path.join(base, "submitted", "instructor", path.basename(f)), readFileSync(f));
    submit("untouched", path.basename(f).slice(0, 2));
  }
  submit("one", "05", (nb, ins) => setSource(nb, answerOf(nb, 0), src(ins.cells[answerOf(ins, 0)])));
  submit("edited", "05", (nb, ins) => {
    setSource(nb, answerOf(nb, 0), src(ins.cells[answerOf(ins, 0)]));
    setSource(nb, answerOf(nb, 1), answerWith(ins, 1, "return 0;"));
    setSource(nb, checkOf(nb, 1), 'exercise("5.2 The gradient of BCE with respect to the logit", () => {});');
    nb.cells.splice(checkOf(nb, 0), 1);
  });
  submit("hostile", "05", (nb, ins) => {
    setSource(nb, answerOf(nb, 0), answerWith(ins, 0, "while (true) {}"));
    setSource(nb, answerOf(nb, 1), answerWith(ins, 1, "return 0;", "process.exit(3);\n"));
    setSource(nb, answerOf(nb, 2), [
      'import { writeFileSync } from "node:fs";',
      'console.error("noise from an answer");',
      "const forged = (globalThis as any)[Symbol.for(\"byhand.exerciseResults\")];",
      'forged?.push({ name: "5.4 Confident mistakes under MSE and under cross-entropy", passed: true, message: "" });',
      "function exercise(name: string, body: () => void): void { console.log(`✓ Exercise ${name}: all checks pass.`); }",
      "function checkClose(...args: unknown[]): void {}",
      "(globalThis as any).checkEqual = () => {};",
      `try { writeFileSync(${JSON.stringify(stolen)}, "x"); } catch (e) { console.error(String(e)); }`,
      src(ins.cells[answerOf(ins, 2)]),
    ].join("\n"));
    setSource(nb, answerOf(nb, 3), answerWith(ins, 3, "return { mse: 0, ce: 0 };"));
    setSource(nb, answerOf(nb, 4), src(ins.cells[answerOf(ins, 4)]));
  });
  submit("hostile", "04", (nb, ins) => setSource(nb, answerOf(nb, 0), answerWith(ins, 0, "return [];", 'throw new Error("boom at the top level");\n')));

  const out = path.join(base, "grades");
  // Asynchronously: a minutes-long synchronous child would block this test worker's event loop.
  const r = await run([path.join(base, "submitted"), "--out", out, "--timeout", "90"]);
  if (r.status !== 0) throw new Error(`npm run grade failed (${r.status}):\n${r.stderr}\n${r.stdout}`);
  report = JSON.parse(readFileSync(path.join(out, "grades.json"), "utf8"));
  table = readFileSync(path.join(out, "grades.md"), "utf8");
}, 3_000_000);

const ex = (student: string, n: string, k: number) => {
  const nb = report.students[student].notebooks[name(n)];
  return nb.exercises.find((e) => e.id === exercises(read(chapterFile(n)))[k].id)!;
};

describe("npm run grade", () => {
  it("gives the instructor's notebooks full marks in every chapter", () => {
    const s = report.students.instructor;
    const failing = Object.entries(s.notebooks).flatMap(([nb, r]) => r.exercises.filter((e) => e.points !== e.max).map((e) => `${nb} ${e.id}: ${e.message}`));
    expect(failing).toEqual([]);
    const points = chapters.reduce((a, f) => a + exercises(read(f)).reduce((b, e) => b + e.points, 0), 0);
    expect(s.max).toBe(points);
    expect(s.total).toBe(points);
    // The instructor's check cells (hidden tests and all) count as unedited.
    expect(Object.values(s.notebooks).flatMap((nb) => nb.notes)).toEqual([]);
  });

  it("gives untouched student notebooks zero, each exercise 'not answered'", () => {
    const s = report.students.untouched;
    expect(Object.keys(s.notebooks).sort()).toEqual(chapters.map((f) => path.basename(f, ".ipynb")).sort());
    expect(s.total).toBe(0);
    for (const nb of Object.values(s.notebooks)) {
      for (const e of nb.exercises) expect(e.message).toMatch(/not answered/);
      expect(nb.notes).toEqual([]);
    }
  });

  it("scores a notebook with exactly one correct answer at exactly that exercise", () => {
    const nb = report.students.one.notebooks[name("05")];
    expect(nb.score).toBe(1);
    expect(ex("one", "05", 0).points).toBe(1);
    expect(nb.notes).toEqual([]);
  });

  it("restores a deleted check cell and an edited one, and says so", () => {
    const nb = report.students.edited.notebooks[name("05")];
    const [id1, id2] = exercises(read(chapterFile("05"))).map((e) => e.id);
    expect(nb.notes).toContain(`check cell ${id1} was deleted; restored from the instructor's version`);
    expect(nb.notes).toContain(`check cell ${id2} was edited; restored from the instructor's version`);
    expect(ex("edited", "05", 0).points).toBe(1);
    // the always-passing check was replaced by the real one, which rejects `return 0`
    expect(ex("edited", "05", 1)).toMatchObject({ points: 0 });
    expect(ex("edited", "05", 1).message).toMatch(/dL\/dz/);
    expect(nb.score).toBe(1);
  });

  it("survives hostile answers, each failing only its own exercise with a clear reason", () => {
    expect(ex("hostile", "05", 0).points).toBe(0);
    expect(ex("hostile", "05", 0).message).toMatch(/stopped after 90 s, the time limit for this cell/);
    expect(ex("hostile", "05", 1).points).toBe(0);
    expect(ex("hostile", "05", 1).message).toMatch(/the process ended \(exit code 3\)/);
    expect(ex("hostile", "05", 2).points).toBe(0);
    // neither the forged result nor the redefined helpers reached 5.4, whose answer is wrong
    expect(ex("hostile", "05", 3).points).toBe(0);
    expect(ex("hostile", "05", 3).message).toMatch(/expected/);
    expect(ex("hostile", "05", 4).points).toBe(1);
    expect(report.students.hostile.notebooks[name("05")].score).toBe(1);
    expect(ex("hostile", "04", 0).message).toMatch(/boom at the top level/);
    expect(report.students.hostile.notebooks[name("04")].score).toBe(0);
    // the submission could not write files, and the other students' results stand
    expect(existsSync(stolen)).toBe(false);
    expect(report.students.instructor.notebooks[name("05")].score).toBe(5);
  });

  it("writes a readable table with each student's total and the failing messages", () => {
    expect(table).toMatch(/\| hostile \| \*\*total\*\* \| \*\*1 \/ \d+\*\* \| \|/);
    expect(table).toMatch(new RegExp(`\\| one \\| ${name("05")} \\| 1 / 5 \\| ✓ 5\\.1 ✗ 5\\.2 ✗ 5\\.3 ✗ 5\\.4 ✗ 5\\.5 \\|`));
    expect(table).toContain("- hostile · 05-loss-functions · Exercise 5.1");
  });

  it("stops with a clear message when given nothing to grade or a bad option", async () => {
    const empty = mkdtempSync(path.join(base, "empty-"));
    const none = await run([empty]);
    expect(none.status).toBe(1);
    expect(none.stderr).toContain(`grade: found no notebooks in ${empty}`);
    const bad = await run([empty, "--timeout", "0"]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain("grade: --timeout must be a positive number, got 0");
  });
});
