import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";

// The engine is meant to be read in an afternoon: this test holds its line budget
// (engine/README.md says how it is counted).
const ENGINE = new URL("../../engine/", import.meta.url).pathname;
const BUDGET = { code: 1850, file: 400 };

/** Lines of code: not blank and not only a comment (JSDoc and // lines are free). */
function codeLines(source: string): number {
  let inBlock = false;
  return source.split("\n").filter((raw) => {
    const line = raw.trim();
    if (inBlock) {
      inBlock = !line.includes("*/");
      return false;
    }
    if (line.startsWith("/*")) {
      inBlock = !line.includes("*/");
      return false;
    }
    return line !== "" && !line.startsWith("//");
  }).length;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

describe("engine size", () => {
  const files = sources(ENGINE).map((path) => ({
    path: path.slice(ENGINE.length),
    lines: codeLines(readFileSync(path, "utf8")),
  }));

  test(`the engine stays within ${BUDGET.code} lines of code`, () => {
    const total = files.reduce((sum, f) => sum + f.lines, 0);
    expect(total, JSON.stringify(files)).toBeLessThanOrEqual(BUDGET.code);
  });

  test(`no engine file passes ${BUDGET.file} lines of code`, () => {
    for (const f of files) expect(f.lines, f.path).toBeLessThanOrEqual(BUDGET.file);
  });

  test("codeLines counts code, not comments or blank lines", () => {
    const source = "/**\n * doc\n */\nconst a = 1; // note\n\n// comment\nexport { a };";
    expect(codeLines(source)).toBe(2);
  });
});
