// Handwritten digits: the 10,000 MNIST digits of public/data/digits-v1.bin, split by seed.
import { rng } from "../rng.ts";

/** One half of the split: `x[i]` is a digit's pixels (row by row, 0..1), `y[i]` its label 0–9. */
export interface DigitSet {
  x: number[][];
  y: number[];
}

/** What {@link loadDigits} resolves to. */
export interface Digits {
  train: DigitSet;
  test: DigitSet;
  /** Image width in pixels (28). */
  width: number;
  /** Image height in pixels (28). */
  height: number;
  /** Number of classes (10). */
  classes: number;
}

/** Options of {@link loadDigits}. */
export interface LoadDigitsOptions {
  /** Seed of the shuffle that splits train from test; the same seed gives the same split. */
  seed?: number;
  /** Share of each digit class held out for testing, strictly between 0 and 1. */
  testFraction?: number;
}

const defaults = { seed: 0, testFraction: 0.2 };
const ASSET = "data/digits-v1.bin";
const HEADER_BYTES = 16;
const CLASSES = 10;

// The asset as decoded bytes, once per address: fetched only when a cell asks for the digits.
interface Decoded {
  width: number;
  height: number;
  labels: Uint8Array;
  pixels: Uint8Array;
}
const cache = new Map<unknown, Promise<Decoded>>();
let digitsUrl: string | URL | (() => Promise<Uint8Array>) | null = null;

/**
 * Tells the loader where the digits asset is served, for a page hosted under a sub-path or a
 * worker whose own address is elsewhere: `setDigitsUrl(new URL("data/digits-v1.bin", base))`.
 * A relative address is resolved against `globalThis.location`; `null` restores the default
 * (`data/digits-v1.bin` beside `location`, or the file in `public/data/` under Node).
 *
 * Or a function that gives the asset's bytes, for a worker that cannot fetch the site's files
 * (the notebook's kernel runs in a frame of opaque origin: its page fetches them and hands them
 * over). It is asked when the digits are first loaded, and again after a load that failed.
 */
export function setDigitsUrl(url: string | URL | (() => Promise<Uint8Array>) | null): void {
  digitsUrl = url;
}

/**
 * Loads the 10,000 handwritten digits (28×28 pixels scaled to 0..1, labels 0–9) and splits them
 * into train and test: each class is shuffled with `rng(seed)` and `testFraction` of it held out.
 * Works in Node (reads `public/data/digits-v1.bin`) and in a browser worker (fetches it).
 *
 * @example
 * const { train, test, width, height } = await loadDigits({ seed: 1 });
 * train.x.length; // 8000
 */
export async function loadDigits(options: LoadDigitsOptions = {}): Promise<Digits> {
  const { seed, testFraction } = { ...defaults, ...options };
  if (!Number.isFinite(seed)) {
    throw new Error(`loadDigits: seed must be a finite number, received ${seed}. Try { seed: 0 }.`);
  }
  if (!(testFraction > 0 && testFraction < 1)) {
    throw new Error(
      `loadDigits: testFraction must be between 0 and 1 (exclusive), received ${testFraction}. ` +
        `Try { testFraction: 0.2 } to hold out a fifth of each digit.`,
    );
  }
  const { width, height, labels, pixels } = await decodedAsset();
  const { train, test } = stratifiedSplit(labels, seed, testFraction);
  const rows = (indices: number[]): DigitSet => ({
    x: indices.map((i) => scaledPixels(pixels, i, width * height)),
    y: indices.map((i) => labels[i]),
  });
  return { train: rows(train), test: rows(test), width, height, classes: CLASSES };
}

// Digit i's bytes as numbers in 0..1: a plain loop, several times faster than Array.from + map.
const byteScale = Array.from({ length: 256 }, (_, b) => b / 255);
function scaledPixels(pixels: Uint8Array, i: number, size: number): number[] {
  const row = new Array<number>(size);
  for (let k = 0, offset = i * size; k < size; k++) row[k] = byteScale[pixels[offset + k]];
  return row;
}

// Per class: shuffle, hold out testFraction; then shuffle each half so classes are mixed.
function stratifiedSplit(labels: Uint8Array, seed: number, testFraction: number) {
  const random = rng(seed);
  const byClass: number[][] = Array.from({ length: CLASSES }, () => []);
  labels.forEach((label, i) => byClass[label].push(i));
  const train: number[] = [];
  const test: number[] = [];
  for (const members of byClass) {
    random.shuffle(members);
    const held = Math.round(members.length * testFraction);
    test.push(...members.slice(0, held));
    train.push(...members.slice(held));
  }
  random.shuffle(train);
  random.shuffle(test);
  return { train, test };
}

function decodedAsset(): Promise<Decoded> {
  const url = typeof digitsUrl === "function" ? null : assetUrl();
  const key = typeof digitsUrl === "function" ? digitsUrl : url === null ? "node:" + ASSET : url.href;
  let pending = cache.get(key);
  if (!pending) {
    const read = typeof key === "function" ? key() : readAsset(url);
    pending = read.then((bytes) => decode(bytes, typeof key === "string" ? key : "the bytes given to setDigitsUrl"));
    // A failed load is not cached, so a later call can retry (e.g. after setDigitsUrl).
    pending.catch(() => cache.delete(key));
    cache.set(key, pending);
  }
  return pending;
}

// Where to fetch from: the address set by setDigitsUrl, else beside location; null means Node.
function assetUrl(): URL | null {
  const base = (globalThis as { location?: { href?: string } }).location?.href;
  const url = (digitsUrl as string | URL | null) ?? (base ? ASSET : null);
  if (url === null) return null;
  try {
    return new URL(url, base);
  } catch {
    throw new Error(
      `loadDigits: cannot resolve the digits address "${url}" (there is no page address to ` +
        `resolve it against). Pass an absolute URL to setDigitsUrl, e.g. ` +
        `setDigitsUrl(new URL("data/digits-v1.bin", location.origin + "/book/")).`,
    );
  }
}

async function readAsset(url: URL | null): Promise<Uint8Array> {
  if (url === null || url.protocol === "file:") {
    // Kept out of browser bundles: only reached where there is no page address, i.e. in Node.
    const [fsModule, urlModule] = ["node:fs/promises", "node:url"];
    const { readFile } = (await import(/* @vite-ignore */ fsModule)) as {
      readFile(path: URL): Promise<Uint8Array>;
    };
    const { pathToFileURL } = (await import(/* @vite-ignore */ urlModule)) as {
      pathToFileURL(path: string): URL;
    };
    const places = url ? [url] : assetFiles(pathToFileURL);
    for (const file of places) {
      try {
        return new Uint8Array(await readFile(file));
      } catch (error) {
        if (url || (error as { code?: string }).code !== "ENOENT") {
          throw new Error(
            `loadDigits: cannot read ${file.href} (${(error as Error).message}). ` +
              `Build the asset with "node_modules/.bin/node scripts/make-digits.ts".`,
          );
        }
      }
    }
    const looked = places.map((file) => file.pathname).join(", ");
    throw new Error(
      `loadDigits: found no public/${ASSET} (looked for ${looked}). Build it with ` +
        `"node_modules/.bin/node scripts/make-digits.ts" in the project, or call ` +
        `setDigitsUrl(url) with its address.`,
    );
  }
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new Error(
      `loadDigits: could not fetch ${url.href} (${(error as Error).message}). ` +
        `Check that the site serves data/digits-v1.bin, or tell the loader where it is with ` +
        `setDigitsUrl(url).`,
    );
  }
  if (!response.ok) {
    throw new Error(
      `loadDigits: fetching ${url.href} answered HTTP ${response.status}. The asset lives in ` +
        `public/data/digits-v1.bin; if the book is hosted under a sub-path, call ` +
        `setDigitsUrl(url) with its address.`,
    );
  }
  return new Uint8Array(await response.arrayBuffer());
}

// Header (see scripts/make-digits.ts), then a gzip payload: labels, then pixels.
async function decode(bytes: Uint8Array, source: string): Promise<Decoded> {
  const fail = (what: string): never => {
    throw new Error(
      `loadDigits: ${source} is not a digits-v1 asset (${what}). ` +
        `Rebuild it with "node_modules/.bin/node scripts/make-digits.ts".`,
    );
  };
  if (bytes.length < HEADER_BYTES) fail(`${bytes.length} bytes, expected a 16-byte header`);
  const header = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = String.fromCharCode(...bytes.subarray(0, 4));
  if (magic !== "DGTS") fail(`starts with ${JSON.stringify(magic)}, expected "DGTS"`);
  if (bytes[4] !== 1 || bytes[5] !== 1) fail(`version ${bytes[4]}, compression ${bytes[5]}`);
  const width = bytes[6];
  const height = bytes[7];
  const count = header.getUint32(8, true);
  const length = header.getUint32(12, true);
  if (bytes.length !== HEADER_BYTES + length) {
    fail(`${bytes.length} bytes, header promises ${HEADER_BYTES + length}`);
  }
  const payload = await gunzip(bytes.subarray(HEADER_BYTES));
  if (payload.length !== count * (1 + width * height)) {
    fail(`payload of ${payload.length} bytes, expected ${count * (1 + width * height)}`);
  }
  return { width, height, labels: payload.subarray(0, count), pixels: payload.subarray(count) };
}

// Where public/ may be under Node: beside every folder above this module (it sits in
// engine/datasets/, or in a bundle a build wrote elsewhere), then in the working directory.
function assetFiles(pathToFileURL: (path: string) => URL): URL[] {
  // A variable base keeps bundlers from copying the asset into the bundle (public/ serves it).
  const here = import.meta.url;
  const files: URL[] = [];
  for (let dir = new URL(".", here); ; dir = new URL("..", dir)) {
    files.push(new URL(`public/${ASSET}`, dir));
    if (dir.pathname === "/") break;
  }
  const cwd = (globalThis as { process?: { cwd?(): string } }).process?.cwd?.();
  if (cwd) files.push(new URL(`public/${ASSET}`, pathToFileURL(`${cwd}/`)));
  return files;
}

// DecompressionStream exists in browsers, workers and Node ≥ 18: no library needed.
async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
