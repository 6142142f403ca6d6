import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";

// The engine is meant to be read in an afternoon: this test holds its line budget, and checks
// that engine/README.md states the same budget (its section "Line budget" says what is counted).
// The fast path (engine/fast/: WebAssembly kernels and the TypeScript backend object that loads
// them) is not part of that read, and has a budget of its own.
const ENGINE = new URL("../../engine/", import.meta.url).pathname;
const FAST = "fast/";
const BUDGET = { code: 2000, file: 400, fast: 180, wat: 440 };

/**
 * Lines of code: lines with something left once comments are taken out (block comments, JSDoc
 * included, wherever they start; a line that is only a // comment, or ;; in WebAssembly text).
 * Blank lines do not count.
 */
function codeLines(source: string): number {
  let inBlock = false;
  return source.split("\n").filter((raw) => {
    let rest = "";
    for (let line = raw; line !== ""; ) {
      if (inBlock) {
        const end = line.indexOf("*/");
        inBlock = end < 0;
        line = end < 0 ? "" : line.slice(end + 2);
      } else {
        const start = line.indexOf("/*");
        rest += start < 0 ? line : line.slice(0, start);
        inBlock = start >= 0;
        line = start < 0 ? "" : line.slice(start + 2);
      }
    }
    const code = rest.trim();
    return code !== "" && !code.startsWith("//") && !code.startsWith(";;");
  }).length;
}

function sources(dir: string, extension: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path, extension);
    // kernels.wasm.ts is generated (the compiled kernels as base64), not written
    const generated = entry.name.endsWith(".wasm.ts");
    return entry.name.endsWith(extension) && !generated ? [path] : [];
  });
}

const count = (extension: string) =>
  sources(ENGINE, extension).map((path) => ({
    path: path.slice(ENGINE.length),
    lines: codeLines(readFileSync(path, "utf8")),
  }));
const total = (files: { lines: number }[]) => files.reduce((sum, f) => sum + f.lines, 0);

describe("engine size", () => {
  const files = count(".ts");
  const readable = files.filter((f) => !f.path.startsWith(FAST));
  const fast = files.filter((f) => f.path.startsWith(FAST));

  test(`the readable engine stays within ${BUDGET.code} lines of code`, () => {
    expect(total(readable), JSON.stringify(readable)).toBeLessThanOrEqual(BUDGET.code);
  });

  test(`no engine file passes ${BUDGET.file} lines of code`, () => {
    for (const f of files) expect(f.lines, f.path).toBeLessThanOrEqual(BUDGET.file);
  });

  test(`the fast path stays within ${BUDGET.fast} lines of TypeScript ${BUDGET.wat} of WAT`, () => {
    expect(fast.map((f) => f.path)).toContain("fast/index.ts");
    expect(total(fast), JSON.stringify(fast)).toBeLessThanOrEqual(BUDGET.fast);
    const wat = count(".wat");
    expect(wat.map((f) => f.path)).toEqual(["fast/kernels.wat"]);
    expect(total(wat)).toBeLessThanOrEqual(BUDGET.wat);
  });

  test("codeLines counts code, not comments or blank lines", () => {
    const source = "/**\n * doc\n */\nconst a = 1; // note\n\n// comment\nexport { a };";
    expect(codeLines(source)).toBe(2);
    expect(codeLines(";; a kernel\n(module\n  ;; memory\n  (memory 1))")).toBe(2);
    // code beside a block comment counts, also where the comment started on a line of code
    expect(codeLines("/** doc */ export const b = 2;\nf(); /* a\n b */ g();\n/* c */")).toBe(3);
    expect(codeLines("f(); /* a\n b */\n/* c */ // d")).toBe(1);
  });

  test("engine/README.md states this budget", () => {
    const readme = readFileSync(join(ENGINE, "README.md"), "utf8").replace(/,(?=\d{3})/g, "");
    const stated = (label: string) => Number(readme.match(new RegExp(`${label}: at most (\\d+)`))?.[1]);
    expect({
      code: stated("readable engine"),
      file: stated("any one file"),
      fast: stated("fast path TypeScript"),
      wat: stated("fast path WebAssembly text"),
    }).toEqual(BUDGET);
  });
});
