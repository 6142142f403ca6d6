/**
 * The notebook controller: keeps the chapter's kernel (a worker) in step with the page. Running a
 * cell hands the kernel the code every cell last ran with and the controls' values, then asks for
 * that cell; the kernel runs what it needs and what reads it, and every cell's new output comes
 * back as it is ready. Moving a control sends its value (the newest per animation frame).
 * Loaded on the first Run or the first move of a control, with the sanitizer.
 */
import type { TrainingCommand } from "../types.ts";
import { buildControl, refusedControl } from "./control-dom.ts";
import { controlsIn, showTraining } from "./controls.ts";
import { KernelHost, type LostReason } from "./kernel-host.ts";
import { announce, chapterCells, currentInputs } from "./page.ts";
import type { ProgressReport } from "./protocol.ts";
import { sanitizeHtml } from "./sanitize.ts";
import { checkMessage, type CheckedPart, type PageKnows } from "./validate.ts";

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

const host = new KernelHost({ message: receive, lost });
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
  if (!host.stop(cell.cellId)) return;
  // The kernel was still starting: what was waiting to run will not.
  for (const id of requested) {
    const waiting = view(id);
    waiting?.setState("idle");
    waiting?.setStatus("Stopped before it started.");
  }
  requested.clear();
}

// Puts a run's output in the cell: markup sanitized, controls made here with DOM calls from their
// checked data (a refused one says why). A control the reader is using (same key, same kind) is
// kept as it is, focus and pointer too.
function showParts(cell: CellView, parts: CheckedPart[]): void {
  const output = cell.output;
  const existing = new Map(controlsIn(output).map((c) => [c.dataset.key!, c]));
  const nodes: Node[] = [];
  for (const part of parts) {
    if (part.kind === "html") {
      nodes.push(...sanitizeHtml(part.html).childNodes);
      continue;
    }
    if (part.kind === "refused") {
      nodes.push(refusedControl(document, part.key, part.reason));
      continue;
    }
    const fresh = buildControl(document, part.key, part.spec, part.value);
    const old = existing.get(part.key);
    nodes.push(old && old.dataset.sig === fresh.dataset.sig ? old : fresh);
  }
  // Remove what goes, keep what stays in place, insert the rest in order.
  const keep = new Set(nodes.filter((node) => node.parentNode === output));
  for (const child of [...output.childNodes]) if (!keep.has(child)) child.remove();
  let cursor: ChildNode | null = output.firstChild;
  for (const node of nodes) {
    if (node === cursor) cursor = cursor.nextSibling;
    else output.insertBefore(node, cursor);
  }
  // A training cell that ran more than once draws its runs side by side; they can be cleared.
  const runs = Number(output.querySelector<HTMLElement>(".nb-training[data-runs]")?.dataset.runs ?? 0);
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
// A running cell can send frames faster than the page draws them (a big chart each epoch). Each
// cell's frames are drawn at most so often that drawing takes a quarter of the time, the newest
// frame winning; its end is drawn at once. The reader's clicks and drags stay answered meanwhile.
const DRAW_SHARE = 4;
const frames = new Map<string, { draw: () => void; timer: ReturnType<typeof setTimeout> | null }>();
const nextDraw = new Map<string, number>();

function drawSoon(key: string, draw: () => void): void {
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
    frame.draw();
    const end = performance.now();
    nextDraw.set(key, end + (end - start) * (DRAW_SHARE - 1));
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
};

function receive(raw: unknown): void {
  const message = checkMessage(raw, knows, drop);
  if (!message) return;
  if (message.type === "cell") {
    newestRun.set(message.id, Math.max(newestRun.get(message.id) ?? 0, message.run));
    const cell = view(message.id);
    if (!cell) return;
    const { status, parts, reason, durationMs } = message;
    requested.delete(message.id);
    if (status === "running") {
      // A new run of the cell: the last run's progress bar and frames go.
      if (running.get(message.id) !== message.run) {
        dropFrames(message.id);
        cell.setState("idle");
      }
      running.set(message.id, message.run);
      host.busy(true);
      cell.setState("running");
      if (parts.length) drawSoon(message.id, () => inPlace(cell, () => showParts(cell, parts)));
      return;
    }
    dropFrames(message.id);
    running.delete(message.id);
    host.busy(running.size > 0);
    host.ended(message.id);
    cell.setState("idle");
    if (status === "blocked") {
      cell.setStale(reason ?? "Not run: a cell it reads did not run.");
      cell.setStatus("");
      return;
    }
    inPlace(cell, () => {
      showParts(cell, parts);
      cell.showOrigin(status === "failed" ? (message.origin ?? null) : null);
    });
    cell.setStale(null);
    ran.add(message.id);
    cell.setStatus(
      status === "done"
        ? `Ran in ${seconds(durationMs)} s.`
        : status === "stopped"
          ? `Stopped after ${seconds(durationMs)} s; what it showed so far is kept.`
          : `Failed: ${message.error ?? "see the error below"}`,
    );
  } else if (message.type === "progress") {
    const cell = view(message.id);
    if (!cell || running.get(message.id) !== message.run) return;
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
