import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
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

/** Every function in a file with its name (or what holds it) and its length in lines. */
function functionLengths(path: string): { name: string; line: number; lines: number }[] {
  const file = ts.createSourceFile(path, readFileSync(path, "utf8"), ts.ScriptTarget.Latest, true);
  const found: { name: string; line: number; lines: number }[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && "body" in node && node.body) {
      const start = file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
      const end = file.getLineAndCharacterOfPosition(node.getEnd()).line + 1;
      const holder = ts.isVariableDeclaration(node.parent) ? node.parent.name : undefined;
      const named = (node as { name?: ts.Node }).name ?? holder;
      found.push({ name: named?.getText(file) ?? "(anonymous)", line: start, lines: end - start + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
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
