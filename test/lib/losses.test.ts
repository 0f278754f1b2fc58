import type { LayersModel, SymbolicTensor, Tensor } from "@tensorflow/tfjs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ShapeError, ValueError } from "../../lib/src/errors";
import { numericGradient, relativeError } from "../../lib/src/gradcheck";
import {
  binaryCrossentropy,
  CategoricalCrossentropy,
  categoricalCrossentropy,
  getLoss,
  halfMeanSquaredError,
  type Loss,
  meanSquaredError,
  SparseCategoricalCrossentropy,
  sparseCategoricalCrossentropy,
} from "../../lib/src/losses";
import { Matrix } from "../../lib/src/matrix";
import { Random } from "../../lib/src/random";
import { expectClose, FLOAT32, fromTensor, getTf, toTensor, reportComparisons } from "../helpers/compare";

// Hand-worked values are exact up to float64 rounding of a few operations, so 1e-12.
const EXACT = { rtol: 1e-12, atol: 1e-12 };
const ln = Math.log;

reportComparisons("losses");

type LossFn = LayersModel["lossFunctions"][number];

/**
 * The loss function tfjs-layers itself uses for `model.compile({ loss: name })`, taken from a
 * compiled one-layer model (sparseCategoricalCrossentropy is not exported any other way).
 */
async function kerasLoss(name: string): Promise<LossFn> {
  const tf = await getTf();
  const input = tf.input({ shape: [1] });
  const output = tf.layers.activation({ activation: "linear" }).apply(input) as SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: output });
  model.compile({ loss: name, optimizer: "sgd" });
  return model.lossFunctions[0];
}

/** L = mean over the batch of a tfjs per-example loss, as model.fit reports it, and tf.grad of it. */
async function tfjsLossAndGrad(perExample: (y: Tensor, yhat: Tensor) => Tensor, Y: Matrix, Yhat: Matrix) {
  const tf = await getTf();
  const [y, yhat] = [await toTensor(Y), await toTensor(Yhat)];
  const f = (p: Tensor) => tf.mean(perExample(y, p));
  const L = f(yhat), dYhat = tf.grad(f)(yhat);
  const result = { L: L.dataSync()[0], dYhat: fromTensor(dYhat) };
  tf.dispose([y, yhat, L, dYhat]);
  return result;
}

type Reference = { L: number; dYhat: Matrix };

function expectMatchesTfjs(loss: Loss, Y: Matrix, Yhat: Matrix, ref: Reference, scale = 1) {
  // FLOAT32: tfjs rounds every step to float32 (≈6e-8 relative); inputs stay away from the
  // clip edges and from tiny 1 − p, where float32 loses more (tested separately below).
  expectClose(loss.loss(Y, Yhat), ref.L * scale, FLOAT32, `${loss.name} L`);
  expectClose(loss.grad(Y, Yhat), ref.dYhat.scale(scale), FLOAT32, `${loss.name} dŶ`);
}

// ---- generators: float32 numbers, so that tfjs sees exactly our inputs ----
const float32In = (lo: number, hi: number) =>
  fc.float({ min: Math.fround(lo), max: Math.fround(hi), noNaN: true });
const matrixArb = (rows: number, cols: number, value: fc.Arbitrary<number>) =>
  fc.array(value, { minLength: rows * cols, maxLength: rows * cols }).map((v) => new Matrix(rows, cols, v));
const dims = fc.tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }));
const labelsArb = (m: number, k: number) =>
  fc.array(fc.integer({ min: 0, max: k - 1 }), { minLength: m, maxLength: m }).map((c) => Matrix.column(c));
const oneHot = (labels: Matrix, k: number) =>
  new Matrix(labels.rows, k).map((_, i, j) => (j === labels.data[i] ? 1 : 0));

describe("losses: hand-worked", () => {
  it("meanSquaredError and halfMeanSquaredError", () => {
    // Y = [1, 2], Ŷ = [1.5, 1]: errors Ŷ − Y = [0.5, −1], squares [0.25, 1], Σ = 1.25, n = 2.
    // MSE = 1.25 / 2 = 0.625,  dŶ = 2·[0.5, −1]/2 = [0.5, −1].
    // half: 0.3125,            dŶ = [0.5, −1]/2 = [0.25, −0.5].
    const Y = Matrix.column([1, 2]), Yhat = Matrix.column([1.5, 1]);
    expectClose(meanSquaredError.loss(Y, Yhat), 0.625, EXACT);
    expectClose(meanSquaredError.grad(Y, Yhat), [0.5, -1], EXACT);
    expectClose(halfMeanSquaredError.loss(Y, Yhat), 0.3125, EXACT);
    expectClose(halfMeanSquaredError.grad(Y, Yhat), [0.25, -0.5], EXACT);
  });

  it("binaryCrossentropy", () => {
    // Y = [1, 0], Ŷ = [0.8, 0.4]: L = (−ln 0.8 − ln 0.6)/2 = (0.22314 + 0.51083)/2 = 0.36698.
    // dŶ = (p − y)/(p(1 − p))/n: (−0.2)/(0.16)/2 = −0.625,  0.4/0.24/2 = 5/6.
    const Y = Matrix.column([1, 0]), Yhat = Matrix.column([0.8, 0.4]);
    expectClose(binaryCrossentropy.loss(Y, Yhat), (-ln(0.8) - ln(0.6)) / 2, EXACT);
    expect(binaryCrossentropy.loss(Y, Yhat)).toBeCloseTo(0.36698, 5);
    expectClose(binaryCrossentropy.grad(Y, Yhat), [-0.625, 5 / 6], EXACT);
    // A soft label y = 0.25 at p = 0.5: L = −(0.25·ln 0.5 + 0.75·ln 0.5) = ln 2, dŶ = 0.25/0.25 = 1.
    expectClose(binaryCrossentropy.loss(Matrix.row([0.25]), Matrix.row([0.5])), ln(2), EXACT);
    expectClose(binaryCrossentropy.grad(Matrix.row([0.25]), Matrix.row([0.5])), [1], EXACT);
  });

  it("categoricalCrossentropy, including the row normalisation", () => {
    // Y = one-hot [1], [2]; Ŷ = [0.2, 0.5, 0.3], [0.1, 0.1, 0.8] (rows sum to 1, s = 1).
    // L = (−ln 0.5 − ln 0.8)/2 = (0.69315 + 0.22314)/2 = 0.45815.
    // G = −Y/Ŷ: [0, −2, 0] and [0, 0, −1.25]; Σ G·Ŷ = −1 in both rows, so
    // dŶ = (G + 1)/(s·m) = [0.5, −0.5, 0.5] and [0.5, 0.5, −0.125].
    const Y = Matrix.from([[0, 1, 0], [0, 0, 1]]);
    const Yhat = Matrix.from([[0.2, 0.5, 0.3], [0.1, 0.1, 0.8]]);
    expectClose(categoricalCrossentropy.loss(Y, Yhat), (ln(2) - ln(0.8)) / 2, EXACT);
    expectClose(categoricalCrossentropy.grad(Y, Yhat), [0.5, -0.5, 0.5, 0.5, 0.5, -0.125], EXACT);
    // Unnormalised Ŷ = [1, 3], Y = [0, 1]: s = 4, Q = [0.25, 0.75], L = −ln 0.75 = 0.28768.
    // G = [0, −4/3], Σ G·Q = −1, dŶ = (G + 1)/4 = [1/4, −1/12].
    const [Y1, Yhat1] = [Matrix.row([0, 1]), Matrix.row([1, 3])];
    expectClose(categoricalCrossentropy.loss(Y1, Yhat1), -ln(0.75), EXACT);
    expectClose(categoricalCrossentropy.grad(Y1, Yhat1), [1 / 4, -1 / 12], EXACT);
  });

  it("sparseCategoricalCrossentropy equals categorical with the one-hot labels", () => {
    // Labels [1, 2] are the one-hot rows above; no clip is active, so the same 0.45815 and dŶ.
    const Yhat = Matrix.from([[0.2, 0.5, 0.3], [0.1, 0.1, 0.8]]);
    const labels = Matrix.column([1, 2]);
    expectClose(sparseCategoricalCrossentropy.loss(labels, Yhat), (ln(2) - ln(0.8)) / 2, EXACT);
    expectClose(sparseCategoricalCrossentropy.grad(labels, Yhat), [0.5, -0.5, 0.5, 0.5, 0.5, -0.125], EXACT);
  });

  it("fromLogits: log-sum-exp, with no cap for confident mistakes", () => {
    // Z = [0, ln 2, ln 3], class 2: logSumExp = ln 6, L = ln 6 − ln 3 = ln 2,
    // dZ = softmax(Z) − Y = [1/6, 1/3, 1/2] − [0, 0, 1] = [1/6, 1/3, −1/2].
    const Z = Matrix.row([0, ln(2), ln(3)]);
    const cce = new CategoricalCrossentropy({ fromLogits: true });
    const scce = new SparseCategoricalCrossentropy({ fromLogits: true });
    expectClose(cce.loss(Matrix.row([0, 0, 1]), Z), ln(2), EXACT);
    expectClose(cce.grad(Matrix.row([0, 0, 1]), Z), [1 / 6, 1 / 3, -1 / 2], EXACT);
    expectClose(scce.loss(Matrix.row([2]), Z), ln(2), EXACT);
    expectClose(scce.grad(Matrix.row([2]), Z), [1 / 6, 1 / 3, -1 / 2], EXACT);
    // Z = [1000, 0], class 1: L = logSumExp − 0 = 1000 + ln(1 + e^−1000) = 1000 in float64,
    // dZ = [1, e^−1000] − [0, 1] = [1, −1]. Clipped probabilities would cap L at −ln 1e-7 ≈ 16.1.
    expectClose(cce.loss(Matrix.row([0, 1]), Matrix.row([1000, 0])), 1000, EXACT);
    expectClose(cce.grad(Matrix.row([0, 1]), Matrix.row([1000, 0])), [1, -1], EXACT);
  });

  it("fromLogits: tf.losses.softmaxCrossEntropy agrees; tfjs-layers' clip would cap L", async () => {
    const tf = await getTf();
    // Z = [1000, 0], class 1 (from above): our L = 1000. softmax(Z) = [1, e^−1000] rounds to [1, 0]
    // in float32; tfjs-layers clips 0 up to ε, so its categoricalCrossentropy reports −ln ε = 16.118.
    const Y = Matrix.row([0, 1]), Z = Matrix.row([1000, 0]);
    const cce = new CategoricalCrossentropy({ fromLogits: true });
    const sce = await tfjsLossAndGrad((y, z) => tf.losses.softmaxCrossEntropy(y, z), Y, Z);
    expectMatchesTfjs(cce, Y, Z, sce);
    const layersCce = (y: Tensor, z: Tensor) => tf.metrics.categoricalCrossentropy(y, tf.softmax(z));
    const clipped = await tfjsLossAndGrad(layersCce, Y, Z);
    // FLOAT32: −ln of the float32 ε, 1e-8 relative from −ln 1e-7.
    expectClose(clipped.L, -ln(1e-7), FLOAT32, "tfjs-layers on softmax(Z)");
  });

  it("getLoss finds each loss by its Keras name and passes a Loss through", () => {
    expect(getLoss("meanSquaredError")).toBe(meanSquaredError);
    expect(getLoss("halfMeanSquaredError")).toBe(halfMeanSquaredError);
    expect(getLoss("binaryCrossentropy")).toBe(binaryCrossentropy);
    expect(getLoss("categoricalCrossentropy")).toBe(categoricalCrossentropy);
    expect(getLoss("sparseCategoricalCrossentropy")).toBe(sparseCategoricalCrossentropy);
    const custom = new CategoricalCrossentropy({ fromLogits: true });
    expect(getLoss(custom)).toBe(custom);
    for (const name of ["meanSquaredError", "binaryCrossentropy", "categoricalCrossentropy"] as const) {
      expect(getLoss(name).name).toBe(name);
    }
  });

  it("does not change Y or Ŷ", () => {
    const Y = Matrix.from([[0, 1], [1, 0]]), Yhat = Matrix.from([[0.3, 0.7], [1, 0]]);
    const labels = Matrix.column([1, 0]), Z = Matrix.from([[3, -2], [0, 5]]);
    const before = [Y, Yhat, labels, Z].map((M) => Array.from(M.data));
    const sameShape = [meanSquaredError, halfMeanSquaredError, binaryCrossentropy, categoricalCrossentropy];
    for (const loss of sameShape) {
      loss.loss(Y, Yhat);
      loss.grad(Y, Yhat);
    }
    sparseCategoricalCrossentropy.grad(labels, Yhat);
    new CategoricalCrossentropy({ fromLogits: true }).grad(Y, Z);
    new SparseCategoricalCrossentropy({ fromLogits: true }).grad(labels, Z);
    expect([Y, Yhat, labels, Z].map((M) => Array.from(M.data))).toEqual(before);
  });
});

describe("losses: clipping to [ε, 1 − ε], as tfjs does", () => {
  it("binaryCrossentropy: clipped predictions give −ln ε and a zero gradient", async () => {
    const tf = await getTf();
    const bce = (y: Tensor, p: Tensor) => tf.metrics.binaryCrossentropy(y, p);
    // y = 1 at p = 0 and at p = 1e-9: P = ε = 1e-7, L = −ln 1e-7 = 16.11810.
    // y = 1 at p = 1: P = 1 − ε, L = −ln(1 − 1e-7) ≈ 1e-7. Each p lies outside [ε, 1 − ε],
    // where the clip is flat, so the gradient is 0.
    for (const [y, p, L] of [[1, 0, -ln(1e-7)], [1, 1e-9, -ln(1e-7)], [1, 1, 1e-7]]) {
      const Y = Matrix.row([y]), P = Matrix.row([p]);
      expectClose(binaryCrossentropy.loss(Y, P), L, { rtol: 1e-9, atol: 1e-12 }, `L(${y}, ${p})`);
      expectClose(binaryCrossentropy.grad(Y, P), [0], EXACT, `dŶ(${y}, ${p})`);
      const ref = await tfjsLossAndGrad(bce, Y, P);
      // FLOAT32: tfjs's ε is the float32 nearest 1e-7 (1.0000000117e-7), 1e-8 relative away;
      // at p = 1 its 1 − ε is 1 − 1.19e-7 (next test), which moves L ≈ 1e-7 by only 2e-8.
      expectClose(binaryCrossentropy.loss(Y, P), ref.L, FLOAT32, `tfjs L(${y}, ${p})`);
      expectClose(binaryCrossentropy.grad(Y, P), ref.dYhat, FLOAT32, `tfjs dŶ(${y}, ${p})`);
    }
  });

  it("binaryCrossentropy: y = 0 at p = 1 shows float32's limit at 1 − ε", async () => {
    const tf = await getTf();
    // Ours: P = 1 − 1e-7, L = −ln(1 − P) = −ln 1e-7 = 16.11810.
    // tfjs: 1 − 1e-7 is not a float32; the nearest is 1 − 2⁻²³ (2⁻²³ = 1.19e-7), so tfjs gets
    // L = ln(P/(1 − P)) = ln(2²³ − 1) = 15.94238 instead. The 1.1% gap is float32, not a bug.
    const Y = Matrix.row([0]), P = Matrix.row([1]);
    expectClose(binaryCrossentropy.loss(Y, P), -ln(1e-7), { rtol: 1e-9, atol: 0 });
    const ref = await tfjsLossAndGrad((y, p) => tf.metrics.binaryCrossentropy(y, p), Y, P);
    expectClose(ref.L, ln(2 ** 23 - 1), FLOAT32, "tfjs L");
    expectClose(binaryCrossentropy.grad(Y, P), ref.dYhat, FLOAT32, "dŶ");
  });

  it("categorical and sparse: a confident wrong answer costs −ln ε with zero gradient", async () => {
    const tf = await getTf();
    // Ŷ = [1, 0, 0], true class 1: Q = Ŷ, C = [1 − ε, ε, ε], L = −ln ε = 16.11810. The true
    // class's Q = 0 < ε is clipped, so G = 0 and dŶ = 0. Sparse clips first: [1 − ε, ε, ε]
    // normalised gives ε/(1 + ε) < ε, clipped again: the same L and a zero gradient.
    const Yhat = Matrix.row([1, 0, 0]);
    const cceFn = (y: Tensor, p: Tensor) => tf.metrics.categoricalCrossentropy(y, p);
    const cce = await tfjsLossAndGrad(cceFn, Matrix.row([0, 1, 0]), Yhat);
    const scceFn = await kerasLoss("sparseCategoricalCrossentropy");
    const scce = await tfjsLossAndGrad(scceFn, Matrix.row([1]), Yhat);
    for (const [loss, Y, ref] of [
      [categoricalCrossentropy, Matrix.row([0, 1, 0]), cce],
      [sparseCategoricalCrossentropy, Matrix.row([1]), scce],
    ] as const) {
      expectClose(loss.loss(Y, Yhat), -ln(1e-7), { rtol: 1e-9, atol: 0 }, loss.name);
      expectClose(loss.grad(Y, Yhat), [0, 0, 0], EXACT, loss.name);
      // FLOAT32: tfjs's ε is 1e-8 relative away from 1e-7 (see above).
      expectMatchesTfjs(loss, Y, Yhat, ref);
    }
  });
});

describe("losses vs TensorFlow.js (random shapes m, k in 1..6)", () => {
  it("meanSquaredError equals tfjs-layers' loss; halfMeanSquaredError is exactly half", async () => {
    const mse = await kerasLoss("meanSquaredError");
    const real = float32In(-3, 3);
    await fc.assert(
      fc.asyncProperty(
        dims.chain(([m, k]) => fc.tuple(matrixArb(m, k, real), matrixArb(m, k, real))),
        async ([Y, Yhat]) => {
          const ref = await tfjsLossAndGrad(mse, Y, Yhat);
          expectMatchesTfjs(meanSquaredError, Y, Yhat, ref);
          expectMatchesTfjs(halfMeanSquaredError, Y, Yhat, ref, 0.5);
          // Scaling by ½ and by 2 are exact in binary floating point.
          const [half, full] = [halfMeanSquaredError.grad(Y, Yhat), meanSquaredError.grad(Y, Yhat)];
          expect(half.scale(2).data).toEqual(full.data);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("binaryCrossentropy equals tfjs-layers' loss and its tf.grad", async () => {
    const bce = await kerasLoss("binaryCrossentropy");
    const arb = dims.chain(([m, k]) =>
      // Ŷ in [0.01, 0.99]: inside the clip, and 1 − p keeps enough float32 digits on the tfjs side.
      fc.tuple(matrixArb(m, k, fc.constantFrom(0, 1)), matrixArb(m, k, float32In(0.01, 0.99))));
    await fc.assert(
      fc.asyncProperty(arb, async ([Y, Yhat]) =>
        expectMatchesTfjs(binaryCrossentropy, Y, Yhat, await tfjsLossAndGrad(bce, Y, Yhat))),
      { numRuns: 40 },
    );
  });

  it("categoricalCrossentropy equals tfjs-layers' loss for unnormalised Ŷ", async () => {
    const cce = await kerasLoss("categoricalCrossentropy");
    const arb = dims.chain(([m, k]) =>
      fc.tuple(labelsArb(m, k).map((c) => oneHot(c, k)), matrixArb(m, k, float32In(0.05, 1))));
    await fc.assert(
      fc.asyncProperty(arb, async ([Y, Yhat]) =>
        expectMatchesTfjs(categoricalCrossentropy, Y, Yhat, await tfjsLossAndGrad(cce, Y, Yhat))),
      { numRuns: 40 },
    );
  });

  it("sparseCategoricalCrossentropy equals tfjs-layers' loss", async () => {
    const scce = await kerasLoss("sparseCategoricalCrossentropy");
    // k ≥ 2 here: tfjs builds the one-hot rows with tf.oneHot, which refuses a depth of 1.
    const arb = fc.tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 2, max: 6 }))
      .chain(([m, k]) => fc.tuple(labelsArb(m, k), matrixArb(m, k, float32In(0.05, 1))));
    await fc.assert(
      fc.asyncProperty(arb, async ([labels, Yhat]) =>
        expectMatchesTfjs(sparseCategoricalCrossentropy, labels, Yhat,
          await tfjsLossAndGrad(scce, labels, Yhat))),
      { numRuns: 40 },
    );
  });

  it("fromLogits equals tf.losses.softmaxCrossEntropy, even for logits of ±60", async () => {
    const tf = await getTf();
    // tf.losses.softmaxCrossEntropy takes one-hot labels and logits, and averages over the rows.
    const sce = (y: Tensor, z: Tensor) => tf.losses.softmaxCrossEntropy(y, z);
    const cce = new CategoricalCrossentropy({ fromLogits: true });
    const scce = new SparseCategoricalCrossentropy({ fromLogits: true });
    const arb = dims.chain(([m, k]) => fc.tuple(labelsArb(m, k), matrixArb(m, k, float32In(-60, 60))));
    await fc.assert(
      fc.asyncProperty(arb, async ([labels, Z]) => {
        const Y = oneHot(labels, Z.cols);
        // Scores up to |60| make L up to ~120; FLOAT32 still holds because logSumExp subtracts the
        // row max in float32 as we do in float64, leaving ≈6e-8 relative error.
        const ref = await tfjsLossAndGrad(sce, Y, Z);
        expectMatchesTfjs(cce, Y, Z, ref);
        expectMatchesTfjs(scce, labels, Z, ref);
      }),
      { numRuns: 40 },
    );
  });
});

describe("losses: float64 central differences", () => {
  // h = 1e-5 central differences are accurate to ~1e-10 for these smooth losses; 1e-6 is a wide margin.
  const rng = new Random(2024);
  const cases: [string, Loss, Matrix, Matrix][] = [];
  for (const [m, k] of [[1, 1], [3, 2], [4, 5]]) {
    const labels = Matrix.column(Array.from({ length: m }, () => rng.int(k)));
    const Y = oneHot(labels, k), Z = rng.normalMatrix(m, k, 0, 3);
    const probs = rng.uniformMatrix(m, k, 0.1, 1);
    const p = () => rng.uniformMatrix(m, k, 0.05, 0.95);
    cases.push(
      [`mse ${m}×${k}`, meanSquaredError, rng.normalMatrix(m, k), rng.normalMatrix(m, k)],
      [`half mse ${m}×${k}`, halfMeanSquaredError, rng.normalMatrix(m, k), rng.normalMatrix(m, k)],
      [`bce ${m}×${k}`, binaryCrossentropy, rng.uniformMatrix(m, k).map(Math.round), p()],
      [`bce soft ${m}×${k}`, binaryCrossentropy, rng.uniformMatrix(m, k), p()],
      [`cce logits ${m}×${k}`, new CategoricalCrossentropy({ fromLogits: true }), Y, Z],
      [`scce logits ${m}×${k}`, new SparseCategoricalCrossentropy({ fromLogits: true }), labels, Z],
    );
    // With one class a row normalises to Q = 1, which the clip flattens: both gradients are 0.
    if (k > 1) {
      cases.push(
        [`cce ${m}×${k}`, categoricalCrossentropy, Y, probs],
        [`scce ${m}×${k}`, sparseCategoricalCrossentropy, labels, probs],
      );
    }
  }
  it.each(cases)("%s", (_name, loss, Y, Yhat) => {
    const numeric = numericGradient((P) => loss.loss(Y, P), Yhat);
    expect(relativeError(loss.grad(Y, Yhat), numeric)).toBeLessThan(1e-6);
  });
});

describe("losses: errors", () => {
  it("Y and Ŷ of different shapes", () => {
    expect(() => meanSquaredError.loss(Matrix.zeros(4, 1), Matrix.zeros(4, 2))).toThrow(ShapeError);
    expect(() => meanSquaredError.loss(Matrix.zeros(4, 1), Matrix.zeros(4, 2))).toThrow(
      "meanSquaredError.loss: expected Y to have shape [4, 2], got [4, 1]. " +
        "Y and Ŷ hold one row per example and one column per output, so their shapes must match.",
    );
    expect(() => binaryCrossentropy.grad(Matrix.zeros(3, 1), Matrix.zeros(2, 1))).toThrow(
      "binaryCrossentropy.grad: expected Y to have shape [2, 1], got [3, 1].",
    );
    expect(() => categoricalCrossentropy.loss(Matrix.row([1]), Matrix.row([0.5, 0.5]))).toThrow(
      "categoricalCrossentropy.loss: expected Y to have shape [1, 2], got [1, 1].",
    );
  });

  it("an empty batch", () => {
    expect(() => halfMeanSquaredError.loss(Matrix.zeros(0, 1), Matrix.zeros(0, 1))).toThrow(ShapeError);
    expect(() => halfMeanSquaredError.loss(Matrix.zeros(0, 1), Matrix.zeros(0, 1))).toThrow(
      "halfMeanSquaredError.loss: expected Ŷ to have shape [m, k] with m ≥ 1 and k ≥ 1, got [0, 1]. " +
        "A loss is an average over examples, so it needs at least one.",
    );
    expect(() => sparseCategoricalCrossentropy.grad(Matrix.zeros(2, 1), Matrix.zeros(2, 0))).toThrow(
      "sparseCategoricalCrossentropy.grad: expected Ŷ to have shape [m, k] with m ≥ 1 and k ≥ 1, got [2, 0].",
    );
  });

  it("NaN or ±Infinity in Y or Ŷ", () => {
    const nan = () => categoricalCrossentropy.loss(Matrix.row([0, 1]), Matrix.row([0.5, NaN]));
    expect(nan).toThrow(ValueError);
    expect(nan).toThrow(
      "categoricalCrossentropy.loss: expected Ŷ to hold finite numbers, got NaN at row 0, column 1.",
    );
    expect(() => meanSquaredError.grad(Matrix.column([0, Infinity]), Matrix.column([0, 0]))).toThrow(
      "meanSquaredError.grad: expected Y to hold finite numbers, got Infinity at row 1, column 0.",
    );
    const logits = new CategoricalCrossentropy({ fromLogits: true });
    expect(() => logits.loss(Matrix.row([0, 1]), Matrix.row([-Infinity, 0]))).toThrow(
      "categoricalCrossentropy.loss: expected Ŷ to hold finite numbers, got -Infinity at row 0, column 0.",
    );
  });

  it("binaryCrossentropy: values outside [0, 1]", () => {
    const outside = () => binaryCrossentropy.loss(Matrix.column([1, 0]), Matrix.column([0.5, 1.5]));
    expect(outside).toThrow(ValueError);
    expect(outside).toThrow(
      "binaryCrossentropy.loss: expected Ŷ to hold values in [0, 1], got 1.5 at row 1, column 0. " +
        "Ŷ must be probabilities, such as a sigmoid layer's output; apply sigmoid to raw scores first.",
    );
    expect(() => binaryCrossentropy.grad(Matrix.column([2]), Matrix.column([0.5]))).toThrow(
      "binaryCrossentropy.grad: expected Y to hold values in [0, 1], got 2 at row 0, column 0. " +
        "Binary targets are 0 or 1 (or a probability between).",
    );
  });

  it("categoricalCrossentropy: negative Ŷ, a row of zeros, Y outside [0, 1]", () => {
    const Y = Matrix.from([[1, 0, 0], [0, 1, 0]]);
    expect(() => categoricalCrossentropy.loss(Y, Matrix.from([[1, 0, 0], [2, 1, -0.5]]))).toThrow(
      "categoricalCrossentropy.loss: expected Ŷ to hold values ≥ 0, got -0.5 at row 1, column 2. " +
        "Ŷ must be probabilities, such as a softmax layer's output; " +
        "for raw scores (logits) pass { fromLogits: true }.",
    );
    expect(() => categoricalCrossentropy.grad(Y, Matrix.from([[1, 0, 0], [0, 0, 0]]))).toThrow(
      "categoricalCrossentropy.grad: expected every row of Ŷ to have a positive sum, " +
        "got all zeros in row 1. " +
        "Each row is divided by its sum to make the probabilities add up to 1.",
    );
    expect(() => categoricalCrossentropy.loss(Matrix.row([0, 3]), Matrix.row([0.5, 0.5]))).toThrow(
      "categoricalCrossentropy.loss: expected Y to hold values in [0, 1], got 3 at row 0, column 1. " +
        "Each row of Y is one-hot (or a probability distribution) over the classes.",
    );
  });

  it("sparseCategoricalCrossentropy: labels out of range, not whole, or not a column", () => {
    const Yhat = Matrix.from([[0.2, 0.3, 0.5], [0.1, 0.1, 0.8], [0.3, 0.3, 0.4]]);
    const at = (labels: number[]) => () => sparseCategoricalCrossentropy.loss(Matrix.column(labels), Yhat);
    expect(at([0, 2, 3])).toThrow(ValueError);
    expect(at([0, 2, 3])).toThrow(
      "sparseCategoricalCrossentropy.loss: expected the label in row 2 of Y to be a class index, " +
        "a whole number in [0, 3), got 3. Ŷ has 3 columns, one per class.",
    );
    const wholeNumber = "to be a class index, a whole number in [0, 3), got";
    expect(at([0, -1, 2])).toThrow(`expected the label in row 1 of Y ${wholeNumber} -1.`);
    expect(at([1.5, 0, 0])).toThrow(`expected the label in row 0 of Y ${wholeNumber} 1.5.`);
    expect(at([0, NaN, 0])).toThrow(`expected the label in row 1 of Y ${wholeNumber} NaN.`);
    const oneHotRows = Matrix.from([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    expect(() => sparseCategoricalCrossentropy.grad(oneHotRows, Yhat)).toThrow(
      "sparseCategoricalCrossentropy.grad: expected Y to have shape [3, 1], got [3, 3]. " +
        "Sparse labels are one class index per example, a column [m, 1]; " +
        "for one-hot rows use categoricalCrossentropy.",
    );
    expect(() => sparseCategoricalCrossentropy.loss(Matrix.column([0]), Matrix.row([-1, 2]))).toThrow(
      "sparseCategoricalCrossentropy.loss: expected Ŷ to hold values ≥ 0, got -1 at row 0, column 0.",
    );
  });

  it("getLoss: an unknown name lists the known ones", () => {
    expect(() => getLoss("mse" as never)).toThrow(ValueError);
    expect(() => getLoss("mse" as never)).toThrow(
      'getLoss: unknown loss "mse". Expected one of: meanSquaredError, halfMeanSquaredError, ' +
        "binaryCrossentropy, categoricalCrossentropy, sparseCategoricalCrossentropy.",
    );
  });
});
