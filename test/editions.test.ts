/**
 * The learner's and the student edition of the chapters (scripts/editions.mjs), checked
 * without running a kernel: nbgrader's own rules for stubs, hidden tests and checksums; what
 * each edition keeps and drops for every chapter; that both type-check; and how `npm start`
 * keeps the learner's working copy (never overwriting the learner's work).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CODE_STUB, EXERCISES_INTRO, exercises, isGrade, isLocked, isSolution, learnerEdition, nbgraderChecksum,
  removeHiddenTests, stubSolutions, studentEdition, syncLearnerCopy,
} from "../scripts/editions.mjs";
import { allNotebooks, serialize } from "../scripts/notebooks.mjs";
import { npmCommand } from "../scripts/setup.mjs";
import { typecheckNotebook, type Notebook } from "./harness/notebook";

const root = path.resolve(__dirname, "..");
const made: string[] = [];
afterAll(() => { for (const d of made) rmSync(d, { recursive: true, force: true }); });
const tempDir = (prefix: string) => { const d = mkdtempSync(path.join(tmpdir(), prefix)); made.push(d); return d; };

type Cell = Notebook["cells"][number] & { metadata: { nbgrader?: Record<string, unknown> } };
const src = (c: { source: string | string[] }) => (Array.isArray(c.source) ? c.source.join("") : c.source);
const read = (f: string) => JSON.parse(readFileSync(f, "utf8")) as Notebook;
const chapters = allNotebooks().filter((f) => exercises(read(f)).length > 0);
const python = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

describe("stubs and hidden tests, found as nbgrader finds them", () => {
  it("replaces each solution region, delimiter lines included, by the stub at the BEGIN line's indentation", () => {
    const answer = "function f(x: number): number {\n  // BEGIN SOLUTION\n  const y = 2 * x;\n  return y;\n  // END SOLUTION\n}\n" +
      "function g(): string {\n    // BEGIN SOLUTION (any words may follow)\n    return \"g\";\n    // END SOLUTION\n}";
    expect(stubSolutions(answer)).toBe(
      "function f(x: number): number {\n  // YOUR CODE HERE\n  throw new Error(\"not implemented\");\n}\n" +
      "function g(): string {\n    // YOUR CODE HERE\n    throw new Error(\"not implemented\");\n}");
  });

  it("refuses a region without its END, and a region inside another, as nbgrader does", () => {
    expect(() => stubSolutions("// BEGIN SOLUTION\nreturn 1;", "ex")).toThrow(/ex: "BEGIN SOLUTION" without "END SOLUTION"/);
    expect(() => stubSolutions("// BEGIN SOLUTION\n// BEGIN SOLUTION\n// END SOLUTION", "ex")).toThrow(/inside another/);
    expect(() => removeHiddenTests("check();\n// END HIDDEN TESTS", "ex")).toThrow(/without "BEGIN HIDDEN TESTS"/);
  });

  it("removes hidden tests and keeps the visible checks around them", () => {
    expect(removeHiddenTests("a();\n  // BEGIN HIDDEN TESTS\n  b();\n  // END HIDDEN TESTS\nc();")).toBe("a();\nc();");
  });

  it("computes nbgrader's checksum: the same digest as nbgrader's compute_checksum written in Python", () => {
    // The Python below follows nbgrader/utils.py (is_grade, is_solution, is_locked, compute_checksum);
    // it runs on the notebook as Python's json reads it, so string joining, str(True) and
    // str(float(points)) are Python's own.
    const nb = studentEdition(read(path.join(root, "notebooks", "05-loss-functions.ipynb")));
    const cells = (nb.cells as Cell[]).filter((c) => c.metadata.nbgrader);
    cells.push({ ...cells[1], metadata: { nbgrader: { ...cells[1].metadata.nbgrader, points: 2.5 } } } as Cell);
    cells.push({ cell_type: "markdown", source: ["Any **text** — ünïcode"], metadata: { nbgrader: { grade_id: "md", locked: true, grade: false, solution: false } } } as Cell);
    const dir = tempDir("checksum-");
    writeFileSync(path.join(dir, "cells.json"), JSON.stringify(cells));
    const script = `
import hashlib, json, sys
def is_grade(c): return c["metadata"]["nbgrader"].get("grade", False)
def is_solution(c): return c["metadata"]["nbgrader"].get("solution", False)
def is_locked(c):
    if is_solution(c): return False
    if is_grade(c): return True
    return c["metadata"]["nbgrader"].get("locked", False)
def checksum(c):
    m = hashlib.md5()
    m.update("".join(c["source"]).encode("utf-8"))
    m.update(c["cell_type"].encode("utf-8"))
    for f in (is_grade, is_solution, is_locked): m.update(str(f(c)).encode("utf-8"))
    m.update(c["metadata"]["nbgrader"]["grade_id"].encode("utf-8"))
    if is_grade(c): m.update(str(float(c["metadata"]["nbgrader"]["points"])).encode("utf-8"))
    return m.hexdigest()
print(json.dumps([checksum(c) for c in json.load(open(sys.argv[1], encoding="utf-8"))]))
`;
    const r = spawnSync(python, ["-c", script, path.join(dir, "cells.json")], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const expected = JSON.parse(r.stdout) as string[];
    expect(expected).toHaveLength(cells.length);
    expect(cells.map((c) => nbgraderChecksum(c))).toEqual(expected);
    // and what the student edition stored is that digest
    expect(cells.slice(0, -2).map((c) => c.metadata.nbgrader?.checksum)).toEqual(expected.slice(0, -2));
  });

  it("ships an nbgrader configuration whose TypeScript stub and delimiters are the ones used here", () => {
    const script = `
import json
class Section(dict):
    def __getattr__(self, k): return self.setdefault(k, Section())
    def __setattr__(self, k, v): self[k] = v
c = Section()
exec(open("nbgrader_config.py").read(), {"get_config": lambda: c})
print(json.dumps(c))
`;
    const r = spawnSync(python, ["-c", script], { cwd: root, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const config = JSON.parse(r.stdout);
    expect(config.ClearSolutions.code_stub).toEqual({ typescript: CODE_STUB });
    expect(config.ClearSolutions.begin_solution_delimeter).toBe("BEGIN SOLUTION");
    expect(config.ClearHiddenTests.begin_test_delimeter).toBe("BEGIN HIDDEN TESTS");
  });
});

describe.each(chapters.map((f) => [path.basename(f), f]))("%s", (name, file) => {
  const instructor = read(file);
  const list = exercises(instructor);
  // Made inside each test, so that a chapter the editions cannot handle fails its own tests only.
  let student: Notebook, learner: Notebook;
  beforeAll(() => {
    student = studentEdition(instructor, name);
    learner = learnerEdition(instructor, name);
  });
  const code = (nb: Notebook) => nb.cells.filter((c) => c.cell_type === "code").map(src).join("\n");

  it("marks every exercise as nbgrader does: answer cells, then one locked check cell with points, unique grade_ids", () => {
    const ids = (instructor.cells as Cell[]).map((c) => c.metadata.nbgrader?.grade_id).filter(Boolean);
    expect(new Set(ids).size).toBe(ids.length);
    for (const ex of list) {
      expect(ex.answers.length, ex.id).toBeGreaterThan(0);
      expect(ex.points, ex.id).toBeGreaterThan(0);
      for (const i of ex.answers) expect(src(instructor.cells[i]), ex.id).toContain("BEGIN SOLUTION");
      expect(isLocked(instructor.cells[ex.check]), ex.id).toBe(true);
    }
  });

  it("student edition: stubs, no solution or hidden test left, check cells read-only with nbgrader's checksum", () => {
    expect(code(student)).not.toMatch(/BEGIN SOLUTION|END SOLUTION|BEGIN HIDDEN TESTS|END HIDDEN TESTS/);
    expect(student.cells.map(src).join("\n")).not.toMatch(/^## Solutions/m);
    for (const [i, c] of (student.cells as Cell[]).entries()) {
      if (!c.metadata.nbgrader) continue;
      expect(c.metadata.nbgrader.checksum, `cell ${i}`).toBe(nbgraderChecksum(c));
      expect(c.metadata.nbgrader.cell_type).toBe(c.cell_type);
      if (isSolution(c)) expect(src(c)).toContain(CODE_STUB.split("\n")[1]);
      if (isGrade(c)) {
        expect(c.metadata).toMatchObject({ editable: false, deletable: false });
        // the visible checks are all still there
        const visible = removeHiddenTests(src(instructor.cells[i]));
        expect(src(c)).toBe(visible);
      }
    }
    expect(student.cells.map(src).join("\n")).toContain(EXERCISES_INTRO.student);
  });

  it("learner's edition: stubs, every check kept, each worked solution at the back under Solutions", () => {
    expect(code(learner)).not.toMatch(/BEGIN SOLUTION|END SOLUTION/);
    for (const ex of list) expect(src(learner.cells[ex.check])).toBe(src(instructor.cells[ex.check]));
    const at = learner.cells.findIndex((c) => c.cell_type === "markdown" && src(c).startsWith("## Solutions"));
    expect(at).toBe(instructor.cells.length);
    const back = learner.cells.slice(at + 1).map(src);
    expect(back).toHaveLength(list.length);
    for (const [k, ex] of list.entries()) {
      expect(back[k].startsWith(`### ${ex.title}`), back[k].slice(0, 80)).toBe(true);
      for (const i of ex.answers) {
        const solution = src(instructor.cells[i]).split("\n").filter((l) => !/(BEGIN|END) SOLUTION/.test(l)).join("\n").trim();
        expect(back[k]).toContain(solution);
      }
    }
    expect(learner.cells.map(src).join("\n")).toContain(EXERCISES_INTRO.learner);
  });

  it("moves each exercise's worked explanation (*Why:*) to Solutions, and leaves it out of the student edition", () => {
    for (const ex of list.filter((e) => e.explanation !== undefined)) {
      const why = src(instructor.cells[ex.explanation!]).trim();
      expect(learner.cells.map(src).join("\n").split(why)).toHaveLength(2); // once, at the back
      expect(learner.cells.slice(instructor.cells.length).map(src).join("\n")).toContain(why);
      expect(student.cells.map(src).join("\n")).not.toContain(why);
    }
  });

  it("leaves a notebook that is already an edition as it is (a course handed out as the student edition)", () => {
    expect(learnerEdition(student, name)).toEqual(student);
    expect(studentEdition(student, name)).toEqual(student);
  });

  it("both editions type-check under strict TypeScript", () => {
    const dir = path.join(root, "build", "editions-typecheck");
    mkdirSync(dir, { recursive: true });
    for (const [kind, nb] of [["learner", learner], ["student", student]] as const) {
      const f = path.join(dir, `${kind}-${name}`);
      writeFileSync(f, serialize(nb));
      expect(typecheckNotebook(f).map((p) => `${kind} cell ${p.cell} line ${p.line}: ${p.message}`)).toEqual([]);
    }
  }, 120_000);
});

describe("the learner's working copy (npm start)", () => {
  /** Two chapters in a course folder of their own, and an empty working copy. */
  function course() {
    const base = tempDir("working-copy-");
    const sources = path.join(base, "notebooks");
    mkdirSync(sources);
    for (const f of chapters.slice(0, 2)) writeFileSync(path.join(sources, path.basename(f)), readFileSync(f));
    const files = () => readdirSync(sources).sort().map((f) => path.join(sources, f));
    return { dir: path.join(base, "my-notebooks"), sources, files };
  }
  const status = (report: { name: string; status: string }[]) => Object.fromEntries(report.map((r) => [r.name, r.status]));
  const [a, b] = chapters.slice(0, 2).map((f) => path.basename(f));
  const edit = (file: string, change: (nb: Notebook) => void) => {
    const nb = read(file);
    change(nb);
    writeFileSync(file, JSON.stringify(nb, null, 2));
  };

  it("writes each chapter's learner's edition, then leaves them alone when nothing changed", () => {
    const c = course();
    expect(status(syncLearnerCopy({ dir: c.dir, sources: c.files() }))).toEqual({ [a]: "new", [b]: "new" });
    expect(readFileSync(path.join(c.dir, a), "utf8")).toBe(serialize(learnerEdition(read(path.join(c.sources, a)))));
    expect(status(syncLearnerCopy({ dir: c.dir, sources: c.files() }))).toEqual({ [a]: "unchanged", [b]: "unchanged" });
  });

  it("a chapter Jupyter ran and saved (outputs, counts, metadata) still counts as unchanged, and takes course updates", () => {
    const c = course();
    syncLearnerCopy({ dir: c.dir, sources: c.files() });
    edit(path.join(c.dir, a), (nb) => {
      nb.metadata.widgets = {};
      for (const cell of nb.cells) if (cell.cell_type === "code") {
        cell.outputs = [{ output_type: "stream", name: "stdout", text: ["ran\n"] }];
        cell.execution_count = 7;
        cell.metadata.scrolled = true;
      }
    });
    edit(path.join(c.sources, a), (nb) => { nb.cells[0].source = [src(nb.cells[0]) + "\n\nA sentence the course added."]; });
    expect(status(syncLearnerCopy({ dir: c.dir, sources: c.files() }))[a]).toBe("updated");
    expect(src(read(path.join(c.dir, a)).cells[0])).toContain("A sentence the course added.");
  });

  it("never overwrites a chapter the learner changed, says the course has a newer one, and resets it on request with a backup", () => {
    const c = course();
    syncLearnerCopy({ dir: c.dir, sources: c.files() });
    const mine = path.join(c.dir, a);
    const list = exercises(read(path.join(c.sources, a)));
    edit(mine, (nb) => { nb.cells[list[0].answers[0]].source = ["// my answer, half done"]; });
    const before = readFileSync(mine, "utf8");
    edit(path.join(c.sources, a), (nb) => { nb.cells[0].source = [src(nb.cells[0]) + "\n\nNewer."]; });
    const report = syncLearnerCopy({ dir: c.dir, sources: c.files() });
    expect(report.find((r: { name: string }) => r.name === a)).toMatchObject({ status: "kept", courseChanged: true });
    expect(readFileSync(mine, "utf8")).toBe(before);

    const number = a.slice(0, 2);
    expect(status(syncLearnerCopy({ dir: c.dir, sources: c.files(), reset: [number] }))).toMatchObject({ [a]: "reset", [b]: "unchanged" });
    expect(src(read(mine).cells[0])).toContain("Newer.");
    const backups = readdirSync(path.join(c.dir, ".backups"));
    expect(backups).toHaveLength(1);
    expect(readFileSync(path.join(c.dir, ".backups", backups[0]), "utf8")).toBe(before);
  });

  it("adds a chapter that appears in the course, and names the chapters when asked to reset one that does not exist", () => {
    const c = course();
    syncLearnerCopy({ dir: c.dir, sources: c.files() });
    writeFileSync(path.join(c.sources, "99-new-chapter.ipynb"), readFileSync(path.join(c.sources, a)));
    expect(status(syncLearnerCopy({ dir: c.dir, sources: c.files() }))["99-new-chapter.ipynb"]).toBe("new");
    expect(() => syncLearnerCopy({ dir: c.dir, sources: c.files(), reset: ["42"] }))
      .toThrow(`reset: no chapter 42; the chapters are ${[a, b, "99-new-chapter.ipynb"].map((n) => n.slice(0, 2)).join(", ")}`);
  });
});

describe("npm run student", () => {
  it("writes the student edition of every notebook, outputs cleared", () => {
    const out = path.join(tempDir("student-"), "student");
    const npm = npmCommand();
    const r = spawnSync(npm.command, [...npm.args, "run", "student", "--", out], { cwd: root, encoding: "utf8", shell: npm.shell, timeout: 300_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(allNotebooks().map((f) => path.basename(f)).sort());
    for (const f of readdirSync(out)) {
      const nb = read(path.join(out, f));
      expect(nb.cells.every((c) => c.cell_type !== "code" || (c.outputs?.length === 0 && c.execution_count === null)), f).toBe(true);
      const code = nb.cells.filter((c) => c.cell_type === "code").map(src).join("\n");
      expect(code.includes("BEGIN HIDDEN TESTS") || code.includes("BEGIN SOLUTION"), f).toBe(false);
    }
  }, 300_000);
});
