// Gradient descent on a cost of two weights, seen from above: the contour lines of J(w₁, w₂)
// and the walk of the weights from a start, step by step.
import * as Plot from "@observablehq/plot";
import { checkNumber } from "./checks.ts";
import { checkSteps } from "./costCurve.ts";
import { CELL_WIDTH } from "./costTangent.ts";
import { fmt, plural } from "./format.ts";
import { labelled, type ChartSpec } from "./spec.ts";
import { axisRoom, chartStyle, palette } from "./theme.ts";

/**
 * The cost of two weights the chart walks on: J(w₁, w₂) = ½(w₁ − 1)² + 2(w₂ − 1)², a valley four
 * times as steep across w₂ as along w₁, lowest at (1, 1).
 */
export const valley = {
  J: (w1: number, w2: number) => 0.5 * (w1 - 1) ** 2 + 2 * (w2 - 1) ** 2,
  gradient: (w1: number, w2: number): [number, number] => [w1 - 1, 4 * (w2 - 1)],
  minimum: [1, 1] as [number, number],
  x: [-3, 4] as [number, number],
  y: [-1.5, 3] as [number, number],
  formula: "J(w₁, w₂) = ½(w₁ − 1)² + 2(w₂ − 1)²",
};

/** One point of a walk: the step k and where the weights are. */
export type ContourStep = { k: number; w1: number; w2: number; J: number };

/** Options of {@link descentContour}. */
export type DescentContourOptions = {
  /** The starting weights [w₁, w₂]. Default [−2, 2.5]. */
  start?: [number, number];
  /** The learning rate α. Default 0.4. */
  lr?: number;
  /** How many updates the walk makes. Default 25. */
  steps?: number;
  /** How many of them are drawn solid (an animation shows them one by one). Default all. */
  shown?: number;
  /** Write the words under the chart as its caption (for a cell). Default false. */
  caption?: boolean;
};

/**
 * Runs `steps` updates w ← w − α·∇J(w) on {@link valley} from `start`. Stops early when the
 * weights leave any sensible range (|w| > 1e6): the walk has diverged.
 */
export function valleyWalk(start: [number, number], lr: number, steps: number): ContourStep[] {
  const walk: ContourStep[] = [{ k: 0, w1: start[0], w2: start[1], J: valley.J(...start) }];
  let [w1, w2] = start;
  for (let k = 1; k <= steps; k++) {
    const [g1, g2] = valley.gradient(w1, w2);
    [w1, w2] = [w1 - lr * g1, w2 - lr * g2];
    if (!(Math.abs(w1) < 1e6 && Math.abs(w2) < 1e6)) break;
    walk.push({ k, w1, w2, J: valley.J(w1, w2) });
  }
  return walk;
}

/** The valley seen from above: its contour lines (each one height of J) and its minimum. */
export function valleyMarks(): Plot.Markish[] {
  const [[xlo, xhi], [ylo, yhi]] = [valley.x, valley.y];
  return [
    Plot.contour({
      x1: xlo,
      x2: xhi,
      y1: ylo,
      y2: yhi,
      value: (x: number, y: number) => valley.J(x, y), // J itself, bound to no colour scale
      thresholds: [0.125, 0.5, 1, 2, 4, 8, 16],
      pixelSize: 3,
      fill: "none",
      stroke: "currentColor",
      strokeOpacity: 0.35,
    }),
    Plot.dot([{ w1: valley.minimum[0], w2: valley.minimum[1] }], {
      x: "w1",
      y: "w2",
      r: 7,
      symbol: "diamond2",
      fill: palette.highlight,
      stroke: "currentColor",
    }),
  ];
}

/** The valley's map as every chart of it frames it: its size, margins and the two weights' axes. */
export function valleyFrame(height: number) {
  return {
    width: CELL_WIDTH,
    height,
    style: chartStyle,
    ...axisRoom,
    marginTop: 30, // the ↑ w₂ label clear of the top tick
    marginRight: 12,
    x: { label: "w₁", domain: valley.x },
    y: { label: "w₂", domain: valley.y },
  };
}

/** Whether a walk crosses the valley's floor (w₂ = 1) at most of its steps: a zig-zag. */
export function zigzags(walk: { w2: number }[]): boolean {
  const sides = walk.map((p) => Math.sign(p.w2 - valley.minimum[1])).filter((s) => s !== 0);
  let flips = 0;
  for (let i = 1; i < sides.length; i++) if (sides[i] !== sides[i - 1]) flips++;
  return sides.length > 3 && flips >= (sides.length - 1) * 0.75;
}

/**
 * The contour lines of {@link valley} (each line one height of J, as on a map), its minimum, and
 * gradient descent from `start` with learning rate `lr`: the first `shown` steps solid and
 * numbered, the rest of the walk faint. The alt text (and the caption, with `caption: true`)
 * says in words where the walk is and how it goes: crawling, zig-zagging across the valley,
 * settling, or diverging.
 */
export function descentContour(options: DescentContourOptions = {}): ChartSpec {
  const start = options.start ?? [-2, 2.5];
  if (!Array.isArray(start) || start.length !== 2) {
    throw new TypeError(
      `descentContour: invalid start ${JSON.stringify(start)} ` +
        "(expected two weights [w₁, w₂], such as [-2, 2.5])",
    );
  }
  checkNumber("descentContour", "start[0]", start[0]);
  checkNumber("descentContour", "start[1]", start[1]);
  const lr = checkNumber("descentContour", "lr", options.lr ?? 0.4);
  const steps = checkSteps("descentContour", options.steps ?? 25);
  const shown = checkSteps("descentContour", options.shown ?? steps);
  const walk = valleyWalk(start, lr, steps);
  const done = walk.slice(0, shown + 1);
  const [xlo, xhi] = valley.x;
  const [ylo, yhi] = valley.y;
  const inside = (p: ContourStep) => p.w1 >= xlo && p.w1 <= xhi && p.w2 >= ylo && p.w2 <= yhi;
  const moves = (path: ContourStep[]) =>
    path.slice(1).map((p, i) => ({ x1: path[i].w1, y1: path[i].w2, x2: p.w1, y2: p.w2 }));
  const text = words(walk, done, lr, steps);
  const last = done[done.length - 1];
  const halo = { stroke: "var(--sl-color-bg, white)", strokeWidth: 3, paintOrder: "stroke" };
  return labelled({
    options: {
      ...valleyFrame(360),
      ...(options.caption ? { caption: text } : {}),
      marks: [
        ...valleyMarks(),
        // the whole walk, faint: where the solid one is going
        Plot.line(walk, {
          x: "w1",
          y: "w2",
          stroke: palette.series[1],
          strokeOpacity: 0.35,
          strokeDasharray: "4 3",
          clip: true,
        }),
        Plot.arrow(moves(done), {
          x1: "x1",
          y1: "y1",
          x2: "x2",
          y2: "y2",
          stroke: palette.series[1],
          strokeWidth: 2,
          headLength: 7,
          inset: 4,
          clip: true,
        }),
        Plot.dot(done.filter(inside), {
          x: "w1",
          y: "w2",
          r: 3.5,
          fill: palette.series[1],
          stroke: "currentColor",
          strokeWidth: 0.75,
        }),
        Plot.dot([walk[0]].filter(inside), {
          x: "w1",
          y: "w2",
          r: 6,
          fill: "none",
          stroke: "currentColor",
          strokeWidth: 2,
        }),
        Plot.text([walk[0]].filter(inside), {
          x: "w1",
          y: "w2",
          text: () => "start",
          dy: -13,
          fontWeight: "bold",
          fill: "currentColor",
          ...halo,
        }),
        Plot.text(
          [last].filter((p) => inside(p) && p.k > 0),
          {
            x: "w1",
            y: "w2",
            text: (p: ContourStep) => `step ${p.k}`,
            dx: 10,
            dy: -12,
            textAnchor: "start",
            fontWeight: "bold",
            fill: palette.series[1],
            ...halo,
          },
        ),
      ],
    },
    alt: `Contour lines of the cost ${valley.formula}, a long valley lowest at (1, 1). ${text}`,
  });
}

// Where the walk is after `done`, and how the whole walk goes, in words.
function words(walk: ContourStep[], done: ContourStep[], lr: number, steps: number): string {
  const [m1, m2] = valley.minimum;
  const at = (p: ContourStep) =>
    `(${fmt(p.w1)}, ${fmt(p.w2)}), where J = ${p.J < 0.0005 ? "less than 0.001" : big(p.J)}`;
  const first = walk[0];
  const end = walk[walk.length - 1];
  const now = done[done.length - 1];
  const from = `From (${fmt(first.w1)}, ${fmt(first.w2)}) with α = ${fmt(lr, 4)}`;
  const position =
    now.k === 0
      ? " The walk has not started yet: only its way is drawn, faintly."
      : now.k < end.k
        ? ` After ${now.k} of ${end.k} steps the weights are at ${at(now)}.`
        : "";
  const zigzag = zigzags(walk); // across the valley, w₂ flips sides at most steps
  const diverged = walk.length <= steps || end.J > first.J || !Number.isFinite(end.J);
  if (diverged) {
    return (
      `${from}, every step across the valley overshoots further: the walk diverges. ` +
      `The cost grows from ${big(first.J)} to ${big(end.J)} in ${plural(end.k, "step")}: ` +
      `α is too large for the steep direction, w₂.${position}`
    );
  }
  const how = zigzag ? ", zig-zagging across the valley," : "";
  // at the minimum to two decimals
  const near = walk.find((p) => Math.abs(p.w1 - m1) < 0.005 && Math.abs(p.w2 - m2) < 0.005);
  if (near) {
    const after = plural(near.k, "step");
    return `${from}, the walk${how} reaches the minimum (1, 1), to two decimals, after ${after}.${position}`;
  }
  // which way is left to go: across the valley (w₂) or along it (w₁)?
  const across = Math.abs(end.w2 - m2) / Math.max(Math.abs(first.w2 - m2), 1e-9);
  const along = Math.abs(end.w1 - m1) / Math.max(Math.abs(first.w1 - m1), 1e-9);
  const why =
    zigzag && across >= 0.5
      ? "it bounces from one side of the valley to the other without settling, as α is at " +
        "the edge of what the steep direction, w₂, can take"
      : along >= across
        ? "the steps are small along the valley, where it is flat"
        : "it is still swinging across the valley";
  return (
    `${from}, the walk${how} ends after ${plural(end.k, "step")} at ${at(end)}, ` +
    `not yet at the minimum (1, 1): ${why}.${position}`
  );
}

// A large number in words a reader can take in: 3.4 × 10⁸.
function big(x: number): string {
  if (!Number.isFinite(x)) return "infinity";
  if (Math.abs(x) < 1e4) return fmt(x, 3);
  const exponent = Math.floor(Math.log10(Math.abs(x)));
  const digits = "⁰¹²³⁴⁵⁶⁷⁸⁹";
  const sup = String(exponent)
    .split("")
    .map((d) => digits[Number(d)])
    .join("");
  return `${fmt(x / 10 ** exponent, 1)} × 10${sup}`;
}
