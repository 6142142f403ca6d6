/**
 * `tex`, the kernel's formula global: ``tex`z = ${z}` `` (or `tex("z = 1")`) typesets a formula
 * with KaTeX, HTML and MathML, exactly as the chapters' prose formulas are, so a cell can print
 * an equation with its own numbers in it. Values interpolated are written as they are;
 * `tex.block` centres the formula on a line of its own. The result is a `Tex`, which the kernel
 * shows as its markup (see show.ts).
 */
import katex from "katex";

/** A formula typeset by `tex`: KaTeX's HTML and MathML, as the book's prose formulas are. */
export class Tex {
  readonly html: string;
  constructor(html: string) {
    this.html = html;
  }
}

function makeTex(displayMode: boolean) {
  return (strings: TemplateStringsArray | string, ...values: unknown[]): Tex => {
    const source =
      typeof strings === "string"
        ? strings
        : strings.raw.reduce(
            (text, part, i) => text + (i > 0 ? String(values[i - 1]) : "") + part,
            "",
          );
    return new Tex(
      katex.renderToString(source, { displayMode, output: "htmlAndMathml", throwOnError: true }),
    );
  };
}

/** The `tex` a cell reads: inline, and `tex.block` for display mode. */
export const tex = Object.assign(makeTex(false), { block: makeTex(true) });
