/**
 * Chapter 11's own checks: what the chapter tells the reader to expect, recomputed here from
 * the formulas (never copied from the notebook's output): an independent forward pass through
 * each trained network's weights for every MSE the text quotes, the penalties from the
 * kernels, the halving times by direct simulation, the early-stopping epochs by an
 * independent walk over the validation curve; its figures; and each exercise's check, run
 * against plausible wrong answers.
 */
import { expect, it } from "vitest";
import { accepts, chapterRun, expectRejected, maxAbsDiff } from "../harness/chapter";
import type { ChapterChecks } from "../harness/suite";

type MatrixLike = { rows: number; cols: number; data: Float64Array };
type Model = { getWeights(): MatrixLike[] };

/** ŷ for one x through the 1-32-32-1 tanh network, from its weights [W₁, b₁, W₂, b₂, W₃, b₃]. */
function forward(weights: MatrixLike[], x: number): number {
  let a = [x];
  for (let l = 0; l < 3; l++) {
    const W = weights[2 * l], b = weights[2 * l + 1];
    const z = Array.from({ length: W.cols }, (_, j) => a.reduce((s, ai, i) => s + ai * W.data[i * W.cols + j], b.data[j]));
    a = l < 2 ? z.map(Math.tanh) : z;
  }
  return a[0];
}

/** MSE of a model on (X, Y), by the independent forward pass. */
function mseOf(model: Model, X: MatrixLike, Y: MatrixLike): number {
  const w = model.getWeights();
  let s = 0;
  for (let i = 0; i < X.rows; i++) s += (forward(w, X.data[i]) - Y.data[i]) ** 2;
  return s / X.rows;
}

/** Σw² over the kernels (the even-numbered weights). */
const squares = (model: Model) => model.getWeights().filter((_, k) => k % 2 === 0).reduce((s, W) => s + W.data.reduce((a, w) => a + w * w, 0), 0);

/** The patience rule (minDelta 0), walked independently: 1-based best and stop epochs. */
function rule(v: number[], patience: number): { best: number; stop: number } {
  let best = 0;
  for (let e = 1; e <= v.length; e++) {
    if (best === 0 || v[e - 1] < v[best - 1]) best = e;
    else if (e - best >= patience) return { best, stop: e };
  }
  return { best, stop: v.length };
}

const checks: ChapterChecks = (nb) => {
  const c = chapterRun(nb);

  it("11.1: the data are y = sin(πx) + N(0, 0.3²), 15 training and 100 validation points", () => {
    const { trainSet, valSet } = c.locals();
    expect([trainSet.X.rows, valSet.X.rows]).toEqual([15, 100]);
    // The noise is what is left after the rule: its spread over 115 points is near σ = 0.3.
    const r = [...trainSet.X.data.map((x: number, i: number) => trainSet.Y.data[i] - Math.sin(Math.PI * x)),
      ...valSet.X.data.map((x: number, i: number) => valSet.Y.data[i] - Math.sin(Math.PI * x))];
    const sd = Math.sqrt(r.reduce((s: number, v: number) => s + v * v, 0) / r.length);
    expect(sd).toBeGreaterThan(0.24);
    expect(sd).toBeLessThan(0.36);
    for (const x of [...trainSet.X.data, ...valSet.X.data]) expect(Math.abs(x)).toBeLessThanOrEqual(1);
  });

  it("11.1: it overfits — validation minimum about 0.115 near epoch 130, then more than four times that; training MSE 0.004", () => {
    const { overfit, trainSet, valSet, trainMse, valMse, bestValEpoch } = c.locals();
    expect(valMse).toHaveLength(2000);
    // The hand MSE the curves are made of, against an independent forward pass (float64, same sums).
    expect(Math.abs(valMse[1999] - mseOf(overfit, valSet.X, valSet.Y))).toBeLessThan(1e-12);
    expect(Math.abs(trainMse[1999] - mseOf(overfit, trainSet.X, trainSet.Y))).toBeLessThan(1e-12);
    const min = Math.min(...valMse);
    expect(valMse.indexOf(min) + 1).toBe(bestValEpoch);
    expect(bestValEpoch).toBeGreaterThan(100);
    expect(bestValEpoch).toBeLessThan(160);
    expect(min).toBeGreaterThan(0.09); // cannot beat the noise
    expect(min).toBeLessThan(0.12);
    expect(valMse[1999]).toBeGreaterThan(4 * min);
    expect(trainMse[1999]).toBeLessThan(0.005);
    c.figureTitled(/^15 training points, 100 validation points/);
    c.figureTitled(/^Overfitting as it happens: epoch 2000$/);
    c.figureTitled(/^Training and validation MSE, no regularization/);
    c.figureTitled(/^The network's curve at epochs 50, 150, 500 and 2000/);
  });

  it("11.1: the library's fit and TensorFlow.js's fit report the hand loop's validation MSE; fit's training loss trails by one step", () => {
    const { libHistory, tfHistory, valMse, trainMse } = c.locals();
    expect(maxAbsDiff(libHistory.history.val_loss, valMse.slice(0, 100))).toBe(0);
    // Full batch: the loss reported for epoch e + 1 is measured before its step, on the weights after epoch e.
    expect(maxAbsDiff(libHistory.history.loss.slice(1), trainMse.slice(0, 99))).toBe(0);
    // float32 against float64 over 100 epochs of Adam: measured ~2e-6.
    expect(maxAbsDiff(tfHistory.history.val_loss, valMse.slice(0, 100))).toBeLessThan(1e-5);
    expect(maxAbsDiff(tfHistory.history.loss, libHistory.history.loss)).toBeLessThan(1e-5);
  });

  it("11.2: the penalty in both conventions, on the chapter's small kernel", () => {
    const { handPenalty, handHalfPenalty, handGrad } = c.locals();
    const w = [0.5, -1.2, 0.8, 2.0, 0.1, -0.7];
    const sum = w.reduce((s, v) => s + v * v, 0); // 6.83
    expect(handPenalty).toBeCloseTo(0.01 * sum, 14);
    expect(handHalfPenalty).toBeCloseTo(0.005 * sum, 14);
    expect(maxAbsDiff(handGrad.data, w.map((v) => 0.02 * v))).toBeLessThan(1e-15);
    expect(c.stdout()).toMatch(/λ·Σw² = 0\.06830; ½λ·Σw² = 0\.03415/);
  });

  it("11.2: the one-weight picture puts each minimum where the closed form says (within the grid step)", () => {
    const { trainSet } = c.locals();
    const x: number[] = Array.from(trainSet.X.data), y: number[] = Array.from(trainSet.Y.data), n = x.length;
    const sxy = x.reduce((s, v, i) => s + v * y[i], 0), sxx = x.reduce((s, v) => s + v * v, 0);
    // d/dw of (1/n)Σ(wx − y)² + cλw² is 0 at w = Σxy / (Σx² + c·n·λ), c = 1 (l2) or ½ (halfL2).
    const expected = [sxy / sxx, sxy / (sxx + n * 0.2), sxy / (sxx + n * 0.1)];
    const fig = c.figureTitled(/^One weight, ŷ = wx: the penalty pulls the minimum towards 0/);
    const minima = fig.data.filter((t: any) => /^minimum/.test(t.name)).map((t: any) => t.x[0]);
    expect(minima).toHaveLength(3);
    minima.forEach((w: number, k: number) => expect(Math.abs(w - expected[k])).toBeLessThanOrEqual(1 / 240 + 1e-12));
    // The penalty moves the minimum towards 0, the ½ convention less far.
    expect(expected[0]).toBeGreaterThan(expected[2]);
    expect(expected[2]).toBeGreaterThan(expected[1]);
    expect(expected[1]).toBeGreaterThan(0);
  });

  it("11.3: the weights shrink with λ; validation MSE is lowest at λ = 1e-3; λ = 0.1 outputs the training mean", () => {
    const { sweepNets, sweepSquares, sweepTrain, sweepVal, trainSet, valSet, lambdaSquares } = c.locals();
    // λ = 0.1: Σw² (every 20 epochs) is below the chart's 1e-6 by epoch 200; near the end Adam lifts it briefly.
    expect(lambdaSquares[3][9]).toBeLessThan(1e-6);
    expect(Math.max(...lambdaSquares[3].slice(-5))).toBeGreaterThan(1e-7);
    expect(Math.max(...lambdaSquares[3].slice(-5))).toBeLessThan(1e-4);
    sweepNets.forEach((m: Model, k: number) => {
      expect(Math.abs(sweepSquares[k] - squares(m))).toBeLessThan(1e-9);
      expect(Math.abs(sweepVal[k] - mseOf(m, valSet.X, valSet.Y))).toBeLessThan(1e-12);
      expect(Math.abs(sweepTrain[k] - mseOf(m, trainSet.X, trainSet.Y))).toBeLessThan(1e-12);
    });
    for (let k = 1; k < 5; k++) {
      expect(sweepSquares[k]).toBeLessThan(sweepSquares[k - 1]);
      expect(sweepTrain[k]).toBeGreaterThan(sweepTrain[k - 1]);
    }
    expect(sweepSquares[0]).toBeGreaterThan(250); // "about 300"
    // Training loss with L2 = data MSE + λΣw², epoch 1, rebuilt in the cell and printed.
    expect(c.stdout()).toMatch(/epoch 1: data MSE (0\.\d+) \+ penalty λ·Σw² (0\.\d+) = (0\.\d+); library loss \3, TensorFlow\.js loss \3/);
    expect(sweepVal.indexOf(Math.min(...sweepVal))).toBe(2);
    expect(sweepVal[2]).toBeLessThan(0.16); // "about 0.15", against 0.50
    expect(sweepVal[0]).toBeGreaterThan(3 * sweepVal[2]);
    expect(sweepVal[4]).toBeGreaterThan(sweepVal[2]); // underfits
    // λ = 0.1: every kernel weight is nearly 0, so ŷ ≈ b₃ everywhere, and b₃ minimizes the MSE: the mean of y.
    expect(sweepSquares[4]).toBeLessThan(1e-6);
    const meanY = trainSet.Y.data.reduce((s: number, v: number) => s + v, 0) / 15;
    const w = sweepNets[4].getWeights();
    // Kernel weights of size ~√(1e-6 / 1088) move ŷ by far less than 1e-3.
    expect(Math.abs(forward(w, -0.9) - meanY)).toBeLessThan(1e-3);
    expect(Math.abs(forward(w, 0.9) - meanY)).toBeLessThan(1e-3);
    c.figureTitled(/^L2 at four strengths, and none: epoch 2000$/);
    c.figureTitled(/^Training and validation MSE after 2000 epochs, against λ/);
    c.figureTitled(/^The 1,024 hidden-to-hidden weights/);
  });

  it("11.4: one SGD step decays w by 1 − ηλ; halving times by simulation", () => {
    const { trainSet, decayLambdas, halvingAdamL2, halvingSgd, halvingAdamW } = c.locals();
    const x: number[] = Array.from(trainSet.X.data), y: number[] = Array.from(trainSet.Y.data);
    const dLdw = (2 / 15) * x.reduce((s, xi, i) => s + (0.8 * xi - y[i]) * xi, 0);
    expect(c.stdout()).toContain(`w: 0.8 → ${(0.95 * 0.8 - 0.1 * dLdw).toFixed(6)}`);
    // SGD with l2(λ) and AdamW multiply w by a fixed factor each step: count the steps.
    const count = (factor: number) => { let w = 1, n = 0; while (w >= 0.5) { w *= factor; n++; } return n; };
    decayLambdas.forEach((lam: number, k: number) => {
      if (lam >= 1e-3) {
        expect(halvingSgd[k]).toBe(count(1 - 2 * 0.01 * lam));
        expect(halvingAdamW[k]).toBe(count(1 - 0.01 * lam));
      }
    });
    // Adam on g = 2λw, from its update rule.
    const adam = (lam: number) => {
      let w = 1, m = 0, v = 0, t = 0;
      while (w >= 0.5) {
        t++;
        const g = 2 * lam * w;
        m = 0.9 * m + 0.1 * g;
        v = 0.999 * v + 0.001 * g * g;
        w -= 0.01 * (m / (1 - 0.9 ** t)) / (Math.sqrt(v / (1 - 0.999 ** t)) + 1e-7);
      }
      return t;
    };
    expect(halvingAdamL2[0]).toBe(adam(1e-5));
    expect(halvingAdamL2[5]).toBe(adam(1));
    // The text: Adam + L2 barely moves (about 55 steps, i.e. about 0.5/η) across five orders of magnitude.
    for (const n of halvingAdamL2) { expect(n).toBeGreaterThanOrEqual(50); expect(n).toBeLessThanOrEqual(60); }
    c.figureTitled(/^Steps for an unused weight to halve/);
  });

  it("11.5: library evaluate − TensorFlow.js evaluate = λ·Σw²; the ranking by evaluate differs from the ranking by MSE", () => {
    const { evalModel, evalMse, evalPenalty, evalOurs, evalTheirs, valSet, evalParts } = c.locals();
    expect(Math.abs(evalMse - mseOf(evalModel, valSet.X, valSet.Y))).toBeLessThan(1e-12);
    expect(Math.abs(evalPenalty - 0.01 * squares(evalModel))).toBeLessThan(1e-12);
    expect(evalPenalty).toBeGreaterThan(0.01); // large enough that leaving it out shows
    expect(Math.abs(evalOurs - (evalMse + evalPenalty))).toBeLessThan(1e-12);
    // TensorFlow.js computes in float32: ~1e-7 relative on a loss near 0.2.
    expect(Math.abs(evalTheirs - evalMse)).toBeLessThan(1e-5);
    const [p4, , p2] = evalParts; // λ = 1e-4, 1e-3, 1e-2
    expect(p4.evaluate).toBeLessThan(p2.evaluate);
    expect(p2.mse).toBeLessThan(p4.mse);
    expect(p2.penalty / p2.evaluate).toBeGreaterThan(0.18); // "about a fifth"
    expect(p2.penalty / p2.evaluate).toBeLessThan(0.25);
    expect(c.stdout()).toMatch(/✓ val_loss: library − TensorFlow\.js = penalty/);
    // The fit epoch: each reported number against its hand reconstruction, as printed.
    const fitLines = c.stdout().match(/training loss: +library (\S+) +TensorFlow\.js (\S+) +by hand: training MSE \S+ \+ penalty \S+ = (\S+)\nval_loss: +library (\S+) +TensorFlow\.js (\S+) +by hand: validation MSE (\S+) \+ penalty \S+ = (\S+)/);
    expect(fitLines).not.toBeNull();
    const [, trLib, trTf, trHand, vLib, vTf, vMse, vHand] = fitLines!;
    expect([trLib, trTf]).toEqual([trHand, trHand]); // both training losses include the penalty
    expect(vLib).toBe(vHand); // the library's val_loss includes it
    expect(vTf).toBe(vMse); // TensorFlow.js's does not
    expect(vLib).not.toBe(vTf);
    // Every model of section 11.3: TensorFlow.js's evaluate is the data MSE; the library's gap is penalty.
    for (const r of evalParts) expect(Math.abs(r.tfEvaluate - r.mse)).toBeLessThan(1e-5);
    expect(p2.evaluate - p4.evaluate).toBeGreaterThan(0.03); // "the whole gap of 0.04 is penalty"
    expect(Math.abs(p2.mse - p4.mse)).toBeLessThan(0.01); // "the two are level"
    c.figureTitled(/^evaluate on the validation set: library = MSE \+ penalty \(bar\), TensorFlow\.js = MSE/);
  });

  it("11.6: early stopping — the patience rule walked independently; the best weights restored; tfjs stops alike", () => {
    const { early, early5, valMse, stopped, valSet, tfRuleStop, tfEarlyEpochs, bestValEpoch } = c.locals();
    // "rises from epoch 9 to 15, then falls": the early bump that patience must see past.
    for (let e = 9; e <= 15; e++) expect(valMse[e - 1]).toBeGreaterThan(valMse[e - 2]);
    expect(valMse[15]).toBeLessThan(valMse[14]);
    const r100 = rule(valMse, 100);
    expect(early.stop).toBe(r100.stop);
    expect(early.best).toBe(r100.best);
    expect(early.best).toBe(bestValEpoch); // the minimum of all 2000 epochs comes within the patience
    expect(tfRuleStop).toBe(r100.stop);
    expect(Math.abs(mseOf(stopped, valSet.X, valSet.Y) - valMse[bestValEpoch - 1])).toBeLessThan(1e-12);
    expect(valMse[bestValEpoch - 1]).toBeLessThan(valMse[1999] / 4); // "less than a quarter"
    // Patience 5: the same training, so the same curve, stopping on the early bump.
    const r5 = rule(valMse, 5);
    expect(early5.val).toEqual(valMse.slice(0, early5.stop));
    expect([early5.best, early5.stop]).toEqual([r5.best, r5.stop]);
    expect([early5.best, early5.stop]).toEqual([8, 13]);
    expect(tfEarlyEpochs).toBe(r5.stop);
    expect(c.stdout()).toMatch(/restoreBestWeights: true throws: restoreBestWeights = True is not implemented/);
    c.figureTitled(/^Early stopping with patience 100: epoch 228$/);
    c.figureTitled(/^Early stopping hands back the network of the best epoch/);
  });

  it("FAQ: TensorFlow.js's dropout is inverted (kept values × 2 at p = 0.5) and off in inference", () => {
    const m = c.stdout().match(/training: (\d+) of 10000 kept, each kept value 2, mean (\S+); inference: every value 1\n/);
    expect(m).not.toBeNull();
    const kept = Number(m![1]);
    expect(Math.abs(kept - 5000)).toBeLessThan(250); // 5 standard deviations of a Binomial(10000, ½)
    expect(Number(m![2])).toBeCloseTo((2 * kept) / 10000, 3);
  });

  it("erratum, source 004 §3: a threshold on the training loss stops long after the validation minimum", () => {
    const { trainMse, valMse, thresholdEpoch, bestValEpoch } = c.locals();
    const first = trainMse.findIndex((v: number) => v < 0.01) + 1;
    expect(thresholdEpoch).toBe(first);
    expect(first).toBeGreaterThan(1000);
    expect(valMse[first - 1] / valMse[bestValEpoch - 1]).toBeGreaterThan(1.5);
  });

  it("exercise 11.1 rejects wrong penalties with a hint", () => {
    const { checkEx11_1, l2Penalty } = c.locals();
    accepts(() => checkEx11_1(l2Penalty));
    const all = (Ws: MatrixLike[], f: (w: number) => number) => Ws.reduce((s, W) => s + W.data.reduce((a, w) => a + f(w), 0), 0);
    // the textbook ½
    expectRejected(() => checkEx11_1((Ws: MatrixLike[], lam: number) => 0.5 * lam * all(Ws, (w) => w * w)), /There is no ½/);
    // absolute values (that is L1)
    expectRejected(() => checkEx11_1((Ws: MatrixLike[], lam: number) => lam * all(Ws, Math.abs)), /square every weight/);
    // only the first kernel: passes the visible check, fails the hidden one
    expectRejected(() => checkEx11_1((Ws: MatrixLike[], lam: number) => lam * all([Ws[0]], (w) => w * w)), /sum over all of them/);
  });

  it("exercise 11.2 rejects wrong ridge slopes with a hint", () => {
    const { checkEx11_2, ridgeSlope } = c.locals();
    accepts(() => checkEx11_2(ridgeSlope));
    const sums = (x: number[], y: number[]) => [x.reduce((s, v, i) => s + v * y[i], 0), x.reduce((s, v) => s + v * v, 0)];
    // forgets that the data loss is a mean: right at λ = 0 only
    expectRejected(() => checkEx11_2((x: number[], y: number[], lam: number) => { const [sxy, sxx] = sums(x, y); return sxy / (sxx + lam); }), /n·λ/);
    // the ½ convention
    expectRejected(() => checkEx11_2((x: number[], y: number[], lam: number) => { const [sxy, sxx] = sums(x, y); return sxy / (sxx + x.length * lam / 2); }), /not ½λw²/);
    // a ratio of means: wrong even without a penalty
    expectRejected(() => checkEx11_2((x: number[], y: number[]) => y.reduce((a, b) => a + b, 0) / x.reduce((a, b) => a + b, 0)), /Σxᵢyᵢ \/ Σxᵢ²/);
  });

  it("exercise 11.3 rejects wrong early-stopping rules with a hint", () => {
    const { checkEx11_3, earlyStoppingEpochs } = c.locals();
    accepts(() => checkEx11_3(earlyStoppingEpochs));
    const make = (improves: (v: number, best: number, minDelta: number) => boolean, stopWhen: (wait: number, p: number) => boolean) =>
      (v: number[], p: number, minDelta: number) => {
        let bestLoss = Infinity, best = 0, wait = 0;
        for (let e = 1; e <= v.length; e++) {
          if (improves(v[e - 1], bestLoss, minDelta)) { bestLoss = v[e - 1]; best = e; wait = 0; } else if (stopWhen(++wait, p)) return { best, stop: e };
        }
        return { best, stop: v.length };
      };
    // one epoch too many: waits for patience + 1
    expectRejected(() => checkEx11_3(make((v, b, d) => v < b - d, (w, p) => w > p)), /count reaches 3 after epoch 6/);
    // a tie counts as an improvement
    expectRejected(() => checkEx11_3(make((v, b, d) => v <= b - d, (w, p) => w >= p)), /strictly below/);
    // minDelta ignored
    expectRejected(() => checkEx11_3(make((v, b) => v < b, (w, p) => w >= p)), /v < best − minDelta/);
  });

  it("exercise 11.4 rejects wrong patience investigations with a hint", () => {
    const { checkEx11_4, safePatience } = c.locals();
    accepts(() => checkEx11_4(safePatience));
    const longestRun = (v: number[], upTo: number) => {
      let best = Infinity, wait = 0, longest = 0;
      for (let i = 0; i < upTo; i++) { if (v[i] < best) { best = v[i]; wait = 0; } else longest = Math.max(longest, ++wait); }
      return longest;
    };
    // the longest run itself, without the + 1
    expectRejected(() => checkEx11_4((v: number[]) => longestRun(v, v.indexOf(Math.min(...v)) + 1)), /Patience must be longer/);
    // the longest run over the whole curve, after the minimum too: right on the visible case only
    expectRejected(() => checkEx11_4((v: number[]) => longestRun(v, v.length) + 1), /after the minimum does not matter/);
  });
};

export default checks;
