// The training loop: epochs of shuffled mini-batches, with progress, a stop button and a
// divergence alarm.
import { losses, lossName, targetOf, type LossName } from "./losses.ts";
import { MLP } from "./mlp.ts";
import { checkLearningRate, optimizers, type OptimizerName } from "./optim.ts";
import { rng } from "./rng.ts";
import { Tensor } from "./tensor.ts";
import { describe } from "./value.ts";

/** One finished epoch: its mean loss, and the share of its examples classified right (0 to 1). */
export interface EpochRecord {
  epoch: number;
  loss: number;
  accuracy: number;
}

/** What train() reports while it runs: the epoch running (from 1) so far, over its batches done. */
export interface Progress extends EpochRecord {
  epochs: number;
  /** Batches done in this epoch. */
  batch: number;
  batches: number;
}

/** Options of {@link train}. */
export interface TrainOptions {
  /** "bce" (one sigmoid output), "softmax-ce" (one output per class) or "mse". */
  loss?: LossName;
  /** "sgd", "momentum" or "adam" (default "sgd"). */
  optimizer?: OptimizerName;
  /** Learning rate (default: the optimizer's, 0.1 for SGD, 0.01 for momentum, 0.001 for Adam). */
  lr?: number;
  /** The optimizer's own options (defaults: its own): momentum's `beta`; Adam's `beta1`, `beta2`, `eps`. */
  beta?: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  /** Passes over the data (default 100). */
  epochs?: number;
  /** Examples per step (default 32). */
  batchSize?: number;
  /** Seed of the order of the examples (default 0). */
  seed?: number;
  /**
   * Called after every epoch and, within an epoch, at least every 250 ms (with `pace`, after
   * every batch).
   */
  onProgress?: (progress: Progress) => void;
  /**
   * Stops training between two batches when `stopped` (or an AbortSignal's `aborted`) becomes
   * true, also while `pace` is waiting.
   */
  signal?: { stopped: boolean } | { aborted: boolean };
  /**
   * Awaited before every batch (`batch` counts from 1): a hook to pause (return a promise that
   * resolves on Play), step one batch or one epoch, or slow training down.
   */
  pace?: (at: { epoch: number; batch: number; batches: number }) => void | Promise<void>;
}

/** What train() resolves to. */
export interface TrainResult {
  history: EpochRecord[];
  /** True when the signal stopped training early (what was learned so far is kept). */
  stopped: boolean;
  /** True when the loss blew up; `message` then says why and what to try. */
  diverged: boolean;
  message: string;
  /** Wall-clock seconds and training throughput. */
  seconds: number;
  samplesPerSecond: number;
}

/** Training data: inputs and, per input, a class label (or a row of targets). */
export interface TrainData {
  x: number[][];
  y: number[] | number[][];
}

const defaults = { optimizer: "sgd", epochs: 100, batchSize: 32, seed: 0 } as const;

/**
 * A loss this many times its start (or, if larger, the loss of a net whose every score is 0,
 * such as ln 2 for bce) means the steps are making things worse.
 */
const EXPLODED = 10;
/** Work between two yields to the event loop, so a Stop message can arrive (ms). */
const YIELD_EVERY = 50;
/** Longest time between two progress reports (ms). */
const REPORT_EVERY = 250;

/**
 * Trains `net` on `data` with mini-batch gradient descent. It is async: it yields to the event
 * loop every ~50 ms, so a worker can receive a Stop message, and it stops when the loss becomes
 * NaN, infinite, or ten times the larger of its starting value and a blind guess's (the loss
 * when every score is 0): the learning rate is then the likely culprit.
 *
 * @example
 * const data = datasets.spiral({ n: 1000, seed: 1 });
 * const net = new MLP([2, 16, 16, 1], { activation: "tanh", output: "sigmoid", seed: 1 });
 * const { history } = await train(net, data, { loss: "bce", lr: 0.1, epochs: 200 });
 */
export async function train(
  net: MLP,
  data: TrainData,
  options: TrainOptions = {},
): Promise<TrainResult> {
  if (!(net instanceof MLP)) {
    throw new Error(`train: expected an MLP as the first argument, received ${describe(net)}.`);
  }
  const outputs = net.sizes[net.sizes.length - 1];
  const loss = lossName(options.loss ?? (outputs === 1 ? "bce" : "softmax-ce"), "train");
  const { optimizer, epochs, batchSize, seed, signal, pace } = { ...defaults, ...options };
  if (options.lr !== undefined) checkLearningRate(options.lr, "train");
  if (!Object.hasOwn(optimizers, optimizer)) {
    const known = Object.keys(optimizers).map((k) => JSON.stringify(k));
    throw new Error(
      `train: unknown optimizer ${JSON.stringify(optimizer)} ` +
        `(expected one of ${known.join(", ")}).`,
    );
  }
  for (const [name, value] of [["epochs", epochs], ["batchSize", batchSize]] as const) {
    if (!(Number.isInteger(value) && value > 0)) {
      throw new Error(
        `train: ${name} must be a whole number above 0, received ${describe(value)}.`,
      );
    }
  }
  checkOutput(net, loss);
  const { x, labels, targets, n } = prepare(net, data, loss);

  const inputs = net.sizes[0];
  // an option of another optimizer would do nothing: say so rather than ignore it
  const own: Record<string, string[]> = { sgd: [], momentum: ["beta"], adam: ["beta1", "beta2", "eps"] };
  for (const key of ["beta", "beta1", "beta2", "eps"] as const) {
    if (options[key] === undefined || own[optimizer].includes(key)) continue;
    const owner = key === "beta" ? "momentum" : "adam";
    throw new Error(`train: ${key} is an option of optimizer "${owner}", not of "${optimizer}": use optimizer: "${owner}", or leave ${key} out.`);
  }
  // without an lr (or a beta …), the optimizer's own default
  const { lr, beta, beta1, beta2, eps } = options;
  const opt = new optimizers[optimizer](net.parameters(), { lr, beta, beta1, beta2, eps });
  const { f: lossOf, from } = losses[loss];
  // the loss of a net that knows nothing (every score 0): the scale against which a loss explodes
  const baseline = lossOf(new Tensor(n, outputs), new Tensor(n, outputs, targets)).item();
  const random = rng(seed);
  const order = Array.from({ length: n }, (_, i) => i);
  const batches = Math.ceil(n / batchSize);
  // a single output is a probability: its score says 1 from 0 up (σ(0) = 0.5)
  const threshold = from === "logits" ? 0 : 0.5;
  const history: EpochRecord[] = [];
  const start = performance.now();
  let [lastYield, lastReport] = [start, start];
  let [firstLoss, samples] = [NaN, 0];
  const result = (stopped: boolean, message = ""): TrainResult => {
    const seconds = (performance.now() - start) / 1000;
    const samplesPerSecond = seconds > 0 ? samples / seconds : 0;
    return { history, stopped, diverged: message !== "", message, seconds, samplesPerSecond };
  };

  for (let epoch = 1; epoch <= epochs; epoch++) {
    random.shuffle(order);
    let [lossSum, correct, seen] = [0, 0, 0];
    for (let batch = 0; batch < batches; batch++) {
      if (isStopped(signal)) return result(true);
      if (pace) {
        // a pace that returns nothing lets the batch run at once; a promise is waited for
        const paced = pace({ epoch, batch: batch + 1, batches });
        if (isPromise(paced)) {
          await waitFor(paced, signal);
          lastYield = performance.now(); // the event loop came in while it waited
        }
        if (isStopped(signal)) return result(true);
      }
      // gather this batch's rows into tensors
      const rows = order.slice(batch * batchSize, (batch + 1) * batchSize);
      const xb = new Tensor(rows.length, inputs);
      const tb = new Tensor(rows.length, outputs);
      xb.requiresGrad = tb.requiresGrad = false;
      rows.forEach((r, i) => {
        xb.data.set(x.subarray(r * inputs, (r + 1) * inputs), i * inputs);
        tb.data.set(targets.subarray(r * outputs, (r + 1) * outputs), i * outputs);
      });
      // one step: forward (to the raw scores, for a fused loss), loss, backward, update
      const pred = from === "logits" ? net.logits(xb) : net.forward(xb);
      const value = lossOf(pred, tb);
      opt.zeroGrad();
      value.backward();
      const batchLoss = value.data[0];
      if (Number.isNaN(firstLoss)) firstLoss = batchLoss;
      if (!Number.isFinite(batchLoss)) {
        return result(false, divergence(opt.lr, epoch, batch + 1, batchLoss, firstLoss, baseline));
      }
      opt.step();
      lossSum += batchLoss * rows.length;
      correct += countCorrect(pred, rows, labels, threshold);
      seen += rows.length;
      samples += rows.length;

      const now = performance.now();
      if ((pace || now - lastReport >= REPORT_EVERY) && batch + 1 < batches) {
        options.onProgress?.(progress(epoch, batch + 1, lossSum / seen, correct / seen));
        lastReport = now;
      }
      if (now - lastYield >= YIELD_EVERY) {
        await yieldToEvents();
        lastYield = performance.now();
      }
    }
    const record = { epoch, loss: lossSum / seen, accuracy: correct / seen };
    history.push(record);
    options.onProgress?.(progress(epoch, batches, record.loss, record.accuracy));
    lastReport = performance.now();
    if (record.loss > EXPLODED * Math.max(firstLoss, baseline)) {
      return result(false, divergence(opt.lr, epoch, batches, record.loss, firstLoss, baseline));
    }
  }
  return result(false);

  function progress(epoch: number, batch: number, loss: number, accuracy: number): Progress {
    return { epoch, epochs, batch, batches, loss, accuracy };
  }
}

/**
 * Share of rows whose predicted class equals the label: the largest output's index, or, for a
 * single output, 1 when it is at least 0.5.
 *
 * @example
 * accuracy([[0.9], [0.3]], [1, 1]); // 0.5
 */
export function accuracy(pred: Tensor | number[][], y: number[]): number {
  const p = pred instanceof Tensor ? pred : Tensor.from(pred, { requiresGrad: false });
  if (!Array.isArray(y) || y.length !== p.rows) {
    throw new Error(
      `accuracy: received ${describe(y)} of labels for ${p.rows} predictions ` +
        `(expected one label per row).`,
    );
  }
  const rows = Array.from({ length: p.rows }, (_, i) => i);
  return countCorrect(p, rows, Float64Array.from(y)) / p.rows;
}

/** The class a row of outputs predicts (a single output: 1 from `threshold` up). */
export function predictedClass(data: Float64Array, row: number, cols: number, threshold = 0.5) {
  if (cols === 1) return data[row] >= threshold ? 1 : 0;
  let best = 0;
  for (let j = 1; j < cols; j++) if (data[row * cols + j] > data[row * cols + best]) best = j;
  return best;
}

// How many rows of pred (batch row i is example rows[i]) predict the right label.
function countCorrect(pred: Tensor, rows: number[], labels: Float64Array, threshold = 0.5) {
  let correct = 0;
  rows.forEach((r, i) => {
    if (predictedClass(pred.data, i, pred.cols, threshold) === labels[r]) correct++;
  });
  return correct;
}

// What went wrong, and a learning rate ten times smaller (0.07, not 0.06999999999999999).
function divergence(lr: number, ...[epoch, batch, loss, first, baseline]: number[]): string {
  const [scale, from] = first >= baseline ? [first, "its starting"] : [baseline, "a blind guess's"];
  const what = Number.isFinite(loss)
    ? `grew to ${loss.toPrecision(3)}, more than ${EXPLODED}× ${from} ${scale.toPrecision(3)}`
    : `became ${loss}`;
  return (
    `Training diverged at epoch ${epoch}, batch ${batch}: the loss ${what}. ` +
    `The learning rate (lr = ${lr}) is likely too large: ` +
    `try lr = ${Number((lr / 10).toPrecision(12))}.`
  );
}

function isStopped(signal: TrainOptions["signal"]): boolean {
  if (!signal) return false;
  return ("aborted" in signal && signal.aborted) || ("stopped" in signal && signal.stopped);
}

const isPromise = (x: unknown): x is PromiseLike<void> =>
  typeof (x as PromiseLike<void> | undefined)?.then === "function";

// Lets the event loop in (a Stop message can arrive): a task posted with the scheduler where
// there is one (browsers), which is not held back as nested timers are (setTimeout(0) waits
// 4 ms or more after a few nested calls), else a timer.
function yieldToEvents(): Promise<unknown> {
  const { scheduler } = globalThis as { scheduler?: { postTask?(f: () => void): Promise<void> } };
  if (scheduler?.postTask) return scheduler.postTask(() => undefined);
  return new Promise((resolve) => setTimeout(resolve, 0));
}

// Waits for what `pace` returned, or until the signal stops training (checked every 20 ms).
async function waitFor(paced: PromiseLike<void>, signal: TrainOptions["signal"]) {
  if (!signal) return paced;
  let timer: ReturnType<typeof setInterval> | undefined;
  const stopped = new Promise((resolve) => {
    timer = setInterval(() => isStopped(signal) && resolve(0), 20);
  });
  await Promise.race([paced, stopped]).finally(() => clearInterval(timer));
}

// The loss needs the output layer it was designed for.
function checkOutput(net: MLP, loss: LossName): void {
  const output = net.layers[net.layers.length - 1].activation;
  const outputs = net.sizes[net.sizes.length - 1];
  if (loss === "bce" && (output !== "sigmoid" || outputs !== 1)) {
    throw new Error(
      `train: loss "bce" expects one sigmoid output (a probability), received ${outputs} ` +
        `${output} output${outputs === 1 ? "" : "s"}. Build the net with { output: "sigmoid" } ` +
        `and 1 output, or use loss "softmax-ce" for several classes.`,
    );
  }
  if (loss === "softmax-ce" && output !== "identity" && output !== "softmax") {
    throw new Error(
      `train: loss "softmax-ce" expects raw scores, one per class, received ${output} ` +
        `outputs. Build the net with { output: "identity" } (or "softmax").`,
    );
  }
}

// The data as flat arrays: inputs row by row, labels (for accuracy) and targets (for the loss).
function prepare(net: MLP, data: TrainData, loss: LossName) {
  const { x, y } = (data ?? {}) as Partial<TrainData>;
  const [inputs, outputs] = [net.sizes[0], net.sizes[net.sizes.length - 1]];
  if (!Array.isArray(x) || !Array.isArray(y) || x.length !== y.length || x.length === 0) {
    throw new Error(
      `train: expected data { x, y } with one label per input, received ${describe(x)} of ` +
        `inputs and ${describe(y)} of labels.`,
    );
  }
  const n = x.length;
  const flat = new Float64Array(n * inputs);
  x.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== inputs) {
      throw new Error(
        `train: input ${i} has ${Array.isArray(row) ? row.length : describe(row)} numbers, but ` +
          `layer 1 of the net expects ${inputs} (shape [${n}, ${inputs}]).`,
      );
    }
    flat.set(row, i * inputs);
  });
  const targets = targetOf([n, outputs], y, `train (loss "${loss}")`, losses[loss].targets);
  const labels = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = Array.isArray(y[i]) ? predictedClass(targets, i, outputs) : (y[i] as number);
  }
  return { x: flat, labels, targets, n };
}
