/**
 * Chapter 11's weight penalties: hand-worked values, TensorFlow.js's tf.regularizers (values,
 * and gradients by tf.grad), central differences, a Dense layer's dW with the penalty added,
 * and the error messages.
 */
import type * as tfjs from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { Dense } from "../../lib/src/dense";
import { ValueError } from "../../lib/src/errors";
import { numericGradient, relativeError } from "../../lib/src/gradcheck";
import type { Regularizer } from "../../lib/src/layer";
import { Matrix } from "../../lib/src/matrix";
import { Random } from "../../lib/src/random";
import { halfL2, l1, l1l2, l2 } from "../../lib/src/regularizers";
import type { Tf } from "../../lib/src/tf";
import { expectClose, FLOAT32, fromTensor, getTf, reportComparisons } from "../helpers/compare";

let tf: Tf;
beforeAll(async () => {
  tf = await getTf();
});
reportComparisons("regularizers");

/** Float64 arithmetic on both sides: equal to 12 decimal places. */
function expectHand(actual: Matrix | number, expected: number[][] | number): void {
  if (typeof actual === "number") expect(actual).toBeCloseTo(expected as number, 12);
  else expect(actual.toArray()).toEqual((expected as number[][]).map((row) => row.map((e) => expect.closeTo(e, 12))));
}

const tensor = (M: Matrix) => tf.tensor2d(Array.from(M.data), [M.rows, M.cols], "float32");
type TfRegularizer = ReturnType<Tf["regularizers"]["l2"]>;

/** ∂R/∂W by TensorFlow.js's autodiff, tf.grad of R at W. */
function tfGrad(R: (x: tfjs.Tensor) => tfjs.Tensor, W: Matrix): Matrix {
  const dW = tf.tidy(() => tf.grad(R)(tensor(W)));
  const out = fromTensor(dW);
  dW.dispose();
  return out;
}

describe("hand-worked values", () => {
  // W = [[1, −2], [3, 0]]:  Σ w² = 1 + 4 + 9 + 0 = 14,  Σ |w| = 1 + 2 + 3 + 0 = 6
  const W = Matrix.from([[1, -2], [3, 0]]);

  it("l2(0.1): R = 0.1·14 = 1.4,  ∂R/∂W = 0.2·W", () => {
    expectHand(l2(0.1).loss(W), 1.4);
    expectHand(l2(0.1).grad(W), [[0.2, -0.4], [0.6, 0]]);
  });

  it("l1(0.1): R = 0.1·6 = 0.6,  ∂R/∂W = 0.1·sign(W), 0 where w = 0", () => {
    expectHand(l1(0.1).loss(W), 0.6);
    expectHand(l1(0.1).grad(W), [[0.1, -0.1], [0.1, 0]]);
  });

  it("l1l2(0.1, 0.01): R = 0.6 + 0.14 = 0.74,  ∂R/∂W = 0.1·sign(W) + 0.02·W", () => {
    // 0.1 + 0.02·1 = 0.12,  −0.1 + 0.02·(−2) = −0.14,  0.1 + 0.02·3 = 0.16,  0 + 0 = 0
    expectHand(l1l2(0.1, 0.01).loss(W), 0.74);
    expectHand(l1l2(0.1, 0.01).grad(W), [[0.12, -0.14], [0.16, 0]]);
  });

  it("halfL2(0.1): R = ½·0.1·14 = 0.7,  ∂R/∂W = 0.1·W, half of l2(0.1)", () => {
    expectHand(halfL2(0.1).loss(W), 0.7);
    expectHand(halfL2(0.1).grad(W), [[0.1, -0.2], [0.3, 0]]);
    expectHand(l2(0.1).grad(W).scale(0.5), halfL2(0.1).grad(W).toArray());
  });

  it("the factor of 2: halfL2(2λ) is the same penalty as l2(λ)", () => {
    const V = new Random(11).normalMatrix(3, 4);
    for (const lambda of [0.001, 0.05, 0.3]) {
      expectHand(halfL2(2 * lambda).loss(V), l2(lambda).loss(V));
      expectHand(halfL2(2 * lambda).grad(V), l2(lambda).grad(V).toArray());
    }
  });

  it("a gradient step with halfL2 alone shrinks W by (1 − ηλ): weight decay", () => {
    // η = 0.1, λ = 0.5:  W − η·λ·W = (1 − 0.05)·W = 0.95·W
    const step = W.sub(halfL2(0.5).grad(W).scale(0.1));
    expectHand(step, W.scale(0.95).toArray());
  });

  it("leaves W as it was", () => {
    for (const R of [l2(0.1), l1(0.1), l1l2(0.1, 0.1), halfL2(0.1)]) {
      R.loss(W);
      const G = R.grad(W);
      expect(G).not.toBe(W);
      expect(W.toArray()).toEqual([[1, -2], [3, 0]]);
    }
  });
});

describe("against tf.regularizers", () => {
  // Float32 on the tfjs side. A value: a sum of 20 terms, each rounded, so a relative error of
  // about 20·6e-8 ≈ 1e-6 at worst, inside FLOAT32 (rtol 1e-5). A gradient entry is one
  // product: FLOAT32 as it is.
  const W = new Random(2024).normalMatrix(4, 5, 0, 2);
  const pairs: [string, Regularizer, TfRegularizer][] = [];
  beforeAll(() => {
    pairs.push(
      ["l2(0.01), tfjs's default", l2(), tf.regularizers.l2()],
      ["l2(0.3)", l2(0.3), tf.regularizers.l2({ l2: 0.3 })],
      ["l1(0.01), tfjs's default", l1(), tf.regularizers.l1()],
      ["l1(0.2)", l1(0.2), tf.regularizers.l1({ l1: 0.2 })],
      ["l1l2(0.01, 0.01), tfjs's default", l1l2(), tf.regularizers.l1l2()],
      ["l1l2(0.05, 0.2)", l1l2(0.05, 0.2), tf.regularizers.l1l2({ l1: 0.05, l2: 0.2 })],
      // The course's ½ convention is tfjs's l2 with half the λ.
      ["halfL2(0.3) = tfjs l2(0.15)", halfL2(0.3), tf.regularizers.l2({ l2: 0.15 })],
    );
  });

  it("R(W) equals regularizer.apply(W)", () => {
    for (const [label, ours, theirs] of pairs) {
      const value = tf.tidy(() => theirs.apply(tensor(W)).dataSync()[0]);
      expectClose(ours.loss(W), value, FLOAT32, label);
    }
  });

  it("∂R/∂W equals tf.grad of regularizer.apply", () => {
    for (const [label, ours, theirs] of pairs) {
      expectClose(ours.grad(W), tfGrad((x) => theirs.apply(x), W), FLOAT32, label);
    }
  });

  it("at w = 0 exactly, l1 takes the subgradient 0; tfjs's gradient of |w| takes −1 there", () => {
    // Any number in [−λ, λ] is a subgradient of λ·|w| at 0. We take 0 (as TensorFlow for Python
    // and PyTorch do), so L1 leaves a weight that is exactly 0 where it is; tfjs's Abs gradient
    // is step(x, −1), which gives −λ.
    const Z = Matrix.from([[0, 1]]);
    const dZ = tfGrad((x) => tf.regularizers.l1({ l1: 0.1 }).apply(x), Z);
    expect(dZ.toArray()).toEqual([[expect.closeTo(-0.1, 7), expect.closeTo(0.1, 7)]]);
    expectHand(l1(0.1).grad(Z), [[0, 0.1]]);
  });
});

describe("gradients by central differences", () => {
  // numericGradient uses h = 1e-5. R is a polynomial of degree ≤ 2 in each entry, so the
  // central difference is exact up to rounding (about 1e-16·|R|/h); CS231n's bar for a
  // correct float64 gradient is a relative error below 1e-7. For l1 every |w| > h, so no
  // difference straddles the kink at 0.
  const W = new Random(7).normalMatrix(3, 4).map((w) => (Math.abs(w) < 0.1 ? w + 0.2 : w));
  it.each([
    ["l2(0.05)", l2(0.05)],
    ["l1(0.05)", l1(0.05)],
    ["l1l2(0.05, 0.02)", l1l2(0.05, 0.02)],
    ["halfL2(0.05)", halfL2(0.05)],
  ] as const)("%s", (_label, R) => {
    const numeric = numericGradient((V) => R.loss(V), W);
    expect(relativeError(R.grad(W), numeric)).toBeLessThan(1e-7);
  });
});

describe("a Dense layer with kernelRegularizer", () => {
  // Z = X·W + b,  A = tanh(Z),  L = ½·1/m·Σ (A − Y)² + R(W),  m = 4 examples.
  // Backprop: dA = (A − Y)/m,  dZ = dA ⊙ (1 − A²),  dW = Xᵀ·dZ + ∂R/∂W,  db = Σᵢ dZᵢ (b is not penalized).
  const rng = new Random(31);
  const X = rng.normalMatrix(4, 3);
  const Y = rng.normalMatrix(4, 2);
  const W0 = rng.normalMatrix(3, 2, 0, 0.5);
  const b0 = rng.normalMatrix(1, 2, 0, 0.1);
  const m = X.rows;

  function ourGradients(R: Regularizer) {
    const dense = new Dense({ units: 2, activation: "tanh", kernelRegularizer: R, weights: { W: W0, b: b0 } });
    const A = dense.forward(X);
    dense.backward(A.sub(Y).scale(1 / m));
    const dZ = A.sub(Y).scale(1 / m).hadamard(A.map((a) => 1 - a * a));
    return { dW: dense.W!.grad!, db: dense.b!.grad!, dZ };
  }

  // tfjs computes the same loss with the penalty added, and differentiates it.
  let variableCount = 0; // tfjs variable names must be unique
  function tfjsGradients(penalty: (W: tfjs.Tensor) => tfjs.Tensor) {
    const Wv = tf.variable(tensor(W0), true, `W_${++variableCount}`);
    const bv = tf.variable(tensor(b0), true, `b_${variableCount}`);
    const [dW, db] = tf.tidy(() => {
      const [Xt, Yt] = [tensor(X), tensor(Y)];
      const { grads } = tf.variableGrads(() => {
        const A = tf.tanh(tf.add(tf.matMul(Xt, Wv), bv));
        const data = tf.div(tf.sum(tf.square(tf.sub(A, Yt))), 2 * m);
        return tf.add(data, penalty(Wv)) as tfjs.Scalar;
      }, [Wv, bv]);
      return [grads[Wv.name], grads[bv.name]];
    });
    const out = { dW: fromTensor(dW), db: fromTensor(db) };
    tf.dispose([Wv, bv, dW, db]);
    return out;
  }

  it("l2(λ): dW = Xᵀ·dZ + 2λ·W, as tf.variableGrads of the loss plus tf.regularizers.l2", () => {
    const lambda = 0.05;
    const ours = ourGradients(l2(lambda));
    expectHand(ours.dW, X.transpose().matmul(ours.dZ).add(W0.scale(2 * lambda)).toArray());
    const theirs = tfjsGradients((W) => tf.regularizers.l2({ l2: lambda }).apply(W));
    expectClose(ours.dW, theirs.dW, FLOAT32, "dW");
    expectClose(ours.db, theirs.db, FLOAT32, "db");
  });

  it("halfL2(λ): dW = Xᵀ·dZ + λ·W, as tfjs with the penalty ½λ·Σ w² written out", () => {
    const lambda = 0.05;
    const ours = ourGradients(halfL2(lambda));
    expectHand(ours.dW, X.transpose().matmul(ours.dZ).add(W0.scale(lambda)).toArray());
    const theirs = tfjsGradients((W) => tf.mul(0.5 * lambda, tf.sum(tf.square(W))));
    expectClose(ours.dW, theirs.dW, FLOAT32, "dW");
    expectClose(ours.db, theirs.db, FLOAT32, "db");
  });

  it("l1(λ): dW = Xᵀ·dZ + λ·sign(W), as tfjs with tf.regularizers.l1", () => {
    const lambda = 0.02;
    const ours = ourGradients(l1(lambda));
    expectHand(ours.dW, X.transpose().matmul(ours.dZ).add(W0.map((w) => lambda * Math.sign(w))).toArray());
    const theirs = tfjsGradients((W) => tf.regularizers.l1({ l1: lambda }).apply(W));
    expectClose(ours.dW, theirs.dW, FLOAT32, "dW");
  });
});

describe("error messages", () => {
  it("λ must be a finite number ≥ 0", () => {
    expect(() => l2(-0.1)).toThrow(ValueError);
    expect(() => l2(-0.1)).toThrow(
      /l2: expected lambda \(λ\) to be a finite number ≥ 0, got -0\.1\. λ sets how strongly large weights are penalized; 0 turns the penalty off/,
    );
    expect(() => l1(NaN)).toThrow(/l1: expected lambda \(λ\) to be a finite number ≥ 0, got NaN\./);
    expect(() => l1l2(0.1, Infinity)).toThrow(/l1l2: expected lambda2 \(λ₂\) to be a finite number ≥ 0, got Infinity\./);
    expect(() => l1l2(-1, 0.1)).toThrow(/l1l2: expected lambda1 \(λ₁\) .* got -1\./);
    expect(() => halfL2(-0.5)).toThrow(/halfL2: expected lambda \(λ\) .* got -0\.5\./);
  });

  it("W with NaN or Infinity", () => {
    const W = Matrix.from([[1, NaN], [0, 2]]);
    expect(() => l2(0.01).loss(W)).toThrow(ValueError);
    expect(() => l2(0.01).loss(W)).toThrow(
      /l2\(0\.01\)\.loss: expected W to hold finite numbers, got NaN at row 0, column 1\. Weights turn NaN or infinite when training diverges; try a smaller learningRate/,
    );
    expect(() => halfL2(0.1).grad(Matrix.from([[1], [-Infinity]]))).toThrow(
      /halfL2\(0\.1\)\.grad: expected W to hold finite numbers, got -Infinity at row 1, column 0\./,
    );
  });

  it("names the regularizer and its λ", () => {
    expect([l2(0.1).name, l1(0.2).name, l1l2(0.1, 0.2).name, halfL2(0.3).name]).toEqual([
      "l2(0.1)", "l1(0.2)", "l1l2(0.1, 0.2)", "halfL2(0.3)",
    ]);
  });
});
