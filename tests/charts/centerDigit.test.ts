import { describe, expect, it } from "vitest";
import { loadDigits } from "../../engine/index.ts";
import { centerDigit } from "../../src/charts/index.ts";

const digits = await loadDigits({ seed: 1 });

// The ink's extent (pixels above 0.05) and centre of mass of a 28 × 28 image.
function measure(pixels: ArrayLike<number>) {
  let [mass, mx, my, left, right, top, bottom] = [0, 0, 0, 28, -1, 28, -1];
  for (let i = 0; i < 784; i++) {
    const [x, y, v] = [i % 28, Math.floor(i / 28), pixels[i]];
    [mass, mx, my] = [mass + v, mx + v * x, my + v * y];
    if (v > 0.05) [left, right, top, bottom] = [Math.min(left, x), Math.max(right, x), Math.min(top, y), Math.max(bottom, y)];
  }
  return { size: Math.max(right - left + 1, bottom - top + 1), cx: mx / mass, cy: my / mass };
}

// How alike two images are: the cosine of the angle between them (1 for the same shape).
function likeness(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let [ab, aa, bb] = [0, 0, 0];
  for (let i = 0; i < a.length; i++) [ab, aa, bb] = [ab + a[i] * b[i], aa + a[i] ** 2, bb + b[i] ** 2];
  return ab / Math.sqrt(aa * bb);
}

// The image moved dx pixels right and dy down, blank where it moved from.
function shifted(pixels: number[], dx: number, dy: number): number[] {
  return pixels.map((_, i) => {
    const [x, y] = [(i % 28) - dx, Math.floor(i / 28) - dy];
    return x < 0 || y < 0 || x >= 28 || y >= 28 ? 0 : pixels[y * 28 + x];
  });
}

// A digit shrunk to half its size (2 × 2 pixels averaged) and put in the top-left corner.
function shrunkIntoCorner(pixels: number[]): number[] {
  const out = new Array(784).fill(0);
  for (let y = 0; y < 14; y++) {
    for (let x = 0; x < 14; x++) {
      const at = (dx: number, dy: number) => pixels[(2 * y + dy) * 28 + 2 * x + dx];
      out[y * 28 + x] = (at(0, 0) + at(1, 0) + at(0, 1) + at(1, 1)) / 4;
    }
  }
  return out;
}

describe("centerDigit(pixels)", () => {
  it("gives the MNIST digits back as they are: already 20 pixels tall or wide, centred", () => {
    // (a digit with a lone speck of ink loses it, and may be scaled a little: left out here)
    const speckled = (d: number[]) =>
      d.some((v, i) => {
        const [x, y] = [i % 28, Math.floor(i / 28)];
        const around = [-1, 0, 1].flatMap((dy) => [-1, 0, 1].map((dx) => [x + dx, y + dy]));
        const ink = (p: number[]) => p[0] >= 0 && p[1] >= 0 && p[0] < 28 && p[1] < 28 && d[p[1] * 28 + p[0]] > 0;
        return v > 0 && around.filter(ink).length === 1;
      });
    const sample = digits.test.x.slice(0, 200).filter((d) => !speckled(d));
    expect(sample.length).toBeGreaterThan(190);
    // equal, but for the faintest pixels (0.05 or less) outside the ink's box, which go
    const equal = (a: number[], b: number[]) => a.every((v, i) => Math.abs(v - b[i]) <= 0.051);
    const moves = sample.map((d) => {
      const out = centerDigit(d);
      const shifts = [0, -1, 1].flatMap((dy) => [0, -1, 1].map((dx) => [dx, dy]));
      return shifts.findIndex(([dx, dy]) => equal(out, shifted(d, dx, dy)));
    });
    // Each comes back pixel for pixel: most in place, a few whose centre of mass is about half
    // a pixel off by one pixel.
    expect(moves.filter((m) => m < 0)).toEqual([]);
    expect(moves.filter((m) => m === 0).length).toBeGreaterThan(180);
  });

  it("scales a digit drawn small in a corner to fit 20 pixels and moves it to the centre", () => {
    const original = digits.test.x[3];
    const cornered = shrunkIntoCorner(original);
    expect(measure(cornered).size).toBeLessThanOrEqual(11);
    const out = centerDigit(cornered);
    const { size, cx, cy } = measure(out);
    expect(size).toBe(20);
    expect(Math.abs(cx - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(cy - 14)).toBeLessThanOrEqual(0.5);
    // The shape survives the trip: far closer to the original than the cornered copy was.
    expect(likeness(out, original)).toBeGreaterThan(0.8);
    expect(likeness(cornered, original)).toBeLessThan(0.3);
  });

  it("leaves out a lone speck of ink, which no pen stroke makes", () => {
    const digit = digits.test.x[3];
    const specked = [...digit];
    specked[27] = 0.64; // the top-right corner, far from the digit
    expect(centerDigit(specked)).toEqual(centerDigit(digit));
    const alone = new Array(784).fill(0);
    alone[14 * 28 + 14] = 1;
    expect(centerDigit(alone)).toEqual(new Array(784).fill(0));
  });

  it("keeps a blank drawing blank, and every value between 0 and 1", () => {
    expect(centerDigit(new Array(784).fill(0))).toEqual(new Array(784).fill(0));
    const loud = digits.test.x[5].map((v) => v * 3 - 0.5); // out of range on both sides
    const out = centerDigit(loud);
    expect(out.every((v) => v >= 0 && v <= 1)).toBe(true);
  });

  it("centerDigit(pixels, { width, height, box }) works on other sizes", () => {
    // a 2 × 2 square of ink in the corner of an 8 × 8 image, scaled to 3 × 3 and centred on
    // pixel (4, 4), as a 28 × 28 digit is on pixel (14, 14)
    const small = new Array(64).fill(0);
    for (const i of [0, 1, 8, 9]) small[i] = 1;
    const out = centerDigit(small, { width: 8, height: 8, box: 3 });
    const inked = out.flatMap((v, i) => (v > 0 ? [[i % 8, Math.floor(i / 8), v]] : []));
    expect(inked).toEqual([3, 4, 5].flatMap((y) => [3, 4, 5].map((x) => [x, y, 1])));
  });

  it("says what it received and what it expects", () => {
    expect(() => centerDigit(new Array(100).fill(0))).toThrow(
      "centerDigit: received 100 pixels; expected width × height = 28 × 28 = 784. " +
        "Pass { width, height } if the drawing has another size.",
    );
    expect(() => centerDigit("ink" as never)).toThrow(
      "centerDigit: received string; expected an array of 784 pixels from 0 to 1, " +
        "such as the value of Inputs.draw()",
    );
    expect(() => centerDigit(new Array(784).fill(0), { box: 30 })).toThrow(
      "centerDigit: received box 30 for a 28 × 28 image; expected at most 28",
    );
  });
});
