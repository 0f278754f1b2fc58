import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { gemm } from "../../lib/src/kernels";
import { Matrix } from "../../lib/src/matrix";
import { Random } from "../../lib/src/random";

/** The definition, C[i][j] = Σₖ op(A)[i][k]·op(B)[k][j], as a plain triple loop. */
function reference(A: Float64Array, B: Float64Array, m: number, n: number, p: number, tA: boolean, tB: boolean) {
  const C = new Float64Array(m * p), bound = new Float64Array(m * p);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < p; j++) {
      for (let k = 0; k < n; k++) {
        const a = tA ? A[k * m + i] : A[i * n + k];
        const b = tB ? B[j * n + k] : B[k * p + j];
        C[i * p + j] += a * b;
        bound[i * p + j] += Math.abs(a * b);
      }
    }
  }
  return { C, bound };
}

function randomArray(rng: Random, length: number, zeroShare: number): Float64Array {
  return Float64Array.from({ length }, () => (rng.next() < zeroShare ? 0 : rng.uniform(-2, 2)));
}

describe("gemm, the matrix-product kernels", () => {
  // The kernels add the same products as the triple loop in another order, so each entry may
  // differ by rounding only: at most about n·2⁻⁵³·Σₖ|aₖbₖ| (the classic bound for a sum of n
  // products); 2n·1.2e-16·Σ|ab| leaves a factor of 2 of room.
  it("equals the triple loop for every shape, share of zeros (dense and sparse paths) and transposition", () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 13 }), fc.integer({ min: 1, max: 13 }), fc.integer({ min: 1, max: 19 }),
      fc.constantFrom(0, 0.3, 0.6, 0.95), fc.boolean(), fc.boolean(), fc.integer({ min: 0, max: 1e6 }),
      (m, n, p, zeros, tA, tB, seed) => {
        const rng = new Random(seed);
        const A = randomArray(rng, m * n, zeros), B = randomArray(rng, n * p, 0);
        const C = gemm(A, B, m, n, p, tA, tB);
        const { C: want, bound } = reference(A, B, m, n, p, tA, tB);
        for (let k = 0; k < m * p; k++) {
          expect(Math.abs(C[k] - want[k])).toBeLessThanOrEqual(2 * n * 1.2e-16 * bound[k]);
        }
      }), { numRuns: 300 });
  });

  it("handles MNIST-like sizes on both paths, and empty dimensions", () => {
    const rng = new Random(4);
    for (const zeros of [0, 0.81]) {
      const X = randomArray(rng, 32 * 784, zeros), W = randomArray(rng, 784 * 64, 0), dZ = randomArray(rng, 32 * 64, 0);
      const fwd = reference(X, W, 32, 784, 64, false, false), got = gemm(X, W, 32, 784, 64);
      const dW = reference(X, dZ, 784, 32, 64, true, false), gotW = gemm(X, dZ, 784, 32, 64, true, false);
      for (let k = 0; k < got.length; k++) expect(Math.abs(got[k] - fwd.C[k])).toBeLessThanOrEqual(2 * 784 * 1.2e-16 * fwd.bound[k]);
      for (let k = 0; k < gotW.length; k++) expect(Math.abs(gotW[k] - dW.C[k])).toBeLessThanOrEqual(2 * 32 * 1.2e-16 * dW.bound[k]);
    }
    expect(gemm(new Float64Array(0), new Float64Array(0), 0, 3, 0).length).toBe(0);
    expect(Array.from(gemm(new Float64Array(0), new Float64Array(0), 2, 0, 2))).toEqual([0, 0, 0, 0]);
  });
});

describe("Matrix products without building a transpose", () => {
  it("transposeMatmul is Aᵀ·B and matmulTranspose is A·Bᵀ (hand-worked)", () => {
    const A = Matrix.from([[1, 2], [3, 4]]); // Aᵀ = [[1, 3], [2, 4]]
    const B = Matrix.from([[5, 6], [7, 8]]);
    // Aᵀ·B = [[1·5 + 3·7, 1·6 + 3·8], [2·5 + 4·7, 2·6 + 4·8]] = [[26, 30], [38, 44]]
    expect(A.transposeMatmul(B).toArray()).toEqual([[26, 30], [38, 44]]);
    // A·Bᵀ = [[1·5 + 2·6, 1·7 + 2·8], [3·5 + 4·6, 3·7 + 4·8]] = [[17, 23], [39, 53]]
    expect(A.matmulTranspose(B).toArray()).toEqual([[17, 23], [39, 53]]);
  });

  it("name both shapes when they do not fit", () => {
    const A = new Matrix(3, 2), B = new Matrix(4, 2);
    expect(() => A.transposeMatmul(B)).toThrow(
      "Matrix.transposeMatmul: cannot multiply [3, 2]ᵀ by [4, 2]. Both need the same number of rows (one per example).");
    expect(() => A.matmulTranspose(new Matrix(4, 3))).toThrow(
      "Matrix.matmulTranspose: cannot multiply [3, 2] by [4, 3]ᵀ. Both need the same number of columns.");
    expect(A.matmulTranspose(B).shape).toEqual([3, 4]);
  });

  it("leave their inputs unchanged", () => {
    const A = Matrix.from([[0, 2], [0, 0], [1, 0]]), B = Matrix.from([[1, 1], [2, 2], [3, 3]]);
    const [a, b] = [Array.from(A.data), Array.from(B.data)];
    A.transposeMatmul(B);
    A.matmul(Matrix.from([[1], [1]]));
    expect(Array.from(A.data)).toEqual(a);
    expect(Array.from(B.data)).toEqual(b);
  });
});
