/**
 * The chart of a training's progress: loss (and accuracy) by epoch, drawn with the book's own
 * `lossCurve`, the same while it trains (in the worker) and after (in the output, at build time
 * too); once a training cell has run more than once, `runsCurve` draws its runs side by side.
 * Needs Plot and a DOM document (linkedom's in Node and in the worker).
 */
import * as Plot from "@observablehq/plot";
import { lossCurve } from "../charts/lossCurve.ts";
import { runsCurve } from "../charts/runsCurve.ts";
import { toOutputs } from "./inspect.ts";
import type { ProgressPoint, RunCurve } from "./types.ts";

let charts = 0;

const entries = (history: ProgressPoint[]) =>
  history.map((p) => ({ epoch: p.epoch, loss: p.loss, accuracy: p.accuracy ?? undefined }));

/** A function from a training's history (and its cell's runs) to its chart as HTML. */
export function progressChart(document: unknown, idPrefix: string) {
  return (history: ProgressPoint[], _epochs: number | null, runs?: RunCurve[]): string => {
    const spec =
      runs && runs.length > 1
        ? runsCurve(runs.map((r) => ({ label: r.label, history: entries(r.history), current: r.current })))
        : lossCurve(entries(history));
    const chart = Plot.plot({ ...spec.options, ariaLabel: spec.alt, document } as Plot.PlotOptions);
    const [output] = toOutputs(chart, `${idPrefix}-progress-${++charts}-`);
    return output?.kind === "html" ? output.html : "";
  };
}
