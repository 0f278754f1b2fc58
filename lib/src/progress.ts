import { inKernel, liveDisplay } from "./display";
import { liveFigure, type Trace } from "./plot";
import type { Logs, TrainParams } from "./sequential";

/**
 * Training you can watch (chapters 09–13): a status line that updates in place while a model
 * trains (epoch, batch, loss and metrics, time elapsed and left), and under it a chart of the
 * loss and metrics per epoch that redraws after each epoch.
 *
 * It is a fit callback for the library's models and, because its methods are plain
 * functions and it reads whatever numbers the logs hold, for TensorFlow.js's model.fit too:
 *   await model.fitAsync(X, Y, { epochs: 10, callbacks: [trainingProgress({ title: "ours" })] });
 *   await tfModel.fit(x, y, { epochs: 10, callbacks: trainingProgress({ title: "tfjs", epochs: 10, batches: 1875 }) });
 * (tfjs does not tell its callbacks the epoch or batch counts, so they are given.) Use
 * fitAsync, not fit, to see it move: Jupyter sends the updates when the cell lets it.
 */
export interface ProgressOptions {
  /** Names the run in the status line and the chart title, e.g. "hand-built 784-64-64-10". */
  title?: string;
  /** Epochs and batches per epoch, when the trainer does not say (tfjs). */
  epochs?: number;
  batches?: number;
  /** Update the status line at most this often while an epoch runs, in ms (default 250). */
  everyMs?: number;
  /** Draw the per-epoch chart (default true). */
  chart?: boolean;
  /** Milliseconds now; tests pass their own clock (default Date.now). */
  clock?: () => number;
}

export interface TrainingProgress {
  onTrainBegin: (params?: Partial<TrainParams>) => void;
  onBatchEnd: (batch: number, logs?: Logs) => void;
  onEpochEnd: (epoch: number, logs?: Logs) => void;
  onTrainEnd: () => void;
  /** The epoch-end logs so far, one entry per finished epoch. */
  readonly epochLogs: Logs[];
  /** The status line as it reads now. */
  status(): string;
}

/** A fit callback showing progress live; see ProgressOptions. */
export function trainingProgress(options: ProgressOptions = {}): TrainingProgress {
  const { title, everyMs = 250, chart = true, clock = Date.now } = options;
  let epochs = options.epochs, batches = options.batches;
  const statusOut = liveDisplay();
  const chartOut = chart ? liveFigure() : null;
  const epochLogs: Logs[] = [];
  let start = NaN, lastShown = -Infinity, line = "";
  let epoch = 0, batch = 0, logs: Logs = {}, done = false;

  const begin = (): void => {
    if (Number.isNaN(start)) start = clock();
  };
  const fraction = (): number => {
    if (!epochs) return NaN;
    const within = batches ? Math.min(batch / batches, 1) : 0;
    return Math.min((epoch + within) / epochs, 1);
  };
  const render = (): string => {
    const elapsed = (clock() - start) / 1000;
    const f = fraction();
    const parts = [
      title,
      done ? `done: ${epochLogs.length} epoch${epochLogs.length === 1 ? "" : "s"}`
        : batch === 0 && epoch > 0 ? `epoch ${epoch}${epochs ? "/" + epochs : ""} done`
        : `epoch ${epoch + 1}${epochs ? "/" + epochs : ""}`,
      !done && batch > 0 ? `batch ${batch}${batches ? "/" + batches : ""}` : undefined,
      ...Object.entries(logs).filter(([k]) => k !== "batch" && k !== "size").map(([k, v]) => `${k} ${formatNumber(v)}`),
      `${elapsed.toFixed(1)} s elapsed`,
      !done && f > 0 ? `about ${((elapsed * (1 - f)) / f).toFixed(0)} s left` : undefined,
    ];
    return parts.filter((p): p is string => p !== undefined && p !== "").join(" · ");
  };
  const show = (): void => {
    line = render();
    lastShown = clock();
    statusOut.show({
      "text/html": `<div class="byhand-progress" style="font-family:monospace;white-space:pre-wrap">${escapeHtml(line)}</div>`,
      "text/plain": line,
    });
  };
  const draw = (): void => {
    if (!chartOut || epochLogs.length === 0) return;
    const keys = Object.keys(epochLogs[epochLogs.length - 1]);
    const losses = keys.filter((k) => /loss/.test(k));
    const metrics = keys.filter((k) => !/loss/.test(k));
    const x = epochLogs.map((_, e) => e + 1);
    const traces: Trace[] = [
      ...losses.map((k) => ({ name: k, mode: "lines+markers", x, y: epochLogs.map((l) => l[k]) })),
      ...metrics.map((k) => ({ name: k, mode: "lines+markers", x, y: epochLogs.map((l) => l[k]), yaxis: "y2", line: { dash: "dot" } })),
    ];
    const names = [...new Set(metrics.map((k) => k.replace(/^val_/, "")))].join(", ");
    chartOut.draw(traces, {
      title: `${title ? title + ": " : ""}loss${names ? " and " + names : ""} per epoch`,
      xaxis: { title: "epoch", range: [0.5, Math.max(epochs ?? 1, epochLogs.length) + 0.5], dtick: 1 },
      yaxis: { title: "loss" },
      ...(metrics.length ? { yaxis2: { title: { text: names }, overlaying: "y", side: "right" } } : {}),
      legend: { orientation: "h", y: -0.2 },
    });
  };

  return {
    epochLogs,
    status: () => line,
    onTrainBegin(params?: Partial<TrainParams>): void {
      if (params && typeof params.epochs === "number") epochs = params.epochs;
      if (params && typeof params.batches === "number") batches = params.batches;
      start = clock();
      if (inKernel()) show();
    },
    onBatchEnd(b: number, batchLogs: Logs = {}): void {
      begin();
      batch = b + 1;
      logs = batchLogs;
      if (inKernel() && clock() - lastShown >= everyMs) show();
    },
    onEpochEnd(e: number, epochEnd: Logs = {}): void {
      begin();
      epochLogs.push({ ...epochEnd });
      epoch = e + 1;
      batch = 0;
      logs = epochEnd;
      show();
      if (inKernel()) draw();
    },
    onTrainEnd(): void {
      begin();
      done = true;
      show();
    },
  };
}

function formatNumber(v: number): string {
  return Math.abs(v) >= 1000 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(3) : v.toFixed(4);
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
