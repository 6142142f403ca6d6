// A cost curve J(w) with its minima marked and the numbered steps of gradient descent on it.
import * as Plot from "@observablehq/plot";
import { checkNumber, samples } from "./checks.ts";
import { costByName, descend, judge, minima } from "./descent.ts";
import type { Cost, DescentStep, Minimum, Outcome } from "./descent.ts";
import { fmt, plural } from "./format.ts";
import { labelled, type ChartSpec } from "./spec.ts";
import { axisRoom, chartStyle, defaults, palette } from "./theme.ts";

/** Options of {@link costCurve}. */
export type CostCurveOptions = {
  /** The starting weight (the "random" initial value). Default −0.5 (convex) or 4 (bumpy). */
  start?: number;
  /** The learning rate α. Default 0.3 (convex) or 0.1 (bumpy). */
  lr?: number;
  /** How many updates to draw. Default 10 (convex) or 8 (bumpy). */
  steps?: number;
  /** "convex": one global minimum (default); "bumpy": a global and a local minimum. */
  cost?: "convex" | "bumpy";
  /** Draw the tangent at the starting weight, labelled with its slope ∂J/∂w. Default false. */
  tangent?: boolean;
};

const costDefaults = {
  convex: { start: -0.5, lr: 0.3, steps: 10 },
  bumpy: { start: 4, lr: 0.1, steps: 8 },
};

/**
 * The cost J(w) over one weight, its global minimum (and, for the bumpy cost, its local minimum)
 * marked and labelled, and the steps of gradient descent as numbered dots joined by arrows.
 */
export function costCurve(options: CostCurveOptions = {}): ChartSpec {
  const name = options.cost ?? "convex";
  const cost = costByName(name);
  const d = costDefaults[name];
  const start = checkNumber("costCurve", "start", options.start ?? d.start);
  const lr = checkNumber("costCurve", "lr", options.lr ?? d.lr);
  const steps = checkSteps("costCurve", options.steps ?? d.steps);
  const path = descend(cost, start, lr, steps);
  const found = minima(cost);
  const outcome = judge(path, found, cost);
  const domain = drawnDomain(cost, [path]);
  return labelled({
    options: {
      width: defaults.width,
      height: defaults.height + 40,
      style: chartStyle,
      ...axisRoom,
      marginTop: 28,
      x: { label: "w (weight)", domain },
      y: { label: lossLabel, grid: true, domain: costRange(cost, domain, found) },
      marks: [
        ...curveMarks(cost, domain),
        ...(options.tangent ? tangentMarks(cost, start, domain) : []),
        ...minimumMarks(found),
        ...pathMarks(path, domain, true),
      ],
    },
    alt: costAlt(found, path, lr, outcome) + (options.tangent ? tangentAlt(cost, start) : ""),
  });
}

/** The y-axis label of every cost chart: the book's charts say "loss" (chapter 6: same idea). */
export const lossLabel = "loss J(w)";

/** The slope J'(w) at a weight, as the tangent's label writes it. */
function slopeText(cost: Cost, w: number): string {
  return `slope ∂J/∂w = ${fmt(cost.dJ(w))}`;
}

// The tangent at w0: J(w0) + J'(w0)·(w − w0), a fifth of the drawn range either side, dashed.
function tangentMarks(cost: Cost, w0: number, [lo, hi]: [number, number]): Plot.Markish[] {
  const half = (hi - lo) / 5;
  const line = [w0 - half, w0 + half].map((w) => ({ w, J: cost.J(w0) + cost.dJ(w0) * (w - w0) }));
  return [
    Plot.line(line, {
      x: "w",
      y: "J",
      stroke: "currentColor",
      strokeWidth: 2,
      strokeDasharray: "6 4",
      clip: true,
    }),
    Plot.text([{ w: w0, J: cost.J(w0), text: slopeText(cost, w0) }], {
      x: "w",
      y: "J",
      text: "text",
      textAnchor: "end",
      dx: -14,
      dy: -4,
      fontWeight: "bold",
      fill: "currentColor",
      stroke: "var(--sl-color-bg, white)",
      strokeWidth: 4,
      paintOrder: "stroke",
    }),
  ];
}

function tangentAlt(cost: Cost, w0: number): string {
  const slope = cost.dJ(w0);
  const way = slope > 0 ? "rises" : slope < 0 ? "falls" : "is flat";
  return (
    ` A dashed tangent touches the curve at w = ${fmt(w0)}: its ${slopeText(cost, w0)}, so the ` +
    `cost ${way} as w grows there.`
  );
}

// J's range over the drawn weights, with room under the lowest minimum for its label.
function costRange(cost: Cost, [lo, hi]: [number, number], found: Minimum[]): [number, number] {
  const top = Math.max(...samples(lo, hi, 300).map(cost.J));
  const bottom = Math.min(...found.map((m) => m.J));
  return [Math.min(0, bottom - 0.16 * (top - bottom)), top];
}

/** Throws unless steps is a whole number from 0 to 1000. */
export function checkSteps(chart: string, steps: unknown): number {
  if (!Number.isInteger(steps) || (steps as number) < 0 || (steps as number) > 1000) {
    throw new RangeError(
      `${chart}: invalid steps ${JSON.stringify(steps)} (expected a whole number from 0 to 1000)`,
    );
  }
  return steps as number;
}

/** The range of w to draw: the cost's own, widened to show paths, but at most 3× as wide. */
export function drawnDomain(cost: Cost, paths: DescentStep[][]): [number, number] {
  const [lo, hi] = cost.domain;
  const span = hi - lo;
  const ws = paths.flat().map((p) => p.w);
  const min = Math.max(lo - span, Math.min(lo, ...ws) - 0.05 * span);
  const max = Math.min(hi + span, Math.max(hi, ...ws) + 0.05 * span);
  return [min, max];
}

/** The cost curve itself, sampled finely over the domain. */
export function curveMarks(cost: Cost, [lo, hi]: [number, number]): Plot.Markish[] {
  const curve = samples(lo, hi, 300).map((w) => ({ w, J: cost.J(w) }));
  return [Plot.line(curve, { x: "w", y: "J", stroke: palette.series[0], strokeWidth: 2.5 })];
}

/** The minima as dots with a label: "global minimum" or "local minimum". */
export function minimumMarks(found: Minimum[]): Plot.Markish[] {
  const marked = found.map((m) => ({
    ...m,
    text: m.global ? `global minimum, J = ${fmt(m.J)}` : `local minimum, J = ${fmt(m.J)}`,
  }));
  return [
    Plot.ruleX(marked, {
      x: "w",
      y1: "J",
      y2: 0,
      stroke: palette.highlight,
      strokeDasharray: "4 3",
      strokeOpacity: 0.8,
    }),
    Plot.dot(marked, {
      x: "w",
      y: "J",
      r: 6,
      fill: palette.highlight,
      stroke: "currentColor",
      symbol: "diamond2",
    }),
    Plot.text(marked, {
      x: "w",
      y: "J",
      text: "text",
      dy: 18,
      fill: "currentColor",
      fontWeight: "bold",
      stroke: "var(--sl-color-bg, white)",
      strokeWidth: 4,
      paintOrder: "stroke",
    }),
  ];
}

/**
 * The descent: arrows from each step to the next, dots, and step numbers (spaced apart so they
 * do not overlap; with `numbered` false only the first and last). With `panel`, the marks go to
 * that facet (`across`: side by side with fx, stacked with fy).
 */
export function pathMarks(
  path: DescentStep[],
  [lo, hi]: [number, number],
  numbered: boolean,
  panel?: string,
  across: "fx" | "fy" = "fx",
): Plot.Markish[] {
  const facet = panel === undefined ? {} : { [across]: "panel" };
  const tag = <T,>(row: T) => (panel === undefined ? row : { ...row, panel });
  const inside = path.filter((p) => p.w >= lo && p.w <= hi).map(tag);
  const moves = path
    .slice(1)
    .map((p, i) => tag({ x1: path[i].w, y1: path[i].J, x2: p.w, y2: p.J }));
  const ends = inside.length > 1 ? [inside[0], inside[inside.length - 1]] : inside;
  const labelled = numbered ? spaced(inside, (hi - lo) * 0.04) : ends;
  const halo = { stroke: "var(--sl-color-bg, white)", strokeWidth: 3, paintOrder: "stroke" };
  return [
    Plot.arrow(moves, {
      ...facet,
      x1: "x1",
      y1: "y1",
      x2: "x2",
      y2: "y2",
      stroke: palette.series[1],
      strokeWidth: 1.5,
      bend: true,
      inset: 5,
      headLength: 7,
      clip: true,
    }),
    Plot.dot(inside, {
      ...facet,
      x: "w",
      y: "J",
      r: 4,
      fill: palette.series[1],
      stroke: "currentColor",
      strokeWidth: 0.75,
    }),
    Plot.text(labelled, {
      ...facet,
      x: "w",
      y: "J",
      text: "k",
      dy: -12,
      fontWeight: "bold",
      fill: palette.series[1],
      ...halo,
    }),
  ];
}

// Keeps the steps whose label would not sit on top of an earlier one.
function spaced<T extends DescentStep>(path: T[], gap: number): T[] {
  const kept: T[] = [];
  for (const p of path) if (kept.every((q) => Math.abs(q.w - p.w) >= gap)) kept.push(p);
  return kept;
}

/** One sentence on how a descent went, from its outcome. */
export function outcomeSentence(path: DescentStep[], outcome: Outcome): string {
  const last = path[path.length - 1];
  const steps = plural(path.length - 1, "step");
  const where = `w = ${fmt(last.w)} (J = ${fmt(last.J)})`;
  const swing = outcome.oscillates ? "jumps back and forth across the minimum and " : "";
  if (outcome.verdict === "diverged") {
    return (
      `it ${swing}ends after ${steps} at ${where}, farther from the minimum than where it ` +
      "started: it diverges."
    );
  }
  if (outcome.verdict === "converged") {
    const near = fmt(outcome.endDistance) === "0" ? "at" : `${fmt(outcome.endDistance)} from`;
    return `it ${swing}reaches ${where} after ${steps}, ${near} the minimum.`;
  }
  const distance = fmt(outcome.endDistance);
  return `it ${swing}ends after ${steps} at ${where}, still ${distance} from the minimum.`;
}

function costAlt(found: Minimum[], path: DescentStep[], lr: number, outcome: Outcome): string {
  const global = found.find((m) => m.global) as Minimum;
  const locals = found.filter((m) => !m.global);
  const minimaText =
    `The cost J(w) has its global minimum at w = ${fmt(global.w)} (J = ${fmt(global.J)})` +
    locals.map((m) => ` and a local minimum at w = ${fmt(m.w)} (J = ${fmt(m.J)})`).join("");
  let descent =
    `Gradient descent from w = ${fmt(path[0].w)} with learning rate ${fmt(lr, 4)}: ` +
    outcomeSentence(path, outcome);
  if (outcome.verdict === "converged" && !outcome.minimum.global) {
    descent = descent.replace(/\.$/, ": stuck in the local minimum, not the global one.");
  }
  return `${minimaText}. ${descent}`;
}
