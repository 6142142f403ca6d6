// One activation function at one net sum: the value a = f(z) on its curve, and its slope f′(z),
// drawn as the tangent there and as a point on the curve of slopes.
import * as Plot from "@observablehq/plot";
import { activations } from "../../engine/index.ts";
import { activationByName } from "./activations.ts";
import { checkDomain, checkNumber, samples } from "./checks.ts";
import { fmt } from "./format.ts";
import { labelled, type ChartSpec } from "./spec.ts";
import { chartStyle, palette } from "./theme.ts";

/** Options of {@link activationSlope}. */
export type ActivationSlopeOptions = {
  /** The function, by the engine's name: "step", "sign", "identity", "sigmoid", "tanh", "relu", "leakyRelu". */
  name: string;
  /** The net sum z where the value and the slope are read. */
  z: number;
  /** The range of z drawn. Default [-4, 4]. */
  domain?: [number, number];
};

const defaults = { domain: [-4, 4] as [number, number], width: 440, height: 280 };

// Where each function's slope jumps (it has none at that z): the step's and sign's jump, and the
// corners of ReLU and leaky ReLU.
const kinks: Record<string, "jump" | "corner"> = {
  step: "jump",
  sign: "jump",
  relu: "corner",
  leakyRelu: "corner",
};

/**
 * The curve a = f(z) with the point (z, f(z)) and the tangent through it, whose steepness is the
 * slope f′(z); the curve of slopes f′ (dashed) with the point (z, f′(z)). Both curves keep their
 * y range whatever z is, so moving z moves only the points. The caption says, in words, what the
 * two numbers are and what the slope means for a small change of z.
 */
export function activationSlope(options: ActivationSlopeOptions): ChartSpec {
  const name = options?.name;
  const { f, label, jumpsAtZero } = activationByName(name);
  const df = (activations as Record<string, { df(z: number): number }>)[name].df;
  const z = checkNumber("activationSlope", "z", options.z);
  const domain = checkDomain("activationSlope", options.domain ?? defaults.domain);
  if (z < domain[0] || z > domain[1]) {
    throw new RangeError(
      `activationSlope: z = ${fmt(z)} is outside the domain [${fmt(domain[0])}, ${fmt(domain[1])}]; ` +
        "give a z inside it, or widen the domain",
    );
  }
  const kink = kinks[name];
  const zs = samples(domain[0], domain[1], 161);
  // A curve broken at z = 0 where the function (or its slope) jumps, so no vertical stroke.
  const curve = (g: (z: number) => number, breaks: boolean, series: string) => {
    const at = (zi: number) => ({ z: zi, a: g(zi), series });
    if (!breaks || !(domain[0] < 0 && domain[1] > 0)) return zs.map(at);
    const left = zs.filter((zi) => zi < 0).map(at);
    // the right-hand piece starts at 0 with its limit from the right (ReLU's slope 1, not 0)
    const right = [{ z: 0, a: g(1e-12), series }, ...zs.filter((zi) => zi > 0).map(at)];
    return [...left, { z: 0, a: NaN, series }, ...right];
  };
  const value = curve(f, jumpsAtZero, "f(z)");
  const slope = curve(df, kink !== undefined && df(-1e-9) !== df(1e-9), "f′(z)");
  const a = f(z);
  const s = df(z);
  const all = [...value, ...slope].map((p) => p.a).filter(Number.isFinite);
  const low = Math.min(0, ...all);
  const high = Math.max(1, ...all);
  const pad = (high - low) * 0.08;
  const yDomain: [number, number] = [low - pad, high + pad];
  // The tangent: a short segment through (z, f(z)) with slope f′(z), one unit of z each way.
  const reach = (domain[1] - domain[0]) / 8;
  const tangent = [z - reach, z + reach].map((zi) => ({ z: zi, a: a + s * (zi - z) }));
  const atKink = kink !== undefined && z === 0;
  const rightHalf = z > (domain[0] + domain[1]) / 2;
  const valueLabel = `f(${fmt(z)}) = ${fmt(a, 3)}`;
  const slopeLabel = atKink ? "no slope at 0" : `f′(${fmt(z)}) = ${fmt(s, 3)}`;
  const labelSide = {
    textAnchor: rightHalf ? "end" : "start",
    dx: rightHalf ? -10 : 10,
    fontWeight: "bold",
    stroke: "var(--sl-color-bg, white)",
    strokeWidth: 4,
    paintOrder: "stroke",
  } as const;
  const sentence = describeSlope(name, label, z, a, s, atKink, kink);

  return labelled({
    options: {
      width: defaults.width,
      height: defaults.height,
      style: chartStyle,
      marginTop: 28,
      marginBottom: 40,
      marginLeft: 44,
      marginRight: 16,
      x: { label: "z (net sum)", domain, ticks: 8 },
      y: { label: null, domain: yDomain, grid: true, ticks: 6 },
      color: { domain: ["f(z)", "f′(z)"], range: [palette.series[0], palette.series[1]] },
      caption: sentence,
      marks: [
        Plot.ruleY([0], { stroke: "currentColor", strokeOpacity: 0.4 }),
        Plot.ruleX([z], { stroke: "currentColor", strokeDasharray: "2 3", strokeOpacity: 0.7 }),
        Plot.line(slope, {
          x: "z",
          y: "a",
          stroke: palette.series[1],
          strokeWidth: 2,
          strokeDasharray: "6 4",
        }),
        Plot.line(value, { x: "z", y: "a", stroke: palette.series[0], strokeWidth: 2.5 }),
        atKink
          ? null
          : Plot.line(tangent, {
              x: "z",
              y: "a",
              stroke: palette.highlight,
              strokeWidth: 2,
              clip: true,
            }),
        Plot.dot([{ z, a: s }], {
          x: "z",
          y: "a",
          r: 5,
          fill: palette.series[1],
          stroke: "currentColor",
        }),
        Plot.dot([{ z, a }], {
          x: "z",
          y: "a",
          r: 5.5,
          fill: palette.series[0],
          stroke: "currentColor",
        }),
        Plot.text([{ z, a }], {
          x: "z",
          y: "a",
          text: () => valueLabel,
          dy: -12,
          fill: palette.series[0],
          ...labelSide,
        }),
        Plot.text([{ z, a: s }], {
          x: "z",
          y: "a",
          text: () => slopeLabel,
          dy: 14,
          fill: palette.series[1],
          ...labelSide,
        }),
        Plot.text([`${label}: the curve f(z) and, dashed, its slope f′(z)`], {
          frameAnchor: "top-left",
          dy: -22,
          fontWeight: "bold",
          fill: "currentColor",
        }),
      ],
    },
    alt:
      `${label} for z from ${fmt(domain[0])} to ${fmt(domain[1])}, with its slope drawn dashed. ` +
      sentence,
  });
}

// The two numbers in words, and what the slope says about a small change of z.
function describeSlope(
  name: string,
  label: string,
  z: number,
  a: number,
  s: number,
  atKink: boolean,
  kink: "jump" | "corner" | undefined,
): string {
  const at = `${label} at z = ${fmt(z)}: a = f(z) = ${fmt(a, 3)}`;
  if (atKink && kink === "jump") {
    return `${at}. Here the function jumps, so it has no slope at all (the engine uses 0).`;
  }
  if (atKink) {
    return (
      `${at}. Here the function has a corner: its slope is ${fmt(df(name, -1e-9), 2)} just left ` +
      `of 0 and ${fmt(df(name, 1e-9), 2)} just right (the engine uses ${fmt(s, 2)}).`
    );
  }
  const slope = `${at}, and its slope f′(z) = ${fmt(s, 3)}`;
  if (s === 0) {
    return `${slope}: the curve is flat here, so a small change of z does not change a at all.`;
  }
  // two significant digits, so a tiny change still shows (0.00036, not 0)
  const change =
    Math.abs(0.1 * s) < 0.01 ? fmt(Number((0.1 * s).toPrecision(2)), 6) : fmt(0.1 * s, 3);
  return (
    `${slope}: nudging z by 0.1 moves a by about ${change}` + (s < 0.1 ? ", almost nothing." : ".")
  );
}

function df(name: string, z: number): number {
  return (activations as Record<string, { df(z: number): number }>)[name].df(z);
}
