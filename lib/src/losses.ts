import { assertShape, formatPosition, lookUp, ShapeError, ValueError } from "./errors";
import { Matrix } from "./matrix";
import { logSoftmax, softmax } from "./softmax";

/**
 * A loss L(Y, Ŷ), averaged over the batch (chapter 05), and its gradient dŶ = ∂L/∂Ŷ, where
 * backpropagation starts (chapter 07).   Y: targets [m, k]   Ŷ: predictions [m, k]
 * In code Ŷ is spelled `Yhat`. Values and gradients are those of the TensorFlow.js loss of
 * the same name (tfjs-layers' losses, averaged over the m examples as model.fit does).
 */
export interface Loss {
  readonly name: string;
  loss(Y: Matrix, Yhat: Matrix): number;
  grad(Y: Matrix, Yhat: Matrix): Matrix;
  /** Both at once, for a training step that needs both (optional for losses you write). */
  lossAndGrad?(Y: Matrix, Yhat: Matrix): LossAndGrad;
}

/** Keras's ε (chapter 05): cross-entropy clips probabilities to [ε, 1 − ε] so that log never sees 0. */
export const EPSILON = 1e-7;

const clip = (p: number) => Math.min(Math.max(p, EPSILON), 1 - EPSILON);
// tfjs's clip passes the gradient only where ε ≤ p ≤ 1 − ε; outside it the loss is flat.
const inside = (p: number) => p >= EPSILON && p <= 1 - EPSILON;

/** Ŷ non-empty and finite. */
function checkYhat(where: string, Yhat: Matrix): void {
  if (Yhat.rows < 1 || Yhat.cols < 1) {
    throw new ShapeError(
      `${where}: expected Ŷ to have shape [m, k] with m ≥ 1 and k ≥ 1, got [${Yhat.rows}, ${Yhat.cols}]. ` +
        "A loss is an average over examples, so it needs at least one.",
    );
  }
  Yhat.assertFinite(where, "Ŷ");
}

/** Ŷ non-empty, Y of the same shape, both finite. */
function checkYhatAndY(where: string, Y: Matrix, Yhat: Matrix): void {
  checkYhat(where, Yhat);
  assertShape(where, "Y", Y.shape, Yhat.shape,
    "Y and Ŷ hold one row per example and one column per output, so their shapes must match.");
  Y.assertFinite(where, "Y");
}

function checkRange(where: string, symbol: string, M: Matrix, lo: number, hi: number, hint: string): void {
  const range = hi === Infinity ? `≥ ${lo}` : `in [${lo}, ${hi}]`;
  M.data.forEach((v, k) => {
    if (v < lo || v > hi) {
      throw new ValueError(
        `${where}: expected ${symbol} to hold values ${range}, got ${v} at ${formatPosition(k, M.cols)}. ${hint}`,
      );
    }
  });
}

/** The loss value L and the gradient dŶ, computed together since they share most of the work. */
export type LossAndGrad = { L: number; dYhat: Matrix };

/** A Loss whose `loss` and `grad` come from one computation; `where` names the caller in errors. */
function lossFrom(name: string, compute: (where: string, Y: Matrix, Yhat: Matrix) => LossAndGrad): Loss {
  return {
    name,
    loss: (Y, Yhat) => compute(`${name}.loss`, Y, Yhat).L,
    grad: (Y, Yhat) => compute(`${name}.grad`, Y, Yhat).dYhat,
    lossAndGrad: (Y, Yhat) => compute(`${name}.lossAndGrad`, Y, Yhat),
  };
}

/**
 * Mean squared error, the Keras / TensorFlow.js convention (chapter 05, regression):
 *   L = 1/n · Σ (Ŷ − Y)²      dŶ = 2·(Ŷ − Y)/n      n = m·k, the number of elements
 */
export const meanSquaredError = lossFrom("meanSquaredError", (where, Y, Yhat) => {
  checkYhatAndY(where, Y, Yhat);
  const E = Yhat.sub(Y);
  return { L: E.hadamard(E).mean(), dYhat: E.scale(2 / E.size) };
});

/**
 * Half mean squared error, the course's convention (chapter 05):
 *   L = ½ · 1/n · Σ (Ŷ − Y)²      dŶ = (Ŷ − Y)/n
 * The ½ cancels the 2 of the derivative, so its gradient is exactly half of meanSquaredError's.
 */
export const halfMeanSquaredError = lossFrom("halfMeanSquaredError", (where, Y, Yhat) => {
  checkYhatAndY(where, Y, Yhat);
  const E = Yhat.sub(Y);
  return { L: E.hadamard(E).mean() / 2, dYhat: E.scale(1 / E.size) };
});

/**
 * Binary cross-entropy (chapter 05; chapter 09's classifier), Y ∈ [0, 1], Ŷ ∈ [0, 1] from a sigmoid:
 *   P = clip(Ŷ, ε, 1 − ε)     L = −1/n · Σ [Y·log P + (1 − Y)·log(1 − P)]     n = m·k
 *   dŶ = (P − Y) / (P·(1 − P)) / n  where ε ≤ Ŷ ≤ 1 − ε, and 0 where the clip is active.
 */
export const binaryCrossentropy = lossFrom("binaryCrossentropy", (where, Y, Yhat) => {
  checkYhatAndY(where, Y, Yhat);
  checkRange(where, "Y", Y, 0, 1, "Binary targets are 0 or 1 (or a probability between).");
  checkRange(where, "Ŷ", Yhat, 0, 1,
    "Ŷ must be probabilities, such as a sigmoid layer's output; apply sigmoid to raw scores first.");
  const n = Yhat.size;
  const P = Yhat.map(clip);
  const losses = P.zip(Y, (p, y) => -(y * Math.log(p) + (1 - y) * Math.log(1 - p)));
  const dYhat = Yhat.map((yhat, i, j) => {
    const p = P.get(i, j), y = Y.get(i, j);
    return inside(yhat) ? (p - y) / (p * (1 - p)) / n : 0;
  });
  return { L: losses.mean(), dYhat };
});

/** Ŷ ≥ 0 everywhere and, when `rowsNeedMass`, every row with a positive sum to divide by. */
function checkProbabilities(where: string, Yhat: Matrix, rowsNeedMass: boolean): void {
  checkRange(where, "Ŷ", Yhat, 0, Infinity,
    "Ŷ must be probabilities, such as a softmax layer's output; " +
      "for raw scores (logits) pass { fromLogits: true }.");
  if (!rowsNeedMass) return;
  for (let i = 0; i < Yhat.rows; i++) {
    if (Yhat.data.subarray(i * Yhat.cols, (i + 1) * Yhat.cols).every((p) => p === 0)) {
      throw new ValueError(
        `${where}: expected every row of Ŷ to have a positive sum, got all zeros in row ${i}. ` +
          "Each row is divided by its sum to make the probabilities add up to 1.",
      );
    }
  }
}

/**
 * Cross-entropy of probability rows P, as tfjs-layers computes it: rows are normalised, then clipped.
 *   sᵢ = Σⱼ Pᵢⱼ    Qᵢⱼ = Pᵢⱼ / sᵢ    C = clip(Q, ε, 1 − ε)    L = −1/m · Σᵢ Σⱼ Yᵢⱼ·log Cᵢⱼ
 *   Gᵢⱼ = −Yᵢⱼ / Cᵢⱼ where ε ≤ Qᵢⱼ ≤ 1 − ε, else 0          (m·∂L/∂Q)
 *   dPᵢⱼ = (Gᵢⱼ − Σₗ Gᵢₗ·Qᵢₗ) / (sᵢ·m)                      (quotient rule through Q = P / s)
 */
function crossentropyOfProbabilities(Y: Matrix, P: Matrix): LossAndGrad {
  const [m, k] = P.shape;
  const dP = new Matrix(m, k);
  let total = 0;
  for (let i = 0; i < m; i++) {
    const p = P.data.subarray(i * k, (i + 1) * k), y = Y.data.subarray(i * k, (i + 1) * k);
    const s = p.reduce((a, b) => a + b, 0);
    const q = p.map((v) => v / s);
    const G = q.map((qj, j) => (inside(qj) ? -y[j] / clip(qj) : 0));
    total -= q.reduce((acc, qj, j) => acc + y[j] * Math.log(clip(qj)), 0);
    const GQ = G.reduce((acc, g, j) => acc + g * q[j], 0);
    dP.data.set(G.map((g) => (g - GQ) / (s * m)), i * k);
  }
  return { L: total / m, dYhat: dP };
}

/**
 * Cross-entropy of logits Z, with softmax folded in through log-sum-exp (no clipping needed):
 *   L = −1/m · Σᵢ Σⱼ Yᵢⱼ·log softmax(Z)ᵢⱼ = 1/m · Σᵢ Σⱼ Yᵢⱼ·(logSumExp(Zᵢ) − Zᵢⱼ)
 *   dZ = (softmax(Z) ⊙ rowsum(Y) − Y) / m,   which is (softmax(Z) − Y)/m when rows of Y sum to 1.
 */
function crossentropyOfLogits(Y: Matrix, Z: Matrix): LossAndGrad {
  const m = Z.rows;
  const rowsumY = Y.matmul(Matrix.full(Y.cols, 1, 1));
  const dZ = softmax.f(Z).map((a, i, j) => (a * rowsumY.data[i] - Y.get(i, j)) / m);
  return { L: -Y.hadamard(logSoftmax(Z)).sum() / m, dYhat: dZ };
}

export interface CrossentropyOptions {
  /** true when Ŷ holds raw scores (logits) Z instead of probabilities; softmax is then part of the loss. */
  fromLogits?: boolean;
}

/** What the two categorical losses share: the fromLogits option, and loss/grad from one computation. */
abstract class Crossentropy implements Loss {
  abstract readonly name: string;
  readonly fromLogits: boolean;

  constructor(options: CrossentropyOptions = {}) {
    this.fromLogits = options.fromLogits ?? false;
  }

  loss(Y: Matrix, Yhat: Matrix): number {
    return this.compute(`${this.name}.loss`, Y, Yhat).L;
  }

  grad(Y: Matrix, Yhat: Matrix): Matrix {
    return this.compute(`${this.name}.grad`, Y, Yhat).dYhat;
  }

  lossAndGrad(Y: Matrix, Yhat: Matrix): LossAndGrad {
    return this.compute(`${this.name}.lossAndGrad`, Y, Yhat);
  }

  protected abstract compute(where: string, Y: Matrix, Yhat: Matrix): LossAndGrad;
}

/**
 * Categorical cross-entropy (chapter 05; the MNIST classifier of chapter 13).
 * Y: one-hot (or probability) rows [m, k].  Ŷ: a softmax's output [m, k], or logits with fromLogits.
 *   L = −1/m · Σᵢ Σⱼ Yᵢⱼ·log Ŷᵢⱼ     (Ŷ's rows normalised to sum 1, then clipped to [ε, 1 − ε])
 * With fromLogits, L = 1/m · Σᵢ Σⱼ Yᵢⱼ·(logSumExp(Zᵢ) − Zᵢⱼ) and dZ = (softmax(Z) − Y)/m.
 * tfjs-layers instead clips softmax(Z), capping each example's loss at −log ε ≈ 16.1;
 * tf.losses.softmaxCrossEntropy agrees with ours.
 */
export class CategoricalCrossentropy extends Crossentropy {
  readonly name = "categoricalCrossentropy";

  protected compute(where: string, Y: Matrix, Yhat: Matrix) {
    checkYhatAndY(where, Y, Yhat);
    checkRange(where, "Y", Y, 0, 1,
      "Each row of Y is one-hot (or a probability distribution) over the classes.");
    if (this.fromLogits) return crossentropyOfLogits(Y, Yhat);
    checkProbabilities(where, Yhat, true);
    return crossentropyOfProbabilities(Y, Yhat);
  }
}

/**
 * Sparse categorical cross-entropy (chapters 05, 13): categorical cross-entropy with the
 * labels as class indices, Y: [m, 1] holding c ∈ {0, …, k − 1}, instead of one-hot rows:
 *   L = −1/m · Σᵢ log Ŷᵢ,Yᵢ
 * Like tfjs-layers it clips Ŷ to [ε, 1 − ε] both before and after normalising the rows.
 */
export class SparseCategoricalCrossentropy extends Crossentropy {
  readonly name = "sparseCategoricalCrossentropy";

  protected compute(where: string, Y: Matrix, Yhat: Matrix) {
    checkYhat(where, Yhat);
    const k = Yhat.cols;
    assertShape(where, "Y", Y.shape, [Yhat.rows, 1],
      "Sparse labels are one class index per example, a column [m, 1]; " +
        "for one-hot rows use categoricalCrossentropy.");
    Y.data.forEach((c, i) => {
      if (!(Number.isInteger(c) && c >= 0 && c < k)) {
        throw new ValueError(
          `${where}: expected the label in row ${i} of Y to be a class index, a whole number in [0, ${k}), ` +
            `got ${c}. Ŷ has ${k} columns, one per class.`,
        );
      }
    });
    const oneHot = Yhat.map((_, i, j) => (j === Y.data[i] ? 1 : 0));
    if (this.fromLogits) return crossentropyOfLogits(oneHot, Yhat);
    checkProbabilities(where, Yhat, false);
    const { L, dYhat } = crossentropyOfProbabilities(oneHot, Yhat.map(clip));
    return { L, dYhat: dYhat.map((d, i, j) => (inside(Yhat.get(i, j)) ? d : 0)) };
  }
}

export const categoricalCrossentropy = new CategoricalCrossentropy();
export const sparseCategoricalCrossentropy = new SparseCategoricalCrossentropy();

/** The losses of chapter 05 by their Keras / TensorFlow.js names, plus the course's halfMeanSquaredError. */
export const losses = {
  meanSquaredError,
  halfMeanSquaredError,
  binaryCrossentropy,
  categoricalCrossentropy,
  sparseCategoricalCrossentropy,
} as const;

export type LossName = keyof typeof losses;

/** Looks a loss up by name, as `model.compile({ loss: "binaryCrossentropy" })` does. */
export function getLoss(loss: LossName | Loss): Loss {
  if (typeof loss !== "string") return loss;
  return lookUp<Loss>("getLoss", "loss", losses, loss);
}
