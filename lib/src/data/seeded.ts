import { ValueError } from "../errors";
import { defaultRandom, Random } from "../random";

/** How a data function gets its randomness: a seed, a Random to draw from, or neither. */
export interface Seeded {
  /** A whole-number seed: the same seed gives the same result on every machine. */
  seed?: number;
  /** A Random to draw from (it advances), for several draws that share one seeded stream. */
  rng?: Random;
}

/**
 * The Random a data function draws from: a new Random(seed), the given rng, or, with
 * neither, the library-wide source that setSeed seeds (as layers do).
 */
export function randomFrom(where: string, options: Seeded): Random {
  const { seed, rng } = options;
  if (seed !== undefined && rng !== undefined) {
    throw new ValueError(
      `${where}: expected a seed or an rng, got both (seed ${seed} and an rng). ` +
        "Pass one: a seed starts a fresh stream, an rng continues an existing one.",
    );
  }
  if (rng !== undefined) return rng;
  if (seed !== undefined) {
    if (!Number.isInteger(seed)) {
      throw new ValueError(`${where}: expected seed to be a whole number, got ${seed}. Try seed: 0.`);
    }
    return new Random(seed);
  }
  return defaultRandom();
}
