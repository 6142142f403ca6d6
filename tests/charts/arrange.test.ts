import * as Plot from "@observablehq/plot";
import { describe, expect, it } from "vitest";
import {
  arrange,
  decisionLine,
  perceptronMistakes,
  type ChartSpec,
} from "../../src/charts/index.ts";
import { freshDocument } from "./helpers.ts";

const points = [
  { x1: 0, x2: 0, label: 0 as const },
  { x1: 1, x2: 1, label: 1 as const },
];
const sized = (spec: ChartSpec, width: number, height: number): ChartSpec => ({
  ...spec,
  options: { ...spec.options, width, height },
});
// Two charts, each given a size (a chart placed by arrange must say how big it is).
const line = sized(decisionLine({ w: [1, 1], b: -1.5, points }), 300, 300);
const bars = sized(perceptronMistakes({ mistakes: [2, 1, 0] }), 200, 150);

function render(spec: ChartSpec): Element {
  return Plot.plot({ ...spec.options, document: freshDocument() }) as unknown as Element;
}

// The panels' groups, in order, with where each was moved to.
function placed(root: Element): { x: number; y: number; element: Element }[] {
  const svg = root.tagName.toLowerCase() === "svg" ? root : root.querySelector("svg")!;
  return [...svg.querySelectorAll("g[transform^=translate]")]
    .filter((g) => g.parentElement?.parentElement === svg)
    .map((g) => {
      const [, x, y] = /translate\(([-\d.]+),([-\d.]+)\)/.exec(g.getAttribute("transform")!)!;
      return { x: Number(x), y: Number(y), element: g };
    });
}

describe("arrange(charts, options)", () => {
  it("puts the charts side by side by default, each at its own size", () => {
    const a = sized(line, 200, 150);
    const b = sized(bars, 120, 180);
    const spec = arrange([a, b], { gap: 10 });
    expect(spec.options.width).toBe(200 + 10 + 120);
    expect(spec.options.height).toBe(180);
    const root = render(spec);
    expect(placed(root).map(({ x, y }) => [x, y])).toEqual([
      [0, 0],
      [210, 0],
    ]);
    // Each panel keeps its own marks: the line's line, the mistakes' bars.
    const [first, second] = placed(root).map((p) => p.element);
    expect(first.querySelector('g[aria-label="line"]')).toBeTruthy();
    expect(second.querySelector('g[aria-label="bar"]')).toBeTruthy();
    // Plot's stylesheet comes with the page, not once per panel.
    expect(root.querySelectorAll("style").length).toBe(1);
  });

  it("wraps into rows of `columns`, as wide as the widest chart of each column", () => {
    const charts = [sized(line, 200, 100), sized(bars, 100, 120), sized(line, 150, 90)];
    const spec = arrange(charts, { columns: 2, gap: 16 });
    expect(spec.options.width).toBe(200 + 16 + 100);
    expect(spec.options.height).toBe(120 + 16 + 90);
    expect(placed(render(spec)).map(({ x, y }) => [x, y])).toEqual([
      [0, 0],
      [216, 0],
      [0, 136],
    ]);
  });

  it("speaks for the whole with the charts' alt texts, and keeps the panels", () => {
    const spec = arrange([line, bars]);
    expect(spec.alt).toBe(`${line.alt} ${bars.alt}`);
    expect(spec.options.ariaLabel).toBe(spec.alt);
    expect(spec.panels).toEqual([line, bars]);
    expect(arrange([line], { alt: "One line." }).alt).toBe("One line.");
  });

  it("shows a caption under the figure", () => {
    const root = render(arrange([line, bars], { caption: "Epoch 3: no mistakes." }));
    expect(root.tagName.toLowerCase()).toBe("figure");
    expect(root.querySelector("figcaption")?.textContent).toBe("Epoch 3: no mistakes.");
  });

  it("refuses what it cannot place, saying what it received", () => {
    expect(() => arrange([])).toThrow(
      "arrange: received an empty array; expected a non-empty array of charts",
    );
    expect(() => arrange([{ width: 3 } as unknown as ChartSpec])).toThrow(
      "arrange: chart 0 is not a chart (received object); expected { options, alt }",
    );
    // decisionLine sets a width and an aspect ratio, no height
    const square = decisionLine({ w: [1, 1], b: -1.5, points });
    expect(() => arrange([line, square])).toThrow(
      "arrange: chart 1 has width 440 and height undefined; expected both in its options",
    );
    expect(() => arrange([line], { columns: 0 })).toThrow("arrange: invalid columns 0");
  });

  it("refuses a chart that draws a legend around its SVG", () => {
    const legend = {
      ...line,
      options: { ...line.options, color: { ...line.options.color, legend: true } },
    };
    expect(() => render(arrange([legend]))).toThrow(
      "arrange: chart 0 draws a legend or a caption around its SVG",
    );
  });
});
