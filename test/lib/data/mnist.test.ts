import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ValueError } from "../../../lib/src/errors";
import { loadMnist, mnistDir, MNIST_FILES, mnistXy, type Mnist } from "../../../lib/src/data/mnist";

// The per-digit counts of the official set (see data/MNIST.md), digits 0 to 9.
const TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949];
const TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009];

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function histogram(labels: Uint8Array): number[] {
  const h = new Array(10).fill(0);
  for (const l of labels) h[l]++;
  return h;
}

describe("loadMnist on the real files", () => {
  let mnist: Mnist;
  beforeAll(() => {
    mnist = loadMnist(); // reads and hashes 55 MB once for all the tests below
  });

  it("has 60,000 training and 10,000 test images of 28×28 pixels", () => {
    expect([mnist.train.count, mnist.test.count]).toEqual([60_000, 10_000]);
    expect([mnist.train.rows, mnist.train.cols, mnist.test.rows, mnist.test.cols]).toEqual([28, 28, 28, 28]);
    expect(mnist.train.images.length).toBe(60_000 * 784);
    expect(mnist.test.labels.length).toBe(10_000);
  });

  it("has the official number of each digit", () => {
    // The totals are consistent with the counts: 5923 + … + 5949 = 60,000; 980 + … + 1009 = 10,000.
    expect(TRAIN_COUNTS.reduce((a, b) => a + b)).toBe(60_000);
    expect(TEST_COUNTS.reduce((a, b) => a + b)).toBe(10_000);
    expect(histogram(mnist.train.labels)).toEqual(TRAIN_COUNTS);
    expect(histogram(mnist.test.labels)).toEqual(TEST_COUNTS);
  });

  it("starts with the well-known first digits: a 5 in training, a 7 in testing", () => {
    expect([mnist.train.labels[0], mnist.test.labels[0]]).toEqual([5, 7]);
  });

  it("has pixels from 0 to 255 with mostly background", () => {
    let min = 255, max = 0, zeros = 0;
    for (const p of mnist.test.images) {
      min = Math.min(min, p);
      max = Math.max(max, p);
      if (p === 0) zeros++;
    }
    expect([min, max]).toEqual([0, 255]);
    // MNIST digits are ink on a blank field: over half the pixels of the set are 0.
    expect(zeros / mnist.test.images.length).toBeGreaterThan(0.5);
  });

  it("mnistXy scales pixels by 1/255 and keeps labels as a column", () => {
    const { X, y } = mnistXy(mnist.train, { start: 10, end: 42 });
    expect(X.shape).toEqual([32, 784]);
    expect(y.shape).toEqual([32, 1]);
    expect(y.get(0, 0)).toBe(mnist.train.labels[10]);
    // Pixel 300 of example 11 (row 1 of X) is byte 784·11 + 300 of the images.
    expect(X.get(1, 300)).toBe(mnist.train.images[784 * 11 + 300] / 255);
    expect(Math.min(...X.data)).toBe(0);
    expect(Math.max(...X.data)).toBe(1);
  });

  it("mnistXy refuses a range outside the set", () => {
    expect(() => mnistXy(mnist.test, { start: 5, end: 5 })).toThrow(
      "mnistXy: expected whole numbers 0 ≤ start < end ≤ 10000, got start 5 and end 5.");
    expect(() => mnistXy(mnist.test, { end: 10_001 })).toThrow("got start 0 and end 10001");
  });
});

describe("loadMnist refuses files that are not the originals", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "mnist-test-"));
  const real = (name: string) => path.join(mnistDir(), name);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // The training images are the real file (linked, not copied); the labels are written here.
  beforeAll(() => symlinkSync(real(MNIST_FILES.trainImages.name), path.join(dir, MNIST_FILES.trainImages.name)));

  it("names a missing file", () => {
    const empty = mkdtempSync(path.join(tmpdir(), "mnist-empty-"));
    try {
      const file = path.join(empty, "train-images-idx3-ubyte");
      expect(() => loadMnist({ dir: empty })).toThrow(ValueError);
      expect(() => loadMnist({ dir: empty })).toThrow(new RegExp(`^loadMnist: cannot read ${escape(file)}: .*ENOENT`));
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it("refuses a truncated file, naming it", () => {
    const file = path.join(dir, MNIST_FILES.trainLabels.name);
    writeFileSync(file, readFileSync(real(MNIST_FILES.trainLabels.name)).subarray(0, 60_000));
    expect(() => loadMnist({ dir })).toThrow(
      `loadMnist: ${file} has 60000 bytes, expected 60008: it is truncated. Reinstall the package`);
  });

  it("refuses a file of the right size with other contents (wrong SHA-256), naming it", () => {
    const file = path.join(dir, MNIST_FILES.trainLabels.name);
    const changed = Uint8Array.from(readFileSync(real(MNIST_FILES.trainLabels.name)));
    changed[8] = (changed[8] + 1) % 10; // relabel the first digit: still a valid IDX file
    writeFileSync(file, changed);
    expect(() => loadMnist({ dir })).toThrow(new RegExp(
      `^loadMnist: ${escape(file)} has SHA-256 [0-9a-f]{64}, expected ${MNIST_FILES.trainLabels.sha256}: ` +
        "its contents differ from the original MNIST file\\."));
  });
});
