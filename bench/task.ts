// A benchmark task, and the plan both implementations follow: the same weights, the same batches.
import { rng } from "../engine/index.ts";

/** A network, its data and how to train it: what the engine and TF.js are both given. */
export interface Task {
  name: string;
  /** Layer sizes, the hidden activation, and the loss (which fixes the output activation). */
  net: { sizes: number[]; hidden: "tanh" | "relu"; loss: "bce" | "softmax-ce" };
  optimizer: { kind: "sgd"; lr: number } | { kind: "momentum"; lr: number; beta: number };
  data: { x: number[][]; y: number[] };
  batchSize: number;
  epochs: number;
}

/** One layer's starting weights: `W` row-major with shape [inputs, outputs], `b` per output. */
export interface LayerWeights {
  W: ArrayLike<number>;
  b: ArrayLike<number>;
}

/** The shared script of a run: start weights, and the sample indices of every batch. */
export interface Plan {
  weights: LayerWeights[];
  /** `epochs[e][k]` lists the rows of batch k in epoch e. */
  epochs: number[][][];
  /** Held-out data scored after every epoch (task C). */
  evaluate?: { x: number[][]; y: number[] };
  /** Stop after the first epoch whose held-out accuracy reaches this. */
  stopAt?: number;
  /** Collect the garbage before each timed epoch (see {@link collect}); task C sets it. */
  settle?: boolean;
}

/** What one training run measured. */
export interface Run {
  /** Training time (wall clock), without building the batches or scoring held-out data. */
  seconds: number;
  samplesPerSecond: number;
  /** The same time counted as this process's CPU time: steadier on a shared, loaded machine. */
  cpuSeconds: number;
  cpuSamplesPerSecond: number;
  /** Loss over the whole training set after the last step. */
  finalLoss: number;
  /** Training seconds elapsed at the end of each epoch. */
  epochTimes: number[];
  /** Held-out accuracy after each epoch, when the plan has `evaluate`. */
  accuracies: number[];
}

/** Shuffles the rows once per epoch with `rng(seed)` and cuts them into batches. */
export function batchesFor(task: Task, seed: number): number[][][] {
  const random = rng(seed);
  const rows = task.data.x.map((_, i) => i);
  return Array.from({ length: task.epochs }, () => {
    const order = random.shuffle([...rows]);
    const batches: number[][] = [];
    for (let i = 0; i < order.length; i += task.batchSize) {
      batches.push(order.slice(i, i + task.batchSize));
    }
    return batches;
  });
}

/** Averages 28×28 digits down to 8×8: drop a 2-pixel border, then mean over 3×3 blocks. */
export function digitsTo8x8(x: number[][]): number[][] {
  return x.map((pixels) => {
    const small = new Array<number>(64).fill(0);
    for (let r = 0; r < 24; r++) {
      for (let c = 0; c < 24; c++) {
        small[Math.floor(r / 3) * 8 + Math.floor(c / 3)] += pixels[(r + 2) * 28 + c + 2] / 9;
      }
    }
    return small;
  });
}

/**
 * A full garbage collection, when node runs with --expose-gc (npm run bench does). C's batches,
 * built just before each timed epoch, take 50 MB: their collection would otherwise land inside
 * the epoch. A and B, whose epochs are short and whose batches are small, do not collect: a
 * full collection before each of A's 50 epochs of a few milliseconds leaves the caches cold and
 * the collector's threads still sweeping when the clock starts (the engine ran A at 223,000
 * samples/s so, against 506,000 without).
 */
export const collect = (globalThis as { gc?: () => void }).gc;

/**
 * A stopwatch of wall-clock and process CPU seconds, started and stopped around each epoch.
 * With `settle`, each start first collects the garbage of what came before (see {@link collect}).
 */
export function stopwatch(settle = false) {
  let [wall, cpu] = [0, 0];
  let [wallStart, cpuStart] = [0, 0];
  const cpuNow = () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1e6;
  };
  return {
    start() {
      if (settle) collect?.();
      [wallStart, cpuStart] = [performance.now(), cpuNow()];
    },
    stop() {
      wall += (performance.now() - wallStart) / 1000;
      cpu += cpuNow() - cpuStart;
    },
    get seconds() {
      return wall;
    },
    get cpuSeconds() {
      return cpu;
    },
  };
}

/** The middle value of `xs`. */
export function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
