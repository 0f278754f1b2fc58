/**
 * Chapter 05's own checks: what the chapter tells the reader to expect, recomputed here from
 * the formulas (never copied from the notebook's output) and compared with what the notebook
 * computed; its figures; and each exercise's check, run against plausible wrong answers.
 */
import { expect, it } from "vitest";
import type { ChapterChecks } from "../harness/suite";
import { chapterRun, maxAbsDiff, rejection } from "../harness/chapter";

type PlotlyFigure = {
  data: { name?: string; type?: string; x?: unknown[]; y?: unknown[]; z?: number[][] }[];
  layout: { title?: { text?: string } };
};
type MatrixLike = { rows: number; cols: number; data: Float64Array };
type MatrixCtor = { from(v: number[][]): MatrixLike; row(v: number[]): MatrixLike };

// The formulas of chapter 05, written out independently of the library.
const ln = Math.log;
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const sigma = (z: number) => 1 / (1 + Math.exp(-z));
const softmaxRow = (z: number[]) => {
  const c = Math.max(...z);
  const e = z.map((v) => Math.exp(v - c));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};
/** Binary cross-entropy from a logit, in the form log(1 + e^z) − y·z, written for z of either sign. */
const bceOfLogit = (z: number, y: number) => (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - y * z;
const EPS = 1e-7;

/** The message of the CheckError a check throws on a wrong answer (the test fails if it passes). */
function failureOf(check: () => void): string {
  const e = rejection(check);
  expect(e.name, e.message).toBe("CheckError");
  return e.message;
}

const checks: ChapterChecks = (run) => {
  const locals = () => run().locals as Record<string, unknown>;
  const shared = chapterRun(run);
  const figures = () => shared.figures() as unknown as PlotlyFigure[];
  const figureTitled = (pattern: RegExp) => shared.figureTitled(pattern) as unknown as PlotlyFigure;
  const shown = () => run().cells.map((c) => c.stdout).join("\n");

  // ---- 5.1 ----
  it("5.1: MSE 0.375 and ½MSE 0.1875 on the example, gradients 2e/n and e/n, tfjs's gradient twice the ½MSE's", () => {
    const l = locals() as {
      mseHand: number; halfMseHand: number; mseGradHand: number[]; mseLib: number; halfMseLib: number;
      mseTf: number; mseGradTf: number[]; halfMseGradLib: MatrixLike;
    };
    const y = [3, -0.5, 2, 7], yhat = [2.5, 0, 2, 8];
    const e = yhat.map((v, i) => v - y[i]);
    const mse = mean(e.map((v) => v * v));
    expect(mse).toBe(0.375);
    // float64 on both sides: exact up to rounding of a few operations.
    expect(Math.abs(l.mseHand - mse)).toBeLessThan(1e-15);
    expect(Math.abs(l.mseLib - mse)).toBeLessThan(1e-15);
    expect(Math.abs(l.halfMseHand - mse / 2)).toBeLessThan(1e-15);
    expect(Math.abs(l.halfMseLib - mse / 2)).toBeLessThan(1e-15);
    expect(maxAbsDiff(l.mseGradHand, e.map((v) => (2 * v) / 4))).toBeLessThan(1e-15);
    expect(maxAbsDiff(l.halfMseGradLib.data, e.map((v) => v / 4))).toBeLessThan(1e-15);
    // tfjs: float32, values below 1, so 1e-6.
    expect(Math.abs(l.mseTf - mse)).toBeLessThan(1e-6);
    expect(maxAbsDiff(l.mseGradTf, e.map((v) => (2 * v) / 4))).toBeLessThan(1e-6);
    expect(maxAbsDiff(l.mseGradTf, Array.from(l.halfMseGradLib.data, (v) => 2 * v))).toBeLessThan(1e-6);
    expect(shown()).toMatch(/source 002's formula: 0\.1875[\s\S]*ratio 2\.000/);
  });

  // ---- 5.2 ----
  it("5.2: the line's MSE on y = x² has its minimum 2.8 at (6, −7), predicting 29; lines through (6, 36) cost ≥ 11.709", () => {
    const l = locals() as {
      lineMse: (w: number, b: number) => number; lineGradient: (w: number, b: number) => number[];
      line36: { w: number; b: number; mse: number }; lineMin: { w: number; b: number };
    };
    const x = [1, 2, 3, 4, 5], y = x.map((v) => v * v);
    const mx = mean(x), my = mean(y);
    const w = x.reduce((s, xi, i) => s + (xi - mx) * (y[i] - my), 0) / x.reduce((s, xi) => s + (xi - mx) ** 2, 0);
    const b = my - w * mx;
    expect([w, b]).toEqual([6, -7]);
    const minMse = mean(x.map((xi, i) => (w * xi + b - y[i]) ** 2));
    expect(minMse).toBeCloseTo(2.8, 12);
    expect(w * 6 + b).toBe(29);
    expect(l.lineMin).toEqual({ w: 6, b: -7 });
    expect(l.lineMse(6, -7)).toBeCloseTo(2.8, 12);
    expect(l.lineMse(0, 0)).toBeCloseTo(mean(y.map((v) => v * v)), 12); // 979/5 = 195.8
    expect(maxAbsDiff(l.lineGradient(6, -7), [0, 0])).toBeLessThan(1e-12);
    // Constrained least squares on 6w + b = 36: minimise Σ(w·uᵢ − tᵢ)², u = x − 6, t = y − 36.
    const u = x.map((v) => v - 6), t = y.map((v) => v - 36);
    const suu = u.reduce((s, v) => s + v * v, 0), sut = u.reduce((s, v, i) => s + v * t[i], 0);
    const w36 = sut / suu;
    const mse36 = (t.reduce((s, v) => s + v * v, 0) - (sut * sut) / suu) / x.length;
    expect(l.line36.w).toBeCloseTo(w36, 12);
    expect(6 * l.line36.w + l.line36.b).toBeCloseTo(36, 12);
    expect(l.line36.mse).toBeCloseTo(mse36, 9);
    expect(mse36).toBeCloseTo(11.709, 3);
    expect(l.line36.mse / minMse).toBeGreaterThan(4);
    expect(shown()).toMatch(/✓ 50 steps with η on MSE = 50 steps with 2η on ½MSE/);
  });

  it("5.2: the contour's lowest grid point is the minimum (6, −7); the surface and the data plot are drawn", () => {
    const fig = figureTitled(/^MSE of the line ŷ = wx \+ b on source 004's data/);
    const contour = fig.data.find((t) => t.type === "contour")!;
    const xs = contour.x as number[], ys = contour.y as number[], z = contour.z!;
    let best = { v: Infinity, w: NaN, b: NaN };
    z.forEach((row, j) => row.forEach((v, i) => { if (v < best.v) best = { v, w: xs[i], b: ys[j] }; }));
    expect(best.w).toBeCloseTo(6, 9);
    expect(best.b).toBeCloseTo(-7, 9);
    expect(best.v).toBeCloseTo(Math.log10(2.8), 9);
    expect(fig.data.map((t) => t.name)).toContain("lines with ŷ(6) = 36 (6w + b = 36)");
    expect(figureTitled(/as a bowl$/).data[0].type).toBe("surface");
    const line = figureTitled(/^The best straight line through y = x²/);
    expect(line.data.filter((t) => t.name === "residuals ŷ − y")).toHaveLength(5);
  });

  // ---- 5.3 ----
  it("5.3: BCE 0.5108 on the example = −ln(likelihood 0.1296)/4; library and tfjs agree; gradient (p − y)/(p(1 − p))/m", () => {
    const l = locals() as {
      bceHand: number; likelihood: number; bceLib: number; bceTf: number;
      bceGradLib: MatrixLike; bceGradTf: number[];
    };
    const y = [1, 0, 1, 0], p = [0.9, 0.2, 0.6, 0.7];
    const want = -(ln(0.9) + ln(0.8) + ln(0.6) + ln(0.3)) / 4;
    expect(want).toBeCloseTo(0.51083, 5);
    expect(l.likelihood).toBeCloseTo(0.9 * 0.8 * 0.6 * 0.3, 14);
    expect(Math.abs(l.bceHand - want)).toBeLessThan(1e-15);
    expect(Math.abs(l.bceLib - want)).toBeLessThan(1e-15);
    expect(Math.abs(l.bceTf - want)).toBeLessThan(1e-6); // float32
    const grad = p.map((pi, i) => (pi - y[i]) / (pi * (1 - pi)) / 4);
    expect(maxAbsDiff(l.bceGradLib.data, grad)).toBeLessThan(1e-15);
    expect(maxAbsDiff(l.bceGradTf, grad)).toBeLessThan(1e-6);
    expect(shown()).toMatch(/product: 0; −\(sum of logs\) \/ m: 0\.6931/);
    const curves = figureTitled(/^Loss of one example as a function of the predicted probability p$/);
    const [pos] = curves.data;
    expect(maxAbsDiff(pos.y as number[], (pos.x as number[]).map((v) => -ln(v)))).toBeLessThan(1e-12);
  });

  // ---- 5.4 ----
  it("5.4: softmax and categorical cross-entropy of the cat / dog / bird example; source 002's binary formula gives another number", () => {
    const l = locals() as {
      aCatHand: number[][]; cceHand: number; cceLib: number; cceTf: number; AcatTf: number[];
      binaryOnSoftmax: number; binaryOnSoftmaxTf: number; binaryAccuracyTf: number; categoricalAccuracyTf: number;
    };
    const Z = [[2, 1, 0.1], [0.5, 2.5, -1]], labels = [0, 2];
    const A = Z.map(softmaxRow);
    const cce = -(ln(A[0][0]) + ln(A[1][2])) / 2;
    expect(cce).toBeCloseTo(2.0351, 4);
    expect(maxAbsDiff(l.aCatHand.flat(), A.flat())).toBeLessThan(1e-15);
    expect(Math.abs(l.cceHand - cce)).toBeLessThan(1e-14);
    expect(Math.abs(l.cceLib - cce)).toBeLessThan(1e-14);
    expect(maxAbsDiff(l.AcatTf, A.flat())).toBeLessThan(1e-6); // float32 probabilities
    expect(Math.abs(l.cceTf - cce)).toBeLessThan(1e-5); // float32, loss ≈ 2
    // Source 002's formula, entry by entry over the m·k = 6 entries of the softmax output.
    const Y = labels.map((c) => [0, 1, 2].map((j) => (j === c ? 1 : 0)));
    const binary = mean(A.flat().map((p, k) => -(Y.flat()[k] * ln(p) + (1 - Y.flat()[k]) * ln(1 - p))));
    expect(binary).toBeCloseTo(1.0878, 4);
    expect(Math.abs(l.binaryOnSoftmax - binary)).toBeLessThan(1e-14);
    expect(Math.abs(l.binaryOnSoftmaxTf - binary)).toBeLessThan(1e-5);
    expect(Math.abs(binary - cce)).toBeGreaterThan(0.5);
    // Binary accuracy: the share of the 6 entries on the label's side of 0.5; categorical: argmax = label.
    const entriesRight = A.flat().filter((p, k) => (p > 0.5 ? 1 : 0) === Y.flat()[k]).length;
    expect(entriesRight).toBe(4);
    expect(Math.abs(l.binaryAccuracyTf - entriesRight / 6)).toBeLessThan(1e-6);
    const argmax = (row: number[]) => row.indexOf(Math.max(...row));
    expect(l.categoricalAccuracyTf).toBeCloseTo(mean(A.map((row, i) => (argmax(row) === labels[i] ? 1 : 0))), 6);
    expect(l.categoricalAccuracyTf).toBeCloseTo(0.5, 6);
    expect(shown()).toMatch(/metrics \["accuracy"\]: loss 1\.0878, accuracy 0\.6667/);
  });

  it("5.4: the bird example's loss falls as its logit z₃ rises; its probability passes 0.5 at z₃ = ln(e^0.5 + e^2.5)", () => {
    const fig = figureTitled(/^Loss of the bird example as its bird logit z₃ changes/);
    const [loss, bird, dog, marker] = fig.data;
    const z3 = loss.x as number[];
    const want = z3.map((z) => -ln(softmaxRow([0.5, 2.5, z])[2]));
    expect(maxAbsDiff(loss.y as number[], want)).toBeLessThan(1e-12);
    for (let i = 1; i < want.length; i++) expect((loss.y as number[])[i]).toBeLessThan((loss.y as number[])[i - 1]);
    const crossing = ln(Math.exp(0.5) + Math.exp(2.5));
    expect(crossing).toBeCloseTo(2.627, 3);
    (bird.y as number[]).forEach((p, i) => expect(p > 0.5).toBe(z3[i] > crossing));
    expect(maxAbsDiff(dog.y as number[], z3.map((z) => softmaxRow([0.5, 2.5, z])[1]))).toBeLessThan(1e-12);
    expect(marker.x).toEqual([-1]);
    expect((marker.y as number[])[0]).toBeCloseTo(-ln(softmaxRow([0.5, 2.5, -1])[2]), 12); // 3.6532
  });

  // ---- 5.5 ----
  it("5.5: sparse labels give the categorical loss of the one-hot labels, also in tfjs", () => {
    const l = locals() as { sparseLib: number; sparseAsOneHot: number; sparseTf: number };
    const A = [[2, 1, 0.1], [0.5, 2.5, -1]].map(softmaxRow);
    const cce = -(ln(A[0][0]) + ln(A[1][2])) / 2;
    expect(Math.abs(l.sparseLib - cce)).toBeLessThan(1e-14);
    expect(Math.abs(l.sparseAsOneHot - cce)).toBeLessThan(1e-14);
    expect(Math.abs(l.sparseTf - cce)).toBeLessThan(1e-5);
    expect(shown()).toMatch(/ShapeError: sparseCategoricalCrossentropy\.loss: expected Y to have shape \[2, 1\], got \[2, 3\]/);
  });

  // ---- 5.6 ----
  it("5.6: naive BCE gives Infinity and NaN at p = 0 or 1; clipping to [1e-7, 1 − 1e-7] caps a term at −ln 1e-7 = 16.118", () => {
    const l = locals() as { naiveEdge: number[]; clippedEdge: number[]; clippedLib: number[]; clippedTf: number[] };
    expect(l.naiveEdge[0]).toBe(Infinity);
    expect(l.naiveEdge[1]).toBeNaN();
    expect(l.naiveEdge[2]).toBeNaN();
    expect(l.naiveEdge[3]).toBeCloseTo(-ln(1e-9), 12);
    const cap = -ln(EPS);
    expect(cap).toBeCloseTo(16.118, 3);
    const clipped = [cap, -ln(1 - EPS), -ln(1 - EPS), cap];
    expect(maxAbsDiff(l.clippedEdge, clipped)).toBeLessThan(1e-12);
    expect(maxAbsDiff(l.clippedLib, clipped)).toBeLessThan(1e-12);
    // float32: relative 1e-7 of 16.1 plus tfjs's float32 ε (1e-8 relative away from 1e-7).
    expect(maxAbsDiff(l.clippedTf, clipped)).toBeLessThan(1e-5);
    expect(shown()).toMatch(/σ\(37\) === 1 in float64: true/);
    expect(shown()).toMatch(/tf\.sigmoid\(18\) === 1 in float32: true/);
    const fig = figureTitled(/^Binary cross-entropy of a label-1 example, naive and clipped$/);
    expect(Math.max(...(fig.data[1].y as number[]))).toBeCloseTo(cap, 9);
  });

  // ---- 5.7 ----
  it("5.7: logits [1000, 0, −1000] with the last class true: naive Infinity/NaN, log-sum-exp 1000, loss 2000; the probability path caps at 16.118", () => {
    const l = locals() as {
      lseHand: number; lseLib: number; lseTf: number; ceLogitsHand: number; ceLogitsLib: number; ceLogitsTf: number;
      ceLogitsSparseLib: number; ceViaProbLib: number; ceViaProbTf: number;
    };
    expect(shown()).toMatch(/naive softmax: \[NaN,0,0\]\nnaive cross-entropy: Infinity\nnaive log-sum-exp: Infinity/);
    // LSE = 1000 + ln(1 + e^−1000 + e^−2000), which is 1000 in float64; the loss is LSE − (−1000).
    for (const v of [l.lseHand, l.lseLib]) expect(v).toBe(1000);
    for (const v of [l.ceLogitsHand, l.ceLogitsLib, l.ceLogitsSparseLib]) expect(v).toBe(2000);
    // float32 holds 1000 and 2000 exactly.
    expect(Math.abs(l.lseTf - 1000)).toBeLessThan(1e-4);
    expect(Math.abs(l.ceLogitsTf - 2000)).toBeLessThan(1e-4);
    expect(Math.abs(l.ceViaProbLib + ln(EPS))).toBeLessThan(1e-9);
    expect(Math.abs(l.ceViaProbTf + ln(EPS))).toBeLessThan(1e-5);
  });

  it("5.7: sigmoid cross-entropy from logits (tfjs) = the two-class fromLogits loss = log(1 + e^z) − y·z", () => {
    const l = locals() as { zBinary: number[]; sigmoidCeLib: number[]; sigmoidCeTf: number[] };
    const want = [0, 1].flatMap((y) => l.zBinary.map((z) => bceOfLogit(z, y)));
    expect(l.zBinary).toEqual([-1000, -30, -2, 0, 2, 30, 1000]);
    expect(maxAbsDiff(l.sigmoidCeLib, want)).toBeLessThan(1e-12);
    expect(maxAbsDiff(l.sigmoidCeTf, want)).toBeLessThan(1e-4); // float32, values up to 1000
    const fig = figureTitled(/^Cross-entropy of a mistake with wrong margin d, three ways$/);
    const [fromLogits, clipped, naive] = fig.data;
    const d = fromLogits.x as number[];
    expect(maxAbsDiff(fromLogits.y as number[], d.map((di) => bceOfLogit(di, 0)))).toBeLessThan(1e-12);
    expect(Math.max(...(clipped.y as number[]))).toBeCloseTo(-ln(EPS), 6);
    expect(Math.max(...(naive.x as number[]))).toBeLessThan(709.8); // e^d overflows beyond ln(max float64)
  });

  // ---- 5.8 ----
  it("5.8: dL/dZ of softmax with cross-entropy is (Ŷ − Y)/m, five ways", () => {
    const l = locals() as {
      dZHand: MatrixLike; dZLib: MatrixLike; dZChain: MatrixLike; dZNumeric: MatrixLike; dZTf: number[];
      dZRelativeError: number;
    };
    const A = [[2, 1, 0.1], [0.5, 2.5, -1]].map(softmaxRow);
    const Y = [[1, 0, 0], [0, 0, 1]];
    const dZ = A.flatMap((row, i) => row.map((a, j) => (a - Y[i][j]) / 2));
    expect(maxAbsDiff(l.dZHand.data, dZ)).toBeLessThan(1e-15);
    expect(maxAbsDiff(l.dZLib.data, dZ)).toBeLessThan(1e-15);
    expect(maxAbsDiff(l.dZChain.data, dZ)).toBeLessThan(1e-15);
    // Central difference with h = 1e-5: truncation O(h²) and rounding ~1e-16/h, both far below 1e-9.
    expect(maxAbsDiff(l.dZNumeric.data, dZ)).toBeLessThan(1e-9);
    expect(l.dZRelativeError).toBeLessThan(1e-7);
    expect(maxAbsDiff(l.dZTf, dZ)).toBeLessThan(1e-6); // float32, entries below 0.5
    const bars = figureTitled(/^Softmax output, label and gradient for the bird taken for a dog$/);
    expect(maxAbsDiff(bars.data[2].y as number[], A[1].map((a, j) => a - Y[1][j]))).toBeLessThan(1e-15);
  });

  it("FAQ: accuracy does not move when one probability is nudged; the noise keeps the regression MSE near 1", () => {
    expect(shown()).toMatch(/accuracy: 0\.75 → 0\.75; cross-entropy: 0\.5108 → 0\.472/);
    const { noiseFloor } = locals() as { noiseFloor: { trueMse: number; bestMse: number } };
    // Least squares minimises the MSE over all lines, the true rule y = 2x among them.
    expect(noiseFloor.bestMse).toBeLessThanOrEqual(noiseFloor.trueMse);
    // 100 draws of ε²: mean 1, standard deviation √(2/100) ≈ 0.14.
    expect(noiseFloor.trueMse).toBeGreaterThan(0.6);
    expect(noiseFloor.trueMse).toBeLessThan(1.4);
  });

  it("FAQ: random mini-batch losses estimate the whole set's loss; one epoch's batches average to it exactly", () => {
    const l = locals() as {
      noiseFloor: { x: number[]; y: number[]; trueMse: number };
      batchStudy: { B: number; losses: number[]; average: number; spread: number; averageSum: number; worstEpochGap: number }[];
    };
    const { x, y } = l.noiseFloor;
    expect(x).toHaveLength(100);
    const squared = x.map((xi, i) => (2 * xi - y[i]) ** 2);
    const L = mean(squared);
    expect(Math.abs(l.noiseFloor.trueMse - L)).toBeLessThan(1e-12);
    expect(l.batchStudy.map((r) => r.B)).toEqual([10, 25, 50]);
    // Sampling B of m = 100 squared errors without replacement: the batch mean has
    // standard deviation σ/√B · √((m − B)/(m − 1)), σ² the population variance of the squared errors.
    const sigma2 = mean(squared.map((v) => (v - L) ** 2));
    for (const r of l.batchStudy) {
      expect(r.losses).toHaveLength(200 * (100 / r.B));
      // Every epoch's equal-sized batches split the 100 points, so their means average to L (float64 rounding only).
      expect(r.worstEpochGap).toBeLessThan(1e-12);
      expect(Math.abs(mean(r.losses) - L)).toBeLessThan(1e-12);
      expect(Math.abs(r.average - L)).toBeLessThan(1e-12);
      expect(r.averageSum).toBeCloseTo(r.B * L, 9);
      const theory = Math.sqrt((sigma2 / r.B) * ((100 - r.B) / 99));
      // 400 to 2,000 batches: the spread's sampling error is a few per cent; 15 % is generous.
      expect(Math.abs(r.spread / theory - 1)).toBeLessThan(0.15);
    }
    const spreads = l.batchStudy.map((r) => r.spread);
    expect(spreads[0]).toBeGreaterThan(spreads[1]);
    expect(spreads[1]).toBeGreaterThan(spreads[2]);
    const fig = figureTitled(/^Loss of random mini-batches of the same 100 points/);
    expect(fig.data.map((t) => t.type)).toEqual(["histogram", "histogram"]);
    expect(Math.max(...l.batchStudy[0].losses)).toBeLessThan(5); // inside the histogram's bins
  });

  it("the MSE-versus-CE gradient picture: MSE's push fades like 2e^z, CE's stays near 1", () => {
    const fig = figureTitled(/^How hard each loss pushes the logit of a label-1 example$/);
    const [mse, ce] = fig.data;
    const z = mse.x as number[];
    const i = z.findIndex((v) => Math.abs(v + 10) < 1e-9);
    expect(i).toBeGreaterThanOrEqual(0);
    const p = sigma(-10);
    expect((mse.y as number[])[i]).toBeCloseTo(2 * (1 - p) * p * (1 - p), 12);
    expect((ce.y as number[])[i]).toBeCloseTo(1 - p, 12);
  });

  // ---- exercises: the notebook's answers pass, plausible wrong answers are rejected with a hint ----
  it("every exercise passes with the notebook's answers", () => {
    const out = shown();
    for (const n of [1, 2, 3, 4, 5]) expect(out).toMatch(new RegExp(`✓ Exercise 5\\.${n} .*: all checks pass\\.`));
  });

  it("Exercise 5.1 rejects the ½ convention, a flipped gradient sign, and a fixed n = 4", () => {
    const l = locals() as {
      checkEx5_1: (f: (y: number[], yhat: number[]) => { loss: number; grad: number[] }) => void;
      mseAndGradient: (y: number[], yhat: number[]) => { loss: number; grad: number[] };
    };
    const r = l.mseAndGradient([1, 2, 3], [2, 2, 5]); // errors 1, 0, 2: MSE 5/3, gradient [2/3, 0, 4/3]
    expect(r.loss).toBeCloseTo(5 / 3, 14);
    expect(maxAbsDiff(r.grad, [2 / 3, 0, 4 / 3])).toBeLessThan(1e-14);
    expect(() => l.checkEx5_1(l.mseAndGradient)).not.toThrow();
    const half = (y: number[], yhat: number[]) => {
      const e = yhat.map((v, i) => v - y[i]);
      return { loss: e.reduce((s, v) => s + v * v, 0) / (2 * e.length), grad: e.map((v) => v / e.length) };
    };
    expect(failureOf(() => l.checkEx5_1(half))).toMatch(/Dividing by 2n gives the ½MSE/);
    const flipped = (y: number[], yhat: number[]) => {
      const e = yhat.map((v, i) => v - y[i]);
      return { loss: e.reduce((s, v) => s + v * v, 0) / e.length, grad: e.map((v) => (-2 * v) / e.length) };
    };
    expect(failureOf(() => l.checkEx5_1(flipped))).toMatch(/the sign from ŷ − y/);
    // Passes the visible example (n = 4) and fails only the hidden cases.
    const fixedN = (y: number[], yhat: number[]) => {
      const e = yhat.map((v, i) => v - y[i]);
      return { loss: e.reduce((s, v) => s + v * v, 0) / 4, grad: e.map((v) => (2 * v) / 4) };
    };
    expect(failureOf(() => l.checkEx5_1(fixedN))).toMatch(/n = y\.length, not .*a fixed number/);
  });

  it("Exercise 5.2 rejects y − p, the gradient with respect to p, and an answer that handles only labels 0 and 1", () => {
    const l = locals() as {
      checkEx5_2: (f: (z: number, y: number) => number) => void;
      bceLogitGradient: (z: number, y: number) => number;
    };
    for (const [z, y] of [[0.7, 1], [-2, 0], [1.5, 0.4]]) expect(l.bceLogitGradient(z, y)).toBeCloseTo(sigma(z) - y, 14);
    expect(() => l.checkEx5_2(l.bceLogitGradient)).not.toThrow();
    expect(failureOf(() => l.checkEx5_2((z, y) => y - sigma(z)))).toMatch(/the sign makes the gradient negative/);
    expect(failureOf(() => l.checkEx5_2((z, y) => (sigma(z) - y) / (sigma(z) * (1 - sigma(z))))))
      .toMatch(/chain rule multiplies dL\/dp/);
    const onlyHardLabels = (z: number, y: number) => (y === 1 ? sigma(z) - 1 : sigma(z));
    expect(failureOf(() => l.checkEx5_2(onlyHardLabels))).toMatch(/any label y in \[0, 1\]/);
  });

  it("Exercise 5.3 rejects the naive formula, the clipped loss, an unstabilised softplus, and one safe for z ≥ 0 only", () => {
    type M = MatrixLike;
    const l = locals() as {
      checkEx5_3: (f: (Y: M, Z: M) => number) => void;
      bceFromLogits: (Y: M, Z: M) => number;
      binaryCrossentropy: { loss(Y: M, P: M): number };
      sigmoid: { f(Z: M): M };
      Matrix: MatrixCtor;
    };
    const Y = l.Matrix.from([[1, 0], [0.3, 1]]), Z = l.Matrix.from([[-800, 900], [2.5, -4]]);
    const want = mean([bceOfLogit(-800, 1), bceOfLogit(900, 0), bceOfLogit(2.5, 0.3), bceOfLogit(-4, 1)]);
    expect(l.bceFromLogits(Y, Z)).toBeCloseTo(want, 10);
    expect(() => l.checkEx5_3(l.bceFromLogits)).not.toThrow();
    const perEntry = (f: (z: number, y: number) => number) => (Ym: M, Zm: M) =>
      mean(Array.from(Zm.data, (z, k) => f(z, Ym.data[k])));
    const naive = perEntry((z, y) => -(y * ln(sigma(z)) + (1 - y) * ln(1 - sigma(z))));
    expect(failureOf(() => l.checkEx5_3(naive))).toMatch(/log\(1 \+ e\^1000\) overflows/);
    const clipped = (Ym: M, Zm: M) => l.binaryCrossentropy.loss(Ym, l.sigmoid.f(Zm));
    expect(failureOf(() => l.checkEx5_3(clipped))).toMatch(/do not clip, which would give 16\.1/);
    const softplus = perEntry((z, y) => ln(1 + Math.exp(z)) - y * z);
    expect(failureOf(() => l.checkEx5_3(softplus))).toMatch(/max\(z, 0\) \+ log\(1 \+ e\^−\|z\|\)/);
    // Exact for z ≥ 0, overflows for z ≪ 0: passes the visible checks, fails a hidden one.
    const positiveOnly = perEntry((z, y) => z - y * z + Math.log1p(Math.exp(-z)));
    expect(failureOf(() => l.checkEx5_3(positiveOnly))).toMatch(/both signs of z must be safe/);
  });

  it("Exercise 5.4 rejects an MSE gradient without σ′, the ½ convention, and CE's gradient with respect to p", () => {
    const l = locals() as {
      checkEx5_4: (f: (z: number, y: number) => { mse: number; ce: number }) => void;
      logitGradients: (z: number, y: number) => { mse: number; ce: number };
    };
    const g = l.logitGradients(-10, 1), p = sigma(-10);
    expect(g.mse).toBeCloseTo(2 * (p - 1) * p * (1 - p), 15);
    expect(g.ce).toBeCloseTo(p - 1, 15);
    expect(Math.abs(g.ce / g.mse)).toBeGreaterThan(1e4);
    expect(() => l.checkEx5_4(l.logitGradients)).not.toThrow();
    const noSigmaPrime = (z: number, y: number) => ({ mse: 2 * (sigma(z) - y), ce: sigma(z) - y });
    expect(failureOf(() => l.checkEx5_4(noSigmaPrime))).toMatch(/multiplies by dp\/dz = p\(1 − p\)/);
    const half = (z: number, y: number) => ({ mse: (sigma(z) - y) * sigma(z) * (1 - sigma(z)), ce: sigma(z) - y });
    expect(failureOf(() => l.checkEx5_4(half))).toMatch(/the 2 stays/);
    const ceWrtP = (z: number, y: number) => {
      const q = sigma(z);
      return { mse: 2 * (q - y) * q * (1 - q), ce: (q - y) / (q * (1 - q)) };
    };
    expect(failureOf(() => l.checkEx5_4(ceWrtP))).toMatch(/Exercise 5\.2's result/);
  });

  it("Exercise 5.5 rejects an MSE gradient without σ′, a sign error, the ½ convention, and maxSteps for 'never'", () => {
    type Loss = "mse" | "ce";
    type Answer = (loss: Loss, z0: number, eta: number, maxSteps: number) => number;
    const l = locals() as { checkEx5_5: (f: Answer) => void; stepsToRecover: Answer };
    // Independently: the number of steps z ← z − η·dL/dz until z > 0.
    const steps = (grad: (z: number) => number, z0: number, eta: number, max: number, neverIsMax = false) => {
      let z = z0;
      for (let t = 0; t < max; t++) {
        if (z > 0) return t;
        z -= eta * grad(z);
      }
      return z > 0 || neverIsMax ? max : Infinity;
    };
    const ceGrad = (z: number) => sigma(z) - 1;
    const mseGrad = (z: number) => 2 * (sigma(z) - 1) * sigma(z) * (1 - sigma(z));
    expect(l.stepsToRecover("ce", -8, 1, 100000)).toBe(steps(ceGrad, -8, 1, 100000));
    expect(l.stepsToRecover("mse", -8, 1, 100000)).toBe(steps(mseGrad, -8, 1, 100000));
    expect(steps(ceGrad, -8, 1, 100000)).toBe(9);
    expect(steps(mseGrad, -8, 1, 100000)).toBeGreaterThan(1400); // about e⁸/2 ≈ 1490
    expect(steps(mseGrad, -8, 1, 100000)).toBeLessThan(1600);
    expect(() => l.checkEx5_5(l.stepsToRecover)).not.toThrow();
    const make = (mse: (z: number) => number, sign = 1, neverIsMax = false): Answer =>
      (loss, z0, eta, max) => steps((z) => sign * (loss === "ce" ? ceGrad(z) : mse(z)), z0, eta, max, neverIsMax);
    expect(failureOf(() => l.checkEx5_5(make((z) => 2 * (sigma(z) - 1))))).toMatch(/the factor σ′\(z\) ≈ e\^z/);
    expect(failureOf(() => l.checkEx5_5(make(mseGrad, -1)))).toMatch(/subtract the gradient/);
    // The ½ convention takes about twice as many steps: passes the visible checks, fails a hidden one.
    expect(failureOf(() => l.checkEx5_5(make((z) => mseGrad(z) / 2)))).toMatch(/\(σ\(z\) − 1\)² with no ½/);
    expect(failureOf(() => l.checkEx5_5(make(mseGrad, 1, true)))).toMatch(/return Infinity, not maxSteps/);
  });
};

export default checks;
