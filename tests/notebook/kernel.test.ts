import { parseHTML } from "linkedom";
import * as Plot from "@observablehq/plot";
import { describe, expect, it } from "vitest";
import { createKernel } from "../../src/notebook/kernel.ts";
import type { Output } from "../../src/notebook/types.ts";

// A tiny stand-in for the engine: what the kernel needs is a module, not a network.
const fixture = {
  square: (x: number) => x * x,
  Tensor: class Tensor {
    shape = [2, 2];
    toArray() {
      return [
        [1, 2],
        [3, 4],
      ];
    }
  },
};

function kernel() {
  return createKernel({ modules: { fixture } });
}

function values(outputs: Output[]): string[] {
  return outputs.map((o) => (o.kind === "value" && o.value.type === "primitive" ? o.value.text : o.kind));
}

describe("createKernel", () => {
  it("run() shows the value of the cell's last expression", async () => {
    const result = await kernel().run({ id: "a", source: "const a = 20;\na + 22" });
    expect(result.ok).toBe(true);
    expect(values(result.outputs)).toEqual(["42"]);
    expect(result.declares).toEqual(["a"]);
  });

  it("run() shows nothing when the last statement is not an expression", async () => {
    const result = await kernel().run({ id: "a", source: "const a = 1;" });
    expect(result.outputs).toEqual([]);
  });

  it("run() lets a cell read the names earlier cells declared", async () => {
    const k = kernel();
    await k.run({ id: "a", source: 'import { square } from "fixture";\nconst net = square(3);' });
    const result = await k.run({ id: "b", source: "net + square(2)" });
    expect(values(result.outputs)).toEqual(["13"]);
    expect(result.references.sort()).toEqual(["net", "square"]);
  });

  it("run() runs a cell that declares a const again", async () => {
    const k = kernel();
    await k.run({ id: "a", source: "const net = 1;" });
    const again = await k.run({ id: "a", source: "const net = 2;\nnet" });
    expect(again.ok).toBe(true);
    expect(values(again.outputs)).toEqual(["2"]);
  });

  it("run() shares live bindings: a function from one cell sees later assignments", async () => {
    const k = kernel();
    await k.run({ id: "a", source: "let w = 1;\nfunction read() { return w; }\nfunction bump() { w += 10; }" });
    await k.run({ id: "b", source: "w = 5;\nbump();" });
    const result = await k.run({ id: "c", source: "[w, read()]" });
    expect(result.outputs[0]).toMatchObject({ kind: "table", rows: [[15, 15]] });
  });

  it("run() hoists function declarations within a cell", async () => {
    const result = await kernel().run({ id: "a", source: "double(4)\nfunction double(x) { return 2 * x; }" });
    expect(result.ok).toBe(true);
  });

  it("run() supports top-level await", async () => {
    const result = await kernel().run({
      id: "a",
      source: "const v = await new Promise((done) => setTimeout(() => done(7), 5));\nv * 6",
    });
    expect(values(result.outputs)).toEqual(["42"]);
  });

  it("display() adds outputs in order, before the cell's value", async () => {
    const result = await kernel().run({
      id: "a",
      source: 'display("first");\nconsole.log("second", 2);\ndisplay(3);\n"last"',
    });
    expect(result.outputs).toEqual([
      { kind: "text", text: "first" },
      { kind: "text", stream: "log", text: "second 2" },
      { kind: "value", value: { type: "primitive", kind: "number", text: "3" } },
      { kind: "text", text: "last" },
    ]);
  });

  it("run() streams each output to onEvent as it appears", async () => {
    const events: string[] = [];
    await kernel().run(
      { id: "a", source: "display(1);\nawait null;\ndisplay(2);" },
      { onEvent: (e) => events.push(e.type === "output" && e.output.kind === "value" && e.output.value.type === "primitive" ? e.output.value.text : e.type) },
    );
    expect(events).toEqual(["1", "2"]);
  });

  it("run() shows arrays, matrices, tensors and records as tables", async () => {
    const k = kernel();
    const table = async (source: string) => (await k.run({ id: "t", source })).outputs[0];
    expect(await table("[0.5, 1, 2]")).toMatchObject({ kind: "table", caption: "number[3]", rows: [[0.5, 1, 2]] });
    expect(await table("[[1, 2], [3, 4]]")).toMatchObject({ kind: "table", rowLabels: ["0", "1"], rows: [[1, 2], [3, 4]] });
    expect(await table('import { Tensor } from "fixture";\nnew Tensor()')).toMatchObject({
      kind: "table",
      caption: "Tensor [2×2]",
      rows: [[1, 2], [3, 4]],
    });
    expect(await table('[{ step: 0, w: -1 }, { step: 1, w: "x" }]')).toMatchObject({
      kind: "table",
      columns: ["step", "w"],
      rows: [[0, -1], [1, "x"]],
    });
    const long = await table("Array.from({ length: 100 }, (_, i) => i)");
    expect(long).toMatchObject({ kind: "table", columns: ["value"], moreRows: 75 });
  });

  it("run() shows other objects as a tree, with circular references marked", async () => {
    const result = await kernel().run({ id: "a", source: "const o = { n: 1, list: [true] };\no.self = o;\no" });
    expect(result.outputs[0]).toEqual({
      kind: "value",
      value: {
        type: "object",
        label: "Object",
        more: 0,
        entries: [
          { key: "n", value: { type: "primitive", kind: "number", text: "1" } },
          { key: "list", value: { type: "object", label: "Array(1)", more: 0, entries: [{ key: "0", value: { type: "primitive", kind: "boolean", text: "true" } }] } },
          { key: "self", value: { type: "circular", label: "Object" } },
        ],
      },
    });
  });

  it("run() reports a runtime error with its line and column in the cell, and keeps what ran", async () => {
    const k = kernel();
    const result = await k.run({ id: "a", source: "const before = 1;\n\nconst x = null;\nx.forward();" });
    expect(result.ok).toBe(false);
    expect(result.outputs).toEqual([
      {
        kind: "error",
        phase: "run",
        name: "TypeError",
        message: "Cannot read properties of null (reading 'forward')",
        line: 4,
        column: 3,
        excerpt: "x.forward();",
      },
    ]);
    const after = await k.run({ id: "b", source: "before" });
    expect(values(after.outputs)).toEqual(["1"]);
  });

  it("run() reports an error thrown inside a module at the cell line that called it", async () => {
    const modules = { lib: { fail: () => { throw new RangeError("lr must be positive"); } } };
    const k = createKernel({ modules });
    const source = 'import { fail } from "lib";\nconst ok = 1;\n  fail();';
    const [error] = (await k.run({ id: "a", source })).outputs;
    expect(error).toMatchObject({ name: "RangeError", message: "lr must be positive", line: 3, column: 3 });
  });

  it("run() reports errors thrown after an await at the cell's line", async () => {
    const result = await kernel().run({ id: "a", source: "await null;\nthrow new RangeError(\"too far\");" });
    expect(result.outputs[0]).toMatchObject({ kind: "error", name: "RangeError", message: "too far", line: 2 });
  });

  it("run() reports a syntax error with its line and column, and runs nothing", async () => {
    const k = kernel();
    const result = await k.run({ id: "a", source: "const ran = 1;\nconst b = (;" });
    expect(result.ok).toBe(false);
    expect(result.outputs[0]).toMatchObject({ kind: "error", phase: "compile", name: "SyntaxError", line: 2, column: 12 });
    const after = await k.run({ id: "b", source: "typeof ran" });
    expect(after.outputs).toEqual([{ kind: "text", text: "undefined" }]);
  });

  it("run() names a missing variable and what to do about it", async () => {
    const result = await kernel().run({ id: "a", source: "net.forward()" });
    expect(result.outputs[0]).toMatchObject({
      kind: "error",
      name: "ReferenceError",
      message: "net is not defined: no cell run so far declares it",
      line: 1,
    });
  });

  it("run() rejects an unknown module or export at the import", async () => {
    const k = kernel();
    const module = await k.run({ id: "a", source: '\nimport { x } from "enigne";' });
    expect(module.outputs[0]).toMatchObject({ kind: "error", phase: "compile", line: 2, message: 'Cannot import "enigne": a cell can import "fixture"' });
    const name = await k.run({ id: "b", source: 'import { sqaure } from "fixture";' });
    expect(name.outputs[0]).toMatchObject({ kind: "error", message: '"fixture" has no export named sqaure' });
  });

  it("run() strips the kernel's scope from error messages", async () => {
    const k = kernel();
    await k.run({ id: "a", source: "const net = {};" });
    const result = await k.run({ id: "b", source: "net.forward()" });
    expect(result.outputs[0]).toMatchObject({ message: "net.forward is not a function" });
  });

  it("progress() keeps one point per epoch and streams each report", async () => {
    const streamed: number[] = [];
    const result = await kernel().run(
      {
        id: "train",
        source: [
          "for (let epoch = 1; epoch <= 3; epoch++)",
          "  for (let batch = 0; batch < 2; batch++) progress({ epoch, epochs: 3, batch, loss: 1 / epoch + batch, accuracy: epoch / 3 });",
          '"done"',
        ].join("\n"),
      },
      { onEvent: (e) => e.type === "progress" && streamed.push(e.progress.history.length) },
    );
    expect(streamed).toEqual([1, 1, 2, 2, 3, 3]);
    expect(result.outputs[0]).toEqual({
      kind: "progress",
      epoch: 3,
      epochs: 3,
      loss: 1 / 3 + 1,
      accuracy: 1,
      history: [1, 2, 3].map((epoch) => ({ epoch, loss: 1 / epoch + 1, accuracy: epoch / 3 })),
    });
  });

  it("run() gives the cell its signal, and says the run stopped when it was aborted", async () => {
    const controller = new AbortController();
    const running = kernel().run(
      { id: "a", source: "let steps = 0;\nwhile (!signal.aborted) { steps++; await new Promise((r) => setTimeout(r, 1)); }\nsteps > 0" },
      { signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 20);
    const result = await running;
    expect(result.stopped).toBe(true);
    expect(values(result.outputs)).toEqual(["true"]);
  });

  it("run() runs one cell at a time, in the order asked", async () => {
    const k = kernel();
    const first = k.run({ id: "a", source: "await new Promise((r) => setTimeout(r, 20));\nlet order = ['a'];" });
    const second = k.run({ id: "b", source: "order.push('b');\norder.join()" });
    await first;
    expect((await second).outputs).toEqual([{ kind: "text", text: "a,b" }]);
  });

  it("reset() forgets every name", async () => {
    const k = kernel();
    await k.run({ id: "a", source: "const net = 1;" });
    k.reset();
    const result = await k.run({ id: "b", source: "net" });
    expect(result.ok).toBe(false);
  });

  it("analyze() finds names without running the cell", async () => {
    const k = kernel();
    expect(k.analyze("const net = train(data);\nthrow new Error('not run')")).toEqual({
      declares: ["net"],
      references: ["train", "data"],
    });
    expect(k.analyze("const = 1").error).toMatchObject({ kind: "error", phase: "compile", line: 1 });
  });

  it("Plot.plot in a cell draws into the host's document, with ids unique per output", async () => {
    const { document } = parseHTML("<!DOCTYPE html><html><head></head><body></body></html>");
    const k = createKernel({ modules: { "@observablehq/plot": { ...Plot } }, document, idPrefix: "t" });
    const source = [
      'import * as Plot from "@observablehq/plot";',
      "const chart = () => Plot.plot({ marks: [Plot.lineY([1, 3, 2], { clip: true })] });",
      "display(chart());",
      "chart()",
    ].join("\n");
    const result = await k.run({ id: "chart", source });
    expect(result.ok).toBe(true);
    const html = result.outputs.map((o) => (o.kind === "html" ? o.html : ""));
    expect(html[0]).toMatch(/^<svg/);
    const ids = html.map((h) => [...h.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]));
    expect(ids[0].length).toBeGreaterThan(0);
    expect(ids[0].every((id) => id.startsWith("t-chart-1-1-"))).toBe(true);
    expect(ids[1].every((id) => id.startsWith("t-chart-1-2-"))).toBe(true);
    for (const [i, h] of html.entries()) {
      for (const ref of h.matchAll(/url\(#([^)]+)\)/g)) expect(ids[i]).toContain(ref[1]);
    }
  });

  it("run() shows a chart spec { options, alt } as its chart, labelled with the alt text", async () => {
    const { document } = parseHTML("<!DOCTYPE html><html><head></head><body></body></html>");
    const k = createKernel({ modules: { "@observablehq/plot": { ...Plot } }, document });
    const source = [
      'import * as Plot from "@observablehq/plot";',
      "({ options: { marks: [Plot.dot([1, 2], { x: (d) => d, y: (d) => d })] }, alt: 'Two dots on a diagonal.' })",
    ].join("\n");
    const [output] = (await k.run({ id: "spec", source })).outputs;
    expect(output).toMatchObject({ kind: "html", svg: true });
    const html = output.kind === "html" ? output.html : "";
    expect(html).toMatch(/^<svg[^>]* aria-label="Two dots on a diagonal\."/);
    expect(html).toMatch(/^<svg[^>]* role="img"/);
    // The marks' own labels ("dot") are hidden: the alt text speaks for the chart.
    const dots = /<g[^>]*aria-label="dot"[^>]*>/.exec(html)?.[0];
    expect(dots).toContain('aria-hidden="true"');
  });
});
