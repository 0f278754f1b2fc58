import type { Param } from "../layer";

/**
 * An optimizer (chapter 10) turns gradients into a step: after backward() has stored
 * g = dW = ∂L/∂W in each Param's grad, step(params) gives each Param a new value.
 *
 * A W read from param.value before a step still holds the old numbers after it: most
 * optimizers give param.value a new Matrix; Adam writes in place through param.writable(),
 * which copies first when the value was read since the last step (see Param). What an optimizer remembers
 * between steps (a velocity, running means of g and g²) it keeps for each Param, keyed by
 * the Param itself, so one optimizer serves every layer of a model.
 *
 * The interface has this file to itself: each optimizer implements it without importing the
 * registry of names (optimizers.ts), which imports every optimizer.
 */
export interface Optimizer {
  /** The Keras / TensorFlow.js name: "sgd", "momentum", "adagrad", "rmsprop" or "adam". */
  readonly name: string;
  /** η, the step size. */
  readonly learningRate: number;
  /** Moves every Param in `params` one step, using its grad. */
  step(params: Param[]): void;
}
