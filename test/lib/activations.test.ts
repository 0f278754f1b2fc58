/**
 * Activations (chapter 03): hand-worked values, extreme inputs, central-difference checks of
 * every derivative, the values against TensorFlow.js and the derivatives against tf.grad.
 */
import type { Tensor } from "@tensorflow/tfjs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Activation } from "../../lib/src/activation";
import {
  getActivation,
  linear,
  relu,
  sigmoid,
  step,
  tanh,
} from "../../lib/src/activations";
import { ValueError } from "../../lib/src/errors";
import type { Tf } from "../../lib/src/tf";
import { numericDerivative } from "../../lib/src/gradcheck";
import { Matrix } from "../../lib/src/matrix";
import { expectClose, FLOAT32, fromTensor, getTf, reportComparisons } from "../helpers/compare";

reportComparisons("activations");

const smooth = { linear, sigmoid, tanh } as const;
const all = { linear, step, sigmoid, tanh, relu } as const;

/** −8, −7.75, …, 8: 65 points, through 0. */
const grid = Array.from({ length: 65 }, (_, k) => -8 + k * 0.25);

describe("hand-worked values", () => {
  it("linear: g(z) = z, g′(z) = 1", () => {
    expect([linear.fn(-2.5), linear.fn(0), linear.fn(3)]).toEqual([-2.5, 0, 3]);
    expect([linear.derivative(-2.5), linear.derivative(3)]).toEqual([1, 1]);
  });

  it("step: 1 for z ≥ 0 (so step(0) = 1), else 0; derivative 0", () => {
    expect([step.fn(-1), step.fn(-1e-9), step.fn(0), step.fn(2)]).toEqual([0, 0, 1, 1]);
    expect([step.derivative(-1), step.derivative(0), step.derivative(2)]).toEqual([0, 0, 0]);
  });

  it("sigmoid: σ(0) = 1/2, σ′(0) = 1/4, σ(ln 3) = 3/4", () => {
    // σ(0) = 1/(1 + e⁰) = 1/2;  σ′(0) = ½·(1 − ½) = ¼.
    expect(sigmoid.fn(0)).toBe(0.5);
    expect(sigmoid.derivative(0)).toBe(0.25);
    // σ(ln 3) = 1/(1 + 1/3) = 3/4;  σ′(ln 3) = ¾·¼ = 3/16 = 0.1875.
    // σ(−ln 3) = 1 − σ(ln 3) = 1/4.  Tolerance 1e-15: ln 3 is itself rounded.
    expect(sigmoid.fn(Math.log(3))).toBeCloseTo(0.75, 15);
    expect(sigmoid.derivative(Math.log(3))).toBeCloseTo(0.1875, 15);
    expect(sigmoid.fn(-Math.log(3))).toBeCloseTo(0.25, 15);
  });

  it("tanh: tanh(0) = 0, tanh′(0) = 1, tanh(ln 2) = 0.6", () => {
    expect(tanh.fn(0)).toBe(0);
    expect(tanh.derivative(0)).toBe(1);
    // tanh(ln 2) = (2 − ½)/(2 + ½) = 1.5/2.5 = 0.6;  tanh′(ln 2) = 1 − 0.36 = 0.64.
    expect(tanh.fn(Math.log(2))).toBeCloseTo(0.6, 15);
    expect(tanh.derivative(Math.log(2))).toBeCloseTo(0.64, 15);
    expect(tanh.fn(-Math.log(2))).toBeCloseTo(-0.6, 15);
  });

  it("relu: max(0, z); derivative 1 for z > 0, 0 otherwise (0 at the kink)", () => {
    expect([relu.fn(-1), relu.fn(0), relu.fn(2), relu.fn(0.5)]).toEqual([0, 0, 2, 0.5]);
    expect([relu.derivative(-1), relu.derivative(0), relu.derivative(2)]).toEqual([0, 0, 1]);
  });

  it("f, prime and backward apply g, g′ and dA ⊙ g′(Z) to every element", () => {
    const Z = Matrix.from([[-1, 0], [2, 3]]);
    const dA = Matrix.from([[10, 20], [30, 40]]);
    expect(relu.f(Z).toArray()).toEqual([[0, 0], [2, 3]]);
    expect(relu.prime(Z).toArray()).toEqual([[0, 0], [1, 1]]);
    // dZ = dA ⊙ relu′(Z) = [10·0 20·0; 30·1 40·1]
    expect(relu.backward(Z, relu.f(Z), dA).toArray()).toEqual([[0, 0], [30, 40]]);
    // sigmoid at Z = 0: dZ = dA·¼
    const Z0 = Matrix.zeros(2, 2);
    expect(sigmoid.backward(Z0, sigmoid.f(Z0), dA).toArray()).toEqual([[2.5, 5], [7.5, 10]]);
  });

  it("f, prime and backward leave their inputs unchanged", () => {
    const Z = Matrix.from([[-1, 0.5]]), dA = Matrix.from([[2, 3]]);
    for (const g of Object.values(all)) {
      g.backward(Z, g.f(Z), dA);
      g.prime(Z);
      expect(Z.toArray()).toEqual([[-1, 0.5]]);
      expect(dA.toArray()).toEqual([[2, 3]]);
    }
  });
});

describe("extreme inputs", () => {
  it("no overflow or NaN at ±1000 (or ±1e308)", () => {
    for (const g of Object.values(all)) {
      for (const z of [-1e308, -1000, -710, 710, 1000, 1e308]) {
        expect(Number.isFinite(g.fn(z)), `${g.name}(${z})`).toBe(true);
        expect(Number.isFinite(g.derivative(z)), `${g.name}′(${z})`).toBe(true);
      }
    }
  });

  it("saturate to the right limits", () => {
    expect([sigmoid.fn(1000), sigmoid.fn(-1000)]).toEqual([1, 0]);
    expect([sigmoid.derivative(1000), sigmoid.derivative(-1000)]).toEqual([0, 0]);
    expect([tanh.fn(1000), tanh.fn(-1000)]).toEqual([1, -1]);
    expect([tanh.derivative(1000), tanh.derivative(-1000)]).toEqual([0, 0]);
    expect([relu.fn(1000), relu.fn(-1000)]).toEqual([1000, 0]);
  });

  it("sigmoid keeps its small tail values instead of rounding them away", () => {
    // σ(−40) = e⁻⁴⁰/(1 + e⁻⁴⁰) ≈ 4.248e-18: tiny but not 0 (1 − σ(40) would round to 0).
    // Computed as eᶻ/(1 + eᶻ) it keeps float64's ~16 digits: relative tolerance 1e-15.
    const expected = Math.exp(-40) / (1 + Math.exp(-40));
    expect(Math.abs(sigmoid.fn(-40) - expected) / expected).toBeLessThan(1e-15);
    expect(sigmoid.fn(-40)).toBeGreaterThan(0);
  });
});

describe("derivatives by central differences", () => {
  // Central difference with h = 1e-5: truncation error h²/6·|g‴| ≤ 1e-10/6·2 for tanh and
  // σ (|g‴| ≤ 2), rounding error about ε/h = 2e-11. Tolerance 1e-9 is ten times their sum.
  const tol = 1e-9;

  it.each(Object.entries(smooth))("%s′ matches (g(z+h) − g(z−h))/2h on −8…8", (_name, g) => {
    for (const z of grid) {
      expect(Math.abs(g.derivative(z) - numericDerivative(g.fn, z)), `z = ${z}`).toBeLessThan(tol);
    }
  });

  it("relu′ matches away from its kink at 0, where it has no derivative", () => {
    for (const z of grid.filter((z) => Math.abs(z) > 1e-3)) {
      expect(Math.abs(relu.derivative(z) - numericDerivative(relu.fn, z)), `z = ${z}`).toBeLessThan(tol);
    }
    // At the kink the central difference gives the average of the slopes, (0 + 1)/2.
    expect(numericDerivative(relu.fn, 0)).toBeCloseTo(0.5, 12);
  });

  it("step′ = 0 matches away from its jump", () => {
    for (const z of grid.filter((z) => Math.abs(z) > 1e-3)) {
      expect(numericDerivative(step.fn, z)).toBe(0);
    }
  });

  it("fast-check: σ′, tanh′ and relu′ match central differences at random z", () => {
    fc.assert(
      fc.property(fc.double({ min: -30, max: 30, noNaN: true }), (z) => {
        for (const g of [sigmoid, tanh]) {
          expect(Math.abs(g.derivative(z) - numericDerivative(g.fn, z))).toBeLessThan(tol);
        }
        if (Math.abs(z) > 1e-3) {
          expect(Math.abs(relu.derivative(z) - numericDerivative(relu.fn, z))).toBeLessThan(tol);
        }
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});

describe("identities (fast-check over random z)", () => {
  const z = fc.double({ min: -50, max: 50, noNaN: true });

  it("σ(z) ∈ [0, 1], σ(−z) = 1 − σ(z), and σ′ ≤ 1/4", () => {
    fc.assert(
      fc.property(z, (z) => {
        const s = sigmoid.fn(z);
        expect(s >= 0 && s <= 1).toBe(true);
        // Both sides near 1 at worst: absolute 2ε ≈ 4.4e-16; allow 1e-15.
        expect(Math.abs(sigmoid.fn(-z) - (1 - s))).toBeLessThan(1e-15);
        expect(sigmoid.derivative(z)).toBeLessThanOrEqual(0.25);
      }),
      { numRuns: 300, seed: 8 },
    );
  });

  it("tanh(z) = 2σ(2z) − 1 and tanh is odd", () => {
    fc.assert(
      fc.property(z, (z) => {
        // Values in [−1, 1]; the identity loses at most a few ε. Allow 1e-15.
        expect(Math.abs(tanh.fn(z) - (2 * sigmoid.fn(2 * z) - 1))).toBeLessThan(1e-15);
        expect(tanh.fn(-z)).toBe(-tanh.fn(z));
      }),
      { numRuns: 300, seed: 9 },
    );
  });

  it("relu(z) − relu(−z) = z and relu(z) ≥ 0", () => {
    fc.assert(
      fc.property(z, (z) => {
        expect(relu.fn(z) - relu.fn(-z)).toBe(z + 0); // + 0 turns −0 into 0
        expect(relu.fn(z)).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 300, seed: 10 },
    );
  });
});

/** The z values compared with TensorFlow.js: the grid, plus large and tiny ones. */
const zs = [...grid, -1000, -60, -20, -1e-4, 1e-4, 20, 60, 1000];

describe("against TensorFlow.js", () => {
  const pairs: [string, Activation, (tf: Tf) => (x: Tensor) => Tensor][] = [
    ["linear", linear, () => (x) => x],
    ["sigmoid", sigmoid, (tf) => (x) => tf.sigmoid(x)],
    ["tanh", tanh, (tf) => (x) => tf.tanh(x)],
    ["relu", relu, (tf) => (x) => tf.relu(x)],
  ];

  it.each(pairs)("%s values equal tf's (FLOAT32 tolerance)", async (_name, g, op) => {
    // Outputs are at most 1000 in size; float32 keeps them to a relative 6e-8, inside
    // FLOAT32 (rtol 1e-5, atol 1e-6). Tiny outputs (σ(−60) ≈ 9e-27) fall under atol.
    const tf = await getTf();
    const x = tf.tensor1d(zs, "float32");
    const y = op(tf)(x);
    expectClose(fromTensor(y), g.f(Matrix.row(zs)), FLOAT32, g.name);
    tf.dispose([x, y]);
  });

  it.each(pairs)("%s derivatives equal tf.grad (FLOAT32 tolerance)", async (_name, g, op) => {
    // tf.grad of Σ g(zᵢ) is g′(zᵢ) element by element. tfjs forms σ′ = σ·(1 − σ) and
    // tanh′ = 1 − tanh² in float32, where 1 − y loses digits as y → 1: the absolute error stays
    // about 2⁻²⁴·2 ≈ 1.2e-7, inside FLOAT32's atol 1e-6 even where g′ itself is tiny.
    const tf = await getTf();
    const x = tf.tensor1d(zs, "float32");
    const dx = tf.grad((t: Tensor) => tf.sum(op(tf)(t)))(x);
    expectClose(fromTensor(dx), g.prime(Matrix.row(zs)), FLOAT32, `${g.name}′`);
    tf.dispose([x, dx]);
  });

  it("relu′(0) = 0 as in tfjs, and step differs from tf.step only at 0", async () => {
    const tf = await getTf();
    const zero = tf.scalar(0);
    const d = tf.grad((t: Tensor) => tf.relu(t))(zero);
    expect(d.dataSync()[0]).toBe(relu.derivative(0));
    // tf.step(x) is 1 for x > 0 and 0 otherwise; ours follows Rosenblatt, step(0) = 1.
    const away = zs.filter((z) => z !== 0);
    const x = tf.tensor1d(away, "float32");
    const s = tf.step(x);
    expectClose(fromTensor(s), step.f(Matrix.row(away)), FLOAT32, "step");
    const s0 = tf.step(zero);
    expect(s0.dataSync()[0]).toBe(0);
    expect(step.fn(0)).toBe(1);
    tf.dispose([zero, d, x, s, s0]);
  });
});

describe("getActivation", () => {
  it("finds each activation by its Keras name and passes an Activation through", () => {
    for (const [name, g] of Object.entries(all)) {
      expect(getActivation(name as keyof typeof all)).toBe(g);
      expect(getActivation(g).name).toBe(name);
    }
    const custom: Activation = { ...linear, name: "custom" };
    expect(getActivation(custom)).toBe(custom);
  });

  it("rejects an unknown name, listing the names it knows", () => {
    const bad = "sigmod" as unknown as keyof typeof all;
    expect(() => getActivation(bad)).toThrow(ValueError);
    expect(() => getActivation(bad)).toThrow('getActivation: unknown activation "sigmod". Expected one of:');
    const message = (() => {
      try {
        getActivation(bad);
      } catch (e) {
        return (e as Error).message;
      }
      return "(no error)";
    })();
    for (const name of Object.keys(all)) expect(message).toContain(name);
  });
});
