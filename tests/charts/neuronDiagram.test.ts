import { parseHTML } from "linkedom";
import { describe, expect, it } from "vitest";
import { neuronDiagram, palette } from "../../src/charts/index.ts";

/** The diagram's SVG, parsed. */
function parse(svg: string): Element {
  const { document } = parseHTML(`<!doctype html><html><body>${svg}</body></html>`);
  return document.querySelector("svg") as unknown as Element;
}

/** The style of each input's edge (the bias's edge has none). */
function edgeStyles(root: Element): string[] {
  return [...root.querySelectorAll("line.nn-edge[style]")].map((l) => l.getAttribute("style")!);
}

const width = (style: string) => Number(/stroke-width:([\d.]+)/.exec(style)![1]);

// Chapter 1's neuron at its sliders' defaults.
const chapterOne = {
  inputs: ["x₁", "x₂"],
  values: [1, 2],
  weights: [0.5, -1],
  bias: 0,
  activation: false as const,
  output: "a",
  result: -1.5,
};

describe("neuronDiagram(options)", () => {
  it("colours each numeric weight's edge by its sign and widens it with its size", () => {
    const styles = edgeStyles(parse(neuronDiagram({ ...chapterOne, weights: [0.5, -2] }).svg));
    expect(styles[0]).toContain(`stroke:${palette.class1}`);
    expect(styles[1]).toContain(`stroke:${palette.class0}`);
    expect(width(styles[1])).toBeGreaterThan(width(styles[0]));
    // the same size, either sign: the same width
    const flipped = edgeStyles(parse(neuronDiagram({ ...chapterOne, weights: [-0.5, 2] }).svg));
    expect(flipped.map(width)).toEqual(styles.map(width));
  });

  it("draws a weight of 0 as a thin dotted grey line", () => {
    const [style] = edgeStyles(parse(neuronDiagram({ ...chapterOne, weights: [0, 1] }).svg));
    expect(style).toContain("stroke-dasharray");
    expect(width(style)).toBeLessThan(2);
  });

  it("writes the values in the nodes and the weights on the edges", () => {
    const root = parse(neuronDiagram(chapterOne).svg);
    const text = [...root.querySelectorAll("text")].map((t) => t.textContent);
    for (const shown of ["1", "2", "x₁", "x₂", "w₁ = 0.5", "w₂ = −1", "0", "bias b", "−1.5"]) {
      expect(text).toContain(shown);
    }
    expect(text).toContain("output a");
    // no activation: no box, one arrow from Σ to the output
    expect(root.querySelectorAll("rect").length).toBe(0);
    expect(root.querySelectorAll(".nn-arrow").length).toBe(1);
  });

  it("says the same numbers in words, and carries them as its label", () => {
    const { svg, alt } = neuronDiagram(chapterOne);
    expect(alt).toBe(
      "A neuron with inputs x₁ = 1 and x₂ = 2. " +
        "The edge from x₁ carries w₁ = 0.5 (positive: blue, of medium width). " +
        "The edge from x₂ carries w₂ = −1 (negative: orange, thick). " +
        "An edge's colour shows its weight's sign, its width the weight's size. " +
        "The inputs times their weights, plus the bias b = 0, add up to the net sum z, " +
        "passed on unchanged as the output a = −1.5.",
    );
    const root = parse(svg);
    expect(root.getAttribute("role")).toBe("img");
    expect(root.getAttribute("aria-label")).toBe(alt);
    const zero = neuronDiagram({ ...chapterOne, weights: [0, 1], result: 2 }).alt;
    expect(zero).toContain("The edge from x₁ carries w₁ = 0 (a dotted grey line: the input is ignored).");
  });

  it("draws the component's labelled neuron as before: labels, Σ, activation, output", () => {
    const { svg, alt } = neuronDiagram({
      inputs: ["x₁", "x₂", "x₃"],
      weights: ["w₁", "w₂", "w₃"],
    });
    expect(alt).toBe(
      "A neuron: inputs x₁, x₂ and x₃, each multiplied by its weight (w₁, w₂ and w₃), are added " +
        "together with the bias b into the net sum Σ, which the activation function f turns " +
        "into the output a.",
    );
    const root = parse(svg);
    expect(root.getAttribute("viewBox")).toBe("0 0 560 260");
    // labels, not numbers: no edge gets a colour of its own, and there is no key
    expect(edgeStyles(root)).toEqual([]);
    expect(root.querySelector(".nn-key")).toBeNull();
    expect(root.querySelectorAll("rect").length).toBe(1);
  });

  it("escapes labels in the markup", () => {
    const { svg } = neuronDiagram({ inputs: ["<x>"], output: 'a"b' });
    expect(svg).toContain("&lt;x&gt;");
    expect(svg).not.toContain("<x>");
  });

  it("refuses values that do not match the inputs, and weights that are not finite", () => {
    expect(() => neuronDiagram({ ...chapterOne, values: [1] })).toThrow(
      "NeuronDiagram: received values [1] for 2 inputs; give one finite number per input " +
        "(or leave values out)",
    );
    expect(() => neuronDiagram({ ...chapterOne, weights: [1, Number.POSITIVE_INFINITY] })).toThrow(
      "neuronDiagram: received the weight Infinity; expected finite numbers (or labels)",
    );
  });
});
