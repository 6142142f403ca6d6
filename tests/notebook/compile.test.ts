import { describe, expect, it } from "vitest";
import { CellSyntaxError, KERNEL_GLOBALS, compileCell, type CompiledCell } from "../../src/notebook/compile.ts";

/**
 * Runs compiled code as the kernel does: the names it reads from `inputs`, the kernel's globals
 * from `globals`, and `__nb` (its imports from `imports`). Returns what the cell declares and the
 * value it shows.
 */
async function evaluate(
  compiled: CompiledCell,
  inputs: Record<string, unknown> = {},
  { imports = {}, globals = {} }: { imports?: Record<string, unknown>; globals?: Record<string, unknown> } = {},
) {
  const fn = (0, eval)(compiled.code) as (...args: unknown[]) => Promise<Record<string, unknown>>;
  let shown: { value: unknown } | null = null;
  const nb = {
    imports: compiled.imports.map(({ module }) => imports[module]),
    value: (value: unknown) => ((shown = { value }), value),
  };
  const kernel = compiled.params.slice(compiled.reads.length);
  expect(kernel.every((name) => (KERNEL_GLOBALS as readonly string[]).includes(name))).toBe(true);
  const args = [...compiled.reads.map((name) => inputs[name]), ...kernel.map((name) => globals[name])];
  const exports = await fn(...args, nb);
  return { exports, shown: shown as { value: unknown } | null };
}

describe("compileCell", () => {
  it("compileCell(source) lists top-level declarations; imports are the cell's own", async () => {
    const compiled = compileCell(
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
    const { declares, imports } = compiled;
    expect(declares.sort()).toEqual(["net", "a", "c", "w", "k", "f", "Model", "i"].sort());
    const engine = { MLP: class {}, datasets: {} };
    const { exports } = await evaluate(compiled, {}, { imports: { engine, "@observablehq/plot": {} } });
    expect(exports).toMatchObject({ net: 1, a: 2, c: 3, w: undefined, k: 0, i: 2 });
    expect(Object.keys(exports).sort()).toEqual([...declares].sort());
    expect(imports.map((i) => [i.module, i.names.map((n) => `${n.imported}→${n.local}`)])).toEqual([
      ["engine", ["MLP→MLP", "datasets→ds"]],
      ["@observablehq/plot", ["*→Plot"]],
    ]);
  });

  it("compileCell(source) leaves out names local to blocks, functions and loops", async () => {
    const compiled = compileCell(
      [
        "{ const hidden = 1; }",
        "for (const x of [1]) { let y = x; }",
        "function f(p, { q } = {}) { const r = p + q; return r; }",
        "try { f(1); } catch (error) { error; }",
        "const g = (u) => u * 2;",
      ].join("\n"),
    );
    expect(compiled.declares.sort()).toEqual(["f", "g"]);
    expect(compiled.reads).toEqual([]);
    const { exports } = await evaluate(compiled);
    expect(Object.keys(exports).sort()).toEqual(["f", "g"]);
    expect((exports.f as (p: number, o: { q: number }) => number)(1, { q: 2 })).toBe(3);
  });

  it("compileCell(source) code runs: the declared names come back, the last expression is shown", async () => {
    const compiled = compileCell(
      'import { square } from "lib";\nconst a: number = square(x);\nfunction twice(v) { return 2 * v; }\ntwice(a) + 1',
    );
    const { exports, shown } = await evaluate(compiled, { x: 3 }, { imports: { lib: { square: (v: number) => v * v } } });
    expect(exports.a).toBe(9);
    expect((exports.twice as (v: number) => number)(2)).toBe(4);
    expect(shown).toEqual({ value: 19 });
  });

  it("compileCell(source) lists the names it reads, leaving out globals and the kernel's", async () => {
    const compiled = compileCell(
      "const out = net.forward(x);\nMath.max(out, w.size);\ndisplay(out); progress; signal; console.log(typeof later);",
    );
    const { reads, params, readAt } = compiled;
    expect(reads).toEqual(["net", "x", "w", "later"]);
    expect(readAt.w).toEqual({ line: 2, column: 15 });
    // The function's parameters: what it reads, then the kernel's globals it uses.
    expect(params).toEqual(["net", "x", "w", "later", "display", "progress", "signal", "console"]);
    const shown: unknown[] = [];
    const net = { forward: (v: number) => v + 1 };
    const globals = { display: (v: unknown) => shown.push(v), console: { log: (v: unknown) => shown.push(`log ${v}`) } };
    const { exports } = await evaluate(compiled, { net, x: 2, w: { size: 9 } }, { globals });
    expect(exports).toEqual({ out: 3 });
    expect(shown).toEqual([3, "log undefined"]);
  });

  it("compileCell(source) marks names read only with typeof as soft", async () => {
    const compiled = compileCell("const a = typeof maybe;\nconst b = typeof known + known;");
    expect(compiled.reads).toEqual(["maybe", "known"]);
    expect(compiled.softReads).toEqual(["maybe"]);
    expect((await evaluate(compiled, { known: 1 })).exports).toEqual({ a: "undefined", b: "number1" });
  });

  it("compileCell(source) lists assignments to names it does not declare", async () => {
    const compiled = compileCell("let own = 1;\nown = 2;\nnet = 3;\n[a, own] = [1, 2];\nn++;");
    expect(compiled.assigns.map((a) => [a.name, a.line, a.column])).toEqual([
      ["net", 3, 1],
      ["a", 4, 2],
      ["n", 5, 1],
    ]);
    // Run as it is, such code would fail at the first one (the kernel refuses it before that).
    await expect(evaluate(compiled)).rejects.toThrow(new ReferenceError("net is not defined"));
  });

  it("compileCell(source) does not count property names and labels as reads", async () => {
    const compiled = compileCell(
      "const o = { key: 1, [dynamic]: 2, method() {} };\no.prop;\nouter: for (;;) { break outer; }",
    );
    expect(compiled.reads).toEqual(["dynamic"]);
    expect((await evaluate(compiled, { dynamic: "d" })).exports.o).toMatchObject({ key: 1, d: 2 });
  });

  it("compileCell(source) strips TypeScript types and keeps the body's lines and columns", async () => {
    const source = 'import { Tensor } from "engine";\nconst n: number = 3;\ntype T = { a: string };\nn';
    const compiled = compileCell(source);
    const { declares, code } = compiled;
    expect(declares).toEqual(["n"]);
    const Tensor = class {};
    expect(await evaluate(compiled, {}, { imports: { engine: { Tensor } } })).toEqual({ exports: { n: 3 }, shown: { value: 3 } });
    expect(code).not.toMatch(/: number|type T/);
    const lines = code.split("\n");
    // Line 1 is the function's head (with the imports); the cell's line k is line k + 1.
    expect(lines[0]).toMatch(/^\(async function \(__nb\) \{ "use strict"; const \{ "Tensor": Tensor \} = __nb\.imports\[0\];$/);
    expect(lines[2]).toBe("const n = 3;");
    expect(lines[4]).toBe("__nb.value((n))");
    expect(lines[5]).toBe("return { n };");
  });

  it("compileCell(source) compiles names local to blocks and functions to code that runs", async () => {
    const compiled = compileCell("{ const hidden = 1; }\nfor (const x of [1]) { let y = x; }\nconst g = (u) => u * 2;\ng(k)");
    expect(compiled.reads).toEqual(["k"]);
    expect(await evaluate(compiled, { k: 4 })).toEqual({ exports: { g: expect.any(Function) }, shown: { value: 8 } });
  });

  it("compileCell(source) maps positions in the compiled code back to the cell", async () => {
    const compiled = compileCell("const a: number = 1;\n  a.b.c.d", { sourceURL: "nb-cell-map-1.js" });
    const { position } = compiled;
    // "  a.b.c.d" became "  __nb.value((a.b.c.d))" on line 3 of the code.
    expect(position(3, 2 + "__nb.value((".length + 5)).toEqual({ line: 2, column: 7 });
    expect(position(2, 7)).toEqual({ line: 1, column: 7 });
    // Where the engine says the compiled code threw, mapped back: `.c` of `a.b.c.d`, line 2.
    const error = await evaluate(compiled).catch((e: Error) => e);
    const [, line, column] = /nb-cell-map-1\.js:(\d+):(\d+)/.exec(String((error as Error).stack))!;
    expect(position(Number(line), Number(column))).toEqual({ line: 2, column: 7 });
  });

  it("compileCell(source) knows the function around a place, with the name a reader would say", async () => {
    const source = [
      "function rule(x: number) { return x; }", // 1
      "const arrow = (v) => {", // 2
      "  return [v].map((w) => w * 2);", // 3
      "};",
      "const o = { method() { return 1; }, field: function () { return 2; } };", // 5
      "class Model { step() { return 3; } }", // 6
      "rule(1) + arrow(2)[0] + o.method() + o.field() + new Model().step()",
    ].join("\n");
    const compiled = compileCell(source);
    const at = (line: number, column: number) => compiled.functionAt({ line, column });
    expect(at(1, 30)).toEqual({ name: "rule" });
    expect(at(2, 25)).toEqual({ name: "arrow" });
    expect(at(3, 26)).toEqual({ name: null }); // the arrow inside map: anonymous
    expect(at(5, 25)).toEqual({ name: "method" });
    expect(at(5, 58)).toEqual({ name: "field" });
    expect(at(6, 25)).toEqual({ name: "step" });
    expect(at(7, 1)).toBeNull(); // the cell's top level
    expect((await evaluate(compiled)).shown).toEqual({ value: 1 + 4 + 1 + 2 + 3 });
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

  it("a syntax error's message names no file: the cell is the file (sucrase says 'Error transforming cell.ts')", () => {
    expect(() => compileCell("const a = Math.max(1, 2;")).toThrow(/^Unexpected token/);
    expect(() => compileCell("const a = Math.max(1, 2;")).not.toThrow(/cell\.ts/);
  });

  it("compileCell(source) rejects export and import() with a message that says what to do", () => {
    expect(() => compileCell("export const a = 1;")).toThrow(/cannot export.*remove `export`/);
    expect(() => compileCell('const m = import("engine");')).toThrow(/import it at the top/);
  });

  it("compileCell(source) reads a switch's discriminant outside the switch's own scope", async () => {
    const compiled = compileCell("let seen = 0;\nswitch (mode) {\n  case 1: let mode = 2; seen = mode; break;\n  default: seen = -1;\n}\nseen");
    expect(compiled.reads).toEqual(["mode"]);
    expect((await evaluate(compiled, { mode: 3 })).shown).toEqual({ value: -1 });
  });

  it("compileCell(source) reads a parameter's default outside the function's body", async () => {
    const compiled = compileCell(
      "const f = (a = rate) => { const rate = 2; return a * rate; };\nfunction g(b = step) { var step = 10; return b + step; }\n[f(), g()]",
    );
    expect(compiled.reads).toEqual(["rate", "step"]);
    expect((await evaluate(compiled, { rate: 5, step: 1 })).shown).toEqual({ value: [10, 11] });
  });

  it("compileCell(source) shows a cell that is only a string, though it looks like a directive", async () => {
    const compiled = compileCell('"hello"');
    expect(compiled.hasValue).toBe(true);
    expect((await evaluate(compiled)).shown).toEqual({ value: "hello" });
  });

  it("compileCell(source) refuses arguments at the top level; a function's own arguments work", async () => {
    expect(() => compileCell("const n = 1;\narguments.length")).toThrow(
      expect.objectContaining({
        line: 2,
        column: 1,
        message:
          "arguments is not available at a cell's top level (a cell is not a function you call); " +
          "inside a function of the cell it is that function's arguments",
      }),
    );
    expect(() => compileCell("const f = () => arguments[0];")).toThrow(/arguments is not available/);
    const compiled = compileCell("function count() { return arguments.length; }\ncount(1, 2, 3)");
    expect(compiled.reads).toEqual([]);
    expect((await evaluate(compiled)).shown).toEqual({ value: 3 });
  });

  it("compileCell(source) refuses what acorn accepts but a cell's function cannot hold", () => {
    const refused = (source: string) => {
      try {
        compileCell(source);
      } catch (error) {
        expect(error).toBeInstanceOf(CellSyntaxError);
        const { line, column, message } = error as CellSyntaxError;
        return { line, column, message };
      }
      throw new Error(`compileCell(${JSON.stringify(source)}) did not throw`);
    };
    expect(refused("const u = 1;\nconst here = import.meta.url;")).toEqual({
      line: 2,
      column: 14,
      message: "import.meta is not available in a cell (a cell is not a module file); remove it",
    });
    expect(refused("let __nb = 1;")).toEqual({
      line: 1,
      column: 5,
      message: "__nb is the kernel's own name in a compiled cell; choose another name",
    });
    expect(refused('import { x as __nb } from "engine";')).toEqual({
      line: 1,
      column: 1,
      message: "__nb is the kernel's own name in a compiled cell; choose another name",
    });
    expect(refused("#!/usr/bin/env node\n1")).toEqual({
      line: 1,
      column: 1,
      message: "A cell cannot start with #! (a hashbang line): remove that line",
    });
  });

  it("compileCell(source) allows __nb as a property's name", async () => {
    const compiled = compileCell("const o = { __nb: 1 };\nclass K { __nb = 2; }\no.__nb + new K().__nb");
    expect((await evaluate(compiled)).shown).toEqual({ value: 3 });
  });

  it("compileCell(source) makes requestAnimationFrame a kernel global, not a name of the host", async () => {
    const compiled = compileCell("requestAnimationFrame(() => {}); cancelAnimationFrame(0);");
    expect(compiled.reads).toEqual([]);
    expect(compiled.params).toEqual(["requestAnimationFrame", "cancelAnimationFrame"]);
    const calls: string[] = [];
    const globals = {
      requestAnimationFrame: () => calls.push("request"),
      cancelAnimationFrame: () => calls.push("cancel"),
    };
    await evaluate(compiled, {}, { globals });
    expect(calls).toEqual(["request", "cancel"]);
  });
});
