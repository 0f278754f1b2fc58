/**
 * Neuron and Perceptron (chapter 03): a neuron worked by hand, the perceptron rule's first
 * update by hand, AND and OR learned epoch by epoch as worked on paper, XOR never learned,
 * and the input errors.
 */
import { describe, expect, it } from "vitest";
import { relu, step } from "../../lib/src/activations";
import { ShapeError, ValueError } from "../../lib/src/errors";
import { Matrix } from "../../lib/src/matrix";
import { Neuron, Perceptron } from "../../lib/src/neuron";

/** The four corners of the unit square, one per row: the inputs of AND, OR and XOR. */
const X = Matrix.from([[0, 0], [0, 1], [1, 0], [1, 1]]);

describe("Neuron", () => {
  // w = [0.5, −1], b = 0.25, x = [2, 1]:  z = 0.5·2 + (−1)·1 + 0.25 = 1 − 1 + 0.25 = 0.25
  const options = { weights: [0.5, -1], bias: 0.25 };

  it("computes z = w·x + b by hand", () => {
    expect(new Neuron(options).preActivation([2, 1])).toBe(0.25);
    // With x = [−2, 3]: z = −1 − 3 + 0.25 = −3.75
    expect(new Neuron(options).preActivation([-2, 3])).toBe(-3.75);
  });

  it("applies sigmoid by default: a = σ(0.25) = 1/(1 + e^−0.25) ≈ 0.56218", () => {
    // e^−0.25 = 0.778801, 1/1.778801 = 0.562177. Tolerance 1e-6: six digits were worked.
    expect(new Neuron(options).forward([2, 1])).toBeCloseTo(0.562177, 6);
  });

  it("applies the activation it is given, by name or as an object", () => {
    expect(new Neuron({ ...options, activation: "relu" }).forward([2, 1])).toBe(0.25);
    expect(new Neuron({ ...options, activation: relu }).forward([-2, 3])).toBe(0);
    expect(new Neuron({ ...options, activation: step }).forward([2, 1])).toBe(1);
    expect(new Neuron({ ...options, activation: "tanh" }).forward([0, 0.25])).toBe(0);
  });

  it("keeps its own copy of the weights", () => {
    const weights = [0.5, -1];
    const n = new Neuron({ weights, bias: 0 });
    weights[0] = 100;
    expect(n.w).toEqual([0.5, -1]);
  });

  it("rejects x of the wrong length, saying how many entries it needs", () => {
    const n = new Neuron(options);
    expect(() => n.forward([1, 2, 3])).toThrow(ShapeError);
    expect(() => n.forward([1, 2, 3])).toThrow(
      "Neuron.forward: expected x to have 2 entries (one per weight), got 3.",
    );
  });

  it("rejects non-finite weights, bias or inputs, naming which", () => {
    expect(() => new Neuron({ weights: [1, NaN], bias: 0 })).toThrow(ValueError);
    expect(() => new Neuron({ weights: [1, NaN], bias: 0 })).toThrow(
      "Neuron: expected weights to hold finite numbers, got NaN at index 1.",
    );
    expect(() => new Neuron({ weights: [1, 2], bias: Infinity })).toThrow(
      "Neuron: expected bias to hold finite numbers, got Infinity",
    );
    expect(() => new Neuron(options).forward([1, NaN])).toThrow(
      "Neuron.forward: expected x to hold finite numbers, got NaN at index 1.",
    );
  });

  it("rejects an unknown activation name", () => {
    expect(() => new Neuron({ ...options, activation: "sigmoidal" as "sigmoid" })).toThrow(
      'unknown activation "sigmoidal"',
    );
  });
});

describe("Perceptron: the learning rule", () => {
  it("first update by hand: w ← w + η·(y − ŷ)·x, b ← b + η·(y − ŷ)", () => {
    // w = [0.5, −0.5], b = 0, η = 0.1, x = [1, 2], y = 1.
    // z = 0.5·1 − 0.5·2 + 0 = −0.5 → ŷ = step(−0.5) = 0, so y − ŷ = 1.
    // w ← [0.5 + 0.1·1·1, −0.5 + 0.1·1·2] = [0.6, −0.3],  b ← 0 + 0.1·1 = 0.1.
    const p = new Perceptron(2, { weights: [0.5, -0.5], bias: 0 });
    expect(p.update([1, 2], 1, 0.1)).toBe(1);
    expect(p.w[0]).toBeCloseTo(0.6, 15);
    expect(p.w[1]).toBeCloseTo(-0.3, 15);
    expect(p.b).toBeCloseTo(0.1, 15);
  });

  it("changes nothing when the prediction is right", () => {
    // z = 0.5·1 − 0.5·2 = −0.5 → ŷ = 0 = y.
    const p = new Perceptron(2, { weights: [0.5, -0.5], bias: 0 });
    expect(p.update([1, 2], 0, 0.1)).toBe(0);
    expect(p.w).toEqual([0.5, -0.5]);
    expect(p.b).toBe(0);
  });

  it("a false positive pushes the weights the other way", () => {
    // w = [0, 0], b = 0, x = [0, 0], y = 0: z = 0 → ŷ = step(0) = 1, y − ŷ = −1.
    // w ← [0, 0] − 1·[0, 0] = [0, 0] (x is 0, so only the bias moves), b ← 0 − 1 = −1.
    const p = new Perceptron(2);
    expect(p.update([0, 0], 0)).toBe(-1);
    expect(p.w).toEqual([0, 0]);
    expect(p.b).toBe(-1);
  });

  it("starts at w = 0, b = 0 and copies initial weights", () => {
    const p = new Perceptron(3);
    expect(p.w).toEqual([0, 0, 0]);
    expect(p.b).toBe(0);
    const init = [1, 2];
    const q = new Perceptron(2, { weights: init });
    init[0] = 9;
    expect(q.w).toEqual([1, 2]);
  });
});

describe("Perceptron: AND, OR, XOR", () => {
  it("learns AND, epoch by epoch as worked by hand", () => {
    // Start w = (0, 0), b = 0, η = 1; the examples in order (0,0) (0,1) (1,0) (1,1), y = 0 0 0 1.
    // Epoch 1: (0,0): z=0→1, wrong → b=−1.  (0,1),(1,0): z=−1→0 ok.  (1,1): z=−1→0, wrong →
    //          w=(1,1), b=0.                                                         2 errors
    // Epoch 2: (0,0): z=0→1 → b=−1.  (0,1): z=0→1 → w=(1,0), b=−2.  (1,0): z=−1 ok.
    //          (1,1): z=−1→0 → w=(2,1), b=−1.                                       3 errors
    // Epoch 3: (0,0): −1 ok.  (0,1): z=0→1 → w=(2,0), b=−2.  (1,0): z=0→1 → w=(1,0), b=−3.
    //          (1,1): z=−2→0 → w=(2,1), b=−2.                                       3 errors
    // Epoch 4: (0,0): −2 ok.  (0,1): −1 ok.  (1,0): z=0→1 → w=(1,1), b=−3.
    //          (1,1): z=−1→0 → w=(2,2), b=−2.                                       2 errors
    // Epoch 5: (0,0): −2 ok.  (0,1): z=0→1 → w=(2,1), b=−3.  (1,0): −1 ok.  (1,1): 0→1 ok.  1 error
    // Epoch 6: z = −3, −2, −1, 0 → 0, 0, 0, 1: all right, and nothing changes after.  0 errors
    const y = [0, 0, 0, 1];
    const p = new Perceptron(2);
    const { errors } = p.fit(X, y, { epochs: 10 });
    expect(errors).toEqual([2, 3, 3, 2, 1, 0, 0, 0, 0, 0]);
    expect(p.w).toEqual([2, 1]);
    expect(p.b).toBe(-3);
    expect(p.predictAll(X)).toEqual(y);
  });

  it("learns OR, epoch by epoch as worked by hand", () => {
    // y = 0 1 1 1.
    // Epoch 1: (0,0): z=0→1 → b=−1.  (0,1): z=−1→0 → w=(0,1), b=0.  (1,0): 0→1 ok.  (1,1) ok.  2
    // Epoch 2: (0,0): 0→1 → b=−1.  (0,1): 0→1 ok.  (1,0): −1→0 → w=(1,1), b=0.  (1,1) ok.     2
    // Epoch 3: (0,0): 0→1 → b=−1.  then z = 0, 0, 1 → 1, 1, 1 ok.                             1
    // Epoch 4: z = −1, 0, 0, 1 → 0, 1, 1, 1: all right.                                      0
    const y = [0, 1, 1, 1];
    const p = new Perceptron(2);
    const { errors } = p.fit(X, y, { epochs: 8 });
    expect(errors).toEqual([2, 2, 1, 0, 0, 0, 0, 0]);
    expect(p.w).toEqual([1, 1]);
    expect(p.b).toBe(-1);
    expect(p.predictAll(X)).toEqual(y);
  });

  it("learns AND from other starting points and learning rates too", () => {
    for (const [w, b, lr] of [[[0.3, -0.7], 0.2, 0.1], [[-1, 2], 1, 0.5], [[5, 5], 5, 2]] as const) {
      const p = new Perceptron(2, { weights: w, bias: b });
      const { errors } = p.fit(X, [0, 0, 0, 1], { epochs: 100, learningRate: lr });
      expect(errors.at(-1)).toBe(0);
      expect(p.predictAll(X)).toEqual([0, 0, 0, 1]);
    }
  });

  it("never learns XOR: errors never reach 0 in 100 epochs", () => {
    // No line separates XOR. If step(w·x + b) were right on all four: (0,0) → 0 needs b < 0;
    // (0,1) and (1,0) → 1 need w₂ + b ≥ 0 and w₁ + b ≥ 0; adding, w₁ + w₂ + b ≥ −b > 0, so
    // (1,1) would give 1, not 0. So every epoch has at least one mistake.
    const y = [0, 1, 1, 0];
    for (const lr of [1, 0.1]) {
      const p = new Perceptron(2);
      const { errors } = p.fit(X, y, { epochs: 100, learningRate: lr });
      expect(errors).toHaveLength(100);
      expect(Math.min(...errors)).toBeGreaterThan(0);
      expect(p.predictAll(X)).not.toEqual(y);
    }
  });

  it("fit() leaves X and y as they were", () => {
    const Xc = Matrix.from(X.toArray()), y = [0, 0, 0, 1];
    new Perceptron(2).fit(Xc, y);
    expect(Xc.toArray()).toEqual(X.toArray());
    expect(y).toEqual([0, 0, 0, 1]);
  });
});

describe("Perceptron: errors", () => {
  it("rejects nInputs that is not a whole number ≥ 1", () => {
    expect(() => new Perceptron(0)).toThrow(ValueError);
    expect(() => new Perceptron(0)).toThrow("Perceptron: expected nInputs to be a whole number ≥ 1, got 0.");
    expect(() => new Perceptron(1.5)).toThrow("got 1.5");
  });

  it("rejects initial weights of the wrong length", () => {
    expect(() => new Perceptron(2, { weights: [1, 2, 3] })).toThrow(ShapeError);
    expect(() => new Perceptron(2, { weights: [1, 2, 3] })).toThrow(
      "Perceptron: expected 2 initial weights (one per input), got 3.",
    );
  });

  it("fit() rejects X with the wrong number of columns, with the hint", () => {
    expect(() => new Perceptron(3).fit(X, [0, 0, 0, 1])).toThrow(ShapeError);
    expect(() => new Perceptron(3).fit(X, [0, 0, 0, 1])).toThrow(
      "Perceptron.fit: expected X to have shape [m, 3], got [4, 2]. " +
        "Each row of X is one example, so X needs one column per input.",
    );
    expect(() => new Perceptron(3).predictAll(X)).toThrow("Perceptron.predictAll: expected X to have shape [m, 3]");
  });

  it("fit() rejects y whose length differs from X's rows", () => {
    expect(() => new Perceptron(2).fit(X, [0, 1])).toThrow(
      "Perceptron.fit: expected y to have one entry per row of X (m = 4), got shape [2]. " +
        "Entry i of y is the target of example (row) i of X.",
    );
  });

  it("fit() rejects labels other than 0 and 1, naming the index", () => {
    expect(() => new Perceptron(2).fit(X, [0, 1, -1, 1])).toThrow(ValueError);
    expect(() => new Perceptron(2).fit(X, [0, 1, -1, 1])).toThrow(
      "Perceptron.fit: expected every label to be 0 or 1, got -1 at index 2.",
    );
  });

  it("fit() rejects an empty X and a non-finite X", () => {
    expect(() => new Perceptron(2).fit(new Matrix(0, 2), [])).toThrow(
      "Perceptron.fit: expected at least one example (row of X), got 0. There is nothing to learn from.",
    );
    const bad = Matrix.from([[0, 0], [1, NaN]]);
    expect(() => new Perceptron(2).fit(bad, [0, 1])).toThrow(
      "Perceptron.fit: expected X to hold finite numbers, got NaN at row 1, column 1.",
    );
  });

  it("predict() rejects x of the wrong length", () => {
    expect(() => new Perceptron(2).predict([1])).toThrow("expected x to have 2 entries (one per weight), got 1.");
  });
});
