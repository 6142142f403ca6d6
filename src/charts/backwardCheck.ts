// A backward rule written by hand, checked against the slope measured with finite differences.
import * as Plot from "@observablehq/plot";
import { checkDomain, samples } from "./checks.ts";
import { fmt, listing } from "./format.ts";
import { labelled, type ChartSpec } from "./spec.ts";
import { axisRoom, chartStyle, palette } from "./theme.ts";

/** Options of {@link backwardCheck}. */
export type BackwardCheckOptions = {
  /** The op's forward function of one number, such as Math.tanh. */
  f: (x: number) => number;
  /**
   * The backward rule to check: given the input x, the output t = f(x) and the gradient g that
   * reached t, it returns the gradient to pass back to x.
   */
  rule: (x: number, t: number, g: number) => number;
  /** The inputs to try, from min to max. Default [-3, 3]. */
  domain?: [number, number];
  /** How many inputs to try, evenly spaced. Default 61 (every 0.1 on the default domain). */
  count?: number;
};

/** One input tried: what the rule gave and what finite differences measure, for g = 1. */
export type RuleSample = { x: number; yours: number; numeric: number; differs: boolean };

/** What {@link backwardCheck} found. */
export type RuleCheck = {
  /** Whether the rule matched the numerical gradient everywhere, for both gradients g tried. */
  ok: boolean;
  samples: RuleSample[];
  /** The inputs where it differs (for g = 1 or for g = −0.5), as ranges [from, to]. */
  ranges: [number, number][];
  /** The largest gap, where it was, and the g it was found with. */
  worst: { x: number; g: number; yours: number; numeric: number } | null;
  /** What was found, in words. */
  text: string;
};

const EPS = 1e-5;
const TOLERANCE = 1e-5;
// The check passes two gradients from above: 1, and one that shows whether the rule uses g.
const GRADS = [1, -0.5];

/**
 * Checks a hand-written backward rule of a one-input op against the numerical gradient
 * g·(f(x + ε) − f(x − ε)) / 2ε, at evenly spaced inputs and for two gradients g from above
 * (1 and −0.5, so a rule that forgets to multiply by g is caught). The chart draws both
 * gradients for g = 1 and marks where they differ; the alt text and `check.text` say where, and
 * by how much.
 *
 * @example
 * backwardCheck({ f: Math.tanh, rule: (x, t, g) => (1 - t * t) * g }).check.ok; // true
 */
export function backwardCheck(options: BackwardCheckOptions): ChartSpec & { check: RuleCheck } {
  const { f, rule } = options ?? ({} as BackwardCheckOptions);
  for (const [name, fn] of [
    ["f", f],
    ["rule", rule],
  ] as const) {
    if (typeof fn !== "function") {
      throw new TypeError(
        `backwardCheck: ${name} must be a function, ` +
          `received ${fn === null ? "null" : typeof fn}; ` +
          "expected { f: Math.tanh, rule: (x, t, g) => … }",
      );
    }
  }
  const domain = checkDomain("backwardCheck", options.domain ?? [-3, 3]);
  const count = options.count ?? 61;
  if (!Number.isInteger(count) || count < 2 || count > 1000) {
    throw new RangeError(
      `backwardCheck: invalid count ${JSON.stringify(count)} ` +
        "(expected a whole number from 2 to 1000)",
    );
  }
  const xs = samples(domain[0], domain[1], count).map((x) => Number(x.toFixed(10)));
  let worst: RuleCheck["worst"] = null;
  let worstGap = -1;
  let notNumber: { x: number; value: unknown } | null = null;
  const differsAt = new Set<number>();
  const drawn: RuleSample[] = [];
  for (const g of GRADS) {
    for (const x of xs) {
      const t = f(x);
      const value: unknown = rule(x, t, g);
      const numeric = (g * (f(x + EPS) - f(x - EPS))) / (2 * EPS);
      const yours = typeof value === "number" ? value : NaN;
      if (typeof value !== "number" && notNumber === null) notNumber = { x, value };
      const gap = Math.abs(yours - numeric) / Math.max(1, Math.abs(numeric));
      const differs = !(gap <= TOLERANCE);
      if (differs) differsAt.add(x);
      if (!(gap <= worstGap)) {
        worstGap = Number.isNaN(gap) ? Infinity : gap;
        worst = { x, g, yours, numeric };
      }
      if (g === 1) drawn.push({ x, yours, numeric, differs });
    }
  }
  const ranges = runs(xs, differsAt);
  const ok = ranges.length === 0;
  const text = verdict(ok, ranges, xs, differsAt.size, worst!, notNumber, drawn);
  const shown = drawn.filter((s) => Number.isFinite(s.yours));
  const wrong = drawn.filter((s) => s.differs && Number.isFinite(s.yours));
  const spec = labelled({
    options: {
      width: 460,
      height: 280,
      style: chartStyle,
      ...axisRoom,
      marginTop: 30, // the axis label clear of the top tick
      marginRight: 12,
      x: { label: "x (the input)", domain },
      y: { label: "gradient passed back to x (g = 1)", grid: true, nice: true },
      color: {
        legend: true,
        domain: ["numerical gradient", "your rule", "where they differ"],
        range: [palette.highlight, palette.series[1], palette.wrong],
      },
      marks: [
        Plot.ruleY([0], { stroke: "currentColor", strokeOpacity: 0.4 }),
        Plot.line(drawn, {
          x: "x",
          y: "numeric",
          stroke: () => "numerical gradient",
          strokeWidth: 5,
          strokeOpacity: 0.6,
        }),
        Plot.dot(wrong, { x: "x", y: "yours", r: 2.5, fill: () => "where they differ" }),
        Plot.line(shown, {
          x: "x",
          y: "yours",
          stroke: () => "your rule",
          strokeWidth: 2.5,
          strokeDasharray: "6 3",
        }),
      ],
    },
    alt:
      `Two gradients of the op over x from ${fmt(domain[0])} to ${fmt(domain[1])}, for a ` +
      `gradient g = 1 from above: the numerical one (thick) and your rule's (dashed). ${text}`,
  });
  return { ...spec, check: { ok, samples: drawn, ranges, worst, text } };
}

// The differing inputs as contiguous ranges of the sampled xs.
function runs(xs: number[], differs: Set<number>): [number, number][] {
  const ranges: [number, number][] = [];
  let start: number | null = null;
  xs.forEach((x, i) => {
    if (differs.has(x) && start === null) start = x;
    if (start !== null && (!differs.has(x) || i === xs.length - 1)) {
      ranges.push([start, differs.has(x) ? x : xs[i - 1]]);
      start = null;
    }
  });
  return ranges;
}

// The check in words: right, or where and how the rule differs.
function verdict(
  ok: boolean,
  ranges: [number, number][],
  xs: number[],
  differing: number,
  worst: NonNullable<RuleCheck["worst"]>,
  notNumber: { x: number; value: unknown } | null,
  drawn: RuleSample[],
): string {
  const span = `x = ${fmt(xs[0])} to ${fmt(xs[xs.length - 1])}`;
  if (ok) {
    return (
      `Your rule matches the numerical gradient at all ${xs.length} inputs from ${span}, ` +
      "for g = 1 and for g = −0.5: it is right."
    );
  }
  if (notNumber) {
    const what = notNumber.value === undefined ? "undefined (no return?)" : String(notNumber.value);
    const x = fmt(notNumber.x);
    return `Your rule returned ${what} at x = ${x}, not a number: return the gradient for x.`;
  }
  const where = listing(
    ranges.map(([a, b]) => (a === b ? `at x = ${fmt(a)}` : `from x = ${fmt(a)} to ${fmt(b)}`)),
  );
  const forOne = drawn.every((s) => !s.differs);
  const many =
    differing === xs.length ? `all ${xs.length} inputs` : `${differing} of the ${xs.length} inputs`;
  const scope = forOne
    ? `It is right for g = 1 but not for g = −0.5, ${where}: does it multiply by g?`
    : `Your rule differs from the numerical gradient at ${many}, ${where}.`;
  return (
    `${scope} The largest gap is at x = ${fmt(worst.x)} with g = ${fmt(worst.g)}: your rule ` +
    `gives ${fmt(worst.yours, 3)}, the numerical gradient ${fmt(worst.numeric, 3)}.`
  );
}
