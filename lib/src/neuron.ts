import type { Activation } from "./activation";
import { type ActivationName, getActivation, step } from "./activations";
import { assertExamples, assertFinite, ShapeError, ValueError } from "./errors";
import { Matrix } from "./matrix";

/**
 * One artificial neuron (chapter 03, eq. 3.1):
 *   z = w·x + b = Σⱼ wⱼxⱼ + b,   a = g(z)
 * w: one weight per input, b: the bias, g: the activation.
 */
export class Neuron {
  readonly w: readonly number[];
  readonly b: number;
  readonly g: Activation;

  constructor(options: { weights: readonly number[]; bias: number; activation?: ActivationName | Activation }) {
    assertFinite("Neuron", "weights", options.weights);
    assertFinite("Neuron", "bias", [options.bias]);
    this.w = options.weights.slice();
    this.b = options.bias;
    this.g = getActivation(options.activation ?? "sigmoid");
  }

  /** The weighted sum z = w·x + b, before the activation. */
  preActivation(x: readonly number[]): number {
    if (x.length !== this.w.length) {
      throw new ShapeError(
        `Neuron.forward: expected x to have ${this.w.length} entries (one per weight), ` +
          `got ${x.length}.`,
      );
    }
    assertFinite("Neuron.forward", "x", x);
    return this.w.reduce((z, wj, j) => z + wj * x[j], this.b);
  }

  /** The neuron's output a = g(w·x + b). */
  forward(x: readonly number[]): number {
    return this.g.fn(this.preActivation(x));
  }
}

/** What `Perceptron.fit` reports: how many examples were misclassified in each epoch. */
export interface PerceptronHistory {
  errors: number[];
}

/**
 * Rosenblatt's perceptron (1958): a neuron with the step activation, trained by
 * the perceptron learning rule (chapter 03, eq. 3.3), one example at a time:
 *   ŷ = step(w·x + b)
 *   w ← w + η·(y − ŷ)·x,   b ← b + η·(y − ŷ)
 * The rule changes nothing when ŷ = y. If the classes can be separated by a line
 * (a hyperplane), it stops making mistakes after finitely many updates (Novikoff, 1962);
 * if not, as for XOR, it never settles.
 */
export class Perceptron {
  w: number[];
  b: number;

  constructor(nInputs: number, initial?: { weights?: readonly number[]; bias?: number }) {
    if (!Number.isInteger(nInputs) || nInputs < 1) {
      throw new ValueError(`Perceptron: expected nInputs to be a whole number ≥ 1, got ${nInputs}.`);
    }
    const w = initial?.weights ?? new Array<number>(nInputs).fill(0);
    if (w.length !== nInputs) {
      throw new ShapeError(
        `Perceptron: expected ${nInputs} initial weights (one per input), got ${w.length}.`,
      );
    }
    this.w = w.slice();
    this.b = initial?.bias ?? 0;
  }

  /** ŷ = step(w·x + b), 0 or 1. */
  predict(x: readonly number[]): number {
    return new Neuron({ weights: this.w, bias: this.b, activation: step }).forward(x);
  }

  /** Predictions for every row of X [m, n]. */
  predictAll(X: Matrix): number[] {
    this.checkX("Perceptron.predictAll", X);
    return Array.from({ length: X.rows }, (_, i) => this.predict(Array.from(X.getRow(i).data)));
  }

  /** One application of the learning rule to (x, y). Returns y − ŷ (0 when nothing changed). */
  update(x: readonly number[], y: number, learningRate = 1): number {
    const error = y - this.predict(x);
    if (error !== 0) {
      this.w = this.w.map((wj, j) => wj + learningRate * error * x[j]);
      this.b += learningRate * error;
    }
    return error;
  }

  /**
   * Sweeps the examples in order, `epochs` times, applying the learning rule to each.
   * X: [m, n] one example per row; y: m labels, each 0 or 1.
   */
  fit(X: Matrix, y: readonly number[], options: { epochs?: number; learningRate?: number } = {}): PerceptronHistory {
    const { epochs = 10, learningRate = 1 } = options;
    this.checkX("Perceptron.fit", X);
    assertExamples("Perceptron.fit", X.shape, [y.length], { y: "y" });
    y.forEach((label, i) => {
      if (label !== 0 && label !== 1) {
        throw new ValueError(`Perceptron.fit: expected every label to be 0 or 1, got ${label} at index ${i}.`);
      }
    });
    const errors: number[] = [];
    for (let epoch = 0; epoch < epochs; epoch++) {
      let mistakes = 0;
      for (let i = 0; i < X.rows; i++) {
        if (this.update(Array.from(X.getRow(i).data), y[i], learningRate) !== 0) mistakes++;
      }
      errors.push(mistakes);
    }
    return { errors };
  }

  private checkX(where: string, X: Matrix): void {
    if (X.cols !== this.w.length) {
      throw new ShapeError(
        `${where}: expected X to have shape [m, ${this.w.length}], got [${X.rows}, ${X.cols}]. ` +
          `Each row of X is one example, so X needs one column per input.`,
      );
    }
    assertExamples(where, X.shape, null, { hint: "There is nothing to learn from." });
    X.assertFinite(where, "X");
  }
}
