/**
 * Chapter 06's own checks: what the chapter tells the reader to expect, recomputed here from
 * the formulas (never copied from the notebook's output) and compared with what the notebook
 * computed; its figures; and each exercise's check, run against plausible wrong answers.
 */
import { expect, it } from "vitest";
import type { ChapterChecks } from "../harness/suite";
import { chapterRun, maxAbsDiff, rejection } from "../harness/chapter";

type PlotlyTrace = { name?: string; type?: string; x?: number[]; y?: number[]; z?: number[][] };
type PlotlyFigure = { data: PlotlyTrace[]; layout: { title?: { text?: string } } };
type MatrixLike = {
  rows: number; cols: number; data: Float64Array; toArray(): number[][];
  matmul(o: MatrixLike): MatrixLike; transpose(): MatrixLike; sub(o: MatrixLike): MatrixLike;
  scale(s: number): MatrixLike; map(f: (v: number) => number): MatrixLike; sum(): number;
};
type MatrixCtor = { from(v: number[][]): MatrixLike; column(v: number[]): MatrixLike };
type RandomLike = { permutation(n: number): number[] };
type RandomCtor = new (seed: number) => RandomLike;
type Minibatches = (X: MatrixLike, Y: MatrixLike, batchSize: number, o: { rng?: RandomLike; shuffle?: boolean }) =>
  Iterable<{ X: MatrixLike; Y: MatrixLike }>;

/** The message of the CheckError a check throws on a wrong answer (the test fails if it passes). */
function failureOf(check: () => void): string {
  const e = rejection(check);
  expect(e.name, e.message).toBe("CheckError");
  return e.message;
}

/** Plain gradient descent, independent of the library: the points visited. */
function descend(grad: (t: number[]) => number[], theta0: number[], eta: number, steps: number): number[][] {
  const path = [theta0.slice()];
  let theta = theta0.slice();
  for (let t = 0; t < steps; t++) {
    const g = grad(theta);
    theta = theta.map((v, i) => v - eta * g[i]);
    path.push(theta);
  }
  return path;
}

const rosen = ([x, y]: number[]) => (1 - x) ** 2 + 100 * (y - x * x) ** 2;
const rosenGrad = ([x, y]: number[]) => [-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)];
/** Largest eigenvalue of the symmetric 2×2 matrix [[p, q], [q, r]]. */
const eigMax = (p: number, q: number, r: number) => (p + r) / 2 + Math.sqrt(((p - r) / 2) ** 2 + q * q);
const eigMin = (p: number, q: number, r: number) => (p + r) / 2 - Math.sqrt(((p - r) / 2) ** 2 + q * q);

const checks: ChapterChecks = (run) => {
  const locals = () => run().locals as Record<string, unknown>;
  const shared = chapterRun(run);
  const figureTitled = (pattern: RegExp) => shared.figureTitled(pattern) as unknown as PlotlyFigure;
  const shown = () => run().cells.map((c) => c.stdout).join("\n");

  // ---- 6.1 ----
  it("6.1: on (θ − 3)² from −1 with η = 0.1, θₜ = 3 − 4·0.8ᵗ (θ₁ = −0.2); library exact, tfjs to float32", () => {
    const l = locals() as { thetaHand: number[]; thetaLib: number[]; thetaTf: number[] };
    const want = Array.from({ length: 21 }, (_, t) => 3 - 4 * 0.8 ** t);
    expect(want[1]).toBeCloseTo(-0.2, 15);
    // A few float64 operations per step: 1e-13 covers the rounding of 20 steps.
    expect(maxAbsDiff(l.thetaHand, want)).toBeLessThan(1e-13);
    expect(maxAbsDiff(l.thetaLib, l.thetaHand)).toBe(0);
    // float32 spacing near 3 is 2.4e-7; the contraction keeps the error at a few of those.
    expect(maxAbsDiff(l.thetaTf, want)).toBeLessThan(1e-6);
    const fig = figureTitled(/^Gradient descent on the curve L\(θ\) = \(θ − 3\)², from θ₀ = −1$/);
    expect(fig.data[1].x).toHaveLength(8);
  });

  it("6.1: the two starts 0 and 0.25 end in the two valleys of θ⁴ − 4θ² + θ", () => {
    const { valleyPaths } = locals() as { valleyPaths: number[][] };
    // The minima are the outer roots of 4θ³ − 8θ + 1, found by Newton's method.
    const root = (x0: number) => {
      let x = x0;
      for (let k = 0; k < 50; k++) x -= (4 * x ** 3 - 8 * x + 1) / (12 * x * x - 8);
      return x;
    };
    const [left, right] = [root(-1.5), root(1.3)];
    const f = (t: number) => t ** 4 - 4 * t * t + t;
    expect(left).toBeCloseTo(-1.473, 3);
    expect(right).toBeCloseTo(1.347, 3);
    expect(f(left)).toBeCloseTo(-5.4442, 4);
    expect(f(right)).toBeCloseTo(-2.6186, 4);
    // 60 steps with factor at most 1 − 0.02·13.8 ≈ 0.72 near the minimum: converged to 1e-4.
    expect(Math.abs(valleyPaths[0][60] - left)).toBeLessThan(1e-4);
    expect(Math.abs(valleyPaths[1][60] - right)).toBeLessThan(1e-4);
    figureTitled(/^Two starts, two valleys/);
  });

  // ---- 6.2 ----
  it("6.2: the threshold is 2/λ = 1 (bisection), the factor is 1 − 2η, and steps shrink ×0.2 or grow ×1.1", () => {
    const l = locals() as {
      curveThreshold: number; measuredFactors: number[];
      nearThreshold: { eta: number; lib: number[]; tfPath: number[] }[]; stepSizes: number[][];
    };
    expect(Math.abs(l.curveThreshold - 1)).toBeLessThan(1e-9);
    expect(maxAbsDiff(l.measuredFactors, [0.05, 0.4, 0.9, 1.05].map((eta) => 1 - 2 * eta))).toBeLessThan(1e-15);
    for (const { eta, lib, tfPath } of l.nearThreshold) {
      const want = lib.map((_, t) => 3 - 4 * (1 - 2 * eta) ** t);
      expect(maxAbsDiff(lib, want) / 181).toBeLessThan(1e-13);
      // float32, 40 steps: relative 1e-5 of the largest value.
      const scale = Math.max(...want.map(Math.abs));
      expect(maxAbsDiff(tfPath, want) / scale).toBeLessThan(1e-5);
    }
    expect(Math.abs(l.nearThreshold[1].lib[40] - 3)).toBeCloseTo(4 * 1.1 ** 40, 6);
    expect(4 * 1.1 ** 40).toBeCloseTo(181.04, 2);
    // Step t has size η·2·4·|1 − 2η|ᵗ.
    [0.4, 1.05].forEach((eta, k) => {
      const want = Array.from({ length: 6 }, (_, t) => eta * 8 * Math.abs(1 - 2 * eta) ** t);
      expect(maxAbsDiff(l.stepSizes[k], want)).toBeLessThan(1e-12);
    });
    expect(shown()).toMatch(/η = 0\.4: step sizes 3\.2000, 0\.6400, 0\.1280/);
    const paths = figureTitled(/^Eight steps on \(θ − 3\)² with three learning rates/);
    expect(paths.data).toHaveLength(4);
    const log = figureTitled(/^Distance from the minimum of \(θ − 3\)² for six learning rates$/);
    const flat = log.data.find((t) => t.name?.startsWith("η = 1:"))!;
    expect(new Set(flat.y).size).toBe(1); // η = 2/λ: |θ − 3| stays 4
  });

  // ---- 6.3 ----
  it("6.3: on ½(θ₁² + 10θ₂²) each coordinate follows (1 − ηλᵢ)ᵗ; the limit is 2/λmax = 0.2; tfjs agrees", () => {
    const l = locals() as {
      longHand: number[][]; surfaceCases: { round: { eta: number; path: number[][] }[]; long: { eta: number; path: number[][] }[] };
      longTf: number[][][]; longThreshold: number;
    };
    const want = (eta: number) => Array.from({ length: 31 }, (_, t) => [-9 * (1 - eta) ** t, 2 * (1 - 10 * eta) ** t]);
    expect(maxAbsDiff(l.longHand.flat(), want(0.18).flat())).toBeLessThan(1e-13);
    expect(maxAbsDiff(l.longHand[1], [-7.38, -1.6])).toBeLessThan(1e-15);
    l.surfaceCases.long.forEach(({ eta, path }, k) => {
      const w = want(eta).flat(), scale = Math.max(...w.map(Math.abs));
      expect(maxAbsDiff(path.flat(), w) / scale).toBeLessThan(1e-13);
      expect(maxAbsDiff(l.longTf[k].flat(), w) / scale).toBeLessThan(1e-5); // float32
    });
    expect(l.surfaceCases.long.map((c) => c.eta)).toEqual([0.02, 0.18, 0.22]);
    expect(Math.abs(l.surfaceCases.long[2].path[30][1])).toBeCloseTo(2 * 1.2 ** 30, 6); // ≈ 475
    l.surfaceCases.round.forEach(({ eta, path }) => {
      expect(maxAbsDiff(path[30], [-4, 3].map((v) => v * (1 - eta) ** 30)) / (5 * 1.2 ** 30)).toBeLessThan(1e-13);
    });
    expect(Math.abs(l.longThreshold - 0.2)).toBeLessThan(1e-9);
    for (const title of [/^Gradient descent on the round bowl/, /^Gradient descent on the elongated bowl/]) {
      const fig = figureTitled(title);
      expect(fig.data[0].type).toBe("contour");
      expect(fig.data.slice(1).map((t) => t.name)).toEqual([
        expect.stringMatching(/^too small/), expect.stringMatching(/^about right/), expect.stringMatching(/^too large/)]);
    }
  });

  it("6.3: Rosenbrock from (−1.2, 1), η = 0.001: (0.9924, 0.9847) after 10,000 steps; limit 2/1001.6 at the minimum", () => {
    const l = locals() as { rosenPath: number[][]; rosenHessianMax: number; rosenNearLimit: { eta: number; path: number[][] }[] };
    const path = descend(rosenGrad, [-1.2, 1], 0.001, 10000);
    expect(maxAbsDiff(l.rosenPath[10000], path[10000])).toBeLessThan(1e-9);
    expect(path[10000][0]).toBeCloseTo(0.9924, 4);
    expect(path[10000][1]).toBeCloseTo(0.9847, 4);
    expect(rosen(path[10000])).toBeCloseTo(5.85e-5, 6);
    // Hessian at (1, 1): [[2 + 1200x² − 400y, −400x], [−400x, 200]] = [[802, −400], [−400, 200]].
    const lam = eigMax(802, -400, 200);
    expect(l.rosenHessianMax).toBeCloseTo(lam, 10);
    expect(lam).toBeCloseTo(1001.6006, 4);
    expect(0.0019).toBeLessThan(2 / lam);
    expect(0.002).toBeGreaterThan(2 / lam);
    const below = descend(rosenGrad, [-1.2, 1], 0.0019, 40000)[40000];
    const above = descend(rosenGrad, [-1.2, 1], 0.002, 40000)[40000];
    expect(rosen(below)).toBeLessThan(1e-20);
    expect(rosen(above)).toBeCloseTo(1.25e-3, 4);
    expect(rosen(l.rosenNearLimit[0].path[40000])).toBeLessThan(1e-20);
    expect(rosen(l.rosenNearLimit[1].path[40000])).toBeCloseTo(rosen(above), 8);
    figureTitled(/^Gradient descent on Rosenbrock's function/);
    figureTitled(/^Rosenbrock's function: just below and just above/);
  });

  // ---- 6.4 ----
  it("6.4: source 002's line: least squares, the gradient at (−2, 2) as the mean of 100 per-example gradients, tfjs", () => {
    const l = locals() as {
      lineXs: number[]; lineYs: number[]; lineBest: { w: number; b: number; loss: number };
      fullGradient: number[]; fullGradientLib: number[]; fullGradientTf: number[]; perExample: number[][];
      batchVariance: { B: number; measured: number; predicted: number }[];
    };
    const x = l.lineXs, y = l.lineYs, m = x.length;
    expect(m).toBe(100);
    // Source 002's inputs: numpy.linspace(−1, 1, 100).
    expect(maxAbsDiff(x, x.map((_, i) => -1 + (2 * i) / 99))).toBeLessThan(1e-15);
    // Least squares by the normal equations [Σx² Σx; Σx m][w; b] = [Σxy; Σy].
    const sxx = x.reduce((s, v) => s + v * v, 0), sx = x.reduce((s, v) => s + v, 0);
    const sxy = x.reduce((s, v, i) => s + v * y[i], 0), sy = y.reduce((s, v) => s + v, 0);
    const det = sxx * m - sx * sx;
    const w = (sxy * m - sx * sy) / det, b = (sxx * sy - sx * sxy) / det;
    expect(l.lineBest.w).toBeCloseTo(w, 12);
    expect(l.lineBest.b).toBeCloseTo(b, 12);
    const mse = (ww: number, bb: number) => x.reduce((s, v, i) => s + (ww * v + bb - y[i]) ** 2, 0) / m;
    expect(l.lineBest.loss).toBeCloseTo(mse(w, b), 12);
    // The MSE gradient at (−2, 2), written directly.
    const g = [x.reduce((s, v, i) => s + 2 * (-2 * v + 2 - y[i]) * v, 0) / m, x.reduce((s, v, i) => s + 2 * (-2 * v + 2 - y[i]), 0) / m];
    expect(maxAbsDiff(l.fullGradient, g)).toBeLessThan(1e-12);
    expect(maxAbsDiff(l.fullGradientLib, g)).toBeLessThan(1e-12);
    expect(maxAbsDiff(l.fullGradientTf, g)).toBeLessThan(1e-5); // float32, sums of 100 terms near 3
    // The text says 22 of the 100 examples have ∂ℓᵢ/∂w > 0 while ∂L/∂w < 0.
    expect(g[0]).toBeLessThan(0);
    expect(x.filter((v, i) => 2 * (-2 * v + 2 - y[i]) * v > 0).length).toBe(22);
    // The variance prediction σ²/B·(m − B)/(m − 1), from the per-example gradients.
    const s2 = l.perExample.reduce((s, e) => s + (e[0] - g[0]) ** 2 + (e[1] - g[1]) ** 2, 0) / m;
    for (const { B, measured, predicted } of l.batchVariance) {
      expect(predicted).toBeCloseTo((s2 / B) * ((m - B) / (m - 1)), 10);
      // 4,000 draws: the estimate's relative error is a few per cent.
      expect(Math.abs(measured / predicted - 1)).toBeLessThan(0.1);
    }
    figureTitled(/^Per-example gradients of the line's MSE at \(w, b\) = \(−2, 2\)$/);
  });

  it("6.4: each run's steps replay exactly from its batches; batches partition the data every epoch; fit and tfjs agree", () => {
    const l = locals() as {
      lineXs: number[]; lineYs: number[]; lineEta: number;
      lineRuns: { batchSize: number; w: number; b: number; losses: number[]; path: number[][]; batches: { x: number[]; y: number[] }[] }[];
      lineLibRuns: { batchSize: number; w: number; b: number; losses: number[] }[];
      lineTfPath: number[][];
    };
    const x = l.lineXs, y = l.lineYs, m = x.length;
    expect(l.lineEta).toBe(0.1);
    const mse = (w: number, b: number) => x.reduce((s, v, i) => s + (w * v + b - y[i]) ** 2, 0) / m;
    const key = (xi: number, yi: number) => `${xi},${yi}`;
    const all = x.map((v, i) => key(v, y[i])).sort();
    for (const r of l.lineRuns) {
      const perEpoch = Math.ceil(m / r.batchSize);
      expect(r.batches).toHaveLength(20 * perEpoch);
      for (let e = 0; e < 20; e++) {
        const epoch = r.batches.slice(e * perEpoch, (e + 1) * perEpoch);
        expect(epoch.flatMap((bt) => bt.x.map((v, i) => key(v, bt.y[i]))).sort()).toEqual(all);
      }
      // Replay: w ← w − η·mean of 2(wx + b − y)x over the batch, b likewise, η = 0.1.
      let w = -2, b = 2;
      const losses = [mse(w, b)];
      for (const bt of r.batches) {
        const n = bt.x.length;
        const e = bt.x.map((v, i) => w * v + b - bt.y[i]);
        const gw = e.reduce((s, ei, i) => s + 2 * ei * bt.x[i], 0) / n, gb = e.reduce((s, ei) => s + 2 * ei, 0) / n;
        [w, b] = [w - 0.1 * gw, b - 0.1 * gb];
        losses.push(mse(w, b));
      }
      expect(Math.abs(r.w - w) + Math.abs(r.b - b)).toBeLessThan(1e-12);
      expect(maxAbsDiff(r.losses, losses)).toBeLessThan(1e-12);
    }
    l.lineRuns.forEach((r, k) => {
      expect(maxAbsDiff([l.lineLibRuns[k].w, l.lineLibRuns[k].b], [r.w, r.b])).toBeLessThan(1e-12);
      expect(maxAbsDiff(l.lineLibRuns[k].losses, r.losses)).toBeLessThan(1e-12);
    });
    expect(maxAbsDiff(l.lineTfPath.flat(), l.lineRuns[1].path.flat())).toBeLessThan(1e-5); // float32, values near 2
    // What the text says about the three runs: full batch is still far above the floor after 20 steps,
    // batches of 16 end close to it, single examples end noisily above it.
    const floor = Math.min(...l.lineRuns.flatMap((r) => r.losses));
    expect(l.lineRuns[0].losses[20]).toBeCloseTo(1.4044, 4);
    expect(l.lineRuns[1].losses[140] - floor).toBeLessThan(0.01);
    expect(Math.max(...l.lineRuns[2].losses.slice(-500))).toBeGreaterThan(2);
    figureTitled(/^Training loss after each step, η = 0\.1/);
    figureTitled(/^Paths of full-batch, mini-batch and single-example descent/);
  });

  // ---- 6.5 ----
  it("6.5: steps per epoch ⌈m/B⌉: [32, 32, 32, 4] for source 002, one batch of 5 for source 004; the fits agree", () => {
    const l = locals() as {
      stepsPerEpoch: (m: number, b: number) => number; libBatchSizes: number[]; tfBatchSizes: number[];
      seed002: { steps: number; w: number; b: number }; lineBest: { w: number; b: number };
      fitCompare: { tfWeights: number[]; tfLoss: number[]; libWeights: number[]; libLoss: number[] };
    };
    expect([[4, 4], [100, 32], [5, 32], [100, 16], [100, 40]].map(([m, b]) => l.stepsPerEpoch(m, b))).toEqual([1, 4, 1, 7, 3]);
    expect(l.libBatchSizes).toEqual([32, 32, 32, 100 - 3 * 32]);
    expect(l.tfBatchSizes).toEqual([32, 32, 32, 4]);
    expect(l.seed002.steps).toBe(4000);
    // Batches of 32 (and a last one of 4) with η = 0.01 leave the weights a few hundredths from least squares.
    expect(Math.abs(l.seed002.w - l.lineBest.w)).toBeLessThan(0.1);
    expect(Math.abs(l.seed002.b - l.lineBest.b)).toBeLessThan(0.1);
    expect(maxAbsDiff(l.fitCompare.tfWeights, l.fitCompare.libWeights)).toBeLessThan(1e-5);
    expect(l.fitCompare.libLoss).toHaveLength(5);
    expect(maxAbsDiff(l.fitCompare.tfLoss, l.fitCompare.libLoss)).toBeLessThan(1e-5);
    expect(shown()).toMatch(/source 002, §4: m = 100, batch 32, 1000 epochs → 4 steps per epoch \(last batch 4\), 4000 steps/);
    expect(shown()).toMatch(/3 epochs on 5 examples: 3 steps, batch sizes \[5,5,5\]/);
    const fig = figureTitled(/^The same three runs against epochs/);
    expect(Math.max(...fig.data[2].x!)).toBe(20);
  });

  // ---- 6.6 ----
  it("6.6: the rule W ← W − η·dW on a Dense layer, by hand = library = tf.train.sgd, step by step", () => {
    const l = locals() as {
      ruleData: { X: MatrixLike; Y: MatrixLike; W0: MatrixLike; b0: MatrixLike };
      ruleHand: { states: number[][]; losses: number[] }; ruleLib: number[][]; ruleTf: number[][];
    };
    const X = l.ruleData.X.toArray(), Y = l.ruleData.Y.toArray();
    let W = l.ruleData.W0.toArray(), b = l.ruleData.b0.toArray()[0];
    const states = [[...W.flat(), ...b]];
    const losses: number[] = [];
    for (let t = 0; t < 10; t++) {
      const E = X.map((x, i) => b.map((bj, j) => bj + x[0] * W[0][j] + x[1] * W[1][j] + x[2] * W[2][j] - Y[i][j]));
      losses.push(E.flat().reduce((s, v) => s + v * v, 0) / 16);
      // dW = Xᵀ·(2/(m·k))·E, db = column sums of (2/(m·k))·E, m·k = 16.
      W = W.map((row, i) => row.map((wij, j) => wij - 0.1 * X.reduce((s, x, q) => s + (x[i] * 2 * E[q][j]) / 16, 0)));
      b = b.map((bj, j) => bj - 0.1 * E.reduce((s, e) => s + (2 * e[j]) / 16, 0));
      states.push([...W.flat(), ...b]);
    }
    expect(maxAbsDiff(l.ruleHand.states.flat(), states.flat())).toBeLessThan(1e-12);
    expect(maxAbsDiff(l.ruleHand.losses, losses)).toBeLessThan(1e-12);
    expect(maxAbsDiff(l.ruleLib.flat(), states.flat())).toBeLessThan(1e-12);
    expect(maxAbsDiff(l.ruleTf.flat(), states.flat())).toBeLessThan(1e-5); // float32, values below 2
    expect(losses.every((v, t) => t === 0 || v < losses[t - 1])).toBe(true);
  });

  it("6.6: the wrong rules: sign flipped and summed blow up, ½MSE's gradient is η/2; the delta rule is −η times the gradient", () => {
    const l = locals() as { lineXs: number[]; lineYs: number[]; ruleVariants: { right: number; signFlipped: number; summed: number; half: number } };
    const x = l.lineXs, y = l.lineYs, m = x.length;
    const mse = (w: number, b: number) => x.reduce((s, v, i) => s + (w * v + b - y[i]) ** 2, 0) / m;
    const grad = ([w, b]: number[]) => [x.reduce((s, v, i) => s + (2 * (w * v + b - y[i]) * v) / m, 0), x.reduce((s, v, i) => s + (2 * (w * v + b - y[i])) / m, 0)];
    const after = (eta: number) => mse(...(descend(grad, [-2, 2], eta, 20)[20] as [number, number]));
    expect(l.ruleVariants.right).toBeCloseTo(after(0.1), 12);
    expect(l.ruleVariants.signFlipped).toBeCloseTo(after(-0.1), 6);
    expect(l.ruleVariants.half).toBeCloseTo(after(0.05), 12);
    expect(l.ruleVariants.summed / after(10)).toBeCloseTo(1, 9);
    // The Hessian of the MSE is (2/m)·Σ(x, 1)ᵀ(x, 1); its largest eigenvalue sets the limit 2/λmax ≈ 1.
    const hww = (2 * x.reduce((s, v) => s + v * v, 0)) / m, hwb = (2 * x.reduce((s, v) => s + v, 0)) / m;
    expect(2 / eigMax(hww, hwb, 2)).toBeCloseTo(1, 6);
    expect(hww).toBeCloseTo(0.68, 2);
    // One neuron: x = (1, 2), w = (0.5, −0.3), y = 2, η = 0.1, L = ½(y − w·x)².
    const delta = 2 - (0.5 - 0.6);
    const deltaW = [0.1 * delta, 0.2 * delta];
    const L = (v: number[]) => 0.5 * (2 - v[0] - 2 * v[1]) ** 2;
    expect(deltaW[0]).toBeCloseTo(0.21, 14);
    expect(L([0.5 + deltaW[0], -0.3 + deltaW[1]])).toBeCloseTo(0.55125, 12);
    expect(L([0.5 - 0.1 * deltaW[0], -0.3 - 0.1 * deltaW[1]])).toBeCloseTo(2.431, 3);
    expect(shown()).toMatch(/L\(w\) = 2\.2050;  L\(w \+ Δw\) = 0\.5512;  L\(w − η·Δw\) = 2\.4310/);
  });

  // ---- FAQ ----
  it("FAQ: chapter 05's line has curvatures 23.66 and 0.338 (κ = 70); centred inputs 4 and 2; steps counted independently", () => {
    const { valleyCost } = locals() as { valleyCost: { name: string; lamMax: number; lamMin: number; steps: number }[] };
    const ys = [1, 4, 9, 16, 25];
    [[1, 2, 3, 4, 5], [-2, -1, 0, 1, 2]].forEach((xs, k) => {
      const hww = (2 * xs.reduce((s, v) => s + v * v, 0)) / 5, hwb = (2 * xs.reduce((s, v) => s + v, 0)) / 5;
      const [lmax, lmin] = [eigMax(hww, hwb, 2), eigMin(hww, hwb, 2)];
      expect(valleyCost[k].lamMax).toBeCloseTo(lmax, 12);
      expect(valleyCost[k].lamMin).toBeCloseTo(lmin, 12);
      const grad = ([w, b]: number[]) => [0, 1].map((j) => xs.reduce((s, x, i) => s + (2 / 5) * (w * x + b - ys[i]) * (j === 0 ? x : 1), 0));
      const target = k === 0 ? [6, -7] : [6, 11];
      const path = descend(grad, [0, 0], 2 / (lmax + lmin), 5000);
      expect(valleyCost[k].steps).toBe(path.findIndex((p) => Math.hypot(p[0] - target[0], p[1] - target[1]) < 1e-6));
    });
    expect(valleyCost[0].lamMax / valleyCost[0].lamMin).toBeCloseTo(70, 0);
    expect(valleyCost[0].steps).toBeGreaterThan(30 * valleyCost[1].steps);
  });

  // ---- exercises ----
  it("every exercise passes with the notebook's answers", () => {
    const out = shown();
    for (const n of [1, 2, 3, 4]) expect(out).toMatch(new RegExp(`✓ Exercise 6\\.${n} .*: all checks pass\\.`));
    figureTitled(/^Steps to reach L < 10⁻¹² on the bowl/);
  });

  it("Exercise 6.1 rejects a flipped sign, the sum over examples, the ½MSE gradient, and a fixed m = 3", () => {
    type Answer = (x: number[], y: number[], w: number, b: number, eta: number) => [number, number];
    const l = locals() as { checkEx6_1: (f: Answer) => void; gdStep: Answer };
    expect(l.gdStep([1, 2, 3], [2, 4, 7], 0, 0, 0.1)).toEqual([expect.closeTo(62 / 30, 12), expect.closeTo(26 / 30, 12)]);
    expect(() => l.checkEx6_1(l.gdStep)).not.toThrow();
    const make = (divide: (m: number) => number, factor: number, sign: number): Answer => (x, y, w, b, eta) => {
      const e = x.map((v, i) => w * v + b - y[i]);
      const dw = (factor * e.reduce((s, ei, i) => s + ei * x[i], 0)) / divide(x.length);
      const db = (factor * e.reduce((s, ei) => s + ei, 0)) / divide(x.length);
      return [w - sign * eta * dw, b - sign * eta * db];
    };
    expect(failureOf(() => l.checkEx6_1(make((m) => m, 2, -1)))).toMatch(/subtracts the gradient/);
    expect(failureOf(() => l.checkEx6_1(make(() => 1, 2, 1)))).toMatch(/divide by m/);
    expect(failureOf(() => l.checkEx6_1(make((m) => m, 1, 1)))).toMatch(/the 2 of the 1\/m MSE/);
    // Dividing by 3 passes the visible case (m = 3) and fails the hidden ones.
    expect(failureOf(() => l.checkEx6_1(make(() => 3, 2, 1)))).toMatch(/not by a fixed 3/);
  });

  it("Exercise 6.2 rejects 2/max(2a, 2c), a Hessian without the 2, 1/λmax and 2/λmin", () => {
    const l = locals() as { checkEx6_2: (f: (a: number, b: number, c: number) => number) => void; maxStableLearningRate: (a: number, b: number, c: number) => number };
    expect(l.maxStableLearningRate(2, 2, 2)).toBeCloseTo(1 / 3, 14); // eigenvalues of [[4, 2], [2, 4]]: 6 and 2
    expect(() => l.checkEx6_2(l.maxStableLearningRate)).not.toThrow();
    const lmax = (a: number, b: number, c: number) => eigMax(2 * a, b, 2 * c);
    // Ignoring the cross term passes the visible case (b = 0) and fails a hidden one.
    expect(failureOf(() => l.checkEx6_2((a, _b, c) => 2 / Math.max(2 * a, 2 * c)))).toMatch(/larger than both 2a and 2c/);
    expect(failureOf(() => l.checkEx6_2((a, b, c) => 2 / eigMax(a, b / 2, c)))).toMatch(/mind the 2/);
    expect(failureOf(() => l.checkEx6_2((a, b, c) => 1 / lmax(a, b, c)))).toMatch(/not 1\/λmax/);
    expect(failureOf(() => l.checkEx6_2((a, b, c) => 2 / eigMin(2 * a, b, 2 * c)))).toMatch(/2\/λmax/);
  });

  it("Exercise 6.3 rejects the summed gradient, a flipped sign, no shuffling, a new Random each epoch, and dividing by batchSize", () => {
    type Options = { learningRate: number; batchSize: number; epochs: number; seed: number };
    type Answer = (X: MatrixLike, y: MatrixLike, W0: MatrixLike, b0: number, o: Options) => { W: MatrixLike; b: number };
    const l = locals() as {
      checkEx6_3: (f: Answer) => void; fitLinearSgd: Answer;
      Random: RandomCtor; minibatches: Minibatches;
    };
    expect(() => l.checkEx6_3(l.fitLinearSgd)).not.toThrow();
    const make = (opts: { scale?: (rows: number, batchSize: number) => number; sign?: number; shuffle?: boolean; rngPerEpoch?: boolean }): Answer =>
      (X, y, W0, b0, o) => {
        const { scale = (rows) => 2 / rows, sign = 1, shuffle = true, rngPerEpoch = false } = opts;
        let rng = new l.Random(o.seed);
        let W = W0, b = b0;
        for (let e = 0; e < o.epochs; e++) {
          if (rngPerEpoch) rng = new l.Random(o.seed);
          for (const { X: Xb, Y: Yb } of l.minibatches(X, y, o.batchSize, { rng, shuffle })) {
            const dYhat = Xb.matmul(W).map((v) => v + b).sub(Yb).scale(scale(Xb.rows, o.batchSize));
            W = W.sub(Xb.transpose().matmul(dYhat).scale(sign * o.learningRate));
            b -= sign * o.learningRate * dYhat.sum();
          }
        }
        return { W, b };
      };
    expect(failureOf(() => l.checkEx6_3(make({ scale: () => 2 })))).toMatch(/the mean over the batch \(not the sum\)/);
    expect(failureOf(() => l.checkEx6_3(make({ sign: -1 })))).toMatch(/W − η·dW/);
    expect(failureOf(() => l.checkEx6_3(make({ shuffle: false })))).toMatch(/rng = new Random\(seed\)/);
    // These two pass the visible checks (one epoch; batches that divide m) and fail hidden ones.
    expect(failureOf(() => l.checkEx6_3(make({ rngPerEpoch: true })))).toMatch(/create the Random once/);
    expect(failureOf(() => l.checkEx6_3(make({ scale: (_rows, batchSize) => 2 / batchSize })))).toMatch(/not batchSize/);
  });

  it("Exercise 6.4 rejects the largest stable rate, one update too many, stopping on |θ| instead of L, and half a grid", () => {
    type Answer = (lambdas: [number, number], tol: number) => { eta: number; steps: number };
    const l = locals() as { checkEx6_4: (f: Answer) => void; bestLearningRate: Answer };
    const stepsFor = (lambdas: number[], eta: number, tol: number, stop: "loss" | "norm") => {
      let th = [1, 1];
      for (let t = 0; t <= 100000; t++) {
        const v = stop === "loss" ? 0.5 * (lambdas[0] * th[0] ** 2 + lambdas[1] * th[1] ** 2) : Math.hypot(th[0], th[1]);
        if (v < tol) return t;
        th = th.map((x, i) => x - eta * lambdas[i] * x);
      }
      return Infinity;
    };
    const search = (stop: "loss" | "norm", ks: number[] = Array.from({ length: 99 }, (_, k) => k + 1)): Answer => (lambdas, tol) => {
      const etaMax = 2 / Math.max(...lambdas);
      let best = { eta: NaN, steps: Infinity };
      for (const k of ks) {
        const steps = stepsFor(lambdas, (k * etaMax) / 100, tol, stop);
        if (steps < best.steps) best = { eta: (k * etaMax) / 100, steps };
      }
      return best;
    };
    // Independently: the best grid η for λ = (1, 10) is next to 2/11, far below the limit 0.2.
    const best = search("loss")([1, 10], 1e-12);
    expect(Math.abs(best.eta - 2 / 11)).toBeLessThan(0.01);
    expect(l.bestLearningRate([1, 10], 1e-12)).toEqual(best);
    expect(() => l.checkEx6_4(l.bestLearningRate)).not.toThrow();
    expect(failureOf(() => l.checkEx6_4(search("loss", [99])))).toMatch(/The largest stable η is not the fastest/);
    const plusOne: Answer = (lambdas, tol) => {
      const r = search("loss")(lambdas, tol);
      return { eta: r.eta, steps: r.steps + 1 };
    };
    expect(failureOf(() => l.checkEx6_4(plusOne))).toMatch(/count the updates made before L\(θ\) < tol/);
    expect(failureOf(() => l.checkEx6_4(search("norm")))).toMatch(/\(not \|θ\|\)/);
    // Searching only half the grid (k = 1…50) counts right but misses the best η for λ = (1, 10).
    expect(failureOf(() => l.checkEx6_4(search("loss", Array.from({ length: 50 }, (_, k) => k + 1))))).toMatch(/try every ηₖ/);
  });
};

export default checks;
