import { describe, expect, it } from "vitest";
import { ValueError } from "../../../lib/src/errors";
import { Matrix } from "../../../lib/src/matrix";
import { Random } from "../../../lib/src/random";
import {
  makeCircles, makeLine, makeMoons, makeSpirals, makeXor, makeXorCloud,
} from "../../../lib/src/data/synthetic";
import { expectClose } from "../../helpers/compare";

// cos(π/2) is 6.1e-17 in float64, not 0, so exact points are compared to 1e-15.
const EXACT = { rtol: 0, atol: 1e-15 };
const column = (M: Matrix, j = 0) => Array.from({ length: M.rows }, (_, i) => M.get(i, j));
const norms = (X: Matrix) => Array.from({ length: X.rows }, (_, i) => Math.hypot(X.get(i, 0), X.get(i, 1)));
const meanOf = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const stdOf = (v: number[]) => {
  const mu = meanOf(v);
  return Math.sqrt(meanOf(v.map((x) => (x - mu) ** 2)));
};

describe("makeXor", () => {
  it("is the four points with y = x₁ XOR x₂", () => {
    const { X, y } = makeXor();
    expect(X.toArray()).toEqual([[0, 0], [0, 1], [1, 0], [1, 1]]);
    expect(y.toArray()).toEqual([[0], [1], [1], [0]]);
  });
});

describe("makeLine", () => {
  it("without noise is exactly y = a·x + b at evenly spaced x", () => {
    // x = −1, −0.5, 0, 0.5, 1 and y = 2x + 1 = −1, 0, 1, 2, 3.
    const { X, y } = makeLine({ m: 5, a: 2, b: 1, noise: 0, seed: 0 });
    expect(X.toArray()).toEqual([[-1], [-0.5], [0], [0.5], [1]]);
    expectClose(y, [-1, 0, 1, 2, 3], EXACT, "y");
  });

  it("defaults to the seed's example: 100 points on [−1, 1], y = 2x + N(0, 1)", () => {
    const { X, y } = makeLine({ seed: 0 });
    expect(X.shape).toEqual([100, 1]);
    expect([X.get(0, 0), X.get(99, 0)]).toEqual([-1, 1]);
    expect(X.get(1, 0) - X.get(0, 0)).toBeCloseTo(2 / 99, 15);
  });

  it("adds noise with mean 0 and standard deviation `noise`", () => {
    // 10,000 residuals: the sample mean has standard error 0.5/√10000 = 0.005 and the sample
    // σ about 0.5/√20000 = 0.0035; 5 standard errors (0.025 and 0.018) bound both.
    const { X, y } = makeLine({ m: 10_000, a: -3, b: 4, noise: 0.5, seed: 11 });
    const residuals = column(y).map((yi, i) => yi - (-3 * X.get(i, 0) + 4));
    expect(Math.abs(meanOf(residuals))).toBeLessThan(0.025);
    expect(Math.abs(stdOf(residuals) - 0.5)).toBeLessThan(0.018);
  });

  it("refuses a bad m, noise or x range", () => {
    expect(() => makeLine({ m: 0 })).toThrow("makeLine: expected m to be a whole number ≥ 1, got 0.");
    expect(() => makeLine({ noise: -1 })).toThrow(
      "makeLine: expected noise to be a standard deviation ≥ 0, got -1. Use 0 for none.");
    expect(() => makeLine({ a: NaN })).toThrow("makeLine: expected a to be a finite number, got NaN.");
    expect(() => makeLine({ xMin: 1, xMax: 1 })).toThrow(
      "makeLine: expected xMin < xMax, got xMin 1 and xMax 1.");
  });
});

describe("makeXorCloud", () => {
  it("assigns point i to corner i mod 4 with that corner's XOR label", () => {
    const { X, y } = makeXorCloud({ m: 10, noise: 0, seed: 0 });
    expect(column(y)).toEqual([0, 1, 1, 0, 0, 1, 1, 0, 0, 1]);
    expect(X.toArray().slice(0, 5)).toEqual([[0, 0], [0, 1], [1, 0], [1, 1], [0, 0]]);
  });

  it("with small noise keeps every point nearest its own corner", () => {
    // noise 0.1: leaving the corner's quadrant needs a 5σ step (0.5) in one coordinate.
    const { X, y } = makeXorCloud({ m: 200, noise: 0.1, seed: 2 });
    for (let i = 0; i < X.rows; i++) {
      const [a, b] = [X.get(i, 0) > 0.5 ? 1 : 0, X.get(i, 1) > 0.5 ? 1 : 0];
      expect(y.get(i, 0)).toBe(a ^ b);
    }
  });
});

describe("makeMoons", () => {
  it("without noise matches make_moons: m = 6 gives t = 0, π/2, π on each moon", () => {
    // outer (cos t, sin t): (1, 0), (0, 1), (−1, 0)
    // inner (1 − cos t, 1 − sin t − 0.5): (0, 0.5), (1, −0.5), (2, 0.5)
    const { X, y } = makeMoons({ m: 6, noise: 0, seed: 0 });
    expectClose(X, [1, 0, 0, 1, -1, 0, 0, 0.5, 1, -0.5, 2, 0.5], EXACT, "X");
    expect(column(y)).toEqual([0, 0, 0, 1, 1, 1]);
  });

  it("gives the odd point to the inner moon: m = 5 → 2 outer, 3 inner", () => {
    expect(column(makeMoons({ m: 5, seed: 0 }).y)).toEqual([0, 0, 1, 1, 1]);
  });

  it("is reproducible from a seed, and the rng option continues a stream", () => {
    const a = makeMoons({ m: 20, noise: 0.1, seed: 4 });
    expect(makeMoons({ m: 20, noise: 0.1, seed: 4 }).X.data).toEqual(a.X.data);
    expect(makeMoons({ m: 20, noise: 0.1, rng: new Random(4) }).X.data).toEqual(a.X.data);
    expect(makeMoons({ m: 20, noise: 0.1, seed: 5 }).X.data).not.toEqual(a.X.data);
  });

  it("refuses m < 2 and both a seed and an rng", () => {
    expect(() => makeMoons({ m: 1 })).toThrow("makeMoons: expected m to be a whole number ≥ 2, got 1.");
    expect(() => makeMoons({ seed: 1, rng: new Random(1) })).toThrow(/makeMoons: expected a seed or an rng, got both/);
  });
});

describe("makeCircles", () => {
  it("without noise matches make_circles: angles 0, π/2, π, 3π/2, inner radius = factor", () => {
    const { X, y } = makeCircles({ m: 8, factor: 0.5, noise: 0, seed: 0 });
    expectClose(X, [1, 0, 0, 1, -1, 0, 0, -1, 0.5, 0, 0, 0.5, -0.5, 0, 0, -0.5], EXACT, "X");
    expect(column(y)).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
  });

  it("with noise keeps the radii near 1 and factor on average", () => {
    // 500 points per circle, radial noise ≈ N(0, 0.05²): the mean radius has standard error
    // 0.05/√500 ≈ 0.0022; 0.01 is over 4 standard errors.
    const { X, y } = makeCircles({ m: 1000, factor: 0.3, noise: 0.05, seed: 8 });
    const r = norms(X);
    expect(Math.abs(meanOf(r.filter((_, i) => y.get(i, 0) === 0)) - 1)).toBeLessThan(0.01);
    expect(Math.abs(meanOf(r.filter((_, i) => y.get(i, 0) === 1)) - 0.3)).toBeLessThan(0.01);
  });

  it("refuses a factor outside [0, 1)", () => {
    expect(() => makeCircles({ factor: 1 })).toThrow(
      "makeCircles: expected factor in [0, 1), got 1. It is the inner circle's radius");
  });
});

describe("makeSpirals", () => {
  it("without noise follows r = i/(N−1), θ = 4j + 4i/(N−1), x = (r sin θ, r cos θ)", () => {
    // N = 3, k = 2. Class 0: r = 0, 0.5, 1 and θ = 0, 2, 4. Class 1: the same r, θ = 4, 6, 8.
    const { X, y } = makeSpirals({ perClass: 3, classes: 2, noise: 0, seed: 0 });
    const expected = [
      [0, 0], [0.5 * Math.sin(2), 0.5 * Math.cos(2)], [Math.sin(4), Math.cos(4)],
      [0, 0], [0.5 * Math.sin(6), 0.5 * Math.cos(6)], [Math.sin(8), Math.cos(8)],
    ].flat();
    expectClose(X, expected, EXACT, "X");
    expect(column(y)).toEqual([0, 0, 0, 1, 1, 1]);
  });

  it("noise turns the angle only, so each point's radius stays i/(N−1)", () => {
    const { X, y } = makeSpirals({ perClass: 100, classes: 3, seed: 0 });
    expect(X.shape).toEqual([300, 2]);
    expect([0, 1, 2].map((c) => column(y).filter((v) => v === c).length)).toEqual([100, 100, 100]);
    norms(X).forEach((r, i) => expect(r).toBeCloseTo((i % 100) / 99, 12));
  });

  it("refuses a bad number of classes or points", () => {
    expect(() => makeSpirals({ classes: 0 })).toThrow(
      "makeSpirals: expected classes to be a whole number ≥ 1, got 0.");
    expect(() => makeSpirals({ perClass: 2.5 })).toThrow(
      "makeSpirals: expected perClass to be a whole number ≥ 1, got 2.5.");
  });
});
