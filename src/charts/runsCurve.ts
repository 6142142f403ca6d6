// Several training runs side by side: each run's loss (and accuracy) per epoch, one colour a run,
// so the reader sees what a change did. The notebook draws it when a training cell runs again.
import * as Plot from "@observablehq/plot";
import { fmt } from "./format.ts";
import { epochPanels, type HistoryEntry } from "./lossCurve.ts";
import { labelled, type ChartSpec } from "./spec.ts";
import { palette } from "./theme.ts";

/** One run: what was different in it (the legend), its history, and whether it is the latest. */
export type RunEntry = { label: string; history: HistoryEntry[]; current?: boolean };

/**
 * Loss per epoch of each run, one line a run (the latest drawn thicker, in front), with a legend
 * of what each run changed; if the histories have accuracies, a second panel shows them.
 */
export function runsCurve(runs: RunEntry[]): ChartSpec {
  if (
    !Array.isArray(runs) ||
    runs.length === 0 ||
    !runs.every((r) => typeof r?.label === "string" && Array.isArray(r.history) && r.history.length > 0)
  ) {
    throw new TypeError(
      `runsCurve: received ${Array.isArray(runs) ? `an array of ${runs.length}` : typeof runs}; ` +
        "expected runs [{ label, history: [{ epoch, loss, accuracy? }] }], at least one, none empty",
    );
  }
  const labels = runs.map((r) => r.label);
  if (new Set(labels).size !== labels.length) {
    throw new TypeError(`runsCurve: two runs have the same label; labels: ${JSON.stringify(labels)}`);
  }
  const rows = runs.flatMap((run) => [
    ...run.history
      .filter((h) => Number.isFinite(h.loss))
      .map((h) => ({ epoch: h.epoch, value: h.loss, metric: "loss", run: run.label })),
    ...run.history
      .filter((h) => Number.isFinite(h.accuracy))
      .map((h) => ({ epoch: h.epoch, value: h.accuracy as number, metric: "accuracy", run: run.label })),
  ]);
  const hasAccuracy = rows.some((r) => r.metric === "accuracy");
  const maxLoss = Math.max(0, ...rows.filter((r) => r.metric === "loss").map((r) => r.value));
  const epochs = rows.map((r) => r.epoch);
  const panels = epochPanels(epochs, maxLoss, hasAccuracy);
  const plotted = rows.map((r) => ({ ...r, value: panels.y(r.metric, r.value) }));
  const facet = hasAccuracy ? { fy: "metric" } : {};
  const latest = runs.find((r) => r.current)?.label ?? labels[labels.length - 1];
  const line = (which: (label: string) => boolean, strokeWidth: number, strokeOpacity: number) =>
    Plot.line(
      plotted.filter((r) => which(r.run)),
      { x: "epoch", y: "value", stroke: "run", z: "run", strokeWidth, strokeOpacity, ...facet },
    );
  return labelled({
    options: {
      ...panels.frame,
      color: { domain: labels, range: [...palette.series], legend: true },
      marks: [
        ...panels.axes,
        Plot.ruleY([0], { stroke: "currentColor", strokeOpacity: 0.4 }),
        line((label) => label !== latest, 1.75, 0.75),
        line((label) => label === latest, 3, 1),
        Plot.text(
          [
            { metric: "loss", text: "loss" },
            ...(hasAccuracy ? [{ metric: "accuracy", text: "accuracy" }] : []),
          ],
          { ...(hasAccuracy ? { fy: "metric" } : {}), text: "text", frameAnchor: "top-right", dx: -6, dy: 4, fontWeight: "bold" },
        ),
      ],
    },
    alt: runsAlt(runs),
  });
}

// A loss in words: three decimals, or an exponent when that would show 0.
const lossText = (x: number) => (x === 0 || Math.abs(x) >= 0.001 ? fmt(x, 3) : x.toExponential(1));

function runsAlt(runs: RunEntry[]): string {
  const ends = runs.map((run) => {
    const finite = run.history.filter((h) => Number.isFinite(h.loss));
    const last = finite[finite.length - 1];
    const accuracy = run.history.filter((h) => Number.isFinite(h.accuracy)).at(-1)?.accuracy;
    const where = last
      ? `loss ${lossText(last.loss)} at epoch ${last.epoch}${accuracy === undefined ? "" : `, accuracy ${fmt(accuracy * 100, 1)}%`}`
      : "no finite loss (it diverged)";
    return `${run.label}: ${where}`;
  });
  return `Loss per epoch of ${runs.length} training runs, one line each. ${ends.join(". ")}.`;
}
