/**
 * The `<nb-cell>` custom element: upgrades a server-rendered cell (highlighted code + its output)
 * with a toolbar. This is the only script a chapter loads before the reader interacts, so it stays
 * small: the editor, the kernel worker, the sanitizer and the share codec load on first use.
 */
import type { CellEditor } from "./editor.ts";
import type { CellView, RunState } from "./notebook.ts";
import type { Progress } from "./protocol.ts";
import { clearEdit, loadEdit, saveEdit, sourceHash, type SaveResult } from "./storage.ts";
import { chapterBar, notebook } from "./page.ts";

/** Options an author sets on a cell (fence meta); read from `data-options`. */
interface CellOptions {
  hidden: boolean;
  readonly: boolean;
  norun: boolean;
  throws: boolean;
}

// data-options may hold JSON ({"hidden":true}) or a list of flags ("hidden readonly").
function readOptions(raw: string | undefined): CellOptions {
  const options = { hidden: false, readonly: false, norun: false, throws: false };
  if (!raw) return options;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (parsed && typeof parsed === "object") {
      for (const key of Object.keys(options) as (keyof CellOptions)[]) {
        options[key] = Boolean((parsed as Record<string, unknown>)[key]);
      }
      return options;
    }
  } catch {
    // Not JSON: a list of flags.
  }
  for (const flag of raw.split(/[\s,]+/)) {
    if (flag in options) options[flag as keyof CellOptions] = true;
  }
  return options;
}

// A printable key without a modifier: the reader means to type.
function isTyping(event: KeyboardEvent): boolean {
  return event.key.length === 1 && !event.ctrlKey && !event.metaKey && !event.altKey;
}

// One storage notice per page is enough: the reader learns it once.
let storageWarned = false;

function button(action: string, label: string, title: string): HTMLButtonElement {
  const element = document.createElement("button");
  element.type = "button";
  element.dataset.action = action;
  element.textContent = label;
  element.title = title;
  return element;
}

/** A runnable cell; see the module comment. */
export class NbCell extends HTMLElement implements CellView {
  /** The author's source, as built into the page. */
  #author = "";
  #code = "";
  #hash = "";
  #chapter = "";
  #options = readOptions(undefined);
  #editor: CellEditor | null = null;
  #editorLoading: Promise<CellEditor> | null = null;
  #codeBlock: HTMLElement | null = null;
  #pre: HTMLElement | null = null;
  #output!: HTMLElement;
  #status!: HTMLElement;
  #notices!: HTMLElement;
  #progress: HTMLElement | null = null;
  #buttons = new Map<string, HTMLButtonElement>();
  #upgraded = false;

  /** The cell's id, unique in its chapter. */
  get cellId(): string {
    return this.dataset.id ?? "";
  }

  /** The code the reader has now (the author's, a saved edit, or a shared link's). */
  code(): string {
    return this.#editor?.code() ?? this.#code;
  }

  connectedCallback(): void {
    if (this.#upgraded) return;
    this.#upgraded = true;
    const source = this.querySelector<HTMLScriptElement>("script.nb-source");
    try {
      this.#author = source ? (JSON.parse(source.textContent ?? '""') as string) : "";
    } catch {
      this.#author = source?.textContent ?? "";
    }
    this.#code = this.#author;
    this.#hash = this.dataset.hash || sourceHash(this.#author);
    this.#chapter = this.dataset.chapter || location.pathname;
    this.#options = readOptions(this.dataset.options);
    this.#output = this.querySelector<HTMLElement>(".nb-output") ?? this.#makeOutput();
    // The highlighted code: Starlight's <Code> wraps its <pre> in a .expressive-code block.
    this.#pre =
      [...this.querySelectorAll<HTMLElement>("pre")].find((pre) => !this.#output.contains(pre)) ??
      null;
    this.#codeBlock = this.#pre?.closest<HTMLElement>(".expressive-code") ?? this.#pre;
    this.#buildToolbar();
    this.#listen();
    this.#restoreEdit();
    chapterBar(this);
  }

  #makeOutput(): HTMLElement {
    const output = document.createElement("div");
    output.className = "nb-output";
    this.append(output);
    return output;
  }

  #editable(): boolean {
    return !this.#options.hidden && !this.#options.readonly && this.#codeBlock !== null;
  }

  #buildToolbar(): void {
    const bar = document.createElement("div");
    // not-content: Starlight's prose spacing (margin between siblings) would stagger the buttons.
    bar.className = "nb-toolbar not-content";
    bar.setAttribute("role", "group");
    bar.setAttribute("aria-label", `Cell ${this.cellId}`);
    const actions: [string, string, string][] = [
      ["run", "Run", "Run this cell (Shift+Enter)"],
      ["stop", "Stop", "Stop this cell"],
    ];
    if (this.#editable()) {
      actions.push(
        ["edit", "Edit", "Edit this cell's code"],
        ["reset", "Reset", "Restore the author's code"],
        ["share", "Share", "Make a link that carries this cell's code"],
      );
    }
    for (const [action, label, title] of actions) {
      const element = button(action, label, title);
      this.#buttons.set(action, element);
      bar.append(element);
    }
    this.#buttons.get("stop")!.disabled = true;
    this.#status = document.createElement("p");
    this.#status.className = "nb-status";
    this.#status.setAttribute("role", "status");
    this.#notices = document.createElement("div");
    this.#notices.className = "nb-notices not-content";
    this.#output.before(bar, this.#status, this.#notices);
    if (!this.#output.hasAttribute("aria-label") && !this.#output.hasAttribute("aria-labelledby")) {
      this.#output.setAttribute("aria-label", `Output of cell ${this.cellId}`);
    }
    this.#output.setAttribute("role", this.#output.getAttribute("role") ?? "region");
  }

  #listen(): void {
    this.addEventListener("click", (event) => {
      const target = (event.target as HTMLElement).closest<HTMLButtonElement>(
        "button[data-action]",
      );
      if (!target || !this.contains(target)) return;
      const action = target.dataset.action;
      if (action === "run") void this.run();
      else if (action === "stop") void notebook().then((nb) => nb.stop(this));
      else if (action === "edit") void this.edit(true);
      else if (action === "reset") void this.reset();
      else if (action === "share") void this.share();
    });
    const block = this.#pre;
    if (!block || !this.#editable()) {
      this.addEventListener("keydown", (event) => {
        if (event.key === "Enter" && event.shiftKey) {
          event.preventDefault();
          void this.run();
        }
      });
      return;
    }
    if (!block.hasAttribute("tabindex")) block.tabIndex = 0;
    block.addEventListener("pointerdown", () => void this.edit(true), { once: true });
    block.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && event.shiftKey) {
        event.preventDefault();
        void this.run();
      } else if (event.key === "Enter" || isTyping(event)) {
        // An edit key: open the editor (the key starts the editing session, it is not typed).
        event.preventDefault();
        void this.edit(true);
      }
    });
  }

  /** Swaps the highlighted code for the editor (loaded on first use); focuses it if asked. */
  edit(focus: boolean): Promise<CellEditor> {
    if (!this.#editorLoading) {
      this.#editorLoading = import("./editor.ts").then(({ createEditor }) => {
        const host = document.createElement("div");
        // not-content: Starlight's prose spacing must not reach CodeMirror's lines.
        host.className = "nb-editor not-content";
        this.#codeBlock!.before(host);
        const editor = createEditor(host, {
          doc: this.#code,
          label: `Code of cell ${this.cellId}`,
          onChange: (code) => this.#changed(code),
          onRun: () => void this.run(),
        });
        this.#codeBlock!.hidden = true;
        this.#buttons.get("edit")?.remove();
        this.#editor = editor;
        return editor;
      });
    }
    return this.#editorLoading.then((editor) => {
      if (focus) editor.focus();
      return editor;
    });
  }

  // Saved as the reader types; the author's code itself is not an edit.
  #changed(code: string): void {
    this.#code = code;
    if (code === this.#author) {
      clearEdit(this.#chapter, this.cellId);
      return;
    }
    const saved = saveEdit(this.#chapter, this.cellId, {
      code,
      base: this.#hash,
      baseCode: this.#author,
      savedAt: Date.now(),
    });
    this.#warnStorage(saved);
    this.#notice("shared", null);
    this.#setStatus("Edited: press Run to see what it shows.");
  }

  #warnStorage(result: SaveResult): void {
    if (result === "saved" || storageWarned) return;
    storageWarned = true;
    const why =
      result === "full"
        ? "this browser's storage for the book is full"
        : "this browser does not allow the book to store data";
    const text = `Editing works, but your edits won't be kept after you leave: ${why}.`;
    this.#notice("storage", text, "warn");
  }

  #restoreEdit(): void {
    const found = loadEdit(this.#chapter, this.cellId, this.#hash);
    if (found.kind === "corrupt") {
      clearEdit(this.#chapter, this.cellId);
      const text = "Your saved edits for this cell could not be read, so they were ignored.";
      this.#notice("corrupt", text, "warn");
      return;
    }
    if (found.kind !== "edit" || !this.#editable()) return;
    this.#code = found.edit.code;
    // The author's highlighted code would mislead until the editor shows the reader's.
    if (this.#codeBlock) this.#codeBlock.hidden = true;
    this.#setStatus(
      "Your edited code (saved in this browser). The output below is from the author's code.",
    );
    if (found.outdated) {
      this.#notice(
        "outdated",
        "Your copy is based on an older version of this cell: the author has changed it since.",
        "warn",
        [
          ["Compare", () => this.#compare()],
          ["Reset to the author's code", () => void this.reset()],
        ],
      );
    }
    void this.edit(false);
  }

  /** Shows a shared link's code in the editor; runs nothing until the reader presses Run. */
  async loadShared(code: string): Promise<void> {
    const editor = await this.edit(false);
    this.#code = code;
    editor.replace(code);
    // The link's code is not the reader's edit until they change it.
    clearEdit(this.#chapter, this.cellId);
    const text = "Loaded from a link: press Run to run it. The output below is still the author's.";
    this.#notice("shared", text, "info");
    this.scrollIntoView({ block: "start" });
    this.#buttons.get("run")?.focus({ preventScroll: true });
  }

  /** Restores the author's code; the notice offers Undo (and the editor's own undo works too). */
  async reset(): Promise<void> {
    const previous = this.code();
    if (previous === this.#author) {
      this.#setStatus("This cell already has the author's code.");
      return;
    }
    this.#code = this.#author;
    if (this.#editor) this.#editor.replace(this.#author);
    clearEdit(this.#chapter, this.cellId);
    this.#notice("outdated", null);
    this.#notice("shared", null);
    this.#notice("compare", null);
    this.#notice("reset", "Restored the author's code.", "info", [
      [
        "Undo reset",
        () => {
          this.#notice("reset", null);
          if (this.#editor) this.#editor.replace(previous);
          this.#changed(previous);
          this.#setStatus("Your code is back.");
          this.#editor?.focus();
        },
      ],
    ]);
    this.#setStatus("Reset to the author's code.");
  }

  /** Makes a link carrying this cell's code and offers it to copy. */
  async share(): Promise<void> {
    const { shareUrl } = await import("./share.ts");
    const url = shareUrl(location.href, this.cellId, this.code());
    const field = document.createElement("input");
    field.type = "text";
    field.readOnly = true;
    field.value = url;
    field.className = "nb-share-link";
    field.setAttribute("aria-label", `Link to cell ${this.cellId} with this code`);
    let copied = false;
    try {
      await navigator.clipboard.writeText(url);
      copied = true;
    } catch {
      // No clipboard (insecure origin or denied): the field below is there to copy from.
    }
    this.#notice(
      "share",
      `${copied ? "Link copied." : "Copy this link:"} It opens this page with your code in this ` +
        "cell (nothing runs until Run).",
      "info",
      [],
      field,
    );
    field.focus();
    field.select();
  }

  // Compare: the author's current code beside the reader's, line by line.
  async #compare(): Promise<void> {
    const { lineDiff } = await import("./diff.ts");
    const grid = document.createElement("div");
    grid.className = "nb-compare";
    const mine = this.code();
    const rows = lineDiff(this.#author, mine);
    for (const [title, keep, mark] of [
      ["The author's code now", "removed", "del"],
      ["Your copy", "added", "ins"],
    ] as const) {
      const column = document.createElement("div");
      const heading = document.createElement("h4");
      heading.textContent = title;
      const pre = document.createElement("pre");
      pre.tabIndex = 0;
      for (const row of rows) {
        if (row.kind !== "same" && row.kind !== keep) continue;
        const line = document.createElement(row.kind === "same" ? "span" : mark);
        line.textContent = `${row.text}\n`;
        pre.append(line);
      }
      column.append(heading, pre);
      grid.append(column);
    }
    const text = "Lines only in the author's code are marked in red, lines only in yours in green.";
    const close: [string, () => void] = ["Close", () => this.#notice("compare", null)];
    this.#notice("compare", text, "info", [close], grid);
  }

  /** Runs the cell (after the earlier cells it needs) in the page's kernel. */
  async run(): Promise<void> {
    const nb = await notebook();
    nb.run(this);
  }

  /** Shows where the cell is in its run: queued, running or idle; Stop works in the first two. */
  setState(state: RunState): void {
    this.classList.toggle("nb-running", state !== "idle");
    this.setAttribute("aria-busy", String(state !== "idle"));
    this.#buttons.get("stop")!.disabled = state === "idle";
    if (state === "queued") this.#setStatus("Waiting for the cells before it…");
    if (state === "running") this.#setStatus("Running…");
    if (state === "idle") this.#progress?.remove(), (this.#progress = null);
  }

  /** Streams a long run's progress: a bar, a line of numbers, a live chart (already sanitized). */
  showProgress(progress: Progress, chart: DocumentFragment | null): void {
    if (!this.#progress) {
      this.#progress = document.createElement("div");
      this.#progress.className = "nb-progress not-content";
      this.#progress.append(document.createElement("progress"), document.createElement("span"));
      this.#output.before(this.#progress);
    }
    const [bar, text] = this.#progress.children as unknown as [HTMLProgressElement, HTMLElement];
    if (progress.fraction === undefined) bar.removeAttribute("value");
    else bar.value = progress.fraction;
    bar.setAttribute("aria-label", `Progress of cell ${this.cellId}`);
    text.textContent = progress.text;
    if (chart) this.#output.replaceChildren(chart);
  }

  /** Replaces the output with a run's (already sanitized) output. */
  showOutput(output: DocumentFragment, status: string): void {
    this.#output.replaceChildren(output);
    this.#setStatus(status);
    this.setStale(null);
  }

  /** Marks the output as out of date (why), or clears the mark. */
  setStale(reason: string | null): void {
    this.classList.toggle("nb-stale", reason !== null);
    this.#notice("stale", reason, "warn", reason ? [["Run again", () => void this.run()]] : []);
  }

  /** Says in one line what the cell did last (announced politely). */
  setStatus(text: string): void {
    this.#setStatus(text);
  }

  #setStatus(text: string): void {
    this.#status.textContent = text;
  }

  // One notice per key; null removes it.
  #notice(
    key: string,
    text: string | null,
    kind: "warn" | "info" | "error" = "info",
    actions: [string, () => void][] = [],
    extra?: HTMLElement,
  ): void {
    this.#notices.querySelector(`[data-key="${key}"]`)?.remove();
    if (text === null) return;
    const box = document.createElement("div");
    box.className = "nb-notice";
    box.dataset.key = key;
    box.dataset.kind = kind;
    box.setAttribute("role", kind === "error" ? "alert" : "status");
    const message = document.createElement("p");
    message.textContent = text;
    box.append(message);
    for (const [label, act] of actions) {
      const element = button(key, label, label);
      element.removeAttribute("data-action");
      element.addEventListener("click", act);
      box.append(element);
    }
    if (extra) box.append(extra);
    this.#notices.append(box);
  }
}

if (!customElements.get("nb-cell")) customElements.define("nb-cell", NbCell);
