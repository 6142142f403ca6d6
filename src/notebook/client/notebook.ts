/**
 * The notebook controller: runs cells one at a time in the page's kernel, first the earlier cells
 * they need, then marks (or re-runs) the later cells that read what they declare. Loaded on the
 * first Run, with the worker host and the sanitizer.
 */
import { dependents, prerequisites, type CellNames } from "./deps.ts";
import { KernelHost, KernelRestarted } from "./kernel-host.ts";
import { announce, autoRun } from "./page.ts";
import type { Progress } from "./protocol.ts";
import { sanitizeHtml } from "./sanitize.ts";

/** Where a cell is in its run. */
export type RunState = "idle" | "queued" | "running";

/** What the controller needs from a cell element. */
export interface CellView extends HTMLElement {
  readonly cellId: string;
  code(): string;
  setState(state: RunState): void;
  showProgress(progress: Progress, chart: DocumentFragment | null): void;
  showOutput(output: DocumentFragment, status: string): void;
  setStale(reason: string | null): void;
  setStatus(text: string): void;
}

const host = new KernelHost(restarted);
/** Cells that ran in the current kernel: their names exist there. */
const ran = new Set<string>();
/** The newest request per cell; an older run's result is dropped. */
const latest = new Map<string, number>();
let tickets = 0;
/** Bumped by Stop: queued work from before it is skipped. */
let generation = 0;
let running: { cell: CellView; ticket: number } | null = null;
let queue: Promise<void> = Promise.resolve();

function cells(): CellView[] {
  return [...document.querySelectorAll<CellView>("nb-cell")];
}

function enqueue(job: () => Promise<void>): void {
  queue = queue.then(job).catch((error: unknown) => {
    // A restart already told the reader what happened.
    if (error instanceof KernelRestarted) return;
    announce(`Something went wrong while running cells: ${(error as Error).message}`);
  });
}

async function analyze(all: CellView[]): Promise<CellNames[]> {
  return host.analyze(all.map((cell) => ({ id: cell.cellId, code: cell.code() })));
}

// Runs one cell now (the queue guarantees nothing else runs); false if it failed or was stopped.
async function execute(cell: CellView, ticket: number): Promise<boolean> {
  cell.setState("running");
  running = { cell, ticket };
  const started = performance.now();
  try {
    const onProgress = (progress: Progress) => {
      if (latest.get(cell.cellId) !== ticket) return;
      cell.showProgress(progress, progress.html ? sanitizeHtml(progress.html) : null);
    };
    const result = await host.run(cell.cellId, cell.code(), onProgress, cell.clientWidth);
    if (latest.get(cell.cellId) !== ticket) return false;
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    const status = result.stopped
      ? `Stopped after ${seconds} s; what it computed so far is kept.`
      : result.ok
        ? `Ran in ${seconds} s.`
        : `Failed: ${result.error ?? "see the error below"}`;
    cell.showOutput(sanitizeHtml(result.html), status);
    if (result.ok) ran.add(cell.cellId);
    return result.ok && !result.stopped;
  } catch (error) {
    if (!(error instanceof KernelRestarted)) throw error;
    cell.setStatus("Stopped: it did not answer Stop in time, so the kernel was restarted.");
    return false;
  } finally {
    if (running?.ticket === ticket) running = null;
    cell.setState("idle");
  }
}

// After `index` ran again, the later cells reading its names are out of date.
async function afterRun(all: CellView[], names: CellNames[], index: number, ticket: number) {
  const later = dependents(names, index).map((j) => all[j]);
  const source = all[index].cellId;
  for (const cell of later) {
    cell.setStale(`Out of date: it uses names from cell "${source}", which ran again.`);
  }
  if (!autoRun()) return;
  for (const cell of later) {
    latest.set(cell.cellId, ticket);
    if (!(await execute(cell, ticket))) break;
  }
}

/** Runs `cell`, first running the earlier cells it needs that have not run in this kernel. */
export function run(cell: CellView): void {
  const ticket = ++tickets;
  latest.set(cell.cellId, ticket);
  // Re-running a cell signals its old run to stop.
  if (running?.cell === cell) host.stop();
  const mine = generation;
  cell.setState("queued");
  enqueue(async () => {
    if (mine !== generation || latest.get(cell.cellId) !== ticket) {
      if (latest.get(cell.cellId) === ticket) cell.setState("idle");
      return;
    }
    const all = cells();
    const names = await analyze(all);
    const index = all.indexOf(cell);
    for (const j of prerequisites(names, index, ran)) {
      if (mine !== generation) return cell.setState("idle");
      latest.set(all[j].cellId, ticket);
      if (!(await execute(all[j], ticket))) {
        cell.setState("idle");
        cell.setStale(`Not run: cell "${all[j].cellId}", which it needs, did not finish.`);
        return;
      }
    }
    if (mine !== generation) return cell.setState("idle");
    if (await execute(cell, ticket)) await afterRun(all, names, index, ticket);
  });
}

/** Runs every cell of the chapter, in order; Stop ends the chain. */
export function runAll(): void {
  const mine = generation;
  const all = cells();
  const ticket = ++tickets;
  for (const cell of all) {
    latest.set(cell.cellId, ticket);
    cell.setState("queued");
  }
  enqueue(async () => {
    for (const cell of all) {
      if (mine !== generation) break;
      if (!(await execute(cell, ticket)) && mine !== generation) break;
    }
    for (const cell of all) if (latest.get(cell.cellId) === ticket) cell.setState("idle");
  });
  announce("Running every cell of this chapter, in order.");
}

/** Stops `cell` (and everything queued): asks politely, and the watchdog restarts the kernel. */
export function stop(cell: CellView): void {
  generation++;
  for (const other of cells()) if (other !== running?.cell) other.setState("idle");
  if (running) host.stop();
  else cell.setState("idle");
}

// The watchdog replaced a worker that ignored Stop: every name is gone.
function restarted(): void {
  const lost = [...ran];
  ran.clear();
  const culprit = running?.cell.cellId;
  for (const cell of cells()) {
    if (lost.includes(cell.cellId)) {
      cell.setStale("The kernel restarted: run this cell again to rebuild what it declared.");
    }
  }
  const again = lost.length > 0 ? ` Run again: ${lost.map((id) => `"${id}"`).join(", ")}.` : "";
  announce(
    `Cell "${culprit ?? "?"}" did not stop, so the kernel was restarted and its variables ` +
      `are gone.${again}`,
  );
}
