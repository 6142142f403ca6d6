import { describe, expect, test, vi } from "vitest";
import {
  Adam,
  MLP,
  Momentum,
  accuracy,
  datasets,
  rng,
  train,
  type Progress,
} from "../../engine/index.ts";

const spiralNet = (seed = 1) =>
  new MLP([2, 16, 16, 1], { activation: "tanh", output: "sigmoid", seed });

describe("train", () => {
  test("an MLP solves XOR", async () => {
    const data = datasets.xor();
    const net = new MLP([2, 4, 1], { activation: "tanh", output: "sigmoid", seed: 1 });
    const { history, diverged } = await train(net, data, {
      loss: "bce",
      lr: 0.5,
      epochs: 500,
      batchSize: 4,
    });
    expect(diverged).toBe(false);
    expect(history.at(-1)!.accuracy).toBe(1);
    expect(accuracy(net.predict(data.x), data.y)).toBe(1);
  });

  test("the 2-16-16-1 net reaches at least 97% on a 1,000-point spiral", async () => {
    const data = datasets.spiral({ n: 1000, seed: 1 });
    const net = spiralNet();
    const result = await train(net, data, { loss: "bce", lr: 0.1, batchSize: 32, epochs: 300 });
    expect(result.diverged).toBe(false);
    expect(result.history).toHaveLength(300);
    expect(accuracy(net.forward(data.x), data.y)).toBeGreaterThanOrEqual(0.97);
  });

  test("lr = 10 on the spiral is reported as divergence, naming the learning rate", async () => {
    const data = datasets.spiral({ n: 1000, seed: 1 });
    const result = await train(spiralNet(), data, { loss: "bce", lr: 10, epochs: 50 });
    expect(result.diverged).toBe(true);
    expect(result.history.length).toBeLessThan(50);
    expect(result.message).toMatch(
      new RegExp(
        String.raw`^Training diverged at epoch \d+, batch \d+: the loss ` +
          String.raw`(became NaN|became Infinity|grew to .+)\. ` +
          String.raw`The learning rate \(lr = 10\) is likely too large: try lr = 1\.$`,
      ),
    );
  });

  // a linear fit with mse: a step this large overshoots further every step
  const line = () => {
    const x = Array.from({ length: 64 }, (_, i) => [i / 8]);
    return { x, y: x.map(([v]) => [3 * v]) };
  };

  test("a loss that becomes infinite is reported at once, at its batch", async () => {
    const net = new MLP([1, 1], { output: "identity", seed: 1 });
    // one example per batch: the loss overflows within the first epoch
    const options = { loss: "mse", lr: 1e3, epochs: 1000, batchSize: 1 } as const;
    const result = await train(net, line(), options);
    expect(result.diverged).toBe(true);
    expect(result.history).toEqual([]);
    const [, batch] = result.message.match(/^Training diverged at epoch 1, batch (\d+): /)!;
    expect(Number(batch)).toBeLessThan(64);
    expect(result.message).toMatch(/the loss became (Infinity|NaN)\. /);
    expect(result.message).toContain("The learning rate (lr = 1000) is likely too large");
  });

  test("the learning rate it suggests prints as 0.07, not 0.06999999999999999", async () => {
    const net = new MLP([1, 1], { output: "identity", seed: 1 });
    const result = await train(net, line(), { loss: "mse", lr: 0.7, epochs: 5 });
    expect(result.diverged).toBe(true);
    expect(result.message).toMatch(/The learning rate \(lr = 0\.7\) is likely too large: /);
    expect(result.message).toMatch(/: try lr = 0\.07\.$/);
  });

  test("a loss that outgrows ten blind guesses is divergence, and the message says so", async () => {
    // chapter 7's moons at lr = 20: the first batch's loss is below ln 2, a blind guess's
    const data = datasets.moons({ n: 200, noise: 0.15, seed: 2 });
    const net = new MLP([2, 16, 16, 1], { activation: "tanh", output: "sigmoid", seed: 1 });
    const options = { loss: "bce", lr: 20, epochs: 60, batchSize: 20, seed: 3 } as const;
    const result = await train(net, data, options);
    expect(result.message).toBe(
      "Training diverged at epoch 1, batch 10: the loss grew to 27.7, more than 10× a blind " +
        "guess's 0.693. The learning rate (lr = 20) is likely too large: try lr = 2.",
    );
  });

  test("training an already trained network again is not divergence", async () => {
    const data = datasets.moons({ n: 200, noise: 0.2, seed: 2 });
    const net = new MLP([2, 16, 16, 1], { activation: "tanh", output: "sigmoid", seed: 1 });
    await train(net, data, { lr: 0.1, epochs: 100, batchSize: 8 });
    const trained = net.parameters().map((p) => Float64Array.from(p.data));
    // one example per batch: the first batch's loss can be far below the epoch's mean
    for (let seed = 0; seed < 10; seed++) {
      net.parameters().forEach((p, i) => p.data.set(trained[i]));
      const again = await train(net, data, { lr: 0.1, epochs: 1, batchSize: 1, seed });
      expect(again.message).toBe("");
      expect(again.diverged).toBe(false);
    }
  });

  test("without an lr, train() uses the optimizer's own default (Adam 0.001)", async () => {
    const data = datasets.circles({ n: 100, seed: 4 });
    const trained = async (lr?: number) => {
      const net = new MLP([2, 6, 1], { output: "sigmoid", seed: 4 });
      await train(net, data, { epochs: 3, optimizer: "adam", lr });
      return net.layers[0].W.toArray();
    };
    const adam = new Adam(new MLP([2, 1]).parameters());
    expect(adam.lr).toBe(0.001);
    expect(await trained()).toEqual(await trained(adam.lr));
    expect(await trained()).not.toEqual(await trained(0.1));
    expect(new Momentum([]).lr).toBe(0.01);
  });

  test("stopping between batches keeps what was learned", async () => {
    const data = datasets.moons({ n: 400, seed: 2 });
    const net = new MLP([2, 8, 1], { activation: "tanh", output: "sigmoid", seed: 2 });
    const before = net.layers[0].W.toArray();
    const signal = { stopped: false };
    const reports: Progress[] = [];
    const result = await train(net, data, {
      epochs: 100,
      lr: 0.5,
      signal,
      onProgress(p) {
        reports.push(p);
        if (p.epoch === 3) signal.stopped = true;
      },
    });
    expect(result.stopped).toBe(true);
    expect(result.history.map((h) => h.epoch)).toEqual([1, 2, 3]);
    expect(net.layers[0].W.toArray()).not.toEqual(before);
    expect(accuracy(net.predict(data.x), data.y)).toBeGreaterThan(0.75);
  });

  test("an AbortSignal stops training too", async () => {
    const controller = new AbortController();
    controller.abort();
    const result = await train(spiralNet(), datasets.xor(), { signal: controller.signal });
    expect(result.stopped).toBe(true);
    expect(result.history).toEqual([]);
  });

  test("long epochs report progress at least every 250 ms and let the event loop run", async () => {
    const r = rng(3);
    const x = Array.from({ length: 6000 }, () => Array.from({ length: 8 }, r.normal));
    const y = x.map((row) => (row[0] > 0 ? 1 : 0) + (row[1] > 0 ? 2 : 0));
    const net = new MLP([8, 16, 4], { activation: "relu", seed: 3 });
    // train()'s clock advances 3 ms each time it is read (about once per batch): the test sees
    // the same schedule on any machine, however fast or busy
    let clock = 0;
    const now = vi.spyOn(performance, "now").mockImplementation(() => (clock += 3));
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 0);
    const times: number[] = [clock];
    const reports: Progress[] = [];
    try {
      await train(net, { x, y }, {
        loss: "softmax-ce",
        batchSize: 64,
        epochs: 2,
        onProgress(p) {
          reports.push(p);
          times.push(clock);
        },
      });
    } finally {
      now.mockRestore();
      clearInterval(ticker);
    }
    // an epoch lasts 94 batches, some 300 ms of this clock: reports come within epochs too,
    // at most 250 ms apart plus the batch that was running
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    expect(reports.filter((p) => p.batch < p.batches).length).toBeGreaterThanOrEqual(2);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(250 + 2 * 3);
    expect(reports.at(-1)).toMatchObject({ epoch: 2, epochs: 2, batch: 94, batches: 94 });
    // it yielded to the event loop (every 50 ms of its clock), so the ticker ran meanwhile
    expect(ticks).toBeGreaterThan(0);
  });

  test("the same seed trains to the same weights", async () => {
    const data = datasets.circles({ n: 200, seed: 4 });
    const run = async () => {
      const net = new MLP([2, 6, 1], { output: "sigmoid", seed: 4 });
      await train(net, data, { epochs: 5, seed: 9, optimizer: "adam", lr: 0.01 });
      return net.layers[1].W.toArray();
    };
    expect(await run()).toEqual(await run());
  });
});

describe("train refuses bad input", () => {
  const net = () => new MLP([2, 3, 1], { output: "sigmoid", seed: 1 });

  test("an unknown loss lists the known ones", async () => {
    await expect(train(net(), datasets.xor(), { loss: "hinge" as "mse" })).rejects.toThrow(
      'train: unknown loss "hinge" (expected one of "mse", "bce", "softmax-ce").',
    );
  });

  test("an unknown optimizer lists the known ones", async () => {
    await expect(train(net(), datasets.xor(), { optimizer: "rmsprop" as "sgd" })).rejects.toThrow(
      'train: unknown optimizer "rmsprop" (expected one of "sgd", "momentum", "adam").',
    );
  });

  test("a learning rate that is not a positive number", async () => {
    await expect(train(net(), datasets.xor(), { lr: -0.1 })).rejects.toThrow(
      "train: the learning rate must be a positive number, received number -0.1. Try { lr: 0.1 }.",
    );
  });

  test("labels that do not fit the output", async () => {
    const data = { x: [[0, 0], [1, 1]], y: [0, 2] };
    await expect(train(net(), data, { loss: "bce" })).rejects.toThrow(
      'train (loss "bce"): target 2 (element 1) is outside 0…1 (expected labels 0 or 1).',
    );
    const three = new MLP([2, 3, 3], { seed: 1 });
    await expect(train(three, { x: data.x, y: [0, 3] })).rejects.toThrow(
      'train (loss "softmax-ce"): label number 3 (row 1) does not fit an output of 3 columns ' +
        "(expected whole numbers 0–2, one output unit per class).",
    );
  });

  test("inputs that do not fit the first layer", async () => {
    await expect(train(net(), { x: [[0, 0, 1]], y: [1] })).rejects.toThrow(
      "train: input 0 has 3 numbers, but layer 1 of the net expects 2 (shape [1, 2]).",
    );
  });

  test("bce on a net without a sigmoid output", async () => {
    await expect(
      train(new MLP([2, 3, 1], { seed: 1 }), datasets.xor(), { loss: "bce" }),
    ).rejects.toThrow(
      'train: loss "bce" expects one sigmoid output (a probability), received 1 identity ' +
        'output. Build the net with { output: "sigmoid" } and 1 output, or use loss ' +
        '"softmax-ce" for several classes.',
    );
  });

  test("as many labels as inputs", async () => {
    await expect(train(net(), { x: [[0, 0]], y: [1, 0] })).rejects.toThrow(
      "train: expected data { x, y } with one label per input, received an array of length 1 " +
        "of inputs and an array of length 2 of labels.",
    );
  });
});

describe("train({ pace })", () => {
  // XOR in batches of 2: two batches per epoch
  const setup = () => ({
    net: new MLP([2, 4, 1], { activation: "tanh", output: "sigmoid", seed: 1 }),
    data: datasets.xor(),
  });
  // Progress reports, and a promise of the next one (as a notebook's chart would wait for it).
  const watch = () => {
    const reports: Progress[] = [];
    let waiting: (() => void) | null = null;
    return {
      reports,
      onProgress(p: Progress) {
        reports.push(p);
        waiting?.();
      },
      next: () => new Promise<void>((resolve) => (waiting = resolve)),
    };
  };

  test("pace(at) is awaited before every batch, and progress is reported after each", async () => {
    const { net, data } = setup();
    const calls: unknown[] = [];
    const { reports, onProgress } = watch();
    const pace = (at: unknown) => void calls.push(at);
    await train(net, data, { epochs: 2, batchSize: 2, pace, onProgress });
    expect(calls).toEqual([
      { epoch: 1, batch: 1, batches: 2 },
      { epoch: 1, batch: 2, batches: 2 },
      { epoch: 2, batch: 1, batches: 2 },
      { epoch: 2, batch: 2, batches: 2 },
    ]);
    expect(reports.map((p) => [p.epoch, p.batch])).toEqual([[1, 1], [1, 2], [2, 1], [2, 2]]);
  });

  test("a pace that returns nothing lets the batch run at once: no timer, no wait", async () => {
    const { net, data } = setup();
    const interval = vi.spyOn(globalThis, "setInterval");
    const signal = { stopped: false };
    let calls = 0;
    const run = train(net, data, { epochs: 3, batchSize: 2, signal, pace: () => void calls++ });
    // with nothing to wait for, every batch ran before train() first gave the event loop a turn
    expect(calls).toBe(6);
    await run;
    expect(interval).not.toHaveBeenCalled();
    interval.mockRestore();
  });

  test("a pace that returns a promise pauses training until it resolves", async () => {
    const { net, data } = setup();
    const { reports, onProgress, next } = watch();
    let play = () => {};
    const paused = new Promise<void>((resolve) => (play = resolve));
    const first = next();
    const running = train(net, data, {
      epochs: 1,
      batchSize: 2,
      pace: ({ batch }) => (batch === 2 ? paused : undefined),
      onProgress,
    });
    await first;
    // waits before batch 2, however long: other work (timers) runs meanwhile
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(reports.map((p) => p.batch)).toEqual([1]);
    play();
    const result = await running;
    expect(reports.map((p) => p.batch)).toEqual([1, 2]);
    expect(result.history).toHaveLength(1);
  });

  test("stepping: each resolved pace lets exactly one batch run", async () => {
    const { net, data } = setup();
    const { reports, onProgress, next } = watch();
    let step = () => {};
    const pace = () => new Promise<void>((resolve) => (step = resolve));
    const before = net.layers[0].W.toArray();
    const running = train(net, data, { epochs: 2, batchSize: 2, pace, onProgress });
    expect(reports).toEqual([]);
    for (let n = 1; n <= 3; n++) {
      const report = next();
      step();
      await report;
      expect(reports).toHaveLength(n);
    }
    expect(reports.map((p) => [p.epoch, p.batch])).toEqual([[1, 1], [1, 2], [2, 1]]);
    expect(net.layers[0].W.toArray()).not.toEqual(before);
    step();
    expect((await running).history).toHaveLength(2);
  });

  test("a paused training ends when the signal stops it (AbortSignal or { stopped })", async () => {
    for (const kind of ["AbortSignal", "stopped"] as const) {
      const { net, data } = setup();
      const controller = new AbortController();
      const flag = { stopped: false };
      const { reports, onProgress, next } = watch();
      const first = next();
      // the first batch runs, then training pauses for good
      const pace = ({ batch }: { batch: number }) =>
        batch === 1 ? undefined : new Promise<void>(() => {});
      const signal = kind === "AbortSignal" ? controller.signal : flag;
      const running = train(net, data, { epochs: 5, batchSize: 2, pace, onProgress, signal });
      await first;
      if (kind === "AbortSignal") controller.abort();
      else flag.stopped = true;
      const result = await running;
      expect(result.stopped).toBe(true);
      expect(result.history).toEqual([]);
      expect(reports).toHaveLength(1);
    }
  });
});

describe("train with the optimizer's own options", () => {
  const data = () => datasets.xor();
  const fresh = () => new MLP([2, 4, 1], { activation: "tanh", output: "sigmoid", seed: 3 });
  const losses = async (options: Parameters<typeof train>[2]) =>
    (await train(fresh(), data(), { epochs: 5, batchSize: 4, ...options })).history.map((h) => h.loss);

  test("train({ optimizer: 'momentum', beta: 0 }) takes the very steps of plain SGD", async () => {
    expect(await losses({ optimizer: "momentum", beta: 0, lr: 0.3 })).toEqual(await losses({ optimizer: "sgd", lr: 0.3 }));
    expect(await losses({ optimizer: "momentum", beta: 0.5, lr: 0.3 })).not.toEqual(await losses({ optimizer: "sgd", lr: 0.3 }));
  });

  test("train({ optimizer: 'adam', beta1, beta2, eps }) passes them to Adam", async () => {
    const defaults = await losses({ optimizer: "adam", lr: 0.05 });
    expect(await losses({ optimizer: "adam", lr: 0.05, beta1: 0.9, beta2: 0.999, eps: 1e-8 })).toEqual(defaults);
    expect(await losses({ optimizer: "adam", lr: 0.05, beta1: 0.5 })).not.toEqual(defaults);
  });

  test("train() refuses an option of another optimizer, naming the one it belongs to", async () => {
    await expect(train(fresh(), data(), { optimizer: "sgd", beta: 0.9 })).rejects.toThrow(
      'train: beta is an option of optimizer "momentum", not of "sgd": use optimizer: "momentum", or leave beta out.',
    );
    await expect(train(fresh(), data(), { optimizer: "momentum", beta2: 0.99 })).rejects.toThrow(
      'train: beta2 is an option of optimizer "adam", not of "momentum": use optimizer: "adam", or leave beta2 out.',
    );
  });
});
