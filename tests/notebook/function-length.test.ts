import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parse, type Node } from "acorn";
import { fullAncestor } from "acorn-walk";
import { transform } from "sucrase";
import { describe, expect, it } from "vitest";

/**
 * No function in src/ or engine/ is longer than a reader can hold in their head: 150 lines,
 * counted from its first line to its last, nested functions included (so a 500-line closure
 * of small functions counts as 500).
 */
const MAX_LINES = 150;
const ROOT = join(import.meta.dirname, "../..");
const FOLDERS = ["src", "engine"];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : sourceFiles(path);
    return /\.(ts|mts|js|mjs)$/.test(entry.name) && !entry.name.endsWith(".d.ts") ? [path] : [];
  });
}

type Any = Node & Record<string, any>;
const FUNCTION = /^(FunctionDeclaration|FunctionExpression|ArrowFunctionExpression)$/;
const KEYED = /^(MethodDefinition|Property|PropertyDefinition)$/;

/**
 * Every function in a file with its name (or what holds it) and its length in lines. Sucrase
 * removes the types and keeps every line where it was (as the notebook's compile.ts relies on),
 * so acorn's line numbers are the file's. (Measured against TypeScript's own parser when it was
 * in the install: the same 2,109 functions, starts and lengths.)
 */
function functionLengths(path: string): { name: string; line: number; lines: number }[] {
  const { code } = transform(readFileSync(path, "utf8"), {
    transforms: ["typescript"],
    disableESTransforms: true,
    keepUnusedImports: true,
  });
  const tree = parse(code, { ecmaVersion: "latest", sourceType: "module", locations: true });
  const text = (node: Any) => (node.type === "Identifier" ? node.name : code.slice(node.start, node.end));
  const found: { name: string; line: number; lines: number }[] = [];
  fullAncestor(tree, (node: Any, _state, ancestors) => {
    if (!FUNCTION.test(node.type)) return;
    const parent = ancestors[ancestors.length - 2] as Any | undefined;
    const keyed = parent && KEYED.test(parent.type);
    const name = node.id
      ? text(node.id)
      : parent?.type === "VariableDeclarator"
        ? text(parent.id)
        : keyed
          ? text(parent.key)
          : "(anonymous)";
    // a method starts at its name (`async run(…) {`), as a reader sees it
    const start = (keyed && parent.type !== "PropertyDefinition" ? parent : node).loc!.start.line;
    found.push({ name, line: start, lines: node.loc!.end.line - start + 1 });
  });
  return found;
}

describe("function length", () => {
  it(`no function in ${FOLDERS.join("/ or ")}/ is over ${MAX_LINES} lines`, () => {
    const files = FOLDERS.flatMap((folder) => sourceFiles(join(ROOT, folder)));
    expect(files.length).toBeGreaterThan(20);
    const long = files.flatMap((path) =>
      functionLengths(path)
        .filter((f) => f.lines > MAX_LINES)
        .map((f) => `${relative(ROOT, path)}:${f.line} ${f.name} has ${f.lines} lines`),
    );
    // Split such a function by concern (src/notebook/kernel.ts composes modules, for example).
    expect(long, `functions over ${MAX_LINES} lines; split them`).toEqual([]);
  });
});
