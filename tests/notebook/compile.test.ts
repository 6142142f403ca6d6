import { describe, expect, it } from "vitest";
import { CellSyntaxError, compileCell } from "../../src/notebook/compile.ts";

describe("compileCell", () => {
  it("compileCell(source) lists top-level declarations; imports are the cell's own", () => {
    const { declares, imports } = compileCell(
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
    expect(declares.sort()).toEqual(["net", "a", "c", "w", "k", "f", "Model", "i"].sort());
    expect(imports.map((i) => [i.module, i.names.map((n) => `${n.imported}→${n.local}`)])).toEqual([
      ["engine", ["MLP→MLP", "datasets→ds"]],
      ["@observablehq/plot", ["*→Plot"]],
    ]);
  });

  it("compileCell(source) leaves out names local to blocks, functions and loops", () => {
    const { declares, reads } = compileCell(
      [
        "{ const hidden = 1; }",
        "for (const x of [1]) { let y = x; }",
        "function f(p, { q } = {}) { const r = p + q; return r; }",
        "try { f(1); } catch (error) { error; }",
        "const g = (u) => u * 2;",
      ].join("\n"),
    );
    expect(declares.sort()).toEqual(["f", "g"]);
    expect(reads).toEqual([]);
  });

  it("compileCell(source) lists the names it reads, leaving out globals and the kernel's", () => {
    const { reads, params, readAt } = compileCell(
      "const out = net.forward(x);\nMath.max(out, w.size);\ndisplay(out); progress; signal; console.log(typeof later);",
    );
    expect(reads).toEqual(["net", "x", "w", "later"]);
    expect(readAt.w).toEqual({ line: 2, column: 15 });
    // The function's parameters: what it reads, then the kernel's globals it uses.
    expect(params).toEqual(["net", "x", "w", "later", "display", "progress", "signal", "console"]);
  });

  it("compileCell(source) marks names read only with typeof as soft", () => {
    const { reads, softReads } = compileCell("const a = typeof maybe;\nconst b = typeof known + known;");
    expect(reads).toEqual(["maybe", "known"]);
    expect(softReads).toEqual(["maybe"]);
  });

  it("compileCell(source) lists assignments to names it does not declare", () => {
    const { assigns } = compileCell("let own = 1;\nown = 2;\nnet = 3;\n[a, own] = [1, 2];\nn++;");
    expect(assigns.map((a) => [a.name, a.line, a.column])).toEqual([
      ["net", 3, 1],
      ["a", 4, 2],
      ["n", 5, 1],
    ]);
  });

  it("compileCell(source) does not count property names and labels as reads", () => {
    const { reads } = compileCell(
      "const o = { key: 1, [dynamic]: 2, method() {} };\no.prop;\nouter: for (;;) { break outer; }",
    );
    expect(reads).toEqual(["dynamic"]);
  });

  it("compileCell(source) strips TypeScript types and keeps the body's lines and columns", () => {
    const source = 'import { Tensor } from "engine";\nconst n: number = 3;\ntype T = { a: string };\nn';
    const { declares, code } = compileCell(source);
    expect(declares).toEqual(["n"]);
    expect(code).not.toMatch(/: number|type T/);
    const lines = code.split("\n");
    // Line 1 is the function's head (with the imports); the cell's line k is line k + 1.
    expect(lines[0]).toMatch(/^\(async function \(__nb\) \{ "use strict"; const \{ "Tensor": Tensor \} = __nb\.imports\[0\];$/);
    expect(lines[2]).toBe("const n = 3;");
    expect(lines[4]).toBe("__nb.value((n))");
    expect(lines[5]).toBe("return { n };");
  });

  it("compileCell(source) maps positions in the compiled code back to the cell", () => {
    const { position } = compileCell("const a: number = 1;\n  a.b.c.d");
    // "  a.b.c.d" became "  __nb.value((a.b.c.d))" on line 3 of the code.
    expect(position(3, 2 + "__nb.value((".length + 5)).toEqual({ line: 2, column: 7 });
    expect(position(2, 7)).toEqual({ line: 1, column: 7 });
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

  it("compileCell(source) rejects export and import() with a message that says what to do", () => {
    expect(() => compileCell("export const a = 1;")).toThrow(/cannot export.*remove `export`/);
    expect(() => compileCell('const m = import("engine");')).toThrow(/import it at the top/);
  });
});
