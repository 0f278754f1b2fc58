import { Matrix } from "./matrix";

/**
 * Checks for notebooks: the cells that test an exercise, or that show the hand-built code
 * and TensorFlow.js agree. A passing check prints one line starting with ✓; a failing
 * one throws a CheckError that says what was expected and what came.
 */
export class CheckError extends Error {
  override name = "CheckError";
}

/** Passes when `condition` is true. */
export function check(what: string, condition: boolean, hint = ""): void {
  if (!condition) throw new CheckError(`${what}: not true.${hint ? " " + hint : ""}`);
  console.log(`✓ ${what}`);
}

/**
 * Passes when every |actual − expected| ≤ tolerance. Numbers, arrays and matrices
 * (of the same shape) can be compared.
 */
export function checkClose(
  what: string,
  actual: number | ArrayLike<number> | Matrix,
  expected: number | ArrayLike<number> | Matrix,
  tolerance: number,
): void {
  const a = flatten(actual), e = flatten(expected);
  if (a.length !== e.length) {
    throw new CheckError(`${what}: expected ${e.length} numbers, got ${a.length}.`);
  }
  let worst = 0, at = 0;
  for (let k = 0; k < a.length; k++) {
    const d = Math.abs(a[k] - e[k]);
    if (Number.isNaN(d)) { worst = NaN; at = k; break; } // NaN never passes
    if (d > worst) { worst = d; at = k; }
  }
  if (!(worst <= tolerance)) {
    throw new CheckError(
      `${what}: expected ${e[at]}, got ${a[at]}` + (a.length > 1 ? ` (at element ${at})` : "") +
        `; the difference ${worst.toExponential(2)} is over the tolerance ${tolerance}.`,
    );
  }
  console.log(`✓ ${what} (largest difference ${worst.toExponential(2)}, tolerance ${tolerance})`);
}

function flatten(x: number | ArrayLike<number> | Matrix): number[] {
  if (typeof x === "number") return [x];
  if (x instanceof Matrix) return Array.from(x.data);
  return Array.from(x);
}
