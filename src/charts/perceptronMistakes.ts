// The perceptron learning rule's progress: how many training points it got wrong in each epoch.
import * as Plot from "@observablehq/plot";
import { labelled, type ChartSpec } from "./spec.ts";
import { fmt, plural } from "./format.ts";
import { axisRoom, chartStyle, defaults, palette } from "./theme.ts";

/** Options of {@link perceptronMistakes}. */
export type PerceptronMistakesOptions = {
  /** Mistakes per epoch, as `Perceptron.fit` returns them: mistakes[0] is epoch 1. */
  mistakes: number[];
};

/**
 * Mistakes per epoch as bars. The text alternative says whether the perceptron converged (an
 * epoch with no mistakes) and when.
 */
export function perceptronMistakes(options: PerceptronMistakesOptions): ChartSpec {
  const mistakes = options?.mistakes;
  if (
    !Array.isArray(mistakes) ||
    mistakes.length === 0 ||
    !mistakes.every((m) => Number.isInteger(m) && m >= 0)
  ) {
    throw new TypeError(
      `perceptronMistakes: received mistakes ${JSON.stringify(mistakes)}; expected a non-empty ` +
        "array of whole numbers ≥ 0, one per epoch, such as perceptron.fit(X, y).mistakes",
    );
  }
  const rows = mistakes.map((count, i) => ({ epoch: i + 1, count }));
  const every = Math.ceil(rows.length / 15);
  const ticks = rows.map((r) => r.epoch).filter((e) => e === 1 || e % every === 0);
  const most = Math.max(1, ...mistakes);
  const yStep = Math.max(1, Math.ceil(most / 5));
  const yTicks = Array.from({ length: Math.floor(most / yStep) + 1 }, (_, i) => i * yStep);
  return labelled({
    options: {
      width: defaults.width,
      height: defaults.height - 40,
      style: chartStyle,
      ...axisRoom,
      x: { label: "epoch", ticks, padding: 0.2 },
      y: { label: "mistakes", grid: true, domain: [0, most], ticks: yTicks, tickFormat: "d" },
      marks: [
        Plot.barY(rows, { x: "epoch", y: "count", fill: palette.series[0] }),
        Plot.ruleY([0], { stroke: "currentColor" }),
        rows.length <= 30
          ? Plot.text(rows, { x: "epoch", y: "count", text: "count", dy: -8, fill: "currentColor" })
          : null,
      ],
    },
    alt: mistakesAlt(mistakes),
  });
}

function mistakesAlt(mistakes: number[]): string {
  const n = mistakes.length;
  const first = `The perceptron made ${plural(mistakes[0], "mistake")} in epoch 1`;
  const clean = mistakes.indexOf(0);
  if (clean >= 0 && mistakes.slice(clean).every((m) => m === 0)) {
    return (
      `${first} and none from epoch ${clean + 1} on (of ${n}): ` +
      "it converged, every training point is classified correctly."
    );
  }
  const last = mistakes[n - 1];
  const mean = mistakes.reduce((a, b) => a + b, 0) / n;
  return (
    `${first} and still ${plural(last, "mistake")} in epoch ${n} (on average ${fmt(mean, 1)} ` +
    "per epoch): it never found a line that separates the classes."
  );
}
