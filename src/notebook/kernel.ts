/**
 * The kernel: a chapter's cells as a dataflow graph on Observable's runtime. Each cell is one
 * variable (`cell <id>`) whose definition runs the compiled cell and returns the names it declares;
 * each declared name is a variable that picks its value from there, so a cell that reads `net`
 * re-runs when the cell declaring `net` does. Inputs are generators of their values; a newer run
 * of a cell invalidates the older one (its `signal` aborts and nothing it shows after that is
 * reported). Host-agnostic: the host (Node at build time, a Web Worker in the page) gives it the
 * modules, a DOM document for charts, and whether inputs are live.
 */
import { Runtime, type Module, type Variable } from "@observablehq/runtime";
import katex from "katex";
import { CellSyntaxError, compileCell, type CompiledCell, type Place } from "./compile.ts";
import { htmlOutput, toOutputs } from "./inspect.ts";
import {
  Inputs,
  SPEED_MS,
  acceptValue,
  isInputDeclaration,
  type InputDeclaration,
  type InputValue,
  type TrainingState,
} from "./inputs.ts";
import type {
  CellInfo,
  CellSource,
  CellStatus,
  Kernel,
  KernelEvent,
  KernelOptions,
  ModuleMap,
  Output,
  ProgressPoint,
  ProgressReport,
  TrainingCommand,
  TrainingStatus,
} from "./types.ts";

type ErrorOutput = Extract<Output, { kind: "error" }>;
type ProgressOutput = Extract<Output, { kind: "progress" }>;

const PLOT = "@observablehq/plot";

/** What a name holds when it could not be computed: the cell that failed, or none (undeclared). */
class Missing {
  readonly cell: string | null;
  readonly name: string;
  constructor(cell: string | null, name: string) {
    this.cell = cell;
    this.name = name;
  }
}

// The document Plot draws into when a mark's own `.plot()` gets none (set by the latest kernel).
let markDocument: unknown;

/** Plot with the host's document filled in, so `Plot.plot({...})` needs no `document` option. */
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

/** A diagram of the book (src/charts/diagrams): its SVG markup and what it shows. */
function isDiagram(value: unknown): value is { svg: string; alt: string } {
  if (typeof value !== "object" || value === null) return false;
  const { svg, alt } = value as { svg?: unknown; alt?: unknown };
  return typeof svg === "string" && svg.trimStart().startsWith("<svg") && typeof alt === "string";
}

function isGenerator(value: unknown): value is AsyncIterator<unknown> | Iterator<unknown> {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { next?: unknown }).next === "function" &&
    typeof (value as { return?: unknown }).return === "function"
  );
}

function excerpt(source: string, line: number | null): string | null {
  if (line === null) return null;
  return source.split("\n")[line - 1] ?? null;
}

function errorOutput(
  name: string,
  message: string,
  where: Place | null,
  source: string,
  phase: "compile" | "run",
): ErrorOutput {
  const line = where?.line ?? null;
  const column = where?.column ?? null;
  return { kind: "error", phase, name, message, line, column, excerpt: excerpt(source, line) };
}

// Where a runtime error happened in the cell: the first stack frame in the cell's sourceURL.
function runtimeError(error: unknown, compiled: CompiledCell, url: string, source: string) {
  const e = error instanceof Error ? error : null;
  const message = e
    ? e.message
    : typeof error === "string"
      ? error
      : (JSON.stringify(error) ?? String(error));
  const escaped = url.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const frame = new RegExp(`${escaped}:(\\d+):(\\d+)`).exec(String(e?.stack ?? ""));
  const where = frame ? compiled.position(Number(frame[1]), Number(frame[2])) : null;
  return errorOutput(e?.name ?? "Error", message, where, source, "run");
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
      return new CellSyntaxError(`"${module}" has no export named ${name.imported}${hint}`, name);
    }
  }
  return null;
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

const quote = (id: string) => `"${id}"`;
const list = (items: string[]) =>
  items.length < 2 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;

/** A step of training: the epoch and the batch about to run (counted from 1), of `batches`. */
export interface TrainingStep {
  epoch: number;
  batch: number;
  batches: number;
}

/** What a training's controls hand to the cells that read them. */
export interface TrainingControls {
  /**
   * Awaited before every step (`train(…, { pace: controls.pace })` does it before each batch):
   * waits while paused, lets one batch or one epoch through on Step, and slows down to the speed.
   */
  pace(at?: TrainingStep): Promise<void>;
  readonly playing: boolean;
}

/** A cell as the kernel holds it. */
interface CellState {
  id: string;
  source: string;
  compiled: CompiledCell | null;
  fn: ((...args: unknown[]) => Promise<Record<string, unknown>>) | null;
  url: string;
  /** Why it does not compile. */
  compileError: ErrorOutput | null;
  /** Why it cannot run, when it cannot (its compile error, or one between cells). */
  error: ErrorOutput | null;
  declares: string[];
  body: Variable;
  observer: Variable | null;
  run: Run | null;
  runs: number;
  /** Redefined since its last run began: its next run is on the way (or starts when observed). */
  redefined: boolean;
}

/** One run of a cell. */
interface Run {
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
  generator: AsyncIterator<unknown> | Iterator<unknown> | null;
  views: number;
}

/** An input's channel: the latest value from the page, and the generator the cells read. */
interface Channel {
  key: string;
  cell: string;
  declaration: InputDeclaration;
  current: InputValue;
  wake: (() => void) | null;
  /** A new value came since the generator last yielded (it yields it at its next pull). */
  fresh: boolean;
  closed: boolean;
  training: Trainer | null;
}

/** The state behind a training's controls. */
interface Trainer {
  playing: boolean;
  speed: keyof typeof SPEED_MS;
  stepBatches: number;
  /** Pause when a step reaches this epoch ("next": the epoch after the first step seen). */
  stepUntilEpoch: number | "next" | null;
  waiting: (() => void) | null;
  consumers: Set<Run>;
  at: TrainingStep | null;
  /** How the last training under these controls ended (while none runs). */
  ended: "done" | "stopped" | "failed" | null;
  /** When `pace` last let the event loop in (so a Pause can arrive while playing at full speed). */
  yieldedAt: number;
  /** The last status sent, when, and the timer that will send a newer one (see trainingStatus). */
  sent: { state: string; speed: string; at: number } | null;
  later: ReturnType<typeof setTimeout> | null;
}

const INPUT = Symbol("nb.input");
/** At full speed, `pace` lets messages (a Pause) in at least this often, in ms. */
const YIELD_EVERY = 40;
/** The page hears a playing training's epoch and batch at most this often, in ms. */
const STATUS_EVERY = 100;

/** A formula typeset by `tex`: KaTeX's HTML and MathML, as the book's prose formulas are. */
class Tex {
  readonly html: string;
  constructor(html: string) {
    this.html = html;
  }
}

/**
 * `tex\`z = ${z}\`` (or `tex("z = 1")`): a formula, typeset as the chapters' own are. Values
 * interpolated into it are written as they are; `tex.block` centres it on a line of its own.
 */
function makeTex(displayMode: boolean) {
  return (strings: TemplateStringsArray | string, ...values: unknown[]): Tex => {
    const source =
      typeof strings === "string"
        ? strings
        : strings.raw.reduce((text, part, i) => text + (i > 0 ? String(values[i - 1]) : "") + part, "");
    return new Tex(
      katex.renderToString(source, { displayMode, output: "htmlAndMathml", throwOnError: true }),
    );
  };
}
const tex = Object.assign(makeTex(false), { block: makeTex(true) });

/** Creates a chapter's kernel, with no cells. */
export function createKernel(options: KernelOptions): Kernel {
  const modules: ModuleMap = { ...options.modules };
  if (modules[PLOT] && options.document) {
    modules[PLOT] = withDocument(modules[PLOT], options.document);
  }
  const idPrefix = options.idPrefix ?? "nb";
  const live = options.live ?? false;
  const emit = (event: KernelEvent) => options.onEvent?.(event);
  type PlotModule = { plot?: (o: object) => unknown } | undefined;
  const plot = options.document ? (modules[PLOT] as PlotModule) : undefined;
  const outputsOf = (value: unknown, prefix: string): Output[] => {
    if (value instanceof Tex) return [{ kind: "html", html: `<p class="nb-tex">${value.html}</p>`, svg: false }];
    if (isDiagram(value)) return [htmlOutput(value.svg, prefix)];
    if (plot?.plot && isChartSpec(value)) {
      return toOutputs(plot.plot({ ...value.options, ariaLabel: value.alt }), prefix);
    }
    return toOutputs(value, prefix);
  };

  // An unknown name is nobody's: cells that read it say so.
  const runtime = new Runtime(undefined, (name) =>
    name in globalThis ? (globalThis as Record<string, unknown>)[name] : new Missing(null, name),
  );
  const main: Module = runtime.module();
  const cells = new Map<string, CellState>();
  /** Who declares each name (one cell per name), and the variable that holds it. */
  const names = new Map<string, { cell: string; variable: Variable }>();
  const channels = new Map<string, Channel>();
  /** Values the page gave, by input key, kept across runs (and before the cell ever ran). */
  const values = new Map<string, unknown>();
  /** Commands for trainings whose cell has not run yet in this kernel. */
  const pendingCommands = new Map<string, TrainingCommand>();
  const active = new Set<Run>();
  const waiting = new Set<string>();
  /** The value each run showed with `__nb.value`, and the trainer behind each controls object. */
  const valueOfRun = new WeakMap<Run, unknown>();
  /** What each cell's latest finished run declared. */
  const exportsOf = new Map<string, Record<string, unknown>>();
  const trainers = new WeakMap<TrainingControls, Trainer>();
  let disposed = false;

  const bodyName = (id: string) => `cell ${id}`;

  // ---- runs ---------------------------------------------------------------------------------

  const report = (run: Run, status: CellStatus) => {
    if (!run.live) return;
    emit({
      type: "cell",
      id: run.cell.id,
      run: run.n,
      status,
      outputs: [...run.outputs, ...run.valueOutputs],
      durationMs: performance.now() - run.started,
    });
  };

  // A training cell's runs, kept so the new loss curve is drawn over the earlier ones.
  const MAX_RUNS = 6;
  const pastRuns = new Map<string, { label: string; history: ProgressPoint[]; source: string; settings: Record<string, string> }[]>();
  const settingsOf = new WeakMap<Run, Record<string, string>>();

  // What is different in a run from the first one: the settings it read, and its edited lines.
  const difference = (
    first: { source: string; settings: Record<string, string> },
    source: string,
    settings: Record<string, string>,
  ): string => {
    const changes = Object.entries(settings)
      .filter(([name, value]) => first.settings[name] !== value)
      .map(([name, value]) => `${name} = ${value}`);
    const before = new Set(first.source.split("\n").map((line) => line.trim()));
    for (const line of source.split("\n").map((l) => l.trim())) {
      if (line && !before.has(line) && changes.length < 3) changes.push(line.length > 40 ? `${line.slice(0, 39)}…` : line);
    }
    return changes.length ? changes.join("; ") : "the same settings";
  };

  const chartRuns = (run: Run) => {
    const progress = run.outputs.find((o): o is ProgressOutput => o.kind === "progress");
    if (!progress || !progress.history.length || !options.progressChart) return;
    const runs = pastRuns.get(run.cell.id) ?? [];
    const curves = runs.map((r, i) => ({ label: r.label, history: r.history, current: i === runs.length - 1 }));
    progress.chart = options.progressChart(progress.history, progress.epochs, curves.length > 1 ? curves : undefined);
    progress.runs = curves.length;
  };

  const finish = (run: Run, status: CellStatus) => {
    if (run.finished) return;
    run.finished = true;
    active.delete(run);
    const progress = run.outputs.find((o): o is ProgressOutput => o.kind === "progress");
    if (progress && run.live && progress.history.length > 0 && status !== "failed") {
      const runs = pastRuns.get(run.cell.id) ?? [];
      const settings = settingsOf.get(run) ?? {};
      const label =
        runs.length === 0
          ? "run 1"
          : `run ${run.n}: ${difference(runs[0], run.cell.source, settings)}`;
      runs.push({ label, history: [...progress.history], source: run.cell.source, settings });
      if (runs.length > MAX_RUNS) runs.splice(1, 1); // keep the first, for comparison
      pastRuns.set(run.cell.id, runs);
      chartRuns(run);
    }
    for (const channel of channels.values()) {
      const trainer = channel.training;
      if (trainer?.consumers.delete(run)) {
        trainer.waiting?.();
        if (trainer.consumers.size === 0) {
          trainer.at = null;
          trainer.ended = run.stopped || status === "stopped" ? "stopped" : status === "failed" ? "failed" : "done";
          trainingStatus(channel);
        }
      }
    }
    report(run, run.stopped && status !== "failed" ? "stopped" : status);
  };

  // A run ends for good when its cell runs again or is redefined: no more reports from it.
  const invalidate = (run: Run) => {
    run.live = false;
    run.controller.abort();
    void run.generator?.return?.(undefined);
    finish(run, "stopped");
  };

  // Shows each value a generator yields, one per frame, until it ends, is stopped or replaced.
  const iterate = async (run: Run, generator: AsyncIterator<unknown> | Iterator<unknown>) => {
    run.generator = generator;
    let count = 0;
    try {
      while (run.live && !run.stopped) {
        const step = await generator.next();
        if (step.done || !run.live || run.stopped) break;
        run.valueOutputs = outputsOf(step.value, `${prefixOf(run)}y${++count}-`);
        report(run, "running");
        await new Promise<void>((resolve) => (live ? frame(resolve) : setTimeout(resolve, 0)));
      }
      finish(run, "done");
    } catch (error) {
      run.outputs.push(runtimeError(error, run.cell.compiled!, run.cell.url, run.cell.source));
      finish(run, "failed");
    }
  };

  const prefixOf = (run: Run) => `${idPrefix}-${run.cell.id.replace(/[^A-Za-z0-9_-]/g, "_")}-${run.n}-`;

  // ---- inputs ---------------------------------------------------------------------------------

  // The page hears of a change of state or speed at once, and of the epoch and batch playing at
  // most every STATUS_EVERY ms (the newest one last): a fast training steps far more often than a
  // page can redraw its controls.
  const trainingStatus = (channel: Channel) => {
    const trainer = channel.training;
    if (!trainer) return;
    const now = Date.now();
    const state = trainer.consumers.size === 0 ? "idle" : trainer.playing ? "playing" : "paused";
    const { sent } = trainer;
    if (sent && sent.state === state && sent.speed === trainer.speed && now - sent.at < STATUS_EVERY) {
      trainer.later ??= setTimeout(() => {
        trainer.later = null;
        if (channel.training === trainer && !disposed) trainingStatus(channel);
      }, STATUS_EVERY - (now - sent.at));
      return;
    }
    if (trainer.later) clearTimeout(trainer.later);
    trainer.later = null;
    trainer.sent = { state, speed: trainer.speed, at: now };
    const idle = state === "idle";
    const status: TrainingStatus = {
      state: idle ? "idle" : trainer.playing ? "playing" : "paused",
      speed: trainer.speed,
      epoch: trainer.at?.epoch ?? null,
      batch: trainer.at?.batch ?? null,
      batches: trainer.at?.batches ?? null,
      ...(idle && trainer.ended ? { ended: trainer.ended } : {}),
    };
    emit({ type: "training", key: channel.key, status });
  };

  // The controls a training's readers get; a Reset hands them a new one.
  const makeControls = (channel: Channel, trainer: Trainer): TrainingControls => {
    const consumersGone = () => [...trainer.consumers].every((run) => run.controller.signal.aborted);
    const pace = async (at?: TrainingStep) => {
      // A stopped training is not held: its loop ends at its next check of `signal`.
      if (!live || trainer.consumers.size === 0 || consumersGone()) return;
      // `at`: the step about to run (epoch and batch counted from 1, as `train` gives them).
      const step = at ?? { epoch: (trainer.at?.epoch ?? 0) + 1, batch: 1, batches: 1 };
      trainer.at = step;
      for (;;) {
        if (trainer.stepUntilEpoch === "next") trainer.stepUntilEpoch = step.epoch + 1;
        if (trainer.playing) {
          trainingStatus(channel);
          // Slowed down to the speed; a Pause (or Step) during the wait decides again.
          const pause = SPEED_MS[trainer.speed];
          if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause));
          else if (performance.now() - trainer.yieldedAt >= YIELD_EVERY) {
            await new Promise((resolve) => setTimeout(resolve, 0));
            trainer.yieldedAt = performance.now();
          }
          if (trainer.playing || consumersGone()) return;
          continue;
        }
        if (trainer.stepBatches > 0) {
          trainer.stepBatches--;
          trainingStatus(channel);
          return;
        }
        if (typeof trainer.stepUntilEpoch === "number" && step.epoch < trainer.stepUntilEpoch) {
          trainingStatus(channel);
          return;
        }
        trainer.stepUntilEpoch = null;
        trainingStatus(channel);
        // Woken by a command, or when the cells reading these controls stop or run again.
        await new Promise<void>((resolve) => (trainer.waiting = resolve));
        trainer.waiting = null;
        if (consumersGone()) return;
      }
    };
    const controls: TrainingControls = {
      pace,
      get playing() {
        return trainer.playing;
      },
    };
    trainers.set(controls, trainer);
    return controls;
  };

  const newTrainer = (state: TrainingState, command?: TrainingCommand): Trainer => {
    const trainer: Trainer = {
      playing: state.playing,
      speed: state.speed,
      stepBatches: 0,
      stepUntilEpoch: null,
      waiting: null,
      consumers: new Set(),
      at: null,
      ended: null,
      yieldedAt: performance.now(),
      sent: null,
      later: null,
    };
    if (command) applyCommand(trainer, command);
    return trainer;
  };

  const applyCommand = (trainer: Trainer, command: TrainingCommand) => {
    if (typeof command === "object") trainer.speed = command.speed;
    else if (command === "play") trainer.playing = true;
    else if (command === "pause" || command === "reset") trainer.playing = false;
    else if (command === "step-batch") {
      trainer.playing = false;
      trainer.stepBatches++;
    } else if (command === "step-epoch") {
      trainer.playing = false;
      trainer.stepUntilEpoch = trainer.at ? trainer.at.epoch + 1 : "next";
    }
    trainer.waiting?.();
  };

  // The value cells see for the input's current page value.
  const valueOf = (channel: Channel): unknown => {
    const { spec, values: options } = channel.declaration;
    const value = channel.current;
    if (spec.type === "select" || spec.type === "radio") return options?.[value as number];
    if (spec.type === "checkbox") return (value as number[]).map((i) => options?.[i]);
    if (spec.type === "training") return makeControls(channel, channel.training!);
    return value;
  };

  // `view(Inputs.range(…))`: shows the control, and gives the cells that read it its values.
  const view = (run: Run, declaration: unknown) => {
    if (!isInputDeclaration(declaration)) {
      throw new TypeError(
        "view() expects a control made by Inputs, e.g. view(Inputs.range([0, 1], { label: \"α\" }))",
      );
    }
    const key = `${run.cell.id}:${run.views++}`;
    const { spec } = declaration;
    const current = values.has(key) ? acceptValue(spec, values.get(key)) : spec.value;
    run.outputs.push({ kind: "input", key, spec, value: current });
    const channel: Channel = {
      key,
      cell: run.cell.id,
      declaration,
      current,
      wake: null,
      fresh: false,
      closed: false,
      training: null,
    };
    if (spec.type === "training") {
      const command = pendingCommands.get(key);
      pendingCommands.delete(key);
      channel.training = newTrainer(current as TrainingState, command);
    }
    const previous = channels.get(key);
    if (previous) {
      previous.closed = true;
      previous.wake?.();
    }
    channels.set(key, channel);
    const generator = live
      ? (async function* () {
          // Only the newest value waits here: values that came in between are dropped.
          while (!channel.closed) {
            channel.fresh = false;
            yield valueOf(channel);
            if (!channel.fresh) await new Promise<void>((resolve) => (channel.wake = resolve));
            channel.wake = null;
          }
        })()
      : (function* () {
          yield valueOf(channel);
        })();
    Object.defineProperty(generator, INPUT, { value: true });
    return generator;
  };

  // ---- cells ----------------------------------------------------------------------------------

  const execute = async (
    cell: CellState,
    compiled: CompiledCell,
    fn: NonNullable<CellState["fn"]>,
    args: unknown[],
    invalidation: Promise<void>,
  ) => {
    // A name it reads could not be computed: say why, and pass the failure on.
    for (let i = 0; i < compiled.reads.length; i++) {
      const arg = args[i];
      if (!(arg instanceof Missing)) continue;
      const name = compiled.reads[i];
      // `typeof name` of a name nobody declares is "undefined", as in JavaScript.
      if (arg.cell === null && compiled.softReads.includes(name)) {
        args[i] = undefined;
        continue;
      }
      const run = startRun(cell);
      if (arg.cell === null) {
        const hint = importHint(name);
        run.outputs.push(
          errorOutput(
            "ReferenceError",
            `${name} is not defined: no cell declares it${hint}`,
            compiled.readAt[name] ?? null,
            cell.source,
            "run",
          ),
        );
        finish(run, "failed");
      } else {
        run.finished = true;
        active.delete(run);
        if (run.live) {
          emit({
            type: "cell",
            id: cell.id,
            run: run.n,
            status: "blocked",
            outputs: [],
            reason: `Not run: it reads ${name} from cell "${arg.cell}", which did not run.`,
            durationMs: 0,
          });
        }
      }
      return new Missing(cell.id, name);
    }
    const run = startRun(cell);
    void invalidation.then(() => invalidate(run));
    // The settings it ran with (the simple values it read), for the legend of its runs.
    const settings: Record<string, string> = {};
    compiled.reads.forEach((name, i) => {
      const value = args[i];
      if (["number", "string", "boolean"].includes(typeof value)) settings[name] = String(value);
    });
    settingsOf.set(run, settings);
    // A cell that reads a training's controls is what they drive.
    for (const arg of args) {
      const trainer = typeof arg === "object" && arg !== null ? trainers.get(arg as TrainingControls) : undefined;
      trainer?.consumers.add(run);
    }
    report(run, "running");
    const nb = {
      imports: compiled.imports.map(({ module }) => modules[module]),
      value: (value: unknown) => {
        run.valueOutputs = isGenerator(value) ? [] : outputsOf(value, `${prefixOf(run)}v-`);
        valueOfRun.set(run, value);
        return value;
      },
    };
    const kernelGlobals: Record<string, unknown> = {
      display: globals(run).display,
      progress: globals(run).progress,
      signal: run.controller.signal,
      view: (declaration: unknown) => view(run, declaration),
      Inputs,
      tex,
      console: globals(run).console,
    };
    const params = compiled.params.slice(compiled.reads.length).map((name) => kernelGlobals[name]);
    try {
      const exports = await fn(...args, ...params, nb);
      if (run.live) exportsOf.set(cell.id, exports);
      const value = valueOfRun.get(run);
      if (isGenerator(value) && !(INPUT in value)) void iterate(run, value);
      else finish(run, "done");
      return exports;
    } catch (error) {
      run.outputs.push(runtimeError(error, compiled, cell.url, cell.source));
      finish(run, "failed");
      return new Missing(cell.id, "");
    }
  };
  const startRun = (cell: CellState): Run => {
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
    if (cell.run && !cell.run.finished) invalidate(cell.run);
    cell.run = run;
    active.add(run);
    return run;
  };

  // display, progress and console for one run: what they show belongs to that run only.
  const globalsOf = new WeakMap<Run, ReturnType<typeof makeGlobals>>();
  const globals = (run: Run) => {
    let made = globalsOf.get(run);
    if (!made) globalsOf.set(run, (made = makeGlobals(run)));
    return made;
  };
  const makeGlobals = (run: Run) => {
    let count = 0;
    const show = (output: Output) => {
      if (!run.live || run.finished) return;
      run.outputs.push(output);
      report(run, "running");
    };
    const display = Object.assign(
      (value: unknown) => {
        for (const output of outputsOf(value, `${prefixOf(run)}${++count}-`)) show(output);
        return value;
      },
      {
        /** Shows markup (sanitized before it reaches the page). */
        html: (markup: string) => show(htmlOutput(markup, `${prefixOf(run)}${++count}-`)),
      },
    );
    let progressOutput: ProgressOutput | null = null;
    const progress = (entry: ProgressReport) => {
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
        progressOutput = { kind: "progress", epoch: 0, epochs: null, loss: 0, accuracy: null, history: [] };
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
      emit({
        type: "progress",
        id: run.cell.id,
        run: run.n,
        progress: { ...progressOutput, history: [...history] },
      });
    };
    const line = (stream: "log" | "info" | "warn" | "error") => (...args: unknown[]) =>
      show({
        kind: "text",
        stream,
        text: args.map((a) => (typeof a === "string" ? a : formatInline(a))).join(" "),
      });
    const console = {
      log: line("log"),
      info: line("info"),
      warn: line("warn"),
      error: line("error"),
      debug: line("log"),
    };
    return { display, progress, console };
  };

  // `; import it: import { MLP } from "engine"` when a module exports the missing name.
  const importHint = (name: string): string => {
    for (const [module, exports] of Object.entries(modules)) {
      if (name in exports) return `; to use ${module}'s, import it: import { ${name} } from "${module}"`;
    }
    if (name === "Plot" && modules[PLOT]) return `; import it: import * as Plot from "${PLOT}"`;
    return "";
  };

  // ---- the graph ------------------------------------------------------------------------------

  // The cells whose names `id` reads, transitively (and `id`'s readers, with `down`).
  const closure = (id: string, down: boolean): Set<string> => {
    const found = new Set<string>();
    const visit = (at: string) => {
      const cell = cells.get(at);
      if (!cell) return;
      const next = down
        ? [...cells.values()].filter((c) => c.compiled?.reads.some((n) => cell.declares.includes(n) && names.get(n)?.cell === at)).map((c) => c.id)
        : (cell.compiled?.reads ?? []).map((n) => names.get(n)?.cell).filter((c): c is string => !!c);
      for (const other of next) {
        if (found.has(other) || other === id) continue;
        found.add(other);
        visit(other);
      }
    };
    visit(id);
    return found;
  };

  const observe = (cell: CellState) => {
    if (cell.observer) return;
    cell.observer = main
      .variable({
        pending: () => waiting.add(cell.id),
        fulfilled: () => waiting.delete(cell.id),
        rejected: (error) => {
          waiting.delete(cell.id);
          // Only the runtime's own errors get here (cells' errors are outputs).
          const run = startRun(cell);
          run.outputs.push(errorOutput("Error", String((error as Error)?.message ?? error), null, cell.source, "run"));
          finish(run, "failed");
        },
      })
      .define(null, [bodyName(cell.id)], (exports: unknown) => exports);
  };

  // The errors between cells: assignments to other cells' names, names declared twice, cycles.
  const crossCheck = (changed: Set<string>): Map<string, ErrorOutput> => {
    const errors = new Map<string, ErrorOutput>();
    const all = [...cells.values()].filter((c) => c.compiled && !c.compileError);
    const declaredBy = new Map<string, CellState[]>();
    for (const cell of all) {
      for (const name of cell.declares) declaredBy.set(name, [...(declaredBy.get(name) ?? []), cell]);
    }
    const at = (cell: CellState, where: Place | null, message: string, name = "ReferenceError") => {
      if (!errors.has(cell.id)) errors.set(cell.id, errorOutput(name, message, where, cell.source, "compile"));
    };
    for (const cell of all) {
      for (const assign of cell.compiled!.assigns) {
        const owners = declaredBy.get(assign.name);
        if (owners?.length) {
          const owner = owners[0].id;
          at(
            cell,
            assign,
            `Cell "${cell.id}" assigns ${assign.name}, which cell "${owner}" declares. A cell ` +
              `changes only its own names: declare ${assign.name} in this cell (let ${assign.name} ` +
              `= …), or keep the state in an object that cell "${owner}" declares ` +
              `(state.${assign.name} = …)`,
            "TypeError",
          );
        } else {
          at(
            cell,
            assign,
            `${assign.name} is not declared: declare it in this cell with let or const`,
            "ReferenceError",
          );
        }
      }
    }
    for (const [name, owners] of declaredBy) {
      if (owners.length < 2) continue;
      const blamed = owners.some((c) => changed.has(c.id)) && owners.some((c) => !changed.has(c.id))
        ? owners.filter((c) => changed.has(c.id))
        : owners;
      for (const cell of blamed) {
        at(
          cell,
          cell.compiled!.declaresAt?.[name] ?? null,
          `${name} is declared by cells ${list(owners.map((c) => quote(c.id)))}: a name can come ` +
            "from one cell only; rename it in one of them",
          "SyntaxError",
        );
      }
    }
    // Cycles: cells that read each other's names, directly or through others.
    const providers = (cell: CellState) =>
      cell.compiled!.reads.flatMap((n) => (declaredBy.get(n) ?? []).map((c) => ({ name: n, cell: c })));
    for (const cell of all) {
      if (errors.has(cell.id)) continue;
      // Is there a path from one of cell's providers back to cell?
      const path = findPath(cell, cell, providers, new Set());
      if (path) {
        const ids = [cell, ...path.map((p) => p.cell)].slice(0, -1);
        const steps = [cell, ...path.map((p) => p.cell)]
          .slice(0, -1)
          .map((c, i) => `${quote(c.id)} reads ${path[i].name} from ${quote(path[i].cell.id)}`);
        for (const member of ids) {
          at(
            member,
            null,
            `Cells ${list(ids.map((c) => quote(c.id)))} read each other's names (${steps.join("; ")}), ` +
              "so none of them can run first: move what they share into one cell",
            "SyntaxError",
          );
        }
      }
    }
    return errors;
  };

  const findPath = (
    from: CellState,
    target: CellState,
    providers: (c: CellState) => { name: string; cell: CellState }[],
    seen: Set<CellState>,
  ): { name: string; cell: CellState }[] | null => {
    for (const step of providers(from)) {
      if (step.cell === target) return [step];
      if (seen.has(step.cell)) continue;
      seen.add(step.cell);
      const rest = findPath(step.cell, target, providers, seen);
      if (rest) return [step, ...rest];
    }
    return null;
  };

  // (Re)defines a cell's variables: its body, and the names it declares.
  const install = (cell: CellState) => {
    const { compiled, fn } = cell;
    if (cell.error || !compiled || !fn) {
      const failed = new Missing(cell.id, "");
      cell.body.define(bodyName(cell.id), [], () => failed);
    } else {
      cell.body.define(bodyName(cell.id), [...compiled.reads, "invalidation"], (...args: unknown[]) => {
        const invalidation = args.pop() as Promise<void>;
        return execute(cell, compiled, fn, args, invalidation);
      });
    }
  };

  const claimNames = () => {
    // Each name belongs to one cell: the one that declares it without an error, else the first.
    const wanted = new Map<string, string>();
    for (const cell of cells.values()) {
      for (const name of cell.declares) {
        const holder = wanted.get(name);
        if (!holder || (cells.get(holder)!.error && !cell.error)) wanted.set(name, cell.id);
      }
    }
    for (const [name, entry] of names) {
      if (wanted.get(name) !== entry.cell) {
        entry.variable.delete();
        names.delete(name);
      }
    }
    for (const [name, id] of wanted) {
      if (names.has(name)) continue;
      const variable = main
        .variable()
        .define(name, [bodyName(id)], (exports: unknown) =>
          exports instanceof Missing
            ? new Missing(id, name)
            : (exports as Record<string, unknown>)[name],
        );
      names.set(name, { cell: id, variable });
    }
  };

  return {
    define(sources: CellSource[], inputs: Record<string, unknown> = {}): CellInfo[] {
      for (const [key, value] of Object.entries(inputs)) values.set(key, value);
      const changed = new Set<string>();
      const keep = new Set(sources.map((s) => s.id));
      for (const [id, cell] of cells) {
        if (keep.has(id)) continue;
        if (cell.run && !cell.run.finished) invalidate(cell.run);
        cell.observer?.delete();
        cell.body.delete();
        cells.delete(id);
      }
      for (const { id, source } of sources) {
        let cell = cells.get(id);
        if (cell && cell.source === source) continue;
        changed.add(id);
        if (!cell) {
          cell = {
            id,
            source,
            compiled: null,
            fn: null,
            url: "",
            compileError: null,
            error: null,
            declares: [],
            body: main.variable(),
            observer: null,
            run: null,
            runs: 0,
            redefined: false,
          };
          cells.set(id, cell);
        }
        cell.source = source;
        const url = `nb-cell-${id.replace(/[^A-Za-z0-9_-]/g, "_")}-${cell.runs + 1}.js`;
        try {
          const compiled = compileCell(source, { sourceURL: url });
          const importError = checkImports(compiled, modules);
          if (importError) throw importError;
          cell.fn = (0, eval)(compiled.code);
          cell.compiled = compiled;
          cell.declares = compiled.declares;
          cell.url = url;
          cell.compileError = null;
        } catch (error) {
          if (!(error instanceof CellSyntaxError)) throw error;
          // What it declared before stays declared (and failing), so its readers say why.
          cell.compiled = null;
          cell.fn = null;
          cell.compileError = errorOutput("SyntaxError", error.message, error, source, "compile");
        }
      }
      const errors = crossCheck(changed);
      for (const cell of cells.values()) {
        const error = cell.compileError ?? errors.get(cell.id) ?? null;
        const same = error?.message === cell.error?.message;
        cell.error = error;
        if (changed.has(cell.id) || !same) {
          install(cell);
          cell.redefined = true;
        }
      }
      claimNames();
      return [...cells.values()].map((cell) => ({
        id: cell.id,
        declares: cell.declares,
        reads: cell.compiled?.reads ?? [],
        ...(cell.error ? { error: cell.error } : {}),
      }));
    },

    run(ids: string[]): void {
      for (const id of ids) {
        const cell = cells.get(id);
        if (!cell) continue;
        for (const other of [...closure(id, false), id, ...closure(id, true)]) {
          const member = cells.get(other)!;
          observe(member);
          // A cell that cannot run says why, whether it was asked to run or is needed.
          if (member.error) {
            const run = startRun(member);
            run.outputs.push(member.error);
            finish(run, "failed");
          }
        }
        // Run again, unless a redefinition already set a run on its way.
        if (!cell.redefined) install(cell);
      }
    },

    input(key: string, value: unknown): void {
      values.set(key, value);
      const channel = channels.get(key);
      if (channel && !channel.closed) {
        channel.current = acceptValue(channel.declaration.spec, value);
        channel.fresh = true;
        channel.wake?.();
        return;
      }
      // The control's cell has not run here yet: run it (and what reads it).
      this.run([key.slice(0, key.lastIndexOf(":"))]);
    },

    control(key: string, command: TrainingCommand): void {
      const channel = channels.get(key);
      const trainer = channel?.training;
      if (!channel || !trainer || channel.closed) {
        pendingCommands.set(key, command);
        this.run([key.slice(0, key.lastIndexOf(":"))]);
        return;
      }
      const restart =
        command === "reset" ||
        (trainer.consumers.size === 0 && command !== "pause" && typeof command !== "object");
      if (restart) {
        // A new controls object: the cells that read it start again from their first weights.
        const state = channel.current as TrainingState;
        channel.current = { ...state, speed: trainer.speed, resets: state.resets + 1 };
        channel.training = newTrainer(
          { playing: command === "play", speed: trainer.speed, resets: state.resets + 1 },
          command === "play" || command === "reset" ? undefined : command,
        );
        trainer.waiting?.();
        channel.fresh = true;
        channel.wake?.();
        trainingStatus(channel);
        return;
      }
      applyCommand(trainer, command);
      trainingStatus(channel);
    },

    stop(id?: string): void {
      for (const run of [...active]) {
        if (id !== undefined && run.cell.id !== id) continue;
        run.stopped = true;
        run.controller.abort();
        void run.generator?.return?.(undefined);
        for (const channel of channels.values()) channel.training?.waiting?.();
      }
    },

    clearRuns(id: string): void {
      const cell = cells.get(id);
      const runs = pastRuns.get(id);
      if (!cell || !runs || runs.length < 2) return;
      const last = runs[runs.length - 1];
      pastRuns.set(id, [{ ...last, label: "run 1" }]);
      const run = cell.run;
      if (run?.finished && run.live) {
        chartRuns(run);
        report(run, run.stopped ? "stopped" : "done");
      }
    },

    async idle(): Promise<void> {
      let quiet = 0;
      while (quiet < 3) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        quiet = active.size === 0 && waiting.size === 0 ? quiet + 1 : 0;
      }
    },

    value(name: string) {
      const owner = names.get(name)?.cell;
      if (!owner) return { missing: `no cell declares ${name}` };
      const exports = exportsOf.get(owner);
      if (!exports || !(name in exports)) {
        return { missing: `cell "${owner}", which declares ${name}, did not run to its end` };
      }
      return { value: exports[name] };
    },

    dispose(): void {
      if (disposed) return;
      disposed = true;
      for (const run of [...active]) invalidate(run);
      for (const channel of channels.values()) {
        channel.closed = true;
        channel.wake?.();
      }
      runtime.dispose();
    },
  };
}

// The next animation frame where there is one (the page's worker), else the next macrotask.
function frame(callback: () => void): void {
  if (typeof requestAnimationFrame === "function") requestAnimationFrame(() => callback());
  else setTimeout(callback, 0);
}
