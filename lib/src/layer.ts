import { Matrix } from "./matrix";

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
 * loss with respect to it (dW means ∂L/∂W). Optimizers read `grad` and update `value`.
 *
 * A Matrix read from `value` keeps its numbers: a copy of W taken before a step still holds
 * the old W afterwards. Adam updates W in place to save a new matrix every step, so the
 * Param copies W first only when `value` was read since the last step (copy on write):
 * a snapshot costs one copy, and steps nobody looked at between cost none. The layers read
 * W through peek(), which hands nothing out.
 */
export class Param {
  grad: Matrix | null = null;
  private current: Matrix;
  private handedOut = true; // true when someone may hold `current`: the next in-place step copies it

  constructor(
    readonly name: string,
    value: Matrix,
    readonly regularizer: Regularizer | null = null,
  ) {
    this.current = value;
  }

  /** The value; whoever reads it may keep it, and later steps leave it as it is. */
  get value(): Matrix {
    this.handedOut = true;
    return this.current;
  }

  set value(M: Matrix) {
    this.current = M;
    this.handedOut = true; // the caller holds M
  }

  /** The value for use now, within one step (a layer's forward and backward): not kept. */
  peek(): Matrix {
    return this.current;
  }

  /**
   * The value's numbers, for an optimizer to overwrite in place: copied first (a new
   * Matrix becomes the value) when the current one was handed out since the last step.
   */
  writable(): Float64Array {
    if (this.handedOut) {
      this.current = Matrix.wrap(this.current.rows, this.current.cols, this.current.data.slice());
      this.handedOut = false;
    }
    return this.current.data;
  }
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
