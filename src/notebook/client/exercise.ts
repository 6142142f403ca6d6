/**
 * `<nb-exercise>`: an exercise's state in the page. Its check is a hidden cell that reads the
 * reader's names, so the kernel runs it again whenever the reader's cell runs; this element reads
 * the verdict the check cell shows (`.nb-verdict[data-verdict]`, markup the page has sanitized),
 * says it in the exercise's head, and records a pass in the reader's progress
 * (src/course/progress.ts). A verdict from the store is never shown as current: after a reload an
 * exercise solved before runs the reader's saved answer again when it comes into view, and says
 * "Solved" only if the check passes again.
 */
import { browserStorage, loadProgress, markSolved, updateProgress } from "../../course/progress.ts";
import { load } from "./storage.ts";

const base: string = import.meta.env.BASE_URL;

type State = "unsolved" | "checking" | "solved" | "failed" | "blocked" | "edited" | "unchecked";

interface CellLike extends HTMLElement {
  run?: () => Promise<void>;
  code?: () => string;
}

const storage = browserStorage;

class ExerciseElement extends HTMLElement {
  #cell: CellLike | null = null;
  #check: CellLike | null = null;
  #state: HTMLElement | null = null;
  #checkedCode: string | null = null;
  #observer: MutationObserver | null = null;
  #inView: IntersectionObserver | null = null;

  get exerciseId(): string {
    return this.dataset.exercise ?? "";
  }

  get chapter(): string {
    return this.#cell?.dataset.chapter ?? "";
  }

  connectedCallback(): void {
    this.#cell = this.querySelector<CellLike>(`nb-cell[data-id="${CSS.escape(this.dataset.cell ?? "")}"]`);
    this.#check = this.querySelector<CellLike>("nb-cell.nb-cell--check");
    this.#state = this.querySelector(".nn-exercise__state");
    if (!this.#cell || !this.#check || !this.#state) return;
    this.#addCheckButton();
    const saved = load(base, this.chapter);
    const hasSavedAnswer = saved.kind === "state" && Boolean(saved.state.cells[this.dataset.cell ?? ""]);
    const solvedBefore = Boolean(loadProgress(storage(), base).exercises[`${this.chapter}/${this.exerciseId}`]);
    if (hasSavedAnswer && solvedBefore) {
      // said as it is: the check runs when the exercise comes into view, not before
      this.#show("unchecked", "You solved this before: your saved answer is checked again when you reach it.");
      this.#whenInView(() => void this.#runAnswer());
    } else if (hasSavedAnswer) {
      this.#show("unchecked", "Your saved answer has not been checked yet: run it to check it.");
    } else {
      this.#fromVerdict(solvedBefore);
    }
    this.#observer = new MutationObserver(() => this.#fromCheckCell());
    this.#observer.observe(this.#check, { subtree: true, childList: true, attributes: true, attributeFilter: ["class", "aria-busy"] });
    // An edit after a verdict makes it the verdict of other code.
    this.#cell.addEventListener("input", () => this.#edited(), true);
    this.#cell.addEventListener("keyup", () => this.#edited(), true);
  }

  disconnectedCallback(): void {
    this.#observer?.disconnect();
    this.#inView?.disconnect();
  }

  #addCheckButton(): void {
    const head = this.querySelector(".nn-exercise__head");
    if (!head || head.querySelector(".nn-exercise__check")) return;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "nn-exercise__check";
    button.textContent = "Check my answer";
    button.addEventListener("click", () => void this.#runAnswer());
    head.append(button);
  }

  async #runAnswer(): Promise<void> {
    await customElements.whenDefined("nb-cell");
    this.#show("checking", "Checking your answer…");
    await this.#cell?.run?.();
  }

  #whenInView(then: () => void): void {
    this.#inView = new IntersectionObserver((entries) => {
      if (!entries.some((e) => e.isIntersecting)) return;
      this.#inView?.disconnect();
      then();
    });
    this.#inView.observe(this);
  }

  #edited(): void {
    if (this.#checkedCode === null) return;
    const now = this.#cell?.code?.();
    if (now === undefined || now === this.#checkedCode) return;
    this.#checkedCode = null;
    this.#show("edited", "You changed your answer since it was checked: run it to check again.");
  }

  // The check cell changed: running, blocked by an error in the reader's cell, or a new verdict.
  #fromCheckCell(): void {
    const check = this.#check!;
    if (check.getAttribute("aria-busy") === "true") {
      if (this.dataset.state !== "checking") this.#show("checking", "Checking…");
      return;
    }
    if (check.classList.contains("nb-stale")) {
      // the reader's cell failed, or the kernel restarted: the check cell's notice says which
      this.#show("blocked", "Not checked: the check could not run (see why below).");
      return;
    }
    this.#fromVerdict(false);
  }

  #fromVerdict(solvedBefore: boolean): void {
    const verdict = this.#check?.querySelector<HTMLElement>(".nb-output .nb-verdict[data-verdict]");
    const status = verdict?.dataset.verdict;
    const live = this.dataset.state === "checking" || this.dataset.state === "edited" || this.dataset.state === "unchecked" || this.dataset.state === "blocked";
    if (status === "pass") {
      this.#checkedCode = this.#cell?.code?.() ?? null;
      this.#show("solved", "Solved");
      const saved = updateProgress(storage(), base, (p) => markSolved(p, this.chapter, this.exerciseId));
      document.dispatchEvent(new CustomEvent("nb-progress", { detail: { saved } }));
    } else if (status === "fail" || status === "error") {
      this.#checkedCode = live ? (this.#cell?.code?.() ?? null) : null;
      this.#show(
        "failed",
        solvedBefore
          ? "You solved this before; the code here now is the starter code."
          : live
            ? "Not yet: see what the check says below."
            : "Not solved yet",
      );
    }
  }

  #show(state: State, text: string): void {
    this.dataset.state = state;
    const line = this.#state!;
    line.dataset.state = state;
    const words = line.querySelector(".nn-exercise__state-text");
    if (words) words.textContent = text;
  }
}

if (!customElements.get("nb-exercise")) customElements.define("nb-exercise", ExerciseElement);
