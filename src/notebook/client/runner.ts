/**
 * Where the kernel worker runs, and how the page learns it is gone.
 *
 * In the built book it runs inside a sandboxed iframe (`sandbox="allow-scripts"`, never
 * `allow-same-origin`), which Chromium puts in a renderer process of its own: a cell that exhausts
 * memory kills that process only, and the page, its outputs and the reader's edits stay. Nothing
 * fires when that process dies, so the page pings the frame's main thread (not the worker, which
 * may be busy for seconds) and takes lasting silence for death. The frame has an opaque origin:
 * it can fetch none of the site's files, so the page fetches the kernel's script (one classic
 * file) and hands it over as a Blob, and serves the one asset the engine loads (the digits) over a
 * port of its own. See runner-frame.ts for the frame's side, and src/notebook/README.md ("The
 * trust boundary") for why.
 *
 * Under `npm run dev` the worker is a module graph the dev server serves, which a frame of opaque
 * origin cannot load (no CORS): there the worker runs in the page directly, as it did before, and
 * the console says once that memory exhaustion then takes the tab with it.
 */
import { RUNNER_SRCDOC } from "./runner-frame.ts";
import workerUrl from "./worker.ts?worker&url";

/** How often the page pings the runner frame while the kernel is in use (ms). */
export const PING_MS = 100;
/** How often it pings an idle kernel (ms): a cell's leftover timer can still exhaust memory. */
export const IDLE_PING_MS = 1000;
/** How long the frame may stay silent, over at least GONE_PINGS pings, before it is taken for dead (ms). */
export const GONE_MS = 1000;
const GONE_PINGS = 3;
/** How long after the last message or running cell the pings stay frequent (ms). */
const CLOSE_WATCH_MS = 3000;
/** The most times one kernel is sent the digits (it keeps them; more is a cell's game). */
const MAX_ASSET_ANSWERS = 16;

/** What a kernel's process tells its host. */
export interface KernelEvents {
  /** The worker is up and holds its end of the private channel. */
  ready(): void;
  /** The worker (or its script) failed: before ready, a failed start. */
  error(detail: string): void;
  /** The kernel's process went silent and was taken for dead (most likely: out of memory). */
  gone(detail: string): void;
}

/** A kernel worker, wherever it runs. */
export interface KernelProcess {
  /**
   * The page's end of the kernel's private channel. What is posted before the worker is ready
   * waits in the channel; messages that arrive are unchecked (see validate.ts).
   */
  readonly port: MessagePort;
  /** True when it runs in a process of its own (the runner frame). */
  readonly isolated: boolean;
  /** The kernel is in use: watch it closely for a while. */
  watch(): void;
  /** Ends the worker (and its frame); nothing is heard from it after this. */
  end(): void;
}

/** Starts a kernel: in the runner frame in the built book, directly in the page under the dev server. */
export function startKernel(events: KernelEvents): KernelProcess {
  if (import.meta.env.DEV) return directKernel(events);
  return isolatedKernel(events);
}

// ---- the assets the engine asks the page for ---------------------------------------------------

// The digits asset, fetched once per page, at the one path the page knows (a cell names nothing).
const DIGITS_PATH = `${import.meta.env.BASE_URL}data/digits-v1.bin`;
let digits: Promise<ArrayBuffer> | null = null;

function digitsBytes(): Promise<ArrayBuffer> {
  if (!digits) {
    const url = new URL(DIGITS_PATH, location.href);
    digits = fetch(url).then((response) => {
      if (!response.ok) throw new Error(`fetching ${url.pathname} answered HTTP ${response.status}`);
      return response.arrayBuffer();
    });
    // A failed fetch is tried again at the next request.
    digits.catch(() => (digits = null));
  }
  return digits;
}

// Whatever the worker asks on this port, the answer is the digits' bytes (or why not): the request
// carries nothing the page reads. One request at a time; a kernel keeps what it got.
function serveAssets(port: MessagePort): void {
  let answered = 0;
  let pending = false;
  port.onmessage = () => {
    if (pending || answered >= MAX_ASSET_ANSWERS) return;
    pending = true;
    answered++;
    digitsBytes().then(
      (bytes) => {
        const copy = bytes.slice(0);
        port.postMessage({ type: "digits", bytes: copy }, [copy]);
      },
      (error: Error) => port.postMessage({ type: "digits", error: error.message }),
    ).finally(() => (pending = false));
  };
}

// ---- the runner frame (the built book) ---------------------------------------------------------

// The kernel's script, fetched once per page by the page (the frame could not: opaque origin).
let script: Promise<Blob> | null = null;

function kernelScript(): Promise<Blob> {
  if (!script) {
    const url = new URL(workerUrl, location.href);
    script = fetch(url).then(async (response) => {
      if (!response.ok) throw new Error(`fetching the kernel's script answered HTTP ${response.status}`);
      return response.blob();
    });
    script.catch(() => (script = null));
  }
  return script;
}

function runnerFrame(): HTMLIFrameElement {
  const frame = document.createElement("iframe");
  // Scripts only: no same-origin (which would put it back in the page's process), no forms,
  // popups, navigation of the page, or storage of the site's.
  frame.setAttribute("sandbox", "allow-scripts");
  frame.className = "nb-runner";
  frame.title = "The cells' kernel (runs the code of the cells; nothing to see)";
  frame.hidden = true;
  frame.setAttribute("aria-hidden", "true");
  frame.tabIndex = -1;
  frame.srcdoc = RUNNER_SRCDOC;
  return frame;
}

function isolatedKernel(events: KernelEvents): KernelProcess {
  const channel = new MessageChannel();
  const control = new MessageChannel();
  const assets = new MessageChannel();
  serveAssets(assets.port1);
  const frame = runnerFrame();
  let ended = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastPong = 0;
  let unanswered = 0;
  let closeUntil = 0;
  const end = () => {
    ended = true;
    clearTimeout(timer);
    frame.remove();
    for (const port of [channel.port1, control.port1, assets.port1]) port.close();
  };
  // The heartbeat: the frame's main thread answers at once, however busy the worker is.
  const tick = () => {
    if (ended) return;
    const now = performance.now();
    if (unanswered >= GONE_PINGS && now - lastPong > GONE_MS) {
      end();
      events.gone(`its process did not answer for ${((now - lastPong) / 1000).toFixed(1)} s`);
      return;
    }
    unanswered++;
    control.port1.postMessage({ t: "ping" });
    timer = setTimeout(tick, now < closeUntil ? PING_MS : IDLE_PING_MS);
  };
  control.port1.onmessage = (message: MessageEvent<{ t?: unknown; message?: unknown } | null>) => {
    if (ended) return;
    const said = message.data;
    if (said?.t === "pong") {
      lastPong = performance.now();
      unanswered = 0;
    } else if (said?.t === "ready") events.ready();
    else if (said?.t === "error") events.error(String(said.message).slice(0, 300));
  };
  const loaded = new Promise((resolve) => frame.addEventListener("load", resolve, { once: true }));
  document.body.append(frame);
  Promise.all([kernelScript(), loaded]).then(
    ([blob]) => {
      if (ended) return;
      // An opaque origin has no name to address it by: "*", to this frame's window only.
      frame.contentWindow?.postMessage({ t: "init", script: blob }, "*", [control.port2, channel.port2, assets.port2]);
      lastPong = performance.now();
      closeUntil = lastPong + CLOSE_WATCH_MS;
      tick();
    },
    (error: Error) => {
      if (!ended) events.error(error.message);
    },
  );
  return {
    port: channel.port1,
    isolated: true,
    watch() {
      const wasIdle = performance.now() >= closeUntil;
      closeUntil = performance.now() + CLOSE_WATCH_MS;
      // From the idle pace to the close one now, not after the idle wait.
      if (wasIdle && timer !== undefined && !ended) {
        clearTimeout(timer);
        timer = setTimeout(tick, PING_MS);
      }
    },
    end,
  };
}

// ---- directly in the page (the dev server) -----------------------------------------------------

// What reached the page by the worker's global postMessage after the kernel connected: cell code
// calling postMessage(). Never acted on; counted, and said once on the console.
let stray = 0;
function dropGlobal(data: unknown): void {
  if (stray++ === 0) {
    console.debug("A cell posted a message to the page outside the kernel's channel; it is ignored.", data);
  }
}

let told = false;

function directKernel(events: KernelEvents): KernelProcess {
  if (!told) {
    told = true;
    console.info(
      "Dev server: the cells' kernel runs as a worker of this page, not in its own process (the " +
        "runner frame cannot load the dev server's modules). A cell that exhausts memory crashes " +
        "this tab here; in the built book only the kernel goes.",
    );
  }
  const channel = new MessageChannel();
  const assets = new MessageChannel();
  serveAssets(assets.port1);
  // Started from a blob: URL, the worker takes the page's content security policy. The blob just
  // imports the real worker (a module graph under the dev server).
  const source = `import ${JSON.stringify(new URL(workerUrl, location.href).href)};`;
  const blob = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
  const worker = new Worker(blob, { type: "module", name: "cell kernel" });
  let ready = false;
  let ended = false;
  // The worker says "ready" once, on its global channel, before any cell code can run; it is
  // then handed its ports, and talks over them alone. The rest of the global channel is dropped.
  worker.addEventListener("message", (event: MessageEvent<{ type?: unknown } | null>) => {
    if (ended) return;
    if (ready || event.data?.type !== "ready") return dropGlobal(event.data);
    ready = true;
    worker.postMessage({ type: "connect" }, [channel.port2, assets.port2]);
    events.ready();
  });
  worker.addEventListener("error", (event) => {
    if (ended) return;
    event.preventDefault?.();
    events.error(event.message || "unknown error");
  });
  return {
    port: channel.port1,
    isolated: false,
    watch() {},
    end() {
      ended = true;
      worker.terminate();
      channel.port1.close();
      assets.port1.close();
    },
  };
}
