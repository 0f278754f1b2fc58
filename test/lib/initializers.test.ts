/**
 * Initializers (chapter 04): shapes, the ranges and variances each one promises (checked on
 * 60 000 draws within 5 standard errors derived below), seeded reproducibility, and lookup.
 */
import { describe, expect, it } from "vitest";
import { Dense } from "../../lib/src/dense";
import { ValueError } from "../../lib/src/errors";
import {
  getInitializer,
  glorotNormal,
  glorotUniform,
  heNormal,
  heUniform,
  type Initializer,
  ones,
  zeros,
} from "../../lib/src/initializers";
import type { Matrix } from "../../lib/src/matrix";
import { Random, setSeed } from "../../lib/src/random";
import { fromTensor, getTf } from "../helpers/compare";

const all = { zeros, ones, glorotUniform, glorotNormal, heNormal, heUniform } as const;

/** Largest |w|. */
const maxAbs = (W: Matrix) => W.data.reduce((m, w) => Math.max(m, Math.abs(w)), 0);

/** Mean of w² : the variance about the known mean 0. */
const meanSquare = (W: Matrix) => W.data.reduce((s, w) => s + w * w, 0) / W.size;

// A layer of 300 inputs and 200 units: n = 60 000 weights.
const fanIn = 300, fanOut = 200, n = fanIn * fanOut;

/*
 * Standard errors of the variance estimate v̂ = (1/n)·Σ w² when E w = 0:
 *   SE(v̂) = √(Var(w²)/n) = √((E w⁴ − (E w²)²)/n)
 *
 * Uniform on (−L, L):  E w² = L²/3,  E w⁴ = L⁴/5,  Var(w²) = L⁴(1/5 − 1/9) = 4L⁴/45,
 *   so SE(v̂)/v = √(4/45)·3/√n = 0.8944/√n = 0.003651 for n = 60 000.
 *
 * Normal truncated at ±2σ, in units of σ, with φ(2) = e⁻²/√(2π) = 0.0539910 and
 * Z = 2Φ(2) − 1 = 0.9544997 (Φ(2) = 0.9772499, from a normal table):
 *   E w² = 1 − 2·2·φ(2)/Z = 1 − 0.215964/0.954500 = 0.773741
 *   E w⁴ = 3 − (2·2³ + 6·2)·φ(2)/Z = 3 − 28·0.0539910/0.9544997 = 1.416189
 *   Var(w²) = 1.416189 − 0.773741² = 0.817514,  SE(v̂)/v = √0.817514/0.773741/√n = 0.004771.
 * (Both moments by parts: ∫₋ₐᵃ x²φ = Z − 2aφ(a) and ∫₋ₐᵃ x⁴φ = 3∫₋ₐᵃ x²φ − 2a³φ(a).)
 */
const phi2 = Math.exp(-2) / Math.sqrt(2 * Math.PI);
const Z2 = 2 * 0.9772498680518208 - 1;
const TRUNCATED_VARIANCE = 1 - (4 * phi2) / Z2; // 0.7737 σ²
const TRUNCATED_FOURTH = 3 - (28 * phi2) / Z2;
const relSE = {
  uniform: Math.sqrt(4 / 45) * 3 / Math.sqrt(n),
  truncated: Math.sqrt(TRUNCATED_FOURTH - TRUNCATED_VARIANCE ** 2) / TRUNCATED_VARIANCE / Math.sqrt(n),
};

/** |v̂ − v| < 5 SE: a correct initializer fails this with probability about 6e-7. */
function expectVariance(W: Matrix, v: number, relativeSE: number) {
  expect(Math.abs(meanSquare(W) - v)).toBeLessThan(5 * relativeSE * v);
}

/** The mean has SE √(v/n); allow 5 SE. */
function expectMeanZero(W: Matrix, v: number) {
  expect(Math.abs(W.mean())).toBeLessThan(5 * Math.sqrt(v / W.size));
}

describe("shapes and constants", () => {
  it.each(Object.entries(all))("%s makes a [fanIn, fanOut] matrix", (_name, init) => {
    expect(init(3, 5, new Random(0)).shape).toEqual([3, 5]);
    expect(init(1, 1, new Random(0)).shape).toEqual([1, 1]);
  });

  it("zeros and ones", () => {
    expect(zeros(2, 3).toArray()).toEqual([[0, 0, 0], [0, 0, 0]]);
    expect(ones(2, 2).toArray()).toEqual([[1, 1], [1, 1]]);
  });

  it("the truncated-normal constants worked above", () => {
    // The values written out in the comment, to the digits worked by hand.
    expect(TRUNCATED_VARIANCE).toBeCloseTo(0.773741, 6);
    expect(TRUNCATED_FOURTH).toBeCloseTo(1.416189, 6);
    expect(relSE.uniform).toBeCloseTo(0.003651, 6);
    expect(relSE.truncated).toBeCloseTo(0.004771, 6);
  });
});

describe("uniform initializers", () => {
  it("glorotUniform stays within ±√(6/(fanIn + fanOut)) and has variance 2/(fanIn + fanOut)", () => {
    // limit = √(6/500) = 0.109545;  Var = limit²/3 = 2/500 = 0.004.
    const W = glorotUniform(fanIn, fanOut, new Random(1));
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    expect(limit).toBeCloseTo(0.109545, 6);
    // Within the limit, and using all of it: the largest of 60 000 uniform |w| falls short of
    // the limit by more than 0.1% with probability 0.999⁶⁰⁰⁰⁰ ≈ 1e-26.
    expect(maxAbs(W)).toBeLessThanOrEqual(limit);
    expect(maxAbs(W)).toBeGreaterThan(0.999 * limit);
    expectVariance(W, 2 / (fanIn + fanOut), relSE.uniform);
    expectMeanZero(W, 0.004);
  });

  it("heUniform stays within ±√(6/fanIn) and has variance 2/fanIn", () => {
    // limit = √(6/300) = 0.141421;  Var = 2/300 = 0.006667.
    const W = heUniform(fanIn, fanOut, new Random(2));
    const limit = Math.sqrt(6 / fanIn);
    expect(maxAbs(W)).toBeLessThanOrEqual(limit);
    expectVariance(W, 2 / fanIn, relSE.uniform);
    expectMeanZero(W, 2 / fanIn);
  });
});

describe("truncated-normal initializers", () => {
  it("glorotNormal stays within ±2σ and has variance 0.7737·σ², σ² = 2/(fanIn + fanOut)", () => {
    // σ² = 2/500 = 0.004, σ = 0.063246; variance after truncation 0.7737·0.004 = 0.003095.
    const W = glorotNormal(fanIn, fanOut, new Random(3));
    const sigma = Math.sqrt(2 / (fanIn + fanOut));
    expect(maxAbs(W)).toBeLessThanOrEqual(2 * sigma);
    expectVariance(W, TRUNCATED_VARIANCE * sigma ** 2, relSE.truncated);
    expectMeanZero(W, sigma ** 2);
  });

  it("heNormal stays within ±2σ and has variance 0.7737·σ², σ² = 2/fanIn", () => {
    const W = heNormal(fanIn, fanOut, new Random(4));
    const sigma = Math.sqrt(2 / fanIn);
    expect(maxAbs(W)).toBeLessThanOrEqual(2 * sigma);
    expectVariance(W, TRUNCATED_VARIANCE * sigma ** 2, relSE.truncated);
    expectMeanZero(W, sigma ** 2);
  });

  it("the truncation reshapes the normal: 71.5% of weights within ±σ, not 68.3%", () => {
    // Inside ±σ a truncated normal holds P(|z| ≤ 1)/P(|z| ≤ 2) = 0.682689/0.954500 = 0.715232.
    // A proportion over n = 60 000: SE √(p(1 − p)/n) = 0.001843; 5 SE = 0.0092, well short of
    // the 0.0325 that separates it from an untruncated normal's 0.682689.
    const W = heNormal(fanIn, fanOut, new Random(5));
    const sigma = Math.sqrt(2 / fanIn);
    const inside = W.data.filter((w) => Math.abs(w) <= sigma).length / W.size;
    expect(Math.abs(inside - 0.715232)).toBeLessThan(0.0092);
  });
});

describe("against TensorFlow.js", () => {
  it("tfjs's four initializers draw the same distributions: the same bounds and variances", async () => {
    // tfjs (unlike Python Keras, which rescales σ by 1/0.8796) truncates its normals without
    // correcting the variance, which is why ours does too. tfjs draws in float32, so each
    // bound gets a relative 1e-6 of slack; the variances use the same 5 SE bounds as ours.
    const tf = await getTf();
    const s2 = 2 / (fanIn + fanOut), h2 = 2 / fanIn; // σ² of Glorot and of He
    const cases = [
      ["glorotUniform", tf.initializers.glorotUniform({ seed: 1 }), Math.sqrt(3 * s2), s2, relSE.uniform],
      ["heUniform", tf.initializers.heUniform({ seed: 2 }), Math.sqrt(3 * h2), h2, relSE.uniform],
      ["glorotNormal", tf.initializers.glorotNormal({ seed: 3 }), 2 * Math.sqrt(s2), TRUNCATED_VARIANCE * s2, relSE.truncated],
      ["heNormal", tf.initializers.heNormal({ seed: 4 }), 2 * Math.sqrt(h2), TRUNCATED_VARIANCE * h2, relSE.truncated],
    ] as const;
    for (const [name, make, bound, variance, se] of cases) {
      const t = make.apply([fanIn, fanOut]);
      const W = fromTensor(t);
      tf.dispose(t);
      expect(W.shape, name).toEqual([fanIn, fanOut]);
      expect(maxAbs(W), name).toBeLessThanOrEqual(bound * (1 + 1e-6));
      expectVariance(W, variance, se);
      // And ours, for the same layer, meets the same bound.
      expect(maxAbs(all[name](fanIn, fanOut, new Random(6))), name).toBeLessThanOrEqual(bound);
    }
  });
});

describe("the default kernel initializer of a Dense layer", () => {
  it("is glorotUniform in ours (as Keras in Python), glorotNormal in tfjs-layers 4.22's dense", async () => {
    const tf = await getTf();
    const layer = tf.layers.dense({ units: fanOut, inputShape: [fanIn] });
    // What tfjs says it uses: glorotNormal, which it serializes as the variance scaling it is
    // (scale 1 over the mean fan, normal); and what it draws: variance 0.7737·σ², not σ².
    expect(layer.getConfig().kernelInitializer).toMatchObject(
      { className: "VarianceScaling", config: { scale: 1, mode: "fanAvg", distribution: "normal" } });
    tf.sequential({ layers: [layer] }); // builds the kernel
    const theirs = fromTensor(layer.getWeights()[0]);
    const s2 = 2 / (fanIn + fanOut);
    expectVariance(theirs, TRUNCATED_VARIANCE * s2, relSE.truncated);
    expect(maxAbs(theirs)).toBeGreaterThan(Math.sqrt(3 * s2)); // beyond glorotUniform's limit
    // Ours: the uniform's variance σ², within its limit √3·σ.
    const ours = new Dense({ units: fanOut, inputDim: fanIn, rng: new Random(12) }).W!.value;
    expectVariance(ours, s2, relSE.uniform);
    expect(maxAbs(ours)).toBeLessThanOrEqual(Math.sqrt(3 * s2));
  });
});

describe("reproducibility", () => {
  it.each(Object.entries(all))("%s gives the same matrix for the same seed", (_name, init) => {
    const a = init(4, 6, new Random(9));
    const b = init(4, 6, new Random(9));
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
  });

  it("random initializers give different matrices for different seeds", () => {
    for (const init of [glorotUniform, glorotNormal, heNormal, heUniform]) {
      expect(Array.from(init(4, 6, new Random(1)).data)).not.toEqual(Array.from(init(4, 6, new Random(2)).data));
    }
  });

  it("without an explicit source they draw from the one setSeed() seeds", () => {
    setSeed(123);
    const a = glorotUniform(3, 3);
    setSeed(123);
    const b = glorotUniform(3, 3);
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    expect(Array.from(glorotUniform(3, 3, new Random(123)).data)).toEqual(Array.from(a.data));
  });
});

describe("getInitializer", () => {
  it("finds each initializer by name and passes a function through", () => {
    for (const [name, init] of Object.entries(all)) {
      expect(getInitializer(name as keyof typeof all)).toBe(init);
    }
    const custom: Initializer = (i, o) => zeros(i, o);
    expect(getInitializer(custom)).toBe(custom);
  });

  it("rejects an unknown name, listing the known ones", () => {
    const bad = "xavier" as keyof typeof all;
    expect(() => getInitializer(bad)).toThrow(ValueError);
    expect(() => getInitializer(bad)).toThrow(
      'getInitializer: unknown initializer "xavier". Expected one of: zeros, ones, glorotUniform, ' +
        "glorotNormal, heNormal, heUniform.",
    );
  });
});
