/**
 * A run's globals: the names a cell reads without declaring them (compile.ts's KERNEL_GLOBALS),
 * made anew for each run so that what they show belongs to that run only and ends with it.
 * `display` and `console` add outputs, `progress` keeps one point per epoch and streams each
 * report, `signal` is the run's AbortSignal, `view` makes a control (controls.ts), `Inputs` and
 * `tex` are shared, `requestAnimationFrame` works in both hosts. To give cells a new global, add it to `runGlobals` and to KERNEL_GLOBALS.
 */
import { htmlOutput } from "./inspect.ts";
import { Inputs } from "./inputs.ts";
import { prefixOf, report, type Run, type RunContext } from "./runs.ts";
import { tex } from "./tex.ts";
import type { Output, ProgressPoint, ProgressReport } from "./types.ts";

type ProgressOutput = Extract<Output, { kind: "progress" }>;

/** The kernel's globals for one run, by name. */
export function runGlobals(
  ctx: RunContext,
  run: Run,
  view: (run: Run, declaration: unknown) => unknown,
): Record<string, unknown> {
  const show = (output: Output) => {
    if (!run.live || run.finished) return;
    run.outputs.push(output);
    report(ctx, run, "running");
  };
  return {
    display: makeDisplay(ctx, run, show),
    progress: makeProgress(ctx, run),
    signal: run.controller.signal,
    view: (declaration: unknown) => view(run, declaration),
    Inputs,
    tex,
    console: makeConsole(show),
    ...frames(),
  };
}

// Animation frames: the host's where it has them (the page's worker), else one every 16 ms.
function frames() {
  if (typeof requestAnimationFrame === "function") {
    return {
      requestAnimationFrame: (callback: FrameRequestCallback) => requestAnimationFrame(callback),
      cancelAnimationFrame: (id: number) => cancelAnimationFrame(id),
    };
  }
  return {
    requestAnimationFrame: (callback: (time: number) => void) =>
      setTimeout(() => callback(performance.now()), 16),
    cancelAnimationFrame: (id: ReturnType<typeof setTimeout>) => clearTimeout(id),
  };
}

// `display(value)` shows a value now; `display.html(markup)` shows markup.
function makeDisplay(ctx: RunContext, run: Run, show: (output: Output) => void) {
  let count = 0;
  return Object.assign(
    (value: unknown) => {
      for (const output of ctx.show(value, `${prefixOf(ctx, run)}${++count}-`)) show(output);
      return value;
    },
    {
      /** Shows markup (sanitized before it reaches the page). */
      html: (markup: string) => show(htmlOutput(markup, `${prefixOf(ctx, run)}${++count}-`)),
    },
  );
}

// `progress({ epoch, loss, … })`: one output per run, one point per epoch, each report streamed.
function makeProgress(ctx: RunContext, run: Run) {
  let progressOutput: ProgressOutput | null = null;
  return (entry: ProgressReport) => {
    if (!run.live) return;
    if (typeof entry !== "object" || entry === null || typeof entry.loss !== "number") {
      throw new TypeError(
        `progress() received ${JSON.stringify(entry)}; ` +
          "expected { epoch, loss, epochs?, accuracy? }",
      );
    }
    const point: ProgressPoint = {
      epoch: Number(entry.epoch),
      loss: entry.loss,
      accuracy: typeof entry.accuracy === "number" ? entry.accuracy : null,
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
      run.outputs.push(progressOutput);
    }
    const history = progressOutput.history;
    // One point per epoch: a later report of the same epoch replaces the earlier one.
    const last = history.length - 1;
    if (last >= 0 && history[last].epoch === point.epoch) history[last] = point;
    else history.push(point);
    progressOutput.epoch = point.epoch;
    progressOutput.loss = point.loss;
    progressOutput.accuracy = point.accuracy;
    if (typeof entry.epochs === "number") progressOutput.epochs = entry.epochs;
    ctx.emit({
      type: "progress",
      id: run.cell.id,
      run: run.n,
      progress: { ...progressOutput, history: [...history] },
    });
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

// `console.log/info/warn/error/debug` show text.
function makeConsole(show: (output: Output) => void) {
  const line =
    (stream: "log" | "info" | "warn" | "error") =>
    (...args: unknown[]) =>
      show({
        kind: "text",
        stream,
        text: args.map((a) => (typeof a === "string" ? a : formatInline(a))).join(" "),
      });
  return {
    log: line("log"),
    info: line("info"),
    warn: line("warn"),
    error: line("error"),
    debug: line("log"),
  };
}
