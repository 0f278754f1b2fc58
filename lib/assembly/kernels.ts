/**
 * The fast path's kernels, in AssemblyScript: compiled to WebAssembly with 128-bit SIMD at
 * install time (scripts/setup.mjs runs `asc` on this file; the .wasm is never committed).
 * They compute what the readable TypeScript computes (kernels.ts, dense.ts, adam.ts), in
 * float64 like it, two numbers per SIMD instruction (f64x2). The readable code stays the
 * reference these are tested against (test/lib/fast.test.ts).
 *
 * Every argument is a byte offset into this module's memory; wasm.ts copies the matrices in,
 * already laid out as each loop reads them, and copies the results out. Row-major throughout.
 */

/** The byte offset of entry k of a float64 array starting at `base`. */
@inline function at(base: usize, k: i32): usize {
  return base + (<usize>k << 3);
}

/**
 * C = A·Bp for dense A: [m4, n] · [n, p4] → [m4, p4], m4 and p4 multiples of 4 (wasm.ts pads
 * with zeros). Bp holds B in panels of 4 columns, panel q as [k][4] at q·n·4, so the inner
 * loop reads it in order. Each 4×4 tile of C is eight f64x2 running sums kept in registers:
 * every number loaded feeds four multiply-adds.
 */
export function gemmDense(a: usize, bp: usize, c: usize, m4: i32, n: i32, p4: i32): void {
  for (let i = 0; i < m4; i += 4) {
    const r0 = at(a, i * n), r1 = at(a, (i + 1) * n), r2 = at(a, (i + 2) * n), r3 = at(a, (i + 3) * n);
    for (let q = 0; q < p4; q += 4) {
      let c00 = f64x2.splat(0), c01 = f64x2.splat(0), c10 = f64x2.splat(0), c11 = f64x2.splat(0);
      let c20 = f64x2.splat(0), c21 = f64x2.splat(0), c30 = f64x2.splat(0), c31 = f64x2.splat(0);
      let b = at(bp, q * n);
      for (let k = 0; k < n; k++) {
        const b0 = v128.load(b), b1 = v128.load(b, 16);
        const off = <usize>k << 3;
        let s = f64x2.splat(load<f64>(r0 + off));
        c00 = f64x2.add(c00, f64x2.mul(s, b0)); c01 = f64x2.add(c01, f64x2.mul(s, b1));
        s = f64x2.splat(load<f64>(r1 + off));
        c10 = f64x2.add(c10, f64x2.mul(s, b0)); c11 = f64x2.add(c11, f64x2.mul(s, b1));
        s = f64x2.splat(load<f64>(r2 + off));
        c20 = f64x2.add(c20, f64x2.mul(s, b0)); c21 = f64x2.add(c21, f64x2.mul(s, b1));
        s = f64x2.splat(load<f64>(r3 + off));
        c30 = f64x2.add(c30, f64x2.mul(s, b0)); c31 = f64x2.add(c31, f64x2.mul(s, b1));
        b += 32;
      }
      const o = at(c, i * p4 + q), row = <usize>p4 << 3;
      v128.store(o, c00); v128.store(o, c01, 16);
      v128.store(o + row, c10); v128.store(o + row, c11, 16);
      v128.store(o + 2 * row, c20); v128.store(o + 2 * row, c21, 16);
      v128.store(o + 3 * row, c30); v128.store(o + 3 * row, c31, 16);
    }
  }
}

/**
 * Lays op(B) out as gemmDense reads it: op(B) is [n, p] with entry (k, j) at src[k·sk + j·sj]
 * (sk = p, sj = 1 for B itself; sk = 1, sj = n for Bᵀ stored [p, n]); panel q of 4 columns
 * goes to dst + q·n·4 as [k][4], with zeros past column p (up to p4, a multiple of 4).
 */
export function packPanels(src: usize, dst: usize, n: i32, p: i32, p4: i32, sk: i32, sj: i32): void {
  for (let j = 0; j < p4; j++) {
    const panel = at(dst, (j >> 2) * n * 4 + (j & 3));
    if (j >= p) {
      for (let k = 0; k < n; k++) store<f64>(panel + (<usize>k << 5), 0);
      continue;
    }
    for (let k = 0; k < n; k++) store<f64>(panel + (<usize>k << 5), load<f64>(at(src, k * sk + j * sj)));
  }
}

/**
 * Copies op(A), [m, n] with entry (i, k) at src[i·si + k·sk], row-major to dst as [m4, n],
 * with zero rows past m (up to m4, a multiple of 4): what gemmDense reads for A.
 */
export function packRows(src: usize, dst: usize, m: i32, n: i32, m4: i32, si: i32, sk: i32): void {
  for (let i = 0; i < m4; i++) {
    const row = at(dst, i * n);
    if (i >= m) {
      memory.fill(row, 0, <usize>n << 3);
      continue;
    }
    for (let k = 0; k < n; k++) store<f64>(at(row, k), load<f64>(at(src, i * si + k * sk)));
  }
}

/**
 * C = A·B for A with many zeros: [m, n] · [n, p] → [m, p], C[i] = Σₖ A[i][k]·B[k] over the
 * nonzero A[i][k] only (MNIST pixels are 81 % zeros). The nonzeros of row i are listed first
 * (at `list`: n byte offsets into B, then n values); then eight entries of C's row at a time
 * are summed over that list in four f64x2 registers and written once. p is even (wasm.ts
 * pads B and C with a zero column if not).
 */
export function gemmSparse(a: usize, b: usize, c: usize, m: i32, n: i32, p: i32, list: usize): void {
  const values = at(list, n);
  const p8 = p - (p & 7);
  for (let i = 0; i < m; i++) {
    const ai = at(a, i * n);
    let count = 0;
    for (let k = 0; k < n; k++) {
      const x = load<f64>(at(ai, k));
      if (x == 0) continue;
      store<u64>(at(list, count), <u64>at(b, k * p));
      store<f64>(at(values, count), x);
      count++;
    }
    const ci = at(c, i * p);
    let j = 0;
    for (; j < p8; j += 8) {
      let s0 = f64x2.splat(0), s1 = f64x2.splat(0), s2 = f64x2.splat(0), s3 = f64x2.splat(0);
      const col = <usize>j << 3;
      for (let t = 0; t < count; t++) {
        const x = f64x2.splat(load<f64>(at(values, t)));
        const row = <usize>load<u64>(at(list, t)) + col;
        s0 = f64x2.add(s0, f64x2.mul(x, v128.load(row)));
        s1 = f64x2.add(s1, f64x2.mul(x, v128.load(row, 16)));
        s2 = f64x2.add(s2, f64x2.mul(x, v128.load(row, 32)));
        s3 = f64x2.add(s3, f64x2.mul(x, v128.load(row, 48)));
      }
      const o = ci + col;
      v128.store(o, s0); v128.store(o, s1, 16); v128.store(o, s2, 32); v128.store(o, s3, 48);
    }
    for (; j < p; j += 2) {
      let s = f64x2.splat(0);
      const col = <usize>j << 3;
      for (let t = 0; t < count; t++) {
        s = f64x2.add(s, f64x2.mul(f64x2.splat(load<f64>(at(values, t))), v128.load(<usize>load<u64>(at(list, t)) + col)));
      }
      v128.store(ci + col, s);
    }
  }
}

/**
 * C = Aᵀ·B for A with many zeros: A [m, n], B [m, p] → C [n, p], C[k] += A[i][k]·B[i] over the
 * nonzero A[i][k]. Backprop's dW = Xᵀ·dZ, one example (row i) at a time; p is even.
 */
export function gemmSparseTransA(a: usize, b: usize, c: usize, m: i32, n: i32, p: i32): void {
  memory.fill(c, 0, <usize>(n * p) << 3);
  for (let i = 0; i < m; i++) {
    const ai = at(a, i * n), bi = at(b, i * p);
    for (let k = 0; k < n; k++) {
      const x = load<f64>(at(ai, k));
      if (x == 0) continue;
      axpy(x, bi, at(c, k * p), p);
    }
  }
}

/** y ← y + x·v over `count` (even) float64s, two at a time. */
@inline function axpy(x: f64, v: usize, y: usize, count: i32): void {
  const s = f64x2.splat(x);
  const end = at(y, count);
  while (y < end) {
    v128.store(y, f64x2.add(v128.load(y), f64x2.mul(s, v128.load(v))));
    y += 16;
    v += 16;
  }
}

/**
 * Z = C + b (b added to every row) and, when `relu` is 1, A = max(0, Z): Dense's
 * Z = X·W + b, A = g(Z) in one pass. C: [m, p] with p even, b: [1, p].
 */
export function biasActivation(c: usize, bias: usize, z: usize, act: usize, m: i32, p: i32, relu: i32): void {
  const zero = f64x2.splat(0);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < p; j += 2) {
      const k = i * p + j;
      const v = f64x2.add(v128.load(at(c, k)), v128.load(at(bias, j)));
      v128.store(at(z, k), v);
      if (relu) v128.store(at(act, k), f64x2.pmax(zero, v));
    }
  }
}

/**
 * Adam's step (Kingma & Ba 2015, Algorithm 1) over `count` (even) entries, W, m and v
 * updated in place; mScale = η/(1 − β₁ᵗ) and vScale = 1/(1 − β₂ᵗ) as in adam.ts:
 *   m ← β₁·m + (1 − β₁)·g    v ← β₂·v + (1 − β₂)·g²    W ← W − η·m̂ / (√v̂ + ε)
 */
export function adam(
  w: usize, g: usize, m: usize, v: usize, count: i32,
  beta1: f64, beta2: f64, mScale: f64, vScale: f64, eps: f64,
): void {
  const b1 = f64x2.splat(beta1), c1 = f64x2.splat(1 - beta1);
  const b2 = f64x2.splat(beta2), c2 = f64x2.splat(1 - beta2);
  const ms = f64x2.splat(mScale), vs = f64x2.splat(vScale), e = f64x2.splat(eps);
  for (let k = 0; k < count; k += 2) {
    const gk = v128.load(at(g, k));
    const mk = f64x2.add(f64x2.mul(b1, v128.load(at(m, k))), f64x2.mul(c1, gk));
    const vk = f64x2.add(f64x2.mul(b2, v128.load(at(v, k))), f64x2.mul(f64x2.mul(c2, gk), gk));
    v128.store(at(m, k), mk);
    v128.store(at(v, k), vk);
    const step = f64x2.div(f64x2.mul(mk, ms), f64x2.add(f64x2.sqrt(f64x2.mul(vk, vs)), e));
    v128.store(at(w, k), f64x2.sub(v128.load(at(w, k)), step));
  }
}
