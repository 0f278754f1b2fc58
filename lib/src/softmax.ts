import type { Activation } from "./activation";
import { assertShape, ShapeError, ValueError } from "./errors";
import { Matrix } from "./matrix";

/**
 * Softmax, the output of a k-class classifier (chapter 05; its backward pass, chapter 07).
 * It turns each row of scores (logits) Z into probabilities that sum to 1:
 *
 *   softmax(Z)ᵢⱼ = exp(Zᵢⱼ) / Σₗ exp(Zᵢₗ)          Z, A: [m, k]
 *
 * Unlike sigmoid or ReLU it is not element-wise: every output of a row depends on the
 * whole row, which is why it lives here and not beside the element-wise activations.
 * Name and use as a network's output: J. S. Bridle, "Probabilistic interpretation of
 * feedforward classification network outputs, with relationships to statistical pattern
 * recognition", in Neurocomputing (F. Fogelman Soulié, J. Hérault, eds.), Springer, 1990.
 */

/** Rejects the Z that softmax cannot use: empty, or holding NaN / ±Infinity. */
function checkZ(where: string, Z: Matrix): void {
  if (Z.rows < 1 || Z.cols < 1) {
    throw new ShapeError(
      `${where}: expected Z to have shape [m, k] with m ≥ 1 and k ≥ 1, got [${Z.rows}, ${Z.cols}]. ` +
        "Each row of Z holds the k class scores of one example.",
    );
  }
  Z.assertFinite(where, "Z");
}

/**
 * Log-sum-exp (chapter 05), row by row:          Z: [m, k]  →  [m, 1]
 *   logSumExp(Z)ᵢ = log Σⱼ exp(Zᵢⱼ) = cᵢ + log Σⱼ exp(Zᵢⱼ − cᵢ),   cᵢ = maxⱼ Zᵢⱼ
 * Subtracting the row's largest score leaves the value unchanged (the cᵢ comes back outside
 * the log) but keeps every exp ≤ 1, so exp(1000) cannot overflow to Infinity.
 */
export function logSumExp(Z: Matrix): Matrix {
  checkZ("logSumExp", Z);
  const out = new Matrix(Z.rows, 1);
  for (let i = 0; i < Z.rows; i++) {
    const row = Z.data.subarray(i * Z.cols, (i + 1) * Z.cols);
    const c = Math.max(...row);
    let s = 0;
    for (const z of row) s += Math.exp(z - c);
    out.data[i] = c + Math.log(s);
  }
  return out;
}

/**
 * Log-softmax (chapter 05):  log softmax(Z)ᵢⱼ = Zᵢⱼ − log Σₗ exp(Zᵢₗ)      Z: [m, k] → [m, k]
 * The log-probabilities cross-entropy needs, without ever forming a probability that
 * could round to 0 (whose log would be −Infinity).
 */
export function logSoftmax(Z: Matrix): Matrix {
  checkZ("logSoftmax", Z);
  const lse = logSumExp(Z);
  return Z.map((z, i) => z - lse.data[i]);
}

function notElementwise(method: string): never {
  throw new ValueError(
    `softmax.${method}: softmax is not element-wise. Each output mixes the whole row of Z, ` +
      "so it cannot be applied to one number, and its derivative is a k×k Jacobian per row " +
      "(∂Aᵢⱼ/∂Zᵢₗ = Aᵢⱼ·(δⱼₗ − Aᵢₗ)), not one number per element. " +
      "Use softmax.f(Z) for A and softmax.backward(Z, A, dA) for dZ.",
  );
}

/**
 * Softmax as an Activation (chapter 05; backward, chapter 07), so that
 * `new Dense({ units: 10, activation: "softmax" })` works.
 *
 *   f(Z):  Aᵢⱼ = exp(Zᵢⱼ − cᵢ) / Σₗ exp(Zᵢₗ − cᵢ),   cᵢ = maxₗ Zᵢₗ (for stability; it cancels)
 *
 *   backward(Z, A, dA):  dZ = A ⊙ (dA − rowsum(dA ⊙ A))          Z, A, dA, dZ: [m, k]
 *     This is the row's Jacobian Jᵢ = diag(Aᵢ) − Aᵢᵀ·Aᵢ applied to dAᵢ (a vector-Jacobian
 *     product), written so the k×k matrix is never built.
 *
 * `fn`, `derivative` and `prime` throw: a whole row is needed, see `backward`.
 */
export const softmax: Activation = {
  name: "softmax",
  fn: () => notElementwise("fn"),
  derivative: () => notElementwise("derivative"),
  prime: () => notElementwise("prime"),
  f(Z: Matrix): Matrix {
    checkZ("softmax.f", Z);
    const A = new Matrix(Z.rows, Z.cols);
    for (let i = 0; i < Z.rows; i++) {
      const row = Z.data.subarray(i * Z.cols, (i + 1) * Z.cols);
      const c = Math.max(...row);
      const e = row.map((z) => Math.exp(z - c));
      const s = e.reduce((a, b) => a + b, 0);
      A.data.set(e.map((v) => v / s), i * Z.cols);
    }
    return A;
  },
  backward(Z: Matrix, A: Matrix, dA: Matrix): Matrix {
    checkZ("softmax.backward", Z);
    const hint = "Z, A = softmax(Z) and dA = ∂L/∂A all have the shape [m, k] of the layer's output.";
    assertShape("softmax.backward", "A", A.shape, Z.shape, hint);
    assertShape("softmax.backward", "dA", dA.shape, Z.shape, hint);
    dA.assertFinite("softmax.backward", "dA");
    const rowsum = dA.hadamard(A).matmul(Matrix.full(A.cols, 1, 1)); // (dA ⊙ A)·1: [m, 1]
    return dA.map((d, i, j) => A.data[i * A.cols + j] * (d - rowsum.data[i]));
  },
};
