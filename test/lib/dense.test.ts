import type { Scalar, Tensor, Variable } from "@tensorflow/tfjs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Dense } from "../../lib/src/dense";
import { ShapeError, ValueError } from "../../lib/src/errors";
import { numericGradient, relativeError } from "../../lib/src/gradcheck";
import {
  binaryCrossentropy,
  categoricalCrossentropy,
  halfMeanSquaredError,
  type Loss,
  meanSquaredError,
} from "../../lib/src/losses";
import { Matrix } from "../../lib/src/matrix";
import { Random } from "../../lib/src/random";
import { expectClose, FLOAT32, fromTensor, getTf, toTensor, reportComparisons } from "../helpers/compare";

// Hand-worked values are exact up to float64 rounding of a few operations, so 1e-12.
const EXACT = { rtol: 1e-12, atol: 1e-12 };

reportComparisons("dense");

type Act = "linear" | "relu" | "sigmoid" | "tanh" | "softmax";
type TfLoss = (y: Tensor, yhat: Tensor) => Tensor;

type Tf = Awaited<ReturnType<typeof getTf>>;

/**
 * The loss each activation is tested under, ours and the same one in tfjs, and the kind of
 * targets Y it takes: regression targets, 0/1 labels, or one-hot rows.
 */
type Targets = "real" | "binary" | "oneHot";
const downstream: Record<Act, { loss: Loss; targets: Targets; tfjs: (tf: Tf) => TfLoss }> = {
  linear: { loss: meanSquaredError, targets: "real", tfjs: (tf) => tf.metrics.meanSquaredError },
  // The course's ½·MSE is tfjs's MSE times ½.
  relu: {
    loss: halfMeanSquaredError, targets: "real",
    tfjs: (tf) => (y, p) => tf.mul(0.5, tf.metrics.meanSquaredError(y, p)),
  },
  tanh: { loss: meanSquaredError, targets: "real", tfjs: (tf) => tf.metrics.meanSquaredError },
  sigmoid: { loss: binaryCrossentropy, targets: "binary", tfjs: (tf) => tf.metrics.binaryCrossentropy },
  softmax: {
    loss: categoricalCrossentropy, targets: "oneHot", tfjs: (tf) => tf.metrics.categoricalCrossentropy,
  },
};

/** Our Dense: A = g(X·W + b), then dA = ∂L/∂A from the loss, then backward. */
function ours(act: Act, X: Matrix, W: Matrix, b: Matrix, Y: Matrix) {
  const layer = new Dense({ units: W.cols, activation: act, weights: { W, b } });
  const A = layer.forward(X);
  const dX = layer.backward(downstream[act].loss.grad(Y, A));
  return { A, dW: layer.W!.grad!, db: layer.b!.grad!, dX };
}

/** tf.layers.dense with the same kernel (our W) and bias; gradients from tf.variableGrads and tf.grad. */
async function theirs(act: Act, X: Matrix, W: Matrix, b: Matrix, Y: Matrix) {
  const tf = await getTf();
  const [x, y] = [await toTensor(X), await toTensor(Y)];
  const layer = tf.layers.dense({ units: W.cols, activation: act });
  layer.apply(x); // builds the kernel and bias for x's columns
  layer.setWeights([await toTensor(W), tf.tensor1d(Array.from(b.data), "float32")]);
  const lossFn = downstream[act].tfjs(tf);
  const f = (xx: Tensor) => tf.mean(lossFn(y, layer.apply(xx) as Tensor)) as Scalar;
  const [kernel, bias] = layer.trainableWeights.map((w) => w.read() as Variable);
  const { value, grads } = tf.variableGrads(() => f(x), [kernel, bias]);
  const A = layer.apply(x) as Tensor, dX = tf.grad(f)(x);
  const result = {
    A: fromTensor(A),
    dW: fromTensor(grads[kernel.name]),
    db: fromTensor(grads[bias.name]),
    dX: fromTensor(dX),
  };
  tf.dispose([x, y, value, A, dX, ...Object.values(grads)]);
  layer.dispose();
  return result;
}

describe("Dense: hand-worked", () => {
  // X = [[1, 2], [0, −1]], W = [[1, 0, −1], [0.5, 1, 2]], b = [0, 1, 0]
  // Z row 0 = [1 + 1 + 0, 0 + 2 + 1, −1 + 4 + 0] = [2, 3, 3]
  // Z row 1 = [0 − 0.5 + 0, 0 − 1 + 1, 0 − 2 + 0] = [−0.5, 0, −2]
  const X = Matrix.from([[1, 2], [0, -1]]);
  const W = Matrix.from([[1, 0, -1], [0.5, 1, 2]]);
  const b = Matrix.row([0, 1, 0]);

  it("relu forward and backward with dA = 1", () => {
    const layer = new Dense({ units: 3, activation: "relu", weights: { W, b } });
    // A = ReLU(Z) = [[2, 3, 3], [0, 0, 0]] (ReLU′(0) = 0, so row 1 passes nothing back).
    expectClose(layer.forward(X), [2, 3, 3, 0, 0, 0], EXACT, "A");
    // dZ = dA ⊙ ReLU′(Z) = [[1, 1, 1], [0, 0, 0]]
    // dW = Xᵀ·dZ = [[1·1 + 0·0, …], [2·1 + (−1)·0, …]] = [[1, 1, 1], [2, 2, 2]],  db = [1, 1, 1]
    // dX = dZ·Wᵀ: row 0 = [1 + 0 − 1, 0.5 + 1 + 2] = [0, 3.5], row 1 = [0, 0]
    const dX = layer.backward(Matrix.full(2, 3, 1));
    expectClose(layer.W!.grad!, [1, 1, 1, 2, 2, 2], EXACT, "dW");
    expectClose(layer.b!.grad!, [1, 1, 1], EXACT, "db");
    expectClose(dX, [0, 3.5, 0, 0], EXACT, "dX");
  });

  it("the same numbers in tf.layers.dense", async () => {
    const tf = await getTf();
    const layer = tf.layers.dense({ units: 3, activation: "relu" });
    const x = await toTensor(X);
    layer.apply(x);
    layer.setWeights([await toTensor(W), tf.tensor1d([0, 1, 0])]);
    // Small integers and halves are exact in float32 too.
    expectClose(fromTensor(layer.apply(x) as Tensor), [2, 3, 3, 0, 0, 0], EXACT, "tfjs A");
  });

  it("softmax + categoricalCrossentropy: dZ = Ŷ − Y", () => {
    // X = [[1]], W = [[0, ln 2, ln 3]], b = 0: Z = [0, ln 2, ln 3], Ŷ = [1/6, 1/3, 1/2]; Y = [0, 0, 1].
    // dZ = (Ŷ − Y)/m = [1/6, 1/3, −1/2];  dW = Xᵀ·dZ = dZ;  db = dZ;
    // dX = dZ·Wᵀ = 1/3·ln 2 − 1/2·ln 3 = 0.23105 − 0.54931 = −0.31826.
    const weights = { W: Matrix.row([0, Math.log(2), Math.log(3)]) };
    const layer = new Dense({ units: 3, activation: "softmax", weights });
    const Yhat = layer.forward(Matrix.row([1]));
    expectClose(Yhat, [1 / 6, 1 / 3, 1 / 2], EXACT, "Ŷ");
    const dX = layer.backward(categoricalCrossentropy.grad(Matrix.row([0, 0, 1]), Yhat));
    expectClose(layer.W!.grad!, [1 / 6, 1 / 3, -1 / 2], EXACT, "dW");
    expectClose(layer.b!.grad!, [1 / 6, 1 / 3, -1 / 2], EXACT, "db");
    expectClose(dX, [Math.log(2) / 3 - Math.log(3) / 2], EXACT, "dX");
  });

  it("does not change X or dA", () => {
    const layer = new Dense({ units: 3, activation: "softmax", weights: { W, b } });
    const dA = Matrix.from([[1, -2, 3], [0.5, 0, 1]]);
    const before = [X, W, b, dA].map((M) => Array.from(M.data));
    layer.forward(X);
    layer.backward(dA);
    expect([X, W, b, dA].map((M) => Array.from(M.data))).toEqual(before);
  });
});

describe("Dense(softmax) + categoricalCrossentropy", () => {
  it("backward gives dZ = (Ŷ − Y)/m for any batch", () => {
    // With X = I (m×m), dW = Xᵀ·dZ = dZ, so W's gradient shows dZ itself.
    const arb = fc
      .tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 2, max: 6 }))
      .chain(([m, k]) => fc.tuple(
        fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: m * k, maxLength: m * k }),
        fc.array(fc.integer({ min: 0, max: k - 1 }), { minLength: m, maxLength: m }),
        fc.constant([m, k] as const),
      ));
    fc.assert(
      fc.property(arb, ([w, labels, [m, k]]) => {
        const layer = new Dense({ units: k, activation: "softmax", weights: { W: new Matrix(m, k, w) } });
        const Y = new Matrix(m, k).map((_, i, j) => (j === labels[i] ? 1 : 0));
        const identity = new Matrix(m, m).map((_, i, j) => (i === j ? 1 : 0));
        const Yhat = layer.forward(identity);
        layer.backward(categoricalCrossentropy.grad(Y, Yhat));
        // Both sides are float64; the loss route divides by Ŷ ≥ e⁻⁴/6 ≈ 3e-3 and multiplies back,
        // so rounding stays below ~1e-13.
        const tol = { rtol: 1e-10, atol: 1e-12 };
        expectClose(layer.W!.grad!, Yhat.sub(Y).scale(1 / m), tol, "dZ");
        expectClose(layer.b!.grad!, Yhat.sub(Y).scale(1 / m).sumRows(), tol, "db");
      }),
      { numRuns: 50 },
    );
  });
});

describe("Dense vs tf.layers.dense (same kernel and bias via setWeights)", () => {
  // Float32 inputs in [−0.5, 0.5] so that tfjs sees exactly our numbers, |Z| ≤ 2, and the
  // sigmoid's 1 − A keeps enough float32 digits for binaryCrossentropy's gradient.
  const value = fc.float({ min: Math.fround(-0.5), max: Math.fround(0.5), noNaN: true });
  const matrixArb = (rows: number, cols: number, v: fc.Arbitrary<number>) =>
    fc.array(v, { minLength: rows * cols, maxLength: rows * cols }).map((d) => new Matrix(rows, cols, d));
  const targets = (kind: Targets, m: number, k: number) =>
    kind === "real"
      ? matrixArb(m, k, value)
      : kind === "binary"
        ? matrixArb(m, k, fc.constantFrom(0, 1))
        : fc.array(fc.integer({ min: 0, max: k - 1 }), { minLength: m, maxLength: m })
          .map((c) => new Matrix(m, k).map((_, i, j) => (j === c[i] ? 1 : 0)));

  const cases = fc
    .tuple(
      fc.constantFrom<Act>("linear", "relu", "sigmoid", "tanh", "softmax"),
      fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }),
    )
    .chain(([act, m, nIn, units]) => fc.tuple(
      fc.constant(act), matrixArb(m, nIn, value), matrixArb(nIn, units, value), matrixArb(1, units, value),
      targets(downstream[act].targets, m, units),
    ));

  it("forward A and backward dW, db, dX agree for linear, relu, sigmoid, tanh and softmax", async () => {
    await fc.assert(
      fc.asyncProperty(cases, async ([act, X, W, b, Y]) => {
        if (act === "relu") {
          // ReLU′ jumps at 0: a Z within float32 rounding of 0 could fall on the other side in tfjs.
          fc.pre(X.matmul(W).addRow(b).data.every((z) => Math.abs(z) > 1e-4));
        }
        const [a, e] = [ours(act, X, W, b, Y), await theirs(act, X, W, b, Y)];
        // FLOAT32: every quantity is a short sum (≤ 6 terms) of products of numbers ≤ 1 in size,
        // so float32 rounding stays near 1e-7 absolute, inside atol 1e-6 + rtol 1e-5.
        for (const key of ["A", "dW", "db", "dX"] as const) {
          expectClose(a[key], e[key], FLOAT32, `${act} ${key}`);
        }
      }),
      { numRuns: 50 },
    );
  });
});

describe("Dense: float64 central differences of L(Dense(X)) in W, b and X", () => {
  const rng = new Random(11);
  const acts: Act[] = ["linear", "relu", "sigmoid", "tanh", "softmax"];
  it.each(acts)("%s", (act) => {
    const [m, nIn, units] = [4, 3, 3];
    const X = rng.normalMatrix(m, nIn);
    const W = rng.normalMatrix(nIn, units, 0, 0.7), b = rng.normalMatrix(1, units, 0, 0.3);
    const Y = act === "softmax"
      ? new Matrix(m, units).map((_, i, j) => (j === i % units ? 1 : 0))
      : act === "sigmoid" ? rng.uniformMatrix(m, units).map(Math.round) : rng.normalMatrix(m, units);
    // A central difference across ReLU's kink would be meaningless; this seed keeps |Z| well away from 0.
    expect(Math.min(...X.matmul(W).addRow(b).data.map(Math.abs))).toBeGreaterThan(1e-3);
    const L = (X_: Matrix, W_: Matrix, b_: Matrix) => {
      const layer = new Dense({ units, activation: act, weights: { W: W_, b: b_ } });
      return downstream[act].loss.loss(Y, layer.forward(X_));
    };
    const { dW, db, dX } = ours(act, X, W, b, Y);
    // h = 1e-5 central differences are accurate to ~1e-10 here; 1e-6 leaves a wide margin.
    expect(relativeError(dW, numericGradient((W_) => L(X, W_, b), W))).toBeLessThan(1e-6);
    expect(relativeError(db, numericGradient((b_) => L(X, W, b_), b))).toBeLessThan(1e-6);
    expect(relativeError(dX, numericGradient((X_) => L(X_, W, b), X))).toBeLessThan(1e-6);
  });
});

describe("Dense: errors", () => {
  const make = () => new Dense({ units: 2, inputDim: 3, activation: "softmax", name: "hidden" });

  it("backward before forward", () => {
    expect(() => make().backward(Matrix.zeros(4, 2))).toThrow(
      "hidden.backward: call forward() first; backward needs the X and Z it keeps.",
    );
  });

  it("X with the wrong number of columns", () => {
    expect(() => make().forward(Matrix.zeros(4, 2))).toThrow(ShapeError);
    expect(() => make().forward(Matrix.zeros(4, 2))).toThrow(
      "hidden.forward: expected X to have shape [m, 3], got [4, 2]. " +
        "Each row of X is one example, so X needs 3 columns (inputDim).",
    );
  });

  it("dA of the wrong shape, or not finite", () => {
    const layer = make();
    layer.forward(Matrix.zeros(4, 3));
    expect(() => layer.backward(Matrix.zeros(4, 3))).toThrow(ShapeError);
    expect(() => layer.backward(Matrix.zeros(4, 3))).toThrow(
      "hidden.backward: expected dA to have shape [4, 2], got [4, 3]. " +
        "dA = ∂L/∂A has the shape of the layer's output A.",
    );
    expect(() => layer.backward(Matrix.from([[0, 0], [0, 0], [0, NaN], [0, 0]]))).toThrow(
      "hidden.backward: expected dA to hold finite numbers, got NaN at row 2, column 1.",
    );
  });

  it("NaN in X", () => {
    const X = Matrix.from([[0, 0, 0], [1, 2, NaN]]);
    expect(() => make().forward(X)).toThrow(ValueError);
    expect(() => make().forward(X)).toThrow(
      "hidden.forward: expected X to hold finite numbers, got NaN at row 1, column 2.",
    );
  });

  it("an unknown activation lists the known ones, softmax among them", () => {
    expect(() => new Dense({ units: 2, activation: "softmx" as never })).toThrow(
      'getActivation: unknown activation "softmx". ' +
        "Expected one of: linear, step, sigmoid, tanh, relu, softmax.",
    );
  });

  it("a loss given the layer's output with the wrong labels says so", () => {
    const Yhat = make().forward(Matrix.zeros(2, 3));
    expect(() => categoricalCrossentropy.grad(Matrix.zeros(2, 3), Yhat)).toThrow(
      "categoricalCrossentropy.grad: expected Y to have shape [2, 2], got [2, 3].",
    );
  });
});
