// A linear classifier in 2-D: the line w₁x₁ + w₂x₂ + b = 0 and the two half-planes it makes.
import * as Plot from "@observablehq/plot";
import { checkNumber, checkPoints } from "./checks.ts";
import { fmt, plural } from "./format.ts";
import { labelled, type ChartSpec } from "./spec.ts";
import { axisRoom, chartStyle, defaults, palette } from "./theme.ts";

/** A labelled point in the plane. */
export type LabelledPoint = { x1: number; x2: number; label: 0 | 1 };

/** Options of {@link decisionLine}. */
export type DecisionLineOptions = {
  /** The weights [w₁, w₂]; not both zero. */
  w: [number, number];
  /** The bias b. */
  b: number;
  /** The points, coloured by label. */
  points: LabelledPoint[];
  /** A title drawn at the top of the chart. */
  title?: string;
};

/**
 * Points in the plane coloured (and shaped) by label, the line w₁x₁ + w₂x₂ + b = 0, and the two
 * half-planes shaded: where z = w₁x₁ + w₂x₂ + b > 0 a step neuron says 1, elsewhere 0.
 */
export function decisionLine(options: DecisionLineOptions): ChartSpec {
  if (options === undefined || options === null || !Array.isArray(options.w)) {
    throw new TypeError(
      `decisionLine: received ${JSON.stringify(options?.w)} as w; expected ` +
        "{ w: [w1, w2], b, points }, such as { w: [1, 1], b: -1.5, points: [...] }",
    );
  }
  const w1 = checkNumber("decisionLine", "w[0]", options.w[0]);
  const w2 = checkNumber("decisionLine", "w[1]", options.w[1]);
  const b = checkNumber("decisionLine", "b", options.b);
  const points = checkPoints("decisionLine", options.points);
  if (w1 === 0 && w2 === 0) {
    throw new RangeError(
      "decisionLine: received w = [0, 0]; with both weights zero there is no line " +
        "(z = b everywhere). Give at least one weight a non-zero value.",
    );
  }
  const xDomain = padded(points.map((p) => p.x1), -b / w1);
  const yDomain = padded(points.map((p) => p.x2), -b / w2);
  const z = (x1: number, x2: number) => w1 * x1 + w2 * x2 + b;
  const line = lineThrough(w1, w2, b, xDomain, yDomain);
  const correct = points.filter((p) => (z(p.x1, p.x2) > 0 ? 1 : 0) === p.label).length;

  return labelled({
    options: {
      ...squareUnits(xDomain, yDomain),
      style: chartStyle,
      ...axisRoom,
      marginTop: options.title ? 32 : 28, // room for the ↑ x₂ label above the top tick
      x: { label: "x₁", domain: xDomain, ticks: 6 },
      y: { label: "x₂", domain: yDomain, grid: true, ticks: 6 },
      ...classScales,
      marks: [
        ...halfPlanes(w1, w2, b, xDomain, yDomain),
        Plot.line(line, { x: "x1", y: "x2", stroke: "currentColor", strokeWidth: 2.5, clip: true }),
        classDots(points),
        ...sideLabels(z, xDomain, yDomain),
        options.title
          ? Plot.text([options.title], {
              frameAnchor: "top",
              dy: -22,
              fontWeight: "bold",
              fontSize: 13,
            })
          : null,
      ],
    },
    alt: `${lineSentence(w1, w2, b)} ${pointsSentence(points.length, correct)}`,
  });
}

// Equal units on both axes (so the line's slope looks right) unless that makes a freak shape.
function squareUnits([xlo, xhi]: [number, number], [ylo, yhi]: [number, number]) {
  const ratio = (yhi - ylo) / (xhi - xlo);
  return ratio >= 0.5 && ratio <= 1.2
    ? { width: 440, aspectRatio: 1 }
    : { width: defaults.width, height: defaults.width * 0.72 };
}

/** Formats w₁x₁ + w₂x₂ + b with signs written out: "1·x₁ + 1·x₂ − 1.5". */
export function equation(w1: number, w2: number, b: number): string {
  const terms = [`${fmt(w1)}·x₁`];
  terms.push(`${w2 < 0 ? "−" : "+"} ${fmt(Math.abs(w2))}·x₂`);
  if (b !== 0) terms.push(`${b < 0 ? "−" : "+"} ${fmt(Math.abs(b))}`);
  return terms.join(" ");
}

function lineSentence(w1: number, w2: number, b: number): string {
  const crossings: string[] = [];
  if (w1 !== 0) crossings.push(`the x₁-axis at x₁ = ${fmt(-b / w1)}`);
  if (w2 !== 0) crossings.push(`the x₂-axis at x₂ = ${fmt(-b / w2)}`);
  return (
    `The line ${equation(w1, w2, b)} = 0 crosses ${crossings.join(" and ")}; ` +
    "on its shaded blue side z > 0 and the neuron outputs 1, on the orange side it outputs 0."
  );
}

function pointsSentence(total: number, correct: number): string {
  if (total === 0) return "There are no points.";
  if (correct === total) return `All ${plural(total, "point")} lie on the side of their label.`;
  return (
    `${correct} of ${plural(total, "point")} lie on the side of their label; ` +
    `${total - correct} on the wrong side.`
  );
}

// The points' extent (and where the line meets the axis, if finite), with a margin.
function padded(values: number[], crossing: number): [number, number] {
  const useful = Number.isFinite(crossing) && Math.abs(crossing) < 1e3;
  const all = useful ? [...values, crossing] : values;
  const lo = all.length > 0 ? Math.min(...all) : -1;
  const hi = all.length > 0 ? Math.max(...all) : 1;
  const margin = Math.max(0.5, (hi - lo) * 0.15);
  return [lo - margin, hi + margin];
}

/** The scales of the two classes: class 0 orange squares, class 1 blue circles. */
export const classScales = {
  color: { domain: ["class 0", "class 1"], range: [palette.class0, palette.class1] },
  symbol: { domain: ["class 0", "class 1"], range: ["square", "circle"] },
};

/** Labelled points, each in its class's colour and symbol (with {@link classScales}). */
export function classDots(points: { x1: number; x2: number; label: number }[]): Plot.Markish {
  const rows = points.map((p) => ({ ...p, kind: p.label === 1 ? "class 1" : "class 0" }));
  return Plot.dot(rows, {
    x: "x1",
    y: "x2",
    fill: "kind",
    symbol: "kind",
    r: 6,
    stroke: "currentColor",
    strokeWidth: 1,
  });
}

/** Two points of the line w₁x₁ + w₂x₂ + b = 0 across the drawn box (vertical when w₂ = 0). */
export function lineThrough(
  w1: number,
  w2: number,
  b: number,
  [xlo, xhi]: [number, number],
  [ylo, yhi]: [number, number],
): { x1: number; x2: number }[] {
  if (w2 === 0) return [ylo, yhi].map((x2) => ({ x1: -b / w1, x2 }));
  return [xlo, xhi].map((x1) => ({ x1, x2: -(w1 * x1 + b) / w2 }));
}

/**
 * The half-planes z ≥ 0 (class 1 colour) and z < 0 (class 0 colour), lightly shaded; the whole box
 * in one colour when both weights are 0 (z = b everywhere).
 */
export function halfPlanes(
  w1: number,
  w2: number,
  b: number,
  [xlo, xhi]: [number, number],
  [ylo, yhi]: [number, number],
): Plot.Markish[] {
  const shade = { fillOpacity: 0.16, clip: true };
  const corners = { x1: "x1", x2: "x2", y1: "y1", y2: "y2" };
  const whole = { x1: xlo, x2: xhi, y1: ylo, y2: yhi };
  if (w1 === 0 && w2 === 0) {
    return [Plot.rect([whole], { ...corners, fill: b >= 0 ? palette.class1 : palette.class0, ...shade })];
  }
  if (w2 === 0) {
    const cut = -b / w1;
    const right = { ...whole, x1: cut, x2: xhi + (xhi - xlo) };
    const left = { ...whole, x1: xlo - (xhi - xlo), x2: cut };
    const [positive, negative] = w1 > 0 ? [right, left] : [left, right];
    return [
      Plot.rect([positive], { ...corners, fill: palette.class1, ...shade }),
      Plot.rect([negative], { ...corners, fill: palette.class0, ...shade }),
    ];
  }
  const far = (yhi - ylo) * 1e3;
  const edge = [xlo, xhi].map((x1) => ({
    x1,
    line: -(w1 * x1 + b) / w2,
    above: yhi + far,
    below: ylo - far,
  }));
  // Above the line z has the sign of w₂.
  const [abovePaint, belowPaint] =
    w2 > 0 ? [palette.class1, palette.class0] : [palette.class0, palette.class1];
  return [
    Plot.areaY(edge, { x: "x1", y1: "line", y2: "above", fill: abovePaint, ...shade }),
    Plot.areaY(edge, { x: "x1", y1: "line", y2: "below", fill: belowPaint, ...shade }),
  ];
}

/** "z ≥ 0: says 1" and "z < 0: says 0" in the corner of the box deepest inside each side. */
export function sideLabels(
  z: (x1: number, x2: number) => number,
  [xlo, xhi]: [number, number],
  [ylo, yhi]: [number, number],
): Plot.Markish[] {
  const corners = [
    { x1: xlo, x2: ylo, anchor: "bottom-left" },
    { x1: xhi, x2: ylo, anchor: "bottom-right" },
    { x1: xlo, x2: yhi, anchor: "top-left" },
    { x1: xhi, x2: yhi, anchor: "top-right" },
  ].map((c) => ({ ...c, z: z(c.x1, c.x2) }));
  const top = corners.reduce((a, c) => (c.z > a.z ? c : a));
  const bottom = corners.reduce((a, c) => (c.z < a.z ? c : a));
  const labels = [
    ...(top.z >= 0 ? [{ ...top, text: "z ≥ 0: says 1" }] : []),
    ...(bottom.z < 0 ? [{ ...bottom, text: "z < 0: says 0" }] : []),
  ];
  return labels.map((l) =>
    Plot.text([l.text], {
      frameAnchor: l.anchor as "top-left",
      dx: l.anchor.endsWith("left") ? 6 : -6,
      dy: l.anchor.startsWith("top") ? 6 : -6,
      fontWeight: "bold",
      fill: "currentColor",
    }),
  );
}
