import { describe, expect, it } from "vitest";
import { costCurve, costs, learningRates } from "../../src/charts/index.ts";
import { draw, dotPositions, inData, marks, texts, vertices } from "./helpers.ts";

// The two costs written out here, independently of src/charts/descent.ts:
// convex J(w) = ½(w − 3)² + 1; bumpy J(w) = w⁴/20 − 0.8w² + 0.6w + 6.
const convexJ = (w: number) => 0.5 * (w - 3) ** 2 + 1;
const bumpyJ = (w: number) => 0.05 * w ** 4 - 0.8 * w ** 2 + 0.6 * w + 6;

// On the convex cost the update w ← w − α(w − 3) shrinks the distance to 3 by (1 − α) each step:
// w_k = 3 + (w₀ − 3)(1 − α)^k, in closed form.
function convexPath(start: number, lr: number, steps: number): number[] {
  return Array.from({ length: steps + 1 }, (_, k) => 3 + (start - 3) * (1 - lr) ** k);
}

// The bumpy cost's slope 0.2w³ − 1.6w + 0.6 is zero where w³ − 8w + 3 = (w + 3)(w² − 3w + 1) = 0:
// at w = −3 and w = (3 ± √5)/2. J'' = 0.6w² − 1.6 is positive at −3 and at (3 + √5)/2 (minima).
const bumpyGlobal = { w: -3, J: bumpyJ(-3) }; // J = 1.05
const bumpyLocal = { w: (3 + Math.sqrt(5)) / 2, J: bumpyJ((3 + Math.sqrt(5)) / 2) }; // J ≈ 4.44

describe("costs", () => {
  it("are the two costs of the book's figures", () => {
    for (const w of [-4, -1.5, 0, 0.7, 3, 6.5]) {
      expect(costs.convex.J(w)).toBeCloseTo(convexJ(w), 12);
      expect(costs.bumpy.J(w)).toBeCloseTo(bumpyJ(w), 12);
    }
  });

  it("pair each cost with its derivative (checked by central differences)", () => {
    for (const cost of [costs.convex, costs.bumpy]) {
      for (let w = cost.domain[0]; w <= cost.domain[1]; w += 0.37) {
        const h = 1e-5;
        expect(cost.dJ(w)).toBeCloseTo((cost.J(w + h) - cost.J(w - h)) / (2 * h), 5);
      }
    }
  });
});

describe("costCurve(options)", () => {
  it("marks the global minimum where J is lowest", () => {
    const drawn = draw(costCurve());
    const [minimum] = dotPositions(marks(drawn.root, "dot")[0]);
    expect(drawn.x.invert(minimum.x)).toBeCloseTo(3, 2);
    expect(drawn.y.invert(minimum.y)).toBeCloseTo(1, 2);
    const labels = marks(drawn.root, "text").map((g) => g.textContent);
    expect(labels.join(" ")).toContain("global minimum, J = 1");
  });

  it("draws the gradient-descent steps as numbered dots joined by arrows", () => {
    const drawn = draw(costCurve({ start: -0.5, lr: 0.3, steps: 6 }));
    const ws = convexPath(-0.5, 0.3, 6);
    const steps = dotPositions(marks(drawn.root, "dot")[1]);
    expect(steps.map((p) => drawn.x.invert(p.x))).toEqual(ws.map((w) => expect.closeTo(w, 2)));
    const Js = ws.map((w) => expect.closeTo(convexJ(w), 2));
    expect(steps.map((p) => drawn.y.invert(p.y))).toEqual(Js);
    expect(marks(drawn.root, "arrow")[0].querySelectorAll("path").length).toBe(6);
    const numbers = texts(marks(drawn.root, "text")[1]);
    expect(numbers[0]).toBe("0");
    expect(numbers.length).toBeGreaterThan(2);
  });

  it("marks the bumpy cost's global and local minima, and says when descent gets stuck", () => {
    const spec = costCurve({ cost: "bumpy", start: 4, lr: 0.1, steps: 20 });
    const drawn = draw(spec);
    const found = dotPositions(marks(drawn.root, "dot")[0]).map((p) => drawn.x.invert(p.x));
    expect(found).toEqual([expect.closeTo(bumpyGlobal.w, 2), expect.closeTo(bumpyLocal.w, 2)]);
    expect(spec.alt).toContain("global minimum at w = −3 (J = 1.05)");
    expect(spec.alt).toContain("local minimum at w = 2.62 (J = 4.44)");
    expect(spec.alt).toContain("stuck in the local minimum, not the global one");
    // started left of the hump, descent finds the global minimum instead
    expect(costCurve({ cost: "bumpy", start: -1, lr: 0.1, steps: 40 }).alt).not.toContain("stuck");
  });

  it("states where descent ends in the alt text", () => {
    // w₁₀ = 3 − 3.5 · 0.7¹⁰ = 2.9011, J = 1.0049, 0.0989 from the minimum
    expect(costCurve().alt).toBe(
      "The cost J(w) has its global minimum at w = 3 (J = 1). Gradient descent from w = −0.5 " +
        "with learning rate 0.3: it reaches w = 2.9 (J = 1) after 10 steps, 0.1 from the minimum.",
    );
    expect(costCurve({ lr: 2.2 }).alt).toContain("it diverges");
  });

  it("draws the tangent at the start when asked, with its slope", () => {
    // at w = 6.5 the convex cost's slope is 6.5 − 3 = 3.5
    const spec = costCurve({ start: 6.5, lr: 0.5, steps: 1, tangent: true });
    const drawn = draw(spec);
    const lines = marks(drawn.root, "line");
    expect(lines.length).toBe(2);
    const [a, b] = vertices(lines[1].querySelector("path")!.getAttribute("d")!).map((p) =>
      inData(drawn, p),
    );
    expect((b[1] - a[1]) / (b[0] - a[0])).toBeCloseTo(3.5, 1);
    // it touches the curve at the start: J(6.5) = ½ · 3.5² + 1 = 7.125
    const mid = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
    expect(mid[0]).toBeCloseTo(6.5, 1);
    expect(mid[1]).toBeCloseTo(7.125, 1);
    expect(marks(drawn.root, "text").flatMap(texts)).toContain("slope ∂J/∂w = 3.5");
    expect(spec.alt).toContain("its slope ∂J/∂w = 3.5, so the cost rises as w grows there.");
    expect(marks(draw(costCurve()).root, "line").length).toBe(1);
  });

  it("rejects a bad cost name and a bad number of steps", () => {
    expect(() => costCurve({ cost: "wavy" as never })).toThrow(
      'invalid cost: "wavy" (expected "convex" or "bumpy")',
    );
    expect(() => costCurve({ steps: 2.5 })).toThrow(
      "costCurve: invalid steps 2.5 (expected a whole number from 0 to 1000)",
    );
  });
});

describe("learningRates(options)", () => {
  const rates: [number, number, number] = [0.05, 0.6, 2.1];
  const spec = learningRates({ rates, start: -0.5, steps: 8 });
  const drawn = draw(spec);
  // the descent dots: one mark per run (after the minimum's), drawn in its own panel
  const runs = marks(drawn.root, "dot").slice(1);
  const panels = runs.map((g) => dotPositions(g).map((p) => drawn.x.invert(p.x)));
  // which panel a mark sits in: its facet group's horizontal offset, looked up on the fx scale
  const panelOf = (g: Element) => {
    const transform = g.firstElementChild!.getAttribute("transform")!;
    const offset = Number(/translate\(([-\d.]+),/.exec(transform)![1]);
    const fx = drawn.scale("fx")!;
    const at = (title: unknown) => fx.apply(title) - fx.apply(fx.domain[0]);
    return fx.domain.findIndex((title) => Math.abs(at(title) - offset) < 0.5);
  };
  const wMin = 3;

  it("draws three panels side by side, each titled with its rate", () => {
    expect(drawn.scale("fx")!.domain).toEqual([
      "α = 0.05: too small",
      "α = 0.6: about right",
      "α = 2.1: too large",
    ]);
    expect(runs.map(panelOf)).toEqual([0, 1, 2]);
    panels.forEach((ws, k) => {
      const expected = convexPath(-0.5, rates[k], 8);
      expect(ws).toEqual(expected.map((w) => expect.closeTo(w, 2)));
    });
  });

  it("too small ends far from the minimum, right converges, too large oscillates out", () => {
    const distance = (w: number) => Math.abs(w - wMin);
    const [small, right, large] = panels;
    const start = distance(-0.5);
    expect(distance(small[small.length - 1])).toBeGreaterThan(0.5 * start);
    expect(distance(right[right.length - 1])).toBeLessThan(0.01 * start);
    expect(distance(large[large.length - 1])).toBeGreaterThan(start);
    const sides = large.map((w) => Math.sign(w - wMin));
    for (let i = 1; i < sides.length; i++) expect(sides[i]).toBe(-sides[i - 1]);
  });

  it("says so in the alt text", () => {
    // α = 0.05: w₈ = 3 − 3.5 · 0.95⁸ = 0.678, J = 3.696, 2.322 from the minimum
    expect(spec.alt).toContain(
      "With α = 0.05 (too small), it ends after 8 steps at w = 0.68 (J = 3.7), " +
        "still 2.32 from the minimum.",
    );
    expect(spec.alt).toContain(
      "With α = 0.6 (about right), it reaches w = 3 (J = 1) after 8 steps, at the minimum.",
    );
    expect(spec.alt).toContain(
      "With α = 2.1 (too large), it jumps back and forth across the minimum",
    );
    expect(spec.alt).toContain("farther from the minimum than where it started: it diverges.");
  });

  it("stacks the three panels for a phone's column, titled at the top of each", () => {
    const phone = draw({ options: spec.phone!, alt: spec.alt });
    expect(Number(spec.phone!.width)).toBeLessThanOrEqual(358);
    expect(phone.scale("fy")!.domain).toEqual([
      "α = 0.05: too small",
      "α = 0.6: about right",
      "α = 2.1: too large",
    ]);
    expect(phone.scale("fx")).toBeUndefined();
    const titles = marks(phone.root, "text").flatMap(texts);
    expect(titles).toEqual(expect.arrayContaining(["α = 0.6: about right"]));
  });

  it("wants exactly three rates", () => {
    expect(() => learningRates({ rates: [0.1, 0.2] as never })).toThrow(
      /received 2 rates \[0\.1,0\.2\]; expected three/,
    );
  });
});
