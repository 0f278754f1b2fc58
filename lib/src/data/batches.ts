import { assertExamples, ValueError } from "../errors";
import { Matrix } from "../matrix";
import { takeRows } from "./rows";
import { randomFrom, type Seeded } from "./seeded";

export interface MinibatchOptions extends Seeded {
  /** Visit the rows in a random order (default true, as Keras and tfjs fit do). */
  shuffle?: boolean;
}

export interface Minibatch {
  X: Matrix;
  Y: Matrix;
}

/**
 * One epoch of mini-batches (chapter 06): the m rows of X [m, n] and Y [m, k] cut into
 * ⌈m / batchSize⌉ batches X_b: [batchSize, n], Y_b: [batchSize, k], the last one smaller
 * when batchSize does not divide m. Every row lands in exactly one batch, and row i of X
 * stays with row i of Y.
 *
 * With shuffle, the order is a permutation drawn from the seeded source when
 * minibatches() is called, so passing the same rng each epoch gives a new, reproducible
 * order every epoch. The batches are made one at a time as the loop asks for them, so an
 * epoch over MNIST holds one batch in memory, not a second copy of X:
 *
 *   for (const { X: Xb, Y: Yb } of minibatches(X, Y, 32, { rng })) { … }
 *
 * `[...minibatches(X, Y, 32)]` makes them all at once, if an array is wanted.
 */
export function minibatches(
  X: Matrix,
  Y: Matrix,
  batchSize: number,
  options: MinibatchOptions = {},
): Generator<Minibatch> {
  const where = "minibatches";
  assertExamples(where, X.shape, Y.shape, { hint: "There is nothing to batch." });
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new ValueError(
      `${where}: expected batchSize to be a whole number ≥ 1, got ${batchSize}. The course uses 32.`,
    );
  }
  // Checked (and the order drawn) now, not when the loop starts: a generator body runs late.
  X.assertFinite(where, "X");
  Y.assertFinite(where, "Y");
  const m = X.rows;
  const order = options.shuffle === false
    ? Array.from({ length: m }, (_, i) => i)
    : randomFrom(where, options).permutation(m);
  return batchesOf(X, Y, order, batchSize);
}

function* batchesOf(X: Matrix, Y: Matrix, order: number[], batchSize: number): Generator<Minibatch> {
  for (let start = 0; start < order.length; start += batchSize) {
    const rows = order.slice(start, start + batchSize);
    yield { X: takeRows(X, rows), Y: takeRows(Y, rows) };
  }
}
