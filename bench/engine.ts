// The engine's side of the benchmark: a hand-driven loop over the plan's batches; and, to
// compare the two ways a reader trains, train() itself beside the loop chapter 9 writes out.
import {
  MLP,
  Momentum,
  SGD,
  Tensor,
  accuracy,
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  rng,
  softmaxCrossEntropy,
  train,
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

/** The loss over the whole training set, as trainEngine computes it after its last step. */
function finalLossOf(task: Task, net: MLP): number {
  const lossFn = task.net.loss === "bce" ? binaryCrossEntropyWithLogits : softmaxCrossEntropy;
  const all = Tensor.from(task.data.x, { requiresGrad: false });
  const target = task.net.loss === "bce" ? task.data.y.map((y) => [y]) : task.data.y;
  return lossFn(net.logits(all), target).data[0];
}

// Wall-clock and CPU seconds around `f`, as a Run (no per-epoch figures).
async function timed(task: Task, net: MLP, f: () => unknown): Promise<Run> {
  const clock = stopwatch();
  clock.start();
  await f();
  clock.stop();
  const { seconds, cpuSeconds } = clock;
  const samples = task.data.x.length * task.epochs;
  const speeds = { samplesPerSecond: samples / seconds, cpuSamplesPerSecond: samples / cpuSeconds };
  return { seconds, cpuSeconds, ...speeds, finalLoss: finalLossOf(task, net), epochTimes: [], accuracies: [] };
}

/**
 * `train()` on the task, from the data as rows of numbers: it shuffles with `rng(seed)` and
 * gathers each batch itself, as a chapter's cell calls it.
 */
export function trainWithTrain(task: Task, seed: number, net: MLP): Promise<Run> {
  const { lr } = task.optimizer;
  const beta = task.optimizer.kind === "momentum" ? task.optimizer.beta : undefined;
  const options = { loss: task.net.loss, optimizer: task.optimizer.kind, lr, beta };
  return timed(task, net, () =>
    train(net, task.data, { ...options, epochs: task.epochs, batchSize: task.batchSize, seed }),
  );
}

/**
 * The training loop as chapter 9 writes it out, on the same shuffles as train(): each epoch
 * shuffles the examples, and each batch clears the gradients, runs the forward pass from rows
 * of numbers, the cost (binary cross-entropy of the sigmoid's probabilities, or softmax
 * cross-entropy of the scores), backward() and step().
 */
export function trainByHand(task: Task, seed: number, net: MLP): Promise<Run> {
  const { kind, lr } = task.optimizer;
  const optimizer =
    kind === "sgd"
      ? new SGD(net.parameters(), { lr })
      : new Momentum(net.parameters(), { lr, beta: task.optimizer.beta });
  const { x, y } = task.data;
  return timed(task, net, () => {
    const order = [...x.keys()];
    const random = rng(seed);
    for (let epoch = 0; epoch < task.epochs; epoch++) {
      random.shuffle(order);
      for (let start = 0; start < order.length; start += task.batchSize) {
        const batch = order.slice(start, start + task.batchSize);
        optimizer.zeroGrad();
        const inputs = batch.map((k) => x[k]);
        const labels = batch.map((k) => y[k]);
        const loss =
          task.net.loss === "bce"
            ? binaryCrossEntropy(net.forward(inputs), labels)
            : softmaxCrossEntropy(net.logits(inputs), labels);
        loss.backward(); // backpropagation
        optimizer.step(); // w ← w − α ∂J/∂w for every weight
      }
    }
  });
}
