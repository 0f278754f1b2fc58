/**
 * Matrix (chapter 02): every method on a small example worked by hand, matmul and transpose
 * against TensorFlow.js on random shapes, immutability, and the error messages.
 */
import { inspect } from "node:util";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ShapeError, ValueError } from "../../lib/src/errors";
import { Matrix } from "../../lib/src/matrix";
import { expectClose, FLOAT32, fromTensor, getTf, toTensor, reportComparisons } from "../helpers/compare";

reportComparisons("matrix");

// A = [1 2 3]   B = [ 7  8]
//     [4 5 6]       [ 9 10]
//                   [11 12]
const A = () => Matrix.from([[1, 2, 3], [4, 5, 6]]);
const B = () => Matrix.from([[7, 8], [9, 10], [11, 12]]);

describe("Matrix construction", () => {
  it("stores rows × cols numbers row by row", () => {
    const M = new Matrix(2, 3, [1, 2, 3, 4, 5, 6]);
    expect(M.shape).toEqual([2, 3]);
    expect(M.size).toBe(6);
    expect(M.rows).toBe(2);
    expect(M.cols).toBe(3);
    // Row-major: element (1, 0) is the 4th number.
    expect(M.get(1, 0)).toBe(4);
    expect(M.data).toBeInstanceOf(Float64Array);
  });

  it("starts at zeros when no data is given", () => {
    expect(Array.from(new Matrix(2, 2).data)).toEqual([0, 0, 0, 0]);
  });

  it("copies the data it is given, so later changes to the source do not leak in", () => {
    const source = [1, 2, 3, 4];
    const M = new Matrix(2, 2, source);
    source[0] = 99;
    expect(M.get(0, 0)).toBe(1);
  });

  it("rejects shapes that are not whole numbers ≥ 0", () => {
    expect(() => new Matrix(-1, 2)).toThrow(ShapeError);
    expect(() => new Matrix(-1, 2)).toThrow("expected a shape of two whole numbers ≥ 0, got [-1, 2]");
    expect(() => new Matrix(1.5, 2)).toThrow("got [1.5, 2]");
  });

  it("rejects data of the wrong length, saying how many numbers it needs", () => {
    expect(() => new Matrix(2, 3, [1, 2, 3])).toThrow(
      "Matrix: a [2, 3] matrix needs 6 numbers, got 3.",
    );
  });

  it("from() reads nested rows", () => {
    expect(A().toArray()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(Matrix.from([]).shape).toEqual([0, 0]);
  });

  it("from() rejects ragged rows, naming the row", () => {
    expect(() => Matrix.from([[1, 2], [3]])).toThrow(ShapeError);
    expect(() => Matrix.from([[1, 2], [3]])).toThrow(
      "Matrix.from: expected every row to have 2 numbers (like row 0), got 1 in row 1.",
    );
  });

  it("row() is [1, n] and column() is [m, 1]", () => {
    expect(Matrix.row([1, 2, 3]).shape).toEqual([1, 3]);
    expect(Matrix.column([1, 2, 3]).shape).toEqual([3, 1]);
    expect(Matrix.column([1, 2, 3]).get(2, 0)).toBe(3);
  });

  it("zeros() and full()", () => {
    expect(Matrix.zeros(2, 3).toArray()).toEqual([[0, 0, 0], [0, 0, 0]]);
    expect(Matrix.full(2, 2, 7).toArray()).toEqual([[7, 7], [7, 7]]);
  });

  it("linspace() spaces count points evenly, both ends included", () => {
    // From 0 to 1 in 5 points: step (1 − 0)/(5 − 1) = 0.25.
    const L = Matrix.linspace(0, 1, 5);
    expect(L.shape).toEqual([5, 1]);
    expect(Array.from(L.data)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(Array.from(Matrix.linspace(3, 3, 1).data)).toEqual([3]);
    expect(Matrix.linspace(0, 1, 0).shape).toEqual([0, 1]);
  });

  it("linspace() rejects a count that is not a whole number ≥ 0", () => {
    expect(() => Matrix.linspace(0, 1, -1)).toThrow(ValueError);
    expect(() => Matrix.linspace(0, 1, 2.5)).toThrow(
      "Matrix.linspace: expected count to be a whole number ≥ 0, got 2.5.",
    );
  });
});

describe("Matrix reading", () => {
  it("get() reads (i, j) and rejects indices outside the shape", () => {
    expect(A().get(0, 2)).toBe(3);
    expect(A().get(1, 1)).toBe(5);
    expect(() => A().get(2, 0)).toThrow(
      "Matrix.get: index (2, 0) is outside a matrix of shape [2, 3].",
    );
    expect(() => A().get(0, -1)).toThrow(ShapeError);
    expect(() => A().get(0.5, 0)).toThrow("index (0.5, 0) is outside");
  });

  it("getRow() copies one row as [1, cols] and rejects rows that do not exist", () => {
    const r = A().getRow(1);
    expect(r.shape).toEqual([1, 3]);
    expect(Array.from(r.data)).toEqual([4, 5, 6]);
    expect(() => A().getRow(2)).toThrow("Matrix.getRow: row 2 is outside a matrix with 2 rows.");
    expect(() => A().getRow(-1)).toThrow(ShapeError);
  });

  it("getRow() returns a copy: changing it leaves the matrix alone", () => {
    const M = A();
    M.getRow(0).data[0] = 99;
    expect(M.get(0, 0)).toBe(1);
  });

  it("toArray() gives nested plain arrays", () => {
    const arr = A().toArray();
    expect(arr).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(Array.isArray(arr[0])).toBe(true);
  });
});

describe("Matrix element-wise operations", () => {
  it("map() passes value, row and column", () => {
    // f(v, i, j) = v + 10i + 100j
    expect(A().map((v, i, j) => v + 10 * i + 100 * j).toArray()).toEqual([
      [1, 102, 203],
      [14, 115, 216],
    ]);
  });

  it("zip() combines matching elements", () => {
    // max(aᵢⱼ, bᵢⱼ) of [1 2 3; 4 5 6] and [3 2 1; 6 5 4]
    const C = Matrix.from([[3, 2, 1], [6, 5, 4]]);
    expect(A().zip(C, Math.max).toArray()).toEqual([[3, 2, 3], [6, 5, 6]]);
  });

  it("add(), sub(), hadamard(), scale()", () => {
    const C = Matrix.from([[6, 5, 4], [3, 2, 1]]);
    // [1+6 2+5 3+4; 4+3 5+2 6+1] = all 7
    expect(A().add(C).toArray()).toEqual([[7, 7, 7], [7, 7, 7]]);
    // [1−6 2−5 3−4; 4−3 5−2 6−1]
    expect(A().sub(C).toArray()).toEqual([[-5, -3, -1], [1, 3, 5]]);
    // [1·6 2·5 3·4; 4·3 5·2 6·1]
    expect(A().hadamard(C).toArray()).toEqual([[6, 10, 12], [12, 10, 6]]);
    expect(A().scale(-2).toArray()).toEqual([[-2, -4, -6], [-8, -10, -12]]);
  });

  it("element-wise operations reject mismatched shapes, naming the operation and both shapes", () => {
    const wrong = Matrix.zeros(3, 2);
    for (const [name, op] of [
      ["Matrix.add", (M: Matrix) => A().add(M)],
      ["Matrix.sub", (M: Matrix) => A().sub(M)],
      ["Matrix.hadamard", (M: Matrix) => A().hadamard(M)],
    ] as const) {
      expect(() => op(wrong)).toThrow(ShapeError);
      expect(() => op(wrong)).toThrow(
        `${name}: expected the second matrix to have shape [2, 3], got [3, 2]. ` +
          "Element-wise operations need both matrices to have the same shape.",
      );
    }
    expect(() => A().zip(wrong, (a, b) => a + b)).toThrow("Matrix.zip: expected the second matrix");
  });
});

describe("Matrix products and reductions", () => {
  it("matmul() by hand: [2, 3]·[3, 2] → [2, 2]", () => {
    // row 0: 1·7 + 2·9 + 3·11 = 7 + 18 + 33 = 58,   1·8 + 2·10 + 3·12 = 8 + 20 + 36 = 64
    // row 1: 4·7 + 5·9 + 6·11 = 28 + 45 + 66 = 139,  4·8 + 5·10 + 6·12 = 32 + 50 + 72 = 154
    expect(A().matmul(B()).toArray()).toEqual([[58, 64], [139, 154]]);
  });

  it("matmul() handles zeros in the left matrix (it skips them) and empty inner dimensions", () => {
    // [0 1]·[1 2; 3 4] = [0·1 + 1·3, 0·2 + 1·4] = [3, 4]
    expect(Matrix.from([[0, 1]]).matmul(Matrix.from([[1, 2], [3, 4]])).toArray()).toEqual([[3, 4]]);
    // [2, 0]·[0, 3] is a sum over nothing: all zeros, shape [2, 3].
    expect(new Matrix(2, 0).matmul(new Matrix(0, 3)).toArray()).toEqual([[0, 0, 0], [0, 0, 0]]);
  });

  it("matmul() rejects mismatched inner dimensions with both shapes and the rule", () => {
    expect(() => A().matmul(A())).toThrow(ShapeError);
    expect(() => A().matmul(A())).toThrow(
      "Matrix.matmul: cannot multiply [2, 3] by [2, 3]. The columns of the left matrix (3) " +
        "must equal the rows of the right one (2).",
    );
  });

  it("transpose() swaps rows and columns", () => {
    expect(A().transpose().toArray()).toEqual([[1, 4], [2, 5], [3, 6]]);
    expect(Matrix.row([1, 2]).transpose().shape).toEqual([2, 1]);
  });

  it("addRow() adds b to every row", () => {
    // [1+10 2+20 3+30; 4+10 5+20 6+30]
    expect(A().addRow(Matrix.row([10, 20, 30])).toArray()).toEqual([[11, 22, 33], [14, 25, 36]]);
  });

  it("addRow() rejects a b that is not [1, cols], with the hint", () => {
    expect(() => A().addRow(Matrix.column([1, 2, 3]))).toThrow(
      "Matrix.addRow: expected b to have shape [1, 3], got [3, 1]. The bias is one row with one entry per column.",
    );
  });

  it("sumRows(), sum(), mean()", () => {
    // columns: 1+4 = 5, 2+5 = 7, 3+6 = 9
    expect(A().sumRows().toArray()).toEqual([[5, 7, 9]]);
    // 1+2+3+4+5+6 = 21, mean 21/6 = 3.5
    expect(A().sum()).toBe(21);
    expect(A().mean()).toBe(3.5);
    expect(new Matrix(0, 3).sum()).toBe(0);
  });

  it("mean() of an empty matrix is an error", () => {
    expect(() => new Matrix(0, 2).mean()).toThrow(ValueError);
    expect(() => new Matrix(0, 2).mean()).toThrow("Matrix.mean: the matrix is empty.");
  });

  it("assertFinite() names the first bad value by row and column, and returns the matrix", () => {
    const M = Matrix.from([[1, 2], [3, NaN], [Infinity, 0]]);
    expect(() => M.assertFinite("test", "Z")).toThrow(ValueError);
    expect(() => M.assertFinite("test", "Z")).toThrow(
      "test: expected Z to hold finite numbers, got NaN at row 1, column 1.",
    );
    const ok = A();
    expect(ok.assertFinite("test", "A")).toBe(ok);
  });
});

describe("Matrix printing", () => {
  it("toString() shows the shape and the rows; console.log uses it", () => {
    const M = Matrix.from([[1, 0.5], [2, 1 / 3]]);
    // Whole numbers as they are, others to 4 significant digits (1/3 → 0.3333).
    const expected = "Matrix [2, 2]\n  [1, 0.5000]\n  [2, 0.3333]";
    expect(M.toString()).toBe(expected);
    expect(inspect(M)).toBe(expected);
  });

  it("toString() cuts large matrices at 8 rows and 8 columns", () => {
    const lines = Matrix.zeros(10, 10).toString().split("\n");
    expect(lines[0]).toBe("Matrix [10, 10]");
    expect(lines[1]).toBe("  [0, 0, 0, 0, 0, 0, 0, 0, …]");
    expect(lines).toHaveLength(1 + 8 + 1);
    expect(lines[9]).toBe("  …");
  });
});

describe("Matrix immutability", () => {
  it("no method changes the matrix it is called on or its arguments", () => {
    const M = A(), N = Matrix.from([[6, 5, 4], [3, 2, 1]]), P = B(), b = Matrix.row([1, 1, 1]);
    const before = [M, N, P, b].map((X) => Array.from(X.data));
    M.add(N); M.sub(N); M.hadamard(N); M.scale(3); M.map((v) => v * 2); M.zip(N, (x, y) => x * y);
    M.matmul(P); M.transpose(); M.addRow(b); M.sumRows(); M.sum(); M.mean(); M.getRow(0);
    M.toArray(); M.toString(); M.assertFinite("t", "M");
    expect([M, N, P, b].map((X) => Array.from(X.data))).toEqual(before);
  });

  it("every operation returns a new Matrix with its own storage", () => {
    const M = A();
    for (const R of [M.scale(1), M.map((v) => v), M.transpose().transpose(), M.add(Matrix.zeros(2, 3))]) {
      expect(R).not.toBe(M);
      expect(R.data).not.toBe(M.data);
      expect(R.data.buffer).not.toBe(M.data.buffer);
    }
  });
});

/**
 * Random matrices [m, n] and [n, p], shapes 1…6, entries in [−10, 10], about a quarter of
 * them exactly 0 (matmul skips zeros in the left matrix, so zeros need testing too).
 */
const entry = fc.oneof(
  { arbitrary: fc.double({ min: -10, max: 10, noNaN: true }), weight: 3 },
  { arbitrary: fc.constant(0), weight: 1 },
);
const matmulCase = fc
  .tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }))
  .chain(([m, n, p]) =>
    fc.record({
      A: fc.array(entry, { minLength: m * n, maxLength: m * n }).map((d) => new Matrix(m, n, d)),
      B: fc.array(entry, { minLength: n * p, maxLength: n * p }).map((d) => new Matrix(n, p, d)),
    }),
  );

describe("Matrix against TensorFlow.js", () => {
  it("matmul() equals tf.matMul on random shapes and values", async () => {
    const tf = await getTf();
    // Tolerance per element. tfjs rounds each input to float32 (relative error u = 2⁻²⁴ each)
    // and sums n float32 products; the standard bound for a dot product computed in float32
    // (Higham, Accuracy and Stability of Numerical Algorithms, §3.1) is then
    //   |tf − exact| ≤ (n + 2)·u·Σₖ |aᵢₖ|·|bₖⱼ|   to first order in u.
    // We allow (n + 3)·u to cover the higher-order terms. A relative tolerance on the result
    // alone would not do: with cancellation the result can be far smaller than Σ|a||b|.
    const u = 2 ** -24;
    await fc.assert(
      fc.asyncProperty(matmulCase, async ({ A, B }) => {
        const ours = A.matmul(B);
        const [ta, tb] = [await toTensor(A), await toTensor(B)];
        const tc = tf.matMul(ta, tb);
        const theirs = fromTensor(tc);
        tf.dispose([ta, tb, tc]);
        expect(theirs.shape).toEqual(ours.shape);
        const absAB = A.map(Math.abs).matmul(B.map(Math.abs));
        for (let k = 0; k < ours.size; k++) {
          const atol = (A.cols + 3) * u * absAB.data[k] + 1e-12;
          expectClose(ours.data[k], theirs.data[k], { rtol: 0, atol }, `matmul element ${k}`);
        }
      }),
      { numRuns: 60, seed: 3 },
    );
  });

  it("transpose() equals tf.transpose on random shapes and values", async () => {
    const tf = await getTf();
    // transpose only moves numbers, so the one difference is tfjs's float32 rounding of each
    // input, relative 2⁻²⁴ ≈ 6e-8, well inside FLOAT32 (rtol 1e-5, atol 1e-6).
    await fc.assert(
      fc.asyncProperty(matmulCase, async ({ A }) => {
        const t = await toTensor(A);
        const tt = tf.transpose(t);
        expect(tt.shape).toEqual([A.cols, A.rows]);
        expectClose(A.transpose(), fromTensor(tt), FLOAT32, "transpose");
        tf.dispose([t, tt]);
      }),
      { numRuns: 40, seed: 4 },
    );
  });

  it("addRow() and sumRows() equal tf.add broadcasting and tf.sum(axis 0)", async () => {
    const tf = await getTf();
    const X = Matrix.from([[0.5, -1.25, 2], [3.5, 0.75, -4], [1, 1, 1]]);
    const b = Matrix.row([0.1, 0.2, -0.3]);
    const [tX, tb] = [await toTensor(X), await toTensor(b)];
    // Sums of three numbers of size ≤ 4: FLOAT32 covers the float32 rounding.
    expectClose(X.addRow(b), fromTensor(tf.add(tX, tb)), FLOAT32, "addRow");
    expectClose(X.sumRows(), fromTensor(tf.sum(tX, 0)), FLOAT32, "sumRows");
    tf.dispose([tX, tb]);
  });
});
