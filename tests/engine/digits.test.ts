import { createServer, type Server } from "node:http";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { transform } from "sucrase";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import {
  MLP,
  accuracy,
  getBackend,
  loadDigits,
  setDigitsUrl,
  train,
} from "../../engine/index.ts";
import { withTab } from "../support/browser.ts";
import { describeNeeding } from "../support/suites.ts";

const assetFile = new URL("../../public/data/digits-v1.bin", import.meta.url);

// A page whose module worker loads the digits, as a chapter's cell does in the browser.
const page = `<!doctype html><title>digits</title><script type="module">
  window.loadInWorker = (url) => new Promise((resolve) => {
    const worker = new Worker("/book/_astro/digits-worker.js", { type: "module" });
    worker.onmessage = (event) => resolve(event.data);
    worker.postMessage(url);
  });
</script>`;
const worker = `import { loadDigits, setDigitsUrl } from "/book/engine/datasets/digits.ts";
self.onmessage = async (event) => {
  setDigitsUrl(event.data);
  try {
    const { train, test } = await loadDigits({ seed: 3 });
    postMessage({ sizes: [train.x.length, test.x.length], labels: test.y, pixels: train.x[17] });
  } catch (error) {
    postMessage({ error: error.message });
  }
};`;
const engineDir = new URL("../../engine/", import.meta.url);

// A static host serving the asset under a sub-path, as an instructor would host the book.
let server: Server;
let origin = "";
const requests: string[] = [];
beforeAll(async () => {
  const asset = await readFile(assetFile);
  server = createServer(async (request, response) => {
    const url = request.url ?? "";
    requests.push(url);
    // No keep-alive: a reused socket the server is closing can fail a fetch on a busy machine.
    response.setHeader("connection", "close");
    const js = { "content-type": "text/javascript" };
    if (url === "/book/data/digits-v1.bin") response.end(asset);
    else if (url === "/book/") response.writeHead(200, { "content-type": "text/html" }).end(page);
    else if (url === "/book/_astro/digits-worker.js") response.writeHead(200, js).end(worker);
    else if (/^\/book\/engine\/[\w/-]+\.ts$/.test(url)) {
      // The engine's TypeScript, types stripped, as the site's bundler would ship it.
      const source = await readFile(new URL(url.slice("/book/engine/".length), engineDir), "utf8");
      response.writeHead(200, js).end(transform(source, { transforms: ["typescript"] }).code);
    } else response.writeHead(404).end("not found");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("server has no port");
  origin = `http://127.0.0.1:${address.port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
afterEach(() => {
  setDigitsUrl(null);
  delete (globalThis as { location?: unknown }).location;
});

describe("loadDigits", () => {
  test("loadDigits() gives 8,000 train and 2,000 test digits, 28×28 pixels in 0..1", async () => {
    const digits = await loadDigits();
    expect([digits.width, digits.height, digits.classes]).toEqual([28, 28, 10]);
    expect([digits.train.x.length, digits.train.y.length]).toEqual([8000, 8000]);
    expect([digits.test.x.length, digits.test.y.length]).toEqual([2000, 2000]);
    for (const { x, y } of [digits.train, digits.test]) {
      expect(x.every((pixels) => pixels.length === 784)).toBe(true);
      expect(y.every((label) => Number.isInteger(label) && label >= 0 && label <= 9)).toBe(true);
      // Every pixel in 0..1, with both blank paper (0) and full ink (1) present.
      let [low, high, outside] = [Infinity, -Infinity, 0];
      for (const pixels of x) {
        for (const v of pixels) {
          if (!(v >= 0 && v <= 1)) outside++;
          low = Math.min(low, v);
          high = Math.max(high, v);
        }
      }
      expect([outside, low, high]).toEqual([0, 0, 1]);
    }
  });

  test("loadDigits({ testFraction }) holds out that share of every class", async () => {
    const { train, test: held } = await loadDigits({ testFraction: 0.1 });
    // Rounded per class, so the total is within a few digits of a tenth.
    expect(Math.abs(held.x.length - 1000)).toBeLessThanOrEqual(5);
    const count = (y: number[], label: number) => y.filter((l) => l === label).length;
    for (let label = 0; label < 10; label++) {
      const all = count(train.y, label) + count(held.y, label);
      expect(count(held.y, label)).toBe(Math.round(all * 0.1));
    }
  });

  test("loadDigits({ seed }) splits alike for one seed, differently for another", async () => {
    const a = await loadDigits({ seed: 7 });
    const b = await loadDigits({ seed: 7 });
    const c = await loadDigits({ seed: 8 });
    expect(b.test.y).toEqual(a.test.y);
    expect(b.test.x[0]).toEqual(a.test.x[0]);
    expect(c.test.y).not.toEqual(a.test.y);
    // Train and test never share a digit (the 10,000 images are all distinct).
    const key = (pixels: number[]) => pixels.join(",");
    const trainKeys = new Set(a.train.x.map(key));
    expect(trainKeys.size).toBe(8000);
    expect(a.test.x.filter((pixels) => trainKeys.has(key(pixels)))).toEqual([]);
    // The train half is shuffled across classes, not grouped by label.
    expect(new Set(a.train.y.slice(0, 50)).size).toBeGreaterThan(5);
  });

  test("loadDigits rejects a testFraction outside (0, 1) with a fix", async () => {
    await expect(loadDigits({ testFraction: 1 })).rejects.toThrow(
      "loadDigits: testFraction must be between 0 and 1 (exclusive), received 1. " +
        "Try { testFraction: 0.2 } to hold out a fifth of each digit.",
    );
    await expect(loadDigits({ seed: Number.NaN })).rejects.toThrow(
      "loadDigits: seed must be a finite number, received NaN. Try { seed: 0 }.",
    );
  });
});

describe("public/data/digits-v1.bin", () => {
  test("the asset holds 10,000 digits in at most 2 MB", async () => {
    const asset = await readFile(assetFile);
    expect(asset.length).toBeLessThanOrEqual(2_000_000);
    expect(asset.subarray(0, 4).toString("latin1")).toBe("DGTS");
    expect(asset.readUInt32LE(8)).toBe(10_000);
  });
});

describe("loadDigits under Node", () => {
  test("a bundle written outside the project finds public/ from the working dir", async () => {
    // As `astro build` does: the loader's code lands in a chunk far from engine/datasets/.
    const dir = await mkdtemp(join(tmpdir(), "digits-bundle-"));
    try {
      const strip = async (file: string) =>
        transform(await readFile(new URL(file, engineDir), "utf8"), { transforms: ["typescript"] })
          .code;
      const loader = (await strip("datasets/digits.ts")).replace('"../rng.ts"', '"./rng.mjs"');
      await writeFile(join(dir, "rng.mjs"), await strip("rng.ts"));
      await writeFile(join(dir, "digits.mjs"), loader);
      const bundled = await import(/* @vite-ignore */ pathToFileURL(join(dir, "digits.mjs")).href);
      const digits = await bundled.loadDigits({ seed: 5 });
      expect(digits.test.y).toEqual((await loadDigits({ seed: 5 })).test.y);
    } finally {
      await rm(dir, { recursive: true });
    }
  });
});

describe("setDigitsUrl", () => {
  test("setDigitsUrl(url) fetches the asset from a host under a sub-path", async () => {
    setDigitsUrl(`${origin}/book/data/digits-v1.bin`);
    const fetched = await loadDigits({ seed: 3 });
    setDigitsUrl(null);
    const read = await loadDigits({ seed: 3 });
    expect(requests).toContain("/book/data/digits-v1.bin");
    expect(fetched.test.y).toEqual(read.test.y);
    expect(fetched.train.x[17]).toEqual(read.train.x[17]);
  });

  test("loadDigits() resolves data/digits-v1.bin against location when there is one", async () => {
    (globalThis as { location?: unknown }).location = { href: `${origin}/book/chapters/08/` };
    await expect(loadDigits()).rejects.toThrow(
      `loadDigits: fetching ${origin}/book/chapters/08/data/digits-v1.bin answered HTTP 404.`,
    );
    // A relative address set by the page is resolved against location too.
    setDigitsUrl("/book/data/digits-v1.bin");
    const digits = await loadDigits();
    expect(digits.train.x.length).toBe(8000);
  });

  test("a missing asset names the address and says how to fix it", async () => {
    setDigitsUrl(`${origin}/elsewhere/digits-v1.bin`);
    await expect(loadDigits()).rejects.toThrow(
      `loadDigits: fetching ${origin}/elsewhere/digits-v1.bin answered HTTP 404. ` +
        "The asset lives in public/data/digits-v1.bin; if the book is hosted under a sub-path, " +
        "call setDigitsUrl(url) with its address.",
    );
    const missing = new URL("../../public/data/no-such-file.bin", import.meta.url);
    setDigitsUrl(missing);
    await expect(loadDigits()).rejects.toThrow(`loadDigits: cannot read ${missing.href} (`);
  });

  test("a file that is not a digits asset is refused, naming it", async () => {
    const notAsset = new URL("../../package.json", import.meta.url);
    setDigitsUrl(notAsset);
    await expect(loadDigits()).rejects.toThrow(
      `loadDigits: ${notAsset.href} is not a digits-v1 asset (starts with "{\\n  ", ` +
        `expected "DGTS"). Rebuild it with "node_modules/.bin/node scripts/make-digits.ts".`,
    );
  });
});

describeNeeding(["chromium"], "loadDigits in a browser worker", () => {
  test("a module worker told setDigitsUrl(url) loads the same split as Node", async () => {
    await withTab(`${origin}/book/`, async (tab, errors) => {
      type Loaded = { sizes: number[]; labels: number[]; pixels: number[]; error?: string };
      type Page = { loadInWorker(url: string | null): Promise<Loaded> };
      const load = (url: string | null) =>
        tab.evaluate((u) => (window as unknown as Page).loadInWorker(u), url);
      const inNode = await loadDigits({ seed: 3 });
      const loaded = await load(`${origin}/book/data/digits-v1.bin`);
      expect(loaded.error).toBeUndefined();
      expect(loaded.sizes).toEqual([8000, 2000]);
      expect(loaded.labels).toEqual(inNode.test.y);
      expect(loaded.pixels).toEqual(inNode.train.x[17]);
      // Without it, the worker looks beside its own script, and says where it looked.
      const lost = await load(null);
      expect(lost.error).toContain(
        `loadDigits: fetching ${origin}/book/_astro/data/digits-v1.bin answered HTTP 404.`,
      );
      expect(errors).toEqual([]);
    });
  });
});

describe("train on the digits", () => {
  test("train(new MLP([784, 128, 10]), digits.train) reaches 95% test accuracy", async () => {
    const { train: digits, test: held } = await loadDigits({ seed: 0 });
    // The stopping epoch is chosen on a validation split carved from the training digits;
    // the test digits are scored once, at the end.
    const split = 7000;
    const data = { x: digits.x.slice(0, split), y: digits.y.slice(0, split) };
    const validation = { x: digits.x.slice(split), y: digits.y.slice(split) };
    const net = new MLP([784, 128, 10], { activation: "relu", output: "identity", seed: 1 });
    // 15 epochs (the fast path makes them cheap); after each, score the validation digits and
    // keep the weights of the best epoch so far.
    const scores: number[] = [];
    let best = { epoch: 0, accuracy: 0, weights: [] as Float64Array[] };
    const result = await train(net, data, {
      loss: "softmax-ce",
      optimizer: "momentum",
      lr: 0.05,
      batchSize: 32,
      epochs: 15,
      seed: 2,
      onProgress({ epoch, batch, batches }) {
        if (batch < batches) return;
        scores.push(accuracy(net.forward(validation.x), validation.y));
        if (scores.at(-1)! > best.accuracy) {
          const weights = net.parameters().map((p) => Float64Array.from(p.data));
          best = { epoch, accuracy: scores.at(-1)!, weights };
        }
      },
    });
    net.parameters().forEach((p, i) => p.data.set(best.weights[i]));
    const testAccuracy = accuracy(net.forward(held.x), held.y);
    const speed = `${Math.round(result.samplesPerSecond)} samples/s, ${getBackend()}`;
    console.log(
      `digits: validation accuracy ${scores.map((a) => a.toFixed(3)).join(", ")} after each ` +
        `epoch; kept epoch ${best.epoch}; test accuracy ${testAccuracy.toFixed(4)}; ` +
        `${result.seconds.toFixed(1)} s of training (${speed})`,
    );
    expect(result.diverged).toBe(false);
    expect(testAccuracy).toBeGreaterThanOrEqual(0.95);
  }, 240_000);
});
