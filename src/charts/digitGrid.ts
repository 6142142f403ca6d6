// Small images (handwritten digits) in a grid, each with its label and the model's prediction.
import * as Plot from "@observablehq/plot";
import { listing } from "./format.ts";
import { labelled, type ChartSpec } from "./spec.ts";
import { chartStyle, legibleFontSize, palette } from "./theme.ts";

/** Options of {@link digitGrid}. */
export type DigitGridOptions = {
  /** The images: pixels from 0 (blank) to 1 (ink), row by row, width × height each. */
  images: number[][];
  /** Pixels per row of an image. */
  width: number;
  /** Rows of an image. */
  height: number;
  /** The true digit of each image, printed under it. */
  labels?: number[];
  /** The model's guess for each image; a wrong guess is printed in red with a ✗ and framed. */
  predictions?: number[];
  /** Images per row of the grid. Default: up to 6 (5 when that fills the rows evenly). */
  columns?: number;
};

const tile = 64; // px per image side at full size
const gap = 0.35; // space between images, in image widths
const levels = 5; // ink shades drawn

/**
 * A grid of small greyscale images drawn as ink in the text colour (so they read on both
 * themes), each with "label", "label ✓" or "label→guess ✗" under it, in type that stays legible on a phone.
 */
export function digitGrid(options: DigitGridOptions): ChartSpec {
  const { images, width, height, labels, predictions } = checkDigits(options);
  const count = images.length;
  const columns = options.columns ?? defaultColumns(count);
  if (!Number.isInteger(columns) || columns < 1) {
    throw new RangeError(
      `digitGrid: invalid columns ${JSON.stringify(columns)} (expected a whole number ≥ 1)`,
    );
  }
  const rows = Math.ceil(count / columns);
  const scale = tile / Math.max(width, height); // chart px per image pixel
  const cellW = width * (1 + gap);
  // captions stay at least 9px when the whole grid shrinks to a phone's column
  const fontSize = legibleFontSize(Math.round((columns * cellW - width * gap) * scale) + 8);
  const cellH = height * (1 + gap) + (fontSize + 4) / scale; // room for the caption line
  const tiles = images.map((pixels, k) => {
    const x = (k % columns) * cellW;
    const y = Math.floor(k / columns) * cellH;
    const label = labels?.[k];
    const guess = predictions?.[k];
    const wrong = label !== undefined && guess !== undefined && label !== guess;
    const text =
      label === undefined
        ? guess === undefined ? "" : `guess ${guess}`
        : guess === undefined ? `${label}` : wrong ? `${label}→${guess} ✗` : `${label} ✓`;
    return { k, pixels, x, y, text, wrong };
  });
  const totalW = columns * cellW - width * gap;
  const totalH = rows * cellH;
  return labelled({
    options: {
      width: Math.round(totalW * scale) + 8,
      height: Math.round(totalH * scale) + 8,
      margin: 4,
      style: chartStyle,
      x: { domain: [0, totalW], axis: null },
      y: { domain: [0, totalH], axis: null, reverse: true },
      marks: [
        Plot.rect(tiles, {
          x1: "x",
          x2: (t) => t.x + width,
          y1: "y",
          y2: (t) => t.y + height,
          fill: "none",
          stroke: (t) => (t.wrong ? palette.wrong : "currentColor"),
          strokeOpacity: (t) => (t.wrong ? 1 : 0.25),
          strokeWidth: (t) => (t.wrong ? 2.5 : 1),
        }),
        inkMark(tiles, width, height),
        Plot.text(tiles, {
          x: (t) => t.x + width / 2,
          y: (t) => t.y + height,
          dy: fontSize * 0.75,
          text: "text",
          fill: (t) => (t.wrong ? palette.wrong : "currentColor"),
          fontSize,
        }),
      ],
    },
    alt: digitsAlt(count, width, height, columns, labels, predictions),
  });
}

// Up to 6 per row keeps the grid under 600px, so a phone shrinks it rather than scrolling it;
// 5 per row when that fills every row and 6 would not (10 digits: two rows of 5).
function defaultColumns(count: number): number {
  if (count <= 6) return count;
  return count % 5 === 0 && count % 6 !== 0 ? 5 : 6;
}

// A custom mark: one <path> per ink shade per image, built from runs of equal pixels in a row.
function inkMark(
  tiles: { pixels: number[]; x: number; y: number }[],
  width: number,
  height: number,
): Plot.RenderFunction {
  return (_index, scales, _values, _dimensions, context) => {
    const svg = "http://www.w3.org/2000/svg";
    const g = context.document.createElementNS(svg, "g");
    g.setAttribute("aria-label", "ink");
    const x = scales.x as (v: number) => number;
    const y = scales.y as (v: number) => number;
    const px = Math.abs(x(1) - x(0));
    const py = Math.abs(y(1) - y(0));
    for (const t of tiles) {
      const paths: string[] = Array.from({ length: levels + 1 }, () => "");
      const shade = (r: number, c: number) =>
        Math.round(Math.min(1, Math.max(0, t.pixels[r * width + c])) * levels);
      for (let r = 0; r < height; r++) {
        let c = 0;
        while (c < width) {
          const level = shade(r, c);
          let end = c + 1;
          while (end < width && shade(r, end) === level) end++;
          if (level > 0) {
            const run = ((end - c) * px).toFixed(1);
            const corner = `M${x(t.x + c).toFixed(1)},${y(t.y + r).toFixed(1)}`;
            paths[level] += `${corner}h${run}v${py.toFixed(1)}h-${run}z`;
          }
          c = end;
        }
      }
      paths.forEach((d, level) => {
        if (d === "") return;
        const path = context.document.createElementNS(svg, "path");
        path.setAttribute("d", d);
        path.setAttribute("fill", "currentColor");
        path.setAttribute("fill-opacity", String(level / levels));
        g.appendChild(path);
      });
    }
    return g as unknown as SVGElement;
  };
}

function checkDigits(options: DigitGridOptions) {
  const { images, width, height, labels, predictions } = options ?? ({} as DigitGridOptions);
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new TypeError(
      `digitGrid: received width ${JSON.stringify(width)} and height ${JSON.stringify(height)}; ` +
        "expected whole numbers ≥ 1 (the image size in pixels, such as 28 and 28)",
    );
  }
  if (!Array.isArray(images) || images.length === 0) {
    throw new TypeError(
      `digitGrid: received images ${typeof images}; expected a non-empty array of pixel arrays`,
    );
  }
  images.forEach((pixels, k) => {
    if (!Array.isArray(pixels) && !ArrayBuffer.isView(pixels)) {
      throw new TypeError(
        `digitGrid: image ${k} is ${typeof pixels}; expected an array of ${width * height} pixels`,
      );
    }
    if (pixels.length !== width * height) {
      throw new RangeError(
        `digitGrid: image ${k} has ${pixels.length} pixels; expected width × height = ` +
          `${width} × ${height} = ${width * height}. Check the width and height options.`,
      );
    }
  });
  for (const [name, list] of [["labels", labels], ["predictions", predictions]] as const) {
    if (list !== undefined && (!Array.isArray(list) || list.length !== images.length)) {
      throw new RangeError(
        `digitGrid: ${name} has ${Array.isArray(list) ? list.length : typeof list} entries; ` +
          `expected one per image (${images.length})`,
      );
    }
  }
  return { images, width, height, labels, predictions };
}

function digitsAlt(
  count: number,
  width: number,
  height: number,
  columns: number,
  labels?: number[],
  predictions?: number[],
): string {
  const images = `${count} handwritten digit image${count === 1 ? "" : "s"}`;
  const intro = `${images} of ${width} × ${height} pixels, ${columns} per row`;
  if (labels === undefined) {
    if (predictions === undefined) return `${intro}.`;
    return `${intro}, with the model's guesses: ${predictions.join(", ")}.`;
  }
  if (predictions === undefined) return `${intro}, labelled ${labels.join(", ")}.`;
  const wrong = labels.flatMap((label, k) =>
    label !== predictions[k] ? [`a ${label} read as ${predictions[k]}`] : [],
  );
  const right = count - wrong.length;
  return (
    `${intro}. The model reads ${right} of ${count} correctly` +
    (wrong.length > 0 ? `; wrong: ${listing(wrong)}.` : ".")
  );
}
