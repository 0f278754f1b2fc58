/**
 * Chapter 09's own checks: what the chapter tells the reader to expect, recomputed here with
 * a plain scalar implementation of the XOR network (never copied from the notebook's output)
 * and compared with what the notebook computed; its figures; and each exercise's check, run
 * against plausible wrong answers.
 */
import { expect, it } from "vitest";
import { accepts, chapterRun, expectRejected, expectRejectedWithHint, maxAbsDiff } from "../harness/chapter";
import type { ChapterChecks } from "../harness/suite";

type MatrixLike = { rows: number; cols: number; data: Float64Array };
type Net = { W1: MatrixLike; b1: MatrixLike; W2: MatrixLike; b2: MatrixLike };

const X = [[0, 0], [0, 1], [1, 0], [1, 1]];
const Y = [0, 1, 1, 0];
const sig = (z: number) => 1 / (1 + Math.exp(-z));

/** Source 000's network, one scalar at a time: full-batch gradient descent from `start`. */
function train(start: Net, lr: number, steps: number, loss: "mse" | "bce") {
  const h = start.W1.cols;
  const W1 = Array.from(start.W1.data), b1 = Array.from(start.b1.data), W2 = Array.from(start.W2.data);
  let b2 = start.b2.data[0];
  const forward = () => X.map((x) => {
    const H = b1.map((b, j) => sig(x[0] * W1[j] + x[1] * W1[h + j] + b));
    return { H, yhat: sig(H.reduce((s, v, j) => s + v * W2[j], b2)) };
  });
  const lossOf = () => forward().reduce((s, { yhat }, i) => s + (loss === "mse"
    ? (yhat - Y[i]) ** 2
    : -(Y[i] * Math.log(Math.min(Math.max(yhat, 1e-7), 1 - 1e-7)) + (1 - Y[i]) * Math.log(1 - Math.min(Math.max(yhat, 1e-7), 1 - 1e-7)))), 0) / 4;
  for (let t = 0; t < steps; t++) {
    const gW1 = W1.map(() => 0), gb1 = b1.map(() => 0), gW2 = W2.map(() => 0);
    let gb2 = 0;
    forward().forEach(({ H, yhat }, i) => {
      const dz = loss === "mse" ? (2 / 4) * (yhat - Y[i]) * yhat * (1 - yhat) : (yhat - Y[i]) / 4;
      gb2 += dz;
      for (let j = 0; j < h; j++) {
        gW2[j] += dz * H[j];
        const dh = dz * W2[j] * H[j] * (1 - H[j]);
        gb1[j] += dh;
        gW1[j] += dh * X[i][0];
        gW1[h + j] += dh * X[i][1];
      }
    });
    for (let k = 0; k < W1.length; k++) W1[k] -= lr * gW1[k];
    for (let j = 0; j < h; j++) { b1[j] -= lr * gb1[j]; W2[j] -= lr * gW2[j]; }
    b2 -= lr * gb2;
  }
  const outputs = forward().map((f) => f.yhat);
  return { loss: lossOf(), outputs, learned: outputs.every((p, i) => (p > 0.5 ? 1 : 0) === Y[i]) };
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

/** Test points a 2-10-1 relu → sigmoid model gets right, computed here from its weights. */
function moonHits(model: { getWeights(): unknown[] }, test: { X: MatrixLike; y: MatrixLike }): number {
  const [W1, b1, W2, b2] = model.getWeights() as MatrixLike[];
  let hits = 0;
  for (let i = 0; i < test.X.rows; i++) {
    const x = [test.X.data[2 * i], test.X.data[2 * i + 1]];
    let z = b2.data[0];
    for (let j = 0; j < 10; j++) z += Math.max(0, x[0] * W1.data[j] + x[1] * W1.data[10 + j] + b1.data[j]) * W2.data[j];
    if ((sig(z) > 0.5 ? 1 : 0) === test.y.data[i]) hits++;
  }
  return hits;
}

const checks: ChapterChecks = (run) => {
  const c = chapterRun(run);

  it("9.1: no line gets more than 3 of the 4 XOR points; one trained neuron ends at ŷ = 0.5, loss ln 2", () => {
    const { bestLineHits, neuronLoss, neuronOut } = c.locals();
    expect(bestLineHits).toBe(3);
    // By symmetry the optimum is w = 0, b = 0; 2000 steps at η = 1 get within 1e-3 of it.
    expect(Math.abs(neuronLoss - Math.LN2)).toBeLessThan(1e-3);
    expect(maxAbsDiff(neuronOut, [0.5, 0.5, 0.5, 0.5])).toBeLessThan(0.02);
    c.figureTitled(/^The four XOR points$/);
  });

  it("9.2: source 000's recipe from seed 0 — an independent scalar run reaches the notebook's loss and outputs", () => {
    const { start0, seedRun, seedPred } = c.locals();
    const ref = train(start0, 0.1, 1000, "mse");
    // Same arithmetic in a different order (scalar sums vs matrix products): agreement to 1e-10.
    expect(Math.abs(seedRun.losses[1000] - ref.loss)).toBeLessThan(1e-10);
    expect(maxAbsDiff(seedPred, ref.outputs)).toBeLessThan(1e-10);
    expect(ref.loss).toBeGreaterThan(0.2); // the text: the loss stays near 0.25
    expect(ref.learned).toBe(false);
    expect(c.stdout()).toMatch(/Epoch: 900, Loss: 0\.2\d+/);
    c.figureTitled(/^Source 000's XOR network/);
  });

  it("9.2–9.3: the 20-seed table — counts and medians recomputed independently for every setting", () => {
    const { initXor, variants, variantResults, asWritten } = c.locals();
    const expected = (variants as { hidden?: number; lr: number; steps: number; loss: "mse" | "bce" }[]).map((v) => {
      const runs = Array.from({ length: 20 }, (_, s) => train(initXor(s, v.hidden ?? 3), v.lr, v.steps, v.loss));
      return { solved: runs.filter((r) => r.learned).length, median: median(runs.map((r) => r.loss)) };
    });
    (variantResults as { solved: number; finals: number[] }[]).forEach((r, k) => {
      expect(r.solved, variants[k].label).toBe(expected[k].solved);
      expect(Math.abs(median(r.finals) - expected[k].median)).toBeLessThan(1e-9);
    });
    // What the text states.
    expect(asWritten.solved).toBe(0);
    expect(expected[0].solved).toBe(0);
    expect(expected[1].solved).toBe(17);
    expect(expected[2].solved).toBe(17);
    expect(expected[3].solved).toBe(19);
    expect(expected[4].solved).toBe(7);
    expect(expected[5].solved).toBe(19);
    expect(Math.abs(expected[1].median - expected[2].median)).toBeLessThan(1e-3); // "same path, faster"
  });

  it("9.3: seed 0 with cross-entropy at η = 1 learns XOR in 1000 steps; the loss-curve and boundary figures exist", () => {
    const { start0, xorFinal } = c.locals();
    const ref = train(start0, 1, 1000, "bce");
    expect(maxAbsDiff(xorFinal, ref.outputs)).toBeLessThan(1e-10);
    expect(ref.learned).toBe(true);
    c.figureTitled(/^Seed 0: XOR loss/);
    c.figureTitled(/^XOR learned: seed 0/);
  });

  it("9.4: accuracy 4 of 6 (0.5 counts as class 0) and the cross-entropy of the six predictions", () => {
    const { accHand, bceHand } = c.locals();
    expect(accHand).toBe(4 / 6);
    const p = [0.9, 0.2, 0.6, 0.7, 0.5, 0.1], y = [1, 0, 1, 0, 1, 0];
    const bce = -(Math.log(0.9) + Math.log(0.8) + Math.log(0.6) + Math.log(0.3) + Math.log(0.5) + Math.log(0.9)) / 6;
    expect(p.length).toBe(y.length);
    expect(Math.abs(bceHand - bce)).toBeLessThan(1e-12);
  });

  it("9.5: two moons — the reported test accuracy is the model's, recomputed from its weights; it learns most of it", () => {
    const { moons, moonsTest, moonsTestLogs, moonsLoss } = c.locals();
    const hits = moonHits(moons, moonsTest);
    expect(moonsTestLogs.accuracy).toBe(hits / 200);
    expect(hits / 200).toBeGreaterThan(0.8); // the text: about 0.86
    expect(moonsLoss[9]).toBeLessThan(moonsLoss[0]);
    c.figureTitled(/^Two moons: 200 training points/);
    c.figureTitled(/^Source 003's classifier: loss and accuracy per epoch$/);
    c.figureTitled(/^Two moons after 10 epochs/);
  });

  it("9.5: with Adam η = 0.01 and 20 epochs the same model reaches over 0.95 test accuracy (recomputed from its weights)", () => {
    const { moonsLonger, moonsTest, longerTestLogs } = c.locals();
    const hits = moonHits(moonsLonger, moonsTest);
    expect(longerTestLogs.accuracy).toBe(hits / 200);
    expect(hits / 200).toBeGreaterThan(0.95); // the text: about 0.96
    c.figureTitled(/^Two moons, Adam η = 0\.01, 20 epochs/);
  });

  it("Exercise 9.1 passes with the worked answer and rejects wrong thresholds", () => {
    const { checkEx9_1, accuracyAt } = c.locals();
    accepts(() => checkEx9_1(accuracyAt));
    const atHalf = (y: number[], p: number[]) => y.filter((v, i) => (p[i] > 0.5 ? 1 : 0) === v).length / y.length;
    expectRejectedWithHint(() => checkEx9_1(atHalf), /Use the threshold you are given/);
    const greaterOrEqual = (y: number[], p: number[], t: number) => y.filter((v, i) => (p[i] >= t ? 1 : 0) === v).length / y.length;
    expectRejectedWithHint(() => checkEx9_1(greaterOrEqual), /strictly greater/);
    const count = (y: number[], p: number[], t: number) => y.filter((v, i) => (p[i] > t ? 1 : 0) === v).length;
    expectRejectedWithHint(() => checkEx9_1(count), /divide by how many/);
  });

  it("Exercise 9.2 passes with ŷ − y and rejects the MSE-like and sign-flipped gradients", () => {
    const { checkEx9_2, bceGradZ } = c.locals();
    accepts(() => checkEx9_2(bceGradZ));
    const withSigmaPrime = (y: number, z: number) => (sig(z) - y) * sig(z) * (1 - sig(z));
    expectRejectedWithHint(() => checkEx9_2(withSigmaPrime), /simplify/);
    const flipped = (y: number, z: number) => y - sig(z);
    expectRejectedWithHint(() => checkEx9_2(flipped), /simplify/);
  });

  it("Exercise 9.3 passes with OR-and-not-AND and rejects a wrong gate and an unconfident XOR", () => {
    const { checkEx9_3, xorWeights } = c.locals();
    accepts(() => checkEx9_3(xorWeights));
    const good = xorWeights();
    const M = good.W1.constructor as { from(v: number[][]): unknown; row(v: number[]): unknown; column(v: number[]): unknown };
    const orOnly = () => ({ W1: M.from([[20, 20], [20, 20]]), b1: M.row([-10, -30]), W2: M.column([20, 0]), b2: M.row([-10]) });
    expectRejectedWithHint(() => checkEx9_3(orOnly), /h₁ ≈ OR/);
    const timid = () => ({ W1: M.from([[2, 2], [2, 2]]), b1: M.row([-1, -3]), W2: M.column([2, -2]), b2: M.row([-0.5]) });
    expectRejectedWithHint(() => checkEx9_3(timid), /not confident/);
    const wrongShape = () => ({ W1: M.from([[20, 20, 0], [20, 20, 0]]), b1: M.row([-10, -30, 0]), W2: M.column([20, -20, 0]), b2: M.row([-10]) });
    expectRejectedWithHint(() => checkEx9_3(wrongShape), /W₁ is \[2, 2\]/);
  });

  it("Exercise 9.4 passes with check-then-step and rejects an off-by-one count and a missing −1", () => {
    const { checkEx9_4, stepsToLearn } = c.locals();
    accepts(() => checkEx9_4(stepsToLearn));
    const offByOne = (s: number, lr: number, max: number) => { const t = stepsToLearn(s, lr, max); return t < 0 ? t : t + 1; };
    expectRejectedWithHint(() => checkEx9_4(offByOne), /check, then step/);
    const noMinusOne = (s: number, lr: number, max: number) => { const t = stepsToLearn(s, lr, max); return t < 0 ? max : t; };
    expectRejectedWithHint(() => checkEx9_4(noMinusOne), /return −1/);
  });
};

export default checks;
