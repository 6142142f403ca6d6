// Training progress: loss (and accuracy, when recorded) per epoch.
import * as Plot from "@observablehq/plot";
import { labelled, type ChartSpec } from "./spec.ts";
import { fmt } from "./format.ts";
import { axisRoom, chartStyle, defaults, palette } from "./theme.ts";

/** One epoch of a training history, as `train` reports it. */
export type HistoryEntry = { epoch: number; loss: number; accuracy?: number };

/**
 * Loss per epoch as a line; if the history has accuracies, a second panel below shows accuracy
 * (from 0 to 100%). Non-finite losses (a diverged run) are left out and reported in the alt text.
 */
export function lossCurve(history: HistoryEntry[]): ChartSpec {
  if (
    !Array.isArray(history) ||
    history.length === 0 ||
    !history.every((h) => h !== null && typeof h === "object" && Number.isFinite(h.epoch))
  ) {
    const received = Array.isArray(history) ? `an array of ${history.length}` : typeof history;
    throw new TypeError(
      `lossCurve: received ${received}` +
        "; expected a non-empty history [{ epoch, loss, accuracy? }], " +
        "such as (await train(...)).history",
    );
  }
  const finite = history.filter((h) => Number.isFinite(h.loss));
  const withAccuracy = history.filter((h) => Number.isFinite(h.accuracy));
  const hasAccuracy = withAccuracy.length > 0;
  const rows = [
    ...finite.map((h) => ({ epoch: h.epoch, value: h.loss, metric: "loss" })),
    ...withAccuracy.map((h) => ({
      epoch: h.epoch,
      value: h.accuracy as number,
      metric: "accuracy",
    })),
  ];
  const maxLoss = Math.max(0, ...finite.map((h) => h.loss));
  // accuracy shares the y scale: it needs [0, 1] at least
  const top = hasAccuracy ? Math.max(1, maxLoss) : maxLoss || 1;
  const epochs = history.map((h) => h.epoch);
  const facet = hasAccuracy ? { fy: "metric" } : {};
  const titles = [
    { metric: "loss", text: "loss" },
    ...(hasAccuracy ? [{ metric: "accuracy", text: "accuracy" }] : []),
  ];
  return labelled({
    options: {
      ...epochPanels(epochs, top, hasAccuracy),
      color: { domain: ["loss", "accuracy"], range: [palette.series[1], palette.highlight] },
      marks: [
        Plot.ruleY([0], { stroke: "currentColor", strokeOpacity: 0.4 }),
        Plot.line(rows, { x: "epoch", y: "value", stroke: "metric", strokeWidth: 2.5, ...facet }),
        rows.length === titles.length
          ? Plot.dot(rows, { x: "epoch", y: "value", fill: "metric", r: 4, ...facet })
          : null,
        Plot.text(titles, {
          ...(hasAccuracy ? { fy: "metric" } : {}),
          text: "text",
          frameAnchor: "top-right",
          dx: -6,
          dy: 4,
          fontWeight: "bold",
          fill: "metric",
        }),
      ],
    },
    alt: lossAlt(history, finite, withAccuracy),
  });
}

/**
 * The frame of a chart of values per epoch: the epochs across, a loss panel, and an accuracy
 * panel below it when there are accuracies (both on one y scale from 0 to `top`).
 */
export function epochPanels(epochs: number[], top: number, hasAccuracy: boolean) {
  return {
    width: defaults.width,
    height: hasAccuracy ? defaults.height + 120 : defaults.height - 40,
    style: chartStyle,
    ...axisRoom,
    marginRight: 16,
    x: { label: "epoch", domain: [Math.min(...epochs), Math.max(...epochs)] },
    y: { label: null, grid: true, domain: [0, top], nice: true },
    ...(hasAccuracy ? { fy: { domain: ["loss", "accuracy"], axis: null, padding: 0.15 } } : {}),
  };
}

function lossAlt(history: HistoryEntry[], finite: HistoryEntry[], acc: HistoryEntry[]): string {
  const span = `${history.length} epoch${history.length === 1 ? "" : "s"}`;
  if (finite.length === 0) {
    return `Loss per epoch over ${span}: no loss is a finite number (the run diverged).`;
  }
  const first = finite[0];
  const last = finite[finite.length - 1];
  const lowest = finite.reduce((a, h) => (h.loss < a.loss ? h : a));
  const verb = last.loss < first.loss ? "falls" : last.loss > first.loss ? "rises" : "stays";
  let text =
    `Loss per epoch over ${span}: it ${verb} from ${fmt(first.loss, 3)} at epoch ${first.epoch} ` +
    `to ${fmt(last.loss, 3)} at epoch ${last.epoch}` +
    (lowest !== last ? ` (lowest ${fmt(lowest.loss, 3)}, at epoch ${lowest.epoch})` : "") +
    ".";
  if (finite.length < history.length) {
    text += ` ${history.length - finite.length} epochs have no finite loss: the run diverged.`;
  }
  if (acc.length > 0) {
    const a0 = acc[0].accuracy as number;
    const a1 = acc[acc.length - 1].accuracy as number;
    const averb = a1 > a0 ? "rises" : a1 < a0 ? "falls" : "stays";
    text += ` Accuracy ${averb} from ${fmt(a0 * 100, 1)}% to ${fmt(a1 * 100, 1)}%.`;
  }
  return text;
}
