/**
 * Gradient checking (chapter 07): the central difference worked by hand, its O(h²) error,
 * numericGradient against tf.grad, relativeError by hand, and the shape error.
 */
import type { Tensor } from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { ShapeError } from "../../lib/src/errors";
import { numericDerivative, numericGradient, relativeError } from "../../lib/src/gradcheck";
import { Matrix } from "../../lib/src/matrix";
import { expectClose, FLOAT32, fromTensor, getTf, toTensor, reportComparisons } from "../helpers/compare";

reportComparisons("gradcheck");

/** |aₖ − eₖ| ≤ tol for float64 results checked by hand (expectClose is kept for tfjs). */
function expectNear(actual: Matrix, expected: number[], tol: number) {
  expect(actual.size).toBe(expected.length);
  actual.data.forEach((a, k) => expect(Math.abs(a - expected[k]), `element ${k}`).toBeLessThanOrEqual(tol));
}

describe("numericDerivative", () => {
  it("by hand: for f(x) = x³ the central difference is exactly 3x² + h²", () => {
    // ((x + h)³ − (x − h)³)/2h = (6x²h + 2h³)/2h = 3x² + h².
    // x = 2, h = 0.1: (2.1³ − 1.9³)/0.2 = (9.261 − 6.859)/0.2 = 2.402/0.2 = 12.01 = 12 + 0.01.
    // toBeCloseTo(…, 12) allows 5e-13; 2.1³ and 1.9³ carry rounding of about 1e-15, divided by 0.2.
    expect(numericDerivative((x) => x ** 3, 2, 0.1)).toBeCloseTo(12.01, 12);
  });

  it("its error shrinks as h²: halving h quarters the error", () => {
    // For x³ the error is exactly h², so h = 0.1, 0.05, 0.025 give 1e-2, 2.5e-3, 6.25e-4.
    const err = (h: number) => numericDerivative((x) => x ** 3, 2, h) - 12;
    expect(err(0.1)).toBeCloseTo(1e-2, 12);
    expect(err(0.05)).toBeCloseTo(2.5e-3, 12);
    expect(err(0.025)).toBeCloseTo(6.25e-4, 12);
  });

  it("with the default h = 1e-5 the error on sin is below 1e-9", () => {
    // Truncation h²/6·|sin‴| ≤ 1.7e-11, rounding about ε/h ≈ 2e-11: 1e-9 leaves room for both.
    for (const x of [-2, -0.5, 0, 1, 3]) {
      expect(Math.abs(numericDerivative(Math.sin, x) - Math.cos(x))).toBeLessThan(1e-9);
    }
  });
});

describe("numericGradient", () => {
  it("by hand: f(X) = Σ xᵢⱼ² has gradient 2X", () => {
    // For a quadratic the central difference is exact up to rounding:
    // ((x + h)² − (x − h)²)/2h = 4xh/2h = 2x.  Tolerance 1e-9 for rounding (ε/h ≈ 2e-11 · |f|).
    const X = Matrix.from([[1, -2], [0.5, 3]]);
    const G = numericGradient((M) => M.hadamard(M).sum(), X);
    expect(G.shape).toEqual([2, 2]);
    expectNear(G, [2, -4, 1, 6], 1e-9);
  });

  it("by hand: f(W) = Σ (X·W) has ∂f/∂W = Xᵀ·1, the column sums of X repeated", () => {
    // X = [1 2; 3 4]: Σᵢⱼ (XW)ᵢⱼ = Σₖⱼ (Σᵢ xᵢₖ) wₖⱼ, so ∂f/∂wₖⱼ = Σᵢ xᵢₖ: row 0 → 1+3 = 4, row 1 → 2+4 = 6.
    const X = Matrix.from([[1, 2], [3, 4]]);
    const W = Matrix.from([[0.1, -0.2, 0.3], [0.4, 0.5, -0.6]]);
    const G = numericGradient((M) => X.matmul(M).sum(), W);
    expectNear(G, [4, 4, 4, 6, 6, 6], 1e-9);
  });

  it("does not change X, and hands f a fresh matrix each time", () => {
    const X = Matrix.from([[1, 2, 3]]);
    const seen: Matrix[] = [];
    numericGradient((M) => {
      seen.push(M);
      M.data[0] = 1000; // even an f that scribbles on its argument cannot reach X
      return M.sum();
    }, X);
    expect(X.toArray()).toEqual([[1, 2, 3]]);
    expect(seen).toHaveLength(6); // two evaluations per element
    expect(new Set(seen).size).toBe(6);
    expect(seen.every((M) => M !== X)).toBe(true);
  });

  it("equals tf.grad for f(W) = Σ tanh(X·W + b)", async () => {
    // tf.grad works in float32; the central difference here is good to about 1e-10, so the
    // difference is tfjs's rounding: FLOAT32 (rtol 1e-5, atol 1e-6).
    const tf = await getTf();
    const X = Matrix.from([[0.5, -1.2, 0.3], [1.1, 0.4, -0.7]]);
    const W = Matrix.from([[0.2, -0.5], [0.7, 0.1], [-0.3, 0.9]]);
    const b = Matrix.row([0.05, -0.1]);
    const ours = numericGradient((M) => X.matmul(M).addRow(b).map(Math.tanh).sum(), W);
    const [tX, tW, tb] = [await toTensor(X), await toTensor(W), await toTensor(b)];
    const g = tf.grad((w: Tensor) => tf.sum(tf.tanh(tf.add(tf.matMul(tX, w), tb))))(tW);
    expectClose(ours, fromTensor(g), FLOAT32, "∂Σtanh(XW + b)/∂W");
    tf.dispose([tX, tW, tb, g]);
  });

  it("equals tf.grad for a mean squared error f(W) = mean((X·W − Y)²)", async () => {
    const tf = await getTf();
    const X = Matrix.from([[1, 2], [3, -1], [0, 0.5]]);
    const Y = Matrix.column([1, 0, -1]);
    const W = Matrix.column([0.3, -0.4]);
    const ours = numericGradient((M) => X.matmul(M).sub(Y).map((e) => e * e).mean(), W);
    const [tX, tY, tW] = [await toTensor(X), await toTensor(Y), await toTensor(W)];
    const g = tf.grad((w: Tensor) => tf.mean(tf.square(tf.sub(tf.matMul(tX, w), tY))))(tW);
    expectClose(ours, fromTensor(g), FLOAT32, "∂MSE/∂W");
    tf.dispose([tX, tY, tW, g]);
  });
});

describe("relativeError", () => {
  it("by hand: max over k of |aₖ − nₖ| / (|aₖ| + |nₖ|)", () => {
    // k = 0: |1 − 1|/2 = 0;  k = 1: |2 − 2.2|/(2 + 2.2) = 0.2/4.2 = 1/21 = 0.047619.
    const e = relativeError(Matrix.row([1, 2]), Matrix.row([1, 2.2]));
    expect(e).toBeCloseTo(1 / 21, 14);
    // Opposite signs give the largest possible value, 1: |1 − (−1)|/(1 + 1).
    expect(relativeError(Matrix.row([1]), Matrix.row([-1]))).toBe(1);
  });

  it("is 0 for equal gradients, including all-zero ones (no 0/0)", () => {
    expect(relativeError(Matrix.row([0, 0]), Matrix.row([0, 0]))).toBe(0);
    expect(relativeError(Matrix.row([3, -4]), Matrix.row([3, -4]))).toBe(0);
  });

  it("is scale-free: multiplying both gradients by 1000 changes nothing", () => {
    const a = Matrix.row([0.3, -1.7]), n = Matrix.row([0.31, -1.69]);
    expect(relativeError(a.scale(1000), n.scale(1000))).toBeCloseTo(relativeError(a, n), 14);
  });

  it("rejects gradients of different shapes, showing both", () => {
    expect(() => relativeError(Matrix.zeros(2, 3), Matrix.zeros(3, 2))).toThrow(ShapeError);
    expect(() => relativeError(Matrix.zeros(2, 3), Matrix.zeros(3, 2))).toThrow(
      "relativeError: the two gradients must have the same shape, got [2, 3] and [3, 2].",
    );
  });
});
