/**
 * Chapter 04's own checks: what the chapter tells the reader to expect, recomputed here from
 * the formulas with plain arrays (never copied from the notebook's output), and each
 * exercise's check run against plausible wrong answers, which it must reject with a hint.
 */
import { expect, it } from "vitest";
import type { ChapterChecks } from "../harness/suite";
import { chapterRun, expectRejected, maxAbsDiff } from "../harness/chapter";

/** The notebook's Matrix, as far as these checks use it. */
interface Mat {
  rows: number;
  cols: number;
  data: Float64Array;
  shape: [number, number];
  get(i: number, j: number): number;
  toArray(): number[][];
  matmul(other: Mat): Mat;
  addRow(b: Mat): Mat;
  map(f: (v: number, i: number, j: number) => number): Mat;
  scale(s: number): Mat;
}
interface Act { name: string; f(Z: Mat): Mat }
interface Rng { normalMatrix(rows: number, cols: number, mean?: number, std?: number): Mat }
type Shape = [number, number];
interface LayerShapes { W: Shape; b: Shape; A: Shape }
type PlotlyFigure = {
  data: { name?: string; x?: unknown[]; y?: number[]; type?: string }[];
  layout: { title?: { text?: string } };
};

// The formulas of chapter 04, written out independently of the library.
const sigma = (z: number) => 1 / (1 + Math.exp(-z));

/** Z = XW + b with three loops, on nested arrays (eq. 4.2). */
function affine(X: number[][], W: number[][], b: number[]): number[][] {
  return X.map((row) => b.map((bj, j) => row.reduce((z, x, k) => z + x * W[k][j], bj)));
}

/** softmax of each row, shifted by the row's maximum (eq. 4.4). */
function softmaxRows(Z: number[][]): number[][] {
  return Z.map((row) => {
    const top = Math.max(...row);
    const e = row.map((z) => Math.exp(z - top));
    const s = e.reduce((a, v) => a + v, 0);
    return e.map((v) => v / s);
  });
}

// §4.1 and §4.2's numbers, as the text states them.
const X_ONE = [1.0, 2.0, 0.5];
const W_LAYER = [[0.5, 1.0], [-1.0, 0.0], [2.0, -0.5]];
const B_LAYER = [0.1, 0.2];
const X_BATCH = [[1.0, 2.0, 0.5], [0.0, 0.0, 0.0], [-1.0, 0.5, 2.0], [3.0, -1.0, 1.0]];

const checks: ChapterChecks = (run) => {
  const shared = chapterRun(run);
  const { locals, stdout } = shared;
  const figures = () => shared.figures() as unknown as PlotlyFigure[];
  const figureTitled = (pattern: RegExp) => shared.figureTitled(pattern) as unknown as PlotlyFigure;

  it("§4.1: one example through the layer gives z = [−0.4, 0.95] and a = σ(z), by hand, library and tfjs", () => {
    const l = locals() as { W: Mat; b: Mat; zOne: number[]; aOne: number[]; aLib: Mat; aTf: Mat };
    expect(l.W.toArray()).toEqual(W_LAYER);
    expect(Array.from(l.b.data)).toEqual(B_LAYER);
    const z = affine([X_ONE], W_LAYER, B_LAYER)[0];
    expect(maxAbsDiff(z, [-0.4, 0.95])).toBeLessThan(1e-12); // 0.5 − 2 + 1 + 0.1; 1 + 0 − 0.25 + 0.2
    expect(maxAbsDiff(l.zOne, z)).toBeLessThan(1e-12);
    const a = z.map(sigma);
    expect(maxAbsDiff(l.aOne, a)).toBeLessThan(1e-12);
    expect(maxAbsDiff(l.aLib.data, a)).toBeLessThan(1e-12);
    // float32: relative rounding 2⁻²⁴ on a handful of operations on numbers of size ≤ 2.
    expect(maxAbsDiff(l.aTf.data, a)).toBeLessThan(1e-6);
  });

  it("§4.1: names tfjs's weights kernel [3,2] and bias [2], and shows the transposed kernel refused", () => {
    expect(stdout()).toMatch(/kernel \[3,2\]\nbias \[2\]/);
    expect(stdout()).toMatch(/Layer weight shape 3,2 not compatible with provided weight shape 2,3/);
  });

  it("§4.1 erratum: the sum of the products, plus b, through σ; a lower bias gives a lower output", () => {
    const sums = [0, 1].map((j) => X_ONE.reduce((s, x, i) => s + x * W_LAYER[i][j], 0));
    expect(maxAbsDiff(sums, [-0.5, 0.75])).toBeLessThan(1e-12);
    expect(stdout()).toMatch(/sum of the products, Σᵢ xᵢWᵢⱼ: \[-0\.5000, 0\.7500\]/);
    const low = sums.map((s) => sigma(s - 2).toFixed(4)).join(", ");
    expect(stdout()).toContain(`b = [-2, -2]: a = [${low}]`);
  });

  it("§4.2: the batch by loops, matrices, library and tfjs, each row equal to its own forward pass", () => {
    const l = locals() as { Xb: Mat; zLoops: Mat; aLoops: Mat; aMatrices: Mat; aBatchLib: Mat; aBatchTf: Mat };
    expect(l.Xb.toArray()).toEqual(X_BATCH);
    const Z = affine(X_BATCH, W_LAYER, B_LAYER);
    expect(maxAbsDiff(l.zLoops.data, Z.flat())).toBeLessThan(1e-12);
    expect(l.zLoops.toArray()[1]).toEqual(B_LAYER); // the zero example gives Z = b
    const A = Z.flat().map(sigma);
    for (const M of [l.aLoops, l.aMatrices, l.aBatchLib]) expect(maxAbsDiff(M.data, A)).toBeLessThan(1e-12);
    expect(maxAbsDiff(l.aBatchTf.data, A)).toBeLessThan(1e-6);
    expect(stdout()).toMatch(/ShapeError: \S+\.forward: expected X to have shape \[m, 3\], got \[4, 2\]/);
  });

  it("§4.3: records the shape of every array through the 4 → 5 → 4 → 3 network on 6 examples", () => {
    const l = locals() as { netSizes: number[]; shapeRows: { array: string; shape: Shape }[]; Xnet: Mat };
    expect(l.netSizes).toEqual([4, 5, 4, 3]);
    expect(l.Xnet.shape).toEqual([6, 4]);
    const m = 6, n = l.netSizes;
    const expected: Shape[] = [[m, n[0]]];
    for (let k = 1; k < n.length; k++) expected.push([n[k - 1], n[k]], [1, n[k]], [m, n[k]], [m, n[k]]);
    expect(l.shapeRows.map((r) => r.shape)).toEqual(expected);
    expect(l.shapeRows.at(-1)!.array).toMatch(/^Ŷ = A₃ = softmax\(Z₃\)/);
  });

  it("§4.3: counts 64 parameters in the small network and 55,050 in source 001's MNIST network, as tfjs does", () => {
    const params = (sizes: number[]) => sizes.slice(1).reduce((s, nOut, k) => s + sizes[k] * nOut + nOut, 0);
    expect(params([4, 5, 4, 3])).toBe(64);
    expect(params([784, 64, 64, 10])).toBe(55050);
    expect(stdout()).toMatch(/Total params: 64\nTensorFlow\.js: 64 parameters/);
    expect(stdout()).toMatch(/Total params: 55050\nTensorFlow\.js: 55050 parameters/);
  });

  it("§4.3 erratum: [m, 28, 28] images are refused by a 784-input layer, and accepted once flattened", () => {
    expect(stdout()).toMatch(/expected \S+ to have 2 dimension\(s\), but got array with shape \[2,28,28\]/);
    expect(stdout()).toMatch(/reshaped to \[2,784\]: output shape \[2,10\]/);
    expect(stdout()).toMatch(/ShapeError: \S+\.forward: expected X to have shape \[m, 784\], got \[56, 28\]/);
  });

  it("§4.4: the forward pass ends in probabilities; hand, library and tfjs agree with an independent pass", () => {
    const l = locals() as {
      netW: Mat[]; netB: Mat[]; Xnet: Mat; logits: Mat; yHatByHand: Mat; yHatLib: Mat; yHatTf: Mat; predicted: number[];
    };
    let A = l.Xnet.toArray();
    let Zlast: number[][] = [];
    l.netW.forEach((W, k) => {
      const Z = affine(A, W.toArray(), Array.from(l.netB[k].data));
      Zlast = Z;
      A = k < l.netW.length - 1 ? Z.map((r) => r.map((z) => Math.max(0, z))) : softmaxRows(Z);
    });
    expect(maxAbsDiff(l.logits.data, Zlast.flat())).toBeLessThan(1e-12);
    // The text says all six examples land on class 2, and that the largest logit names the class.
    expect(Zlast.map((row) => row.indexOf(Math.max(...row)))).toEqual([2, 2, 2, 2, 2, 2]);
    expect(stdout()).toMatch(/✓ class from the logits Z₃ = class from Ŷ\n✓ the largest logit is the largest probability/);
    const expected = A.flat();
    expect(maxAbsDiff(l.yHatByHand.data, expected)).toBeLessThan(1e-12);
    expect(maxAbsDiff(l.yHatLib.data, expected)).toBeLessThan(1e-12);
    expect(maxAbsDiff(l.yHatTf.data, expected)).toBeLessThan(1e-6); // float32 through three layers
    for (const row of A) expect(Math.abs(row.reduce((s, v) => s + v, 0) - 1)).toBeLessThan(1e-12);
    expect(l.predicted).toEqual(A.map((row) => row.indexOf(Math.max(...row))));
    // The biases are not zero, so they matter (§4.3 draws them from U(−0.5, 0.5)).
    expect(l.netB.every((b) => b.data.some((v) => v !== 0))).toBe(true);
  });

  it("§4.4: softmax of [1010, 1000, 990] is NaN in the first form and finite in the second", () => {
    expect(Math.exp(990)).toBe(Infinity); // every term overflows, so the first form is ∞/∞
    const e = [0, -10, -20].map(Math.exp);
    const p = e.map((v) => v / (e[0] + e[1] + e[2]));
    const shown = p.map((v) => (v >= 1e-3 ? v.toFixed(6) : v.toExponential(3))).join(", ");
    expect(shown).toBe("0.999955, 4.540e-5, 2.061e-9");
    expect(stdout()).toContain("first form: e^z = [Infinity, Infinity, Infinity], softmax = [NaN, NaN, NaN]");
    expect(stdout()).toContain(`second form: [${shown}]`);
    expect(stdout()).toMatch(/✓ library softmax on \[1010, 1000, 990\][^\n]*\n✓ tf\.softmax on \[1010, 1000, 990\]/);
  });

  it("§4.4: tfjs's Dense defaults to a truncated Glorot normal (variance ≈ 0.774·s²), the library's to Glorot uniform within ±√(6/848)", () => {
    expect(stdout()).toMatch(/TensorFlow\.js Dense kernel initializer: VarianceScaling, distribution: normal, mode: fanAvg/);
    // Variance of a standard normal cut at ±2, by Simpson's rule: the 0.774 the text states.
    const phi = (x: number) => Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
    const simpson = (f: (x: number) => number, n = 2000) => {
      const h = 4 / n;
      let sum = f(-2) + f(2);
      for (let i = 1; i < n; i++) sum += (i % 2 ? 4 : 2) * f(-2 + i * h);
      return (sum * h) / 3;
    };
    const factor = simpson((x) => x * x * phi(x)) / simpson(phi);
    expect(Math.abs(factor - 0.774)).toBeLessThan(5e-4);
    expect(Math.abs(1 / 0.8796 ** 2 * factor - 1)).toBeLessThan(1e-3); // Keras's correction undoes it
    expect(stdout()).toContain(`(2s = ${(2 * Math.sqrt(2 / 848)).toFixed(4)}), variance / s² = 0.7`);
    expect(stdout()).toMatch(/✓ TensorFlow\.js: no weight beyond 2s\n✓ TensorFlow\.js: variance ≈ 0\.774·s², not s²/);
    expect(stdout()).toContain(`(−${Math.sqrt(6 / 848).toFixed(4)}, ${Math.sqrt(6 / 848).toFixed(4)})`);
  });

  it("§4.4 errata: the forward pass leaves the weights unchanged and uses no labels", () => {
    const l = locals() as { weightsUnchanged: boolean; outputOnXnet: Mat; outputOnOther: Mat };
    expect(l.weightsUnchanged).toBe(true);
    expect(maxAbsDiff(l.outputOnXnet.data, l.outputOnOther.data)).toBeGreaterThan(1e-3);
    expect(stdout()).toMatch(/✓ the forward pass is the same whichever labels come later/);
  });

  it("draws the single layer and the 4 → 5 → 4 → 3 network with every connection", () => {
    const one = figureTitled(/^A dense layer: 3 inputs, 2 sigmoid units$/);
    expect(one.data.slice(1).map((t) => t.y!.length)).toEqual([3, 2]);
    expect(one.data[0].x!.length).toBe(3 * 2 * 3); // each edge: two ends and a break
    const net = figureTitled(/^Shapes through a 4 → 5 → 4 → 3 network/);
    expect(net.data.slice(1).map((t) => t.y!.length)).toEqual([4, 5, 4, 3]);
    expect(net.data[0].x!.length).toBe((4 * 5 + 5 * 4 + 4 * 3) * 3);
  });

  it("charts the class probabilities of the six examples", () => {
    const l = locals() as { yHatLib: Mat };
    const fig = figureTitled(/^Class probabilities Ŷ/);
    expect(fig.data.map((t) => t.name)).toEqual(["class 0", "class 1", "class 2"]);
    fig.data.forEach((t, c) => expect(t.y).toEqual(l.yHatLib.toArray().map((r) => r[c])));
  });

  it("the exercises' worked solutions pass their checks", () => {
    const shown = run().cells.map((c) => c.stdout).join("\n");
    for (const k of ["4.1", "4.2", "4.3", "4.4"]) expect(shown, k).toContain(`✓ Exercise ${k} `);
    const { multiplyAdds } = locals() as { multiplyAdds: (m: number, sizes: number[]) => number };
    expect(multiplyAdds(1, [784, 64, 64, 10])).toBe(784 * 64 + 64 * 64 + 64 * 10); // = 54,912 weights
    expect(multiplyAdds(1, [784, 64, 64, 10])).toBe(54912);
  });

  it("Exercise 4.1's check rejects a transposed W, a bias per example, and an entry for the input", () => {
    const { checkEx4_1, layerShapes } = locals() as {
      checkEx4_1: (f: (m: number, sizes: number[]) => LayerShapes[]) => void;
      layerShapes: (m: number, sizes: number[]) => LayerShapes[];
    };
    expect(() => checkEx4_1(layerShapes)).not.toThrow();
    const layers = (sizes: number[]) => sizes.slice(1).map((nOut, k) => ({ nIn: sizes[k], nOut }));
    expectRejected(() => checkEx4_1((m, s) => layers(s).map(({ nIn, nOut }) => ({ W: [nOut, nIn], b: [1, nOut], A: [m, nOut] }))),
      /one row per input feature, one column per unit/);
    expectRejected(() => checkEx4_1((m, s) => layers(s).map(({ nIn, nOut }) => ({ W: [nIn, nOut], b: [m, nOut], A: [m, nOut] }))),
      /one row \[1, n_out\], shared by all examples/);
    expectRejected(() => checkEx4_1((m, s) => s.map((n, k) => ({ W: [s[k - 1] ?? n, n], b: [1, n], A: [m, n] }))),
      /L \+ 1 numbers describe L layers/);
    expectRejected(() => checkEx4_1((_m, s) => layers(s).map(({ nIn, nOut }) => ({ W: [nIn, nOut], b: [1, nOut], A: [nOut, 1] }))),
      /A keeps one row per example/);
  });

  it("Exercise 4.2's check rejects counting per example only, and counting parameters", () => {
    const { checkEx4_2, multiplyAdds } = locals() as {
      checkEx4_2: (f: (m: number, sizes: number[]) => number) => void;
      multiplyAdds: (m: number, sizes: number[]) => number;
    };
    expect(() => checkEx4_2(multiplyAdds)).not.toThrow();
    const perLayer = (s: number[], f: (nIn: number, nOut: number) => number) =>
      s.slice(1).reduce((sum, nOut, k) => sum + f(s[k], nOut), 0);
    // Forgets the batch: passes the visible m = 1 checks, so the hidden ones must catch it.
    expectRejected(() => checkEx4_2((_m, s) => perLayer(s, (a, b) => a * b)), /multiply by m/);
    expectRejected(() => checkEx4_2((m, s) => m * perLayer(s, (a, b) => (a + 1) * b)), /Biases are not counted/);
    expectRejected(() => checkEx4_2((m, s) => m * s.reduce((p, n) => p * n, 1)), /layer l costs n_\{l−1\}·n_l/);
  });

  it("Exercise 4.3's check rejects a missing bias, a missing ReLU, an overflowing softmax and a softmax over columns", () => {
    const { checkEx4_3, forwardTwoLayer } = locals() as {
      checkEx4_3: (f: (X: Mat, W1: Mat, b1: Mat, W2: Mat, b2: Mat) => Mat) => void;
      forwardTwoLayer: (X: Mat, W1: Mat, b1: Mat, W2: Mat, b2: Mat) => Mat;
    };
    expect(() => checkEx4_3(forwardTwoLayer)).not.toThrow();
    const reluM = (Z: Mat) => Z.map((v) => Math.max(0, v));
    const stable = (Z: Mat) => { const P = softmaxRows(Z.toArray()); return Z.map((_v, i, j) => P[i][j]); };
    const naive = (Z: Mat) => {
      const sums = Z.toArray().map((r) => r.reduce((s, v) => s + Math.exp(v), 0));
      return Z.map((v, i) => Math.exp(v) / sums[i]);
    };
    const byColumn = (Z: Mat) => {
      const sums = Array.from({ length: Z.cols }, (_, j) => Z.toArray().reduce((s, r) => s + Math.exp(r[j]), 0));
      return Z.map((v, _i, j) => Math.exp(v) / sums[j]);
    };
    expectRejected(() => checkEx4_3((X, W1, _b1, W2, _b2) => stable(reluM(X.matmul(W1)).matmul(W2))),
      /b₁ added to every row and ReLU on the hidden layer only/);
    expectRejected(() => checkEx4_3((X, W1, b1, W2, b2) => stable(X.matmul(W1).addRow(b1).matmul(W2).addRow(b2))),
      /ReLU on the hidden layer only/);
    // The naive softmax is right on small logits, so only the hidden large-logit case catches it.
    expectRejected(() => checkEx4_3((X, W1, b1, W2, b2) => naive(reluM(X.matmul(W1).addRow(b1)).matmul(W2).addRow(b2))),
      /subtract each row's largest logit/i);
    expectRejected(() => checkEx4_3((X, W1, b1, W2, b2) => byColumn(reluM(X.matmul(W1).addRow(b1)).matmul(W2).addRow(b2))),
      /normalizes each row .* not each column/);
  });

  it("Exercise 4.4's check rejects a forgotten activation, weightStd used as a variance, and a standard deviation for the RMS", () => {
    const l = locals() as {
      checkEx4_4: (f: (weightStd: number, g: Act, seed: number) => number[]) => void;
      activationScales: (weightStd: number, g: Act, seed: number) => number[];
      Random: new (seed: number) => Rng;
    };
    expect(() => l.checkEx4_4(l.activationScales)).not.toThrow();
    const rms = (A: Mat) => Math.sqrt(A.data.reduce((s, v) => s + v * v, 0) / A.data.length);
    const std = (A: Mat) => {
      const mean = A.data.reduce((s, v) => s + v, 0) / A.data.length;
      return Math.sqrt(A.data.reduce((s, v) => s + (v - mean) ** 2, 0) / A.data.length);
    };
    const scales = (size: (A: Mat) => number, drawStd: (sd: number) => number, applyG: boolean) =>
      (weightStd: number, g: Act, seed: number) => {
        const r = new l.Random(seed);
        let A = r.normalMatrix(200, 100);
        const out: number[] = [];
        for (let k = 0; k < 10; k++) {
          const Z = A.matmul(r.normalMatrix(100, 100, 0, drawStd(weightStd)));
          A = applyG ? g.f(Z) : Z;
          out.push(size(A));
        }
        return out;
      };
    // The reference passes: the wrong answers below differ from it in one thing each.
    expect(() => l.checkEx4_4(scales(rms, (sd) => sd, true))).not.toThrow();
    expectRejected(() => l.checkEx4_4(scales(rms, (sd) => sd, false)), /Measure after the activation/);
    expectRejected(() => l.checkEx4_4(scales(rms, (sd) => sd * sd, true)), /weightStd is the standard deviation/);
    expectRejected(() => l.checkEx4_4(scales(std, (sd) => sd, true)), /not as the standard deviation about the mean/);
  });

  it("the RMS figure follows (σ_W·√100)^l for the linear layers", () => {
    const fig = figureTitled(/^RMS of the activations through 10 layers/);
    const linear = fig.data.filter((t) => /^linear/.test(t.name ?? ""));
    expect(linear.map((t) => t.name)).toEqual(["linear, σ_W = 0.05", "linear, σ_W = 0.1", "linear, σ_W = 0.2"]);
    [0.5, 1, 2].forEach((gain, k) => {
      // Ten random layers: the product of gains wanders by a few per cent per layer.
      expect(Math.abs(Math.log(linear[k].y![9] / gain ** 10))).toBeLessThan(0.25);
    });
  });
};

export default checks;
