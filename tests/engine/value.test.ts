import { describe, expect, test } from "vitest";
import { Layer, Neuron, Value, ValueMLP, gradcheck, rng } from "../../engine/index.ts";

const seeds = [1, 2, 3, 4, 5];

// Each op is checked on random inputs against central differences.
const unary: Record<string, (a: Value) => Value> = {
  neg: (a) => a.neg(),
  exp: (a) => a.exp(),
  tanh: (a) => a.tanh(),
  sigmoid: (a) => a.sigmoid(),
  relu: (a) => a.relu(),
  "pow(3)": (a) => a.pow(3),
  "activate(leakyRelu)": (a) => a.activate("leakyRelu"),
  "activate(identity)": (a) => a.activate("identity").mul(2),
};
const binary: Record<string, (a: Value, b: Value) => Value> = {
  add: (a, b) => a.add(b),
  sub: (a, b) => a.sub(b),
  mul: (a, b) => a.mul(b),
  div: (a, b) => a.div(b),
};

describe("Value ops match central differences", () => {
  for (const seed of seeds) {
    const random = rng(seed);
    for (const [name, f] of Object.entries(unary)) {
      test(`${name} (seed ${seed})`, () => {
        const a = new Value(random.uniform(-2, 2));
        expect(gradcheck(f, [a]).maxRelError).toBeLessThan(1e-6);
      });
    }
    for (const [name, f] of Object.entries(binary)) {
      test(`${name} (seed ${seed})`, () => {
        const a = new Value(random.uniform(-2, 2));
        const b = new Value(random.uniform(0.5, 2) * (random.next() < 0.5 ? -1 : 1));
        expect(gradcheck(f, [a, b]).maxRelError).toBeLessThan(1e-6);
      });
    }
    test(`log and a Value exponent (seed ${seed})`, () => {
      const a = new Value(random.uniform(0.5, 3));
      const b = new Value(random.uniform(-2, 2));
      expect(gradcheck((a, b) => a.log().mul(b), [a, b]).ok).toBe(true);
      expect(gradcheck((a, b) => a.pow(b), [a, b]).ok).toBe(true);
    });
  }
});

describe("Value", () => {
  test("add accepts a number or a Value", () => {
    expect(new Value(2).add(3).data).toBe(5);
    expect(new Value(2).add(new Value(3)).data).toBe(5);
    expect(new Value(2).mul(3).sub(1).div(5).data).toBe(1);
  });

  test("backward() sums the gradient of a Value used twice", () => {
    const x = new Value(3, "x");
    const y = x.mul(x).add(x); // x² + x, dy/dx = 2x + 1
    y.backward();
    expect(x.grad).toBe(7);
  });

  test("backward() adds into grad, as micrograd and PyTorch do; zeroGrad() clears it", () => {
    // micrograd's loop: one backward() per sample adds up the gradient of the summed loss
    const samples = [[0.5, -1.2, 1], [1.5, 0.3, 0], [-0.7, 0.8, 1]];
    const lossOf = (n: Neuron, [a, b, t]: number[]) => n.call([a, b]).sub(t).pow(2);
    const looped = new Neuron(2, { seed: 4 });
    for (const sample of samples) lossOf(looped, sample).backward();
    const summed = new Neuron(2, { seed: 4 });
    samples.map((sample) => lossOf(summed, sample)).reduce((s, l) => s.add(l)).backward();
    const grads = (n: Neuron) => n.parameters().map((p) => p.grad);
    grads(summed).forEach((g, i) => expect(grads(looped)[i]).toBeCloseTo(g, 14));
    expect(grads(looped).every((g) => g !== 0)).toBe(true);
    looped.zeroGrad();
    expect(grads(looped)).toEqual([0, 0, 0]);
  });

  test("zeroGrad() on a Layer and a ValueMLP sets every parameter's grad to 0", () => {
    for (const model of [new Layer(2, 3, { seed: 1 }), new ValueMLP([2, 3, 1], { seed: 1 })]) {
      const [out] = model instanceof Layer ? model.call([1, 2]) : model.call([1, 2]);
      out.backward();
      expect(model.parameters().some((p) => p.grad !== 0)).toBe(true);
      model.zeroGrad();
      expect(model.parameters().map((p) => p.grad).every((g) => g === 0)).toBe(true);
    }
  });

  test("backward() twice on one graph adds the inputs' gradients twice (as PyTorch)", () => {
    const w = new Value(0.4, "w");
    const loss = w.mul(3).tanh();
    loss.backward();
    const once = w.grad;
    loss.backward();
    expect(w.grad).toBe(2 * once);
    expect(loss.grad).toBe(1);
  });

  test("after backward(), an intermediate Value's grad is ∂(result)/∂(it)", () => {
    const [w, x] = [new Value(0.8, "w"), new Value(1.5, "x")];
    const h = w.mul(x);
    const loss = h.tanh().pow(2);
    loss.backward();
    // by hand: d(tanh(h)²)/dh = 2·tanh(h)·(1 − tanh²(h))
    const t = Math.tanh(0.8 * 1.5);
    expect(h.grad).toBeCloseTo(2 * t * (1 - t * t), 15);
    // and against a central difference
    const f = (v: number) => Math.tanh(v) ** 2;
    expect(h.grad).toBeCloseTo((f(1.2 + 1e-6) - f(1.2 - 1e-6)) / 2e-6, 8);
  });

  test("two results that share a Value add their gradients once each (as PyTorch)", () => {
    const [w, x] = [new Value(0.3, "w"), new Value(2, "x")];
    const h = w.mul(x);
    h.tanh().backward();
    h.sigmoid().backward();
    const [t, s] = [Math.tanh(0.6), 1 / (1 + Math.exp(-0.6))];
    expect(w.grad).toBeCloseTo((1 - t * t) * 2 + s * (1 - s) * 2, 15);
  });

  test("plain numbers in pow, div, sub, add and mul are constants: part of the op, no node", () => {
    const a = new Value(1.5, "a");
    const ops = [a.pow(2), a.div(4), a.sub(3), a.add(1), a.mul(2)];
    expect(ops.map((v) => v.op)).toEqual(["^2", "÷ 4", "− 3", "+ 1", "× 2"]);
    expect(ops.map((v) => v.data)).toEqual([2.25, 0.375, -1.5, 2.5, 3]);
    for (const v of ops) {
      const { nodes, edges } = v.trace();
      expect(nodes.map((n) => n.label)).toEqual(["a", ""]);
      expect(edges).toEqual([{ from: a.id, to: v.id }]);
    }
    // chapter 6's J = a²: two nodes, a and J, and no gradient for the constant 2
    const J = a.pow(2);
    J.backward();
    expect(J.trace().nodes.map((n) => [n.op, n.grad])).toEqual([["", 3], ["^2", 1]]);
  });

  test("constants' ops have the gradients of central differences", () => {
    const ops: ((v: Value[]) => Value)[] = [
      ([a]) => a.pow(3),
      ([a]) => a.pow(-0.5),
      ([a]) => a.div(4),
      ([a]) => a.sub(3).mul(2),
      ([a, b]) => a.div(b).sub(1).pow(2),
    ];
    for (const f of ops) expect(gradcheck(f, [1.3, 0.7]).maxRelError).toBeLessThan(1e-8);
  });

  test("a chain of 100,000 ops backpropagates (the graph is walked without recursion)", () => {
    const x = new Value(1, "x");
    let y = x;
    for (let i = 0; i < 100_000; i++) y = y.add(x);
    y.backward();
    expect(x.grad).toBe(100_001);
    expect(y.trace().nodes).toHaveLength(100_001);
  });

  test("trace() lists every node and points edges from operand to result", () => {
    const a = new Value(2, "a");
    const b = new Value(-3, "b");
    const c = a.mul(b);
    c.label = "c";
    c.backward();
    const { nodes, edges } = c.trace();
    expect(nodes.map((n) => [n.label, n.op, n.data, n.grad])).toEqual([
      ["a", "", 2, -3],
      ["b", "", -3, 2],
      ["c", "×", -6, 1],
    ]);
    expect(edges).toEqual([
      { from: a.id, to: c.id },
      { from: b.id, to: c.id },
    ]);
  });

  test("new Value(x) says what it received when x is not a number", () => {
    expect(() => new Value("2" as unknown as number)).toThrow(
      'Value: expected a number, received "2". Try new Value(2).',
    );
  });

  test("activate(name) lists the known activations for an unknown name", () => {
    expect(() => new Value(1).activate("sigmoidd" as "sigmoid")).toThrow(
      'Value.activate: unknown activation "sigmoidd" (expected one of "step", "sign", ' +
        '"identity", "sigmoid", "tanh", "relu", "leakyRelu").',
    );
  });
});
