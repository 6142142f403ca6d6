import { describe, expect, it } from "vitest";
import { linearSplit, palette } from "../../src/charts/index.ts";
import { draw, dotPositions, inData, marks, texts, vertices } from "./helpers.ts";

// Two of each class; with w = [1, 1], b = 0 the point (1, −1) sits on the line (z = 0).
const points = [
  { x1: -2, x2: -1, label: 0 as const },
  { x1: 1, x2: -1, label: 0 as const },
  { x1: 2, x2: 1, label: 1 as const },
  { x1: -1, x2: 0.5, label: 1 as const },
];
const window = { x1: [-3, 3] as [number, number], x2: [-3, 3] as [number, number] };

describe("linearSplit({ w, b, points, x1, x2 })", () => {
  it("keeps its window wherever the line goes", () => {
    for (const [w, b] of [[[1, 1], 0], [[0.1, 2], -5], [[-2, 0], 3]] as const) {
      const drawn = draw(linearSplit({ w: [w[0], w[1]], b, points, ...window }));
      expect(drawn.x.domain).toEqual([-3, 3]);
      expect(drawn.y.domain).toEqual([-3, 3]);
    }
  });

  it("draws the line w₁x₁ + w₂x₂ + b = 0 across the window", () => {
    const drawn = draw(linearSplit({ w: [0.5, 1], b: -0.5, points, ...window }));
    const d = marks(drawn.root, "line")[0].querySelector("path")!.getAttribute("d")!;
    const ends = vertices(d).map((p) => inData(drawn, p));
    expect(ends.map(([x1]) => x1)).toEqual([expect.closeTo(-3, 2), expect.closeTo(3, 2)]);
    for (const [x1, x2] of ends) expect(0.5 * x1 + x2 - 0.5).toBeCloseTo(0, 2);
  });

  it("draws a vertical line when w₂ = 0", () => {
    const drawn = draw(linearSplit({ w: [2, 0], b: -1, points, ...window }));
    const d = marks(drawn.root, "line")[0].querySelector("path")!.getAttribute("d")!;
    for (const p of vertices(d)) expect(drawn.x.invert(p.x)).toBeCloseTo(0.5, 2);
  });

  it("rings exactly the points on the wrong side, counting z = 0 as saying 1", () => {
    // w = [1, 1], b = 0: (−2, −1) z = −3 says 0 ✓; (1, −1) z = 0 says 1 ✗;
    // (2, 1) z = 3 says 1 ✓; (−1, 0.5) z = −0.5 says 0 ✗
    const drawn = draw(linearSplit({ w: [1, 1], b: 0, points, ...window }));
    const [rings, dots] = marks(drawn.root, "dot");
    const ringed = dotPositions(rings).map((p) => inData(drawn, p));
    expect(ringed).toEqual([
      [expect.closeTo(1, 2), expect.closeTo(-1, 2)],
      [expect.closeTo(-1, 2), expect.closeTo(0.5, 2)],
    ]);
    expect(rings.getAttribute("stroke")).toBe(palette.wrong);
    expect(dotPositions(dots).length).toBe(4);
    expect(texts(marks(drawn.root, "text").at(-1)!)).toEqual(["2 of 4 points on the wrong side"]);
  });

  it("says where the line is, and names the points on the wrong side with their z", () => {
    expect(linearSplit({ w: [1, 1], b: 0, points, ...window }).alt).toBe(
      "The line 1·x₁ + 1·x₂ = 0 crosses the x₁-axis at x₁ = 0 and the x₂-axis at x₂ = 0; " +
        "on its blue side z ≥ 0 and the neuron says 1, on its orange side z < 0 and it says 0. " +
        "2 of 4 points lie on the wrong side, ringed in red: " +
        "a class 0 point at (1, −1), where z = 0 ≥ 0; " +
        "a class 1 point at (−1, 0.5), where z = −0.5 < 0.",
    );
    const right = linearSplit({ w: [1, 2], b: 0.5, points: points.slice(0, 1), ...window });
    expect(right.alt).toMatch(/ The one point lies on the side of its class\.$/);
    const all = linearSplit({ w: [1, 1], b: 0.5, points: [points[0], points[2]], ...window });
    expect(all.alt).toMatch(/ Both points lie on the side of their class\.$/);
  });

  it("with both weights 0 draws no line and says z = b everywhere", () => {
    const spec = linearSplit({ w: [0, 0], b: -0.5, points, ...window });
    const drawn = draw(spec);
    expect(marks(drawn.root, "line")).toEqual([]);
    expect(spec.alt).toContain(
      "With both weights 0 there is no line: z = b = −0.5 everywhere, so the neuron says 0 " +
        "for every point, and the whole window is orange.",
    );
    expect(spec.alt).toContain("2 of 4 points lie on the wrong side");
  });

  it("takes the points' range, with a margin, when no window is given", () => {
    const drawn = draw(linearSplit({ w: [1, 1], b: 0, points }));
    expect(drawn.x.domain[0]).toBeLessThan(-2);
    expect(drawn.x.domain[1]).toBeGreaterThan(2);
  });

  it("refuses a window that is not [min, max]", () => {
    expect(() => linearSplit({ w: [1, 1], b: 0, points, x1: [3, -3] })).toThrow(
      "linearSplit: invalid x1 [3,-3] (expected [min, max] with min < max, such as [-3, 3])",
    );
    expect(() => linearSplit({ w: [1, Number.NaN], b: 0, points })).toThrow(
      "linearSplit: invalid w[1] null (expected a finite number)",
    );
  });
});
