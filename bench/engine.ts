// The engine's side of the benchmark: a hand-driven loop over the plan's batches.
import {
  MLP,
  Momentum,
  SGD,
  Tensor,
  accuracy,
  binaryCrossEntropyWithLogits,
  softmaxCrossEntropy,
} from "../engine/index.ts";
import { stopwatch, type LayerWeights, type Plan, type Run, type Task } from "./task.ts";

/** Builds the task's network with the engine's own initialisation. */
export function engineNet(task: Task, seed: number): MLP {
  const { sizes, hidden, loss } = task.net;
  return new MLP(sizes, {
    activation: hidden,
    output: loss === "bce" ? "sigmoid" : "identity",
    seed,
  });
}

/** The engine's starting weights, copied out so TF.js can start from the same point. */
export function weightsOf(net: MLP): LayerWeights[] {
  const copy = (t: Tensor) => Float64Array.from(t.data);
  return net.layers.map(({ W, b }) => ({ W: copy(W), b: copy(b) }));
}

/** Trains `net` (fresh from {@link engineNet}) on the plan's batches; returns what it measured. */
export function trainEngine(task: Task, plan: Plan, net: MLP): Run {
  // The fused losses, from the scores before the output's activation (as train() does).
  const lossFn = task.net.loss === "bce" ? binaryCrossEntropyWithLogits : softmaxCrossEntropy;
  const params = net.parameters();
  const optimizer =
    task.optimizer.kind === "sgd"
      ? new SGD(params, { lr: task.optimizer.lr })
      : new Momentum(params, { lr: task.optimizer.lr, beta: task.optimizer.beta });
  const target = (rows: number[]) =>
    task.net.loss === "bce" ? rows.map((i) => [task.data.y[i]]) : rows.map((i) => task.data.y[i]);
  // Inputs need no gradient, as in TF.js, where only the variables are differentiated.
  const input = (rows: number[][]) => Tensor.from(rows, { requiresGrad: false });
  const batchesOf = (epoch: number[][]) =>
    epoch.map((rows) => ({ x: input(rows.map((i) => task.data.x[i])), y: target(rows) }));
  const evaluate = plan.evaluate && { x: input(plan.evaluate.x), y: plan.evaluate.y };

  const epochTimes: number[] = [];
  const accuracies: number[] = [];
  const clock = stopwatch(plan.settle);
  let samples = 0;
  for (const epoch of plan.epochs) {
    // Each epoch's batches become tensors before its clock starts, as they do for TF.js.
    const batches = batchesOf(epoch);
    clock.start();
    for (const { x, y } of batches) {
      optimizer.zeroGrad();
      lossFn(net.logits(x), y).backward();
      optimizer.step();
      samples += x.shape[0];
    }
    clock.stop();
    epochTimes.push(clock.seconds);
    if (evaluate) {
      accuracies.push(accuracy(net.forward(evaluate.x), evaluate.y));
      if (plan.stopAt !== undefined && accuracies.at(-1)! >= plan.stopAt) break;
    }
  }
  const all = task.data.x.map((_, i) => i);
  const finalLoss = lossFn(net.logits(input(task.data.x)), target(all)).data[0];
  const { seconds, cpuSeconds } = clock;
  const speeds = { samplesPerSecond: samples / seconds, cpuSamplesPerSecond: samples / cpuSeconds };
  return { seconds, cpuSeconds, ...speeds, finalLoss, epochTimes, accuracies };
}
