/**
 * npm run bench [-- --json] [-- --quick] [-- --reference] [-- --only=matmul,dense,mnist,inference,notebooks]
 *
 * The hand-built library beside every TensorFlow.js backend this machine has, in one run:
 * matrix multiply, one Dense layer forward + backward, MNIST training and inference, and
 * the course's notebooks, and the MNIST epoch's peak memory. Each figure is the median of
 * several runs, with min–max. The library runs its default fast backend (WebAssembly);
 * --reference runs the readable reference code instead (notebooks too, via BYHAND_BACKEND).
 * Ratios are (best tfjs time) / (library time): above 1, the library is faster.
 * When python3 with NumPy is present, the same MNIST network in NumPy runs as a peer.
 * Nothing here is a test; `npm test` never depends on timing.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import * as path from "node:path";
import { createRequire } from "node:module";
// The built library, as the notebooks load it (not the TypeScript sources through a transform).
import type * as Byhand from "../lib/src/index";
const byhand = createRequire(import.meta.url)("byhand") as typeof Byhand;
const { Adam, Dense, getBackend, loadMnist, loadTf, Matrix, mnistDir, mnistXy, oneHot, Random, Sequential } = byhand;
type Matrix = Byhand.Matrix;
type BackendName = Byhand.BackendName;
type Tf = Byhand.Tf;
import { allNotebooks } from "../scripts/notebooks.mjs";

const args = process.argv.slice(2);
const json = args.includes("--json");
const quick = args.includes("--quick");
const only = args.find((a) => a.startsWith("--only="))?.slice(7).split(",");
const wants = (part: string) => !only || only.includes(part);
const EPOCHS = quick ? 1 : 3;
if (args.includes("--reference")) {
  process.env.BYHAND_BACKEND = "reference"; // for the notebooks, each run in a process of its own
  byhand.setBackend("reference");
}
const say = (s: string) => { if (!json) console.log(s); };

interface Stat { median: number; min: number; max: number; runs: number }
interface Row { name: string; unit: string; library: Stat; tfjs: Record<string, Stat>; better: "lower" | "higher"; note?: string }
const rows: Row[] = [];

function stat(samples: number[]): Stat {
  const s = [...samples].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return { median: s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2, min: s[0], max: s[s.length - 1], runs: s.length };
}

async function time(fn: () => unknown | Promise<unknown>, runs: number, warmup = 1): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    out.push((performance.now() - t0) / 1000);
  }
  return out;
}

/** The tfjs backends that start here, fastest first. */
async function backends(): Promise<BackendName[]> {
  const found: BackendName[] = [];
  for (const b of ["tensorflow", "wasm", "cpu"] as BackendName[]) {
    try { await loadTf({ backend: b, quiet: true }); found.push(b); } catch { /* not installed here */ }
  }
  return found;
}

async function withBackend(b: BackendName): Promise<Tf> {
  return loadTf({ backend: b, quiet: true });
}

async function benchMatmul(bes: BackendName[]) {
  const rng = new Random(1);
  for (const [m, n, p, runs] of [[256, 256, 256, 20], [512, 512, 512, 8], [32, 784, 64, 200]] as const) {
    const A = rng.uniformMatrix(m, n, -1, 1), B = rng.uniformMatrix(n, p, -1, 1);
    const flops = 2 * m * n * p;
    const lib = stat((await time(() => A.matmul(B), runs)).map((t) => flops / t / 1e9));
    const tfjs: Record<string, Stat> = {};
    for (const b of bes) {
      const tf = await withBackend(b);
      const a = tf.tensor2d(Float32Array.from(A.data), [m, n]), bt = tf.tensor2d(Float32Array.from(B.data), [n, p]);
      tfjs[b] = stat((await time(() => { const c = tf.matMul(a, bt); c.dataSync(); c.dispose(); }, runs, 3)).map((t) => flops / t / 1e9));
      a.dispose(); bt.dispose();
    }
    rows.push({ name: `matmul ${m}x${n}·${n}x${p}`, unit: "GFLOP/s", library: lib, tfjs, better: "higher" });
    say(`  matmul ${m}x${n}·${n}x${p}: library ${lib.median.toFixed(2)} GFLOP/s`);
  }
}

async function benchDense(bes: BackendName[], X: Matrix) {
  const rng = new Random(2);
  const layer = new Dense({ units: 64, inputDim: 784, activation: "relu", rng });
  const dA = rng.uniformMatrix(32, 64, -1, 1);
  const runs = 200;
  const lib = stat(await time(() => { layer.forward(X); layer.backward(dA); }, runs, 5));
  const tfjs: Record<string, Stat> = {};
  for (const b of bes) {
    const tf = await withBackend(b);
    const x = tf.tensor2d(Float32Array.from(X.data), [32, 784]), W = tf.tensor2d(Float32Array.from(layer.W!.value.data), [784, 64]);
    const bias = tf.tensor1d(new Float32Array(64)), dAt = tf.tensor2d(Float32Array.from(dA.data), [32, 64]);
    // Gradients with respect to X, W and b, as the library's backward returns dX and stores dW, db.
    const f = (xx: any, WW: any, bb: any) => tf.sum(tf.mul(tf.relu(tf.add(tf.matMul(xx, WW), bb)), dAt));
    const g = tf.grads(f as any);
    tfjs[b] = stat(await time(() => { const gs = g([x, W, bias]); gs.forEach((t) => t.dataSync()); tf.dispose(gs); }, runs, 5));
  }
  rows.push({ name: "Dense(64, relu) forward+backward, batch 32×784", unit: "s", library: lib, tfjs, better: "lower" });
  say(`  dense forward+backward: library ${(lib.median * 1e3).toFixed(3)} ms`);
}

function makeModel(seed: number) {
  const rng = new Random(seed);
  const model = new Sequential([
    new Dense({ units: 64, inputDim: 784, activation: "relu", rng }),
    new Dense({ units: 64, activation: "relu", rng }),
    new Dense({ units: 10, activation: "softmax", rng }),
  ]);
  // No metrics during training: both sides time the training loop alone.
  model.compile({ optimizer: new Adam({ learningRate: 0.001 }), loss: "categoricalCrossentropy" });
  return model;
}

async function benchMnist(bes: BackendName[]) {
  const data = loadMnist();
  const train = mnistXy(data.train);
  const test = mnistXy(data.test);
  const Y = oneHot(train.y, 10);
  const orders = Array.from({ length: EPOCHS }, (_, e) => new Random(100 + e).permutation(60000));

  const model = makeModel(0);
  const initial = model.getWeights();
  const libEpochs: number[] = [];
  for (const order of orders) {
    const Xp = rowsAt(train.X, order), Yp = rowsAt(Y, order);
    const t0 = performance.now();
    model.fit(Xp, Yp, { epochs: 1, batchSize: 32, shuffle: false });
    libEpochs.push((performance.now() - t0) / 1000);
    say(`  library epoch: ${libEpochs[libEpochs.length - 1].toFixed(2)} s`);
  }
  const libAcc = accuracyOf(model.predict(test.X), test.y.data);
  const memory = epochMemory(rowsAt(train.X, orders[0]), rowsAt(Y, orders[0]));
  say(`  library epoch memory: peak RSS ${mb(memory.peakRss)}, peak JS heap + array buffers ${mb(memory.peakHeap)} ` +
    `(${mb(memory.peakHeap - memory.startHeap)} above the start)`);
  const libInfer = stat((await time(() => model.predict(test.X), 5)).map((t) => 10000 / t));

  const epochs: Record<string, Stat> = {}, infer: Record<string, Stat> = {};
  const accuracy: Record<string, number> = { library: libAcc };
  for (const b of bes) {
    const tf = await withBackend(b);
    const twin = tf.sequential({ layers: [
      tf.layers.dense({ units: 64, inputShape: [784], activation: "relu" }),
      tf.layers.dense({ units: 64, activation: "relu" }),
      tf.layers.dense({ units: 10, activation: "softmax" }),
    ] });
    const shapes = twin.getWeights().map((t) => t.shape);
    twin.setWeights(initial.map((W, k) => tf.tensor(Float32Array.from(W.data), shapes[k])));
    const optimizer = tf.train.adam(0.001);
    const xs = tf.tensor2d(Float32Array.from(train.X.data), [60000, 784]);
    const ys = tf.tensor2d(Float32Array.from(Y.data), [60000, 10]);
    // The cpu backend needs about half a minute an epoch or more: one epoch is enough to time it.
    const n = b === "cpu" && !quick ? 1 : EPOCHS;
    const times: number[] = [];
    for (let e = 0; e < n; e++) {
      // The batches are cut before the clock starts, as the library's are made by slicing
      // arrays; what is timed is the training loop alone: one optimizer step per batch.
      // (model.fit adds per-batch bookkeeping and event-loop yields that cost tfjs seconds more.)
      const batches: [any, any][] = [];
      for (let i = 0; i < 60000; i += 32) {
        const idx = tf.tensor1d(Int32Array.from(orders[e].slice(i, i + 32)), "int32");
        batches.push([tf.gather(xs, idx), tf.gather(ys, idx)]);
        idx.dispose();
      }
      const t0 = performance.now();
      for (const [xb, yb] of batches) {
        tf.tidy(() => {
          optimizer.minimize(() => tf.mean(tf.metrics.categoricalCrossentropy(yb, twin.apply(xb, { training: true }) as any)) as any);
        });
      }
      twin.getWeights()[0].dataSync(); // wait for the last step
      times.push((performance.now() - t0) / 1000);
      tf.dispose(batches.flat());
      say(`  tfjs-${b} epoch: ${times[times.length - 1].toFixed(2)} s`);
    }
    epochs[b] = stat(times);
    const xt = tf.tensor2d(Float32Array.from(test.X.data), [10000, 784]);
    if (n === EPOCHS) {
      const pred = (twin.predict(xt, { batchSize: 10000 }) as any).argMax(1).dataSync() as Int32Array;
      accuracy[`tfjs-${b}`] = pred.reduce((s: number, c: number, i: number) => s + (c === test.y.data[i] ? 1 : 0), 0) / 10000;
    }
    // All 10,000 in one batch, as the library's predict does (tfjs's default would be batches of 32).
    infer[b] = stat((await time(() => { const p = twin.predict(xt, { batchSize: 10000 }) as any; p.dataSync(); p.dispose(); }, 5))
      .map((t) => 10000 / t));
    tf.dispose([xs, ys, xt]);
  }
  const accText = Object.entries(accuracy).map(([k, v]) => `${k} ${(100 * v).toFixed(2)}%`).join(", ");
  rows.push({ name: `MNIST 784-64-64-10 epoch (60k, Adam, batch 32)`, unit: "s", library: stat(libEpochs), tfjs: epochs, better: "lower",
    note: `test accuracy after ${EPOCHS} epoch(s): ${accText}` });
  rows.push({ name: "MNIST inference (10k test images)", unit: "images/s", library: libInfer, tfjs: infer, better: "higher" });
  return { initial, orders, libEpochs, accuracy, memory };
}

/**
 * The memory one more (untimed) epoch of a fresh model uses: process.memoryUsage() after
 * every 25th batch, as peak resident set size and peak JS heap + array buffers (the matrices'
 * Float64Arrays and the WebAssembly memory count among the array buffers).
 */
function epochMemory(X: Matrix, Y: Matrix) {
  const model = makeModel(0);
  const now = () => { const u = process.memoryUsage(); return { rss: u.rss, heap: u.heapUsed + u.arrayBuffers }; };
  const start = now();
  let peakRss = start.rss, peakHeap = start.heap;
  model.fit(X, Y, { epochs: 1, batchSize: 32, shuffle: false, onBatchEnd: (batch) => {
    if (batch % 25) return;
    const u = now();
    peakRss = Math.max(peakRss, u.rss);
    peakHeap = Math.max(peakHeap, u.heap);
  } });
  return { startRss: start.rss, startHeap: start.heap, peakRss, peakHeap };
}

function mb(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(0)} MiB`;
}

/** The rows of X in the given order (outside the timed loop). */
function rowsAt(X: Matrix, order: number[]): Matrix {
  const out = new Matrix(order.length, X.cols);
  order.forEach((i, r) => out.data.set(X.data.subarray(i * X.cols, (i + 1) * X.cols), r * X.cols));
  return out;
}

/** The share of rows whose largest entry sits at the label's column. */
function accuracyOf(P: Matrix, labels: ArrayLike<number>): number {
  let hits = 0;
  for (let i = 0; i < P.rows; i++) {
    let best = 0;
    for (let j = 1; j < P.cols; j++) if (P.data[i * P.cols + j] > P.data[i * P.cols + best]) best = j;
    if (best === labels[i]) hits++;
  }
  return hits / P.rows;
}

function runNumpy(initial: Matrix[], orders: number[][]) {
  const python = ["python3", "/usr/bin/python3"].find((p) => spawnSync(p, ["-c", "import numpy"], { stdio: "ignore" }).status === 0);
  if (!python) return { skipped: "python3 with NumPy not found" };
  const dir = mkdtempSync(path.join(tmpdir(), "bench-numpy-"));
  try {
    writeFileSync(path.join(dir, "mnist_dir.txt"), mnistDir());
    writeFileSync(path.join(dir, "shapes.json"), JSON.stringify(initial.map((W) => [W.rows, W.cols])));
    initial.forEach((W, k) => writeFileSync(path.join(dir, `weights_${k}.f32`), Buffer.from(Float32Array.from(W.data).buffer)));
    orders.forEach((o, e) => writeFileSync(path.join(dir, `order_${e}.i32`), Buffer.from(Int32Array.from(o).buffer)));
    const r = spawnSync(python, [path.join(__dirname, "numpy_mlp.py"), dir], { encoding: "utf8", maxBuffer: 1 << 24 });
    if (r.status !== 0) return { skipped: `the NumPy script failed: ${r.stderr.slice(-500)}` };
    return JSON.parse(r.stdout.trim().split("\n").pop()!) as { epoch_seconds: number[]; test_accuracy: number; numpy: string; blas: string };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function benchNotebooks() {
  const vn = path.join(__dirname, "..", "node_modules", ".bin", "vite-node");
  const cli = path.join(__dirname, "..", "test", "harness", "cli.ts");
  const out: { name: string; seconds: number; ok: boolean }[] = [];
  for (const f of allNotebooks()) {
    const t0 = performance.now();
    const r = spawnSync(vn, [cli, f], { encoding: "utf8" });
    out.push({ name: path.basename(f, ".ipynb"), seconds: (performance.now() - t0) / 1000, ok: r.status === 0 });
    say(`  ${out[out.length - 1].name}: ${out[out.length - 1].seconds.toFixed(1)} s${r.status === 0 ? "" : " (FAILED)"}`);
  }
  return out;
}

function fmt(s: Stat, unit: string): string {
  const v = (x: number) => (unit === "s" ? (x < 0.1 ? `${(x * 1e3).toFixed(3)} ms` : `${x.toFixed(2)} s`) : `${x >= 1e4 ? x.toFixed(0) : x.toPrecision(3)}`);
  return `${v(s.median)} (${v(s.min)}–${v(s.max)}, n=${s.runs})`;
}

async function main() {
  const bes = await backends();
  say(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, Node ${process.version}; library backend: ${getBackend()}; ` +
    `tfjs backends: ${bes.join(", ")}`);
  let mnist: Awaited<ReturnType<typeof benchMnist>> | null = null;
  let numpy: ReturnType<typeof runNumpy> | null = null;
  let notebooks: ReturnType<typeof benchNotebooks> | null = null;
  if (wants("matmul")) await benchMatmul(bes);
  if (wants("dense")) {
    const data = loadMnist();
    await benchDense(bes, mnistXy(data.train, { start: 0, end: 32 }).X);
  }
  if (wants("mnist")) {
    mnist = await benchMnist(bes);
    say("  NumPy peer…");
    numpy = runNumpy(mnist.initial, mnist.orders);
  }
  if (wants("notebooks")) notebooks = benchNotebooks();

  const ratios: Record<string, number> = {};
  for (const r of rows) {
    const best = Object.values(r.tfjs).map((s) => s.median);
    if (!best.length) continue;
    // As times: a rate (GFLOP/s, images/s) is turned into time by taking its inverse.
    ratios[r.name] = r.better === "lower" ? Math.min(...best) / r.library.median : r.library.median / Math.max(...best);
  }
  if (mnist && numpy && "epoch_seconds" in numpy) {
    ratios.numpy = stat(numpy.epoch_seconds).median / stat(mnist.libEpochs).median;
  }
  const result = { machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version }, libraryBackend: getBackend(),
    backends: bes, rows, ratios, numpy, notebooks, accuracy: mnist?.accuracy ?? null, memory: mnist?.memory ?? null,
    courseSeconds: notebooks ? notebooks.reduce((s, n) => s + n.seconds, 0) : null };
  if (json) {
    console.log(JSON.stringify(result));
    return;
  }
  console.log("\n| benchmark | unit | library | " + bes.map((b) => `tfjs-${b}`).join(" | ") + " | ratio |");
  console.log("|---|---|---|" + bes.map(() => "---|").join("") + "---|");
  for (const r of rows) {
    console.log(`| ${r.name} | ${r.unit} | ${fmt(r.library, r.unit)} | ` + bes.map((b) => (r.tfjs[b] ? fmt(r.tfjs[b], r.unit) : "–")).join(" | ") +
      ` | ${ratios[r.name]?.toFixed(2) ?? "–"} |`);
  }
  for (const r of rows) if (r.note) console.log(`\n${r.name}: ${r.note}`);
  if (mnist) {
    const m = mnist.memory;
    console.log(`\nMNIST epoch memory (library, ${getBackend()} backend): peak RSS ${mb(m.peakRss)}; peak JS heap + array buffers ` +
      `${mb(m.peakHeap)}, ${mb(m.peakHeap - m.startHeap)} above the epoch's start`);
  }
  if (numpy) {
    console.log("\nNumPy peer: " + ("skipped" in numpy ? `skipped (${numpy.skipped})` :
      `${fmt(stat(numpy.epoch_seconds), "s")} per epoch, test accuracy ${(100 * numpy.test_accuracy).toFixed(2)}%, ` +
      `numpy ${numpy.numpy} (${numpy.blas}); ratio numpy/library ${ratios.numpy.toFixed(2)}`));
  }
  if (notebooks) {
    console.log(`\nCourse: ${notebooks.map((n) => `${n.name} ${n.seconds.toFixed(1)} s${n.ok ? "" : " FAILED"}`).join(", ")}; ` +
      `total ${notebooks.reduce((s, n) => s + n.seconds, 0).toFixed(1)} s`);
  }
  console.log("\nRatios are (best tfjs time) / (library time); above 1 means the library is faster.");
}

main().catch((e) => { console.error(e); process.exit(1); });
