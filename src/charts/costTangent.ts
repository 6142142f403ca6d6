// Where a weight stands on its cost: the tangent there, the slope it gives, and the step the
// update rule takes from it (or the walk that led there). Sized for a cell on a phone.
import * as Plot from "@observablehq/plot";
import { checkNumber } from "./checks.ts";
import {
  checkSteps,
  curveMarks,
  drawnDomain,
  minimumMarks,
  outcomeSentence,
  pathMarks,
} from "./costCurve.ts";
import { costByName, descend, judge, minima, type DescentStep, type Minimum } from "./descent.ts";
import { fmt } from "./format.ts";
import { labelled, type ChartSpec } from "./spec.ts";
import { axisRoom, chartStyle, palette } from "./theme.ts";

/** Options of {@link costTangent}. */
export type CostTangentOptions = {
  /** The weight: where the tangent touches the curve, or where the walk starts. Default 6. */
  w?: number;
  /** The learning rate α of the update rule. Default 0.3. */
  lr?: number;
  /**
   * Updates to walk from `w` before drawing the tangent where the walk ends. Default 0: the
   * tangent at `w` itself, and the one step the update rule would take from it.
   */
  steps?: number;
  /** "convex" (J = ½(w − 3)² + 1, the default) or "bumpy" (a local and a global minimum). */
  cost?: "convex" | "bumpy";
  /** Draw the tangent. Default true. */
  tangent?: boolean;
};

/** Width of the charts made for cells: text of 12 px stays above 9 px on a 390 px phone. */
export const CELL_WIDTH = 460;

/**
 * The cost J(w) of one weight, its minima, and the tangent at the current weight: the straight
 * line with the slope ∂J/∂w there, labelled with that slope. With `steps: 0` (the default) it
 * also draws the next update, w − α·∂J/∂w, as an arrow along the tangent; with more steps, the
 * walk from `w` as numbered dots, and the tangent where it ends. The alt text says which way is
 * downhill and how the walk went, in words.
 */
export function costTangent(options: CostTangentOptions = {}): ChartSpec {
  const name = options.cost ?? "convex";
  const cost = costByName(name);
  const start = checkNumber("costTangent", "w", options.w ?? 6);
  const lr = checkNumber("costTangent", "lr", options.lr ?? 0.3);
  const steps = checkSteps("costTangent", options.steps ?? 0);
  const path = descend(cost, start, lr, steps);
  const found = minima(cost);
  const here = path[path.length - 1];
  const slope = cost.dJ(here.w);
  const next = here.w - lr * slope;
  const domain = drawnDomain(cost, [path]);
  const [lo, hi] = domain;
  const visible = here.w >= lo && here.w <= hi;
  const top = Math.max(
    ...[lo, hi, ...path.map((p) => p.w)].filter((w) => w >= lo && w <= hi).map(cost.J),
  );
  const yDomain: [number, number] = [
    Math.min(0, ...found.map((m) => m.J - 0.16 * top)),
    top * 1.05,
  ];
  // the tangent over a fixed width of w, so a steep one stays inside the chart's height
  const reach = (hi - lo) * 0.18;
  const tangentLine = [-reach, reach].map((d) => ({ w: here.w + d, J: here.J + slope * d }));
  const showTangent = (options.tangent ?? true) && visible;
  const stepMarks =
    steps === 0 && showTangent && next !== here.w
      ? [
          Plot.arrow([{ x1: here.w, y1: here.J, x2: next, y2: here.J - lr * slope * slope }], {
            x1: "x1",
            y1: "y1",
            x2: "x2",
            y2: "y2",
            stroke: palette.series[1],
            strokeWidth: 2.5,
            headLength: 9,
            clip: true,
          }),
          Plot.dot([{ w: next, J: cost.J(next) }], {
            x: "w",
            y: "J",
            r: 5,
            stroke: palette.series[1],
            strokeWidth: 2,
            fill: "var(--sl-color-bg, white)",
            clip: true,
          }),
        ]
      : [];
  const tangentMarks = showTangent
    ? [
        Plot.line(tangentLine, {
          x: "w",
          y: "J",
          stroke: "currentColor",
          strokeWidth: 2,
          strokeDasharray: "5 3",
          clip: true,
        }),
        Plot.dot([here], { x: "w", y: "J", r: 6, fill: palette.series[1], stroke: "currentColor" }),
        Plot.text([here], {
          x: "w",
          y: "J",
          text: () => `slope ${fmt(slope)}`,
          dy: -16,
          textAnchor: here.w > (lo + hi) / 2 ? "end" : "start",
          dx: here.w > (lo + hi) / 2 ? -8 : 8,
          fontWeight: "bold",
          fontSize: 13,
          fill: "currentColor",
          stroke: "var(--sl-color-bg, white)",
          strokeWidth: 4,
          paintOrder: "stroke",
        }),
      ]
    : [];
  return labelled({
    options: {
      width: CELL_WIDTH,
      height: 300,
      style: chartStyle,
      ...axisRoom,
      marginTop: 28,
      marginRight: 16,
      x: { label: "w (weight)", domain, ticks: 6 },
      y: { label: "J(w) (cost)", grid: true, domain: yDomain, ticks: 5 },
      marks: [
        ...curveMarks(cost, domain),
        ...minimumMarks(found),
        ...(steps > 0 ? pathMarks(path, domain, true) : []),
        ...tangentMarks,
        ...stepMarks,
      ],
    },
    alt: tangentAlt(name, found, path, lr, slope, next, cost.J(next), steps),
  });
}

function tangentAlt(
  name: "convex" | "bumpy",
  found: Minimum[],
  path: DescentStep[],
  lr: number,
  slope: number,
  next: number,
  nextJ: number,
  steps: number,
): string {
  const cost = name === "convex" ? "The cost J(w) = ½(w − 3)² + 1" : "The cost J(w)";
  const global = found.find((m) => m.global)!;
  const locals = found.filter((m) => !m.global);
  const minimum =
    `${cost} is lowest at w = ${fmt(global.w)} (J = ${fmt(global.J)})` +
    locals.map((m) => `, with a local minimum at w = ${fmt(m.w)} (J = ${fmt(m.J)})`).join("");
  const here = path[path.length - 1];
  const at = `At w = ${fmt(here.w)}, J = ${fmt(here.J)} and the slope ∂J/∂w is ${fmt(slope)}`;
  const way =
    Math.abs(slope) < 0.005
      ? ": the tangent is flat, so the update barely moves w."
      : slope > 0
        ? ": the tangent rises to the right, so the cost falls towards smaller w."
        : ": the tangent falls to the right, so the cost falls towards larger w.";
  if (steps === 0) {
    const move =
      ` The update w ← w − α·∂J/∂w with α = ${fmt(lr, 4)} moves w by ${fmt(next - here.w)}, ` +
      `to ${fmt(next)}, where J = ${fmt(nextJ)}.`;
    return `${minimum}. ${at}${way}${move}`;
  }
  const outcome = judge(path, found, costByName(name));
  const where = Number.isFinite(here.J) && Math.abs(here.w) < 1e3 ? ` ${at}${way}` : "";
  return (
    `${minimum}.${where} Gradient descent from w = ${fmt(path[0].w)} with learning rate ` +
    `${fmt(lr, 4)}: ${outcomeSentence(path, outcome)}` +
    (outcome.verdict === "converged" && !outcome.minimum.global
      ? " It is stuck in the local minimum, not the global one."
      : "")
  );
}
