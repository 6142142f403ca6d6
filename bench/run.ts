// `npm run bench`: the engine, on its WebAssembly backend and on its TypeScript one, against
// TensorFlow.js (CPU and WASM backends), in one run.
// Options: --reps=N (repetitions of A and B, default 5), --reps-c=N (of C, default 3),
// --only=A,B,C (which tasks), --impl=engine,engine-ts,train(),loop,train()-ts,loop-ts,tfjs-cpu,
// tfjs-wasm (which implementations; the ratios need tfjs-cpu, C's verdict engine-ts, the
// loop's verdict train()). train() and loop (the loop chapter 9 writes out) run on A and B.
// Profile the engine alone: node --cpu-prof bench/run.ts --impl=engine
import { cpus, loadavg } from "node:os";
import { datasets, getBackend, loadDigits, setBackend } from "../engine/index.ts";
import { engineNet, trainByHand, trainEngine, trainWithTrain, weightsOf } from "./engine.ts";
import { batchesFor, collect, digitsTo8x8, median, type Plan, type Run, type Task } from "./task.ts";
import { tfDescription, trainTf, useBackend, type TfBackend } from "./tfjs.ts";

const args = Object.fromEntries(
  process.argv.slice(2).map((arg) => {
    const [key, value = "true"] = arg.replace(/^--/, "").split("=");
    return [key, value];
  }),
);
const reps = Number(args.reps ?? 5);
const repsC = Number(args["reps-c"] ?? 3);
const only = new Set(String(args.only ?? "A,B,C").toUpperCase().split(","));
const WEIGHT_SEED = 1;
const BATCH_SEED = 2;
// Float32 (TF.js) against float64 (engine) over hundreds of steps: final losses agree to 1e-6
// (relative, for losses above 1); the engine's two backends give the very same numbers.
const tolerance = (impl: Impl, loss: number) =>
  impl.startsWith("engine") || impl === "train()-ts" ? 0
  : impl.startsWith("loop") ? 1e-9 * Math.max(1, Math.abs(loss))
  : 1e-6 * Math.max(1, Math.abs(loss));
const TOLERANCE = "1e-6 for TF.js, exactly equal for engine-ts; loop and train()-ts against train(): 1e-9, exactly";

// The digits are read only when B or C runs, so that a profile of A is A alone.
const digits = only.has("B") || only.has("C") ? await loadDigits({ seed: 0 }) : null;
const noDigits = { x: [], y: [] };
const spiral = datasets.spiral({ n: 1000, noise: 0.1, seed: 3 });

const tasks: Task[] = [
  {
    name: "A",
    net: { sizes: [2, 16, 16, 1], hidden: "tanh", loss: "bce" },
    optimizer: { kind: "sgd", lr: 0.1 },
    data: spiral,
    batchSize: 32,
    epochs: 50,
  },
  {
    name: "B",
    net: { sizes: [64, 128, 128, 10], hidden: "relu", loss: "softmax-ce" },
    optimizer: { kind: "sgd", lr: 0.1 },
    data: digits
      ? { x: digitsTo8x8(digits.train.x.slice(0, 2000)), y: digits.train.y.slice(0, 2000) }
      : noDigits,
    batchSize: 64,
    epochs: 5,
  },
];
const taskC: Task = {
  name: "C",
  net: { sizes: [784, 128, 10], hidden: "relu", loss: "softmax-ce" },
  optimizer: { kind: "momentum", lr: 0.05, beta: 0.9 },
  data: digits?.train ?? noDigits,
  batchSize: 32,
  epochs: 15,
};

type Reader = "train()" | "loop";
type Impl = "engine" | "engine-ts" | Reader | `${Reader}-ts` | `tfjs-${TfBackend}`;
const allImpls = "engine,engine-ts,train(),loop,train()-ts,loop-ts,tfjs-cpu,tfjs-wasm";
const impls = String(args.impl ?? allImpls).split(",") as Impl[];
// train() and the hand-written loop shuffle for themselves (the same shuffles, rng(BATCH_SEED)),
// so their final losses are compared with train()'s: exactly on the other backend, and to 1e-9
// between the two (the loop's cost is binary cross-entropy of probabilities, train()'s the
// fused one of the scores, which round differently).
const readers = new Set<Impl>(["train()", "loop", "train()-ts", "loop-ts"]);
const reference = (impl: Impl): Impl => (readers.has(impl) ? "train()" : "engine");

async function runOnce(impl: Impl, task: Task, plan: Plan): Promise<Run> {
  if (readers.has(impl)) {
    setBackend(impl.endsWith("-ts") ? "typescript" : "auto");
    const short = { ...task, epochs: plan.epochs.length }; // the warm-up's two epochs
    const net = engineNet(task, WEIGHT_SEED);
    const how = impl.startsWith("train()") ? trainWithTrain : trainByHand;
    const run = await how(short, BATCH_SEED, net);
    setBackend("auto");
    return run;
  }
  if (impl.startsWith("engine")) {
    // "engine": the default backend (WebAssembly SIMD here); "engine-ts": the TypeScript loops
    setBackend(impl === "engine" ? "auto" : "typescript");
    const run = trainEngine(task, plan, engineNet(task, WEIGHT_SEED));
    setBackend("auto");
    return run;
  }
  await useBackend(impl === "tfjs-cpu" ? "cpu" : "wasm");
  return trainTf(task, plan);
}

const pad = (s: string | number, n: number) => String(s).padStart(n);
const line = (cells: (string | number)[], widths: number[]) =>
  cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[0]) : pad(c, widths[i]))).join("  ");

// The machine may be shared: the load says how much the figures can be trusted.
const load = loadavg().map((l) => l.toFixed(1)).join(" ");
console.log(
  `Node ${process.version}, engine backend "${getBackend()}", ${await tfDescription()}, ` +
    `${cpus().length} cores (${cpus()[0]?.model.trim()}), load average ${load} (1/5/15 min). ` +
    `${reps} repetitions of A and B (median), ${repsC} of C. ` +
    `Same start weights and batches in every implementation. ` +
    `Garbage collected before each of C's timed epochs: ${collect ? "yes" : "no (run node with --expose-gc)"}.\n`,
);
const verdicts: string[] = [];
const targets: Record<string, number> = { A: 12, B: 8 };
for (const task of tasks.filter((t) => only.has(t.name))) {
  const plan: Plan = {
    weights: weightsOf(engineNet(task, WEIGHT_SEED)),
    epochs: batchesFor(task, BATCH_SEED),
  };
  const runs = new Map<Impl, Run[]>(impls.map((impl) => [impl, []]));
  // Warm-up, untimed: two epochs each, so the JIT and TF.js's kernels are ready.
  for (const impl of impls) await runOnce(impl, task, { ...plan, epochs: plan.epochs.slice(0, 2) });
  // Interleaved, so a slow moment of the machine hits every implementation alike.
  for (let r = 0; r < reps; r++) {
    for (const impl of impls) runs.get(impl)!.push(await runOnce(impl, task, plan));
  }
  const speed = (impl: Impl, key: "samplesPerSecond" | "cpuSamplesPerSecond") =>
    runs.has(impl) ? median(runs.get(impl)!.map((run) => run[key])) : Number.NaN;
  const [wall, cpu] = [
    (impl: Impl) => speed(impl, "samplesPerSecond"),
    (impl: Impl) => speed(impl, "cpuSamplesPerSecond"),
  ];
  const loss = (impl: Impl) => runs.get(impl)?.[0].finalLoss ?? Number.NaN;
  const { sizes } = task.net;
  const samples = plan.epochs.flat().reduce((n, batch) => n + batch.length, 0);
  console.log(
    `${task.name}: ${sizes.join("-")}, ${task.net.hidden}, ${task.net.loss}, ` +
      `${task.optimizer.kind} lr ${task.optimizer.lr}, batch ${task.batchSize}, ` +
      `${task.data.x.length} samples × ${task.epochs} epochs = ${samples} samples per run`,
  );
  const widths = [10, 11, 9, 11, 9, 10, 12, 8];
  // engine-ts's rows are the TypeScript loops: "× TS" in the verdicts is engine over engine-ts
  const header = ["", "samples/s", "× TF CPU", "per CPU-s", "× TF CPU"];
  console.log(line([...header, "final loss", "Δ vs ref.", "s / run"], widths));
  const ratio = (f: (impl: Impl) => number, impl: Impl) =>
    runs.has("tfjs-cpu") ? (f(impl) / f("tfjs-cpu")).toFixed(2) : "—";
  for (const impl of impls) {
    const cells = [
      impl,
      Math.round(wall(impl)),
      ratio(wall, impl),
      Math.round(cpu(impl)),
      ratio(cpu, impl),
      loss(impl).toFixed(6),
      Math.abs(loss(impl) - loss(reference(impl))).toExponential(1),
      median(runs.get(impl)!.map((run) => run.seconds)).toFixed(3),
    ];
    console.log(line(cells, widths));
  }
  // Every repetition starts from the same weights, so any of them can be compared.
  const differ = impls.filter((impl) => {
    const ref = loss(reference(impl));
    return !(Math.abs(loss(impl) - ref) <= tolerance(impl, ref));
  });
  const agree = differ.length === 0 ? "agree" : `DIFFER (${differ.join(", ")})`;
  console.log(`final losses ${agree} (tolerance ${TOLERANCE})\n`);
  // the loop a reader writes against train(), on each backend: target within 15% of its time
  for (const [loop, via] of [["loop", "train()"], ["loop-ts", "train()-ts"]] as const) {
    if (!runs.has(loop) || !runs.has(via) || task.name !== "A") continue;
    const [byWall, byCpu] = [wall(via) / wall(loop), cpu(via) / cpu(loop)];
    const within = (r: number) => `${r.toFixed(2)}× ${r <= 1.15 ? "met" : "NOT met"}`;
    verdicts.push(
      `${task.name}: ${loop} (chapter 9's loop) within 15% of ${via}'s time: ` +
        `wall clock ${within(byWall)}, CPU time ${within(byCpu)}`,
    );
  }
  if (!runs.has("engine") || !runs.has("tfjs-cpu")) continue;
  const target = targets[task.name];
  const [byWall, byCpu] = [wall("engine") / wall("tfjs-cpu"), cpu("engine") / cpu("tfjs-cpu")];
  const met = (r: number) => `${r.toFixed(2)}× ${r >= target ? "met" : "NOT met"}`;
  const overTs = runs.has("engine-ts")
    ? ` (${(wall("engine") / wall("engine-ts")).toFixed(2)}× engine-ts by wall clock, ` +
      `${(cpu("engine") / cpu("engine-ts")).toFixed(2)}× by CPU time)`
    : "";
  verdicts.push(
    `${task.name}: target ≥ ${target}× TF.js CPU: wall clock ${met(byWall)}, ` +
      `CPU time ${met(byCpu)}${overTs}; final losses ${agree}`,
  );
}

if (only.has("C") && digits) {
  // C follows the plan to 95%: train() and the loop, which shuffle for themselves, do not run it
  const implsC = impls.filter((impl) => !readers.has(impl));
  const plan: Plan = {
    weights: weightsOf(engineNet(taskC, WEIGHT_SEED)),
    epochs: batchesFor(taskC, BATCH_SEED),
    evaluate: digits.test,
    stopAt: 0.95,
    settle: true,
  };
  console.log(
    `C: digits, ${taskC.net.sizes.join("-")} relu, softmax-ce, momentum lr 0.05 β 0.9, ` +
      `batch 32, ${digits.train.x.length} train / ${digits.test.x.length} test: training ` +
      `seconds until test accuracy ≥ 95% (checked after each epoch, at most ${taskC.epochs})`,
  );
  const widths = [10, 12, 10, 8, 14, 12];
  console.log(line(["", "s to 95%", "CPU s", "epochs", "test accuracy", "samples/s"], widths));
  // Warm-up, untimed: one epoch each; then interleaved, as for A and B.
  for (const impl of implsC) {
    await runOnce(impl, taskC, { ...plan, epochs: plan.epochs.slice(0, 1), evaluate: undefined });
  }
  const runs = new Map<Impl, Run[]>(implsC.map((impl) => [impl, []]));
  for (let r = 0; r < repsC; r++) {
    for (const impl of implsC) runs.get(impl)!.push(await runOnce(impl, taskC, plan));
  }
  const timeTo95 = new Map<Impl, { seconds: number; cpuSeconds: number }>();
  for (const impl of implsC) {
    const all = runs.get(impl)!;
    const reached = all.every((run) => run.accuracies.at(-1)! >= 0.95);
    const seconds = median(all.map((run) => run.seconds));
    const cpuSeconds = median(all.map((run) => run.cpuSeconds));
    if (reached) timeTo95.set(impl, { seconds, cpuSeconds });
    const cells = [
      impl,
      reached ? seconds.toFixed(2) : "not reached",
      reached ? cpuSeconds.toFixed(2) : "",
      all[0].accuracies.length,
      all[0].accuracies.at(-1)!.toFixed(4),
      Math.round(median(all.map((run) => run.samplesPerSecond))),
    ];
    console.log(line(cells, widths));
  }
  console.log("");
  const [fast, ts] = [timeTo95.get("engine"), timeTo95.get("engine-ts")];
  if (!fast) verdicts.push("C: engine did NOT reach 95%");
  else if (ts) {
    // the TypeScript loops are the engine as it was before its WebAssembly backend
    const met = (a: number, b: number) =>
      `${(b / a).toFixed(2)}× faster ${a < b / 3 ? "met" : "NOT met"}`;
    verdicts.push(
      `C: target under a third of engine-ts's time to 95%: ${fast.seconds.toFixed(2)} s ` +
        `against ${ts.seconds.toFixed(2)} s by wall clock, ${met(fast.seconds, ts.seconds)}; ` +
        `${fast.cpuSeconds.toFixed(2)} s against ${ts.cpuSeconds.toFixed(2)} s of CPU time, ` +
        `${met(fast.cpuSeconds, ts.cpuSeconds)}`,
    );
  }
}
console.log(verdicts.join("\n"));
const endLoad = loadavg().map((l) => l.toFixed(1)).join(" ");
console.log(`load average at the end: ${endLoad}`);
