/**
 * The messages between the page and its kernel worker. Outputs cross as parts, one per output:
 * markup (rendered in the worker by the kernel core, sanitized by the page) and controls as plain
 * data (made by the page itself with `renderInput`). A running cell's messages carry only what is
 * new (see `from` and `seq`); its last message carries its whole output. What one run may show is
 * capped ({@link CAPS}) in the worker before anything is sent, and the page refuses more.
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

/**
 * What one run may show. The worker cuts a run's outputs to these (a note says what was left out)
 * before sending; the page refuses a message over them. They keep what the page sanitizes and
 * inserts bounded: the book's biggest output has about 550 elements and 80 000 characters.
 */
export const CAPS = {
  /** Outputs of one run. */
  parts: 500,
  /** Characters of markup of one run. */
  chars: 1_000_000,
  /** Elements (opening tags) of markup of one run. */
  tags: 10_000,
  /** Characters of one output's markup: a bigger output is replaced by a line saying so. */
  partChars: 250_000,
  /** Elements of one output's markup: the same. */
  partTags: 2_500,
  /** Room for the note closing a run cut short (characters; it counts as one more part). */
  note: 1_000,
} as const;

/** Opening tags in markup (`<` then a letter): what the page will make elements of, at most. */
export function countTags(html: string, stopAfter = Infinity): number {
  let count = 0;
  for (let i = html.indexOf("<"); i !== -1; i = html.indexOf("<", i + 1)) {
    const c = html.charCodeAt(i + 1) | 32;
    if (c >= 97 && c <= 122 && ++count > stopAfter) break;
  }
  return count;
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
      /**
       * This run's messages, counted from 1. The page takes a "running" message only when it
       * follows the one before it (a gap or a repeat is refused whole); the last message (any
       * other status) settles the whole output, so nothing is lost for good.
       */
      seq: number;
      /**
       * Where `parts` start in the run's outputs: the page keeps the first `from` parts it has of
       * this run and puts these after them (a generator's new value replaces the old one this
       * way). The last message has from 0: it carries all the run showed.
       */
      from: number;
      /** What the run showed since its last message (sent at most every 50 ms), or all of it at the end. */
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
