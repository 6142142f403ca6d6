/**
 * The kernel: runs a chapter's cells, one at a time, in one shared scope, and captures what each
 * shows as serializable outputs. Host-agnostic: the host (Node at build time, a Web Worker in the
 * browser) gives it the modules cells may import and, for charts, a DOM document.
 */
import { CellSyntaxError, SCOPE, compileCell, type CompiledCell } from "./compile.ts";
import { htmlOutput, toOutputs } from "./inspect.ts";
import type {
  Analysis,
  CellSource,
  Kernel,
  KernelEvent,
  KernelOptions,
  ModuleMap,
  Output,
  ProgressPoint,
  ProgressReport,
  RunOptions,
  RunResult,
} from "./types.ts";

type ErrorOutput = Extract<Output, { kind: "error" }>;
type ProgressOutput = Extract<Output, { kind: "progress" }>;

const PLOT = "@observablehq/plot";

// The document Plot draws into when a mark's own `.plot()` gets none (set by the latest kernel).
let markDocument: unknown;

/**
 * Plot with the host's document filled in, so `Plot.plot({...})` works with no `document`
 * option in Node and in a worker.
 */
function withDocument(plot: Record<string, unknown>, document: unknown): Record<string, unknown> {
  const draw = plot.plot as (options?: object) => unknown;
  const legend = plot.legend as (options?: object) => unknown;
  const Mark = plot.Mark as { prototype: { plot?: Function; __nbPatched?: boolean } } | undefined;
  markDocument = document;
  if (Mark && typeof Mark.prototype.plot === "function" && !Mark.prototype.__nbPatched) {
    const original = Mark.prototype.plot;
    Mark.prototype.plot = function (options: object = {}) {
      return original.call(this, { document: markDocument, ...options });
    };
    Mark.prototype.__nbPatched = true;
  }
  return {
    ...plot,
    plot: (options: object = {}) => draw({ document, ...options }),
    legend: (options: object = {}) => legend({ document, ...options }),
  };
}

/** A chart of the book (src/charts): Plot options and the sentence that says what they show. */
function isChartSpec(value: unknown): value is { options: Record<string, unknown>; alt: string } {
  if (typeof value !== "object" || value === null) return false;
  const { options, alt } = value as { options?: unknown; alt?: unknown };
  return (
    typeof alt === "string" &&
    typeof options === "object" &&
    options !== null &&
    Array.isArray((options as { marks?: unknown }).marks)
  );
}

function excerpt(source: string, line: number | null): string | null {
  if (line === null) return null;
  return source.split("\n")[line - 1] ?? null;
}

function syntaxError(error: CellSyntaxError, source: string): ErrorOutput {
  return {
    kind: "error",
    phase: "compile",
    name: "SyntaxError",
    message: error.message,
    line: error.line,
    column: error.column,
    excerpt: excerpt(source, error.line),
  };
}

// Where a runtime error happened in the cell: the first stack frame in the cell's sourceURL.
function runtimeError(
  error: unknown,
  compiled: CompiledCell,
  url: string,
  source: string,
): ErrorOutput {
  const e = error instanceof Error ? error : null;
  const name = e?.name ?? "Error";
  const raw = e
    ? e.message
    : typeof error === "string"
      ? error
      : (JSON.stringify(error) ?? String(error));
  const message = raw.replaceAll(`${SCOPE}.`, "");
  let line: number | null = null;
  let column: number | null = null;
  const escaped = url.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const frame = new RegExp(`${escaped}:(\\d+):(\\d+)`).exec(String(e?.stack ?? ""));
  if (frame) {
    const at = compiled.position(Number(frame[1]), Number(frame[2]));
    line = at.line;
    column = at.column;
  }
  const text = excerpt(source, line);
  return { kind: "error", phase: "run", name, message, line, column, excerpt: text };
}

// Checks a cell's imports against the modules the host provides.
function checkImports(compiled: CompiledCell, modules: ModuleMap): CellSyntaxError | null {
  const available = Object.keys(modules).map((m) => `"${m}"`).join(", ");
  for (const { module, names, line, column } of compiled.imports) {
    const exports = modules[module];
    if (!exports) {
      return new CellSyntaxError(
        `Cannot import "${module}": a cell can import ${available || "no modules here"}`,
        { line, column },
      );
    }
    for (const name of names) {
      if (name.imported === "*" || name.imported in exports) continue;
      const hint =
        name.imported === "default"
          ? `; it has no default export: write import { … } from "${module}" or import * as`
          : "";
      return new CellSyntaxError(
        `"${module}" has no export named ${name.imported}${hint}`,
        { line: name.line, column: name.column },
      );
    }
  }
  return null;
}

/** Creates a kernel with an empty scope. */
export function createKernel(options: KernelOptions): Kernel {
  const modules: ModuleMap = { ...options.modules };
  if (modules[PLOT] && options.document) {
    modules[PLOT] = withDocument(modules[PLOT], options.document);
  }
  const idPrefix = options.idPrefix ?? "nb";
  // A ChartSpec value (what the functions of "charts" return) is shown as its chart, labelled
  // with its alt text, when Plot and a document are at hand.
  type PlotModule = { plot?: (o: object) => unknown } | undefined;
  const plot = options.document ? (modules[PLOT] as PlotModule) : undefined;
  const outputsOf = (value: unknown, prefix: string): Output[] => {
    if (plot?.plot && isChartSpec(value)) {
      const chart = plot.plot({ ...value.options, ariaLabel: value.alt });
      return toOutputs(chart, prefix);
    }
    return toOutputs(value, prefix);
  };
  let scope: Record<string, unknown> = Object.create(null);
  let runs = 0;
  let queue: Promise<unknown> = Promise.resolve();

  const internals = {
    import(module: string, name: string) {
      const exports = modules[module];
      return name === "*" ? exports : exports[name];
    },
    ref(name: string) {
      if (name in scope) return scope[name];
      throw new ReferenceError(`${name} is not defined: no cell run so far declares it`);
    },
  };

  async function runNow(cell: CellSource, runOptions: RunOptions): Promise<RunResult> {
    const started = performance.now();
    const run = ++runs;
    const outputs: Output[] = [];
    const signal = runOptions.signal ?? new AbortController().signal;
    let live = true;
    let outputCount = 0;
    const safeId = cell.id.replace(/[^A-Za-z0-9_-]/g, "_");
    const nextPrefix = () => `${idPrefix}-${safeId}-${run}-${++outputCount}-`;
    const emit = (event: KernelEvent) => {
      if (live) runOptions.onEvent?.(event);
    };
    const show = (output: Output) => {
      if (!live) return;
      outputs.push(output);
      emit({ type: "output", output });
    };
    const finish = (ok: boolean, declares: string[], references: string[]): RunResult => {
      live = false;
      return {
        ok,
        stopped: signal.aborted,
        outputs,
        declares,
        references,
        durationMs: performance.now() - started,
      };
    };

    let compiled: CompiledCell;
    const url = `nb-cell-${safeId}-${run}.js`;
    try {
      compiled = compileCell(cell.source, { known: new Set(Object.keys(scope)), sourceURL: url });
      const importError = checkImports(compiled, modules);
      if (importError) throw importError;
    } catch (error) {
      if (!(error instanceof CellSyntaxError)) throw error;
      outputs.push(syntaxError(error, cell.source));
      return finish(false, [], []);
    }

    // The globals this run's code sees.
    const display = Object.assign((value: unknown) => {
      for (const output of outputsOf(value, nextPrefix())) show(output);
    }, {
      /** Shows markup (sanitized by the browser before it is inserted). */
      html: (markup: string) => show(htmlOutput(markup, nextPrefix())),
    });
    let progressOutput: ProgressOutput | null = null;
    const progress = (report: ProgressReport) => {
      if (!live) return;
      if (typeof report !== "object" || report === null || typeof report.loss !== "number") {
        throw new TypeError(
          `progress() received ${JSON.stringify(report)}; ` +
            "expected { epoch, loss, epochs?, accuracy? }",
        );
      }
      const point: ProgressPoint = {
        epoch: Number(report.epoch),
        loss: report.loss,
        accuracy: typeof report.accuracy === "number" ? report.accuracy : null,
      };
      if (!progressOutput) {
        progressOutput = {
          kind: "progress",
          epoch: 0,
          epochs: null,
          loss: 0,
          accuracy: null,
          history: [],
        };
        outputs.push(progressOutput);
      }
      const history = progressOutput.history;
      // One point per epoch: a later report of the same epoch replaces the earlier one.
      const last = history.length - 1;
      if (last >= 0 && history[last].epoch === point.epoch) history[last] = point;
      else history.push(point);
      progressOutput.epoch = point.epoch;
      progressOutput.loss = point.loss;
      progressOutput.accuracy = point.accuracy;
      if (typeof report.epochs === "number") progressOutput.epochs = report.epochs;
      emit({ type: "progress", progress: { ...progressOutput, history: [...history] } });
    };
    const line = (stream: "log" | "info" | "warn" | "error") => (...args: unknown[]) =>
      show({
        kind: "text",
        stream,
        text: args.map((a) => (typeof a === "string" ? a : formatInline(a))).join(" "),
      });
    const cellConsole = {
      log: line("log"),
      info: line("info"),
      warn: line("warn"),
      error: line("error"),
      debug: line("log"),
    };

    try {
      const fn = (0, eval)(compiled.code) as (...args: unknown[]) => Promise<unknown>;
      const value = await fn(internals, scope, display, progress, signal, cellConsole);
      for (const output of outputsOf(value, nextPrefix())) outputs.push(output);
      return finish(true, compiled.declares, compiled.references);
    } catch (error) {
      outputs.push(runtimeError(error, compiled, url, cell.source));
      return finish(false, compiled.declares, compiled.references);
    }
  }

  return {
    run(cell, runOptions = {}) {
      // One run at a time: a run waits for the one before it to settle.
      const result = queue.then(() => runNow(cell, runOptions));
      queue = result.catch(() => undefined);
      return result;
    },
    analyze(source: string): Analysis {
      try {
        const { declares, references } = compileCell(source);
        return { declares, references };
      } catch (error) {
        if (!(error instanceof CellSyntaxError)) throw error;
        return { declares: [], references: [], error: syntaxError(error, source) };
      }
    },
    reset() {
      scope = Object.create(null);
    },
  };
}

// A value on one line, for console.log.
function formatInline(value: unknown): string {
  if (typeof value === "number" || typeof value === "boolean" || value == null) {
    return String(value);
  }
  if (typeof value === "function") return `ƒ ${value.name || ""}()`;
  try {
    const text = JSON.stringify(value, (_key, v) =>
      ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : v,
    );
    return text === undefined ? String(value) : text;
  } catch {
    return String(value);
  }
}
