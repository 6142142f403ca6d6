/**
 * The worker host: one kernel per chapter page, in a Web Worker, so cell code never runs on the
 * page's main thread. Runs are numbered; Stop asks politely, then a watchdog terminates a worker
 * that does not answer and starts a fresh kernel (a standby worker, pre-started, takes over).
 */
import type { CellNames } from "./deps.ts";
import type { FromWorker, Progress, ToWorker } from "./protocol.ts";

/** How a run ended, as the page shows it. */
export interface RunResult {
  run: number;
  html: string;
  ok: boolean;
  stopped: boolean;
  error?: string;
}

/** Thrown into every pending run when the kernel had to be restarted. */
export class KernelRestarted extends Error {
  constructor() {
    super("The kernel was restarted: this run was stopped before it finished.");
    this.name = "KernelRestarted";
  }
}

/** How long a stopped run may keep the worker busy before it is terminated (ms). */
export const WATCHDOG_MS = 1000;

/** A cell's names as the kernel's analysis found them. */
type Analyzed = CellNames & { error?: string };

interface Pending {
  resolve(result: RunResult): void;
  reject(error: Error): void;
  onProgress?: (progress: Progress) => void;
}

// A worker with its "ready" promise; the worker registers its handler before loading anything.
interface Started {
  worker: Worker;
  ready: Promise<void>;
}

function startWorker(onMessage: (message: FromWorker) => void): Started {
  const worker = new Worker(new URL("./worker.ts", import.meta.url), {
    type: "module",
    name: "cell kernel",
  });
  const ready = new Promise<void>((resolve, reject) => {
    worker.addEventListener("message", (event: MessageEvent<FromWorker>) => {
      if (event.data.type === "ready") resolve();
      else onMessage(event.data);
    });
    worker.addEventListener("error", (event) => {
      reject(new Error(`The kernel worker failed to start: ${event.message || "unknown error"}`));
    });
  });
  return { worker, ready };
}

/** The page's kernel: run, stop, analyze; tells the page when it restarted. */
export class KernelHost {
  #current: Started | null = null;
  #standby: Started | null = null;
  #runs = 0;
  #requests = 0;
  #pending = new Map<number, Pending>();
  #analyses = new Map<number, Pick<Pending, "reject"> & { resolve(cells: Analyzed[]): void }>();
  #watchdogs = new Map<number, ReturnType<typeof setTimeout>>();
  #onRestart: () => void;

  /** `onRestart` is called after a runaway worker was replaced: every variable is gone. */
  constructor(onRestart: () => void) {
    this.#onRestart = onRestart;
  }

  #spawn(): Started {
    const started = startWorker((message) => this.#receive(started, message));
    return started;
  }

  async #kernel(): Promise<Worker> {
    if (!this.#current) this.#current = this.#spawn();
    const current = this.#current;
    await current.ready;
    return current.worker;
  }

  #receive(from: Started, message: FromWorker): void {
    // A late message from a worker that was replaced belongs to nobody.
    if (from !== this.#current) return;
    if (message.type === "analysis") {
      this.#analyses.get(message.request)?.resolve(message.cells);
      this.#analyses.delete(message.request);
    } else if (message.type === "progress") {
      this.#pending.get(message.run)?.onProgress?.(message.progress);
    } else if (message.type === "done") {
      const pending = this.#pending.get(message.run);
      this.#pending.delete(message.run);
      clearTimeout(this.#watchdogs.get(message.run));
      this.#watchdogs.delete(message.run);
      pending?.resolve({ ...message });
    }
  }

  #post(worker: Worker, message: ToWorker): void {
    worker.postMessage(message);
  }

  /** Runs `code` as cell `cellId`; resolves with its sanitizable output, rejects on restart. */
  async run(
    cellId: string,
    code: string,
    onProgress?: (p: Progress) => void,
    width?: number,
  ): Promise<RunResult> {
    const run = ++this.#runs;
    const worker = await this.#kernel();
    const result = new Promise<RunResult>((resolve, reject) => {
      this.#pending.set(run, { resolve, reject, onProgress });
    });
    this.#post(worker, { type: "run", run, cellId, code, width });
    // Keep a second worker warm once the reader has started running code: restarts take ~10 ms.
    if (!this.#standby) this.#standby = this.#spawn();
    return result;
  }

  /** The number the next run will get (the page marks a cell with it before it starts). */
  get lastRun(): number {
    return this.#runs;
  }

  /** Asks every pending run to stop; if the worker stays busy, restarts the kernel. */
  stop(): void {
    const current = this.#current;
    if (!current) return;
    for (const run of this.#pending.keys()) {
      this.#post(current.worker, { type: "stop", run });
      if (!this.#watchdogs.has(run)) {
        this.#watchdogs.set(run, setTimeout(() => this.restart(), WATCHDOG_MS));
      }
    }
  }

  /** Terminates the worker, fails its pending runs, and puts a fresh kernel in its place. */
  restart(): void {
    this.#current?.worker.terminate();
    for (const timer of this.#watchdogs.values()) clearTimeout(timer);
    this.#watchdogs.clear();
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    const analyses = [...this.#analyses.values()];
    this.#analyses.clear();
    for (const analysis of analyses) analysis.reject(new KernelRestarted());
    this.#current = this.#standby ?? this.#spawn();
    this.#standby = this.#spawn();
    for (const run of pending) run.reject(new KernelRestarted());
    this.#onRestart();
  }

  /** What each cell declares and references, found by the kernel core's analysis. */
  async analyze(cells: { id: string; code: string }[]): Promise<Analyzed[]> {
    const request = ++this.#requests;
    const worker = await this.#kernel();
    const answer = new Promise<Analyzed[]>((resolve, reject) => {
      this.#analyses.set(request, { resolve, reject });
    });
    this.#post(worker, { type: "analyze", request, cells });
    return answer;
  }
}
