// A classifier's answer as it sees it: one bar per class, as tall as the probability it gives it.
import * as Plot from "@observablehq/plot";
import { fmt, listing } from "./format.ts";
import { labelled, type ChartSpec } from "./spec.ts";
import { chartStyle, palette } from "./theme.ts";

/** Options of {@link probabilityBars}. */
export type ProbabilityBarsOptions = {
  /** One probability per class, from 0 to 1, adding up to 1 (a softmax's output). */
  probabilities: number[];
  /** The name of each class. Default: "0", "1", … (the digits). */
  classes?: string[];
};

/**
 * Bars from 0 to 100%, one per class, each with its percentage; the most probable class is
 * blue, the others grey. The text alternative names the answer and the runners-up.
 */
export function probabilityBars(options: ProbabilityBarsOptions): ChartSpec {
  const { probabilities, classes } = check(options);
  const rows = probabilities.map((p, i) => ({ name: classes[i], p }));
  const best = rows.reduce((a, r) => (r.p > a.p ? r : a));
  return labelled({
    options: {
      width: 440,
      height: 220,
      style: chartStyle,
      marginTop: 30, // the ↑ probability label clear of the top tick
      marginLeft: 44,
      marginBottom: 36,
      x: { domain: classes, label: "digit", labelAnchor: "center", tickSize: 0, padding: 0.2 },
      y: { domain: [0, 100], label: "probability (%)", ticks: [0, 25, 50, 75, 100], grid: true },
      marks: [
        Plot.barY(rows, {
          x: "name",
          y: (r) => r.p * 100,
          fill: (r) => (r === best ? palette.series[0] : "currentColor"),
          fillOpacity: (r) => (r === best ? 1 : 0.35),
        }),
        Plot.ruleY([0], { stroke: "currentColor" }),
        // Percentages from 1% up: below that a bar is too short to see, and the alt says so.
        ...[true, false].map((top) =>
          Plot.text(
            rows.filter((r) => r.p >= 0.01 && (r === best) === top),
            {
              x: "name",
              y: (r) => r.p * 100,
              text: (r) => percent(r.p),
              dy: -8,
              fill: "currentColor",
              fontWeight: top ? "bold" : "normal",
            },
          ),
        ),
      ],
    },
    alt: barsAlt(rows, best),
  });
}

// "92%", "4.3%": whole points from 10% up, one decimal below.
function percent(p: number): string {
  const v = p * 100;
  return v >= 9.95 ? `${fmt(v, 0)}%` : `${fmt(v, 1)}%`;
}

function barsAlt(rows: { name: string; p: number }[], best: { name: string; p: number }): string {
  const ranked = [...rows].sort((a, b) => b.p - a.p);
  const others = ranked.slice(1).filter((r) => r.p >= 0.01);
  const rest = rows.length - 1 - others.length;
  let text =
    `Probabilities of the ${rows.length} classes: the highest is ${best.name}, at ` +
    `${percent(best.p)}`;
  if (others.length > 0) {
    text += `; then ${listing(others.slice(0, 3).map((r) => `${r.name} at ${percent(r.p)}`))}`;
    if (others.length > 3) text += ` and ${others.length - 3} more at 1% or above`;
  }
  if (rest === 0) return `${text}.`;
  return `${text}; the other ${rest === 1 ? "one is" : `${rest} are`} below 1%.`;
}

function check(options: ProbabilityBarsOptions) {
  const { probabilities } = options ?? ({} as ProbabilityBarsOptions);
  if (
    !Array.isArray(probabilities) ||
    probabilities.length < 2 ||
    !probabilities.every((p) => Number.isFinite(p) && p >= 0 && p <= 1)
  ) {
    throw new TypeError(
      `probabilityBars: received probabilities ${JSON.stringify(probabilities)?.slice(0, 80)}; ` +
        "expected an array of at least two numbers from 0 to 1, such as softmax(scores)",
    );
  }
  const classes = options.classes ?? probabilities.map((_, i) => String(i));
  if (!Array.isArray(classes) || classes.length !== probabilities.length) {
    throw new RangeError(
      `probabilityBars: received ${Array.isArray(classes) ? classes.length : typeof classes} ` +
        `class names for ${probabilities.length} probabilities; expected one name per probability`,
    );
  }
  return { probabilities, classes: classes.map(String) };
}
