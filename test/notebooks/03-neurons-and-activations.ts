/**
 * Chapter 03's own checks: what the chapter tells the reader to expect, recomputed here from
 * the formulas (never copied from the notebook's output) and compared with what the notebook
 * computed; its figures; and every exercise check fed plausible wrong answers, each of which
 * it must reject with a hint that helps.
 */
import { expect, it } from "vitest";
import { accepts, chapterRun, expectRejectedWithHint as rejects, maxAbsDiff } from "../harness/chapter";
import type { ChapterChecks } from "../harness/suite";

type Start = { weights: number[]; bias: number };
type Line = { w: number[]; b: number };
/** The figures' traces as this chapter draws them: numbers on x, y and z. */
type PlotlyTrace = { name?: string; type?: string; x?: number[]; y?: number[]; z?: number[][] };
type PlotlyFigure = { data: PlotlyTrace[]; layout: { title?: { text?: string } } };
type MatrixLike = { rows: number; cols: number; data: Float64Array; toArray(): number[][] };

const GATES = [[0, 0], [0, 1], [1, 0], [1, 1]];
const AND = [0, 0, 0, 1];
const OR = [0, 1, 1, 1];
const XOR = [0, 1, 1, 0];

// The chapter's formulas, written out independently of the library.
const sigma = (z: number) => 1 / (1 + Math.exp(-z));
const sigmaPrime = (z: number) => sigma(z) * (1 - sigma(z));
const tanhPrime = (z: number) => 1 - Math.tanh(z) ** 2;
const reluFn = (z: number) => Math.max(0, z);
const reluPrime = (z: number) => (z > 0 ? 1 : 0);
const stepLibrary = (z: number) => (z >= 0 ? 1 : 0); // the library's convention, step(0) = 1
const stepTf = (z: number) => (z > 0 ? 1 : 0); // tf.step's, step(0) = 0
const central = (f: (z: number) => number, z: number, h = 1e-5) => (f(z + h) - f(z - h)) / (2 * h);

/** Rosenblatt's rule, eq. 3.3, sweeping the rows in order; returns the mistakes per epoch and the line. */
function perceptronRule(rows: number[][], y: number[], start: Start, epochs: number, eta: number) {
  let w = start.weights.slice(), b = start.bias;
  const errors: number[] = [], atEnd: number[] = [], lines: Line[] = [];
  for (let e = 0; e < epochs; e++) {
    let mistakes = 0;
    rows.forEach((x, i) => {
      const err = y[i] - stepLibrary(x.reduce((z, v, j) => z + w[j] * v, b));
      if (err !== 0) {
        w = w.map((wj, j) => wj + eta * err * x[j]);
        b += eta * err;
        mistakes++;
      }
    });
    errors.push(mistakes);
    atEnd.push(mistakesOf({ w, b }, rows, y));
    lines.push({ w: w.slice(), b });
  }
  return { errors, atEnd, lines, w, b };
}

function mistakesOf(line: Line, rows: number[][], y: number[], step: (z: number) => number = stepLibrary): number {
  return rows.filter((x, i) => step(x.reduce((z, v, j) => z + line.w[j] * v, line.b)) !== y[i]).length;
}

const checks: ChapterChecks = (run) => {
  const chapter = chapterRun(run);
  const { locals, stdout: shown } = chapter;
  const figureTitled = (pattern: RegExp) => chapter.figureTitled(pattern) as PlotlyFigure;
  const diagram = (title: string) => {
    const d = run().cells.flatMap((c) => c.displays).find((x) => String(x["text/plain"]).startsWith(`Diagram "${title}"`));
    expect(d, `a diagram titled ${title}`).toBeDefined();
    expect(String(d!["image/svg+xml"])).toMatch(/^<svg[\s\S]*<\/svg>$/);
    return String(d!["text/plain"]);
  };

  // 3.1 The artificial neuron

  it("3.1: z = 0.5·1 − 1·2 + 2·0.5 + 0.1 = −0.4 and a = σ(−0.4) ≈ 0.4013, by hand, in the library and in tfjs", () => {
    const l = locals();
    expect(l.zByHand).toBeCloseTo(-0.4, 12);
    expect(l.aByHand).toBeCloseTo(sigma(-0.4), 12);
    expect(sigma(-0.4)).toBeCloseTo(0.401312, 6); // the value the text prints
    expect(l.threeInputs.w).toHaveLength(3);
    expect(l.threeInputs.forward([1, 2, 0.5])).toBeCloseTo(sigma(-0.4), 14);
    expect(Math.abs(l.tfNeuronOutput - sigma(-0.4))).toBeLessThan(1e-6); // float32
    expect(shown()).toMatch(/3 inputs, 3 weights, 1 bias: 4 parameters/);
    expect(shown()).toMatch(/ShapeError: Neuron\.forward: expected x to have 3 entries \(one per weight\), got 2\./);
    // The erratum's demonstration: σ applied to the inputs is not the output.
    expect(shown()).toContain(`σ applied to the inputs: ${[1, 2, 0.5].map((x) => sigma(x).toFixed(4)).join(", ")}`);
    // Try it: with w₂ = +1, z = 3.6 and a ≈ 0.9734.
    expect(sigma(0.5 + 2 + 1 + 0.1)).toBeCloseTo(0.9734, 4);
  });

  it("3.1: draws the neuron with its three weights", () => {
    const text = diagram("One neuron with three inputs");
    for (const w of ["w₁ = 0.5", "w₂ = −1.0", "w₃ = 2.0"]) expect(text).toContain(w);
  });

  // 3.2 The perceptron and its learning rule

  it("3.2: the rule by hand, the library's Perceptron.fit and the tfjs version make the same mistakes and end on the same line", () => {
    const l = locals();
    const mine = perceptronRule(GATES, AND, l.andStart, 20, 0.5);
    expect(l.andByHand.errors).toEqual(mine.errors);
    expect(l.andHistory.errors).toEqual(mine.errors);
    expect(l.andTf.errors).toEqual(mine.errors);
    expect(l.andByHand.w).toEqual(mine.w);
    expect(l.andPerceptron.w).toEqual(mine.w);
    expect(l.andPerceptron.b).toBe(mine.b);
    expect(maxAbsDiff([...l.andTf.w, l.andTf.b], [...mine.w, mine.b])).toBeLessThan(1e-6); // float32
    // What the text says: AND has no mistakes from epoch 7 on, OR from epoch 8, and both end on a right line.
    expect(mine.errors.indexOf(0) + 1).toBe(7);
    expect(mine.errors.slice(6).every((m) => m === 0)).toBe(true);
    expect(mistakesOf(mine, GATES, AND)).toBe(0);
    const or = perceptronRule(GATES, OR, l.orStart, 20, 0.5);
    expect(l.orHistory.errors).toEqual(or.errors);
    expect(or.errors.indexOf(0) + 1).toBe(8);
    expect(mistakesOf({ w: l.orPerceptron.w, b: l.orPerceptron.b }, GATES, OR)).toBe(0);
    expect(shown()).toMatch(/step\(0\): library 1, tf\.step 0/);
  });

  it("3.2 Try it: from zero weights the learning rate changes nothing", () => {
    const zero = { weights: [0, 0], bias: 0 };
    for (const y of [AND, OR]) {
      const base = perceptronRule(GATES, y, zero, 20, 1).errors;
      for (const eta of [0.5, 2]) expect(perceptronRule(GATES, y, zero, 20, eta).errors).toEqual(base);
    }
  });

  it("3.2: shows AND's and OR's decision lines, the side answering 1 shaded, and their mistakes per epoch", () => {
    const l = locals();
    for (const [gate, p] of [["AND", l.andPerceptron], ["OR", l.orPerceptron]] as const) {
      const fig = figureTitled(new RegExp(`^Perceptron decision line for ${gate}$`));
      expect(fig.data.map((t) => t.name)).toEqual(["neuron answers 1 (shaded)", "decision line w·x + b = 0", "label 0", "label 1"]);
      expect(fig.data.slice(2).reduce((n, t) => n + (t.x?.length ?? 0), 0)).toBe(4);
      const heat = fig.data[0];
      heat.z!.forEach((row, i) => row.forEach((v, j) => {
        expect(v).toBe(stepLibrary(p.w[0] * heat.x![j] + p.w[1] * heat.y![i] + p.b));
      }));
    }
    const errors = figureTitled(/^Perceptron mistakes per epoch, AND and OR$/);
    expect(errors.data.map((t) => t.name)).toEqual(["AND", "OR"]);
    expect(errors.data[0].y).toEqual(locals().andHistory.errors);
  });

  // 3.3 XOR

  it("3.3: no setting on the grid computes XOR (best 3 of 4), while AND is found", () => {
    const grid = Array.from({ length: 41 }, (_, i) => -2 + 0.1 * i);
    const best = (y: number[]) => {
      let most = 0;
      for (const w1 of grid) for (const w2 of grid) for (const b of grid) {
        most = Math.max(most, 4 - mistakesOf({ w: [w1, w2], b }, GATES, y));
      }
      return most;
    };
    expect(grid.length ** 3).toBe(68921);
    expect(best(AND)).toBe(4);
    expect(best(XOR)).toBe(3);
    expect(shown()).toMatch(/AND: the best of 68921 settings is right on 4 of 4/);
    expect(shown()).toMatch(/XOR: the best of 68921 settings is right on 3 of 4/);
  });

  it("3.3: on XOR the rule's count adds up a moving line's mistakes; the line after epoch 1 was a best one; then it cycles", () => {
    const l = locals();
    const mine = perceptronRule(GATES, XOR, l.xorStart, 20, 0.5);
    expect(l.xorDuring).toEqual(mine.errors);
    expect(l.xorAtEnd).toEqual(mine.atEnd);
    expect(mine.errors.slice(0, 4)).toEqual([3, 2, 3, 4]);
    expect(mine.errors.slice(3).every((m) => m === 4)).toBe(true);
    expect(mine.atEnd[0]).toBe(1); // as good as any line can be
    expect(mine.atEnd.slice(1).every((m) => m === 2)).toBe(true);
    expect(Math.min(...mine.errors)).toBeGreaterThan(0);
    // The cycle: every epoch from the 4th on ends on the same weights.
    for (let e = 4; e < 20; e++) {
      expect(mine.lines[e].w).toEqual(mine.lines[3].w);
      expect(mine.lines[e].b).toBe(mine.lines[3].b);
    }
    expect(l.xorWeightsAtEnd[7]).toEqual([...mine.lines[7].w, mine.lines[7].b]);
    expect(mistakesOf({ w: l.xorPerceptron.w, b: l.xorPerceptron.b }, GATES, XOR)).toBe(2);
    const fig = figureTitled(/^The perceptron on XOR: mistakes per epoch$/);
    expect(fig.data[0].y).toEqual(mine.errors);
    expect(fig.data[1].y).toEqual(mine.atEnd);
    expect(new Set(fig.data[2].y)).toEqual(new Set([1]));
    // The picture at the start of 3.3: OR's line gets XOR right on three inputs and rings (1, 1).
    const line = figureTitled(/^XOR's four inputs and OR's line: 3 of 4 right$/);
    const ringed = line.data.find((t) => t.name === "misclassified")!;
    expect([ringed.x, ringed.y]).toEqual([[1], [1]]);
    expect(mistakesOf({ w: [1, 1], b: -0.5 }, GATES, XOR)).toBe(1);
  });

  it("3.3: the 2-2-1 network computes XOR under both step conventions, with every |z| ≥ 0.5", () => {
    const l = locals();
    const W1 = (l.W1xor as MatrixLike).toArray(), b1 = Array.from((l.b1xor as MatrixLike).data);
    const W2 = Array.from((l.W2xor as MatrixLike).data), b2 = (l.b2xor as MatrixLike).data[0];
    expect(W1).toEqual([[1, 1], [1, 1]]);
    let smallest = Infinity;
    for (const step of [stepLibrary, stepTf]) {
      const out = GATES.map((x) => {
        const z1 = [0, 1].map((k) => x[0] * W1[0][k] + x[1] * W1[1][k] + b1[k]);
        const h = z1.map(step);
        const z2 = h[0] * W2[0] + h[1] * W2[1] + b2;
        smallest = Math.min(smallest, ...z1.map(Math.abs), Math.abs(z2));
        return step(z2);
      });
      expect(out).toEqual(XOR);
    }
    expect(smallest).toBe(0.5);
    expect(l.xorNetHand).toEqual(XOR);
    expect(l.xorNetLibrary).toEqual(XOR);
    expect(l.xorNetTf).toEqual(XOR);
    expect(shown()).toMatch(/smallest \|z\| in the network: 0\.5/);
    expect(diagram("A 2-2-1 network that computes XOR")).toMatch(/h₁ = OR → ŷ = XOR \(\+1\); h₂ = AND → ŷ = XOR \(−1\)/);
    // In the hidden layer's coordinates (0,1) and (1,0) both land on (1,0).
    expect((l.Hxor as MatrixLike).toArray()).toEqual([[0, 0], [1, 0], [1, 0], [1, 1]]);
    figureTitled(/^XOR in the hidden layer's coordinates$/);
    const region = figureTitled(/^Where the 2-2-1 network answers 1$/);
    const heat = region.data[0];
    expect(heat.type).toBe("heatmap");
    // The shaded band is 0.5 < x₁ + x₂ < 1.5 (with the library's step, 0.5 ≤ x₁ + x₂ < 1.5).
    heat.z!.forEach((row, i) => row.forEach((v, j) => {
      const s = heat.x![j] + heat.y![i];
      if (Math.abs(s - 0.5) > 1e-9 && Math.abs(s - 1.5) > 1e-9) expect(v).toBe(s > 0.5 && s < 1.5 ? 1 : 0);
    }));
  });

  it("3.3 Try it: hidden biases −1 and −2 still compute XOR with step(0) = 1, but AND with tf.step's step(0) = 0", () => {
    const net = (step: (z: number) => number) => GATES.map(([x1, x2]) =>
      step(step(x1 + x2 - 1) - step(x1 + x2 - 2) - 0.5));
    expect(net(stepLibrary)).toEqual(XOR);
    expect(net(stepTf)).toEqual(AND);
  });

  it("3.3: Minsky and Papert's order, on small cases: XOR with x₁x₂ is learned; parity of 3 needs x₁x₂x₃", () => {
    const runs = locals().detectorRuns as Record<string, number[]>;
    const zero = (n: number) => ({ weights: new Array<number>(n).fill(0), bias: 0 });
    const bits = Array.from({ length: 8 }, (_, k) => [(k >> 2) & 1, (k >> 1) & 1, k & 1]);
    const parity = bits.map((b) => (b[0] + b[1] + b[2]) % 2);
    const xor2 = perceptronRule(GATES.map(([a, b]) => [a, b, a * b]), XOR, zero(3), 100, 1).errors;
    const par2 = perceptronRule(bits.map(([a, b, c]) => [a, b, c, a * b, a * c, b * c]), parity, zero(6), 100, 1).errors;
    const par3 = perceptronRule(bits.map(([a, b, c]) => [a, b, c, a * b, a * c, b * c, a * b * c]), parity, zero(7), 100, 1).errors;
    expect(runs.xorOrder2).toEqual(xor2);
    expect(runs.parityOrder2).toEqual(par2);
    expect(runs.parityOrder3).toEqual(par3);
    expect(xor2.indexOf(0) + 1).toBe(8);
    expect(par2.indexOf(0)).toBe(-1);
    expect(Math.min(...par2)).toBe(4);
    expect(par3.indexOf(0) + 1).toBe(33);
  });

  // 3.4 Non-linearity

  it("3.4: without its hidden step the XOR network collapses to step(0·x₁ + 0·x₂ + 0.5) = 1; stacked linear layers are one", () => {
    const l = locals();
    expect(Array.from((l.collapsedXorW as MatrixLike).data)).toEqual([0, 0]); // (1 1; 1 1)(1; −1)
    expect((l.collapsedXorB as MatrixLike).data[0]).toBeCloseTo(-0.5 * 1 + -1.5 * -1 - 0.5, 15);
    expect(shown()).toMatch(/the XOR network without its hidden step answers 1 1 1 1/);
    // Recompute two layers from the notebook's matrices, as plain loops.
    const X = (l.Xs as MatrixLike).toArray(), W1 = (l.W1 as MatrixLike).toArray(), b1 = (l.b1 as MatrixLike).toArray()[0];
    const W2 = (l.W2 as MatrixLike).toArray(), b2 = (l.b2 as MatrixLike).toArray()[0][0];
    const twoLayers = X.map((x) => {
      const h = [0, 1, 2].map((k) => x[0] * W1[0][k] + x[1] * W1[1][k] + b1[k]);
      return h.reduce((s, v, k) => s + v * W2[k][0], b2);
    });
    expect(maxAbsDiff(Array.from((l.oneLayer as MatrixLike).data), twoLayers)).toBeLessThan(1e-12);
    expect(maxAbsDiff(l.twoLayersTf, twoLayers)).toBeLessThan(1e-5); // float32
    const slice = figureTitled(/^Two layers along a line through input space$/);
    const [lin, rel] = slice.data;
    // The linear network's output is a straight line in t: equal second differences of 0.
    const second = (y: number[]) => y.slice(2).map((v, i) => v - 2 * y[i + 1] + y[i]);
    expect(Math.max(...second(lin.y!).map(Math.abs))).toBeLessThan(1e-12);
    expect(Math.max(...second(rel.y!).map(Math.abs))).toBeGreaterThan(1e-3);
  });

  // 3.5–3.7 Activations

  it("3.5–3.7: the activations and their derivatives agree with TensorFlow.js to 1e-6 (float32) and with the central difference to 1e-8", () => {
    const l = locals();
    const zGrid = l.zGrid as number[], zOff = l.zOff as number[];
    expect(zGrid).toHaveLength(121);
    expect([zGrid[0], zGrid[120]]).toEqual([-6, 6]);
    expect(zGrid.indexOf(0)).toBe(60);
    expect(zOff).toHaveLength(100);
    expect(zOff.every((z) => Math.abs(z) >= 0.05 - 1e-12)).toBe(true); // away from ReLU's corner
    const cases = [
      [l.tfSigmoid, sigma, sigmaPrime], [l.tfTanh, Math.tanh, tanhPrime], [l.tfRelu, reluFn, reluPrime],
    ] as const;
    for (const [fromTf, f, fPrime] of cases) {
      expect(maxAbsDiff(fromTf.values, zGrid.map(f))).toBeLessThanOrEqual(1e-6);
      expect(maxAbsDiff(fromTf.grads, zGrid.map(fPrime))).toBeLessThanOrEqual(1e-6);
      expect(maxAbsDiff(zOff.map((z) => central(f, z)), zOff.map(fPrime))).toBeLessThan(1e-8);
    }
    expect(l.tfRelu.grads[60]).toBe(0); // TensorFlow's ReLU′(0) = 0
    expect(maxAbsDiff(zGrid.map(Math.tanh), zGrid.map((z) => 2 * sigma(2 * z) - 1))).toBeLessThan(1e-14);
    // The overflow of the textbook tanh, and the sigmoid that survives it.
    expect(shown()).toMatch(/myTanh\(800\) = NaN, tanh\.fn\(800\) = 1/);
    expect(shown()).toMatch(/mySigmoid\(-800\) = 0/);
  });

  it("3.5: σ′ peaks at 1/4; σ′(10) ≈ 4.54e-5; ten σ′ factors are at most (1/4)^10 ≈ 9.54e-7", () => {
    expect(sigmaPrime(10).toExponential(2)).toBe("4.54e-5");
    expect((0.25 ** 10).toExponential(2)).toBe("9.54e-7");
    expect(shown()).toContain(`  10   ${sigmaPrime(10).toExponential(2)}`);
    expect(shown()).toContain(`(1/4)^10 = ${(0.25 ** 10).toExponential(2)}`);
    const fig = figureTitled(/^The sigmoid σ\(z\) and its slope σ′\(z\)$/);
    expect(Math.max(...fig.data[1].y!)).toBeCloseTo(0.25, 12);
    expect(maxAbsDiff(fig.data[0].y!, fig.data[0].x!.map(sigma))).toBeLessThan(1e-14);
  });

  it("3.6: tanh′ peaks at 1; tanh′(2) ≈ 0.0707 and tanh′(10) ≈ 8.24e-9; the Try it's 0.01 points", () => {
    expect(shown()).toContain(`tanh′(2) = ${tanhPrime(2).toFixed(4)}`);
    expect(shown()).toContain(`tanh′(10) = ${(4 * sigmaPrime(20)).toExponential(2)}`); // tanh′(z) = 4σ′(2z)
    expect(Math.atanh(Math.sqrt(0.99))).toBeCloseTo(2.99, 2);
    expect(Math.log(1 / (0.5 - Math.sqrt(0.25 - 0.01)) - 1)).toBeCloseTo(4.6, 1);
    const fig = figureTitled(/^Tanh, the rescaled sigmoid, and its slope$/);
    expect(fig.data.map((t) => t.name)).toEqual(["tanh(z)", "2σ(2z) − 1", "σ(z)", "tanh′(z)"]);
    expect(Math.max(...fig.data[3].y!)).toBeCloseTo(1, 12);
  });

  it("3.7: the dead ReLU has z ≤ −9.2 on all 1,000 inputs; with bias −0.5 about 7.5 % come alive", () => {
    const inputs = locals().squareInputs as number[][];
    expect(inputs).toHaveLength(1000);
    const z = inputs.map(([x1, x2]) => 0.5 * x1 - 0.3 * x2 - 10);
    expect(Math.max(...z)).toBeLessThanOrEqual(-9.2);
    const alive = inputs.filter(([x1, x2]) => 0.5 * x1 - 0.3 * x2 - 0.5 > 0).length;
    expect(alive).toBeGreaterThan(50); // 7.5 % of the square's area: about 75 of 1,000
    expect(alive).toBeLessThan(100);
    expect(shown()).toMatch(/outputs that are not 0: 0[\s\S]*inputs where ReLU′\(z\) ≠ 0: 0/);
    expect(shown()).toMatch(/ReLU′\(0\): tf\.grad 0, library 0/);
  });

  it("3.7: the four activations and their derivatives side by side", () => {
    const fig = figureTitled(/^Activation functions a = g\(z\)$/);
    expect(fig.data.map((t) => t.name)).toEqual(["step", "sigmoid σ", "tanh", "ReLU"]);
    const [stepT, sigT, tanhT, reluT] = fig.data;
    expect(maxAbsDiff(stepT.y!, stepT.x!.map(stepLibrary))).toBe(0);
    expect(maxAbsDiff(sigT.y!, sigT.x!.map(sigma))).toBeLessThan(1e-14);
    expect(maxAbsDiff(tanhT.y!, tanhT.x!.map(Math.tanh))).toBeLessThan(1e-14);
    expect(maxAbsDiff(reluT.y!, reluT.x!.map(reluFn))).toBe(0);
    expect([Math.min(...sigT.x!), Math.max(...sigT.x!)]).toEqual([-5, 5]);
    const d = figureTitled(/^Derivatives of the activation functions g′\(z\)$/);
    expect(d.data.map((t) => t.name)).toEqual(["step′", "sigmoid σ′", "tanh′", "ReLU′"]);
    expect(d.data[0].y!.every((v) => v === 0)).toBe(true);
    expect(maxAbsDiff(d.data[1].y!, d.data[1].x!.map(sigmaPrime))).toBeLessThan(1e-14);
    expect(Math.max(...d.data[1].y!)).toBeCloseTo(0.25, 12);
    expect(Math.max(...d.data[2].y!)).toBeCloseTo(1, 12);
    expect(maxAbsDiff(d.data[3].y!, d.data[3].x!.map(reluPrime))).toBe(0);
  });

  // 3.8 Checking derivatives numerically

  it("3.8: at h = 1e-5 the worst error on zOff is about 1e-11, the square-forgotten tanh′ misses by 2.00; corners give 0.5 and 1/2h", () => {
    const l = locals();
    const zOff = l.zOff as number[];
    const worst = (f: (z: number) => number, fp: (z: number) => number, h = 1e-5) =>
      Math.max(...zOff.map((z) => Math.abs(central(f, z, h) - fp(z))));
    for (const [name, f, fp] of [["sigmoid", sigma, sigmaPrime], ["tanh", Math.tanh, tanhPrime]] as const) {
      expect(l.worstAtDefault[name]).toBeGreaterThan(1e-12);
      expect(l.worstAtDefault[name]).toBeLessThan(1e-10);
      expect(worst(f, fp)).toBeLessThan(1e-10);
    }
    const slip = worst(Math.tanh, (z) => 1 - Math.tanh(z));
    expect(l.slipError).toBeCloseTo(slip, 12);
    expect(slip.toFixed(2)).toBe("2.00"); // 1 − tanh(−4.95) ≈ 2, while tanh′(−4.95) ≈ 0
    expect(central(reluFn, 0)).toBe(0.5);
    expect(Math.round(central(stepLibrary, 0))).toBe(50000);
    expect(shown()).toMatch(/ReLU at 0: 0\.5[\s\S]*step at 0: 50000/);
    // Try it: h = 1e-2 makes the worst error h²/6·|σ‴(0)| = 1e-4/6 · 1/8 ≈ 2.08e-6; h = 1e-9 about 1e-7. Both fail 1e-8.
    const coarse = worst(sigma, sigmaPrime, 1e-2);
    expect(coarse / (1e-4 / 6 / 8)).toBeCloseTo(1, 2); // the worst z of zOff, ±0.05, sits next to 0
    expect(coarse.toExponential(2)).toBe("2.08e-6");
    const fine = worst(sigma, sigmaPrime, 1e-9);
    expect(fine).toBeGreaterThan(1e-8);
    expect(fine).toBeLessThan(1e-6);
  });

  // FAQ

  it("FAQ: no bias-free neuron computes AND under either step convention; OR only under step(0) = 0", () => {
    const grid = Array.from({ length: 41 }, (_, i) => -2 + 0.1 * i);
    const count = (y: number[], step: (z: number) => number) =>
      grid.flatMap((w1) => grid.map((w2) => mistakesOf({ w: [w1, w2], b: 0 }, GATES, y, step))).filter((m) => m === 0).length;
    const counts = locals().biasFreeCounts as Record<string, number>;
    expect(counts["AND, library step (step(0) = 1)"]).toBe(count(AND, stepLibrary));
    expect(counts["AND, tf.step (step(0) = 0)"]).toBe(count(AND, stepTf));
    expect(counts["OR, library step (step(0) = 1)"]).toBe(count(OR, stepLibrary));
    expect(counts["OR, tf.step (step(0) = 0)"]).toBe(count(OR, stepTf));
    expect([count(AND, stepLibrary), count(AND, stepTf), count(OR, stepLibrary), count(OR, stepTf)]).toEqual([0, 0, 0, 400]);
  });

  // Exercises: the notebook's answers pass, and plausible wrong answers are rejected with a hint.

  it("Exercise 3.1 (NAND): the answer passes; AND, a second weight too many, and an answer that needs step(0) = 1 fail", () => {
    const l = locals();
    const check = l.checkEx3_1 as (answer: () => Start) => void;
    accepts(() => check(l.nandParameters));
    rejects(() => check(() => ({ weights: [1, 1], bias: -1.5 })), /NAND is AND with the answer flipped/);
    rejects(() => check(() => ({ weights: [-1, -1, 0], bias: 1.5 })), /one weight per input/);
    // z = 1, 0, 0, −1: right only because the library's step(0) is 1.
    rejects(() => check(() => ({ weights: [-1, -1], bias: 1 })), /^NAND with tf\.step[\s\S]*depends on the convention[\s\S]*tf\.step says 0/);
    rejects(() => check(() => ({ weights: [-2, -2], bias: 2 })), /Move the line off the points/);
  });

  it("Exercise 3.2 (swish′): the answer passes; forgetting the product rule, σ′ itself and the overflowing textbook form fail", () => {
    const l = locals();
    const check = l.checkEx3_2 as (answer: (z: number) => number) => void;
    accepts(() => check(l.swishPrime));
    rejects(() => check(sigma), /product rule/); // right at z = 0 only
    rejects(() => check((z) => sigma(z) + z * sigma(z)), /product rule/); // forgot the factor 1 − σ
    rejects(() => check(sigmaPrime), /σ\(0\) = 1\/2 is left/);
    // (1 + e⁻ᶻ + z·e⁻ᶻ)/(1 + e⁻ᶻ)²: right on every ordinary z, NaN at z = −800.
    const textbook = (z: number) => (1 + Math.exp(-z) + z * Math.exp(-z)) / (1 + Math.exp(-z)) ** 2;
    expect(Math.abs(textbook(2) - (sigma(2) + 2 * sigmaPrime(2)))).toBeLessThan(1e-12);
    rejects(() => check(textbook), /^swish′ at z = −800[\s\S]*overflows to Infinity/); // a hidden check
  });

  it("Exercise 3.3 (pocket): the answer passes; the last line, a dishonest count, and an empty pocket fail", () => {
    const l = locals();
    type Options = { steps: number; learningRate: number; start: Start; random: { int(n: number): number } };
    type Answer = (X: number[][], y: number[], o: Options) => { weights: number[]; bias: number; mistakes: number };
    const check = l.checkEx3_3 as (answer: Answer) => void;
    accepts(() => check(l.pocket));
    /** The rule with random picks; `keep` decides what to return. */
    const rule = (keep: "last" | "updates" | "emptyPocket"): Answer => (X, y, o) => {
      let w = o.start.weights.slice(), b = o.start.bias, updates = 0;
      let best = { weights: w, bias: b, mistakes: X.length }; // emptyPocket: the start is never scored
      for (let t = 0; t < o.steps; t++) {
        const i = o.random.int(X.length);
        const err = y[i] - stepLibrary(X[i].reduce((z, v, j) => z + w[j] * v, b));
        if (err === 0) continue;
        w = w.map((wj, j) => wj + o.learningRate * err * X[i][j]);
        b += o.learningRate * err;
        updates++;
        const m = mistakesOf({ w, b }, X, y);
        if (m < best.mistakes) best = { weights: w, bias: b, mistakes: m };
      }
      if (keep === "last") return { weights: w, bias: b, mistakes: mistakesOf({ w, b }, X, y) };
      if (keep === "updates") return { ...best, mistakes: updates };
      return best;
    };
    rejects(() => check(rule("last")), /Keep the best line seen after any update, not the last one/);
    rejects(() => check(rule("updates")), /not by the mistakes made while it moved/);
    rejects(() => check(rule("emptyPocket")), /^a start that already separates AND is kept[\s\S]*put it in the pocket before the first step/);
  });

  it("Exercise 3.4 (parity): the answer passes; OR-and-not-AND, all-plus output weights, integer thresholds and a wrong shape fail", () => {
    const l = locals();
    type Net = { W1: number[][]; b1: number[]; W2: number[]; b2: number };
    const check = l.checkEx3_4 as (answer: (n: number) => Net) => void;
    accepts(() => check(l.parityNetwork));
    const ones = (n: number, k: number) => Array.from({ length: n }, () => new Array<number>(k).fill(1));
    // XOR's network stretched to n inputs: "some but not all" — right for n = 2 only.
    rejects(() => check((n) => ({ W1: ones(n, 2), b1: [-0.5, -n + 0.5], W2: [1, -1], b2: -0.5 })),
      /^parity for n = 2, 3 \(library step\)[\s\S]*"0110","01101001"[\s\S]*one hidden neuron per threshold s ≥ k/);
    rejects(() => check((n) => ({ W1: ones(n, n), b1: Array.from({ length: n }, (_, k) => -k - 0.5), W2: new Array<number>(n).fill(1), b2: -0.5 })),
      /what output weights make the weighted sum of the h's 1 for odd s and 0 for even s/);
    // Thresholds exactly on the integers: right with step(0) = 1 only.
    const integer = (n: number): Net => ({
      W1: ones(n, n), b1: Array.from({ length: n }, (_, k) => -(k + 1)), W2: Array.from({ length: n }, (_, k) => (k % 2 ? -1 : 1)), b2: -1,
    });
    rejects(() => check(integer), /^parity for n = 1, 2, 3, 4, 5, 6 \(tf\.step[\s\S]*relies on the library's step\(0\) = 1/); // passes n = 2, 3 visibly
    rejects(() => check((n) => ({ ...l.parityNetwork(n), W1: ones(n + 1, n) })), /one row per input/);
  });

  it("Exercise 3.5 (ten sigmoid layers): the answers pass; σ′ at a, a missing w, a reversed list and wrong findings fail", () => {
    const l = locals();
    type Grads = (x: number, w: number[], b: number[]) => number[];
    type Findings = () => { shrinkPerLayer: number; balancingWeight: number };
    const check = l.checkEx3_5 as (g: Grads, f: Findings) => void;
    accepts(() => check(l.chainGradients, l.findings));
    const chain = (slope: (z: number, a: number) => number, useW: boolean, reverse = false): Grads => (x, w, b) => {
      const z: number[] = [], a = [x];
      for (let k = 0; k < w.length; k++) { z.push(w[k] * a[k] + b[k]); a.push(sigma(z[k])); }
      const g = new Array<number>(w.length + 1).fill(0);
      g[w.length] = 1;
      for (let k = w.length; k >= 1; k--) g[k - 1] = g[k] * slope(z[k - 1], a[k]) * (useW ? w[k - 1] : 1);
      return reverse ? g.reverse() : g;
    };
    const findings = l.findings as Findings;
    rejects(() => check(chain((_z, a) => sigmaPrime(a), true), findings), /not at the output a_k/);
    rejects(() => check(chain((z) => sigmaPrime(z), false), findings), /^random weights and biases[\s\S]*Don't forget the factor w_k/); // passes with w = 1
    rejects(() => check(chain((z) => sigmaPrime(z), true, true), findings), /starts from ∂a_L\/∂a_L = 1/);
    const right = findings();
    expect(right.shrinkPerLayer).toBeGreaterThan(0.22);
    expect(right.shrinkPerLayer).toBeLessThan(0.24);
    rejects(() => check(l.chainGradients, () => ({ ...right, shrinkPerLayer: 0.25 })), /Measure it/);
    rejects(() => check(l.chainGradients, () => ({ ...right, shrinkPerLayer: right.shrinkPerLayer ** 10 })), /Measure it/);
    rejects(() => check(l.chainGradients, () => ({ ...right, balancingWeight: 1 })), /Which w makes that 1/);
  });

  it("Exercise 3.5's worked numbers: 3.9e-7 through ten layers at w = 1; w = 4 holds; w = 8 grows 1024-fold", () => {
    const through = (w: number, b: number, x: number) => {
      let a = x, g = 1;
      for (let k = 0; k < 10; k++) { const z = w * a + b; g *= w * sigmaPrime(z); a = sigma(z); }
      return g;
    };
    expect(through(1, 0, 0)).toBeCloseTo(3.9e-7, 8);
    expect(through(4, -2, 0.5)).toBe(1);
    expect(through(8, -4, 0.5)).toBe(1024);
    const l = locals();
    expect(l.chainGradients(0, new Array(10).fill(1), new Array(10).fill(0))[0]).toBeCloseTo(through(1, 0, 0), 18);
  });

  it("every exercise reports ✓ in the notebook (its solutions are in place)", () => {
    const passed = shown().match(/✓ Exercise 3\.\d/g) ?? [];
    expect(passed).toEqual(["✓ Exercise 3.1", "✓ Exercise 3.2", "✓ Exercise 3.3", "✓ Exercise 3.4", "✓ Exercise 3.5"]);
  });
};

export default checks;
