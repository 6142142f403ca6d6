/**
 * The kernel worker: the chapter's cells run here, off the page's main thread, in the kernel core
 * shared with the build (src/notebook/kernel.ts), with every control live. What they show goes
 * back as parts (markup for the page to sanitize, controls as data); a run's interim outputs,
 * progress and training steps at most every 50–100 ms, its end at once.
 */
// First: the document and `window` Plot expects when it loads.
import { document, encodeCanvases } from "./worker-dom.ts";
import * as Plot from "@observablehq/plot";
import * as engine from "../../../engine/index.ts";
import * as charts from "../../charts/index.ts";
import * as exercise from "../check.ts";
import { createKernel } from "../kernel.ts";
import { progressChart } from "../progress-chart.ts";
import { originText, progressText } from "../render.ts";
import type { KernelEvent, Output } from "../types.ts";
import { nextDelta, outbox, type Outbox } from "./outbox.ts";
import { CAPS, countTags, type FromWorker, type ToWorker } from "./protocol.ts";

// The kernel's private channel to the page: a MessagePort the page hands over once, before any
// cell runs (from the runner frame the worker lives in, or from the page itself under the dev
// server), with a second port on which the page serves the one asset the engine loads. Cell code
// shares this global scope, so what the kernel uses is captured here first, and nothing that
// reaches the ports is left where a cell can find it: a cell's postMessage() goes to the worker's
// global channel, which the frame (or the page) ignores, and `onmessage` hears nothing.
const bind = Function.prototype.bind;
const apply = Reflect.apply;
const dataOf = Object.getOwnPropertyDescriptor(MessageEvent.prototype, "data")!.get!;
const portsOf = Object.getOwnPropertyDescriptor(MessageEvent.prototype, "ports")!.get!;
const portPost = MessagePort.prototype.postMessage;
let send: ((message: FromWorker) => void) | null = null;
/** Messages the kernel sent before the page connected (none in practice: it connects at once). */
const early: FromWorker[] = [];
let onMessage: (message: ToWorker) => void = () => undefined;
let askAsset: ((message: { type: "digits" }) => void) | null = null;
/** Who waits for the digits' bytes from the page. */
const awaiting: { resolve(bytes: Uint8Array): void; reject(error: Error): void }[] = [];

function connect(event: MessageEvent): void {
  const [port, assets] = apply(portsOf, event, []) as readonly MessagePort[];
  if (send || !port || !assets || (apply(dataOf, event, []) as { type?: unknown } | null)?.type !== "connect") return;
  self.removeEventListener("message", connect);
  send = apply(bind, portPost, [port]) as (message: FromWorker) => void;
  port.onmessage = (message: MessageEvent) => onMessage(apply(dataOf, message, []) as ToWorker);
  askAsset = apply(bind, portPost, [assets]) as (message: { type: "digits" }) => void;
  assets.onmessage = (message: MessageEvent) => {
    const answer = apply(dataOf, message, []) as { bytes?: ArrayBuffer; error?: string };
    for (const waiting of awaiting.splice(0)) {
      if (answer.bytes) waiting.resolve(new Uint8Array(answer.bytes));
      else waiting.reject(new Error(`loadDigits: the page could not get the digits (${answer.error}).`));
    }
  };
  for (const message of early.splice(0)) send(message);
}
self.addEventListener("message", connect);

// The digits' bytes come from the page, which fetches the asset at the path it knows: the worker
// may sit in a frame of opaque origin that can fetch none of the site's files.
engine.setDigitsUrl(
  () =>
    new Promise<Uint8Array>((resolve, reject) => {
      if (!askAsset) return reject(new Error("loadDigits: the kernel is not connected to its page yet."));
      awaiting.push({ resolve, reject });
      if (awaiting.length === 1) askAsset({ type: "digits" });
    }),
);

// A cell may not start workers of its own (from the site's kernel script, say): they would run
// outside the page's watch. The constructors are gone from this scope before any cell runs.
for (const name of ["Worker", "SharedWorker"]) {
  Object.defineProperty(self, name, { value: undefined, writable: false, configurable: false });
}

/** How often, at most, a running cell's interim outputs and progress are sent (ms). */
const OUTPUTS_EVERY_MS = 50;
const PROGRESS_EVERY_MS = 100;

function post(message: FromWorker): void {
  if (send) send(message);
  else early.push(message);
}

// The clock and timers the throttle uses, taken before any cell runs: a cell that replaces
// performance.now or setTimeout does not make its outputs go out faster.
const clock = performance.now.bind(performance);
const later = setTimeout;
const unlater = clearTimeout;

// Leading edge at once, then at most one message per interval per key, and always the last one.
// A send due when the next event comes goes out then, from inside the cell's own code: a loop that
// never yields still shows what it displays, every 50 ms.
const throttles = new Map<string, { at: number; timer: ReturnType<typeof setTimeout> | null; send: () => void }>();
function throttle(key: string, every: number, send: () => void, now = false): void {
  let entry = throttles.get(key);
  if (!entry) throttles.set(key, (entry = { at: 0, timer: null, send }));
  entry.send = send;
  const wait = every - (clock() - entry.at);
  if (now || wait <= 0) {
    if (entry.timer) unlater(entry.timer);
    entry.timer = null;
    entry.at = clock();
    send();
  } else {
    entry.timer ??= later(() => {
      entry.timer = null;
      entry.at = clock();
      entry.send();
    }, wait);
  }
}

function cancel(key: string): void {
  const entry = throttles.get(key);
  if (entry?.timer) unlater(entry.timer);
  throttles.delete(key);
}

const chart = progressChart(document, "nbw");

// What each cell's newest run has sent (outbox.ts), and the sends waiting for canvases to encode.
const boxes = new Map<string, Outbox>();
const queues = new Map<string, Promise<void>>();
/** Outputs already looked at for canvas tokens. */
const scanned = new WeakSet<Output>();

// Canvases drawn for outputs not sent yet become PNGs (in one call: it forgets what it drew after).
async function encodeAll(outputs: Extract<Output, { kind: "html" }>[]): Promise<void> {
  const seam = `\u0000nb-seam-${clock()}-${outputs.length}\u0000`;
  const pieces = (await encodeCanvases(outputs.map((o) => o.html).join(seam))).split(seam);
  if (pieces.length === outputs.length) outputs.forEach((o, i) => (o.html = pieces[i]));
}

function unencoded(outputs: readonly Output[]): Extract<Output, { kind: "html" }>[] {
  const found: Extract<Output, { kind: "html" }>[] = [];
  // Outputs past the cap of a run are never sent.
  for (const output of outputs.slice(0, CAPS.parts)) {
    if (scanned.has(output)) continue;
    scanned.add(output);
    if (output.kind === "html" && output.html.includes("nb-canvas-")) found.push(output);
  }
  return found;
}

function postDelta(event: Extract<KernelEvent, { type: "cell" }>, final: boolean): void {
  let box = boxes.get(event.id);
  if (!box) boxes.set(event.id, (box = outbox()));
  const delta = nextDelta(box, event.run, event.outputs, final);
  if (!delta) return;
  const failed = event.status === "failed";
  const error = failed ? event.outputs.find((o): o is Extract<Output, { kind: "error" }> => o.kind === "error") : undefined;
  post({
    type: "cell",
    id: event.id,
    run: event.run,
    status: event.status,
    ...delta,
    reason: event.reason,
    durationMs: event.durationMs,
    error: event.status === "failed" && error ? [error.message, originText(error)].filter(Boolean).join(", ") : undefined,
    origin: event.status === "failed" && error?.origin ? { cell: error.origin.cell, line: error.origin.line } : undefined,
  });
}

// Sent at once when nothing needs encoding; in order behind a send that is still encoding.
function sendCell(event: Extract<KernelEvent, { type: "cell" }>, final: boolean): void {
  const go = (): Promise<void> | void => {
    const pending = unencoded(event.outputs);
    if (pending.length === 0) return postDelta(event, final);
    return encodeAll(pending).then(() => postDelta(event, final));
  };
  const queued = queues.get(event.id);
  const done = queued ? queued.then(go) : go();
  if (!done) return;
  const tail = done.catch(() => undefined).then(() => {
    if (queues.get(event.id) === tail) queues.delete(event.id);
  });
  queues.set(event.id, tail);
}

function onEvent(event: KernelEvent): void {
  if (event.type === "cell") {
    const key = `cell:${event.id}`;
    if (event.status !== "running") {
      cancel(key);
      cancel(`progress:${event.id}`);
      sendCell(event, true);
    } else {
      // A run's start goes out at once; what it shows while running, at most every 50 ms.
      throttle(key, OUTPUTS_EVERY_MS, () => sendCell(event, false), event.outputs.length === 0);
    }
  } else if (event.type === "progress") {
    const { id, run, progress } = event;
    throttle(`progress:${id}`, PROGRESS_EVERY_MS, () => {
      const fraction = progress.epochs ? Math.min(1, progress.epoch / progress.epochs) : undefined;
      const drawn = progress.history.length > 1 ? chart(progress.history, progress.epochs) : undefined;
      // A chart over the caps of one output is left out: the bar and the line of numbers still go.
      const fits = drawn && drawn.length <= CAPS.partChars && countTags(drawn, CAPS.partTags) <= CAPS.partTags;
      const html = fits ? drawn : undefined;
      post({ type: "progress", id, run, progress: { text: progressText(progress), fraction, html } });
    });
  } else {
    throttle(`training:${event.key}`, PROGRESS_EVERY_MS, () =>
      post({ type: "training", key: event.key, status: event.status }),
    );
  }
}

// The same names cells import at build time (src/notebook/node-host.ts), prefixed apart from it.
const kernel = createKernel({
  modules: {
    engine: { ...engine },
    charts: { ...charts },
    "@observablehq/plot": { ...Plot },
    exercise: { ...exercise },
  },
  document,
  idPrefix: "nbw",
  live: true,
  onEvent,
  progressChart: chart,
});

onMessage = (message) => {
  switch (message.type) {
    case "define": {
      const cells = kernel.define(
        message.cells.map(({ id, code }) => ({ id, source: code })),
        message.inputs,
      );
      post({ type: "defined", cells });
      break;
    }
    case "run":
      if (message.define) {
        const { cells, inputs } = message.define;
        post({ type: "defined", cells: kernel.define(cells.map(({ id, code }) => ({ id, source: code })), inputs) });
      }
      kernel.run(message.ids);
      break;
    case "input":
      kernel.input(message.key, message.value);
      break;
    case "control":
      kernel.control(message.key, message.command);
      break;
    case "stop":
      kernel.stop(message.id);
      break;
    case "clear-runs":
      kernel.clearRuns(message.id);
      break;
    case "ping":
      post({ type: "pong", n: message.n });
      break;
  }
};

// Code a cell left behind (a timer, an unawaited promise) that throws: said, and the kernel lives.
self.addEventListener("error", (event) => {
  event.preventDefault();
  post({ type: "stray", message: String(event.message || event.error) });
});
self.addEventListener("unhandledrejection", (event) => {
  event.preventDefault();
  const reason = event.reason as { message?: string } | undefined;
  post({ type: "stray", message: String(reason?.message ?? reason) });
});

// Said on the global channel, once: the page answers with the private port.
self.postMessage({ type: "ready" } satisfies FromWorker);
