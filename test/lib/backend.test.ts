/**
 * The fast path (WebAssembly + SIMD, lib/assembly/kernels.ts) against the readable reference
 * (kernels.ts, dense.ts, adam.ts), on random shapes and values: dense and sparse left factors,
 * batches of one, sizes that are not multiples of the kernels' tiles (4 rows × 4 columns for
 * dense products, 8 and 2 columns for sparse ones, 2 entries for Adam).
 *
 * Tolerance. Both paths compute in float64 and add the same products, the fast one in
 * another order (the reference's sparse loop, for one, sums in eight registers, the kernel
 * in f64x2 pairs). Each entry of a sum of n products may then differ by rounding only: at most
 * about n·2⁻⁵³·Σₖ|aₖbₖ|, and the tests allow 2n·1.2e-16·Σ|ab|. Element-wise steps (bias, ReLU,
 * Adam) do the same operations in the same order on both paths, so they agree exactly.
 */
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { getBackend, type LibraryBackend, setBackend } from "../../lib/src/backend";
import type { ActivationName } from "../../lib/src/activations";
import { Dense } from "../../lib/src/dense";
import { ValueError } from "../../lib/src/errors";
import { Param } from "../../lib/src/layer";
import { Matrix } from "../../lib/src/matrix";
import { Adam } from "../../lib/src/optimizers/adam";
import { Random } from "../../lib/src/random";
import { Sequential } from "../../lib/src/sequential";

const initial = getBackend();
afterEach(() => setBackend(initial));

/** `f` run once on each backend. */
function onBoth<T>(f: () => T): { reference: T; fast: T } {
  const out = {} as { reference: T; fast: T };
  for (const b of ["reference", "fast"] as LibraryBackend[]) {
    setBackend(b);
    out[b] = f();
  }
  return out;
}

function randomMatrix(rng: Random, rows: number, cols: number, zeroShare: number): Matrix {
  return Matrix.wrap(rows, cols, Float64Array.from({ length: rows * cols }, () => (rng.next() < zeroShare ? 0 : rng.uniform(-2, 2))));
}

/** |fast − reference| ≤ 2n·1.2e-16·Σₖ|aₖbₖ| entry by entry (see the file comment). */
function expectSameSum(fast: Matrix, reference: Matrix, bound: Matrix, n: number): void {
  expect(fast.shape).toEqual(reference.shape);
  for (let k = 0; k < fast.size; k++) {
    expect(Math.abs(fast.data[k] - reference.data[k])).toBeLessThanOrEqual(2 * n * 1.2e-16 * bound.data[k]);
  }
}

const abs = (M: Matrix) => M.map(Math.abs);

describe("setBackend and getBackend", () => {
  it("uses the fast path by default (the reference when BYHAND_BACKEND=reference), and switches both ways", () => {
    expect(initial).toBe(process.env.BYHAND_BACKEND === "reference" ? "reference" : "fast");
    setBackend("reference");
    expect(getBackend()).toBe("reference");
    setBackend("fast");
    expect(getBackend()).toBe("fast");
  });

  it("rejects an unknown backend by listing the known ones", () => {
    expect(() => setBackend("wasm" as LibraryBackend)).toThrow(ValueError);
    expect(() => setBackend("wasm" as LibraryBackend)).toThrow(/setBackend: unknown backend "wasm"\. Expected one of: fast, reference\./);
  });
});

describe("products: fast and reference agree", () => {
  it("A·B, Aᵀ·B and A·Bᵀ for random shapes, shares of zeros (dense and sparse kernels) and values", () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 37 }), fc.integer({ min: 1, max: 37 }), fc.integer({ min: 1, max: 37 }),
      fc.constantFrom(0, 0.2, 0.5, 0.81, 0.97, 1), fc.integer({ min: 0, max: 1e6 }),
      (m, n, p, zeros, seed) => {
        const rng = new Random(seed);
        const A = randomMatrix(rng, m, n, zeros), B = randomMatrix(rng, n, p, 0);
        const AT = A.transpose(), BT = B.transpose();
        const bound = abs(A).matmul(abs(B));
        const product = onBoth(() => A.matmul(B));
        expectSameSum(product.fast, product.reference, bound, n);
        const tA = onBoth(() => AT.transposeMatmul(B)); // (Aᵀ)ᵀ·B = A·B, with the left factor stored transposed
        expectSameSum(tA.fast, tA.reference, bound, n);
        const tB = onBoth(() => A.matmulTranspose(BT)); // A·(Bᵀ)ᵀ = A·B
        expectSameSum(tB.fast, tB.reference, bound, n);
      }), { numRuns: 200 });
  });

  it("MNIST's shapes: a batch of 32 and a batch of one, 81 % zeros, 784 → 64 and back", () => {
    const rng = new Random(7);
    for (const m of [32, 1]) {
      const X = randomMatrix(rng, m, 784, 0.81), W = randomMatrix(rng, 784, 64, 0), dZ = randomMatrix(rng, m, 64, 0);
      const Z = onBoth(() => X.matmul(W));
      expectSameSum(Z.fast, Z.reference, abs(X).matmul(abs(W)), 784);
      const dW = onBoth(() => X.transposeMatmul(dZ));
      expectSameSum(dW.fast, dW.reference, abs(X).transposeMatmul(abs(dZ)), m);
      const dX = onBoth(() => dZ.matmulTranspose(W));
      expectSameSum(dX.fast, dX.reference, abs(dZ).matmulTranspose(abs(W)), 64);
    }
  });

  it("a 512 × 512 product, the bench's size", () => {
    const rng = new Random(8);
    const A = randomMatrix(rng, 512, 512, 0), B = randomMatrix(rng, 512, 512, 0);
    const C = onBoth(() => A.matmul(B));
    expectSameSum(C.fast, C.reference, abs(A).matmul(abs(B)), 512);
  });

  it("keeps the reference's shape errors", () => {
    setBackend("fast");
    expect(() => Matrix.zeros(2, 3).matmul(Matrix.zeros(2, 3))).toThrow(/Matrix\.matmul: cannot multiply \[2, 3\] by \[2, 3\]/);
  });
});

describe("Dense: fast and reference agree", () => {
  it("forward and backward for every activation, with and without bias, odd widths, batches of one", () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 21 }), fc.integer({ min: 1, max: 13 }),
      fc.constantFrom<ActivationName[]>("linear", "relu", "sigmoid", "tanh", "softmax"), fc.boolean(), fc.constantFrom(0, 0.81),
      fc.integer({ min: 0, max: 1e6 }),
      (m, nIn, units, activation, useBias, zeros, seed) => {
        const rng = new Random(seed);
        const X = randomMatrix(rng, m, nIn, zeros), dA = randomMatrix(rng, m, units, 0);
        const W = randomMatrix(rng, nIn, units, 0), b = randomMatrix(rng, 1, units, 0);
        const run = () => {
          const layer = new Dense({ units, activation, useBias, weights: { W, b } });
          const A = layer.forward(X);
          const dX = layer.backward(dA);
          return { A, dX, dW: layer.W!.grad!, db: layer.b?.grad ?? null };
        };
        const r = onBoth(run);
        // Through a nonlinear g the products' rounding grows by at most |g′| ≤ 1 (softmax's
        // rows, by at most 1 in sum), so the products' bound, with its factor 2, still holds.
        const XW = abs(X).matmul(abs(W)).map((v, _i, j) => v + Math.abs(b.data[j]) + 1e-300);
        for (let k = 0; k < r.fast.A.size; k++) {
          expect(Math.abs(r.fast.A.data[k] - r.reference.A.data[k])).toBeLessThanOrEqual(4 * (nIn + 1) * 1.2e-16 * Math.max(...XW.data));
        }
        const dZbound = Math.max(1, ...abs(dA).data) * 4 * (nIn + 1) * 1.2e-16 * Math.max(...XW.data) * units;
        for (const key of ["dX", "dW", "db"] as const) {
          const f = r.fast[key], ref = r.reference[key];
          if (f === null || ref === null) { expect(f).toBe(ref); continue; }
          const scale = key === "dX" ? Math.max(...abs(W).data) * units : Math.max(1, ...abs(X).data) * m;
          for (let k = 0; k < f.size; k++) {
            expect(Math.abs(f.data[k] - ref.data[k])).toBeLessThanOrEqual(scale * (dZbound + 4 * 1.2e-16 * Math.max(1, ...abs(dA).data)));
          }
        }
      }), { numRuns: 150 });
  });

  it("ReLU's forward is exactly the reference's (bias and max(0, z) in the same order)", () => {
    const rng = new Random(3);
    const X = randomMatrix(rng, 5, 7, 0), W = randomMatrix(rng, 7, 9, 0), b = randomMatrix(rng, 1, 9, 0);
    const A = onBoth(() => new Dense({ units: 9, activation: "relu", weights: { W, b } }).forward(X));
    expect(Array.from(A.fast.data)).toEqual(Array.from(A.reference.data));
  });

  it("keeps the reference's error messages", () => {
    setBackend("fast");
    const layer = new Dense({ units: 3, inputDim: 2 });
    expect(() => layer.forward(Matrix.zeros(4, 5))).toThrow(/expected X to have shape \[m, 2\], got \[4, 5\]/);
    expect(() => layer.forward(Matrix.from([[NaN, 1]]))).toThrow(/X/);
  });
});

describe("Adam: fast and reference agree, and snapshots stay honest", () => {
  it("the same steps give the same W, m and v, exactly (same operations, same order), for odd sizes too", () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 1e6 }),
      (rows, cols, steps, seed) => {
        const rng = new Random(seed);
        const W0 = randomMatrix(rng, rows, cols, 0);
        const grads = Array.from({ length: steps }, () => randomMatrix(rng, rows, cols, 0.1));
        const r = onBoth(() => {
          const p = new Param("W", W0);
          const adam = new Adam({ learningRate: 0.01 });
          for (const g of grads) { p.grad = g; adam.step([p]); }
          return Array.from(p.value.data);
        });
        expect(r.fast).toEqual(r.reference);
      }), { numRuns: 100 });
  });

  it("switching backend between steps keeps m and v (the fast path keeps them in the module between its steps)", () => {
    fc.assert(fc.property(
      fc.array(fc.constantFrom<LibraryBackend>("fast", "reference"), { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 7 }),
      fc.integer({ min: 0, max: 1e6 }),
      (backends, cols, seed) => {
        const rng = new Random(seed);
        const W0 = randomMatrix(rng, 3, cols, 0);
        const grads = backends.map(() => randomMatrix(rng, 3, cols, 0));
        const run = (which: (k: number) => LibraryBackend) => {
          const p = new Param("W", W0);
          const adam = new Adam({ learningRate: 0.01 });
          grads.forEach((g, k) => { setBackend(which(k)); p.grad = g; adam.step([p]); });
          return Array.from(p.value.data);
        };
        expect(run((k) => backends[k])).toEqual(run(() => "reference"));
      }), { numRuns: 100 });
  });

  for (const backend of ["reference", "fast"] as LibraryBackend[]) {
    it(`${backend}: a W read before a step keeps its numbers after it; the Param's value moves on`, () => {
      setBackend(backend);
      const W0 = Matrix.from([[1, 2], [3, 4]]);
      const p = new Param("W", W0);
      const adam = new Adam({ learningRate: 0.1 });
      p.grad = Matrix.from([[1, -1], [1, -1]]);
      const before = p.value;
      adam.step([p]);
      expect(before.toArray()).toEqual([[1, 2], [3, 4]]);
      expect(W0.toArray()).toEqual([[1, 2], [3, 4]]);
      const after = p.value;
      expect(after.toArray()[0][0]).toBeCloseTo(0.9, 6);
      adam.step([p]);
      expect(after.toArray()[0][0]).toBeCloseTo(0.9, 6); // the snapshot after step 1 is kept too
      expect(p.value.get(0, 0)).toBeCloseTo(0.8, 2);
    });

    it(`${backend}: steps nobody read between update one W in place; a read costs one copy`, () => {
      setBackend(backend);
      const p = new Param("W", Matrix.from([[1, 2]]));
      const adam = new Adam();
      p.grad = Matrix.from([[1, 1]]);
      adam.step([p]); // the first step copies: the constructor's Matrix belongs to the caller
      const working = p.peek();
      adam.step([p]);
      adam.step([p]);
      expect(p.peek()).toBe(working);
      const snapshot = p.value;
      const numbers = Array.from(snapshot.data);
      adam.step([p]);
      expect(p.peek()).not.toBe(snapshot);
      expect(Array.from(snapshot.data)).toEqual(numbers);
    });

    it(`${backend}: model.getWeights() before fit still holds the initial weights after it`, () => {
      setBackend(backend);
      const rng = new Random(1);
      const model = new Sequential([new Dense({ units: 4, inputDim: 3, activation: "relu", rng }), new Dense({ units: 2, rng })]);
      model.compile({ optimizer: "adam", loss: "meanSquaredError" });
      const before = model.getWeights();
      const copies = before.map((W) => Array.from(W.data));
      const X = randomMatrix(rng, 10, 3, 0), Y = randomMatrix(rng, 10, 2, 0);
      model.fit(X, Y, { epochs: 2, batchSize: 3, seed: 1 });
      before.forEach((W, k) => expect(Array.from(W.data)).toEqual(copies[k]));
      expect(Array.from(model.getWeights()[0].data)).not.toEqual(copies[0]);
    });
  }
});

describe("training: fast and reference agree", () => {
  it("a few epochs of a 784-16-10 softmax network on sparse inputs, batch 7 (not a tile multiple)", () => {
    const rng = new Random(11);
    const X = randomMatrix(rng, 50, 784, 0.81).map(Math.abs);
    const labels = Array.from({ length: 50 }, (_, i) => i % 10);
    const Y = Matrix.wrap(50, 10, Float64Array.from({ length: 500 }, (_, k) => (labels[Math.floor(k / 10)] === k % 10 ? 1 : 0)));
    const r = onBoth(() => {
      const r2 = new Random(5);
      const model = new Sequential([
        new Dense({ units: 16, inputDim: 784, activation: "relu", rng: r2 }),
        new Dense({ units: 10, activation: "softmax", rng: r2 }),
      ]);
      model.compile({ optimizer: "adam", loss: "categoricalCrossentropy" });
      const history = model.fit(X, Y, { epochs: 3, batchSize: 7, seed: 2 });
      return { loss: history.history.loss, W: model.getWeights() };
    });
    // Rounding differences (≈1e-16 relative) grow through 24 steps of training to far less than 1e-9.
    r.fast.loss.forEach((l, k) => expect(l).toBeCloseTo(r.reference.loss[k], 9));
    r.fast.W.forEach((W, k) => W.data.forEach((v, i) => expect(v).toBeCloseTo(r.reference.W[k].data[i], 9)));
  });
});

describe("without the built kernels", () => {
  it("the library says so once, naming the file and the command, and runs the reference; setBackend(\"fast\") says what to do", async () => {
    const { spawnSync } = await import("node:child_process");
    // A process in which reading kernels.wasm fails as it does when the file was never built.
    const script = `
      const fs = require("fs"); const read = fs.readFileSync;
      fs.readFileSync = (f, ...a) => { if (String(f).endsWith("kernels.wasm")) throw Object.assign(new Error("ENOENT"), { code: "ENOENT" }); return read(f, ...a); };
      const b = require("byhand");
      console.log(b.getBackend());
      console.log(b.Matrix.from([[1, 2]]).matmul(b.Matrix.from([[3], [4]])).data[0]);
      console.log(b.Matrix.from([[5, 6]]).matmul(b.Matrix.from([[1], [1]])).data[0]);
      try { b.setBackend("fast"); } catch (e) { console.log(e.message); }`;
    const env = { ...process.env };
    delete env.BYHAND_BACKEND;
    const r = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", env });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim().split("\n")).toEqual(["reference", "11", "11",
      "setBackend: the fast kernels are not built (lib/wasm/kernels.wasm is missing). Run npm run build."]);
    const warnings = r.stderr.trim().split("\n");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^byhand: .*kernels\.wasm not found \(npm run build makes it\); using the reference backend\.$/);
  });
});
