/**
 * Shared helpers for the library's tests: one TensorFlow.js per test file, conversions
 * between Matrix and tensors, and closeness checks that say which element differed.
 */
import { afterAll, expect } from "vitest";
import { Matrix } from "../../lib/src/matrix";
import { loadTf, tfBackend, type Tf } from "../../lib/src/tf";

let tfPromise: Promise<Tf> | null = null;

/** TensorFlow.js on the best backend this machine has (the one loadTf picks). */
export function getTf(): Promise<Tf> {
  tfPromise ??= loadTf({ quiet: true });
  return tfPromise;
}

export function backendName(): string {
  return tfBackend() ?? "(not loaded)";
}

/** A float32 tensor holding the matrix. */
export async function toTensor(M: Matrix) {
  const tf = await getTf();
  return tf.tensor2d(Array.from(M.data), [M.rows, M.cols], "float32");
}

/** A Matrix holding a rank-2 (or rank-1, as one row; rank-0, as [1, 1]) tensor's values. */
export function fromTensor(t: { shape: number[]; dataSync(): ArrayLike<number> }): Matrix {
  const [rows, cols] = t.shape.length === 2 ? t.shape : t.shape.length === 1 ? [1, t.shape[0]] : [1, 1];
  return new Matrix(rows, cols, t.dataSync());
}

/**
 * Tolerances. TensorFlow.js computes in float32 (about 7 significant digits), our library in
 * float64, so a value v from tfjs can differ from ours by a few float32 ulps of |v| plus
 * rounding accumulated over a sum: |a − e| ≤ atol + rtol·|e|.
 */
export const FLOAT32 = { rtol: 1e-5, atol: 1e-6 } as const;

export interface Tolerance { rtol: number; atol: number }

/** Largest |a − e| / (atol + rtol·|e|) seen so far across all comparisons; ≤ 1 means all passed. */
export const worst = { ratio: 0, absDiff: 0, count: 0 };

export function expectClose(
  actual: Matrix | ArrayLike<number> | number,
  expected: Matrix | ArrayLike<number> | number,
  tol: Tolerance = FLOAT32,
  label = "",
): void {
  const a = flat(actual), e = flat(expected);
  expect(a.length, `${label}: length`).toBe(e.length);
  for (let k = 0; k < a.length; k++) {
    const diff = Math.abs(a[k] - e[k]);
    const bound = tol.atol + tol.rtol * Math.abs(e[k]);
    worst.count++;
    worst.absDiff = Math.max(worst.absDiff, diff);
    worst.ratio = Math.max(worst.ratio, diff / bound);
    if (!(diff <= bound)) {
      expect.fail(
        `${label}: element ${k} differs: got ${a[k]}, expected ${e[k]} ` +
          `(|diff| ${diff.toExponential(3)} > ${bound.toExponential(3)} = atol ${tol.atol} + rtol ${tol.rtol}·|expected|)`,
      );
    }
  }
}

function flat(x: Matrix | ArrayLike<number> | number): number[] {
  if (typeof x === "number") return [x];
  if (x instanceof Matrix) return Array.from(x.data);
  return Array.from(x);
}

/**
 * Prints, after the file's tests, how many values were compared with TensorFlow.js, on which
 * backend, and the largest difference seen, in one line the same for every test file.
 */
export function reportComparisons(name: string): void {
  afterAll(() => {
    console.log(
      `tfjs comparisons [${name}]: ${worst.count} values on the ${backendName()} backend; ` +
        `largest |difference| ${worst.absDiff.toExponential(2)}; largest difference / tolerance ${worst.ratio.toFixed(3)}`,
    );
  });
}
