/**
 * Chapter 07's own checks: what the chapter tells the reader to expect, recomputed here from
 * the formulas with plain arrays and loops (never copied from the notebook's output, and
 * without the library's matrices or layers) and compared with what the notebook computed; its
 * figures; and every exercise check fed plausible wrong answers, each of which it must reject
 * with a hint that helps.
 */
import { expect, it } from "vitest";
import type { ChapterChecks } from "../harness/suite";
import { accepts, chapterRun, expectRejectedWithHint as rejects, maxAbsDiff } from "../harness/chapter";

type Grid = number[][];
type MatrixLike = { rows: number; cols: number; shape: [number, number]; data: Float64Array; toArray(): Grid };
type PlotlyTrace = { name?: string; type?: string; x?: unknown[]; y?: number[]; text?: string[] };
type PlotlyFigure = { data: PlotlyTrace[]; layout: { title?: { text?: string } } };

// The chapter's formulas, written out independently of the library.
const sigma = (z: number) => 1 / (1 + Math.exp(-z));
const matmul = (A: Grid, B: Grid): Grid => A.map((row) => B[0].map((_, j) => row.reduce((s, a, k) => s + a * B[k][j], 0)));
const transpose = (A: Grid): Grid => A[0].map((_, j) => A.map((row) => row[j]));
const addRow = (A: Grid, b: number[]): Grid => A.map((row) => row.map((v, j) => v + b[j]));
const map = (A: Grid, f: (v: number, i: number, j: number) => number): Grid => A.map((row, i) => row.map((v, j) => f(v, i, j)));
const zip = (A: Grid, B: Grid, f: (a: number, b: number) => number): Grid => A.map((row, i) => row.map((v, j) => f(v, B[i][j])));
const colSums = (A: Grid): number[] => A[0].map((_, j) => A.reduce((s, row) => s + row[j], 0));
const flat = (A: Grid | number[]): number[] => (A as unknown[]).flat() as number[];

/** max |a − n| / (|a| + |n|), the chapter's relative error. */
function relErr(a: ArrayLike<number>, n: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - n[i]) / Math.max(Math.abs(a[i]) + Math.abs(n[i]), 1e-12));
  return worst;
}

/** The two-layer network of 7.4 (tanh hidden, sigmoid output, ½MSE): its loss and its gradients, by loops. */
function twoLayer(X: Grid, Y: Grid, W1: Grid, b1: number[], W2: Grid, b2: number[]) {
  const A1 = map(addRow(matmul(X, W1), b1), Math.tanh);
  const Yhat = map(addRow(matmul(A1, W2), b2), sigma);
  const n = Y.length * Y[0].length;
  const L = flat(zip(Yhat, Y, (p, y) => (p - y) ** 2)).reduce((s, v) => s + v, 0) / (2 * n);
  const dZ2 = zip(Yhat, Y, (p, y) => ((p - y) / n) * p * (1 - p));
  const dA1 = matmul(dZ2, transpose(W2));
  const dZ1 = zip(dA1, A1, (d, a) => d * (1 - a * a));
  return {
    L, Yhat, dZ1,
    dW1: matmul(transpose(X), dZ1), db1: colSums(dZ1), dW2: matmul(transpose(A1), dZ2), db2: colSums(dZ2),
    dX: matmul(dZ1, transpose(W1)),
  };
}

const checks: ChapterChecks = (run) => {
  const shared = chapterRun(run);
  const { locals, stdout: shown } = shared;
  const figures = () => shared.figures() as unknown as PlotlyFigure[];
  const figureTitled = (pattern: RegExp) => shared.figureTitled(pattern) as unknown as PlotlyFigure;
  const grid = (M: MatrixLike) => M.toArray();
  const net = () => {
    const l = locals();
    return { X: grid(l.netX), Y: grid(l.netY), W1: grid(l.netW1), b1: grid(l.netB1)[0], W2: grid(l.netW2), b2: grid(l.netB2)[0] };
  };

  // Background

  it("Background: the record of who did what, 1960–1986", () => {
    expect(shown()).toMatch(/1970 \| Seppo Linnainmaa \| reverse-mode automatic differentiation/);
    expect(shown()).toMatch(/1974 \| Paul Werbos/);
    expect(shown()).toMatch(/1986 \| David Rumelhart, Geoffrey Hinton, Ronald Williams/);
  });

  // 7.1 A computational graph

  it("7.1: the neuron's values and gradients (∂L/∂w ≈ −0.1058), by hand, by Value, by tf.grads and by central differences", () => {
    const l = locals();
    const { x, w, b, y } = l.neuronInputs as { x: number; w: number; b: number; y: number };
    expect([x, w, b, y]).toEqual([2, 0.75, -0.5, 1]);
    const z = w * x + b, p = sigma(z), e = p - y;
    const dz = e * p * (1 - p);
    expect(z).toBe(1);
    expect(0.5 * e * e).toBeCloseTo(0.036165, 6);
    expect(dz).toBeCloseTo(-0.052877, 6);
    const want = [dz * x, dz, dz * w]; // ∂L/∂w, ∂L/∂b, ∂L/∂x
    expect(want[0]).toBeCloseTo(-0.105754, 6);
    expect(want[2]).toBeCloseTo(-0.039658, 6);
    const hand = l.neuronByHand;
    expect(maxAbsDiff([hand.dw, hand.db, hand.dx], want)).toBeLessThan(1e-15);
    expect(maxAbsDiff([l.vw.grad, l.vb.grad, l.vx.grad], want)).toBeLessThan(1e-15);
    expect(l.vy.grad).toBeCloseTo(-e, 15);
    expect(maxAbsDiff(l.neuronTf, want)).toBeLessThan(1e-6); // float32
    expect(maxAbsDiff([l.neuronNumeric.dw, l.neuronNumeric.db, l.neuronNumeric.dx], want)).toBeLessThan(1e-9);
    expect(shown()).toMatch(/∂L\/∂w = -0\.105754, ∂L\/∂b = -0\.052877, ∂L\/∂x = -0\.039658/);
    // Try it: w = −5 saturates the sigmoid; the gradient shrinks about 1,900-fold.
    const zs = -5 * x + b, ps = sigma(zs), dws = (ps - y) * ps * (1 - ps) * x;
    expect(dws).toBeCloseTo(-0.000055, 6);
    expect(want[0] / dws).toBeGreaterThan(1800);
    expect(want[0] / dws).toBeLessThan(2000);
  });

  it("7.1: the graph is drawn with data | grad under every node", () => {
    const fig = figureTitled(/^The computational graph of one neuron/);
    expect(fig.data.map((t) => t.name)).toEqual(["inputs and constants", "results of operations"]);
    const texts = fig.data.flatMap((t) => t.text ?? []);
    expect(texts).toHaveLength(11); // w, x, p, b, z, ŷ, y, e, e², ½, L
    const { x, w, b, y } = locals().neuronInputs;
    const p = sigma(w * x + b), dw = (p - y) * p * (1 - p) * x;
    expect(texts).toContain(`w<br>${w.toPrecision(4)} | ${dw.toPrecision(4)}`);
    expect(texts.find((t) => t.startsWith("L (·)"))).toMatch(/\| 1$/); // ∂L/∂L = 1
  });

  // 7.2 A value used twice

  it("7.2: the shared weight's gradient is 2 = −1 + 3, the sum of four path products; backward twice gives 4", () => {
    const l = locals();
    const { w, x, y } = l.sharedData as { w: number; x: number[]; y: number[] };
    const want = x.reduce((s, xk, k) => s + 2 * xk * (w * xk - y[k]), 0);
    expect(want).toBe(2);
    expect(l.sharedByHand).toBe(want);
    expect(l.sharedPaths.map((p: { product: number }) => p.product)).toEqual([-0.5, -0.5, 1.5, 1.5]);
    expect(shown()).toMatch(/after a second backward\(\): ∂L\/∂w = 4/);
    expect(shown()).toMatch(/after zeroGrad\(\) and backward\(\): ∂L\/∂w = 2/);
    expect(l.sharedW.grad).toBe(2);
    // Try it: at w = 0.4 = Σxy/Σx², the two examples' pulls cancel.
    const atLeastSquares = x.reduce((s, xk, k) => s + 2 * xk * (0.4 * xk - y[k]), 0);
    expect(atLeastSquares).toBeCloseTo(0, 14);
    expect(atLeastSquares.toExponential(1)).toBe("1.1e-15"); // "the cells print 1.1 × 10⁻¹⁵ rather than 0"
    const fig = figureTitled(/^A weight used by two examples/);
    expect(fig.data.flatMap((t) => t.text ?? [])).toContain("w<br>0.5000 | 2");
  });

  it("7.2: 20 squarings of 1 have 2²⁰ paths and 40 edges, and the derivative is 2²⁰", () => {
    const s = locals().squaringPaths;
    expect(s).toEqual({ paths: 2 ** 20, edges: 40, grad: 2 ** 20 });
    expect(shown()).toMatch(/paths from v₀ to v₂₀: 1048576; edges the backward pass visits: 40/);
  });

  // 7.3 The delta rule

  it("7.3: δ = (ŷ − y)σ′(z) ≈ −0.1438, ∂L/∂w = δx, Δw = −ηδx = +ηδ̃x ≈ (0.0719, −0.1438, 0.0360)", () => {
    const l = locals();
    const { x, w, b, y, eta } = l.deltaNeuron as { x: number[]; w: number[]; b: number; y: number; eta: number };
    const z = w.reduce((s, wi, i) => s + wi * x[i], b), p = sigma(z);
    const delta = (p - y) * p * (1 - p), deltaTilde = (y - p) * p * (1 - p);
    expect(z).toBeCloseTo(-0.4, 15);
    expect(delta).toBeCloseTo(-0.143841, 6);
    const step = x.map((xi) => eta * deltaTilde * xi);
    expect(maxAbsDiff(step, [0.0719, -0.1438, 0.036])).toBeLessThan(6e-5);
    expect(maxAbsDiff(l.deltaByHand.dw, x.map((xi) => delta * xi))).toBeLessThan(1e-15);
    expect(maxAbsDiff(l.deltaByHand.stepFromGradient, step)).toBeLessThan(1e-15);
    expect(maxAbsDiff(l.deltaLibraryGrad.dw, x.map((xi) => delta * xi))).toBeLessThan(1e-15);
    expect(l.deltaLibraryGrad.db).toBeCloseTo(delta, 15);
    expect(maxAbsDiff(l.deltaLibraryStep, step)).toBeLessThan(1e-14);
    expect(maxAbsDiff([...l.deltaTf.dw, l.deltaTf.db], [...x.map((xi) => delta * xi), delta])).toBeLessThan(1e-6);
    // Try it: with y = 0, δ ≈ 0.0964 and Δw ≈ (−0.0482, 0.0964, −0.0241).
    const d0 = p * p * (1 - p);
    expect(d0).toBeCloseTo(0.0964, 4);
    expect(maxAbsDiff(x.map((xi) => -eta * d0 * xi), [-0.0482, 0.0964, -0.0241])).toBeLessThan(6e-5);
  });

  it("7.3: along the step, t = 1 goes downhill and t = −1 uphill", () => {
    const { x, w, b, y, eta } = locals().deltaNeuron;
    const p = sigma(w.reduce((s: number, wi: number, i: number) => s + wi * x[i], b));
    const delta = (p - y) * p * (1 - p);
    const lossAt = (t: number) => 0.5 * (sigma(w.reduce((s: number, wi: number, i: number) => s + (wi - t * eta * delta * x[i]) * x[i],
      b - t * eta * delta)) - y) ** 2;
    expect(lossAt(1)).toBeLessThan(lossAt(0));
    expect(lossAt(-1)).toBeGreaterThan(lossAt(0));
    const fig = figureTitled(/^The loss along the delta rule's step/);
    expect(fig.data).toHaveLength(4);
    expect(fig.data[0].y![80]).toBeCloseTo(lossAt(0), 12);
    expect(fig.data[2].y![0]).toBeCloseTo(lossAt(1), 12);
    expect(fig.data[3].y![0]).toBeCloseTo(lossAt(-1), 12);
  });

  it("7.3 erratum: the source's Δw = η·δ·x descends with δ = (y − ŷ)g′, climbs with δ = ∂L/∂z, and without g′ is the cross-entropy step", () => {
    const l = locals();
    const X = grid(l.deltaBatch.X), y = l.deltaBatch.y as number[];
    const { w, b, eta } = l.deltaNeuron as { w: number[]; b: number; eta: number };
    const m = X.length;
    const p = X.map((row) => sigma(row.reduce((s, v, i) => s + v * w[i], b)));
    const loss = (wv: number[], bv: number) => X.reduce((s, row, k) => s + (sigma(row.reduce((t, v, i) => t + v * wv[i], bv)) - y[k]) ** 2, 0) / (2 * m);
    const stepOf = (delta: number[]) => [...w.map((_, i) => (eta / m) * delta.reduce((s, d, k) => s + d * X[k][i], 0)), (eta / m) * delta.reduce((s, d) => s + d, 0)];
    const gradMse = stepOf(p.map((pk, k) => (pk - y[k]) * pk * (1 - pk))).map((v) => -v); // −η∇L of ½MSE
    const readings = l.deltaReadings.readings as { step: number[]; after: number; cosine: number; length: number }[];
    const steps = [
      stepOf(p.map((pk, k) => (y[k] - pk) * pk * (1 - pk))),
      stepOf(p.map((pk, k) => (pk - y[k]) * pk * (1 - pk))),
      stepOf(p.map((pk, k) => y[k] - pk)),
    ];
    steps.forEach((s, k) => expect(maxAbsDiff(readings[k].step, s)).toBeLessThan(1e-15));
    expect(maxAbsDiff(steps[0], gradMse)).toBeLessThan(1e-15);
    const before = loss(w, b);
    const after = steps.map((s) => loss(w.map((wi, i) => wi + s[i]), b + s[3]));
    expect(after[0]).toBeLessThan(before);
    expect(after[1]).toBeGreaterThan(before);
    expect(readings.map((r) => r.after)).toEqual(after.map((a) => expect.closeTo(a, 14)));
    const cos = (a: number[], c: number[]) => a.reduce((s, v, i) => s + v * c[i], 0) / Math.hypot(...a) / Math.hypot(...c);
    expect(cos(steps[2], steps[0])).toBeGreaterThan(0.9);
    expect(cos(steps[2], steps[0])).toBeLessThan(0.999);
    // δ = y − ŷ without g′ is exactly −η times the gradient of the mean binary cross-entropy.
    const bceStep = stepOf(p.map((pk, k) => -(pk - y[k]))); // ∇ of −mean[y log p + (1 − y) log(1 − p)] is mean((p − y)x)
    expect(maxAbsDiff(steps[2], bceStep)).toBe(0);
    // The third reading lowers the loss more than the first only because it is 5.5 times longer;
    // the gradient step stretched to its length does better still.
    expect(after[2]).toBeLessThan(after[0]);
    const stretch = Math.hypot(...steps[2]) / Math.hypot(...steps[0]);
    expect(stretch.toFixed(1)).toBe("5.5");
    expect(readings.map((r) => r.length)).toEqual(steps.map((s) => expect.closeTo(Math.hypot(...s), 14)));
    const stretched = loss(w.map((wi, i) => wi + stretch * steps[0][i]), b + stretch * steps[0][3]);
    expect(stretched).toBeLessThan(after[2]);
    expect(l.deltaReadings.stretchedAfter).toBeCloseTo(stretched, 14);
    expect(shown()).toMatch(/✓ made as long as the third reading's step, −η·∇L lowers the loss more/);
  });

  // 7.4 The two-layer network

  it("7.4: the hand-coded, library and tf.grads gradients equal the formulas computed with loops; L ≈ 0.060464", () => {
    const l = locals();
    const { X, Y, W1, b1, W2, b2 } = net();
    expect([X.length, X[0].length, W1[0].length, W2[0].length]).toEqual([5, 3, 4, 2]);
    const r = twoLayer(X, Y, W1, b1, W2, b2);
    expect(r.L).toBeCloseTo(0.060464, 6);
    expect(l.netLoss).toBeCloseTo(r.L, 14);
    const want = { dW1: flat(r.dW1), db1: r.db1, dW2: flat(r.dW2), db2: r.db2 };
    for (const name of ["dW1", "db1", "dW2", "db2"] as const) {
      expect(maxAbsDiff(l.netByHand[name].data, want[name]), `${name} by hand`).toBeLessThan(1e-15);
      expect(maxAbsDiff(l.netLibrary[name].data, want[name]), `${name} library`).toBeLessThan(1e-15);
    }
    expect(l.netByHand.dW1.shape).toEqual([3, 4]);
    expect(l.netByHand.db2.shape).toEqual([1, 2]);
    ["dW1", "db1", "dW2", "db2"].forEach((name, k) =>
      expect(maxAbsDiff(l.netTfGrads[k], want[name as keyof typeof want]), `${name} tf.grads`).toBeLessThan(1e-7));
    expect(shown()).toMatch(/dW1 \[3, 4\], db1 \[1, 4\], dW2 \[4, 2\], db2 \[1, 2\]/);
  });

  it("7.4: with a softmax output and cross-entropy, dZ₂ = (softmax(Z₂) − Y)/m and the rest unchanged: hand, library, tfjs", () => {
    const l = locals();
    const { X, W1, b1, W2, b2 } = net();
    const Y = grid(l.softmaxLabels);
    expect(Y).toEqual([[1, 0], [0, 1], [0, 1], [1, 0], [0, 1]]);
    const m = X.length;
    const A1 = map(addRow(matmul(X, W1), b1), Math.tanh);
    const Z2 = addRow(matmul(A1, W2), b2);
    const P = Z2.map((row) => { const e = row.map(Math.exp), s = e[0] + e[1]; return e.map((v) => v / s); });
    // Cross-entropy L = −(1/m)·Σ y·log p, differentiated with respect to each score Z₂ᵢₖ by central differences here.
    const ce = (Z: Grid) => -Z.reduce((s, row, i) => {
      const lse = Math.log(row.reduce((t, z) => t + Math.exp(z), 0));
      return s + row.reduce((t, z, k) => t + Y[i][k] * (z - lse), 0);
    }, 0) / m;
    const dZ2 = zip(P, Y, (p, y) => (p - y) / m);
    const h = 1e-5;
    const dZ2Numeric = map(Z2, (_, i, j) => (ce(map(Z2, (z, r, c) => (r === i && c === j ? z + h : z)))
      - ce(map(Z2, (z, r, c) => (r === i && c === j ? z - h : z)))) / (2 * h));
    expect(maxAbsDiff(flat(dZ2), flat(dZ2Numeric))).toBeLessThan(1e-9);
    const dZ1 = zip(matmul(dZ2, transpose(W2)), A1, (d, a) => d * (1 - a * a));
    const want = { dW1: flat(matmul(transpose(X), dZ1)), db1: colSums(dZ1), dW2: flat(matmul(transpose(A1), dZ2)), db2: colSums(dZ2) };
    (["dW1", "db1", "dW2", "db2"] as const).forEach((name, k) => {
      expect(maxAbsDiff(l.softmaxByHand[name].data, want[name]), `${name} by hand`).toBeLessThan(1e-15);
      expect(maxAbsDiff(l.softmaxLibrary[name].data, want[name]), `${name} library`).toBeLessThan(1e-15);
      expect(maxAbsDiff(l.softmaxTf[k], want[name]), `${name} tf.grads`).toBeLessThan(1e-7);
    });
  });

  it("7.4: the graph of arrays shows every shape; the erratum's pairings give [4, 2], [3, 2] and [3, 4]", () => {
    const fig = figureTitled(/^The two-layer network as a graph of arrays/);
    const texts = fig.data.flatMap((t) => t.text ?? []);
    expect(texts).toHaveLength(11);
    expect(texts).toContain("W₂<br>[4, 2] | dW₂ [4, 2]");
    expect(texts).toContain("Z₁ = XW₁ + b₁<br>[5, 4] | dZ₁ [5, 4]");
    expect(shown()).toMatch(/A₁ᵀ·dZ₂: \[4, 2\], the shape of W₂/);
    expect(shown()).toMatch(/Xᵀ·dZ₂ \(network inputs with output δ's, as the source reads\): \[3, 2\], the shape of neither/);
    expect(shown()).toMatch(/Xᵀ·dZ₁: \[3, 4\], the shape of W₁/);
  });

  // 7.5 Gradient checking

  it("7.5: central differences, tf.variableGrads and Value agree with the loops; Value's graph has 359 nodes", () => {
    const l = locals();
    const { X, Y, W1, b1, W2, b2 } = net();
    const r = twoLayer(X, Y, W1, b1, W2, b2);
    const want = [flat(r.dW1), r.db1, flat(r.dW2), r.db2];
    Object.values(l.netNumeric as Record<string, MatrixLike>).forEach((M, k) => expect(relErr(M.data, want[k])).toBeLessThan(1e-7));
    (l.netTfVariableGrads.grads as number[][]).forEach((g, k) => expect(relErr(g, want[k])).toBeLessThan(1e-5));
    Object.values(l.netByValue.grads as Record<string, MatrixLike>).forEach((M, k) => expect(relErr(M.data, want[k])).toBeLessThan(1e-12));
    expect(l.netTfVariableGrads.loss).toBeCloseTo(r.L, 7);
    // Nodes of the scalar graph: the 26 parameters; per hidden unit and example n₀ constants, n₀ products,
    // n₀ sums and a tanh; per output and example n₁ products, n₁ sums, a sigmoid, and a target, a
    // difference and a square; the running sum's 0 and its m·n₂ sums; the constant 1/2n and its product.
    const [m, n0, n1, n2] = [5, 3, 4, 2];
    const nodes = (n0 * n1 + n1 + n1 * n2 + n2) + m * n1 * (3 * n0 + 1) + m * n2 * (2 * n1 + 1) + 3 * m * n2 + (1 + m * n2) + 2;
    expect(nodes).toBe(359);
    expect(shown()).toContain(`Value graph: ${nodes} nodes`);
    for (const { errors } of l.netRelativeErrors as { errors: number[] }[]) expect(Math.max(...errors)).toBeLessThan(1e-5);
    // Try it: with h = 1e-2 or 1e-10 the central difference's relative error on dW₁ rises to about 3e-4, past the 1e-4 line.
    const numericDW1 = (h: number) => map(W1, (_, i, j) => {
      const nudged = (d: number) => twoLayer(X, Y, map(W1, (v, r, c) => (r === i && c === j ? v + d : v)), b1, W2, b2).L;
      return (nudged(h) - nudged(-h)) / (2 * h);
    });
    for (const h of [1e-2, 1e-10]) {
      const e = relErr(flat(numericDW1(h)), want[0]);
      expect(e, `h = ${h}`).toBeGreaterThan(1e-4);
      expect(e, `h = ${h}`).toBeLessThan(1e-3);
    }
  });

  it("7.5: each of the three bugs is off by a relative error above 0.5, far above 1e-4", () => {
    const l = locals();
    const { X, Y, W1, b1, W2, b2 } = net();
    const good = twoLayer(X, Y, W1, b1, W2, b2);
    // Bug 2, tanh′ forgotten, written out here: dZ₁ = dA₁.
    const A1 = map(addRow(matmul(X, W1), b1), Math.tanh);
    const Yhat = map(addRow(matmul(A1, W2), b2), sigma);
    const dZ2 = zip(Yhat, Y, (p, y) => ((p - y) / 10) * p * (1 - p));
    const noTanhPrime = matmul(transpose(X), matmul(dZ2, transpose(W2)));
    expect(relErr(flat(noTanhPrime), flat(good.dW1))).toBeGreaterThan(0.5);
    const bugs = l.netBugs as { bug: string; error: number }[];
    expect(bugs.map((b) => b.bug)).toEqual(["σ′ taken at Ŷ", "tanh′ forgotten", "Z₁ in place of A₁"]);
    for (const b of bugs) expect(b.error).toBeGreaterThan(0.5);
    const fig = figureTitled(/^Gradient check: largest relative error per method and per bug$/);
    expect(fig.data[0].x).toEqual(["central difference", "tf.grads", "tf.variableGrads", "Value.backward", "Dense.backward"]);
    expect(fig.data[1].y!.every((v) => v > 0.5)).toBe(true);
  });

  // 7.6 No dX for the first layer

  it("7.6: dX = dZ₁·W₁ᵀ by hand, library and tfjs; skipping it keeps dW₁; it is 30.5 % of an MNIST step", () => {
    const l = locals();
    const { X, Y, W1, b1, W2, b2 } = net();
    const r = twoLayer(X, Y, W1, b1, W2, b2);
    expect(maxAbsDiff(l.netDXByHand.data, flat(r.dX))).toBeLessThan(1e-15);
    expect(maxAbsDiff(l.netDXLibrary.data, flat(r.dX))).toBeLessThan(1e-15);
    expect(maxAbsDiff(l.netDXTf, flat(r.dX))).toBeLessThan(1e-7);
    expect(shown()).toMatch(/with \{ inputGradient: false \}: backward returned null/);
    const cost = (sizes: number[]) => {
      const products = sizes.slice(1).map((nOut, k) => 32 * sizes[k] * nOut);
      const forward = products.reduce((s, c) => s + c, 0);
      return { forward, all: 2 * forward, noDX: 2 * forward - products[0], saved: products[0] / (3 * forward) };
    };
    const mnist = cost([784, 64, 64, 10]);
    expect(mnist.forward).toBe(32 * (784 * 64 + 64 * 64 + 64 * 10));
    expect(l.mnistCost).toEqual({ forward: mnist.forward, backwardAll: mnist.all, backwardNoDX: mnist.noDX, saved: mnist.saved });
    expect((100 * mnist.saved).toFixed(1)).toBe("30.5");
    expect(32 * 784 * 64).toBeGreaterThan(1.6e6); // "1.6 million multiply-adds"
    expect((100 * cost([10, 64, 64, 784]).saved).toFixed(1)).toBe("0.4"); // Try it
  });

  // 7.7 Training XOR

  it("7.7: XOR trained with the hand-coded pass: the same losses as a loop here, the library and tfjs; 0.129 → 0.0004", () => {
    const l = locals();
    const start = { W1: grid(l.xorStart.W1), b1: grid(l.xorStart.b1)[0], W2: grid(l.xorStart.W2), b2: grid(l.xorStart.b2)[0] };
    expect(l.xorTraining).toEqual({ learningRate: 2, epochs: 1000 });
    const X = [[0, 0], [0, 1], [1, 0], [1, 1]], Y = [[0], [1], [1], [0]];
    const train = (eta: number, epochs: number) => {
      let { W1, b1, W2, b2 } = start;
      const losses: number[] = [];
      for (let e = 0; e < epochs; e++) {
        const r = twoLayer(X, Y, W1, b1, W2, b2);
        losses.push(r.L);
        W1 = zip(W1, r.dW1, (w, g) => w - eta * g); b1 = b1.map((v, j) => v - eta * r.db1[j]);
        W2 = zip(W2, r.dW2, (w, g) => w - eta * g); b2 = b2.map((v, j) => v - eta * r.db2[j]);
      }
      return { losses, Yhat: flat(twoLayer(X, Y, W1, b1, W2, b2).Yhat) };
    };
    const mine = train(2, 1000);
    expect(maxAbsDiff(l.xorByHand.losses, mine.losses)).toBeLessThan(1e-12);
    expect(maxAbsDiff(l.xorHistory.history.loss, mine.losses)).toBeLessThan(1e-12);
    expect(maxAbsDiff(l.xorTf.losses, mine.losses)).toBeLessThan(1e-6); // float32
    expect(mine.losses[0]).toBeCloseTo(0.1288, 4);
    expect(mine.losses[999]).toBeLessThan(0.0005);
    expect(maxAbsDiff(mine.Yhat, [0, 1, 1, 0])).toBeLessThan(0.05);
    // The shape of the curve as the text describes it: slow to epoch 50, steep to 120, slow after.
    expect(mine.losses[49] / mine.losses[0]).toBeGreaterThan(0.6);
    expect(mine.losses[119] / mine.losses[49]).toBeLessThan(0.2);
    expect(mine.losses[999] / mine.losses[299]).toBeGreaterThan(0.1);
    // Try it: η = 0.1 for 1,000 epochs ends about where η = 2 was after 50.
    const slow = train(0.1, 1000).losses[999];
    expect(slow).toBeCloseTo(0.086, 3);
    expect(Math.abs(slow - mine.losses[49])).toBeLessThan(0.002);
    const fig = figureTitled(/^Training XOR with backpropagation: the loss per epoch$/);
    expect(fig.data.map((t) => t.name)).toEqual(["by hand (twoLayerBackward)", "library (Sequential.fit)", "TensorFlow.js (tf.train.sgd)"]);
    expect(fig.data[0].y).toHaveLength(1000);
  });

  it("7.7 errata: backward() changes no weight; SGD and Adam step differently from one gradient; updating W₂ mid-way breaks dW₁", () => {
    const l = locals();
    expect(shown()).toMatch(/✓ every weight is bit-for-bit unchanged by backward\(\)/);
    // SGD's largest move on W₁ is η·max|dW₁| at the starting weights; Adam's first step moves each entry by about η.
    const start = { W1: grid(l.xorStart.W1), b1: grid(l.xorStart.b1)[0], W2: grid(l.xorStart.W2), b2: grid(l.xorStart.b2)[0] };
    const r = twoLayer([[0, 0], [0, 1], [1, 0], [1, 1]], [[0], [1], [1], [0]], start.W1, start.b1, start.W2, start.b2);
    const sgd = 2 * Math.max(...flat(r.dW1).map(Math.abs));
    expect(shown()).toContain(`SGD moved W₁ by up to ${sgd.toFixed(4)}; Adam moved it by up to 0.1000`);
    const { X, Y, W1, b1, W2, b2 } = net();
    const good = twoLayer(X, Y, W1, b1, W2, b2);
    const W2new = zip(W2, good.dW2, (w, g) => w - 2 * g);
    const A1 = map(addRow(matmul(X, W1), b1), Math.tanh);
    const Yhat = map(addRow(matmul(A1, W2), b2), sigma);
    const dZ2 = zip(Yhat, Y, (p, y) => ((p - y) / 10) * p * (1 - p)); // the forward pass at the old weights…
    const dW1wrong = matmul(transpose(X), zip(matmul(dZ2, transpose(W2new)), A1, (d, a) => d * (1 - a * a))); // …dA₁ through the new W₂
    expect(relErr(flat(dW1wrong), flat(good.dW1))).toBeCloseTo(l.updateAsYouGo.wrong, 6);
    expect(l.updateAsYouGo.wrong).toBeGreaterThan(0.01);
    expect(l.updateAsYouGo.right).toBeLessThan(1e-7);
  });

  it("FAQ: forward mode gives 7.1's gradients in three passes", () => {
    expect(shown()).toMatch(/forward mode, 3 passes: ∂L\/∂w = -0\.105754, ∂L\/∂b = -0\.052877, ∂L\/∂x = -0\.039658/);
  });

  // Exercises

  it("every exercise passes with the notebook's answers", () => {
    for (const n of [1, 2, 3, 4]) expect(shown()).toMatch(new RegExp(`✓ Exercise 7\\.${n} .*: all checks pass\\.`));
    expect(run().cells.every((c) => c.stderr === "")).toBe(true);
  });

  it("Exercise 7.1 rejects a flipped sign, a forgotten dOut and a forgotten a", () => {
    const l = locals();
    type Answer = (a: number, b: number, dOut: number) => { da: number; db: number };
    const checkEx = l.checkEx7_1 as (f: Answer) => void;
    expect(l.divBackward(3, -4, 2)).toEqual({ da: 2 / -4, db: -2 * 3 / 16 });
    accepts(() => checkEx(l.divBackward));
    rejects(() => checkEx((a, b, d) => ({ da: d / b, db: (d * a) / (b * b) })), /negative, since a larger b makes a\/b smaller/);
    // Right when dOut = 1, as in the visible case; the hidden cases use other dOut.
    rejects(() => checkEx((a, b) => ({ da: 1 / b, db: -a / (b * b) })), /gradient from above multiplies both local derivatives/);
    rejects(() => checkEx((a, b, d) => ({ da: d / b, db: -d / (b * b) })), /∂out\/∂b = −a\/b²/);
  });

  it("Exercise 7.2 rejects the skip path alone, the tanh path alone, and a path that forgets ∂z/∂x = w", () => {
    const l = locals();
    type Answer = (x: number, w: number) => { dx: number; dw: number };
    const checkEx = l.checkEx7_2 as (f: Answer) => void;
    const parts = (x: number, w: number) => {
      const h = Math.tanh(w * x), out = h + x, dz = 2 * out * (1 - h * h);
      return { out, dz };
    };
    // The solution, from the worked formula: ∂L/∂x = 2·out·(1 + w(1 − h²)), ∂L/∂w = 2·out·x·(1 − h²).
    const { out, dz } = parts(0.7, -1.3);
    const want = l.skipGradients(0.7, -1.3);
    expect(want.dx).toBeCloseTo(2 * out + dz * -1.3, 14);
    expect(want.dw).toBeCloseTo(dz * 0.7, 14);
    accepts(() => checkEx(l.skipGradients));
    rejects(() => checkEx((x, w) => ({ dx: 2 * parts(x, w).out, dw: parts(x, w).dz * x })), /two paths/);
    rejects(() => checkEx((x, w) => ({ dx: parts(x, w).dz * w, dw: parts(x, w).dz * x })), /two paths/);
    // Passes the visible case, where w = 1; the hidden cases have other w.
    rejects(() => checkEx((x, w) => ({ dx: 2 * parts(x, w).out + parts(x, w).dz, dw: parts(x, w).dz * x })), /∂z\/∂x = w/);
  });

  it("Exercise 7.3 rejects the ½ convention, a forgotten ReLU′, a mean for db, n = m, and ReLU′(0) = 1", () => {
    const l = locals();
    type M = MatrixLike & {
      matmul(B: M): M; transpose(): M; addRow(b: M): M; sub(B: M): M; scale(s: number): M; hadamard(B: M): M;
      sumRows(): M; map(f: (v: number) => number): M; size: number;
    };
    type Grads = { dW1: M; db1: M; dW2: M; db2: M };
    type Answer = (X: M, Y: M, W1: M, b1: M, W2: M, b2: M) => Grads;
    const checkEx = l.checkEx7_3 as (f: Answer) => void;
    /** A backward pass with the parts a learner might get wrong as options. */
    const variant = (o: { scale?: (Y: M) => number; reluPrime?: (z: number) => number; db?: (dZ: M) => M }): Answer =>
      (X, Y, W1, b1, W2, b2) => {
        const Z1 = X.matmul(W1).addRow(b1), A1 = Z1.map((z) => Math.max(0, z));
        const dZ2 = A1.matmul(W2).addRow(b2).sub(Y).scale((o.scale ?? ((y: M) => 2 / y.size))(Y));
        const dZ1 = dZ2.matmul(W2.transpose()).hadamard(Z1.map(o.reluPrime ?? ((z) => (z > 0 ? 1 : 0))));
        const db = o.db ?? ((dZ: M) => dZ.sumRows());
        return { dW1: X.transpose().matmul(dZ1), db1: db(dZ1), dW2: A1.transpose().matmul(dZ2), db2: db(dZ2) };
      };
    accepts(() => checkEx(l.regressionGradients));
    accepts(() => checkEx(variant({}))); // the variant with nothing wrong is right
    rejects(() => checkEx(variant({ scale: (Y) => 1 / Y.size })), /the 1\/n MSE keeps the 2 of the square/);
    rejects(() => checkEx(variant({ reluPrime: () => 1 })), /dZ₁ = dA₁ ⊙ ReLU′\(Z₁\)/);
    rejects(() => checkEx(variant({ db: (dZ) => dZ.sumRows().scale(1 / dZ.rows) })), /adds dZ₂ over the examples/);
    rejects(() => checkEx(variant({ scale: (Y) => 2 / Y.rows })), /n = m·n₂, the number of entries/);
    // Passes every visible case (no z is exactly 0 there) and fails the hidden one with zeros.
    rejects(() => checkEx(variant({ reluPrime: (z) => (z >= 0 ? 1 : 0) })), /use z > 0, not z ≥ 0/);
  });

  it("Exercise 7.4 rejects norms last layer first, a forgotten g′, W in place of Wᵀ, and a missing 1/m; its findings are 1e-5 and 0.76", () => {
    const l = locals();
    type M = MatrixLike & { matmul(B: M): M; transpose(): M; hadamard(B: M): M; map(f: (v: number) => number): M; scale(s: number): M };
    type Act = { f(Z: M): M; prime(Z: M): M };
    type Answer = (Ws: M[], X: M, g: Act) => number[];
    const checkEx = l.checkEx7_4 as (f: Answer, findings: () => unknown) => void;
    const norm = (G: M) => Math.hypot(...G.data);
    /** A backward pass with the parts a learner might get wrong as options. */
    const variant = (o: { reverse?: boolean; noPrime?: boolean; untransposed?: boolean; dA?: (m: number) => number }): Answer =>
      (Ws, X, g) => {
        const inputs: M[] = [], Zs: M[] = [];
        let A = X;
        for (const W of Ws) { inputs.push(A); Zs.push(A.matmul(W)); A = g.f(Zs[Zs.length - 1]); }
        let dA = A.map(() => (o.dA ?? ((m: number) => 1 / m))(X.rows));
        const norms: number[] = [];
        for (let k = Ws.length - 1; k >= 0; k--) {
          const dZ = o.noPrime ? dA : dA.hadamard(g.prime(Zs[k]));
          norms.unshift(norm(inputs[k].transpose().matmul(dZ)));
          dA = dZ.matmul(o.untransposed ? Ws[k] : Ws[k].transpose());
        }
        return o.reverse ? norms.reverse() : norms;
      };
    accepts(() => checkEx(l.gradientNormsPerLayer, l.vanishingFindings));
    accepts(() => checkEx(variant({}), l.vanishingFindings));
    rejects(() => checkEx(variant({ reverse: true }), l.vanishingFindings), /last layer first/);
    rejects(() => checkEx(variant({ noPrime: true }), l.vanishingFindings), /dZ = dA ⊙ g′\(Z\)/);
    rejects(() => checkEx(variant({ untransposed: true }), l.vanishingFindings), /dA = dZ·Wᵀ \(W transposed\)/);
    rejects(() => checkEx(variant({ dA: () => 1 }), l.vanishingFindings), /L is a mean over the m examples/);
    // Findings: last over first instead of first over last, and a per-layer factor over 8 layers instead of 7.
    const f = l.vanishingFindings() as { sigmoidRatio: number; reluRatio: number; sigmoidPerLayer: number };
    rejects(() => checkEx(l.gradientNormsPerLayer, () => ({ ...f, sigmoidRatio: 1 / f.sigmoidRatio, reluRatio: 1 / f.reluRatio })),
      /first layer's norm over the last layer's/);
    rejects(() => checkEx(l.gradientNormsPerLayer, () => ({ ...f, sigmoidPerLayer: f.sigmoidRatio ** (1 / 8) })), /7th root/);
    // What the worked discussion says: about 1e-5 (0.2 per layer) for the sigmoid, about 0.76 for ReLU.
    expect(f.sigmoidRatio).toBeGreaterThan(5e-6);
    expect(f.sigmoidRatio).toBeLessThan(2e-5);
    expect(f.sigmoidPerLayer).toBeCloseTo(0.2, 1);
    expect(f.reluRatio).toBeCloseTo(0.76, 2);
  });
};

export default checks;
