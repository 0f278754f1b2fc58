/**
 * Value, the scalar autodiff of chapter 07: each local derivative by hand, micrograd's README
 * example derived by hand, gradients against tf.grads on seven expressions, central
 * differences, the graph for drawing, backward's accumulation rule, and the errors.
 */
import { inspect } from "node:util";
import type { Tensor } from "@tensorflow/tfjs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ValueError } from "../../lib/src/errors";
import { numericDerivative } from "../../lib/src/gradcheck";
import type { Tf } from "../../lib/src/tf";
import { Value } from "../../lib/src/value";
import { expectClose, FLOAT32, getTf, reportComparisons } from "../helpers/compare";

reportComparisons("value");

/** Leaves for the inputs, the expression built on them, backward() run: returns the leaves. */
function gradsOf(f: (...v: Value[]) => Value, ...xs: number[]): { out: Value; leaves: Value[] } {
  const leaves = xs.map((x) => new Value(x));
  const out = f(...leaves);
  out.backward();
  return { out, leaves };
}

/** |a − e| ≤ rtol·|e| + atol, for float64 results (expectClose is kept for tfjs). */
function expectNear(actual: number, expected: number, rtol: number, atol: number, label = "") {
  expect(Math.abs(actual - expected), `${label}: got ${actual}, expected ${expected}`).toBeLessThanOrEqual(
    atol + rtol * Math.abs(expected),
  );
}


/** The expression of micrograd's README, line by line as it is written there. */
function microgradReadme(a: Value, b: Value): Value {
  let c = a.add(b);
  let d = a.mul(b).add(b.pow(3));
  c = c.add(c.add(1));
  c = c.add(new Value(1).add(c).add(a.neg()));
  d = d.add(d.mul(2).add(b.add(a).relu()));
  d = d.add(new Value(3).mul(d).add(b.sub(a).relu()));
  const f = c.sub(d).pow(2);
  return f.div(2).add(new Value(10).div(f));
}

describe("each operation's local derivative, by hand", () => {
  // Each case: out = op(a, b) at a = 3, b = −2 (or a alone), then out.backward().
  it("add, sub, mul, div", () => {
    let { out, leaves: [a, b] } = gradsOf((a, b) => a.add(b), 3, -2);
    expect([out.data, a.grad, b.grad]).toEqual([1, 1, 1]); // 3 + (−2); ∂/∂a = 1, ∂/∂b = 1
    ({ out, leaves: [a, b] } = gradsOf((a, b) => a.sub(b), 3, -2));
    expect([out.data, a.grad, b.grad]).toEqual([5, 1, -1]); // 3 − (−2); 1, −1
    ({ out, leaves: [a, b] } = gradsOf((a, b) => a.mul(b), 3, -2));
    expect([out.data, a.grad, b.grad]).toEqual([-6, -2, 3]); // ∂/∂a = b = −2, ∂/∂b = a = 3
    ({ out, leaves: [a, b] } = gradsOf((a, b) => a.div(b), 3, -2));
    // 3/(−2) = −1.5;  ∂/∂a = 1/b = −0.5;  ∂/∂b = −a/b² = −3/4 = −0.75
    expect([out.data, a.grad, b.grad]).toEqual([-1.5, -0.5, -0.75]);
  });

  it("neg, pow", () => {
    let { out, leaves: [a] } = gradsOf((a) => a.neg(), 3);
    expect([out.data, a.grad]).toEqual([-3, -1]);
    ({ out, leaves: [a] } = gradsOf((a) => a.pow(3), 3));
    expect([out.data, a.grad]).toEqual([27, 27]); // 3³ = 27;  3·3² = 27
    ({ out, leaves: [a] } = gradsOf((a) => a.pow(-1), 4));
    expect([out.data, a.grad]).toEqual([0.25, -0.0625]); // 4⁻¹ = 0.25;  −1·4⁻² = −1/16
    ({ out, leaves: [a] } = gradsOf((a) => a.pow(0.5), 9));
    expect(out.data).toBe(3); // √9;  ½·9^(−½) = 1/6
    expectNear(a.grad, 1 / 6, 1e-15, 0, "√ ′");
  });

  it("exp, log", () => {
    let { out, leaves: [a] } = gradsOf((a) => a.exp(), 0);
    expect([out.data, a.grad]).toEqual([1, 1]); // e⁰ = 1, (eᵃ)′ = eᵃ = 1
    ({ out, leaves: [a] } = gradsOf((a) => a.log(), 4));
    expect(a.grad).toBe(0.25); // (ln a)′ = 1/a = 1/4
    expectNear(out.data, 2 * Math.LN2, 1e-15, 0, "ln 4 = 2 ln 2");
    ({ out, leaves: [a] } = gradsOf((a) => a.exp().log(), 2.5));
    expectNear(out.data, 2.5, 1e-15, 0, "ln eᵃ");
    expectNear(a.grad, 1, 1e-15, 0, "(ln eᵃ)′ = (1/eᵃ)·eᵃ"); // the chain rule, through two steps
  });

  it("tanh, sigmoid, relu", () => {
    let { out, leaves: [a] } = gradsOf((a) => a.tanh(), 0);
    expect([out.data, a.grad]).toEqual([0, 1]); // tanh 0 = 0, 1 − 0² = 1
    ({ out, leaves: [a] } = gradsOf((a) => a.tanh(), Math.log(2)));
    expectNear(out.data, 0.6, 1e-15, 0, "tanh ln 2"); // (2 − ½)/(2 + ½)
    expectNear(a.grad, 0.64, 1e-15, 0, "1 − 0.6²");
    ({ out, leaves: [a] } = gradsOf((a) => a.sigmoid(), 0));
    expect([out.data, a.grad]).toEqual([0.5, 0.25]); // σ(0) = ½, ½·½
    ({ out, leaves: [a] } = gradsOf((a) => a.sigmoid(), Math.log(3)));
    expectNear(a.grad, 0.1875, 1e-15, 0, "σ′(ln 3) = ¾·¼");
    for (const [z, value, slope] of [[-1, 0, 0], [0, 0, 0], [2, 2, 1]]) {
      ({ out, leaves: [a] } = gradsOf((a) => a.relu(), z));
      expect([out.data, a.grad]).toEqual([value, slope]);
    }
  });

  it("sigmoid and tanh do not overflow at ±1000", () => {
    for (const z of [-1000, 1000]) {
      const { out, leaves: [a] } = gradsOf((a) => a.sigmoid().add(a.tanh()), z);
      expect(Number.isFinite(out.data)).toBe(true);
      expect(a.grad).toBe(0);
    }
  });

  it("plain numbers work as operands", () => {
    const { out, leaves: [a] } = gradsOf((a) => a.mul(3).add(2).sub(1).div(2), 5);
    // (5·3 + 2 − 1)/2 = 16/2 = 8;  d/da = 3/2
    expect([out.data, a.grad]).toEqual([8, 1.5]);
  });
});

describe("the chain rule through a graph", () => {
  it("a value used twice gets both contributions: a·a, a + a, a·b + a", () => {
    let { leaves: [a] } = gradsOf((a) => a.mul(a), 3);
    expect(a.grad).toBe(6); // d(a²)/da = 2a
    ({ leaves: [a] } = gradsOf((a) => a.add(a), 3));
    expect(a.grad).toBe(2);
    let b: Value;
    ({ leaves: [a, b] } = gradsOf((a, b) => a.mul(b).add(a), 2, -3));
    expect([a.grad, b.grad]).toEqual([-2, 2]); // ∂/∂a = b + 1 = −2,  ∂/∂b = a = 2
  });

  it("a neuron, o = tanh(x₁w₁ + x₂w₂ + b), worked by hand", () => {
    // x₁ = 2, w₁ = −3, x₂ = 0, w₂ = 1, b = 6 + atanh(1/√2), where
    // atanh(1/√2) = ½·ln((1 + 1/√2)/(1 − 1/√2)) = ½·ln 5.828427 = 0.881374;
    // so n = −6 + 0 + b = 0.881374 and o = tanh n = 1/√2 = 0.707107.
    // do/dn = 1 − o² = 1 − ½ = ½.  Then ∂o/∂x₁ = w₁·½ = −1.5, ∂o/∂w₁ = x₁·½ = 1,
    // ∂o/∂x₂ = w₂·½ = 0.5, ∂o/∂w₂ = x₂·½ = 0, ∂o/∂b = ½.
    const b0 = 6 + Math.atanh(1 / Math.SQRT2);
    const { out, leaves: [x1, w1, x2, w2, b] } = gradsOf(
      (x1, w1, x2, w2, b) => x1.mul(w1).add(x2.mul(w2)).add(b).tanh(), 2, -3, 0, 1, b0);
    // Tolerance 1e-14: b0 and atanh carry float64 rounding of a few 1e-16, scaled by ~6.
    expectNear(out.data, Math.SQRT1_2, 0, 1e-14, "o");
    const grads = [x1.grad, w1.grad, x2.grad, w2.grad, b.grad];
    [-1.5, 1, 0.5, 0, 0.5].forEach((g, k) => expectNear(grads[k], g, 0, 1e-14, `grad ${k}`));
  });

  it("micrograd's README example, derived by hand", () => {
    // With a = −4, b = 2 the README's lines reduce to
    //   c = 3a + 4b + 3                          (c = a + b; c += c + 1; c += 1 + c − a)
    //   d = 12(ab + b³) + 4·relu(a + b) + relu(b − a)
    //   e = c − d,  f = e²,  g = f/2 + 10/f
    // Forward: c = −12 + 8 + 3 = −1;  ab + b³ = −8 + 8 = 0, relu(−2) = 0, relu(6) = 6, so d = 6;
    //   e = −7, f = 49, g = 24.5 + 10/49 = 24.704082.
    // Backward: dg/de = e − 20/e³ = −7 + 20/343 = −2381/343;
    //   ∂e/∂a = 3 − (12b + 0 − 1) = 3 − 23 = −20   (relu′(−2) = 0, relu′(6) = 1, ∂(b − a)/∂a = −1)
    //   ∂e/∂b = 4 − (12(a + 3b²) + 0 + 1) = 4 − (96 + 1) = −93
    //   a.grad = −20·(−2381/343) = 47620/343 = 138.833819,  b.grad = 93·2381/343 = 221433/343 = 645.577259
    const a = new Value(-4), b = new Value(2);
    const g = microgradReadme(a, b);
    g.backward();
    // Relative 1e-14: a few dozen float64 operations, each within ½ ulp.
    expectNear(g.data, 24.5 + 10 / 49, 1e-14, 0, "g");
    expectNear(a.grad, 47620 / 343, 1e-14, 0, "dg/da");
    expectNear(b.grad, 221433 / 343, 1e-14, 0, "dg/db");
  });

  it("a chain 5 000 operations deep does not overflow the stack", () => {
    const x = new Value(1);
    let y = x;
    for (let k = 0; k < 5_000; k++) y = y.mul(1.0001).add(0);
    y.backward();
    // y = 1.0001⁵⁰⁰⁰·x, so dy/dx = 1.0001⁵⁰⁰⁰ = e^(5000·ln 1.0001) ≈ 1.6487; 5 000 roundings: 1e-12.
    expectNear(x.grad, 1.0001 ** 5000, 1e-12, 0, "dy/dx");
  });
});

describe("backward() called twice, and zeroGrad()", () => {
  // L = (a·b) + a at a = 2, b = −3: ∂L/∂a = b + 1 = −2, ∂L/∂b = a = 2, and for m = a·b, ∂L/∂m = 1.
  const build = () => {
    const a = new Value(2, [], "", "a"), b = new Value(-3, [], "", "b");
    const m = a.mul(b);
    return { a, b, m, L: m.add(a) };
  };

  it("leaves accumulate: a second backward() adds the gradient again, as in PyTorch", () => {
    const { a, b, m, L } = build();
    L.backward();
    L.backward();
    expect([a.grad, b.grad]).toEqual([-4, 4]);
    // Intermediate nodes hold this pass's gradient only, so nothing is counted three times.
    expect(m.grad).toBe(1);
    expect(L.grad).toBe(1);
  });

  it("zeroGrad() clears every node, after which backward() gives the single-pass gradient", () => {
    const { a, b, m, L } = build();
    L.backward();
    L.backward();
    L.zeroGrad();
    expect([a.grad, b.grad, m.grad, L.grad]).toEqual([0, 0, 0, 0]);
    L.backward();
    expect([a.grad, b.grad]).toEqual([-2, 2]);
  });

  it("two losses sharing a leaf add their gradients there", () => {
    // L₁ = a·b, L₂ = a²:  a.grad = b + 2a = −3 + 4 = 1,  b.grad = a = 2.
    const a = new Value(2), b = new Value(-3);
    a.mul(b).backward();
    a.pow(2).backward();
    expect([a.grad, b.grad]).toEqual([1, 2]);
  });

  it("backward() on a leaf sets its own gradient to 1 (dL/dL)", () => {
    const a = new Value(5);
    a.backward();
    expect(a.grad).toBe(1);
  });
});

describe("the graph, for drawing", () => {
  it("lists nodes children-first and edges child → parent, by hand", () => {
    // d = (a·b) + a, labels a, b, e = a·b, d. Depth-first from d: a (0), b (1), e (2), d (3).
    const a = new Value(2, [], "", "a"), b = new Value(-3, [], "", "b");
    const e = a.mul(b);
    e.label = "e";
    const d = e.add(a);
    d.label = "d";
    d.backward();
    const graph = d.toGraph();
    expect(graph.nodes).toEqual([
      { id: 0, label: "a", data: 2, grad: -2, op: "" },
      { id: 1, label: "b", data: -3, grad: 2, op: "" },
      { id: 2, label: "e", data: -6, grad: 1, op: "·" },
      { id: 3, label: "d", data: -4, grad: 1, op: "+" },
    ]);
    expect(graph.edges).toEqual([[0, 2], [1, 2], [2, 3], [0, 3]]);
    expect(d.nodes()).toEqual([a, b, e, d]);
  });

  it("an operand used twice (a·a) has two edges, one node", () => {
    const a = new Value(3);
    const g = a.mul(a).toGraph();
    expect(g.nodes).toHaveLength(2);
    expect(g.edges).toEqual([[0, 1], [0, 1]]);
  });

  it("records each operation's name", () => {
    const x = new Value(0.5);
    const ops = [
      x.add(1), x.sub(1), x.mul(2), x.div(2), x.neg(), x.pow(2), x.exp(), x.log(), x.tanh(), x.sigmoid(), x.relu(),
    ].map((v) => v.op);
    expect(ops).toEqual(["+", "−", "·", "/", "neg", "^2", "exp", "log", "tanh", "σ", "relu"]);
  });

  it("prints as Value(label = data, grad g)", () => {
    const v = new Value(1.5, [], "", "w");
    expect(String(v)).toBe("Value(w = 1.5, grad 0)");
    expect(inspect(new Value(2))).toBe("Value(2, grad 0)");
  });
});

describe("errors", () => {
  it("log of a non-positive number", () => {
    expect(() => new Value(0).log()).toThrow(ValueError);
    expect(() => new Value(0).log()).toThrow(
      "Value.log: expected a positive number, got 0. ln a is defined only for a > 0.",
    );
    expect(() => new Value(-2).log()).toThrow("got -2.");
  });

  it("pow with an exponent that is not a number", () => {
    const a = new Value(2);
    const bad = new Value(3) as unknown as number;
    expect(() => a.pow(bad)).toThrow(ValueError);
    expect(() => a.pow(bad)).toThrow(
      "Value.pow: expected the exponent to be a number, got a Value. " +
        "Only aᵏ with a constant k is supported; write exp(k·log(a)) for a Value exponent.",
    );
    expect(() => a.pow("2" as unknown as number)).toThrow("got string.");
  });

  it("division by zero, directly or as a negative power of 0", () => {
    expect(() => new Value(1).div(0)).toThrow("Value.div: cannot divide 1 by 0.");
    expect(() => new Value(0).pow(-1)).toThrow("Value.pow: 0 to the power -1 is a division by 0.");
  });
});

/**
 * Expressions written twice, once with Value and once with tfjs, each with a domain to draw
 * points from. Domains keep away from relu's kinks and from where a float32 result would
 * lose its digits to cancellation.
 */
interface Case {
  name: string;
  value: (...v: Value[]) => Value;
  tf: (tf: Tf, ...s: Tensor[]) => Tensor;
  points: number[][];
  domain: [number, number][];
  valid?: (...x: number[]) => boolean;
}

const cases: Case[] = [
  {
    name: "reuse: x³ + x² + x built from x·x·x + x·x + x",
    value: (x) => x.mul(x).mul(x).add(x.mul(x)).add(x),
    tf: (tf, x) => tf.add(tf.add(tf.mul(tf.mul(x, x), x), tf.mul(x, x)), x),
    points: [[-2], [0.5], [3]],
    domain: [[-3, 3]],
  },
  {
    name: "division: x/y + y/x − xy/(x + y)",
    value: (x, y) => x.div(y).add(y.div(x)).sub(x.mul(y).div(x.add(y))),
    tf: (tf, x, y) => tf.sub(tf.add(tf.div(x, y), tf.div(y, x)), tf.div(tf.mul(x, y), tf.add(x, y))),
    points: [[1, 2], [2.5, 1.5]],
    domain: [[1, 3], [1, 3]],
  },
  {
    name: "pow: (x² + 1)^1.5 · y⁻² + x³",
    value: (x, y) => x.pow(2).add(1).pow(1.5).mul(y.pow(-2)).add(x.pow(3)),
    tf: (tf, x, y) => tf.add(tf.mul(tf.pow(tf.add(tf.square(x), 1), 1.5), tf.pow(y, -2)), tf.pow(x, 3)),
    points: [[0.7, 1.3], [-1.5, 2]],
    domain: [[-2, 2], [1, 3]],
  },
  {
    name: "exp/log: ln(eˣ + y²) − e^(−xy)",
    value: (x, y) => x.exp().add(y.pow(2)).log().sub(x.mul(y).neg().exp()),
    tf: (tf, x, y) => tf.sub(tf.log(tf.add(tf.exp(x), tf.square(y))), tf.exp(tf.neg(tf.mul(x, y)))),
    points: [[0.3, -1.2], [1.5, 0.8]],
    domain: [[-2, 2], [-2, 2]],
  },
  {
    name: "activations: tanh(xy) + relu(x − y) + σ(x + 2y)·relu(y)",
    value: (x, y) => x.mul(y).tanh().add(x.sub(y).relu()).add(x.add(y.mul(2)).sigmoid().mul(y.relu())),
    tf: (tf, x, y) =>
      tf.add(tf.add(tf.tanh(tf.mul(x, y)), tf.relu(tf.sub(x, y))), tf.mul(tf.sigmoid(tf.add(x, tf.mul(y, 2))), tf.relu(y))),
    points: [[0.5, 1.5], [1.5, 0.5], [-1, -0.5], [2, -1]],
    domain: [[-2, 2], [-2, 2]],
    valid: (x, y) => Math.abs(x - y) > 1e-2 && Math.abs(y) > 1e-2,
  },
  {
    name: "a neuron's squared error: (tanh(w₁x₁ + w₂x₂ + b) − 0.5)²",
    value: (w1, w2, b) => w1.mul(0.8).add(w2.mul(-1.2)).add(b).tanh().sub(0.5).pow(2),
    tf: (tf, w1, w2, b) => tf.square(tf.sub(tf.tanh(tf.add(tf.add(tf.mul(w1, 0.8), tf.mul(w2, -1.2)), b)), 0.5)),
    points: [[0.1, -0.4, 0.2], [-1, 0.5, 1]],
    domain: [[-1.5, 1.5], [-1.5, 1.5], [-1, 1]],
  },
  {
    name: "micrograd's README expression",
    value: (a, b) => microgradReadme(a, b),
    tf: (tf, a, b) => {
      let c = tf.add(a, b);
      let d = tf.add(tf.mul(a, b), tf.pow(b, 3));
      c = tf.add(c, tf.add(c, 1));
      c = tf.add(c, tf.add(tf.add(1, c), tf.neg(a)));
      d = tf.add(d, tf.add(tf.mul(d, 2), tf.relu(tf.add(b, a))));
      d = tf.add(d, tf.add(tf.mul(3, d), tf.relu(tf.sub(b, a))));
      const f = tf.square(tf.sub(c, d));
      return tf.add(tf.div(f, 2), tf.div(10, f));
    },
    points: [[-4, 2], [1, 0.5], [-0.5, -1.5]],
    domain: [[-2, 2], [-2, 2]],
    // Off the kinks of relu(a + b) and relu(b − a), and |g| < 10⁴, which keeps e = c − d away
    // from 0, where g's term 10/e² blows up.
    valid: (a, b) => Math.abs(a + b) > 0.05 && Math.abs(b - a) > 0.05 && Math.abs(gradsOf(cases[6].value, a, b).out.data) < 1e4,
  },
];

/** Random points in a case's domain, off its excluded set. */
const pointIn = (c: Case) =>
  fc
    .tuple(...c.domain.map(([lo, hi]) => fc.double({ min: lo, max: hi, noNaN: true })))
    .filter((xs) => c.valid?.(...xs) ?? true);

describe("gradients against tf.grads", () => {
  // tfjs evaluates forward and backward in float32: a few roundings of 2⁻²⁴ relative on
  // values of size ≤ ~10³ here, so FLOAT32 (rtol 1e-5, atol 1e-6).
  async function compare(c: Case, xs: number[]) {
    const tf = await getTf();
    const { leaves } = gradsOf(c.value, ...xs);
    const inputs = xs.map((x) => tf.scalar(x, "float32"));
    const grads = tf.grads((...s: Tensor[]) => c.tf(tf, ...s))(inputs);
    expectClose(leaves.map((v) => v.grad), grads.map((g) => g.dataSync()[0]), FLOAT32, `${c.name} at [${xs}]`);
    tf.dispose([...inputs, ...grads]);
  }

  it.each(cases.map((c) => [c.name, c] as const))("%s: at chosen points", async (_name, c) => {
    for (const xs of c.points) await compare(c, xs);
  });

  it.each(cases.map((c) => [c.name, c] as const))("%s: at random points (fast-check)", async (_name, c) => {
    await fc.assert(fc.asyncProperty(pointIn(c), (xs) => compare(c, xs)), { numRuns: 25, seed: 17 });
  });

  it("the forward values agree with tfjs too", async () => {
    const tf = await getTf();
    for (const c of cases) {
      for (const xs of c.points) {
        const inputs = xs.map((x) => tf.scalar(x, "float32"));
        const out = c.tf(tf, ...inputs);
        expectClose(gradsOf(c.value, ...xs).out.data, out.dataSync()[0], FLOAT32, `${c.name} value`);
        tf.dispose([...inputs, out]);
      }
    }
  });
});

describe("gradients against central differences", () => {
  // Central difference with h = 1e-5 in float64: truncation h²/6·|f‴| and rounding ε·|f|/h are
  // both below 1e-8 for these expressions on their domains (|f|, |f‴| ≲ 10³), so
  // |backprop − numeric| ≤ 1e-6 + 1e-6·|numeric| leaves a wide margin and still catches any
  // wrong rule (which would be off by O(1)).
  function check(c: Case, xs: number[]) {
    const { leaves } = gradsOf(c.value, ...xs);
    xs.forEach((_, k) => {
      const fk = (t: number) => c.value(...xs.map((x, j) => new Value(j === k ? t : x))).data;
      expectNear(leaves[k].grad, numericDerivative(fk, xs[k]), 1e-6, 1e-6, `${c.name}, input ${k} at [${xs}]`);
    });
  }

  it.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    for (const xs of c.points) check(c, xs);
    fc.assert(fc.property(pointIn(c), (xs) => check(c, xs)), { numRuns: 100, seed: 19 });
  });
});
