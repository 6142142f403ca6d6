/**
 * Runs: what happens each time a cell's code is called. A run is numbered, has its own
 * `AbortController` (the cell's `signal`) and collects the cell's outputs; the page hears a
 * `cell` event as it starts, as it shows something, and as it ends (done, failed, stopped,
 * blocked). A newer run of the same cell, or a redefinition, invalidates the older one: its
 * signal aborts and nothing it does is reported any more. A cell whose value is a generator
 * shows each value it yields, one per frame. The graph (graph.ts) calls `execute` with the
 * values of the names the cell reads; a name that could not be computed arrives as a `Missing`,
 * which ends the run with the reason.
 */
import type { CompiledCell } from "./compile.ts";
import { errorOutput, importHint, runtimeError, type ErrorOutput } from "./errors.ts";
import { Missing, type CellState } from "./graph.ts";
import { INPUT } from "./controls.ts";
import type { Show } from "./show.ts";
import type { CellStatus, KernelEvent, ModuleMap, Output } from "./types.ts";

/** One run of a cell. */
export interface Run {
  cell: CellState;
  n: number;
  started: number;
  controller: AbortController;
  /** False once a newer run or a redefinition replaced it: nothing it does is reported. */
  live: boolean;
  stopped: boolean;
  finished: boolean;
  outputs: Output[];
  valueOutputs: Output[];
  /** What the cell showed as its value (`__nb.value`), when it did. */
  value?: unknown;
  generator: AsyncIterator<unknown> | Iterator<unknown> | null;
  views: number;
}

/** What runs need from the kernel around them. */
export interface RunContext {
  emit: (event: KernelEvent) => void;
  idPrefix: string;
  /** The page's worker: generators advance once per frame. */
  live: boolean;
  modules: ModuleMap;
  show: Show;
  /** The runs that have not finished. */
  active: Set<Run>;
  /** What each cell's latest finished run declared. */
  exports: Map<string, Record<string, unknown>>;
  /** The kernel's globals for a run (`display`, `progress`, `signal`, `view` …), by name. */
  globals: (run: Run) => Record<string, unknown>;
  /** A run starts with the values it read (the history keeps its settings; controls, readers). */
  started: (run: Run, reads: string[], args: unknown[]) => void;
  /** A run ends, before it is reported (the history draws its runs, the controls go idle). */
  ended: (run: Run, status: CellStatus) => void;
}

/** Element id prefix of a run's outputs. */
export const prefixOf = (ctx: RunContext, run: Run) =>
  `${ctx.idPrefix}-${run.cell.id.replace(/[^A-Za-z0-9_-]/g, "_")}-${run.n}-`;

/**
 * Tells the page what a run shows so far: nothing once the run was replaced, and nothing more
 * while it runs once it was stopped (its end still says what it showed).
 */
export function report(ctx: RunContext, run: Run, status: CellStatus): void {
  if (!run.live || (run.stopped && status === "running")) return;
  ctx.emit({
    type: "cell",
    id: run.cell.id,
    run: run.n,
    status,
    outputs: [...run.outputs, ...run.valueOutputs],
    durationMs: performance.now() - run.started,
  });
}

/** A new run of a cell; the older one, if still going, is invalidated. */
export function startRun(ctx: RunContext, cell: CellState): Run {
  cell.redefined = false;
  const run: Run = {
    cell,
    n: ++cell.runs,
    started: performance.now(),
    controller: new AbortController(),
    live: true,
    stopped: false,
    finished: false,
    outputs: [],
    valueOutputs: [],
    generator: null,
    views: 0,
  };
  if (cell.run && !cell.run.finished) invalidate(ctx, cell.run);
  cell.run = run;
  ctx.active.add(run);
  return run;
}

/** Ends a run once: the kernel around it hears first, then the page. */
export function finish(ctx: RunContext, run: Run, status: CellStatus): void {
  if (run.finished) return;
  run.finished = true;
  ctx.active.delete(run);
  ctx.ended(run, status);
  report(ctx, run, run.stopped && status !== "failed" ? "stopped" : status);
}

/** Ends a run with an error: the one way a run fails. */
export function fail(ctx: RunContext, run: Run, error: ErrorOutput): void {
  run.outputs.push(error);
  finish(ctx, run, "failed");
}

/** A run ends for good when its cell runs again or is redefined: no more reports from it. */
export function invalidate(ctx: RunContext, run: Run): void {
  run.live = false;
  run.controller.abort();
  void run.generator?.return?.(undefined);
  finish(ctx, run, "stopped");
}

/** Stops a run at the reader's request: its signal aborts, and it ends saying so. */
export function stop(run: Run): void {
  run.stopped = true;
  run.controller.abort();
  void run.generator?.return?.(undefined);
}

function isGenerator(value: unknown): value is AsyncIterator<unknown> | Iterator<unknown> {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { next?: unknown }).next === "function" &&
    typeof (value as { return?: unknown }).return === "function"
  );
}

// The next animation frame where there is one (the page's worker), else the next macrotask.
function frame(callback: () => void): void {
  if (typeof requestAnimationFrame === "function") requestAnimationFrame(() => callback());
  else setTimeout(callback, 0);
}

// Shows each value a generator yields, one per frame, until it ends, is stopped or replaced.
async function iterate(
  ctx: RunContext,
  run: Run,
  generator: AsyncIterator<unknown> | Iterator<unknown>,
): Promise<void> {
  run.generator = generator;
  let count = 0;
  try {
    while (run.live && !run.stopped) {
      const step = await generator.next();
      if (step.done || !run.live || run.stopped) break;
      run.valueOutputs = ctx.show(step.value, `${prefixOf(ctx, run)}y${++count}-`);
      report(ctx, run, "running");
      await new Promise<void>((resolve) => (ctx.live ? frame(resolve) : setTimeout(resolve, 0)));
    }
    finish(ctx, run, "done");
  } catch (error) {
    fail(ctx, run, runtimeError(error, run.cell, run.cell.chapter.values()));
  }
}

// A name the cell reads could not be computed: the run ends saying why (blocked by the cell
// that failed, or a ReferenceError for a name nobody declares).
function missingInput(ctx: RunContext, cell: CellState, name: string, missing: Missing): void {
  const run = startRun(ctx, cell);
  if (missing.cell === null) {
    const hint = importHint(name, ctx.modules);
    const message = `${name} is not defined: no cell declares it${hint}`;
    const where = cell.compiled?.readAt[name] ?? null;
    fail(ctx, run, errorOutput("ReferenceError", message, where, cell.source, "run"));
    return;
  }
  run.finished = true;
  ctx.active.delete(run);
  if (!run.live) return;
  ctx.emit({
    type: "cell",
    id: cell.id,
    run: run.n,
    status: "blocked",
    outputs: [],
    reason: `Not run: it reads ${name} from cell "${missing.cell}", which did not run.`,
    durationMs: 0,
  });
}

/**
 * Runs a compiled cell with the values of the names it reads (`args`, in `compiled.reads`
 * order); `invalidation` resolves when the graph computes the cell again. Returns what the cell
 * declares, or a `Missing` that passes its failure on to its readers.
 */
export async function execute(
  ctx: RunContext,
  cell: CellState,
  compiled: CompiledCell,
  fn: NonNullable<CellState["fn"]>,
  args: unknown[],
  invalidation: Promise<void>,
): Promise<unknown> {
  for (let i = 0; i < compiled.reads.length; i++) {
    const arg = args[i];
    if (!(arg instanceof Missing)) continue;
    const name = compiled.reads[i];
    // `typeof name` of a name nobody declares is "undefined", as in JavaScript.
    if (arg.cell === null && compiled.softReads.includes(name)) {
      args[i] = undefined;
      continue;
    }
    missingInput(ctx, cell, name, arg);
    return new Missing(cell.id, name);
  }
  const run = startRun(ctx, cell);
  void invalidation.then(() => invalidate(ctx, run));
  ctx.started(run, compiled.reads, args);
  report(ctx, run, "running");
  const nb = {
    imports: compiled.imports.map(({ module }) => ctx.modules[module]),
    value: (value: unknown) => {
      run.valueOutputs = isGenerator(value) ? [] : ctx.show(value, `${prefixOf(ctx, run)}v-`);
      run.value = value;
      return value;
    },
  };
  const globals = ctx.globals(run);
  const params = compiled.params.slice(compiled.reads.length).map((name) => globals[name]);
  try {
    const exports = await fn(...args, ...params, nb);
    if (run.live) ctx.exports.set(cell.id, exports);
    const value = run.value;
    if (isGenerator(value) && !(INPUT in value)) void iterate(ctx, run, value);
    else finish(ctx, run, "done");
    return exports;
  } catch (error) {
    fail(ctx, run, runtimeError(error, cell, cell.chapter.values()));
    return new Missing(cell.id, "");
  }
}
