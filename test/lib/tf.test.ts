/**
 * loadTf: which backend it reports, choosing one, and the error for a backend that does not
 * exist.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { type BackendName, loadTf, tfBackend } from "../../lib/src/tf";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("loadTf", () => {
  it("picks a backend from the known three, reports it, and computes", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const tf = await loadTf();
    const backend = tfBackend();
    expect(["tensorflow", "wasm", "cpu"]).toContain(backend);
    expect(tf.getBackend()).toBe(backend);
    // Says which, once, unless quiet.
    expect(log).toHaveBeenCalledTimes(1);
    expect(log.mock.calls[0][0]).toBe(`TensorFlow.js ${tf.version.tfjs}, backend: ${backend}`);
    expect(tf.version.tfjs).toBe("4.22.0");
    // [1 2]·[3 4]ᵀ = 1·3 + 2·4 = 11, exact in float32.
    const t = tf.dot(tf.tensor1d([1, 2]), tf.tensor1d([3, 4]));
    expect(t.dataSync()[0]).toBe(11);
  });

  it("quiet: true prints nothing", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    await loadTf({ quiet: true });
    expect(log).not.toHaveBeenCalled();
  });

  it('loadTf({ backend: "cpu" }) switches to the plain JavaScript backend, which computes and has gradients', async () => {
    const tf = await loadTf({ backend: "cpu", quiet: true });
    expect(tfBackend()).toBe("cpu");
    expect(tf.getBackend()).toBe("cpu");
    // d/dx x³ at x = 2 is 3·2² = 12, exact in float32.
    const g = tf.grad((x) => tf.pow(x, 3))(tf.scalar(2));
    expect(g.dataSync()[0]).toBe(12);
  });

  it("a backend name it does not know gives an error naming it, and keeps the backend it had", async () => {
    const tf = await loadTf({ backend: "cpu", quiet: true });
    const attempt = loadTf({ backend: "gpu" as BackendName, quiet: true });
    await expect(attempt).rejects.toThrow('loadTf: expected backend to be one of tensorflow, wasm, cpu, got "gpu".');
    expect(tfBackend()).toBe("cpu");
    expect(tf.getBackend()).toBe("cpu");
  });
});

describe("loadTf on the cpu backend", () => {
  it("keeps tfjs's advert for its native backend off stderr (a notebook would read it as an error)", async () => {
    const { spawnSync } = await import("node:child_process");
    // A fresh process, so the cpu backend's first tensor is written here.
    const code = `require("${require.resolve("../../lib/dist/tf.js").replace(/\\/g, "/")}")
      .loadTf({ backend: "cpu", quiet: true }).then((tf) => tf.tensor([1, 2]).sum().print());`;
    const r = spawnSync(process.execPath, ["-e", code], { encoding: "utf8" });
    expect(r.stdout).toMatch(/3/);
    expect(r.stderr).toBe("");
  });
});
