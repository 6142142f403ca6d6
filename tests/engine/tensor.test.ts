import { describe, expect, test } from "vitest";
import { Tensor, gradcheck, rng, setBackend, type Rng } from "../../engine/index.ts";

const seeds = [1, 2, 3];

function random(rows: number, cols: number, r: Rng): Tensor {
  const t = Tensor.zeros(rows, cols);
  for (let i = 0; i < t.data.length; i++) t.data[i] = r.uniform(-2, 2);
  return t;
}

// Each op feeds a weighted sum, so that every output element gets a different upstream gradient.
function weighted(t: Tensor, r: Rng): Tensor {
  return t.mul(random(t.rows, t.cols, r)).sum();
}

describe("Tensor ops match central differences", () => {
  for (const seed of seeds) {
    const r = rng(seed);
    const w = rng(seed + 100);
    const cases: [string, Tensor[], (...t: Tensor[]) => Tensor][] = [
      ["matmul", [random(4, 3, r), random(3, 5, r)], (a, b) => weighted(a.matmul(b), rng(seed))],
      ["linear", [random(4, 3, r), random(3, 5, r), random(1, 5, r)], (x, W, b) =>
        weighted(x.linear(W, b), rng(seed))],
      ["linear with tanh", [random(4, 3, r), random(3, 5, r), random(1, 5, r)], (x, W, b) =>
        weighted(x.linear(W, b, "tanh"), rng(seed))],
      ["linear with sigmoid", [random(4, 3, r), random(3, 2, r), random(1, 2, r)], (x, W, b) =>
        weighted(x.linear(W, b, "sigmoid"), rng(seed))],
      ["linear with relu", [random(4, 3, r), random(3, 5, r), random(1, 5, r)], (x, W, b) =>
        weighted(x.linear(W, b, "relu"), rng(seed))],
      ["linear with leakyRelu", [random(4, 3, r), random(3, 5, r), random(1, 5, r)], (x, W, b) =>
        weighted(x.linear(W, b, "leakyRelu"), rng(seed))],
      ["add", [random(4, 3, r), random(4, 3, r)], (a, b) => weighted(a.add(b), rng(seed))],
      ["add a row", [random(4, 3, r), random(1, 3, r)], (a, b) => weighted(a.add(b), rng(seed))],
      ["add a number", [random(4, 3, r)], (a) => weighted(a.add(2.5), rng(seed))],
      ["sub", [random(4, 3, r), random(4, 3, r)], (a, b) => weighted(a.sub(b), rng(seed))],
      ["sub a row", [random(4, 3, r), random(1, 3, r)], (a, b) => weighted(a.sub(b), rng(seed))],
      ["mul", [random(4, 3, r), random(4, 3, r)], (a, b) => weighted(a.mul(b), rng(seed))],
      ["mul a row", [random(4, 3, r), random(1, 3, r)], (a, b) => weighted(a.mul(b), rng(seed))],
      ["neg", [random(4, 3, r)], (a) => weighted(a.neg(), rng(seed))],
      ["sum", [random(4, 3, r)], (a) => a.sum().mul(3)],
      ["mean", [random(4, 3, r)], (a) => a.mean().mul(3)],
      ["tanh", [random(4, 3, r)], (a) => weighted(a.tanh(), rng(seed))],
      ["sigmoid", [random(4, 3, r)], (a) => weighted(a.sigmoid(), rng(seed))],
      ["relu", [random(4, 3, r)], (a) => weighted(a.relu(), rng(seed))],
      ["leakyRelu", [random(4, 3, r)], (a) => weighted(a.activate("leakyRelu"), rng(seed))],
      ["softmax", [random(4, 3, r)], (a) => weighted(a.softmax(), rng(seed))],
      ["a whole layer", [random(5, 2, w), random(2, 4, w), random(1, 4, w)], (x, W, b) =>
        weighted(x.matmul(W).add(b).tanh(), rng(seed))],
    ];
    for (const [name, inputs, f] of cases) {
      test(`${name} (seed ${seed})`, () => {
        const result = gradcheck(f, inputs);
        expect(result.checked).toBe(inputs.reduce((n, t) => n + t.data.length, 0));
        expect(result.maxRelError).toBeLessThan(1e-6);
      });
    }
  }
});

describe("Tensor", () => {
  test("Tensor.from(rows) keeps the rows; a flat array is one row", () => {
    const t = Tensor.from([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(t.shape).toEqual([2, 3]);
    expect(t.get(1, 0)).toBe(4);
    expect(t.toArray()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(Tensor.from([7, 8]).shape).toEqual([1, 2]);
  });

  test("matmul computes the matrix product", () => {
    const a = Tensor.from([
      [1, 2],
      [3, 4],
    ]);
    const b = Tensor.from([
      [5, 6],
      [7, 8],
    ]);
    expect(a.matmul(b).toArray()).toEqual([
      [19, 22],
      [43, 50],
    ]);
  });

  test("softmax() rows sum to 1 and survive large scores", () => {
    const s = Tensor.from([
      [1000, 1001],
      [-5, 5],
    ]).softmax();
    expect(s.get(0, 0) + s.get(0, 1)).toBeCloseTo(1, 12);
    expect(s.get(0, 1)).toBeCloseTo(1 / (1 + Math.exp(-1)), 12);
  });

  test("backward() adds into parameters and restarts intermediate results", () => {
    const w = Tensor.from([[2]]);
    const loss = w.mul(w).sum();
    loss.backward();
    loss.backward();
    expect(w.grad?.[0]).toBe(8); // 4 + 4: parameters accumulate until zeroGrad()
    w.zeroGrad();
    expect(w.grad?.[0]).toBe(0);
  });

  test("x.linear(W, b) equals x.matmul(W).add(b)", () => {
    const r = rng(9);
    const [x, W, b] = [random(3, 4, r), random(4, 2, r), random(1, 2, r)];
    expect(x.linear(W, b).toArray()).toEqual(x.matmul(W).add(b).toArray());
  });

  test("x.linear(W, b, activation) equals the three ops one after another", () => {
    const r = rng(10);
    const [x, W, b] = [random(3, 4, r), random(4, 2, r), random(1, 2, r)];
    for (const a of ["tanh", "sigmoid", "relu", "leakyRelu", "step", "sign"] as const) {
      const fused = x.linear(W, b, a).toArray().flat();
      x.matmul(W).add(b).activate(a).toArray().flat().forEach((v, i) => {
        expect(fused[i]).toBeCloseTo(v, 14);
      });
    }
  });

  test("linear refuses to fuse softmax and says what to do instead", () => {
    const [x, W, b] = [Tensor.zeros(2, 3), Tensor.zeros(3, 4), Tensor.zeros(1, 4)];
    expect(() => x.linear(W, b, "softmax" as "tanh")).toThrow(
      'linear: cannot fuse activation "softmax" (expected one of "identity", "step", "sign", ' +
        '"sigmoid", "tanh", "relu", "leakyRelu"). Apply it afterwards with .activate().',
    );
  });

  test("after backward() intermediate results keep no grad (unless retained); inputs do", () => {
    const x = Tensor.from([[1, -2]]);
    const h = x.mul(3);
    const loss = h.tanh().sum();
    loss.backward();
    expect(h.grad).toBeNull();
    expect(loss.grad).toBeNull();
    expect(x.grad![0]).toBeCloseTo(3 * (1 - Math.tanh(3) ** 2), 12);
  });

  test("retainGrad() keeps an intermediate result's gradient, as PyTorch's retain_grad()", () => {
    const x = Tensor.from([[0.5, -1]]);
    const h = x.mul(3).retainGrad();
    const loss = h.tanh().sum();
    loss.backward();
    // by hand: ∂Σ tanh(h)/∂h = 1 − tanh²(h)
    expect(Array.from(h.grad!)).toEqual([1.5, -3].map((v) => 1 - Math.tanh(v) ** 2));
    // a second pass gives this pass's gradient again: a result's gradient does not add up
    loss.backward();
    expect(Array.from(h.grad!)).toEqual([1.5, -3].map((v) => 1 - Math.tanh(v) ** 2));
    expect(x.grad![0]).toBeCloseTo(2 * 3 * (1 - Math.tanh(1.5) ** 2), 12);
  });

  test("a chain of 100,000 ops backpropagates (the graph is walked without recursion)", () => {
    const x = Tensor.from([[1]]);
    let y = x;
    for (let i = 0; i < 100_000; i++) y = y.add(x);
    y.backward();
    expect(x.grad![0]).toBe(100_001);
  });

  for (const backend of ["wasm", "typescript"] as const) {
    test(`matmul: a zero input times a NaN or ∞ weight is NaN, not 0 (${backend})`, () => {
      setBackend(backend);
      // 40 zero inputs by 40×60 weights: large enough for the WebAssembly kernels
      const x = Tensor.zeros(40, 40);
      const W = Tensor.from(Array.from({ length: 40 }, () => Array<number>(60).fill(1)));
      W.set(5, 7, NaN);
      W.set(9, 11, Infinity);
      const y = x.matmul(W);
      // by hand: column j of every row is Σ_p 0·W[p][j]: NaN in columns 7 and 11, else 0
      for (let i = 0; i < 40; i++) {
        y.toArray()[i].forEach((v, j) => expect(v).toBe(j === 7 || j === 11 ? NaN : 0));
      }
      // the weights' gradient Xᵀ·G: zero inputs with a NaN gradient give NaN, not 0
      const g = Tensor.zeros(40, 60);
      g.data[3 * 60 + 2] = NaN;
      x.matmul(W).mul(g.add(1)).sum().backward();
      expect(W.grad!.filter(Number.isNaN)).toHaveLength(40);
      expect(Array.from({ length: 40 }, (_, p) => W.grad![p * 60 + 2])).toEqual(
        Array(40).fill(NaN),
      );
      setBackend("auto");
    });
  }

  test("a tensor with requiresGrad false gets no gradient", () => {
    const x = Tensor.from([[1, 2]], { requiresGrad: false });
    const w = Tensor.from([[3], [4]]);
    x.matmul(w).sum().backward();
    expect(x.grad).toBeNull();
    expect(Array.from(w.grad!)).toEqual([1, 2]);
  });

  test("matmul names both shapes when they do not fit", () => {
    expect(() => Tensor.zeros(2, 3).matmul(Tensor.zeros(2, 3))).toThrow(
      "matmul: cannot multiply [2,3] by [2,3] (the first's columns, 3, must equal the second's " +
        "rows, 2).",
    );
  });

  test("add names both shapes when they do not fit", () => {
    expect(() => Tensor.zeros(2, 3).add(Tensor.zeros(2, 2))).toThrow(
      "add: shapes [2,3] and [2,2] do not fit (expected the same shape, or a row [1, 3] that " +
        "is repeated for every row).",
    );
  });

  test("Tensor.from names a ragged row", () => {
    expect(() => Tensor.from([[1, 2], [3]])).toThrow(
      "Tensor.from: row 1 has 1 numbers, expected 2 like row 0. Every row needs the same length.",
    );
  });

  test("get names the shape when the index is outside", () => {
    expect(() => Tensor.zeros(2, 3).get(2, 0)).toThrow(
      "Tensor.get: (2, 0) is outside shape [2,3] (rows 0–1, columns 0–2).",
    );
  });

  test("activate lists the known activations for an unknown name", () => {
    expect(() => Tensor.zeros(1, 1).activate("tahn" as "tanh")).toThrow(
      'Tensor.activate: unknown activation "tahn" (expected one of "step", "sign", "identity", ' +
        '"sigmoid", "tanh", "relu", "leakyRelu", "softmax").',
    );
  });
});
