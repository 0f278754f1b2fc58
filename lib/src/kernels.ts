/**
 * The matrix-product loops, written for speed (chapter 02 teaches the plain triple loop;
 * this is the same sum, C[i][j] = Σₖ A[i][k]·B[k][j], arranged so that a CPU runs it fast).
 * Matrix.matmul, transposeMatmul and matmulTranspose call `gemm`; nothing else needs to.
 *
 * Two strategies, chosen per call by how many zeros the left factor holds:
 *   - sparse rows (MNIST pixels are 81 % zeros): for the nonzero A[i][k] only, add
 *     A[i][k]·(row k of B) into row i of C. Zeros cost one comparison each.
 *   - dense: copy A into 4-row panels and B into 4-column panels laid out in the order the
 *     inner loop reads them, then compute C in 4×4 tiles whose 16 running sums stay in CPU
 *     registers. Each loaded number feeds four multiply-adds instead of one, which is
 *     what makes this about 4× faster than the triple loop here.
 * Both add the same products, in a different order, so their results agree to rounding.
 */

/** Share of zeros in A above which the sparse strategy wins (measured with `npm run bench`). */
const SPARSE_ABOVE = 0.3;

/**
 * C = op(A)·op(B), where op(A) is A or Aᵀ and op(B) is B or Bᵀ; all row-major.
 *   op(A): [m, n]   op(B): [n, p]   C: [m, p]
 * `A` is stored [m, n] (or [n, m] when transA), `B` is stored [n, p] (or [p, n] when transB).
 */
export function gemm(
  A: Float64Array, B: Float64Array, m: number, n: number, p: number,
  transA = false, transB = false,
): Float64Array {
  const C = new Float64Array(m * p);
  if (m === 0 || n === 0 || p === 0) return C;
  if (mostlyZeros(A)) {
    // The sparse loops read rows of op(B); for Bᵀ those are B's columns, so copy them once.
    const rowsOfB = transB ? transposed(B, p, n) : B;
    if (transA) sparseTransA(A, rowsOfB, C, m, n, p);
    else sparse(A, rowsOfB, C, m, n, p);
  } else {
    dense(A, B, C, m, n, p, transA, transB);
  }
  return C;
}

/** The transpose of a [rows, cols] row-major array, as a new [cols, rows] one. */
function transposed(B: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) out[j * rows + i] = B[i * cols + j];
  }
  return out;
}

/** True when the sparse strategy wins for A (the fast path in wasm.ts chooses the same way). */
export function mostlyZeros(A: Float64Array): boolean {
  return zeroShare(A) > SPARSE_ABOVE;
}

/** The share of zeros among (at most) 1,024 evenly spaced entries of A: a cheap estimate. */
function zeroShare(A: Float64Array): number {
  const step = Math.max(1, Math.floor(A.length / 1024));
  let zeros = 0, seen = 0;
  for (let k = 0; k < A.length; k += step, seen++) if (A[k] === 0) zeros++;
  return zeros / seen;
}

/**
 * C[i] = Σₖ A[i][k]·B[k] over the nonzero A[i][k]; A: [m, n]. The nonzeros of row i are
 * listed first; then each block of eight entries of C's row is summed in eight local
 * variables (CPU registers) over that list, and written once.
 */
function sparse(A: Float64Array, B: Float64Array, C: Float64Array, m: number, n: number, p: number): void {
  const { index, value } = scratch(n);
  const p8 = p - (p % 8);
  for (let i = 0; i < m; i++) {
    let count = 0;
    for (let k = 0; k < n; k++) {
      const a = A[i * n + k];
      if (a !== 0) { index[count] = k * p; value[count++] = a; }
    }
    const row = i * p;
    for (let j = 0; j < p8; j += 8) {
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
      for (let t = 0; t < count; t++) {
        const a = value[t], o = index[t] + j;
        s0 += a * B[o]; s1 += a * B[o + 1]; s2 += a * B[o + 2]; s3 += a * B[o + 3];
        s4 += a * B[o + 4]; s5 += a * B[o + 5]; s6 += a * B[o + 6]; s7 += a * B[o + 7];
      }
      C[row + j] = s0; C[row + j + 1] = s1; C[row + j + 2] = s2; C[row + j + 3] = s3;
      C[row + j + 4] = s4; C[row + j + 5] = s5; C[row + j + 6] = s6; C[row + j + 7] = s7;
    }
    for (let j = p8; j < p; j++) {
      let sum = 0;
      for (let t = 0; t < count; t++) sum += value[t] * B[index[t] + j];
      C[row + j] = sum;
    }
  }
}

/**
 * C = Aᵀ·B with A stored [n, m]: C[k] += A[i][k]·B[i] over the nonzero A[i][k].
 * Backprop's dW = Xᵀ·dZ for sparse X, one example (row i) at a time.
 */
function sparseTransA(A: Float64Array, B: Float64Array, C: Float64Array, m: number, n: number, p: number): void {
  const p8 = p - (p % 8);
  for (let i = 0; i < n; i++) {
    const x = i * p;
    for (let k = 0; k < m; k++) {
      const a = A[i * m + k];
      if (a === 0) continue;
      const y = k * p;
      let j = 0;
      for (; j < p8; j += 8) { // eight at a time: fewer loop tests per multiply-add
        C[y + j] += a * B[x + j]; C[y + j + 1] += a * B[x + j + 1];
        C[y + j + 2] += a * B[x + j + 2]; C[y + j + 3] += a * B[x + j + 3];
        C[y + j + 4] += a * B[x + j + 4]; C[y + j + 5] += a * B[x + j + 5];
        C[y + j + 6] += a * B[x + j + 6]; C[y + j + 7] += a * B[x + j + 7];
      }
      for (; j < p; j++) C[y + j] += a * B[x + j];
    }
  }
}

// The list of a row's nonzeros, kept between calls: the training loop would otherwise make
// a new one for every batch.
let scratchIndex = new Int32Array(1024);
let scratchValue = new Float64Array(1024);
function scratch(size: number): { index: Int32Array; value: Float64Array } {
  if (scratchIndex.length < size) {
    scratchIndex = new Int32Array(size);
    scratchValue = new Float64Array(size);
  }
  return { index: scratchIndex, value: scratchValue };
}

function dense(
  A: Float64Array, B: Float64Array, C: Float64Array, m: number, n: number, p: number,
  transA: boolean, transB: boolean,
): void {
  // Panels: Ap holds op(A) rows i0..i0+3 as [k][4]; Bp holds op(B) columns j0..j0+3 as [k][4].
  // Edge panels are padded with zeros, so the tile loop never needs a bounds test.
  const Ap = new Float64Array(Math.ceil(m / 4) * n * 4);
  for (let i = 0; i < m; i++) {
    const base = (i >> 2) * n * 4 + (i & 3);
    for (let k = 0; k < n; k++) Ap[base + 4 * k] = transA ? A[k * m + i] : A[i * n + k];
  }
  const Bp = new Float64Array(Math.ceil(p / 4) * n * 4);
  for (let k = 0; k < n; k++) {
    for (let j = 0; j < p; j++) Bp[(j >> 2) * n * 4 + 4 * k + (j & 3)] = transB ? B[j * n + k] : B[k * p + j];
  }
  for (let i0 = 0; i0 < m; i0 += 4) {
    for (let j0 = 0; j0 < p; j0 += 4) {
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      let a = (i0 >> 2) * n * 4, b = (j0 >> 2) * n * 4;
      const end = a + 4 * n;
      while (a < end) {
        const a0 = Ap[a], a1 = Ap[a + 1], a2 = Ap[a + 2], a3 = Ap[a + 3];
        let bk = Bp[b];
        c00 += a0 * bk; c10 += a1 * bk; c20 += a2 * bk; c30 += a3 * bk;
        bk = Bp[b + 1];
        c01 += a0 * bk; c11 += a1 * bk; c21 += a2 * bk; c31 += a3 * bk;
        bk = Bp[b + 2];
        c02 += a0 * bk; c12 += a1 * bk; c22 += a2 * bk; c32 += a3 * bk;
        bk = Bp[b + 3];
        c03 += a0 * bk; c13 += a1 * bk; c23 += a2 * bk; c33 += a3 * bk;
        a += 4;
        b += 4;
      }
      storeRow(C, m, p, i0, j0, c00, c01, c02, c03);
      storeRow(C, m, p, i0 + 1, j0, c10, c11, c12, c13);
      storeRow(C, m, p, i0 + 2, j0, c20, c21, c22, c23);
      storeRow(C, m, p, i0 + 3, j0, c30, c31, c32, c33);
    }
  }
}

/** Writes up to four sums into row i of C, skipping what lies past the matrix's edge. */
function storeRow(C: Float64Array, m: number, p: number, i: number, j0: number,
  v0: number, v1: number, v2: number, v3: number): void {
  if (i >= m) return;
  const o = i * p + j0;
  if (j0 + 3 < p) {
    C[o] = v0; C[o + 1] = v1; C[o + 2] = v2; C[o + 3] = v3;
    return;
  }
  C[o] = v0;
  if (j0 + 1 < p) C[o + 1] = v1;
  if (j0 + 2 < p) C[o + 2] = v2;
}
