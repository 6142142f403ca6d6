/**
 * `<nb-progress-page>`: marks the list of chapters and exercises from the progress in the browser,
 * and runs Export (a JSON file), Import (read, checked, shown, and merged only when the reader
 * confirms: never replacing what is here) and Forget (after a second, explicit confirmation).
 */
import {
  browserStorage,
  emptyProgress,
  loadProgress,
  mergeProgress,
  parseProgress,
  progressKey,
  updateProgress,
  whatMergeAdds,
  type Progress,
} from "./progress.ts";

const base: string = import.meta.env.BASE_URL;
/** A progress file is a few KB; anything far larger is not one. */
const MAX_FILE_BYTES = 1_000_000;

const storage = browserStorage;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

class ProgressPage extends HTMLElement {
  connectedCallback(): void {
    this.querySelector('[data-action="export"]')?.addEventListener("click", () => this.#export());
    this.querySelector<HTMLInputElement>('[data-action="import"]')?.addEventListener("change", (event) =>
      void this.#import(event.target as HTMLInputElement),
    );
    this.querySelector('[data-action="reset"]')?.addEventListener("click", () => this.#askReset());
    addEventListener("storage", () => this.#draw());
    this.#draw();
  }

  #draw(): void {
    const progress = loadProgress(storage(), base);
    let read = 0;
    let solved = 0;
    for (const item of this.querySelectorAll<HTMLElement>("li[data-chapter]")) {
      const done = Boolean(progress.chapters[item.dataset.chapter!]);
      read += done ? 1 : 0;
      const mark = item.querySelector<HTMLElement>(".nn-progress__read")!;
      mark.dataset.read = String(done);
      mark.textContent = done ? "✓ read" : "not read yet";
    }
    for (const item of this.querySelectorAll<HTMLElement>("li[data-exercise]")) {
      const entry = progress.exercises[item.dataset.exercise!];
      solved += entry ? 1 : 0;
      item.dataset.solved = String(Boolean(entry));
      item.querySelector(".nn-progress__solved")!.textContent = entry
        ? `✓ solved on ${new Date(entry.solved).toLocaleDateString(undefined, { dateStyle: "long" })}`
        : "not solved yet";
    }
    const summary = this.querySelector(".nn-progress__summary")!;
    summary.textContent =
      `You have read ${read} of ${this.dataset.chapters} chapters and solved ${solved} of ` +
      `${this.dataset.total} exercises.` +
      (storage() ? "" : " This browser does not let the book keep anything: progress will not be saved.");
  }

  #notice(text: string, actions: [string, () => void][] = []): void {
    const box = this.querySelector(".nn-progress__notice")!;
    box.replaceChildren(text);
    for (const [label, act] of actions) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = label;
      button.addEventListener("click", act);
      box.append(" ", button);
    }
  }

  #export(): void {
    const progress = loadProgress(storage(), base);
    const file = JSON.stringify({ ...progress, book: base, exported: new Date().toISOString() }, null, 2);
    const link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([file], { type: "application/json" }));
    link.download = `progress-${new Date().toISOString().slice(0, 10)}.json`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
    this.#notice(`Exported: ${plural(Object.keys(progress.chapters).length, "chapter")} read, ${plural(Object.keys(progress.exercises).length, "exercise")} solved.`);
  }

  async #import(input: HTMLInputElement): Promise<void> {
    const file = input.files?.[0];
    input.value = "";
    if (!file) return;
    if (file.size > MAX_FILE_BYTES) {
      this.#notice(`That file is ${Math.round(file.size / 1000)} KB: a progress file is a few KB. Nothing was imported.`);
      return;
    }
    let parsed: ReturnType<typeof parseProgress>;
    try {
      parsed = parseProgress(JSON.parse(await file.text()));
    } catch {
      parsed = { error: "it is not JSON" };
    }
    if ("error" in parsed) {
      this.#notice(`Nothing was imported: ${parsed.error}.`);
      return;
    }
    const incoming = parsed.progress;
    const current = loadProgress(storage(), base);
    const adds = whatMergeAdds(current, incoming);
    const skipped = parsed.dropped ? ` (${plural(parsed.dropped, "entry")} in it could not be read and will be left out)` : "";
    if (adds.chapters === 0 && adds.exercises === 0) {
      this.#notice(`That file adds nothing to your progress here${skipped}.`);
      return;
    }
    this.#notice(
      `That file adds ${plural(adds.chapters, "chapter")} read and ${plural(adds.exercises, "exercise")} solved to your progress here${skipped}. Nothing here will be removed.`,
      [
        ["Add them", () => this.#merge(incoming)],
        ["Cancel", () => this.#notice("Nothing was imported.")],
      ],
    );
  }

  #merge(incoming: Progress): void {
    const ok = updateProgress(storage(), base, (progress) => {
      const merged = mergeProgress(progress, incoming);
      progress.chapters = merged.chapters;
      progress.exercises = merged.exercises;
    });
    this.#draw();
    document.dispatchEvent(new CustomEvent("nb-progress"));
    this.#notice(ok ? "Imported: your progress now holds both." : "This browser does not let the book save: nothing was imported.");
  }

  #askReset(): void {
    this.#notice("Forget every chapter read and exercise solved in this book, in this browser? Your edited cells stay.", [
      ["Yes, forget my progress", () => this.#reset()],
      ["Keep it", () => this.#notice("Your progress is kept.")],
    ]);
  }

  #reset(): void {
    try {
      storage()?.setItem(progressKey(base), JSON.stringify(emptyProgress()));
    } catch {
      // nothing to forget
    }
    this.#draw();
    document.dispatchEvent(new CustomEvent("nb-progress"));
    this.#notice("Your progress is forgotten.");
  }
}

if (!customElements.get("nb-progress-page")) customElements.define("nb-progress-page", ProgressPage);
