import { assertExamples, ValueError } from "../errors";
import { Matrix } from "../matrix";
import { takeRows } from "./rows";
import { randomFrom, type Seeded } from "./seeded";

/**
 * Train/test and train/validation splits (chapter 12).
 *
 * X: [m, n] holds one example per row; y holds the targets of the same m examples, one row
 * each: sparse labels [m, 1] (the library's usual form), one-hot labels [m, k], or
 * regression targets [m, 1]. Rows of X and y are split together, so example i keeps its
 * target. A label array becomes a column with Matrix.column(labels).
 */
export interface TrainTestSplitOptions extends Seeded {
  /** The fraction of examples held out for testing, strictly between 0 and 1, e.g. 0.2. */
  testSize: number;
  /**
   * Keep each class's share the same in both parts (scikit-learn's stratify=y). The classes
   * are y's values when y is [m, 1], or the column of each row's 1 when y is one-hot.
   */
  stratify?: boolean;
}

export interface TrainTestSplit {
  XTrain: Matrix;
  XTest: Matrix;
  yTrain: Matrix;
  yTest: Matrix;
}

/**
 * Shuffles the m examples with the seeded source and holds out
 *   mTest = ⌈testSize·m⌉,   mTrain = m − mTest
 * of them for testing: the counts of scikit-learn's train_test_split (not its rows, which
 * come from NumPy's generator). Both parts come out in shuffled order. With stratify, class c with m_c examples gives ⌊q_c⌋ or ⌈q_c⌉ of them to
 * the test part, q_c = mTest·m_c/m (largest remainders take the leftover places), so the
 * class proportions match to within one example.
 */
export function trainTestSplit(X: Matrix, y: Matrix, options: TrainTestSplitOptions): TrainTestSplit {
  const where = "trainTestSplit";
  const m = checkDataset(where, X, y);
  const testSize = checkFraction(where, "testSize", options.testSize);
  // The product can carry float noise (0.55·100 is 55.00000000000001); drop it before ⌈⌉.
  const mTest = Math.ceil(testSize * m - 1e-9);
  if (mTest < 1 || mTest >= m) {
    throw new ValueError(
      `${where}: testSize ${testSize} of m = ${m} examples gives ${mTest} for testing and ` +
        `${m - mTest} for training; both need at least one. Use more examples or another testSize.`,
    );
  }
  const rng = randomFrom(where, options);
  let test: number[], train: number[];
  if (options.stratify) {
    const byClass = groupByClass(where, y);
    const quota = apportion(mTest, m, byClass.map((g) => g.rows.length));
    const shuffled = byClass.map((g) => rng.shuffle(g.rows));
    test = rng.shuffle(shuffled.flatMap((rows, c) => rows.slice(0, quota[c])));
    train = rng.shuffle(shuffled.flatMap((rows, c) => rows.slice(quota[c])));
  } else {
    const order = rng.permutation(m);
    test = order.slice(0, mTest);
    train = order.slice(mTest);
  }
  return {
    XTrain: takeRows(X, train), XTest: takeRows(X, test),
    yTrain: takeRows(y, train), yTest: takeRows(y, test),
  };
}

export interface ValidationSplit {
  XTrain: Matrix;
  yTrain: Matrix;
  XVal: Matrix;
  yVal: Matrix;
}

/**
 * The validation split of Keras and TensorFlow.js (`validationSplit` in fit): the *last*
 * examples, taken before any shuffling, become the validation set:
 *   splitAt = ⌊m·(1 − fraction)⌋,   train = rows [0, splitAt),   validation = rows [splitAt, m)
 * Nothing is random, so shuffle first (trainTestSplit) if the data are sorted, e.g. by class.
 */
export function validationSplit(X: Matrix, y: Matrix, fraction: number): ValidationSplit {
  const where = "validationSplit";
  const m = checkDataset(where, X, y);
  checkFraction(where, "fraction", fraction);
  const splitAt = Math.floor(m * (1 - fraction)); // tfjs-layers' formula, so the rows match
  if (splitAt < 1 || splitAt >= m) {
    throw new ValueError(
      `${where}: fraction ${fraction} of m = ${m} examples leaves ${splitAt} for training and ` +
        `${m - splitAt} for validation; both need at least one.`,
    );
  }
  const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);
  const [train, val] = [range(0, splitAt), range(splitAt, m)];
  return {
    XTrain: takeRows(X, train), yTrain: takeRows(y, train),
    XVal: takeRows(X, val), yVal: takeRows(y, val),
  };
}

/** m, after checking that (X, y) can be split: one label row per example, two or more, all finite. */
function checkDataset(where: string, X: Matrix, y: Matrix): number {
  assertExamples(where, X.shape, y.shape, { y: "y", min: 2, hint: "Each part needs one." });
  X.assertFinite(where, "X");
  y.assertFinite(where, "y");
  return X.rows;
}

function checkFraction(where: string, symbol: string, f: number): number {
  if (!(Number.isFinite(f) && f > 0 && f < 1)) {
    throw new ValueError(
      `${where}: expected ${symbol} to be a fraction strictly between 0 and 1, got ${f}. ` +
        "For a 20% hold-out pass 0.2.",
    );
  }
  return f;
}

/** Row indices of each class, classes in increasing order. */
function groupByClass(where: string, y: Matrix): { label: number; rows: number[] }[] {
  const groups = new Map<number, number[]>();
  for (let i = 0; i < y.rows; i++) {
    const label = y.cols === 1 ? y.data[i] : oneHotClass(where, y, i);
    if (!Number.isInteger(label)) {
      throw new ValueError(
        `${where}: stratify needs class labels, whole numbers, got ${label} at row ${i} of y. ` +
          "Regression targets cannot be stratified; leave stratify off.",
      );
    }
    if (!groups.has(label)) groups.set(label, []);
    groups.get(label)!.push(i);
  }
  const sorted = [...groups.entries()].sort((a, b) => a[0] - b[0]);
  for (const [label, rows] of sorted) {
    if (rows.length < 2) {
      throw new ValueError(
        `${where}: stratify needs at least 2 examples of every class, got ${rows.length} of ` +
          `class ${label}. A class with one example cannot be in both parts; drop it or leave stratify off.`,
      );
    }
  }
  return sorted.map(([label, rows]) => ({ label, rows }));
}

function oneHotClass(where: string, y: Matrix, i: number): number {
  const row = Array.from(y.data.subarray(i * y.cols, (i + 1) * y.cols));
  if (row.filter((v) => v === 1).length !== 1 || row.filter((v) => v === 0).length !== y.cols - 1) {
    throw new ValueError(
      `${where}: stratify with a [m, ${y.cols}] y expects one-hot rows, got [${row.join(", ")}] ` +
        "at row " + i + ". Pass sparse labels as a column [m, 1], or one-hot rows of one 1 and zeros.",
    );
  }
  return row.indexOf(1);
}

/** Splits `total` places among groups of the given sizes in proportion (largest remainders). */
function apportion(total: number, m: number, sizes: number[]): number[] {
  const exact = sizes.map((s) => (total * s) / m);
  const quota = exact.map(Math.floor);
  let left = total - quota.reduce((a, b) => a + b, 0);
  const byRemainder = sizes
    .map((s, c) => ({ c, r: exact[c] - quota[c], s }))
    .sort((a, b) => b.r - a.r || b.s - a.s || a.c - b.c);
  for (const { c } of byRemainder) {
    if (left === 0) break;
    quota[c]++;
    left--;
  }
  return quota;
}
