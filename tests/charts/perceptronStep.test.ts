import { describe, expect, it } from "vitest";
import { perceptronStep, type PerceptronStepOptions } from "../../src/charts/index.ts";
import { draw, dotPositions, inData, marks, vertices } from "./helpers.ts";

const and = [
  { x1: 0, x2: 0, label: 0 as const },
  { x1: 0, x2: 1, label: 0 as const },
  { x1: 1, x2: 0, label: 0 as const },
  { x1: 1, x2: 1, label: 1 as const },
];
// Epoch 2, third example (1, 0), label 0: the line before says z = 1.2 + 0.4 ≥ 0, ŷ = 1, wrong.
const wrongStep: PerceptronStepOptions = {
  points: and,
  before: { w: [1.2, 0.9], b: 0.4 },
  w: [0.2, 0.9],
  b: -0.6,
  current: 2,
  epoch: 2,
  mistakes: [3, 1],
};

describe("perceptronStep(options)", () => {
  it("draws the line after the step solid, and the line before it dashed", () => {
    const [panel] = perceptronStep(wrongStep).panels;
    const drawn = draw(panel);
    const [before, after] = ["before", "after"].map((when) =>
      drawn.root.querySelector(`g[aria-description="the line ${when} the step"]`)!,
    );
    const dashes = (g: Element) =>
      g.querySelector("[stroke-dasharray]")?.getAttribute("stroke-dasharray");
    expect(dashes(before)).toBe("5 4");
    expect(dashes(after)).toBe(undefined);
    const on = (group: Element, [w1, w2, b]: number[]) => {
      const d = group.querySelector("path")!.getAttribute("d")!;
      for (const [x1, x2] of vertices(d).map((p) => inData(drawn, p))) {
        expect(w1 * x1 + w2 * x2 + b).toBeCloseTo(0, 2);
      }
    };
    on(before, [1.2, 0.9, 0.4]);
    on(after, [0.2, 0.9, -0.6]);
    // no dashed line when the step changed nothing
    const still = draw(
      perceptronStep({ ...wrongStep, before: { w: [0.2, 0.9], b: -0.6 } }).panels[0],
    );
    expect(still.root.querySelector('g[aria-description="the line before the step"]')).toBe(null);
    expect(still.root.querySelector('g[aria-description="the line after the step"]')).toBeTruthy();
  });

  it("rings the example just checked, and keeps the axes still", () => {
    const drawn = draw(perceptronStep(wrongStep).panels[0]);
    const [ring] = marks(drawn.root, "dot").map((g) =>
      dotPositions(g).map((p) => inData(drawn, p)),
    );
    expect(ring).toEqual([[expect.closeTo(1, 2), expect.closeTo(0, 2)]]);
    const other = draw(perceptronStep({ ...wrongStep, w: [5, -3], b: 40 }).panels[0]);
    expect(other.x.domain).toEqual(drawn.x.domain);
    expect(other.y.domain).toEqual([-0.5, 1.5]);
  });

  it("counts the mistakes of each epoch, the running one paler", () => {
    const drawn = draw(perceptronStep({ ...wrongStep, epochs: 12 }).panels[1]);
    const bars = [...marks(drawn.root, "bar")[0].querySelectorAll("rect")];
    expect(bars.map((bar) => Math.round(drawn.y.invert(Number(bar.getAttribute("y")))))).toEqual([
      3, 1,
    ]);
    expect(bars.map((bar) => bar.getAttribute("fill-opacity"))).toEqual(["1", "0.45"]);
    expect(drawn.x.domain.length).toBe(12);
  });

  it("tells the step in words: the example, z, ŷ, and what the rule changed", () => {
    expect(perceptronStep(wrongStep).options.caption).toBe(
      "Epoch 2, example 3 of 4: x = (1, 0), label y = 0. z = 1.6 ≥ 0, so ŷ = 1, but y = 0: " +
        "wrong, so the rule moves the line to w = (0.2, 0.9), b = −0.6. Mistakes so far in epoch 2: 1.",
    );
    expect(perceptronStep({ points: and, w: [0.1, -0.2], b: 0.3 }).options.caption).toBe(
      "Before training: w = (0.1, −0.2), b = 0.3. The line puts 1 of 4 points on the side of their label.",
    );
    const clean = {
      points: and,
      w: [2, 1] as [number, number],
      b: -3,
      current: 3,
      epoch: 6,
      mistakes: [2, 3, 0],
    };
    expect(perceptronStep(clean).options.caption).toBe(
      "Epoch 6, example 4 of 4: x = (1, 1), label y = 1. z = 0 ≥ 0, so ŷ = 1: right, nothing " +
        "changes. Epoch 6 made no mistakes: every point is on the side of its label, and the rule stops.",
    );
    expect(perceptronStep({ ...clean, mistakes: [2, 3, 2] }).options.caption).toMatch(
      /Epoch 6 ends with 2 mistakes\.$/,
    );
  });

  it("says the same for a screen reader, with what each panel shows", () => {
    const { alt } = perceptronStep(wrongStep);
    expect(alt).toContain("The line 0.2·x₁ + 0.9·x₂ − 0.6 = 0");
    expect(alt).toContain(
      "puts 3 of 4 points on the side of their label; the line before this step is dashed.",
    );
    expect(alt).toContain("Mistakes per finished epoch: 3.");
    expect(alt).toContain("z = 1.6 ≥ 0, so ŷ = 1, but y = 0: wrong");
  });

  it("refuses an example that is not one of the points, and a line without two weights", () => {
    expect(() => perceptronStep({ ...wrongStep, current: 4 })).toThrow(
      "perceptronStep: invalid current 4 (expected the index of a point, a whole number from 0 to 3",
    );
    expect(() => perceptronStep({ ...wrongStep, w: [1] as unknown as [number, number] })).toThrow(
      "perceptronStep: received w [1]; expected two weights [w1, w2]",
    );
    expect(() => perceptronStep({ ...wrongStep, mistakes: [1.5] })).toThrow(
      "perceptronStep: received mistakes [1.5]; expected whole numbers ≥ 0, one per epoch so far",
    );
  });
});
