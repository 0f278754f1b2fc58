import type { Activation } from "./activation";
import { lookUp } from "./errors";
import type { Matrix } from "./matrix";
import { softmax } from "./softmax";

function elementwise(
  name: string,
  fn: (z: number) => number,
  derivative: (z: number) => number,
): Activation {
  return {
    name,
    fn,
    derivative,
    f: (Z) => Z.map(fn),
    prime: (Z) => Z.map(derivative),
    // dZ = dA ⊙ g′(Z), in one pass (no matrix of g′(Z) in between).
    backward: (Z, _A, dA) => dA.zip(Z, (d, z) => d * derivative(z), `${name}.backward`),
  };
}

/** g(z) = z,  g′(z) = 1. The "no activation" of a regression output. */
export const linear = elementwise("linear", (z) => z, () => 1);

/**
 * Heaviside step, the perceptron's activation (Rosenblatt, 1958):
 *   g(z) = 1 if z ≥ 0 else 0,   g′(z) = 0 wherever it exists.
 * Its derivative carries no information, which is why gradient descent needs smooth g.
 */
export const step = elementwise("step", (z) => (z >= 0 ? 1 : 0), () => 0);

/**
 * Logistic sigmoid:  σ(z) = 1 / (1 + e⁻ᶻ),   σ′(z) = σ(z)·(1 − σ(z)).
 * Output in (0, 1); σ′ is at most 1/4 (at z = 0), which is why deep sigmoid stacks
 * pass back ever smaller gradients.
 */
export const sigmoid = elementwise(
  "sigmoid",
  (z) => sigma(z),
  (z) => {
    const s = sigma(z);
    return s * (1 - s);
  },
);

/** σ(z) written so that neither branch overflows: e⁻ᶻ for z ≥ 0, eᶻ for z < 0. */
function sigma(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/**
 * Hyperbolic tangent:  tanh(z) = (eᶻ − e⁻ᶻ) / (eᶻ + e⁻ᶻ) = 2σ(2z) − 1,
 *   tanh′(z) = 1 − tanh²(z).   Output in (−1, 1), centred on 0.
 */
export const tanh = elementwise(
  "tanh",
  (z) => Math.tanh(z),
  (z) => 1 - Math.tanh(z) ** 2,
);

/**
 * Rectified linear unit (Nair & Hinton, 2010):  ReLU(z) = max(0, z),
 *   ReLU′(z) = 1 if z > 0 else 0  (at z = 0 we take 0, as TensorFlow does).
 */
export const relu = elementwise(
  "relu",
  (z) => (z > 0 ? z : 0),
  (z) => (z > 0 ? 1 : 0),
);

/**
 * The activations by the names Keras and TensorFlow.js use for them. softmax (chapter 05)
 * lives in softmax.ts because it mixes a whole row; like the ones here it implements the
 * Activation interface of activation.ts, so softmax.ts never imports this registry.
 */
export const activations = { linear, step, sigmoid, tanh, relu, softmax } as const;

export type ActivationName = keyof typeof activations;

/** Looks an activation up by name, as `new Dense({ activation: "relu" })` does. */
export function getActivation(activation: ActivationName | Activation): Activation {
  if (typeof activation !== "string") return activation;
  return lookUp<Activation>("getActivation", "activation", activations, activation);
}
