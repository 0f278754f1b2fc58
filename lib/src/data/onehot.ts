import { assertShape, ShapeError, ValueError } from "../errors";
import { Matrix } from "../matrix";

/**
 * Labels as the library keeps them (chapters 05 and 12). Sparse labels are one whole
 * number per example, a column y: [m, 1], the form sparse categorical cross-entropy takes.
 * One-hot labels are Y: [m, k], row i all zeros except a 1 in column yᵢ.
 *
 *   y = [[2], [0]], k = 3   ⇄   Y = [[0, 0, 1],
 *                                    [1, 0, 0]]
 */

/**
 * One-hot encoding:  Yᵢⱼ = 1 if yᵢ = j, else 0.   y: [m, 1] (or m numbers) → Y: [m, k].
 * Each label must be a whole number in [0, k).
 */
export function oneHot(labels: Matrix | ArrayLike<number>, numClasses: number): Matrix {
  const where = "oneHot";
  if (!Number.isInteger(numClasses) || numClasses < 1) {
    throw new ValueError(
      `${where}: expected numClasses (k) to be a whole number ≥ 1, got ${numClasses}. ` +
        "k is the number of classes, e.g. 10 for the digits 0–9.",
    );
  }
  if (labels instanceof Matrix) {
    assertShape(where, "y", labels.shape, ["m", 1],
      "Sparse labels are one column, one whole number per example. Is it one-hot already?");
  }
  const y = labels instanceof Matrix ? labels.data : labels;
  const Y = new Matrix(y.length, numClasses);
  for (let i = 0; i < y.length; i++) {
    const label = y[i];
    if (!Number.isInteger(label) || label < 0 || label >= numClasses) {
      throw new ValueError(
        `${where}: expected every label to be a whole number in [0, ${numClasses}), ` +
          `got ${label} at row ${i}. Labels are class indices 0, 1, …, k − 1; ` +
          "check numClasses, or map the classes to 0…k − 1 first.",
      );
    }
    Y.data[i * numClasses + label] = 1;
  }
  return Y;
}

/**
 * The column of the largest entry in each row:  ŷᵢ = argmaxⱼ Aᵢⱼ.   A: [m, k] → ŷ: [m, 1].
 * Turns predicted probabilities (or scores) into predicted labels. A tie goes to the
 * first column, as in tf.argMax and np.argmax.
 */
export function argmaxRows(A: Matrix): Matrix {
  const where = "argmaxRows";
  if (A.cols === 0) {
    throw new ShapeError(
      `${where}: expected A to have shape [m, k] with k ≥ 1, got [${A.rows}, 0]. ` +
        "Each row needs at least one column to pick from.",
    );
  }
  A.assertFinite(where, "A");
  const k = A.cols;
  const y = new Matrix(A.rows, 1);
  for (let i = 0; i < A.rows; i++) {
    let best = 0;
    for (let j = 1; j < k; j++) if (A.data[i * k + j] > A.data[i * k + best]) best = j;
    y.data[i] = best;
  }
  return y;
}

/**
 * Back from one-hot to sparse labels:  yᵢ = the j with Yᵢⱼ = 1.   Y: [m, k] → y: [m, 1].
 * Unlike argmaxRows, it insists every row is exactly one 1 and zeros, so a matrix of
 * probabilities passed by mistake is caught.
 */
export function fromOneHot(Y: Matrix): Matrix {
  const where = "fromOneHot";
  const k = Y.cols;
  if (k === 0) {
    throw new ShapeError(`${where}: expected Y to have shape [m, k] with k ≥ 1, got [${Y.rows}, 0].`);
  }
  const y = new Matrix(Y.rows, 1);
  for (let i = 0; i < Y.rows; i++) {
    const row = Y.data.subarray(i * k, (i + 1) * k);
    const ones = row.filter((v) => v === 1).length;
    const zeros = row.filter((v) => v === 0).length;
    if (ones !== 1 || zeros !== k - 1) {
      throw new ValueError(
        `${where}: expected row ${i} of Y to hold one 1 and ${k - 1} zero${k === 2 ? "" : "s"}, got ` +
          `[${Array.from(row).join(", ")}]. For probabilities or scores use argmaxRows(Ŷ).`,
      );
    }
    y.data[i] = row.indexOf(1);
  }
  return y;
}
