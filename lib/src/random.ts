import { ValueError } from "./errors";
import { Matrix } from "./matrix";

/**
 * A seeded source of random numbers (chapter 03). The same seed gives the same numbers
 * on every machine, so every notebook cell that draws from it prints the same thing.
 *
 * The generator is mulberry32 (Tommy Ettinger, 2017): a 32-bit state advanced by a fixed
 * odd constant and scrambled by two multiply-xorshift rounds. It passes the usual
 * statistical batteries for the sizes a course uses and is six lines long.
 */
export class Random {
  private state: number;
  private spareNormal: number | null = null; // Box–Muller makes normals in pairs

  constructor(seed: number) {
    if (!Number.isInteger(seed)) {
      throw new ValueError(`Random: expected a whole-number seed, got ${seed}.`);
    }
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** A float in [low, high). */
  uniform(low = 0, high = 1): number {
    return low + (high - low) * this.next();
  }

  /** A whole number in [0, n). */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0) {
      throw new ValueError(`Random.int: expected a whole number n ≥ 1, got ${n}.`);
    }
    return Math.floor(this.next() * n);
  }

  /**
   * A draw from the normal distribution N(mean, std²), by the Box–Muller transform:
   *   z₀ = √(−2 ln u₁)·cos(2πu₂),  z₁ = √(−2 ln u₁)·sin(2πu₂)
   */
  normal(mean = 0, std = 1): number {
    if (this.spareNormal !== null) {
      const z = this.spareNormal;
      this.spareNormal = null;
      return mean + std * z;
    }
    const u1 = 1 - this.next(); // in (0, 1], so the log is finite
    const u2 = this.next();
    const r = Math.sqrt(-2 * Math.log(u1));
    this.spareNormal = r * Math.sin(2 * Math.PI * u2);
    return mean + std * r * Math.cos(2 * Math.PI * u2);
  }

  /** A shuffled copy of `items` (Fisher–Yates); `items` itself is left as it was. */
  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }

  /** 0, 1, …, n−1 in random order. */
  permutation(n: number): number[] {
    return this.shuffle(Array.from({ length: n }, (_, i) => i));
  }

  /** A [rows, cols] matrix of draws from U(low, high). */
  uniformMatrix(rows: number, cols: number, low = 0, high = 1): Matrix {
    return new Matrix(rows, cols).map(() => this.uniform(low, high));
  }

  /** A [rows, cols] matrix of draws from N(mean, std²). */
  normalMatrix(rows: number, cols: number, mean = 0, std = 1): Matrix {
    return new Matrix(rows, cols).map(() => this.normal(mean, std));
  }
}

let shared = new Random(0);

/**
 * Seeds the library-wide source that layers and initializers draw from when they are not
 * given one, like Keras's `set_random_seed`. Call it once at the top of a notebook.
 */
export function setSeed(seed: number): void {
  shared = new Random(seed);
}

/** The library-wide source that `setSeed` seeds. */
export function defaultRandom(): Random {
  return shared;
}
