import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ShapeError, ValueError } from "../../../lib/src/errors";
import { Matrix } from "../../../lib/src/matrix";
import { Random } from "../../../lib/src/random";
import { minibatches } from "../../../lib/src/data/batches";

/** Row i of X is [i, −i] and row i of Y is [100·i], so each row's origin is visible. */
function numbered(m: number) {
  return {
    X: Matrix.from(Array.from({ length: m }, (_, i) => [i, -i])),
    Y: Matrix.column(Array.from({ length: m }, (_, i) => 100 * i)),
  };
}
const ids = (M: Matrix) => Array.from({ length: M.rows }, (_, i) => M.get(i, 0));

describe("minibatches", () => {
  it("cuts m = 10 rows into batches of 4, 4 and 2, in order when shuffle is off", () => {
    const { X, Y } = numbered(10);
    const batches = [...minibatches(X, Y, 4, { shuffle: false })];
    expect(batches.map((b) => b.X.shape)).toEqual([[4, 2], [4, 2], [2, 2]]);
    expect(batches.map((b) => ids(b.X))).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
    expect(batches.map((b) => ids(b.Y))).toEqual([[0, 100, 200, 300], [400, 500, 600, 700], [800, 900]]);
  });

  it("shuffles by default, covering every row once and keeping X and Y rows together", () => {
    const { X, Y } = numbered(10);
    const batches = [...minibatches(X, Y, 3, { seed: 0 })];
    const seen = batches.flatMap((b) => ids(b.X));
    expect(seen).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect([...seen].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const b of batches) {
      expect(ids(b.Y)).toEqual(ids(b.X).map((i) => 100 * i));
      expect(Array.from({ length: b.X.rows }, (_, i) => b.X.get(i, 1))).toEqual(ids(b.X).map((i) => -i));
    }
  });

  it("is reproducible from a seed, and a shared rng gives each epoch a new order", () => {
    const { X, Y } = numbered(12);
    const order = (opts: Parameters<typeof minibatches>[3]) =>
      [...minibatches(X, Y, 5, opts)].flatMap((b) => ids(b.X));
    expect(order({ seed: 7 })).toEqual(order({ seed: 7 }));
    expect(order({ seed: 7 })).toEqual(order({ rng: new Random(7) }));
    const rng = new Random(7);
    const epoch1 = order({ rng }), epoch2 = order({ rng });
    expect(epoch2).not.toEqual(epoch1);
    expect([...epoch2].sort((a, b) => a - b)).toEqual([...epoch1].sort((a, b) => a - b));
  });

  it("draws the order when called, so iterating later gives the same batches", () => {
    const { X, Y } = numbered(8);
    const rng = new Random(3);
    const early = minibatches(X, Y, 8, { rng });
    rng.next(); // drawing more from rng after the call must not change `early`
    const again = minibatches(X, Y, 8, { rng: new Random(3) });
    expect(ids([...early][0].X)).toEqual(ids([...again][0].X));
  });

  it("gives one batch of all rows when batchSize ≥ m", () => {
    const { X, Y } = numbered(3);
    const batches = [...minibatches(X, Y, 32, { shuffle: false })];
    expect(batches.length).toBe(1);
    expect(ids(batches[0].X)).toEqual([0, 1, 2]);
  });

  it("property: ⌈m/b⌉ batches, all of size b but the last, every row once", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 60 }),
      fc.integer({ min: 0, max: 1000 }), (m, b, seed) => {
        const { X, Y } = numbered(m);
        const batches = [...minibatches(X, Y, b, { seed })];
        expect(batches.length).toBe(Math.ceil(m / b));
        batches.slice(0, -1).forEach((batch) => expect(batch.X.rows).toBe(b));
        expect(batches[batches.length - 1].X.rows).toBe(m - b * (batches.length - 1));
        const seen = batches.flatMap((batch) => ids(batch.X)).sort((p, q) => p - q);
        expect(seen).toEqual(ids(X));
      }), { numRuns: 100 });
  });

  it("does not change its inputs", () => {
    const { X, Y } = numbered(6);
    const [Xc, Yc] = [Float64Array.from(X.data), Float64Array.from(Y.data)];
    for (const b of minibatches(X, Y, 4, { seed: 1 })) b.X.data.fill(0);
    expect(X.data).toEqual(Xc);
    expect(Y.data).toEqual(Yc);
  });

  describe("errors (thrown when minibatches is called, before any loop)", () => {
    const { X, Y } = numbered(5);

    it("refuses a batchSize that is not a whole number ≥ 1", () => {
      for (const b of [0, -1, 2.5, NaN]) {
        expect(() => minibatches(X, Y, b)).toThrow(ValueError);
        expect(() => minibatches(X, Y, b)).toThrow(
          `minibatches: expected batchSize to be a whole number ≥ 1, got ${b}. The course uses 32.`);
      }
    });

    it("refuses X and Y with different numbers of rows", () => {
      expect(() => minibatches(X, Matrix.column([1, 2]), 2)).toThrow(ShapeError);
      expect(() => minibatches(X, Matrix.column([1, 2]), 2)).toThrow(
        "minibatches: expected Y to have one row per row of X (m = 5), got shape [2, 1].");
    });

    it("refuses empty data and NaN", () => {
      expect(() => minibatches(new Matrix(0, 2), new Matrix(0, 1), 2)).toThrow(
        "minibatches: expected at least one example (row of X), got 0.");
      expect(() => minibatches(Matrix.from([[1, NaN]]), Matrix.column([0]), 1)).toThrow(
        "minibatches: expected X to hold finite numbers, got NaN at row 0, column 1.");
    });
  });
});
