import { lookUp } from "./errors";
import { Matrix } from "./matrix";
import { defaultRandom, type Random } from "./random";

/**
 * Weight initializers (chapter 04). Each makes a [fanIn, fanOut] matrix W for a layer with
 * fanIn inputs and fanOut units, drawing from the given seeded source.
 */
export type Initializer = (fanIn: number, fanOut: number, rng?: Random) => Matrix;

/** All zeros: right for biases, wrong for weights (every unit would stay identical). */
export const zeros: Initializer = (fanIn, fanOut) => Matrix.zeros(fanIn, fanOut);

/** All ones, for tests and hand-worked examples. */
export const ones: Initializer = (fanIn, fanOut) => Matrix.full(fanIn, fanOut, 1);

/**
 * Glorot (Xavier) uniform (Glorot & Bengio, 2010), the default kernel initializer of Keras's
 * Dense in Python and of ours (TensorFlow.js's tf.layers.dense defaults to glorotNormal instead):
 *   W ~ U(−limit, limit),   limit = √(6 / (fanIn + fanOut))
 * so that Var(W) = 2 / (fanIn + fanOut) keeps activations' variance steady both ways.
 */
export const glorotUniform: Initializer = (fanIn, fanOut, rng = defaultRandom()) => {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  return rng.uniformMatrix(fanIn, fanOut, -limit, limit);
};

/**
 * Glorot (Xavier) normal: W ~ N(0, σ²) truncated at ±2σ, σ = √(2 / (fanIn + fanOut)),
 * as TensorFlow.js draws it (truncated normal with that σ). The default kernel initializer of
 * tfjs-layers' dense (4.22); so a fresh tfjs layer and a fresh Dense of ours start from different
 * distributions as well as different draws: to compare them, copy the weights across.
 */
export const glorotNormal: Initializer = (fanIn, fanOut, rng = defaultRandom()) =>
  truncatedNormal(fanIn, fanOut, Math.sqrt(2 / (fanIn + fanOut)), rng);

/**
 * He normal (He et al., 2015), made for ReLU layers, which zero half their inputs:
 *   W ~ N(0, σ²) truncated at ±2σ, σ = √(2 / fanIn)
 */
export const heNormal: Initializer = (fanIn, fanOut, rng = defaultRandom()) =>
  truncatedNormal(fanIn, fanOut, Math.sqrt(2 / fanIn), rng);

/** He uniform: W ~ U(−limit, limit), limit = √(6 / fanIn). */
export const heUniform: Initializer = (fanIn, fanOut, rng = defaultRandom()) => {
  const limit = Math.sqrt(6 / fanIn);
  return rng.uniformMatrix(fanIn, fanOut, -limit, limit);
};

/** N(0, σ²) redrawn until within ±2σ, as tf.truncatedNormal does. */
function truncatedNormal(rows: number, cols: number, std: number, rng: Random): Matrix {
  return new Matrix(rows, cols).map(() => {
    for (;;) {
      const z = rng.normal();
      if (Math.abs(z) <= 2) return z * std;
    }
  });
}

export const initializers = { zeros, ones, glorotUniform, glorotNormal, heNormal, heUniform } as const;
export type InitializerName = keyof typeof initializers;

export function getInitializer(init: InitializerName | Initializer): Initializer {
  if (typeof init !== "string") return init;
  return lookUp<Initializer>("getInitializer", "initializer", initializers, init);
}
