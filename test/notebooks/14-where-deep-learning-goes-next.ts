/**
 * Chapter 14's own checks: the RNN, LSTM and attention results recomputed here from their
 * formulas in plain loops (never copied from the notebook's output) and compared with the
 * notebook's hand-written and TensorFlow.js results; its figures; and each exercise's check,
 * run against plausible wrong answers.
 */
import { expect, it } from "vitest";
import { accepts, chapterRun, expectRejected, maxAbsDiff } from "../harness/chapter";
import type { ChapterChecks } from "../harness/suite";

type MatrixLike = { rows: number; cols: number; data: Float64Array };

const rows = (m: MatrixLike): number[][] =>
  Array.from({ length: m.rows }, (_, i) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
/** x·W for a vector x and a matrix W given as rows. */
const vecMat = (x: number[], W: number[][]): number[] => W[0].map((_, j) => x.reduce((s, xi, i) => s + xi * W[i][j], 0));
const sig = (z: number) => 1 / (1 + Math.exp(-z));

/** The LSTM of 14.2 in plain loops, blocks i, f, g, o; returns every h and c. */
function lstmLoops(Wx: number[][], Wh: number[][], b: number[], xs: number[][], n: number) {
  let h = new Array(n).fill(0), cell = new Array(n).fill(0);
  const hs: number[][] = [], cs: number[][] = [];
  for (const x of xs) {
    const zx = vecMat(x, Wx), zh = vecMat(h, Wh);
    const z = zx.map((v, j) => v + zh[j] + b[j]);
    const i = z.slice(0, n).map(sig), f = z.slice(n, 2 * n).map(sig);
    const g = z.slice(2 * n, 3 * n).map(Math.tanh), o = z.slice(3 * n).map(sig);
    cell = cell.map((cp, k) => f[k] * cp + i[k] * g[k]);
    h = cell.map((ck, k) => o[k] * Math.tanh(ck));
    hs.push(h);
    cs.push(cell);
  }
  return { hs: hs, cs: cs };
}

/** ∂h_T/∂h_0 for T = 0..xs.length of h_t = tanh(w·h_{t−1} + x_t), h_0 = 0, by forward-mode products. */
function tanhGains(w: number, xs: number[]): number[] {
  const out = [1];
  let h = 0, g = 1;
  for (const x of xs) {
    h = Math.tanh(w * h + x);
    g *= w * (1 - h * h);
    out.push(g);
  }
  return out;
}

// float32 in tfjs: about 7 significant digits on values of size ≤ 1 after 8 steps, so 1e-5;
// the notebook's hand code is float64 like this file, so 1e-12.
const F32 = 1e-5, F64 = 1e-12;

const checks: ChapterChecks = (run) => {
  const c = chapterRun(run);

  it("14.1: h_t = tanh(x_t·Wx + h_{t−1}·Wh + b) over 8 steps; hand and tf.layers.simpleRNN agree", () => {
    const l = c.locals() as { rnnWx: MatrixLike; rnnWh: MatrixLike; rnnB: MatrixLike; seqX: number[][]; rnnHand: number[][]; rnnTf: number[][] };
    expect(l.seqX).toHaveLength(8);
    l.seqX.forEach((x, t) => expect(maxAbsDiff(x, [Math.sin((t + 1) / 2), Math.cos((t + 1) / 2)])).toBeLessThan(F64));
    const Wx = rows(l.rnnWx), Wh = rows(l.rnnWh), b = Array.from(l.rnnB.data);
    let h = [0, 0, 0];
    const expected: number[][] = [];
    for (const x of l.seqX) {
      const zx = vecMat(x, Wx), zh = vecMat(h, Wh);
      h = zx.map((v, j) => Math.tanh(v + zh[j] + b[j]));
      expected.push(h);
    }
    expect(maxAbsDiff(l.rnnHand.flat(), expected.flat())).toBeLessThan(F64);
    expect(maxAbsDiff(l.rnnTf.flat(), expected.flat())).toBeLessThan(F32);
  });

  it("14.2: the LSTM cell in tfjs's gate order i, f, g, o with sigmoid gates; hand and tf.layers.lstm agree on h and c", () => {
    const l = c.locals() as {
      lstmWx: MatrixLike; lstmWh: MatrixLike; lstmB: MatrixLike; seqX: number[][];
      lstmHand: number[][]; lstmCellHand: number[][]; lstmTf: number[][]; lstmCellTf: number[];
    };
    const { hs, cs } = lstmLoops(rows(l.lstmWx), rows(l.lstmWh), Array.from(l.lstmB.data), l.seqX, 3);
    expect(maxAbsDiff(l.lstmHand.flat(), hs.flat())).toBeLessThan(F64);
    expect(maxAbsDiff(l.lstmCellHand.flat(), cs.flat())).toBeLessThan(F64);
    expect(maxAbsDiff(l.lstmTf.flat(), hs.flat())).toBeLessThan(F32);
    expect(maxAbsDiff(l.lstmCellTf, cs[7])).toBeLessThan(F32);
  });

  it("14.2: tfjs's LSTM bias blocks are i, f, c, o (unitForgetBias puts 1s in block 1); swapping f and g changes h", () => {
    expect(c.stdout()).toMatch(/bias blocks with unitForgetBias: 0, 0, 0 \| 1, 1, 1 \| 0, 0, 0 \| 0, 0, 0/);
    const gap = Number(/f and g swapped: largest difference from the hand cell ([0-9.]+)/.exec(c.stdout())?.[1]);
    expect(gap).toBeGreaterThan(0.05);
  });

  it("14.2: the dotted cell is the same LSTM with 5 added to the forget bias (columns 3–5)", () => {
    const l = c.locals() as {
      lstmWx: MatrixLike; lstmWh: MatrixLike; lstmB: MatrixLike; seqX: number[][];
      lstmCellKeep: number[][]; lstmForgetKeep: number[];
    };
    const b = Array.from(l.lstmB.data).map((v, j) => (j >= 3 && j < 6 ? v + 5 : v));
    const { cs } = lstmLoops(rows(l.lstmWx), rows(l.lstmWh), b, l.seqX, 3);
    expect(maxAbsDiff(l.lstmCellKeep.flat(), cs.flat())).toBeLessThan(F64);
    l.lstmForgetKeep.forEach((f) => expect(f).toBeGreaterThan(0.99));
  });

  it("14.2: tfjs's default hardSigmoid is clip(0.2z + 0.5, 0, 1)", () => {
    const l = c.locals() as { hardZ: number[]; hardTf: number[] };
    expect(l.hardZ).toEqual([-3, -2.5, -1, 0, 1, 2.5, 3]);
    expect(maxAbsDiff(l.hardTf, [0, 0, 0.3, 0.5, 0.7, 1, 1])).toBeLessThan(1e-6);
  });

  it("14.3: attention = softmax(QKᵀ/√4)·V; hand and tf.matMul + tf.softmax agree", () => {
    const l = c.locals() as {
      attQ: MatrixLike; attK: MatrixLike; attV: MatrixLike;
      attHand: { weights: MatrixLike; out: MatrixLike }; attTfW: number[][]; attTf: number[][];
    };
    const Q = rows(l.attQ), K = rows(l.attK), V = rows(l.attV);
    const W = Q.map((q) => {
      const s = K.map((k) => k.reduce((a, kj, j) => a + kj * q[j], 0) / 2);
      const e = s.map(Math.exp), tot = e.reduce((a, v) => a + v, 0);
      return e.map((v) => v / tot);
    });
    const out = W.map((w) => vecMat(w, V));
    expect(maxAbsDiff(Array.from(l.attHand.weights.data), W.flat())).toBeLessThan(F64);
    expect(maxAbsDiff(Array.from(l.attHand.out.data), out.flat())).toBeLessThan(F64);
    expect(maxAbsDiff(l.attTfW.flat(), W.flat())).toBeLessThan(F32);
    expect(maxAbsDiff(l.attTf.flat(), out.flat())).toBeLessThan(F32);
  });

  it("14.3: with Q × 10 the weights are softmax(10·QKᵀ/2) and each row puts more weight on its top key", () => {
    const l = c.locals() as { attQ: MatrixLike; attK: MatrixLike; attHand: { weights: MatrixLike }; attSharp: MatrixLike };
    const Q = rows(l.attQ), K = rows(l.attK);
    const W = Q.map((q) => {
      const s = K.map((k) => (10 * k.reduce((a, kj, j) => a + kj * q[j], 0)) / 2);
      const top = Math.max(...s), e = s.map((v) => Math.exp(v - top)), tot = e.reduce((a, v) => a + v, 0);
      return e.map((v) => v / tot);
    });
    expect(maxAbsDiff(Array.from(l.attSharp.data), W.flat())).toBeLessThan(F64);
    const plain = rows(l.attHand.weights);
    W.forEach((row, r) => expect(Math.max(...row)).toBeGreaterThan(Math.max(...plain[r])));
  });

  it("14.3: the spread of q·k for d_k = 64 is about 8, and about 1 after dividing by √64", () => {
    const m = /spread of q·k = ([0-9.]+), of q·k\/√d_k = ([0-9.]+)/.exec(c.stdout());
    expect(Number(m?.[1])).toBeGreaterThan(7.5);
    expect(Number(m?.[1])).toBeLessThan(8.5);
    expect(Number(m?.[2])).toBeCloseTo(Number(m?.[1]) / 8, 2);
  });

  it("14.4: the rare group's error; the fitted slope is near group A's 1", () => {
    const f = c.locals().fairness as { w: number; all: number; A: number; B: number };
    expect(f.w).toBeGreaterThan(1);
    expect(f.w).toBeLessThan(1.1);
    expect(f.all).toBeCloseTo((190 * f.A + 10 * f.B) / 200, 12);
    expect(f.B).toBeGreaterThan(10 * f.A);
  });

  it("14.4: the tanh unit's gain by tf.grad matches the product of w·(1 − h_t²) and vanishes", () => {
    const l = c.locals() as { tanhXs: number[]; gainTanh: number[] };
    l.tanhXs.forEach((x, k) => expect(x).toBeCloseTo(Math.sin((k + 1) / 2), 12));
    const expected = tanhGains(1.1, l.tanhXs).map(Math.abs);
    expected.forEach((g, T) => expect(Math.abs(l.gainTanh[T] - g)).toBeLessThanOrEqual(1e-2 * g));
    expect(l.gainTanh[50]).toBeLessThan(1e-20);
  });

  it("14.4: the gradient through 50 steps is 0.9⁵⁰ ≈ 0.0052 and 1.1⁵⁰ ≈ 117; an epoch of chapter 13's network costs 5.50e9 multiply-adds", () => {
    const l = c.locals() as { gainVanish: number[]; gainExplode: number[]; mnistMacs: number };
    expect(l.gainVanish[50]).toBeCloseTo(0.005154, 5);
    expect(l.gainExplode[50]).toBeCloseTo(117.39, 1);
    // 784-64-64-10 on 48,000 training images: forward and dW one multiply-add per weight,
    // dX for layers 2 and 3 only.
    const weights = 784 * 64 + 64 * 64 + 64 * 10;
    expect(l.mnistMacs).toBe(48000 * (weights + weights + 64 * 64 + 64 * 10));
    expect(c.stdout()).toMatch(/against it with η = 1\.1: 1\.44/);
    expect(c.stdout()).toMatch(/kernel \[3,2\], bias \[2\]: 8 parameters/);
    expect(c.stdout()).toMatch(/along the gradient: 1\.44, against it: 0\.64/);
    // w = (1, 2, 0) and (1, 0, 2) both fit (0, 1), (1, 3); at x = 2 they give 1 + 4 and 1 + 8.
    expect(c.stdout()).toMatch(/prediction at x = 2: 5 and 9/);
  });

  it("has the six pictures", () => {
    const diagram = c.figureTitled(/RNN unrolled over 4 steps/);
    expect(diagram.data).toHaveLength(3);
    expect((diagram.layout.annotations as unknown[]).length).toBe(4 * 3 * 2); // 3 arrows per step, each with a label
    expect(c.figureTitled(/Simple RNN/).data).toHaveLength(6);
    expect(c.figureTitled(/LSTM cell/).data).toHaveLength(6);
    const att = c.figureTitled(/attention/i);
    expect(att.data.map((t) => t.type)).toEqual(["heatmap", "heatmap"]);
    expect(c.figureTitled(/Gradient reaching step 0/).data).toHaveLength(4);
  });

  it("Exercise 14.1 passes with the worked answer and rejects wrong hard sigmoids", () => {
    const { checkEx14_1, hardSigmoid } = c.locals();
    checkEx14_1(hardSigmoid);
    expectRejected(() => checkEx14_1(sig), /0\.2/);
    expectRejected(() => checkEx14_1((z: number) => 0.2 * z + 0.5), /Clip/); // no clipping: passes the visible cases
    expectRejected(() => checkEx14_1((z: number) => Math.min(1, 0.2 * z + 0.5)), /below z = −2\.5/);
    expectRejected(() => checkEx14_1((z: number) => Math.min(1, Math.max(0, z / 6 + 0.5))), /0\.2/); // PyTorch's slope
  });

  it("Exercise 14.2 passes with the worked answer and rejects wrong counts", () => {
    const { checkEx14_2, lstmParamCount } = c.locals();
    checkEx14_2(lstmParamCount);
    expectRejected(() => checkEx14_2((d: number, n: number) => 4 * n * (d + n)), /bias/);
    expectRejected(() => checkEx14_2((d: number, n: number) => n * (d + n + 1)), /four gates/);
    // Recurrent kernel counted as if n were always 3: right for 14.2's layer only (hidden cases).
    expectRejected(() => checkEx14_2((d: number, n: number) => 4 * n * (d + 1) + 4 * n * 3), /d \+ n weights per unit/);
  });

  it("Exercise 14.3 passes with the worked answer and rejects wrong masks and missing scaling", () => {
    const { checkEx14_3, causalAttention } = c.locals();
    checkEx14_3(causalAttention);
    const make = (mask: (j: number, r: number) => boolean, scale: boolean) =>
      (Q: number[][], K: number[][], V: number[][]) => Q.map((q, r) => {
        const s = K.map((k, j) => (mask(j, r) ? k.reduce((a, kj, i) => a + kj * q[i], 0) / (scale ? Math.sqrt(k.length) : 1) : -Infinity));
        const e = s.map(Math.exp), tot = e.reduce((a, v) => a + v, 0);
        return V[0].map((_, col) => e.reduce((a, w, j) => a + (w / tot) * V[j][col], 0));
      });
    expectRejected(() => checkEx14_3(make(() => true, true)), /mask j > r/);
    expectRejected(() => checkEx14_3(make((j, r) => j >= r, true)), /mask j > r/);
    expectRejected(() => checkEx14_3(make((j, r) => j <= r, false)), /√d_k/);
  });

  it("Exercise 14.4 passes with the worked answer and rejects wrong backward passes and searches", () => {
    const { checkEx14_4, tanhRnnGains, strongestGradient, tanhXs } = c.locals() as {
      checkEx14_4: (g: (w: number, xs: number[]) => number[], s: () => { w: number; gain: number }) => void;
      tanhRnnGains: (w: number, xs: number[]) => number[]; strongestGradient: () => { w: number; gain: number }; tanhXs: number[];
    };
    accepts(() => checkEx14_4(tanhRnnGains, strongestGradient));
    accepts(() => checkEx14_4(tanhGains, strongestGradient)); // this file's own loop agrees
    // Forgot tanh's slope: w^T.
    expectRejected(() => checkEx14_4((w, xs) => [1, ...xs.map((_, t) => w ** (t + 1))], strongestGradient), /1 − h_t²/);
    // tanh's slope at the old state h_{t−1}.
    const oldState = (w: number, xs: number[]) => {
      const out = [1];
      let h = 0, g = 1;
      for (const x of xs) {
        g *= w * (1 - h * h);
        h = Math.tanh(w * h + x);
        out.push(g);
      }
      return out;
    };
    expectRejected(() => checkEx14_4(oldState, strongestGradient), /not h_\{t−1\}/);
    // Without the leading 1.
    expectRejected(() => checkEx14_4((w, xs) => tanhGains(w, xs).slice(1), strongestGradient), /T = 0/);
    // A search over whole numbers only, and one that keeps the signed (not absolute) largest gain at T = 49.
    const search = (ws: number[], T: number, abs: boolean) => () => {
      let best = { w: 0, gain: -Infinity };
      for (const w of ws) {
        const g = tanhGains(w, tanhXs)[T];
        const v = abs ? Math.abs(g) : g;
        if (v > best.gain) best = { w: w, gain: v };
      }
      return best;
    };
    const grid = Array.from({ length: 1000 }, (_, k) => (k + 1) / 100);
    expectRejected(() => checkEx14_4(tanhGains, search([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50, true)), /k\/100/);
    expectRejected(() => checkEx14_4(tanhGains, search(grid, 49, true)), /k\/100|index 50/);
    // The right w with a wrong gain (here 10 times too large) is caught by the hidden gain check.
    const right = search(grid, 50, true)();
    expect(right.w).toBeCloseTo(2.03, 2);
    expectRejected(() => checkEx14_4(tanhGains, () => ({ w: right.w, gain: right.gain * 10 })), /index 50/);
  });
};

export default checks;
