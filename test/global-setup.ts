/**
 * Runs once before any test, for every way of starting vitest (`npm test`, or
 * `npx vitest run notebooks/03-…` for one chapter): compiles the library, since notebooks
 * import the built `byhand` (lib/dist), so a chapter's test never runs a stale build of a
 * library whose sources changed; and registers this checkout's kernel for the Jupyter tests.
 */
import { buildLibrary, registerKernel } from "../scripts/setup.mjs";

export default function setup(): void {
  try {
    buildLibrary();
  } catch {
    throw new Error("The library in lib/src does not compile (tsc -b lib, errors above); " +
      "notebook tests would run a stale build of it, so no test runs.");
  }
  registerKernel();
}
