import { assertShape, ValueError } from "../errors";
import type { Param } from "../layer";
import type { Matrix } from "../matrix";

/**
 * The checks every optimizer runs before it moves anything (chapter 10): the options it
 * was given, and the gradients it is about to use. They live here, apart from the
 * registry in optimizers.ts, so that every optimizer can import them without an import cycle.
 */

/**
 * Throws a ValueError if `options` holds a key that is not in `known`: a misspelt option
 * (`lr` for `learningRate`) would otherwise be ignored without a word.
 */
export function checkOptionNames(where: string, options: object, known: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new ValueError(
        `${where}: expected options named ${known.join(", ")}, got an option "${key}". ` +
          `Options use the Keras / TensorFlow.js names, e.g. learningRate rather than lr.`,
      );
    }
  }
}

/**
 * Throws a ValueError unless `value` is a finite number with min ≤ value, and value < max
 * (or value ≤ max when `maxIncluded`). The message prints the interval in the usual
 * notation, [0, 1) for a decay rate.
 */
export function checkHyperparameter(
  where: string,
  symbol: string,
  value: number,
  range: { min: number; max: number; minIncluded?: boolean; maxIncluded?: boolean },
  hint: string,
): void {
  const { min, max, minIncluded = true, maxIncluded = false } = range;
  const aboveMin = minIncluded ? value >= min : value > min;
  const belowMax = maxIncluded ? value <= max : value < max;
  if (!(typeof value === "number" && Number.isFinite(value) && aboveMin && belowMax)) {
    const interval = `${minIncluded ? "[" : "("}${min}, ${max === Infinity ? "∞" : max}${maxIncluded ? "]" : ")"}`;
    throw new ValueError(`${where}: expected ${symbol} to be a number in ${interval}, got ${value}. ${hint}`);
  }
}

/** The learning rate η, which every optimizer takes: a finite number > 0. */
export function checkLearningRate(where: string, learningRate: number): void {
  checkHyperparameter(where, "learningRate (η)", learningRate, { min: 0, max: Infinity, minIncluded: false },
    "η is the size of each step down the gradient; values from 0.001 to 0.1 are usual.");
}

/**
 * Checks `params` and returns their gradients g = dW = ∂L/∂W, one per Param, in order:
 * each Param must appear once, have a gradient, the gradient must have the value's shape
 * and hold only finite numbers. Everything is checked before any optimizer changes any
 * value, so a failed step leaves every parameter as it was.
 */
export function gradientsOf(where: string, params: readonly Param[]): Matrix[] {
  if (!Array.isArray(params)) {
    throw new ValueError(
      `${where}: expected params to be an array of Param, got ${typeof params}. ` +
        `Pass the layers' parameters, e.g. layer.params().`,
    );
  }
  const seen = new Set<Param>();
  return params.map((p, k) => {
    if (typeof p !== "object" || p === null || !("value" in p) || !("grad" in p)) {
      throw new ValueError(
        `${where}: expected params[${k}] to be a Param (with value and grad), got ${String(p)}. ` +
          `Pass the layers' parameters, e.g. layer.params().`,
      );
    }
    const symbol = `d${p.name} (params[${k}].grad)`;
    if (seen.has(p)) {
      throw new ValueError(
        `${where}: expected each Param once, got params[${k}] (${p.name}) a second time. ` +
          `Listed twice, it would be moved twice in one step.`,
      );
    }
    seen.add(p);
    if (p.grad === null || p.grad === undefined) {
      throw new ValueError(
        `${where}: expected ${symbol} to be a gradient, got ${p.grad}. ` +
          `Run backward() before step(); it stores ∂L/∂${p.name} in each param's grad.`,
      );
    }
    const g = p.grad;
    assertShape(where, symbol, g.shape, p.peek().shape,
      `The gradient ∂L/∂${p.name} has one entry per entry of ${p.name}, so it has ${p.name}'s shape.`);
    return g.assertFinite(where, symbol, "A NaN or Infinity in a gradient usually means the loss " +
      "overflowed: try a smaller learningRate, or look for NaN in the inputs.");
  });
}

/**
 * The state an optimizer keeps for `p` (its velocity, its running averages), made by `init`
 * on the first step. If p.value changed shape since the last step the old state no longer
 * fits, so this says so instead of failing deep inside a matrix operation.
 */
export function stateOf<S extends Record<string, Matrix | number>>(
  where: string,
  state: Map<Param, S>,
  p: Param,
  init: () => S,
): S {
  const s = state.get(p);
  if (s === undefined) return init();
  const value = p.peek();
  for (const [key, M] of Object.entries(s)) {
    if (typeof M !== "number" && (M.rows !== value.rows || M.cols !== value.cols)) {
      throw new ValueError(
        `${where}: expected ${p.name} to keep its shape [${M.rows}, ${M.cols}] between steps ` +
          `(the optimizer's ${key} has that shape), got [${value.rows}, ${value.cols}]. ` +
          `Use a new optimizer for a new model.`,
      );
    }
  }
  return s;
}
