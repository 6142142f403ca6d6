/**
 * The `<nb-cell>` custom element: upgrades a server-rendered cell (its name, toolbar, highlighted
 * code, output and controls, all in the page already) by wiring the buttons, the code, and the
 * controls. This is the only script a chapter loads before the reader interacts, so it stays
 * small: the editor, the kernel worker and the sanitizer load on first use.
 */
import type { CellEditor } from "./editor.ts";
import type { CellView, RunState } from "./notebook.ts";
import type { CellOptions } from "../types.ts";
import type { ProgressReport } from "./protocol.ts";
import { listenToControls } from "./controls.ts";
import { notebook, register, resetCell, saveCode, saveInput, savedCode } from "./page.ts";
import { sourceHash } from "./storage.ts";

/** Options an author sets on a cell (fence meta), as the page carries them (the id apart). */
type CellFlags = Omit<CellOptions, "id">;

// A printable key without a modifier: the reader means to type.
function isTyping(event: KeyboardEvent): boolean {
  return event.key.length === 1 && !event.ctrlKey && !event.metaKey && !event.altKey;
}

function button(label: string): HTMLButtonElement {
  const element = document.createElement("button");
  element.type = "button";
  element.textContent = label;
  return element;
}

// The first control of a chapter's cells (a slider, a box, a button) as a keyboard reader reaches
// it: the skip link at the top of the page (src/components/overrides/SkipLink.astro) goes straight
// to it, past the header, the sidebar and the cells' code before it.
const CONTROL =
  ".nb-input :is(input:not([type=hidden]), select, button, textarea):not(:disabled)";

function offerSkipLink(cell: HTMLElement, output: HTMLElement): void {
  const link = document.querySelector<HTMLAnchorElement>("a.nb-skip[hidden]");
  if (!link || !output.querySelector(CONTROL)) return;
  link.href = `#${cell.id}`;
  link.hidden = false;
  link.addEventListener("click", (event) => {
    const control = output.querySelector<HTMLElement>(CONTROL);
    if (!control) return;
    event.preventDefault();
    control.focus();
  });
}

/** A runnable cell; see the module comment. */
export class NbCell extends HTMLElement implements CellView {
  #author = "";
  #code = "";
  #hash = "";
  #options: CellFlags = { hidden: false, readonly: false, norun: false, throws: false };
  #editor: CellEditor | null = null;
  #editorLoading: Promise<CellEditor> | null = null;
  #codeBlock: HTMLElement | null = null;
  #pre: HTMLElement | null = null;
  #output!: HTMLElement;
  #status!: HTMLElement;
  #notices!: HTMLElement;
  #progress: HTMLElement | null = null;
  #upgraded = false;
  /** The code the kernel has for this cell: the author's until the reader runs an edit. */
  applied = "";

  /** The cell's id, unique in its chapter. */
  get cellId(): string {
    return this.dataset.id ?? "";
  }

  /** The author's code, as built into the page. */
  get author(): string {
    return this.#author;
  }

  /** The element the output goes in. */
  get output(): HTMLElement {
    return this.#output;
  }

  /** The code the reader has now (the author's, a saved edit, or a shared link's). */
  code(): string {
    return this.#editor?.code() ?? this.#code;
  }

  connectedCallback(): void {
    if (this.#upgraded) return;
    this.#upgraded = true;
    const source = this.querySelector<HTMLTemplateElement>("template.nb-source");
    this.#author = source?.content.textContent ?? "";
    this.#code = this.#author;
    this.applied = this.#author;
    this.#hash = this.dataset.hash || sourceHash(this.#author);
    try {
      Object.assign(this.#options, JSON.parse(this.dataset.options ?? "{}"));
    } catch {
      // Flags missing: the defaults stand.
    }
    this.#output = this.querySelector<HTMLElement>(".nb-output")!;
    this.#status = this.querySelector<HTMLElement>(".nb-status")!;
    this.#notices = this.querySelector<HTMLElement>(".nb-notices")!;
    // The highlighted code: Starlight's <Code> wraps its <pre> in a .expressive-code block.
    this.#pre =
      [...this.querySelectorAll<HTMLElement>("pre")].find((pre) => !this.#output.contains(pre)) ??
      null;
    this.#codeBlock = this.#pre?.closest<HTMLElement>(".expressive-code") ?? this.#pre;
    this.#nameScrollingCode();
    this.#listen();
    offerSkipLink(this, this.#output);
    register(this, this.dataset.chapter || location.pathname);
  }

  // Expressive Code makes code that scrolls sideways a focusable region; each gets this cell's
  // name, so a page with two of them has two regions told apart.
  #nameScrollingCode(): void {
    const pre = this.#pre;
    if (!pre) return;
    const name = () => {
      if (pre.getAttribute("role") === "region") pre.setAttribute("aria-label", `Code of cell ${this.cellId}`);
      else pre.removeAttribute("aria-label");
    };
    new MutationObserver(name).observe(pre, { attributes: true, attributeFilter: ["role"] });
    name();
  }

  #editable(): boolean {
    return !this.#options.hidden && !this.#options.readonly && this.#codeBlock !== null;
  }

  #button(action: string): HTMLButtonElement | null {
    return this.querySelector<HTMLButtonElement>(`.nb-toolbar button[data-action="${action}"]`);
  }

  // The toolbar is one Tab stop (the WAI-ARIA toolbar pattern): Left and Right (wrapping), Home
  // and End move between its enabled buttons, Tab leaves it, and the button last focused keeps
  // the stop, so Tab comes back to it.
  #rovingToolbar(): void {
    const bar = this.querySelector<HTMLElement>(".nb-toolbar");
    if (!bar) return;
    bar.addEventListener("keydown", (event) => {
      if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
      const items = this.#toolbarItems();
      const at = items.indexOf(event.target as HTMLButtonElement);
      const moves: Record<string, number> = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: -1 };
      if (at < 0 || !(event.key in moves) || items.length === 0) return;
      event.preventDefault();
      const next = items.at(moves[event.key]! % items.length)!;
      this.#toolbarStop(next);
      next.focus();
    });
    bar.addEventListener("focusin", (event) => {
      if (event.target instanceof HTMLButtonElement) this.#toolbarStop(event.target);
    });
    this.#toolbarStop(null);
  }

  // The toolbar's enabled buttons, in order.
  #toolbarItems(): HTMLButtonElement[] {
    return [...this.querySelectorAll<HTMLButtonElement>(".nb-toolbar button")].filter((b) => !b.disabled);
  }

  // Gives the toolbar's one Tab stop to `preferred`, or keeps it where it is while that button is
  // enabled, or gives it to the first enabled button (Run).
  #toolbarStop(preferred: HTMLButtonElement | null): void {
    const items = this.#toolbarItems();
    const stop =
      (preferred && items.includes(preferred) ? preferred : null) ??
      items.find((b) => b.tabIndex === 0) ??
      items[0];
    for (const b of this.querySelectorAll<HTMLButtonElement>(".nb-toolbar button")) {
      b.tabIndex = b === stop ? 0 : -1;
    }
  }

  #listen(): void {
    this.#rovingToolbar();
    this.querySelector(".nb-toolbar")?.addEventListener("click", (event) => {
      const action = (event.target as HTMLElement).closest<HTMLElement>("button[data-action]")
        ?.dataset.action;
      if (action === "run") void this.run();
      else if (action === "stop") void notebook().then((nb) => nb.stop(this));
      else if (action === "edit") void this.edit(true);
      else if (action === "reset") void this.reset();
    });
    listenToControls(this.#output, (change) => {
      if (change.kind === "value") {
        saveInput(change.key, change.value);
        void notebook().then((nb) => nb.input(change.key, change.value));
      } else void notebook().then((nb) => nb.control(change.key, change.command));
    });
    this.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && event.shiftKey && !this.#output.contains(event.target as Node)) {
        event.preventDefault();
        void this.run();
      }
    });
    const block = this.#pre;
    if (!block || !this.#editable()) return;
    if (!block.hasAttribute("tabindex")) block.tabIndex = 0;
    block.addEventListener("pointerdown", () => void this.edit(true), { once: true });
    block.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey || isTyping(event)) {
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
        this.#button("edit")?.remove();
        this.#toolbarStop(null);
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
    saveCode(this, code, this.#hash);
    this.#setStatus(code === this.applied ? "" : "Edited: press Run to see what it shows.");
  }

  /** Puts code in the cell (a saved edit, a link's, the author's); runs nothing. */
  async setCode(code: string, why: "restored" | "link" | "reset"): Promise<void> {
    if (code === this.code()) return;
    this.#code = code;
    if (this.#editor || code !== this.#author) {
      if (!this.#editable()) return;
      // The author's highlighted code would mislead until the editor shows this one.
      if (this.#codeBlock) this.#codeBlock.hidden = true;
      const editor = await this.edit(false);
      editor.replace(code);
    }
    if (why === "reset") return;
    const saved = savedCode(this.cellId);
    if (why === "restored" && saved && saved.base !== this.#hash) {
      this.notice(
        "outdated",
        "Your copy is based on an older version of this cell: the author has changed it since.",
        "warn",
        [
          ["Compare", () => void this.#compare()],
          ["Reset to the author's code", () => void this.reset()],
        ],
      );
    }
    this.#setStatus(
      code === this.applied
        ? ""
        : `${why === "link" ? "Code from the link" : "Your edited code"}: the output below is from ` +
            "the book's code until you press Run.",
    );
  }

  /** Restores the author's code and this cell's controls; the notice offers Undo. */
  async reset(): Promise<void> {
    const previous = this.code();
    // The controls go back to their defaults, and what reads them follows (as after a move).
    const moved = resetCell(this);
    if (moved.length > 0) {
      void notebook().then((nb) => {
        for (const [key, value] of moved) nb.input(key, value);
      });
    }
    this.notice("outdated", null);
    this.notice("compare", null);
    if (previous === this.#author) {
      this.#setStatus("The author's code and settings are back.");
      return;
    }
    this.#code = this.#author;
    this.#editor?.replace(this.#author);
    this.notice("reset", "Restored the author's code.", "info", [
      [
        "Undo reset",
        () => {
          this.notice("reset", null);
          this.#editor?.replace(previous);
          this.#changed(previous);
          this.#setStatus("Your code is back.");
          this.#editor?.focus();
        },
      ],
    ]);
    this.#setStatus("Reset to the author's code: press Run to see its output again.");
  }

  // Compare: the author's code now, shown inline in the reader's (CodeMirror's merge view), with
  // a button on each change to take the author's version of it.
  async #compare(): Promise<void> {
    const editor = await this.edit(false);
    editor.compare(this.#author);
    const text =
      "In the code, the author's lines now are struck through beside yours; each change has a " +
      "button to take the author's version or keep yours.";
    this.notice("compare", text, "info", [
      [
        "Done comparing",
        () => {
          editor.compare(null);
          this.notice("compare", null);
        },
      ],
    ]);
  }

  /** Runs the cell (with what it reads, if needed, and what reads it) in the page's kernel. */
  async run(): Promise<void> {
    const nb = await notebook();
    nb.run([this]);
  }

  /** Running or idle; Stop works while running. */
  setState(state: RunState): void {
    this.classList.toggle("nb-running", state !== "idle");
    this.setAttribute("aria-busy", String(state !== "idle"));
    const stop = this.#button("stop");
    if (stop) {
      // Stop pressed from the keyboard: as it turns disabled, focus goes back to Run, not the page.
      const focused = stop === document.activeElement;
      stop.disabled = state === "idle";
      this.#toolbarStop(null);
      if (focused && stop.disabled) this.#button("run")?.focus();
    }
    if (state === "running") this.#setStatus("Running…");
    if (state === "idle") this.#progress?.remove(), (this.#progress = null);
  }

  /** Streams a long run's progress: a bar, a line of numbers, a live chart (already sanitized). */
  showProgress(progress: ProgressReport, chart: DocumentFragment | null): void {
    if (!this.#progress) {
      this.#progress = document.createElement("div");
      this.#progress.className = "nb-progress not-content";
      const bar = document.createElement("progress");
      bar.setAttribute("aria-label", `Progress of cell ${this.cellId}`);
      const text = document.createElement("span");
      const live = document.createElement("div");
      live.className = "nb-progress-chart";
      this.#progress.append(bar, text, live);
      this.#output.before(this.#progress);
    }
    const [bar, text, live] = this.#progress.children as unknown as [
      HTMLProgressElement,
      HTMLElement,
      HTMLElement,
    ];
    if (progress.fraction === undefined) bar.removeAttribute("value");
    else bar.value = progress.fraction;
    text.textContent = progress.text;
    if (chart) live.replaceChildren(chart);
  }

  /** Marks the output as out of date (why), or clears the mark. */
  setStale(reason: string | null): void {
    this.classList.toggle("nb-stale", reason !== null);
    this.notice("stale", reason, "warn", reason ? [["Run again", () => void this.run()]] : []);
  }

  /**
   * After a failed run whose error arose in another cell's function: a link to that cell in the
   * error, made here from the checked cell id and line (never from the worker's markup).
   */
  showOrigin(origin: { cell: string; line: number } | null): void {
    // An output kept from the last run (the same error again) keeps its nodes: one link, not two.
    for (const old of this.#output.querySelectorAll(".nb-error-origin")) old.remove();
    if (!origin) return;
    const target = document.getElementById(`cell-${origin.cell}`);
    if (!(target instanceof NbCell)) return;
    const box = [...this.#output.querySelectorAll(".nb-error")].at(-1) ?? this.#output;
    const link = document.createElement("a");
    link.href = `#cell-${encodeURIComponent(origin.cell)}`;
    link.textContent = `Go to cell ${origin.cell}, line ${origin.line}`;
    link.addEventListener("click", (event) => {
      event.preventDefault();
      target.reveal();
    });
    const line = document.createElement("p");
    line.className = "nb-error-origin";
    line.append(link);
    box.append(line);
  }

  /** Brings the cell into view and puts the focus in its code (or on Run, when it has none to edit). */
  reveal(): void {
    this.scrollIntoView({ block: "start" });
    if (this.#editor) this.#editor.focus();
    else if (this.#pre && this.#editable()) this.#pre.focus();
    else this.#button("run")?.focus();
  }

  /** Says in one line what the cell did last (announced politely). */
  setStatus(text: string): void {
    this.#setStatus(text);
  }

  #setStatus(text: string): void {
    this.#status.textContent = text;
  }

  /** One notice per key; null removes it. */
  notice(
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
      const element = button(label);
      element.addEventListener("click", act);
      box.append(element);
    }
    if (extra) box.append(extra);
    this.#notices.append(box);
  }
}

if (!customElements.get("nb-cell")) customElements.define("nb-cell", NbCell);
