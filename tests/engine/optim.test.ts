import { describe, expect, test } from "vitest";
import { Adam, Momentum, SGD, Tensor } from "../../engine/index.ts";

// J(w) = Σ (w − 3)², whose minimum is at w = 3.
function descend(make: (params: Tensor[]) => SGD, steps: number): number[] {
  const w = Tensor.from([[0, 10]]);
  const opt = make([w]);
  for (let i = 0; i < steps; i++) {
    opt.zeroGrad();
    w.sub(3).mul(w.sub(3)).sum().backward();
    opt.step();
  }
  return Array.from(w.data);
}

describe("optimizers", () => {
  test("SGD.step() moves w by −lr·grad", () => {
    const w = Tensor.from([[1, 2]]);
    const opt = new SGD([w], { lr: 0.5 });
    w.mul(w).sum().backward(); // grad = 2w
    opt.step();
    expect(Array.from(w.data)).toEqual([0, 0]);
  });

  test("zeroGrad() clears every parameter's gradient", () => {
    const w = Tensor.from([[1, 2]]);
    const opt = new SGD([w]);
    w.sum().backward();
    opt.zeroGrad();
    expect(Array.from(w.grad!)).toEqual([0, 0]);
  });

  test("Momentum.step() keeps a velocity: the second step is longer than the first", () => {
    const w = Tensor.from([[0]]);
    const opt = new Momentum([w], { lr: 0.1, beta: 0.9 });
    const positions = [0];
    for (let i = 0; i < 2; i++) {
      opt.zeroGrad();
      w.sum().backward(); // constant gradient 1
      opt.step();
      positions.push(w.data[0]);
    }
    expect(positions[1]).toBeCloseTo(-0.1, 12);
    expect(positions[2]).toBeCloseTo(-0.1 - 0.19, 12);
  });

  test("Adam's first step is lr in size whatever the gradient's scale", () => {
    const w = Tensor.from([[0, 0]]);
    const opt = new Adam([w], { lr: 0.01 });
    w.mul(Tensor.from([[1000, 0.001]])).sum().backward();
    opt.step();
    expect(w.data[0]).toBeCloseTo(-0.01, 6);
    expect(w.data[1]).toBeCloseTo(-0.01, 4);
  });

  for (const [name, make] of [
    ["SGD", (p: Tensor[]) => new SGD(p, { lr: 0.1 })],
    ["Momentum", (p: Tensor[]) => new Momentum(p, { lr: 0.05 })],
    ["Adam", (p: Tensor[]) => new Adam(p, { lr: 0.1 })],
  ] as const) {
    test(`${name} finds the minimum of a quadratic`, () => {
      const [a, b] = descend(make, 300);
      expect(a).toBeCloseTo(3, 3);
      expect(b).toBeCloseTo(3, 3);
    });
  }

  test("a learning rate that is not a positive number names the optimizer", () => {
    expect(() => new SGD([], { lr: 0 })).toThrow(
      "SGD: the learning rate must be a positive number, received number 0. Try { lr: 0.1 }.",
    );
    expect(() => new Adam([], { lr: Number.NaN })).toThrow(
      "Adam: the learning rate must be a positive number, received number NaN.",
    );
    expect(() => new Momentum([], { lr: "0.1" as unknown as number })).toThrow(
      'Momentum: the learning rate must be a positive number, received "0.1".',
    );
  });

  test("parameters that are not Tensors are refused", () => {
    expect(() => new SGD([1, 2] as unknown as Tensor[])).toThrow(
      "SGD: expected a list of Tensors such as net.parameters(), received an array of length 2.",
    );
  });
});
