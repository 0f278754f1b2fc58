import { ValueError } from "./errors";
import type { Regularizer } from "./layer";
import type { Matrix } from "./matrix";

/**
 * Weight penalties (chapter 11). A layer with kernelRegularizer R trains on
 *   L_total = L + R(W)      so      dW = ∂L/∂W + ∂R/∂W
 * and Dense.backward adds R.grad(W) to dW for you.
 *
 * Two conventions for the L2 penalty, a factor of 2 apart:
 *   l2(λ)      R = λ·Σ w²       ∂R/∂W = 2λ·W    Keras and TensorFlow.js (tf.regularizers.l2)
 *   halfL2(λ)  R = ½λ·Σ w²      ∂R/∂W = λ·W     the course's "weight decay"
 * so halfL2(2λ) is the same penalty as l2(λ). With halfL2 a gradient step reads
 *   W ← W − η·(∂L/∂W + λ·W) = (1 − ηλ)·W − η·∂L/∂W,
 * the weights shrink by the factor (1 − ηλ) each step: that is where "decay" comes from.
 */

/**
 * L2 as Keras and TensorFlow.js (chapter 11; Krogh & Hertz 1992):
 *   R = λ·Σ w²      ∂R/∂W = 2λ·W
 * Default λ = 0.01, as tf.regularizers.l2.
 */
export function l2(lambda = 0.01): Regularizer {
  checkLambda("l2", "lambda (λ)", lambda);
  const name = `l2(${lambda})`;
  return {
    name,
    loss: (W) => lambda * sumOf(`${name}.loss`, W, (w) => w * w),
    grad: (W) => checked(`${name}.grad`, W).scale(2 * lambda),
  };
}

/**
 * L1 as TensorFlow.js (chapter 11; the lasso, Tibshirani 1996):
 *   R = λ·Σ |w|      ∂R/∂W = λ·sign(W)
 * It pushes every weight towards 0 by the same amount, so small weights reach 0: L1 makes W
 * sparse. Default λ = 0.01, as tf.regularizers.l1. At w = 0 exactly, |w| has no derivative
 * and any number in [−λ, λ] will do; we take 0, as TensorFlow for Python and PyTorch do, so a
 * weight at 0 stays there. tfjs's tf.grad of |w| gives −λ at 0 instead; elsewhere they agree.
 */
export function l1(lambda = 0.01): Regularizer {
  checkLambda("l1", "lambda (λ)", lambda);
  const name = `l1(${lambda})`;
  return {
    name,
    loss: (W) => lambda * sumOf(`${name}.loss`, W, Math.abs),
    grad: (W) => checked(`${name}.grad`, W).map((w) => lambda * Math.sign(w)),
  };
}

/**
 * Both at once (chapter 11), as tf.regularizers.l1l2({ l1, l2 }):
 *   R = λ₁·Σ |w| + λ₂·Σ w²      ∂R/∂W = λ₁·sign(W) + 2λ₂·W
 * Defaults λ₁ = λ₂ = 0.01, as TensorFlow.js.
 */
export function l1l2(lambda1 = 0.01, lambda2 = 0.01): Regularizer {
  checkLambda("l1l2", "lambda1 (λ₁)", lambda1);
  checkLambda("l1l2", "lambda2 (λ₂)", lambda2);
  const name = `l1l2(${lambda1}, ${lambda2})`;
  return {
    name,
    loss: (W) => lambda1 * sumOf(`${name}.loss`, W, Math.abs) + lambda2 * sumOf(`${name}.loss`, W, (w) => w * w),
    grad: (W) => checked(`${name}.grad`, W).map((w) => lambda1 * Math.sign(w) + 2 * lambda2 * w),
  };
}

/**
 * The course's L2, "weight decay" (chapter 11; Krogh & Hertz 1992):
 *   R = ½λ·Σ w²      ∂R/∂W = λ·W
 * The ½ cancels the 2 from differentiating w², which is why textbooks prefer it;
 * halfL2(λ) is the same penalty as l2(λ/2).
 */
export function halfL2(lambda: number): Regularizer {
  checkLambda("halfL2", "lambda (λ)", lambda);
  const name = `halfL2(${lambda})`;
  return {
    name,
    loss: (W) => 0.5 * lambda * sumOf(`${name}.loss`, W, (w) => w * w),
    grad: (W) => checked(`${name}.grad`, W).scale(lambda),
  };
}

function checkLambda(where: string, symbol: string, lambda: number): void {
  if (!(typeof lambda === "number" && Number.isFinite(lambda) && lambda >= 0)) {
    throw new ValueError(
      `${where}: expected ${symbol} to be a finite number ≥ 0, got ${lambda}. ` +
        `λ sets how strongly large weights are penalized; 0 turns the penalty off, 1e-4 to 1e-2 is usual.`,
    );
  }
}

/** W, after checking that it holds only finite numbers (a NaN would spread into dW). */
function checked(where: string, W: Matrix): Matrix {
  return W.assertFinite(where, "W",
    "Weights turn NaN or infinite when training diverges; try a smaller learningRate.");
}

/** Σ f(w) over every entry of W. */
function sumOf(where: string, W: Matrix, f: (w: number) => number): number {
  let total = 0;
  for (const w of checked(where, W).data) total += f(w);
  return total;
}
