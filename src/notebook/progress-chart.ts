/**
 * The chart of a training's progress: loss (and accuracy) by epoch, drawn with the book's own
 * `lossCurve`, the same while it trains (in the worker) and after (in the output, at build time
 * too). Needs Plot and a DOM document (linkedom's in Node and in the worker).
 */
import * as Plot from "@observablehq/plot";
import { lossCurve } from "../charts/lossCurve.ts";
import { toOutputs } from "./inspect.ts";
import type { ProgressPoint } from "./types.ts";

let charts = 0;

/** A function from a training's history to its chart as HTML (ids unique per chart). */
export function progressChart(document: unknown, idPrefix: string) {
  return (history: ProgressPoint[], _epochs: number | null): string => {
    const spec = lossCurve(
      history.map((p) => ({ epoch: p.epoch, loss: p.loss, accuracy: p.accuracy ?? undefined })),
    );
    const chart = Plot.plot({ ...spec.options, ariaLabel: spec.alt, document } as Plot.PlotOptions);
    const [output] = toOutputs(chart, `${idPrefix}-progress-${++charts}-`);
    return output?.kind === "html" ? output.html : "";
  };
}
