/**
 * Random (chapter 03): reproducibility, the mulberry32 reference algorithm, ranges, the
 * moments of uniform and normal draws within bounds derived from their standard errors,
 * shuffles, and errors.
 *
 * The statistical tests draw from fixed seeds, so they are deterministic; the bounds are
 * still set at 5 standard errors, so that they would hold for almost any seed (a correct
 * generator lands outside 5 SE with probability about 6e-7) while a wrong mean or spread
 * of more than a few percent fails.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ValueError } from "../../lib/src/errors";
import { defaultRandom, Random, setSeed } from "../../lib/src/random";

const draws = (n: number, f: () => number) => Array.from({ length: n }, f);
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const std = (xs: number[]) => {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
};

/**
 * mulberry32 as published (Tommy Ettinger, 2017), written again with BigInt and explicit
 * mod 2³² so that it shares no code, and no Math.imul trick, with the library's version:
 *   z = (state += 0x6D2B79F5)
 *   z = (z ^ z >> 15) * (z | 1)
 *   z ^= z + (z ^ z >> 7) * (z | 61)
 *   return (z ^ z >> 14) / 2³²
 */
function referenceMulberry32(seed: number) {
  const M = 2n ** 32n;
  let state = BigInt(seed >>> 0);
  return () => {
    state = (state + 0x6d2b79f5n) % M;
    let z = state;
    z = ((z ^ (z >> 15n)) * (z | 1n)) % M;
    z = z ^ ((z + ((z ^ (z >> 7n)) * (z | 61n))) % M);
    return Number(z ^ (z >> 14n)) / 2 ** 32;
  };
}

describe("Random: reproducibility", () => {
  it("the same seed gives the same sequence (uniform, normal, int, shuffle)", () => {
    const run = (seed: number) => {
      const r = new Random(seed);
      return [
        ...draws(200, () => r.next()),
        ...draws(200, () => r.normal()),
        ...draws(200, () => r.int(1000)),
        ...r.shuffle(Array.from({ length: 50 }, (_, i) => i)),
      ];
    };
    expect(run(42)).toEqual(run(42));
  });

  it("different seeds give different sequences", () => {
    const first = (seed: number) => draws(20, ((r) => () => r.next())(new Random(seed)));
    expect(first(1)).not.toEqual(first(2));
    expect(first(0)).not.toEqual(first(1));
    // Not merely shifted copies of each other: no draw of seed 1 appears among seed 2's.
    const a = new Set(first(1));
    expect(first(2).some((x) => a.has(x))).toBe(false);
  });

  it("next() is mulberry32, matching an independent BigInt implementation", () => {
    for (const seed of [0, 1, 42, 123456789, 2 ** 31, 4294967295]) {
      const ours = new Random(seed), ref = referenceMulberry32(seed);
      for (let k = 0; k < 100; k++) expect(ours.next()).toBe(ref());
    }
  });

  it("a negative seed is read as its 32-bit unsigned form (−1 ≡ 2³² − 1)", () => {
    const a = new Random(-1), b = new Random(4294967295);
    expect(draws(10, () => a.next())).toEqual(draws(10, () => b.next()));
  });

  it("setSeed() reseeds the shared source that defaultRandom() returns", () => {
    setSeed(7);
    const shared = draws(5, () => defaultRandom().next());
    const fresh = new Random(7);
    expect(shared).toEqual(draws(5, () => fresh.next()));
    setSeed(7);
    expect(draws(5, () => defaultRandom().next())).toEqual(shared);
  });

  it("rejects a seed that is not a whole number", () => {
    expect(() => new Random(1.5)).toThrow(ValueError);
    expect(() => new Random(1.5)).toThrow("Random: expected a whole-number seed, got 1.5.");
    expect(() => new Random(NaN)).toThrow("got NaN");
  });
});

describe("Random: uniform", () => {
  it("next() is in [0, 1) and uniform(low, high) in [low, high)", () => {
    const r = new Random(1);
    for (let k = 0; k < 10_000; k++) {
      const u = r.next();
      expect(u >= 0 && u < 1).toBe(true);
      const v = r.uniform(-3, 5);
      expect(v >= -3 && v < 5).toBe(true);
    }
  });

  it("uniform(low, high) has mean (low + high)/2 and std (high − low)/√12", () => {
    // U(−3, 5): mean 1, std 8/√12 = 2.3094. Over n = 20 000 draws the sample mean has
    // standard error std/√n = 2.3094/141.42 = 0.01633; we allow 5 SE = 0.0816.
    // The sample std of a uniform has SE ≈ std·√((κ − 1)/(4n)) with kurtosis κ = 9/5,
    // so SE = 2.3094·√(0.8/80 000) = 0.00731; we allow 5 SE = 0.0365.
    const r = new Random(2);
    const xs = draws(20_000, () => r.uniform(-3, 5));
    expect(Math.abs(mean(xs) - 1)).toBeLessThan(0.0816);
    expect(Math.abs(std(xs) - 8 / Math.sqrt(12))).toBeLessThan(0.0365);
  });

  it("uniformMatrix() has the shape asked for and values in range", () => {
    const M = new Random(3).uniformMatrix(4, 5, 2, 3);
    expect(M.shape).toEqual([4, 5]);
    for (const v of M.data) expect(v >= 2 && v < 3).toBe(true);
  });

  it("fast-check: uniform(low, high) stays in [low, high) for any seed and range", () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        fc.double({ min: 1e-3, max: 1e6, noNaN: true }),
        (seed, low, width) => {
          const r = new Random(seed);
          for (let k = 0; k < 20; k++) {
            const v = r.uniform(low, low + width);
            if (!(v >= low && v < low + width)) return false;
          }
          return true;
        },
      ),
      { numRuns: 200, seed: 5 },
    );
  });
});

describe("Random: normal", () => {
  it("normal() over 20 000 draws has mean 0 and std 1 within 5 standard errors", () => {
    // n = 20 000. Sample mean: SE = σ/√n = 1/141.42 = 0.00707; 5 SE = 0.0354.
    // Sample std of a normal: SE ≈ σ/√(2n) = 1/200 = 0.005; 5 SE = 0.025.
    const r = new Random(11);
    const xs = draws(20_000, () => r.normal());
    expect(Math.abs(mean(xs))).toBeLessThan(0.0354);
    expect(Math.abs(std(xs) - 1)).toBeLessThan(0.025);
  });

  it("normal(mean, std) is shifted and scaled: N(3, 2²)", () => {
    // SE of the mean 2/√20 000 = 0.01414 (5 SE = 0.0707); SE of the std 2/200 = 0.01 (5 SE = 0.05).
    const r = new Random(12);
    const xs = draws(20_000, () => r.normal(3, 2));
    expect(Math.abs(mean(xs) - 3)).toBeLessThan(0.0707);
    expect(Math.abs(std(xs) - 2)).toBeLessThan(0.05);
  });

  it("normal() has the normal's shape: 68.27% within ±1σ and 95.45% within ±2σ", () => {
    // P(|Z| ≤ 1) = 0.682689, P(|Z| ≤ 2) = 0.954500. A proportion p over n draws has
    // SE √(p(1 − p)/n): √(0.6827·0.3173/20 000) = 0.00329 and √(0.9545·0.0455/20 000) = 0.00147.
    // 5 SE: 0.0165 and 0.0074. (A uniform with the same std would put 57.7% within ±1σ.)
    const r = new Random(13);
    const xs = draws(20_000, () => r.normal());
    const within = (a: number) => xs.filter((x) => Math.abs(x) <= a).length / xs.length;
    expect(Math.abs(within(1) - 0.682689)).toBeLessThan(0.0165);
    expect(Math.abs(within(2) - 0.9545)).toBeLessThan(0.0074);
  });

  it("consecutive draws are uncorrelated, including the two halves of each Box–Muller pair", () => {
    // Lag-1 correlation r = Σ (xₖ − x̄)(xₖ₊₁ − x̄) / Σ (xₖ − x̄)² of independent draws has
    // SE ≈ 1/√n = 1/√20 000 = 0.00707; 5 SE = 0.0354. Box–Muller's pair (r·cos θ, r·sin θ) is
    // independent; a slip that returned r·cos θ twice would give r = 0.5 here.
    const lag1 = (xs: number[]) => {
      const m = mean(xs);
      let num = 0, den = 0;
      for (let k = 0; k < xs.length; k++) {
        den += (xs[k] - m) ** 2;
        if (k + 1 < xs.length) num += (xs[k] - m) * (xs[k + 1] - m);
      }
      return num / den;
    };
    const r = new Random(14);
    expect(Math.abs(lag1(draws(20_000, () => r.normal())))).toBeLessThan(0.0354);
    expect(Math.abs(lag1(draws(20_000, () => r.next())))).toBeLessThan(0.0354);
    // Within pairs alone (draws 0–1, 2–3, …): 10 000 pairs, SE 0.01, 5 SE = 0.05.
    const xs = draws(20_000, () => r.normal());
    let sxy = 0;
    for (let k = 0; k < xs.length; k += 2) sxy += xs[k] * xs[k + 1];
    expect(Math.abs(sxy / 10_000)).toBeLessThan(0.05); // E[z₀z₁] = 0 for independent N(0, 1)
  });

  it("normal() never returns a non-finite number (Box–Muller's log never sees 0)", () => {
    const r = new Random(0);
    const bad = draws(50_000, () => r.normal()).filter((x) => !Number.isFinite(x));
    expect(bad).toEqual([]);
  });

  it("normalMatrix() has the shape asked for", () => {
    const M = new Random(4).normalMatrix(3, 7, 1, 0.5);
    expect(M.shape).toEqual([3, 7]);
    expect(M.data.every(Number.isFinite)).toBe(true);
  });
});

describe("Random: int", () => {
  it("int(n) returns whole numbers in [0, n) and reaches every one of them", () => {
    const r = new Random(21);
    const seen = new Set<number>();
    for (let k = 0; k < 2_000; k++) {
      const i = r.int(7);
      expect(Number.isInteger(i)).toBe(true);
      expect(i >= 0 && i < 7).toBe(true);
      seen.add(i);
    }
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it("int(n) is close to uniform: each of 7 values about 1/7 of 70 000 draws", () => {
    // Count of one value ~ Binomial(70 000, 1/7): mean 10 000, SE √(70 000·(1/7)·(6/7)) = 92.6;
    // 5 SE = 463.
    const r = new Random(22);
    const counts = new Array<number>(7).fill(0);
    for (let k = 0; k < 70_000; k++) counts[r.int(7)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(463);
  });

  it("int(1) is always 0", () => {
    const r = new Random(23);
    expect(draws(20, () => r.int(1))).toEqual(new Array(20).fill(0));
  });

  it("int(n) rejects n that is not a whole number ≥ 1", () => {
    const r = new Random(0);
    for (const n of [0, -3, 2.5, NaN]) {
      expect(() => r.int(n)).toThrow(ValueError);
      expect(() => r.int(n)).toThrow(`Random.int: expected a whole number n ≥ 1, got ${n}.`);
    }
  });
});

describe("Random: shuffle and permutation", () => {
  it("shuffle() returns a permutation of its input and leaves the input alone", () => {
    const items = Object.freeze(["a", "b", "c", "d", "e", "f", "g", "h"]);
    const out = new Random(31).shuffle(items);
    expect(out).not.toBe(items);
    expect([...out].sort()).toEqual([...items]);
    expect(items).toEqual(["a", "b", "c", "d", "e", "f", "g", "h"]);
  });

  it("fast-check: shuffle() is a permutation for any array and seed", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -50, max: 50 }), { maxLength: 40 }), fc.integer(), (xs, seed) => {
        const copy = xs.slice();
        const out = new Random(seed).shuffle(xs);
        expect(xs).toEqual(copy);
        expect([...out].sort((a, b) => a - b)).toEqual([...xs].sort((a, b) => a - b));
      }),
      { numRuns: 200, seed: 6 },
    );
  });

  it("shuffle() of an empty or one-item array", () => {
    const r = new Random(0);
    expect(r.shuffle([])).toEqual([]);
    expect(r.shuffle([9])).toEqual([9]);
  });

  it("shuffle() makes all 6 orders of [0, 1, 2] about equally often (Fisher–Yates is unbiased)", () => {
    // Each order ~ Binomial(60 000, 1/6): mean 10 000, SE √(60 000·(1/6)·(5/6)) = 91.3;
    // 5 SE = 456. A common off-by-one (j drawn from [0, i) instead of [0, i]) makes only the
    // 2 cyclic orders; the naive "swap each item with any position" has 3³ = 27 equally
    // likely paths, so three orders come 5/27 of the time (11 111 of 60 000) and three 4/27
    // (8 889), both outside the bound.
    const r = new Random(32);
    const counts = new Map<string, number>();
    for (let k = 0; k < 60_000; k++) {
      const key = r.shuffle([0, 1, 2]).join("");
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual(["012", "021", "102", "120", "201", "210"]);
    for (const c of counts.values()) expect(Math.abs(c - 10_000)).toBeLessThan(456);
  });

  it("permutation(n) is 0…n−1 in some order", () => {
    const p = new Random(33).permutation(10);
    expect(p).toHaveLength(10);
    expect([...p].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(new Random(33).permutation(0)).toEqual([]);
  });
});
