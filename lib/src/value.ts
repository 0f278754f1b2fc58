import { inspect } from "node:util";
import { ValueError } from "./errors";

/**
 * A scalar that remembers how it was computed, so that `backward()` can run the chain rule
 * through the whole computation (chapter 07). The idea is Andrej Karpathy's micrograd (2020).
 *
 *   data: the number;   grad: ∂L/∂(this number), filled in when L.backward() runs
 *
 * Each operation makes a new Value whose children are its operands, and stores a closure
 * `step` holding that operation's local derivative: for out = f(a, b),
 *   a.grad += ∂f/∂a · out.grad,   b.grad += ∂f/∂b · out.grad
 * The `+=` is the multivariable chain rule: a value used twice receives both contributions.
 */
export class Value {
  grad = 0;
  private step: () => void = () => {}; // passes this.grad on to the children

  constructor(
    public data: number,
    readonly children: readonly Value[] = [],
    readonly op = "",
    public label = "",
  ) {}

  /** out = a + b;   ∂out/∂a = 1,  ∂out/∂b = 1 */
  add(other: Value | number): Value {
    const b = lift(other);
    return this.make(this.data + b.data, [b], "+", [1, 1]);
  }

  /** out = a − b;   ∂out/∂a = 1,  ∂out/∂b = −1 */
  sub(other: Value | number): Value {
    const b = lift(other);
    return this.make(this.data - b.data, [b], "−", [1, -1]);
  }

  /** out = a · b;   ∂out/∂a = b,  ∂out/∂b = a */
  mul(other: Value | number): Value {
    const b = lift(other);
    return this.make(this.data * b.data, [b], "·", [b.data, this.data]);
  }

  /** out = a / b;   ∂out/∂a = 1/b,  ∂out/∂b = −a/b² */
  div(other: Value | number): Value {
    const b = lift(other);
    if (b.data === 0) throw new ValueError(`Value.div: cannot divide ${this.data} by 0.`);
    return this.make(this.data / b.data, [b], "/", [1 / b.data, -this.data / b.data ** 2]);
  }

  /** out = −a;   ∂out/∂a = −1 */
  neg(): Value {
    return this.make(-this.data, [], "neg", [-1]);
  }

  /** out = aᵏ for a fixed number k;   ∂out/∂a = k·aᵏ⁻¹ */
  pow(k: number): Value {
    if (typeof k !== "number") {
      throw new ValueError(
        `Value.pow: expected the exponent to be a number, got ${(k as unknown) instanceof Value ? "a Value" : typeof k}. ` +
          `Only aᵏ with a constant k is supported; write exp(k·log(a)) for a Value exponent.`,
      );
    }
    if (this.data === 0 && k < 0) throw new ValueError(`Value.pow: 0 to the power ${k} is a division by 0.`);
    return this.make(this.data ** k, [], `^${k}`, [k * this.data ** (k - 1)]);
  }

  /** out = eᵃ;   ∂out/∂a = eᵃ */
  exp(): Value {
    const e = Math.exp(this.data);
    return this.make(e, [], "exp", [e]);
  }

  /** out = ln a (a > 0);   ∂out/∂a = 1/a */
  log(): Value {
    if (!(this.data > 0)) {
      throw new ValueError(`Value.log: expected a positive number, got ${this.data}. ln a is defined only for a > 0.`);
    }
    return this.make(Math.log(this.data), [], "log", [1 / this.data]);
  }

  /** out = tanh a;   ∂out/∂a = 1 − tanh²a */
  tanh(): Value {
    const t = Math.tanh(this.data);
    return this.make(t, [], "tanh", [1 - t * t]);
  }

  /** out = σ(a) = 1 / (1 + e⁻ᵃ);   ∂out/∂a = σ(a)·(1 − σ(a)) */
  sigmoid(): Value {
    const s = 1 / (1 + Math.exp(-this.data)); // e⁻ᵃ may overflow to ∞, giving s = 0, never NaN
    return this.make(s, [], "σ", [s * (1 - s)]);
  }

  /** out = max(0, a);   ∂out/∂a = 1 if a > 0 else 0 (0 at the kink, as TensorFlow takes it) */
  relu(): Value {
    return this.make(Math.max(0, this.data), [], "relu", [this.data > 0 ? 1 : 0]);
  }

  /**
   * Fills in ∂L/∂v for every v this value L depends on: seeds L.grad with 1 and applies each
   * node's local rule in reverse topological order, so a node passes on its gradient only
   * after every use of it has added its share.
   *
   * Calling it again adds the gradient again: grads of leaves (the Values you made yourself)
   * accumulate across calls, as in PyTorch, so call zeroGrad() between steps. Grads of
   * intermediate nodes are reset at the start of each call, so they are never counted twice.
   */
  backward(): void {
    const order = this.nodes();
    for (const v of order) if (v.children.length > 0) v.grad = 0;
    this.grad += 1;
    for (let k = order.length - 1; k >= 0; k--) order[k].step();
  }

  /** Sets grad = 0 on every node of the graph. */
  zeroGrad(): void {
    for (const v of this.nodes()) v.grad = 0;
  }

  /** Every node this value depends on, itself last; children always come before parents. */
  nodes(): Value[] {
    // Depth-first with an explicit stack of [node, next child to visit], not recursion:
    // a sum over thousands of examples is a chain thousands deep, beyond the call stack.
    const order: Value[] = [];
    const seen = new Set<Value>([this]);
    const stack: [Value, number][] = [[this, 0]];
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const c = top[0].children[top[1]++];
      if (c === undefined) order.push(stack.pop()![0]); // every child of it is in order already
      else if (!seen.has(c)) {
        seen.add(c);
        stack.push([c, 0]);
      }
    }
    return order;
  }

  /** The graph for drawing: one node per Value (ids in topological order), edges child → parent. */
  toGraph(): ValueGraph {
    const order = this.nodes();
    const id = new Map(order.map((v, k) => [v, k]));
    return {
      nodes: order.map((v, k) => ({ id: k, label: v.label, data: v.data, grad: v.grad, op: v.op })),
      edges: order.flatMap((v) => v.children.map((c): [number, number] => [id.get(c)!, id.get(v)!])),
    };
  }

  toString(): string {
    return `Value(${this.label ? this.label + " = " : ""}${this.data}, grad ${this.grad})`;
  }

  /** Notebooks print a Value through console.log, which calls this. */
  [inspect.custom](): string {
    return this.toString();
  }

  /** A node out = op(this, ...others) whose local derivatives are `local`, in operand order. */
  private make(data: number, others: Value[], op: string, local: number[]): Value {
    const operands = [this, ...others];
    const out = new Value(data, operands, op);
    out.step = () => operands.forEach((v, k) => (v.grad += local[k] * out.grad));
    return out;
  }
}

/** What toGraph() returns; an operand used twice (a·a) has two edges. */
export interface ValueGraph {
  nodes: { id: number; label: string; data: number; grad: number; op: string }[];
  edges: [from: number, to: number][];
}

/** A plain number operand becomes a constant leaf, so that a.mul(2) reads like a·2. */
function lift(x: Value | number): Value {
  return x instanceof Value ? x : new Value(x);
}
