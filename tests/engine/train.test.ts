import { describe, expect, test } from "vitest";
import { MLP, accuracy, datasets, rng, train, type Progress } from "../../engine/index.ts";

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

  test("a loss that becomes infinite is reported at once", async () => {
    // a linear fit with mse and a huge step overshoots further every step
    const x = Array.from({ length: 64 }, (_, i) => [i / 8]);
    const y = x.map(([v]) => [3 * v]);
    const net = new MLP([1, 1], { output: "identity", seed: 1 });
    const result = await train(net, { x, y }, { loss: "mse", lr: 1e3, epochs: 1000 });
    expect(result.diverged).toBe(true);
    expect(result.message).toContain("The learning rate (lr = 1000) is likely too large");
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
    const x = Array.from({ length: 6000 }, () => Array.from({ length: 64 }, r.normal));
    const y = x.map((row) => (row[0] > 0 ? 1 : 0) + (row[1] > 0 ? 2 : 0));
    const net = new MLP([64, 128, 128, 4], { activation: "relu", seed: 3 });
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const times: number[] = [performance.now()];
    const reports: Progress[] = [];
    await train(net, { x, y }, {
      loss: "softmax-ce",
      batchSize: 64,
      epochs: 2,
      onProgress(p) {
        reports.push(p);
        times.push(performance.now());
      },
    });
    clearInterval(timer);
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    // reports come within epochs too: 250 ms apart, plus the batch that is running, plus
    // slack for a machine shared with others (an epoch here lasts 94 batches, far longer)
    const batchMs = (times.at(-1)! - times[0]) / (2 * 94);
    expect(reports.filter((p) => p.batch < p.batches).length).toBeGreaterThan(0);
    expect(Math.max(...gaps)).toBeLessThan(250 + 3 * batchMs + 250);
    expect(reports.at(-1)).toMatchObject({ epoch: 2, epochs: 2, batch: 94, batches: 94 });
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
