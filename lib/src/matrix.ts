import { inspect } from "node:util";
import { assertFinite, assertShape, formatPosition, ShapeError, ValueError } from "./errors";
import { fastKernels } from "./backend";
import { gemm, mostlyZeros } from "./kernels";

/**
 * A dense 2-D array of numbers, stored row by row in a Float64Array (chapter 02).
 *
 *   X: [m, n]   m rows (one example each), n columns (one feature each)
 *
 * Every operation returns a new Matrix; no method changes the matrix it is called on,
 * nor its arguments. A vector is a matrix with one row ([1, n]) or one column ([m, 1]).
 */
export class Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;

  constructor(rows: number, cols: number, data?: ArrayLike<number>) {
    if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
      throw new ShapeError(
        `Matrix: expected a shape of two whole numbers ≥ 0, got [${rows}, ${cols}].`,
      );
    }
    if (data && data.length !== rows * cols) {
      throw new ShapeError(
        `Matrix: a [${rows}, ${cols}] matrix needs ${rows * cols} numbers, got ${data.length}.`,
      );
    }
    this.rows = rows;
    this.cols = cols;
    this.data = Matrix.handedOver ?? (data ? Float64Array.from(data) : new Float64Array(rows * cols));
  }

  /**
   * A matrix over `data` itself, not a copy: for the library's own kernels, which hand over
   * an array they just filled and never touch again.
   */
  static wrap(rows: number, cols: number, data: Float64Array): Matrix {
    Matrix.handedOver = data;
    try {
      return new Matrix(rows, cols, data);
    } finally {
      Matrix.handedOver = null;
    }
  }

  private static handedOver: Float64Array | null = null; // set only while wrap() constructs

  /** Builds a matrix from nested arrays: `Matrix.from([[1, 2], [3, 4]])` is [2, 2]. */
  static from(values: readonly (readonly number[])[]): Matrix {
    const rows = values.length;
    const cols = rows ? values[0].length : 0;
    values.forEach((row, i) => {
      if (row.length !== cols) {
        throw new ShapeError(
          `Matrix.from: expected every row to have ${cols} numbers (like row 0), ` +
            `got ${row.length} in row ${i}.`,
        );
      }
    });
    return new Matrix(rows, cols, values.flat());
  }

  /** A one-row matrix [1, n] holding `values`. */
  static row(values: ArrayLike<number>): Matrix {
    return new Matrix(1, values.length, values);
  }

  /** A one-column matrix [m, 1] holding `values`. */
  static column(values: ArrayLike<number>): Matrix {
    return new Matrix(values.length, 1, values);
  }

  static zeros(rows: number, cols: number): Matrix {
    return new Matrix(rows, cols);
  }

  static full(rows: number, cols: number, value: number): Matrix {
    return new Matrix(rows, cols).map(() => value);
  }

  /** `count` evenly spaced numbers from `start` to `stop`, as a column [count, 1]. */
  static linspace(start: number, stop: number, count: number): Matrix {
    if (!Number.isInteger(count) || count < 0) {
      throw new ValueError(`Matrix.linspace: expected count to be a whole number ≥ 0, got ${count}.`);
    }
    const step = count > 1 ? (stop - start) / (count - 1) : 0;
    return Matrix.column(Array.from({ length: count }, (_, i) => start + i * step));
  }

  get shape(): [number, number] {
    return [this.rows, this.cols];
  }

  get size(): number {
    return this.data.length;
  }

  get(i: number, j: number): number {
    if (!(Number.isInteger(i) && Number.isInteger(j) && i >= 0 && i < this.rows && j >= 0 && j < this.cols)) {
      throw new ShapeError(
        `Matrix.get: index (${i}, ${j}) is outside a matrix of shape [${this.rows}, ${this.cols}].`,
      );
    }
    return this.data[i * this.cols + j];
  }

  /** Row i as a new [1, cols] matrix. */
  getRow(i: number): Matrix {
    if (!(Number.isInteger(i) && i >= 0 && i < this.rows)) {
      throw new ShapeError(`Matrix.getRow: row ${i} is outside a matrix with ${this.rows} rows.`);
    }
    return Matrix.row(this.data.subarray(i * this.cols, (i + 1) * this.cols));
  }

  toArray(): number[][] {
    return Array.from({ length: this.rows }, (_, i) =>
      Array.from(this.data.subarray(i * this.cols, (i + 1) * this.cols)),
    );
  }

  /** Applies f to every element: f(value, i, j). */
  map(f: (value: number, i: number, j: number) => number): Matrix {
    const out = new Matrix(this.rows, this.cols);
    for (let i = 0, k = 0; i < this.rows; i++) {
      for (let j = 0; j < this.cols; j++, k++) out.data[k] = f(this.data[k], i, j);
    }
    return out;
  }

  /** Combines two matrices of the same shape element by element: f(aᵢⱼ, bᵢⱼ). */
  zip(other: Matrix, f: (a: number, b: number) => number, where = "Matrix.zip"): Matrix {
    assertShape(where, "the second matrix", other.shape, this.shape,
      "Element-wise operations need both matrices to have the same shape.");
    const out = new Matrix(this.rows, this.cols);
    for (let k = 0; k < this.data.length; k++) out.data[k] = f(this.data[k], other.data[k]);
    return out;
  }

  add(other: Matrix): Matrix {
    return this.zip(other, (a, b) => a + b, "Matrix.add");
  }

  sub(other: Matrix): Matrix {
    return this.zip(other, (a, b) => a - b, "Matrix.sub");
  }

  /** Element-wise (Hadamard) product A ⊙ B. */
  hadamard(other: Matrix): Matrix {
    return this.zip(other, (a, b) => a * b, "Matrix.hadamard");
  }

  scale(s: number): Matrix {
    return this.map((v) => v * s);
  }

  /**
   * Matrix product A·B: [m, n]·[n, p] → [m, p],  (A·B)ᵢⱼ = Σₖ AᵢₖBₖⱼ.
   * The loops are in kernels.ts, arranged for speed; chapter 02 writes them out plainly.
   */
  matmul(other: Matrix): Matrix {
    if (this.cols !== other.rows) {
      throw new ShapeError(
        `Matrix.matmul: cannot multiply [${this.rows}, ${this.cols}] by ` +
          `[${other.rows}, ${other.cols}]. The columns of the left matrix (${this.cols}) ` +
          `must equal the rows of the right one (${other.rows}).`,
      );
    }
    return product(this, other, this.rows, this.cols, other.cols, false, false);
  }

  /**
   * Aᵀ·B without building Aᵀ: [n, m]ᵀ·[n, p] → [m, p]. Backprop's dW = Xᵀ·dZ (chapter 07).
   */
  transposeMatmul(other: Matrix): Matrix {
    if (this.rows !== other.rows) {
      throw new ShapeError(
        `Matrix.transposeMatmul: cannot multiply [${this.rows}, ${this.cols}]ᵀ by ` +
          `[${other.rows}, ${other.cols}]. Both need the same number of rows (one per example).`,
      );
    }
    return product(this, other, this.cols, this.rows, other.cols, true, false);
  }

  /**
   * A·Bᵀ without building Bᵀ: [m, n]·[p, n]ᵀ → [m, p]. Backprop's dX = dZ·Wᵀ (chapter 07).
   */
  matmulTranspose(other: Matrix): Matrix {
    if (this.cols !== other.cols) {
      throw new ShapeError(
        `Matrix.matmulTranspose: cannot multiply [${this.rows}, ${this.cols}] by ` +
          `[${other.rows}, ${other.cols}]ᵀ. Both need the same number of columns.`,
      );
    }
    return product(this, other, this.rows, this.cols, other.rows, false, true);
  }

  transpose(): Matrix {
    const out = new Matrix(this.cols, this.rows);
    for (let i = 0; i < this.rows; i++) {
      for (let j = 0; j < this.cols; j++) out.data[j * this.rows + i] = this.data[i * this.cols + j];
    }
    return out;
  }

  /** Adds the row vector b [1, n] to every row: the "+ b" in Z = X·W + b. */
  addRow(b: Matrix): Matrix {
    assertShape("Matrix.addRow", "b", b.shape, [1, this.cols],
      "The bias is one row with one entry per column.");
    return this.map((v, _i, j) => v + b.data[j]);
  }

  /** Σᵢ over the rows: [m, n] → [1, n] (the db = Σᵢ dZᵢ of backprop). */
  sumRows(): Matrix {
    const out = new Matrix(1, this.cols);
    for (let k = 0; k < this.data.length; k++) out.data[k % this.cols] += this.data[k];
    return out;
  }

  sum(): number {
    let s = 0;
    for (const v of this.data) s += v;
    return s;
  }

  mean(): number {
    if (this.size === 0) throw new ValueError("Matrix.mean: the matrix is empty.");
    return this.sum() / this.size;
  }

  /**
   * Throws a ValueError naming the first NaN or ±Infinity by row and column, if there is one;
   * `hint` says what usually causes it. Every matrix is scanned here, by errors.ts's assertFinite.
   */
  assertFinite(where: string, symbol: string, hint = ""): this {
    assertFinite(where, symbol, this.data, (k) => formatPosition(k, this.cols), hint);
    return this;
  }

  toString(): string {
    const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toPrecision(4));
    const shown = this.toArray().slice(0, 8).map((r) => {
      const cells = r.slice(0, 8).map(fmt);
      return "  [" + cells.join(", ") + (r.length > 8 ? ", …" : "") + "]";
    });
    if (this.rows > 8) shown.push("  …");
    return `Matrix [${this.rows}, ${this.cols}]\n${shown.join("\n")}`;
  }

  /** Notebooks print a matrix through console.log, which calls this. */
  [inspect.custom](): string {
    return this.toString();
  }
}

/** The three products' one body: the fast kernels when they are in use (backend.ts), else kernels.ts. */
function product(A: Matrix, B: Matrix, m: number, n: number, p: number, transA: boolean, transB: boolean): Matrix {
  const fast = fastKernels();
  if (!fast || m === 0 || n === 0 || p === 0) return Matrix.wrap(m, p, gemm(A.data, B.data, m, n, p, transA, transB));
  return Matrix.wrap(m, p, fast.gemm(A.data, B.data, m, n, p, transA, transB, mostlyZeros(A.data)));
}
