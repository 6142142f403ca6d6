import { parseHTML } from "linkedom";
import { describe, expect, it } from "vitest";
import { palette, rnnDiagram } from "../../src/charts/index.ts";
import { sanitizeBuildOutput } from "../../src/notebook/sanitize-node.ts";

const inputs = [1, 0, 0];
const states = [0.76, 0.55, -0.41];

function parse(svg: string): SVGSVGElement {
  const { document } = parseHTML(`<!doctype html><html><body>${svg}</body></html>`);
  return document.querySelector("svg") as unknown as SVGSVGElement;
}

describe("rnnDiagram(options)", () => {
  it("draws one cell per step with its state, and one input per step", () => {
    const svg = parse(rnnDiagram({ inputs, states }).svg);
    const boxes = [...svg.querySelectorAll("rect")];
    expect(boxes.length).toBe(3);
    const words = [...svg.querySelectorAll("text")].map((t) => t.textContent);
    expect(words).toEqual(expect.arrayContaining(["h₀", "h₁", "h₂", "h₃", "x₁", "x₂", "x₃"]));
    expect(words).toEqual(expect.arrayContaining(["0.76", "0.55", "−0.41"]));
    expect(svg.querySelectorAll("circle").length).toBe(3);
    // the weights named once, as in the formula: W with a subscript x, W with a subscript h
    expect(words.filter((w) => w === "Wx" || w === "Wh")).toEqual(["Wx", "Wh"]);
    // a positive state is tinted blue, a negative one orange, stronger the larger
    expect(boxes.map((b) => b.getAttribute("fill"))).toEqual([palette.class1, palette.class1, palette.class0]);
    const opacity = boxes.map((b) => Number(b.getAttribute("fill-opacity")));
    expect(opacity[0]).toBeGreaterThan(opacity[1]);
  });

  it("carries its own role and label, the same words as its alt text", () => {
    const { svg, alt } = rnnDiagram({ inputs, states });
    const root = parse(svg);
    expect(svg.startsWith("<svg")).toBe(true);
    expect(root.getAttribute("role")).toBe("img");
    expect(root.getAttribute("aria-label")).toBe(alt);
    expect(alt).toBe(
      "A recurrent cell unrolled over 3 steps: at each step it reads one input and the state of " +
        "the step before (starting from h₀ = 0), with the same weights every time. Inputs: 1, 0 " +
        "and 0. States: 0.76, 0.55 and −0.41.",
    );
  });

  it("keeps its arrows and text through the cell output sanitizer", () => {
    const clean = sanitizeBuildOutput(rnnDiagram({ inputs, states }).svg, "rnn");
    const root = parse(clean);
    expect(root.querySelectorAll("text").length).toBe(parse(rnnDiagram({ inputs, states }).svg).querySelectorAll("text").length);
    const marker = root.querySelector("marker")!;
    expect(marker).not.toBeNull();
    // the arrows point at the marker under its new, prefixed id
    expect(root.querySelector("line")!.getAttribute("marker-end")).toBe(`url(#${marker.getAttribute("id")})`);
  });

  it("draws names only when it is given no states", () => {
    const svg = parse(rnnDiagram({ inputs: [2, -1] }).svg);
    const words = [...svg.querySelectorAll("text")].map((t) => t.textContent);
    expect(words).toContain("h₂");
    expect([...svg.querySelectorAll("rect")].every((r) => r.getAttribute("fill") === "none")).toBe(true);
  });

  it("says how to fix a sequence too long to fit, or states that do not match", () => {
    expect(() => rnnDiagram({ inputs: [1, 2, 3, 4, 5, 6, 7] })).toThrow(
      "rnnDiagram: received 7 inputs; at most 6 steps fit a page (a phone's included). " +
        "Draw the first 6: inputs.slice(0, 6)",
    );
    expect(() => rnnDiagram({ inputs: [1, 2], states: [0.5] })).toThrow(
      "rnnDiagram: received 1 states for 2 inputs; expected one finite state per input",
    );
    expect(() => rnnDiagram({ inputs: [1, Number.NaN] })).toThrow(
      "rnnDiagram: received inputs [1, NaN]; expected a non-empty array of finite numbers",
    );
  });
});
