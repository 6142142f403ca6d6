import { describe, expect, it } from "vitest";
import { biasShift, neuronResponse } from "../../src/charts/index.ts";
import { draw, dotPositions, inData, marks, vertices } from "./helpers.ts";

describe("neuronResponse(options)", () => {
  it("draws a = w·x as a line through the origin with slope w, for each weight", () => {
    const weights = [-1, 0, 0.5, 2];
    const drawn = draw(neuronResponse({ weights, domain: [-3, 3] }));
    const paths = [...marks(drawn.root, "line")[0].querySelectorAll("path")];
    expect(paths.length).toBe(weights.length);
    paths.forEach((path, k) => {
      for (const p of vertices(path.getAttribute("d")!)) {
        const x = drawn.x.invert(p.x);
        expect(drawn.y.invert(p.y)).toBeCloseTo(weights[k] * x, 2);
      }
    });
  });

  it("says a weight of zero gives a flat line and names the steepest", () => {
    const { alt } = neuronResponse({ weights: [-1, 0, 0.5, 2] });
    expect(alt).toContain("w = 0 is flat at a = 0: that input has no effect");
    expect(alt).toContain("w = 2 is the steepest");
    expect(alt).toContain("w = −1 falls as x grows");
    expect(neuronResponse({ weights: [1, 3] }).alt).not.toContain("flat");
  });

  it("rejects weights that are not numbers", () => {
    expect(() => neuronResponse({ weights: [] })).toThrow(/invalid weights \[\]/);
  });
});

describe("biasShift(options)", () => {
  it("draws parallel lines w·x + b, each crossing x = 0 at its bias", () => {
    const biases = [-2, 0, 1.5];
    const drawn = draw(biasShift({ weight: 0.5, biases }));
    const intercepts = dotPositions(marks(drawn.root, "dot")[0]);
    expect(intercepts.map((p) => inData(drawn, p))).toEqual(
      biases.map((b) => [expect.closeTo(0, 2), expect.closeTo(b, 2)]),
    );
    const paths = [...marks(drawn.root, "line")[0].querySelectorAll("path")];
    paths.forEach((path, k) => {
      const [[ax, ay], [bx, by]] = vertices(path.getAttribute("d")!).map((p) => inData(drawn, p));
      expect((by - ay) / (bx - ax)).toBeCloseTo(0.5, 3);
      expect(ay - 0.5 * ax).toBeCloseTo(biases[k], 2);
    });
  });

  it("states the intercepts in the alt text", () => {
    expect(biasShift({ weight: 1, biases: [-2, 0, 2] }).alt).toBe(
      "Lines z = 1·x + b for x from −3 to 3 and b = −2, 0 and 2: the same slope, shifted up " +
        "or down by the bias. Each line crosses the vertical axis (x = 0) at its bias: " +
        "z = −2, 0 and 2.",
    );
  });
});
