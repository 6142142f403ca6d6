// Three learning rates side by side from one start, narrow enough for a cell on a phone.
import * as Plot from "@observablehq/plot";
import { checkNumber, checkNumbers } from "./checks.ts";
import { checkSteps, curveMarks, drawnDomain, outcomeSentence, pathMarks } from "./costCurve.ts";
import { CELL_WIDTH } from "./costTangent.ts";
import { costs, descend, judge, minima } from "./descent.ts";
import { fmt } from "./format.ts";
import { labelled, type ChartSpec } from "./spec.ts";
import { axisRoom, chartStyle, palette } from "./theme.ts";

/** Options of {@link rateComparison}. */
export type RateComparisonOptions = {
  /** The starting weight, shared by the three walks. Default −0.5. */
  start?: number;
  /** Three learning rates, from small to large. Default [0.05, 0.6, 2.1]. */
  rates?: [number, number, number];
  /** How many updates each walk makes. Default 8. */
  steps?: number;
};

/**
 * Gradient descent on J(w) = ½(w − 3)² + 1 from one starting weight with three learning rates,
 * in three panels side by side, each titled with its rate and what the walk did ("crawls",
 * "converges", "diverges", judged from the walk). The alt text tells each walk in words.
 */
export function rateComparison(options: RateComparisonOptions = {}): ChartSpec {
  const rates = checkNumbers("rateComparison", "rates", options.rates ?? [0.05, 0.6, 2.1]);
  if (rates.length !== 3) {
    throw new RangeError(
      `rateComparison: received ${rates.length} rates ${JSON.stringify(rates)}; expected three, ` +
        "from small to large, such as [0.05, 0.6, 2.1]",
    );
  }
  const start = checkNumber("rateComparison", "start", options.start ?? -0.5);
  const steps = checkSteps("rateComparison", options.steps ?? 8);
  const cost = costs.convex;
  const found = minima(cost);
  const runs = rates.map((lr) => {
    const path = descend(cost, start, lr, steps);
    const outcome = judge(path, found, cost);
    const word =
      outcome.verdict === "diverged"
        ? "diverges"
        : outcome.verdict === "converged"
          ? "converges"
          : "crawls";
    return { lr, path, outcome, panel: `α = ${fmt(lr, 4)}\n${word}` };
  });
  // the cost's own range, widened to show the walks (at most three times as wide)
  const domain = drawnDomain(
    cost,
    runs.map((run) => run.path),
  );
  const top = Math.max(cost.J(domain[0]), cost.J(domain[1]));
  const panels = runs.map((run) => run.panel);
  return labelled({
    options: {
      width: CELL_WIDTH,
      height: 250,
      style: chartStyle,
      ...axisRoom,
      marginTop: 44,
      marginLeft: 36,
      marginRight: 8,
      x: { label: "w (weight)", domain, ticks: 3 },
      y: { label: "J(w)", grid: true, domain: [0, top], ticks: 4 },
      fx: { domain: panels, label: null, padding: 0.1 },
      marks: [
        Plot.axisFx({
          anchor: "top",
          fontWeight: "bold",
          fontSize: 12,
          label: null,
          tickSize: 0,
          lineHeight: 1.2,
        }),
        Plot.frame({ stroke: "currentColor", strokeOpacity: 0.2 }),
        ...curveMarks(cost, domain),
        Plot.dot(found, {
          x: "w",
          y: "J",
          r: 5,
          fill: palette.highlight,
          stroke: "currentColor",
          symbol: "diamond2",
        }),
        ...runs.flatMap((run) => pathMarks(run.path, domain, false, run.panel)),
      ],
    },
    alt:
      `Gradient descent on J(w) = ½(w − 3)² + 1 (lowest at w = ${fmt(found[0].w)}) from ` +
      `w = ${fmt(start)}, in three panels side by side. ` +
      runs
        .map((run) => `With α = ${fmt(run.lr, 4)}, ${outcomeSentence(run.path, run.outcome)}`)
        .join(" "),
  });
}
