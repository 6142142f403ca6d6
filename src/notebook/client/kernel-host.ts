/**
 * The worker host: one kernel per chapter page, in a Web Worker, so cell code never runs on the
 * page's main thread; in the built book that worker lives in a sandboxed frame with a process of
 * its own (runner.ts), so a cell that exhausts memory costs the kernel, not the page. The host
 * starts the kernel when first needed (and retries a start that fails), passes messages, and pings
 * the worker while cells run: one that stops answering (it crashed, or is stuck in code that never
 * yields) is ended, and the next message starts a new one. After Stop the bound is shorter: a
 * worker that still answers is given time to finish its step. A kernel whose process died (the
 * runner's heartbeat went silent) is reported as out of memory.
 */
import type { ToWorker } from "./protocol.ts";
import { startKernel, type KernelProcess } from "./runner.ts";

/** How long a worker may stay silent after Stop before it is terminated (ms). */
export const WATCHDOG_MS = 2500;
/** How long a worker running cells may stay silent before it is taken for dead (ms). */
export const SILENT_MS = 8000;
/**
 * How long a stopped cell that still answers pings may take to end (ms). Its output stops changing
 * and it says it stopped at once (notebook.ts): this bounds how long its code may run on unseen.
 */
export const STOP_GRACE_MS = 3000;
/** How many times a worker that fails to start is started again. */
const START_ATTEMPTS = 3;

/**
 * Why the kernel went away: `runaway`, it did not stop when asked; `crashed`, it failed or stopped
 * answering; `out-of-memory`, its process died (what exhausting memory does; see runner.ts);
 * `start-failed`, it could not start at all.
 */
export type LostReason = "runaway" | "crashed" | "out-of-memory" | "start-failed";

/** What the page hears from its kernel. */
export interface HostListener {
  /** A message from the kernel's private channel, still unchecked (see validate.ts). */
  message(message: unknown): void;
  /** The worker is gone: its variables too. `start-failed`: it could not start at all. */
  lost(reason: LostReason, detail: string): void;
}

interface Started {
  kernel: KernelProcess;
  /** The page's end of the kernel's private channel (null until the worker said it is ready). */
  port: MessagePort | null;
  ready: Promise<void>;
  isReady: boolean;
  /** Messages sent before the worker was ready, in order. */
  queue: ToWorker[];
}

/** The page's kernel worker. */
export class KernelHost {
  #current: Started | null = null;
  #listener: HostListener;
  #watch: { id: string | undefined; timer: ReturnType<typeof setTimeout>; since: number } | null =
    null;
  #pings = 0;
  #lastPong = 0;
  #heartbeat: ReturnType<typeof setInterval> | null = null;

  constructor(listener: HostListener) {
    this.#listener = listener;
  }

  /** True once a worker is running (or starting). */
  get started(): boolean {
    return this.#current !== null;
  }

  #spawn(attempt = 1): Started {
    let resolve!: () => void;
    let reject!: (error: Error) => void;
    const ready = new Promise<void>((yes, no) => ((resolve = yes), (reject = no)));
    const started = { port: null, isReady: false, queue: [], ready } as unknown as Started;
    const failed = (detail: string) => {
      started.kernel.end();
      if (attempt < START_ATTEMPTS) {
        // A failed start is tried again: the next one takes its place, with the queue.
        const next = this.#spawn(attempt + 1);
        next.queue.push(...started.queue);
        this.#current = next;
        next.ready.then(resolve, reject);
      } else {
        this.#current = null;
        reject(new Error(`The kernel could not start: ${detail}`));
        this.#listener.lost("start-failed", detail);
      }
    };
    started.kernel = startKernel({
      // The worker holds its end of the private channel: what waited goes now, in order.
      ready: () => {
        if (this.#current !== started) return;
        started.port = started.kernel.port;
        started.isReady = true;
        for (const queued of started.queue.splice(0)) started.port.postMessage(queued);
        resolve();
      },
      error: (detail) => {
        if (this.#current !== started) return;
        if (!started.isReady) failed(detail);
        else this.#lose("crashed", detail);
      },
      gone: (detail) => {
        if (this.#current !== started) return;
        if (!started.isReady) failed(detail);
        else this.#lose("out-of-memory", detail);
      },
    });
    started.kernel.port.addEventListener("message", (message: MessageEvent<unknown>) => {
      if (this.#current !== started) return;
      const kind = (message.data as { type?: unknown } | null)?.type;
      if (kind === "pong") this.#lastPong = performance.now();
      else this.#listener.message(message.data);
    });
    started.kernel.port.start();
    return started;
  }

  /** Sends a message, starting the worker first if there is none (queued until it is ready). */
  send(message: ToWorker): void {
    this.#current ??= this.#spawn();
    this.#current.ready.catch(() => undefined);
    this.#current.kernel.watch();
    if (this.#current.port) this.#current.port.postMessage(message);
    else this.#current.queue.push(message);
  }

  /**
   * Asks a cell (every cell without an id) to stop; if the worker then stays silent for
   * WATCHDOG_MS, or the cell has not ended after STOP_GRACE_MS, the worker is terminated. While
   * the worker is still starting, Stop drops what was waiting to run (and returns true).
   */
  stop(id?: string): boolean {
    const current = this.#current;
    if (!current) return false;
    if (!current.isReady) {
      // Nothing waiting runs; the cells' definitions it carried still go.
      current.queue = current.queue.flatMap((m): ToWorker[] =>
        m.type === "define" ? [m] : m.type === "run" && m.define ? [{ type: "define", ...m.define }] : [],
      );
      return true;
    }
    current.port?.postMessage({ type: "stop", id } satisfies ToWorker);
    this.#watchStop(id);
    return false;
  }

  /** Cells are running (pings go out every second), or none is. */
  busy(running: boolean): void {
    if (!running) {
      if (this.#heartbeat) clearInterval(this.#heartbeat);
      this.#heartbeat = null;
      return;
    }
    if (this.#heartbeat) return;
    this.#lastPong = performance.now();
    this.#heartbeat = setInterval(() => {
      const current = this.#current;
      if (!current?.isReady) return void (this.#lastPong = performance.now());
      current.kernel.watch();
      if (performance.now() - this.#lastPong > SILENT_MS) {
        this.#lose("crashed", `it did not answer for ${SILENT_MS / 1000} s`);
        return;
      }
      current.port?.postMessage({ type: "ping", n: ++this.#pings } satisfies ToWorker);
    }, 1000);
  }

  /** The stopped cell ended: stop watching it. */
  ended(id: string): void {
    if (this.#watch && (this.#watch.id === undefined || this.#watch.id === id)) {
      clearTimeout(this.#watch.timer);
      this.#watch = null;
    }
  }

  #watchStop(id: string | undefined): void {
    if (this.#watch) clearTimeout(this.#watch.timer);
    const since = performance.now();
    this.#lastPong = since;
    const check = () => {
      const now = performance.now();
      const silent = now - this.#lastPong > WATCHDOG_MS;
      if (silent || now - since > STOP_GRACE_MS) {
        this.#watch = null;
        this.#lose("runaway", id ?? "");
        return;
      }
      const current = this.#current;
      current?.port?.postMessage({ type: "ping", n: ++this.#pings } satisfies ToWorker);
      this.#watch = { id, timer: setTimeout(check, 250), since };
    };
    this.#watch = { id, timer: setTimeout(check, 250), since };
  }

  #lose(reason: LostReason, detail: string): void {
    this.#current?.kernel.end();
    this.#current = null;
    if (this.#watch) clearTimeout(this.#watch.timer);
    this.#watch = null;
    this.busy(false);
    this.#listener.lost(reason, detail);
  }

  /** Ends the worker now (the page will start a new one when it needs one). */
  terminate(): void {
    this.#lose("runaway", "");
  }
}
