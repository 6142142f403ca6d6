/**
 * The authoring syntax: a fenced block ```` ```ts cell id=forward-pass hidden ```` is a cell.
 * Finds the cells of a chapter's Markdown tree and reads their options, with errors an author
 * can act on. No running here.
 */
import type { CellOptions } from "./types.ts";

/** Languages a cell fence may name. */
export const CELL_LANGS = ["ts", "typescript", "js", "javascript"];

/** The flags a cell's meta may carry (besides `id=…`). */
export const CELL_FLAGS = ["hidden", "readonly", "norun", "throws"] as const;

/** Flags the exercises' plugin sets (remark-exercises.ts): an author writes a ```ts check fence. */
const PLUGIN_FLAGS = ["check"] as const;

/** A fence's options were not understood. */
export class CellOptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CellOptionError";
  }
}

/** The fence node of a Markdown tree (mdast `code`), as much of it as cells need. */
export interface CodeNode {
  type: "code";
  lang?: string | null;
  meta?: string | null;
  value: string;
  position?: { start: { line: number; column: number }; end: { line: number; column: number } };
}

/** A cell found in a chapter. */
export interface AuthoredCell {
  options: CellOptions;
  source: string;
  /** The line of the opening fence in the chapter file (the cell's line 1 is the next one). */
  fenceLine: number;
  node: CodeNode;
}

/** True for a fence that is a cell: a cell language and `cell` as the first word of its meta. */
export function isCellFence(node: CodeNode): boolean {
  return (
    CELL_LANGS.includes(String(node.lang ?? "")) &&
    /^cell(\s|$)/.test(String(node.meta ?? "").trim())
  );
}

/** Reads a cell fence's meta: `cell id=forward-pass hidden` → options (`position` from 1). */
export function parseCellMeta(meta: string, position: number): CellOptions {
  const options: CellOptions = {
    id: `cell-${position}`,
    hidden: false,
    readonly: false,
    norun: false,
    throws: false,
  };
  const words = meta.trim().split(/\s+/).slice(1);
  for (const word of words) {
    const id = /^id=(.*)$/.exec(word);
    if (id) {
      const value = id[1].replace(/^["']|["']$/g, "");
      if (!/^[A-Za-z][\w-]*$/.test(value)) {
        throw new CellOptionError(
          `invalid cell id: "${value}" ` +
            '(expected a letter, then letters, digits, "-" or "_", e.g. id=forward-pass)',
        );
      }
      options.id = value;
    } else if ([...CELL_FLAGS, ...PLUGIN_FLAGS].includes(word as never)) {
      options[word as (typeof CELL_FLAGS)[number] | (typeof PLUGIN_FLAGS)[number]] = true;
    } else {
      throw new CellOptionError(
        `unknown cell option: "${word}" (expected id=…, ${CELL_FLAGS.join(", ")})`,
      );
    }
  }
  return options;
}

type Tree = { type: string; children?: Tree[] } & Record<string, unknown>;

/**
 * The cells of a chapter's tree, in order. Throws a CellOptionError naming the line for unknown
 * options and for an id used twice.
 */
export function findCells(tree: Tree): AuthoredCell[] {
  const cells: AuthoredCell[] = [];
  const seen = new Map<string, number>();
  const visit = (node: Tree) => {
    if (node.type === "code" && isCellFence(node as unknown as CodeNode)) {
      const code = node as unknown as CodeNode;
      const fenceLine = code.position?.start.line ?? 0;
      let options: CellOptions;
      try {
        options = parseCellMeta(String(code.meta), cells.length + 1);
      } catch (error) {
        throw new CellOptionError(`line ${fenceLine}: ${(error as Error).message}`);
      }
      const earlier = seen.get(options.id);
      if (earlier !== undefined) {
        throw new CellOptionError(
          `line ${fenceLine}: cell id "${options.id}" is already used by the cell at line ` +
            `${earlier}; ids must be unique in a chapter`,
        );
      }
      seen.set(options.id, fenceLine);
      cells.push({ options, source: code.value, fenceLine, node: code });
    }
    for (const child of node.children ?? []) visit(child);
  };
  visit(tree);
  return cells;
}
