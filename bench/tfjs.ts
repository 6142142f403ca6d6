// The TensorFlow.js side of the benchmark: the same network, weights, batches and optimizer.
import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { createRequire } from "node:module";
import path from "node:path";
import { stopwatch, type Plan, type Run, type Task } from "./task.ts";

/** The TF.js backends the benchmark compares against. */
export type TfBackend = "cpu" | "wasm";

// The .wasm binaries come from node_modules, read from disk: nothing is downloaded.
const require = createRequire(import.meta.url);
const wasmFile = require.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm");
setWasmPaths(path.dirname(wasmFile) + path.sep);

/** Switches TF.js to `backend`. */
export async function useBackend(backend: TfBackend): Promise<void> {
  const ok = await tf.setBackend(backend);
  await tf.ready();
  if (!ok || tf.getBackend() !== backend) {
    throw new Error(`TF.js backend "${backend}" did not start (active: "${tf.getBackend()}")`);
  }
}

/** The TF.js version, and whether its WASM backend found SIMD and threads here. */
export async function tfDescription(): Promise<string> {
  await useBackend("wasm");
  const simd = await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT");
  const threads = await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT");
  const yes = (flag: unknown) => (flag ? "yes" : "no");
  return `TF.js ${tf.version.tfjs} (WASM: SIMD ${yes(simd)}, threads ${yes(threads)})`;
}

/** Trains `task` with `plan` on the active TF.js backend, starting from `plan.weights`. */
export function trainTf(task: Task, plan: Plan): Run {
  const { sizes, hidden, loss } = task.net;
  // tidy frees the tensors the variables are copied from.
  const weights = tf.tidy(() =>
    plan.weights.map(({ W, b }, i) => ({
      W: tf.variable(tf.tensor2d(Float32Array.from(W), [sizes[i], sizes[i + 1]])),
      b: tf.variable(tf.tensor1d(Float32Array.from(b))),
    })),
  );
  const variables = weights.flatMap(({ W, b }) => [W, b]);
  const forward = (x: tf.Tensor2D): tf.Tensor2D =>
    weights.reduce((a, { W, b }, i) => {
      const z = a.matMul(W).add(b) as tf.Tensor2D;
      if (i < weights.length - 1) return hidden === "tanh" ? z.tanh() : z.relu();
      return loss === "bce" ? z.sigmoid() : z;
    }, x);
  // The losses the engine computes: BCE on probabilities, softmax cross-entropy on logits.
  const lossOf = (x: tf.Tensor2D, y: tf.Tensor2D): tf.Scalar => {
    const out = forward(x);
    if (loss === "softmax-ce") return tf.losses.softmaxCrossEntropy(y, out) as tf.Scalar;
    const p = out.clipByValue(1e-12, 1 - 1e-12);
    const one = tf.scalar(1);
    return y.mul(p.log()).add(one.sub(y).mul(one.sub(p).log())).mean().neg() as tf.Scalar;
  };
  const optimizer =
    task.optimizer.kind === "sgd"
      ? tf.train.sgd(task.optimizer.lr)
      : tf.train.momentum(task.optimizer.lr, task.optimizer.beta);

  const xs = tf.tensor2d(task.data.x.flat(), [task.data.x.length, sizes[0]]);
  const ys = targets(task);
  const batchesOf = (epoch: number[][]) =>
    epoch.map((indices) =>
      tf.tidy(() => {
        const rows = tf.tensor1d(indices, "int32");
        return { x: xs.gather(rows) as tf.Tensor2D, y: ys.gather(rows) as tf.Tensor2D };
      }),
    );
  const evaluate = plan.evaluate && {
    x: tf.tensor2d(plan.evaluate.x.flat(), [plan.evaluate.x.length, sizes[0]]),
    y: plan.evaluate.y,
  };

  const epochTimes: number[] = [];
  const accuracies: number[] = [];
  const clock = stopwatch(plan.settle);
  let samples = 0;
  for (const epoch of plan.epochs) {
    // Each epoch's batches become tensors before its clock starts, as they do for the engine.
    const batches = batchesOf(epoch);
    clock.start();
    for (const { x, y } of batches) {
      optimizer.minimize(() => lossOf(x, y), false, variables);
      samples += x.shape[0];
    }
    // Wait for the work to finish: read one weight back before stopping the clock.
    weights[0].b.dataSync();
    clock.stop();
    tf.dispose(batches.flatMap(({ x, y }) => [x, y]));
    epochTimes.push(clock.seconds);
    if (evaluate) {
      const accuracy = tf.tidy(() => accuracyOf(forward(evaluate.x), evaluate.y));
      accuracies.push(accuracy);
      if (plan.stopAt !== undefined && accuracy >= plan.stopAt) break;
    }
  }
  const finalLoss = tf.tidy(() => lossOf(xs, ys).dataSync()[0]);
  tf.dispose([xs, ys, ...variables]);
  if (evaluate) evaluate.x.dispose();
  optimizer.dispose();
  const { seconds, cpuSeconds } = clock;
  const speeds = { samplesPerSecond: samples / seconds, cpuSamplesPerSecond: samples / cpuSeconds };
  return { seconds, cpuSeconds, ...speeds, finalLoss, epochTimes, accuracies };
}

// Targets as the loss wants them: a [n, 1] column of 0/1, or one-hot rows.
function targets(task: Task): tf.Tensor2D {
  const { y } = task.data;
  if (task.net.loss === "bce") return tf.tensor2d(y, [y.length, 1]);
  const classes = task.net.sizes.at(-1)!;
  return tf.tidy(() => tf.oneHot(tf.tensor1d(y, "int32"), classes).toFloat() as tf.Tensor2D);
}

function accuracyOf(pred: tf.Tensor2D, y: number[]): number {
  const guesses = pred.argMax(1).dataSync();
  let right = 0;
  for (let i = 0; i < y.length; i++) if (guesses[i] === y[i]) right++;
  return right / y.length;
}
