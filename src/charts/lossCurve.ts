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
  const epochs = history.map((h) => h.epoch);
  const panels = epochPanels(epochs, maxLoss, hasAccuracy);
  const plotted = rows.map((r) => ({ ...r, value: panels.y(r.metric, r.value) }));
  const facet = hasAccuracy ? { fy: "metric" } : {};
  const titles = [
    { metric: "loss", text: "loss" },
    ...(hasAccuracy ? [{ metric: "accuracy", text: "accuracy" }] : []),
  ];
  return labelled({
    options: {
      ...panels.frame,
      color: { domain: ["loss", "accuracy"], range: [palette.series[1], palette.highlight] },
      marks: [
        ...panels.axes,
        Plot.ruleY([0], { stroke: "currentColor", strokeOpacity: 0.4 }),
        Plot.line(plotted, { x: "epoch", y: "value", stroke: "metric", strokeWidth: 2.5, ...facet }),
        rows.length === titles.length
          ? Plot.dot(plotted, { x: "epoch", y: "value", fill: "metric", r: 4, ...facet })
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
 * The frame of a chart of values per epoch: the epochs across, a loss panel, and an accuracy panel
 * below it when there are accuracies. The panels share Plot's y scale, so each draws its own axis:
 * loss in its units from 0, accuracy from 0 to 100% over the same height (`y` places a value).
 */
export function epochPanels(epochs: number[], maxLoss: number, hasAccuracy: boolean) {
  const lossTicks = niceTicks(maxLoss || 1);
  const top = lossTicks[lossTicks.length - 1];
  const accuracyTicks = [0, 0.25, 0.5, 0.75, 1].map((a) => a * top);
  const panel = (name: string) => ({ fy: () => name });
  const frame = {
    width: defaults.width,
    height: hasAccuracy ? defaults.height + 120 : defaults.height - 40,
    style: chartStyle,
    ...axisRoom,
    marginRight: 16,
    x: { label: "epoch", domain: [Math.min(...epochs), Math.max(...epochs)] },
    y: hasAccuracy ? { axis: null, domain: [0, top] } : { label: null, grid: true, domain: [0, top] },
    ...(hasAccuracy ? { fy: { domain: ["loss", "accuracy"], axis: null, padding: 0.15 } } : {}),
  };
  const axes = hasAccuracy
    ? [
        Plot.gridY(lossTicks, panel("loss")),
        Plot.axisY(lossTicks, { ...panel("loss"), label: null }),
        Plot.gridY(accuracyTicks, panel("accuracy")),
        Plot.axisY(accuracyTicks, {
          ...panel("accuracy"),
          label: null,
          tickFormat: (v: number) => `${Math.round((v / top) * 100)}%`,
        }),
      ]
    : [];
  const y = (metric: string, value: number) => (metric === "accuracy" ? value * top : value);
  return { frame, axes, y };
}

// Round ticks from 0 to at least `max`: 1, 2 or 5 times a power of ten apart, four or five of them.
function niceTicks(max: number): number[] {
  const rough = max / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) as number;
  const count = Math.ceil(max / step - 1e-9);
  return Array.from({ length: count + 1 }, (_, i) => Number((i * step).toPrecision(12)));
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
