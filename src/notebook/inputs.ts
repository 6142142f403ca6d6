/**
 * Inputs: controls a cell declares with `view(Inputs.range(…))`, after Observable Inputs. A cell
 * builds a plain-data spec here (in the worker, or in Node at build time); the control itself is
 * HTML made by `renderInput` from that spec, the same at build time and in the page, and its value
 * crosses between page and worker as plain data (a number, a string, a boolean, an option's index,
 * or a training command). Nothing here touches a DOM.
 */
import { escapeHtml } from "../charts/markup.ts";
import { formatNumber } from "./format.ts";
import { hashText } from "../charts/markup.ts";

/** What every control has: a visible label. */
interface Labelled {
  label: string;
}

/** A control, as plain data (what `Inputs.*` returns and what crosses to the page). */
export type InputSpec =
  | (Labelled & { type: "range"; min: number; max: number; step: number; value: number })
  | (Labelled & { type: "number"; min: number | null; max: number | null; step: number | null; value: number })
  | (Labelled & { type: "select" | "radio"; options: string[]; value: number })
  | (Labelled & { type: "checkbox"; options: string[]; value: number[] })
  | (Labelled & { type: "toggle"; value: boolean })
  | (Labelled & { type: "button"; text: string; value: number })
  | (Labelled & { type: "text"; placeholder: string; value: string })
  | (Labelled & { type: "training"; speed: TrainingSpeed; value: TrainingState })
  | (Labelled & {
      type: "points";
      x: [number, number];
      y: [number, number];
      classes: [string, string];
      value: Point[];
    })
  | (Labelled & { type: "draw"; width: number; height: number; value: number[] });

/** A point of a 2-D data set: where it is, and its class (0 or 1). */
export interface Point {
  x: number;
  y: number;
  label: 0 | 1;
}

/** The most points a point editor holds. */
export const MAX_POINTS = 400;

/** What the page sends when a control changes. */
export type InputValue = number | string | boolean | number[] | TrainingState | Point[];

/** How fast a training under controls goes: the pause between two steps. */
export type TrainingSpeed = "slow" | "medium" | "quick" | "fast";

/**
 * The pause between two steps of a training at each speed (ms). "quick" lets the reader watch a
 * picture drawn once an epoch change from epoch to epoch (the spiral: about 0.3 s an epoch), where
 * "fast" runs as fast as it can and the picture jumps.
 */
export const SPEED_MS: Record<TrainingSpeed, number> = { slow: 400, medium: 80, quick: 12, fast: 0 };

/** The state of a training's controls, as the page holds it. */
export interface TrainingState {
  /** Playing, or paused. */
  playing: boolean;
  speed: TrainingSpeed;
  /** Bumped by Reset: a new number starts the training again from its first weights. */
  resets: number;
}

/** An input with its values: `Inputs.select` keeps the option values, the page sees labels. */
export interface InputDeclaration {
  spec: InputSpec;
  /** The value a cell sees for an option index (select, radio, checkbox). */
  values?: unknown[];
}

/** Options every control takes. */
export interface InputOptions<T> {
  /** The visible label (and the control's accessible name). */
  label?: string;
  /** The starting value. */
  value?: T;
}

function fail(name: string, message: string): never {
  throw new TypeError(`Inputs.${name}: ${message}`);
}

function received(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(received).join(", ")}]`;
  if (typeof value === "function") return "a function";
  return String(value);
}

function label(name: string, options: { label?: unknown } | undefined, fallback: string): string {
  const text = options?.label ?? fallback;
  if (typeof text !== "string" || text.trim() === "") {
    fail(name, `label must be a non-empty string, received ${received(text)}`);
  }
  return text;
}

function finite(name: string, what: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    fail(name, `${what} must be a finite number, received ${received(value)}`);
  }
  return value;
}

// The decimals a step implies (0.05 → 2), so values print without float noise.
function decimals(step: number): number {
  const text = String(step);
  const exponent = /e-(\d+)$/.exec(text);
  if (exponent) return Number(exponent[1]);
  return text.includes(".") ? text.split(".")[1].length : 0;
}

/** Rounds a value to its step's grid, from `min`, without float noise (0.1 + 0.2 → 0.3). */
export function snap(value: number, min: number, step: number): number {
  const snapped = min + Math.round((value - min) / step) * step;
  return Number(snapped.toFixed(Math.max(decimals(step), decimals(min))));
}

function optionLabels(name: string, data: unknown, format?: (x: unknown) => string): string[] {
  if (!Array.isArray(data) || data.length === 0) {
    fail(name, `expected a non-empty array of options, received ${received(data)}`);
  }
  return data.map((option) => {
    const text = format ? format(option) : typeof option === "string" ? option : String(option);
    return String(text);
  });
}

function optionIndex(name: string, data: unknown[], value: unknown): number {
  if (value === undefined) return 0;
  const index = data.indexOf(value);
  if (index < 0) fail(name, `value ${received(value)} is not one of the options`);
  return index;
}

// The controls made of the browser's own form controls.
const FormInputs = {
  /** A slider with a number box: `Inputs.range([0, 1], { label: "α", step: 0.01, value: 0.3 })`. */
  range(
    extent: [number, number],
    options: InputOptions<number> & { step?: number } = {},
  ): InputDeclaration {
    if (!Array.isArray(extent) || extent.length !== 2) {
      fail("range", `expected [min, max], received ${received(extent)}`);
    }
    const min = finite("range", "min", extent[0]);
    const max = finite("range", "max", extent[1]);
    if (!(min < max)) fail("range", `min must be below max, received [${min}, ${max}]`);
    const step = finite("range", "step", options.step ?? (max - min) / 100);
    if (!(step > 0)) fail("range", `step must be above 0, received ${step}`);
    const start = finite("range", "value", options.value ?? (min + max) / 2);
    if (start < min || start > max) {
      fail("range", `value ${start} is outside [${min}, ${max}]`);
    }
    const value = snap(start, min, step);
    return { spec: { type: "range", label: label("range", options, "Value"), min, max, step, value } };
  },

  /** A number box: `Inputs.number([1, 100], { label: "Epochs", step: 1, value: 20 })`. */
  number(
    extent: [number, number] | undefined = undefined,
    options: InputOptions<number> & { step?: number } = {},
  ): InputDeclaration {
    const [min, max] = extent ?? [null, null];
    if (min !== null) finite("number", "min", min);
    if (max !== null) finite("number", "max", max);
    const step = options.step === undefined ? null : finite("number", "step", options.step);
    const value = finite("number", "value", options.value ?? min ?? 0);
    if ((min !== null && value < min) || (max !== null && value > max)) {
      fail("number", `value ${value} is outside [${min}, ${max}]`);
    }
    return {
      spec: { type: "number", label: label("number", options, "Number"), min, max, step, value },
    };
  },

  /** A drop-down list: `Inputs.select(["sgd", "adam"], { label: "Optimizer" })`. */
  select<T>(data: T[], options: InputOptions<T> & { format?: (x: T) => string } = {}) {
    const options_ = optionLabels("select", data, options.format as (x: unknown) => string);
    const value = optionIndex("select", data, options.value);
    const spec = { type: "select" as const, label: label("select", options, "Choose"), options: options_, value };
    return { spec, values: [...data] } satisfies InputDeclaration;
  },

  /** Radio buttons: `Inputs.radio(["step", "sigmoid"], { label: "Activation" })`. */
  radio<T>(data: T[], options: InputOptions<T> & { format?: (x: T) => string } = {}) {
    const options_ = optionLabels("radio", data, options.format as (x: unknown) => string);
    const value = optionIndex("radio", data, options.value);
    const spec = { type: "radio" as const, label: label("radio", options, "Choose"), options: options_, value };
    return { spec, values: [...data] } satisfies InputDeclaration;
  },

  /** Check boxes, any number ticked: the value is the array of ticked options. */
  checkbox<T>(data: T[], options: InputOptions<T[]> & { format?: (x: T) => string } = {}) {
    const options_ = optionLabels("checkbox", data, options.format as (x: unknown) => string);
    const value = (options.value ?? []).map((v) => optionIndex("checkbox", data, v));
    const spec = {
      type: "checkbox" as const,
      label: label("checkbox", options, "Choose"),
      options: options_,
      value,
    };
    return { spec, values: [...data] } satisfies InputDeclaration;
  },

  /** One switch, on or off: `Inputs.toggle({ label: "Show the gradient", value: true })`. */
  toggle(options: InputOptions<boolean> = {}): InputDeclaration {
    const value = options.value ?? false;
    if (typeof value !== "boolean") fail("toggle", `value must be true or false, received ${received(value)}`);
    return { spec: { type: "toggle", label: label("toggle", options, "On"), value } };
  },

  /** A button; its value counts the clicks (from 0). `Inputs.button("Shuffle")`. */
  button(text = "Click", options: { label?: string } = {}): InputDeclaration {
    if (typeof text !== "string" || text === "") fail("button", `expected its text, received ${received(text)}`);
    return { spec: { type: "button", label: label("button", options, text), text, value: 0 } };
  },

  /** A line of text: `Inputs.text({ label: "Rule", value: "x > 0" })`. */
  text(options: InputOptions<string> & { placeholder?: string } = {}): InputDeclaration {
    const value = options.value ?? "";
    if (typeof value !== "string") fail("text", `value must be a string, received ${received(value)}`);
    return {
      spec: {
        type: "text",
        label: label("text", options, "Text"),
        placeholder: String(options.placeholder ?? ""),
        value,
      },
    };
  },

  /**
   * Controls for a training loop: play, pause, step (one batch or one epoch), reset and speed. The
   * value is a {@link TrainingControls}: pass `controls.pace` to `train(…, { pace })`, or await
   * `controls.pace()` between the steps of a loop of your own.
   */
  training(options: { label?: string; speed?: TrainingSpeed } = {}): InputDeclaration {
    // Full speed unless asked: Run gives the trained network as fast as it can.
    const speed = options.speed ?? "fast";
    if (!(speed in SPEED_MS)) {
      fail("training", `speed must be one of "slow", "medium", "quick", "fast", received ${received(speed)}`);
    }
    return {
      spec: {
        type: "training",
        label: label("training", options, "Training"),
        speed,
        value: { playing: true, speed, resets: 0 },
      },
    };
  },
};

/** True for what `Inputs.*` returns. */
export function isPoint(value: unknown): value is Point {
  const p = value as Point;
  return (
    typeof p === "object" &&
    p !== null &&
    Number.isFinite(p.x) &&
    Number.isFinite(p.y) &&
    (p.label === 0 || p.label === 1)
  );
}

function extent(name: string, what: string, value: unknown): [number, number] {
  if (!Array.isArray(value) || value.length !== 2 || !(finite(name, what, value[0]) < finite(name, what, value[1]))) {
    fail(name, `${what} must be [min, max] with min < max, received ${received(value)}`);
  }
  return [value[0], value[1]];
}

// The controls drawn by the page (a plot of points, a drawing pad), worked by pointer or keys.
const PointerInputs = {
  /**
   * A 2-D point editor: click to add a point of the chosen class, drag one to move it, click one
   * to remove it (or use the keyboard). The value is the array of points `{ x, y, label }`.
   */
  points(
    options: InputOptions<Point[]> & {
      x?: [number, number];
      y?: [number, number];
      classes?: [string, string];
    } = {},
  ): InputDeclaration {
    const x = extent("points", "x", options.x ?? [-1, 1]);
    const y = extent("points", "y", options.y ?? [-1, 1]);
    const classes = options.classes ?? ["class 0", "class 1"];
    if (!Array.isArray(classes) || classes.length !== 2 || !classes.every((c) => typeof c === "string")) {
      fail("points", `classes must be two names, received ${received(classes)}`);
    }
    const value = options.value ?? [];
    if (!Array.isArray(value) || value.length > MAX_POINTS || !value.every(isPoint)) {
      fail("points", `value must be an array of { x, y, label: 0 or 1 } (at most ${MAX_POINTS})`);
    }
    const points = value.map(({ x: px, y: py, label: l }) => ({ x: px, y: py, label: l }));
    return {
      spec: { type: "points", label: label("points", options, "Points"), x, y, classes, value: points },
    };
  },

  /**
   * A drawing pad (mouse, finger, pen, or the keyboard). The value is the drawing as a grid of
   * `width × height` numbers from 0 (blank) to 1 (ink), row by row: 28 × 28 by default, the size
   * of the handwritten digits.
   */
  draw(options: { label?: string; width?: number; height?: number } = {}): InputDeclaration {
    const width = options.width ?? 28;
    const height = options.height ?? 28;
    for (const [what, n] of [["width", width], ["height", height]] as const) {
      if (!Number.isInteger(n) || n < 4 || n > 64) fail("draw", `${what} must be a whole number from 4 to 64, received ${received(n)}`);
    }
    return {
      spec: {
        type: "draw",
        label: label("draw", options, "Drawing"),
        width,
        height,
        value: new Array(width * height).fill(0),
      },
    };
  },
};

/**
 * The controls a cell can declare; each returns a declaration for `view()`. The signatures follow
 * Observable Inputs (`Inputs.range([min, max], { label, value, step })`).
 */
export const Inputs = Object.freeze(tagged({ ...FormInputs, ...PointerInputs }));

// What Inputs.* made: a cell cannot add to this set, nor change a spec once made (frozen, with its
// lists and records; a value list of points or a drawing stays the cell's own).
const made = new WeakSet<object>();

function tagged<T extends Record<string, (...args: never[]) => InputDeclaration>>(factories: T): T {
  const out: Record<string, unknown> = {};
  for (const [name, factory] of Object.entries(factories)) {
    out[name] = (...args: never[]) => {
      const declaration = factory(...args);
      const { spec } = declaration;
      for (const field of ["options", "classes", "x", "y"] as const) {
        const list = (spec as unknown as Record<string, unknown>)[field];
        if (Array.isArray(list)) Object.freeze(list);
      }
      if (spec.type === "training") Object.freeze(spec.value);
      Object.freeze(spec);
      Object.freeze(declaration);
      made.add(declaration);
      return declaration;
    };
  }
  return out as T;
}

/** True for what `Inputs.*` returned, and for nothing else (a look-alike object is refused). */
export function isInputDeclaration(value: unknown): value is InputDeclaration {
  return typeof value === "object" && value !== null && made.has(value);
}

/**
 * A value from the page (or saved storage) made safe for a spec: clamped, snapped, or the spec's
 * own value when it does not fit (a shared link may carry anything).
 */
export function acceptValue(spec: InputSpec, value: unknown): InputValue {
  switch (spec.type) {
    case "range": {
      if (typeof value !== "number" || !Number.isFinite(value)) return spec.value;
      return snap(Math.min(spec.max, Math.max(spec.min, value)), spec.min, spec.step);
    }
    case "number": {
      if (typeof value !== "number" || !Number.isFinite(value)) return spec.value;
      let v = value;
      if (spec.min !== null) v = Math.max(spec.min, v);
      if (spec.max !== null) v = Math.min(spec.max, v);
      return v;
    }
    case "select":
    case "radio":
      return Number.isInteger(value) && (value as number) >= 0 && (value as number) < spec.options.length
        ? (value as number)
        : spec.value;
    case "checkbox":
      return Array.isArray(value) &&
        value.every((i) => Number.isInteger(i) && i >= 0 && i < spec.options.length)
        ? [...new Set(value as number[])].sort((a, b) => a - b)
        : spec.value;
    case "toggle":
      return typeof value === "boolean" ? value : spec.value;
    case "button":
      return Number.isInteger(value) && (value as number) >= 0 ? (value as number) : spec.value;
    case "text":
      return typeof value === "string" ? value.slice(0, 10_000) : spec.value;
    case "points": {
      if (!Array.isArray(value) || value.length > MAX_POINTS || !value.every(isPoint)) return spec.value;
      const inside = (v: number, [lo, hi]: [number, number]) => Math.min(hi, Math.max(lo, v));
      return value.map((p) => ({ x: inside(p.x, spec.x), y: inside(p.y, spec.y), label: p.label }));
    }
    case "draw": {
      const n = spec.width * spec.height;
      if (!Array.isArray(value) || value.length !== n || !value.every((v) => typeof v === "number")) {
        return spec.value;
      }
      return value.map((v) => (Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0));
    }
    case "training": {
      const state = value as Partial<TrainingState> | null;
      if (typeof state !== "object" || state === null) return spec.value;
      return {
        playing: typeof state.playing === "boolean" ? state.playing : spec.value.playing,
        speed: state.speed && state.speed in SPEED_MS ? state.speed : spec.value.speed,
        resets: Number.isInteger(state.resets) ? (state.resets as number) : spec.value.resets,
      };
    }
  }
}

/** How a control shows its value in words (the number box, the text alternative). */
export function formatValue(spec: InputSpec, value: InputValue): string {
  switch (spec.type) {
    case "range":
      return (value as number).toFixed(Math.max(decimals(spec.step), decimals(spec.min)));
    case "number":
      return formatNumber(value as number);
    case "select":
    case "radio":
      return spec.options[value as number] ?? "";
    case "checkbox":
      return (value as number[]).map((i) => spec.options[i]).join(", ") || "none";
    case "toggle":
      return value ? "on" : "off";
    case "button":
      return `${value} click${value === 1 ? "" : "s"}`;
    case "text":
      return String(value);
    case "training": {
      const state = value as TrainingState;
      return `${state.playing ? "playing" : "paused"}, ${state.speed}`;
    }
    case "points": {
      const points = value as Point[];
      const counts = [0, 1].map((c) => points.filter((p) => p.label === c).length);
      return points.length === 0
        ? "No points yet."
        : `${points.length} point${points.length === 1 ? "" : "s"}: ${counts[0]} ${spec.classes[0]}, ` +
            `${counts[1]} ${spec.classes[1]}.`;
    }
    case "draw": {
      const inked = (value as number[]).filter((v) => v > 0.1).length;
      return inked === 0 ? "Empty." : `Drawn: ${inked} of ${spec.width * spec.height} squares inked.`;
    }
  }
}

/** The size of a point editor's plot, in its own units (the SVG's viewBox). */
export const PLOT_SIZE = 300;

/**
 * A point editor's marks, as the book's charts draw classes: class 0 as orange squares, class 1 as
 * blue circles (shape and colour both tell). As data (tag and attributes, in order), for the
 * markup below and for the page's DOM calls alike.
 */
export function pointMarkData(
  spec: { x: [number, number]; y: [number, number] },
  points: Point[],
): ["circle" | "rect", [string, string][]][] {
  const px = (x: number) => ((x - spec.x[0]) / (spec.x[1] - spec.x[0])) * PLOT_SIZE;
  const py = (y: number) => PLOT_SIZE - ((y - spec.y[0]) / (spec.y[1] - spec.y[0])) * PLOT_SIZE;
  return points.map((p, i) => {
    const [cx, cy] = [px(p.x).toFixed(1), py(p.y).toFixed(1)];
    return p.label === 1
      ? ["circle", [["class", "nb-pt nb-pt1"], ["data-i", String(i)], ["cx", cx], ["cy", cy], ["r", "6"]]]
      : ["rect", [["class", "nb-pt nb-pt0"], ["data-i", String(i)], ["x", (+cx - 5.5).toFixed(1)], ["y", (+cy - 5.5).toFixed(1)], ["width", "11"], ["height", "11"]]];
  });
}

/** The marks as markup. */
export function pointMarks(spec: { x: [number, number]; y: [number, number] }, points: Point[]): string {
  return pointMarkData(spec, points)
    .map(([tag, attributes]) => `<${tag}${attributes.map(([n, v]) => ` ${n}="${attr(v)}"`).join("")}></${tag}>`)
    .join("");
}

/** A control's id in a page: from its key (cell id and position), which is unique in a chapter. */
export function idOf(key: string): string {
  return `nb-in-${key.replace(/[^A-Za-z0-9_-]/g, "-")}`;
}

/** Tells the page whether a re-run declared the same control (then it keeps the element). */
export function inputSignature(spec: InputSpec): string {
  return hashText(JSON.stringify(spec));
}

/** The point editor's help line. */
export function pointsHelp(spec: { x: [number, number]; y: [number, number] }): string {
  const [x0, x1] = spec.x;
  const [y0, y1] = spec.y;
  return (
    `x from ${x0} to ${x1}, y from ${y0} to ${y1}. ` +
    "Click to add a point, drag one to move it, click one to remove it. Keys: arrows move " +
    "the cross, Enter adds a point, Delete removes the nearest, 0 and 1 choose the class."
  );
}

/** The drawing pad's help line. */
export const DRAW_HELP =
  "Draw with the mouse, a finger or a pen. Keys: arrows move the square, Space inks it, Shift " +
  "with the arrows inks as it moves, Delete clears the square.";

// Every value written into an attribute or text is escaped, numbers too: a spec is data.
function attr(value: unknown): string {
  return escapeHtml(String(value));
}

/**
 * A control as HTML: a labelled native element, keyboard-operable without script, showing its
 * value. The same markup at build time and in the page (`data-key` ties it to its cell's input).
 */
export function renderInput(key: string, spec: InputSpec, value: InputValue = spec.value): string {
  const id = idOf(key);
  const text = escapeHtml(spec.label);
  // `data-sig` tells the page whether a re-run declared the same control (then it keeps the
  // element, with the reader's focus and pointer on it); `data-default` is the cell's own value.
  const data =
    ` data-key="${escapeHtml(key)}" data-sig="${inputSignature(spec)}"` +
    ` data-default="${escapeHtml(JSON.stringify(spec.value))}"`;
  const open = (extra = "") => `<div class="nb-input nb-input--${spec.type}"${data}${extra}>`;
  switch (spec.type) {
    case "range": {
      const shown = escapeHtml(formatValue(spec, value));
      const bounds = `min="${attr(spec.min)}" max="${attr(spec.max)}" step="${attr(spec.step)}"`;
      return (
        `${open()}<label for="${id}">${text}</label>` +
        `<input type="range" id="${id}" ${bounds} value="${attr(value)}" data-role="value">` +
        `<input type="number" class="nb-input-number" ${bounds} value="${shown}" ` +
        `aria-label="${text} (exact value)" data-role="value"></div>`
      );
    }
    case "number": {
      const bound = (name: string, v: number | null) => (v === null ? "" : ` ${name}="${attr(v)}"`);
      const attributes =
        bound("min", spec.min) + bound("max", spec.max) + (spec.step === null ? ' step="any"' : bound("step", spec.step));
      return (
        `${open()}<label for="${id}">${text}</label>` +
        `<input type="number" id="${id}"${attributes} value="${attr(value)}" data-role="value"></div>`
      );
    }
    case "select": {
      const options = spec.options
        .map((o, i) => `<option value="${i}"${i === value ? " selected" : ""}>${escapeHtml(o)}</option>`)
        .join("");
      return `${open()}<label for="${id}">${text}</label><select id="${id}" data-role="value">${options}</select></div>`;
    }
    case "radio":
    case "checkbox": {
      const kind = spec.type === "radio" ? "radio" : "checkbox";
      const ticked = (i: number) =>
        spec.type === "radio" ? i === value : (value as number[]).includes(i);
      const items = spec.options
        .map(
          (o, i) =>
            `<label><input type="${kind}" name="${id}" value="${i}"${ticked(i) ? " checked" : ""} ` +
            `data-role="value">${escapeHtml(o)}</label>`,
        )
        .join("");
      return `${open()}<fieldset><legend>${text}</legend>${items}</fieldset></div>`;
    }
    case "toggle":
      return (
        `${open()}<label><input type="checkbox" role="switch" id="${id}"${value ? " checked" : ""} ` +
        `data-role="value">${text}</label></div>`
      );
    case "button": {
      const clicks = escapeHtml(formatValue(spec, value));
      const labelled = spec.label === spec.text ? "" : `<span class="nb-input-label">${text}</span>`;
      return (
        `${open(` data-value="${attr(value)}"`)}${labelled}<button type="button" id="${id}" data-role="value">` +
        `${escapeHtml(spec.text)}</button><span class="nb-input-note" data-role="note" aria-live="polite">` +
        `${clicks}</span></div>`
      );
    }
    case "text":
      return (
        `${open()}<label for="${id}">${text}</label><input type="text" id="${id}" ` +
        `value="${escapeHtml(String(value))}" placeholder="${escapeHtml(spec.placeholder)}" ` +
        `spellcheck="false" autocomplete="off" data-role="value"></div>`
      );
    case "points": {
      const points = value as Point[];
      const marks = pointMarks(spec, points);
      const [x0, x1] = spec.x;
      const [y0, y1] = spec.y;
      // Axes through 0 when 0 is in range.
      const ax = x0 < 0 && x1 > 0 ? ((0 - x0) / (x1 - x0)) * PLOT_SIZE : null;
      const ay = y0 < 0 && y1 > 0 ? PLOT_SIZE - ((0 - y0) / (y1 - y0)) * PLOT_SIZE : null;
      const axes =
        (ax === null ? "" : `<line class="nb-points-axis" x1="${attr(ax)}" y1="0" x2="${attr(ax)}" y2="${PLOT_SIZE}"></line>`) +
        (ay === null ? "" : `<line class="nb-points-axis" x1="0" y1="${attr(ay)}" x2="${PLOT_SIZE}" y2="${attr(ay)}"></line>`);
      const classes = spec.classes
        .map(
          (name, i) =>
            `<label><input type="radio" name="${id}-class" value="${i}"${i === 0 ? " checked" : ""} ` +
            `data-role="class"><span class="nb-pt-key nb-pt-key${i}" aria-hidden="true"></span>${escapeHtml(name)}</label>`,
        )
        .join("");
      return (
        `${open(` data-value="${escapeHtml(JSON.stringify(points))}" data-x="${attr(`${x0} ${x1}`)}" data-y="${attr(`${y0} ${y1}`)}"`)}` +
        `<div class="nb-points-head"><span class="nb-input-label" id="${id}-label">${text}</span>` +
        `<fieldset><legend>New points:</legend>${classes}</fieldset>` +
        `<button type="button" data-command="clear">Clear</button></div>` +
        `<svg class="nb-points-plot" viewBox="0 0 ${PLOT_SIZE} ${PLOT_SIZE}" tabindex="0" role="application" ` +
        `aria-roledescription="point editor" aria-labelledby="${id}-label" aria-describedby="${id}-state ${id}-help">` +
        `<rect class="nb-points-area" width="${PLOT_SIZE}" height="${PLOT_SIZE}"></rect>${axes}` +
        `<g class="nb-points-marks">${marks}</g>` +
        `<path class="nb-points-cursor" d="M-8 0H8M0 -8V8" visibility="hidden"></path></svg>` +
        `<p class="nb-input-note" id="${id}-state" data-role="note" aria-live="polite">` +
        `${escapeHtml(formatValue(spec, points))}</p>` +
        `<p class="nb-input-help" id="${id}-help">${escapeHtml(pointsHelp(spec))}` +
        "</p></div>"
      );
    }
    case "draw": {
      const size = spec.width * 10;
      return (
        `${open(` data-width="${attr(spec.width)}" data-height="${attr(spec.height)}"`)}` +
        `<span class="nb-input-label" id="${id}-label">${text}</span>` +
        `<canvas class="nb-draw-pad" width="${attr(size)}" height="${attr(spec.height * 10)}" tabindex="0" ` +
        `role="application" aria-roledescription="drawing pad" aria-labelledby="${id}-label" ` +
        `aria-describedby="${id}-state ${id}-help"></canvas>` +
        `<div class="nb-draw-tools"><button type="button" data-command="clear">Clear</button>` +
        `<span class="nb-input-note" id="${id}-state" data-role="note" aria-live="polite">` +
        `${escapeHtml(formatValue(spec, value))}</span></div>` +
        `<p class="nb-input-help" id="${id}-help">${escapeHtml(DRAW_HELP)}</p></div>`
      );
    }
    case "training": {
      const state = value as TrainingState;
      const speeds = (Object.keys(SPEED_MS) as TrainingSpeed[])
        .map((s) => `<option value="${attr(s)}"${s === state.speed ? " selected" : ""}>${escapeHtml(s)}</option>`)
        .join("");
      return (
        // data-playing is what the button shows (nothing plays until the reader acts).
        `${open(` data-playing="false" data-resets="${attr(state.resets)}"`)}` +
        `<div role="group" aria-label="${text}" class="nb-training-controls">` +
        `<span class="nb-input-label">${text}</span>` +
        `<button type="button" data-command="toggle">Play</button>` +
        `<button type="button" data-command="step-batch">Step a batch</button>` +
        `<button type="button" data-command="step-epoch">Step an epoch</button>` +
        `<button type="button" data-command="reset">Reset</button>` +
        `<label>Speed <select data-command="speed">${speeds}</select></label>` +
        `<span class="nb-input-note" role="status" data-role="status"></span></div></div>`
      );
    }
  }
}
