/**
 * The messages between the page and its kernel worker. Outputs cross as parts: markup (rendered in
 * the worker by the kernel core, sanitized by the page) and controls as plain data (made by the
 * page itself with `renderInput`).
 */
import type { OutputPart } from "../render.ts";
import type { CellInfo, CellStatus, TrainingCommand, TrainingStatus } from "../types.ts";

/** Page → worker. Handled in order. */
export type ToWorker =
  /**
   * The chapter's cells as the kernel should have them (the code each last ran with), and the
   * controls' values. Cells whose code did not change are left as they are; nothing runs.
   */
  | { type: "define"; cells: { id: string; code: string }[]; inputs: Record<string, unknown> }
  /**
   * Run these cells (and what they read, if needed, and what reads them), after defining the
   * cells as given, when given (one message, so an edited cell runs once, not twice).
   */
  | {
      type: "run";
      ids: string[];
      define?: { cells: { id: string; code: string }[]; inputs: Record<string, unknown> };
    }
  /** A control's new value. */
  | { type: "input"; key: string; value: unknown }
  /** A training control's command. */
  | { type: "control"; key: string; command: TrainingCommand }
  /** Stop a cell's run (every run without an id). */
  | { type: "stop"; id?: string }
  /** Forget a training cell's earlier runs (its chart draws the last one alone). */
  | { type: "clear-runs"; id: string }
  /** Are you there? (the watchdog asks while a stopped cell has not ended). */
  | { type: "ping"; n: number };

/** Progress of a long run, streamed while it works. */
export interface ProgressReport {
  /** Share of the work done, 0..1, when known. */
  fraction?: number;
  /** One line for the status, e.g. "epoch 12/50 · loss 0.213 · accuracy 94%". */
  text: string;
  /** The live chart (HTML/SVG, to sanitize) of the run so far. */
  html?: string;
}

/** Worker → page. */
export type FromWorker =
  | { type: "ready" }
  | { type: "defined"; cells: CellInfo[] }
  | {
      type: "cell";
      id: string;
      run: number;
      status: CellStatus;
      /** All the run has shown so far (sent at most every 50 ms while it runs, always at the end). */
      parts: OutputPart[];
      reason?: string;
      durationMs: number;
      /** The error's message, when it failed. */
      error?: string;
      /**
       * When it failed inside a function another cell declared: that cell and the line there
       * (the page makes the link to it; validate.ts checks both).
       */
      origin?: { cell: string; line: number };
    }
  | { type: "progress"; id: string; run: number; progress: ProgressReport }
  | { type: "training"; key: string; status: TrainingStatus }
  | { type: "pong"; n: number }
  /** An error thrown outside any run (a cell's timer, an unawaited promise). */
  | { type: "stray"; message: string };
