/**
 * Metrics (chapters 09 and 13): hand-worked values, the same numbers from tf.metrics, what
 * `metrics: ["accuracy"]` means for each output and loss (against a tfjs layers model compiled
 * the same way, evaluated and trained from the same weights), the name lookup, and the errors.
 */
import type { Tensor } from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { Dense } from "../../lib/src/dense";
import { ShapeError, ValueError } from "../../lib/src/errors";
import type { LossName } from "../../lib/src/losses";
import { Matrix } from "../../lib/src/matrix";
import {
  binaryAccuracy,
  categoricalAccuracy,
  getMetric,
  mae,
  type Metric,
  metrics,
  mse,
  sparseCategoricalAccuracy,
} from "../../lib/src/metrics";
import { SGD } from "../../lib/src/optimizers/sgd";
import { Random } from "../../lib/src/random";
import { Sequential } from "../../lib/src/sequential";
import { expectClose, FLOAT32, getTf, reportComparisons, toTensor } from "../helpers/compare";

reportComparisons("metrics");

// A share of hits k/m: tfjs rounds it to float32 (within 6e-8), while a different count would
// differ by at least 1/m = 0.025 here.
const SHARE = { rtol: 0, atol: 1e-6 };

describe("hand-worked values", () => {
  it("binaryAccuracy counts the entries where (ŷ > 0.5) equals y", () => {
    // Ŷ > 0.5: [1, 0, 0, 1] against Y = [1, 0, 1, 0]: 2 of 4. At exactly 0.5 the class is 0.
    const Y = Matrix.column([1, 0, 1, 0]);
    expect(binaryAccuracy(Y, Matrix.column([0.9, 0.2, 0.5, 0.7]))).toBe(0.5);
    // Two outputs per example (multi-label): every entry counts, 3 of 4.
    expect(binaryAccuracy(Matrix.from([[1, 0], [1, 1]]), Matrix.from([[0.8, 0.1], [0.6, 0.3]]))).toBe(0.75);
  });

  it("categoricalAccuracy compares argmax Ŷ with argmax Y, a tie going to the first column", () => {
    const Y = Matrix.from([[0, 0, 1], [1, 0, 0], [0, 1, 0]]);
    // argmax rows: 2 ✓, 1 ✗, 0 (tie between 0 and 1 goes to 0) ✗: 1 of 3.
    const Yhat = Matrix.from([[0.1, 0.2, 0.7], [0.3, 0.6, 0.1], [0.4, 0.4, 0.2]]);
    expect(categoricalAccuracy(Y, Yhat)).toBeCloseTo(1 / 3, 15);
  });

  it("sparseCategoricalAccuracy compares argmax Ŷ with the class index in Y", () => {
    const Yhat = Matrix.from([[0.1, 0.2, 0.7], [0.3, 0.6, 0.1]]);
    expect(sparseCategoricalAccuracy(Matrix.column([2, 0]), Yhat)).toBe(0.5);
  });

  it("mse and mae average over every entry", () => {
    // Errors 1, −2, 0, 3: squares 1 + 4 + 0 + 9 = 14 → 3.5; absolutes 1 + 2 + 0 + 3 = 6 → 1.5.
    const Y = Matrix.from([[0, 0], [0, 0]]), Yhat = Matrix.from([[1, -2], [0, 3]]);
    expect(mse(Y, Yhat)).toBe(3.5);
    expect(mae(Y, Yhat)).toBe(1.5);
  });
});

describe("against tf.metrics", () => {
  // tf.metrics return one number per example; fit and evaluate report their mean.
  const rng = new Random(11);
  const Yhat = rng.uniformMatrix(50, 4);
  const labels = Array.from({ length: 50 }, () => rng.int(4));
  const oneHot = new Matrix(50, 4).map((_, i, j) => (labels[i] === j ? 1 : 0));
  const binary = rng.uniformMatrix(50, 4).map((u) => (u > 0.5 ? 1 : 0));

  const cases: [string, Metric, Matrix, (tf: Awaited<ReturnType<typeof getTf>>, y: Tensor, p: Tensor) => Tensor][] = [
    ["binaryAccuracy", binaryAccuracy, binary, (tf, y, p) => tf.metrics.binaryAccuracy(y, p)],
    ["categoricalAccuracy", categoricalAccuracy, oneHot, (tf, y, p) => tf.metrics.categoricalAccuracy(y, p)],
    ["sparseCategoricalAccuracy", sparseCategoricalAccuracy, Matrix.column(labels),
      (tf, y, p) => tf.metrics.sparseCategoricalAccuracy(y, p)],
    ["mse", mse, rng.normalMatrix(50, 4), (tf, y, p) => tf.metrics.meanSquaredError(y, p)],
    ["mae", mae, rng.normalMatrix(50, 4), (tf, y, p) => tf.metrics.meanAbsoluteError(y, p)],
  ];

  it.each(cases)("%s equals the mean of tf.metrics' per-example values", async (name, ours, Y, theirs) => {
    const tf = await getTf();
    const [y, p] = [await toTensor(Y), await toTensor(Yhat)];
    const value = tf.tidy(() => tf.mean(theirs(tf, y, p)).dataSync()[0]);
    tf.dispose([y, p]);
    expectClose(ours(Y, Yhat), value, FLOAT32, name);
  });
});

/**
 * "accuracy" in Keras and tfjs-layers depends on the model: one output unit or binary
 * cross-entropy means binary accuracy; sparse categorical cross-entropy, sparse; otherwise
 * argmax. Here the same one-layer model is built in both libraries from the same weights.
 */
describe('metrics: ["accuracy"] means what tfjs-layers\' model.compile makes of it', () => {
  const X = new Random(3).normalMatrix(40, 2);

  /** A one-layer model with fixed weights, in our library and in tfjs. */
  async function twins(units: number, activation: "sigmoid" | "softmax" | "linear", seed: number) {
    const tf = await getTf();
    const rng = new Random(seed);
    const W = rng.normalMatrix(2, units, 0, 2), b = rng.normalMatrix(1, units);
    const ours = new Sequential([new Dense({ units, activation, weights: { W, b } })]);
    const theirs = tf.sequential({ layers: [tf.layers.dense({ units, activation, inputShape: [2] })] });
    // Copied, not left to each library's default initializer (tfjs draws glorotNormal, we glorotUniform).
    theirs.setWeights([await toTensor(W), tf.tensor1d(Array.from(b.data))]);
    return { tf, ours, theirs };
  }

  /** Targets for `model`: 0/1 columns, one-hot rows or class indices, from a seeded draw. */
  function targets(kind: "binary" | "oneHot" | "sparse", units: number, seed: number): Matrix {
    const rng = new Random(seed);
    if (kind === "binary") return new Matrix(40, units).map(() => (rng.next() < 0.5 ? 1 : 0));
    const labels = Array.from({ length: 40 }, () => rng.int(units));
    return kind === "sparse" ? Matrix.column(labels) : new Matrix(40, units).map((_, i, j) => (labels[i] === j ? 1 : 0));
  }

  async function tfjsAccuracy(theirs: Awaited<ReturnType<typeof twins>>["theirs"], Y: Matrix): Promise<number> {
    const [x, y] = [await toTensor(X), await toTensor(Y)];
    const out = theirs.evaluate(x, y) as Tensor[];
    const acc = out[1].dataSync()[0];
    (await getTf()).dispose([x, y, ...out]);
    return acc;
  }

  const cases: [string, number, "sigmoid" | "softmax" | "linear", LossName, "binary" | "oneHot" | "sparse"][] = [
    ["one sigmoid unit, meanSquaredError", 1, "sigmoid", "meanSquaredError", "binary"],
    ["one sigmoid unit, binaryCrossentropy", 1, "sigmoid", "binaryCrossentropy", "binary"],
    ["one linear unit, meanSquaredError", 1, "linear", "meanSquaredError", "binary"],
    ["three sigmoid units, binaryCrossentropy (multi-label)", 3, "sigmoid", "binaryCrossentropy", "binary"],
    ["three softmax units, categoricalCrossentropy", 3, "softmax", "categoricalCrossentropy", "oneHot"],
    ["three softmax units, meanSquaredError", 3, "softmax", "meanSquaredError", "oneHot"],
    ["three softmax units, sparseCategoricalCrossentropy", 3, "softmax", "sparseCategoricalCrossentropy", "sparse"],
  ];

  it.each(cases)("%s: evaluate() gives tfjs's accuracy", async (_name, units, activation, loss, kind) => {
    const { ours, theirs } = await twins(units, activation, units);
    const Y = targets(kind, units, 5);
    ours.compile({ optimizer: "sgd", loss, metrics: ["accuracy"] });
    theirs.compile({ optimizer: "sgd", loss, metrics: ["accuracy"] });
    const accuracy = ours.evaluate(X, Y).accuracy;
    expectClose(accuracy, await tfjsAccuracy(theirs, Y), SHARE, "accuracy");
    // Not a degenerate 0 or 1, which a wrong rule could also give.
    expect(accuracy).toBeGreaterThan(0);
    expect(accuracy).toBeLessThan(1);
  });

  it("a sigmoid output with MSE that gets every example wrong has accuracy 0 (argmax of one column would say 1)", async () => {
    const { ours, theirs } = await twins(1, "sigmoid", 1);
    const Y = ours.predict(X).map((p) => (p > 0.5 ? 0 : 1)); // the opposite of every prediction
    ours.compile({ optimizer: "sgd", loss: "meanSquaredError", metrics: ["accuracy"] });
    theirs.compile({ optimizer: "sgd", loss: "meanSquaredError", metrics: ["accuracy"] });
    expect(await tfjsAccuracy(theirs, Y)).toBe(0);
    expect(ours.evaluate(X, Y).accuracy).toBe(0);
  });

  it("fit's per-epoch accuracy for a sigmoid unit trained with MSE matches tfjs's history.acc", async () => {
    const { tf, ours, theirs } = await twins(1, "sigmoid", 1);
    // A rule the unit can learn, y = 1 when x₁ > x₂, so that the accuracy moves as it trains.
    const Y = Matrix.column(Array.from({ length: X.rows }, (_, i) => (X.get(i, 0) > X.get(i, 1) ? 1 : 0)));
    ours.compile({ optimizer: new SGD({ learningRate: 2 }), loss: "meanSquaredError", metrics: ["accuracy"] });
    theirs.compile({ optimizer: tf.train.sgd(2), loss: "meanSquaredError", metrics: ["accuracy"] });
    const h = ours.fit(X, Y, { epochs: 4, batchSize: 8, shuffle: false });
    const [x, y] = [await toTensor(X), await toTensor(Y)];
    const th = await theirs.fit(x, y, { epochs: 4, batchSize: 8, shuffle: false, verbose: 0 });
    tf.dispose([x, y]);
    expectClose(h.history.accuracy, th.history.acc as number[], SHARE, "accuracy");
    expect(new Set(h.history.accuracy).size).toBeGreaterThan(1); // it changed as the model learned
  });
});

describe("getMetric", () => {
  it("finds each metric by name", () => {
    for (const [name, metric] of Object.entries(metrics)) expect(getMetric(name)).toBe(metric);
  });

  it('"accuracy" and "acc" pick the count from the loss and, at call time, the output columns', () => {
    const Y1 = Matrix.column([1, 0]), P1 = Matrix.column([0.2, 0.9]); // both wrong
    const Y3 = Matrix.from([[0, 0, 1], [1, 0, 0]]), P3 = Matrix.from([[0.1, 0.2, 0.7], [0.6, 0.3, 0.1]]);
    for (const name of ["accuracy", "acc"]) {
      expect(getMetric(name, "meanSquaredError")(Y1, P1)).toBe(0);
      expect(getMetric(name, "categoricalCrossentropy")(Y3, P3)).toBe(1);
      expect(getMetric(name, "sparseCategoricalCrossentropy")(Matrix.column([2, 1]), P3)).toBe(0.5);
      // Binary cross-entropy counts every entry against 0.5: [0,0,1] ✓✓✓, [1,0,0] ✓✓✓.
      expect(getMetric(name, "binaryCrossentropy")(Y3, P3)).toBe(1);
    }
  });

  it("refuses names that are not metrics, including those every object has", () => {
    for (const name of ["toString", "constructor", "hasOwnProperty", "__proto__", "f1"]) {
      expect(() => getMetric(name)).toThrow(ValueError);
      expect(() => getMetric(name)).toThrow(
        `getMetric: unknown metric "${name}". Expected one of: accuracy, acc, binaryAccuracy, ` +
          "categoricalAccuracy, sparseCategoricalAccuracy, mse, mae.",
      );
    }
  });

  it("compile() stops at an unknown metric, before fit can trip on it", () => {
    const model = new Sequential([new Dense({ units: 1, inputDim: 1, rng: new Random(0) })]);
    expect(() => model.compile({ optimizer: "sgd", loss: "meanSquaredError", metrics: ["toString"] }))
      .toThrow('getMetric: unknown metric "toString".');
  });
});

describe("error messages", () => {
  it("Y must have one row per row of Ŷ, and the right columns", () => {
    const Yhat = Matrix.from([[0.1, 0.9], [0.8, 0.2]]);
    expect(() => categoricalAccuracy(Matrix.from([[0, 1]]), Yhat)).toThrow(ShapeError);
    expect(() => categoricalAccuracy(Matrix.from([[0, 1]]), Yhat)).toThrow(
      "categoricalAccuracy: expected Y to have shape [2, 2], got [1, 2]. Y holds one target row per prediction row.",
    );
    expect(() => sparseCategoricalAccuracy(Matrix.from([[0, 1], [1, 0]]), Yhat)).toThrow(
      "sparseCategoricalAccuracy: expected Y to have shape [2, 1], got [2, 2].",
    );
  });

  it("there must be at least one example", () => {
    expect(() => mse(new Matrix(0, 1), new Matrix(0, 1))).toThrow(
      "mse: expected at least one example (row of Ŷ), got 0. There is nothing to score.",
    );
  });
});
