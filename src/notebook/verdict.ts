/**
 * An exercise's verdict (made by the check API, src/notebook/check.ts) and its markup. Kept apart
 * from the check API so that the kernel's inspect can know a verdict without loading the engine.
 */

/** How a check ended. */
export type VerdictStatus = "pass" | "fail" | "error";

/** A check's verdict: plain data, shown as the check cell's output. */
export interface VerdictData {
  /** The exercise's id. */
  exercise: string;
  status: VerdictStatus;
  /** One or two sentences for the reader. */
  message: string;
  /** Expected and received, where the check compared values. */
  detail?: string;
  /** The author's hint for this mistake, if they gave one. */
  hint?: string;
}

/** A verdict as a cell shows it (the notebook renders it as a coloured box). */
export class Verdict implements VerdictData {
  exercise: string;
  status: VerdictStatus;
  message: string;
  detail?: string;
  hint?: string;
  constructor(data: VerdictData) {
    this.exercise = data.exercise;
    this.status = data.status;
    this.message = data.message;
    if (data.detail) this.detail = data.detail;
    if (data.hint) this.hint = data.hint;
  }
}

/** True for a verdict, whichever copy of this module made it. */
export function isVerdict(value: unknown): value is VerdictData {
  if (value instanceof Verdict) return true;
  const v = value as Partial<VerdictData> | null;
  return (
    typeof v === "object" &&
    v !== null &&
    v.constructor?.name === "Verdict" &&
    typeof v.exercise === "string" &&
    (v.status === "pass" || v.status === "fail" || v.status === "error") &&
    typeof v.message === "string"
  );
}

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

// `code` spans in a message become <code>.
const inline = (text: string) => escape(text).replace(/`([^`]+)`/g, "<code>$1</code>");

const HEADINGS: Record<VerdictStatus, string> = { pass: "Solved", fail: "Not yet", error: "Not yet: an error" };

/** A verdict's markup (every value escaped; the page sanitizes it again). */
export function verdictHtml(verdict: VerdictData): string {
  const parts = [
    `<p class="nb-verdict-head"><strong>${HEADINGS[verdict.status]}.</strong> ${inline(verdict.message)}</p>`,
  ];
  if (verdict.detail) parts.push(`<p class="nb-verdict-detail">${inline(verdict.detail)}</p>`);
  if (verdict.hint) parts.push(`<p class="nb-verdict-hint"><strong>Hint:</strong> ${inline(verdict.hint)}</p>`);
  return `<div class="nb-verdict nb-verdict--${verdict.status}" data-verdict="${verdict.status}" data-exercise="${escape(verdict.exercise)}">${parts.join("")}</div>`;
}
