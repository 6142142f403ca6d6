// The learning rate compared: the same descent with a rate too small, about right, and too large.
import * as Plot from "@observablehq/plot";
import { checkNumber, checkNumbers } from "./checks.ts";
import {
  checkSteps,
  curveMarks,
  lossLabel,
  drawnDomain,
  minimumMarks,
  outcomeSentence,
  pathMarks,
} from "./costCurve.ts";
import { costs, descend, judge, minima } from "./descent.ts";
import { fmt } from "./format.ts";
import { labelled, type ChartSpec } from "./spec.ts";
import { axisRoom, chartStyle, phoneColumn } from "./theme.ts";

/** Options of {@link learningRates}. */
export type LearningRatesOptions = {
  /** Three learning rates: too small, about right, too large. Default [0.05, 0.6, 2.1]. */
  rates?: [number, number, number];
  /** The starting weight, shared by the three runs. Default −0.5. */
  start?: number;
  /** How many updates each run makes. Default 8. */
  steps?: number;
};

const rateDefaults = { rates: [0.05, 0.6, 2.1] as [number, number, number], start: -0.5, steps: 8 };
const roles = ["too small", "about right", "too large"];

/**
 * Three panels side by side, one per learning rate, each titled with its rate: gradient descent
 * on the same convex cost from the same start. With the defaults the small rate crawls, the
 * right one converges, the large one overshoots further at every step.
 */
export function learningRates(options: LearningRatesOptions = {}): ChartSpec {
  const rates = checkNumbers("learningRates", "rates", options.rates ?? rateDefaults.rates);
  if (rates.length !== 3) {
    throw new RangeError(
      `learningRates: received ${rates.length} rates ${JSON.stringify(rates)}; ` +
        "expected three: [too small, about right, too large], such as [0.05, 0.6, 2.1]",
    );
  }
  const start = checkNumber("learningRates", "start", options.start ?? rateDefaults.start);
  const steps = checkSteps("learningRates", options.steps ?? rateDefaults.steps);
  const cost = costs.convex;
  const found = minima(cost);
  const runs = rates.map((lr, i) => {
    const path = descend(cost, start, lr, steps);
    const outcome = judge(path, found, cost);
    return { lr, path, outcome, role: roles[i], panel: `α = ${fmt(lr, 4)}: ${roles[i]}` };
  });
  const domain = drawnDomain(
    cost,
    runs.map((run) => run.path),
  );
  const panels = runs.map((run) => run.panel);
  const common = {
    style: chartStyle,
    ...axisRoom,
    x: { label: "w (weight)", domain, ticks: 5 },
    y: { label: lossLabel, grid: true },
  };
  return labelled({
    // a phone's column: the three panels stacked, each titled at its top
    phone: {
      ...common,
      width: phoneColumn,
      height: 3 * 210 + 60,
      marginTop: 12,
      fy: { domain: panels, axis: null, padding: 0.12 },
      marks: [
        Plot.frame({ stroke: "currentColor", strokeOpacity: 0.2 }),
        ...curveMarks(cost, domain),
        ...minimumMarks(found).slice(0, 2),
        ...runs.flatMap((run) => pathMarks(run.path, domain, false, run.panel, "fy")),
        Plot.text(panels.map((panel) => ({ panel })), {
          fy: "panel",
          text: "panel",
          frameAnchor: "top",
          dy: 6,
          fontWeight: "bold",
          fill: "currentColor",
          stroke: "var(--sl-color-bg, white)",
          strokeWidth: 4,
          paintOrder: "stroke",
        }),
      ],
    },
    options: {
      width: 720,
      height: 300,
      style: chartStyle,
      ...axisRoom,
      marginTop: 34,
      x: { label: "w (weight)", domain, ticks: 5 },
      y: { label: lossLabel, grid: true },
      fx: { domain: panels, label: null, padding: 0.12 },
      marks: [
        Plot.axisFx({ anchor: "top", fontWeight: "bold", label: null, tickSize: 0 }),
        Plot.frame({ stroke: "currentColor", strokeOpacity: 0.2 }),
        ...curveMarks(cost, domain),
        ...minimumMarks(found).slice(0, 2),
        ...runs.flatMap((run) => pathMarks(run.path, domain, false, run.panel)),
      ],
    },
    alt:
      `Gradient descent on J(w) = ½(w − 3)² + 1 (minimum at w = ${fmt(found[0].w)}) from ` +
      `w = ${fmt(start)}, in three panels. ` +
      runs
        .map((run) => {
          const how = outcomeSentence(run.path, run.outcome);
          return `With α = ${fmt(run.lr, 4)} (${run.role}), ${how}`;
        })
        .join(" "),
  });
}
