import { ValueError } from "../errors";
import type { Param } from "../layer";
import { Matrix } from "../matrix";
import { checkHyperparameter, checkLearningRate, checkOptionNames, gradientsOf, stateOf } from "./checks";
import type { Optimizer } from "./optimizer";

export interface AdaGradOptions {
  /** η, the step size. Default 0.01, as Keras's and TensorFlow.js's "adagrad". */
  learningRate?: number;
  /** G₀, where every entry of the sum of squares starts. Default 0.1, as tf.train.adagrad. */
  initialAccumulatorValue?: number;
  /** ε, keeps the square root away from 0. Default 1e-7, TensorFlow.js's float32 epsilon. */
  epsilon?: number;
}

/**
 * AdaGrad (chapter 10; Duchi, Hazan & Singer 2011): each entry gets its own step size,
 * smaller where past gradients were large.
 *   G ← G + g ⊙ g             g = dW = ∂L/∂W, G starts at G₀ (every entry)
 *   W ← W − η·g / √(G + ε)     (element by element)
 *
 * ε sits inside the square root, as tf.train.adagrad computes it; the paper and many
 * textbooks write η·g / (√G + ε). With G ≥ G₀ = 0.1 the two differ by less than 1e-6 of
 * the step. Because G only grows, the steps only shrink: AdaGrad slows down on long runs.
 */
export class AdaGrad implements Optimizer {
  readonly name = "adagrad";
  readonly learningRate: number;
  readonly initialAccumulatorValue: number;
  readonly epsilon: number;
  private readonly state = new Map<Param, { G: Matrix }>(); // sum of squared gradients per parameter

  constructor(options: AdaGradOptions = {}) {
    checkOptionNames("AdaGrad", options, ["learningRate", "initialAccumulatorValue", "epsilon"]);
    this.learningRate = options.learningRate ?? 0.01;
    this.initialAccumulatorValue = options.initialAccumulatorValue ?? 0.1;
    this.epsilon = options.epsilon ?? 1e-7;
    checkLearningRate("AdaGrad", this.learningRate);
    checkHyperparameter("AdaGrad", "initialAccumulatorValue (G₀)", this.initialAccumulatorValue,
      { min: 0, max: Infinity }, "G₀ is where the sum of squared gradients starts; 0.1 is usual.");
    checkHyperparameter("AdaGrad", "epsilon (ε)", this.epsilon, { min: 0, max: Infinity },
      "ε only keeps the square root away from 0; 1e-7 is usual.");
    if (this.initialAccumulatorValue + this.epsilon === 0) {
      throw new ValueError(
        "AdaGrad: expected initialAccumulatorValue + epsilon > 0, got 0 + 0. " +
          "A zero gradient would then divide 0 by √0; give either one a small positive value.",
      );
    }
  }

  step(params: Param[]): void {
    const grads = gradientsOf("AdaGrad.step", params);
    const { learningRate: eta, epsilon: eps } = this;
    params.forEach((p, k) => {
      const g = grads[k];
      const { G: GPrev } = stateOf("AdaGrad.step", this.state, p,
        () => ({ G: Matrix.full(p.value.rows, p.value.cols, this.initialAccumulatorValue) }));
      const G = GPrev.add(g.hadamard(g));
      p.value = p.value.sub(g.zip(G, (gi, Gi) => (eta * gi) / Math.sqrt(Gi + eps)));
      this.state.set(p, { G });
    });
  }
}
