import { assertShape, ValueError } from "./errors";
import type { Matrix } from "./matrix";

/**
 * Metrics (chapters 09 and 13): numbers reported during training that are not optimized.
 * Each takes targets Y and predictions Ŷ of the same batch and returns a mean over examples.
 */
export type Metric = (Y: Matrix, Yhat: Matrix) => number;

/** Binary accuracy: the share of entries where (ŷ > 0.5) equals y, as Keras counts it. */
export const binaryAccuracy: Metric = (Y, Yhat) => {
  check("binaryAccuracy", Y, Yhat, Yhat.cols);
  let hits = 0;
  for (let k = 0; k < Yhat.size; k++) if ((Yhat.data[k] > 0.5 ? 1 : 0) === Y.data[k]) hits++;
  return hits / Yhat.size;
};

/** Categorical accuracy: the share of rows where argmax Ŷ equals argmax Y (Y one-hot). */
export const categoricalAccuracy: Metric = (Y, Yhat) => {
  check("categoricalAccuracy", Y, Yhat, Yhat.cols);
  let hits = 0;
  for (let i = 0; i < Yhat.rows; i++) if (argmaxRow(Yhat, i) === argmaxRow(Y, i)) hits++;
  return hits / Yhat.rows;
};

/** Sparse categorical accuracy: Y is a [m, 1] column of class indices. */
export const sparseCategoricalAccuracy: Metric = (Y, Yhat) => {
  check("sparseCategoricalAccuracy", Y, Yhat, 1);
  let hits = 0;
  for (let i = 0; i < Yhat.rows; i++) if (argmaxRow(Yhat, i) === Y.data[i]) hits++;
  return hits / Yhat.rows;
};

/** Mean squared error as a metric: 1/n·Σ(ŷ − y)². */
export const mse: Metric = (Y, Yhat) => {
  check("mse", Y, Yhat, Yhat.cols);
  let s = 0;
  for (let k = 0; k < Yhat.size; k++) s += (Yhat.data[k] - Y.data[k]) ** 2;
  return s / Yhat.size;
};

/** Mean absolute error: 1/n·Σ|ŷ − y|. */
export const mae: Metric = (Y, Yhat) => {
  check("mae", Y, Yhat, Yhat.cols);
  let s = 0;
  for (let k = 0; k < Yhat.size; k++) s += Math.abs(Yhat.data[k] - Y.data[k]);
  return s / Yhat.size;
};

/**
 * "accuracy" means a different count for each loss, as in Keras: binary for binary
 * cross-entropy, argmax for categorical, index-vs-argmax for sparse labels.
 */
export function getMetric(name: string, lossName: string): Metric {
  if (name === "accuracy" || name === "acc") {
    if (lossName === "binaryCrossentropy") return binaryAccuracy;
    if (lossName === "sparseCategoricalCrossentropy") return sparseCategoricalAccuracy;
    return categoricalAccuracy;
  }
  const found = ({ binaryAccuracy, categoricalAccuracy, sparseCategoricalAccuracy, mse, mae } as Record<string, Metric>)[name];
  if (!found) {
    throw new ValueError(
      `getMetric: unknown metric "${name}". Expected "accuracy", "binaryAccuracy", ` +
        `"categoricalAccuracy", "sparseCategoricalAccuracy", "mse" or "mae".`,
    );
  }
  return found;
}

function argmaxRow(M: Matrix, i: number): number {
  let best = 0;
  for (let j = 1; j < M.cols; j++) if (M.data[i * M.cols + j] > M.data[i * M.cols + best]) best = j;
  return best;
}

function check(where: string, Y: Matrix, Yhat: Matrix, yCols: number): void {
  assertShape(where, "Y", Y.shape, [Yhat.rows, yCols], "Y holds one target row per prediction row.");
  if (Yhat.rows === 0) throw new ValueError(`${where}: there are no examples to score.`);
}
