import type { Param } from "../layer";
import { fastKernels } from "../backend";
import { adamCount, type WasmKernels, wasmKernels } from "../wasm";
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
  // The running means m and v, and the step count t, for each parameter. m and v belong to
  // the optimizer alone, so it updates them in place; W too, copy-on-write (see Param).
  private readonly state = new Map<Param, AdamState>();
  // The fast path keeps m and v in the WebAssembly module's memory between steps (copying
  // them in and out would cost more than the update): where, and whether they are newer there.
  private readonly kept = new Map<Param, { slot: number; newer: boolean }>();

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
    const fast = fastKernels();
    params.forEach((p, k) => {
      const g = grads[k].data;
      const { rows, cols } = p.peek();
      const s = stateOf("Adam.step", this.state, p, () => ({ m: Matrix.zeros(rows, cols), v: Matrix.zeros(rows, cols), t: 0 }));
      this.state.set(p, s);
      const t = ++s.t;
      // In place: p.writable() copies W first if anyone may still hold it (see Param).
      const W = p.writable();
      const mScale = eta / (1 - beta1 ** t), vScale = 1 / (1 - beta2 ** t);
      if (fast) fast.adam(W, g, this.keptIn(fast, p, s), beta1, beta2, mScale, vScale, eps);
      else {
        this.keptOut(p, s);
        update(W, g, s.m.data, s.v.data, beta1, beta2, mScale, vScale, eps);
      }
    });
  }

  /** The slot of p's m and v in the module (v right after m), brought up to date from `s`. */
  private keptIn(fast: WasmKernels, p: Param, s: AdamState): number {
    const count = adamCount(s.m.size);
    let k = this.kept.get(p);
    if (!k) this.kept.set(p, (k = { slot: fast.keep(s, 2 * count), newer: false }));
    if (!k.newer) {
      fast.write(k.slot, s.m.data);
      fast.write(k.slot + count, s.v.data);
      k.newer = true;
    }
    return k.slot;
  }

  /** Copies m and v back from the module into `s` if the fast path stepped last. */
  private keptOut(p: Param, s: AdamState): void {
    const k = this.kept.get(p);
    const kernels = wasmKernels();
    if (k?.newer && kernels) {
      s.m.data.set(kernels.read(k.slot, s.m.size));
      s.v.data.set(kernels.read(k.slot + adamCount(s.m.size), s.v.size));
      k.newer = false;
    }
  }
}

type AdamState = { m: Matrix; v: Matrix; t: number };

/**
 * The formula above, one entry at a time, W, m and v updated in place: a single pass with no
 * temporary matrices, since it runs for every parameter after every batch (for MNIST, 55,050
 * entries). η/(1 − β₁ᵗ) and 1/(1 − β₂ᵗ) are the same for every entry, so the caller works
 * them out once. A plain function of its own, so that the JavaScript engine compiles this
 * loop on its own.
 */
function update(
  W: Float64Array, g: Float64Array, m: Float64Array, v: Float64Array,
  beta1: number, beta2: number, mScale: number, vScale: number, eps: number,
): void {
  for (let i = 0; i < W.length; i++) {
    const gi = g[i];
    const mi = beta1 * m[i] + (1 - beta1) * gi; // m ← β₁·m + (1 − β₁)·g
    const vi = beta2 * v[i] + (1 - beta2) * gi * gi; // v ← β₂·v + (1 − β₂)·g²
    m[i] = mi;
    v[i] = vi;
    const etaMHat = mi * mScale; // η·m̂, m̂ = m / (1 − β₁ᵗ)
    const vHat = vi * vScale; // v̂ = v / (1 − β₂ᵗ)
    W[i] -= etaMHat / (Math.sqrt(vHat) + eps); // W ← W − η·m̂ / (√v̂ + ε)
  }
}
