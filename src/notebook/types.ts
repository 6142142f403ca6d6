/**
 * The notebook's shared vocabulary: cells, the outputs a run produces, and the kernel's API.
 * Every output is plain, serializable data (structured-clone and JSON safe), so the same kernel
 * core runs at build time in Node and in a Web Worker in the browser.
 */

/** A cell as the kernel runs it: its id (unique per chapter) and its TypeScript source. */
export interface CellSource {
  id: string;
  source: string;
}

/** The options an author writes in a fence's meta: ```` ```ts cell id=forward-pass hidden ````. */
export interface CellOptions {
  /** Unique per chapter; `cell-<n>` by position (n from 1) when the author gives none. */
  id: string;
  /** Run the cell, but show only its output (the code sits behind "Show code"). */
  hidden: boolean;
  /** The reader may run the cell but not edit it. */
  readonly: boolean;
  /** Skip the cell at build time (the page shows no output until the reader runs it). */
  norun: boolean;
  /** The cell is meant to throw: its error is its output, and not throwing fails the build. */
  throws: boolean;
  /** An exercise's check (made from a ```ts check fence): its verdict is its output. */
  check?: boolean;
}

import type { InputSpec, InputValue, TrainingSpeed } from "./inputs.ts";

/** A value taken apart for display: primitives as text, objects as a tree to open. */
export type Inspected =
  | {
      type: "primitive";
      /** What the value looks like in code: `3.5`, `"moons"`, `true`, `undefined`, `10n`. */
      text: string;
      kind: "number" | "string" | "boolean" | "undefined" | "null" | "bigint" | "symbol";
    }
  /** `ƒ name(a, b)`. */
  | { type: "function"; text: string }
  /** A reference back to an object already being shown. */
  | { type: "circular"; label: string }
  | {
      type: "object";
      /** `Object`, `Array(3)`, `Map(2)`, `MLP` (the constructor's name). */
      label: string;
      /** Keys and values, in order; array items have their index as key. */
      entries: { key: string; value: Inspected }[];
      /** How many entries were left out to keep the output small. */
      more: number;
    };

/** One cell of a table: a number (formatted by the renderer) or text. */
export type TableCell = number | string | null;

/** Where in another cell an error arose (see the `error` output). */
export interface ErrorOrigin {
  /** The cell whose code threw. */
  cell: string;
  line: number;
  column: number | null;
  /** That cell's line. */
  excerpt: string | null;
  /** The function there (null: an anonymous one). */
  name: string | null;
  /** The other cells the call went through, from the origin's caller out (each's first line). */
  via: { cell: string; line: number; name: string | null }[];
}

/** Everything a run can show. `kind` tells which; every field is plain data. */
export type Output =
  /**
   * A control the cell declared with `view(Inputs.…)`: `key` (cell id and position) ties it to
   * the value the page sends back; `value` is the value the cell's run started with.
   */
  | { kind: "input"; key: string; spec: InputSpec; value: InputValue }
  /** Plain text: a string value, or a line from `console.log` (`stream`: which console call). */
  | { kind: "text"; text: string; stream?: "log" | "info" | "warn" | "error" }
  /** Any other value, as a tree the reader can open. */
  | { kind: "value"; value: Inspected }
  /** Numbers, arrays, matrices, tensors and lists of records, as a table. */
  | {
      kind: "table";
      /** e.g. "Tensor [4×2]", "Array(200) of objects", "number[3]". */
      caption: string;
      /** Column headers. */
      columns: string[];
      /** Row headers (indices for arrays and matrices), or null when rows need none. */
      rowLabels: string[] | null;
      rows: TableCell[][];
      /** Rows and columns left out to keep the output small. */
      moreRows: number;
      moreColumns: number;
    }
  /**
   * Markup: a Plot chart or another DOM node (`svg` true for a bare `<svg>`), or `display.html`.
   * Element ids are prefixed per output so two charts on one page never share a clip-path id.
   * Not sanitized: the browser sanitizes it before inserting it.
   */
  | { kind: "html"; html: string; svg: boolean }
  /**
   * A syntax or runtime error. `line` and `column` (both from 1) are in the cell's own source;
   * `excerpt` is that source line.
   */
  | {
      kind: "error";
      phase: "compile" | "run";
      name: string;
      message: string;
      line: number | null;
      column: number | null;
      excerpt: string | null;
      /**
       * When the error arose in a function another cell declared (errors.ts): that cell and the
       * place there. `line` and `column` above are then where this cell called into it (null
       * when no frame of this cell was on the stack: a generator the kernel pulls).
       */
      origin?: ErrorOrigin;
    }
  /** The state of a training loop that called `progress(...)`: the last report and the history. */
  | {
      kind: "progress";
      epoch: number;
      epochs: number | null;
      loss: number;
      accuracy: number | null;
      /** One entry per epoch reported (the last report of each epoch). */
      history: ProgressPoint[];
      /** The loss (and accuracy) chart of the whole run, as HTML, once it ended. */
      chart?: string;
      /** How many runs of the cell the chart draws (earlier ones overlaid), once it ended. */
      runs?: number;
    };

/** One point of a training curve. */
export interface ProgressPoint {
  epoch: number;
  loss: number;
  accuracy: number | null;
}

/** An earlier (or this) run of a training cell, as the side-by-side chart draws it. */
export interface RunCurve {
  /** What was different in this run, e.g. "run 2: lr: 0.05" (the first is "run 1"). */
  label: string;
  history: ProgressPoint[];
  /** The run the output belongs to (drawn in front). */
  current: boolean;
}

/** What a cell passes to the `progress` global (the engine's `onProgress` report fits). */
export interface ProgressReport {
  epoch: number;
  epochs?: number;
  loss: number;
  accuracy?: number;
  [other: string]: unknown;
}

/** Where a cell is. */
export type CellStatus = "running" | "done" | "failed" | "stopped" | "blocked";

/** What a kernel tells its host while cells run. */
export type KernelEvent =
  /**
   * A cell's run started ("running", no outputs yet), showed something (still "running"), or
   * ended. `outputs` are all the run has shown so far. "blocked": it could not run because a
   * name it reads is missing (`reason` says which cell failed); the host keeps its old output.
   */
  | {
      type: "cell";
      id: string;
      run: number;
      status: CellStatus;
      outputs: Output[];
      reason?: string;
      durationMs: number;
    }
  /** A `progress(...)` report (not throttled: the host decides how often to show it). */
  | { type: "progress"; id: string; run: number; progress: Extract<Output, { kind: "progress" }> }
  /** Where a training under controls is: playing, paused at a step, or idle (not running). */
  | { type: "training"; key: string; status: TrainingStatus };

/** A training under controls, as its controls show it. */
export interface TrainingStatus {
  state: "playing" | "paused" | "idle";
  speed: TrainingSpeed;
  /** The step about to run (epoch and batch from 1), when it has started. */
  epoch: number | null;
  batch: number | null;
  batches: number | null;
  /** While idle: how the last training under these controls ended. */
  ended?: "done" | "stopped" | "failed";
}

/** A command from a training's controls. */
export type TrainingCommand =
  | "play"
  | "pause"
  | "step-batch"
  | "step-epoch"
  | "reset"
  | { speed: TrainingSpeed };

/** What the kernel found in a cell when it was defined. */
export interface CellInfo {
  id: string;
  /** Top-level names the cell declares. */
  declares: string[];
  /** Names it reads from other cells. */
  reads: string[];
  /** Why it cannot run (a syntax error, a name two cells declare, a cycle …). */
  error?: Extract<Output, { kind: "error" }>;
}

/** The modules cells may import, by name: `{ engine: await import("engine/index.ts"), … }`. */
export type ModuleMap = Record<string, Record<string, unknown>>;

/** What a host gives the kernel. */
export interface KernelOptions {
  modules: ModuleMap;
  /**
   * A DOM document (linkedom's in Node and in the worker) that `Plot.plot` draws into when a cell
   * passes none. Without it, charts need their own `document` option.
   */
  document?: unknown;
  /** Prefix of element ids in outputs, to keep build-time and browser outputs apart ("nb"). */
  idPrefix?: string;
  /**
   * True in the page's worker: inputs wait for the reader's new values, and trainings under
   * controls wait for Play. False at build time: every input gives its value once, and every
   * training runs to its end.
   */
  live?: boolean;
  /** Receives everything the cells do. */
  onEvent?: (event: KernelEvent) => void;
  /**
   * Draws a training's loss (and accuracy) by epoch as HTML, for the output of a run that ended,
   * over the cell's earlier runs (each labelled with what was different in it).
   */
  progressChart?: (history: ProgressPoint[], epochs: number | null, runs?: RunCurve[]) => string;
}

/**
 * A chapter's kernel: its cells, defined as a dataflow graph (Observable's runtime). A cell runs
 * when it is asked to, or when a cell or input it reads changes.
 */
export interface Kernel {
  /**
   * Defines the chapter's cells (all of them: a cell left out is removed). Cells whose source did
   * not change are kept as they are; changed ones re-run if they had run. Nothing else runs.
   * `inputs` are the controls' values by key (the page's), used when their cells run.
   */
  define(cells: CellSource[], inputs?: Record<string, unknown>): CellInfo[];
  /** Runs these cells again, with the cells they read (if not computed yet) and their readers. */
  run(ids: string[]): void;
  /** A control's new value (its key is in its output); re-runs what reads it. */
  input(key: string, value: unknown): void;
  /** A command from a training's controls. */
  control(key: string, command: TrainingCommand): void;
  /** Stops a cell's run (every running cell without an id). */
  stop(id?: string): void;
  /** Forgets a training cell's earlier runs: its chart draws the last one alone again. */
  clearRuns(id: string): void;
  /** Resolves when no cell is running or waiting to run. */
  idle(): Promise<void>;
  /**
   * The value of a declared name after its cell ran (what the book's prose quotes), or
   * `{ missing: why }` when its cell has not run or failed.
   */
  value(name: string): { value: unknown } | { missing: string };
  /** Ends every run. */
  dispose(): void;
}
