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
import { originText, outputParts, progressText } from "../render.ts";
import type { KernelEvent, Output } from "../types.ts";
import type { FromWorker, ToWorker } from "./protocol.ts";

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

// Leading edge at once, then at most one message per interval per key, and always the last one.
const throttles = new Map<string, { at: number; timer: ReturnType<typeof setTimeout> | null; send: () => void }>();
function throttle(key: string, every: number, send: () => void, now = false): void {
  let entry = throttles.get(key);
  if (!entry) throttles.set(key, (entry = { at: 0, timer: null, send }));
  entry.send = send;
  const wait = every - (performance.now() - entry.at);
  if (now || wait <= 0) {
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = null;
    entry.at = performance.now();
    send();
  } else {
    entry.timer ??= setTimeout(() => {
      entry.timer = null;
      entry.at = performance.now();
      entry.send();
    }, wait);
  }
}

function cancel(key: string): void {
  const entry = throttles.get(key);
  if (entry?.timer) clearTimeout(entry.timer);
  throttles.delete(key);
}

const chart = progressChart(document, "nbw");

/** The most outputs, and characters of markup, one run shows (a `display()` loop, a huge table). */
const MAX_OUTPUTS = 500;
const MAX_OUTPUT_CHARS = 1_000_000;

// A run's outputs within the caps, with a note saying what was left out.
function cappedParts(outputs: readonly Output[]): ReturnType<typeof outputParts> {
  const parts = outputParts(outputs.slice(0, MAX_OUTPUTS));
  let chars = 0;
  let cut = outputs.length > MAX_OUTPUTS;
  const kept = parts.filter((part) => {
    if (part.kind !== "html") return true;
    chars += part.html.length;
    if (chars > MAX_OUTPUT_CHARS) cut = true;
    return chars <= MAX_OUTPUT_CHARS;
  });
  if (cut) {
    const note =
      `This run showed more than fits (${outputs.length} outputs; at most ${MAX_OUTPUTS}, and ` +
      `${MAX_OUTPUT_CHARS / 1e6} M characters of markup): only the first are shown.`;
    kept.push({ kind: "html", html: `<p class="nb-text nb-stderr">${note}</p>` });
  }
  return kept;
}

async function sendCell(event: Extract<KernelEvent, { type: "cell" }>): Promise<void> {
  const parts = cappedParts(event.outputs);
  for (const part of parts) if (part.kind === "html") part.html = await encodeCanvases(part.html);
  const error = event.outputs.find((o): o is Extract<Output, { kind: "error" }> => o.kind === "error");
  post({
    type: "cell",
    id: event.id,
    run: event.run,
    status: event.status,
    parts,
    reason: event.reason,
    durationMs: event.durationMs,
    error: event.status === "failed" && error ? [error.message, originText(error)].filter(Boolean).join(", ") : undefined,
    origin: event.status === "failed" && error?.origin ? { cell: error.origin.cell, line: error.origin.line } : undefined,
  });
}

function onEvent(event: KernelEvent): void {
  if (event.type === "cell") {
    const key = `cell:${event.id}`;
    if (event.status !== "running") {
      cancel(key);
      cancel(`progress:${event.id}`);
      void sendCell(event);
    } else {
      // A run's start goes out at once; what it shows while running, at most every 50 ms.
      throttle(key, OUTPUTS_EVERY_MS, () => void sendCell(event), event.outputs.length === 0);
    }
  } else if (event.type === "progress") {
    const { id, run, progress } = event;
    throttle(`progress:${id}`, PROGRESS_EVERY_MS, () => {
      const fraction = progress.epochs ? Math.min(1, progress.epoch / progress.epochs) : undefined;
      const html = progress.history.length > 1 ? chart(progress.history, progress.epochs) : undefined;
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
