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
}

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

/** Everything a run can show. `kind` tells which; every field is plain data. */
export type Output =
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
    };

/** One point of a training curve. */
export interface ProgressPoint {
  epoch: number;
  loss: number;
  accuracy: number | null;
}

/** What a cell passes to the `progress` global (the engine's `onProgress` report fits). */
export interface ProgressReport {
  epoch: number;
  epochs?: number;
  loss: number;
  accuracy?: number;
  [other: string]: unknown;
}

/** Streamed while a cell runs: each output as it appears, and each progress report. */
export type KernelEvent =
  | { type: "output"; output: Output }
  | { type: "progress"; progress: Extract<Output, { kind: "progress" }> };

/** How one run ended. */
export interface RunResult {
  /** False when the cell threw (at compile or run time); its error is among `outputs`. */
  ok: boolean;
  /** True when the run's signal was aborted (Stop) before it finished. */
  stopped: boolean;
  outputs: Output[];
  /** Top-level names the cell declares (imports included). */
  declares: string[];
  /** Free names the cell reads (standard globals and the kernel's globals left out). */
  references: string[];
  durationMs: number;
}

/** What `analyze` finds in a cell without running it. */
export interface Analysis {
  declares: string[];
  references: string[];
  /** The syntax error, when the cell does not compile (declares and references are then empty). */
  error?: Extract<Output, { kind: "error" }>;
}

/** Options of one run. */
export interface RunOptions {
  /** Called with each output and progress report as the cell runs. */
  onEvent?: (event: KernelEvent) => void;
  /** Aborted by Stop; the cell sees it as the `signal` global. */
  signal?: AbortSignal;
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
}

/** A notebook kernel: one shared scope where a chapter's cells run, in the order they are run. */
export interface Kernel {
  /** Compile and run a cell in the shared scope. Never rejects: errors become outputs. */
  run(cell: CellSource, options?: RunOptions): Promise<RunResult>;
  /** What a cell declares and references, without running it. */
  analyze(source: string): Analysis;
  /** Forget every name the cells declared. */
  reset(): void;
}
