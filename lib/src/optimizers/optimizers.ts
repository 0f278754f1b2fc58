import { lookUp, ValueError } from "../errors";
import { AdaGrad } from "./adagrad";
import { Adam } from "./adam";
import { Momentum } from "./momentum";
import type { Optimizer } from "./optimizer";
import { RMSProp } from "./rmsprop";
import { SGD } from "./sgd";

/**
 * The optimizers by name, each with TensorFlow.js's defaults (the learning rates are those
 * Keras uses when model.compile is given the name):
 *   "sgd"       W ← W − η·g                                     η = 0.01
 *   "momentum"  v ← μ·v + g,  W ← W − η·v                       η = 0.01, μ = 0.9
 *   "adagrad"   G ← G + g²,  W ← W − η·g / √(G + ε)              η = 0.01, G₀ = 0.1
 *   "rmsprop"   s ← ρ·s + (1 − ρ)·g²,  W ← W − η·g / √(s + ε)    η = 0.001, ρ = 0.9
 *   "adam"      W ← W − η·m̂ / (√v̂ + ε)                          η = 0.001, β₁ = 0.9, β₂ = 0.999
 */
export const optimizers = {
  sgd: () => new SGD(),
  momentum: () => new Momentum(),
  adagrad: () => new AdaGrad(),
  rmsprop: () => new RMSProp(),
  adam: () => new Adam(),
} as const;

export type OptimizerName = keyof typeof optimizers;

/**
 * A new optimizer for a name (in any case: "adam", "Adam", "RMSProp"), or the given Optimizer
 * itself, as Keras's model.compile({ optimizer }) accepts either.
 */
// `string & {}` lets any spelling through to the check below while editors still offer the names.
export function getOptimizer(optimizer: OptimizerName | (string & {}) | Optimizer): Optimizer {
  if (typeof optimizer === "string") {
    // Any case finds the name ("RMSProp" is "rmsprop"); an unknown one is reported as written.
    const known = Object.keys(optimizers).find((name) => name === optimizer.toLowerCase());
    const make = lookUp<() => Optimizer>("getOptimizer", "optimizer", optimizers, known ?? optimizer,
      "For other settings, make one yourself, e.g. new Adam({ learningRate: 0.01 }).");
    return make();
  }
  if (typeof optimizer !== "object" || optimizer === null || typeof optimizer.step !== "function") {
    throw new ValueError(
      `getOptimizer: expected an optimizer name or an object with a step(params) method, ` +
        `got ${optimizer === null ? "null" : typeof optimizer}. Try "sgd" or new SGD({ learningRate: 0.1 }).`,
    );
  }
  return optimizer;
}
