import { minibatches } from "./data/batches";
import { validationSplit as splitOffValidation } from "./data/split";
import { randomFrom, type Seeded } from "./data/seeded";
import { assertExamples, ValueError } from "./errors";
import type { Layer, Param } from "./layer";
import { getLoss, type Loss, type LossName } from "./losses";
import { Matrix } from "./matrix";
import { getMetric, type Metric } from "./metrics";
import type { Optimizer } from "./optimizers/optimizer";
import { getOptimizer, type OptimizerName } from "./optimizers/optimizers";

export interface CompileOptions {
  optimizer: OptimizerName | Optimizer;
  loss: LossName | Loss;
  /** Names of metrics to report beside the loss, e.g. ["accuracy"] (accuracyFor says which it counts). */
  metrics?: string[];
}

/** Numbers reported after a batch or an epoch: "loss", metric names, and "val_…" forms. */
export type Logs = Record<string, number>;

export interface FitOptions extends Seeded {
  epochs?: number;
  batchSize?: number;
  /** Visit the examples in a new random order each epoch (default true). */
  shuffle?: boolean;
  /** Hold out this fraction, the last rows before shuffling (as Keras), for validation. */
  validationSplit?: number;
  /** Held-out (X, Y) scored by evaluate() after each epoch, as val_loss and val_<metric>. */
  validationData?: [Matrix, Matrix];
  onBatchEnd?: (batch: number, logs: Logs) => void;
  onEpochEnd?: (epoch: number, logs: Logs) => void;
  /** Objects told as training goes, as Keras callbacks (e.g. trainingProgress()). */
  callbacks?: FitCallback[];
  /** Print one line per epoch (default false; notebooks plot the history instead). */
  verbose?: boolean;
}

/** What fit tells a callback before the first batch. */
export interface TrainParams {
  epochs: number;
  /** Batches in one epoch. */
  batches: number;
  /** Training examples (after any validation split). */
  examples: number;
}

/** A Keras-style callback; every method is optional. */
export interface FitCallback {
  onTrainBegin?: (params: TrainParams) => void;
  onBatchEnd?: (batch: number, logs: Logs) => void;
  onEpochEnd?: (epoch: number, logs: Logs) => void;
  onTrainEnd?: (history: History) => void;
}

export interface FitAsyncOptions extends FitOptions {
  /** Give the event loop a turn at least this often, in milliseconds (default 100). */
  yieldEveryMs?: number;
}

/** What fit returns, as Keras's History: history.loss[e] is epoch e's mean training loss. */
export interface History {
  epoch: number[];
  history: Record<string, number[]>;
}

/**
 * A stack of layers trained by mini-batch gradient descent (chapters 04–13), in Keras's
 * vocabulary: compile → fit → evaluate / predict.
 *
 * One training step on a batch (X_b, Y_b):
 *   forward   Ŷ = fₙ(…f₂(f₁(X_b)))               each layer keeps what backward needs
 *   loss      L = loss(Y_b, Ŷ) + Σ R(W)           R: each weight's regularizer, if any
 *   backward  dŶ = ∂L/∂Ŷ, then dA ← layer.backward(dA) from the last layer to the first
 *   step      the optimizer moves every parameter using its grad
 */
export class Sequential {
  readonly layers: Layer[] = [];
  private compiled: { optimizer: Optimizer; loss: Loss; metrics: [string, Metric][] } | null = null;

  constructor(layers: Layer[] = []) {
    for (const layer of layers) this.add(layer);
  }

  add(layer: Layer): this {
    const prev = this.layers[this.layers.length - 1];
    if (prev) layer.build(prev.outputDim);
    this.layers.push(layer);
    return this;
  }

  compile(options: CompileOptions): void {
    const loss = getLoss(options.loss);
    this.compiled = {
      optimizer: getOptimizer(options.optimizer),
      loss,
      metrics: (options.metrics ?? []).map((name) => [name, getMetric(name, loss.name)]),
    };
  }

  params(): Param[] {
    return this.layers.flatMap((l) => l.params());
  }

  /** The parameters' values in order [W₁, b₁, W₂, b₂, …], as tfjs's model.getWeights(). */
  getWeights(): Matrix[] {
    return this.params().map((p) => p.value);
  }

  /** Ŷ for every row of X. */
  predict(X: Matrix): Matrix {
    if (this.layers.length === 0) throw new ValueError("Sequential.predict: the model has no layers; add() some first.");
    return this.layers.reduce((A, layer) => layer.forward(A), X);
  }

  /**
   * The loss and the metrics on (X, Y), with the weights as they are now:
   *   loss = L(Y, Ŷ) + Σ R(W)      the regularization penalty included, as in training
   * This is what Keras in Python reports, from evaluate() and as fit's val_loss (which calls
   * this), so the three losses can be compared. TensorFlow.js 4.22 differs: its evaluate()
   * and its val_loss are L(Y, Ŷ) alone (its training loss does include Σ R(W)). With a
   * kernelRegularizer, ours minus tfjs's is exactly Σ R(W); without one they agree.
   */
  evaluate(X: Matrix, Y: Matrix): Logs {
    const { loss, metrics } = this.need("evaluate");
    assertExamples("Sequential.evaluate", X.shape, Y.shape);
    const Yhat = this.predict(X);
    const logs: Logs = { loss: loss.loss(Y, Yhat) + this.penalty() };
    for (const [name, metric] of metrics) logs[name] = metric(Y, Yhat);
    return logs;
  }

  /** Trains on (X, Y) in mini-batches; see the class comment for one step. */
  fit(X: Matrix, Y: Matrix, options: FitOptions = {}): History {
    const steps = this.training(X, Y, options);
    for (;;) {
      const r = steps.next();
      if (r.done) return r.value;
    }
  }

  /**
   * fit, giving the event loop a turn every `yieldEveryMs` and after each epoch, so that a
   * notebook sees progress while training runs (Jupyter sends display updates only then).
   * The same batches in the same order as fit, so the same weights.
   */
  async fitAsync(X: Matrix, Y: Matrix, options: FitAsyncOptions = {}): Promise<History> {
    const { yieldEveryMs = 100 } = options;
    const steps = this.training(X, Y, options);
    let last = Date.now();
    for (;;) {
      const r = steps.next();
      if (r.done) {
        // One more turn, so that the callbacks' last displays go out before the cell's next output.
        await new Promise<void>((resolve) => setImmediate(resolve));
        return r.value;
      }
      if (r.value === "epoch" || Date.now() - last >= yieldEveryMs) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        last = Date.now();
      }
    }
  }

  /** The training loop, pausing after each batch ("batch") and each epoch ("epoch"). */
  private *training(X: Matrix, Y: Matrix, options: FitOptions): Generator<"batch" | "epoch", History> {
    const { optimizer, loss, metrics } = this.need("fit");
    const { epochs = 1, batchSize = 32, shuffle = true, verbose = false } = options;
    const callbacks: FitCallback[] = [{ onBatchEnd: options.onBatchEnd, onEpochEnd: options.onEpochEnd }, ...(options.callbacks ?? [])];
    assertExamples("Sequential.fit", X.shape, Y.shape);
    if (!Number.isInteger(epochs) || epochs < 1) {
      throw new ValueError(`Sequential.fit: expected epochs to be a whole number ≥ 1, got ${epochs}.`);
    }
    let [Xt, Yt, validation] = [X, Y, options.validationData ?? null];
    if (options.validationSplit !== undefined) {
      if (validation) throw new ValueError("Sequential.fit: give validationSplit or validationData, not both.");
      const s = splitOffValidation(X, Y, options.validationSplit);
      [Xt, Yt, validation] = [s.XTrain, s.yTrain, [s.XVal, s.yVal]];
    }
    const rng = randomFrom("Sequential.fit", options);
    const history: History = { epoch: [], history: {} };
    const params: TrainParams = { epochs, batches: Math.ceil(Xt.rows / batchSize), examples: Xt.rows };
    for (const c of callbacks) c.onTrainBegin?.(params);

    for (let epoch = 0; epoch < epochs; epoch++) {
      const sums: Logs = {};
      let seen = 0, batch = 0;
      for (const { X: Xb, Y: Yb } of minibatches(Xt, Yt, batchSize, { shuffle, rng })) {
        const Yhat = this.predict(Xb);
        const { L, dYhat } = loss.lossAndGrad?.(Yb, Yhat) ?? { L: loss.loss(Yb, Yhat), dYhat: loss.grad(Yb, Yhat) };
        const logs: Logs = { loss: L + this.penalty() };
        if (!Number.isFinite(logs.loss)) {
          throw new ValueError(
            `Sequential.fit: the loss became ${logs.loss} in epoch ${epoch + 1}, batch ${batch + 1}. ` +
              `Try a smaller learningRate, or check X and Y for very large values.`,
          );
        }
        for (const [name, metric] of metrics) logs[name] = metric(Yb, Yhat);
        this.backward(dYhat);
        optimizer.step(this.params());
        // Epoch logs are means over examples, so a short last batch counts for less (as tfjs).
        for (const [k, v] of Object.entries(logs)) sums[k] = (sums[k] ?? 0) + v * Xb.rows;
        seen += Xb.rows;
        for (const c of callbacks) c.onBatchEnd?.(batch, logs);
        batch++;
        yield "batch";
      }
      const logs: Logs = Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, v / seen]));
      if (validation) {
        for (const [k, v] of Object.entries(this.evaluate(validation[0], validation[1]))) logs[`val_${k}`] = v;
      }
      history.epoch.push(epoch);
      for (const [k, v] of Object.entries(logs)) (history.history[k] ??= []).push(v);
      if (verbose) console.log(`Epoch ${epoch + 1}/${epochs}: ${formatLogs(logs)}`);
      for (const c of callbacks) c.onEpochEnd?.(epoch, logs);
      yield "epoch";
    }
    for (const c of callbacks) c.onTrainEnd?.(history);
    return history;
  }

  /** A table of the layers, their output shapes and parameter counts, as Keras prints. */
  summary(): string {
    const rows = this.layers.map((l) => [`${l.name} (${l.constructor.name})`, `[null, ${l.outputDim}]`, String(l.countParams())]);
    const total = this.layers.reduce((n, l) => n + l.countParams(), 0);
    const widths = [0, 1, 2].map((c) => Math.max(...[["Layer (type)", "Output shape", "Param #"], ...rows].map((r) => r[c].length)));
    const line = (r: string[]) => r.map((cell, c) => cell.padEnd(widths[c])).join("   ");
    const rule = "_".repeat(line(rows[0] ?? ["", "", ""]).length);
    return [rule, line(["Layer (type)", "Output shape", "Param #"]), rule.replace(/_/g, "="),
      ...rows.map(line), rule, `Total params: ${total}`].join("\n");
  }

  private backward(dYhat: Matrix): void {
    let dA = dYhat;
    for (let k = this.layers.length - 1; k > 0; k--) dA = this.layers[k].backward(dA);
    this.layers[0].backward(dA, { inputGradient: false }); // nothing below needs ∂L/∂X
  }

  private penalty(): number {
    return this.params().reduce((s, p) => s + (p.regularizer ? p.regularizer.loss(p.peek()) : 0), 0);
  }

  private need(where: string) {
    if (!this.compiled) {
      throw new ValueError(`Sequential.${where}: call compile({ optimizer, loss }) first.`);
    }
    return this.compiled;
  }
}

function formatLogs(logs: Logs): string {
  return Object.entries(logs).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(", ");
}
