// A filter sliding over an image, caught at one position: the patch on the image, and the
// feature map filled up to the output that patch gives.
import * as Plot from "@observablehq/plot";
import { fmt } from "./format.ts";
import { labelled, type ChartSpec } from "./spec.ts";
import { chartStyle, palette } from "./theme.ts";

/** Options of {@link convolutionStep}. */
export type ConvolutionStepOptions = {
  /** The image: pixels from 0 (paper) to 1 (ink), row by row, width × height of them. */
  image: ArrayLike<number>;
  /** Pixels per row of the image. */
  width: number;
  /** Rows of the image. */
  height: number;
  /** The filter's weights, row by row, such as [[-1, -1, -1], [0, 0, 0], [1, 1, 1]]. */
  filter: number[][];
  /**
   * The feature map: one output per position of the filter, row by row,
   * (height − filter rows + 1) × (width − filter columns + 1) of them.
   */
  map: number[];
  /** How many outputs are computed so far, from 1 to map.length: the filter sits on the last. */
  position: number;
};

const GAP = 4; // image pixels between the two panels
const TITLE = 5; // image pixels of room above the panels for their titles

/**
 * Two panels side by side: the image (ink in the text colour) with the filter's patch outlined,
 * and the feature map with the outputs computed so far (blue where positive, orange where
 * negative, stronger the larger; the scale is set by the whole map, so colours do not change as
 * it fills), the current output outlined and joined to its patch. The text alternative gives
 * the position, its output and what the map holds so far.
 */
export function convolutionStep(options: ConvolutionStepOptions): ChartSpec {
  const { image, width, height, filter, map, position, rows, columns } = check(options);
  const [fh, fw] = [filter.length, filter[0].length];
  const at = position - 1;
  const [row, column] = [Math.floor(at / columns), at % columns];
  const left = width + GAP; // where the feature map starts
  const top = (height - rows) / 2; // the map centred beside the image
  const strongest = Math.max(1e-9, ...map.map(Math.abs));
  const ink = Array.from(image, (v, i) => ({ x: i % width, y: Math.floor(i / width), v })).filter(
    (p) => p.v > 0.02,
  );
  const done = map.slice(0, position).map((z, i) => ({
    x: left + (i % columns),
    y: top + Math.floor(i / columns),
    z,
  }));
  const patch = { x1: column, y1: row, x2: column + fw, y2: row + fh };
  const output = { x1: left + column, y1: top + row, x2: left + column + 1, y2: top + row + 1 };
  const totalW = left + columns;
  const totalH = height + TITLE;
  const accent = palette.series[4];
  return labelled({
    options: {
      width: 440,
      height: Math.round((440 * totalH) / totalW) + 50,
      style: chartStyle,
      margin: 4,
      marginBottom: 48,
      x: { domain: [0, totalW], axis: null },
      y: { domain: [-TITLE, height], axis: null, reverse: true },
      marks: [
        // the two frames
        Plot.rect(
          [
            { x1: 0, y1: 0, x2: width, y2: height },
            { x1: left, y1: top, x2: left + columns, y2: top + rows },
          ],
          { x1: "x1", y1: "y1", x2: "x2", y2: "y2", fill: "none", stroke: "currentColor", strokeOpacity: 0.35 },
        ),
        Plot.rect(ink, {
          x1: "x",
          y1: "y",
          x2: (p) => p.x + 1,
          y2: (p) => p.y + 1,
          fill: "currentColor",
          fillOpacity: (p) => p.v,
        }),
        Plot.rect(done, {
          x1: "x",
          y1: "y",
          x2: (d) => d.x + 1,
          y2: (d) => d.y + 1,
          fill: (d) => (d.z >= 0 ? palette.class1 : palette.class0),
          fillOpacity: (d) => Math.min(1, Math.abs(d.z) / strongest),
        }),
        Plot.link([{ patch, output }], {
          x1: (d) => (d.patch.x1 + d.patch.x2) / 2,
          y1: (d) => (d.patch.y1 + d.patch.y2) / 2,
          x2: (d) => (d.output.x1 + d.output.x2) / 2,
          y2: (d) => (d.output.y1 + d.output.y2) / 2,
          stroke: accent,
          strokeOpacity: 0.7,
          strokeWidth: 1.5,
          markerEnd: "arrow",
        }),
        Plot.rect([patch, output], {
          x1: "x1",
          y1: "y1",
          x2: "x2",
          y2: "y2",
          fill: "none",
          stroke: accent,
          strokeWidth: 2.5,
        }),
        Plot.text(
          [
            { x: 0, text: `image, ${width} × ${height}` },
            { x: left, text: `feature map, ${columns} × ${rows}` },
          ],
          { x: "x", y: -1.5, text: "text", textAnchor: "start", fill: "currentColor", fontWeight: "bold" },
        ),
        // two short lines, so that they fit under the map when a phone shrinks the chart
        Plot.text([`z = ${fmt(map[at], 2)}\nat row ${row + 1}, column ${column + 1}`], {
          x: left,
          y: height,
          dy: 6,
          lineAnchor: "top",
          textAnchor: "start",
          fill: "currentColor",
        }),
      ],
    },
    alt: stepAlt({ width, height, fh, fw, rows, columns, row, column, map, position }),
  });
}

function stepAlt(s: {
  width: number;
  height: number;
  fh: number;
  fw: number;
  rows: number;
  columns: number;
  row: number;
  column: number;
  map: number[];
  position: number;
}): string {
  const total = s.rows * s.columns;
  const done = s.map.slice(0, s.position);
  const high = done.reduce((a, z, i) => (z > done[a] ? i : a), 0);
  const low = done.reduce((a, z, i) => (z < done[a] ? i : a), 0);
  const where = (i: number) => `row ${Math.floor(i / s.columns) + 1}, column ${(i % s.columns) + 1}`;
  return (
    `A ${s.fh} × ${s.fw} filter on a ${s.width} × ${s.height} image, at position ${s.position} ` +
    `of ${total} (${where(s.position - 1)}): the pixels under it give z = ` +
    `${fmt(s.map[s.position - 1], 2)}. The ${s.columns} × ${s.rows} feature map holds ` +
    `${s.position === total ? "all its" : `the first ${s.position} of its`} ${total} outputs` +
    (s.position > 1
      ? `, from ${fmt(done[low], 2)} (${where(low)}) to ${fmt(done[high], 2)} (${where(high)}).`
      : ".")
  );
}

function check(options: ConvolutionStepOptions) {
  const { image, width, height, filter, map, position } = options ?? ({} as ConvolutionStepOptions);
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new TypeError(
      `convolutionStep: received width ${JSON.stringify(width)} and height ` +
        `${JSON.stringify(height)}; expected whole numbers ≥ 1, such as 28 and 28`,
    );
  }
  const length = (image as { length?: unknown } | null)?.length;
  if (length !== width * height) {
    throw new RangeError(
      `convolutionStep: received an image of ${typeof length === "number" ? length : typeof image} ` +
        `pixels; expected width × height = ${width * height}`,
    );
  }
  const fw = Array.isArray(filter) && Array.isArray(filter[0]) ? filter[0].length : 0;
  if (
    !Array.isArray(filter) ||
    filter.length === 0 ||
    fw === 0 ||
    !filter.every((r) => Array.isArray(r) && r.length === fw && r.every(Number.isFinite)) ||
    filter.length > height ||
    fw > width
  ) {
    throw new TypeError(
      `convolutionStep: received filter ${JSON.stringify(filter)}; expected rows of finite ` +
        "weights, all as long, no larger than the image, such as [[-1, -1, -1], [0, 0, 0], [1, 1, 1]]",
    );
  }
  const rows = height - filter.length + 1;
  const columns = width - fw + 1;
  if (!Array.isArray(map) || map.length !== rows * columns || !map.every(Number.isFinite)) {
    throw new RangeError(
      `convolutionStep: received a map of ${Array.isArray(map) ? map.length : typeof map} ` +
        `outputs; expected ${rows} × ${columns} = ${rows * columns} finite numbers, one per ` +
        "position of the filter, row by row",
    );
  }
  if (!Number.isInteger(position) || position < 1 || position > map.length) {
    throw new RangeError(
      `convolutionStep: received position ${JSON.stringify(position)}; expected a whole number ` +
        `from 1 to ${map.length} (how many outputs are computed so far)`,
    );
  }
  return { image, width, height, filter, map, position, rows, columns };
}
