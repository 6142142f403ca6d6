// The test loss alone, zoomed in on its lowest epoch: where overfitting shows as a climb that the
// scale of the whole training (a loss that starts near 0.5) flattens into a line.
import * as Plot from "@observablehq/plot";
import { fmt, listing } from "./format.ts";
import { labelled, type ChartSpec } from "./spec.ts";
import { chartStyle } from "./theme.ts";
import { checkHistory, epochAxis, lowestTestLoss, series, type TrainTestEntry } from "./trainingCurves.ts";

/**
 * The test loss per epoch on an axis zoomed in on its lowest value: the axis starts a little under
 * it and ends so that the climb after it fills about two fifths of the height (earlier, higher
 * epochs run off the top, each marked by an arrow). The lowest epoch is a dot with a dotted line down to the axis and its
 * value and epoch written under it, where the line never goes; the last epoch's value is written
 * at its right. The text alternative says how the test loss falls and rises, and by how much.
 *
 * @example
 * testLossZoom(history) // history: [{ epoch, loss, accuracy, testLoss, testAccuracy }, …]
 */
export function testLossZoom(history: TrainTestEntry[]): ChartSpec {
  checkHistory("testLossZoom", history);
  const best = lowestTestLoss(history);
  const last = history[history.length - 1];
  const epochs = history.map((h) => h.epoch);
  const [first, final] = [Math.min(...epochs), Math.max(...epochs)];
  const [lo, hi] = zoom(history, best);
  const above = history.filter((h) => h.testLoss > hi);
  const inside = history.filter((h) => h.testLoss <= hi);
  // the label under the lowest dot, kept inside the frame near either end
  const where = final > first ? (best.epoch - first) / (final - first) : 0.5;
  const anchor = where < 0.3 ? "start" : where > 0.7 ? "end" : "middle";
  const test = series.test;
  return labelled({
    options: {
      width: 440,
      height: 280,
      style: chartStyle,
      marginLeft: 56,
      marginRight: 56, // room for the last value, written at the line's end
      marginTop: 42, // the title, a line clear of the top tick
      marginBottom: 40,
      x: epochAxis(history),
      y: { label: null, domain: [lo, hi], ticks: 4, tickFormat: (v: number) => fmt(v, 3), grid: true },
      marks: [
        Plot.text(["test loss, zoomed in on its lowest"], {
          frameAnchor: "top-left",
          textAnchor: "start",
          dx: -50,
          dy: -28,
          fontWeight: "bold",
          fill: "currentColor",
        }),
        Plot.ruleX([best], {
          x: "epoch",
          y1: lo,
          y2: "testLoss",
          stroke: "currentColor",
          strokeOpacity: 0.6,
          strokeDasharray: "2,3",
        }),
        Plot.line(history, {
          x: "epoch",
          y: "testLoss",
          stroke: test.colour,
          strokeWidth: 2.5,
          strokeDasharray: test.dash,
          clip: true,
        }),
        Plot.dot(inside, { x: "epoch", y: "testLoss", r: 3, fill: test.colour }),
        // the epochs cut off at the top: a mark on the top edge says they go on up
        Plot.text(above, {
          x: "epoch",
          frameAnchor: "top",
          text: () => "↑",
          dy: 10,
          fill: test.colour,
          fontSize: 20,
          fontWeight: "bold",
        }),
        Plot.dot([best], {
          x: "epoch",
          y: "testLoss",
          r: 6,
          fill: test.colour,
          stroke: "var(--sl-color-bg, white)",
          strokeWidth: 2,
        }),
        Plot.text([best], {
          x: "epoch",
          y: "testLoss",
          text: (h: TrainTestEntry) => `lowest: ${fmt(h.testLoss, 3)}, epoch ${h.epoch}`,
          textAnchor: anchor,
          lineAnchor: "top",
          dy: 12,
          dx: anchor === "start" ? -6 : anchor === "end" ? 6 : 0,
          fill: "currentColor",
          stroke: "var(--sl-color-bg, white)",
          strokeWidth: 3,
          paintOrder: "stroke",
        }),
        last.epoch === best.epoch
          ? null
          : Plot.text([last], {
              x: "epoch",
              y: "testLoss",
              text: (h: TrainTestEntry) => fmt(h.testLoss, 3),
              textAnchor: "start",
              dx: 8,
              fill: test.colour,
              fontWeight: "bold",
            }),
      ],
    },
    alt: zoomAlt(history, best, above),
  });
}

// The y range: a little under the lowest test loss (room for its label) to twice the climb after
// it, which then fills two fifths of the height; with no climb, the whole range of the test loss.
function zoom(history: TrainTestEntry[], best: TrainTestEntry): [number, number] {
  const later = history.filter((h) => h.epoch > best.epoch).map((h) => h.testLoss);
  const rise = later.length ? Math.max(...later) - best.testLoss : 0;
  const highest = Math.max(...history.map((h) => h.testLoss));
  const span =
    rise > 0 ? rise * 2 : highest > best.testLoss ? highest - best.testLoss : best.testLoss * 0.1 || 1;
  return [best.testLoss - span * 0.3, best.testLoss + span];
}

function zoomAlt(history: TrainTestEntry[], best: TrainTestEntry, above: TrainTestEntry[]): string {
  const first = history[0];
  const last = history[history.length - 1];
  let text = `The test loss alone, per epoch, on an axis zoomed in on its lowest value. `;
  if (best.epoch === first.epoch && best.epoch === last.epoch) {
    return `${text}One epoch: the test loss is ${fmt(best.testLoss, 3)}.`;
  }
  text +=
    best.epoch === first.epoch
      ? `It is lowest at the first epoch, ${best.epoch}: ${fmt(best.testLoss, 3)}`
      : `It falls from ${fmt(first.testLoss, 3)} at epoch ${first.epoch} to its lowest, ` +
        `${fmt(best.testLoss, 3)}, at epoch ${best.epoch}`;
  text +=
    best.epoch === last.epoch
      ? ", the last one: it has not risen yet."
      : `, then rises to ${fmt(last.testLoss, 3)} by epoch ${last.epoch}, ` +
        `${fmt(last.testLoss - best.testLoss, 3)} above its lowest.`;
  if (above.length > 0) {
    const numbers = above.map((h) => h.epoch);
    const run = numbers.every((e, i) => i === 0 || e === numbers[i - 1] + 1);
    const which =
      numbers.length === 1
        ? `Epoch ${numbers[0]} lies`
        : run
          ? `Epochs ${numbers[0]} to ${numbers[numbers.length - 1]} lie`
          : `Epochs ${listing(numbers.map(String))} lie`;
    text += ` ${which} above the top of the axis, marked by arrows.`;
  }
  return text;
}
