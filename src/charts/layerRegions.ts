// What a network with one hidden layer does with a 2-D input, panel by panel: each hidden unit's
// own region, the points as the output neuron sees them (at their hidden activations), and the
// network's decision region, with the state told in words.
import * as Plot from "@observablehq/plot";
import { arrange, type ArrangedSpec } from "./arrange.ts";
import { checkPoints } from "./checks.ts";
import type { LabelledPoint } from "./decisionLine.ts";
import { fmt, listing, plural } from "./format.ts";
import { labelled, type ChartSpec } from "./spec.ts";
import { palette } from "./theme.ts";

/** Options of {@link layerRegions}. */
export type LayerRegionsOptions = {
  /** The hidden layer: its activations for the input (x₁, x₂), one number per hidden unit. */
  hidden: (x1: number, x2: number) => number[];
  /** The output neuron: the probability of class 1 for the hidden activations h. */
  output: (h: number[]) => number;
  /** The training points, drawn in every panel. */
  points: LabelledPoint[];
  /** The range of the hidden activations: [0, 1] for sigmoid (default), [-1, 1] for tanh. */
  range?: [number, number];
  /** The epochs trained so far (0: none), for the caption. */
  epoch?: number;
  /** Its loss, for the caption. */
  loss?: number;
  /** Grid cells per side of each panel. Default 24. */
  resolution?: number;
};

const SIDE = 212;
const MAX_UNITS = 4;

/**
 * Small multiples of one network: a panel per hidden unit (blue where the unit's activation is
 * above the middle of its range, orange below, in three shades a side, paler near the middle,
 * with the line where it crosses);
 * the hidden space, when there are two hidden units: each point drawn at its hidden activations
 * (h₁, h₂) and labelled with its input, over the output neuron's region there; and the network's
 * output over the plane, with its line p = 0.5. The caption says which inputs each unit responds
 * to (naming the logic gate it computes when the points are the four corners of the square) and
 * how many points the output gets right.
 */
export function layerRegions(options: LayerRegionsOptions): ArrangedSpec {
  const { hidden, output } = options ?? {};
  if (typeof hidden !== "function" || typeof output !== "function") {
    throw new TypeError(
      `layerRegions: received hidden ${typeof hidden} and output ${typeof output}; expected two ` +
        "functions, hidden: (x1, x2) => [h1, h2, …] and output: (h) => probability of class 1",
    );
  }
  const points = checkPoints("layerRegions", options.points) as LabelledPoint[];
  const range = options.range ?? [0, 1];
  if (!Array.isArray(range) || range.length !== 2 || !(range[0] < range[1])) {
    throw new RangeError(
      `layerRegions: invalid range ${JSON.stringify(range)} (expected [low, high] of the hidden ` +
        "activation: [0, 1] for sigmoid, [-1, 1] for tanh)",
    );
  }
  const resolution = options.resolution ?? 24;
  if (!Number.isInteger(resolution) || resolution < 2 || resolution > 100) {
    throw new RangeError(
      `layerRegions: invalid resolution ${JSON.stringify(resolution)} (expected a whole number from 2 to 100)`,
    );
  }
  // Each input's hidden activations, checked once and kept: every x-plane panel asks for them.
  const seen = new Map<string, number[]>();
  const hiddenAt = (x1: number, x2: number): number[] => {
    const key = `${x1},${x2}`;
    let h = seen.get(key);
    if (!h) {
      h = checkHidden(
        hidden(x1, x2),
        x1,
        x2,
        range,
        seen.size === 0 ? null : [...seen.values()][0].length,
      );
      seen.set(key, h);
    }
    return h;
  };
  const probability = (h: number[]) => {
    const p = output(h);
    if (typeof p !== "number" || !(p >= 0 && p <= 1)) {
      throw new RangeError(
        `layerRegions: output([${h.map((v) => fmt(v)).join(", ")}]) returned ${JSON.stringify(p)}; ` +
          "expected a probability between 0 and 1 (the output neuron needs a sigmoid)",
      );
    }
    return p;
  };

  const units = hiddenAt(points[0]?.x1 ?? 0, points[0]?.x2 ?? 0).length;
  const middle = (range[0] + range[1]) / 2;
  const plane = { x: padded(points.map((p) => p.x1)), y: padded(points.map((p) => p.x2)) };
  const panels: ChartSpec[] = [];
  const sentences: string[] = [];
  const corners = isSquareCorners(points);

  for (let k = 0; k < Math.min(units, MAX_UNITS); k++) {
    const name = `h${subscript(k + 1)}`;
    const fires = points.filter((p) => hiddenAt(p.x1, p.x2)[k] >= middle);
    panels.push(
      regionPanel({
        title: `${name}: hidden unit ${k + 1}`,
        f: (x1, x2) => hiddenAt(x1, x2)[k],
        range,
        domain: plane,
        axes: ["x₁", "x₂"],
        points: points.map((p) => ({ x: p.x1, y: p.x2, label: p.label })),
        resolution,
        alt: `${name} over the input plane: ${unitWords(name, fires, points, middle, corners)}`,
      }),
    );
    sentences.push(unitWords(name, fires, points, middle, corners));
  }

  if (units === 2) {
    const space = points.map((p) => {
      const [h1, h2] = hiddenAt(p.x1, p.x2);
      return { x: h1, y: h2, label: p.label, text: `(${fmt(p.x1)}, ${fmt(p.x2)})` };
    });
    const separated = space.filter((p) => (probability([p.x, p.y]) >= 0.5 ? 1 : 0) === p.label);
    const box = { x: padded([...range]), y: padded([...range]) };
    const where = space.map((p) => `${p.text} at (${fmt(p.x)}, ${fmt(p.y)})`);
    panels.push(
      regionPanel({
        title: "hidden space (h₁, h₂)",
        f: (h1, h2) => probability([h1, h2]),
        range: [0, 1],
        domain: box,
        axes: ["h₁", "h₂"],
        points: space,
        resolution,
        alt:
          `The points at their hidden activations: ${listing(where)}, over the output neuron's ` +
          `region there; its line puts ${separated.length} of ${points.length} on the side of their label.`,
      }),
    );
  } else {
    sentences.push(
      `With ${plural(units, "hidden unit")}, the hidden space has ${units} dimensions: ` +
        "only a layer of two can be drawn in the plane.",
    );
  }

  const right = points.filter(
    (p) => (probability(hiddenAt(p.x1, p.x2)) >= 0.5 ? 1 : 0) === p.label,
  );
  panels.push(
    regionPanel({
      title: "output ŷ",
      f: (x1, x2) => probability(hiddenAt(x1, x2)),
      range: [0, 1],
      domain: plane,
      axes: ["x₁", "x₂"],
      points: points.map((p) => ({ x: p.x1, y: p.x2, label: p.label })),
      resolution,
      alt:
        "The network's output over the input plane, blue where it says class 1; " +
        `${right.length} of ${plural(points.length, "point")} are on the side of their label.`,
    }),
  );
  const state = [
    options.epoch === undefined
      ? null
      : options.epoch === 0
        ? "Before training"
        : `After epoch ${options.epoch}`,
    options.loss === undefined || !Number.isFinite(options.loss)
      ? null
      : `loss ${fmt(options.loss, 3)}`,
  ].filter((part) => part !== null);
  const caption =
    (state.length ? `${state.join(", ")}. ` : "") +
    `${sentences.join(" ")} The output is right for ${right.length} of ${plural(points.length, "point")}.`;
  const alt =
    `${panels.length} panels: ${panels.map((p) => p.alt).join(" ")} ` +
    (state.length ? `${state.join(", ")}.` : "");
  return arrange(panels, { columns: 2, gap: 18, caption, alt: alt.trim() });
}

// Checks what the hidden layer returned for one input.
function checkHidden(
  h: unknown,
  x1: number,
  x2: number,
  [low, high]: [number, number],
  units: number | null,
): number[] {
  const ok =
    Array.isArray(h) &&
    h.length > 0 &&
    h.every((v) => typeof v === "number" && v >= low && v <= high);
  if (!ok || (units !== null && (h as number[]).length !== units)) {
    throw new RangeError(
      `layerRegions: hidden(${fmt(x1)}, ${fmt(x2)}) returned ${JSON.stringify(h)}; expected ` +
        `${units ?? "one or more"} numbers from ${fmt(low)} to ${fmt(high)}, one per hidden unit ` +
        "(for tanh units, pass range: [-1, 1])",
    );
  }
  return h as number[];
}

type PanelPoint = { x: number; y: number; label: 0 | 1; text?: string };

// One panel: f over a box, shaded by how far above or below the middle of its range it is.
function regionPanel(panel: {
  title: string;
  f: (x: number, y: number) => number;
  range: [number, number];
  domain: { x: [number, number]; y: [number, number] };
  axes: [string, string];
  points: PanelPoint[];
  resolution: number;
  alt: string;
}): ChartSpec {
  const { f, range, domain, resolution: n } = panel;
  const [xlo, xhi] = domain.x;
  const [ylo, yhi] = domain.y;
  const dx = (xhi - xlo) / n;
  const dy = (yhi - ylo) / n;
  // (n + 2)² samples of f scaled to [0, 1], row by row from the bottom, one cell beyond the
  // frame on every side, so the contours' closing edges fall outside it and are clipped away.
  const grid: number[] = [];
  for (let j = -1; j <= n; j++) {
    for (let i = -1; i <= n; i++) {
      grid.push((f(xlo + (i + 0.5) * dx, ylo + (j + 0.5) * dy) - range[0]) / (range[1] - range[0]));
    }
  }
  const contour = (thresholds: number[], style: Record<string, unknown>) =>
    Plot.contour(grid, {
      width: n + 2,
      height: n + 2,
      x1: xlo - dx,
      x2: xhi + dx,
      y1: ylo - dy,
      y2: yhi + dy,
      thresholds,
      clip: true,
      ...style,
    });
  const rows = panel.points.map((p) => ({ ...p, kind: p.label === 1 ? "class 1" : "class 0" }));
  const labels = labelPlaces(panel.points, domain);
  return labelled({
    options: {
      width: SIDE,
      height: SIDE + 14,
      style: { fontSize: "13px" },
      marginTop: 26,
      marginRight: 10,
      marginBottom: 34,
      marginLeft: 42,
      x: { label: panel.axes[0], domain: domain.x, ...axis(domain.x) },
      y: { label: panel.axes[1], domain: domain.y, ...axis(domain.y) },
      // the shade of each band, by the threshold it starts at
      color: {
        type: "threshold",
        domain: BANDS.slice(1).map((b) => b.from),
        range: BANDS.map((b) => b.fill),
      },
      symbol: { domain: ["class 0", "class 1"], range: ["square", "circle"] },
      marks: [
        // Bands, each painted over the last: where f is at least the band's threshold. Three
        // shades a side, deepest far from the middle; one contour mark draws them all.
        Plot.frame({ fill: BANDS[0].fill, stroke: "none" }),
        contour(
          BANDS.slice(1).map((b) => b.from),
          { fill: Plot.identity, stroke: "none" },
        ),
        contour([0.5], { stroke: "currentColor", strokeWidth: 1.75, fill: "none" }),
        ...([0, 1] as const).map((label) =>
          Plot.dot(
            rows.filter((p) => p.label === label),
            {
              x: "x",
              y: "y",
              fill: label === 1 ? palette.class1 : palette.class0,
              symbol: "kind",
              r: 5,
              stroke: "currentColor",
              strokeWidth: 0.75,
            },
          ),
        ),
        ...labels.map((label) =>
          Plot.text([label], {
            x: "x",
            y: "y",
            text: "text",
            dx: label.anchor === "end" ? -8 : 8,
            dy: label.dy,
            textAnchor: label.anchor,
            lineAnchor: label.dy < 0 ? "bottom" : "top",
            fontSize: 12,
            fontWeight: "bold",
            fill: "currentColor",
            stroke: "var(--sl-color-bg, white)",
            strokeWidth: 3,
            paintOrder: "stroke",
          }),
        ),
        Plot.frame({ stroke: "currentColor", strokeOpacity: 0.3 }),
        Plot.text([panel.title], {
          frameAnchor: "top-left",
          dy: -18,
          dx: -34,
          textAnchor: "start",
          fontWeight: "bold",
          fontSize: 13,
          fill: "currentColor",
        }),
      ],
    },
    alt: panel.alt,
  });
}

// Ticks at 0 and 1 (where the logic gates' inputs are), written without decimals.
function axis([lo, hi]: [number, number]) {
  return {
    ticks: [0, 1].filter((t) => t >= lo && t <= hi),
    tickFormat: "~f",
    labelAnchor: "center",
  } as const;
}

// Text labels for points that carry one: points that (nearly) coincide share one label, set
// on the side away from the other points (so labels do not meet), unless that side leaves the box.
function labelPlaces(points: PanelPoint[], domain: { x: [number, number]; y: [number, number] }) {
  const [xlo, xhi] = domain.x;
  const [ylo, yhi] = domain.y;
  const near = (xhi - xlo) * 0.12;
  const groups: { x: number; y: number; texts: string[] }[] = [];
  for (const p of points) {
    if (p.text === undefined) continue;
    const group = groups.find((g) => Math.hypot(g.x - p.x, g.y - p.y) < near);
    if (group) group.texts.push(p.text);
    else groups.push({ x: p.x, y: p.y, texts: [p.text] });
  }
  const cx = groups.reduce((sum, g) => sum + g.x, 0) / groups.length;
  const cy = groups.reduce((sum, g) => sum + g.y, 0) / groups.length;
  return groups.map((g) => {
    let right = g.x >= cx;
    if (right && g.x > xhi - 0.3 * (xhi - xlo)) right = false;
    else if (!right && g.x < xlo + 0.3 * (xhi - xlo)) right = true;
    let above = g.y - cy > 0.05 * (yhi - ylo);
    if (above && g.y > yhi - 0.15 * (yhi - ylo)) above = false;
    else if (!above && g.y < ylo + 0.15 * (yhi - ylo)) above = true;
    return {
      x: g.x,
      y: g.y,
      text: g.texts.join("\n"),
      anchor: (right ? "start" : "end") as "start" | "end",
      dy: above ? -9 : 9,
    };
  });
}

// An opaque tint of a class colour over the page background.
const tint = (colour: string, percent: number) =>
  `color-mix(in srgb, ${colour} ${percent}%, var(--sl-color-bg, white))`;

/** The shades, by where f stands in its range (scaled to [0, 1]): orange low, blue high. */
const BANDS = [
  { from: 0, fill: tint(palette.class0, 50) },
  { from: 0.1, fill: tint(palette.class0, 30) },
  { from: 0.3, fill: tint(palette.class0, 12) },
  { from: 0.5, fill: tint(palette.class1, 12) },
  { from: 0.7, fill: tint(palette.class1, 30) },
  { from: 0.9, fill: tint(palette.class1, 50) },
];

// The sixteen functions of two inputs, by their outputs at (0,0), (0,1), (1,0), (1,1).
const GATES: Record<string, string> = {
  "0001": "AND",
  "0010": "x₁ AND NOT x₂",
  "0011": "x₁ (it ignores x₂)",
  "0100": "x₂ AND NOT x₁",
  "0101": "x₂ (it ignores x₁)",
  "0110": "XOR",
  "0111": "OR",
  "1000": "NOR",
  "1001": "XNOR",
  "1010": "NOT x₂",
  "1011": "x₁ OR NOT x₂",
  "1100": "NOT x₁",
  "1101": "x₂ OR NOT x₁",
  "1110": "NAND",
};

function isSquareCorners(points: LabelledPoint[]): boolean {
  const keys = points.map((p) => `${p.x1},${p.x2}`).sort();
  return keys.join(" ") === "0,0 0,1 1,0 1,1";
}

// "h₁ is above 0.5 for (0, 1), (1, 0) and (1, 1): it acts as OR."
function unitWords(
  name: string,
  fires: LabelledPoint[],
  points: LabelledPoint[],
  middle: number,
  corners: boolean,
): string {
  const where = (p: LabelledPoint) => `(${fmt(p.x1)}, ${fmt(p.x2)})`;
  if (fires.length === 0) return `${name} is below ${fmt(middle)} for every input.`;
  if (fires.length === points.length) return `${name} is above ${fmt(middle)} for every input.`;
  const said = `${name} is above ${fmt(middle)} for ${listing(fires.map(where))}`;
  if (!corners) return `${said}.`;
  const bits = ["0,0", "0,1", "1,0", "1,1"]
    .map((key) => (fires.some((p) => `${p.x1},${p.x2}` === key) ? "1" : "0"))
    .join("");
  return `${said}: it acts as ${GATES[bits]}.`;
}

function subscript(n: number): string {
  return String(n).replace(/\d/g, (d) => "₀₁₂₃₄₅₆₇₈₉"[Number(d)]);
}

// The extent of some values with room around it (at least 0.25 each side).
function padded(values: number[]): [number, number] {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const margin = Math.max(0.25, (hi - lo) * 0.15);
  return [lo - margin, hi + margin];
}
