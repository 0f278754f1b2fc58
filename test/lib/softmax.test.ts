import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { getActivation } from "../../lib/src/activations";
import { ShapeError, ValueError } from "../../lib/src/errors";
import { numericGradient, relativeError } from "../../lib/src/gradcheck";
import { Matrix } from "../../lib/src/matrix";
import { Random } from "../../lib/src/random";
import { logSoftmax, logSumExp, softmax } from "../../lib/src/softmax";
import { expectClose, FLOAT32, fromTensor, getTf, toTensor, reportComparisons } from "../helpers/compare";

// Hand-checkable values are exact up to float64 rounding (a few ulps of numbers ≤ 1000), so 1e-12.
const EXACT = { rtol: 1e-12, atol: 1e-12 };

// Values tfjs receives in float32; drawing them as float32 numbers means both sides start
// from the very same inputs and differ only by float32 arithmetic.
const float32In = (lo: number, hi: number) =>
  fc.float({ min: Math.fround(lo), max: Math.fround(hi), noNaN: true });

const matrixArb = (rows: number, cols: number, lo: number, hi: number) =>
  fc.array(float32In(lo, hi), { minLength: rows * cols, maxLength: rows * cols })
    .map((v) => new Matrix(rows, cols, v));

// Z and an upstream gradient dA of the same random shape [m, k], m and k in 1..6.
const zAndDA = fc
  .tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }))
  .chain(([m, k]) => fc.tuple(matrixArb(m, k, -8, 8), matrixArb(m, k, -2, 2)));

reportComparisons("softmax");

describe("softmax, logSumExp, logSoftmax: hand-worked", () => {
  // Z = [0, ln 2, ln 3]: exp(Z) = [1, 2, 3], Σ = 6, so softmax = [1/6, 2/6, 3/6],
  // logSumExp = ln 6, logSoftmax = [−ln 6, ln 2 − ln 6, ln 3 − ln 6] = [−ln 6, −ln 3, −ln 2].
  // Row 2 adds 1000 to every score: exp(1000) overflows to Infinity, yet softmax is unchanged
  // (the shift cancels) and logSumExp is 1000 + ln 6.
  const Z = Matrix.from([
    [0, Math.log(2), Math.log(3)],
    [1000, 1000 + Math.log(2), 1000 + Math.log(3)],
  ]);

  it("gives [1/6, 1/3, 1/2] and survives scores of 1000", () => {
    expect(Math.exp(1000)).toBe(Infinity);
    expectClose(softmax.f(Z), [1 / 6, 1 / 3, 1 / 2, 1 / 6, 1 / 3, 1 / 2], EXACT, "softmax");
    expectClose(logSumExp(Z), [Math.log(6), 1000 + Math.log(6)], EXACT, "logSumExp");
    expect(logSumExp(Z).shape).toEqual([2, 1]);
    expectClose(logSoftmax(Z).getRow(0), [-Math.log(6), -Math.log(3), -Math.log(2)], EXACT, "logSoftmax");
  });

  it("backward is A ⊙ (dA − rowsum(dA ⊙ A))", () => {
    // A = [1/6, 1/3, 1/2], dA = [1, 0, 0]: rowsum(dA ⊙ A) = 1/6,
    // dZ = [1/6·(1 − 1/6), 1/3·(0 − 1/6), 1/2·(0 − 1/6)] = [5/36, −2/36, −3/36], which sums to 0.
    const Z1 = Z.getRow(0);
    const dZ = softmax.backward(Z1, softmax.f(Z1), Matrix.row([1, 0, 0]));
    expectClose(dZ, [5 / 36, -2 / 36, -3 / 36], EXACT, "dZ");
  });

  it("is registered under its Keras name", () => {
    expect(getActivation("softmax")).toBe(softmax);
    expect(softmax.name).toBe("softmax");
  });

  it("does not change its inputs", () => {
    const A = softmax.f(Z), dA = Matrix.from([[1, 2, 3], [4, 5, 6]]);
    const before = [Z, A, dA].map((M) => Array.from(M.data));
    softmax.backward(Z, A, dA);
    logSoftmax(Z);
    expect([Z, A, dA].map((M) => Array.from(M.data))).toEqual(before);
  });
});

describe("softmax: properties", () => {
  it("rows are positive, sum to 1, and ignore a shift of the row", () => {
    fc.assert(
      fc.property(zAndDA, fc.double({ min: -50, max: 50, noNaN: true }), ([Z], c) => {
        const A = softmax.f(Z);
        // Row sums of k ≤ 6 numbers ≤ 1 in float64: a few ulps of 1.
        for (const row of A.toArray()) {
          expect(Math.abs(row.reduce((s, a) => s + a, 0) - 1)).toBeLessThan(1e-14);
        }
        expect(A.data.every((a) => a >= 0)).toBe(true);
        // The shift changes Z by rounding (|Z + c| ≤ 58, ulp ≈ 7e-15) and softmax's sensitivity is ≤ 1.
        expectClose(softmax.f(Z.map((z) => z + c)), A, { rtol: 1e-12, atol: 1e-12 }, "shifted");
      }),
      { numRuns: 50 },
    );
  });

  it("backward matches a float64 central difference of L = Σ softmax(Z) ⊙ dA", () => {
    const rng = new Random(7);
    for (const [m, k] of [[1, 1], [1, 4], [3, 2], [5, 6]]) {
      const Z = rng.normalMatrix(m, k, 0, 2), dA = rng.normalMatrix(m, k);
      const numeric = numericGradient((Zp) => softmax.f(Zp).hadamard(dA).sum(), Z);
      const analytic = softmax.backward(Z, softmax.f(Z), dA);
      if (k === 1) {
        // One class: A ≡ 1, so dZ is exactly 0 both ways (relative error is undefined).
        expect(Math.max(...analytic.data.map(Math.abs), ...numeric.data.map(Math.abs))).toBeLessThan(1e-9);
      } else {
        // h = 1e-5 central differences are accurate to ~1e-10 here; 1e-6 leaves a wide margin.
        expect(relativeError(analytic, numeric)).toBeLessThan(1e-6);
      }
    }
  });
});

describe("softmax vs TensorFlow.js", () => {
  it("f, logSumExp and logSoftmax equal tf.softmax, tf.logSumExp, tf.logSoftmax", async () => {
    const tf = await getTf();
    await fc.assert(
      fc.asyncProperty(zAndDA, async ([Z]) => {
        const z = await toTensor(Z);
        // FLOAT32: tfjs rounds exp and the row sum in float32 (about 6e-8 relative each).
        expectClose(softmax.f(Z), fromTensor(tf.softmax(z)), FLOAT32, "softmax");
        expectClose(logSumExp(Z), fromTensor(tf.logSumExp(z, 1, true)), FLOAT32, "logSumExp");
        expectClose(logSoftmax(Z), fromTensor(tf.logSoftmax(z)), FLOAT32, "logSoftmax");
        tf.dispose(z);
      }),
      { numRuns: 40 },
    );
  });

  it("backward equals tf.grad of Σ softmax(Z) ⊙ dA", async () => {
    const tf = await getTf();
    await fc.assert(
      fc.asyncProperty(zAndDA, async ([Z, dA]) => {
        const [z, da] = [await toTensor(Z), await toTensor(dA)];
        const dz = tf.grad((zz) => tf.sum(tf.mul(tf.softmax(zz as typeof z), da)))(z);
        // FLOAT32: dZ has size ≤ |dA|·2; its float32 rounding stays well inside atol 1e-6 + rtol 1e-5.
        expectClose(softmax.backward(Z, softmax.f(Z), dA), fromTensor(dz), FLOAT32, "dZ");
        tf.dispose([z, da, dz]);
      }),
      { numRuns: 40 },
    );
  });
});

describe("softmax: errors", () => {
  it("fn, derivative and prime explain that softmax needs a whole row", () => {
    const calls: [string, () => unknown][] = [
      ["fn", () => softmax.fn(0)],
      ["derivative", () => softmax.derivative(0)],
      ["prime", () => softmax.prime(Matrix.row([1, 2]))],
    ];
    for (const [method, call] of calls) {
      expect(call).toThrow(ValueError);
      expect(call).toThrow(`softmax.${method}: softmax is not element-wise`);
      expect(call).toThrow(/k×k Jacobian per row/);
      expect(call).toThrow(/softmax\.backward\(Z, A, dA\) for dZ/);
    }
  });

  it("rejects NaN and ±Infinity in Z, naming the position", () => {
    const Z = Matrix.from([[0, 1], [NaN, 2]]);
    expect(() => softmax.f(Z)).toThrow(ValueError);
    expect(() => softmax.f(Z)).toThrow(
      "softmax.f: expected Z to hold finite numbers, got NaN at row 1, column 0.",
    );
    expect(() => logSumExp(Matrix.row([Infinity]))).toThrow(
      "logSumExp: expected Z to hold finite numbers, got Infinity at row 0, column 0.",
    );
    expect(() => logSoftmax(Matrix.row([-Infinity, 0]))).toThrow(
      "logSoftmax: expected Z to hold finite numbers, got -Infinity at row 0, column 0.",
    );
  });

  it("rejects an empty Z", () => {
    expect(() => softmax.f(Matrix.zeros(2, 0))).toThrow(ShapeError);
    expect(() => softmax.f(Matrix.zeros(2, 0))).toThrow(
      "softmax.f: expected Z to have shape [m, k] with m ≥ 1 and k ≥ 1, got [2, 0]. " +
        "Each row of Z holds the k class scores of one example.",
    );
    expect(() => logSumExp(Matrix.zeros(0, 3))).toThrow(
      "logSumExp: expected Z to have shape [m, k] with m ≥ 1 and k ≥ 1, got [0, 3].",
    );
  });

  it("backward checks the shapes of A and dA and that dA is finite", () => {
    const Z = Matrix.from([[1, 2, 3], [0, 0, 0]]);
    const A = softmax.f(Z);
    expect(() => softmax.backward(Z, A, Matrix.zeros(2, 2))).toThrow(ShapeError);
    expect(() => softmax.backward(Z, A, Matrix.zeros(2, 2))).toThrow(
      "softmax.backward: expected dA to have shape [2, 3], got [2, 2]. " +
        "Z, A = softmax(Z) and dA = ∂L/∂A all have the shape [m, k] of the layer's output.",
    );
    expect(() => softmax.backward(Z, A.transpose(), Matrix.zeros(2, 3))).toThrow(
      "softmax.backward: expected A to have shape [2, 3], got [3, 2].",
    );
    expect(() => softmax.backward(Z, A, Matrix.from([[0, 0, 0], [0, NaN, 0]]))).toThrow(
      "softmax.backward: expected dA to hold finite numbers, got NaN at row 1, column 1.",
    );
  });
});
