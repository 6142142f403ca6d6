import { describe, expect, it } from "vitest";
import { layerRegions, type LayerRegionsOptions } from "../../src/charts/index.ts";
import { draw, dotPositions, inData, marks, texts, vertices } from "./helpers.ts";

const xor = [
  { x1: 0, x2: 0, label: 0 as const },
  { x1: 0, x2: 1, label: 1 as const },
  { x1: 1, x2: 0, label: 1 as const },
  { x1: 1, x2: 1, label: 0 as const },
];
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
// The network by hand, made smooth: h₁ ≈ OR, h₂ ≈ NAND, the output ≈ h₁ AND h₂.
const byHand: LayerRegionsOptions = {
  hidden: (x1, x2) => [sigmoid(10 * (x1 + x2 - 0.5)), sigmoid(10 * (-x1 - x2 + 1.5))],
  output: ([h1, h2]) => sigmoid(10 * (h1 + h2 - 1.5)),
  points: xor,
  resolution: 12,
};

describe("layerRegions({ hidden, output, points })", () => {
  it("shades each panel in bands around the middle of the range, with its line there", () => {
    const drawn = draw(layerRegions(byHand).panels[0]);
    const [bands, line] = marks(drawn.root, "contour");
    // the bands where h₁ ≥ 0.1, 0.3, 0.5, 0.7, 0.9: one path each, deeper blue as they go up
    const paths = [...bands.querySelectorAll("path")];
    const fills = paths.map((p) => p.getAttribute("fill"));
    expect(fills.length).toBe(5);
    expect(paths.every((p) => (p.getAttribute("d") ?? "").length > 20)).toBe(true);
    expect(fills[4]).toContain("#3d6fd9 50%");
    expect(fills[0]).toContain("#e66100 30%");
    // the line h₁ = 0.5 is x₁ + x₂ = 0.5 here
    const d = line.querySelector("path")!.getAttribute("d")!;
    const inside = vertices(d)
      .map((p) => inData(drawn, p))
      .filter(([x1, x2]) => x1 > 0 && x1 < 0.5 && x2 > 0 && x2 < 0.5);
    expect(inside.length).toBeGreaterThan(2);
    for (const [x1, x2] of inside) expect(x1 + x2).toBeCloseTo(0.5, 1);
  });

  it("draws a panel per hidden unit, the hidden space, and the output", () => {
    const spec = layerRegions(byHand);
    expect(spec.panels.map((p) => p.alt.split(":")[0])).toEqual([
      "h₁ over the input plane",
      "h₂ over the input plane",
      "The points at their hidden activations",
      "The network's output over the input plane, blue where it says class 1; 4 of 4 points are on the side of their label.",
    ]);
  });

  it("puts each point of the hidden space at its hidden activations, labelled with its input", () => {
    const drawn = draw(layerRegions(byHand).panels[2]);
    // class 0's dots, then class 1's
    const at = marks(drawn.root, "dot").flatMap((g) =>
      dotPositions(g).map((p) => inData(drawn, p)),
    );
    const expected = [...xor.filter((p) => p.label === 0), ...xor.filter((p) => p.label === 1)].map(
      (p) => byHand.hidden(p.x1, p.x2),
    );
    expect(at).toEqual(expected.map(([h1, h2]) => [expect.closeTo(h1, 1), expect.closeTo(h2, 1)]));
    // (0, 1) and (1, 0) land on the same spot: one label for both
    const labels = marks(drawn.root, "text")
      .flatMap(texts)
      .filter((t) => t?.startsWith("("));
    expect(labels.sort()).toEqual(["(0, 0)", "(0, 1)(1, 0)", "(1, 1)"]);
  });

  it("names the gate each hidden unit computes on the four corners, and counts what is right", () => {
    expect(layerRegions({ ...byHand, epoch: 120, loss: 0.0421 }).options.caption).toBe(
      "After epoch 120, loss 0.042. h₁ is above 0.5 for (0, 1), (1, 0) and (1, 1): it acts as OR. " +
        "h₂ is above 0.5 for (0, 0), (0, 1) and (1, 0): it acts as NAND. " +
        "The output is right for 4 of 4 points.",
    );
    expect(layerRegions({ ...byHand, epoch: 0 }).options.caption).toMatch(/^Before training\. h₁/);
    const blind = layerRegions({ ...byHand, output: () => 0.3 }).options.caption;
    expect(blind).toMatch(/The output is right for 2 of 4 points\.$/);
  });

  it("leaves the hidden space out when it has more than two dimensions, and says so", () => {
    const spec = layerRegions({
      ...byHand,
      hidden: (x1, x2) => [...byHand.hidden(x1, x2), 0.5],
      output: ([h1, h2]) => byHand.output([h1, h2]),
    });
    expect(spec.panels.length).toBe(4);
    expect(spec.options.caption).toContain(
      "With 3 hidden units, the hidden space has 3 dimensions: only a layer of two can be drawn in the plane.",
    );
  });

  it("shades tanh units from −1 to 1 when told their range", () => {
    const tanh = layerRegions({
      ...byHand,
      hidden: (x1, x2) => byHand.hidden(x1, x2).map((h) => 2 * h - 1),
      output: ([h1, h2]) => byHand.output([(h1 + 1) / 2, (h2 + 1) / 2]),
      range: [-1, 1],
    });
    expect(tanh.options.caption).toContain(
      "h₁ is above 0 for (0, 1), (1, 0) and (1, 1): it acts as OR.",
    );
  });

  it("says what is wrong with a hidden layer or an output it cannot draw", () => {
    expect(() => layerRegions({ ...byHand, hidden: () => [-0.5, 0.2] })).toThrow(
      "layerRegions: hidden(0, 0) returned [-0.5,0.2]; expected one or more numbers from 0 to 1, " +
        "one per hidden unit (for tanh units, pass range: [-1, 1])",
    );
    expect(() => layerRegions({ ...byHand, output: () => 2 })).toThrow(
      "layerRegions: output([0.01, 1]) returned 2; expected a probability between 0 and 1",
    );
    expect(() => layerRegions({ ...byHand, hidden: undefined as never })).toThrow(
      "layerRegions: received hidden undefined and output function; expected two functions",
    );
  });
});
