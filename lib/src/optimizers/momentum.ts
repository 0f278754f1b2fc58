import type { Param } from "../layer";
import { Matrix } from "../matrix";
import { checkHyperparameter, checkLearningRate, checkOptionNames, gradientsOf, stateOf } from "./checks";
import type { Optimizer } from "./optimizer";

export interface MomentumOptions {
  /** η, the step size. Default 0.01. */
  learningRate?: number;
  /** μ, how much of the last velocity each step keeps, in [0, 1). Default 0.9. */
  momentum?: number;
  /** Look ahead along the velocity before taking the gradient's step (Nesterov). Default false. */
  useNesterov?: boolean;
}

/**
 * Gradient descent with momentum (chapter 10; Polyak 1964, "heavy ball"):
 *   v ← μ·v + g          g = dW = ∂L/∂W, v starts at 0
 *   W ← W − η·v
 * and with useNesterov (Nesterov 1983, in the form of Sutskever et al. 2013):
 *   v ← μ·v + g
 *   W ← W − η·(g + μ·v)
 *
 * This is the form tf.train.momentum(learningRate, momentum, useNesterov) computes: v sums
 * gradients and η scales it when it is applied. Textbooks often fold η into v instead,
 *   v ← μ·v − η·g,   W ← W + v,
 * which gives the same W at every step as long as η stays fixed. Sutskever et al. take
 * Nesterov's gradient at a look-ahead point, θ plus μ times their (η-folded) velocity; the W
 * kept here is that look-ahead point, which is why its gradient is simply g = ∂L/∂W.
 *
 * Momentum is not one of Keras's string names; there it is SGD with a momentum option. The
 * default μ = 0.9 is the usual choice (Sutskever et al. 2013); TensorFlow.js has no default.
 */
export class Momentum implements Optimizer {
  readonly name = "momentum";
  readonly learningRate: number;
  readonly momentum: number;
  readonly useNesterov: boolean;
  private readonly state = new Map<Param, { v: Matrix }>(); // velocity per parameter

  constructor(options: MomentumOptions = {}) {
    checkOptionNames("Momentum", options, ["learningRate", "momentum", "useNesterov"]);
    this.learningRate = options.learningRate ?? 0.01;
    this.momentum = options.momentum ?? 0.9;
    this.useNesterov = options.useNesterov ?? false;
    checkLearningRate("Momentum", this.learningRate);
    checkHyperparameter("Momentum", "momentum (μ)", this.momentum, { min: 0, max: 1 },
      "μ is the fraction of the last velocity kept; 0 is plain SGD, 0.9 is usual, 1 never forgets.");
  }

  step(params: Param[]): void {
    const grads = gradientsOf("Momentum.step", params);
    const { learningRate: eta, momentum: mu } = this;
    params.forEach((p, k) => {
      const g = grads[k];
      const { v: vPrev } = stateOf("Momentum.step", this.state, p, () => ({ v: Matrix.zeros(p.value.rows, p.value.cols) }));
      const v = vPrev.scale(mu).add(g);
      const direction = this.useNesterov ? g.add(v.scale(mu)) : v;
      p.value = p.value.sub(direction.scale(eta));
      this.state.set(p, { v });
    });
  }
}
