import { afterEach, describe, expect, test } from "vitest";
import {
  MLP,
  Tensor,
  datasets,
  getBackend,
  loadDigits,
  rng,
  setBackend,
  train,
  type Backend,
  type TrainData,
  type TrainOptions,
} from "../../engine/index.ts";
import { firstDifference, onBoth, operand } from "../support/backends.ts";

// The WebAssembly kernels (engine/fast/) do the TypeScript loops' arithmetic in the same order,
// so the tolerance between the two backends is zero: every number is the same, bit for bit.

afterEach(() => {
  setBackend("auto");
});

describe("the WebAssembly backend", () => {
  test('getBackend() is "wasm" where WebAssembly SIMD runs (Node 24 here)', () => {
    expect(getBackend()).toBe("wasm");
    expect(setBackend("typescript")).toBe("typescript");
    expect(getBackend()).toBe("typescript");
    expect(setBackend("auto")).toBe("wasm");
  });

  test("setBackend names the backends it knows", () => {
    expect(() => setBackend("gpu" as "wasm")).toThrow(
      'setBackend: unknown backend "gpu" (expected "wasm", "typescript" or "auto").',
    );
  });
});

describe("every op gives identical numbers on both backends", () => {
  // Random sizes (the kernels have paths for 8 columns at a time, 4 inputs at a time, and what
  // is left over), inputs with many zeros (skipped), and some NaN, ±∞ and −0.
  const r = rng(11);
  const fill = (length: number, zeros: number, special: boolean) =>
    operand(r, length, zeros, special);
  const activations = ["identity", "tanh", "sigmoid", "relu", "leakyRelu", "step"] as const;
  for (let t = 0; t < 60; t++) {
    const [n, k, m] = [1 + r.int(70), 1 + r.int(90), 1 + r.int(70)];
    const zeros = [0, 0.5, 0.9, 1][t % 4];
    const special = t % 5 === 4;
    const data = {
      x: fill(n * k, zeros, special),
      W: fill(k * m, 0, special),
      b: fill(m, 0, false),
      g: fill(n * m, zeros / 2, special),
    };
    const activation = activations[t % activations.length];
    test(`matmul and linear ${activation}, [${n}, ${k}]·[${k}, ${m}], forward, backward`, () => {
      const results = onBoth(() => {
        const [x, W, b, g] = [
          new Tensor(n, k, data.x.slice()),
          new Tensor(k, m, data.W.slice()),
          new Tensor(1, m, data.b.slice()),
          new Tensor(n, m, data.g.slice()),
        ];
        g.requiresGrad = false;
        const product = x.matmul(W);
        product.mul(g).sum().backward();
        const layer = x.linear(W, b, activation);
        layer.mul(g).sum().backward();
        return [product.data, layer.data, x.grad!, W.grad!, b.grad!];
      });
      results.wasm.forEach((array, i) => {
        expect(firstDifference(array, results.typescript[i]), `result ${i}`).toBe("");
      });
    });
  }
});

describe("whole training runs give identical weights on both backends", () => {
  const weights = (net: MLP) => net.parameters().flatMap((p) => Array.from(p.data));
  const runs: [string, () => Promise<[MLP, TrainData, TrainOptions]>][] = [
    [
      "2-16-16-1 tanh, sigmoid output, bce, SGD, on a spiral",
      async () => [
        new MLP([2, 16, 16, 1], { activation: "tanh", output: "sigmoid", seed: 1 }),
        datasets.spiral({ n: 400, seed: 1 }),
        { loss: "bce", lr: 0.1, epochs: 20, seed: 2 },
      ],
    ],
    [
      "64-128-128-10 ReLU, softmax cross-entropy, Adam, on 8×8 digits",
      async () => {
        const { train: digits } = await loadDigits({ seed: 0 });
        const x = digits.x.slice(0, 640).map((pixels) =>
          Array.from({ length: 64 }, (_, i) => pixels[(4 + 3 * (i >> 3)) * 28 + 4 + 3 * (i & 7)]),
        );
        return [
          new MLP([64, 128, 128, 10], { activation: "relu", seed: 3 }),
          { x, y: digits.y.slice(0, 640) },
          { loss: "softmax-ce", optimizer: "adam", lr: 0.002, epochs: 3, batchSize: 64 },
        ];
      },
    ],
    [
      "784-128-10 ReLU, softmax cross-entropy, momentum, on the digits",
      async () => {
        const { train: digits } = await loadDigits({ seed: 0 });
        return [
          new MLP([784, 128, 10], { activation: "relu", seed: 1 }),
          { x: digits.x.slice(0, 1000), y: digits.y.slice(0, 1000) },
          { loss: "softmax-ce", optimizer: "momentum", lr: 0.05, epochs: 2, seed: 2 },
        ];
      },
    ],
  ];
  for (const [name, setup] of runs) {
    test(name, async () => {
      const trained: Record<string, { weights: number[]; losses: number[] }> = {};
      for (const backend of ["typescript", "wasm"] as const) {
        setBackend(backend);
        const [net, data, options] = await setup();
        const { history } = await train(net, data, options);
        trained[backend] = { weights: weights(net), losses: history.map((h) => h.loss) };
      }
      expect(firstDifference(trained.wasm.losses, trained.typescript.losses)).toBe("");
      expect(firstDifference(trained.wasm.weights, trained.typescript.weights)).toBe("");
      // the runs learned something, so that identical weights mean something
      expect(trained.wasm.losses.at(-1)!).toBeLessThan(trained.wasm.losses[0]);
    }, 60_000);
  }
});
