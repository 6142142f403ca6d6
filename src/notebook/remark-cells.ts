/**
 * The remark plugin that makes cells: it runs a chapter's cells in the Node host (one kernel per
 * chapter file, in order), replaces every ```` ```ts cell ```` fence with a `<Cell …/>` carrying
 * the source and the static output HTML, and imports the Cell component. A cell that throws
 * without `throws` (or a `throws` cell that does not throw) fails the build at its line. What
 * each cell and exercise check did goes into the build's record of cells (cell-record.ts).
 */
import { parse } from "acorn";
import { fileURLToPath } from "node:url";
import type { Root } from "mdast";
import type { VFile } from "vfile";
import { CellOptionError, findCells, type AuthoredCell } from "./cells.ts";
import { chapterSlug, exerciseProblems, runCells } from "./node-host.ts";
import {
  ExerciseError,
  chapterNumber,
  prepareExercises,
  readVerdict,
  type ExerciseInfo,
} from "./remark-exercises.ts";
import { recordChapter, verdictLog } from "./cell-record.ts";
import { valueText } from "./values.ts";

/** The component every cell becomes. */
export const CELL_COMPONENT = fileURLToPath(new URL("../components/Cell.astro", import.meta.url));

/** The components an exercise is written with, imported for the author when a page uses them. */
export const COURSE_COMPONENTS: Record<string, string> = {
  Exercise: fileURLToPath(new URL("../components/Exercise.astro", import.meta.url)),
  Hint: fileURLToPath(new URL("../components/Hint.astro", import.meta.url)),
  ForInstructors: fileURLToPath(new URL("../components/ForInstructors.astro", import.meta.url)),
};

type Attribute = { type: "mdxJsxAttribute"; name: string; value: string | null };
type Tree = { type: string; children: Tree[] } & Record<string, unknown>;

function attribute(name: string, value: string | boolean): Attribute[] {
  if (value === false) return [];
  return [{ type: "mdxJsxAttribute", name, value: value === true ? null : value }];
}

// `import Cell from "…/Cell.astro"` as MDX's ESM node, with its estree.
function importNode(name = "Cell", path = CELL_COMPONENT): Tree {
  const value = `import ${name} from ${JSON.stringify(path)};`;
  const estree = parse(value, { ecmaVersion: "latest", sourceType: "module" });
  return { type: "mdxjsEsm", value, data: { estree }, children: [] } as unknown as Tree;
}

function importsCell(tree: Tree, name = "Cell"): boolean {
  return tree.children.some(
    (node) => node.type === "mdxjsEsm" && new RegExp(`\\bimport\\s+${name}\\b`).test(String(node.value ?? "")),
  );
}

// Whether the page uses a JSX element of this name anywhere.
function uses(node: Tree, name: string): boolean {
  return (node.children ?? []).some(
    (child) =>
      ((child.type === "mdxJsxFlowElement" || child.type === "mdxJsxTextElement") && child.name === name) ||
      uses(child, name),
  );
}


// The chapter's number (its position in the book), from its folder and its `order:` (Astro's
// parsed frontmatter when it ran first: the text it hands on has none).
function chapterOrder(file: VFile): number | null {
  const front = (file.data as { astro?: { frontmatter?: { order?: unknown } } }).astro?.frontmatter;
  const text = typeof front?.order === "number" ? `---\norder: ${front.order}\n---\n` : String(file.value ?? "");
  return chapterNumber(file.path ?? "chapter.mdx", text);
}

/** The plugin: `remarkPlugins: [remarkCells]` (no options). */
export default function remarkCells() {
  return async function transform(root: Root, file: VFile): Promise<void> {
    const tree = root as unknown as Tree;
    const path = file.path ?? "chapter.mdx";
    const chapter = path.split("/").pop() ?? path;
    let cells: AuthoredCell[] = [];
    let exercises: ExerciseInfo[] = [];
    try {
      exercises = prepareExercises(tree, chapterOrder(file));
    } catch (error) {
      if (!(error instanceof ExerciseError)) throw error;
      file.fail(`${chapter}: ${error.message}`, { line: error.line, column: 1 });
    }
    for (const [name, path] of Object.entries(COURSE_COMPONENTS)) {
      if (uses(tree, name) && !importsCell(tree, name)) tree.children.unshift(importNode(name, path));
    }
    try {
      cells = findCells(tree);
    } catch (error) {
      if (!(error instanceof CellOptionError)) throw error;
      const line = Number(/^line (\d+)/.exec(error.message)?.[1] ?? 1);
      file.fail(`${chapter}: ${error.message}`, { line, column: 1 });
    }
    if (cells.length === 0) return recordChapter(path, null, [], []);
    const run = await runCells(chapter, cells);
    // what ran is recorded before a problem fails the build (cell-record.ts: the tests read it)
    const verdicts = verdictLog(run, exercises, readVerdict);
    const failing = run.problems.length > 0 ? [] : await exerciseProblems(chapter, cells, exercises, run, verdicts.add);
    recordChapter(path, run, verdicts.recorded, failing);
    if (run.problems.length > 0) {
      const [first, ...rest] = run.problems;
      const more = rest.map((p) => `"${p.cellId}" at line ${p.line}`).join(", ");
      const others = rest.length ? `\n(and ${more})` : "";
      file.fail(`${first.message}${others}`, { line: first.line, column: first.column });
    }
    if (failing.length > 0) {
      const [first, ...rest] = failing;
      const more = rest.length ? `\n(and ${rest.map((p) => `line ${p.line}: ${p.message}`).join("; ")})` : "";
      file.fail(`${first.message}${more}`, { line: first.line, column: 1 });
    }
    const slug = chapterSlug(path);
    for (const [index, { cell, result, html, hash }] of run.cells.entries()) {
      const { id, hidden, readonly, norun, throws, check = false } = cell.options;
      // Replace the fence node in place: same object, so its parent keeps its order. (This tree's
      // node: a cached run may come from an earlier parse of the same chapter, as in `astro dev`.)
      const node = (cells.find((c) => c.options.id === id)?.node ?? cell.node) as unknown as Record<string, unknown>;
      for (const key of Object.keys(node)) if (key !== "position") delete node[key];
      Object.assign(node, {
        type: "mdxJsxFlowElement",
        name: "Cell",
        attributes: [
          ...attribute("id", id),
          ...attribute("chapter", slug),
          ...attribute("source", cell.source),
          ...attribute("hash", hash),
          ...attribute("output", html),
          ...attribute("hidden", hidden),
          ...attribute("readonly", readonly),
          ...attribute("norun", norun),
          ...attribute("throws", throws),
          ...attribute("check", check),
          ...attribute("failed", result !== null && !result.ok),
          ...attribute("first", index === 0),
        ],
        children: [],
      });
    }
    if (!importsCell(tree)) tree.children.unshift(importNode());
    replaceValues(tree, run.value, (message, line) => file.fail(`${chapter}: ${message}`, { line, column: 1 }));
  };
}

type JsxAttribute = { type: string; name: string; value: unknown };

// An attribute's value: a string, `{1}` (an expression: its source), or true when bare.
function attributeValue(node: Tree, name: string): string | true | undefined {
  const found = (node.attributes as JsxAttribute[] | undefined)?.find((a) => a.name === name);
  if (!found) return undefined;
  if (found.value === null) return true;
  if (typeof found.value === "string") return found.value;
  return String((found.value as { value?: unknown }).value ?? "");
}

/** Replaces every `<Value name=… />` by the text of the value a cell declared. */
function replaceValues(
  tree: Tree,
  lookup: Parameters<typeof valueText>[1],
  fail: (message: string, line: number) => never,
): void {
  const visit = (node: Tree) => {
    node.children?.forEach((child, i) => {
      const isValue =
        (child.type === "mdxJsxTextElement" || child.type === "mdxJsxFlowElement") &&
        child.name === "Value";
      if (!isValue) return visit(child);
      const line = (child.position as { start?: { line?: number } } | undefined)?.start?.line ?? 1;
      const name = attributeValue(child, "name");
      if (typeof name !== "string") fail('<Value> needs a name: <Value name="accuracy" />', line);
      const digits = attributeValue(child, "digits");
      const request = {
        name: name as string,
        path: attributeValue(child, "path") as string | undefined,
        digits: digits === undefined ? undefined : Number(digits),
        percent: attributeValue(child, "percent") !== undefined,
      };
      const shown = valueText(request, lookup);
      if ("error" in shown) fail(shown.error, line);
      else node.children[i] = { type: "text", value: shown.text, children: [] } as unknown as Tree;
    });
  };
  visit(tree);
}
