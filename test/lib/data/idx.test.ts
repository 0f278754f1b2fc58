import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { ValueError } from "../../../lib/src/errors";
import { parseIdx, readIdx } from "../../../lib/src/data/idx";

/** An IDX file of unsigned bytes: magic 00 00 08 rank, big-endian dims, then the values. */
function idxBytes(dims: number[], values: number[]): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + values.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0x0800 | dims.length, false);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(values, 4 + 4 * dims.length);
  return out;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const dir = mkdtempSync(path.join(tmpdir(), "idx-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Two 2×3 "images": pixel (i, r, c) holds 10·i + 3·r + c, so its place is visible.
const pixels = [0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15];
const images = idxBytes([2, 2, 3], pixels);

describe("parseIdx", () => {
  it("reads a rank-3 image file: header 00 00 08 03, dims [2, 2, 3], 12 pixels", () => {
    // The header bytes spelled out: magic, then 2, 2, 3 as big-endian 32-bit integers.
    expect(Array.from(images.subarray(0, 16))).toEqual([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3]);
    const { dims, data } = parseIdx(images, 3, "tiny-images");
    expect(dims).toEqual([2, 2, 3]);
    // Element (i, r, c) is at i·rows·cols + r·cols + c: (1, 1, 2) is at 6 + 3 + 2 = 11.
    expect(data[1 * 6 + 1 * 3 + 2]).toBe(15);
    expect(Array.from(data)).toEqual(pixels);
  });

  it("reads a rank-1 label file: magic 0x00000801", () => {
    const { dims, data } = parseIdx(idxBytes([3], [7, 0, 9]), 1, "tiny-labels");
    expect(dims).toEqual([3]);
    expect(Array.from(data)).toEqual([7, 0, 9]);
  });

  it("reads dims larger than one byte (big-endian): 300 labels", () => {
    const labels = Array.from({ length: 300 }, (_, i) => i % 10);
    const bytes = idxBytes([300], labels);
    expect(Array.from(bytes.subarray(4, 8))).toEqual([0, 0, 1, 44]); // 1·256 + 44 = 300
    expect(parseIdx(bytes, 1, "labels").dims).toEqual([300]);
  });

  it("returns a copy and leaves its input as it was", () => {
    const bytes = idxBytes([2], [4, 5]);
    const before = Array.from(bytes);
    const { data } = parseIdx(bytes, 1, "labels");
    data[0] = 99;
    expect(Array.from(bytes)).toEqual(before);
  });

  it("property: whatever is written is read back", () => {
    const shape = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 });
    fc.assert(fc.property(shape, fc.integer({ min: 0, max: 1000 }), (dims, salt) => {
      const n = dims.reduce((a, b) => a * b, 1);
      const values = Array.from({ length: n }, (_, i) => (i * 37 + salt) % 256);
      const { dims: d, data } = parseIdx(idxBytes(dims, values), dims.length, "any");
      expect(d).toEqual(dims);
      expect(Array.from(data)).toEqual(values);
    }), { numRuns: 50 });
  });

  describe("errors name the file", () => {
    it("refuses a truncated file: 27 bytes where 16 + 2·2·3 = 28 are needed", () => {
      const call = () => parseIdx(images.subarray(0, 27), 3, "tiny-images");
      expect(call).toThrow(ValueError);
      expect(call).toThrow(
        "parseIdx(tiny-images): expected 28 bytes (a 16-byte header + 2·2·3 values), got 27: the file is truncated.");
    });

    it("refuses a file longer than its header says", () => {
      const longer = new Uint8Array([...images, 0]);
      expect(() => parseIdx(longer, 3, "tiny-images")).toThrow("got 29: the file is longer than its header says.");
    });

    it("refuses a file cut inside the header or the magic number", () => {
      expect(() => parseIdx(images.subarray(0, 10), 3, "cut")).toThrow(
        "parseIdx(cut): the file is truncated: 10 bytes, but the header alone is 16.");
      expect(() => parseIdx(images.subarray(0, 2), 3, "cut")).toThrow(
        "parseIdx(cut): the file is truncated: 2 bytes, fewer than the 4-byte magic number.");
    });

    it("refuses the wrong magic number: a label file read as images", () => {
      expect(() => parseIdx(idxBytes([3], [1, 2, 3]), 3, "train-labels")).toThrow(
        "parseIdx(train-labels): expected the IDX magic number 0x00000803 (unsigned bytes, 3 dimensions), " +
          "got 0x00000801. Is this the right file?");
    });

    it("recognises a gzip file, which starts with 1f 8b", () => {
      const gz = new Uint8Array([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0]);
      expect(() => parseIdx(gz, 1, "labels.gz")).toThrow(
        "got 0x1f8b0800. The file is gzip-compressed (it starts with 1f 8b): decompress it first.");
    });

    it("refuses a rank that is not a whole number in [1, 255]", () => {
      expect(() => parseIdx(images, 0, "x")).toThrow("parseIdx(x): expected rank to be a whole number in [1, 255], got 0.");
    });
  });
});

describe("readIdx", () => {
  it("reads a file the test wrote", () => {
    const file = path.join(dir, "tiny-images-idx3-ubyte");
    writeFileSync(file, images);
    expect(readIdx(file, 3).dims).toEqual([2, 2, 3]);
  });

  it("names the file when it is truncated on disk", () => {
    const file = path.join(dir, "cut-idx3-ubyte");
    writeFileSync(file, images.subarray(0, 20));
    expect(() => readIdx(file, 3)).toThrow(`parseIdx(${file}): expected 28 bytes`);
  });

  it("names a missing file", () => {
    const file = path.join(dir, "no-such-file");
    expect(() => readIdx(file, 1)).toThrow(ValueError);
    expect(() => readIdx(file, 1)).toThrow(new RegExp(`^readIdx: cannot read ${escape(file)}: .*ENOENT.*Check the path\\.$`));
  });
});
