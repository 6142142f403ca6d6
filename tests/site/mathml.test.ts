// Every formula of every chapter is valid MathML: KaTeX renders each `$…$` and `$$…$$` as the
// build does (remark-math, then KaTeX's MathML), and no element with a fixed number of children
// (msub, mfrac …) has another number. Firefox logs "Invalid markup" for one, and a screen reader,
// which reads the MathML, reads the formula wrongly. Reads the sources; no build.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import katex from "katex";
import { parseHTML } from "linkedom";
import remarkMath from "remark-math";
import remarkMdx from "remark-mdx";
import remarkParse from "remark-parse";
import { unified } from "unified";
import { describe, expect, test } from "vitest";
import { contentDir } from "../support/chapters.ts";
import { wrongChildCounts } from "../support/mathml.ts";

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : /\.mdx?$/.test(entry.name) ? [join(dir, entry.name)] : [],
  );
}

interface MathNode {
  type: string;
  value?: string;
  position?: { start: { line: number; column: number } };
  children?: MathNode[];
}

/** The formulas of a chapter file, as the build's remark-math finds them, with their lines. */
function formulas(file: string): { tex: string; display: boolean; line: number; column: number }[] {
  const processor = unified().use(remarkParse).use(remarkMath);
  if (file.endsWith(".mdx")) processor.use(remarkMdx);
  const found: ReturnType<typeof formulas> = [];
  const walk = (node: MathNode) => {
    if (node.type === "math" || node.type === "inlineMath") {
      const { line, column } = node.position!.start;
      found.push({ tex: node.value ?? "", display: node.type === "math", line, column });
    }
    node.children?.forEach(walk);
  };
  walk(processor.parse(readFileSync(file, "utf8")) as MathNode);
  return found;
}

/** What is wrong with the MathML KaTeX writes for `tex` (nothing: []). */
function mathmlProblems(tex: string, display = false): string[] {
  let markup: string;
  try {
    markup = katex.renderToString(tex, { displayMode: display, output: "mathml", throwOnError: true });
  } catch (error) {
    return [`KaTeX cannot typeset it: ${(error as Error).message}`];
  }
  return wrongChildCounts(parseHTML(`<!doctype html><html><body>${markup}</body></html>`).document);
}

describe("every formula is valid MathML", () => {
  test("the check finds a script with a child too many or too few", () => {
    // `\min` in a subscript: KaTeX writes msub(J, min, U+2061), three children (chapter 7 had it)
    expect(mathmlProblems(String.raw`J_{\min}`)).toEqual(["<msub> has 3 children, not 2"]);
    expect(mathmlProblems(String.raw`x_{\max}^2`)).toEqual(["<msubsup> has 4 children, not 3"]);
    expect(mathmlProblems(String.raw`\frac{a}{\max}`)).toEqual(["<mfrac> has 3 children, not 2"]);
    // the same words, written so the script is one element
    expect(mathmlProblems(String.raw`J_{\text{min}}`)).toEqual([]);
    expect(mathmlProblems(String.raw`\min_x f(x) + \sum_{i=1}^n x_i + \sqrt[3]{x} + \hat{y}`)).toEqual([]);
  });

  test("no formula in the chapters writes an element with the wrong number of children", () => {
    const files = sources(contentDir());
    const invalid: string[] = [];
    let count = 0;
    for (const file of files) {
      for (const { tex, display, line, column } of formulas(file)) {
        count++;
        for (const problem of mathmlProblems(tex, display)) {
          invalid.push(`${file}:${line}:${column}: ${problem} in $${tex}$`);
        }
      }
    }
    expect(count, "the chapters' formulas were found").toBeGreaterThan(0);
    expect(
      invalid,
      "write the formula so each script, numerator … is one group: J_{\\text{min}}, not J_{\\min}",
    ).toEqual([]);
  });
});
