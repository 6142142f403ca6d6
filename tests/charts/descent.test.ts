import { describe, expect, it } from "vitest";
import { costCurve, costs, fmt, learningRates } from "../../src/charts/index.ts";
import { draw, dotPositions, marks, texts } from "./helpers.ts";

// Reference minima by brute force: the lowest J on a grid of 200 001 points.
function bruteMinimum(J: (w: number) => number, [lo, hi]: [number, number]) {
  let best = { w: lo, J: J(lo) };
  for (let i = 0; i <= 200_000; i++) {
    const w = lo + ((hi - lo) * i) / 200_000;
    if (J(w) < best.J) best = { w, J: J(w) };
  }
  return best;
}

// Reference descent: the update rule written out.
function reference(dJ: (w: number) => number, start: number, lr: number, steps: number) {
  const ws = [start];
  for (let k = 0; k < steps; k++) ws.push(ws[ws.length - 1] - lr * dJ(ws[ws.length - 1]));
  return ws;
}

describe("costs", () => {
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
    const ref = bruteMinimum(costs.convex.J, costs.convex.domain);
    expect(drawn.x.invert(minimum.x)).toBeCloseTo(ref.w, 2);
    expect(drawn.y.invert(minimum.y)).toBeCloseTo(ref.J, 2);
    const labels = marks(drawn.root, "text").map((g) => g.textContent);
    expect(labels.join(" ")).toContain(`global minimum, J = ${fmt(ref.J)}`);
  });

  it("draws the gradient-descent steps as numbered dots joined by arrows", () => {
    const drawn = draw(costCurve({ start: -0.5, lr: 0.3, steps: 6 }));
    const ws = reference(costs.convex.dJ, -0.5, 0.3, 6);
    const steps = dotPositions(marks(drawn.root, "dot")[1]);
    expect(steps.map((p) => drawn.x.invert(p.x))).toEqual(ws.map((w) => expect.closeTo(w, 2)));
    const Js = ws.map((w) => expect.closeTo(costs.convex.J(w), 2));
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
    const global = bruteMinimum(costs.bumpy.J, costs.bumpy.domain);
    const local = bruteMinimum(costs.bumpy.J, [0.5, costs.bumpy.domain[1]]);
    expect(found).toEqual([expect.closeTo(global.w, 2), expect.closeTo(local.w, 2)]);
    expect(spec.alt).toContain(`global minimum at w = ${fmt(global.w)}`);
    expect(spec.alt).toContain(`local minimum at w = ${fmt(local.w)}`);
    expect(spec.alt).toContain("stuck in the local minimum, not the global one");
    // started left of the hump, descent finds the global minimum instead
    expect(costCurve({ cost: "bumpy", start: -1, lr: 0.1, steps: 40 }).alt).not.toContain("stuck");
  });

  it("states where descent ends in the alt text", () => {
    const ws = reference(costs.convex.dJ, -0.5, 0.3, 10);
    const end = ws[ws.length - 1];
    expect(costCurve().alt).toBe(
      "The cost J(w) has its global minimum at w = 3 (J = 1). Gradient descent from w = −0.5 " +
        `with learning rate 0.3: it reaches w = ${fmt(end)} (J = ${fmt(costs.convex.J(end))}) ` +
        `after 10 steps, ${fmt(3 - end)} from the minimum.`,
    );
    expect(costCurve({ lr: 2.2 }).alt).toContain("it diverges");
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
  const wMin = bruteMinimum(costs.convex.J, costs.convex.domain).w;

  it("draws three panels side by side, each titled with its rate", () => {
    expect(drawn.scale("fx")!.domain).toEqual([
      "α = 0.05: too small",
      "α = 0.6: about right",
      "α = 2.1: too large",
    ]);
    expect(runs.map(panelOf)).toEqual([0, 1, 2]);
    panels.forEach((ws, k) => {
      const expected = reference(costs.convex.dJ, -0.5, rates[k], 8);
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
    const small = reference(costs.convex.dJ, -0.5, 0.05, 8).pop()!;
    expect(spec.alt).toContain(
      `With α = 0.05 (too small), it ends after 8 steps at w = ${fmt(small)} ` +
        `(J = ${fmt(costs.convex.J(small))}), still ${fmt(3 - small)} from the minimum.`,
    );
    expect(spec.alt).toContain(
      "With α = 0.6 (about right), it reaches w = 3 (J = 1) after 8 steps, at the minimum.",
    );
    expect(spec.alt).toContain(
      "With α = 2.1 (too large), it jumps back and forth across the minimum",
    );
    expect(spec.alt).toContain("farther from the minimum than where it started: it diverges.");
  });

  it("wants exactly three rates", () => {
    expect(() => learningRates({ rates: [0.1, 0.2] as never })).toThrow(
      /received 2 rates \[0\.1,0\.2\]; expected three/,
    );
  });
});
