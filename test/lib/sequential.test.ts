import type * as tfjs from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { Dense } from "../../lib/src/dense";
import { Matrix } from "../../lib/src/matrix";
import { Random } from "../../lib/src/random";
import { Sequential } from "../../lib/src/sequential";
import { Adam } from "../../lib/src/optimizers/adam";
import { SGD } from "../../lib/src/optimizers/sgd";
import { l2 } from "../../lib/src/regularizers";
import { expectClose, FLOAT32, getTf, reportComparisons } from "../helpers/compare";

/** 96 examples, 4 features, 3 classes decided by a fixed linear rule, one-hot targets. */
function dataset(seed: number) {
  const rng = new Random(seed);
  const X = rng.normalMatrix(96, 4);
  const labels = Array.from({ length: 96 }, (_, i) => {
    const s = [X.get(i, 0) + X.get(i, 1), X.get(i, 2) - X.get(i, 3), 0.3];
    return s.indexOf(Math.max(...s));
  });
  const Y = new Matrix(96, 3).map((_, i, j) => (labels[i] === j ? 1 : 0));
  return { X, Y };
}

function mlp(rng: Random, regularize = false) {
  return new Sequential([
    new Dense({ units: 8, inputDim: 4, activation: "relu", rng, kernelRegularizer: regularize ? l2(0.01) : undefined }),
    new Dense({ units: 8, activation: "tanh", rng }),
    new Dense({ units: 3, activation: "softmax", rng }),
  ]);
}

/** The same network in tfjs, starting from our model's weights. */
async function tfTwin(model: Sequential, regularize = false) {
  const tf = await getTf();
  const twin = tf.sequential({
    layers: [
      tf.layers.dense({ units: 8, inputShape: [4], activation: "relu", kernelRegularizer: regularize ? tf.regularizers.l2({ l2: 0.01 }) : undefined }),
      tf.layers.dense({ units: 8, activation: "tanh" }),
      tf.layers.dense({ units: 3, activation: "softmax" }),
    ],
  });
  // tfjs keeps a bias as a vector [units]; ours is a row [1, units]. Same numbers, same order.
  const shapes = twin.getWeights().map((t) => t.shape);
  twin.setWeights(model.getWeights().map((W, k) => tf.tensor(Array.from(W.data), shapes[k])));
  return { tf, twin };
}

reportComparisons("sequential");

describe("Sequential.fit matches a tfjs layers model trained the same way", () => {
  // 3 epochs × 6 batches = 18 float32 training steps on the tfjs side: each step's rounding
  // (~1e-7 relative) feeds into the next weights, so per-epoch losses may drift to ~1e-5
  // relative; 1e-4 relative leaves room without hiding a wrong gradient (which shows at 1e-2).
  const tol = { rtol: 1e-4, atol: 1e-6 };

  for (const [name, ours, theirs] of [
    ["SGD", () => new SGD({ learningRate: 0.1 }), (tf: any) => tf.train.sgd(0.1)],
    ["Adam", () => new Adam({ learningRate: 0.01 }), (tf: any) => tf.train.adam(0.01)],
  ] as const) {
    it(`per-epoch loss, accuracy and validation loss with ${name}`, async () => {
      const { X, Y } = dataset(1);
      const model = mlp(new Random(7));
      const { tf, twin } = await tfTwin(model);
      model.compile({ optimizer: ours(), loss: "categoricalCrossentropy", metrics: ["accuracy"] });
      twin.compile({ optimizer: theirs(tf), loss: "categoricalCrossentropy", metrics: ["accuracy"] });

      const h = model.fit(X, Y, { epochs: 3, batchSize: 16, shuffle: false, validationSplit: 0.25 });
      const th = await twin.fit(tf.tensor2d(X.toArray()), tf.tensor2d(Y.toArray()),
        { epochs: 3, batchSize: 16, shuffle: false, validationSplit: 0.25, verbose: 0 });

      expectClose(h.history.loss, th.history.loss as number[], tol, `${name} loss`);
      expectClose(h.history.val_loss, th.history.val_loss as number[], tol, `${name} val_loss`);
      expectClose(h.history.accuracy, th.history.acc as number[], { rtol: 0, atol: 1e-6 }, `${name} accuracy`);
      // The losses went down: training did something.
      expect(h.history.loss[2]).toBeLessThan(h.history.loss[0]);
      // The final weights agree too.
      const tw = twin.getWeights().map((t) => Array.from(t.dataSync()));
      model.getWeights().forEach((W, k) => expectClose(W, tw[k], tol, `${name} weight ${k}`));
    });
  }

  it("with an L2 penalty on the first layer (the loss includes λ·Σw², as in tfjs)", async () => {
    const { X, Y } = dataset(2);
    const model = mlp(new Random(3), true);
    const { tf, twin } = await tfTwin(model, true);
    model.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: "categoricalCrossentropy" });
    twin.compile({ optimizer: tf.train.sgd(0.1), loss: "categoricalCrossentropy" });
    const h = model.fit(X, Y, { epochs: 3, batchSize: 32, shuffle: false });
    const th = await twin.fit(tf.tensor2d(X.toArray()), tf.tensor2d(Y.toArray()), { epochs: 3, batchSize: 32, shuffle: false, verbose: 0 });
    expectClose(h.history.loss, th.history.loss as number[], tol, "L2 loss");
  });
});

describe("the regularization penalty in evaluate and val_loss (kept, as Keras in Python; tfjs leaves it out)", () => {
  // Ours: evaluate's loss and fit's val_loss are L(Y, Ŷ) + Σ R(W), like the training loss.
  // tfjs-layers 4.22 reports L(Y, Ŷ) alone in both (its test function adds no penalty), so the
  // difference is exactly λ·Σ w² of the regularized kernel, here the first layer's l2(0.01).
  const tol = { rtol: 1e-4, atol: 1e-6 };
  const penaltyOf = (model: Sequential) => model.params().reduce((s, p) => s + (p.regularizer?.loss(p.value) ?? 0), 0);

  it("evaluate: ours − tfjs's = λ·Σ w², on the same weights", async () => {
    const { X, Y } = dataset(7);
    const model = mlp(new Random(4), true);
    const { tf, twin } = await tfTwin(model, true);
    model.compile({ optimizer: "sgd", loss: "categoricalCrossentropy" });
    twin.compile({ optimizer: "sgd", loss: "categoricalCrossentropy" });
    const [x, y] = [tf.tensor2d(X.toArray()), tf.tensor2d(Y.toArray())];
    const theirs = (twin.evaluate(x, y) as tfjs.Scalar).dataSync()[0];
    const W1 = model.getWeights()[0];
    const penalty = 0.01 * W1.data.reduce((s, w) => s + w * w, 0);
    expect(penalty).toBeGreaterThan(0.01); // large enough that leaving it out would show
    expect(penaltyOf(model)).toBeCloseTo(penalty, 12);
    expectClose(model.evaluate(X, Y).loss, theirs + penalty, FLOAT32, "evaluate loss");
    tf.dispose([x, y]);
  });

  it("fit's val_loss: ours − tfjs's = λ·Σ w² after each epoch, and tfjs's val_loss is its evaluate", async () => {
    const { X, Y } = dataset(8);
    const { X: Xv, Y: Yv } = dataset(9);
    const model = mlp(new Random(6), true);
    const { tf, twin } = await tfTwin(model, true);
    model.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: "categoricalCrossentropy" });
    twin.compile({ optimizer: tf.train.sgd(0.1), loss: "categoricalCrossentropy" });
    const penalties: number[] = [];
    const h = model.fit(X, Y, { epochs: 3, batchSize: 16, shuffle: false, validationData: [Xv, Yv],
      onEpochEnd: () => penalties.push(penaltyOf(model)) });
    const [x, y, xv, yv] = [X, Y, Xv, Yv].map((M) => tf.tensor2d(M.toArray()));
    const th = await twin.fit(x, y, { epochs: 3, batchSize: 16, shuffle: false, validationData: [xv, yv], verbose: 0 });
    const theirs = th.history.val_loss as number[];
    expectClose(h.history.val_loss, theirs.map((v, e) => v + penalties[e]), tol, "val_loss");
    // tfjs is consistent with itself: its last val_loss is its evaluate on the final weights.
    const evaluated = (twin.evaluate(xv, yv) as tfjs.Scalar).dataSync()[0];
    expectClose(theirs[2], evaluated, FLOAT32, "tfjs val_loss vs evaluate");
    // The training loss, by contrast, includes the penalty in both libraries.
    expectClose(h.history.loss, th.history.loss as number[], tol, "training loss");
    tf.dispose([x, y, xv, yv]);
  });
});

describe("Sequential", () => {
  it("evaluate and predict agree with a hand-worked one-layer model", () => {
    // Ŷ = X·W + b with W = [[2], [−1]], b = [0.5]: rows (1, 1) → 1.5, (2, 0) → 4.5.
    const model = new Sequential([new Dense({ units: 1, weights: { W: Matrix.from([[2], [-1]]), b: Matrix.from([[0.5]]) } })]);
    model.compile({ optimizer: "sgd", loss: "meanSquaredError", metrics: ["mae"] });
    const X = Matrix.from([[1, 1], [2, 0]]);
    expect(model.predict(X).toArray()).toEqual([[1.5], [4.5]]);
    // Targets 1 and 5: errors 0.5 and −0.5 → MSE (0.25 + 0.25)/2 = 0.25, MAE 0.5.
    const logs = model.evaluate(X, Matrix.from([[1], [5]]));
    expect(logs.loss).toBeCloseTo(0.25, 12);
    expect(logs.mae).toBeCloseTo(0.5, 12);
  });

  it("shuffles reproducibly from a seed and calls the callbacks", () => {
    const { X, Y } = dataset(4);
    const run = () => {
      const model = mlp(new Random(5));
      model.compile({ optimizer: new SGD({ learningRate: 0.05 }), loss: "categoricalCrossentropy" });
      const batches: number[] = [];
      const h = model.fit(X, Y, { epochs: 2, batchSize: 32, seed: 11, onBatchEnd: (b) => batches.push(b) });
      return { loss: h.history.loss, batches };
    };
    const [a, b] = [run(), run()];
    expect(a.loss).toEqual(b.loss);
    expect(a.batches).toEqual([0, 1, 2, 0, 1, 2]); // 96 / 32 = 3 batches per epoch
  });

  it("summary lists each layer's output shape and parameters", () => {
    const s = mlp(new Random(1)).summary();
    // 4·8 + 8 = 40, 8·8 + 8 = 72, 8·3 + 3 = 27; total 139.
    expect(s).toMatch(/\[null, 8\]\s+40/);
    expect(s).toMatch(/\[null, 8\]\s+72/);
    expect(s).toMatch(/\[null, 3\]\s+27/);
    expect(s).toMatch(/Total params: 139/);
  });

  it("stops with the epoch and batch when the loss turns NaN or infinite", () => {
    const X = Matrix.from([[1e3], [2e3], [3e3], [4e3]]);
    const Y = Matrix.from([[1], [2], [3], [4]]);
    const model = new Sequential([new Dense({ units: 1, inputDim: 1, rng: new Random(0) })]);
    model.compile({ optimizer: new SGD({ learningRate: 10 }), loss: "meanSquaredError" });
    // Each step multiplies the error by about η·2x² ≈ 1e8, so float64 overflows within ~20 epochs.
    expect(() => model.fit(X, Y, { epochs: 50, batchSize: 2, shuffle: false }))
      .toThrow(/Sequential.fit: the loss became (NaN|Infinity) in epoch \d+, batch \d+\. Try a smaller learningRate/);
  });

  it("rejects fit before compile, mismatched X and Y, no data, and bad epochs", () => {
    const model = mlp(new Random(1));
    const X = new Matrix(4, 4), Y = new Matrix(3, 3);
    expect(() => model.fit(X, Y)).toThrow("Sequential.fit: call compile({ optimizer, loss }) first.");
    model.compile({ optimizer: "adam", loss: "categoricalCrossentropy" });
    expect(() => model.fit(X, Y)).toThrow(
      "Sequential.fit: expected Y to have one row per row of X (m = 4), got shape [3, 3]. " +
        "Row i of Y is the target of example (row) i of X.");
    expect(() => model.evaluate(X, Y)).toThrow("Sequential.evaluate: expected Y to have one row per row of X (m = 4)");
    expect(() => model.fit(new Matrix(0, 4), new Matrix(0, 3)))
      .toThrow("Sequential.fit: expected at least one example (row of X), got 0.");
    expect(() => model.fit(X, new Matrix(4, 3), { epochs: 0 })).toThrow("expected epochs to be a whole number ≥ 1, got 0");
    expect(() => model.fit(new Matrix(4, 5), new Matrix(4, 3))).toThrow(/expected X to have shape \[m, 4\], got \[4, 5\]/);
    expect(() => new Sequential().predict(X)).toThrow("the model has no layers");
  });
});

describe("Sequential.fit with validationData", () => {
  it("reports val_ metrics equal to evaluate() on that data after each epoch", () => {
    const { X, Y } = dataset(5);
    const { X: Xv, Y: Yv } = dataset(6);
    const model = mlp(new Random(9));
    model.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: "categoricalCrossentropy", metrics: ["accuracy"] });
    const seen: number[] = [];
    const h = model.fit(X, Y, {
      epochs: 2, batchSize: 32, seed: 2, validationData: [Xv, Yv],
      onEpochEnd: (_e, logs) => seen.push(logs.val_loss),
    });
    const now = model.evaluate(Xv, Yv);
    expect(h.history.val_loss[1]).toBe(now.loss);
    expect(h.history.val_accuracy[1]).toBe(now.accuracy);
    expect(seen).toEqual(h.history.val_loss);
    expect(() => model.fit(X, Y, { validationData: [Xv, Yv], validationSplit: 0.2 }))
      .toThrow("Sequential.fit: give validationSplit or validationData, not both.");
  });
});
