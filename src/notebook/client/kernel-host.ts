/**
 * The worker host: one kernel per chapter page, in a Web Worker, so cell code never runs on the
 * page's main thread. It starts the worker when first needed (and retries a start that fails),
 * passes messages, and pings the worker while cells run: one that stops answering (it crashed, or
 * is stuck in code that never yields) is terminated, and the next message starts a new one. After
 * Stop the bound is shorter: a worker that still answers is given time to finish its step.
 */
import type { ToWorker } from "./protocol.ts";
import workerUrl from "./worker.ts?worker&url";

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

/** Why the kernel went away. */
export type LostReason = "runaway" | "crashed" | "start-failed";

/** What the page hears from its kernel. */
export interface HostListener {
  /** A message from the kernel's private channel, still unchecked (see validate.ts). */
  message(message: unknown): void;
  /** The worker is gone: its variables too. `start-failed`: it could not start at all. */
  lost(reason: LostReason, detail: string): void;
}

interface Started {
  worker: Worker;
  /** The page's end of the kernel's private channel (null until the worker said it is ready). */
  port: MessagePort | null;
  ready: Promise<void>;
  isReady: boolean;
  /** Messages sent before the worker was ready, in order. */
  queue: ToWorker[];
}

// What reached the page by the worker's global postMessage after the kernel connected: cell code
// calling postMessage(). Never acted on; counted, and said once on the console.
let stray = 0;
function dropGlobal(data: unknown): void {
  if (stray++ === 0) {
    console.debug("A cell posted a message to the page outside the kernel's channel; it is ignored.", data);
  }
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
    // Started from a blob: URL, the worker takes the page's content security policy (a worker
    // from the site's own URL would take only its response's headers, which a static host may not
    // set): a cell's code can then reach no other host. The blob just imports the real worker.
    const source = `import ${JSON.stringify(new URL(workerUrl, location.href).href)};`;
    const blob = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
    const worker = new Worker(blob, { type: "module", name: "cell kernel" });
    const started: Started = {
      worker,
      port: null,
      isReady: false,
      queue: [],
      ready: new Promise<void>((resolve, reject) => {
        // The worker says "ready" once, on its global channel, before any cell code can run; the
        // page then hands it one end of a MessageChannel, and talks over that alone from then on.
        // Whatever else comes on the global channel is cell code's, and is dropped.
        worker.addEventListener("message", (event: MessageEvent<unknown>) => {
          if (this.#current !== started) return;
          const data = event.data as { type?: unknown } | null;
          if (started.port || data?.type !== "ready") return dropGlobal(data);
          const channel = new MessageChannel();
          started.port = channel.port1;
          channel.port1.addEventListener("message", (message: MessageEvent<unknown>) => {
            if (this.#current !== started) return;
            const kind = (message.data as { type?: unknown } | null)?.type;
            if (kind === "pong") this.#lastPong = performance.now();
            else this.#listener.message(message.data);
          });
          channel.port1.start();
          worker.postMessage({ type: "connect" }, [channel.port2]);
          started.isReady = true;
          for (const queued of started.queue.splice(0)) channel.port1.postMessage(queued);
          resolve();
        });
        worker.addEventListener("error", (event) => {
          if (this.#current !== started) return;
          event.preventDefault?.();
          const detail = event.message || "unknown error";
          if (!started.isReady) {
            worker.terminate();
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
            return;
          }
          this.#lose("crashed", detail);
        });
      }),
    };
    return started;
  }

  /** Sends a message, starting the worker first if there is none (queued until it is ready). */
  send(message: ToWorker): void {
    this.#current ??= this.#spawn();
    this.#current.ready.catch(() => undefined);
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
    this.#current?.worker.terminate();
    this.#current?.port?.close();
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
