// Which class a classifier gives each class: a table of counts, true classes down, answers across.
import * as Plot from "@observablehq/plot";
import { listing, plural } from "./format.ts";
import { labelled, type ChartSpec } from "./spec.ts";
import { chartStyle, palette } from "./theme.ts";

/** Options of {@link confusionMatrix}. */
export type ConfusionMatrixOptions = {
  /** The true class of each example: whole numbers from 0 to classes − 1. */
  labels: number[];
  /** The model's answer for each example, in the same order. */
  predictions: number[];
  /** How many classes. Default: 10, the digits. */
  classes?: number;
};

/** One cell of the table: how many examples of class `label` got the answer `predicted`. */
export type Confusion = { label: number; predicted: number; count: number };

/**
 * Counts, for every true class and every answer, how many examples got that answer: `classes²`
 * cells, row by row (label 0 first), the right answers on the diagonal.
 */
export function confusionCounts(options: ConfusionMatrixOptions): Confusion[] {
  const { labels, predictions, classes } = check(options);
  const counts = new Array(classes * classes).fill(0);
  labels.forEach((label, k) => counts[label * classes + predictions[k]]++);
  return counts.map((count, i) => ({ label: Math.floor(i / classes), predicted: i % classes, count }));
}

/**
 * The confusion matrix: one row per true class, one column per answer, each cell with its count.
 * Right answers (the diagonal) are tinted green; mistakes red, darker the more there are. The text
 * alternative gives the share right, the commonest mistakes and the class most often missed.
 */
export function confusionMatrix(options: ConfusionMatrixOptions): ChartSpec {
  const cells = confusionCounts(options);
  const classes = Math.round(Math.sqrt(cells.length));
  const worst = Math.max(1, ...cells.filter((c) => c.label !== c.predicted).map((c) => c.count));
  const shade = (c: Confusion) =>
    c.label === c.predicted ? 0.3 : c.count === 0 ? 0 : 0.15 + 0.55 * (c.count / worst);
  const domain = Array.from({ length: classes }, (_, i) => i);
  const size = Math.max(240, Math.min(420, 40 * classes + 20));
  return labelled({
    options: {
      width: size + 40,
      height: size + 30,
      style: chartStyle,
      marginLeft: 52,
      marginTop: 50,
      marginRight: 6,
      marginBottom: 6,
      padding: 0.04,
      x: { domain, axis: "top", label: "the network's answer", labelAnchor: "center", tickSize: 0 },
      y: { domain, label: "true digit", labelAnchor: "center", labelOffset: 48, tickSize: 0 }, // inside the edge
      marks: [
        Plot.cell(cells, {
          x: "predicted",
          y: "label",
          fill: (c: Confusion) => (c.label === c.predicted ? palette.highlight : palette.wrong),
          fillOpacity: shade,
          stroke: "currentColor",
          strokeOpacity: 0.12,
        }),
        // the counts: bold on the diagonal (Plot's font weight is one per mark)
        ...[true, false].map((right) =>
          Plot.text(
            cells.filter((c) => c.count > 0 && (c.label === c.predicted) === right),
            {
              x: "predicted",
              y: "label",
              text: (c: Confusion) => String(c.count),
              fill: "currentColor",
              fontWeight: right ? "bold" : "normal",
            },
          ),
        ),
      ],
    },
    alt: confusionAlt(cells, classes),
  });
}

function confusionAlt(cells: Confusion[], classes: number): string {
  const total = cells.reduce((sum, c) => sum + c.count, 0);
  const right = cells.filter((c) => c.label === c.predicted).reduce((sum, c) => sum + c.count, 0);
  const share = total > 0 ? ((100 * right) / total).toFixed(1) : "0";
  let text =
    `Confusion matrix of ${total.toLocaleString("en-US")} examples: one row per true class, one ` +
    `column per answer, ${classes} of each. ${right.toLocaleString("en-US")} are on the ` +
    `diagonal, answered right (${share}%).`;
  const mistakes = cells
    .filter((c) => c.label !== c.predicted && c.count > 0)
    .sort((a, b) => b.count - a.count || a.label - b.label || a.predicted - b.predicted);
  if (mistakes.length === 0) return `${text} There are no mistakes.`;
  const named = mistakes
    .slice(0, 3)
    .map((c) => `a ${c.label} read as ${c.predicted} (${plural(c.count, "time")})`);
  text += ` The commonest mistakes: ${listing(named)}.`;
  const missed = Array.from({ length: classes }, (_, label) => {
    const row = cells.filter((c) => c.label === label);
    const all = row.reduce((sum, c) => sum + c.count, 0);
    const wrong = all - row[label].count;
    return { label, wrong, all };
  }).filter((r) => r.all > 0);
  const most = missed.reduce((a, r) => (r.wrong / r.all > a.wrong / a.all ? r : a));
  text += ` The class missed most often is ${most.label}: ${most.wrong} of ${most.all} wrong.`;
  return text;
}

function check(options: ConfusionMatrixOptions) {
  const { labels, predictions, classes = 10 } = options ?? ({} as ConfusionMatrixOptions);
  if (!Number.isInteger(classes) || classes < 2 || classes > 20) {
    throw new RangeError(
      `confusionMatrix: received classes ${JSON.stringify(classes)}; expected a whole number ` +
        "from 2 to 20 (10 for the digits)",
    );
  }
  const isClass = (v: unknown) => Number.isInteger(v) && (v as number) >= 0 && (v as number) < classes;
  for (const [name, list] of [["labels", labels], ["predictions", predictions]] as const) {
    if (!Array.isArray(list) || list.length === 0) {
      throw new TypeError(
        `confusionMatrix: received ${name} ${Array.isArray(list) ? "[]" : typeof list}; expected ` +
          "a non-empty array of classes, such as digits.test.y",
      );
    }
    const bad = list.findIndex((v) => !isClass(v));
    if (bad >= 0) {
      throw new RangeError(
        `confusionMatrix: ${name}[${bad}] is ${JSON.stringify(list[bad])}; expected a whole ` +
          `number from 0 to ${classes - 1}. For a network's outputs, take the index of the ` +
          "largest: row.indexOf(Math.max(...row))",
      );
    }
  }
  if (labels.length !== predictions.length) {
    throw new RangeError(
      `confusionMatrix: received ${labels.length} labels and ${predictions.length} predictions; ` +
        "expected one prediction per label",
    );
  }
  return { labels, predictions, classes };
}
