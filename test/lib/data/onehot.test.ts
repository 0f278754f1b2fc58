import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ShapeError, ValueError } from "../../../lib/src/errors";
import { Matrix } from "../../../lib/src/matrix";
import { Random } from "../../../lib/src/random";
import { argmaxRows, fromOneHot, oneHot } from "../../../lib/src/data/onehot";
import { getTf } from "../../helpers/compare";

describe("oneHot", () => {
  it("puts a 1 in column yᵢ of row i", () => {
    // y = [2, 0, 1], k = 3: row 0 → column 2, row 1 → column 0, row 2 → column 1.
    const expected = [[0, 0, 1], [1, 0, 0], [0, 1, 0]];
    expect(oneHot(Matrix.column([2, 0, 1]), 3).toArray()).toEqual(expected);
    expect(oneHot([2, 0, 1], 3).toArray()).toEqual(expected);
    expect(oneHot(Uint8Array.from([2, 0, 1]), 3).toArray()).toEqual(expected);
  });

  it("allows more classes than appear", () => {
    expect(oneHot([1], 4).toArray()).toEqual([[0, 1, 0, 0]]);
  });

  it("matches tf.oneHot", async () => {
    const tf = await getTf();
    const labels = [3, 0, 9, 9, 4, 1];
    const expected = tf.oneHot(tf.tensor1d(labels, "int32"), 10).arraySync();
    expect(oneHot(labels, 10).toArray()).toEqual(expected);
  });

  it("property: fromOneHot and argmaxRows undo it; each row sums to 1", () => {
    const data = fc.integer({ min: 1, max: 12 }).chain((k) =>
      fc.tuple(fc.constant(k), fc.array(fc.integer({ min: 0, max: k - 1 }), { minLength: 1, maxLength: 30 })));
    fc.assert(fc.property(data, ([k, labels]) => {
      const Y = oneHot(labels, k);
      expect(Y.shape).toEqual([labels.length, k]);
      for (let i = 0; i < Y.rows; i++) expect(Y.getRow(i).sum()).toBe(1);
      expect(Array.from(fromOneHot(Y).data)).toEqual(labels);
      expect(Array.from(argmaxRows(Y).data)).toEqual(labels);
    }), { numRuns: 100 });
  });

  it("does not change its input", () => {
    const y = Matrix.column([1, 0]);
    oneHot(y, 2);
    expect(Array.from(y.data)).toEqual([1, 0]);
  });

  describe("errors", () => {
    it("refuses labels outside [0, k)", () => {
      expect(() => oneHot([0, 3], 3)).toThrow(ValueError);
      expect(() => oneHot([0, 3], 3)).toThrow(
        "oneHot: expected every label to be a whole number in [0, 3), got 3 at row 1. " +
          "Labels are class indices 0, 1, …, k − 1");
      expect(() => oneHot([-1], 3)).toThrow("got -1 at row 0");
    });

    it("refuses labels that are not whole numbers", () => {
      expect(() => oneHot([0.5], 3)).toThrow("got 0.5 at row 0");
      expect(() => oneHot(Matrix.column([1, NaN]), 3)).toThrow("got NaN at row 1");
    });

    it("refuses a bad numClasses", () => {
      expect(() => oneHot([0], 0)).toThrow(
        "oneHot: expected numClasses (k) to be a whole number ≥ 1, got 0. k is the number of classes");
      expect(() => oneHot([0], 2.5)).toThrow("got 2.5");
    });

    it("refuses a label matrix that is not one column", () => {
      expect(() => oneHot(Matrix.from([[0, 1]]), 2)).toThrow(ShapeError);
      expect(() => oneHot(Matrix.from([[0, 1]]), 2)).toThrow(
        "oneHot: expected y to have shape [m, 1], got [1, 2]. Sparse labels are one column");
    });
  });
});

describe("argmaxRows", () => {
  it("picks the column of each row's largest entry; a tie goes to the first", () => {
    // Row 0: 0.7 is largest, column 1. Row 1: 0.5 = 0.5, the first is column 0.
    const A = Matrix.from([[0.1, 0.7, 0.2], [0.5, 0.5, 0], [-3, -2, -1]]);
    expect(argmaxRows(A).toArray()).toEqual([[1], [0], [2]]);
  });

  it("matches tf.argMax along axis 1", async () => {
    const tf = await getTf();
    const A = new Random(7).normalMatrix(20, 5);
    const expected = tf.argMax(tf.tensor2d(A.toArray()), 1).arraySync() as number[];
    expect(Array.from(argmaxRows(A).data)).toEqual(expected);
  });

  it("refuses NaN and an empty row", () => {
    expect(() => argmaxRows(Matrix.from([[0, NaN]]))).toThrow(
      "argmaxRows: expected A to hold finite numbers, got NaN at row 0, column 1.");
    expect(() => argmaxRows(new Matrix(2, 0))).toThrow(
      "argmaxRows: expected A to have shape [m, k] with k ≥ 1, got [2, 0].");
  });
});

describe("fromOneHot", () => {
  it("reads back the column of each row's 1", () => {
    expect(fromOneHot(Matrix.from([[0, 0, 1], [1, 0, 0]])).toArray()).toEqual([[2], [0]]);
  });

  it("refuses rows that are not one-hot, pointing to argmaxRows", () => {
    const probs = Matrix.from([[0, 1], [0.3, 0.7]]);
    expect(() => fromOneHot(probs)).toThrow(ValueError);
    expect(() => fromOneHot(probs)).toThrow(
      "fromOneHot: expected row 1 of Y to hold one 1 and 1 zero, got [0.3, 0.7]. " +
        "For probabilities or scores use argmaxRows(Ŷ).");
    expect(() => fromOneHot(Matrix.from([[1, 1]]))).toThrow("got [1, 1]");
    expect(() => fromOneHot(new Matrix(1, 0))).toThrow("expected Y to have shape [m, k] with k ≥ 1");
  });
});
