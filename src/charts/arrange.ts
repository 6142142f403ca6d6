// Several charts in one figure: each drawn by Plot with its own scales and axes, placed in a grid,
// with one text alternative (and, if given, one visible caption) for the whole.
import * as Plot from "@observablehq/plot";
import { labelled, type ChartSpec } from "./spec.ts";
import { chartStyle } from "./theme.ts";

/** Options of {@link arrange}. */
export type ArrangeOptions = {
  /** Charts per row. Default: all in one row. */
  columns?: number;
  /** Room between two charts (px). Default 16. */
  gap?: number;
  /** A sentence shown under the figure (Plot's caption): say what the figure shows now. */
  caption?: string;
  /** The text alternative of the whole. Default: the charts' own, one after another. */
  alt?: string;
};

/** A figure made of panels: the panels stay reachable, so each can be drawn (or tested) alone. */
export type ArrangedSpec = ChartSpec & { panels: ChartSpec[] };

const SVG = "http://www.w3.org/2000/svg";
// What a Plot <svg> sets for all its marks: kept on the group that replaces it.
const INHERITED = [
  "fill",
  "font-family",
  "font-size",
  "font-variant",
  "text-anchor",
  "class",
  "style",
];

/**
 * Lays charts out in a grid, left to right and top to bottom, as one chart: each keeps its own
 * scales, axes and size (`options.width` and `options.height`, which every chart must set), and
 * the figure is as wide as its widest row.
 *
 * @example
 * arrange([decisionLine({ w, b, points }), perceptronMistakes({ mistakes })], { columns: 2 })
 */
export function arrange(charts: ChartSpec[], options: ArrangeOptions = {}): ArrangedSpec {
  if (!Array.isArray(charts) || charts.length === 0) {
    throw new TypeError(
      `arrange: received ${Array.isArray(charts) ? "an empty array" : typeof charts}; expected ` +
        "a non-empty array of charts, such as [decisionLine(…), perceptronMistakes(…)]",
    );
  }
  charts.forEach((chart, k) => {
    const { width, height, marks } = (chart?.options ?? {}) as Record<string, unknown>;
    if (!Array.isArray(marks) || typeof chart.alt !== "string") {
      throw new TypeError(
        `arrange: chart ${k} is not a chart (received ${describe(chart)}); expected ` +
          "{ options, alt } as a chart function returns it",
      );
    }
    if (!(Number(width) > 0) || !(Number(height) > 0)) {
      throw new TypeError(
        `arrange: chart ${k} has width ${JSON.stringify(width)} and height ` +
          `${JSON.stringify(height)}; expected both in its options, in px, so that it can be placed`,
      );
    }
  });
  const columns = options.columns ?? charts.length;
  if (!Number.isInteger(columns) || columns < 1) {
    throw new RangeError(
      `arrange: invalid columns ${JSON.stringify(columns)} (expected a whole number ≥ 1)`,
    );
  }
  const gap = options.gap ?? 16;
  const size = (chart: ChartSpec) => ({
    width: Number(chart.options.width),
    height: Number(chart.options.height),
  });
  // Column widths and row heights: the largest chart in each.
  const widths = Array.from({ length: Math.min(columns, charts.length) }, (_, c) =>
    Math.max(...charts.filter((_, k) => k % columns === c).map((chart) => size(chart).width)),
  );
  const heights = Array.from({ length: Math.ceil(charts.length / columns) }, (_, r) =>
    Math.max(...charts.slice(r * columns, (r + 1) * columns).map((chart) => size(chart).height)),
  );
  const sum = (values: number[], upTo: number) =>
    values.slice(0, upTo).reduce((total, v) => total + v + gap, 0);
  const places = charts.map((_, k) => ({
    x: sum(widths, k % columns),
    y: sum(heights, Math.floor(k / columns)),
  }));
  const width = sum(widths, widths.length) - gap;
  const height = sum(heights, heights.length) - gap;

  // A mark that draws every chart with Plot, in the same document, and moves it into place.
  const panels = (
    _index: unknown,
    _scales: unknown,
    _values: unknown,
    _size: unknown,
    context: { document: Document },
  ) => {
    const { document } = context;
    const group = document.createElementNS(SVG, "g");
    charts.forEach((chart, k) => {
      const drawn = Plot.plot({ ...chart.options, document }) as Element;
      const svg = drawn.tagName.toLowerCase() === "svg" ? drawn : drawn.querySelector("svg");
      if (!svg || drawn !== svg) {
        throw new TypeError(
          `arrange: chart ${k} draws a legend or a caption around its SVG; ` +
            "leave them out of a chart that is arranged (set legend: false, no caption)",
        );
      }
      const panel = document.createElementNS(SVG, "g");
      for (const name of INHERITED) {
        const value = svg.getAttribute(name);
        if (value !== null) panel.setAttribute(name, value);
      }
      panel.setAttribute("transform", `translate(${places[k].x},${places[k].y})`);
      for (const child of [...svg.childNodes]) {
        // Plot's stylesheet ships with the page; one copy per panel would be noise.
        if ((child as Element).tagName?.toLowerCase() === "style") continue;
        panel.appendChild(child);
      }
      group.appendChild(panel);
    });
    return group;
  };

  const alt = options.alt ?? charts.map((chart) => chart.alt).join(" ");
  const spec = labelled({
    options: {
      width,
      height,
      style: chartStyle,
      margin: 0,
      ...(options.caption ? { caption: options.caption } : {}),
      marks: [panels as unknown as Plot.Markish],
    },
    alt,
  });
  return { ...spec, panels: charts };
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value;
}
