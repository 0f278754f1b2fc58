/**
 * What every chapter's checks (test/notebooks/<chapter>.ts) read from a notebook run: its
 * variables, what it printed, its figures; and how they test an exercise's check function
 * against wrong answers.
 */
import { expect } from "vitest";
import type { NotebookRun } from "./notebook";

export interface PlotlyFigure {
  data: { name?: string; type?: string; mode?: string; x?: unknown[]; y?: unknown[]; z?: unknown[][]; text?: unknown }[];
  layout: { title?: { text?: string }; [key: string]: unknown };
}

/** Accessors over one notebook run. */
export function chapterRun(run: () => NotebookRun) {
  const figures = (): PlotlyFigure[] =>
    run().cells.flatMap((c) => c.displays)
      .map((d) => d["application/vnd.plotly.v1+json"] as PlotlyFigure | undefined)
      .filter((f): f is PlotlyFigure => f !== undefined);
  return {
    /** The notebook's top-level variables after its last cell. */
    locals: () => run().locals as Record<string, any>, // eslint-disable-line @typescript-eslint/no-explicit-any
    /** Everything the notebook printed to stdout, cell after cell. */
    stdout: () => run().cells.map((c) => c.stdout).join("\n"),
    figures,
    /** The first figure whose title matches (the test fails if there is none). */
    figureTitled(pattern: RegExp): PlotlyFigure {
      const found = figures().find((f) => pattern.test(f.layout.title?.text ?? ""));
      expect(found, `a figure titled ${pattern}`).toBeDefined();
      return found!;
    },
  };
}

/**
 * Runs an exercise's check function on a wrong answer and returns the error it throws,
 * failing the test if the check accepts the answer. The ✓ lines of the checks that pass
 * before the failing one are kept out of the test's output.
 */
export function rejection(check: () => void): Error {
  const log = console.log;
  console.log = () => {};
  try {
    check();
  } catch (e) {
    return e as Error;
  } finally {
    console.log = log;
  }
  throw new Error("the check accepted a wrong answer");
}

/** The check rejects a wrong answer with a CheckError whose message matches `hint`. */
export function expectRejected(check: () => void, hint: RegExp): void {
  const e = rejection(check);
  expect(e.name, `${e.name}: ${e.message}`).toBe("CheckError");
  expect(e.message).toMatch(hint);
}

/** As `expectRejected`, and the message must also carry a "Hint: " for the learner. */
export function expectRejectedWithHint(check: () => void, hint: RegExp): void {
  expectRejected(check, hint);
  expect(rejection(check).message).toMatch(/Hint: /);
}

/** Runs a check that must accept the answer (it throws if it does not), keeping its ✓ lines quiet. */
export function accepts(check: () => void): void {
  const log = console.log;
  console.log = () => {};
  try {
    check();
  } finally {
    console.log = log;
  }
}

/** The largest |a[i] − b[i]| (the lengths must agree). */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}
