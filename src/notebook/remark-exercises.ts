/**
 * Exercises in a chapter's Markdown tree. An author writes
 *
 * ````mdx
 * <Exercise id="tanh-backward" title="the backward rule of tanh">
 *   The task, in prose.
 *   ```ts cell id=tanh-rule        ← the reader's cell, with the starter code
 *   ```ts check                    ← guards on the reader's names (src/notebook/check.ts)
 *   <Hint>…</Hint>                 ← revealed one at a time
 *   ```ts solution                 ← shown last (and in the teacher's edition)
 *   ```ts wrong expect="ignores g" ← a foreseen mistake: the check must say this to it
 * </Exercise>
 * ````
 *
 * `prepareExercises` checks that shape (an author's mistake fails the build at its line), numbers
 * the exercises (chapter order . position), turns the check fence into a hidden, read-only cell
 * that calls `runCheck`, and moves the solution and the foreseen mistakes into the element's
 * attributes. After the chapter ran, `validateExercises` runs each exercise's check on its
 * solution (which must pass), its starter (which must not) and each foreseen mistake (whose
 * verdict must contain the words the author expects): nbgrader's validate, at every build.
 */
import { basename, dirname } from "node:path";
import { chapterFiles, chapterId } from "../chapter-schema.ts";
import type { AuthoredCell } from "./cells.ts";

type Tree = { type: string; name?: string; children?: Tree[] } & Record<string, unknown>;
type Attribute = { type: "mdxJsxAttribute"; name: string; value: unknown };

/** A mistake the author foresaw, and words its verdict must contain. */
export interface ForeseenMistake {
  source: string;
  expect: string;
  line: number;
}

/** One exercise of a chapter, as the build knows it. */
export interface ExerciseInfo {
  id: string;
  title: string;
  /** "6.1": the chapter's order, then the exercise's position in the chapter. */
  number: string;
  /** The reader's cell. */
  cellId: string;
  /** The hidden cell that runs the check. */
  checkId: string;
  checkSource: string;
  solution: string;
  mistakes: ForeseenMistake[];
  line: number;
}

/** An author's exercise is not in the shape the book needs; the message names the line. */
export class ExerciseError extends Error {
  line: number;
  constructor(message: string, line: number) {
    super(message);
    this.name = "ExerciseError";
    this.line = line;
  }
}

const ID = /^[a-z][a-z0-9-]*$/;

const lineOf = (node: Tree) => (node.position as { start?: { line?: number } } | undefined)?.start?.line ?? 1;

function attr(node: Tree, name: string): string | undefined {
  const found = (node.attributes as Attribute[] | undefined)?.find((a) => a.name === name);
  return typeof found?.value === "string" ? found.value : undefined;
}

function setAttr(node: Tree, name: string, value: string): void {
  const list = (node.attributes as Attribute[]) ?? (node.attributes = []);
  const found = list.find((a) => a.name === name);
  if (found) found.value = value;
  else list.push({ type: "mdxJsxAttribute", name, value });
}

const isFence = (node: Tree, word: string) =>
  node.type === "code" &&
  ["ts", "typescript", "js", "javascript"].includes(String(node.lang ?? "")) &&
  new RegExp(`^${word}(\\s|$)`).test(String(node.meta ?? "").trim());

// `expect="some words"` from a fence's meta.
function metaValue(meta: string, key: string): string | undefined {
  const match = new RegExp(`\\b${key}=(?:"([^"]*)"|'([^']*)'|(\\S+))`).exec(meta);
  return match ? (match[1] ?? match[2] ?? match[3]) : undefined;
}

/** Every node under `node` (not itself), depth first, with its parent. */
function descendants(node: Tree, out: { node: Tree; parent: Tree }[] = []) {
  for (const child of node.children ?? []) {
    out.push({ node: child, parent: node });
    descendants(child, out);
  }
  return out;
}

/**
 * The check code as a cell: its imports first (one line each), then the guards inside
 * `runCheck`, whose verdict is the cell's value.
 */
export function checkCellSource(exerciseId: string, check: string): string {
  const lines = check.split("\n");
  const imports = lines.filter((l) => /^\s*import\s.+from\s+["'][^"']+["'];?\s*$/.test(l));
  const body = lines.filter((l) => !imports.includes(l));
  return [
    `${imports.map((l) => l.trim()).join(" ")} import { runCheck } from "exercise";`.trim(),
    `await runCheck(${JSON.stringify(exerciseId)}, async (check) => {`,
    ...body,
    "});",
  ].join("\n");
}

/**
 * Finds the chapter's `<Exercise>` elements, checks their parts and rewrites them for the cells
 * plugin (see the file's comment). `chapter` is the chapter's number (its position in the book,
 * as the headings count); `null` for a page that is not a chapter, where an exercise is an error.
 */
export function prepareExercises(tree: Tree, chapter: number | null): ExerciseInfo[] {
  const order = chapter;
  const exercises: ExerciseInfo[] = [];
  const ids = new Map<string, number>();
  for (const { node } of descendants(tree)) {
    if (node.type !== "mdxJsxFlowElement" || node.name !== "Exercise") continue;
    const line = lineOf(node);
    const fail = (message: string, at = line): never => {
      throw new ExerciseError(`line ${at}: ${message}`, at);
    };
    if (order === null) fail("an <Exercise> needs a chapter: this page has no `order:` in its frontmatter");
    const id = attr(node, "id");
    const title = attr(node, "title");
    if (!id || !ID.test(id)) {
      fail(
        `<Exercise> needs an id of lower-case letters, digits and "-", starting with a letter; ` +
          `received ${JSON.stringify(id ?? null)} (e.g. <Exercise id="neuron-output" title="…">)`,
      );
    }
    if (!title?.trim()) fail(`<Exercise id="${id}"> needs a title: <Exercise id="${id}" title="the neuron's output">`);
    if (ids.has(id!)) fail(`exercise id "${id}" is already used by the exercise at line ${ids.get(id!)}`);
    ids.set(id!, line);
    const inside = descendants(node);
    const cells = inside.filter(({ node: n }) => isFence(n, "cell"));
    const checks = inside.filter(({ node: n }) => isFence(n, "check"));
    const solutions = inside.filter(({ node: n }) => isFence(n, "solution"));
    const wrongs = inside.filter(({ node: n }) => isFence(n, "wrong"));
    const where = `exercise "${id}"`;
    if (cells.length !== 1) {
      fail(`${where} needs exactly one \`\`\`ts cell fence (the reader's starter code); it has ${cells.length}`);
    }
    if (checks.length !== 1) fail(`${where} needs exactly one \`\`\`ts check fence (the guards); it has ${checks.length}`);
    if (solutions.length !== 1) fail(`${where} needs exactly one \`\`\`ts solution fence; it has ${solutions.length}`);
    const cellNode = cells[0].node;
    const cellMeta = String(cellNode.meta ?? "");
    const cellId = /\bid=["']?([A-Za-z][\w-]*)/.exec(cellMeta)?.[1];
    if (!cellId) fail(`${where}: its cell needs an id (\`\`\`ts cell id=${id}-answer), so the check can follow it`, lineOf(cellNode));
    for (const flag of ["hidden", "readonly", "norun", "throws"]) {
      if (new RegExp(`(^|\\s)${flag}(\\s|$)`).test(cellMeta)) {
        fail(`${where}: the reader's cell cannot be "${flag}": the reader edits and runs it`, lineOf(cellNode));
      }
    }
    const mistakes = wrongs.map(({ node: n }) => {
      const expect = metaValue(String(n.meta ?? ""), "expect");
      if (!expect) {
        fail(`${where}: a \`\`\`ts wrong fence needs expect="words its verdict must contain"`, lineOf(n));
      }
      return { source: String(n.value), expect: expect!, line: lineOf(n) };
    });
    const checkNode = checks[0].node;
    const checkSource = String(checkNode.value);
    const checkId = `${id}-check`;
    // The check becomes a hidden, read-only cell; the plugin then treats it as any other cell.
    Object.assign(checkNode, {
      meta: `cell id=${checkId} hidden readonly check`,
      value: checkCellSource(id!, checkSource),
    });
    const solution = String(solutions[0].node.value);
    // The solution and the mistakes leave the flow: the component places them.
    for (const { node: n, parent } of [...solutions, ...wrongs]) {
      parent.children = (parent.children ?? []).filter((c) => c !== n);
    }
    // A hint written on one line is parsed as a paragraph holding it: make it a block of its own,
    // so the hints are siblings (they reveal one after another).
    for (const { node: n } of inside) {
      const only = n.type === "paragraph" && n.children?.length === 1 ? n.children[0] : null;
      if (only?.type === "mdxJsxTextElement" && only.name === "Hint") {
        for (const key of Object.keys(n)) if (key !== "position") delete n[key];
        Object.assign(n, { ...only, type: "mdxJsxFlowElement" });
      }
    }
    const hints = descendants(node).filter(({ node: n }) => n.type === "mdxJsxFlowElement" && n.name === "Hint");
    hints.forEach(({ node: n }, i) => {
      setAttr(n, "n", String(i + 1));
      setAttr(n, "of", String(hints.length));
    });
    const number = `${order}.${exercises.length + 1}`;
    setAttr(node, "number", number);
    setAttr(node, "cell", cellId!);
    setAttr(node, "checkSource", checkSource);
    setAttr(node, "solution", solution);
    setAttr(node, "mistakes", JSON.stringify(mistakes.map(({ source, expect }) => ({ source, expect }))));
    exercises.push({ id: id!, title: title!, number, cellId: cellId!, checkId, checkSource, solution, mistakes, line });
  }
  return exercises;
}

/**
 * A chapter's number: its position among the chapters of its folder in reading order (as its
 * heading and `<ChapterRef>` count), or its `order:` when the folder cannot be read (a chapter
 * parsed on its own); null for a page that is not a chapter.
 */
export function chapterNumber(path: string, text: string): number | null {
  const order = frontmatterOrder(text);
  if (order === null) return null;
  try {
    const index = chapterFiles(dirname(path)).findIndex((c) => c.slug === chapterId(basename(path)));
    if (index >= 0) return index;
  } catch {
    // no folder, or two chapters with one order (the sidebar reports that)
  }
  return order;
}

/** The chapter's `order:` from its frontmatter, or null for a page that has none. */
export function frontmatterOrder(text: string): number | null {
  const front = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text)?.[1] ?? "";
  const order = /^order:\s*(\d+(?:\.\d+)?)\s*$/m.exec(front);
  return order ? Number(order[1]) : null;
}

/** A verdict read back from a check cell's output markup. */
export interface ReadVerdict {
  status: "pass" | "fail" | "error" | "none";
  text: string;
}

/** The verdict in a check cell's output HTML ("none" when it shows none: it did not run). */
export function readVerdict(html: string): ReadVerdict {
  const status = /data-verdict="(pass|fail|error)"/.exec(html)?.[1] as ReadVerdict["status"] | undefined;
  const text = html
    .replace(/<[^>]+>/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();
  return { status: status ?? "none", text };
}

/** What validation needs from the Node host: the check's verdict for a given answer. */
export type VerdictFor = (exercise: ExerciseInfo, answer: string) => Promise<ReadVerdict>;

/**
 * The build's own test of each exercise: its solution passes, its starter (already run, verdict
 * in `starter`) does not, and each foreseen mistake gets a verdict with the words expected.
 * Returns the problems, each with its line.
 */
export async function validateExercises(
  exercises: ExerciseInfo[],
  starter: (exercise: ExerciseInfo) => ReadVerdict,
  verdictFor: VerdictFor,
): Promise<{ message: string; line: number }[]> {
  const problems: { message: string; line: number }[] = [];
  for (const exercise of exercises) {
    const name = `exercise ${exercise.number} ("${exercise.id}")`;
    const first = starter(exercise);
    if (first.status === "pass") {
      problems.push({ line: exercise.line, message: `${name}: the starter code already passes its check; the reader has nothing to do` });
    }
    const solved = await verdictFor(exercise, exercise.solution);
    if (solved.status !== "pass") {
      problems.push({ line: exercise.line, message: `${name}: its solution does not pass its check: ${solved.text || "the check showed no verdict"}` });
    }
    for (const mistake of exercise.mistakes) {
      const verdict = await verdictFor(exercise, mistake.source);
      if (verdict.status === "pass") {
        problems.push({ line: mistake.line, message: `${name}: the foreseen mistake at line ${mistake.line} passes the check` });
      } else if (!verdict.text.toLowerCase().includes(mistake.expect.toLowerCase())) {
        problems.push({
          line: mistake.line,
          message: `${name}: the foreseen mistake at line ${mistake.line} should get a verdict containing "${mistake.expect}", but got: ${verdict.text}`,
        });
      }
    }
  }
  return problems;
}

/** The cells of the chapter with one cell's source replaced (to run a variant of an answer). */
export function withAnswer(cells: AuthoredCell[], cellId: string, source: string): AuthoredCell[] {
  return cells.map((c) => (c.options.id === cellId ? { ...c, source } : c));
}
