import type { Matrix } from "./matrix";

/**
 * A penalty on a weight matrix, added to the loss (chapter 11):  L_total = L + R(W).
 * `loss` gives R(W); `grad` gives ∂R/∂W, which backprop adds to dW.
 */
export interface Regularizer {
  readonly name: string;
  loss(W: Matrix): number;
  grad(W: Matrix): Matrix;
}

/**
 * A trainable parameter: its current value and, after backward(), the gradient of the
 * loss with respect to it (dW means ∂L/∂W). Optimizers read `grad` and replace `value`.
 */
export class Param {
  grad: Matrix | null = null;

  constructor(
    readonly name: string,
    public value: Matrix,
    readonly regularizer: Regularizer | null = null,
  ) {}
}

/**
 * What every layer offers (chapter 04 forward, chapter 07 backward):
 *   forward(X) → A      computes the layer's output and keeps what backward needs
 *   backward(dA) → dX   given ∂L/∂A, stores ∂L/∂(each param) in param.grad, returns ∂L/∂X
 *                       (or, with { inputGradient: false }, skips dX and returns null)
 */
export interface Layer {
  readonly name: string;
  /** Creates the parameters for inputs with `inputDim` columns (if not created yet). */
  build(inputDim: number): void;
  forward(X: Matrix): Matrix;
  backward(dA: Matrix): Matrix;
  /** The same, skipping dX when no layer below needs it (the first layer of a model). */
  backward(dA: Matrix, options: { inputGradient: false }): null;
  params(): Param[];
  readonly outputDim: number;
  /** Number of trainable numbers, for summaries. */
  countParams(): number;
}
