/**
 * The kernel worker: the chapter's cells run here, off the page's main thread, in the kernel core
 * shared with the build (src/notebook/kernel.ts). Outputs go back as HTML for the page to sanitize;
 * progress streams as a bar, a line of numbers and a live loss chart at most every 100 ms.
 */
// First: the document and `window` Plot expects when it loads.
import { document, encodeCanvases } from "./worker-dom.ts";
import * as Plot from "@observablehq/plot";
import * as engine from "../../../engine/index.ts";
import * as charts from "../../charts/index.ts";
import { createKernel } from "../kernel.ts";
import { renderOutputs } from "../render.ts";
import type { KernelEvent, Output, ProgressPoint } from "../types.ts";
import type { FromWorker, Progress, ToWorker } from "./protocol.ts";

const scope = self as unknown as {
  postMessage(message: FromWorker): void;
  addEventListener(type: "message", listener: (event: MessageEvent<ToWorker>) => void): void;
};

/** How often, at most, a run's progress is sent to the page (ms). */
const PROGRESS_EVERY_MS = 100;

// The digits asset sits under the site's base path, wherever the book is hosted.
engine.setDigitsUrl(new URL(`${import.meta.env.BASE_URL}data/digits-v1.bin`, self.location.origin));

// The same names cells import at build time (src/notebook/node-host.ts), prefixed apart from it.
const kernel = createKernel({
  modules: { engine: { ...engine }, charts: { ...charts }, "@observablehq/plot": { ...Plot } },
  document,
  idPrefix: "nbw",
});
const controllers = new Map<number, AbortController>();

function post(message: FromWorker): void {
  scope.postMessage(message);
}

// The live chart: loss (and accuracy) by epoch so far, drawn with the same Plot as the cells.
function liveChart(points: ProgressPoint[], epochs: number | null, width = 640): string {
  const rows = points.flatMap((p) => [
    { epoch: p.epoch, value: p.loss, series: "loss" },
    ...(p.accuracy === null ? [] : [{ epoch: p.epoch, value: p.accuracy, series: "accuracy" }]),
  ]);
  return Plot.plot({
    document,
    width: Math.max(280, Math.min(640, width)),
    height: 180,
    marginLeft: 44,
    x: { label: "epoch", domain: epochs ? [0, epochs] : undefined },
    y: { label: "loss / accuracy", grid: true },
    color: { legend: true, domain: ["loss", "accuracy"] },
    marks: [Plot.line(rows, { x: "epoch", y: "value", stroke: "series" })],
    ariaLabel: "Live chart of the loss and accuracy by epoch",
  }).outerHTML;
}

type ProgressOutput = Extract<Output, { kind: "progress" }>;

function describe(p: ProgressOutput, width?: number): Progress {
  const parts = [`epoch ${p.epoch}${p.epochs ? `/${p.epochs}` : ""}`, `loss ${p.loss.toFixed(4)}`];
  if (p.accuracy !== null) parts.push(`accuracy ${(p.accuracy * 100).toFixed(1)}%`);
  const fraction = p.epochs ? Math.min(1, p.epoch / p.epochs) : undefined;
  return { text: parts.join(" · "), fraction, html: liveChart(p.history, p.epochs, width) };
}

async function run(runId: number, cellId: string, code: string, width?: number): Promise<void> {
  const controller = new AbortController();
  controllers.set(runId, controller);
  let latest: ProgressOutput | null = null;
  let sentAt = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const send = () => {
    timer = null;
    sentAt = performance.now();
    if (latest) post({ type: "progress", run: runId, progress: describe(latest, width) });
  };
  try {
    const result = await kernel.run(
      { id: cellId, source: code },
      {
        signal: controller.signal,
        onEvent(event: KernelEvent) {
          if (event.type !== "progress") return;
          latest = event.progress;
          // Leading edge at once, then at most one message per interval (and the last one).
          const wait = PROGRESS_EVERY_MS - (performance.now() - sentAt);
          if (wait <= 0) send();
          else timer ??= setTimeout(send, wait);
        },
      },
    );
    if (timer) clearTimeout(timer);
    const error = result.outputs.find(
      (output): output is Extract<Output, { kind: "error" }> => output.kind === "error",
    );
    post({
      type: "done",
      run: runId,
      html: await encodeCanvases(renderOutputs(result.outputs)),
      ok: result.ok,
      stopped: result.stopped,
      error: result.ok ? undefined : error?.message,
    });
  } catch (error) {
    // The kernel turns cell errors into outputs; reaching here is a fault of the worker itself.
    const message = error instanceof Error ? error.message : String(error);
    post({ type: "done", run: runId, html: "", ok: false, stopped: false, error: message });
  } finally {
    controllers.delete(runId);
  }
}

scope.addEventListener("message", (event) => {
  const message = event.data;
  if (message.type === "run") void run(message.run, message.cellId, message.code, message.width);
  else if (message.type === "stop") controllers.get(message.run)?.abort();
  else if (message.type === "analyze") {
    const cells = message.cells.map(({ id, code }) => {
      const { declares, references, error } = kernel.analyze(code);
      return { id, declares, references, error: error?.message };
    });
    post({ type: "analysis", request: message.request, cells });
  }
});

post({ type: "ready" });
