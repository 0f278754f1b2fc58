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

/** Where the flat index k of a matrix with `cols` columns is, as messages print it: "row 2, column 0". */
export function formatPosition(k: number, cols: number): string {
  return `row ${Math.floor(k / cols)}, column ${k % cols}`;
}

/**
 * Throws a ValueError at the first NaN or ±Infinity in `values`, naming its position.
 * `index` turns a flat position into something a reader recognises, such as "row 2, column 0"
 * (Matrix.assertFinite passes formatPosition); `hint` says what usually causes it.
 *
 *   ValueError: l2(0.01).loss: expected W to hold finite numbers, got NaN at row 0, column 1. <hint>
 */
export function assertFinite(
  where: string,
  symbol: string,
  values: ArrayLike<number>,
  index: (k: number) => string = (k) => `index ${k}`,
  hint = "",
): void {
  if (allFinite(values)) return;
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    if (!Number.isFinite(v)) {
      throw new ValueError(
        `${where}: expected ${symbol} to hold finite numbers, got ${v} at ${index(k)}.${hint ? " " + hint : ""}`,
      );
    }
  }
}

/** What assertExamples may be told: the symbols to name, the fewest examples, and a hint. */
export interface ExamplesCheck {
  /** The examples' symbol, one example per row (default "X"). */
  x?: string;
  /** The targets' symbol, one row (or entry) per example (default "Y"). */
  y?: string;
  /** The fewest examples that make sense (default 1). */
  min?: number;
  /** Said after the message when there are too few examples. */
  hint?: string;
}

/**
 * The check every trainer and splitter runs on a data set (X, Y) first: Y has one row per
 * example (row of X), and there are at least `min` examples. Shapes as Matrix.shape gives
 * them; a plain array of labels has the shape [m]; YShape null checks X alone (to predict).
 *
 *   ShapeError: minibatches: expected Y to have one row per row of X (m = 5), got shape [2, 1].
 *   Row i of Y is the target of example (row) i of X.
 */
export function assertExamples(
  where: string,
  XShape: readonly number[],
  YShape: readonly number[] | null,
  options: ExamplesCheck = {},
): void {
  const { x = "X", y = "Y", min = 1, hint = "" } = options;
  const m = XShape[0];
  if (YShape && YShape[0] !== m) {
    const part = YShape.length === 1 ? "entry" : "row";
    throw new ShapeError(
      `${where}: expected ${y} to have one ${part} per row of ${x} (m = ${m}), got shape ` +
        `${formatShape(YShape)}. ${part === "row" ? "Row" : "Entry"} i of ${y} is the target of example (row) i of ${x}.`,
    );
  }
  if (m < min) {
    const what = min === 1 ? `one example (row of ${x})` : `${min} examples (rows of ${x})`;
    throw new ValueError(`${where}: expected at least ${what}, got ${m}.${hint ? " " + hint : ""}`);
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
export function lookUp<T>(
  where: string,
  kind: string,
  registry: Readonly<Record<string, T>>,
  name: string,
  hint = "",
): T {
  // Object.hasOwn, not `name in registry`: "toString" or "constructor" must not be found.
  if (Object.hasOwn(registry, name)) return registry[name];
  throw new ValueError(
    `${where}: unknown ${kind} "${name}". Expected one of: ${Object.keys(registry).join(", ")}.` +
      (hint ? " " + hint : ""),
  );
}
