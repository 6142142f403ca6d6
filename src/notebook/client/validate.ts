/**
 * The door between the kernel worker and the page. Whatever the worker sends is untrusted data (a
 * cell's code runs there): each message is parsed here into a known shape, checked against what
 * the page knows (its cells, the runs it has seen start, the controls it made), and dropped
 * otherwise. Nothing here touches the DOM; nothing throws.
 */
import { acceptValue, MAX_POINTS, SPEED_MS, type InputSpec, type InputValue } from "../inputs.ts";
import type { CellStatus, TrainingStatus } from "../types.ts";
import { CAPS, countTags, type FromWorker, type ProgressReport } from "./protocol.ts";

/** Bounds on what one message may carry (a run's outputs: CAPS, in protocol.ts). */
export const LIMITS = {
  /** Characters of markup of one output or progress chart. */
  html: CAPS.partChars,
  /** Elements of markup of one output or progress chart. */
  tags: CAPS.partTags,
  /** Parts (outputs) of one run, with the note that ends a run cut short. */
  parts: CAPS.parts + 1,
  /** Characters of a status, error or progress line. */
  text: 2_000,
  /** Characters of a control's label, option or placeholder. */
  label: 500,
  /** Options of a select, radio or checkbox. */
  options: 1_000,
};

/** A control part, checked: a spec of a known kind and a value that fits it. */
export interface ControlPart {
  kind: "input";
  key: string;
  spec: InputSpec;
  value: InputValue;
}

/** A part of a run's output after the door: markup to sanitize, a checked control, or a refusal. */
export type CheckedPart =
  | { kind: "html"; html: string; tags: number }
  | ControlPart
  | { kind: "refused"; key: string; reason: string };

type Result<T> = { ok: true; value: T } | { ok: false; reason: string };

const ok = <T>(value: T): Result<T> => ({ ok: true, value });
const no = (reason: string): Result<never> => ({ ok: false, reason });

function shown(value: unknown): string {
  try {
    const text = typeof value === "string" ? JSON.stringify(value) : String(JSON.stringify(value) ?? value);
    return text.length > 60 ? `${text.slice(0, 60)}…` : text;
  } catch {
    return Object.prototype.toString.call(value);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const finite = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const index = (v: unknown, length: number): v is number => Number.isInteger(v) && (v as number) >= 0 && (v as number) < length;
const text = (v: unknown, max: number): v is string => typeof v === "string" && v.length <= max;

function extent(v: unknown): v is [number, number] {
  return Array.isArray(v) && v.length === 2 && finite(v[0]) && finite(v[1]) && v[0] < v[1];
}

function options(v: unknown): v is string[] {
  return Array.isArray(v) && v.length > 0 && v.length <= LIMITS.options && v.every((o) => text(o, LIMITS.label));
}

/**
 * A control's spec as the worker sent it, parsed into the shape `Inputs.*` makes (same fields, in
 * the same order, so its signature matches the build's) or refused with the field at fault.
 */
export function parseInputSpec(raw: unknown): Result<InputSpec> {
  if (!isRecord(raw)) return no(`its spec is ${shown(raw)}, expected an object made by Inputs`);
  const { type } = raw;
  const label = raw.label;
  if (!text(label, LIMITS.label) || label.trim() === "") {
    return no(`its label is ${shown(label)}, expected a non-empty string of at most ${LIMITS.label} characters`);
  }
  const field = (name: string, expected: string) =>
    no(`its ${name} is ${shown(raw[name])}, expected ${expected} (a ${shown(type)} control made by Inputs)`);
  switch (type) {
    case "range": {
      const { min, max, step, value } = raw;
      if (!finite(min)) return field("min", "a finite number");
      if (!finite(max) || !(max > min)) return field("max", "a finite number above min");
      if (!finite(step) || !(step > 0)) return field("step", "a finite number above 0");
      if (!finite(value)) return field("value", "a finite number");
      const spec: InputSpec = { type, label, min, max, step, value };
      return ok({ ...spec, value: acceptValue(spec, value) as number });
    }
    case "number": {
      const { min, max, step, value } = raw;
      const maybe = (v: unknown): v is number | null => v === null || finite(v);
      if (!maybe(min)) return field("min", "a finite number or null");
      if (!maybe(max) || (min !== null && max !== null && max < min)) return field("max", "a finite number (not below min) or null");
      if (!maybe(step) || (step !== null && !(step > 0))) return field("step", "a finite number above 0, or null");
      if (!finite(value)) return field("value", "a finite number");
      const spec: InputSpec = { type, label, min, max, step, value };
      return ok({ ...spec, value: acceptValue(spec, value) as number });
    }
    case "select":
    case "radio": {
      if (!options(raw.options)) return field("options", `1 to ${LIMITS.options} strings`);
      if (!index(raw.value, raw.options.length)) return field("value", "the index of an option");
      return ok({ type, label, options: [...raw.options], value: raw.value });
    }
    case "checkbox": {
      if (!options(raw.options)) return field("options", `1 to ${LIMITS.options} strings`);
      const length = raw.options.length;
      if (!Array.isArray(raw.value) || !raw.value.every((i) => index(i, length))) {
        return field("value", "a list of option indexes");
      }
      return ok({ type, label, options: [...raw.options], value: [...new Set(raw.value as number[])] });
    }
    case "toggle":
      if (typeof raw.value !== "boolean") return field("value", "true or false");
      return ok({ type, label, value: raw.value });
    case "button":
      if (!text(raw.text, LIMITS.label) || raw.text === "") return field("text", "a non-empty string");
      if (!Number.isInteger(raw.value) || (raw.value as number) < 0) return field("value", "a count of clicks");
      return ok({ type, label, text: raw.text, value: raw.value as number });
    case "text":
      if (!text(raw.placeholder, LIMITS.label)) return field("placeholder", "a string");
      if (!text(raw.value, 10_000)) return field("value", "a string of at most 10000 characters");
      return ok({ type, label, placeholder: raw.placeholder, value: raw.value });
    case "training": {
      const { speed, value } = raw;
      if (typeof speed !== "string" || !Object.hasOwn(SPEED_MS, speed)) return field("speed", '"slow", "medium", "quick" or "fast"');
      const state = value as Record<string, unknown>;
      if (
        !isRecord(state) ||
        typeof state.playing !== "boolean" ||
        typeof state.speed !== "string" ||
        !Object.hasOwn(SPEED_MS, state.speed) ||
        !Number.isInteger(state.resets) ||
        (state.resets as number) < 0
      ) {
        return field("value", "{ playing, speed, resets }");
      }
      const s = speed as keyof typeof SPEED_MS;
      const v = { playing: state.playing, speed: state.speed as typeof s, resets: state.resets as number };
      return ok({ type, label, speed: s, value: v });
    }
    case "points": {
      const { x, y, classes, value } = raw;
      if (!extent(x)) return field("x", "[min, max] with min < max");
      if (!extent(y)) return field("y", "[min, max] with min < max");
      if (!Array.isArray(classes) || classes.length !== 2 || !classes.every((c) => text(c, LIMITS.label))) {
        return field("classes", "two names");
      }
      const spec: InputSpec = { type, label, x: [x[0], x[1]], y: [y[0], y[1]], classes: [classes[0], classes[1]], value: [] };
      if (!Array.isArray(value) || value.length > MAX_POINTS) return field("value", `a list of at most ${MAX_POINTS} points`);
      return ok({ ...spec, value: acceptValue(spec, value) as InputSpec["value"] & [] });
    }
    case "draw": {
      const { width, height, value } = raw;
      const side = (n: unknown) => Number.isInteger(n) && (n as number) >= 4 && (n as number) <= 64;
      if (!side(width)) return field("width", "a whole number from 4 to 64");
      if (!side(height)) return field("height", "a whole number from 4 to 64");
      const n = (width as number) * (height as number);
      if (!Array.isArray(value) || value.length !== n || !value.every((v) => typeof v === "number")) {
        return field("value", `${n} numbers from 0 to 1`);
      }
      const spec: InputSpec = { type, label, width: width as number, height: height as number, value: [] };
      return ok({ ...spec, value: acceptValue(spec, value) as number[] });
    }
  }
  return no(
    `its type is ${shown(type)}, expected one of "range", "number", "select", "radio", "checkbox", ` +
      `"toggle", "button", "text", "training", "points", "draw"`,
  );
}

/** What the page knows when a message arrives. */
export interface PageKnows {
  /** The chapter's cell ids. */
  cells: ReadonlySet<string>;
  /** The newest run number seen start, per cell. */
  runs: ReadonlyMap<string, number>;
  /** The keys of the training controls in the page. */
  trainings(key: string): boolean;
  /** What the page holds of a cell's newest run: the last message it took, and the parts so far. */
  stream(id: string): Stream | undefined;
}

/** A cell's run as the page holds it. */
export interface Stream {
  run: number;
  /** The `seq` of the last message taken. */
  seq: number;
  parts: readonly CheckedPart[];
}

const STATUSES: readonly CellStatus[] = ["running", "done", "failed", "stopped", "blocked"];

/** A message that passed the door. Cell parts are checked one by one (a bad control is refused). */
export type CheckedMessage =
  | Exclude<FromWorker, { type: "cell" }>
  | (Omit<Extract<FromWorker, { type: "cell" }>, "parts"> & { parts: CheckedPart[] });

/** What parts add up to against a run's caps. */
function totals(parts: readonly CheckedPart[], upTo = parts.length): { chars: number; tags: number } {
  let chars = 0;
  let tags = 0;
  for (const part of parts.slice(0, upTo)) {
    if (part.kind === "html") (chars += part.html.length), (tags += part.tags);
    else tags += 1;
  }
  return { chars, tags };
}

/**
 * A cell's output parts: markup within the caps of one output, and controls of that cell, parsed.
 * `kept` are the parts of the run the page keeps before these: together, within a run's caps.
 */
export function checkParts(cellId: string, raw: unknown, kept: readonly CheckedPart[] = []): Result<CheckedPart[]> {
  if (!Array.isArray(raw)) return no(`parts is ${shown(raw)}, expected a list`);
  if (kept.length + raw.length > LIMITS.parts) return no(`${kept.length + raw.length} parts, over the ${LIMITS.parts} of a run`);
  const parts: CheckedPart[] = [];
  for (const part of raw) {
    if (!isRecord(part)) return no(`a part is ${shown(part)}, expected { kind, … }`);
    if (part.kind === "html") {
      const html = part.html;
      if (typeof html !== "string") return no(`an html part holds ${shown(html)}, expected a string`);
      if (html.length > LIMITS.html) return no(`an html part of ${html.length} characters, over the ${LIMITS.html} of one output`);
      const tags = countTags(html, LIMITS.tags);
      if (tags > LIMITS.tags) return no(`an html part of more than ${LIMITS.tags} elements, the most of one output`);
      parts.push({ kind: "html", html, tags });
    } else if (part.kind === "input") {
      const key = part.key;
      if (typeof key !== "string" || !new RegExp(`^${escapeRegExp(cellId)}:\\d{1,6}$`).test(key)) {
        return no(`a control's key is ${shown(key)}, expected "${cellId}:<n>" (a control of this cell)`);
      }
      const spec = parseInputSpec(part.spec);
      if (!spec.ok) {
        parts.push({ kind: "refused", key, reason: spec.reason });
        continue;
      }
      parts.push({ kind: "input", key, spec: spec.value, value: acceptValue(spec.value, part.value) });
    } else return no(`a part's kind is ${shown(part.kind)}, expected "html" or "input"`);
  }
  const { chars, tags } = totals([...kept, ...parts]);
  if (chars > CAPS.chars + CAPS.note || tags > CAPS.tags + 10) {
    return no(`a run's parts add up to ${chars} characters and ${tags} elements, over its caps (${CAPS.chars}, ${CAPS.tags})`);
  }
  return ok(parts);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Where a cell message's parts go, checked against what the page holds of the run: the parts it
 * keeps before them. A running message must follow the run's last one taken (`seq` one more) and
 * start within the parts the page has (`from`); anything else is a gap or a repeat, refused whole.
 * A run's last message (any other status) starts at 0 and may follow a gap: it settles all.
 */
function checkOrder(raw: Record<string, unknown>, stream: Stream | undefined): Result<readonly CheckedPart[]> {
  const { seq, from, run, status } = raw;
  const count = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;
  if (!count(seq) || seq < 1) return no(`a cell message's seq is ${shown(seq)}, expected a count from 1`);
  if (!count(from)) return no(`a cell message's from is ${shown(from)}, expected a count of parts`);
  const same = stream?.run === run ? stream : undefined;
  if (same && seq <= same.seq) return no(`message ${seq} of run ${String(run)} came again, or late (the page has taken up to ${same.seq})`);
  if (status !== "running") return from === 0 ? ok([]) : no(`a run's last message starts at part ${from}, expected 0 (all it showed)`);
  const last = same?.seq ?? 0;
  if (seq !== last + 1) return no(`message ${seq} of run ${String(run)} after message ${last}: a gap`);
  const have = same?.parts.length ?? 0;
  if (from > have) return no(`message ${seq} of run ${String(run)} starts at part ${from}, but the page has ${have}: a gap`);
  return ok(same ? same.parts.slice(0, from) : []);
}

function checkProgress(raw: unknown): Result<ProgressReport> {
  if (!isRecord(raw)) return no(`progress is ${shown(raw)}, expected { text, fraction?, html? }`);
  if (typeof raw.text !== "string") return no(`progress text is ${shown(raw.text)}, expected a string`);
  const fraction = raw.fraction === undefined ? undefined : finite(raw.fraction) ? Math.min(1, Math.max(0, raw.fraction)) : null;
  if (fraction === null) return no(`progress fraction is ${shown(raw.fraction)}, expected a number from 0 to 1`);
  if (raw.html !== undefined && (typeof raw.html !== "string" || raw.html.length > LIMITS.html || countTags(raw.html, LIMITS.tags) > LIMITS.tags)) {
    return no(`progress html is not markup of at most ${LIMITS.html} characters and ${LIMITS.tags} elements`);
  }
  return ok({ text: raw.text.slice(0, LIMITS.text), fraction, html: raw.html as string | undefined });
}

function checkTraining(raw: unknown): Result<TrainingStatus> {
  if (!isRecord(raw)) return no(`a training status is ${shown(raw)}, expected an object`);
  const { state, epoch, batch, batches, ended } = raw;
  if (state !== "playing" && state !== "paused" && state !== "idle") return no(`a training state is ${shown(state)}`);
  const count = (v: unknown) => v === null || v === undefined || (Number.isInteger(v) && (v as number) >= 0);
  if (!count(epoch) || !count(batch) || !count(batches)) return no("a training's epoch or batch is not a count");
  if (ended !== undefined && ended !== null && !["done", "stopped", "failed"].includes(ended as string)) {
    return no(`a training ended as ${shown(ended)}`);
  }
  return ok({ ...(raw as unknown as TrainingStatus), state, epoch: (epoch ?? null) as number | null });
}

/**
 * Parses one message from the kernel against what the page knows; null for anything it did not
 * ask for or cannot be sure of (the reason goes to `drop`).
 */
export function checkMessage(raw: unknown, knows: PageKnows, drop: (reason: string) => void): CheckedMessage | null {
  try {
    const result = check(raw, knows);
    if (result.ok) return result.value;
    drop(result.reason);
  } catch (error) {
    drop(`checking it threw: ${String(error)}`);
  }
  return null;
}

// Where a failed run's error arose in another cell: a cell of this chapter and a line from 1
// (the page builds a link from them). Anything else is left out; the message still counts.
function checkOrigin(raw: unknown, knownCell: (id: unknown) => id is string): { cell: string; line: number } | undefined {
  if (!isRecord(raw) || !knownCell(raw.cell)) return undefined;
  const line = raw.line;
  return Number.isInteger(line) && (line as number) >= 1 && (line as number) <= 1_000_000 ? { cell: raw.cell, line: line as number } : undefined;
}

function check(raw: unknown, knows: PageKnows): Result<CheckedMessage> {
  if (!isRecord(raw)) return no(`a message is ${shown(raw)}, expected { type, … }`);
  const knownCell = (id: unknown): id is string => typeof id === "string" && knows.cells.has(id);
  const run = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;
  switch (raw.type) {
    case "ready":
      return ok({ type: "ready" });
    case "pong":
      return Number.isInteger(raw.n) ? ok({ type: "pong", n: raw.n as number }) : no("a pong without its number");
    case "defined":
      return Array.isArray(raw.cells) ? ok({ type: "defined", cells: [] }) : no("defined without its cells");
    case "stray":
      if (typeof raw.message !== "string") return no(`stray is ${shown(raw.message)}, expected a string`);
      return ok({ type: "stray", message: raw.message.slice(0, LIMITS.text) });
    case "cell": {
      const { id, status } = raw;
      if (!knownCell(id)) return no(`a cell message names ${shown(id)}, not a cell of this chapter`);
      if (!run(raw.run)) return no(`a cell message's run is ${shown(raw.run)}, expected a run number`);
      if (!STATUSES.includes(status as CellStatus)) return no(`a cell's status is ${shown(status)}`);
      // Messages of a run older than the newest seen are late: a newer run replaced it.
      const newest = knows.runs.get(id) ?? 0;
      if (raw.run < newest) return no(`a "${String(status)}" message for run ${raw.run} of "${id}", whose newest run is ${newest}`);
      if (!finite(raw.durationMs) || raw.durationMs < 0) return no("a cell message without its duration");
      const order = checkOrder(raw, knows.stream(id));
      if (!order.ok) return order;
      const parts = checkParts(id, raw.parts, order.value);
      if (!parts.ok) return parts;
      return ok({
        type: "cell",
        id,
        run: raw.run,
        status: status as CellStatus,
        seq: raw.seq as number,
        from: raw.from as number,
        parts: parts.value,
        reason: typeof raw.reason === "string" ? raw.reason.slice(0, LIMITS.text) : undefined,
        durationMs: raw.durationMs,
        error: typeof raw.error === "string" ? raw.error.slice(0, LIMITS.text) : undefined,
        origin: checkOrigin(raw.origin, knownCell),
      });
    }
    case "progress": {
      const { id } = raw;
      if (!knownCell(id)) return no(`progress names ${shown(id)}, not a cell of this chapter`);
      if (!run(raw.run) || knows.runs.get(id) !== raw.run) return no(`progress for run ${shown(raw.run)} of "${id}", which is not running`);
      const progress = checkProgress(raw.progress);
      return progress.ok ? ok({ type: "progress", id, run: raw.run, progress: progress.value }) : progress;
    }
    case "training": {
      const { key } = raw;
      if (typeof key !== "string" || !knows.trainings(key)) return no(`training names ${shown(key)}, not a training control of this page`);
      const status = checkTraining(raw.status);
      return status.ok ? ok({ type: "training", key, status: status.value }) : status;
    }
  }
  return no(`a message of type ${shown(raw.type)}`);
}
