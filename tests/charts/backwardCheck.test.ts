import { describe, expect, it } from "vitest";
import { backwardCheck } from "../../src/charts/index.ts";
import { draw, marks } from "./helpers.ts";

const tanh = Math.tanh;

describe("backwardCheck({ f, rule })", () => {
  it("passes a right rule: the slope of tanh, 1 − t², times g", () => {
    const spec = backwardCheck({ f: tanh, rule: (x, t, g) => (1 - t * t) * g });
    expect(spec.check.ok).toBe(true);
    expect(spec.check.ranges).toEqual([]);
    expect(spec.check.text).toBe(
      "Your rule matches the numerical gradient at all 61 inputs from x = −3 to 3, for g = 1 " +
        "and for g = −0.5: it is right.",
    );
    expect(spec.alt).toContain(spec.check.text);
    expect(marks(draw(spec).root, "dot")[0]?.querySelectorAll("circle").length ?? 0).toBe(0);
  });

  it("says where a wrong rule differs, and by how much at the worst input", () => {
    const spec = backwardCheck({ f: tanh, rule: (x, t, g) => t * (1 - t) * g });
    expect(spec.check.ok).toBe(false);
    expect(spec.check.ranges).toEqual([[-3, 3]]);
    // the worst gap, measured here: t(1 − t) at x = −3 is far from tanh's slope there
    const t = tanh(-3);
    expect(spec.check.worst).toEqual({
      x: -3,
      g: 1,
      yours: t * (1 - t),
      numeric: expect.closeTo(1 - t * t, 6),
    });
    expect(spec.check.text).toBe(
      "Your rule differs from the numerical gradient at all 61 inputs, from x = −3 to 3. The " +
        "largest gap is at x = −3 with g = 1: your rule gives −1.985, the numerical gradient 0.01.",
    );
    // every input is marked where the two differ
    expect(marks(draw(spec).root, "dot")[0].querySelectorAll("circle").length).toBe(61);
  });

  it("names the ranges of inputs where a rule is wrong only on one side", () => {
    const spec = backwardCheck({ f: tanh, rule: (x, t, g) => (x > 0 ? (1 - t * t) * g : 0) });
    expect(spec.check.ranges).toEqual([[-3, 0]]);
    expect(spec.check.text).toMatch(
      /^Your rule differs from the numerical gradient at 31 of the 61 inputs, from x = −3 to 0\. The largest gap is at x = 0 with g = 1: your rule gives 0, the numerical gradient 1\.$/,
    );
  });

  it("catches a rule that forgets to multiply by g", () => {
    const spec = backwardCheck({ f: tanh, rule: (x, t) => 1 - t * t });
    expect(spec.check.samples.every((s) => !s.differs)).toBe(true); // right for g = 1
    expect(spec.check.ok).toBe(false);
    expect(spec.check.text).toMatch(
      /^It is right for g = 1 but not for g = −0\.5, from x = −3 to 3: does it multiply by g\?/,
    );
  });

  it("says so when the rule returns no number", () => {
    const spec = backwardCheck({ f: tanh, rule: (() => undefined) as never });
    expect(spec.check.text).toBe(
      "Your rule returned undefined (no return?) at x = −3, not a number: return the gradient for x.",
    );
  });

  it("refuses options it cannot use, and says what it expected", () => {
    expect(() => backwardCheck({ f: tanh } as never)).toThrow(
      "backwardCheck: rule must be a function, received undefined; expected { f: Math.tanh, rule: (x, t, g) => … }",
    );
    expect(() => backwardCheck({ f: tanh, rule: () => 0, domain: [1, -1] })).toThrow(
      "backwardCheck: invalid domain [1,-1] (expected two finite numbers [min, max] with min < max, such as [-4, 4])",
    );
    expect(() => backwardCheck({ f: tanh, rule: () => 0, count: 1 })).toThrow(
      "backwardCheck: invalid count 1 (expected a whole number from 2 to 1000)",
    );
  });
});
