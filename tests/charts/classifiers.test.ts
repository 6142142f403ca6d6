import { describe, expect, it } from "vitest";
import {
  decisionBoundary,
  decisionLine,
  palette,
  perceptronMistakes,
} from "../../src/charts/index.ts";
import { texts, draw, dotPositions, inData, marks, vertices } from "./helpers.ts";

const and = [
  { x1: 0, x2: 0, label: 0 as const },
  { x1: 0, x2: 1, label: 0 as const },
  { x1: 1, x2: 0, label: 0 as const },
  { x1: 1, x2: 1, label: 1 as const },
];

describe("decisionLine(options)", () => {
  it("draws the line w₁x₁ + w₂x₂ + b = 0", () => {
    const drawn = draw(decisionLine({ w: [2, -1], b: 0.5, points: and }));
    const line = marks(drawn.root, "line")[0].querySelector("path")!;
    const ends = vertices(line.getAttribute("d")!).map((p) => inData(drawn, p));
    expect(ends.length).toBe(2);
    for (const [x1, x2] of ends) expect(2 * x1 - x2 + 0.5).toBeCloseTo(0, 2);
  });

  it("draws a vertical line when w₂ = 0", () => {
    const drawn = draw(decisionLine({ w: [2, 0], b: -1, points: and }));
    const d = marks(drawn.root, "line")[0].querySelector("path")!.getAttribute("d")!;
    for (const p of vertices(d)) expect(drawn.x.invert(p.x)).toBeCloseTo(0.5, 2);
  });

  it("colours and shapes the points by label", () => {
    const drawn = draw(decisionLine({ w: [1, 1], b: -1.5, points: and }));
    const dots = marks(drawn.root, "dot")[0];
    const positions = dotPositions(dots).map((p) => inData(drawn, p));
    expect(positions).toEqual(and.map((p) => [expect.closeTo(p.x1, 2), expect.closeTo(p.x2, 2)]));
    const fills = [...dots.querySelectorAll("path")].map((el) => el.getAttribute("fill"));
    expect(fills).toEqual(and.map((p) => (p.label === 1 ? palette.class1 : palette.class0)));
  });

  it("says where the line crosses the axes and how many points are on their side", () => {
    expect(decisionLine({ w: [1, 1], b: -1.5, points: and }).alt).toBe(
      "The line 1·x₁ + 1·x₂ − 1.5 = 0 crosses the x₁-axis at x₁ = 1.5 and the x₂-axis at " +
        "x₂ = 1.5; on its shaded blue side z > 0 and the neuron outputs 1, on the orange side " +
        "it outputs 0. " +
        "All 4 points lie on the side of their label.",
    );
    // OR's labels against AND's line: (0, 1) and (1, 0) fall on the wrong side
    const or = and.map((p) => ({ ...p, label: (p.x1 || p.x2 ? 1 : 0) as 0 | 1 }));
    expect(decisionLine({ w: [1, 1], b: -1.5, points: or }).alt).toContain(
      "2 of 4 points lie on the side of their label; 2 on the wrong side.",
    );
  });

  it("refuses w = [0, 0]", () => {
    expect(() => decisionLine({ w: [0, 0], b: 1, points: and })).toThrow(
      /with both weights zero there is no line/,
    );
  });
});

describe("perceptronMistakes(options)", () => {
  it("draws one bar per epoch, as tall as its mistakes", () => {
    const mistakes = [3, 2, 2, 1, 0, 0];
    const drawn = draw(perceptronMistakes({ mistakes }));
    const bars = [...marks(drawn.root, "bar")[0].querySelectorAll("rect")];
    expect(bars.length).toBe(mistakes.length);
    bars.forEach((bar, k) => {
      const top = drawn.y.invert(Number(bar.getAttribute("y")));
      expect(top).toBeCloseTo(mistakes[k], 1);
    });
  });

  it("says when the perceptron converged, or that it never did", () => {
    expect(perceptronMistakes({ mistakes: [3, 2, 1, 0, 0] }).alt).toBe(
      "The perceptron made 3 mistakes in epoch 1 and none from epoch 4 on (of 5): it converged, " +
        "every training point is classified correctly.",
    );
    expect(perceptronMistakes({ mistakes: [2, 3, 2, 2] }).alt).toBe(
      "The perceptron made 2 mistakes in epoch 1 and still 2 mistakes in epoch 4 (on average 2.3 " +
        "per epoch): it never found a line that separates the classes.",
    );
    expect(() => perceptronMistakes({ mistakes: [1.5] })).toThrow(
      /expected a non-empty array of whole numbers/,
    );
  });
});

describe("decisionBoundary(options)", () => {
  const points = [
    { x1: -1, x2: 1, label: 0 as const },
    { x1: 1, x2: -1, label: 1 as const },
    { x1: 2, x2: 0, label: 1 as const },
    { x1: -2, x2: 0, label: 1 as const }, // on the wrong side
  ];
  const predict = (x1: number, x2: number) => 1 / (1 + Math.exp(-3 * (x1 - x2)));

  it("traces the line p = 0.5 where the model is undecided", () => {
    const drawn = draw(decisionBoundary({ predict, points, resolution: 30 }));
    const d = marks(drawn.root, "contour")[0].querySelector("path")!.getAttribute("d")!;
    const inside = vertices(d)
      .map((p) => inData(drawn, p))
      .filter(([x1, x2]) => x1 > -2 && x1 < 2 && x2 > -1 && x2 < 1);
    expect(inside.length).toBeGreaterThan(5);
    // within one grid cell of x₁ = x₂
    for (const [x1, x2] of inside) expect(Math.abs(x1 - x2)).toBeLessThan(0.2);
  });

  it("shades each side of the boundary in its class colour", () => {
    const resolution = 20;
    const drawn = draw(decisionBoundary({ predict, points, resolution }));
    const rects = marks(drawn.root, "rect");
    expect(rects.length).toBeGreaterThan(4);
    const [xlo, xhi] = drawn.x.domain as number[];
    const cell = (xhi - xlo) / resolution; // one grid cell, in data units
    let checked = 0;
    for (const g of rects) {
      const fill = g.getAttribute("fill")!;
      const side = fill.includes(palette.class1) ? 1 : 0;
      for (const r of g.querySelectorAll("rect")) {
        // a rect is a run of equal cells along a row: its first cell's centre was sampled, and
        // the model's answer there decides the run's colour (the rect overlaps by 0.3px)
        const [left, cy] = inData(drawn, {
          x: Number(r.getAttribute("x")) + 0.3,
          y: Number(r.getAttribute("y")) + Number(r.getAttribute("height")) / 2,
        });
        const cx = left + cell / 2;
        // the test's model says 1 exactly where x₁ > x₂
        expect(cx - cy > 0 ? 1 : 0, `cell at (${cx}, ${cy})`).toBe(side);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it("reports the share of the plane per class and the points classified correctly", () => {
    const { alt } = decisionBoundary({ predict, points, resolution: 40 });
    expect(alt).toContain("classifies 3 of 4 points correctly (75%)");
    expect(alt).toMatch(/It predicts class 1 on 5\d% of the plane/);
  });

  it("says what its colours mean in a legend drawn inside the chart", () => {
    const drawn = draw(decisionBoundary({ predict, points, resolution: 10 }));
    const words = marks(drawn.root, "text").flatMap(texts);
    expect(words).toEqual(
      expect.arrayContaining(["blue: class 1", "orange: class 0"]),
    );
  });

  it("refuses a model that does not return a probability", () => {
    expect(() => decisionBoundary({ predict: () => 2, points })).toThrow(
      /predict\(.*\) returned 2; expected a probability of class 1 between 0 and 1/,
    );
  });
});
