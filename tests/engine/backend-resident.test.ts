import { afterEach, describe, expect, test, vi } from "vitest";
import {
  Adam,
  MLP,
  Momentum,
  SGD,
  Tensor,
  rng,
  setBackend,
  train,
  type Backend,
  type Optimizer,
} from "../../engine/index.ts";
import { firstDifference, onBoth, operand } from "../support/backends.ts";

// On the WebAssembly backend a large parameter (Tensor.parameter of 4,096 numbers or more, as every
// Dense layer's weights from that size) lives in WebAssembly memory of its own, with its gradient
// and the optimizers' state beside it, so that products and updates use it in place. These tests
// hold that path to the TypeScript loops' numbers, bit for bit, and to the ordinary behaviour of
// `data` and `grad` (arrays that stay valid whatever else grows).

/** Whether t's gradient lives beside its numbers, in WebAssembly memory of their own. */
const resident = (t: Tensor) => t.grad !== null && t.grad.buffer === t.data.buffer;

function expectSame(results: Record<Backend, ArrayLike<number>[]>): void {
  results.wasm.forEach((array, i) => {
    expect(firstDifference(array, results.typescript[i]), `result ${i}`).toBe("");
  });
}

afterEach(() => {
  vi.restoreAllMocks();
  setBackend("auto");
});

const r = rng(5);
const fill = (length: number, zeros: number, special: boolean) =>
  operand(r, length, zeros, special);

describe("a large parameter in WebAssembly memory gives the TypeScript loops' numbers", () => {
  // [n, k, m]: W is [k, m] with k·m ≥ 4096; n ≤ 128 runs in W's memory (128 rows fill all the
  // room it keeps for a batch; with [128, 287, 16] the memory has almost nothing to spare past
  // that room, so a room counted too small fails here), n > 128 through copies.
  const shapes = [
    [32, 784, 128], [5, 97, 43], [1, 64, 65], [131, 70, 61], [64, 4097, 1], [128, 301, 48], [128, 287, 16],
  ];
  shapes.forEach(([n, k, m], t) => {
    const special = t % 2 === 1;
    const data = {
      x: fill(n * k, [0.5, 0.9, 0, 1, 0.3, 0.7, 0.5][t], special),
      W: fill(k * m, 0, special),
      b: fill(m, 0, false),
      g: fill(n * m, 0.2, special),
    };
    test(`[${n}, ${k}]·[${k}, ${m}]: products, gradients and three steps of each optimizer`, () => {
      const results = onBoth((backend) => {
        const out: Float64Array[] = [];
        for (const Optimizer of [SGD, Momentum, Adam]) {
          const x = new Tensor(n, k, data.x.slice());
          const [W, b] = [Tensor.parameter(k, m), Tensor.parameter(1, m)];
          W.data.set(data.W);
          b.data.set(data.b);
          const g = new Tensor(n, m, data.g.slice());
          g.requiresGrad = false;
          const opt = new Optimizer([x, W, b], { lr: 0.01 });
          for (let step = 0; step < 3; step++) {
            opt.zeroGrad();
            const [product, layer] = [x.matmul(W), x.linear(W, b, "relu")];
            product.mul(g).sum().backward();
            layer.mul(g).sum().backward();
            opt.step();
            out.push(product.data, layer.data, x.grad!.slice(), W.grad!.slice(), W.data.slice());
          }
          // the fast path is the one under test: W and its gradient share a memory of their own
          expect(resident(W), `${Optimizer.name}, W resident`).toBe(backend === "wasm");
        }
        return out;
      });
      expectSame(results);
    });
  });
});

describe("the arrays of a parameter in WebAssembly memory", () => {
  test("stay valid while other memory grows, and the model still trains identically", () => {
    const [small, large] = [fill(32 * 784, 0.5, false), fill(3000 * 784, 0.5, false)];
    const results = onBoth((backend) => {
      const net = new MLP([784, 128, 10], { activation: "relu", seed: 4 });
      const W = net.layers[0].W;
      const held = W.data; // as a book cell might keep it
      const x = new Tensor(32, 784, small);
      const opt = new Momentum(net.parameters(), { lr: 0.05 });
      const step = () => {
        opt.zeroGrad();
        net.logits(x).mul(net.logits(x)).mean().backward();
        opt.step();
      };
      step();
      const heldGrad = W.grad!;
      // a product far larger than anything before grows the shared WebAssembly memory
      net.forward(new Tensor(3000, 784, large));
      for (let i = 0; i < 3; i++) step();
      expect(W.data).toBe(held);
      expect(W.grad).toBe(heldGrad);
      expect(held.length).toBe(784 * 128);
      expect(resident(W)).toBe(backend === "wasm");
      return [held.slice(), heldGrad.slice(), net.forward(x).data];
    });
    expectSame(results);
  });

  test("more optimizers on one parameter than there is room beside it: each its own state", () => {
    const [weights, inputs] = [fill(64 * 128, 0, false), fill(16 * 64, 0.3, false)];
    const results = onBoth(() => {
      const W = Tensor.parameter(64, 128);
      W.data.set(weights);
      const x = new Tensor(16, 64, inputs);
      // seven optimizers alive at once, each stepping with its own velocity or means
      const opts: Optimizer[] = [0.9, 0.5, 0.1].map((beta) => new Momentum([W], { beta }));
      opts.push(new Adam([W]), new Adam([W], { lr: 0.01 }), new SGD([W]), new Momentum([W]));
      const out: Float64Array[] = [];
      for (let round = 0; round < 2; round++) {
        for (const opt of opts) {
          opt.zeroGrad();
          x.matmul(W).tanh().sum().backward();
          opt.step();
          out.push(W.data.slice());
        }
      }
      return out;
    });
    expectSame(results);
  });

  test("zeroGrad, grad and data read as usual; train() gives identical runs", async () => {
    const trained: Record<string, number[]> = {};
    const data = {
      x: Array.from({ length: 200 }, () => Array.from(fill(64, 0.4, false))),
      y: Array.from({ length: 200 }, () => r.int(10)),
    };
    for (const backend of ["typescript", "wasm"] as const) {
      setBackend(backend);
      const net = new MLP([64, 96, 10], { activation: "tanh", seed: 2 });
      const { history } = await train(net, data, { optimizer: "adam", lr: 0.01, epochs: 2 });
      const W = net.layers[0].W;
      expect(resident(W)).toBe(backend === "wasm");
      expect(W.grad!.some((v) => v !== 0)).toBe(true);
      net.zeroGrad();
      expect(W.grad!.every((v) => v === 0)).toBe(true);
      const weights = net.parameters().flatMap((p) => [...p.data]);
      trained[backend] = [...history.map((h) => h.loss), ...weights];
    }
    expect(firstDifference(trained.wasm, trained.typescript)).toBe("");
  });

  test("where no WebAssembly memory can be had, a parameter is an ordinary array", () => {
    setBackend("wasm");
    vi.spyOn(WebAssembly, "Instance").mockImplementation(() => {
      throw new RangeError("WebAssembly.Memory(): could not allocate memory");
    });
    const W = Tensor.parameter(100, 100);
    W.data.set(fill(100 * 100, 0, false));
    const opt = new Momentum([W], { lr: 0.1 });
    new Tensor(8, 100, fill(800, 0, false)).matmul(W).sum().backward();
    opt.step();
    expect(resident(W)).toBe(false);
    expect(W.data.buffer.byteLength).toBe(100 * 100 * 8);
  });
});
