// Training against test, per epoch: the loss and the accuracy on the data the network learns
// from and on data it never sees, where overfitting shows as a gap that opens.
import * as Plot from "@observablehq/plot";
import { fmt } from "./format.ts";
import { labelled, type ChartSpec } from "./spec.ts";
import { chartStyle, palette } from "./theme.ts";

/** One epoch scored on the training data and on the test data. */
export type TrainTestEntry = {
  epoch: number;
  /** Mean loss over the epoch's training batches. */
  loss: number;
  /** Share of the training examples classified right, from 0 to 1. */
  accuracy: number;
  /** Loss on the test data after the epoch. */
  testLoss: number;
  /** Share of the test examples classified right after the epoch, from 0 to 1. */
  testAccuracy: number;
};

/** The look of each data set's line, shared with {@link testLossZoom}'s. */
export const series = {
  training: { colour: palette.series[0], dash: null },
  test: { colour: palette.series[1], dash: "5,3" },
} as const;

/**
 * Two panels over the epochs: loss above, accuracy below, each with a line for the training data
 * (solid, blue) and one for the test data (dashed, orange), named at their right ends. The epoch
 * with the lowest test loss is marked by a dotted line, named at the loss panel's top right, when a
 * later epoch has a higher one: from there on, the network fits its training examples better and
 * new ones worse (overfitting). The text alternative states the start and end of each line, that
 * epoch, and the final gap.
 */
export function trainingCurves(history: TrainTestEntry[]): ChartSpec {
  checkHistory("trainingCurves", history);
  const best = lowestTestLoss(history);
  const last = history[history.length - 1];
  const turned = best.epoch < last.epoch && last.testLoss > best.testLoss;
  // Each panel has its own range, drawn on a shared 0..1 scale: loss from 0, accuracy from the
  // lowest 5% step below the lowest accuracy (so that a gap of a few points shows).
  const lossTicks = ticks(Math.max(...history.flatMap((h) => [h.loss, h.testLoss])));
  const lossTop = lossTicks[lossTicks.length - 1];
  const low = Math.min(...history.flatMap((h) => [h.accuracy, h.testAccuracy]));
  const floor = Math.min(95, Math.floor((low * 100) / 5) * 5);
  const panels = {
    loss: { at: (v: number) => v / lossTop, ticks: lossTicks, format: (v: number) => fmt(v, 2) },
    accuracy: {
      at: (v: number) => (v * 100 - floor) / (100 - floor),
      ticks: accuracyTicks(floor).map((t) => t / 100),
      format: (v: number) => `${fmt(v * 100, 0)}%`,
    },
  };
  type Panel = keyof typeof panels;
  const rows = history.flatMap((h) => [
    { epoch: h.epoch, set: "training", panel: "loss", value: h.loss },
    { epoch: h.epoch, set: "test", panel: "loss", value: h.testLoss },
    { epoch: h.epoch, set: "training", panel: "accuracy", value: h.accuracy },
    { epoch: h.epoch, set: "test", panel: "accuracy", value: h.testAccuracy },
  ] as { epoch: number; set: "training" | "test"; panel: Panel; value: number }[]);
  const y = (r: { panel: Panel; value: number }) => panels[r.panel].at(r.value);
  const axis = (Object.keys(panels) as Panel[]).flatMap((panel) =>
    panels[panel].ticks.map((value) => ({ panel, value })),
  );
  const epochs = history.map((h) => h.epoch);
  const [first, final] = [Math.min(...epochs), Math.max(...epochs)];
  const lines = (set: "training" | "test") =>
    Plot.line(
      rows.filter((r) => r.set === set),
      {
        x: "epoch",
        y,
        z: "panel",
        fy: "panel",
        stroke: series[set].colour,
        strokeWidth: 2.5,
        strokeDasharray: series[set].dash ?? undefined,
        marker: history.length <= 20 ? "dot" : undefined,
      },
    );
  return labelled({
    options: {
      width: 440,
      height: 440,
      style: chartStyle,
      marginLeft: 48,
      marginRight: 84, // room for "training" in 15 px type
      marginTop: 24,
      marginBottom: 40,
      x: epochAxis(history),
      y: { domain: [0, 1], axis: null },
      fy: { domain: ["loss", "accuracy"], label: null, padding: 0.2, axis: null },
      marks: [
        // The y axis of each panel: grid lines and tick labels in its own units.
        Plot.ruleY(axis, { y, fy: "panel", stroke: "currentColor", strokeOpacity: 0.12 }),
        Plot.text(axis, {
          y,
          fy: "panel",
          frameAnchor: "left",
          dx: -6,
          textAnchor: "end",
          text: (t) => panels[t.panel as Panel].format(t.value),
          fill: "currentColor",
        }),
        Plot.text(["loss", "accuracy"], {
          fy: (d) => d,
          frameAnchor: "top-left",
          textAnchor: "start",
          dy: -12,
          text: (d) => (d === "loss" ? "loss" : "accuracy"),
          fontWeight: "bold",
          fill: "currentColor",
        }),
        turned
          ? Plot.ruleX([best.epoch], {
              stroke: "currentColor",
              strokeOpacity: 0.6,
              strokeDasharray: "2,3",
            })
          : null,
        // what the dotted line is, said at the panel's top right, clear of its title and lines
        turned
          ? Plot.text(["dotted line: lowest test loss"], {
              fy: () => "loss",
              frameAnchor: "top-right",
              textAnchor: "end",
              dy: -12,
              fill: "currentColor",
              stroke: "var(--sl-color-bg, white)", // a halo: the dotted line passes behind it
              strokeWidth: 4,
              paintOrder: "stroke",
            })
          : null,
        lines("training"),
        lines("test"),
        // Each line named at its right end.
        Plot.text(
          rows.filter((r) => r.epoch === final),
          {
            x: "epoch",
            y: (r) => y(r) + nudge(r, rows, final, y),
            fy: "panel",
            text: "set",
            fill: (r) => series[r.set as "training" | "test"].colour,
            textAnchor: "start",
            dx: 8,
            fontWeight: "bold",
          },
        ),
      ],
    },
    alt: curvesAlt(history, best, turned),
  });
}

// Keeps the two names at a line's end apart when the lines end close together.
function nudge<R extends { epoch: number; set: string; panel: string }>(
  r: R,
  rows: R[],
  final: number,
  y: (r: R) => number,
): number {
  const other = rows.find((o) => o.epoch === final && o.panel === r.panel && o.set !== r.set);
  if (!other) return 0;
  const apart = 0.1; // of a panel's height
  const gap = y(r) - y(other);
  if (Math.abs(gap) >= apart) return 0;
  return (gap >= 0 ? 1 : -1) * (apart - Math.abs(gap)) / 2;
}

// Four or five round steps from 0 to at least `top`.
function ticks(top: number): number[] {
  const raw = top / 4;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * power >= raw) ?? 10) * power;
  const count = Math.ceil(top / step - 1e-9);
  return Array.from({ length: count + 1 }, (_, i) => Number((i * step).toPrecision(12)));
}

// Accuracy ticks from `floor` to 100%, in steps of 1, 2, 5, 10 or 20 points.
function accuracyTicks(floor: number): number[] {
  const span = 100 - floor;
  const step = [1, 2, 5, 10, 20].find((s) => span / s <= 5) ?? 25;
  const out: number[] = [];
  for (let t = 100; t >= floor - 1e-9; t -= step) out.unshift(t);
  return out;
}

/**
 * The x axis over a history's epochs (for the charts of a training): from the first to the last,
 * each epoch a tick while there are at most 12, whole numbers.
 */
export function epochAxis(history: readonly { epoch: number }[]) {
  const epochs = history.map((h) => h.epoch);
  return {
    label: "epoch",
    domain: [Math.min(...epochs), Math.max(...epochs)],
    ticks: history.length <= 12 ? epochs : undefined,
    tickFormat: "d",
  };
}

/** The epoch with the lowest test loss (the first of them, on a tie). */
export function lowestTestLoss(history: TrainTestEntry[]): TrainTestEntry {
  return history.reduce((a, h) => (h.testLoss < a.testLoss ? h : a));
}

function curvesAlt(history: TrainTestEntry[], best: TrainTestEntry, turned: boolean): string {
  const first = history[0];
  const last = history[history.length - 1];
  const span = `${history.length} epoch${history.length === 1 ? "" : "s"}`;
  const pct = (v: number) => `${fmt(v * 100, 1)}%`;
  const move = (a: number, b: number) => (b < a ? "falls" : b > a ? "rises" : "stays");
  let text =
    `Loss and accuracy per epoch over ${span}, on the training digits and on the test digits. ` +
    `Training loss ${move(first.loss, last.loss)} from ${fmt(first.loss, 3)} to ` +
    `${fmt(last.loss, 3)}; test loss `;
  text += turned
    ? `falls from ${fmt(first.testLoss, 3)} to its lowest, ${fmt(best.testLoss, 3)}, at epoch ` +
      `${best.epoch}, then rises to ${fmt(last.testLoss, 3)} by epoch ${last.epoch}.`
    : `${move(first.testLoss, last.testLoss)} from ${fmt(first.testLoss, 3)} to ` +
      `${fmt(last.testLoss, 3)}.`;
  text +=
    ` Training accuracy ${move(first.accuracy, last.accuracy)} from ${pct(first.accuracy)} to ` +
    `${pct(last.accuracy)}; test accuracy ${move(first.testAccuracy, last.testAccuracy)} from ` +
    `${pct(first.testAccuracy)} to ${pct(last.testAccuracy)}.`;
  const gap = (last.accuracy - last.testAccuracy) * 100;
  if (gap > 0) text += ` At the end the network does ${fmt(gap, 1)} points better on the digits it trained on.`;
  return text;
}

/** Throws unless `history` is a non-empty list of epochs with finite scores; `chart` names the caller. */
export function checkHistory(chart: string, history: TrainTestEntry[]): void {
  const keys = ["epoch", "loss", "accuracy", "testLoss", "testAccuracy"] as const;
  if (!Array.isArray(history) || history.length === 0) {
    throw new TypeError(
      `${chart}: received ${Array.isArray(history) ? "an empty array" : typeof history}; ` +
        "expected a non-empty history [{ epoch, loss, accuracy, testLoss, testAccuracy }], " +
        "one entry per epoch",
    );
  }
  history.forEach((h, i) => {
    const bad = keys.find((k) => !Number.isFinite((h as Record<string, unknown> | null)?.[k]));
    if (bad) {
      throw new TypeError(
        `${chart}: entry ${i} has ${bad} ${JSON.stringify((h as Record<string, unknown> | null)?.[bad])}; ` +
          `expected finite numbers for ${keys.join(", ")} ` +
          "(record testLoss and testAccuracy after each epoch, in train()'s onProgress)",
      );
    }
  });
}
