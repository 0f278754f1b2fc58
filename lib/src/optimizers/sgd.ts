import type { Param } from "../layer";
import { checkLearningRate, checkOptionNames, gradientsOf } from "./checks";
import type { Optimizer } from "./optimizer";

export interface SGDOptions {
  /** η, the step size. Default 0.01, as Keras's and TensorFlow.js's "sgd". */
  learningRate?: number;
}

/**
 * Stochastic gradient descent (chapter 10; Robbins & Monro 1951):
 *   W ← W − η·g        g = dW = ∂L/∂W
 * Every step moves each parameter straight down its gradient, by η times its size.
 * It keeps no state between steps. Matches tf.train.sgd(learningRate).
 */
export class SGD implements Optimizer {
  readonly name = "sgd";
  readonly learningRate: number;

  constructor(options: SGDOptions = {}) {
    checkOptionNames("SGD", options, ["learningRate"]);
    this.learningRate = options.learningRate ?? 0.01;
    checkLearningRate("SGD", this.learningRate);
  }

  step(params: Param[]): void {
    const grads = gradientsOf("SGD.step", params);
    const eta = this.learningRate;
    params.forEach((p, k) => {
      // One pass, one new matrix (not W − (η·g) as two): this runs once per batch per layer.
      p.value = p.value.zip(grads[k], (w, g) => w - eta * g, "SGD.step");
    });
  }
}
