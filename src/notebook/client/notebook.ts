/**
 * The notebook controller: keeps the chapter's kernel (a worker) in step with the page. Running a
 * cell hands the kernel the code every cell last ran with and the controls' values, then asks for
 * that cell; the kernel runs what it needs and what reads it, and every cell's new output comes
 * back as it is ready. Moving a control sends its value (the newest per animation frame).
 * Loaded on the first Run or the first move of a control, with the sanitizer.
 */
import type { TrainingCommand } from "../types.ts";
import { drawParts } from "./apply.ts";
import { controlsIn, showTraining } from "./controls.ts";
import { KernelHost, type LostReason } from "./kernel-host.ts";
import { announce, chapterCells, currentInputs } from "./page.ts";
import type { ProgressReport } from "./protocol.ts";
import { sanitizeHtml } from "./sanitize.ts";
import { checkMessage, type CheckedPart, type PageKnows, type Stream } from "./validate.ts";

/** Where a cell is in its run. */
export type RunState = "idle" | "running";

/** What the controller needs from a cell element. */
export interface CellView extends HTMLElement {
  readonly cellId: string;
  readonly output: HTMLElement;
  /** The code the kernel has for it. */
  applied: string;
  code(): string;
  setState(state: RunState): void;
  showProgress(progress: ProgressReport, chart: DocumentFragment | null): void;
  setStale(reason: string | null): void;
  setStatus(text: string): void;
  /** After a failed run: the link to the cell where its error arose (null: none). */
  showOrigin(origin: { cell: string; line: number } | null): void;
  notice(key: string, text: string | null, kind?: "warn" | "info" | "error", actions?: [string, () => void][]): void;
}

// A lost kernel takes its runs with it: what the page held of them goes too (then lost() below).
const host = new KernelHost({ message: receive, lost: (reason, detail) => (forgetRuns(), lost(reason, detail)) });
/** The code the kernel has for each cell, as last sent (empty after a restart). */
let defined = new Map<string, string>();
/** Cells that ran in the current kernel. */
const ran = new Set<string>();
/** Cells running now (with the newest run number seen). */
const running = new Map<string, number>();
/** Cells asked to run whose run has not started in the worker yet. */
const requested = new Set<string>();
/** The newest run seen start, per cell, in the current kernel. */
const newestRun = new Map<string, number>();
/** What the page holds of each cell's newest run: its last message taken and its parts so far. */
const streams = new Map<string, { run: number; seq: number; parts: CheckedPart[] }>();
/** Runs the reader stopped that have not ended: their output no longer changes (until their end). */
const stopping = new Map<string, { run: number; timer: ReturnType<typeof setTimeout> }>();
/** How long a stopped run has to end before its cell says it stopped anyway (ms). */
const STOP_SAYS_MS = 400;

function forgetRuns(): void {
  streams.clear();
  for (const { timer } of stopping.values()) clearTimeout(timer);
  stopping.clear();
}

function views(): CellView[] {
  return chapterCells() as unknown as CellView[];
}

function view(id: string): CellView | undefined {
  return views().find((cell) => cell.cellId === id);
}

// The cells' code and the controls' values, when anything changed since they were last sent.
function changes(): { cells: { id: string; code: string }[]; inputs: Record<string, unknown> } | undefined {
  const cells = views().map((cell) => ({ id: cell.cellId, code: cell.applied }));
  const same =
    cells.length === defined.size && cells.every(({ id, code }) => defined.get(id) === code);
  if (same) return undefined;
  defined = new Map(cells.map(({ id, code }) => [id, code]));
  return { cells, inputs: currentInputs() };
}

// Sends them on their own (before a control's value or command).
function sync(): void {
  const changed = changes();
  if (changed) host.send({ type: "define", ...changed });
}

/** Runs these cells with the reader's code (and, in the kernel, what they read and what reads them). */
export function run(cells: CellView[]): void {
  for (const cell of cells) {
    cell.applied = cell.code();
    cell.setStale(null);
    requested.add(cell.cellId);
    cell.setState("running");
    cell.setStatus(host.started ? "Running…" : "Starting the kernel…");
  }
  host.send({ type: "run", ids: cells.map((cell) => cell.cellId), define: changes() });
}

/** Runs every cell of the chapter. */
export function runAll(): void {
  run(views());
  announce("Running every cell of this chapter.");
}

// The newest value per control, sent once per animation frame (a drag streams many).
const pendingInputs = new Map<string, unknown>();
let inputFrame = 0;

/** A control's new value. */
export function input(key: string, value: unknown): void {
  pendingInputs.set(key, value);
  inputFrame ||= requestAnimationFrame(() => {
    inputFrame = 0;
    sync();
    for (const [pending, latest] of pendingInputs) {
      host.send({ type: "input", key: pending, value: latest });
    }
    pendingInputs.clear();
  });
}

/** A training control's command. */
export function control(key: string, command: TrainingCommand): void {
  sync();
  host.send({ type: "control", key, command });
}

/** Stops a cell's run; a kernel that does not answer is restarted (see KernelHost). */
export function stop(cell: CellView): void {
  if (!host.started) return;
  cell.setStatus("Stopping…");
  // Its output stops changing now, whatever the kernel is doing; what is waiting to be drawn goes.
  const id = cell.cellId;
  const run = running.get(id);
  if (run !== undefined && !stopping.has(id)) {
    dropFrames(id);
    stopping.set(id, { run, timer: setTimeout(() => stoppedHere(cell, run), STOP_SAYS_MS) });
  }
  if (!host.stop(id)) return;
  // The kernel was still starting: what was waiting to run will not.
  for (const id of requested) {
    const waiting = view(id);
    waiting?.setState("idle");
    waiting?.setStatus("Stopped before it started.");
  }
  requested.clear();
}

// A run the reader stopped has not ended in time: its cell says so, and its output stays as it is.
// If the kernel does not end it, the kernel host restarts the kernel (see kernel-host.ts).
function stoppedHere(cell: CellView, run: number): void {
  if (running.get(cell.cellId) !== run || stopping.get(cell.cellId)?.run !== run) return;
  cell.setState("idle");
  cell.setStatus("Stopped: what it showed is kept. Its code has not ended yet; if it goes on, the kernel restarts.");
}

/** Work one draw of a cell's output may take before the rest waits for a later task (ms). */
const DRAW_BUDGET_MS = 12;

// Puts what the page holds of a cell's run in its output (apply.ts): markup sanitized, controls
// made here with DOM calls from their checked data, a control the reader is using kept as it is.
// True when more is left to draw.
function drawCell(cell: CellView): boolean {
  const held = streams.get(cell.cellId);
  if (!held) return false;
  let done = true;
  inPlace(cell, () => (done = drawParts(cell.output, held.parts, DRAW_BUDGET_MS)));
  if (done) noticeRuns(cell);
  return !done;
}

// A training cell that ran more than once draws its runs side by side; they can be cleared.
function noticeRuns(cell: CellView): void {
  const runs = Number(cell.output.querySelector<HTMLElement>(".nb-training[data-runs]")?.dataset.runs ?? 0);
  cell.notice(
    "runs",
    runs > 1
      ? `The chart draws this cell's last ${runs} runs, each labelled with what was different in it.`
      : null,
    "info",
    [["Clear the earlier runs", () => host.send({ type: "clear-runs", id: cell.cellId })]],
  );
}

// ---- drawing at the page's pace ---------------------------------------------------------------
// A running cell can send frames faster than the page draws them (a big chart each epoch, a
// display() loop). Each cell's output is drawn at most so often that drawing takes a quarter of
// the time (half, for the rest of a run's end), the newest state winning, and a draw that has
// more to do than its budget comes back for the rest. The reader's clicks and drags stay
// answered meanwhile.
const DRAW_SHARE = 4;
const frames = new Map<string, { draw: () => boolean | void; timer: ReturnType<typeof setTimeout> | null }>();
const nextDraw = new Map<string, number>();

function drawSoon(key: string, draw: () => boolean | void, share = DRAW_SHARE): void {
  const pending = frames.get(key);
  if (pending) {
    pending.draw = draw;
    return;
  }
  const frame = { draw, timer: null as ReturnType<typeof setTimeout> | null };
  frames.set(key, frame);
  const wait = Math.max(0, (nextDraw.get(key) ?? 0) - performance.now());
  frame.timer = setTimeout(() => {
    frames.delete(key);
    const start = performance.now();
    const more = frame.draw();
    const end = performance.now();
    nextDraw.set(key, end + (end - start) * (share - 1));
    if (more === true && !frames.has(key)) drawSoon(key, frame.draw, share);
  }, wait);
}

function dropFrames(id: string): void {
  for (const key of [id, `${id} progress`]) {
    const pending = frames.get(key);
    if (pending?.timer) clearTimeout(pending.timer);
    frames.delete(key);
    nextDraw.delete(key);
  }
}

// What changes size above the reader's view must not move what they look at (or draw on): the
// browser's scroll anchoring does not hold on these pages, so the height change is scrolled away.
function inPlace(cell: CellView, change: () => void): void {
  const before = cell.getBoundingClientRect();
  change();
  if (before.bottom > 0) return;
  const grown = cell.getBoundingClientRect().height - before.height;
  if (grown !== 0) window.scrollBy(0, grown);
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(2);
}

// Messages the page dropped at the door: counted, and said once on the console.
let dropped = 0;
function drop(reason: string): void {
  if (dropped++ === 0) console.debug(`The page dropped a message from the kernel: ${reason}.`);
}

const knows: PageKnows = {
  cells: {
    has: (id: string) => view(id) !== undefined,
  } as ReadonlySet<string>,
  runs: newestRun,
  trainings: (key) => views().some((cell) => controlsIn(cell.output).some((c) => c.dataset.key === key && c.classList.contains("nb-input--training"))),
  stream: (id): Stream | undefined => streams.get(id),
};

type CellMessage = Extract<NonNullable<ReturnType<typeof checkMessage>>, { type: "cell" }>;

function receive(raw: unknown): void {
  const message = checkMessage(raw, knows, drop);
  if (!message) return;
  if (message.type === "cell") {
    receiveCell(message);
  } else if (message.type === "progress") {
    const cell = view(message.id);
    if (!cell || running.get(message.id) !== message.run || stopping.get(message.id)?.run === message.run) return;
    const { progress, run } = message;
    drawSoon(`${message.id} progress`, () => {
      if (running.get(message.id) !== run) return;
      const chart = progress.html ? sanitizeHtml(progress.html) : null;
      inPlace(cell, () => cell.showProgress(progress, chart));
    });
  } else if (message.type === "stray") {
    announce(`A cell's code threw after its run had ended: ${message.message}`);
  } else if (message.type === "training") {
    for (const cell of views()) {
      const found = controlsIn(cell.output).find((c) => c.dataset.key === message.key);
      if (found) showTraining(found, message.status);
    }
  }
}

// What the cell that was running says when the kernel went away.
const LOST_STATUS: Record<LostReason, (detail: string) => string> = {
  runaway: () => "Stopped: it did not answer Stop in time, so the kernel was restarted.",
  crashed: (detail) => `The kernel stopped working (${detail}), so it was restarted. Press Run to run this cell again.`,
  "out-of-memory": () => "The kernel ran out of memory and was restarted; its variables are gone. Run starts it again.",
  "start-failed": (detail) => `The kernel could not start (${detail}). Press Run to try again.`,
};

// What the chapter's live region says then (`culprit`: the cells that were running).
const LOST_NEWS: Record<LostReason, (detail: string, culprit: string) => string> = {
  runaway: (_, culprit) => `Cell ${culprit || "?"} did not stop, so the kernel was restarted. Run a cell to start again.`,
  crashed: (detail) =>
    `The kernel stopped working (${detail}): it crashed or was stuck, so it was restarted. The next Run starts it again.`,
  "out-of-memory": (_, culprit) =>
    `The kernel ran out of memory${culprit ? ` while cell ${culprit} ran` : ""} and was restarted; its variables are gone. ` +
    "This page, your edits and the outputs shown are kept. The next Run starts it again.",
  "start-failed": (detail) => `The kernel could not start: ${detail}.`,
};

// A cell's message, past the door: its parts join what the page holds of the run (a running
// message's after the parts it keeps, the end's in place of all), and are drawn at the page's pace.
function receiveCell(message: CellMessage): void {
  const { id, run, status, seq, from, parts, reason, durationMs } = message;
  newestRun.set(id, Math.max(newestRun.get(id) ?? 0, run));
  const held = streams.get(id);
  const kept = held?.run === run ? held.parts.slice(0, from) : [];
  streams.set(id, { run, seq, parts: kept.concat(parts) });
  const cell = view(id);
  if (!cell) return;
  requested.delete(id);
  const stopped = stopping.get(id);
  if (status === "running") {
    // A new run of the cell: the last run's progress bar and frames go.
    if (running.get(id) !== run) {
      dropFrames(id);
      cell.setState("idle");
      if (stopped) clearTimeout(stopped.timer), stopping.delete(id);
    }
    running.set(id, run);
    host.busy(true);
    // A run the reader stopped changes nothing more until its end comes.
    if (stopping.has(id)) return;
    cell.setState("running");
    // The start of a run leaves the last one's output until something new comes.
    if (seq > 1 || parts.length) drawSoon(id, () => drawCell(cell));
    return;
  }
  if (stopped) clearTimeout(stopped.timer), stopping.delete(id);
  dropFrames(id);
  running.delete(id);
  host.busy(running.size > 0);
  host.ended(id);
  cell.setState("idle");
  if (status === "blocked") {
    cell.setStale(reason ?? "Not run: a cell it reads did not run.");
    cell.setStatus("");
    return;
  }
  // The end is drawn at once, as far as the budget goes; the rest follows, at half the page's time.
  if (drawCell(cell)) drawSoon(id, () => drawCell(cell), 2);
  cell.showOrigin(status === "failed" ? (message.origin ?? null) : null);
  cell.setStale(null);
  ran.add(id);
  cell.setStatus(
    status === "done"
      ? `Ran in ${seconds(durationMs)} s.`
      : status === "stopped"
        ? `Stopped after ${seconds(durationMs)} s; what it showed so far is kept.`
        : `Failed: ${message.error ?? "see the error below"}`,
  );
}

// The worker is gone (a runaway loop, a crash, memory exhausted): so are its variables. The next
// action starts a new one with every cell's code.
function lost(reason: LostReason, detail: string): void {
  defined = new Map();
  newestRun.clear();
  const wasRunning = [...new Set([...running.keys(), ...requested])];
  running.clear();
  requested.clear();
  const again = [...ran];
  ran.clear();
  for (const cell of views()) {
    if (wasRunning.includes(cell.cellId)) {
      cell.setState("idle");
      cell.setStatus(LOST_STATUS[reason](detail));
    } else if (again.includes(cell.cellId)) {
      cell.setStale("The kernel restarted: run this cell again to see its output computed here.");
    }
  }
  announce(LOST_NEWS[reason](detail, wasRunning.map((id) => `"${id}"`).join(", ")));
}
