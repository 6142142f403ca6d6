import { describe, expect, it } from "vitest";
import { costs, costTangent, fmt } from "../../src/charts/index.ts";
import { draw, dotPositions, marks, vertices } from "./helpers.ts";

// The slope of J at w, measured: central differences, not the chart's own derivative.
const slopeAt = (J: (w: number) => number, w: number) => (J(w + 1e-6) - J(w - 1e-6)) / 2e-6;

describe("costTangent(options)", () => {
  it("draws the tangent at w with the curve's slope there, through the point (w, J(w))", () => {
    for (const w of [-1, 0.5, 3, 6.2]) {
      const drawn = draw(costTangent({ w }));
      const tangent = marks(drawn.root, "line")[1]; // the curve is the first line
      const [a, b] = vertices(tangent.querySelector("path")!.getAttribute("d")!).map((p) => ({
        w: drawn.x.invert(p.x),
        J: drawn.y.invert(p.y),
      }));
      expect((b.J - a.J) / (b.w - a.w)).toBeCloseTo(slopeAt(costs.convex.J, w), 4);
      expect(a.J + ((w - a.w) * (b.J - a.J)) / (b.w - a.w)).toBeCloseTo(costs.convex.J(w), 4);
    }
  });

  it("says which way is downhill, and where one update takes w", () => {
    const right = costTangent({ w: 6, lr: 0.3 });
    const next = 6 - 0.3 * slopeAt(costs.convex.J, 6);
    expect(right.alt).toBe(
      "The cost J(w) = ½(w − 3)² + 1 is lowest at w = 3 (J = 1). At w = 6, J = 5.5 and the slope " +
        "∂J/∂w is 3: the tangent rises to the right, so the cost falls towards smaller w. The " +
        `update w ← w − α·∂J/∂w with α = 0.3 moves w by −0.9, to ${fmt(next)}, where J = ` +
        `${fmt(costs.convex.J(next))}.`,
    );
    expect(costTangent({ w: -1 }).alt).toContain(
      "the slope ∂J/∂w is −4: the tangent falls to the right, so the cost falls towards larger w",
    );
    expect(costTangent({ w: 3 }).alt).toContain(
      "the tangent is flat, so the update barely moves w",
    );
    // the open dot where the update lands
    const drawn = draw(costTangent({ w: 6, lr: 0.3 }));
    const landing = dotPositions(marks(drawn.root, "dot").at(-1)!)[0];
    expect(drawn.x.invert(landing.x)).toBeCloseTo(next, 3);
    expect(drawn.y.invert(landing.y)).toBeCloseTo(costs.convex.J(next), 3);
  });

  it("with steps walks from w and puts the tangent where the walk ends", () => {
    const spec = costTangent({ w: -1, lr: 0.3, steps: 8 });
    let w = -1;
    for (let k = 0; k < 8; k++) w -= 0.3 * slopeAt(costs.convex.J, w);
    expect(spec.alt).toContain(`At w = ${fmt(w)}, J = ${fmt(costs.convex.J(w))}`);
    expect(spec.alt).toMatch(
      /Gradient descent from w = −1 with learning rate 0\.3: it ends after 8 steps at w = 2\.77/,
    );
    const diverged = costTangent({ w: -1, lr: 2.2, steps: 8 });
    expect(diverged.alt).toMatch(/learning rate 2\.2: .* it diverges\.$/);
    expect(marks(draw(diverged).root, "line").length).toBe(1); // no tangent far off the chart
  });

  it("on the bumpy cost names both minima, and says when a walk is stuck in the local one", () => {
    const spec = costTangent({ cost: "bumpy", w: 4, lr: 0.1, steps: 30 });
    expect(spec.alt).toMatch(
      /^The cost J\(w\) is lowest at w = −3(\.\d+)? \(J = [\d.]+\), with a local minimum at w = 2\.\d+/,
    );
    expect(spec.alt).toMatch(/It is stuck in the local minimum, not the global one\.$/);
    expect(costTangent({ cost: "bumpy", w: -1, lr: 0.1, steps: 40 }).alt).not.toContain("stuck");
  });

  it("refuses options it cannot use", () => {
    expect(() => costTangent({ w: Number.NaN })).toThrow(
      "costTangent: invalid w null (expected a finite number)",
    );
    expect(() => costTangent({ steps: 2.5 })).toThrow(
      "costTangent: invalid steps 2.5 (expected a whole number from 0 to 1000)",
    );
    expect(() => costTangent({ cost: "flat" as "convex" })).toThrow(
      'invalid cost: "flat" (expected "convex" or "bumpy")',
    );
  });
});
