/**
 * What the reader changed in a chapter, kept in localStorage: the code of each edited cell (with
 * a hash of the author's source it started from, so a changed chapter can say "your copy is based
 * on an older version") and the value of each control they moved. One record per chapter, keyed
 * by the site's base path too, so two books on one origin never mix their readers' work.
 */
import { hashText } from "../../charts/markup.ts";

/** One edited cell. */
export interface SavedCell {
  code: string;
  /** Hash of the author's source the edit started from ({@link sourceHash}). */
  base: string;
}

/** A chapter's saved state. */
export interface ChapterState {
  cells: Record<string, SavedCell>;
  /** Control values by key (`<cell id>:<n>`). */
  inputs: Record<string, unknown>;
}

/** What {@link load} found. */
export type LoadResult =
  | { kind: "state"; state: ChapterState }
  | { kind: "none" }
  /**
   * Unreadable in part or whole: what it held as text, the cells and values still valid, and
   * what could not be read (the damaged part alone).
   */
  | { kind: "corrupt"; raw: string; salvaged: ChapterState; damaged: DamagedPart };

/** What could not be read of a record: its entries under their keys, or its text if not JSON. */
export interface DamagedPart {
  /** The damaged entries as JSON (`{ cells: { id: … }, inputs: … }`), or the record's own text. */
  text: string;
  json: boolean;
  /** What they are, for a sentence: `cell "a", cell "b"`, `the settings`, `the whole record`. */
  names: string[];
}

/** What {@link save} managed: kept, or why not. */
export type SaveResult = "saved" | "unavailable" | "full";

/** The hash saved edits are tied to (the build's `data-hash` uses the same function). */
export const sourceHash = hashText;

const PREFIX = "nb:v2:";

/** The storage key of a chapter's state (`slot` for a copy kept aside, e.g. "before-link"). */
export function stateKey(base: string, chapter: string, slot = ""): string {
  return `${PREFIX}${base}:${chapter}${slot ? `:${slot}` : ""}`;
}

/** An empty state. */
export function emptyState(): ChapterState {
  return { cells: {}, inputs: {} };
}

/** True when a state holds nothing. */
export function isEmpty(state: ChapterState): boolean {
  return Object.keys(state.cells).length === 0 && Object.keys(state.inputs).length === 0;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

const isCell = (c: unknown): c is SavedCell =>
  typeof c === "object" && c !== null && typeof (c as SavedCell).code === "string" && typeof (c as SavedCell).base === "string";

function isState(value: unknown): value is ChapterState {
  if (typeof value !== "object" || value === null) return false;
  const { cells, inputs } = value as Record<string, unknown>;
  if (!isObject(cells) || !isObject(inputs)) return false;
  return Object.values(cells).every(isCell);
}

// localStorage itself can throw (blocked cookies, sandboxed frames): access goes through here.
function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

// What can still be read from a damaged record (each valid cell and the input values), and what
// cannot, under the keys it had.
function salvage(parsed: unknown): { salvaged: ChapterState; damaged: DamagedPart } {
  const state = emptyState();
  if (!isObject(parsed)) {
    return { salvaged: state, damaged: { text: JSON.stringify(parsed, null, 2), json: true, names: ["the whole record"] } };
  }
  const bad: { cells?: unknown; inputs?: unknown; other?: Record<string, unknown> } = {};
  const names: string[] = [];
  const { cells, inputs, ...other } = parsed;
  if (isObject(cells)) {
    for (const [id, cell] of Object.entries(cells)) {
      if (isCell(cell)) state.cells[id] = { code: cell.code, base: cell.base };
      else (((bad.cells ??= {}) as Record<string, unknown>)[id] = cell), names.push(`cell "${id}"`);
    }
  } else if (cells !== undefined) (bad.cells = cells), names.push("the edited cells");
  if (isObject(inputs)) state.inputs = { ...inputs };
  else if (inputs !== undefined) (bad.inputs = inputs), names.push("the settings");
  if (Object.keys(other).length) (bad.other = other), names.push(...Object.keys(other).map((k) => `"${k}"`));
  return { salvaged: state, damaged: { text: JSON.stringify(bad, null, 2), json: true, names } };
}

/** A chapter's saved state, or "none", or "corrupt" (with what is still valid in it). */
export function load(base: string, chapter: string, slot = ""): LoadResult {
  let raw: string | null = null;
  try {
    raw = storage()?.getItem(stateKey(base, chapter, slot)) ?? null;
  } catch {
    return { kind: "none" };
  }
  if (raw === null) return { kind: "none" };
  try {
    const parsed: unknown = JSON.parse(raw);
    return isState(parsed) ? { kind: "state", state: parsed } : { kind: "corrupt", raw, ...salvage(parsed) };
  } catch {
    const damaged = { text: raw, json: false, names: ["the whole record"] };
    return { kind: "corrupt", raw, salvaged: emptyState(), damaged };
  }
}

/** Saves a chapter's state (an empty one is removed); says "unavailable" or "full" when it can't. */
export function save(base: string, chapter: string, state: ChapterState, slot = ""): SaveResult {
  const store = storage();
  if (!store) return "unavailable";
  try {
    const key = stateKey(base, chapter, slot);
    if (isEmpty(state)) store.removeItem(key);
    else store.setItem(key, JSON.stringify(state));
    return "saved";
  } catch (error) {
    const name = (error as { name?: string }).name;
    return name === "QuotaExceededError" || name === "NS_ERROR_DOM_QUOTA_REACHED"
      ? "full"
      : "unavailable";
  }
}

/** Forgets a chapter's state (or a copy kept aside). */
export function clear(base: string, chapter: string, slot = ""): void {
  try {
    storage()?.removeItem(stateKey(base, chapter, slot));
  } catch {
    // Nothing to do: storage is unavailable.
  }
}

/**
 * Brings edits saved by the book's first notebook (one key per cell, `nb-cells:v1:<chapter>:<id>`)
 * into the chapter's state, once; they are removed after they were copied.
 */
export function migrateV1(base: string, chapter: string): void {
  const store = storage();
  if (!store) return;
  try {
    const prefix = `nb-cells:v1:${chapter}:`;
    const keys = Object.keys(store).filter((key) => key.startsWith(prefix));
    if (keys.length === 0) return;
    const found = load(base, chapter);
    const state = found.kind === "state" ? found.state : emptyState();
    for (const key of keys) {
      try {
        const old = JSON.parse(store.getItem(key) ?? "null") as { code?: unknown; base?: unknown };
        const id = key.slice(prefix.length);
        if (typeof old?.code === "string" && typeof old.base === "string" && !state.cells[id]) {
          state.cells[id] = { code: old.code, base: old.base };
        }
      } catch {
        // An unreadable old edit is dropped.
      }
    }
    if (save(base, chapter, state) === "saved") for (const key of keys) store.removeItem(key);
  } catch {
    // Storage went away midway: the old keys stay for next time.
  }
}
