// A neuron's decision line over points, in a window that stays put while the line moves: the two
// sides shaded, and the points on the wrong side of the line ringed.
import * as Plot from "@observablehq/plot";
import { checkNumber, checkPoints } from "./checks.ts";
import {
  classDots,
  classScales,
  equation,
  halfPlanes,
  lineThrough,
  sideLabels,
  type LabelledPoint,
} from "./decisionLine.ts";
import { fmt, listing, plural } from "./format.ts";
import { labelled, type ChartSpec } from "./spec.ts";
import { axisRoom, chartStyle, palette } from "./theme.ts";

/** Options of {@link linearSplit}. */
export type LinearSplitOptions = {
  /** The weights [w₁, w₂]. Both may be 0: then there is no line, and z = b everywhere. */
  w: [number, number];
  /** The bias b. */
  b: number;
  /** The points, coloured and shaped by label. */
  points: LabelledPoint[];
  /** The window's x₁ range. Default: the points' range with a margin (or [−1, 1]). */
  x1?: [number, number];
  /** The window's x₂ range. Default: the points' range with a margin (or [−1, 1]). */
  x2?: [number, number];
};

/** How many wrong-side points the alt text names one by one. */
const NAMED = 4;

/**
 * The line w₁x₁ + w₂x₂ + b = 0 over labelled points, in a fixed window (so that moving the line
 * never rescales the axes): blue where z ≥ 0 (a step neuron says 1), orange where z < 0 (it says
 * 0), each point on the wrong side of the line ringed in red, and their count as the title.
 */
export function linearSplit(options: LinearSplitOptions): ChartSpec {
  if (options === undefined || options === null || !Array.isArray(options.w)) {
    throw new TypeError(
      `linearSplit: received ${JSON.stringify(options?.w)} as w; expected ` +
        "{ w: [w1, w2], b, points }, such as { w: [1, 1], b: -1.5, points: [...] }",
    );
  }
  const w1 = checkNumber("linearSplit", "w[0]", options.w[0]);
  const w2 = checkNumber("linearSplit", "w[1]", options.w[1]);
  const b = checkNumber("linearSplit", "b", options.b);
  const points = checkPoints("linearSplit", options.points) as LabelledPoint[];
  const xDomain = range("x1", options.x1, points.map((p) => p.x1));
  const yDomain = range("x2", options.x2, points.map((p) => p.x2));
  const z = (x1: number, x2: number) => w1 * x1 + w2 * x2 + b;
  const says = (p: LabelledPoint) => (z(p.x1, p.x2) >= 0 ? 1 : 0);
  const wrong = points.filter((p) => says(p) !== p.label);
  const noLine = w1 === 0 && w2 === 0;
  const title =
    points.length === 0
      ? "No points yet"
      : wrong.length === 0
        ? `No point on the wrong side`
        : `${wrong.length} of ${plural(points.length, "point")} on the wrong side`;

  return labelled({
    options: {
      width: 400,
      aspectRatio: 1,
      style: chartStyle,
      ...axisRoom,
      marginTop: 34,
      x: { label: "x₁", domain: xDomain, ticks: 5 },
      y: { label: "x₂", domain: yDomain, grid: true, ticks: 5 },
      ...classScales,
      marks: [
        ...halfPlanes(w1, w2, b, xDomain, yDomain),
        noLine
          ? null
          : Plot.line(lineThrough(w1, w2, b, xDomain, yDomain), {
              x: "x1",
              y: "x2",
              stroke: "currentColor",
              strokeWidth: 2.5,
              clip: true,
            }),
        Plot.dot(wrong, {
          x: "x1",
          y: "x2",
          r: 11,
          stroke: palette.wrong,
          strokeWidth: 2.5,
          fill: "none",
        }),
        classDots(points),
        ...sideLabels(z, xDomain, yDomain),
        Plot.frame({ stroke: "currentColor", strokeOpacity: 0.3 }),
        Plot.text([title], { frameAnchor: "top", dy: -24, fontWeight: "bold", fontSize: 13 }),
      ],
    },
    alt: `${lineWords(w1, w2, b, xDomain, yDomain)} ${pointWords(points, wrong, z)}`,
  });
}

// The window's range: given (checked), or the points' extent with a margin.
function range(name: string, given: unknown, values: number[]): [number, number] {
  if (given !== undefined) {
    const ok =
      Array.isArray(given) &&
      given.length === 2 &&
      given.every(Number.isFinite) &&
      given[0] < given[1];
    if (!ok) {
      throw new RangeError(
        `linearSplit: invalid ${name} ${JSON.stringify(given)} ` +
          "(expected [min, max] with min < max, such as [-3, 3])",
      );
    }
    return [given[0], given[1]];
  }
  if (values.length === 0) return [-1, 1];
  const [lo, hi] = [Math.min(...values), Math.max(...values)];
  const margin = Math.max(0.5, (hi - lo) * 0.15);
  return [lo - margin, hi + margin];
}

function lineWords(
  w1: number,
  w2: number,
  b: number,
  [xlo, xhi]: [number, number],
  [ylo, yhi]: [number, number],
): string {
  if (w1 === 0 && w2 === 0) {
    return (
      `With both weights 0 there is no line: z = b = ${fmt(b)} everywhere, so the neuron ` +
      `says ${b >= 0 ? "1" : "0"} for every point, and the whole window is ` +
      `${b >= 0 ? "blue" : "orange"}.`
    );
  }
  const inside = (v: number, [lo, hi]: [number, number]) => v >= lo && v <= hi;
  const crossings: string[] = [];
  if (w1 !== 0 && inside(-b / w1, [xlo, xhi])) crossings.push(`the x₁-axis at x₁ = ${fmt(-b / w1)}`);
  if (w2 !== 0 && inside(-b / w2, [ylo, yhi])) crossings.push(`the x₂-axis at x₂ = ${fmt(-b / w2)}`);
  const where =
    crossings.length > 0 ? ` crosses ${listing(crossings)}` : " misses both axes in this window";
  return (
    `The line ${equation(w1, w2, b)} = 0${where}; on its blue side z ≥ 0 and the neuron ` +
    "says 1, on its orange side z < 0 and it says 0."
  );
}

function pointWords(
  points: LabelledPoint[],
  wrong: LabelledPoint[],
  z: (x1: number, x2: number) => number,
): string {
  if (points.length === 0) return "There are no points.";
  if (wrong.length === 0) {
    if (points.length === 1) return "The one point lies on the side of its class.";
    const all = points.length === 2 ? "Both points" : `All ${points.length} points`;
    return `${all} lie on the side of their class.`;
  }
  const named = wrong.slice(0, NAMED).map((p) => {
    const value = z(p.x1, p.x2);
    return (
      `a class ${p.label} point at (${fmt(p.x1)}, ${fmt(p.x2)}), ` +
      `where z = ${fmt(value)} ${value >= 0 ? "≥" : "<"} 0`
    );
  });
  const more = wrong.length > NAMED ? ` and ${wrong.length - NAMED} more` : "";
  return (
    `${wrong.length} of ${plural(points.length, "point")} ${wrong.length === 1 ? "lies" : "lie"} ` +
    "on the wrong side, ringed in red: " +
    `${named.join("; ")}${more}.`
  );
}
