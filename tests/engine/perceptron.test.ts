import { describe, expect, test } from "vitest";
import { Perceptron, datasets } from "../../engine/index.ts";

const seeds = [0, 1, 2, 3, 4, 5, 6, 7];

describe("Perceptron.fit", () => {
  for (const gate of ["and", "or"] as const) {
    test(`learns ${gate.toUpperCase()} to zero mistakes and stops there (seeds ${seeds})`, () => {
      for (const seed of seeds) {
        const { x, y } = datasets[gate]();
        const p = new Perceptron(2, { lr: 1, seed });
        const { mistakes, converged } = p.fit(x, y, { epochs: 50 });
        expect(converged).toBe(true);
        expect(mistakes.at(-1)).toBe(0);
        expect(mistakes.slice(0, -1)).not.toContain(0);
        expect(x.map((row) => p.predict(row))).toEqual(y);
      }
    });
  }

  test(`never reaches zero mistakes on XOR (seeds ${seeds})`, () => {
    for (const seed of seeds) {
      const { x, y } = datasets.xor();
      const { mistakes, converged } = new Perceptron(2, { seed }).fit(x, y, { epochs: 100 });
      expect(converged).toBe(false);
      expect(mistakes).toHaveLength(100);
      expect(Math.min(...mistakes)).toBeGreaterThan(0);
    }
  });

  test("applies the rule w ← w + α(y − ŷ)x to a mistake", () => {
    const p = new Perceptron(2, { lr: 0.5 });
    p.weights = [0, 0];
    p.bias = -1; // predicts 0 for [1, 1]
    p.fit([[1, 1]], [1], { epochs: 1 });
    expect(p.weights).toEqual([0.5, 0.5]);
    expect(p.bias).toBe(-0.5);
  });

  test("a label other than 0 or 1 is refused", () => {
    expect(() => new Perceptron(2).fit([[0, 1]], [2])).toThrow(
      "Perceptron.fit: label number 2 (example 0) is not 0 or 1; " +
        "a perceptron separates two classes.",
    );
  });

  test("a learning rate that is not a positive number is refused", () => {
    expect(() => new Perceptron(2, { lr: 0 })).toThrow(
      "Perceptron: the learning rate must be a positive number, received number 0. " +
        "Try { lr: 0.1 }.",
    );
  });
});
