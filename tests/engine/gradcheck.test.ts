import { describe, expect, test } from "vitest";
import { Tensor, Value, gradcheck } from "../../engine/index.ts";

describe("gradcheck", () => {
  test("gradcheck(f, values) passes a correct gradient", () => {
    const x = new Value(0.7);
    const result = gradcheck((x) => x.tanh().mul(x), [x]);
    expect(result.ok).toBe(true);
    expect(result.checked).toBe(1);
  });

  test("gradcheck(f, tensors) reports a wrong gradient as the worst relative error", () => {
    const x = Tensor.from([[0.1, 0.2, -0.3]]);
    // a square whose backward rule forgets the factor 2
    const badSquare = (t: Tensor): Tensor => {
      const out = new Tensor(t.rows, t.cols, t.data.map((v) => v * v), [t], "bad square");
      out.backwardFn = () => {
        t.grad = t.grad ?? new Float64Array(t.data.length);
        for (let i = 0; i < t.data.length; i++) t.grad[i] += t.data[i] * out.grad![i];
      };
      return out;
    };
    const result = gradcheck(badSquare, [x]);
    expect(result.ok).toBe(false);
    // the worst is x = −0.3: analytic −0.3, numeric −0.6, error |−0.3 + 0.6| / max(1, …)
    expect(result.worst.index).toBe(2);
    expect(result.worst.analytic).toBeCloseTo(-0.3, 12);
    expect(result.worst.numeric).toBeCloseTo(-0.6, 6);
    expect(result.maxRelError).toBeCloseTo(0.3, 6);
  });

  test("gradcheck counts a NaN gradient as the worst error", () => {
    const x = new Value(-1);
    const result = gradcheck((x) => x.log(), [x]);
    expect(result.ok).toBe(false);
    expect(result.maxRelError).toBe(Infinity);
  });

  test("gradcheck says what it received when inputs are not Tensors or Values", () => {
    expect(() => gradcheck((x) => x, [new Value(1), 3 as unknown as Value])).toThrow(
      "gradcheck: input 1 is number 3, expected a Tensor, a Value or a number " +
        "(all inputs of one kind).",
    );
  });
});

describe("gradcheck with plain numbers", () => {
  test("gradcheck(f, numbers) hands f one array of Values", () => {
    const cost = ([x, w]: Value[]) => w.mul(x).add(0.5).tanh().sub(1).pow(2);
    const result = gradcheck(cost, [0.4, 0.7]);
    expect(result.checked).toBe(2);
    expect(result.maxRelError).toBeLessThan(1e-8);
  });

  test("gradcheck says what f returned when it is not a Value or a Tensor", () => {
    expect(() => gradcheck(() => 3 as unknown as Value, [1])).toThrow(
      "gradcheck: f returned number 3, expected a Value or a Tensor.",
    );
  });
});
