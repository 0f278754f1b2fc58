/**
 * Training progress: fit's callbacks (onTrainBegin with the epoch and batch counts, one
 * onBatchEnd per batch, onEpochEnd with the history's numbers, onTrainEnd), fitAsync (the
 * same weights as fit, and the event loop gets turns while it trains), and trainingProgress
 * (a status line in place, throttled, with time left; a chart per epoch; the same object as
 * a tfjs callback). Times come from a clock the test drives, never from the wall.
 */
import { createRequire } from "node:module";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Dense } from "../../lib/src/dense";
import type { MimeBundle } from "../../lib/src/display";
import { Matrix } from "../../lib/src/matrix";
import { trainingProgress } from "../../lib/src/progress";
import { Random } from "../../lib/src/random";
import { Sequential, type FitCallback, type Logs, type TrainParams } from "../../lib/src/sequential";
import { getTf } from "../helpers/compare";

const jupyter = createRequire(import.meta.url)("tslab/dist/jupyter") as {
  lastWriteDisplayData: ((data: unknown, update: boolean) => void) | null;
};
type Written = { data: MimeBundle; transient: { display_id?: string } };

/** 40 examples, 2 features, a binary label: x₀ + x₁ > 0. */
function data() {
  const rng = new Random(3);
  const X = rng.normalMatrix(40, 2);
  const Y = new Matrix(40, 1).map((_, i) => (X.get(i, 0) + X.get(i, 1) > 0 ? 1 : 0));
  return { X, Y };
}

function model(seed = 5) {
  const rng = new Random(seed);
  const m = new Sequential([
    new Dense({ units: 4, inputDim: 2, activation: "tanh", rng }),
    new Dense({ units: 1, activation: "sigmoid", rng }),
  ]);
  m.compile({ optimizer: "adam", loss: "binaryCrossentropy", metrics: ["accuracy"] });
  return m;
}

afterEach(() => {
  jupyter.lastWriteDisplayData = null;
  vi.restoreAllMocks();
});

describe("fit's callbacks", () => {
  it("are told the counts first, then every batch and epoch with the history's numbers, then the end", () => {
    const { X, Y } = data();
    const events: string[] = [];
    const epochLogs: Logs[] = [];
    const cb: FitCallback = {
      onTrainBegin: (p: TrainParams) => events.push(`begin ${p.epochs} ${p.batches} ${p.examples}`),
      onBatchEnd: (b) => events.push(`batch ${b}`),
      onEpochEnd: (e, logs) => { events.push(`epoch ${e}`); epochLogs.push(logs); },
      onTrainEnd: () => events.push("end"),
    };
    // 40 examples, 10 held out → 30 to train on in batches of 16: 2 batches per epoch.
    const h = model().fit(X, Y, { epochs: 2, batchSize: 16, validationSplit: 0.25, seed: 1, callbacks: [cb] });
    expect(events).toEqual(["begin 2 2 30", "batch 0", "batch 1", "epoch 0", "batch 0", "batch 1", "epoch 1", "end"]);
    expect(epochLogs.map((l) => l.val_loss)).toEqual(h.history.val_loss);
    expect(epochLogs.map((l) => l.accuracy)).toEqual(h.history.accuracy);
  });
});

describe("fitAsync", () => {
  it("reaches the same weights as fit, batch for batch", async () => {
    const { X, Y } = data();
    const a = model(), b = model();
    const ha = a.fit(X, Y, { epochs: 3, batchSize: 8, seed: 2 });
    const hb = await b.fitAsync(X, Y, { epochs: 3, batchSize: 8, seed: 2 });
    expect(hb.history.loss).toEqual(ha.history.loss);
    b.getWeights().forEach((W, k) => expect(Array.from(W.data)).toEqual(Array.from(a.getWeights()[k].data)));
  });

  it("lets other work run while it trains (fit does not)", async () => {
    const { X, Y } = data();
    for (const run of ["fit", "fitAsync"] as const) {
      let ticks = 0, ticksSeenByLastEpoch = -1;
      const timer = setInterval(() => ticks++, 0);
      const options = { epochs: 5, batchSize: 8, seed: 2, yieldEveryMs: 0, onEpochEnd: () => { ticksSeenByLastEpoch = ticks; } };
      if (run === "fit") model().fit(X, Y, options);
      else await model().fitAsync(X, Y, options);
      clearInterval(timer);
      if (run === "fit") expect(ticksSeenByLastEpoch).toBe(0);
      else expect(ticksSeenByLastEpoch).toBeGreaterThan(0);
    }
  });
});

describe("trainingProgress", () => {
  it("updates one status line in place, at most every everyMs, and draws one chart frame per epoch", () => {
    const write = vi.fn();
    jupyter.lastWriteDisplayData = write;
    const { X, Y } = data();
    let now = 0;
    const tick: FitCallback = { onBatchEnd: () => { now += 100; } }; // each batch takes 100 ms
    const progress = trainingProgress({ title: "tiny", everyMs: 250, clock: () => now });
    // 40 examples in batches of 4: 10 batches per epoch, 3 epochs.
    model().fit(X, Y, { epochs: 3, batchSize: 4, seed: 4, callbacks: [tick, progress] });
    const calls = write.mock.calls as [Written, boolean][];
    const status = calls.filter(([d]) => String(d.data["text/html"] ?? "").includes("byhand-progress"));
    const frames = calls.filter(([d]) => d.data["application/vnd.plotly.v1+json"] !== undefined);
    // One status id, created once, then replaced.
    expect(new Set(status.map(([d]) => d.transient.display_id)).size).toBe(1);
    expect(status.map(([, update]) => update)).toEqual([false, ...Array(status.length - 1).fill(true)]);
    // Batch updates come every third batch (300 ms ≥ 250 ms): batches 3, 6, 9 of each epoch,
    // plus the start, one per epoch end and the end: 1 + 3·3 + 3 + 1.
    expect(status).toHaveLength(14);
    // 0.3 s for 3 of 30 batches: a tenth done, so 0.3 · 9 = 2.7 s left, shown rounded.
    expect(status[1][0].data["text/plain"]).toMatch(
      /^tiny · epoch 1\/3 · batch 3\/10 · loss \d\.\d{4} · accuracy \d\.\d{4} · 0\.3 s elapsed · about 3 s left$/,
    );
    expect(progress.status()).toMatch(/^tiny · done: 3 epochs · loss \d\.\d{4} · accuracy \d\.\d{4} · 3\.0 s elapsed$/);
    // The chart: one frame per epoch, all in one output, the last with three points per trace.
    expect(frames).toHaveLength(3);
    expect(new Set(frames.map(([d]) => d.transient.display_id)).size).toBe(1);
    const last = frames[2][0].data["application/vnd.plotly.v1+json"] as { data: { name: string; x: number[]; yaxis?: string }[]; layout: Record<string, { text?: string }> };
    expect(last.data.map((t) => [t.name, t.x, t.yaxis])).toEqual([["loss", [1, 2, 3], undefined], ["accuracy", [1, 2, 3], "y2"]]);
    expect(last.layout.title.text).toBe("tiny: loss and accuracy per epoch");
    expect(progress.epochLogs).toHaveLength(3);
  });

  it("says how long is left from the fraction done", () => {
    jupyter.lastWriteDisplayData = vi.fn();
    let now = 1000;
    const p = trainingProgress({ clock: () => now, chart: false });
    p.onTrainBegin({ epochs: 2, batches: 10 });
    now += 15_000; // the first epoch took 15 s: half done, so 15 s left
    p.onEpochEnd(0, { loss: 0.5 });
    expect(p.status()).toBe("epoch 1/2 done · loss 0.5000 · 15.0 s elapsed · about 15 s left");
    p.onBatchEnd(4, { loss: 0.25 }); // within everyMs of the last update: the line stays
    expect(p.status()).toBe("epoch 1/2 done · loss 0.5000 · 15.0 s elapsed · about 15 s left");
    now += 250; // 15.25 s for 3/4 of the work: 15.25 / 3 ≈ 5.1 s left
    p.onBatchEnd(4, { loss: 0.25 });
    expect(p.status()).toBe("epoch 2/2 · batch 5/10 · loss 0.2500 · 15.3 s elapsed · about 5 s left");
  });

  it("outside a kernel prints one line per epoch and one at the end, and draws nothing", () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const { X, Y } = data();
    model().fit(X, Y, { epochs: 2, batchSize: 8, seed: 4, callbacks: [trainingProgress({ clock: () => 0 })] });
    const lines = log.mock.calls.map((c) => String(c[0]));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^epoch 1\/2 done · loss /);
    expect(lines[2]).toMatch(/^done: 2 epochs · loss /);
  });

  it("serves as a tfjs model.fit callback, given the counts tfjs does not pass", async () => {
    const tf = await getTf();
    const write = vi.fn();
    jupyter.lastWriteDisplayData = write;
    const { X, Y } = data();
    const twin = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2], activation: "sigmoid" })] });
    twin.compile({ optimizer: tf.train.adam(0.01), loss: "binaryCrossentropy", metrics: ["accuracy"] });
    const progress = trainingProgress({ title: "tfjs", epochs: 2, batches: 5, clock: () => 0 });
    const h = await twin.fit(tf.tensor2d(X.toArray()), tf.tensor2d(Y.toArray()), {
      epochs: 2, batchSize: 8, shuffle: false, verbose: 0, callbacks: progress,
    });
    expect(progress.epochLogs.map((l) => l.loss)).toEqual(h.history.loss);
    expect(progress.status()).toMatch(/^tfjs · done: 2 epochs · loss \d\.\d{4} · acc \d\.\d{4} · 0\.0 s elapsed$/);
    const frames = (write.mock.calls as [Written, boolean][]).filter(([d]) => d.data["application/vnd.plotly.v1+json"]);
    expect(frames).toHaveLength(2);
  });
});
