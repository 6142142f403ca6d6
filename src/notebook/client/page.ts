/**
 * The chapter as the page holds it: its cells, the reader's saved state (edited code and control
 * values, in localStorage), the notebook bar (Run all, Share, a live region) and shared links.
 * Part of the small first script; the notebook controller (worker, sanitizer) loads on first use.
 */
import type * as Notebook from "./notebook.ts";
import { controlsIn, defaultOf, readControl, writeControl } from "./controls.ts";
import {
  clear,
  emptyState,
  isEmpty,
  load,
  migrateV1,
  save,
  stateKey,
  type ChapterState,
  type SaveResult,
} from "./storage.ts";

/** What the chapter needs from a cell element. */
export interface ChapterCell extends HTMLElement {
  readonly cellId: string;
  /** The author's code. */
  readonly author: string;
  code(): string;
  /** Puts code in the cell (saved edits, a link, Reset); runs nothing. */
  setCode(code: string, why: "restored" | "link" | "reset"): Promise<void>;
  notice(key: string, text: string | null, kind?: "warn" | "info" | "error", actions?: [string, () => void][], extra?: HTMLElement): void;
}

let loading: Promise<typeof Notebook> | null = null;

/** The notebook controller (kernel host, sanitizer), loaded on first use. */
export function notebook(): Promise<typeof Notebook> {
  loading ??= import("./notebook.ts");
  return loading;
}

const base: string = import.meta.env.BASE_URL;
let slug = "";
let state: ChapterState = emptyState();
const cells = new Map<string, ChapterCell>();
let bar: HTMLElement | null = null;
let storageWarned = false;
let started = false;

/** The chapter's cells, in page order. */
export function chapterCells(): ChapterCell[] {
  return [...cells.values()];
}

/**
 * The page-wide live region, for notices that concern no single cell (restarts, storage). A
 * shared link's notice has a line of its own (`slot` "link"), so it stays while others come.
 */
export function announce(text: string, actions: [string, () => void][] = [], slot = "live"): void {
  let live = bar?.querySelector<HTMLElement>(`.nb-${slot}`);
  if (!live && bar) {
    live = document.createElement("p");
    live.className = `nb-${slot}`;
    live.setAttribute("role", "status");
    bar.querySelector(".nb-live")?.before(live);
  }
  if (!live) return;
  live.replaceChildren(text);
  for (const [label, act] of actions) {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = label;
    button.addEventListener("click", act);
    live.append(" ", button);
  }
}

// What this tab changed since it last saved: only these are written over the stored record, so
// another tab's edits to other cells (or controls) are kept, not overwritten.
const dirtyCells = new Set<string>();
const dirtyInputs = new Set<string>();

function persist(): void {
  const stored = load(base, slug);
  const merged: ChapterState =
    stored.kind === "state" ? { cells: { ...stored.state.cells }, inputs: { ...stored.state.inputs } } : emptyState();
  for (const id of dirtyCells) {
    if (state.cells[id]) merged.cells[id] = state.cells[id];
    else delete merged.cells[id];
  }
  for (const key of dirtyInputs) {
    if (key in state.inputs) merged.inputs[key] = state.inputs[key];
    else delete merged.inputs[key];
  }
  dirtyCells.clear();
  dirtyInputs.clear();
  state = merged;
  warnStorage(save(base, slug, merged));
}

// Another tab saved this chapter: its edits to cells and controls this tab has not changed since
// come in here too (per cell, per control).
function mergeFromOtherTab(event: StorageEvent): void {
  if (event.key !== stateKey(base, slug) || event.storageArea !== localStorage) return;
  const found = load(base, slug);
  if (found.kind !== "state") return;
  const theirs = found.state;
  for (const cell of cells.values()) {
    const id = cell.cellId;
    if (dirtyCells.has(id) || theirs.cells[id]?.code === state.cells[id]?.code) continue;
    if (theirs.cells[id]) state.cells[id] = theirs.cells[id];
    else delete state.cells[id];
    void cell.setCode(theirs.cells[id]?.code ?? cell.author, "restored");
  }
  for (const cell of cells.values()) {
    for (const control of controlsIn(cell)) {
      const key = control.dataset.key!;
      if (dirtyInputs.has(key) || JSON.stringify(theirs.inputs[key]) === JSON.stringify(state.inputs[key])) continue;
      if (key in theirs.inputs) state.inputs[key] = theirs.inputs[key];
      else delete state.inputs[key];
      writeControl(control, key in theirs.inputs ? theirs.inputs[key] : defaultOf(control));
    }
  }
}

function warnStorage(result: SaveResult): void {
  if (result === "saved" || storageWarned) return;
  storageWarned = true;
  const why =
    result === "full"
      ? "this browser's storage for the book is full"
      : "this browser does not allow the book to store data";
  announce(`Editing works, but your changes won't be kept after you leave: ${why}.`);
}

/** The reader's code for a cell changed (the author's own code is not an edit). */
export function saveCode(cell: ChapterCell, code: string, hash: string): void {
  if (code === cell.author) delete state.cells[cell.cellId];
  else state.cells[cell.cellId] = { code, base: hash };
  dirtyCells.add(cell.cellId);
  persist();
}

let inputTimer: ReturnType<typeof setTimeout> | null = null;

// A value waiting for its moment is saved at once when the reader leaves or hides the page (a
// reload right after a slider move keeps it).
function flushInputs(): void {
  if (!inputTimer) return;
  clearTimeout(inputTimer);
  inputTimer = null;
  persist();
}

/** A control's value changed (saved a moment later: a slider streams values). */
export function saveInput(key: string, value: unknown): void {
  state.inputs[key] = value;
  dirtyInputs.add(key);
  if (inputTimer) clearTimeout(inputTimer);
  inputTimer = setTimeout(() => {
    inputTimer = null;
    persist();
  }, 300);
}

/** Forgets a cell's edit and its controls' values (Reset), and puts its controls back; returns those that moved. */
export function resetCell(cell: ChapterCell): [key: string, value: unknown][] {
  delete state.cells[cell.cellId];
  dirtyCells.add(cell.cellId);
  const moved: [string, unknown][] = [];
  for (const control of controlsIn(cell)) {
    const key = control.dataset.key!;
    delete state.inputs[key];
    dirtyInputs.add(key);
    const before = JSON.stringify(readControl(control));
    const value = defaultOf(control);
    writeControl(control, value);
    if (JSON.stringify(readControl(control)) !== before) moved.push([key, readControl(control)]);
  }
  persist();
  return moved;
}

/** The controls' values on the page now, by key. */
export function currentInputs(): Record<string, unknown> {
  const values: Record<string, unknown> = { ...state.inputs };
  for (const cell of cells.values()) {
    for (const control of controlsIn(cell)) values[control.dataset.key!] = readControl(control);
  }
  return values;
}

/** The reader's saved code for a cell, with the hash of the author's code it started from. */
export function savedCode(cellId: string) {
  return state.cells[cellId];
}

// Puts a whole state in the page: code in each cell, values in each control.
async function apply(next: ChapterState, why: "restored" | "link"): Promise<void> {
  // A whole version (restored, a link's, the reader's own again) replaces every cell and control.
  for (const id of [...Object.keys(state.cells), ...Object.keys(next.cells)]) dirtyCells.add(id);
  for (const key of [...Object.keys(state.inputs), ...Object.keys(next.inputs)]) dirtyInputs.add(key);
  state = { cells: { ...next.cells }, inputs: { ...next.inputs } };
  await Promise.all(
    [...cells.values()].map((cell) =>
      cell.setCode(state.cells[cell.cellId]?.code ?? cell.author, why === "link" ? "link" : "restored"),
    ),
  );
  for (const cell of cells.values()) {
    for (const control of controlsIn(cell)) {
      const key = control.dataset.key!;
      writeControl(control, key in state.inputs ? state.inputs[key] : defaultOf(control));
    }
  }
  persist();
}

/** Registers a cell; the first one sets the chapter up (saved state, the bar, links). */
export function register(cell: ChapterCell, chapter: string): void {
  cells.set(cell.cellId, cell);
  if (started) return;
  started = true;
  slug = chapter;
  bar = document.querySelector<HTMLElement>(".nb-chapterbar");
  bar?.classList.add("nb-ready");
  bar?.addEventListener("click", (event) => {
    const action = (event.target as HTMLElement).closest<HTMLElement>("[data-action]")?.dataset.action;
    if (action === "run-all") void notebook().then((nb) => nb.runAll());
    else if (action === "share-all") void shareChapter();
  });
  addEventListener("pagehide", flushInputs);
  addEventListener("storage", mergeFromOtherTab);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") flushInputs();
  });
  // Module scripts run after the document is parsed: every cell is upgraded by the next task.
  setTimeout(() => void restore(), 0);
}

async function restore(): Promise<void> {
  migrateV1(base, slug);
  const found = load(base, slug);
  if (found.kind === "corrupt") {
    // The whole record is set aside as it was (nothing is deleted); what is still valid comes back.
    save(base, slug, emptyState());
    setAside(found.raw);
    if (!isEmpty(found.salvaged)) await apply(found.salvaged, "restored");
    const kept = Object.keys(found.salvaged.cells).length;
    const { damaged } = found;
    const names = damaged.names.length > 3 ? `${damaged.names.slice(0, 3).join(", ")} and ${damaged.names.length - 3} more` : damaged.names.join(", ");
    announce(
      `Your saved changes to this chapter were damaged. ${kept ? `${kept} edited cell${kept === 1 ? " is" : "s are"} back; ` : ""}` +
        `what could not be read (${names}) is set aside.`,
      [["Download the damaged part", () => download(damaged.text, damaged.json)]],
    );
  } else if (found.kind === "state" && !isEmpty(found.state)) {
    await apply(found.state, "restored");
    const edited = Object.keys(found.state.cells).length;
    const moved = Object.keys(found.state.inputs).length;
    const what = [
      edited ? `${edited} edited cell${edited === 1 ? "" : "s"}` : "",
      moved ? `${moved} setting${moved === 1 ? "" : "s"}` : "",
    ].filter(Boolean);
    announce(
      `Your changes are back (${what.join(" and ")}). The outputs are the book's until you run them.`,
      [["Run all", () => void notebook().then((nb) => nb.runAll())]],
    );
  }
  offerOwnVersion();
  await openSharedLink();
}

// A damaged record, kept under its own key (the newest one only) and offered for download.
function setAside(raw: string): void {
  try {
    localStorage.setItem(stateKey(base, slug, "damaged"), raw);
  } catch {
    // No room: the download still has it while the page is open.
  }
}

// The damaged part alone (the entries that could not be read, under their keys), as a file.
function download(text: string, json: boolean): void {
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([text], { type: json ? "application/json" : "text/plain" }));
  link.download = `${slug}-damaged-part-of-saved-changes.${json ? "json" : "txt"}`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

// After a link's version was opened, the reader's own stays aside until they go back to it.
function ownAside(): [string, () => void][] {
  const aside = load(base, slug, "before-link");
  if (aside.kind !== "state" || isEmpty(aside.state)) return [];
  return [["Back to my version", () => void goBack(aside.state)]];
}

function offerOwnVersion(): void {
  const back = ownAside();
  if (back.length) announce("You opened a shared link's version of this chapter; your own version is kept aside.", back, "link");
}

/** Makes a link carrying the chapter's changes, and offers it to copy. */
async function shareChapter(): Promise<void> {
  const { shareUrl, MAX_PACKED } = await import("./share.ts");
  const cellsCode: Record<string, string> = {};
  for (const cell of cells.values()) if (cell.code() !== cell.author) cellsCode[cell.cellId] = cell.code();
  const inputs: Record<string, unknown> = {};
  for (const cell of cells.values()) {
    for (const control of controlsIn(cell)) {
      const value = readControl(control);
      if (JSON.stringify(value) !== JSON.stringify(defaultOf(control))) inputs[control.dataset.key!] = value;
    }
  }
  if (Object.keys(cellsCode).length === 0 && Object.keys(inputs).length === 0) {
    announce("You have not changed any cell or setting in this chapter yet: there is nothing to share.");
    return;
  }
  const url = shareUrl(location.href, { cells: cellsCode, inputs, at: null });
  const packed = new URL(url).hash.length - "#nb=".length;
  if (packed > MAX_PACKED) {
    announce(
      `Your changes are too big for a link (${packed} characters packed, at most ${MAX_PACKED}, so that ` +
        "opening a link can never freeze a reader's page). Share fewer cells: Reset the ones you do not need.",
    );
    return;
  }
  let copied = false;
  try {
    await navigator.clipboard.writeText(url);
    copied = true;
  } catch {
    // No clipboard (insecure origin or denied): the field is there to copy from.
  }
  const field = document.createElement("input");
  field.type = "text";
  field.readOnly = true;
  field.value = url;
  field.className = "nb-share-link";
  field.setAttribute("aria-label", "Link to this chapter with your changes");
  announce(
    `${copied ? "Link copied." : "Copy this link:"} It opens this chapter with your code and ` +
      "settings; nothing runs until the reader presses Run.",
  );
  bar?.querySelector(".nb-live")?.append(field);
  field.focus();
  field.select();
}

// A link made by Share: it loads code and settings, and runs nothing. The reader's own saved
// changes are never lost: they choose, and can go back.
async function openSharedLink(): Promise<void> {
  if (!/(^#|&)(nb|cell|code)=/.test(location.hash)) return;
  const { parseShareFragment } = await import("./share.ts");
  const shared = parseShareFragment(location.hash);
  if (shared.kind === "malformed") {
    announce(`This link's experiment could not be opened: ${shared.reason}. The page works as usual.`, [], "link");
    return;
  }
  if (shared.kind !== "experiment") return;
  const { experiment } = shared;
  const unknown = Object.keys(experiment.cells).filter((id) => !cells.has(id));
  for (const id of unknown) delete experiment.cells[id];
  // A cell the reader may not edit (read-only, hidden) keeps the author's code: a link's code
  // would run under code the reader sees as the book's.
  const locked = Object.keys(experiment.cells).filter((id) => !editable(cells.get(id)!));
  for (const id of locked) delete experiment.cells[id];
  if (locked.length) {
    const names = locked.map((id) => `"${id}"`).join(", ");
    for (const id of locked) {
      cells.get(id)!.notice("link-refused", "A shared link carried code for this cell, which readers may not edit: it was not loaded. The cell keeps the book's code.", "warn");
    }
    if (Object.keys(experiment.cells).length === 0 && Object.keys(experiment.inputs).length === 0) {
      announce(`This link's experiment was not opened: it only changes cells readers may not edit (${names}).`, [], "link");
      return;
    }
  }
  const ids = Object.keys(experiment.cells).map((id) => `"${id}"`);
  const settings = Object.keys(experiment.inputs).length;
  const what = [
    ids.length ? `code for cell${ids.length === 1 ? "" : "s"} ${ids.join(", ")}` : "",
    settings ? `${settings} setting${settings === 1 ? "" : "s"}` : "",
  ].filter(Boolean).join(" and ");
  const skipped =
    (unknown.length ? ` (It also names cells this chapter does not have: ${unknown.map((id) => `"${id}"`).join(", ")}.)` : "") +
    (locked.length ? ` (Its code for ${locked.map((id) => `"${id}"`).join(", ")}, which readers may not edit, was not loaded.)` : "");
  const mine: ChapterState = { cells: { ...state.cells }, inputs: { ...state.inputs } };
  const open = async () => {
    // The reader's own version is kept aside once: a second link, or this one after a reload,
    // never replaces it (the copy aside is the version from before the first link).
    if (!isEmpty(mine) && load(base, slug, "before-link").kind === "none") save(base, slug, mine, "before-link");
    await apply({ cells: Object.fromEntries(Object.entries(experiment.cells).map(([id, code]) => [id, { code, base: cells.get(id)!.dataset.hash ?? "" }])), inputs: experiment.inputs }, "link");
    const aside = load(base, slug, "before-link");
    const own = aside.kind === "state" ? aside.state : mine;
    const back = isEmpty(own) ? "Back to the book's version" : "Back to my version";
    announce(`Opened the link's experiment: ${what}. Nothing has run: press Run all to see it.${skipped}`, [
      ["Run all", () => void notebook().then((nb) => nb.runAll())],
      [back, () => void goBack(own)],
    ], "link");
    cells.get(experiment.at ?? "")?.scrollIntoView({ block: "start" });
  };
  if (isEmpty(mine)) {
    await open();
    return;
  }
  announce(
    `This link carries an experiment: ${what}. You have changes of your own in this chapter; ` +
      `they are kept whichever you choose.${skipped}`,
    [
      ["Open the link's version", () => void open()],
      ["Keep my version", () => announce("Kept your version. The link's experiment was not opened.", [], "link")],
      // The page may show a link's version opened before (a reload): the reader's own is aside.
      ...ownAside(),
    ],
    "link",
  );
}

// The cell options the page was built with: read-only and hidden cells are the author's alone.
function editable(cell: HTMLElement): boolean {
  try {
    const options = JSON.parse(cell.dataset.options ?? "{}") as { readonly?: unknown; hidden?: unknown };
    return !options.readonly && !options.hidden;
  } catch {
    return false;
  }
}

async function goBack(mine: ChapterState): Promise<void> {
  await apply(mine, "restored");
  clear(base, slug, "before-link");
  announce("Back to your version of this chapter. Nothing has run.", [], "link");
}
