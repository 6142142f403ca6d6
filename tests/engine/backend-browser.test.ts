import { createServer, type Server } from "node:http";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { MLP, datasets, setBackend, train } from "../../engine/index.ts";
import { withTab } from "../support/browser.ts";

// The engine in a module Web Worker bundled by Vite, as the site's kernel worker is
// (src/notebook/client/worker.ts imports engine/index.ts): the WebAssembly kernels travel inside
// the bundle, and the page is served from one local origin under a sub-path.
const engine = fileURLToPath(new URL("../../engine/index.ts", import.meta.url));
const spiral = { n: 200, seed: 1 };
const names = "MLP, datasets, getBackend, setBackend, train";
const worker = `import { ${names} } from ${JSON.stringify(engine)};
self.onmessage = async () => {
  const weights = {};
  for (const backend of ["wasm", "typescript"]) {
    setBackend(backend);
    const net = new MLP([2, 16, 16, 1], { activation: "tanh", output: "sigmoid", seed: 1 });
    await train(net, datasets.spiral(${JSON.stringify(spiral)}), { epochs: 5, batchSize: 64 });
    weights[backend] = net.parameters().flatMap((p) => Array.from(p.data));
  }
  setBackend("auto");
  postMessage({ backend: getBackend(), weights });
};`;
const main = `window.trainInWorker = () => new Promise((resolve, reject) => {
  const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
  worker.onmessage = (event) => resolve(event.data);
  worker.onerror = (event) => reject(new Error(event.message));
  worker.postMessage("train");
});`;

let dir = "";
let server: Server;
let origin = "";
const requests: string[] = [];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "engine-worker-"));
  await writeFile(join(dir, "worker.ts"), worker);
  await writeFile(join(dir, "main.ts"), main);
  await writeFile(
    join(dir, "index.html"),
    '<!doctype html><title>engine</title><script type="module" src="./main.ts"></script>',
  );
  await build({
    root: dir,
    base: "/book/",
    configFile: false,
    logLevel: "silent",
    worker: { format: "es" },
    build: { outDir: join(dir, "dist"), emptyOutDir: true, minify: true },
  });
  const types: Record<string, string> = { ".html": "text/html", ".js": "text/javascript" };
  server = createServer(async (request, response) => {
    const url = request.url ?? "";
    requests.push(url);
    response.setHeader("connection", "close");
    const path = url === "/book/" ? "index.html" : url.slice("/book/".length);
    try {
      const body = await readFile(join(dir, "dist", path));
      const type = types[extname(path)] ?? "application/octet-stream";
      response.writeHead(200, { "content-type": type });
      response.end(body);
    } catch {
      response.writeHead(404).end("not found");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("server has no port");
  origin = `http://127.0.0.1:${address.port}`;
}, 120_000);
afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  if (dir) await rm(dir, { recursive: true });
});

describe("the engine in a browser worker bundled by Vite", () => {
  test("runs the WebAssembly backend: the same weights as TypeScript, and as Node", async () => {
    const inNode: Record<string, number[]> = {};
    for (const backend of ["wasm", "typescript"] as const) {
      setBackend(backend);
      const net = new MLP([2, 16, 16, 1], { activation: "tanh", output: "sigmoid", seed: 1 });
      await train(net, datasets.spiral(spiral), { epochs: 5, batchSize: 64 });
      inNode[backend] = net.parameters().flatMap((p) => Array.from(p.data));
    }
    setBackend("auto");
    await withTab(`${origin}/book/`, async (tab, errors) => {
      type Trained = { backend: string; weights: Record<string, number[]> };
      const trained = await tab.evaluate(
        () => (window as unknown as { trainInWorker(): Promise<Trained> }).trainInWorker(),
      );
      expect(trained.backend).toBe("wasm");
      // identical on both backends, in the browser as in Node
      expect(trained.weights.wasm).toEqual(trained.weights.typescript);
      expect(inNode.wasm).toEqual(inNode.typescript);
      // and as in Node up to the last digits (the browser's Math.tanh and Math.exp may round
      // differently from Node's)
      expect(trained.weights.wasm).toHaveLength(inNode.wasm.length);
      trained.weights.wasm.forEach((w, i) => expect(w).toBeCloseTo(inNode.wasm[i], 12));
      expect(errors).toEqual([]);
      // everything came from the one origin, and no .wasm file was fetched: it is in the bundle
      expect(requests.some((url) => url.endsWith(".wasm"))).toBe(false);
    });
  }, 120_000);
});
