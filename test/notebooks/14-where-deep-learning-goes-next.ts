/**
 * Chapter 14's own checks: the RNN, LSTM and attention results recomputed here from their
 * formulas in plain loops (never copied from the notebook's output) and compared with the
 * notebook's hand-written and TensorFlow.js results; its figures; and each exercise's check,
 * run against plausible wrong answers.
 */
import { expect, it } from "vitest";
import { chapterRun, expectRejected, maxAbsDiff } from "../harness/chapter";
import type { ChapterChecks } from "../harness/suite";

type MatrixLike = { rows: number; cols: number; data: Float64Array };

const rows = (m: MatrixLike): number[][] =>
  Array.from({ length: m.rows }, (_, i) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
/** x·W for a vector x and a matrix W given as rows. */
const vecMat = (x: number[], W: number[][]): number[] => W[0].map((_, j) => x.reduce((s, xi, i) => s + xi * W[i][j], 0));
const sig = (z: number) => 1 / (1 + Math.exp(-z));

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
    const Wx = rows(l.lstmWx), Wh = rows(l.lstmWh), b = Array.from(l.lstmB.data), n = 3;
    let h = [0, 0, 0], cell = [0, 0, 0];
    const hs: number[][] = [], cs: number[][] = [];
    for (const x of l.seqX) {
      const zx = vecMat(x, Wx), zh = vecMat(h, Wh);
      const z = zx.map((v, j) => v + zh[j] + b[j]);
      const i = z.slice(0, n).map(sig), f = z.slice(n, 2 * n).map(sig);
      const g = z.slice(2 * n, 3 * n).map(Math.tanh), o = z.slice(3 * n).map(sig);
      cell = cell.map((cp, k) => f[k] * cp + i[k] * g[k]);
      h = cell.map((ck, k) => o[k] * Math.tanh(ck));
      hs.push(h);
      cs.push(cell);
    }
    expect(maxAbsDiff(l.lstmHand.flat(), hs.flat())).toBeLessThan(F64);
    expect(maxAbsDiff(l.lstmCellHand.flat(), cs.flat())).toBeLessThan(F64);
    expect(maxAbsDiff(l.lstmTf.flat(), hs.flat())).toBeLessThan(F32);
    expect(maxAbsDiff(l.lstmCellTf, cs[7])).toBeLessThan(F32);
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

  it("14.4: the gradient through 50 steps is 0.9⁵⁰ ≈ 0.0052 and 1.1⁵⁰ ≈ 117; the MNIST epoch costs ≈ 1.83e10 multiply-adds", () => {
    const l = c.locals() as { gainVanish: number[]; gainExplode: number[]; mnistMacs: number };
    expect(l.gainVanish[50]).toBeCloseTo(0.005154, 5);
    expect(l.gainExplode[50]).toBeCloseTo(117.39, 1);
    expect(l.mnistMacs).toBe(3 * 60000 * (784 * 128 + 128 * 10));
    expect(c.stdout()).toMatch(/along the gradient: 1\.44, against it: 0\.64/);
    // w = (1, 2, 0) and (1, 0, 2) both fit (0, 1), (1, 3); at x = 2 they give 1 + 4 and 1 + 8.
    expect(c.stdout()).toMatch(/prediction at x = 2: 5 and 9/);
  });

  it("has the five pictures", () => {
    const diagram = c.figureTitled(/RNN unrolled over 4 steps/);
    expect(diagram.data).toHaveLength(3);
    expect((diagram.layout.annotations as unknown[]).length).toBe(4 * 3 * 2); // 3 arrows per step, each with a label
    expect(c.figureTitled(/Simple RNN/).data).toHaveLength(6);
    expect(c.figureTitled(/LSTM cell/).data).toHaveLength(5);
    expect(c.figureTitled(/attention/i).data[0].type).toBe("heatmap");
    expect(c.figureTitled(/Gradient reaching step 0/).data).toHaveLength(3);
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
};

export default checks;
