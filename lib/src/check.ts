import { Matrix } from "./matrix";

/**
 * Checks for notebooks: the cells that show the hand-built code and TensorFlow.js agree,
 * and the cells that check an exercise.
 *
 * `check`, `checkClose` and `checkEqual` print one line starting with ✓ when they pass and
 * throw a CheckError when they fail, saying what was expected, what came, and a hint.
 *
 * `exercise(name, body)` wraps an exercise's check cell: it runs the checks, prints
 * "✓ Exercise …" when all pass, and otherwise prints "✗ Exercise …: <what is wrong> Hint: …"
 * to stderr without throwing. A check cell therefore never stops Jupyter's Run All (the
 * TypeScript kernel drops every queued cell after an error), and an answer cell that still
 * says `throw new Error("not implemented")` reads as "not done yet", not as a crash.
 */
export class CheckError extends Error {
  override name = "CheckError";
}

const withHint = (hint: string) => (hint ? ` Hint: ${hint}` : "");

/** Passes when `condition` is true. */
export function check(what: string, condition: boolean, hint = ""): void {
  if (!condition) throw new CheckError(`${what}: not true.${withHint(hint)}`);
  console.log(`✓ ${what}`);
}

/**
 * Passes when every |actual − expected| ≤ tolerance. Numbers, arrays and matrices
 * (of the same shape) can be compared. NaN never passes.
 */
export function checkClose(
  what: string,
  actual: number | ArrayLike<number> | Matrix,
  expected: number | ArrayLike<number> | Matrix,
  tolerance: number,
  hint = "",
): void {
  const a = flatten(what, actual), e = flatten(what, expected);
  if (a.length !== e.length) {
    throw new CheckError(`${what}: expected ${e.length} numbers, got ${a.length}.${withHint(hint)}`);
  }
  let worst = 0, at = 0;
  for (let k = 0; k < a.length; k++) {
    const d = Math.abs(a[k] - e[k]);
    if (Number.isNaN(d)) { worst = NaN; at = k; break; }
    if (d > worst) { worst = d; at = k; }
  }
  if (!(worst <= tolerance)) {
    throw new CheckError(
      `${what}: expected ${e[at]} ± ${tolerance}, got ${a[at]}` + (a.length > 1 ? ` (at element ${at})` : "") +
        `.${withHint(hint)}`,
    );
  }
  console.log(`✓ ${what} (largest difference ${worst.toExponential(2)}, tolerance ${tolerance})`);
}

/** Passes when `actual` and `expected` are equal as JSON (numbers, strings, arrays, plain objects). */
export function checkEqual(what: string, actual: unknown, expected: unknown, hint = ""): void {
  const a = JSON.stringify(actual), e = JSON.stringify(expected);
  if (a !== e) throw new CheckError(`${what}: expected ${e}, got ${a}.${withHint(hint)}`);
  console.log(`✓ ${what}`);
}

/** The outcome of one exercise's checks, as `exercise` reports it. */
export interface ExerciseResult {
  name: string;
  passed: boolean;
  message: string;
}

/**
 * Every exercise outcome reported in this process, in order. Kept on a global symbol so that
 * a grader or a test that loaded another copy of the library sees the same list.
 */
const RESULTS = Symbol.for("byhand.exerciseResults");
function results(): ExerciseResult[] {
  const g = globalThis as unknown as Record<symbol, ExerciseResult[] | undefined>;
  return (g[RESULTS] ??= []);
}

/** The outcomes `exercise` has reported so far, oldest first (copies). */
export function exerciseResults(): ExerciseResult[] {
  return results().map((r) => ({ ...r }));
}

/**
 * Runs an exercise's checks and reports ✓ or ✗ without ever throwing (see the file's
 * comment). An answer that still throws "not implemented" is reported as not done yet.
 * Returns nothing, so that a check cell ending in `exercise(…)` shows only the report;
 * the outcome is recorded for `exerciseResults()`.
 */
export function exercise(name: string, body: () => void): void {
  try {
    body();
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    const message = /not implemented/i.test(err.message)
      ? "not done yet: the answer cell still throws \"not implemented\". Write your answer there and run both cells again."
      : err instanceof CheckError ? err.message : `the answer threw ${err.name}: ${err.message}`;
    console.error(`✗ Exercise ${name}: ${message}`);
    results().push({ name, passed: false, message });
    return;
  }
  console.log(`✓ Exercise ${name}: all checks pass.`);
  results().push({ name, passed: true, message: "" });
}

function flatten(what: string, x: number | ArrayLike<number> | Matrix): number[] {
  if (typeof x === "number") return [x];
  if (x instanceof Matrix) return Array.from(x.data);
  if (x == null || typeof (x as ArrayLike<number>).length !== "number") {
    throw new CheckError(`${what}: expected a number, an array of numbers or a Matrix, got ${String(x)}.`);
  }
  return Array.from(x);
}
