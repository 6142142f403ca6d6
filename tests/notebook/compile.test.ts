import { describe, expect, it } from "vitest";
import { CellSyntaxError, compileCell } from "../../src/notebook/compile.ts";

describe("compileCell", () => {
  it("compileCell(source) lists top-level declarations, imports included", () => {
    const { declares } = compileCell(
      [
        'import { MLP, datasets as ds } from "engine";',
        'import * as Plot from "@observablehq/plot";',
        "const net = 1, { a, b: [c] } = { a: 2, b: [3] };",
        "let w;",
        "var k = 0;",
        "function f() {}",
        "class Model {}",
        "for (var i = 0; i < 2; i++) {}",
      ].join("\n"),
    );
    expect(declares.sort()).toEqual(
      ["MLP", "ds", "Plot", "net", "a", "c", "w", "k", "f", "Model", "i"].sort(),
    );
  });

  it("compileCell(source) leaves out names local to blocks, functions and loops", () => {
    const { declares, references } = compileCell(
      [
        "{ const hidden = 1; }",
        "for (const x of [1]) { let y = x; }",
        "function f(p, { q } = {}) { const r = p + q; return r; }",
        "try { f(1); } catch (error) { error; }",
        "const g = (u) => u * 2;",
      ].join("\n"),
    );
    expect(declares.sort()).toEqual(["f", "g"]);
    expect(references).toEqual([]);
  });

  it("compileCell(source) lists free references, leaving out globals and the kernel's", () => {
    const { references } = compileCell(
      "const out = net.forward(x);\nMath.max(out, w.size);\ndisplay(out); progress; signal; console.log(typeof later);",
    );
    expect(references.sort()).toEqual(["later", "net", "w", "x"]);
  });

  it("compileCell(source) does not count property names and labels as references", () => {
    const { references } = compileCell(
      "const o = { key: 1, [dynamic]: 2, method() {} };\no.prop;\nouter: for (;;) { break outer; }",
    );
    expect(references).toEqual(["dynamic"]);
  });

  it("compileCell(source) strips TypeScript types and keeps imports used only later", () => {
    const { declares, code } = compileCell(
      'import { Tensor } from "engine";\nconst n: number = 3;\ntype T = { a: string };\ninterface I {}',
    );
    expect(declares.sort()).toEqual(["Tensor", "n"]);
    expect(code).not.toMatch(/: number|interface|type T/);
  });

  it("compileCell(source) keeps every line of the cell on the same line", () => {
    const source = "const a: number = 1;\n\nconst b = a +\n  2;\nb";
    const { code } = compileCell(source);
    const lines = code.split("\n");
    expect(lines[2].trim()).toMatch(/b = __scope\.a \+$/);
    expect(lines[4]).toMatch(/__scope\.b/);
  });

  it("compileCell(source) throws a CellSyntaxError at the line and column of a syntax error", () => {
    let caught: unknown;
    try {
      compileCell("const a = 1;\nconst b = ;");
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CellSyntaxError);
    expect(caught).toMatchObject({ line: 2, column: 11 });
  });

  it("compileCell(source) rejects export with a message that says what to do", () => {
    expect(() => compileCell("export const a = 1;")).toThrow(/cannot export.*remove `export`/);
  });
});
