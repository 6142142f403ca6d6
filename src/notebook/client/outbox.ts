/**
 * What the kernel worker sends of a running cell's outputs: each message carries only the parts
 * that are new since the last one (one part per output), where they start (`from`) and a count
 * (`seq`); a run's last message carries the whole output. What a run shows is capped here, before
 * anything crosses to the page ({@link CAPS}): an output too big to show becomes a line saying so,
 * and a run that shows too much ends with a note. Pure: no DOM, no timers (worker.ts sends).
 */
import { renderOutput, type OutputPart } from "../render.ts";
import type { Output } from "../types.ts";
import { CAPS, countTags } from "./protocol.ts";

/** What one cell's stream has sent of its newest run. */
export interface Outbox {
  run: number;
  seq: number;
  /** The outputs sent, in order (compared by identity: a changed output is a new object). */
  outputs: Output[];
  /** The part sent for each of them, with its size. */
  parts: Sized[];
  /** True once the run was cut short (the note was sent). */
  cut: boolean;
}

/** A part, with what it counts against the run's caps. */
export interface Sized {
  part: OutputPart;
  chars: number;
  tags: number;
}

/** A message's worth of parts: where they start, their count, and them. */
export interface Delta {
  seq: number;
  from: number;
  parts: OutputPart[];
}

/** A new, empty outbox. */
export function outbox(): Outbox {
  return { run: -1, seq: 0, outputs: [], parts: [], cut: false };
}

const line = (text: string) => `<p class="nb-text nb-stderr">${text}</p>`;
const thousands = (n: number) => n.toLocaleString("en-US");

/** One output as its part: markup within the per-output caps, or a line saying it is too big. */
export function partOf(output: Output): Sized {
  if (output.kind === "input") {
    return { part: { kind: "input", key: output.key, spec: output.spec, value: output.value }, chars: 0, tags: 1 };
  }
  const html = renderOutput(output);
  return sized(html);
}

/** Markup as a part, replaced by a line when it is over the per-output caps. */
export function sized(html: string): Sized {
  const tags = html.length > CAPS.partChars ? Infinity : countTags(html, CAPS.partTags);
  if (html.length <= CAPS.partChars && tags <= CAPS.partTags) return { part: { kind: "html", html }, chars: html.length, tags };
  const what =
    html.length > CAPS.partChars
      ? `${thousands(html.length)} characters of markup`
      : `more than ${thousands(CAPS.partTags)} elements`;
  const limits = `at most ${thousands(CAPS.partChars)} characters and ${thousands(CAPS.partTags)} elements`;
  const text = line(`This output is too big to show here: ${what} (${limits} per output).`);
  return { part: { kind: "html", html: text }, chars: text.length, tags: 1 };
}

/** The note that ends a run cut short. */
function note(total: number, final: boolean): OutputPart {
  const what = final ? `showed ${thousands(total)} outputs, more than fits` : "shows more than fits";
  const text =
    `This run ${what} (at most ${CAPS.parts} outputs, ${CAPS.chars / 1e6} M characters and ` +
    `${thousands(CAPS.tags)} elements of markup): only the first are shown.`;
  return { kind: "html", html: line(text) };
}

/**
 * The next message of a cell's run: the parts from the first output that differs from what was
 * sent (all of them, from 0, when `final`), or null when a running cell has nothing new. `render`
 * turns an output into its part (canvases already encoded, see worker.ts); outputs sent before
 * are not rendered again, except a training's progress (which changes in place) at the end.
 */
export function nextDelta(
  box: Outbox,
  run: number,
  outputs: readonly Output[],
  final: boolean,
  render: (output: Output) => Sized = partOf,
): Delta | null {
  if (box.run !== run) Object.assign(box, outbox(), { run });
  let same = 0;
  const known = Math.min(box.outputs.length, outputs.length);
  while (same < known && outputs[same] === box.outputs[same] && !(final && outputs[same].kind === "progress")) same++;
  const unchanged = same === box.outputs.length && (box.cut || same === outputs.length);
  if (!final && box.seq > 0 && unchanged) return null;
  box.outputs.length = same;
  box.parts.length = same;
  let chars = 0;
  let tags = 0;
  for (const { chars: c, tags: t } of box.parts) (chars += c), (tags += t);
  box.cut = false;
  for (let i = same; i < outputs.length; i++) {
    const next = i < CAPS.parts ? render(outputs[i]) : null;
    if (!next || chars + next.chars > CAPS.chars || tags + next.tags > CAPS.tags) {
      box.cut = true;
      break;
    }
    chars += next.chars;
    tags += next.tags;
    box.outputs.push(outputs[i]);
    box.parts.push(next);
  }
  const from = final ? 0 : same;
  const parts = box.parts.slice(from).map((s) => s.part);
  if (box.cut) parts.push(note(outputs.length, final));
  return { seq: ++box.seq, from, parts };
}
