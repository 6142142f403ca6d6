/**
 * Share links: an experiment (the chapter's edited cells and the values of its controls)
 * compressed into the URL fragment, `#nb=<lz-string of JSON>`, so a link needs no server. Links
 * of the first notebook, `#cell=<id>&code=<lz-string>`, still open. Opening a link never runs it,
 * and whatever it carries is checked here: a stranger's link is data, nothing more.
 */
import { compressToEncodedURIComponent, decompressFromEncodedURIComponent } from "lz-string";

/** What a link carries. */
export interface SharedExperiment {
  /** Code by cell id. */
  cells: Record<string, string>;
  /** Control values by key (checked against each control when it is used). */
  inputs: Record<string, unknown>;
  /** The cell the link was made from, to scroll to. */
  at: string | null;
}

/** What a page's fragment held. */
export type SharedLink =
  | { kind: "none" }
  | { kind: "experiment"; experiment: SharedExperiment }
  | { kind: "malformed"; reason: string };

/** The most a link may carry, decompressed (characters). */
const MAX_LENGTH = 500_000;
/**
 * The most a link's packed data may hold (characters), checked before anything is decompressed.
 * lz-string cannot stop midway, and each code of its dictionary can stand for a run one longer
 * than the last, so n codes expand to about n²/2 characters: a 69 K-character link comes to 443 M
 * (8 s in Node here). At this bound the worst link (tests/support/hostile.ts `linkBomb`) expands
 * to 9.3 M characters, 60–75 ms in Node; a chapter's edits pack into a few thousand.
 */
export const MAX_PACKED = 8_000;
const ID = /^[A-Za-z][\w-]*$/;
const KEY = /^[A-Za-z][\w-]*:\d+$/;

/** The link that opens `pageUrl` with an experiment. */
export function shareUrl(pageUrl: string, experiment: SharedExperiment): string {
  const url = new URL(pageUrl);
  const data = { v: 1, cells: experiment.cells, inputs: experiment.inputs, at: experiment.at };
  url.hash = `nb=${compressToEncodedURIComponent(JSON.stringify(data))}`;
  return url.href;
}

function decompress(packed: string): string | null {
  if (packed.length > MAX_PACKED) return null;
  try {
    const text = decompressFromEncodedURIComponent(packed);
    return text && text.length <= MAX_LENGTH ? text : null;
  } catch {
    return null;
  }
}

// A value a control could hold: a number, string or boolean, a flat record of them, or a list of
// numbers or of flat records (a drawing, a set of points).
function flat(value: unknown): boolean {
  if (["number", "string", "boolean"].includes(typeof value)) return true;
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => ["number", "string", "boolean"].includes(typeof v))
  );
}

function plainValue(value: unknown): boolean {
  if (Array.isArray(value)) return value.length <= 1000 && value.every(flat);
  return flat(value);
}

function check(data: unknown): SharedLink {
  const bad = (reason: string): SharedLink => ({ kind: "malformed", reason });
  if (typeof data !== "object" || data === null) return bad("it carries no experiment");
  const { cells = {}, inputs = {}, at = null } = data as Record<string, unknown>;
  if (typeof cells !== "object" || cells === null || Array.isArray(cells)) {
    return bad("its cells are not a list of code");
  }
  const code: Record<string, string> = {};
  for (const [id, text] of Object.entries(cells)) {
    if (!ID.test(id) || typeof text !== "string") return bad(`its cell "${id.slice(0, 40)}" is damaged`);
    code[id] = text;
  }
  if (typeof inputs !== "object" || inputs === null || Array.isArray(inputs)) {
    return bad("its settings are damaged");
  }
  const values: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(inputs)) {
    if (!KEY.test(key) || !plainValue(value)) return bad(`its setting "${key.slice(0, 40)}" is damaged`);
    values[key] = value;
  }
  if (Object.keys(code).length === 0 && Object.keys(values).length === 0) {
    return bad("it carries no changes");
  }
  const focus = typeof at === "string" && ID.test(at) ? at : null;
  return { kind: "experiment", experiment: { cells: code, inputs: values, at: focus } };
}

/** Reads a fragment: `#nb=…` (or an old `#cell=…&code=…`); a damaged one is "malformed". */
export function parseShareFragment(hash: string): SharedLink {
  const fragment = hash.startsWith("#") ? hash.slice(1) : hash;
  const fields = new Map<string, string>();
  // The packed text uses URI-safe characters and "+" (a space to URLSearchParams): split by hand.
  for (const part of fragment.split("&")) {
    const at = part.indexOf("=");
    if (at > 0) fields.set(part.slice(0, at), part.slice(at + 1));
  }
  const packed = fields.get("nb");
  const long = [...fields.values()].find((value) => value.length > MAX_PACKED);
  if (long !== undefined) {
    return { kind: "malformed", reason: `it is too long to open safely (${long.length} characters, at most ${MAX_PACKED})` };
  }
  if (packed !== undefined) {
    const text = decompress(packed);
    if (text === null) return { kind: "malformed", reason: "its data is damaged or too long" };
    try {
      return check(JSON.parse(text));
    } catch {
      return { kind: "malformed", reason: "its data is damaged" };
    }
  }
  if (!fields.has("cell") && !fields.has("code")) return { kind: "none" };
  // A link of the first notebook: one cell's code.
  let cell = fields.get("cell") ?? "";
  try {
    cell = decodeURIComponent(cell);
  } catch {
    return { kind: "malformed", reason: "the cell name in the link is damaged" };
  }
  if (!cell) return { kind: "malformed", reason: "the link names no cell" };
  const text = decompress(fields.get("code") ?? "");
  if (!text) return { kind: "malformed", reason: `the code in the link for cell "${cell}" is damaged` };
  return check({ cells: { [cell]: text }, inputs: {}, at: cell });
}
