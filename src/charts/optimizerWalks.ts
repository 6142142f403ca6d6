// Optimizers side by side on the valley of two weights: the walks of plain gradient descent,
// momentum and Adam from one start, for the same number of steps, over the same contour lines.
import * as Plot from "@observablehq/plot";
import { checkNumber } from "./checks.ts";
import { valley, valleyFrame, valleyMarks, zigzags } from "./descentContour.ts";
import { fmt, listing, plural } from "./format.ts";
import { labelled, type ChartSpec } from "./spec.ts";
import { palette } from "./theme.ts";

/** One optimizer's walk: its name (the legend's) and the weights [w₁, w₂] after each step. */
export type OptimizerWalk = { name: string; path: [number, number][] };

/** Options of {@link optimizerWalks}. */
export type OptimizerWalksOptions = {
  /** The walks, from one start, at most four; the first is drawn in the valley walk's orange. */
  walks: OptimizerWalk[];
  /** The learning rate the walks share, said in the words (left out when not given). */
  lr?: number;
  /** Write the distances to the minimum under the chart as its caption (for a cell). Default false. */
  caption?: boolean;
};

/** How each walk is told apart without colour: its colour, the shape of its dots, its dashes. */
const looks = [
  { colour: palette.series[1], symbol: "circle", dash: null },
  { colour: palette.series[0], symbol: "square", dash: "6 3" },
  { colour: "currentColor", symbol: "triangle", dash: "2 3" },
  { colour: palette.series[3], symbol: "diamond", dash: "8 3 2 3" },
] as const;

/**
 * The contour lines of {@link valley} and the walks of several optimizers over them, one colour,
 * dot shape and dash each, named in a legend; the start ringed, the minimum a green diamond. The
 * text alternative (and the caption, with `caption: true`) says where each walk ends, as its
 * distance to the minimum after its last step, and how it got there: the shape of its first step,
 * a zig-zag across the valley, an overshoot along it, or a divergence.
 *
 * @example
 * optimizerWalks({ walks: [{ name: "plain", path: [[-2, 2.5], [-1.7, 1.9]] }], lr: 0.1 })
 */
export function optimizerWalks(options: OptimizerWalksOptions): ChartSpec {
  const given = check(options?.walks);
  // the steps the walks were to make; one whose numbers overflowed is cut short
  const steps = Math.max(...given.map((w) => w.path.length - 1));
  const walks = overflowCut(given);
  const lr = options.lr === undefined ? undefined : checkNumber("optimizerWalks", "lr", options.lr);
  const names = walks.map((w) => w.name);
  const points = walks.flatMap(({ name, path }) =>
    path.map(([w1, w2], k) => ({ name, k, w1, w2 })),
  );
  const [[xlo, xhi], [ylo, yhi]] = [valley.x, valley.y];
  const inside = (p: { w1: number; w2: number }) =>
    p.w1 >= xlo && p.w1 <= xhi && p.w2 >= ylo && p.w2 <= yhi;
  const start = { w1: walks[0].path[0][0], w2: walks[0].path[0][1] };
  const text = words(walks, steps, lr);
  return labelled({
    options: {
      ...valleyFrame(340),
      color: { domain: names, range: walks.map((_, i) => looks[i].colour) },
      symbol: legend(names, walks.map((_, i) => looks[i].symbol)),
      ...(options.caption ? { caption: text.caption } : {}),
      marks: [
        ...valleyMarks(),
        ...walks.map((walk, i) =>
          Plot.line(
            walk.path.map(([w1, w2]) => ({ w1, w2 })),
            {
              x: "w1",
              y: "w2",
              stroke: looks[i].colour,
              strokeWidth: 2,
              strokeDasharray: looks[i].dash ?? undefined,
              clip: true,
            },
          ),
        ),
        Plot.dot(points.filter(inside), {
          x: "w1",
          y: "w2",
          symbol: "name",
          stroke: "name",
          fill: "var(--sl-color-bg, white)",
          strokeWidth: 1.5,
          r: 3.5,
        }),
        Plot.dot([start].filter(inside), {
          x: "w1",
          y: "w2",
          r: 8,
          stroke: "currentColor",
          strokeWidth: 2,
        }),
        Plot.text([start].filter(inside), {
          x: "w1",
          y: "w2",
          text: () => "start",
          dy: -15,
          fontWeight: "bold",
          fill: "currentColor",
          stroke: "var(--sl-color-bg, white)",
          strokeWidth: 3,
          paintOrder: "stroke",
        }),
      ],
    },
    alt:
      `Contour lines of the cost ${valley.formula}, a long valley lowest at (1, 1), and ` +
      `${text.alt}`,
  });
}

// The symbol scale with its legend, whose text stays legible on a phone, where the SVG shrinks
// and the legend does not (Plot takes a legend's options on its scale; its types leave them out).
function legend(names: string[], symbols: string[]): Plot.ScaleOptions {
  const options: Plot.ScaleOptions & Plot.LegendOptions = {
    domain: names,
    range: symbols,
    legend: "swatches",
    style: { fontSize: "14px" },
  };
  return options;
}

// How far a point is from the valley's minimum.
function distance([w1, w2]: [number, number]): number {
  return Math.hypot(w1 - valley.minimum[0], w2 - valley.minimum[1]);
}

// Each walk in words, and the distances for the caption.
function words(
  walks: OptimizerWalk[],
  steps: number,
  lr: number | undefined,
): { alt: string; caption: string } {
  const [s1, s2] = walks[0].path[0];
  const rate = lr === undefined ? "" : ` with the learning rate α = ${fmt(lr, 4)}`;
  const away = (path: [number, number][]) => {
    const d = distance(path[path.length - 1]);
    return d < 0.005 ? "at the minimum, to two decimals" : `${fmt(d, 2)} from the minimum`;
  };
  const told = walks.map(({ name, path }) => {
    const end = path.length - 1;
    const after = `after ${end === steps ? "" : `${end} of `}${plural(steps, "step")}`;
    return `${name}: ${how(path)}; ${after} it is ${away(path)}.`;
  });
  const alt =
    `${plural(walks.length, "walk")} of ${plural(steps, "step")} from (${fmt(s1)}, ${fmt(s2)})` +
    `${rate}. ${told.map((t) => t[0].toUpperCase() + t.slice(1)).join(" ")}`;
  const caption =
    `After ${plural(steps, "step")} from (${fmt(s1)}, ${fmt(s2)})${rate}, the distance to ` +
    `the minimum (1, 1): ${walks.map((w) => `${w.name}: ${fmt(distance(w.path[w.path.length - 1]), 2)}`).join("; ")}.`;
  return { alt, caption };
}

// The shape of one walk: its first step, then how it goes on.
function how(path: [number, number][]): string {
  const [m1, m2] = valley.minimum;
  const start = valley.J(...path[0]);
  const end = path[path.length - 1];
  if (!Number.isFinite(valley.J(...end)) || valley.J(...end) > start) {
    return "every step overshoots further, and the walk diverges";
  }
  const parts: string[] = [];
  if (path.length > 1) {
    const along = Math.abs(path[1][0] - path[0][0]);
    const across = Math.abs(path[1][1] - path[0][1]);
    const ratio = across / Math.max(along, 1e-12);
    parts.push(
      Math.abs(ratio - 1) < 0.1
        ? "its first step goes as far along the valley as across it"
        : ratio > 1
          ? `its first step goes ${fmt(ratio, 1)} times as far across the valley as along it`
          : `its first step goes ${fmt(1 / ratio, 1)} times as far along the valley as across it`,
    );
  }
  if (zigzags(path.map(([, w2]) => ({ w2 })))) parts.push("it zig-zags across the valley");
  // along the valley: does w₁ pass the minimum's and come back?
  const sides = path.map(([w1]) => Math.sign(w1 - m1)).filter((s) => s !== 0);
  const turns = sides.slice(1).filter((s, i) => s !== sides[i]).length;
  if (turns > 0) {
    parts.push(
      `it overshoots the minimum along the valley ${turns === 1 ? "once" : `${turns} times`}`,
    );
  }
  const near = path.findIndex((p) => distance(p) < 0.005);
  if (near >= 0) parts.push(`it reaches the minimum after ${plural(near, "step")}`);
  else if (Math.abs(end[1] - m2) < 0.05 && Math.abs(end[0] - m1) >= 0.05) {
    parts.push("it is still on its way along the valley's floor");
  }
  return listing(parts);
}

// Throws unless `walks` is one to four walks of [w₁, w₂] points from one start.
function check(walks: unknown): OptimizerWalk[] {
  const example = '[{ name: "plain", path: [[-2, 2.5], [-1.7, 1.9]] }]';
  if (!Array.isArray(walks) || walks.length === 0 || walks.length > looks.length) {
    throw new TypeError(
      `optimizerWalks: received walks ${Array.isArray(walks) ? `of length ${walks.length}` : typeof walks}; ` +
        `expected one to ${looks.length} walks { name, path }, such as ${example}`,
    );
  }
  walks.forEach((w, i) => {
    const path = (w as OptimizerWalk | null)?.path;
    const good =
      typeof (w as OptimizerWalk | null)?.name === "string" &&
      Array.isArray(path) &&
      path.length > 0 &&
      path.every((p) => Array.isArray(p) && p.length === 2 && p.every((v) => typeof v === "number")) &&
      path[0].every(Number.isFinite);
    if (!good) {
      throw new TypeError(
        `optimizerWalks: walk ${i} is ${JSON.stringify(w)?.slice(0, 80)}; expected { name, path } ` +
          `with a name and a path of [w₁, w₂] pairs of numbers from a finite start, such as ${example}`,
      );
    }
  });
  const [a, b] = walks[0].path[0];
  const other = walks.findIndex((w: OptimizerWalk) => w.path[0][0] !== a || w.path[0][1] !== b);
  if (other > 0) {
    throw new RangeError(
      `optimizerWalks: walk ${other} starts at [${walks[other].path[0]}], walk 0 at [${a}, ${b}]; ` +
        "the walks are compared from one start: give them the same first point",
    );
  }
  return walks as OptimizerWalk[];
}

// A walk whose numbers overflowed ends at its last finite point.
function overflowCut(walks: OptimizerWalk[]): OptimizerWalk[] {
  return walks.map(({ name, path }) => {
    const cut = path.findIndex((p) => !p.every(Number.isFinite));
    return { name, path: cut < 0 ? path : path.slice(0, cut) };
  });
}
