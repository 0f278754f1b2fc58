import { readFileSync } from "node:fs";
import { ValueError } from "../errors";

/**
 * The IDX file format of the MNIST files (chapter 13; LeCun, Cortes & Burges,
 * "The MNIST database of handwritten digits", the format section of its web page).
 *
 *   bytes 0–3    magic number 0x00 0x00 type rank: type 0x08 = unsigned byte,
 *                rank = number of dimensions (0x03 for images, 0x01 for labels)
 *   next 4·rank  the size of each dimension, a big-endian 32-bit integer
 *   the rest     the values, row-major (last dimension fastest), one byte each
 *
 *   images: magic 0x00000803, dims [n, rows, cols], n·rows·cols bytes of pixels 0–255
 *   labels: magic 0x00000801, dims [n],             n bytes of labels 0–9
 *
 * Only the unsigned-byte type is read: it is the only one MNIST uses.
 */
export interface IdxData {
  /** The size of each dimension, e.g. [60000, 28, 28]. */
  dims: number[];
  /** The values, row-major: element (i, r, c) is at i·rows·cols + r·cols + c. */
  data: Uint8Array;
}

const UNSIGNED_BYTE = 0x08;

/**
 * Parses the bytes of an IDX file with `rank` dimensions (3 for images, 1 for labels),
 * checking the magic number and that the size is exactly header + product of the dims.
 * `file` names the source in error messages. The result is a copy; `bytes` is left alone.
 */
export function parseIdx(bytes: Uint8Array, rank: number, file: string): IdxData {
  const where = `parseIdx(${file})`;
  if (!Number.isInteger(rank) || rank < 1 || rank > 255) {
    throw new ValueError(
      `${where}: expected rank to be a whole number in [1, 255], got ${rank}. Images have 3, labels 1.`,
    );
  }
  const expectedMagic = (UNSIGNED_BYTE << 8) | rank;
  const hex = (v: number) => "0x" + v.toString(16).padStart(8, "0");
  if (bytes.length < 4) {
    throw new ValueError(
      `${where}: the file is truncated: ${bytes.length} bytes, fewer than the 4-byte magic number. ` +
        "Reinstall the package that provides it.",
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  if (magic !== expectedMagic) {
    const gzip = bytes[0] === 0x1f && bytes[1] === 0x8b;
    throw new ValueError(
      `${where}: expected the IDX magic number ${hex(expectedMagic)} (unsigned bytes, ${rank} ` +
        `dimension${rank === 1 ? "" : "s"}), got ${hex(magic)}. ` +
        (gzip
          ? "The file is gzip-compressed (it starts with 1f 8b): decompress it first."
          : "Is this the right file? Images have magic 0x00000803, labels 0x00000801."),
    );
  }
  const header = 4 + 4 * rank;
  if (bytes.length < header) {
    throw new ValueError(
      `${where}: the file is truncated: ${bytes.length} bytes, but the header alone is ${header}. ` +
        "Reinstall the package that provides it.",
    );
  }
  const dims = Array.from({ length: rank }, (_, d) => view.getUint32(4 + 4 * d, false));
  const expected = header + dims.reduce((p, d) => p * d, 1);
  if (bytes.length !== expected) {
    const what = bytes.length < expected ? "truncated" : "longer than its header says";
    throw new ValueError(
      `${where}: expected ${expected} bytes (a ${header}-byte header + ${dims.join("·")} values), ` +
        `got ${bytes.length}: the file is ${what}. ` +
        "Reinstall the package that provides it.",
    );
  }
  // A copy in a plain Uint8Array: a Buffer's slice() would share memory with `bytes`.
  return { dims, data: new Uint8Array(bytes.subarray(header)) };
}

/** Reads and parses an IDX file (see parseIdx); a missing file is a ValueError naming it. */
export function readIdx(file: string, rank: number): IdxData {
  return parseIdx(readBytes("readIdx", file, "Check the path."), rank, file);
}

/** The bytes of `file`, or a ValueError that names it and says what to do. */
export function readBytes(where: string, file: string, hint: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch (e) {
    throw new ValueError(
      `${where}: cannot read ${file}: ${(e as Error).message.split("\n")[0]}. ${hint}`,
    );
  }
}
