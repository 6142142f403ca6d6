import { describe, expect, it } from "vitest";
import { palette, probabilityBars } from "../../src/charts/index.ts";
import { draw, marks, texts } from "./helpers.ts";

const probabilities = [0.01, 0.002, 0.05, 0.003, 0.005, 0.002, 0.001, 0.9, 0.007, 0.02];

describe("probabilityBars(options)", () => {
  it("draws one bar per class, as tall as its probability, the most probable in blue", () => {
    const drawn = draw(probabilityBars({ probabilities }));
    const bars = [...marks(drawn.root, "bar")[0].querySelectorAll("rect")];
    expect(bars.length).toBe(10);
    const heights = bars.map((r) => {
      const [y, h] = [Number(r.getAttribute("y")), Number(r.getAttribute("height"))];
      return drawn.y.invert(y) - drawn.y.invert(y + h);
    });
    heights.forEach((h, i) => expect(h).toBeCloseTo(probabilities[i] * 100, 1));
    const fills = bars.map((r) => r.getAttribute("fill"));
    expect(fills[7]).toBe(palette.series[0]);
    expect(fills.filter((f) => f === palette.series[0]).length).toBe(1);
  });

  it("writes the percentages from 1% up, the answer's in bold", () => {
    const drawn = draw(probabilityBars({ probabilities }));
    const [answer, others] = marks(drawn.root, "text");
    expect(texts(answer)).toEqual(["90%"]);
    expect(answer.getAttribute("font-weight")).toBe("bold");
    expect(texts(others)).toEqual(["1%", "5%", "2%"]);
  });

  it("names the answer and the runners-up in its alt text", () => {
    expect(probabilityBars({ probabilities }).alt).toBe(
      "Probabilities of the 10 classes: the highest is 7, at 90%; then 2 at 5%, 9 at 2% and " +
        "0 at 1%; the other 6 are below 1%.",
    );
    const sure = probabilityBars({ probabilities: [0.001, 0.999], classes: ["cat", "dog"] });
    expect(sure.alt).toBe(
      "Probabilities of the 2 classes: the highest is dog, at 100%; the other one is below 1%.",
    );
  });

  it("says what it received when the probabilities are not probabilities", () => {
    expect(() => probabilityBars({ probabilities: [1.5, -0.5] })).toThrow(
      "probabilityBars: received probabilities [1.5,-0.5]; expected an array of at least two " +
        "numbers from 0 to 1, such as softmax(scores)",
    );
    expect(() => probabilityBars({ probabilities: [0.5, 0.5], classes: ["a"] })).toThrow(
      "probabilityBars: received 1 class names for 2 probabilities; expected one name per probability",
    );
  });

  it("carries its alt text as Plot's ariaLabel", () => {
    const spec = probabilityBars({ probabilities });
    expect(spec.options.ariaLabel).toBe(spec.alt);
  });
});
