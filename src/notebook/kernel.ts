/**
 * The kernel: a chapter's cells as a dataflow graph on Observable's runtime, run in a shared
 * scope. Host-agnostic: the host (Node at build time, a Web Worker in the page) gives it the
 * modules, a DOM document for charts, and whether inputs are live. `createKernel` composes the
 * parts, each a module of its own:
 *
 * - graph.ts     the cells as runtime variables: define, names, errors between cells
 * - runs.ts      a run of a cell: execute, outputs, generators, invalidation
 * - globals.ts   what a run gives its cell: display, progress, signal, view, Inputs, tex, console
 * - errors.ts    every error a cell shows, as an output with its line and column
 * - show.ts      a value as outputs (formulas, diagrams, chart specs, then inspect.ts)
 * - controls.ts  `view()`: controls as values, and the page's values for them
 * - training.ts  the training controls' state machine (`pace`, Play, Pause, Step, Reset)
 * - history.ts   a training cell's earlier runs, drawn together with their legends
 * - tex.ts       the `tex` formula global
 * - plot-document.ts  Plot drawing into the host's document
 */
import { closeControls, createControls, setInput, view } from "./controls.ts";
import { errorOutput } from "./errors.ts";
import { closure, createGraph, defineCells, install, observe, type CellState } from "./graph.ts";
import { runGlobals } from "./globals.ts";
import { chartRuns, clearRuns, createHistory, recordRun, recordSettings } from "./history.ts";
import { PLOT, withDocument } from "./plot-document.ts";
import { execute, fail, invalidate, report, startRun, stop, type RunContext } from "./runs.ts";
import { makeShow } from "./show.ts";
import { command, driveBy, startsTraining, trainingEnded, wakeTrainings } from "./training.ts";
import type { CellSource, Kernel, KernelEvent, KernelOptions, ModuleMap } from "./types.ts";

export type { TrainingControls, TrainingStep } from "./training.ts";

/** Creates a chapter's kernel, with no cells. */
export function createKernel(options: KernelOptions): Kernel {
  const modules: ModuleMap = { ...options.modules };
  if (modules[PLOT] && options.document) {
    modules[PLOT] = withDocument(modules[PLOT], options.document);
  }
  const live = options.live ?? false;
  const emit = (event: KernelEvent) => options.onEvent?.(event);
  const controls = createControls(live, emit);
  const history = createHistory(options.progressChart);
  const runs: RunContext = {
    emit,
    idPrefix: options.idPrefix ?? "nb",
    live,
    modules,
    show: makeShow(modules, options.document),
    active: new Set(),
    exports: new Map(),
    globals: (run) => runGlobals(runs, run, (r, declaration) => view(controls, r, declaration)),
    started: (run, reads, args) => {
      recordSettings(history, run, reads, args);
      driveBy(controls, run, args);
    },
    ended: (run, status) => {
      recordRun(history, run, status);
      trainingEnded(controls, run, status);
    },
  };
  const graph = createGraph((...args) => execute(runs, ...args));
  let disposed = false;

  // Observes a cell: a cell that cannot run says why, whether it was asked to run or is needed.
  const needed = (cell: CellState) => {
    observe(graph, cell, (error) => {
      // Only the runtime's own errors get here (cells' errors are outputs).
      const message = String((error as Error)?.message ?? error);
      fail(runs, startRun(runs, cell), errorOutput("Error", message, null, cell.source, "run"));
    });
    if (cell.error) fail(runs, startRun(runs, cell), cell.error);
  };

  const kernel: Kernel = {
    define(sources: CellSource[], inputs: Record<string, unknown> = {}) {
      for (const [key, value] of Object.entries(inputs)) controls.values.set(key, value);
      return defineCells(graph, sources, modules, (cell) => {
        if (cell.run && !cell.run.finished) invalidate(runs, cell.run);
      });
    },

    run(ids: string[]): void {
      for (const id of ids) {
        const cell = graph.cells.get(id);
        if (!cell) continue;
        for (const other of [...closure(graph, id, false), id, ...closure(graph, id, true)]) {
          needed(graph.cells.get(other)!);
        }
        // Run again, unless a redefinition already set a run on its way.
        if (!cell.redefined) install(graph, cell);
      }
    },

    input(key: string, value: unknown): void {
      // The control's cell has not run here yet: run it (and what reads it).
      if (!setInput(controls, key, value)) kernel.run([key.slice(0, key.lastIndexOf(":"))]);
    },

    control(key, training): void {
      if (!command(controls, key, training) && startsTraining(training)) {
        kernel.run([key.slice(0, key.lastIndexOf(":"))]);
      }
    },

    stop(id?: string): void {
      for (const run of [...runs.active]) {
        if (id !== undefined && run.cell.id !== id) continue;
        stop(run);
        wakeTrainings(controls);
      }
    },

    clearRuns(id: string): void {
      const cell = graph.cells.get(id);
      if (!cell || !clearRuns(history, id)) return;
      const run = cell.run;
      if (run?.finished && run.live) {
        chartRuns(history, run);
        report(runs, run, run.stopped ? "stopped" : "done");
      }
    },

    async idle(): Promise<void> {
      let quiet = 0;
      while (quiet < 3) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        quiet = runs.active.size === 0 && graph.waiting.size === 0 ? quiet + 1 : 0;
      }
    },

    value(name: string) {
      const owner = graph.names.get(name)?.cell;
      if (!owner) return { missing: `no cell declares ${name}` };
      const exports = runs.exports.get(owner);
      if (!exports || !(name in exports)) {
        return { missing: `cell "${owner}", which declares ${name}, did not run to its end` };
      }
      return { value: exports[name] };
    },

    dispose(): void {
      if (disposed) return;
      disposed = true;
      controls.disposed = true;
      for (const run of [...runs.active]) invalidate(runs, run);
      closeControls(controls);
      graph.runtime.dispose();
    },
  };
  return kernel;
}
