import { formatPosition, ValueError } from "../errors";
import type { Param } from "../layer";
import { Matrix } from "../matrix";
import { checkHyperparameter, checkLearningRate, checkOptionNames, gradientsOf, stateOf } from "./checks";
import type { Optimizer } from "./optimizer";

export interface RMSPropOptions {
  /** η, the step size. Default 0.001, as Keras's and TensorFlow.js's "rmsprop". */
  learningRate?: number;
  /** ρ, how much of the running mean of g² each step keeps, in [0, 1). Default 0.9. */
  decay?: number;
  /** μ, momentum on the scaled steps, in [0, 1). Default 0 (none). */
  momentum?: number;
  /** ε, keeps the square root away from 0. Default 1e-7, TensorFlow.js's float32 epsilon. */
  epsilon?: number;
  /** Divide by an estimate of the gradient's variance instead of its mean square. Default false. */
  centered?: boolean;
}

type State = { s: Matrix; gBar: Matrix; v: Matrix };

/**
 * RMSProp (chapter 10; Hinton, Neural Networks for Machine Learning, lecture 6e, 2012):
 * divide each gradient entry by the root of a running mean of its recent squares.
 *   s ← ρ·s + (1 − ρ)·g ⊙ g          g = dW = ∂L/∂W; s, v start at 0
 *   v ← μ·v + η·g / √(s + ε)
 *   W ← W − v
 * With μ = 0 (the default) that is W ← W − η·g / √(s + ε). The first step has s = (1 − ρ)·g²,
 * so every entry moves by about η/√(1 − ρ) ≈ 3.16·η, whatever the size of its gradient.
 *
 * centered (Graves 2013, "Generating sequences with recurrent neural networks")
 * also keeps the running mean ḡ of g and divides by √(variance) instead of √(mean square):
 *   ḡ ← ρ·ḡ + (1 − ρ)·g
 *   v ← μ·v + η·g / √(s − ḡ ⊙ ḡ − ε)
 *
 * This is exactly what tf.train.rmsprop(learningRate, decay, momentum, epsilon, centered)
 * computes, which differs from the papers in where ε sits: inside the square root (textbooks
 * write √s + ε), and, when centered, subtracted (Graves and TensorFlow for Python add it).
 * Subtracting ε can make the root imaginary: where s − ḡ² ≤ ε (an entry whose gradient is 0
 * or has barely varied) TensorFlow.js's weights become NaN, and this step throws a ValueError.
 */
export class RMSProp implements Optimizer {
  readonly name = "rmsprop";
  readonly learningRate: number;
  readonly decay: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly centered: boolean;
  private readonly state = new Map<Param, State>(); // s, ḡ (gBar) and v per parameter

  constructor(options: RMSPropOptions = {}) {
    checkOptionNames("RMSProp", options, ["learningRate", "decay", "momentum", "epsilon", "centered"]);
    this.learningRate = options.learningRate ?? 0.001;
    this.decay = options.decay ?? 0.9;
    this.momentum = options.momentum ?? 0;
    this.epsilon = options.epsilon ?? 1e-7;
    this.centered = options.centered ?? false;
    checkLearningRate("RMSProp", this.learningRate);
    checkHyperparameter("RMSProp", "decay (ρ)", this.decay, { min: 0, max: 1 },
      "ρ is the fraction of the running mean of g² kept at each step; 0.9 is usual.");
    checkHyperparameter("RMSProp", "momentum (μ)", this.momentum, { min: 0, max: 1 },
      "μ is the fraction of the last step kept; 0 turns momentum off.");
    checkHyperparameter("RMSProp", "epsilon (ε)", this.epsilon, { min: 0, max: Infinity },
      "ε only keeps the square root away from 0; 1e-7 is usual.");
  }

  step(params: Param[]): void {
    const grads = gradientsOf("RMSProp.step", params);
    const { learningRate: eta, decay: rho, momentum: mu, epsilon: eps } = this;
    // Work out every new state before changing any, so that a step that throws (centered,
    // below) leaves all parameters and all state as they were.
    const next = params.map((p, k): State => {
      const g = grads[k];
      const zeros = () => Matrix.zeros(p.value.rows, p.value.cols);
      const prev = stateOf("RMSProp.step", this.state, p, () => ({ s: zeros(), gBar: zeros(), v: zeros() }));
      const s = prev.s.scale(rho).add(g.hadamard(g).scale(1 - rho));
      const gBar = this.centered ? prev.gBar.scale(rho).add(g.scale(1 - rho)) : prev.gBar;
      const radicand = this.centered ? s.sub(gBar.hadamard(gBar)).map((x) => x - eps) : s.map((x) => x + eps);
      if (this.centered) assertPositive(radicand, p.name, k);
      const v = prev.v.scale(mu).add(g.zip(radicand, (gi, r) => (eta * gi) / Math.sqrt(r)));
      return { s, gBar, v };
    });
    params.forEach((p, k) => {
      p.value = p.value.sub(next[k].v);
      this.state.set(p, next[k]);
    });
  }
}

function assertPositive(radicand: Matrix, name: string, k: number): void {
  const i = radicand.data.findIndex((r) => !(r > 0));
  if (i < 0) return;
  throw new ValueError(
    `RMSProp.step: expected s − ḡ² − ε > 0 for ${name} (params[${k}]) in centered RMSProp, ` +
      `got ${radicand.data[i]} at ${formatPosition(i, radicand.cols)}. ` +
      `TensorFlow.js subtracts ε here, so an entry whose gradient is 0 or has barely varied has no ` +
      `real square root (tfjs's weights turn NaN). Use centered: false.`,
  );
}
