import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ShapeError, ValueError } from "../../../lib/src/errors";
import { Matrix } from "../../../lib/src/matrix";
import { Standardizer } from "../../../lib/src/data/standardize";
import { expectClose, FLOAT32, getTf, toTensor } from "../../helpers/compare";

// Hand-worked example (chapter 12):
//   X = [[1, 10], [2, 20], [3, 60]]
//   column 0: μ = 6/3 = 2,   deviations −1, 0, 1,     σ² = (1 + 0 + 1)/3 = 2/3
//   column 1: μ = 90/3 = 30, deviations −20, −10, 30, σ² = (400 + 100 + 900)/3 = 1400/3
const X = Matrix.from([[1, 10], [2, 20], [3, 60]]);
const s0 = Math.sqrt(2 / 3), s1 = Math.sqrt(1400 / 3);
// A few float64 roundings separate our arithmetic from the formula's, hence 1e-12.
const TIGHT = { rtol: 1e-12, atol: 1e-12 };

describe("Standardizer", () => {
  it("learns μ and population σ (ddof 0) per column", () => {
    const sc = new Standardizer().fit(X);
    expectClose(sc.mu, [2, 30], TIGHT, "μ");
    expectClose(sc.sigma, [s0, s1], TIGHT, "σ");
    expect(sc.mu.shape).toEqual([1, 2]);
    expect(sc.constantColumns).toEqual([]);
  });

  it("transforms with (X − μ)/σ", () => {
    const Z = new Standardizer().fitTransform(X);
    expectClose(Z, [-1 / s0, -20 / s1, 0, -10 / s1, 1 / s0, 30 / s1], TIGHT, "Z");
  });

  it("transforms other data with the training μ and σ, not their own", () => {
    const sc = new Standardizer().fit(X);
    // [4, 30] → [(4 − 2)/σ₀, (30 − 30)/σ₁] = [2/0.8165, 0] = [2.449, 0]
    expectClose(sc.transform(Matrix.from([[4, 30]])), [2 / s0, 0], TIGHT, "Z test");
  });

  it("inverseTransform undoes transform", () => {
    const sc = new Standardizer().fit(X);
    expectClose(sc.inverseTransform(sc.transform(X)), X, TIGHT, "round trip");
  });

  it("gives a constant column σ = 1, so it becomes zeros instead of NaN", () => {
    // Column 0 is all 5: μ = 5, σ would be 0, (5 − 5)/0 = NaN. With σ = 1: 0.
    const sc = new Standardizer().fit(Matrix.from([[5, 1], [5, 2], [5, 3]]));
    expect(sc.constantColumns).toEqual([0]);
    expect(sc.sigma.get(0, 0)).toBe(1);
    const Z = sc.transform(Matrix.from([[5, 2], [7, 2]]));
    expect(Z.get(0, 0)).toBe(0);
    expect(Z.get(1, 0)).toBe(2); // (7 − 5)/1
  });

  it("treats a constant column as constant even when rounding makes its σ tiny, not 0", () => {
    // 0.1 + 0.1 + 0.1 = 0.30000000000000004 in float64, so μ is one ulp above 0.1 and the
    // deviations are about 1.4e-17. Dividing by σ ≈ 1.4e-17 would map every 0.1 to −1.
    const col = Matrix.column([0.1, 0.1, 0.1]);
    const sc = new Standardizer().fit(col);
    expect(sc.constantColumns).toEqual([0]);
    for (const z of sc.transform(col).data) expect(Math.abs(z)).toBeLessThan(1e-15);
  });

  it("agrees with tf.moments (float32, so 1e-5 relative)", async () => {
    const tf = await getTf();
    const { mean, variance } = tf.moments(await toTensor(X), 0);
    const sc = new Standardizer().fit(X);
    expectClose(sc.mu, Array.from(mean.dataSync()), FLOAT32, "μ vs tfjs");
    expectClose(sc.sigma.map((s) => s * s), Array.from(variance.dataSync()), FLOAT32, "σ² vs tfjs");
  });

  it("property: every non-constant column of the result has mean 0 and σ 1", () => {
    // Values are multiples of 1/8 in [−125, 125], so the sums stay exact enough for 1e-9.
    const value = fc.integer({ min: -1000, max: 1000 }).map((v) => v / 8);
    const matrix = fc.integer({ min: 1, max: 4 }).chain((n) =>
      fc.array(fc.array(value, { minLength: n, maxLength: n }), { minLength: 2, maxLength: 12 }));
    fc.assert(fc.property(matrix, (rows) => {
      const M = Matrix.from(rows);
      const sc = new Standardizer().fit(M);
      const Z = sc.transform(M);
      const m = M.rows;
      for (let j = 0; j < M.cols; j++) {
        const z = Array.from({ length: m }, (_, i) => Z.get(i, j));
        const mean = z.reduce((a, b) => a + b, 0) / m;
        const variance = z.reduce((a, b) => a + (b - mean) ** 2, 0) / m;
        expect(Math.abs(mean)).toBeLessThan(1e-9);
        if (sc.constantColumns.includes(j)) expect(variance).toBe(0);
        else expect(Math.abs(variance - 1)).toBeLessThan(1e-9);
      }
      expectClose(sc.inverseTransform(Z), M, { rtol: 1e-9, atol: 1e-9 }, "round trip");
    }), { numRuns: 100 });
  });

  it("does not change its inputs", () => {
    const copy = Float64Array.from(X.data);
    const sc = new Standardizer().fit(X);
    sc.transform(X);
    sc.inverseTransform(X);
    expect(X.data).toEqual(copy);
  });

  describe("errors", () => {
    it("refuses transform, inverseTransform, μ before fit", () => {
      const sc = new Standardizer();
      expect(() => sc.transform(X)).toThrow(ValueError);
      expect(() => sc.transform(X)).toThrow(
        /Standardizer.transform: the Standardizer has not been fitted yet.*fit\(XTrain\)/);
      expect(() => sc.inverseTransform(X)).toThrow(/Standardizer.inverseTransform: .*not been fitted/);
      expect(() => sc.mu).toThrow(/Standardizer.mu: .*not been fitted/);
    });

    it("refuses X with a different number of columns than fit saw", () => {
      const sc = new Standardizer().fit(X);
      const wrong = Matrix.from([[1, 2, 3]]);
      expect(() => sc.transform(wrong)).toThrow(ShapeError);
      expect(() => sc.transform(wrong)).toThrow(
        "Standardizer.transform: expected X to have shape [m, 2], got [1, 3]. fit() saw 2 columns");
      expect(() => sc.inverseTransform(wrong)).toThrow("expected Z to have shape [m, 2], got [1, 3]");
    });

    it("refuses NaN and Infinity, naming the position", () => {
      expect(() => new Standardizer().fit(Matrix.from([[1, 2], [NaN, 3]]))).toThrow(
        "Standardizer.fit: expected X to hold finite numbers, got NaN at row 1, column 0.");
      const sc = new Standardizer().fit(X);
      expect(() => sc.transform(Matrix.from([[1, Infinity]]))).toThrow(
        "Standardizer.transform: expected X to hold finite numbers, got Infinity at row 0, column 1.");
    });

    it("refuses empty data", () => {
      expect(() => new Standardizer().fit(new Matrix(0, 3))).toThrow(
        /Standardizer.fit: expected X with at least one row and one column, got shape \[0, 3\]/);
    });
  });
});
