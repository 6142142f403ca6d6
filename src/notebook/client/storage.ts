/**
 * Saved edits: the reader's copy of a cell, kept in localStorage per chapter and cell, tied to a
 * hash of the author's source, so a changed chapter can say "your copy is based on an older
 * version".
 */

/** What is kept for one edited cell. */
export interface SavedEdit {
  /** The reader's code. */
  code: string;
  /** Hash of the author's source the edit started from (see {@link sourceHash}). */
  base: string;
  /** The author's source at that time, for "compare". */
  baseCode: string;
  /** When it was saved (ms since the epoch). */
  savedAt: number;
}

/** What {@link loadEdit} found. */
export type LoadResult =
  | { kind: "none" }
  | { kind: "edit"; edit: SavedEdit; outdated: boolean }
  | { kind: "corrupt"; key: string };

/** What {@link saveEdit} managed: kept, or why not. */
export type SaveResult = "saved" | "unavailable" | "full";

const PREFIX = "nb-cells:v1:";

/** The storage key of one cell of one chapter. */
export function editKey(chapter: string, cellId: string): string {
  return `${PREFIX}${chapter}:${cellId}`;
}

/** A short, stable hash of a text (FNV-1a, 32 bits, hex): enough to notice a change. */
export function sourceHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, "0");
}

// localStorage itself can throw (blocked cookies, sandboxed frames): access goes through here.
function store(): Storage | null {
  try {
    const storage = globalThis.localStorage;
    const probe = `${PREFIX}probe`;
    storage.setItem(probe, "1");
    storage.removeItem(probe);
    return storage;
  } catch {
    return null;
  }
}

function isSavedEdit(value: unknown): value is SavedEdit {
  if (typeof value !== "object" || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record.code === "string" &&
    typeof record.base === "string" &&
    typeof record.baseCode === "string" &&
    typeof record.savedAt === "number"
  );
}

/** The reader's saved copy of a cell and whether it is based on an older source, or "corrupt". */
export function loadEdit(chapter: string, cellId: string, authorHash: string): LoadResult {
  const key = editKey(chapter, cellId);
  let raw: string | null;
  try {
    raw = globalThis.localStorage.getItem(key);
  } catch {
    return { kind: "none" };
  }
  if (raw === null) return { kind: "none" };
  try {
    const parsed: unknown = JSON.parse(raw);
    if (!isSavedEdit(parsed)) return { kind: "corrupt", key };
    return { kind: "edit", edit: parsed, outdated: parsed.base !== authorHash };
  } catch {
    return { kind: "corrupt", key };
  }
}

/** Saves the reader's copy; says "unavailable" or "full" when it could not be kept. */
export function saveEdit(chapter: string, cellId: string, edit: SavedEdit): SaveResult {
  const storage = store();
  if (!storage) return "unavailable";
  try {
    storage.setItem(editKey(chapter, cellId), JSON.stringify(edit));
    return "saved";
  } catch (error) {
    const name = (error as { name?: string }).name;
    return name === "QuotaExceededError" || name === "NS_ERROR_DOM_QUOTA_REACHED"
      ? "full"
      : "unavailable";
  }
}

/** Forgets the reader's copy of a cell (after Reset, or when it was corrupt). */
export function clearEdit(chapter: string, cellId: string): void {
  try {
    globalThis.localStorage.removeItem(editKey(chapter, cellId));
  } catch {
    // Nothing was kept, so there is nothing to forget.
  }
}
