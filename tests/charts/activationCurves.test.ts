import { describe, expect, it } from "vitest";
import { activationCurves, fmt } from "../../src/charts/index.ts";
import { draw, marks, texts, vertices } from "./helpers.ts";

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

describe("activationCurves(options)", () => {
  it("draws step, sigmoid, tanh and ReLU by default, one titled panel each", () => {
    const drawn = draw(activationCurves());
    const titles = marks(drawn.root, "text").flatMap(texts);
    expect(titles.sort()).toEqual(["ReLU", "Sigmoid", "Step", "Tanh"]);
    expect(drawn.root.querySelectorAll('g[aria-label="line"] path').length).toBe(4);
  });

  it("layout overlay puts every curve in one panel, each through its own values", () => {
    const names = ["sigmoid", "tanh", "relu"];
    const fs = [sigmoid, Math.tanh, (z: number) => Math.max(0, z)];
    const drawn = draw(activationCurves({ names, domain: [-3, 3], layout: "overlay" }));
    const paths = [...drawn.root.querySelectorAll('g[aria-label="line"] path')];
    expect(paths.length).toBe(3);
    paths.forEach((path, k) => {
      const points = vertices(path.getAttribute("d")!);
      expect(points.length).toBeGreaterThan(100);
      for (const p of points.filter((_, i) => i % 20 === 0)) {
        const z = drawn.x.invert(p.x);
        expect(drawn.y.invert(p.y)).toBeCloseTo(fs[k](z), 1);
      }
    });
  });

  it("breaks the step function's line at its jump instead of drawing a vertical stroke", () => {
    const drawn = draw(activationCurves({ names: ["step"], domain: [-2, 2] }));
    const d = drawn.root.querySelector('g[aria-label="line"] path')!.getAttribute("d")!;
    expect(d.match(/M/g)!.length).toBe(2);
    for (const p of vertices(d)) {
      expect([0, 1]).toContain(Math.round(drawn.y.invert(p.y) * 1000) / 1000);
    }
  });

  it("states each function's range in the alt text, computed over the domain", () => {
    const { alt } = activationCurves({ domain: [-4, 4] });
    expect(alt).toContain("for z from −4 to 4");
    expect(alt).toContain(`Sigmoid rises from ${fmt(sigmoid(-4))} to ${fmt(sigmoid(4))}`);
    expect(alt).toContain("Step jumps from 0 to 1 at z = 0");
    expect(alt).toContain("ReLU is 0 for negative z and rises to 4");
  });

  it("rejects an unknown name with the list of known ones", () => {
    expect(() => activationCurves({ names: ["sigmoidd"] })).toThrow(
      'invalid activation: "sigmoidd" (expected one of "step", "sign", "identity", ' +
        '"sigmoid", "tanh", "relu", "leakyRelu")',
    );
    expect(() => activationCurves({ domain: [2, -2] })).toThrow(/invalid domain \[2,-2\]/);
  });

  it("gives each function the same colour in every chart, wherever it is listed", () => {
    const colourOf = (names: string[], name: string) => {
      const colour = draw(activationCurves({ names })).scale("color")!;
      return colour.apply(name === "relu" ? "ReLU" : name.charAt(0).toUpperCase() + name.slice(1));
    };
    const sigmoidIn3 = colourOf(["step", "sigmoid", "tanh", "relu"], "sigmoid");
    const sigmoidIn5 = colourOf(["sigmoid", "tanh", "relu"], "sigmoid");
    expect(sigmoidIn3).toBe(sigmoidIn5);
    expect(colourOf(["step", "sigmoid", "tanh", "relu"], "relu")).toBe(
      colourOf(["sigmoid", "tanh", "relu"], "relu"),
    );
    expect(sigmoidIn3).not.toBe(colourOf(["sigmoid", "tanh"], "tanh"));
  });
});
