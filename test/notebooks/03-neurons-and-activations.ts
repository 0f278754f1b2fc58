/**
 * Chapter 03's own checks: what the chapter claims, recomputed here from the formulas
 * (never copied from the notebook's output) and compared with what the notebook computed.
 */
import { expect, it } from "vitest";
import type { ChapterChecks } from "../harness/suite";

type History = { errors: number[] };
type PerceptronLike = { w: number[]; b: number };
type PlotlyFigure = {
  data: { name?: string; x?: number[]; y?: number[] }[];
  layout: { title?: { text?: string } };
};

const GATE_INPUTS = [[0, 0], [0, 1], [1, 0], [1, 1]];

// The formulas of chapter 03, written out independently of the library.
const sigma = (z: number) => 1 / (1 + Math.exp(-z));
const sigmaPrime = (z: number) => sigma(z) * (1 - sigma(z));
const tanhPrime = (z: number) => 1 - Math.tanh(z) ** 2;
const reluFn = (z: number) => Math.max(0, z);
const reluPrime = (z: number) => (z > 0 ? 1 : 0);
const stepFn = (z: number) => (z >= 0 ? 1 : 0);

/** What step(w·x + b) answers on the four gate inputs. */
function gateOutputs(p: PerceptronLike): number[] {
  return GATE_INPUTS.map(([x1, x2]) => stepFn(p.w[0] * x1 + p.w[1] * x2 + p.b));
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

const checks: ChapterChecks = (run) => {
  const locals = () => run().locals as Record<string, unknown>;
  const figures = (): PlotlyFigure[] =>
    run().cells.flatMap((c) => c.displays)
      .map((d) => d["application/vnd.plotly.v1+json"] as PlotlyFigure | undefined)
      .filter((f): f is PlotlyFigure => f !== undefined);
  const figureTitled = (pattern: RegExp) => {
    const found = figures().find((f) => pattern.test(f.layout.title?.text ?? ""));
    expect(found, `a figure titled ${pattern}`).toBeDefined();
    return found!;
  };

  it("computes the three-input neuron: z = 0.5·1 − 1·2 + 2·0.5 + 0.1 = −0.4, a = σ(−0.4)", () => {
    const { zByHand, aByHand, threeInputs } = locals() as {
      zByHand: number; aByHand: number; threeInputs: { w: number[]; forward(x: number[]): number };
    };
    expect(zByHand).toBeCloseTo(-0.4, 12);
    expect(aByHand).toBeCloseTo(1 / (1 + Math.exp(0.4)), 12);
    expect(threeInputs.w).toHaveLength(3);
    expect(threeInputs.forward([1, 2, 0.5])).toBeCloseTo(0.40131233988754794, 12);
  });

  it("shows the ShapeError for an input of the wrong length", () => {
    const shown = run().cells.map((c) => c.stdout).join("\n");
    expect(shown).toMatch(/ShapeError: Neuron\.forward: expected x to have 3 entries \(one per weight\), got 2\./);
  });

  it("the perceptron has learned AND: no mistakes in the last epoch, and step(w·x + b) is AND", () => {
    const { andHistory, andPerceptron } = locals() as { andHistory: History; andPerceptron: PerceptronLike };
    expect(andHistory.errors).toHaveLength(20);
    expect(andHistory.errors.at(-1)).toBe(0);
    expect(gateOutputs(andPerceptron)).toEqual([0, 0, 0, 1]);
  });

  it("the perceptron has learned OR: no mistakes in the last epoch, and step(w·x + b) is OR", () => {
    const { orHistory, orPerceptron } = locals() as { orHistory: History; orPerceptron: PerceptronLike };
    expect(orHistory.errors).toHaveLength(20);
    expect(orHistory.errors.at(-1)).toBe(0);
    expect(gateOutputs(orPerceptron)).toEqual([0, 1, 1, 1]);
  });

  it("the perceptron never reaches zero mistakes on XOR", () => {
    const { xorHistory, xorPerceptron } = locals() as { xorHistory: History; xorPerceptron: PerceptronLike };
    expect(xorHistory.errors).toHaveLength(20);
    expect(Math.min(...xorHistory.errors)).toBeGreaterThan(0);
    expect(gateOutputs(xorPerceptron)).not.toEqual([0, 1, 1, 0]);
  });

  it("no single step neuron on the grid computes XOR, while AND is found", () => {
    const shown = run().cells.map((c) => c.stdout).join("\n");
    expect(shown).toMatch(/AND: the best of 68921 settings is right on 4 of 4/); // 41³ = 68921
    expect(shown).toMatch(/XOR: the best of 68921 settings is right on 3 of 4/);
  });

  it("the hand-built activations agree with TensorFlow.js to 1e-6 (float32)", () => {
    const { zTf, tfValues, tfGrads } = locals() as {
      zTf: number[];
      tfValues: Record<"sigmoid" | "tanh" | "relu", number[]>;
      tfGrads: Record<"sigmoid" | "tanh" | "relu", number[]>;
    };
    expect(zTf).toHaveLength(121);
    expect(zTf[0]).toBe(-6);
    expect(zTf.at(-1)).toBe(6);
    expect(maxAbsDiff(tfValues.sigmoid, zTf.map(sigma))).toBeLessThanOrEqual(1e-6);
    expect(maxAbsDiff(tfValues.tanh, zTf.map(Math.tanh))).toBeLessThanOrEqual(1e-6);
    expect(maxAbsDiff(tfValues.relu, zTf.map(reluFn))).toBeLessThanOrEqual(1e-6);
    expect(maxAbsDiff(tfGrads.sigmoid, zTf.map(sigmaPrime))).toBeLessThanOrEqual(1e-6);
    expect(maxAbsDiff(tfGrads.tanh, zTf.map(tanhPrime))).toBeLessThanOrEqual(1e-6);
    expect(maxAbsDiff(tfGrads.relu, zTf.map(reluPrime))).toBeLessThanOrEqual(1e-6);
    // z = 0 is on the grid, and there TensorFlow's ReLU′ is 0.
    expect(tfGrads.relu[zTf.indexOf(0)]).toBe(0);
  });

  it("the numeric and analytic derivatives agree to 1e-8", () => {
    const { derivativeGaps, zCheck } = locals() as { derivativeGaps: Record<string, number>; zCheck: number[] };
    expect(Object.keys(derivativeGaps).sort()).toEqual(["relu", "sigmoid", "tanh"]);
    for (const gap of Object.values(derivativeGaps)) expect(gap).toBeLessThanOrEqual(1e-8);
    expect(zCheck.every((z) => Math.abs(z) >= 0.05 - 1e-12)).toBe(true); // away from ReLU's corner
    // Independently: the central difference of σ and tanh with h = 1e-5 on the same grid.
    const h = 1e-5;
    for (const z of zCheck) {
      expect(Math.abs((sigma(z + h) - sigma(z - h)) / (2 * h) - sigmaPrime(z))).toBeLessThan(1e-8);
      expect(Math.abs((Math.tanh(z + h) - Math.tanh(z - h)) / (2 * h) - tanhPrime(z))).toBeLessThan(1e-8);
    }
  });

  it("the central difference's error falls about 100× per tenfold smaller h while truncation dominates", () => {
    const { hErrors } = locals() as { hErrors: number[] };
    expect(hErrors).toHaveLength(9);
    for (let k = 0; k < 3; k++) {
      const ratio = hErrors[k] / hErrors[k + 1];
      expect(ratio).toBeGreaterThan(80);
      expect(ratio).toBeLessThan(120);
    }
  });

  it("two linear layers collapse into one; a ReLU between them does not", () => {
    const { linearGap, reluGap } = locals() as { linearGap: number; reluGap: number };
    expect(linearGap).toBeLessThan(1e-12);
    expect(reluGap).toBeGreaterThan(1e-3);
  });

  it("shows the activations on one chart, with the right curves", () => {
    const fig = figureTitled(/^Activation functions/);
    const names = fig.data.map((t) => t.name ?? "");
    expect(names).toEqual(["step", "sigmoid σ", "tanh", "ReLU"]);
    const [stepT, sigT, tanhT, reluT] = fig.data;
    expect(maxAbsDiff(sigT.y!, sigT.x!.map(sigma))).toBeLessThan(1e-14);
    expect(maxAbsDiff(tanhT.y!, tanhT.x!.map(Math.tanh))).toBeLessThan(1e-14);
    expect(maxAbsDiff(reluT.y!, reluT.x!.map(reluFn))).toBe(0);
    expect(maxAbsDiff(stepT.y!, stepT.x!.map(stepFn))).toBe(0);
    expect(Math.min(...sigT.x!)).toBe(-5);
    expect(Math.max(...sigT.x!)).toBe(5);
  });

  it("shows the derivatives on another chart: σ′ peaks at 1/4, tanh′ at 1", () => {
    const fig = figureTitled(/^Derivatives of the activation functions/);
    expect(fig.data.map((t) => t.name)).toEqual(["step′", "sigmoid σ′", "tanh′", "ReLU′"]);
    const [stepT, sigT, tanhT, reluT] = fig.data;
    expect(stepT.y!.every((v) => v === 0)).toBe(true);
    expect(maxAbsDiff(sigT.y!, sigT.x!.map(sigmaPrime))).toBeLessThan(1e-14);
    expect(Math.max(...sigT.y!)).toBeCloseTo(0.25, 12);
    expect(Math.max(...tanhT.y!)).toBeCloseTo(1, 12);
    expect(maxAbsDiff(reluT.y!, reluT.x!.map(reluPrime))).toBe(0);
  });

  it("shows the decision lines for AND and OR, and the mistakes per epoch", () => {
    for (const gate of ["AND", "OR"]) {
      const fig = figureTitled(new RegExp(`decision line for ${gate}$`));
      expect(fig.data).toHaveLength(3);
      const points = fig.data.slice(1).reduce((n, t) => n + (t.x?.length ?? 0), 0);
      expect(points).toBe(4);
    }
    const errors = figureTitled(/mistakes per epoch/);
    expect(errors.data.map((t) => t.name)).toEqual(["AND", "OR", "XOR"]);
  });

  it("solves the exercises", () => {
    const l = locals() as {
      leakyRelu: (z: number, alpha?: number) => number;
      leakyReluDerivative: (z: number, alpha?: number) => number;
      nandParameters: () => { weights: number[]; bias: number };
      steepestSigmoid: { z: number; slope: number }; steepestTanh: { z: number; slope: number };
      deadBias: number;
    };
    expect(l.leakyRelu(-3)).toBeCloseTo(-0.03, 15);
    expect(l.leakyRelu(4, 0.2)).toBe(4);
    expect(l.leakyReluDerivative(-1, 0.3)).toBe(0.3);
    const nand = l.nandParameters();
    expect(gateOutputs({ w: nand.weights, b: nand.bias })).toEqual([1, 1, 1, 0]);
    expect(l.steepestSigmoid.slope).toBeCloseTo(0.25, 9);
    expect(l.steepestTanh.slope).toBeCloseTo(1, 9);
    expect(l.deadBias).toBe(-2); // max of x₁ + x₂ on [0, 1]² is 2
  });
};

export default checks;
