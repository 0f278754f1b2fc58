import { readFileSync } from "node:fs";
import * as path from "node:path";

/**
 * The fast path's WebAssembly kernels (lib/assembly/kernels.ts, compiled at install time to
 * lib/wasm/kernels.wasm), loaded on first use, and the JavaScript side of each call: copy
 * the matrices into the module's memory laid out as its loops read them, run, copy out.
 * Copying costs one pass over each matrix; the products cost n passes, so it pays.
 */
interface Exports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  gemmDense(a: number, bp: number, c: number, m4: number, n: number, p4: number): void;
  packPanels(src: number, dst: number, n: number, p: number, p4: number, sk: number, sj: number): void;
  packRows(src: number, dst: number, m: number, n: number, m4: number, si: number, sk: number): void;
  gemmSparse(a: number, b: number, c: number, m: number, n: number, p: number, list: number): void;
  gemmSparseTransA(a: number, b: number, c: number, m: number, n: number, p: number): void;
  biasActivation(c: number, b: number, z: number, act: number, m: number, p: number, relu: number): void;
  adam(w: number, g: number, m: number, v: number, count: number,
    beta1: number, beta2: number, mScale: number, vScale: number, eps: number): void;
}

// Node's WebAssembly, typed here with what this file uses (the library compiles without DOM types).
const webAssembly = (globalThis as unknown as { WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
} }).WebAssembly;

/** Where the build puts the module: lib/wasm, beside lib/src and lib/dist alike. */
export const WASM_FILE = path.join(__dirname, "..", "wasm", "kernels.wasm");

let loaded: WasmKernels | null | undefined; // undefined: not tried yet; null: missing

/** The kernels, or null (after a one-line warning) when the .wasm file is not there. */
export function wasmKernels(): WasmKernels | null {
  if (loaded !== undefined) return loaded;
  let bytes: Buffer;
  try {
    bytes = readFileSync(WASM_FILE);
  } catch {
    console.warn(`byhand: ${WASM_FILE} not found (npm run build makes it); using the reference backend.`);
    return (loaded = null);
  }
  // Synchronous compile: the module is small, and Node allows it at any size.
  const instance = new webAssembly.Instance(new webAssembly.Module(bytes), {
    env: { abort: () => { throw new Error("byhand: a WebAssembly kernel aborted."); } },
  });
  return (loaded = new WasmKernels(instance.exports as unknown as Exports));
}

export class WasmKernels {
  private heap: Float64Array;
  private kept = 0; // slots [0, kept) hold kept blocks; per-call scratch starts above them
  private readonly freed = new Map<number, number[]>(); // block size → starts of released blocks
  private readonly release = new FinalizationRegistry<{ start: number; count: number }>((b) => {
    (this.freed.get(b.count) ?? this.freed.set(b.count, []).get(b.count)!).push(b.start);
  });

  constructor(private readonly x: Exports) {
    this.heap = new Float64Array(x.memory.buffer);
  }

  /**
   * The module's memory as float64 slots, grown to hold slots [0, end). Each call lays its
   * matrices out from slot `kept` again; the slots below it hold what stays between calls
   * (Adam's running means, see keep()).
   */
  private reserve(end: number): Float64Array {
    const bytes = end * 8;
    const have = this.x.memory.buffer.byteLength;
    if (bytes > have) this.x.memory.grow(Math.ceil((bytes - have) / 65536));
    if (this.heap.buffer !== this.x.memory.buffer) this.heap = new Float64Array(this.x.memory.buffer);
    return this.heap;
  }

  /**
   * C = op(A)·op(B) as kernels.ts's gemm (same arguments), sparse or dense as `sparse` says.
   * Dense: op(A) padded to a multiple of 4 rows, op(B) packed in panels of 4 columns.
   * Sparse: rows padded to an even width, so every SIMD step holds two real columns or a zero.
   */
  gemm(A: Float64Array, B: Float64Array, m: number, n: number, p: number,
    transA: boolean, transB: boolean, sparse: boolean): Float64Array {
    const C = this.product(A, B, m, n, p, transA, transB, sparse);
    return copyOut(this.heap, C.at, m, p, C.width);
  }

  /**
   * Dense's forward in one visit to the module: Z = X·W + b and, for ReLU, A = max(0, Z)
   * (X: [m, n], W: [n, p], b: [1, p]). For ReLU it returns A alone: each new array costs
   * fresh memory, and Dense's backward needs only where Z > 0, which A shows. Otherwise it
   * returns Z alone, and the activation computes A from it.
   */
  denseForward(X: Float64Array, W: Float64Array, b: Float64Array, m: number, n: number, p: number,
    sparse: boolean, relu: boolean): { Z: Float64Array | null; A: Float64Array | null } {
    const C = this.product(X, W, m, n, p, false, false, sparse);
    const w = C.width; // even: the kernels' rows hold whole f64x2 pairs
    const bias = C.end, z = bias + w, act = z + m * w;
    const h = this.reserve(act + m * w);
    h.set(b, bias);
    h.fill(0, bias + p, bias + w);
    this.x.biasActivation(C.at * 8, bias * 8, z * 8, act * 8, m, w, relu ? 1 : 0);
    return relu ? { Z: null, A: copyOut(this.heap, act, m, p, w) } : { Z: copyOut(this.heap, z, m, p, w), A: null };
  }

  /** Runs the product; C is left in the module's memory at slot `at`, rows `width` long. */
  private product(A: Float64Array, B: Float64Array, m: number, n: number, p: number,
    transA: boolean, transB: boolean, sparse: boolean): { at: number; width: number; end: number } {
    return sparse ? this.sparse(A, B, m, n, p, transA, transB) : this.dense(A, B, m, n, p, transA, transB);
  }

  private dense(A: Float64Array, B: Float64Array, m: number, n: number, p: number, transA: boolean, transB: boolean) {
    const m4 = roundUp(m, 4), p4 = roundUp(p, 4);
    // A and B as stored, then packed by the module itself (faster than packing here).
    const rawA = this.kept, rawB = rawA + A.length, a = rawB + B.length, bp = a + m4 * n, c = bp + n * p4;
    const h = this.reserve(c + m4 * p4);
    h.set(A, rawA);
    h.set(B, rawB);
    // op(A)[i][k] = A[i·n + k], or A[k·m + i] when A is stored transposed; likewise op(B)[k][j].
    const aAt = !transA && m4 === m ? rawA : a; // A as stored is already [m4, n] row-major
    if (aAt === a) this.x.packRows(rawA * 8, a * 8, m, n, m4, transA ? 1 : n, transA ? m : 1);
    this.x.packPanels(rawB * 8, bp * 8, n, p, p4, transB ? 1 : p, transB ? n : 1);
    this.x.gemmDense(aAt * 8, bp * 8, c * 8, m4, n, p4);
    return { at: c, width: p4, end: c + m4 * p4 };
  }

  private sparse(A: Float64Array, B: Float64Array, m: number, n: number, p: number, transA: boolean, transB: boolean) {
    const p2 = roundUp(p, 2);
    // A as stored ([m, n], or [n, m] when transA: the kernel for Aᵀ·B reads it as stored).
    const a = this.kept, b = a + A.length, c = b + n * p2, list = c + m * p2; // list: the kernel's scratch
    const h = this.reserve(list + 2 * n);
    h.set(A, a);
    if (!transB && p2 === p) h.set(B, b);
    else {
      for (let k = 0; k < n; k++) { // op(B): [n, p]
        for (let j = 0; j < p; j++) h[b + k * p2 + j] = transB ? B[j * n + k] : B[k * p + j];
        if (p2 > p) h[b + k * p2 + p] = 0;
      }
    }
    if (transA) this.x.gemmSparseTransA(a * 8, b * 8, c * 8, n, m, p2);
    else this.x.gemmSparse(a * 8, b * 8, c * 8, m, n, p2, list * 8);
    return { at: c, width: p2, end: list + 2 * n };
  }

  /**
   * `count` slots that stay between calls, zeroed, until `owner` is garbage-collected:
   * for state that lives as long as an optimizer (Adam's m and v), so that each step need
   * not copy it in and out. Returns the first slot.
   */
  keep(owner: object, count: number): number {
    const start = this.freed.get(count)?.pop() ?? this.grab(count);
    this.reserve(this.kept);
    this.heap.fill(0, start, start + count);
    this.release.register(owner, { start, count });
    return start;
  }

  private grab(count: number): number {
    const start = this.kept;
    this.kept += count;
    return start;
  }

  /** Slots [start, start + length) as a new array. */
  read(start: number, length: number): Float64Array {
    return new Float64Array(this.heap.subarray(start, start + length));
  }

  /** Writes `values` into slots from `start`. */
  write(start: number, values: Float64Array): void {
    this.heap.set(values, start);
  }

  /**
   * adam.ts's update, W changed in place; m and v are kept in the module (keep(): m at slot
   * `state`, v right after it, roundUp(W.length, 2) slots each).
   */
  adam(W: Float64Array, g: Float64Array, state: number,
    beta1: number, beta2: number, mScale: number, vScale: number, eps: number): void {
    const count = adamCount(W.length);
    const w = this.kept, gs = w + count;
    const h = this.reserve(gs + count);
    h.set(W, w); h.set(g, gs);
    if (count > W.length) { h[w + count - 1] = 0; h[gs + count - 1] = 0; }
    this.x.adam(w * 8, gs * 8, state * 8, (state + count) * 8, count, beta1, beta2, mScale, vScale, eps);
    W.set(this.heap.subarray(w, w + W.length));
  }
}

/** Slots for each of Adam's m and v for `length` parameters: whole f64x2 pairs. */
export function adamCount(length: number): number {
  return roundUp(length, 2);
}

function roundUp(x: number, to: number): number {
  return Math.ceil(x / to) * to;
}

/** Rows [0, m) and columns [0, p) of a [·, width] block at slot `at`, as a new array. */
function copyOut(h: Float64Array, at: number, m: number, p: number, width: number): Float64Array {
  // The constructor copies in one block; Float64Array.slice copied entry by entry here.
  if (width === p) return new Float64Array(h.subarray(at, at + m * p));
  const out = new Float64Array(m * p);
  for (let i = 0; i < m; i++) out.set(h.subarray(at + i * width, at + i * width + p), i * p);
  return out;
}
