import * as path from "node:path";

/**
 * TensorFlow.js, the reference every chapter checks its hand-built code against.
 *
 * `loadTf()` picks the fastest backend this machine has and says which:
 *   1. "tensorflow": @tensorflow/tfjs-node, native TensorFlow, when its install succeeded;
 *   2. "wasm": @tensorflow/tfjs with @tensorflow/tfjs-backend-wasm (its .wasm files ship
 *      in the package, so nothing is downloaded);
 *   3. "cpu": plain JavaScript, always there, the slowest.
 * All three compute in float32, so comparisons with our float64 code allow about 1e-5
 * relative error.
 */
export type Tf = typeof import("@tensorflow/tfjs");
export type BackendName = "tensorflow" | "wasm" | "cpu";

const BACKENDS: readonly BackendName[] = ["tensorflow", "wasm", "cpu"];

let loaded: { tf: Tf; backend: BackendName } | null = null;

export async function loadTf(options: { backend?: BackendName; quiet?: boolean } = {}): Promise<Tf> {
  const wanted = options.backend;
  if (wanted !== undefined && !BACKENDS.includes(wanted)) {
    throw new Error(`loadTf: expected backend to be one of ${BACKENDS.join(", ")}, got "${wanted}".`);
  }
  if (!loaded || (wanted && wanted !== loaded.backend)) loaded = await pick(wanted);
  if (!options.quiet) {
    console.log(`TensorFlow.js ${loaded.tf.version.tfjs}, backend: ${loaded.backend}`);
  }
  return loaded.tf;
}

/** The backend `loadTf()` chose, or null before it ran. */
export function tfBackend(): BackendName | null {
  return loaded?.backend ?? null;
}

async function pick(wanted?: BackendName): Promise<{ tf: Tf; backend: BackendName }> {
  const order = wanted ? [wanted] : BACKENDS;
  const failures: string[] = [];
  for (const backend of order) {
    try {
      const tf = await load(backend);
      if ((await tf.setBackend(backend)) && tf.getBackend() === backend) {
        await tf.ready();
        if (backend === "cpu") firstWriteWithoutAdvert(tf);
        return { tf, backend };
      }
      failures.push(`${backend}: setBackend returned false`);
    } catch (e) {
      failures.push(`${backend}: ${(e as Error).message.split("\n")[0]}`);
    }
  }
  throw new Error(`loadTf: no TensorFlow.js backend could start.\n  ${failures.join("\n  ")}`);
}

/**
 * On its first tensor, the cpu backend prints an advert for tfjs-node to stderr. loadTf has
 * already said which backend runs, and in a notebook a line on stderr reads as an error, so
 * the first write happens here with that one message held back.
 */
function firstWriteWithoutAdvert(tf: Tf): void {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (!String(args[0]).includes("looks like you are running TensorFlow.js in Node.js")) warn(...args);
  };
  try {
    tf.tensor([0]).dispose();
  } finally {
    console.warn = warn;
  }
}

async function load(backend: BackendName): Promise<Tf> {
  if (backend === "tensorflow") return require("@tensorflow/tfjs-node") as Tf;
  const tf = require("@tensorflow/tfjs") as Tf;
  if (backend === "wasm") {
    const wasm = require("@tensorflow/tfjs-backend-wasm") as typeof import("@tensorflow/tfjs-backend-wasm");
    const dist = path.join(path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json")), "dist");
    wasm.setWasmPaths(dist + path.sep);
  }
  return tf;
}
