import { describe, expect, test } from "vitest";
import { Value, gradcheck, rng } from "../../engine/index.ts";

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
    y.backward(); // a second call starts from zero again
    expect(x.grad).toBe(7);
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
