/**
 * Runs before every test file. Property tests draw their cases from a fixed seed, so a CI
 * run is repeatable; set FC_SEED to explore other cases (a failure prints its seed).
 */
import fc from "fast-check";

fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261123) });
