/**
 * Chapter 10's optimizers against TensorFlow.js's tf.train optimizers: a hand-worked first step
 * for each, 50 steps on the same problem, one random step as a property, the quadratic each
 * must minimise, the registry, and the error messages.
 */
import type * as tfjs from "@tensorflow/tfjs";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { ShapeError, ValueError } from "../../lib/src/errors";
import { Param } from "../../lib/src/layer";
import { Matrix } from "../../lib/src/matrix";
import { AdaGrad } from "../../lib/src/optimizers/adagrad";
import { Adam } from "../../lib/src/optimizers/adam";
import { Momentum } from "../../lib/src/optimizers/momentum";
import type { Optimizer } from "../../lib/src/optimizers/optimizer";
import { getOptimizer } from "../../lib/src/optimizers/optimizers";
import { RMSProp } from "../../lib/src/optimizers/rmsprop";
import { SGD } from "../../lib/src/optimizers/sgd";
import type { Tf } from "../../lib/src/tf";
import { expectClose, FLOAT32, fromTensor, getTf, reportComparisons, type Tolerance } from "../helpers/compare";

let tf: Tf;
beforeAll(async () => {
  tf = await getTf();
});
reportComparisons("optimizers");

/**
 * Checks a hand-worked result. Both sides are float64 arithmetic on the same formula, so they
 * agree to rounding: 12 decimal places. (Not expectClose, whose running `worst` is kept for
 * the comparisons with TensorFlow.js.)
 */
function expectHand(actual: Matrix, expected: number[], digits = 12): void {
  expect(Array.from(actual.data)).toEqual(expected.map((e) => expect.closeTo(e, digits)));
}

/** One Param with value `value` and gradient `grad`, both given as nested arrays. */
function param(name: string, value: number[][], grad: number[][]): Param {
  const p = new Param(name, Matrix.from(value));
  p.grad = Matrix.from(grad);
  return p;
}

let variableCount = 0;
/** A tf.variable holding M, under a name no other test uses (tfjs names must be unique). */
function variable(M: Matrix): tfjs.Variable {
  return tf.variable(tf.tensor2d(Array.from(M.data), [M.rows, M.cols], "float32"), true, `v${++variableCount}`);
}

/** Our optimizer and tfjs's with the same settings, for the comparisons below. */
interface Case {
  label: string;
  ours: () => Optimizer;
  theirs: () => tfjs.Optimizer;
}

// The settings compared with tfjs over 50 steps; each η is large enough to move far in 50 steps.
// tfjs's defaults are left out on purpose (ε, ρ, β₁, β₂), so the defaults are compared too.
const cases: Case[] = [
  { label: "sgd", ours: () => new SGD({ learningRate: 0.1 }), theirs: () => tf.train.sgd(0.1) },
  {
    label: "momentum",
    ours: () => new Momentum({ learningRate: 0.05, momentum: 0.9 }),
    theirs: () => tf.train.momentum(0.05, 0.9),
  },
  {
    label: "momentum, Nesterov",
    ours: () => new Momentum({ learningRate: 0.05, momentum: 0.9, useNesterov: true }),
    theirs: () => tf.train.momentum(0.05, 0.9, true),
  },
  { label: "adagrad", ours: () => new AdaGrad({ learningRate: 0.5 }), theirs: () => tf.train.adagrad(0.5) },
  { label: "rmsprop", ours: () => new RMSProp({ learningRate: 0.05 }), theirs: () => tf.train.rmsprop(0.05) },
  {
    label: "rmsprop with momentum",
    ours: () => new RMSProp({ learningRate: 0.01, momentum: 0.9 }),
    theirs: () => tf.train.rmsprop(0.01, 0.9, 0.9),
  },
  {
    label: "rmsprop, centered",
    ours: () => new RMSProp({ learningRate: 0.05, centered: true }),
    theirs: () => tf.train.rmsprop(0.05, 0.9, 0, undefined, true),
  },
  {
    label: "rmsprop, centered with momentum",
    ours: () => new RMSProp({ learningRate: 0.01, momentum: 0.9, centered: true }),
    theirs: () => tf.train.rmsprop(0.01, 0.9, 0.9, undefined, true),
  },
  { label: "adam", ours: () => new Adam({ learningRate: 0.1 }), theirs: () => tf.train.adam(0.1) },
];

describe("50 steps on a quadratic bowl agree with tf.train", () => {
  // Two parameters of different shapes, each in a bowl with a different curvature per entry:
  //   L(W, b) = ½·Σ A ⊙ (W − C)² + ½·Σ a ⊙ (b − c)²      dW = A ⊙ (W − C)    db = a ⊙ (b − c)
  // Each side takes the gradient at its own current values: ours by the formula, tfjs's by
  // tf.variableGrads, as a tfjs training loop would.
  const W0 = Matrix.from([[1.5, -2], [0.5, 3], [-1, 0.25]]);
  const C = Matrix.from([[0, 1], [-1, 0.5], [2, -0.5]]);
  const A = Matrix.from([[1, 2], [0.5, 4], [3, 1.5]]);
  const b0 = Matrix.from([[2, -1]]);
  const c = Matrix.from([[-0.5, 0.5]]);
  const a = Matrix.from([[2, 0.8]]);

  // Tolerances. Each step rounds W to float32 on the tfjs side (the float32 spacing below 4 is
  // 2.4e-7), plus a few float32 roundings inside the update. Over these 50 steps the largest
  // drift observed is 6e-7; atol 5e-6 (about twenty float32 spacings) leaves room for other
  // machines, and stays far below what a wrong formula changes (> 1e-3 here).
  const LONG_RUN: Tolerance = { rtol: 1e-5, atol: 5e-6 };
  // Adam drifts more, for a reason we can bound: tfjs keeps β₂ᵗ as a float32 variable, and
  // float32(0.999) = 0.99900001287, so its 1 − β₂ᵗ is 1.3e-5 too small at t = 1 (less later).
  // That scales v̂ by up to 1.3e-5 and the step (≤ η = 0.1) by up to 6.5e-6: at most 6.5e-7 per
  // step and 3.3e-5 over 50 steps if none of it cancels. Observed: 1.4e-5. atol is twice
  // that bound.
  const ADAM_RUN: Tolerance = { rtol: 1e-5, atol: 50 * 0.1 * 6.5e-6 * 2 };

  for (const { label, ours, theirs } of cases) {
    it(label, () => {
      const optimizer = ours();
      const W = new Param("W", W0);
      const b = new Param("b", b0);

      const tfOptimizer = theirs();
      const Wt = variable(W0);
      const bt = variable(b0);
      const [At, Ct, at, ct] = [A, C, a, c].map((M) => tf.tensor2d(M.toArray()));
      const bowl = (x: tfjs.Tensor, center: tfjs.Tensor, curvature: tfjs.Tensor) =>
        tf.mul(0.5, tf.sum(tf.mul(curvature, tf.square(tf.sub(x, center)))));
      const tolerance = label === "adam" ? ADAM_RUN : LONG_RUN;

      for (let t = 1; t <= 50; t++) {
        W.grad = A.hadamard(W.value.sub(C));
        b.grad = a.hadamard(b.value.sub(c));
        optimizer.step([W, b]);

        tf.tidy(() => {
          const { grads } = tf.variableGrads(() => tf.add(bowl(Wt, Ct, At), bowl(bt, ct, at)) as tfjs.Scalar, [Wt, bt]);
          tfOptimizer.applyGradients(grads);
        });
        expectClose(W.value, fromTensor(Wt), tolerance, `${label}: W after step ${t}`);
        expectClose(b.value, fromTensor(bt), tolerance, `${label}: b after step ${t}`);
      }
      // The run went somewhere: W moved by more than 0.5 in some entry.
      expect(Math.max(...W.value.sub(W0).data.map(Math.abs))).toBeGreaterThan(0.5);
      tf.dispose([Wt, bt, At, Ct, at, ct]);
      tfOptimizer.dispose();
    });
  }
});

describe("hand-worked steps", () => {
  // The same start for every optimizer:  W = [1, −2],  g = dW = [0.5, −1].
  const start = () => param("W", [[1, -2]], [[0.5, -1]]);

  it("sgd: W − η·g", () => {
    // η = 0.1:  1 − 0.1·0.5 = 0.95,   −2 − 0.1·(−1) = −1.9
    const W = start();
    new SGD({ learningRate: 0.1 }).step([W]);
    expectHand(W.value, [0.95, -1.9]);
  });

  it("momentum: the velocity sums the gradients, so the second step is longer", () => {
    // η = 0.1, μ = 0.9, v starts at 0.
    // step 1: v = 0.9·0 + 0.5 = 0.5                 W = 1 − 0.1·0.5 = 0.95
    // step 2 (same g): v = 0.9·0.5 + 0.5 = 0.95    W = 0.95 − 0.1·0.95 = 0.855
    // second entry: v = −1, then −1.9;  W = −2 + 0.1 = −1.9, then −1.9 + 0.19 = −1.71
    const W = start();
    const optimizer = new Momentum({ learningRate: 0.1, momentum: 0.9 });
    optimizer.step([W]);
    expectHand(W.value, [0.95, -1.9]);
    W.grad = Matrix.from([[0.5, -1]]);
    optimizer.step([W]);
    expectHand(W.value, [0.855, -1.71]);
  });

  it("momentum with Nesterov: steps along g + μ·v", () => {
    // η = 0.1, μ = 0.9:  v = g = [0.5, −1]
    // W = 1 − 0.1·(0.5 + 0.9·0.5) = 1 − 0.095 = 0.905
    //     −2 − 0.1·(−1 + 0.9·(−1)) = −2 + 0.19 = −1.81
    const W = start();
    new Momentum({ learningRate: 0.1, momentum: 0.9, useNesterov: true }).step([W]);
    expectHand(W.value, [0.905, -1.81]);
  });

  it("adagrad: divides by the root of G₀ + g²", () => {
    // η = 0.1, G₀ = 0.1 (default), ε = 1e-7:
    //   G = 0.1 + 0.25 = 0.35,  W = 1 − 0.1·0.5/√(0.35 + 1e-7)     ≈ 0.915485
    //   G = 0.1 + 1    = 1.1,   W = −2 − 0.1·(−1)/√(1.1 + 1e-7)    ≈ −1.904654
    const W = start();
    new AdaGrad({ learningRate: 0.1 }).step([W]);
    expectHand(W.value, [1 - 0.05 / Math.sqrt(0.35 + 1e-7), -2 + 0.1 / Math.sqrt(1.1 + 1e-7)]);
    // With G₀ = 0.75 and g = ±0.5 the root is √(1 + 1e-7) ≈ 1.00000005: W ≈ [0.95, −1.95].
    const V = param("V", [[1, -2]], [[0.5, -0.5]]);
    new AdaGrad({ learningRate: 0.1, initialAccumulatorValue: 0.75 }).step([V]);
    expectHand(V.value, [0.95, -1.95], 7);
  });

  it("rmsprop: the first step is about η·√10 in every entry, whatever |g| is", () => {
    // η = 0.01, ρ = 0.9:  s = 0.1·g²,  so  η·g/√(0.1·g² + ε) ≈ η·sign(g)/√0.1 = η·3.1623
    //   entry 1: s = 0.025,  W = 1 − 0.01·0.5/√(0.025 + 1e-7)   ≈ 0.968377
    //   entry 2: s = 0.1,    W = −2 + 0.01/√(0.1 + 1e-7)        ≈ −1.968377
    const W = start();
    new RMSProp({ learningRate: 0.01 }).step([W]);
    expectHand(W.value, [1 - 0.005 / Math.sqrt(0.025 + 1e-7), -2 + 0.01 / Math.sqrt(0.1 + 1e-7)]);
    expectHand(W.value, [1 - 0.01 * Math.sqrt(10), -2 + 0.01 * Math.sqrt(10)], 6);
  });

  it("rmsprop with momentum: the second step adds μ times the first", () => {
    // η = 0.01, ρ = 0.9, μ = 0.5, the same g twice, entry 1 (g = 0.5):
    //   step 1: s = 0.025,                    v = 0.01·0.5/√(0.025 + ε)
    //   step 2: s = 0.9·0.025 + 0.025 = 0.0475, v = 0.5·v₁ + 0.01·0.5/√(0.0475 + ε)
    //   W = 1 − v₁ − v₂
    const eps = 1e-7;
    const v1 = 0.005 / Math.sqrt(0.025 + eps);
    const v2 = 0.5 * v1 + 0.005 / Math.sqrt(0.0475 + eps);
    const W = param("W", [[1]], [[0.5]]);
    const optimizer = new RMSProp({ learningRate: 0.01, momentum: 0.5 });
    optimizer.step([W]);
    W.grad = Matrix.from([[0.5]]);
    optimizer.step([W]);
    expectHand(W.value, [1 - v1 - v2]);
  });

  it("rmsprop, centered: divides by the root of s − ḡ² − ε", () => {
    // η = 0.01, ρ = 0.9:  s = 0.1·g²,  ḡ = 0.1·g,  s − ḡ² = 0.09·g²,  √ ≈ 0.3·|g|
    //   entry 1: W = 1 − 0.01·0.5/√(0.0225 − 1e-7)    ≈ 1 − 0.01/0.3 = 0.966667
    //   entry 2: W = −2 + 0.01/√(0.09 − 1e-7)          ≈ −1.966667
    const W = start();
    new RMSProp({ learningRate: 0.01, centered: true }).step([W]);
    expectHand(W.value, [1 - 0.005 / Math.sqrt(0.0225 - 1e-7), -2 + 0.01 / Math.sqrt(0.09 - 1e-7)]);
  });

  it("adam: the bias correction makes the first step η·sign(g)", () => {
    // η = 0.1, β₁ = 0.9, β₂ = 0.999, t = 1:
    //   m = 0.1·g,  v = 0.001·g²,  m̂ = m/(1 − 0.9) = g,  v̂ = v/(1 − 0.999) = g²
    //   W = W − 0.1·g/(|g| + 1e-7):  1 − 0.1·0.5/0.5000001 ≈ 0.90000002,  −2 + 0.1/1.0000001 ≈ −1.90000001
    const W = start();
    new Adam({ learningRate: 0.1 }).step([W]);
    expectHand(W.value, [1 - 0.05 / (0.5 + 1e-7), -2 + 0.1 / (1 + 1e-7)]);
  });

  it("adam, second step: m̂ and v̂ corrected by 1 − β₁² and 1 − β₂²", () => {
    // g₁ = 1, g₂ = −1 on W = 0, η = 0.1:
    //   m = 0.9·0.1 + 0.1·(−1) = −0.01        m̂ = −0.01/(1 − 0.81) = −0.0526316
    //   v = 0.999·0.001 + 0.001·1 = 0.001999  v̂ = 0.001999/(1 − 0.998001) = 1
    //   W₂ = W₁ − 0.1·(−0.0526316)/(1 + 1e-7),   W₁ = −0.1/(1 + 1e-7)
    const W = param("W", [[0]], [[1]]);
    const optimizer = new Adam({ learningRate: 0.1 });
    optimizer.step([W]);
    W.grad = Matrix.from([[-1]]);
    optimizer.step([W]);
    const w1 = -0.1 / (1 + 1e-7);
    const mHat = -0.01 / (1 - 0.81);
    const vHat = 0.001999 / (1 - 0.999 ** 2);
    expect(vHat).toBeCloseTo(1, 12);
    expectHand(W.value, [w1 - (0.1 * mHat) / (Math.sqrt(vHat) + 1e-7)]);
  });
});

describe("where ε sits, seen with tiny gradients, as tfjs computes it", () => {
  // With g near ε the textbook forms and tfjs's differ by a large factor, so these pin it down.
  const TINY: Tolerance = { rtol: 1e-5, atol: 1e-9 }; // float32, on steps of size about η

  function compareOneStep(ours: Optimizer, theirs: tfjs.Optimizer, g: number, expected: number) {
    const W = param("W", [[1]], [[g]]);
    ours.step([W]);
    const Wt = variable(Matrix.from([[1]]));
    tf.tidy(() => theirs.applyGradients({ [Wt.name]: tf.tensor2d([[g]]) }));
    expectHand(W.value, [expected]);
    expectClose(W.value, fromTensor(Wt), TINY, "ours vs tfjs");
    Wt.dispose();
    theirs.dispose();
  }

  it("adagrad: inside the root, √(G + ε)", () => {
    // G₀ = 0, g = 1e-4:  G = 1e-8,  step = η·1e-4/√(1e-8 + 1e-7) = η·0.3015
    // (the paper's √G + ε would give η·0.999)
    compareOneStep(new AdaGrad({ learningRate: 0.1, initialAccumulatorValue: 0 }), tf.train.adagrad(0.1, 0), 1e-4,
      1 - (0.1 * 1e-4) / Math.sqrt(1e-8 + 1e-7));
  });

  it("rmsprop: inside the root, √(s + ε)", () => {
    // g = 1e-4:  s = 0.1·1e-8 = 1e-9,  step = η·1e-4/√(1e-9 + 1e-7) = η·0.3147 (textbook: η·3.15)
    compareOneStep(new RMSProp({ learningRate: 0.1 }), tf.train.rmsprop(0.1), 1e-4,
      1 - (0.1 * 1e-4) / Math.sqrt(1e-9 + 1e-7));
  });

  it("adam: outside the root, √v̂ + ε", () => {
    // g = 1e-7:  m̂ = 1e-7,  √v̂ = 1e-7,  step = η·1e-7/(1e-7 + 1e-7) = η/2
    compareOneStep(new Adam({ learningRate: 0.1 }), tf.train.adam(0.1), 1e-7, 1 - 0.05);
  });
});

describe("one random step matches tf.train (property)", () => {
  // Shapes 1×1 to 4×4, values in [−10, 10], gradients with 0.01 ≤ |g| ≤ 10 (so that centered
  // RMSProp's s − ḡ² stays well above ε), random hyperparameters, two steps so that the
  // state carried from the first is used in the second.
  // Tolerance: relative FLOAT32, but W − ΔW can cancel to near 0, leaving the absolute error
  // of its operands. |W| ≤ 10 and two steps of at most η·(|g| + μ·|v|) ≤ 30 keep every number
  // below 64, where the float32 spacing is 3.8e-6: atol 1e-5 allows a few such roundings.
  const ONE_STEP: Tolerance = { rtol: FLOAT32.rtol, atol: 1e-5 };
  const magnitude = fc.double({ min: 0.01, max: 10, noNaN: true });
  const gradientEntry = fc.tuple(fc.boolean(), magnitude).map(([negative, x]) => (negative ? -x : x));
  const valueEntry = fc.double({ min: -10, max: 10, noNaN: true });
  const rate = (max: number) => fc.double({ min: 1e-4, max, noNaN: true });
  const fraction = fc.double({ min: 0, max: 0.99, noNaN: true });

  const settings = fc.oneof(
    fc.record({ kind: fc.constant("sgd" as const), learningRate: rate(1) }),
    fc.record({ kind: fc.constant("momentum" as const), learningRate: rate(1), momentum: fraction, useNesterov: fc.boolean() }),
    fc.record({ kind: fc.constant("adagrad" as const), learningRate: rate(1), initialAccumulatorValue: fc.double({ min: 0.01, max: 1, noNaN: true }) }),
    fc.record({ kind: fc.constant("rmsprop" as const), learningRate: rate(0.1), decay: fc.double({ min: 0.5, max: 0.99, noNaN: true }), momentum: fraction, centered: fc.boolean() }),
    fc.record({ kind: fc.constant("adam" as const), learningRate: rate(1), beta1: fraction, beta2: fc.double({ min: 0.9, max: 0.9999, noNaN: true }) }),
  );

  type Settings = typeof settings extends fc.Arbitrary<infer S> ? S : never;
  function make(s: Settings): { ours: Optimizer; theirs: tfjs.Optimizer } {
    switch (s.kind) {
      case "sgd":
        return { ours: new SGD({ learningRate: s.learningRate }), theirs: tf.train.sgd(s.learningRate) };
      case "momentum": {
        const { learningRate, momentum, useNesterov } = s;
        return { ours: new Momentum({ learningRate, momentum, useNesterov }), theirs: tf.train.momentum(learningRate, momentum, useNesterov) };
      }
      case "adagrad": {
        const { learningRate, initialAccumulatorValue } = s;
        return { ours: new AdaGrad({ learningRate, initialAccumulatorValue }), theirs: tf.train.adagrad(learningRate, initialAccumulatorValue) };
      }
      case "rmsprop": {
        const { learningRate, decay, momentum, centered } = s;
        return { ours: new RMSProp({ learningRate, decay, momentum, centered }), theirs: tf.train.rmsprop(learningRate, decay, momentum, undefined, centered) };
      }
      case "adam": {
        const { learningRate, beta1, beta2 } = s;
        return { ours: new Adam({ learningRate, beta1, beta2 }), theirs: tf.train.adam(learningRate, beta1, beta2) };
      }
    }
  }

  const problem = fc
    .tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }))
    .chain(([rows, cols]) => {
      const matrix = (entry: fc.Arbitrary<number>) =>
        fc.array(entry, { minLength: rows * cols, maxLength: rows * cols }).map((xs) => new Matrix(rows, cols, xs));
      return fc.record({ W: matrix(valueEntry), g1: matrix(gradientEntry), g2: matrix(gradientEntry), settings });
    });

  it("for every optimizer, over random shapes, values and hyperparameters", () => {
    fc.assert(
      fc.property(problem, ({ W: W0, g1, g2, settings: s }) => {
        const { ours, theirs } = make(s);
        const W = new Param("W", W0);
        const Wt = variable(W0);
        try {
          for (const g of [g1, g2]) {
            W.grad = g;
            ours.step([W]);
            tf.tidy(() => theirs.applyGradients({ [Wt.name]: tf.tensor2d(Array.from(g.data), g.shape) }));
            expectClose(W.value, fromTensor(Wt), ONE_STEP, `${JSON.stringify(s)}`);
          }
        } finally {
          Wt.dispose();
          theirs.dispose();
        }
      }),
      { numRuns: 50, seed: 20240610 },
    );
  });
});

describe("each optimizer minimises a quadratic", () => {
  // L(W) = ½·(w₁ − 3)² + ½·10·(w₂ + 1)²  from W = [0, 0]: the minimum is W = [3, −1], L = 0,
  // and the curvatures 1 and 10 make one direction ten times steeper than the other.
  const c = Matrix.from([[3, -1]]);
  const a = Matrix.from([[1, 10]]);
  const loss = (W: Matrix) => 0.5 * a.hadamard(W.sub(c)).hadamard(W.sub(c)).sum();

  function run(optimizer: Optimizer, steps: number): Matrix {
    const W = new Param("W", Matrix.zeros(1, 2));
    for (let t = 0; t < steps; t++) {
      W.grad = a.hadamard(W.value.sub(c));
      optimizer.step([W]);
    }
    return W.value;
  }

  it("sgd, momentum, Nesterov and adagrad converge to the minimum", () => {
    // SGD with η = 0.1 multiplies each error by |1 − η·aᵢ| = 0.9 or 0 per step, so after 200
    // steps L ≤ 0.9⁴⁰⁰·L₀ ≈ 4e-18·9.5. Momentum (μ = 0.9) shrinks errors by about √μ ≈ 0.95 a
    // step once it oscillates; AdaGrad's first steps already land close. L₀ = 9.5.
    expect(loss(run(new SGD({ learningRate: 0.1 }), 200))).toBeLessThan(1e-12);
    expect(loss(run(new Momentum({ learningRate: 0.02, momentum: 0.9 }), 300))).toBeLessThan(1e-8);
    expect(loss(run(new Momentum({ learningRate: 0.02, momentum: 0.9, useNesterov: true }), 300))).toBeLessThan(1e-8);
    expect(loss(run(new AdaGrad({ learningRate: 1 }), 200))).toBeLessThan(1e-12);
  });

  it("rmsprop and adam converge too", () => {
    // RMSProp's steps are of order η while the gradient is large (g/√s ≈ ±1), so from 3 away
    // it needs about 3/η = 60 steps at η = 0.05; then s, the running mean of g², shrinks with
    // g and the steps shrink with it. Centered RMSProp gets there sooner; it is stopped at 100
    // steps because, as tfjs computes it, a gradient that stays exactly 0 makes s − ḡ² − ε < 0
    // (see "centered rmsprop with a zero gradient" below).
    expect(Math.max(...run(new RMSProp({ learningRate: 0.05 }), 150).sub(c).data.map(Math.abs))).toBeLessThan(1e-6);
    expect(Math.max(...run(new RMSProp({ learningRate: 0.05, centered: true }), 100).sub(c).data.map(Math.abs))).toBeLessThan(1e-3);
    // Adam's first steps are η·sign(g); as g shrinks so does m̂/√v̂, and it settles.
    expect(loss(run(new Adam({ learningRate: 0.1 }), 500))).toBeLessThan(1e-12);
  });
});

describe("the step replaces values and never writes into them", () => {
  it.each(cases.map((c) => [c.label, c.ours] as const))("%s", (_label, ours) => {
    const W = param("W", [[1, -2], [3, 4]], [[0.5, -1], [0.25, 2]]);
    const oldValue = W.value;
    const oldGrad = W.grad!;
    ours().step([W]);
    expect(W.value).not.toBe(oldValue);
    expect(Array.from(oldValue.data)).toEqual([1, -2, 3, 4]);
    expect(Array.from(oldGrad.data)).toEqual([0.5, -1, 0.25, 2]);
  });
});

describe("getOptimizer", () => {
  it("makes each optimizer by its Keras name, in any case, with tfjs's defaults", async () => {
    // The defaults Keras uses for a name: compile a tfjs model with it and read its config.
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
    const tfjsConfig = (name: string) => {
      model.compile({ optimizer: name, loss: "meanSquaredError" });
      return model.optimizer.getConfig();
    };
    const sgd = getOptimizer("sgd") as SGD;
    expect(sgd).toBeInstanceOf(SGD);
    expect(sgd.learningRate).toBeCloseTo(tfjsConfig("sgd").learningRate as number, 7);

    const adagrad = getOptimizer("Adagrad") as AdaGrad;
    expect(adagrad).toBeInstanceOf(AdaGrad);
    const ag = tfjsConfig("adagrad");
    expect([adagrad.learningRate, adagrad.initialAccumulatorValue]).toEqual([ag.learningRate, ag.initialAccumulatorValue]);

    const rmsprop = getOptimizer("RMSProp") as RMSProp;
    expect(rmsprop).toBeInstanceOf(RMSProp);
    const rp = tfjsConfig("rmsprop");
    expect([rmsprop.learningRate, rmsprop.decay, rmsprop.momentum, rmsprop.centered])
      .toEqual([rp.learningRate, rp.decay, rp.momentum, rp.centered]);
    expect(rmsprop.epsilon).toBeCloseTo(rp.epsilon as number, 12);

    const adam = getOptimizer("adam") as Adam;
    expect(adam).toBeInstanceOf(Adam);
    const ad = tfjsConfig("adam");
    expect([adam.learningRate, adam.beta1, adam.beta2]).toEqual([ad.learningRate, ad.beta1, ad.beta2]);
    expect(adam.epsilon).toBeCloseTo(ad.epsilon as number, 12);

    const momentum = getOptimizer("momentum") as Momentum;
    expect(momentum).toBeInstanceOf(Momentum);
    expect([momentum.learningRate, momentum.momentum, momentum.useNesterov]).toEqual([0.01, 0.9, false]);
    model.dispose();
  });

  it("returns an Optimizer it is given, and a new one for each name", () => {
    const adam = new Adam({ learningRate: 0.01 });
    expect(getOptimizer(adam)).toBe(adam);
    expect(getOptimizer("adam")).not.toBe(getOptimizer("adam"));
  });

  it("names the choices for an unknown name", () => {
    expect(() => getOptimizer("adamw")).toThrow(ValueError);
    expect(() => getOptimizer("adamw")).toThrow(
      'getOptimizer: unknown optimizer "adamw". Expected one of: sgd, momentum, adagrad, rmsprop, adam. ' +
        "For other settings, make one yourself, e.g. new Adam({ learningRate: 0.01 }).",
    );
    // The one lookUp of the library: names every object has are not optimizers.
    for (const name of ["toString", "constructor", "__proto__", "hasOwnProperty"]) {
      expect(() => getOptimizer(name)).toThrow(`getOptimizer: unknown optimizer "${name}". Expected one of:`);
    }
    expect(() => getOptimizer(42 as unknown as Optimizer)).toThrow(
      /getOptimizer: expected an optimizer name or an object with a step\(params\) method, got number\. Try "sgd"/,
    );
  });
});

describe("bad hyperparameters", () => {
  it("learningRate must be a finite number > 0", () => {
    expect(() => new SGD({ learningRate: -0.1 })).toThrow(ValueError);
    expect(() => new SGD({ learningRate: -0.1 })).toThrow(
      /SGD: expected learningRate \(η\) to be a number in \(0, ∞\), got -0\.1\. η is the size of each step/,
    );
    expect(() => new Adam({ learningRate: NaN })).toThrow(/Adam: expected learningRate \(η\) .* got NaN\./);
    expect(() => new RMSProp({ learningRate: 0 })).toThrow(/RMSProp: expected learningRate \(η\) .* got 0\./);
  });

  it("β, ρ and μ must lie in [0, 1)", () => {
    expect(() => new Adam({ beta1: 1 })).toThrow(
      /Adam: expected beta1 \(β₁\) to be a number in \[0, 1\), got 1\. β₁ is the fraction of the running mean of g/,
    );
    expect(() => new Adam({ beta2: -0.5 })).toThrow(/Adam: expected beta2 \(β₂\) to be a number in \[0, 1\), got -0\.5\. .*0\.999 is usual/);
    expect(() => new Adam({ beta1: NaN })).toThrow(/Adam: expected beta1 \(β₁\) .* got NaN\./);
    expect(() => new Momentum({ momentum: 1.2 })).toThrow(/Momentum: expected momentum \(μ\) to be a number in \[0, 1\), got 1\.2\. .*0 is plain SGD/);
    expect(() => new RMSProp({ decay: 1 })).toThrow(/RMSProp: expected decay \(ρ\) to be a number in \[0, 1\), got 1\. ρ is the fraction/);
    expect(() => new RMSProp({ momentum: -0.1 })).toThrow(/RMSProp: expected momentum \(μ\) .* got -0\.1\. .*0 turns momentum off/);
  });

  it("ε and G₀ must be finite and ≥ 0, and not both 0", () => {
    expect(() => new Adam({ epsilon: -1e-8 })).toThrow(/Adam: expected epsilon \(ε\) to be a number in \[0, ∞\), got -1e-8\. ε only keeps/);
    expect(() => new RMSProp({ epsilon: Infinity })).toThrow(/RMSProp: expected epsilon \(ε\) .* got Infinity\./);
    expect(() => new AdaGrad({ initialAccumulatorValue: -1 })).toThrow(
      /AdaGrad: expected initialAccumulatorValue \(G₀\) to be a number in \[0, ∞\), got -1\. G₀ is where the sum/,
    );
    expect(() => new AdaGrad({ initialAccumulatorValue: 0, epsilon: 0 })).toThrow(
      /AdaGrad: expected initialAccumulatorValue \+ epsilon > 0, got 0 \+ 0\. A zero gradient would then divide 0 by √0/,
    );
  });

  it("a misspelt option is named, not ignored", () => {
    expect(() => new Adam({ lr: 0.1 } as never)).toThrow(
      /Adam: expected options named learningRate, beta1, beta2, epsilon, got an option "lr"\. .*learningRate rather than lr/,
    );
    expect(() => new RMSProp({ rho: 0.9 } as never)).toThrow(/RMSProp: expected options named .*decay.*, got an option "rho"/);
  });
});

describe("bad parameters and gradients", () => {
  it("a Param without a gradient", () => {
    const W = new Param("W", Matrix.from([[1, 2]]));
    expect(() => new SGD().step([W])).toThrow(ValueError);
    expect(() => new SGD().step([W])).toThrow(
      /SGD\.step: expected dW \(params\[0\]\.grad\) to be a gradient, got null\. Run backward\(\) before step\(\)/,
    );
  });

  it("a gradient whose shape is not the value's", () => {
    const b = param("b", [[1, 2, 3]], [[1], [2], [3]]);
    expect(() => new Adam().step([b])).toThrow(ShapeError);
    expect(() => new Adam().step([b])).toThrow(
      /Adam\.step: expected db \(params\[0\]\.grad\) to have shape \[1, 3\], got \[3, 1\]\. The gradient ∂L\/∂b has one entry per entry of b/,
    );
  });

  it("NaN or Infinity in a gradient", () => {
    const W = param("W", [[1, 2], [3, 4]], [[0, 0], [NaN, 0]]);
    expect(() => new Momentum().step([W])).toThrow(
      /Momentum\.step: expected dW \(params\[0\]\.grad\) to hold finite numbers, got NaN at row 1, column 0\. .*smaller learningRate/,
    );
    W.grad = Matrix.from([[0, -Infinity], [0, 0]]);
    expect(() => new RMSProp().step([W])).toThrow(/RMSProp\.step: .* got -Infinity at row 0, column 1\./);
  });

  it("something that is not a Param, or the same Param twice", () => {
    const W = param("W", [[1]], [[1]]);
    expect(() => new SGD().step([W, undefined as unknown as Param])).toThrow(
      /SGD\.step: expected params\[1\] to be a Param \(with value and grad\), got undefined\. .*layer\.params\(\)/,
    );
    expect(() => new SGD().step([W, W])).toThrow(
      /SGD\.step: expected each Param once, got params\[1\] \(W\) a second time\. Listed twice, it would be moved twice/,
    );
  });

  it("a failed step changes nothing, not even the params before the bad one", () => {
    const W = param("W", [[1, 2]], [[0.1, 0.1]]);
    const b = param("b", [[3]], [[NaN]]);
    const before = W.value;
    for (const optimizer of cases.map((c) => c.ours())) {
      expect(() => optimizer.step([W, b])).toThrow(ValueError);
      expect(W.value).toBe(before);
    }
  });

  it("a parameter that changed shape between steps", () => {
    const W = param("W", [[1, 2]], [[0.1, 0.1]]);
    const optimizer = new Adam();
    optimizer.step([W]);
    W.value = Matrix.from([[1], [2]]);
    W.grad = Matrix.from([[0.1], [0.1]]);
    expect(() => optimizer.step([W])).toThrow(
      /Adam\.step: expected W to keep its shape \[1, 2\] between steps \(the optimizer's m has that shape\), got \[2, 1\]\. Use a new optimizer/,
    );
  });

  it("centered rmsprop with a zero gradient: tfjs turns W into NaN, we throw and say why", () => {
    // One step with g = 0:  s = 0, ḡ = 0, so tfjs takes √(0 − 0 − 1e-7) = NaN.
    const Wt = variable(Matrix.from([[1, 2]]));
    const theirs = tf.train.rmsprop(0.01, 0.9, 0, undefined, true);
    tf.tidy(() => theirs.applyGradients({ [Wt.name]: tf.tensor2d([[1, 0]]) }));
    expect(Number.isNaN(Wt.dataSync()[1])).toBe(true);
    Wt.dispose();
    theirs.dispose();

    const W = param("W", [[1, 2]], [[1, 0]]);
    const optimizer = new RMSProp({ learningRate: 0.01, centered: true });
    expect(() => optimizer.step([W])).toThrow(
      /RMSProp\.step: expected s − ḡ² − ε > 0 for W \(params\[0\]\) in centered RMSProp, got -1e-7 at row 0, column 1\. .*Use centered: false\./,
    );
    expect(Array.from(W.value.data)).toEqual([1, 2]);
    // It checks every parameter before moving any: V, listed first, keeps its value too.
    const V = param("V", [[5]], [[1]]);
    expect(() => optimizer.step([V, W])).toThrow(/for W \(params\[1\]\)/);
    expect(Array.from(V.value.data)).toEqual([5]);
    // The same gradient is fine without centering: the first step is η·√10 for g = 1, 0 for g = 0.
    new RMSProp({ learningRate: 0.01 }).step([W]);
    expectHand(W.value, [1 - 0.01 / Math.sqrt(0.1 + 1e-7), 2]);
  });
});
