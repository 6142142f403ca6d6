/**
 * The chapter's notebook bar (Run all, the auto-run switch, a live region for page-wide notices)
 * and the lazy loader of the notebook controller. Part of the small first script.
 */
import type * as Notebook from "./notebook.ts";

let loading: Promise<typeof Notebook> | null = null;

/** The notebook controller (kernel host, dependencies, sanitizer), loaded on first use. */
export function notebook(): Promise<typeof Notebook> {
  loading ??= import("./notebook.ts");
  return loading;
}

let bar: HTMLElement | null = null;

/** The page-wide live region, for notices that concern no single cell (restarts, links). */
export function announce(text: string): void {
  const live = bar?.querySelector(".nb-live");
  if (live) live.textContent = text;
}

/** Whether the reader asked for stale cells to re-run by themselves. */
export function autoRun(): boolean {
  return bar?.querySelector<HTMLInputElement>("input.nb-autorun")?.checked ?? false;
}

/** Puts the chapter's notebook bar before its first cell (once per page). */
export function chapterBar(first: HTMLElement): void {
  if (bar) return;
  bar = document.createElement("div");
  bar.className = "nb-chapterbar not-content";
  bar.setAttribute("role", "group");
  bar.setAttribute("aria-label", "Notebook: all cells of this chapter");
  const runAll = document.createElement("button");
  runAll.type = "button";
  runAll.dataset.action = "run-all";
  runAll.textContent = "Run all";
  runAll.addEventListener("click", () => void notebook().then((nb) => nb.runAll()));
  const label = document.createElement("label");
  const toggle = document.createElement("input");
  toggle.type = "checkbox";
  toggle.className = "nb-autorun";
  toggle.setAttribute("role", "switch");
  label.append(toggle, "Auto-run stale cells");
  const live = document.createElement("p");
  live.className = "nb-live";
  live.setAttribute("role", "status");
  bar.append(runAll, label, live);
  first.before(bar);
  // Module scripts run after the document is parsed: every cell is upgraded by now.
  queueMicrotask(() => void openSharedLink());
}

// A link made by Share: `#cell=<id>&code=<…>`. It loads the code and runs nothing.
async function openSharedLink(): Promise<void> {
  if (!/(^#|&)(cell|code)=/.test(location.hash)) return;
  const { parseShareFragment } = await import("./share.ts");
  const shared = parseShareFragment(location.hash);
  if (shared.kind === "malformed") {
    announce(`This link's code could not be loaded: ${shared.reason}. The page works as usual.`);
    return;
  }
  if (shared.kind !== "cell") return;
  const cell = [...document.querySelectorAll<HTMLElement & { cellId: string }>("nb-cell")].find(
    (element) => element.cellId === shared.cellId,
  );
  if (!cell || !("loadShared" in cell)) {
    announce(`This link is for a cell named "${shared.cellId}", which this chapter does not have.`);
    return;
  }
  await (cell as unknown as { loadShared(code: string): Promise<void> }).loadShared(shared.code);
}
