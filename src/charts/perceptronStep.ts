// One step of the perceptron learning rule: the line before and after the example it just
// checked, and the mistakes of each epoch so far, side by side, with the step told in words.
import * as Plot from "@observablehq/plot";
import { arrange, type ArrangedSpec } from "./arrange.ts";
import { checkNumber, checkPoints } from "./checks.ts";
import { classDots, classScales, equation, type LabelledPoint } from "./decisionLine.ts";
import { fmt, plural } from "./format.ts";
import { labelled, type ChartSpec } from "./spec.ts";
import { palette } from "./theme.ts";

/** A line of the perceptron: its weights and bias. */
export type PerceptronLine = { w: [number, number]; b: number };

/** Options of {@link perceptronStep}. */
export type PerceptronStepOptions = {
  /** The training examples, in the order the rule visits them. */
  points: LabelledPoint[];
  /** The weights and bias now, after the step. */
  w: [number, number];
  b: number;
  /** The line before the step (drawn dashed when the step moved it). Default: the same line. */
  before?: PerceptronLine;
  /** The index (in `points`) of the example the rule just checked; none before training. */
  current?: number;
  /** The epoch running, from 1. Default 1. */
  epoch?: number;
  /** Mistakes of each epoch so far, the running epoch's last (mistakes[0] is epoch 1). */
  mistakes?: number[];
  /** How many epochs the mistakes panel has room for. Default 10, or more if there are more. */
  epochs?: number;
};

const sizes = { line: 250, mistakesWidth: 190 };
/** What the two panels (the line, the mistakes) share: their height, type and margins. */
const panel = {
  height: sizes.line,
  style: { fontSize: "13px" },
  marginTop: 24,
  marginBottom: 36,
  marginLeft: 36,
};

/**
 * The perceptron rule, one example at a time. Left: the points (coloured and shaped by label),
 * the line w₁x₁ + w₂x₂ + b = 0 with its two sides shaded (blue where ŷ = 1), the line before the
 * step dashed, and the example just checked ringed. Right: the mistakes of each epoch, the
 * running one paler. The axes stay put while the line moves. The caption tells the step: the
 * example, its net sum, the prediction, and what the rule changed.
 */
export function perceptronStep(options: PerceptronStepOptions): ArrangedSpec {
  const points = checkPoints("perceptronStep", options?.points) as LabelledPoint[];
  if (points.length === 0) {
    throw new TypeError("perceptronStep: received no points; expected the training examples");
  }
  const now = checkLine("", { w: options.w, b: options.b });
  const before = options.before === undefined ? now : checkLine("before.", options.before);
  const current = options.current;
  if (
    current !== undefined &&
    !(Number.isInteger(current) && current >= 0 && current < points.length)
  ) {
    throw new RangeError(
      `perceptronStep: invalid current ${JSON.stringify(current)} (expected the index of a ` +
        `point, a whole number from 0 to ${points.length - 1}, or nothing before training)`,
    );
  }
  const epoch = options.epoch ?? 1;
  const mistakes = options.mistakes ?? [];
  if (!Array.isArray(mistakes) || !mistakes.every((m) => Number.isInteger(m) && m >= 0)) {
    throw new TypeError(
      `perceptronStep: received mistakes ${JSON.stringify(mistakes)}; expected whole numbers ` +
        "≥ 0, one per epoch so far",
    );
  }
  const epochs = Math.max(options.epochs ?? 10, mistakes.length);
  const lastOfEpoch = current === points.length - 1;

  const caption = stepSentence(points, now, before, current, epoch, mistakes, lastOfEpoch);
  const line = linePanel(points, now, before, current);
  const bars = mistakesPanel(mistakes, epochs, points.length, lastOfEpoch);
  return arrange([line, bars], {
    columns: 2,
    gap: 20,
    caption,
    alt: `${line.alt} ${bars.alt} ${caption}`,
  });
}

function checkLine(prefix: string, line: PerceptronLine): PerceptronLine {
  if (!Array.isArray(line?.w) || line.w.length !== 2) {
    throw new TypeError(
      `perceptronStep: received ${prefix}w ${JSON.stringify(line?.w)}; expected two weights [w1, w2]`,
    );
  }
  const w1 = checkNumber("perceptronStep", `${prefix}w[0]`, line.w[0]);
  const w2 = checkNumber("perceptronStep", `${prefix}w[1]`, line.w[1]);
  return { w: [w1, w2], b: checkNumber("perceptronStep", `${prefix}b`, line.b) };
}

const netSum = ({ w, b }: PerceptronLine, p: { x1: number; x2: number }) =>
  w[0] * p.x1 + w[1] * p.x2 + b;
const predict = (line: PerceptronLine, p: { x1: number; x2: number }) =>
  netSum(line, p) >= 0 ? 1 : 0;

// What happened at this step, in words: the example, z, ŷ, and what the rule changed.
function stepSentence(
  points: LabelledPoint[],
  now: PerceptronLine,
  before: PerceptronLine,
  current: number | undefined,
  epoch: number,
  mistakes: number[],
  lastOfEpoch: boolean,
): string {
  const right = points.filter((p) => predict(now, p) === p.label).length;
  const weights = `w = (${fmt(now.w[0])}, ${fmt(now.w[1])}), b = ${fmt(now.b)}`;
  if (current === undefined) {
    return (
      `Before training: ${weights}. The line puts ${right} of ${plural(points.length, "point")} ` +
      "on the side of their label."
    );
  }
  const p = points[current];
  const z = netSum(before, p);
  const yHat = predict(before, p);
  const head =
    `Epoch ${epoch}, example ${current + 1} of ${points.length}: x = (${fmt(p.x1)}, ${fmt(p.x2)}), ` +
    `label y = ${p.label}. z = ${fmt(z)} ${z >= 0 ? "≥" : "<"} 0, so ŷ = ${yHat}`;
  const verdict =
    yHat === p.label
      ? ": right, nothing changes."
      : `, but y = ${p.label}: wrong, so the rule moves the line to ${weights}.`;
  const count = mistakes.at(-1) ?? 0;
  const tally = lastOfEpoch
    ? count === 0
      ? ` Epoch ${epoch} made no mistakes: every point is on the side of its label, and the rule stops.`
      : ` Epoch ${epoch} ends with ${plural(count, "mistake")}.`
    : ` Mistakes so far in epoch ${epoch}: ${count}.`;
  return head + verdict + tally;
}

// The plane: both sides of the line shaded, the line now (solid) and before (dashed), the points.
function linePanel(
  points: LabelledPoint[],
  now: PerceptronLine,
  before: PerceptronLine,
  current: number | undefined,
): ChartSpec {
  const xDomain = padded(points.map((p) => p.x1));
  const yDomain = padded(points.map((p) => p.x2));
  const moved = now.w[0] !== before.w[0] || now.w[1] !== before.w[1] || now.b !== before.b;
  const right = points.filter((p) => predict(now, p) === p.label).length;
  const lineText =
    now.w[0] === 0 && now.w[1] === 0
      ? `With both weights 0 there is no line: z = ${fmt(now.b)} everywhere.`
      : `The line ${equation(now.w[0], now.w[1], now.b)} = 0, shaded blue on the side where ` +
        "ŷ = 1 and orange where ŷ = 0,";
  return labelled({
    options: {
      ...panel,
      width: sizes.line,
      marginRight: 12,
      x: { label: "x₁", domain: xDomain, ticks: ticksOf(points.map((p) => p.x1)) },
      y: { label: "x₂", domain: yDomain, ticks: ticksOf(points.map((p) => p.x2)) },
      ...classScales,
      marks: [
        ...sides(now, xDomain, yDomain),
        moved
          ? lineMark(before, xDomain, yDomain, {
              strokeDasharray: "5 4",
              strokeWidth: 1.5,
              ariaDescription: "the line before the step",
            })
          : null,
        lineMark(now, xDomain, yDomain, {
          strokeWidth: 2.5,
          ariaDescription: "the line after the step",
        }),
        current === undefined
          ? null
          : Plot.dot([points[current]], {
              x: "x1",
              y: "x2",
              r: 12,
              stroke: "currentColor",
              strokeWidth: 2.5,
              fill: "none",
            }),
        classDots(points),
        Plot.frame({ stroke: "currentColor", strokeOpacity: 0.3 }),
      ],
    },
    alt:
      `${lineText} puts ${right} of ${plural(points.length, "point")} on the side of their label` +
      (moved ? "; the line before this step is dashed." : "."),
  });
}

// The line across the drawn box (vertical when w₂ = 0), or nothing when both weights are 0.
function lineMark(
  { w: [w1, w2], b }: PerceptronLine,
  [xlo, xhi]: [number, number],
  [ylo, yhi]: [number, number],
  style: { strokeWidth: number; strokeDasharray?: string; ariaDescription: string },
) {
  if (w1 === 0 && w2 === 0) return null;
  const ends =
    w2 === 0
      ? [ylo, yhi].map((x2) => ({ x1: -b / w1, x2 }))
      : [xlo, xhi].map((x1) => ({ x1, x2: -(w1 * x1 + b) / w2 }));
  return Plot.line(ends, { x: "x1", y: "x2", stroke: "currentColor", clip: true, ...style });
}

// The half-planes z ≥ 0 (class 1's colour) and z < 0 (class 0's), lightly shaded, as polygons:
// the box cut by the line.
function sides(line: PerceptronLine, xDomain: [number, number], yDomain: [number, number]) {
  const box = [
    { x1: xDomain[0], x2: yDomain[0] },
    { x1: xDomain[1], x2: yDomain[0] },
    { x1: xDomain[1], x2: yDomain[1] },
    { x1: xDomain[0], x2: yDomain[1] },
  ];
  const positive = cut(box, (p) => netSum(line, p));
  const negative = cut(box, (p) => -netSum(line, p));
  const polygon = (corners: { x1: number; x2: number }[], fill: string) =>
    corners.length < 3
      ? null
      : Plot.line(corners, {
          x: "x1",
          y: "x2",
          fill,
          fillOpacity: 0.18,
          stroke: "none",
          curve: "linear-closed",
          ariaDescription: "a side of the line",
        });
  return [polygon(positive, palette.class1), polygon(negative, palette.class0)];
}

// The part of a convex polygon where g ≥ 0 (Sutherland–Hodgman against one half-plane).
function cut(polygon: { x1: number; x2: number }[], g: (p: { x1: number; x2: number }) => number) {
  const out: { x1: number; x2: number }[] = [];
  polygon.forEach((p, k) => {
    const q = polygon[(k + 1) % polygon.length];
    const gp = g(p);
    const gq = g(q);
    if (gp >= 0) out.push(p);
    if (gp >= 0 !== gq >= 0) {
      const t = gp / (gp - gq);
      out.push({ x1: p.x1 + t * (q.x1 - p.x1), x2: p.x2 + t * (q.x2 - p.x2) });
    }
  });
  return out;
}

// Mistakes per epoch: one bar each, on an axis with room for `epochs`, the running epoch paler.
function mistakesPanel(
  mistakes: number[],
  epochs: number,
  most: number,
  lastOfEpoch: boolean,
): ChartSpec {
  const rows = mistakes.map((count, k) => ({
    epoch: k + 1,
    count,
    running: k === mistakes.length - 1 && !lastOfEpoch,
  }));
  const every = Math.ceil(epochs / 5);
  const ticks = Array.from({ length: epochs }, (_, k) => k + 1).filter(
    (e) => e === 1 || e % every === 0,
  );
  const done = rows.filter((r) => !r.running);
  const alt =
    done.length === 0
      ? "No epoch has finished yet."
      : `Mistakes per finished epoch: ${done.map((r) => r.count).join(", ")}.`;
  return labelled({
    options: {
      ...panel,
      width: sizes.mistakesWidth,
      marginRight: 8,
      x: {
        label: "epoch",
        domain: Array.from({ length: epochs }, (_, k) => k + 1),
        ticks,
        padding: 0.2,
      },
      y: {
        label: "mistakes",
        domain: [0, most],
        ticks: Math.min(most, 4),
        tickFormat: "d",
        grid: true,
      },
      marks: [
        Plot.barY(rows, {
          x: "epoch",
          y: "count",
          fill: palette.series[0],
          fillOpacity: (r: { running: boolean }) => (r.running ? 0.45 : 1),
        }),
        Plot.ruleY([0], { stroke: "currentColor" }),
      ],
    },
    alt,
  });
}

// Ticks at the points' own coordinates when there are few (0 and 1 for the logic gates).
function ticksOf(values: number[]): number[] | number {
  const distinct = [...new Set(values)].sort((a, b) => a - b);
  return distinct.length <= 4 ? distinct : 4;
}

// The points' extent with half a unit of room, so the axes stay put while the line moves.
function padded(values: number[]): [number, number] {
  return [Math.min(...values) - 0.5, Math.max(...values) + 0.5];
}
