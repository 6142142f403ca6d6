/**
 * The reader's progress, kept in their browser and nowhere else: which chapters they read to the
 * end and which exercises they solved. One localStorage record per book, keyed by the book's base
 * path (two books, or two courses, on one host keep apart). Pure functions on plain data, plus
 * `loadProgress`/`saveProgress` on a Storage; no DOM.
 */

/** What is kept. Dates are ISO strings: when it first happened. */
export interface Progress {
  version: 1;
  /** By chapter slug: when the reader reached the chapter's end. */
  chapters: Record<string, { read: string }>;
  /** By "<chapter slug>/<exercise id>": when a check first passed. */
  exercises: Record<string, { solved: string }>;
}

/** The browser's localStorage, or null where it cannot be used (blocked, sandboxed frames). */
export function browserStorage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

/** The record's key for a book served under `base` (its base path, e.g. "/courses/nn/"). */
export function progressKey(base: string): string {
  return `nb:progress:v1:${base}`;
}

export function emptyProgress(): Progress {
  return { version: 1, chapters: {}, exercises: {} };
}

const SLUG = /^[a-z0-9][a-z0-9-]*$/;
const EXERCISE = /^[a-z0-9][a-z0-9-]*\/[a-z][a-z0-9-]*$/;

function isDate(value: unknown): value is string {
  return typeof value === "string" && value.length <= 40 && !Number.isNaN(Date.parse(value));
}

/**
 * Reads progress from parsed JSON: what is well-formed is kept, what is not is counted in
 * `dropped` (never thrown). A value that is not a progress record at all gives `error`.
 */
export function parseProgress(data: unknown): { progress: Progress; dropped: number } | { error: string } {
  const record = data as Partial<Progress> | null;
  if (typeof record !== "object" || record === null || Array.isArray(record)) {
    return { error: "this is not a progress file of this book (expected a JSON object)" };
  }
  if (record.version !== 1) {
    return { error: `this progress file has version ${JSON.stringify(record.version ?? null)}; this book reads version 1` };
  }
  const progress = emptyProgress();
  let dropped = 0;
  const chapters = typeof record.chapters === "object" && record.chapters !== null ? record.chapters : {};
  for (const [slug, entry] of Object.entries(chapters)) {
    if (SLUG.test(slug) && isDate((entry as { read?: unknown })?.read)) progress.chapters[slug] = { read: entry.read };
    else dropped++;
  }
  const exercises = typeof record.exercises === "object" && record.exercises !== null ? record.exercises : {};
  for (const [key, entry] of Object.entries(exercises)) {
    if (EXERCISE.test(key) && isDate((entry as { solved?: unknown })?.solved)) progress.exercises[key] = { solved: entry.solved };
    else dropped++;
  }
  return { progress, dropped };
}

const earlier = (a: string | undefined, b: string) => (a && Date.parse(a) <= Date.parse(b) ? a : b);

/** Both records together: everything either holds, each at its earliest date. */
export function mergeProgress(a: Progress, b: Progress): Progress {
  const out = emptyProgress();
  for (const source of [a, b]) {
    for (const [slug, { read }] of Object.entries(source.chapters)) {
      out.chapters[slug] = { read: earlier(out.chapters[slug]?.read, read) };
    }
    for (const [key, { solved }] of Object.entries(source.exercises)) {
      out.exercises[key] = { solved: earlier(out.exercises[key]?.solved, solved) };
    }
  }
  return out;
}

/** What merging `incoming` into `current` would add: counts for the reader to confirm. */
export function whatMergeAdds(current: Progress, incoming: Progress): { chapters: number; exercises: number } {
  return {
    chapters: Object.keys(incoming.chapters).filter((slug) => !current.chapters[slug]).length,
    exercises: Object.keys(incoming.exercises).filter((key) => !current.exercises[key]).length,
  };
}

/** The reader's progress in `storage` (empty when there is none, or it cannot be read). */
export function loadProgress(storage: Pick<Storage, "getItem"> | null, base: string): Progress {
  try {
    const text = storage?.getItem(progressKey(base));
    if (!text) return emptyProgress();
    const parsed = parseProgress(JSON.parse(text));
    return "progress" in parsed ? parsed.progress : emptyProgress();
  } catch {
    return emptyProgress();
  }
}

/**
 * Applies `change` to the stored progress and saves it, reading the record again first so that
 * another tab's marks are kept. Returns false when storage is unavailable or full.
 */
export function updateProgress(
  storage: Pick<Storage, "getItem" | "setItem"> | null,
  base: string,
  change: (progress: Progress) => void,
): boolean {
  if (!storage) return false;
  const progress = loadProgress(storage, base);
  change(progress);
  try {
    storage.setItem(progressKey(base), JSON.stringify(progress));
    return true;
  } catch {
    return false;
  }
}

/** Marks an exercise solved (keeping the first date). */
export function markSolved(progress: Progress, chapter: string, exercise: string, when = new Date()): void {
  const key = `${chapter}/${exercise}`;
  progress.exercises[key] ??= { solved: when.toISOString() };
}

/** Marks a chapter read (keeping the first date). */
export function markRead(progress: Progress, chapter: string, when = new Date()): void {
  progress.chapters[chapter] ??= { read: when.toISOString() };
}
