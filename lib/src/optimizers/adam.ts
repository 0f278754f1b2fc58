import type { Param } from "../layer";
import { Matrix } from "../matrix";
import { checkHyperparameter, checkLearningRate, checkOptionNames, gradientsOf, stateOf } from "./checks";
import type { Optimizer } from "./optimizer";

export interface AdamOptions {
  /** η, the step size. Default 0.001, as Keras's and TensorFlow.js's "adam". */
  learningRate?: number;
  /** β₁, how much of the running mean of g each step keeps, in [0, 1). Default 0.9. */
  beta1?: number;
  /** β₂, how much of the running mean of g² each step keeps, in [0, 1). Default 0.999. */
  beta2?: number;
  /** ε, keeps the division away from 0. Default 1e-7, as TensorFlow.js (the paper uses 1e-8). */
  epsilon?: number;
}

/**
 * Adam (chapter 10; Kingma & Ba 2015, Algorithm 1): momentum on g and RMSProp's scaling
 * by g², with both running means corrected for starting at 0.
 *   t ← t + 1
 *   m ← β₁·m + (1 − β₁)·g            g = dW = ∂L/∂W; m, v start at 0
 *   v ← β₂·v + (1 − β₂)·g ⊙ g
 *   m̂ = m / (1 − β₁ᵗ)                bias correction: at t = 1, m̂ = g and v̂ = g²
 *   v̂ = v / (1 − β₂ᵗ)
 *   W ← W − η·m̂ / (√v̂ + ε)
 * So the first step moves every entry by about η, against the sign of its gradient.
 *
 * tf.train.adam(learningRate, beta1, beta2, epsilon) computes the same formula, with ε
 * outside the root as in the paper. It counts t once per step of the optimizer; here each
 * parameter counts its own steps, which is the same while every step updates the same
 * parameters, and stays right for a parameter that joins later.
 */
export class Adam implements Optimizer {
  readonly name = "adam";
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  private readonly state = new Map<Param, { m: Matrix; v: Matrix; t: number }>(); // moments and step count

  constructor(options: AdamOptions = {}) {
    checkOptionNames("Adam", options, ["learningRate", "beta1", "beta2", "epsilon"]);
    this.learningRate = options.learningRate ?? 0.001;
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-7;
    checkLearningRate("Adam", this.learningRate);
    checkHyperparameter("Adam", "beta1 (β₁)", this.beta1, { min: 0, max: 1 },
      "β₁ is the fraction of the running mean of g kept at each step; 0.9 is usual.");
    checkHyperparameter("Adam", "beta2 (β₂)", this.beta2, { min: 0, max: 1 },
      "β₂ is the fraction of the running mean of g² kept at each step; 0.999 is usual.");
    checkHyperparameter("Adam", "epsilon (ε)", this.epsilon, { min: 0, max: Infinity },
      "ε only keeps the division away from 0; 1e-7 is usual.");
  }

  step(params: Param[]): void {
    const grads = gradientsOf("Adam.step", params);
    const { learningRate: eta, beta1, beta2, epsilon: eps } = this;
    params.forEach((p, k) => {
      const g = grads[k];
      const zeros = () => Matrix.zeros(p.value.rows, p.value.cols);
      const prev = stateOf("Adam.step", this.state, p, () => ({ m: zeros(), v: zeros(), t: 0 }));
      const t = prev.t + 1;
      const m = prev.m.scale(beta1).add(g.scale(1 - beta1));
      const v = prev.v.scale(beta2).add(g.hadamard(g).scale(1 - beta2));
      const mHat = m.scale(1 / (1 - beta1 ** t));
      const vHat = v.scale(1 / (1 - beta2 ** t));
      p.value = p.value.sub(mHat.zip(vHat, (mi, vi) => (eta * mi) / (Math.sqrt(vi) + eps)));
      this.state.set(p, { m, v, t });
    });
  }
}
