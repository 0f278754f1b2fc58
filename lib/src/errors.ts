/**
 * The library's errors. Every check names where it happened, which symbol was wrong,
 * what was expected, what came, and a hint, so a learner can fix the cell that called it.
 */

/** A matrix had the wrong shape. */
export class ShapeError extends Error {
  override name = "ShapeError";
}

/** A value was out of range, not finite, or otherwise unusable. */
export class ValueError extends Error {
  override name = "ValueError";
}

/** One dimension of an expected shape: a number that must match, or a name for "any size". */
export type Dim = number | string;

/** Formats a shape the way the messages print it: `[4, 2]`. */
export function formatShape(shape: readonly Dim[]): string {
  return `[${shape.join(", ")}]`;
}

/**
 * Throws a ShapeError unless `actual` matches `expected`, where a string in `expected`
 * matches any size (it only names the dimension, such as "m" for the number of examples).
 *
 *   ShapeError: Dense.forward: expected X to have shape [m, 3], got [4, 2]. <hint>
 */
export function assertShape(
  where: string,
  symbol: string,
  actual: readonly number[],
  expected: readonly Dim[],
  hint = "",
): void {
  const ok =
    actual.length === expected.length &&
    expected.every((d, i) => typeof d === "string" || d === actual[i]);
  if (!ok) {
    throw new ShapeError(
      `${where}: expected ${symbol} to have shape ${formatShape(expected)}, ` +
        `got ${formatShape(actual)}.${hint ? " " + hint : ""}`,
    );
  }
}

/**
 * Throws a ValueError at the first NaN or ±Infinity in `values`, naming its position.
 * `index` turns a flat position into something a reader recognises, such as "row 2, column 0".
 */
export function assertFinite(
  where: string,
  symbol: string,
  values: ArrayLike<number>,
  index: (k: number) => string = (k) => `index ${k}`,
): void {
  if (allFinite(values)) return;
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    if (!Number.isFinite(v)) {
      throw new ValueError(
        `${where}: expected ${symbol} to hold finite numbers, got ${v} at ${index(k)}.`,
      );
    }
  }
}

/** Throws a ValueError unless `value` is a finite number with min ≤ value ≤ max. */
export function assertInRange(
  where: string,
  symbol: string,
  value: number,
  min: number,
  max: number,
): void {
  if (!(Number.isFinite(value) && value >= min && value <= max)) {
    throw new ValueError(
      `${where}: expected ${symbol} to be a number in [${min}, ${max}], got ${value}.`,
    );
  }
}

/**
 * True when no entry is NaN or ±Infinity. v·0 is 0 for every finite v and NaN otherwise, so
 * one running sum answers for the whole array without a branch per entry; it runs on every
 * layer's input and every gradient of every training step.
 */
export function allFinite(values: ArrayLike<number>): boolean {
  let s = 0;
  for (let k = 0; k < values.length; k++) s += values[k] * 0;
  return s === 0;
}

/**
 * The entry called `name` in a registry of named things (activations, losses, …), as
 * Keras looks up `activation: "relu"`; an unknown name is a ValueError listing the known ones.
 */
export function lookUp<T>(where: string, kind: string, registry: Readonly<Record<string, T>>, name: string): T {
  if (Object.hasOwn(registry, name)) return registry[name];
  throw new ValueError(
    `${where}: unknown ${kind} "${name}". Expected one of: ${Object.keys(registry).join(", ")}.`,
  );
}
