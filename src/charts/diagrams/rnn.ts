// A recurrent network unrolled in time: one copy of the cell per step, the state passed along.
import { fmt, listing } from "../format.ts";
import { palette } from "../theme.ts";
import { escapeHtml } from "../markup.ts";

/** Options of {@link rnnDiagram}. */
export type RnnDiagramOptions = {
  /** The inputs x₁ … x_T, one per step (1 to 6 steps). */
  inputs: number[];
  /** The hidden states h₁ … h_T the cell computed, one per step. Without them, only names. */
  states?: number[];
  /** The state before the first step, h₀. Default 0. */
  initial?: number;
};

/** The most steps drawn: more would shrink the text below 9 px on a phone. */
export const MAX_STEPS = 6;

const STEP = 72; // px between two steps
const BOX = 48; // the cell's box
const SIDE = 44; // room at the left for h₀
const subscripts = "₀₁₂₃₄₅₆₇₈₉";
const sub = (n: number) => [...String(n)].map((d) => subscripts[Number(d)]).join("");

/**
 * The recurrent cell h_t = f(W_x·x_t + W_h·h_{t−1} + b) unrolled over the steps: inputs in circles
 * along the bottom, one box per step with its state (tinted blue when positive, orange when
 * negative, stronger the larger), and arrows carrying each state to the next step, the same
 * weights w_x and w_h on every step. Returns SVG markup that carries its own `role="img"` and
 * label, and the same words as `alt`.
 */
export function rnnDiagram(options: RnnDiagramOptions): { svg: string; alt: string } {
  const { inputs, states, initial } = check(options);
  const steps = inputs.length;
  const width = SIDE + steps * STEP + 8;
  const height = 214;
  const [boxY, inY, outY] = [52, 150, 8]; // the box's top, the inputs' centre, the arrows' tips
  const cx = (t: number) => SIDE + STEP / 2 + t * STEP; // the centre of step t (from 0)
  const tint = (h: number) =>
    `fill="${h >= 0 ? palette.class1 : palette.class0}" fill-opacity="${fmt(Math.min(1, Math.abs(h)) * 0.45, 3)}"`;
  const parts: string[] = [];
  const arrow = (x1: number, y1: number, x2: number, y2: number) =>
    `<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="currentColor" stroke-width="1.6" marker-end="url(#rnn-arrow)"/>`;
  const text = (x: number, y: number, content: string, extra = "") =>
    `<text x="${x}" y="${y}" text-anchor="middle" dominant-baseline="central" fill="currentColor"${extra}>${content}</text>`;

  // h₀: the state before the first input.
  const y0 = boxY + BOX / 2;
  parts.push(text(SIDE / 2 - 2, y0 - 10, "h" + sub(0), ' font-style="italic"'));
  parts.push(text(SIDE / 2 - 2, y0 + 10, fmt(initial, 2)));
  parts.push(arrow(SIDE - 8, y0, cx(0) - BOX / 2 - 2, y0));
  for (let t = 0; t < steps; t++) {
    const x = cx(t);
    const h = states?.[t];
    // the cell at step t+1, its state inside
    parts.push(
      `<rect x="${x - BOX / 2}" y="${boxY}" width="${BOX}" height="${BOX}" rx="8" ` +
        `${h === undefined ? 'fill="none"' : tint(h)} stroke="currentColor" stroke-width="1.6"/>`,
    );
    parts.push(text(x, boxY + (h === undefined ? BOX / 2 : 16), `h${sub(t + 1)}`, ' font-style="italic"'));
    if (h !== undefined) parts.push(text(x, boxY + 34, fmt(h, 2), ' font-weight="600"'));
    // the input below, and its arrow up into the cell
    parts.push(`<circle cx="${x}" cy="${inY}" r="19" fill="none" stroke="currentColor" stroke-width="1.6"/>`);
    parts.push(text(x, inY, fmt(inputs[t], 2)));
    parts.push(arrow(x, inY - 20, x, boxY + BOX + 3));
    parts.push(text(x, inY + 35, `x${sub(t + 1)}`, ' font-style="italic"'));
    // the state out of the top (the step's output), and on to the next step
    parts.push(arrow(x, boxY, x, outY));
    if (t + 1 < steps) parts.push(arrow(x + BOX / 2, y0, cx(t + 1) - BOX / 2 - 2, y0));
  }
  // The weights, named once on the first step: every step uses the same ones.
  const weight = (x: number, y: number, name: string, anchor: "end" | "middle") =>
    `<text x="${x}" y="${y}" text-anchor="${anchor}" dominant-baseline="central" fill="currentColor" ` +
    `font-style="italic">W<tspan font-size="14" dy="4">${name}</tspan></text>`;
  parts.push(weight(cx(0) - 5, (inY - 20 + boxY + BOX) / 2, "x", "end"));
  // in the gap between the first two cells, above their arrow
  if (steps > 1) parts.push(weight((cx(0) + cx(1)) / 2, y0 - 16, "h", "middle"));
  const alt = rnnAlt(inputs, states, initial);
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" ` +
    `height="${height}" role="img" aria-label="${escapeHtml(alt)}" ` +
    `style="max-width: 100%; height: auto; font-size: 16px; font-family: inherit">` +
    `<title>${escapeHtml(alt)}</title>` +
    `<defs><marker id="rnn-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" ` +
    `markerHeight="7" orient="auto"><path d="M0 0L10 5L0 10z" fill="currentColor"/></marker></defs>` +
    parts.join("") +
    "</svg>";
  return { svg, alt };
}

function rnnAlt(inputs: number[], states: number[] | undefined, initial: number): string {
  const steps = inputs.length;
  const numbers = (xs: number[]) => listing(xs.map((v) => fmt(v, 2)));
  let text =
    `A recurrent cell unrolled over ${steps} step${steps === 1 ? "" : "s"}: at each step it reads ` +
    `one input and the state of the step before (starting from h₀ = ${fmt(initial, 2)}), with ` +
    `the same weights every time. Inputs: ${numbers(inputs)}.`;
  if (states) text += ` States: ${numbers(states)}.`;
  return text;
}

function check(options: RnnDiagramOptions) {
  const { inputs, states, initial = 0 } = options ?? ({} as RnnDiagramOptions);
  if (!Array.isArray(inputs) || inputs.length === 0 || !inputs.every(Number.isFinite)) {
    const received = Array.isArray(inputs) ? `[${inputs.join(", ")}]` : typeof inputs;
    throw new TypeError(
      `rnnDiagram: received inputs ${received}; expected a non-empty array of finite numbers, ` +
        "one per step, such as [1, 0, 0, 0]",
    );
  }
  if (inputs.length > MAX_STEPS) {
    throw new RangeError(
      `rnnDiagram: received ${inputs.length} inputs; at most ${MAX_STEPS} steps fit a page ` +
        `(a phone's included). Draw the first ${MAX_STEPS}: inputs.slice(0, ${MAX_STEPS})`,
    );
  }
  if (states !== undefined && (!Array.isArray(states) || states.length !== inputs.length || !states.every(Number.isFinite))) {
    throw new RangeError(
      `rnnDiagram: received ${Array.isArray(states) ? states.length : typeof states} states for ` +
        `${inputs.length} inputs; expected one finite state per input`,
    );
  }
  if (!Number.isFinite(initial)) {
    throw new TypeError(`rnnDiagram: received initial ${JSON.stringify(initial)}; expected a finite number`);
  }
  return { inputs, states, initial };
}
