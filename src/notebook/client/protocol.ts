/**
 * The messages between the page and its kernel worker. Outputs cross as HTML (rendered in the
 * worker by the kernel core) and are sanitized by the page before they are shown.
 */
import type { CellNames } from "./deps.ts";

/** Page → worker. */
export type ToWorker =
  /**
   * Run a cell's code in the shared scope; `run` numbers runs so late results can be dropped;
   * `width` is the output's width in CSS pixels, for the live chart.
   */
  | { type: "run"; run: number; cellId: string; code: string; width?: number }
  /** Ask run `run` to stop at its next await (training loops check between batches). */
  | { type: "stop"; run: number }
  /** Find what each cell declares and references (nothing runs). */
  | { type: "analyze"; request: number; cells: { id: string; code: string }[] };

/** Progress of a long run, streamed while it works. */
export interface Progress {
  /** Share of the work done, 0..1, when known. */
  fraction?: number;
  /** One line for the status, e.g. "epoch 12/50 · loss 0.213 · accuracy 0.94". */
  text: string;
  /** A live chart (HTML/SVG) of the run so far, when there is one. */
  html?: string;
}

/** Worker → page. */
export type FromWorker =
  | { type: "ready" }
  | { type: "analysis"; request: number; cells: (CellNames & { error?: string })[] }
  | { type: "progress"; run: number; progress: Progress }
  | {
      type: "done";
      run: number;
      /** The cell's outputs as HTML, still to be sanitized. */
      html: string;
      /** False when the cell threw (the error is part of `html`). */
      ok: boolean;
      /** True when the run ended early because it was asked to stop. */
      stopped: boolean;
      /** The error message, when `ok` is false. */
      error?: string;
    };
