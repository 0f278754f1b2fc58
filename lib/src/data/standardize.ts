import { assertShape, ValueError } from "../errors";
import { Matrix } from "../matrix";

/**
 * Standardization (chapter 12): shift and scale each column (feature) of X to mean 0 and
 * standard deviation 1, with μ and σ learned from the training data only.
 *
 *   μⱼ = (1/m)·Σᵢ Xᵢⱼ                     μ: [1, n]
 *   σⱼ = √((1/m)·Σᵢ (Xᵢⱼ − μⱼ)²)          σ: [1, n]  (population, ddof 0)
 *   transform(X) = (X − μ) / σ            X: [m, n] → [m, n], row by row
 *   inverseTransform(Z) = Z ⊙ σ + μ
 *
 * This is scikit-learn's StandardScaler. Fit it on the training set, then transform the
 * training, validation and test sets with the same μ and σ: fitting on the test set would
 * let the model peek at data it is meant to be judged on.
 *
 * A constant column has σ = 0, and (x − μ)/0 would be NaN; like StandardScaler we use
 * σ = 1 there instead, so that column becomes all zeros. `constantColumns` lists them.
 */
export class Standardizer {
  private fitted: { mu: Matrix; sigma: Matrix; constant: number[] } | null = null; // set by fit()

  /** Learns μ and σ of each column of X [m, n]; returns this, so `new Standardizer().fit(X)` reads well. */
  fit(X: Matrix): this {
    const where = "Standardizer.fit";
    if (X.rows === 0 || X.cols === 0) {
      throw new ValueError(
        `${where}: expected X with at least one row and one column, got shape [${X.rows}, ${X.cols}]. ` +
          "Fit on the training examples, one row per example.",
      );
    }
    X.assertFinite(where, "X");
    const [m, n] = X.shape;
    const mu = X.sumRows().scale(1 / m);
    const sigma = new Matrix(1, n);
    const constant: number[] = [];
    for (let j = 0; j < n; j++) {
      let squares = 0, min = Infinity, max = -Infinity;
      for (let i = 0; i < m; i++) {
        const x = X.data[i * n + j];
        squares += (x - mu.data[j]) ** 2;
        min = Math.min(min, x);
        max = Math.max(max, x);
      }
      // Test "all values equal" directly: the computed σ of a constant column can come out
      // as a tiny rounding error instead of 0, and dividing by it would blow the column up.
      if (min === max) constant.push(j);
      sigma.data[j] = min === max ? 1 : Math.sqrt(squares / m);
    }
    this.fitted = { mu, sigma, constant };
    return this;
  }

  /** Z = (X − μ) / σ, with the μ and σ from fit(). X: [m, n] → Z: [m, n]. */
  transform(X: Matrix): Matrix {
    const { mu, sigma } = this.check("Standardizer.transform", "X", X);
    return X.map((x, _i, j) => (x - mu.data[j]) / sigma.data[j]);
  }

  /** fit(X), then transform(X): for the training set only. */
  fitTransform(X: Matrix): Matrix {
    return this.fit(X).transform(X);
  }

  /** X = Z ⊙ σ + μ, undoing transform(). Z: [m, n] → X: [m, n]. */
  inverseTransform(Z: Matrix): Matrix {
    const { mu, sigma } = this.check("Standardizer.inverseTransform", "Z", Z);
    return Z.map((z, _i, j) => z * sigma.data[j] + mu.data[j]);
  }

  /** μ [1, n]: each column's mean in the data given to fit(). */
  get mu(): Matrix {
    return this.check("Standardizer.mu").mu;
  }

  /** σ [1, n]: each column's standard deviation (ddof 0), with 1 for constant columns. */
  get sigma(): Matrix {
    return this.check("Standardizer.sigma").sigma;
  }

  /** The columns (0-based) whose values were all equal in fit(), and so got σ = 1. */
  get constantColumns(): number[] {
    return this.check("Standardizer.constantColumns").constant.slice();
  }

  private check(where: string, symbol?: string, M?: Matrix) {
    if (!this.fitted) {
      throw new ValueError(
        `${where}: the Standardizer has not been fitted yet. ` +
          "Call fit(XTrain) first, so μ and σ come from the training data.",
      );
    }
    if (symbol && M) {
      const n = this.fitted.mu.cols;
      assertShape(where, symbol, M.shape, ["m", n],
        `fit() saw ${n} columns (features); every matrix it transforms needs the same columns.`);
      M.assertFinite(where, symbol);
    }
    return this.fitted;
  }
}
