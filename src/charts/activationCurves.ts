// Activation functions a = f(z), drawn as small multiples (one panel each) or overlaid.
import * as Plot from "@observablehq/plot";
import { activationByName } from "./activations.ts";
import { checkDomain, samples } from "./checks.ts";
import { fmt, listing } from "./format.ts";
import { labelled, type ChartSpec } from "./spec.ts";
import { activationColours, axisRoom, chartStyle, defaults, palette } from "./theme.ts";

/** Options of {@link activationCurves}. */
export type ActivationCurvesOptions = {
  /**
   * Which functions, by name: "step", "sign", "identity", "sigmoid", "tanh", "relu",
   * "leakyRelu". Default step, sigmoid, tanh and ReLU.
   */
  names?: string[];
  /** The range of z drawn. Default [-4, 4]. */
  domain?: [number, number];
  /** "grid": one panel per function, two per row (default); "overlay": all in one panel. */
  layout?: "grid" | "overlay";
};

const activationDefaults = {
  names: ["step", "sigmoid", "tanh", "relu"],
  domain: [-4, 4] as [number, number],
  layout: "grid",
};

/**
 * Activation functions over a range of net sums z: step, sigmoid, tanh and ReLU by default.
 * Functions that jump at z = 0 (step, sign) are drawn with a gap at the jump.
 */
export function activationCurves(options: ActivationCurvesOptions = {}): ChartSpec {
  const names = options.names ?? activationDefaults.names;
  const domain = checkDomain("activationCurves", options.domain ?? activationDefaults.domain);
  const layout = options.layout ?? activationDefaults.layout;
  if (!Array.isArray(names) || names.length === 0) {
    throw new TypeError(
      `activationCurves: invalid names ${JSON.stringify(names)} ` +
        '(expected a non-empty array of activation names, such as ["sigmoid", "relu"])',
    );
  }
  if (layout !== "grid" && layout !== "overlay") {
    throw new RangeError(
      `activationCurves: invalid layout ${JSON.stringify(layout)} (expected "grid" or "overlay")`,
    );
  }
  const functions = names.map((name) => ({ name, ...activationByName(name) }));
  const columns = layout === "overlay" ? 1 : Math.min(2, functions.length);
  const rows = Math.ceil(functions.length / columns);
  const zs = samples(domain[0], domain[1], 241);

  const points = functions.flatMap((fn, k) => {
    const place = { label: fn.label, col: k % columns, row: Math.floor(k / columns) };
    const at = (z: number) => ({ ...place, z, a: fn.f(z) });
    if (!fn.jumpsAtZero || !(domain[0] < 0 && domain[1] > 0)) return zs.map(at);
    // A gap (NaN) between the last negative z and z = 0 breaks the line at the jump.
    const left = zs.filter((z) => z < 0).map(at);
    const right = [0, ...zs.filter((z) => z > 0)].map(at);
    return [...left, { ...place, z: 0, a: NaN }, ...right];
  });
  const labels = functions.map((fn) => fn.label);
  // each function keeps its own colour in every chart, wherever it sits in the list
  const colours = functions.map(
    (fn, k) => activationColours[fn.name] ?? palette.series[k % palette.series.length],
  );
  const facet = layout === "grid" ? { fx: "col", fy: "row" } : {};
  const titles = functions.map((fn, k) => ({
    label: fn.label,
    col: k % columns,
    row: Math.floor(k / columns),
  }));

  return labelled({
    options: {
      width: layout === "grid" && columns > 1 ? defaults.width : defaults.width,
      height: layout === "grid" ? Math.max(defaults.height, 190 * rows + 40) : defaults.height,
      style: chartStyle,
      ...axisRoom,
      marginRight: 16,
      marginTop: 30, // the ↑ a = f(z) label clear of the top tick
      x: { label: "z (net sum)", domain },
      y: { label: "a = f(z)", grid: true, nice: true },
      fx: { axis: null },
      fy: { axis: null },
      color: { domain: labels, range: colours, legend: layout === "overlay" },
      marks: [
        Plot.ruleY([0], { stroke: "currentColor", strokeOpacity: 0.4 }),
        Plot.ruleX([0], { stroke: "currentColor", strokeOpacity: 0.4 }),
        Plot.line(points, {
          ...facet,
          x: "z",
          y: "a",
          z: "label",
          stroke: "label",
          strokeWidth: 2.5,
        }),
        layout === "grid"
          ? Plot.text(titles, {
              ...facet,
              text: "label",
              frameAnchor: "top-left",
              dx: 6,
              dy: 4,
              fontWeight: "bold",
              fontSize: defaults.fontSize + 1,
            })
          : null,
      ],
    },
    alt: activationAlt(functions, domain, layout),
  });
}

function activationAlt(
  functions: { name: string; label: string; f: (z: number) => number; jumpsAtZero?: boolean }[],
  [lo, hi]: [number, number],
  layout: string,
): string {
  const how = layout === "grid" && functions.length > 1 ? ", one panel each" : "";
  const names = listing(functions.map((fn) => fn.label));
  const intro = `${names} for z from ${fmt(lo)} to ${fmt(hi)}${how}.`;
  const facts = functions.map(({ label, f, jumpsAtZero }) => {
    if (jumpsAtZero && lo < 0 && hi > 0) {
      return `${label} jumps from ${fmt(f(lo))} to ${fmt(f(hi))} at z = 0`;
    }
    if (lo < 0 && f(lo) === 0 && f(-1e-9) === 0) {
      return `${label} is 0 for negative z and rises to ${fmt(f(hi))}`;
    }
    const verb = f(hi) >= f(lo) ? "rises" : "falls";
    return `${label} ${verb} from ${fmt(f(lo))} to ${fmt(f(hi))}`;
  });
  const sentence = facts.join("; ");
  return `${intro} ${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`;
}
