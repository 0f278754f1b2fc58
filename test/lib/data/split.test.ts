import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ShapeError, ValueError } from "../../../lib/src/errors";
import { Matrix } from "../../../lib/src/matrix";
import { Random } from "../../../lib/src/random";
import { oneHot } from "../../../lib/src/data/onehot";
import { trainTestSplit, validationSplit } from "../../../lib/src/data/split";

/** m examples whose row i is [i, 10·i] and whose target is i, so a row's origin is visible. */
function numbered(m: number) {
  const X = Matrix.from(Array.from({ length: m }, (_, i) => [i, 10 * i]));
  const y = Matrix.column(Array.from({ length: m }, (_, i) => i));
  return { X, y };
}

const column = (M: Matrix, j = 0) => Array.from({ length: M.rows }, (_, i) => M.get(i, j));
const countOf = (labels: number[], c: number) => labels.filter((v) => v === c).length;

describe("trainTestSplit", () => {
  it("holds out ⌈testSize·m⌉ examples: 0.3 of 10 is 3, 0.25 of 10 is ⌈2.5⌉ = 3", () => {
    const { X, y } = numbered(10);
    const a = trainTestSplit(X, y, { testSize: 0.3, seed: 0 });
    expect([a.XTrain.rows, a.XTest.rows, a.yTrain.rows, a.yTest.rows]).toEqual([7, 3, 7, 3]);
    const b = trainTestSplit(X, y, { testSize: 0.25, seed: 0 });
    expect([b.XTrain.rows, b.XTest.rows]).toEqual([7, 3]);
  });

  it("ignores float noise in testSize·m: 0.55·100 = 55.00000000000001 gives 55, not 56", () => {
    const { X, y } = numbered(100);
    expect(trainTestSplit(X, y, { testSize: 0.55, seed: 0 }).XTest.rows).toBe(55);
  });

  it("uses every example exactly once and keeps each row with its target", () => {
    const { X, y } = numbered(20);
    const s = trainTestSplit(X, y, { testSize: 0.2, seed: 3 });
    const ids = [...column(s.XTrain), ...column(s.XTest)].sort((p, q) => p - q);
    expect(ids).toEqual(column(X));
    expect(column(s.yTrain)).toEqual(column(s.XTrain));
    expect(column(s.yTest)).toEqual(column(s.XTest));
    expect(column(s.XTrain, 1)).toEqual(column(s.XTrain).map((i) => 10 * i));
  });

  it("is reproducible: the same seed gives the same split, another seed another", () => {
    const { X, y } = numbered(20);
    const a = trainTestSplit(X, y, { testSize: 0.25, seed: 42 });
    const b = trainTestSplit(X, y, { testSize: 0.25, seed: 42 });
    const c = trainTestSplit(X, y, { testSize: 0.25, seed: 43 });
    expect(column(a.XTest)).toEqual(column(b.XTest));
    expect(column(a.XTest)).not.toEqual(column(c.XTest));
    const viaRng = trainTestSplit(X, y, { testSize: 0.25, rng: new Random(42) });
    expect(column(viaRng.XTest)).toEqual(column(a.XTest));
  });

  it("continues a shared rng: two splits from one Random differ", () => {
    const { X, y } = numbered(20);
    const rng = new Random(1);
    const a = trainTestSplit(X, y, { testSize: 0.25, rng });
    const b = trainTestSplit(X, y, { testSize: 0.25, rng });
    expect(column(a.XTest)).not.toEqual(column(b.XTest));
  });

  it("shuffles: the examples do not stay in their original order", () => {
    const { X, y } = numbered(30);
    const s = trainTestSplit(X, y, { testSize: 0.5, seed: 0 });
    const train = column(s.XTrain);
    expect(train).not.toEqual([...train].sort((p, q) => p - q));
  });

  it("splits one-hot targets [m, k] row by row too", () => {
    const X = Matrix.column([0, 1, 2, 3]);
    const Y = oneHot([0, 1, 2, 0], 3);
    const s = trainTestSplit(X, Y, { testSize: 0.5, seed: 0 });
    const label = [0, 1, 2, 0];
    expect(s.yTrain.cols).toBe(3);
    for (let i = 0; i < s.XTrain.rows; i++) {
      expect(s.yTrain.get(i, label[s.XTrain.get(i, 0)])).toBe(1);
    }
  });

  describe("stratify", () => {
    it("keeps each class's share: 6 of class 0 and 4 of class 1, testSize 0.5 → 3 and 2 each side", () => {
      // mTest = 5; class 0 gets 5·6/10 = 3, class 1 gets 5·4/10 = 2.
      const y = Matrix.column([0, 0, 0, 0, 0, 0, 1, 1, 1, 1]);
      const X = Matrix.column(Array.from({ length: 10 }, (_, i) => i));
      for (const seed of [0, 1, 2]) {
        const s = trainTestSplit(X, y, { testSize: 0.5, seed, stratify: true });
        expect([countOf(column(s.yTest), 0), countOf(column(s.yTest), 1)]).toEqual([3, 2]);
        expect([countOf(column(s.yTrain), 0), countOf(column(s.yTrain), 1)]).toEqual([3, 2]);
      }
    });

    it("hands leftover places to the largest remainders: sizes 5, 3, 2 with 3 test places → 1, 1, 1", () => {
      // q = 3·5/10 = 1.5, 3·3/10 = 0.9, 3·2/10 = 0.6 → floors 1, 0, 0 (one place given);
      // the other two go to the largest remainders, 0.9 (class 1) and 0.6 (class 2).
      const y = Matrix.column([0, 0, 0, 0, 0, 1, 1, 1, 2, 2]);
      const s = trainTestSplit(Matrix.column(column(y)), y, { testSize: 0.3, seed: 5, stratify: true });
      const test = column(s.yTest);
      expect([0, 1, 2].map((c) => countOf(test, c))).toEqual([1, 1, 1]);
    });

    it("reads the classes of one-hot targets", () => {
      const labels = [0, 0, 0, 0, 0, 0, 1, 1, 1, 1];
      const s = trainTestSplit(Matrix.column(labels), oneHot(labels, 2),
        { testSize: 0.5, seed: 9, stratify: true });
      expect(s.yTest.sumRows().toArray()).toEqual([[3, 2]]);
    });

    it("property: each class's test count is ⌊q_c⌋ or ⌈q_c⌉, q_c = mTest·m_c/m", () => {
      const sizes = fc.array(fc.integer({ min: 2, max: 15 }), { minLength: 1, maxLength: 5 });
      const testSize = fc.integer({ min: 1, max: 9 }).map((t) => t / 10);
      fc.assert(fc.property(sizes, testSize, fc.integer({ min: 0, max: 1000 }), (counts, t, seed) => {
        const labels = counts.flatMap((n, c) => Array(n).fill(c) as number[]);
        const m = labels.length;
        const mTest = Math.ceil(t * m - 1e-9);
        fc.pre(mTest >= 1 && mTest < m);
        const y = Matrix.column(labels);
        const s = trainTestSplit(Matrix.column(labels.map((_, i) => i)), y, { testSize: t, seed, stratify: true });
        expect(s.yTest.rows).toBe(mTest);
        const test = column(s.yTest), train = column(s.yTrain);
        counts.forEach((n, c) => {
          const q = (mTest * n) / m;
          expect(countOf(test, c)).toBeGreaterThanOrEqual(Math.floor(q));
          expect(countOf(test, c)).toBeLessThanOrEqual(Math.ceil(q));
          expect(countOf(test, c) + countOf(train, c)).toBe(n);
        });
        const ids = [...column(s.XTrain), ...column(s.XTest)].sort((p, q) => p - q);
        expect(ids).toEqual(labels.map((_, i) => i));
      }), { numRuns: 100 });
    });
  });

  it("does not change its inputs", () => {
    const { X, y } = numbered(10);
    const [Xc, yc] = [Float64Array.from(X.data), Float64Array.from(y.data)];
    trainTestSplit(X, y, { testSize: 0.3, seed: 0, stratify: false });
    expect(X.data).toEqual(Xc);
    expect(y.data).toEqual(yc);
  });

  describe("errors", () => {
    const { X, y } = numbered(10);

    it("refuses X and y with different numbers of rows", () => {
      const call = () => trainTestSplit(X, Matrix.column([1, 2, 3]), { testSize: 0.2, seed: 0 });
      expect(call).toThrow(ShapeError);
      expect(call).toThrow(
        "trainTestSplit: expected y to have one row per row of X (m = 10), got shape [3, 1]. " +
          "Row i of y is the target of example (row) i of X.");
    });

    it("refuses a testSize outside (0, 1)", () => {
      for (const t of [0, 1, 1.5, -0.2, NaN]) {
        expect(() => trainTestSplit(X, y, { testSize: t, seed: 0 })).toThrow(
          `trainTestSplit: expected testSize to be a fraction strictly between 0 and 1, got ${t}. ` +
            "For a 20% hold-out pass 0.2.");
      }
    });

    it("refuses a testSize that leaves a part empty", () => {
      // ⌈0.9·2⌉ = 2 test examples out of 2 leaves none for training.
      expect(() => trainTestSplit(numbered(2).X, numbered(2).y, { testSize: 0.9, seed: 0 })).toThrow(
        "trainTestSplit: testSize 0.9 of m = 2 examples gives 2 for testing and 0 for training; both need at least one.");
      expect(() => trainTestSplit(numbered(1).X, numbered(1).y, { testSize: 0.5, seed: 0 })).toThrow(
        "trainTestSplit: expected at least 2 examples (rows of X), got 1.");
    });

    it("refuses NaN in X or y", () => {
      const bad = Matrix.column([0, 1, 2, 3, 4, 5, 6, 7, NaN, 9]);
      expect(() => trainTestSplit(X, bad, { testSize: 0.2, seed: 0 })).toThrow(
        "trainTestSplit: expected y to hold finite numbers, got NaN at row 8, column 0.");
    });

    it("refuses a bad seed, or both a seed and an rng", () => {
      expect(() => trainTestSplit(X, y, { testSize: 0.2, seed: 1.5 })).toThrow(
        "trainTestSplit: expected seed to be a whole number, got 1.5.");
      expect(() => trainTestSplit(X, y, { testSize: 0.2, seed: 1, rng: new Random(1) })).toThrow(
        /trainTestSplit: expected a seed or an rng, got both/);
    });

    it("refuses to stratify targets that are not classes", () => {
      const yReal = Matrix.column([0.5, 1, 1, 1, 0, 0, 0, 1, 1, 0]);
      expect(() => trainTestSplit(X, yReal, { testSize: 0.2, seed: 0, stratify: true })).toThrow(
        "trainTestSplit: stratify needs class labels, whole numbers, got 0.5 at row 0 of y. " +
          "Regression targets cannot be stratified; leave stratify off.");
      const notOneHot = Matrix.from([[1, 0], [0.5, 0.5], [0, 1]]);
      expect(() => trainTestSplit(numbered(3).X, notOneHot, { testSize: 0.4, seed: 0, stratify: true }))
        .toThrow("stratify with a [m, 2] y expects one-hot rows, got [0.5, 0.5] at row 1.");
    });

    it("refuses to stratify a class with a single example", () => {
      const yOne = Matrix.column([0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
      expect(() => trainTestSplit(X, yOne, { testSize: 0.2, seed: 0, stratify: true })).toThrow(
        "trainTestSplit: stratify needs at least 2 examples of every class, got 1 of class 1.");
    });
  });
});

describe("validationSplit", () => {
  it("takes the last rows, as Keras and tfjs do: m = 10, fraction 0.2 → splitAt = ⌊10·0.8⌋ = 8", () => {
    const { X, y } = numbered(10);
    const s = validationSplit(X, y, 0.2);
    expect(column(s.XTrain)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(column(s.XVal)).toEqual([8, 9]);
    expect(column(s.yVal)).toEqual([8, 9]);
  });

  it("rounds down the way tfjs does: 7·(1 − 0.3) = 4.8999999999999995 → 4 training rows", () => {
    const { X, y } = numbered(7);
    const s = validationSplit(X, y, 0.3);
    expect([s.XTrain.rows, s.XVal.rows]).toEqual([4, 3]);
  });

  it("refuses a bad fraction, mismatched rows, or an empty part", () => {
    const { X, y } = numbered(10);
    expect(() => validationSplit(X, y, 1)).toThrow(
      "validationSplit: expected fraction to be a fraction strictly between 0 and 1, got 1.");
    expect(() => validationSplit(X, Matrix.column([1]), 0.2)).toThrow(
      "validationSplit: expected y to have one row per row of X (m = 10), got shape [1, 1].");
    // ⌊10·(1 − 0.95)⌋ = ⌊0.5000000000000004⌋ = 0 training rows.
    expect(() => validationSplit(X, y, 0.95)).toThrow(
      "validationSplit: fraction 0.95 of m = 10 examples leaves 0 for training and 10 for validation; " +
        "both need at least one.");
  });
});
