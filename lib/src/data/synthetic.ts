import { ValueError } from "../errors";
import { Matrix } from "../matrix";
import type { Random } from "../random";
import { randomFrom, type Seeded } from "./seeded";

/**
 * Small seeded data sets for chapters 08 and 09. Each returns X: [m, n] (one example per
 * row) and y: [m, 1] (a target or class label per row), so they feed trainTestSplit,
 * oneHot and the losses directly. Classes come out in order (all of class 0 first), as
 * scikit-learn's generators do with shuffle=False; the split and batch helpers shuffle.
 * Noise is drawn from N(0, noise²) by the seeded source: same seed, same points.
 */
export interface Dataset {
  X: Matrix;
  y: Matrix;
}

export interface LineOptions extends Seeded {
  m?: number;
  a?: number;
  b?: number;
  noise?: number;
  xMin?: number;
  xMax?: number;
}

/**
 * Points near a line (chapter 08):  xᵢ evenly spaced in [xMin, xMax],  yᵢ = a·xᵢ + b + εᵢ,
 * εᵢ ~ N(0, noise²).  X: [m, 1], y: [m, 1]. The defaults are the seed's example
 * x = np.linspace(-1, 1, 100), y = 2·x + np.random.randn(100).
 */
export function makeLine(options: LineOptions = {}): Dataset {
  const where = "makeLine";
  const { m = 100, a = 2, b = 0, noise = 1, xMin = -1, xMax = 1 } = options;
  count(where, "m", m, 1);
  for (const [name, v] of Object.entries({ a, b, xMin, xMax })) finite(where, name, v);
  if (!(xMin < xMax)) {
    throw new ValueError(
      `${where}: expected xMin < xMax, got xMin ${xMin} and xMax ${xMax}. They bound the x axis.`,
    );
  }
  const rng = randomFrom(where, options);
  const x = linspace(xMin, xMax, m, true);
  const eps = normals(rng, m, checkNoise(where, noise));
  return { X: Matrix.column(x), y: Matrix.column(x.map((xi, i) => a * xi + b + eps[i])) };
}

/** The four XOR points (chapter 09): X = [[0,0],[0,1],[1,0],[1,1]], y = x₁ XOR x₂ = [0,1,1,0]. */
export function makeXor(): Dataset {
  return { X: Matrix.from([[0, 0], [0, 1], [1, 0], [1, 1]]), y: Matrix.column([0, 1, 1, 0]) };
}

/**
 * A noisy XOR cloud (chapter 09): point i sits at corner cᵢ = corner (i mod 4) of the
 * XOR square plus N(0, noise²) in each coordinate, with label y = XOR of that corner.
 * X: [m, 2], y: [m, 1]; the four corners get m/4 points each (±1).
 */
export function makeXorCloud(options: { m?: number; noise?: number } & Seeded = {}): Dataset {
  const where = "makeXorCloud";
  const { m = 200, noise = 0.15 } = options;
  count(where, "m", m, 1);
  const rng = randomFrom(where, options);
  const eps = normals(rng, 2 * m, checkNoise(where, noise));
  const corners = [[0, 0], [0, 1], [1, 0], [1, 1]];
  const X = new Matrix(m, 2).map((_v, i, j) => corners[i % 4][j] + eps[2 * i + j]);
  return { X, y: Matrix.column(Array.from({ length: m }, (_, i) => [0, 1, 1, 0][i % 4])) };
}

/**
 * Two interleaving half circles, as scikit-learn's make_moons (chapter 09). With
 * mOut = ⌊m/2⌋ points tᵢ evenly spaced in [0, π] and mIn = m − mOut in [0, π]:
 *   class 0: (cos t, sin t)          class 1: (1 − cos t, 1 − sin t − 0.5)
 * then N(0, noise²) added to every coordinate.  X: [m, 2], y: [m, 1].
 */
export function makeMoons(options: { m?: number; noise?: number } & Seeded = {}): Dataset {
  const where = "makeMoons";
  const { m = 100, noise = 0 } = options;
  count(where, "m", m, 2);
  const mOut = Math.floor(m / 2);
  const outer = linspace(0, Math.PI, mOut, true).map((t) => [Math.cos(t), Math.sin(t)]);
  const inner = linspace(0, Math.PI, m - mOut, true).map((t) => [1 - Math.cos(t), 1 - Math.sin(t) - 0.5]);
  return withNoise(where, [...outer, ...inner], mOut, noise, options);
}

/**
 * A circle inside a circle, as scikit-learn's make_circles (chapter 09). With
 * mOut = ⌊m/2⌋ angles tᵢ evenly spaced in [0, 2π) (2π itself left out) and mIn = m − mOut:
 *   class 0: (cos t, sin t)          class 1: factor·(cos t, sin t),   0 ≤ factor < 1
 * then N(0, noise²) added to every coordinate.  X: [m, 2], y: [m, 1].
 */
export function makeCircles(options: { m?: number; noise?: number; factor?: number } & Seeded = {}): Dataset {
  const where = "makeCircles";
  const { m = 100, noise = 0, factor = 0.8 } = options;
  count(where, "m", m, 2);
  if (!(Number.isFinite(factor) && factor >= 0 && factor < 1)) {
    throw new ValueError(
      `${where}: expected factor in [0, 1), got ${factor}. It is the inner circle's radius ` +
        "relative to the outer one, which has radius 1.",
    );
  }
  const mOut = Math.floor(m / 2);
  const outer = linspace(0, 2 * Math.PI, mOut, false).map((t) => [Math.cos(t), Math.sin(t)]);
  const inner = linspace(0, 2 * Math.PI, m - mOut, false).map((t) => [factor * Math.cos(t), factor * Math.sin(t)]);
  return withNoise(where, [...outer, ...inner], mOut, noise, options);
}

/**
 * k interleaved spiral arms, the CS231n spiral (Karpathy, CS231n "Putting it together").
 * For class j = 0…k−1 and N = perClass points, with i = 0…N−1:
 *   r = i/(N−1),   θ = 4j + 4·i/(N−1) + N(0, noise²),   x = (r·sin θ, r·cos θ)
 * X: [k·N, 2], y: [k·N, 1]. The defaults are CS231n's: N = 100, k = 3, noise 0.2.
 */
export function makeSpirals(
  options: { perClass?: number; classes?: number; noise?: number } & Seeded = {},
): Dataset {
  const where = "makeSpirals";
  const { perClass = 100, classes = 3, noise = 0.2 } = options;
  count(where, "perClass", perClass, 1);
  count(where, "classes", classes, 1);
  const rng = randomFrom(where, options);
  checkNoise(where, noise);
  const points: number[][] = [];
  const labels: number[] = [];
  for (let j = 0; j < classes; j++) {
    const r = linspace(0, 1, perClass, true);
    const theta = linspace(4 * j, 4 * (j + 1), perClass, true);
    const eps = normals(rng, perClass, noise);
    r.forEach((ri, i) => {
      points.push([ri * Math.sin(theta[i] + eps[i]), ri * Math.cos(theta[i] + eps[i])]);
      labels.push(j);
    });
  }
  return { X: Matrix.from(points), y: Matrix.column(labels) };
}

/** numpy.linspace: `n` evenly spaced numbers from start to stop (stop left out if !endpoint). */
function linspace(start: number, stop: number, n: number, endpoint: boolean): number[] {
  const step = (stop - start) / (endpoint ? Math.max(n - 1, 1) : n);
  return Array.from({ length: n }, (_, i) => start + i * step);
}

function normals(rng: Random, n: number, std: number): number[] {
  return Array.from({ length: n }, () => (std === 0 ? 0 : rng.normal(0, std)));
}

/** Adds N(0, noise²) to each coordinate; the first mOut points are class 0, the rest class 1. */
function withNoise(where: string, points: number[][], mOut: number, noise: number, seeded: Seeded): Dataset {
  const rng = randomFrom(where, seeded);
  const eps = normals(rng, 2 * points.length, checkNoise(where, noise));
  const X = Matrix.from(points).map((v, i, j) => v + eps[2 * i + j]);
  return { X, y: Matrix.column(points.map((_p, i) => (i < mOut ? 0 : 1))) };
}

function count(where: string, name: string, v: number, min: number): void {
  if (!Number.isInteger(v) || v < min) {
    throw new ValueError(`${where}: expected ${name} to be a whole number ≥ ${min}, got ${v}.`);
  }
}

function finite(where: string, name: string, v: number): void {
  if (!Number.isFinite(v)) throw new ValueError(`${where}: expected ${name} to be a finite number, got ${v}.`);
}

function checkNoise(where: string, noise: number): number {
  if (!(Number.isFinite(noise) && noise >= 0)) {
    throw new ValueError(
      `${where}: expected noise to be a standard deviation ≥ 0, got ${noise}. Use 0 for none.`,
    );
  }
  return noise;
}
