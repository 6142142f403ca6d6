// A one-input neuron as a line: the weight sets the slope, the bias moves the line up or down.
import * as Plot from "@observablehq/plot";
import { checkDomain, checkNumber, checkNumbers } from "./checks.ts";
import { fmt, listing } from "./format.ts";
import { labelled, type ChartSpec } from "./spec.ts";
import { axisRoom, chartStyle, defaults, palette } from "./theme.ts";

/** Options of {@link neuronResponse}. */
export type NeuronResponseOptions = {
  /** One line per weight. Default [-1, 0, 0.5, 2]. */
  weights?: number[];
  /** The range of inputs x. Default [-3, 3]. */
  domain?: [number, number];
};

/** Options of {@link biasShift}. */
export type BiasShiftOptions = {
  /** The shared weight (slope). Default 1. */
  weight?: number;
  /** One line per bias. Default [-2, 0, 2]. */
  biases?: number[];
  /** The range of inputs x. Default [-3, 3]. */
  domain?: [number, number];
};

const lineDefaults = {
  weights: [-1, 0, 0.5, 2],
  weight: 1,
  biases: [-2, 0, 2],
  domain: [-3, 3] as [number, number],
};

/**
 * A neuron's output a = w·x for one input x and several weights: straight lines through the
 * origin whose slope is the weight (a weight of zero gives a flat line: the input is ignored).
 */
export function neuronResponse(options: NeuronResponseOptions = {}): ChartSpec {
  const weights = checkNumbers(
    "neuronResponse",
    "weights",
    options.weights ?? lineDefaults.weights,
  );
  const domain = checkDomain("neuronResponse", options.domain ?? lineDefaults.domain);
  const lines = weights.map((w) => ({ key: `w = ${fmt(w)}`, slope: w, intercept: 0 }));
  return labelled({
    options: linesOptions(lines, domain, "a = w·x"),
    alt: `${responseIntro(weights, domain)} ${responseFacts(weights)}`,
  });
}

/**
 * Net sums z = w·x + b for one weight and several biases: parallel lines, each crossing the
 * vertical axis at its bias (the intercept), so the bias moves the line up or down.
 */
export function biasShift(options: BiasShiftOptions = {}): ChartSpec {
  const weight = checkNumber("biasShift", "weight", options.weight ?? lineDefaults.weight);
  const biases = checkNumbers("biasShift", "biases", options.biases ?? lineDefaults.biases);
  const domain = checkDomain("biasShift", options.domain ?? lineDefaults.domain);
  const lines = biases.map((b) => ({ key: `b = ${fmt(b)}`, slope: weight, intercept: b }));
  const spec = linesOptions(lines, domain, "z = w·x + b");
  const intercepts = lines.map((line, k) => ({ ...line, x: 0, y: line.intercept, k }));
  spec.marks = [
    ...(spec.marks ?? []),
    Plot.dot(intercepts, { x: "x", y: "y", fill: "key", stroke: "currentColor", r: 4.5 }),
  ];
  const bs = listing(biases.map((b) => fmt(b)));
  const sameSlope = biases.length > 1 ? "the same slope, shifted up or down by the bias" : "";
  return labelled({
    options: spec,
    alt:
      `Lines z = ${fmt(weight)}·x + b for x from ${fmt(domain[0])} to ${fmt(domain[1])} ` +
      `and b = ${bs}${sameSlope ? `: ${sameSlope}` : ""}. ` +
      `Each line crosses the vertical axis (x = 0) at its bias: z = ${bs}.`,
  });
}

type Line = { key: string; slope: number; intercept: number };

// Straight lines over a domain, each labelled at its right end.
function linesOptions(lines: Line[], [lo, hi]: [number, number], yLabel: string) {
  const points = lines.flatMap((line) =>
    [lo, hi].map((x) => ({ key: line.key, x, y: line.slope * x + line.intercept })),
  );
  const ends = points.filter((p) => p.x === hi);
  const keys = lines.map((line) => line.key);
  return {
    width: defaults.width,
    height: defaults.height,
    style: chartStyle,
    ...axisRoom,
    marginRight: 64,
    x: { label: "x (input)", domain: [lo, hi] },
    y: { label: yLabel, grid: true, nice: true },
    color: { domain: keys, range: keys.map((_, k) => palette.series[k % palette.series.length]) },
    marks: [
      Plot.ruleY([0], { stroke: "currentColor", strokeOpacity: 0.4 }),
      Plot.ruleX([0], { stroke: "currentColor", strokeOpacity: 0.4 }),
      Plot.line(points, { x: "x", y: "y", z: "key", stroke: "key", strokeWidth: 2.5 }),
      Plot.text(ends, {
        x: "x",
        y: "y",
        text: "key",
        fill: "key",
        textAnchor: "start",
        dx: 6,
        fontWeight: "bold",
      }),
    ] as Plot.Markish[],
  };
}

function responseIntro(weights: number[], [lo, hi]: [number, number]): string {
  const ws = listing(weights.map((w) => fmt(w)));
  const noun = weights.length === 1 ? "weight" : "weights";
  return `A neuron's output a = w·x for inputs x from ${fmt(lo)} to ${fmt(hi)} and ${noun} ${ws}.`;
}

function responseFacts(weights: number[]): string {
  const facts = ["Each is a straight line through the origin whose slope is its weight"];
  const steepest = weights.reduce((a, b) => (Math.abs(b) > Math.abs(a) ? b : a));
  if (weights.length > 1 && steepest !== 0) facts.push(`w = ${fmt(steepest)} is the steepest`);
  if (weights.includes(0)) facts.push("w = 0 is flat at a = 0: that input has no effect");
  const negative = weights.filter((w) => w < 0);
  if (negative.length > 0) {
    facts.push(`${listing(negative.map((w) => `w = ${fmt(w)}`))} falls as x grows`);
  }
  return `${facts.join("; ")}.`;
}
