import { argmaxRows } from "./data/onehot";
import { assertExamples, assertShape, lookUp } from "./errors";
import type { Matrix } from "./matrix";

/**
 * Metrics (chapters 09 and 13): numbers reported during training that are not optimized.
 * Each takes targets Y and predictions Ŷ of the same batch and returns a mean over examples,
 * as tf.metrics' function of the same name averaged over the batch.
 */
export type Metric = (Y: Matrix, Yhat: Matrix) => number;

/**
 * Binary accuracy: the share of entries where (ŷ > 0.5) equals y, as Keras and tfjs count it.
 *   Y, Ŷ: [m, k]   (k = 1 for one yes/no output; k > 1 counts every entry, as for multi-label)
 */
export const binaryAccuracy: Metric = (Y, Yhat) => {
  check("binaryAccuracy", Y, Yhat, Yhat.cols);
  let hits = 0;
  for (let k = 0; k < Yhat.size; k++) if ((Yhat.data[k] > 0.5 ? 1 : 0) === Y.data[k]) hits++;
  return hits / Yhat.size;
};

/** Categorical accuracy: the share of rows where argmax Ŷ equals argmax Y (Y one-hot). */
export const categoricalAccuracy: Metric = (Y, Yhat) => {
  check("categoricalAccuracy", Y, Yhat, Yhat.cols);
  return shareEqual(argmaxRows(Yhat), argmaxRows(Y));
};

/** Sparse categorical accuracy: the share of rows where argmax Ŷ equals y, a [m, 1] column of class indices. */
export const sparseCategoricalAccuracy: Metric = (Y, Yhat) => {
  check("sparseCategoricalAccuracy", Y, Yhat, 1);
  return shareEqual(argmaxRows(Yhat), Y);
};

/** Mean squared error as a metric: 1/n·Σ(ŷ − y)²,  n = m·k. */
export const mse: Metric = (Y, Yhat) => {
  check("mse", Y, Yhat, Yhat.cols);
  let s = 0;
  for (let k = 0; k < Yhat.size; k++) s += (Yhat.data[k] - Y.data[k]) ** 2;
  return s / Yhat.size;
};

/** Mean absolute error: 1/n·Σ|ŷ − y|,  n = m·k. */
export const mae: Metric = (Y, Yhat) => {
  check("mae", Y, Yhat, Yhat.cols);
  let s = 0;
  for (let k = 0; k < Yhat.size; k++) s += Math.abs(Yhat.data[k] - Y.data[k]);
  return s / Yhat.size;
};

/** The metrics by the names tfjs-layers' model.compile({ metrics }) knows them. */
export const metrics = { binaryAccuracy, categoricalAccuracy, sparseCategoricalAccuracy, mse, mae } as const;

export type MetricName = keyof typeof metrics | "accuracy" | "acc";

/**
 * What Keras and tfjs-layers mean by "accuracy" (or "acc") for a model trained with `lossName`,
 * decided in this order, as tfjs-layers' model.compile decides it:
 *   one output unit (Ŷ: [m, 1]) or binaryCrossentropy  →  binaryAccuracy (ŷ > 0.5 means class 1)
 *   sparseCategoricalCrossentropy                       →  sparseCategoricalAccuracy
 *   anything else                                       →  categoricalAccuracy (argmax)
 * So a single sigmoid unit counts ŷ > 0.5 whatever its loss (MSE too); argmax of one column
 * would always be 0 and call every example with y = 0 right. The output units are read from Ŷ
 * when the metric runs, so a model may be compiled before its last layer is added.
 */
export function accuracyFor(lossName: string): Metric {
  return (Y, Yhat) => {
    if (Yhat.cols === 1 || lossName === "binaryCrossentropy") return binaryAccuracy(Y, Yhat);
    if (lossName === "sparseCategoricalCrossentropy") return sparseCategoricalAccuracy(Y, Yhat);
    return categoricalAccuracy(Y, Yhat);
  };
}

/**
 * A metric by name, as `model.compile({ metrics: ["accuracy"] })` looks it up: "accuracy" and
 * "acc" as accuracyFor(lossName) says, any other name from `metrics`.
 */
// `string & {}` lets any spelling through to lookUp's check while editors still offer the names.
export function getMetric(name: MetricName | (string & {}), lossName = ""): Metric {
  const accuracy = accuracyFor(lossName);
  return lookUp<Metric>("getMetric", "metric", { accuracy, acc: accuracy, ...metrics }, name);
}

/** The share of rows where the columns a and b, both [m, 1], hold the same number. */
function shareEqual(a: Matrix, b: Matrix): number {
  let hits = 0;
  for (let i = 0; i < a.rows; i++) if (a.data[i] === b.data[i]) hits++;
  return hits / a.rows;
}

/** Y of the shape [m, yCols] that goes with Ŷ: [m, k], and at least one example to score. */
function check(where: string, Y: Matrix, Yhat: Matrix, yCols: number): void {
  assertShape(where, "Y", Y.shape, [Yhat.rows, yCols], "Y holds one target row per prediction row.");
  assertExamples(where, Yhat.shape, null, { x: "Ŷ", hint: "There is nothing to score." });
}
