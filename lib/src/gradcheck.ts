import { ShapeError } from "./errors";
import { Matrix } from "./matrix";

/**
 * Gradient checking (chapter 07): compare a gradient computed by backprop with one
 * computed from the definition of the derivative.
 *
 * Central difference, element by element:
 *   ∂f/∂xₖ ≈ (f(x + h·eₖ) − f(x − h·eₖ)) / 2h
 * Its truncation error is O(h²) and its rounding error about ε·|f|/h (ε ≈ 2.2e-16 in
 * float64), so h = 1e-5 balances the two near 1e-10 for well-scaled f.
 */
export function numericGradient(f: (X: Matrix) => number, X: Matrix, h = 1e-5): Matrix {
  const grad = new Matrix(X.rows, X.cols);
  for (let k = 0; k < X.size; k++) {
    const plus = new Matrix(X.rows, X.cols, X.data);
    const minus = new Matrix(X.rows, X.cols, X.data);
    plus.data[k] += h;
    minus.data[k] -= h;
    grad.data[k] = (f(plus) - f(minus)) / (2 * h);
  }
  return grad;
}

/** The derivative of a function of one number, by the same central difference. */
export function numericDerivative(f: (x: number) => number, x: number, h = 1e-5): number {
  return (f(x + h) - f(x - h)) / (2 * h);
}

/**
 * The relative error CS231n recommends for gradient checks:
 *   max over k of |aₖ − nₖ| / max(|aₖ| + |nₖ|, tiny)
 * Below 1e-7 is a pass for float64 with smooth functions; above 1e-4 is almost surely a bug.
 */
export function relativeError(analytic: Matrix, numeric: Matrix): number {
  if (analytic.rows !== numeric.rows || analytic.cols !== numeric.cols) {
    throw new ShapeError(
      `relativeError: the two gradients must have the same shape, got ` +
        `[${analytic.shape.join(", ")}] and [${numeric.shape.join(", ")}].`,
    );
  }
  let worst = 0;
  for (let k = 0; k < analytic.size; k++) {
    const a = analytic.data[k], n = numeric.data[k];
    worst = Math.max(worst, Math.abs(a - n) / Math.max(Math.abs(a) + Math.abs(n), 1e-12));
  }
  return worst;
}
