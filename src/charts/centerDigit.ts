// A drawing made ready for a digit network: scaled and centred as the MNIST digits were.

/** Options of {@link centerDigit}. */
export type CenterDigitOptions = {
  /** Pixels per row of the image (and of the result). Default 28. */
  width?: number;
  /** Rows of the image (and of the result). Default 28. */
  height?: number;
  /** The side of the square the ink is scaled to fit, in pixels. Default 20, as in MNIST. */
  box?: number;
  /** Pixels at or below this much ink count as paper when the ink's extent is measured. */
  threshold?: number;
};

const defaults = { width: 28, height: 28, box: 20, threshold: 0.05 } as const;

/**
 * Scales and centres a drawing the way the MNIST digits were prepared: the ink's bounding box is
 * scaled (keeping its proportions) until its longer side is `box` pixels, then the image is moved
 * so that the ink's centre of mass sits at the centre of the field (pixel 14, 14 of 28). A lone
 * speck of ink, with no ink in the eight pixels around it, is left out: a pen's stroke is wider
 * than that. A blank image comes back blank. Pixels go from 0 (paper) to 1 (ink), row by row,
 * `width × height` of them.
 *
 * @example
 * const ready = centerDigit(drawing); // 784 numbers, like digits.test.x[0]
 * net.predict([ready]);
 */
export function centerDigit(pixels: ArrayLike<number>, options: CenterDigitOptions = {}): number[] {
  const { width, height, box, threshold } = { ...defaults, ...options };
  check(pixels, width, height, box);
  const raw = (x: number, y: number) =>
    x < 0 || y < 0 || x >= width || y >= height ? 0 : clamp(pixels[y * width + x]);
  // A lone speck (ink with no ink around it) is no stroke: a pen is wider than one pixel.
  const lone = (x: number, y: number) =>
    [-1, 0, 1].every((dy) =>
      [-1, 0, 1].every((dx) => (dx === 0 && dy === 0) || raw(x + dx, y + dy) === 0),
    );
  const at = (x: number, y: number) => (lone(x, y) ? 0 : raw(x, y));

  // The ink's extent.
  let [left, top, right, bottom] = [width, height, -1, -1];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (at(x, y) <= threshold) continue;
      [left, right] = [Math.min(left, x), Math.max(right, x)];
      [top, bottom] = [Math.min(top, y), Math.max(bottom, y)];
    }
  }
  if (right < 0) return new Array(width * height).fill(0);

  // Scale the ink's box to fit `box` pixels: each new pixel is the mean of the source's area it
  // covers (an exact copy when nothing is scaled).
  const scale = box / Math.max(right - left + 1, bottom - top + 1);
  const w = Math.max(1, Math.round((right - left + 1) * scale));
  const h = Math.max(1, Math.round((bottom - top + 1) * scale));
  const columns = coverage(left, w, scale);
  const rows = coverage(top, h, scale);
  const scaled = new Float64Array(w * h);
  rows.forEach((rowParts, y) => {
    columns.forEach((columnParts, x) => {
      let sum = 0;
      for (const [j, wy] of rowParts) for (const [i, wx] of columnParts) sum += wx * wy * at(i, j);
      scaled[y * w + x] = sum;
    });
  });

  // Move the ink's centre of mass to the centre of the field (whole pixels).
  let [mass, mx, my] = [0, 0, 0];
  scaled.forEach((v, i) => {
    mass += v;
    mx += v * (i % w);
    my += v * Math.floor(i / w);
  });
  const dx = Math.round(width / 2 - mx / mass);
  const dy = Math.round(height / 2 - my / mass);
  const out = new Array(width * height).fill(0);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const [ox, oy] = [x + dx, y + dy];
      if (ox < 0 || oy < 0 || ox >= width || oy >= height) continue;
      out[oy * width + ox] = Math.round(clamp(scaled[y * w + x]) * 1000) / 1000;
    }
  }
  return out;
}

function clamp(v: number): number {
  return Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0;
}

// For each of `count` new pixels from `start`, the source pixels it covers and their shares
// (which add up to 1): new pixel k covers source [start + k / scale, start + (k + 1) / scale).
function coverage(start: number, count: number, scale: number): [number, number][][] {
  return Array.from({ length: count }, (_, k) => {
    const [from, to] = [start + k / scale, start + (k + 1) / scale];
    const parts: [number, number][] = [];
    for (let i = Math.floor(from); i < to; i++) {
      const overlap = Math.min(to, i + 1) - Math.max(from, i);
      if (overlap > 1e-9) parts.push([i, overlap * scale]);
    }
    return parts;
  });
}

function check(pixels: ArrayLike<number>, width: number, height: number, box: number): void {
  for (const [name, n] of [["width", width], ["height", height], ["box", box]] as const) {
    if (!Number.isInteger(n) || n < 1) {
      throw new TypeError(
        `centerDigit: received ${name} ${JSON.stringify(n)}; expected a whole number ≥ 1 ` +
          "(the image is 28 × 28 pixels and the ink fits 20, as in MNIST)",
      );
    }
  }
  if (box > Math.min(width, height)) {
    throw new RangeError(
      `centerDigit: received box ${box} for a ${width} × ${height} image; expected at most ` +
        `${Math.min(width, height)}, so that the scaled ink fits the image`,
    );
  }
  const length = (pixels as { length?: unknown } | null)?.length;
  if (typeof length !== "number" || (!Array.isArray(pixels) && !ArrayBuffer.isView(pixels))) {
    throw new TypeError(
      `centerDigit: received ${pixels === null ? "null" : typeof pixels}; expected an array of ` +
        `${width * height} pixels from 0 to 1, such as the value of Inputs.draw()`,
    );
  }
  if (length !== width * height) {
    throw new RangeError(
      `centerDigit: received ${length} pixels; expected width × height = ${width} × ${height} = ` +
        `${width * height}. Pass { width, height } if the drawing has another size.`,
    );
  }
}
