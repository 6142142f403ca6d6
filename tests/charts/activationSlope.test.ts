import { describe, expect, it } from "vitest";
import { activationSlope, palette } from "../../src/charts/index.ts";
import { activations } from "../../engine/index.ts";
import { draw, dotPositions, inData, marks, vertices } from "./helpers.ts";

// The dots of the chart in data units: [z, value] for f(z), then for f′(z).
function dots(name: string, z: number) {
  const drawn = draw(activationSlope({ name, z }));
  const byFill = (fill: string) =>
    marks(drawn.root, "dot")
      .filter(
        (g) => (g.getAttribute("fill") ?? g.querySelector("circle")?.getAttribute("fill")) === fill,
      )
      .flatMap((g) => dotPositions(g).map((p) => inData(drawn, p)));
  return { drawn, value: byFill(palette.series[0]), slope: byFill(palette.series[1]) };
}

describe("activationSlope({ name, z })", () => {
  it("marks a = f(z) on the curve and f′(z) on the curve of slopes", () => {
    for (const [name, z] of [
      ["sigmoid", 1],
      ["tanh", -0.5],
      ["relu", 2],
      ["leakyRelu", -3],
    ] as const) {
      const { value, slope } = dots(name, z);
      expect(value).toEqual([[expect.closeTo(z, 2), expect.closeTo(activations[name].f(z), 2)]]);
      expect(slope).toEqual([[expect.closeTo(z, 2), expect.closeTo(activations[name].df(z), 2)]]);
    }
  });

  it("draws the tangent at z: through (z, f(z)), as steep as f′(z)", () => {
    const z = 0.5;
    const { drawn } = dots("tanh", z);
    // the lines are drawn in order: the slopes (dashed), the curve, the tangent
    const tangent = marks(drawn.root, "line")[2].querySelector("path")!;
    const [[z1, a1], [z2, a2]] = vertices(tangent.getAttribute("d")!).map((p) => inData(drawn, p));
    expect((a2 - a1) / (z2 - z1)).toBeCloseTo(activations.tanh.df(z), 2);
    expect(a1 + (z - z1) * activations.tanh.df(z)).toBeCloseTo(Math.tanh(z), 2);
  });

  it("keeps the axes where they are while z moves", () => {
    const at = (z: number) => draw(activationSlope({ name: "relu", z })).y.domain;
    expect(at(-3)).toEqual(at(3));
  });

  it("says both numbers in words, and what the slope does to a small change", () => {
    expect(activationSlope({ name: "sigmoid", z: 1 }).options.caption).toBe(
      "Sigmoid at z = 1: a = f(z) = 0.731, and its slope f′(z) = 0.197: nudging z by 0.1 " +
        "moves a by about 0.02.",
    );
    expect(activationSlope({ name: "relu", z: -1 }).alt).toBe(
      "ReLU for z from −4 to 4, with its slope drawn dashed. ReLU at z = −1: a = f(z) = 0, and " +
        "its slope f′(z) = 0: the curve is flat here, so a small change of z does not change a at all.",
    );
  });

  it("gives even a tiny change in figures, not as 0", () => {
    expect(activationSlope({ name: "tanh", z: 3.5 }).options.caption).toBe(
      "Tanh at z = 3.5: a = f(z) = 0.998, and its slope f′(z) = 0.004: nudging z by 0.1 moves a " +
        "by about 0.00036, almost nothing.",
    );
  });

  it("breaks a curve where it jumps, starting the right piece at its limit from the right", () => {
    const drawn = draw(activationSlope({ name: "relu", z: 2 }));
    // the dashed slope curve: 0 up to z = 0, then 1 from z = 0 on, with no stroke between
    const slope = marks(drawn.root, "line")[0].querySelector("path")!.getAttribute("d")!;
    const pieces = slope
      .split("M")
      .filter(Boolean)
      .map((piece) => vertices(`M${piece}`).map((p) => inData(drawn, p)));
    expect(pieces.length).toBe(2);
    expect(pieces[0].every(([, a]) => Math.abs(a) < 0.01)).toBe(true);
    expect(pieces[1][0]).toEqual([expect.closeTo(0, 3), expect.closeTo(1, 3)]);
    expect(pieces[1].every(([, a]) => Math.abs(a - 1) < 0.01)).toBe(true);
  });

  it("says where a function jumps or has a corner, and has no slope", () => {
    expect(activationSlope({ name: "step", z: 0 }).options.caption).toBe(
      "Step at z = 0: a = f(z) = 1. Here the function jumps, so it has no slope at all " +
        "(the engine uses 0).",
    );
    expect(activationSlope({ name: "relu", z: 0 }).options.caption).toBe(
      "ReLU at z = 0: a = f(z) = 0. Here the function has a corner: its slope is 0 just left of " +
        "0 and 1 just right (the engine uses 0).",
    );
    // no tangent where there is no slope
    expect(marks(draw(activationSlope({ name: "step", z: 0 })).root, "line").length).toBe(2);
  });

  it("refuses an unknown function and a z off the chart", () => {
    expect(() => activationSlope({ name: "sigmoidd", z: 0 })).toThrow(
      'invalid activation: "sigmoidd" (expected one of "step", "sign", "identity"',
    );
    expect(() => activationSlope({ name: "tanh", z: 6 })).toThrow(
      "activationSlope: z = 6 is outside the domain [−4, 4]; give a z inside it, or widen the domain",
    );
    expect(() => activationSlope({ name: "tanh", z: Number.NaN })).toThrow(
      "activationSlope: invalid z null (expected a finite number)",
    );
  });
});
