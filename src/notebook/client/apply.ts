/**
 * Puts a run's checked parts in a cell's output, a bounded amount of work at a time: the parts
 * the output already shows (the same markup, the same control) stay as they are, the rest is
 * sanitized and inserted in order until the time given is spent, and the caller comes back for
 * the rest in a later task. A flood of output then never holds the page for long: what one part
 * costs is bounded by the caps of one output (protocol.ts), what one call costs by the budget.
 * Markup parts that follow one another are sanitized together, up to a few hundred elements (one
 * sanitizer call costs far more than a small part), as the build renders them.
 */
import { inputSignature } from "../inputs.ts";
import { buildControl, refusedControl } from "./control-dom.ts";
import { sanitizeHtml } from "./sanitize.ts";
import type { CheckedPart } from "./validate.ts";

/** What markup parts are sanitized together, at most (elements, characters). */
const BATCH = { tags: 400, chars: 40_000 };

/**
 * Parts as the output shows them, and their nodes (parts null: the build's markup, or a control
 * not placed yet, which a part may take again).
 */
interface Shown {
  parts: CheckedPart[] | null;
  nodes: ChildNode[];
  /** A control's key and signature: kept when a part declares the same control again. */
  key?: string;
  sig?: string;
}

const shownIn = new WeakMap<HTMLElement, Shown[]>();

// The build's markup: its controls may be kept; the rest is replaced on the first draw.
function fromBuild(output: HTMLElement): Shown[] {
  return [...output.childNodes].map((node): Shown => {
    const el = node as HTMLElement;
    if (el.nodeType === 1 && el.classList.contains("nb-input") && el.dataset.key) {
      return { parts: null, nodes: [node], key: el.dataset.key, sig: el.dataset.sig };
    }
    return { parts: null, nodes: [node] };
  });
}

function samePart(had: CheckedPart, part: CheckedPart): boolean {
  if (had === part) return true;
  if (had.kind === "html" && part.kind === "html") return had.html === part.html;
  return had.kind === "refused" && part.kind === "refused" && had.key === part.key && had.reason === part.reason;
}

// True when `shown` stands for the parts from `at` on (its parts, or the same control).
function same(shown: Shown, parts: readonly CheckedPart[], at: number): boolean {
  const part = parts[at];
  if (part.kind === "input") return shown.key === part.key && shown.sig === inputSignature(part.spec);
  const had = shown.parts;
  if (!had || at + had.length > parts.length) return false;
  return had.every((p, j) => samePart(p, parts[at + j]));
}

// Makes the nodes of the parts from `at` (markup parts that follow one another, together) and
// puts them before `cursor`.
function insert(output: HTMLElement, parts: readonly CheckedPart[], at: number, cursor: ChildNode | null): Shown {
  const part = parts[at];
  if (part.kind === "html") {
    const batch = [part];
    let [tags, chars] = [part.tags, part.html.length];
    for (let next = parts[at + batch.length]; next?.kind === "html"; next = parts[at + batch.length]) {
      if ((tags += next.tags) > BATCH.tags || (chars += next.html.length) > BATCH.chars) break;
      batch.push(next);
    }
    const fragment = sanitizeHtml(batch.map((p) => p.html).join(""));
    const nodes = [...fragment.childNodes];
    output.insertBefore(fragment, cursor);
    return { parts: batch, nodes };
  }
  if (part.kind === "refused") {
    const node = refusedControl(document, part.key, part.reason);
    output.insertBefore(node, cursor);
    return { parts: [part], nodes: [node] };
  }
  const node = buildControl(document, part.key, part.spec, part.value);
  output.insertBefore(node, cursor);
  return { parts: [part], nodes: [node], key: part.key, sig: node.dataset.sig };
}

/**
 * Brings `output` to show `parts`, working about `budgetMs` at most (one part at least); true
 * when it shows them all, false when more is left for the next call. A control the reader is
 * using (same key, same signature) stays where it is, with its value, focus and pointer.
 */
export function drawParts(output: HTMLElement, parts: readonly CheckedPart[], budgetMs: number): boolean {
  let list = shownIn.get(output);
  if (!list) shownIn.set(output, (list = fromBuild(output)));
  let i = 0;
  let kept = 0;
  // (what something else took out of the output, an extension or a script, is drawn again)
  const inOutput = (shown: Shown) => shown.nodes.every((node) => node.parentNode === output);
  for (; kept < list.length && i < parts.length && inOutput(list[kept]) && same(list[kept], parts, i); kept++) {
    const shown = list[kept];
    const span = shown.key !== undefined ? 1 : shown.parts!.length;
    shown.parts = parts.slice(i, (i += span));
  }
  // What follows goes, but for the controls: each stays in place until a part takes it again.
  const controls = new Map<string, Shown>();
  for (const shown of list.splice(kept)) {
    if (shown.key !== undefined && shown.nodes[0]?.parentNode === output) controls.set(shown.key, shown);
    else for (const node of shown.nodes) node.remove();
  }
  const before = lastNode(list);
  let cursor = before ? before.nextSibling : output.firstChild;
  const start = performance.now();
  while (i < parts.length) {
    const part = parts[i];
    const key = part.kind === "input" ? part.key : undefined;
    const control = key === undefined ? undefined : controls.get(key);
    if (key !== undefined && control && same(control, parts, i)) {
      controls.delete(key);
      const node = control.nodes[0];
      if (node === cursor) cursor = node.nextSibling;
      else output.insertBefore(node, cursor);
      list.push({ ...control, parts: [part] });
      i++;
    } else {
      const shown = insert(output, parts, i, cursor);
      list.push(shown);
      i += shown.parts!.length;
    }
    if (performance.now() - start >= budgetMs) break;
  }
  const done = i >= parts.length;
  for (const control of controls.values()) {
    if (done) control.nodes[0].remove();
    else list.push({ ...control, parts: null });
  }
  return done;
}

function lastNode(list: Shown[]): ChildNode | undefined {
  for (let j = list.length - 1; j >= 0; j--) {
    const nodes = list[j].nodes;
    if (nodes.length) return nodes[nodes.length - 1];
  }
  return undefined;
}
