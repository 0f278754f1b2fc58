import { lookUp } from "./errors";
import { wasmKernels } from "./wasm";

/**
 * Which code runs the library's hot loops (chapter 13, "How fast, and why").
 *   "reference"  the readable TypeScript that the chapters teach (kernels.ts, dense.ts,
 *                adam.ts): the code every test checks against TensorFlow.js.
 *   "fast"       the same formulas as WebAssembly with SIMD (lib/assembly/kernels.ts),
 *                in float64 like the reference, so both give the same numbers to rounding.
 * The fast path is the default when its .wasm file is built (`npm run build`); without it
 * the library says so once and uses the reference.
 */
export type LibraryBackend = "fast" | "reference";

const backends: Record<LibraryBackend, LibraryBackend> = { fast: "fast", reference: "reference" };
let chosen: LibraryBackend | null = null; // null: not decided yet (the .wasm is loaded on first use)

/** Switches every later product, Dense forward and Adam step to `name`'s code. */
export function setBackend(name: LibraryBackend): void {
  const backend = lookUp<LibraryBackend>("setBackend", "backend", backends, name);
  if (backend === "fast" && !wasmKernels()) {
    throw new Error(`setBackend: the fast kernels are not built (${wasmMissing}). Run npm run build.`);
  }
  chosen = backend;
}

/** The backend in use: "fast" unless setBackend("reference") was called or the .wasm is missing. */
export function getBackend(): LibraryBackend {
  chosen ??= process.env.BYHAND_BACKEND === "reference" || !wasmKernels() ? "reference" : "fast";
  return chosen;
}

/** The fast kernels when they are in use, else null: what the library's hot loops ask. */
export function fastKernels(): ReturnType<typeof wasmKernels> {
  return getBackend() === "fast" ? wasmKernels() : null;
}

const wasmMissing = "lib/wasm/kernels.wasm is missing";
