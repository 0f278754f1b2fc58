import { Matrix } from "../matrix";

/**
 * The rows of X at `indices`, in that order, as a new [indices.length, n] matrix
 * (NumPy's X[indices]). Used to split and batch data; X is left as it was.
 * The callers check the indices, so this stays a plain copy.
 */
export function takeRows(X: Matrix, indices: ArrayLike<number>): Matrix {
  const n = X.cols;
  const out = new Matrix(indices.length, n);
  for (let r = 0; r < indices.length; r++) {
    const i = indices[r];
    out.data.set(X.data.subarray(i * n, (i + 1) * n), r * n);
  }
  return out;
}
