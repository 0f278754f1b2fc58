/**
 * Chapter 08's own checks: what the chapter tells the reader to expect, recomputed here from
 * the formulas (never copied from the notebook's output) and compared with what the notebook
 * computed; its figures; and each exercise's check, run against plausible wrong answers.
 */
import { expect, it } from "vitest";
import { chapterRun, expectRejected, maxAbsDiff } from "../harness/chapter";
import type { ChapterChecks } from "../harness/suite";

type MatrixLike = { rows: number; cols: number; data: Float64Array };
type Fit = { w: number; b: number };

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;

/** The least-squares line by the centred formula. */
function leastSquares(x: number[], y: number[]): Fit {
  const mx = mean(x), my = mean(y);
  let sxy = 0, sxx = 0;
  x.forEach((xi, i) => {
    sxy += (xi - mx) * (y[i] - my);
    sxx += (xi - mx) ** 2;
  });
  return { w: sxy / sxx, b: my - (sxy / sxx) * mx };
}

/** (∂L/∂w, ∂L/∂b) of L = (1/m)Σ(wx + b − y)². */
function grad(w: number, b: number, x: number[], y: number[]): [number, number] {
  const m = x.length;
  let dw = 0, db = 0;
  x.forEach((xi, i) => {
    const e = w * xi + b - y[i];
    dw += (2 / m) * e * xi;
    db += (2 / m) * e;
  });
  return [dw, db];
}

/** Mini-batch gradient descent in the examples' own order (shuffle: false). */
function sgdFixedOrder(x: number[], y: number[], w: number, b: number, lr: number, epochs: number, batch: number): Fit {
  for (let e = 0; e < epochs; e++) {
    for (let s = 0; s < x.length; s += batch) {
      const [dw, db] = grad(w, b, x.slice(s, s + batch), y.slice(s, s + batch));
      w -= lr * dw;
      b -= lr * db;
    }
  }
  return { w, b };
}

/** Kingma & Ba's Adam, full batch, with Keras's defaults β₁ 0.9, β₂ 0.999, ε 1e-7. */
function adam(x: number[], y: number[], w: number, b: number, lr: number, steps: number): Fit {
  const th = [w, b], m = [0, 0], v = [0, 0];
  for (let t = 1; t <= steps; t++) {
    const g = grad(th[0], th[1], x, y);
    for (let k = 0; k < 2; k++) {
      m[k] = 0.9 * m[k] + 0.1 * g[k];
      v[k] = 0.999 * v[k] + 0.001 * g[k] ** 2;
      th[k] -= (lr * m[k] / (1 - 0.9 ** t)) / (Math.sqrt(v[k] / (1 - 0.999 ** t)) + 1e-7);
    }
  }
  return { w: th[0], b: th[1] };
}

const X5 = [1, 2, 3, 4, 5], Y5 = X5.map((x) => x * x);

const checks: ChapterChecks = (run) => {
  const c = chapterRun(run);

  it("8.1: source 002's data are x = linspace(−1, 1, 100) and y = 2x + noise of about unit size; the start is a Glorot draw", () => {
    const { xs, ys, w0, yhat0Tf } = c.locals() as { xs: number[]; ys: number[]; w0: number; yhat0Tf: number[] };
    expect(xs).toHaveLength(100);
    expect(maxAbsDiff(xs, xs.map((_, i) => -1 + (2 * i) / 99))).toBeLessThan(1e-15);
    const eps = ys.map((y, i) => y - 2 * xs[i]);
    // 100 draws of N(0, 1): the mean is within 0.3 and the standard deviation within 0.2 of 1
    // except with tiny probability, and the seed is fixed anyway.
    expect(Math.abs(mean(eps))).toBeLessThan(0.3);
    expect(Math.abs(Math.sqrt(mean(eps.map((e) => e * e))) - 1)).toBeLessThan(0.2);
    expect(Math.abs(w0)).toBeLessThanOrEqual(Math.sqrt(3));
    expect(maxAbsDiff(yhat0Tf, xs.map((x) => w0 * x))).toBeLessThan(1e-6); // float32
    c.figureTitled(/^Source 002's data: 100 points around y = 2x$/);
  });

  it("8.2: the normal equations, the centred formula and tfjs's QR give the least-squares line; standard error 0.17", () => {
    const l = c.locals() as { xs: number[]; ys: number[]; wLS: number; bLS: number; thetaTf: number[]; mseLS: number };
    const ls = leastSquares(l.xs, l.ys);
    expect(Math.abs(l.wLS - ls.w)).toBeLessThan(1e-12);
    expect(Math.abs(l.bLS - ls.b)).toBeLessThan(1e-12);
    expect(maxAbsDiff(l.thetaTf, [ls.w, ls.b])).toBeLessThan(1e-5); // float32 QR
    expect(ls.w).toBeCloseTo(1.8615, 4);
    expect(ls.b).toBeCloseTo(0.0157, 4);
    const mse = mean(l.xs.map((x, i) => (l.ys[i] - ls.w * x - ls.b) ** 2));
    expect(Math.abs(l.mseLS - mse)).toBeLessThan(1e-12);
    const sxx = l.xs.reduce((s, x) => s + (x - mean(l.xs)) ** 2, 0);
    expect(1 / Math.sqrt(sxx)).toBeCloseTo(0.1715, 4);
    expect(c.stdout()).toMatch(/standard error of the slope .*= 0\.171/);
  });

  it("8.3: the gradient at the start, and source 002's 4000 fixed-order steps: hand, library and tfjs agree, 0.066 from least squares", () => {
    const l = c.locals() as {
      xs: number[]; ys: number[]; w0: number; grad0Lib: number[]; grad0Tf: number[];
      fixedLib: number[]; fixedTf: number[]; fixedHand: Fit;
    };
    const g = grad(l.w0, 0, l.xs, l.ys);
    expect(maxAbsDiff(l.grad0Lib, g)).toBeLessThan(1e-12);
    expect(maxAbsDiff(l.grad0Tf, g)).toBeLessThan(1e-5);
    const want = sgdFixedOrder(l.xs, l.ys, l.w0, 0, 0.01, 1000, 32);
    // 4000 float64 steps that contract: rounding stays near 1e-13.
    expect(maxAbsDiff(l.fixedLib, [want.w, want.b])).toBeLessThan(1e-10);
    expect(maxAbsDiff([l.fixedHand.w, l.fixedHand.b], [want.w, want.b])).toBeLessThan(1e-12);
    // float32 over 4000 steps: each step rounds at ~1e-7 relative, the contraction keeps the sum small.
    expect(maxAbsDiff(l.fixedTf, [want.w, want.b])).toBeLessThan(1e-4);
    const gap = Math.abs(want.w - leastSquares(l.xs, l.ys).w);
    expect(gap).toBeGreaterThan(0.05);
    expect(gap).toBeCloseTo(0.066, 3);
    const path = c.figureTitled(/^Source 002's training on the MSE surface: the first 60 epochs$/).data[1];
    expect(path.x).toHaveLength(61);
    expect((path.x as number[])[0]).toBe(l.w0);
    // The path is the fixed-order run of 8.3: its epoch-60 point, recomputed independently.
    const e60 = sgdFixedOrder(l.xs, l.ys, l.w0, 0, 0.01, 60, 32);
    expect(Math.abs((path.x as number[])[60] - e60.w)).toBeLessThan(1e-12);
    // The text: b rises to about 0.37 and comes back; the bump comes from the 4-point last batch,
    // so the same 60 epochs without it never lift b that far.
    const bPath = path.y as number[];
    expect(Math.max(...bPath)).toBeGreaterThan(0.33);
    expect(Math.max(...bPath)).toBeLessThan(0.41);
    expect(bPath[60]).toBeLessThan(Math.max(...bPath) - 0.1);
    const n = 96; // the three full batches only
    let w = l.w0, b = 0, bMax = 0;
    for (let e = 0; e < 60; e++) {
      for (let s = 0; s < n; s += 32) {
        const [dw, db] = grad(w, b, l.xs.slice(s, s + 32), l.ys.slice(s, s + 32));
        w -= 0.01 * dw;
        b -= 0.01 * db;
        bMax = Math.max(bMax, b);
      }
    }
    expect(bMax).toBeLessThan(0.2);
  });

  it("8.4: as written (shuffled, seeded) the slope ends within 0.05 of least squares; 20 other shuffles stay near it", () => {
    const l = c.locals() as {
      xs: number[]; ys: number[]; w002: number; b002: number; shuffleGaps: number[];
      snapshots: { epoch: number; w: number; b: number }[];
      history002: { history: { loss: number[] } }; mseLS: number;
    };
    const ls = leastSquares(l.xs, l.ys);
    expect(Math.abs(l.w002 - ls.w)).toBeLessThan(0.05);
    expect(l.w002).toBeCloseTo(1.837, 3);
    expect(l.shuffleGaps).toHaveLength(20);
    expect(Math.max(...l.shuffleGaps.map(Math.abs))).toBeLessThan(0.1);
    expect(Math.sqrt(mean(l.shuffleGaps.map((g) => g * g)))).toBeLessThan(0.05);
    expect(l.snapshots.map((s) => s.epoch)).toEqual([1, 2, 3, 5, 10, 20, 30, 50, 75, 100, 200, 500, 1000]);
    expect(l.snapshots[0].w).toBeLessThan(0); // the start slopes down
    const loss = l.history002.history.loss;
    expect(loss).toHaveLength(1000);
    expect(loss[0]).toBeGreaterThan(2 * l.mseLS);
    expect(Math.abs(loss[999] - l.mseLS)).toBeLessThan(0.05);
    c.figureTitled(/^Source 002's line after 1, 3, 10, 30 and 1000 epochs$/);
    const curves = c.figureTitled(/^Training loss of source 002's model$/);
    expect(curves.data).toHaveLength(4);
  });

  it("8.4 erratum: 'mse' is (1/n)Σ, twice source 002's (1/2n)Σ", () => {
    const out = c.stdout();
    const half = Number(/1\/\(2n\)·Σ: ([0-9.]+)/.exec(out)![1]);
    const full = Number(/Keras's 'mse'\): ([0-9.]+)/.exec(out)![1]);
    expect(Math.abs(full - 2 * half)).toBeLessThan(2e-4); // both printed to 4 decimals
  });

  it("8.5: source 004's example as written (Adam, η = 0.001, 1000 steps) predicts far below 36; no start reaches 29", () => {
    const l = c.locals() as {
      w0: number; lib004: number[]; tf004: number[]; pred004: number; pred004Tf: number;
      predsAt6: number[]; startSlopes: number[]; long004: Fit;
    };
    const want = adam(X5, Y5, l.w0, 0, 0.001, 1000);
    expect(maxAbsDiff(l.lib004, [want.w, want.b])).toBeLessThan(1e-10);
    expect(maxAbsDiff(l.tf004, [want.w, want.b])).toBeLessThan(1e-4);
    expect(Math.abs(l.pred004 - (6 * want.w + want.b))).toBeLessThan(1e-9);
    expect(Math.abs(l.pred004Tf - l.pred004)).toBeLessThan(1e-3);
    // Each Adam step moves a weight by at most about η: 1000 steps, at most about 1.
    expect(Math.abs(want.w - l.w0)).toBeLessThan(1.01);
    expect(Math.abs(want.b)).toBeLessThan(1.01);
    expect(l.startSlopes[0]).toBeCloseTo(-Math.sqrt(3), 12);
    expect(l.startSlopes[12]).toBeCloseTo(Math.sqrt(3), 12);
    for (const [k, s] of l.startSlopes.entries()) {
      const f = adam(X5, Y5, s, 0, 0.001, 1000);
      expect(Math.abs(l.predsAt6[k] - (6 * f.w + f.b))).toBeLessThan(1e-9);
    }
    expect(Math.max(...l.predsAt6)).toBeLessThan(18);
    // The least-squares line is 6x − 7 (ŷ(6) = 29); Adam at η = 0.1 gets there.
    const ls = leastSquares(X5, Y5);
    expect(ls.w).toBeCloseTo(6, 12);
    expect(ls.b).toBeCloseTo(-7, 12);
    expect(Math.abs(l.long004.w - 6)).toBeLessThan(0.05);
    expect(Math.abs(l.long004.b + 7)).toBeLessThan(0.05);
    c.figureTitled(/^Source 004's model: prediction at x = 6 for each starting slope$/);
  });

  it("8.6: features [x, x²] fit y = x² exactly (normal equations, tfjs QR) and Adam predicts 36 at x = 6", () => {
    const l = c.locals() as { thetaPoly: MatrixLike; thetaPolyTf: number[]; predPoly: number };
    expect(maxAbsDiff(l.thetaPoly.data, [0, 1, 0])).toBeLessThan(1e-9);
    expect(maxAbsDiff(l.thetaPolyTf, [0, 1, 0])).toBeLessThan(1e-3); // float32, κ(AᵀA) in the thousands
    expect(Math.abs(l.predPoly - 36)).toBeLessThan(0.05);
    c.figureTitled(/^Source 004's data: a line cannot reach 36 at x = 6, a parabola can$/);
  });

  it("8.7: residuals: least squares leaves Σr = Σrx = 0; the line 6x − 7 leaves 2, −1, −2, −1, 2", () => {
    const l = c.locals() as { xs: number[]; ys: number[]; resid002: number[]; resid002Tf: number[]; resid004: number[] };
    const ls = leastSquares(l.xs, l.ys);
    expect(maxAbsDiff(l.resid002, l.xs.map((x, i) => l.ys[i] - ls.w * x - ls.b))).toBeLessThan(1e-12);
    expect(maxAbsDiff(l.resid002Tf, l.resid002)).toBeLessThan(1e-5);
    expect(maxAbsDiff(l.resid004, X5.map((x, i) => Y5[i] - (6 * x - 7)))).toBe(0);
    expect(l.resid004).toEqual([2, -1, -2, -1, 2]);
    c.figureTitled(/^Residuals of the least-squares line on source 002's data: no pattern$/);
    c.figureTitled(/^Residuals on source 004's data: a line leaves a U, a parabola leaves nothing$/);
  });

  it("Exercise 8.4's discussion: years give λmax ≈ 8.08e6 and a condition number near 4e11; standardized x gives 2 and 2", () => {
    const years = Array.from({ length: 21 }, (_, k) => 2000 + k);
    const p = 2 * mean(years.map((v) => v * v)), q = 2 * mean(years);
    const hi = (p + 2) / 2 + Math.sqrt(((p - 2) / 2) ** 2 + q * q);
    const det = 2 * 2 * (mean(years.map((v) => v * v)) - mean(years) ** 2); // 4·variance, without cancellation
    expect(c.stdout()).toContain(`λmax = ${hi.toExponential(2)}`);
    expect(c.stdout()).toContain(`condition number ${(hi / (det / hi)).toExponential(2)}`);
    expect(c.stdout()).toMatch(/standardized: λmax = 2, λmin = 2/);
  });

  // ---- exercises ----
  it("Exercise 8.1 passes with the worked answer and rejects wrong best lines", () => {
    const { checkEx8_1, fitLine } = c.locals();
    checkEx8_1(fitLine);
    const uncentred = (x: number[], y: number[]) => {
      const w = x.reduce((s, v, i) => s + v * y[i], 0) / x.reduce((s, v) => s + v * v, 0);
      return { w, b: mean(y) - w * mean(x) };
    };
    expectRejected(() => checkEx8_1(uncentred), /Centre both/);
    const interceptIsMean = (x: number[], y: number[]) => ({ w: leastSquares(x, y).w, b: mean(y) });
    expectRejected(() => checkEx8_1(interceptIsMean), /passes through the means/);
    // Passes the evenly spaced visible case; the hidden case has uneven x.
    const midpointForMean = (x: number[], y: number[]) => {
      const w = leastSquares(x, y).w;
      return { w, b: mean(y) - w * (x[0] + x[x.length - 1]) / 2 };
    };
    expectRejected(() => checkEx8_1(midpointForMean), /line passes through \(x̄, ȳ\)/);
  });

  it("Exercise 8.2 passes with the worked answer and rejects wrong gradients", () => {
    const { checkEx8_2, mseGradient } = c.locals();
    checkEx8_2(mseGradient);
    /** (2/m)·Aᵀ(Aθ − y), recomputed here. */
    const right = (A: number[][], y: number[], t: number[]) => {
      const e = A.map((row, i) => row.reduce((s, a, j) => s + a * t[j], 0) - y[i]);
      return t.map((_, j) => (2 / A.length) * A.reduce((s, row, i) => s + row[j] * e[i], 0));
    };
    const flipped = (A: number[][], y: number[], t: number[]) => right(A, y, t).map((g) => -g);
    expectRejected(() => checkEx8_2(flipped), /prediction minus target/);
    const halved = (A: number[][], y: number[], t: number[]) => right(A, y, t).map((g) => g / 2);
    expectRejected(() => checkEx8_2(halved), /the 2 comes from the square/);
    const summed = (A: number[][], y: number[], t: number[]) => right(A, y, t).map((g) => g * A.length);
    expectRejected(() => checkEx8_2(summed), /\(2\/m\)/);
    // θ read in reverse order: right at θ = 0 (the visible case), wrong elsewhere.
    const reversed = (A: number[][], y: number[], t: number[]) => right(A, y, [...t].reverse());
    expectRejected(() => checkEx8_2(reversed), /Average over the m examples/);
    // Only the first two columns used (a line's formula applied to three features).
    const twoColumns = (A: number[][], y: number[], t: number[]) =>
      A[0].length === 2 ? right(A, y, t) : [...right(A.map((r) => [r[0], r[2]]), y, [t[0], t[2]]), 0];
    expectRejected(() => checkEx8_2(twoColumns), /use every column of A/);
  });

  it("Exercise 8.3 passes with the worked answer and rejects wrong polynomial fits", () => {
    const { checkEx8_3, fitPolynomial } = c.locals();
    checkEx8_3(fitPolynomial);
    const solve = (A: number[][], v: number[]) => { // small Gaussian elimination for the wrong answers
      const a = A.map((r, i) => [...r, v[i]]), n = A.length;
      for (let k = 0; k < n; k++) for (let i = k + 1; i < n; i++) {
        const f = a[i][k] / a[k][k];
        for (let j = k; j <= n; j++) a[i][j] -= f * a[k][j];
      }
      const t = new Array<number>(n).fill(0);
      for (let i = n - 1; i >= 0; i--) t[i] = (a[i][n] - a[i].slice(i + 1, n).reduce((s, x, j) => s + x * t[i + 1 + j], 0)) / a[i][i];
      return t;
    };
    const fitPowers = (x: number[], y: number[], powers: number[]) => {
      const rows = x.map((v) => powers.map((p) => v ** p));
      const AtA = powers.map((_, i) => powers.map((_, j) => rows.reduce((s, r) => s + r[i] * r[j], 0)));
      const Aty = powers.map((_, i) => rows.reduce((s, r, k) => s + r[i] * y[k], 0));
      return solve(AtA, Aty);
    };
    const noConstant = (x: number[], y: number[], d: number) => fitPowers(x, y, Array.from({ length: d }, (_, k) => k + 1));
    expectRejected(() => checkEx8_3(noConstant), /the constant c₀ too/);
    const highestFirst = (x: number[], y: number[], d: number) => fitPowers(x, y, Array.from({ length: d + 1 }, (_, k) => d - k));
    expectRejected(() => checkEx8_3(highestFirst), /constant first/);
    // Always fits a parabola (the model of 8.6): right for the visible degree-2 case only.
    const alwaysQuadratic = (x: number[], y: number[]) => fitPowers(x, y, [0, 1, 2]);
    expectRejected(() => checkEx8_3(alwaysQuadratic), /Degree d has d \+ 1 coefficients|every power up to/);
  });

  it("Exercise 8.4 passes with the worked answer and rejects wrong learning-rate limits", () => {
    const { checkEx8_4, maxStableLearningRate } = c.locals();
    checkEx8_4(maxStableLearningRate);
    const H = (x: number[]) => ({ p: 2 * mean(x.map((v) => v * v)), q: 2 * mean(x), s: 2 });
    const lmax = (x: number[]) => {
      const { p, q, s } = H(x);
      return (p + s) / 2 + Math.sqrt(((p - s) / 2) ** 2 + q * q);
    };
    // Right for standardized x (the visible case), too large once x̄ ≠ 0 (hidden).
    const diagonalOnly = (x: number[]) => 2 / H(x).p;
    expectRejected(() => checkEx8_4(diagonalOnly), /off-diagonal/);
    const noFactorTwo = (x: number[]) => 2 / (lmax(x) / 2); // eigenvalues of AᵀA/m, not (2/m)AᵀA
    expectRejected(() => checkEx8_4(noFactorTwo), /H = \(2\/m\)·AᵀA = 2·I/);
    const oneOverLambda = (x: number[]) => 1 / lmax(x);
    expectRejected(() => checkEx8_4(oneOverLambda), /rate is 2\/λmax = 1/);
    // A bound on λmax (largest row sum, Gershgorin): safe, right for x = [−1, 1], too cautious on x = 1..5 (hidden).
    const rowSumBound = (x: number[]) => 2 / Math.max(H(x).p + Math.abs(H(x).q), H(x).s + Math.abs(H(x).q));
    expectRejected(() => checkEx8_4(rowSumBound), /too cautious/);
  });
};

export default checks;
