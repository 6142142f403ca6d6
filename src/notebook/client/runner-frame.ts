/**
 * The runner frame's document: the `srcdoc` of the sandboxed iframe the kernel worker runs in
 * (see runner.ts). It holds one script, which waits for the page's one "init" message (the
 * kernel's script as a Blob and three ports), starts the worker from a blob: URL made here, hands
 * the worker its two ports once it says "ready", and answers the page's heartbeat. It forwards
 * nothing from the worker: whatever a cell posts on the worker's global channel stops here (said
 * once on the console).
 *
 * The frame inherits the page's content security policy (a srcdoc document does), which allows
 * this script by its hash (src/csp.ts adds RUNNER_SCRIPT's to every page), and adds its own,
 * stricter one: the frame and the worker it starts load nothing and connect nowhere.
 *
 * Plain strings, imported by src/csp.ts at build time too: erasable TypeScript only, no imports.
 */

/** The frame's script, exactly as it runs (its SHA-256 is in the page's policy). */
export const RUNNER_SCRIPT = `"use strict";
addEventListener("message", function init(event) {
  var data = event.data;
  if (event.source !== parent || !data || data.t !== "init" || event.ports.length !== 3) return;
  removeEventListener("message", init);
  var control = event.ports[0], channel = event.ports[1], assets = event.ports[2];
  var say = function (message) { control.postMessage(message); };
  var ready = false, worker, url;
  control.onmessage = function (message) {
    var asked = message.data;
    if (asked && asked.t === "ping") say({ t: "pong", n: asked.n });
  };
  try {
    url = URL.createObjectURL(new Blob([data.script], { type: "text/javascript" }));
    worker = new Worker(url, { name: "cell kernel" });
  } catch (error) {
    say({ t: "error", message: String((error && error.message) || error) });
    return;
  }
  var stray = 0;
  worker.onmessage = function (message) {
    var said = message.data;
    if (ready || !said || said.type !== "ready") {
      if (stray++ === 0) console.debug("A cell posted a message to the page outside the kernel's channel; it is ignored.", said);
      return;
    }
    ready = true;
    URL.revokeObjectURL(url);
    worker.postMessage({ type: "connect" }, [channel, assets]);
    say({ t: "ready" });
  };
  worker.onerror = function (error) {
    error.preventDefault();
    say({ t: "error", message: error.message || "the kernel's script did not load" });
  };
});
`;

/**
 * The frame's own policy, on top of the page's it inherits: no fetch, image or font from anywhere,
 * the worker from a blob: URL only. Inline script passes here and is held to its hash by the
 * page's policy; `eval` and WebAssembly are the kernel's (it runs cells with them).
 */
export const RUNNER_POLICY =
  "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval' 'wasm-unsafe-eval'; worker-src blob:";

/** The frame's whole document. */
export const RUNNER_SRCDOC =
  `<!doctype html><html><head><meta charset="utf-8">` +
  `<meta http-equiv="content-security-policy" content="${RUNNER_POLICY}">` +
  `<title>cell kernel</title><script>${RUNNER_SCRIPT}</script></head><body></body></html>`;
