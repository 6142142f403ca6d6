// What a classifier predicts over the whole plane: a shaded grid with the training points on top.
import * as Plot from "@observablehq/plot";
import { checkPoints } from "./checks.ts";
import type { LabelledPoint } from "./decisionLine.ts";
import { fmt, plural } from "./format.ts";
import { labelled, type ChartSpec } from "./spec.ts";
import { axisRoom, chartStyle, defaults, palette } from "./theme.ts";

/** A model as the chart sees it: the probability of class 1 at a point. */
type Model = (x1: number, x2: number) => number;

/** Options of {@link decisionBoundary}. */
export type DecisionBoundaryOptions = {
  /** The model: the probability of class 1 at a point, between 0 and 1. */
  predict: (x1: number, x2: number) => number;
  /** The points drawn on top, coloured and shaped by label. */
  points: LabelledPoint[];
  /** Grid cells per side. Default 40. */
  resolution?: number;
};

/**
 * The plane shaded by prediction: blue where the model says class 1, orange where it says class
 * 0, fading to clear where it is unsure (p near 0.5), with the line p = 0.5 drawn and the points
 * on top. Cells of a row with the same shade are merged into one rectangle to keep the SVG small.
 */
export function decisionBoundary(options: DecisionBoundaryOptions): ChartSpec {
  const predict = options?.predict;
  if (typeof predict !== "function") {
    throw new TypeError(
      `decisionBoundary: received predict ${typeof predict}; expected a function (x1, x2) => ` +
        "probability of class 1, such as (x1, x2) => net.predict([[x1, x2]])[0][0]",
    );
  }
  const points = checkPoints("decisionBoundary", options.points);
  const resolution = options.resolution ?? 40;
  if (!Number.isInteger(resolution) || resolution < 2 || resolution > 200) {
    throw new RangeError(
      `decisionBoundary: invalid resolution ${JSON.stringify(resolution)} ` +
        "(expected a whole number from 2 to 200)",
    );
  }
  const xDomain = padded(points.map((p) => p.x1));
  const yDomain = padded(points.map((p) => p.x2));
  const grid = sampleGrid(predict, xDomain, yDomain, resolution);
  const rows = points.map((p) => ({ ...p, kind: p.label === 1 ? "class 1" : "class 0" }));
  const predicted = (p: { x1: number; x2: number }) =>
    probability(predict, p.x1, p.x2) >= 0.5 ? 1 : 0;
  const correct = points.filter((p) => predicted(p) === p.label);
  const share = grid.cells.filter((c) => c.p >= 0.5).length / grid.cells.length;

  return labelled({
    options: {
      width: defaults.width,
      height: defaults.width * 0.75 + 30,
      style: chartStyle,
      ...axisRoom,
      marginTop: 40,
      x: { label: "x₁", domain: xDomain },
      y: { label: "x₂", domain: yDomain },
      color: { type: "identity" },
      symbol: { domain: ["class 0", "class 1"], range: ["square", "circle"] },
      marks: [
        // one mark per shade, so the fill is written once per shade, not once per rectangle
        ...[...new Set(grid.runs.map((r) => r.level))].map((level) =>
          Plot.rect(
            grid.runs.filter((r) => r.level === level),
            // a hair of overlap hides the seams between neighbouring rows
            { x1: "x1", x2: "x2", y1: "y1", y2: "y2", fill: shade(level), inset: -0.3 },
          ),
        ),
        // The p = 0.5 line, traced on a grid one cell wider than the frame on every side, so
        // the contour's closing edges fall outside the frame and are clipped away.
        Plot.contour(grid.ring, {
          width: resolution + 2,
          height: resolution + 2,
          x1: xDomain[0] - grid.dx,
          x2: xDomain[1] + grid.dx,
          y1: yDomain[0] - grid.dy,
          y2: yDomain[1] + grid.dy,
          thresholds: [0.5],
          stroke: "currentColor",
          strokeWidth: 2,
          fill: "none",
          clip: true,
        }),
        Plot.dot(rows, {
          x: "x1",
          y: "x2",
          fill: (p) => (p.label === 1 ? palette.class1 : palette.class0),
          symbol: "kind",
          r: 4.5,
          stroke: "currentColor",
          strokeWidth: 0.75,
        }),
        Plot.frame({ stroke: "currentColor", strokeOpacity: 0.3 }),
        ...classLegend(),
      ],
    },
    alt:
      "The model's prediction over the plane for " +
      `x₁ from ${fmt(xDomain[0])} to ${fmt(xDomain[1])} and x₂ from ${fmt(yDomain[0])} to ` +
      `${fmt(yDomain[1])}: blue where it predicts class 1, orange where it predicts class 0, ` +
      "fainter where it is unsure; a line marks p = 0.5. " +
      `It predicts class 1 on ${fmt(share * 100, 0)}% of the plane` +
      (points.length > 0
        ? ` and classifies ${correct.length} of ${plural(points.length, "point")} correctly ` +
          `(${fmt((100 * correct.length) / points.length, 0)}%).`
        : "."),
  });
}

// Calls the model and checks its answer is a probability.
function probability(predict: Model, x1: number, x2: number): number {
  const p = predict(x1, x2);
  if (typeof p !== "number" || !(p >= 0 && p <= 1)) {
    throw new RangeError(
      `decisionBoundary: predict(${fmt(x1)}, ${fmt(x2)}) returned ${JSON.stringify(p)}; ` +
        "expected a probability of class 1 between 0 and 1 (apply a sigmoid to a raw output)",
    );
  }
  return p;
}

// Samples the model at every cell centre; merges runs of equal shade along each row.
function sampleGrid(
  predict: Model,
  [xlo, xhi]: [number, number],
  [ylo, yhi]: [number, number],
  n: number,
) {
  const dx = (xhi - xlo) / n;
  const dy = (yhi - ylo) / n;
  const cells: { p: number }[] = [];
  // (n + 2)² samples, row by row from the bottom, reaching one cell beyond the frame
  const ring: number[] = [];
  const runs: { x1: number; x2: number; y1: number; y2: number; level: number }[] = [];
  for (let j = -1; j <= n; j++) {
    let run: (typeof runs)[number] | undefined;
    for (let i = -1; i <= n; i++) {
      const p = probability(predict, xlo + (i + 0.5) * dx, ylo + (j + 0.5) * dy);
      ring.push(p);
      if (i < 0 || j < 0 || i === n || j === n) continue;
      cells.push({ p });
      // confidence |2p − 1| in five shades, signed by class: −5 (sure 0) … 0 (unsure) … 5 (sure 1)
      const level = Math.sign(p - 0.5) * Math.round(Math.abs(2 * p - 1) * 5);
      if (run && run.level === level) {
        run.x2 = xlo + (i + 1) * dx;
      } else {
        const y1 = ylo + j * dy;
        run = { x1: xlo + i * dx, x2: xlo + (i + 1) * dx, y1, y2: y1 + dy, level };
        runs.push(run);
      }
    }
  }
  return { cells, ring, dx, dy, runs: runs.filter((r) => r.level !== 0) };
}

// An opaque tint of the class colour over the page background: 10% per confidence level.
function shade(level: number): string {
  const colour = level > 0 ? palette.class1 : palette.class0;
  return `color-mix(in srgb, ${colour} ${Math.abs(level) * 10}%, var(--sl-color-bg, white))`;
}

function padded(values: number[]): [number, number] {
  const lo = values.length > 0 ? Math.min(...values) : -1;
  const hi = values.length > 0 ? Math.max(...values) : 1;
  const margin = Math.max(0.25, (hi - lo) * 0.1);
  return [lo - margin, hi + margin];
}

/**
 * The key above the frame: each class's symbol in its colour (the shade fading to the page's own
 * colour where the model is unsure is told by the alt text and the prose: a third entry does not
 * fit a phone). Drawn as marks inside the SVG, so a cell that draws `Plot.plot(spec.options)` gets it too.
 */
export function classLegend(): Plot.Markish[] {
  const entries = [
    { text: "blue: class 1", fill: palette.class1, symbol: "circle" },
    { text: "orange: class 0", fill: palette.class0, symbol: "square" },
  ];
  // laid out left to right from the frame's corner, each as wide as its text (about 0.5em a
  // character) plus its symbol and a gap
  let dx = 4;
  const items = entries.map((entry) => {
    const item = { ...entry, dx };
    dx += 11 + entry.text.length * defaults.fontSize * 0.5 + 16;
    return item;
  });
  return items.flatMap((item) => [
    Plot.dot([item], {
      frameAnchor: "top-left",
      dx: item.dx,
      dy: -24,
      r: 6,
      fill: item.fill,
      symbol: item.symbol,
      stroke: "currentColor",
      strokeWidth: 0.75,
    }),
    Plot.text([item], {
      frameAnchor: "top-left",
      dx: item.dx + 11,
      dy: -24,
      text: "text",
      textAnchor: "start",
      fill: "currentColor",
    }),
  ]);
}
