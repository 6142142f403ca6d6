import { readFile } from "node:fs/promises";
import { afterEach, expect, test } from "vitest";
import { loadDigits } from "../../engine/index.ts";
import { setDigitsUrl } from "../../engine/datasets/digits.ts";

// The notebook's kernel runs in a frame that cannot fetch the site's files: its page hands it the
// digits' bytes, through setDigitsUrl given a function.
const bytes = () => readFile("public/data/digits-v1.bin").then((b) => new Uint8Array(b));

afterEach(() => setDigitsUrl(null));

test("setDigitsUrl(function): the bytes come from the function, asked once, and split as from the file", async () => {
  let asked = 0;
  setDigitsUrl(async () => (asked++, bytes()));
  const [a, b] = await Promise.all([loadDigits({ seed: 1 }), loadDigits({ seed: 1 })]);
  expect(asked).toBe(1);
  expect(a.train.x.length).toBe(8000);
  expect(b.test.y).toEqual(a.test.y);
  setDigitsUrl(null);
  const fromFile = await loadDigits({ seed: 1 });
  expect(fromFile.test.y).toEqual(a.test.y);
  expect(fromFile.train.x[0]).toEqual(a.train.x[0]);
});

test("setDigitsUrl(function): one that fails is asked again next time; bad bytes are named", async () => {
  let calls = 0;
  setDigitsUrl(async () => {
    if (calls++ === 0) throw new Error("the page could not get the digits (HTTP 404)");
    return bytes();
  });
  await expect(loadDigits()).rejects.toThrow(/HTTP 404/);
  expect((await loadDigits()).train.x.length).toBe(8000);
  setDigitsUrl(async () => new Uint8Array([1, 2, 3]));
  await expect(loadDigits()).rejects.toThrow(/is not a digits-v1 asset/);
});
