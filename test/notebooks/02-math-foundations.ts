/**
 * Chapter 02's own checks: what the chapter tells the reader to expect, recomputed here from
 * the formulas (never copied from the notebook's output) and compared with what the notebook
 * computed; and every exercise check fed plausible wrong answers, which it must reject with
 * its hint.
 */
import { expect, it } from "vitest";
import type { ChapterChecks } from "../harness/suite";
import {
  accepts as expectAccepted, chapterRun, expectRejectedWithHint as expectRejected, maxAbsDiff,
} from "../harness/chapter";

type PlotlyFigure = {
  data: { name?: string; type?: string; x?: (number | null)[]; y?: (number | null)[] }[];
  layout: { title?: { text?: string }; xaxis?: { type?: string }; yaxis?: { type?: string } };
};
type MatrixLike = {
  rows: number; cols: number; data: Float64Array; shape: [number, number];
  matmul(o: MatrixLike): MatrixLike; add(o: MatrixLike): MatrixLike; transpose(): MatrixLike;
};
type MatrixClass = {
  from(v: number[][]): MatrixLike; column(v: number[]): MatrixLike;
};
type TensorLike = { dataSync(): Float32Array; shape: number[] };

// The chapter's formulas, written out independently of the notebook and the library.
function matmul(P: number[][], Q: number[][]): number[][] {
  return P.map((row) => Q[0].map((_, j) => row.reduce((s, a, k) => s + a * Q[k][j], 0)));
}
const transpose = (M: number[][]) => M[0].map((_, j) => M.map((row) => row[j]));
const central = (f: (x: number) => number, x: number, h: number) => (f(x + h) - f(x - h)) / (2 * h);

const checks: ChapterChecks = (run) => {
  const shared = chapterRun(run);
  const { locals, stdout } = shared;
  const figures = () => shared.figures() as unknown as PlotlyFigure[];
  const figureTitled = (pattern: RegExp) => shared.figureTitled(pattern) as unknown as PlotlyFigure;
  const diagrams = () => run().cells.flatMap((c) => c.displays)
    .map((d) => String(d["text/plain"] ?? "")).filter((t) => t.startsWith("Diagram: "));

  it("2.1: u·v = 5, ‖u‖ = √10, ‖v‖ = √5, the angle is 45°, and TensorFlow.js agrees to float32", () => {
    const l = locals() as {
      u: number[]; v: number[]; uDotV: number; normU: number; normV: number; angleDegrees: number;
      uDotVTf: number; normUTf: number; l1NormUTf: number;
    };
    expect(l.u).toEqual([3, 1]);
    expect(l.v).toEqual([1, 2]);
    expect(l.uDotV).toBe(3 * 1 + 1 * 2);
    expect(l.normU).toBeCloseTo(Math.sqrt(10), 14);
    expect(l.normV).toBeCloseTo(Math.sqrt(5), 14);
    expect(l.angleDegrees).toBeCloseTo(45, 10); // cos θ = 5/√50 = 1/√2
    expect(Math.abs(l.uDotVTf - 5)).toBeLessThanOrEqual(1e-6);
    expect(Math.abs(l.normUTf - Math.sqrt(10))).toBeLessThanOrEqual(1e-6); // float32: ~3e-7 relative
    expect(l.l1NormUTf).toBe(4);
  });

  it("2.2–2.3: shows the ShapeErrors for A + Aᵀ and for [2, 3]·[2, 3], from the loops, the library and tfjs", () => {
    const out = stdout();
    expect(out).toMatch(/ShapeError: Matrix\.add: expected the second matrix to have shape \[2, 3\], got \[3, 2\]\./);
    expect(out).toMatch(/ShapeError: matmulByLoops: cannot multiply \[2, 3\] by \[2, 3\]/);
    expect(out).toMatch(/ShapeError: Matrix\.matmul: cannot multiply \[2, 3\] by \[2, 3\]\. The columns of the left matrix \(3\) must equal the rows of the right one \(2\)\./);
    expect(out).toMatch(/Error in matMul: inner shapes \(3\) and \(2\)/);
  });

  it("2.2: the transpose by hand is A's columns as rows", () => {
    const { aTransposedByHand } = locals() as { aTransposedByHand: number[][] };
    expect(aTransposedByHand).toEqual(transpose([[1, 2, 3], [4, 5, 6]]));
  });

  it("2.3: AB = [[58, 64], [139, 154]] by the loops, the library and tf.matMul", () => {
    const l = locals() as { cByLoops: number[][]; cLibrary: MatrixLike; cTf: TensorLike };
    const expected = matmul([[1, 2, 3], [4, 5, 6]], [[7, 8], [9, 10], [11, 12]]);
    expect(expected).toEqual([[58, 64], [139, 154]]);
    expect(l.cByLoops).toEqual(expected);
    expect(Array.from(l.cLibrary.data)).toEqual(expected.flat());
    expect(Array.from(l.cTf.dataSync())).toEqual(expected.flat()); // small integers: exact in float32
  });

  it("2.3: on random [30, 20]·[20, 10], the loops equal the library to 1e-12", () => {
    const l = locals() as { R: MatrixLike & { toArray(): number[][] }; S: MatrixLike & { toArray(): number[][] }; rsByLoops: number[] };
    expect(l.R.shape).toEqual([30, 20]);
    expect(l.S.shape).toEqual([20, 10]);
    const ours = matmul(l.R.toArray(), l.S.toArray()).flat();
    expect(maxAbsDiff(l.rsByLoops, ours)).toBeLessThanOrEqual(1e-12);
    expect(maxAbsDiff(l.R.matmul(l.S).data, ours)).toBeLessThanOrEqual(1e-12);
  });

  it("2.4: Z = XW + b adds b to every row, and tfjs silently broadcasts a column bias on a square product", () => {
    const l = locals() as { zByHand: number[][]; zLibrary: MatrixLike; zTf: TensorLike };
    const X = [[1, 0, 2], [0, 1, 1], [2, 1, 0], [1, 1, 1]];
    const W = [[1, -1], [0, 2], [1, 0]];
    const b = [0.5, -1];
    const Z = matmul(X, W).map((row) => row.map((z, j) => z + b[j]));
    expect(l.zByHand).toEqual(Z);
    expect(Array.from(l.zLibrary.data)).toEqual(Z.flat());
    expect(Array.from(l.zTf.dataSync())).toEqual(Z.flat());
    // The first two rows with b as a column: tfjs adds b_i to row i.
    const perExample = matmul(X.slice(0, 2), W).map((row, i) => row.map((z) => z + b[i]));
    const out = stdout();
    expect(out).toContain(`two examples, column bias: ${JSON.stringify(perExample)}, intended ${JSON.stringify(Z.slice(0, 2))}`);
    expect(out).toMatch(/ShapeError: Matrix\.addRow: expected b to have shape \[1, 2\], got \[2, 1\]\./);
  });

  it("2.5: f′(1.5) = 3.75 for f = x³ − 3x, and the forward error is 4.5h + h²", () => {
    const l = locals() as { slopeLibrary: number; slopeTf: number; x0: number };
    expect(l.x0).toBe(1.5);
    expect(Math.abs(l.slopeLibrary - (3 * 1.5 ** 2 - 3))).toBeLessThanOrEqual(1e-9); // central error h² = 1e-10
    expect(Math.abs(l.slopeTf - 3.75)).toBeLessThanOrEqual(4e-6); // float32
    for (const h of [0.1, 0.01, 0.001]) {
      const slope = ((1.5 + h) ** 3 - 3 * (1.5 + h) - (1.5 ** 3 - 3 * 1.5)) / h;
      expect(stdout()).toContain(`h = ${h}: slope ${slope.toFixed(6)}, error ${(4.5 * h + h * h).toExponential(3)}`);
    }
  });

  it("2.6: ∇f(1, 1) = (2, 6) for f = x² + 3y², steepest at atan(3) = 71.57° with slope √40", () => {
    const l = locals() as {
      gradientByHand: number[]; gradientLibrary: MatrixLike; gradientTf: Float32Array;
      steepest: { degrees: number; slope: number };
    };
    expect(l.gradientByHand).toEqual([2, 6]);
    expect(maxAbsDiff(l.gradientLibrary.data, [2, 6])).toBeLessThanOrEqual(1e-9);
    expect(maxAbsDiff(l.gradientTf, [2, 6])).toBeLessThanOrEqual(1e-5);
    const angle = (Math.atan(3) * 180) / Math.PI;
    expect(Math.abs(l.steepest.degrees - angle)).toBeLessThanOrEqual(0.25); // half the scan's step
    expect(Math.abs(l.steepest.slope - Math.sqrt(40))).toBeLessThanOrEqual(1e-4);
  });

  it("2.7: d/dx e^(−x²) at 0.8 is −1.6·e^(−0.64), by hand, by Value, by tf.grad", () => {
    const l = locals() as { chainByHand: number; chainByValue: number; chainTf: number };
    const exact = -1.6 * Math.exp(-0.64);
    expect(l.chainByHand).toBeCloseTo(exact, 14);
    expect(l.chainByValue).toBeCloseTo(exact, 14);
    expect(Math.abs(l.chainTf - exact)).toBeLessThanOrEqual(1e-6);
  });

  it("2.7, erratum of source 004: ∂L/∂w = 0.6 while Δw = η·δ·x = −0.06; adding the gradient raises the loss", () => {
    const l = locals() as { dLdwNumeric: number; deltaW: number; delta: number };
    // ŷ = 0.5·2 + 0.3 = 1.3, δ = y − ŷ = −0.3, ∂L/∂w = −δ·x = 0.6, Δw = 0.1·(−0.3)·2 = −0.06
    expect(l.delta).toBeCloseTo(-0.3, 14);
    expect(l.dLdwNumeric).toBeCloseTo(0.6, 9);
    expect(l.deltaW).toBeCloseTo(-0.06, 14);
    const loss = (w: number) => 0.5 * (1 - (2 * w + 0.3)) ** 2;
    expect(loss(0.5 - 0.06)).toBeLessThan(loss(0.5));
    expect(loss(0.5 + 0.6)).toBeGreaterThan(loss(0.5));
    expect(stdout()).toContain(`loss ${loss(0.5).toFixed(4)} → after w + Δw: ${loss(0.44).toFixed(4)}, after w + ∂L/∂w: ${loss(1.1).toFixed(4)}`);
  });

  it("2.7: the paths add: Value's grad of x·x at 3 is 6, not the 3 of one path", () => {
    expect(stdout()).toContain("y = x·x at x = 3: x.grad = 6 ");
  });

  it("2.7: the picture of the chain is drawn from xChain = 0.8", () => {
    const { xChain } = locals() as { xChain: number };
    expect(xChain).toBe(0.8);
    const y = Math.exp(-0.64);
    const n = (z: number) => String(+z.toFixed(4)).replace("-", "−");
    expect(diagrams().join("\n")).toContain(`dy/dx = dy/du · du/dx = ${n(y)} · (−1.6) = ${n(-1.6 * y)}`);
  });

  it("2.7, erratum of source 003: ∂E/∂W = Xᵀ(Z − T) has W's shape [3, 2]; the written order does not fit", () => {
    const l = locals() as { dW: MatrixLike; dWByHand: number[][]; dWTf: TensorLike };
    const X = [[1, 0, 2], [0, 1, 1], [2, 1, 0], [1, 1, 1]];
    const Z = matmul(X, [[1, -1], [0, 2], [1, 0]]).map((row) => row.map((z, j) => z + [0.5, -1][j]));
    const T = [[1, 0], [0, 1], [1, 1], [0, 0]];
    const dZ = Z.map((row, i) => row.map((z, j) => z - T[i][j]));
    const expected = matmul(transpose(X), dZ);
    expect(expected).toEqual([[8, -6], [5.5, -2], [9, -4]]);
    expect(l.dW.shape).toEqual([3, 2]);
    expect(Array.from(l.dW.data)).toEqual(expected.flat());
    expect(l.dWByHand).toEqual(expected);
    expect(maxAbsDiff(l.dWTf.dataSync(), expected.flat())).toBeLessThanOrEqual(1e-5);
    expect(stdout()).toMatch(/ShapeError: Matrix\.matmul: cannot multiply \[4, 2\] by \[4, 3\]/);
  });

  it("2.7: the broadcast bias gets the column sums of ∂E/∂Z = Z − T, [8, −4], from the loops, sumRows and tf.grads", () => {
    const l = locals() as { db: MatrixLike; dbByHand: number[]; dbTf: TensorLike };
    const X = [[1, 0, 2], [0, 1, 1], [2, 1, 0], [1, 1, 1]];
    const Z = matmul(X, [[1, -1], [0, 2], [1, 0]]).map((row) => row.map((z, j) => z + [0.5, -1][j]));
    const T = [[1, 0], [0, 1], [1, 1], [0, 0]];
    const expected = [0, 1].map((j) => Z.reduce((sum, row, i) => sum + row[j] - T[i][j], 0));
    expect(expected).toEqual([8, -4]);
    expect(l.dbByHand).toEqual(expected);
    expect(l.db.shape).toEqual([1, 2]);
    expect(Array.from(l.db.data)).toEqual(expected);
    expect(l.dbTf.shape).toEqual([1, 2]);
    expect(maxAbsDiff(l.dbTf.dataSync(), expected)).toBeLessThanOrEqual(1e-5);
  });

  it("2.8: forward error falls ~10× and central ~100× per decade of h while truncation rules; both rise below their best h", () => {
    const l = locals() as { at: number; hs: number[]; forwardErrors: number[]; centralErrors: number[] };
    expect(l.at).toBe(1);
    expect(l.hs).toHaveLength(65);
    expect(l.hs[0]).toBe(1);
    expect(l.hs[64]).toBeCloseTo(1e-16, 30);
    // Independently recomputed errors for sin at 1.
    const forward = l.hs.map((h) => Math.abs((Math.sin(1 + h) - Math.sin(1)) / h - Math.cos(1)));
    const cent = l.hs.map((h) => Math.abs(central(Math.sin, 1, h) - Math.cos(1)));
    expect(l.forwardErrors).toEqual(forward);
    expect(maxAbsDiff(l.centralErrors, cent)).toBe(0);
    // From h = 1e-2 to 1e-3 (indices 8 → 12): truncation dominates both.
    expect(forward[8] / forward[12]).toBeGreaterThan(8);
    expect(forward[8] / forward[12]).toBeLessThan(12);
    expect(cent[8] / cent[12]).toBeGreaterThan(80);
    expect(cent[8] / cent[12]).toBeLessThan(120);
    // The minima sit between 1e-9 and 1e-7 (forward) and 1e-6 and 1e-4 (central) …
    const argmin = (e: number[]) => l.hs[e.indexOf(Math.min(...e))];
    expect(argmin(forward)).toBeGreaterThan(1e-9);
    expect(argmin(forward)).toBeLessThan(1e-7);
    expect(argmin(cent)).toBeGreaterThan(1e-6);
    expect(argmin(cent)).toBeLessThan(1e-4);
    expect(Math.min(...forward)).toBeGreaterThan(1e-9);
    expect(Math.min(...cent)).toBeLessThan(1e-11);
    // … and at h = 1e-16, 1 + h === 1, so the forward quotient is 0 and its error is cos 1;
    // 1 − h is still below 1 (float64 is twice as dense there), so the central error is only large.
    expect(1 + 1e-16).toBe(1);
    expect(forward[64]).toBe(Math.cos(1));
    expect(cent[64]).toBeGreaterThan(1e-3);
  });

  it("FAQ: one gradient-descent step from (1, 1) with η = 0.1 reaches (0.8, 0.4) and f = 1.12", () => {
    const f = (x: number, y: number) => x ** 2 + 3 * y ** 2;
    const [x1, y1] = [1 - 0.1 * 2, 1 - 0.1 * 6];
    expect(stdout()).toContain(`(1, 1) → (${x1.toFixed(1)}, ${y1.toFixed(1)}): f from 4 to ${f(x1, y1).toFixed(2)}`);
    expect(stdout()).toContain("kernel [3, 2], bias [2]");
    expect(stdout()).toContain("max(0, x) at x = 0: central difference 0.5, tf.grad 0");
  });

  it("FAQ: a numerical gradient costs 2 loss evaluations per weight: 12 for the layer, 2·55,050 for 784-64-64-10", () => {
    const params = 784 * 64 + 64 + 64 * 64 + 64 + 64 * 10 + 10;
    expect(params).toBe(55050);
    expect(stdout()).toContain("the layer of 2.7, 6 weights: 12 loss evaluations");
    expect(stdout()).toContain(`784-64-64-10, ${params} weights and biases: ${2 * params} forward passes`);
  });

  it("draws the chapter's figures and diagrams", () => {
    const tangent = figureTitled(/^Secant lines turn into the tangent/);
    expect(tangent.data).toHaveLength(5);
    const field = figureTitled(/^Gradient field of f\(x, y\) = x² \+ 3y²/);
    expect(field.data[0].type).toBe("contour");
    expect(field.data).toHaveLength(3);
    expect(field.data[0].name).toMatch(/^contours of f/);
    figureTitled(/^Two slices of f\(x, y\)/);
    const vectors = figureTitled(/^Two vectors, the 45° angle between them/); // the angle is computed from u and v
    expect(vectors.data.slice(0, 3).map((t) => t.name)).toEqual(["u = (3, 1)", "v = (1, 2)", "projection of v on u = (1.5, 0.5)"]);
    const errors = figureTitled(/^Error of the difference quotients for sin′\(1\)/);
    expect(errors.layout.xaxis?.type).toBe("log");
    expect(errors.layout.yaxis?.type).toBe("log");
    expect(errors.data.slice(0, 2).map((t) => t.name)).toEqual(["forward difference", "central difference (numericDerivative)"]);
    const shown = diagrams().join("\n");
    expect(shown).toMatch(/The transpose/);
    expect(shown).toMatch(/C₁₂ = 1·8 \+ 2·10 \+ 3·12 = 64/);
    expect(shown).toMatch(/Z = XW \+ b/);
    expect(shown).toMatch(/dy\/dx = dy\/du · du\/dx/);
  });

  it("every exercise passes with the notebook's own answers", () => {
    const shown = run().cells.map((c) => c.stdout).join("\n");
    for (const k of [1, 2, 3, 4, 5]) expect(shown, `exercise 2.${k}`).toContain(`✓ Exercise 2.${k} `);
  });

  it("Exercise 2.1's check rejects wrong shape rules with a hint", () => {
    type Rule = (a: [number, number], b: [number, number]) => [number, number] | null;
    const { checkEx2_1, productShape } = locals() as { checkEx2_1: (f: Rule) => void; productShape: Rule };
    expectAccepted(() => checkEx2_1(productShape));
    // Never says "no product".
    expectRejected(() => checkEx2_1((a, b) => [a[0], b[1]]), /so there is no product: return null/);
    // Keeps the inner sizes instead of the outer ones.
    expectRejected(() => checkEx2_1((a, b) => (a[1] === b[0] ? [a[1], b[0]] : null)), /outer ones remain/);
    // Thinks the product commutes: passes the visible checks, caught by a hidden one.
    expectRejected(() => checkEx2_1((a, b) => (a[1] === b[0] ? [a[0], b[1]] : a[0] === b[1] ? [b[0], a[1]] : null)),
      /AB and BA are different products/);
  });

  it("Exercise 2.2's check rejects derivatives with a missing link", () => {
    const { checkEx2_2, lossSlope } = locals() as { checkEx2_2: (f: (w: number) => number) => void; lossSlope: (w: number) => number };
    expectAccepted(() => checkEx2_2(lossSlope));
    const yHat = (w: number) => Math.exp(1.5 * w);
    // Forgets dŷ/du = eᵘ: right at w = 0 only (hidden checks catch it).
    expectRejected(() => checkEx2_2((w) => 2 * (yHat(w) - 2) * 1.5), /leaving it out goes unnoticed there/);
    // Forgets du/dw = x.
    expectRejected(() => checkEx2_2((w) => 2 * (yHat(w) - 2) * yHat(w)), /three links, three factors/);
    // Forgets the 2 from the square.
    expectRejected(() => checkEx2_2((w) => (yHat(w) - 2) * yHat(w) * 1.5), /three links, three factors/);
  });

  it("Exercise 2.3's check rejects 2Ax, Ax, and a gradient of the wrong shape", () => {
    const l = locals() as {
      checkEx2_3: (f: (A: MatrixLike, x: MatrixLike) => MatrixLike) => void;
      quadraticGradient: (A: MatrixLike, x: MatrixLike) => MatrixLike;
      Matrix: MatrixClass;
    };
    expectAccepted(() => l.checkEx2_3(l.quadraticGradient));
    // 2Ax: right for symmetric A only.
    expectRejected(() => l.checkEx2_3((A, x) => A.matmul(x).add(A.matmul(x))), /equal only when A is symmetric/);
    // Ax: one of the two terms.
    expectRejected(() => l.checkEx2_3((A, x) => A.matmul(x)), /appears once as xᵢ/);
    // The right numbers as a row [1, n].
    expectRejected(() => l.checkEx2_3((A, x) => A.matmul(x).add(A.transpose().matmul(x)).transpose()), /a column \[n, 1\], like x/);
  });

  it("Exercise 2.4's check rejects the forward difference, a wrong divisor, and an answer that changes x", () => {
    type Grad = (f: (x: number[]) => number, x: number[], h?: number) => number[];
    const { checkEx2_4, centralGradient } = locals() as { checkEx2_4: (g: Grad) => void; centralGradient: Grad };
    expectAccepted(() => checkEx2_4(centralGradient));
    const forward: Grad = (f, x, h = 1e-5) => x.map((_, k) => {
      const p = x.slice();
      p[k] += h;
      return (f(p) - f(x)) / h;
    });
    expectRejected(() => checkEx2_4(forward), /nudge entry k alone, both ways/);
    const overH: Grad = (f, x, h = 1e-5) => x.map((_, k) => {
      const p = x.slice(), m = x.slice();
      p[k] += h;
      m[k] -= h;
      return (f(p) - f(m)) / h;
    });
    expectRejected(() => checkEx2_4(overH), /divide the difference by 2h/);
    // Nudges x itself and undoes it: right numbers, but x[0] ends as 0.09999999999999999.
    const inPlace: Grad = (f, x, h = 1e-5) => x.map((_, k) => {
      x[k] += h;
      const up = f(x);
      x[k] -= 2 * h;
      const down = f(x);
      x[k] += h;
      return (up - down) / (2 * h);
    });
    expectRejected(() => checkEx2_4(inPlace), /work on copies/);
    // Ignores the h it is given.
    const fixedH: Grad = (f, x) => centralGradient(f, x);
    expectRejected(() => checkEx2_4(fixedH), /use the step h passed in/);
  });

  it("Exercise 2.5's check rejects the smallest step, the forward difference's step, a greedy scan and a missing |·|", () => {
    type Best = (f: (x: number) => number, exact: number, x: number, hs: number[]) => number;
    type Predicted = (fx: number, f3x: number) => number;
    const { checkEx2_5, bestStep, predictedBestStep } = locals() as {
      checkEx2_5: (b: Best, p: Predicted) => void; bestStep: Best; predictedBestStep: Predicted;
    };
    expectAccepted(() => checkEx2_5(bestStep, predictedBestStep));
    // "Smaller h is always better."
    expectRejected(() => checkEx2_5((_f, _e, _x, hs) => Math.min(...hs), predictedBestStep), /Smaller is not always better/);
    // Minimises the forward difference's error instead.
    const forwardBest: Best = (f, exact, x, hs) =>
      hs.reduce((b, h) => (Math.abs((f(x + h) - f(x)) / h - exact) < Math.abs((f(x + b) - f(x)) / b - exact) ? h : b));
    expectRejected(() => checkEx2_5(forwardBest, predictedBestStep), /Smaller is not always better/);
    // Walks down the list and stops at the first rise: fine on the sorted list, wrong on a shuffled one.
    const greedy: Best = (f, exact, x, hs) => {
      const err = (h: number) => Math.abs(central(f, x, h) - exact);
      let k = 0;
      while (k + 1 < hs.length && err(hs[k + 1]) < err(hs[k])) k++;
      return hs[k];
    };
    expectRejected(() => checkEx2_5(greedy, predictedBestStep), /do not assume it is sorted/);
    // The forward difference's formula.
    expectRejected(() => checkEx2_5(bestStep, (fx, f3x) => Math.sqrt((2 * Number.EPSILON * fx) / f3x)), /cube root/);
    // Forgets the absolute values: right for eˣ, negative for sin (hidden).
    expectRejected(() => checkEx2_5(bestStep, (fx, f3x) => Math.cbrt((3 * Number.EPSILON * fx) / f3x)), /a step must be positive/);
  });
};

export default checks;
