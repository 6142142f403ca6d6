import { describe, expect, it } from "vitest";
import { compileCell } from "../../src/notebook/compile.ts";
import { cellFrames, parseStack, runtimeError, type CellCode } from "../../src/notebook/errors.ts";
import { createKernel } from "../../src/notebook/kernel.ts";
import { renderOutput } from "../../src/notebook/render.ts";
import type { KernelEvent, Output } from "../../src/notebook/types.ts";

// Errors are shown where the mistake is: a frame in any cell's code maps back to that cell.

// Real stacks (Node 24 and Firefox 153, the same eval'd cells with `//# sourceURL=`): cell b
// declares rule (line 2 of the compiled code is the cell's line 1), cell a calls it from an arrow
// function in `[1, 2].filter(…)`.
const V8_STACK = [
  "TypeError: Math.hypt is not a function",
  "    at rule (nb-cell-b-1.js:3:15)",
  "    at eval (nb-cell-a-1.js:3:10)",
  "    at Array.filter (<anonymous>)",
  "    at eval (nb-cell-a-1.js:2:19)",
  "    at async file:///tmp/st.mjs:21:13",
].join("\n");
const GECKO_STACK = [
  "rule@nb-cell-b-1.js:3:15",
  "pts<@nb-cell-a-1.js:3:14",
  "@nb-cell-a-1.js:2:19",
  "async*@file:///tmp/ff.html:23:13",
  "",
].join("\n");

describe("parseStack", () => {
  it("reads V8's frames (Chromium, Node): name, URL, line, column", () => {
    expect(parseStack(V8_STACK)).toEqual([
      { name: "rule", url: "nb-cell-b-1.js", line: 3, column: 15 },
      { name: "eval", url: "nb-cell-a-1.js", line: 3, column: 10 },
      { name: "eval", url: "nb-cell-a-1.js", line: 2, column: 19 },
      { name: null, url: "file:///tmp/st.mjs", line: 21, column: 13 },
    ]);
  });

  it("reads Firefox's frames (fn@url:line:col, async* frames, anonymous ones)", () => {
    expect(parseStack(GECKO_STACK)).toEqual([
      { name: "rule", url: "nb-cell-b-1.js", line: 3, column: 15 },
      { name: "pts<", url: "nb-cell-a-1.js", line: 3, column: 14 },
      { name: null, url: "nb-cell-a-1.js", line: 2, column: 19 },
      { name: null, url: "file:///tmp/ff.html", line: 23, column: 13 },
    ]);
  });

  it("keeps URLs with colons and parentheses whole, and skips lines without a place", () => {
    const stack = [
      "Error: at x (y:1:2)", // a message that looks like a frame is not one in V8's format
      "    at Object.<anonymous> (http://127.0.0.1:4321/book/_astro/worker.js:10:5)",
      "    at async Promise.all (index 0)",
      "    at new Model (nb-cell-m-2.js:4:9)",
    ].join("\n");
    expect(parseStack(stack)).toEqual([
      { name: "Object.<anonymous>", url: "http://127.0.0.1:4321/book/_astro/worker.js", line: 10, column: 5 },
      { name: "new Model", url: "nb-cell-m-2.js", line: 4, column: 9 },
    ]);
  });
});

// Cells as the kernel compiles them, each from its own URL.
function cellCode(id: string, source: string): CellCode {
  const url = `nb-cell-${id}-1.js`;
  return { id, source, url, compiled: compileCell(source, { sourceURL: url }) };
}

describe("runtimeError (the stacks above, both formats)", () => {
  const b = cellCode("b", "// the rule\nfunction rule(x) {\n  return Math.hypt(x, 1);\n}");
  const a = cellCode("a", "const kept = [1, 2].filter(\n  (p) => rule(p));");
  for (const [format, stack] of [["V8", V8_STACK], ["Firefox", GECKO_STACK]]) {
    it(`${format}: names the declaring cell, its line and function, and where this cell called it`, () => {
      const error = Object.assign(new TypeError("Math.hypt is not a function"), { stack });
      const output = runtimeError(error, a, [a, b]);
      // Stack line 3 in b is the cell's line 2; stack line 3 in a is its line 2 (`rule(p)`).
      expect(output).toMatchObject({
        name: "TypeError",
        line: 2,
        excerpt: "  (p) => rule(p));",
        origin: { cell: "b", line: 2, column: 15, name: "rule", excerpt: "function rule(x) {", via: [] },
      });
    });
  }
});

type CellEvent = Extract<KernelEvent, { type: "cell" }>;

/** Runs cells in a kernel (real V8 stacks) and returns each cell's last error output. */
async function errorsOf(cells: Record<string, string>): Promise<Record<string, Extract<Output, { kind: "error" }> | undefined>> {
  const events: CellEvent[] = [];
  const kernel = createKernel({ modules: {}, onEvent: (e) => e.type === "cell" && events.push(e) });
  kernel.define(Object.entries(cells).map(([id, source]) => ({ id, source })));
  kernel.run(Object.keys(cells));
  await kernel.idle();
  // Generators' values come a frame later.
  await new Promise((resolve) => setTimeout(resolve, 50));
  await kernel.idle();
  kernel.dispose();
  const found: Record<string, Extract<Output, { kind: "error" }> | undefined> = {};
  for (const id of Object.keys(cells)) {
    const last = events.filter((e) => e.id === id && e.status !== "running").at(-1);
    found[id] = last?.outputs.find((o): o is Extract<Output, { kind: "error" }> => o.kind === "error");
  }
  return found;
}

describe("errors in a kernel, mapped to the cell where the mistake is", () => {
  it("an error inside a function another cell declared names that cell, its line, and this cell's call", async () => {
    const errors = await errorsOf({
      "spiral-rule": "// Your rule\nfunction rule(x1: number, x2: number): number {\n  return Math.hypt(x1, x2) < 0.5 ? 1 : 0;\n}",
      score: "const points = [{ x1: 1, x2: 2 }];\nconst right = points.filter(\n  (p) => rule(p.x1, p.x2) === 1,\n).length;",
    });
    expect(errors["spiral-rule"]).toBeUndefined();
    expect(errors.score).toEqual({
      kind: "error",
      phase: "run",
      name: "TypeError",
      message: "Math.hypt is not a function",
      line: 3,
      column: 10,
      excerpt: "  (p) => rule(p.x1, p.x2) === 1,",
      origin: {
        cell: "spiral-rule",
        line: 3,
        column: 15,
        excerpt: "  return Math.hypt(x1, x2) < 0.5 ? 1 : 0;",
        name: "rule",
        via: [],
      },
    });
    const html = renderOutput(errors.score!);
    expect(html).toContain(
      "<strong>TypeError</strong> in rule, declared in cell spiral-rule, line 3 " +
        "(called from this cell, line 3): Math.hypt is not a function",
    );
    expect(html).toContain("<pre>spiral-rule:3 |   return Math.hypt(x1, x2) &lt; 0.5 ? 1 : 0;\n");
  });

  it("nested calls across three cells name the innermost cell and the cell in between", async () => {
    const errors = await errorsOf({
      inner: "const scale = (v) => {\n  return v.size * 2;\n};",
      middle: "// helpers\nconst measure = (items) =>\n  items.map((item) => scale(item));",
      outer: "const sizes = [{ size: 1 }, null];\nmeasure(sizes)",
    });
    expect(errors.outer).toMatchObject({
      name: "TypeError",
      line: 2,
      column: 1,
      origin: {
        cell: "inner",
        line: 2,
        column: 12,
        name: "scale",
        via: [{ cell: "middle", line: 3, name: null }],
      },
    });
    expect(renderOutput(errors.outer!)).toContain(
      "in scale, declared in cell inner, line 2 (called from cell middle, line 3, from this cell, line 2)",
    );
  });

  it("an error in a cell's own top level stays the cell's own, with no origin", async () => {
    const errors = await errorsOf({
      helper: "function twice(v) { return v * 2; }",
      own: "const a = twice(2);\nconst b = a.deeper.field;",
    });
    expect(errors.own).toMatchObject({ name: "TypeError", line: 2, column: 20 });
    expect(errors.own!.origin).toBeUndefined();
    expect(renderOutput(errors.own!)).toContain("(line 2, column 20)");
  });

  it("an error inside an async function another cell declared names it, and the await that called it", async () => {
    const errors = await errorsOf({
      loader: "async function load(n) {\n  await null;\n  return n.items.length;\n}",
      user: "const count = await load(undefined);",
    });
    expect(errors.user).toMatchObject({
      line: 1,
      origin: { cell: "loader", line: 3, column: 12, name: "load", via: [] },
    });
  });

  it("an error inside a generator another cell declared names it (the kernel pulls it: no line here)", async () => {
    const errors = await errorsOf({
      frames: "function* ticks() {\n  yield 1;\n  throw new RangeError(\"out of ticks\");\n}",
      animation: "ticks()",
    });
    expect(errors.animation).toMatchObject({
      name: "RangeError",
      message: "out of ticks",
      line: null,
      origin: { cell: "frames", line: 3, column: 9, name: "ticks", via: [] },
    });
    expect(renderOutput(errors.animation!)).toContain(
      "<strong>RangeError</strong> in ticks, declared in cell frames, line 3: out of ticks",
    );
  });

  it("a function of this cell called back by another cell's is this cell's error", async () => {
    const errors = await errorsOf({
      apply: "const each = (items, f) => items.map(f);",
      caller: "each([1], (x) => x.y.z)",
    });
    expect(errors.caller).toMatchObject({ line: 1, column: 22 });
    expect(errors.caller!.origin).toBeUndefined();
  });
});

describe("cellFrames", () => {
  it("maps only the frames of the chapter's current cells; a call's frames in one cell count once", () => {
    const b = cellCode("b", "function f() {\n  g();\n}\nfunction g() {\n  throw 1;\n}");
    const stack = [
      "    at g (nb-cell-b-1.js:6:3)",
      "    at f (nb-cell-b-1.js:3:3)",
      "    at eval (nb-cell-old-1.js:2:1)",
    ].join("\n");
    expect(cellFrames(stack, [b]).map((f) => [f.cell.id, f.place.line])).toEqual([["b", 5]]);
  });
});

describe("build errors name the declaring cell and the calling cell, with the file's lines", () => {
  it("runCells() reports a call into another cell's function that throws at the declaring cell's line", async () => {
    const { cellsOfFile, runCells } = await import("../../src/notebook/node-host.ts");
    const chapter = [
      "# A chapter", // 1
      "",
      "```ts cell id=spiral-rule", // 3: the cell's line n is the file's line 3 + n
      "// Your rule",
      "function rule(x1: number, x2: number): number {",
      "  return Math.hypt(x1, x2) < 0.5 ? 1 : 0;", // 6
      "}",
      "```",
      "",
      "Some prose.",
      "",
      "```ts cell id=score", // 12
      "const points = [{ x1: 1, x2: 2 }];",
      "const right = points.filter(",
      "  (p) => rule(p.x1, p.x2) === 1,", // 15
      ").length;",
      "```",
    ].join("\n");
    const cells = await cellsOfFile("00-errors.mdx", chapter);
    const run = await runCells("00-errors.mdx", cells);
    expect(run.problems).toEqual([
      {
        cellId: "score",
        line: 6,
        column: 15,
        message:
          '00-errors.mdx: cell "score" threw: TypeError: Math.hypt is not a function, in rule, declared in ' +
          'cell "spiral-rule" at line 6 (line 3 of that cell), called from cell "score" at line 15 (line 3 ' +
          'of that cell). Fix cell "spiral-rule" (or the call), or mark cell "score" "throws" if the error ' +
          "is the point",
      },
    ]);
  });
});
