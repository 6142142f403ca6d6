import { parseHTML } from "linkedom";
import * as Plot from "@observablehq/plot";
import { describe, expect, it } from "vitest";
import { createKernel } from "../../src/notebook/kernel.ts";
import type { TrainingControls } from "../../src/notebook/kernel.ts";
import type { KernelEvent, KernelOptions, Output, TrainingStatus } from "../../src/notebook/types.ts";

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

type CellEvent = Extract<KernelEvent, { type: "cell" }>;

/** A kernel with cells defined, and what it reported. */
function notebook(cells: Record<string, string>, options: Partial<KernelOptions> = {}) {
  const events: KernelEvent[] = [];
  const kernel = createKernel({
    modules: { fixture },
    ...options,
    onEvent: (e) => {
      events.push(e);
      options.onEvent?.(e);
    },
  });
  const info = kernel.define(Object.entries(cells).map(([id, source]) => ({ id, source })));
  /** The last report of each cell's runs that ended ("done", "failed", …). */
  const ended = (id: string): CellEvent[] =>
    events.filter((e): e is CellEvent => e.type === "cell" && e.id === id && e.status !== "running");
  const last = (id: string) => ended(id).at(-1);
  const runsOf = (id: string) => new Set(ended(id).map((e) => e.run)).size;
  return { kernel, info, events, ended, last, runsOf };
}

async function runAll(cells: Record<string, string>, options: Partial<KernelOptions> = {}) {
  const nb = notebook(cells, options);
  nb.kernel.run(Object.keys(cells));
  await nb.kernel.idle();
  return nb;
}

function texts(outputs: Output[] | undefined): string[] {
  return (outputs ?? []).map((o) =>
    o.kind === "value" && o.value.type === "primitive"
      ? o.value.text
      : o.kind === "text"
        ? o.text
        : o.kind,
  );
}

const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `done()` holds (checked every 5 ms), failing after 10 s. */
async function until(done: () => boolean): Promise<void> {
  for (const start = Date.now(); !done(); await tick(5)) {
    if (Date.now() - start > 10_000) throw new Error(`until: still false after 10 s: ${done}`);
  }
}

describe("createKernel: cells are functions of the names they read", () => {
  it("define() finds what each cell declares and reads; imports stay in their cell", () => {
    const { info } = notebook({
      a: 'import { square } from "fixture";\nconst net = square(3), other = 1;',
      b: "const y = net + other;\nMath.max(y, 1)",
    });
    expect(info).toEqual([
      { id: "a", declares: ["net", "other"], reads: [] },
      { id: "b", declares: ["y"], reads: ["net", "other"] },
    ]);
  });

  it("run() shows the value of the last expression and runs the cells a cell reads first", async () => {
    const { last } = await runAll({ b: "net + 1", a: "const net = 41;" });
    expect(last("b")).toMatchObject({ status: "done" });
    expect(texts(last("b")!.outputs)).toEqual(["42"]);
    expect(last("a")!.outputs).toEqual([]);
  });

  it("run() of one cell also runs the cells that read it, and not the others", async () => {
    const nb = notebook({ a: "const n = 2;", b: "n * 10", c: "const other = 1;" });
    nb.kernel.run(["a"]);
    await nb.kernel.idle();
    expect(texts(nb.last("b")!.outputs)).toEqual(["20"]);
    expect(nb.runsOf("c")).toBe(0);
  });

  it("a cell's names are its own: reading a let before its declaration is a ReferenceError", async () => {
    const { last } = await runAll({ a: "const y = x + 1;\nlet x = 1;" });
    expect(last("a")!.outputs[0]).toMatchObject({
      kind: "error",
      name: "ReferenceError",
      message: "Cannot access 'x' before initialization",
      line: 1,
      column: 11,
    });
  });

  it("assigning to a const fails as in JavaScript, inside the cell that declares it", async () => {
    const { last } = await runAll({ a: "const k = 1;\nk = 2;" });
    expect(last("a")!.outputs[0]).toMatchObject({ name: "TypeError", message: "Assignment to constant variable.", line: 2 });
  });

  it("closures keep the names of their own cell", async () => {
    const { last } = await runAll({
      a: "let w = 1;\nconst read = () => w;\nw = 5;",
      b: "read()",
    });
    expect(texts(last("b")!.outputs)).toEqual(["5"]);
  });

  it("a cell that assigns another cell's name gets an error naming both cells and what to do", () => {
    const { info } = notebook({ a: "let w = 1;", b: "w = 5;" });
    expect(info[1].error).toMatchObject({
      phase: "compile",
      name: "TypeError",
      line: 1,
      column: 1,
      message:
        'Cell "b" assigns w, which cell "a" declares. A cell changes only its own names: ' +
        'declare w in this cell (let w = …), or keep the state in an object that cell "a" ' +
        "declares (state.w = …)",
    });
    expect(info[0].error).toBeUndefined();
  });

  it("a cell that assigns a name nobody declares is told to declare it", () => {
    const { info } = notebook({ a: "total = 5;" });
    expect(info[0].error?.message).toBe("total is not declared: declare it in this cell with let or const");
  });

  it("two cells declaring one name both get an error naming them", () => {
    const { info } = notebook({ a: "const net = 1;", b: "\nconst net = 2;" });
    const message = 'net is declared by cells "a" and "b": a name can come from one cell only; rename it in one of them';
    expect(info.map((c) => c.error?.message)).toEqual([message, message]);
    expect(info[1].error).toMatchObject({ line: 2, column: 7 });
  });

  it("a redefined cell that takes a name another cell declares is the one blamed", async () => {
    const nb = notebook({ a: "const net = 1;", b: "const other = 2;", c: "net" });
    nb.kernel.run(["c"]);
    await nb.kernel.idle();
    const info = nb.kernel.define([
      { id: "a", source: "const net = 1;" },
      { id: "b", source: "const net = 2;" },
      { id: "c", source: "net" },
    ]);
    expect(info[0].error).toBeUndefined();
    expect(info[1].error?.message).toMatch(/^net is declared by cells "a" and "b"/);
    nb.kernel.run(["c"]);
    await nb.kernel.idle();
    expect(texts(nb.last("c")!.outputs)).toEqual(["1"]);
  });

  it("cells that read each other's names get an error naming the cycle", () => {
    const { info } = notebook({ a: "const x = y + 1;", b: "const y = x + 1;", c: "const z = 1;" });
    const message =
      'Cells "a" and "b" read each other\'s names ("a" reads y from "b"; "b" reads x from "a"), ' +
      "so none of them can run first: move what they share into one cell";
    expect(info.map((c) => c.error?.message)).toEqual([message, message, undefined]);
  });

  it("a cell whose input failed is blocked, and says which cell it waits for", async () => {
    const { last } = await runAll({ a: "const net = null.x;", b: "net" });
    expect(last("a")).toMatchObject({ status: "failed" });
    expect(last("b")).toMatchObject({
      status: "blocked",
      reason: 'Not run: it reads net from cell "a", which did not run.',
    });
  });

  it("a name no cell declares is a ReferenceError at its place, with an import hint", async () => {
    const { last } = await runAll({ a: "const n = 1;\nconst s = square(n);" });
    expect(last("a")!.outputs[0]).toMatchObject({
      name: "ReferenceError",
      message: 'square is not defined: no cell declares it; to use fixture\'s, import it: import { square } from "fixture"',
      line: 2,
      column: 11,
    });
  });

  it("an import is local to its cell", async () => {
    const { last } = await runAll({ a: 'import { square } from "fixture";\nsquare(2)', b: "square(3)" });
    expect(texts(last("a")!.outputs)).toEqual(["4"]);
    expect(last("b")).toMatchObject({ status: "failed" });
  });

  it("reports a runtime error with its exact line and column, after stripped types", async () => {
    const { last } = await runAll({ a: "const before: number = 1;\nconst x: { f(): void } | null = null;  x!.f();" });
    expect(last("a")!.outputs).toEqual([
      {
        kind: "error",
        phase: "run",
        name: "TypeError",
        message: "Cannot read properties of null (reading 'f')",
        line: 2,
        // Where V8 puts it in JavaScript: at the property read, here after a stripped `!`.
        column: "const x: { f(): void } | null = null;  x!.f();".indexOf(".f") + 2,
        excerpt: "const x: { f(): void } | null = null;  x!.f();",
      },
    ]);
  });

  it("reports an error in the last expression at its column", async () => {
    const { last } = await runAll({ a: "const o = null;\n  o.deep" });
    expect(last("a")!.outputs[0]).toMatchObject({ line: 2, column: 5 });
  });

  it("reports an error thrown inside a module at the cell line that called it", async () => {
    const modules = { lib: { fail: () => { throw new RangeError("lr must be positive"); } } };
    const { last } = await runAll({ a: 'import { fail } from "lib";\nconst ok = 1;\n  fail();' }, { modules });
    expect(last("a")!.outputs[0]).toMatchObject({ name: "RangeError", message: "lr must be positive", line: 3, column: 3 });
  });

  it("reports a syntax error with its line and column", () => {
    const { info } = notebook({ a: "const ran = 1;\nconst b = (;" });
    expect(info[0].error).toMatchObject({ kind: "error", phase: "compile", name: "SyntaxError", line: 2, column: 12 });
  });

  it("rejects an unknown module or export at the import", () => {
    const { info } = notebook({ a: '\nimport { x } from "enigne";', b: 'import { sqaure } from "fixture";' });
    expect(info[0].error).toMatchObject({ line: 2, message: 'Cannot import "enigne": a cell can import "fixture"' });
    expect(info[1].error).toMatchObject({ message: '"fixture" has no export named sqaure' });
  });

  it("supports top-level await, and hoists function declarations", async () => {
    const { last } = await runAll({
      a: "const v = await new Promise((done) => setTimeout(() => done(7), 5));\nconst r = double(v) * 3;\nfunction double(x) { return 2 * x; }",
      b: "r",
    });
    expect(texts(last("b")!.outputs)).toEqual(["42"]);
  });

  it("display() and console add outputs in order, before the cell's value", async () => {
    const { last } = await runAll({ a: 'display("first");\nconsole.log("second", 2);\ndisplay(3);\n"last"' });
    expect(last("a")!.outputs).toEqual([
      { kind: "text", text: "first" },
      { kind: "text", stream: "log", text: "second 2" },
      { kind: "value", value: { type: "primitive", kind: "number", text: "3" } },
      { kind: "text", text: "last" },
    ]);
  });

  it("shows arrays, matrices, tensors and records as tables", async () => {
    const { last } = await runAll({
      a: "[0.5, 1, 2]",
      b: "[[1, 2], [3, 4]]",
      c: 'import { Tensor } from "fixture";\nnew Tensor()',
      d: '[{ step: 0, w: -1 }, { step: 1, w: "x" }]',
    });
    expect(last("a")!.outputs[0]).toMatchObject({ kind: "table", caption: "number[3]", rows: [[0.5, 1, 2]] });
    expect(last("b")!.outputs[0]).toMatchObject({ kind: "table", rowLabels: ["0", "1"], rows: [[1, 2], [3, 4]] });
    expect(last("c")!.outputs[0]).toMatchObject({ kind: "table", caption: "Tensor [2×2]" });
    expect(last("d")!.outputs[0]).toMatchObject({ kind: "table", columns: ["step", "w"], rows: [[0, -1], [1, "x"]] });
  });

  it("progress() keeps one point per epoch and streams each report", async () => {
    const streamed: number[] = [];
    const { last } = await runAll(
      {
        train: [
          "for (let epoch = 1; epoch <= 3; epoch++)",
          "  for (let batch = 0; batch < 2; batch++) progress({ epoch, epochs: 3, loss: 1 / epoch + batch, accuracy: epoch / 3 });",
          '"done"',
        ].join("\n"),
      },
      { onEvent: (e) => e.type === "progress" && streamed.push(e.progress.history.length) },
    );
    expect(streamed).toEqual([1, 1, 2, 2, 3, 3]);
    expect(last("train")!.outputs[0]).toEqual({
      kind: "progress",
      epoch: 3,
      epochs: 3,
      loss: 1 / 3 + 1,
      accuracy: 1,
      history: [1, 2, 3].map((epoch) => ({ epoch, loss: 1 / epoch + 1, accuracy: epoch / 3 })),
    });
  });

  it("a cell whose value is a generator shows each value it yields", async () => {
    const { events } = await runAll({ a: "(function* () { for (let i = 1; i <= 3; i++) yield i * 10; })()" });
    const shown = events
      .filter((e): e is CellEvent => e.type === "cell" && e.outputs.length > 0)
      .map((e) => `${e.status}:${texts(e.outputs)}`);
    expect(shown).toEqual(["running:10", "running:20", "running:30", "done:30"]);
  });

  it("an async generator works the same, and a declared generator feeds its readers", async () => {
    const { last, ended } = await runAll({
      a: "async function* count() { for (let i = 1; i <= 3; i++) { await null; yield i; } }\nconst t = count();",
      b: "t * 2",
    });
    expect(ended("b").map((e) => texts(e.outputs).join())).toEqual(["2", "4", "6"]);
    expect(last("a")).toMatchObject({ status: "done" });
  });

  it("stop() aborts a cell's signal; the run says it stopped and keeps what it showed", async () => {
    const nb = notebook({
      a: "display('started');\nlet steps = 0;\nwhile (!signal.aborted) { steps++; await new Promise((r) => setTimeout(r, 1)); }\nsteps > 0",
    });
    nb.kernel.run(["a"]);
    await until(() => nb.events.some((e) => e.type === "cell" && e.id === "a" && texts(e.outputs).includes("started")));
    nb.kernel.stop("a");
    await nb.kernel.idle();
    expect(nb.last("a")).toMatchObject({ status: "stopped" });
    expect(texts(nb.last("a")!.outputs)).toEqual(["started", "true"]);
  });

  it("a newer run cancels an older one, whose result is never shown", async () => {
    // Each run of b counts itself in `started` and `ended`, so the test waits on events, not times.
    const log = globalThis as unknown as { started?: number[]; ended?: number[] };
    log.started = [];
    log.ended = [];
    const nb = notebook(
      {
        a: "const n = view(Inputs.range([0, 10], { step: 1, value: 1 }));",
        b: [
          "const mine = n;",
          "globalThis.started.push(mine);",
          "// the first run is still waiting when the newer value cancels it",
          "if (mine === 1) await new Promise((r) => signal.addEventListener('abort', r));",
          "globalThis.ended.push(mine);",
          "display(signal.aborted ? 'aborted' : 'finished');",
          "mine",
        ].join("\n"),
      },
      { live: true },
    );
    nb.kernel.run(["a"]);
    await until(() => log.started!.includes(1));
    nb.kernel.input("a:0", 7);
    // Both runs get past their wait; only the newer one may show anything.
    await until(() => log.ended!.includes(1) && log.ended!.includes(7));
    await until(() => nb.ended("b").length > 0);
    await nb.kernel.idle();
    const shown = nb.events
      .filter((e): e is CellEvent => e.type === "cell" && e.id === "b" && e.status === "done")
      .map((e) => texts(e.outputs).join());
    expect(log.started).toEqual([1, 7]);
    expect(shown).toEqual(["finished,7"]);
    const stopped = nb.ended("b").find((e) => e.status === "stopped");
    expect(stopped).toBeUndefined();
    nb.kernel.dispose();
    delete log.started;
    delete log.ended;
  });

});

describe("createKernel: inputs", () => {
  it("view() shows the control and its readers get its value; at build time, once", async () => {
    const { last, runsOf } = await runAll({
      a: 'const w = view(Inputs.range([-1, 1], { label: "w", step: 0.1, value: 0.5 }));',
      b: "w * 2",
    });
    expect(last("a")!.outputs).toEqual([
      {
        kind: "input",
        key: "a:0",
        spec: { type: "range", label: "w", min: -1, max: 1, step: 0.1, value: 0.5 },
        value: 0.5,
      },
    ]);
    expect(texts(last("b")!.outputs)).toEqual(["1"]);
    expect(runsOf("b")).toBe(1);
  });

  it("input() re-runs what reads the input, and only that", async () => {
    const nb = notebook(
      {
        a: 'const w = view(Inputs.range([0, 1], { label: "w", step: 0.01, value: 0.5 }));\nconst unrelated = 1;',
        b: "w * 100",
        c: "unrelated + 1",
      },
      { live: true },
    );
    nb.kernel.run(["a", "b", "c"]);
    await nb.kernel.idle();
    nb.kernel.input("a:0", 0.25);
    await nb.kernel.idle();
    expect(texts(nb.last("b")!.outputs)).toEqual(["25"]);
    expect(nb.runsOf("a")).toBe(1);
    expect(nb.runsOf("b")).toBe(2);
    expect(nb.runsOf("c")).toBe(1);
    nb.kernel.dispose();
  });

  it("input() keeps only the newest value: a burst of values runs the readers a few times", async () => {
    const nb = notebook(
      { a: 'const n = view(Inputs.range([0, 100], { step: 1, value: 0 }));', b: "n" },
      { live: true },
    );
    nb.kernel.run(["b"]);
    await nb.kernel.idle();
    for (let value = 1; value <= 100; value++) nb.kernel.input("a:0", value);
    await nb.kernel.idle();
    expect(texts(nb.last("b")!.outputs)).toEqual(["100"]);
    expect(nb.runsOf("b")).toBeLessThanOrEqual(3);
    nb.kernel.dispose();
  });

  it("input() that comes before the control's readers are done is not lost", async () => {
    let sent = false;
    const nb = notebook(
      { a: "const n = view(Inputs.range([0, 9], { step: 1, value: 1 }));", b: "n * 10" },
      {
        live: true,
        // The moment the reader shows its first value, before the control is read again.
        onEvent: (e) => {
          if (e.type === "cell" && e.id === "b" && e.status === "done" && !sent) {
            sent = true;
            nb.kernel.input("a:0", 7);
          }
        },
      },
    );
    nb.kernel.run(["b"]);
    await nb.kernel.idle();
    expect(texts(nb.last("b")!.outputs)).toEqual(["70"]);
    nb.kernel.dispose();
  });

  it("input() before the cell ran runs it with that value (a page that was never run)", async () => {
    const nb = notebook({ a: 'const n = view(Inputs.number([0, 9], { value: 1 }));', b: "n + 1" }, { live: true });
    nb.kernel.input("a:0", 4);
    await nb.kernel.idle();
    expect(nb.last("a")!.outputs[0]).toMatchObject({ kind: "input", value: 4 });
    expect(texts(nb.last("b")!.outputs)).toEqual(["5"]);
    nb.kernel.dispose();
  });

  it("a value that does not fit the control is clamped, or replaced by its default", async () => {
    const nb = notebook(
      { a: 'const k = view(Inputs.select(["sgd", "adam"], { value: "adam" }));\nconst r = view(Inputs.range([0, 1], { step: 0.1 }));', b: "`${k} ${r}`" },
      { live: true },
    );
    nb.kernel.input("a:0", 7);
    nb.kernel.input("a:1", 3.14);
    await nb.kernel.idle();
    expect(texts(nb.last("b")!.outputs)).toEqual(["adam 1"]);
    nb.kernel.dispose();
  });

  it("a point editor and a drawing pad give their readers points and a grid, checked", async () => {
    const nb = notebook(
      {
        a: 'const pts = view(Inputs.points({ x: [0, 1], y: [0, 1], value: [{ x: 0.5, y: 0.5, label: 1 }] }));\nconst pad = view(Inputs.draw({ width: 4, height: 4 }));',
        b: "`${pts.length} ${pts.map((p) => p.x).join(',')} ${pad.reduce((s, v) => s + v, 0)}`",
      },
      { live: true },
    );
    nb.kernel.input("a:0", [{ x: 2, y: 0.2, label: 0 }, { x: 0.1, y: 0.9, label: 1 }]);
    nb.kernel.input("a:1", [1, 0.5, ...new Array(14).fill(0)]);
    await nb.kernel.idle();
    // x 2 is outside [0, 1]: it lands on the edge.
    expect(texts(nb.last("b")!.outputs)).toEqual(["2 1,0.1 1.5"]);
    nb.kernel.input("a:1", [1, 2, 3]); // the wrong size: the pad's own (blank) value instead
    await nb.kernel.idle();
    expect(texts(nb.last("b")!.outputs)).toEqual(["2 1,0.1 0"]);
    nb.kernel.dispose();
  });

  it("Inputs.* reject what they cannot show, saying what they expected", () => {
    const bad = (source: string) => runAll({ a: source });
    return Promise.all([
      bad("view(Inputs.range([1, 0]))").then(({ last }) =>
        expect(last("a")!.outputs[0]).toMatchObject({ message: "Inputs.range: min must be below max, received [1, 0]" }),
      ),
      bad('view(Inputs.points({ value: [{ x: 0, y: 0, label: 3 }] }))').then(({ last }) =>
        expect(last("a")!.outputs[0]).toMatchObject({
          message: "Inputs.points: value must be an array of { x, y, label: 0 or 1 } (at most 400)",
        }),
      ),
      bad("view(Inputs.draw({ width: 100 }))").then(({ last }) =>
        expect(last("a")!.outputs[0]).toMatchObject({ message: "Inputs.draw: width must be a whole number from 4 to 64, received 100" }),
      ),
    ]);
  });

  it("view() of something that is not a control is a clear error", async () => {
    const { last } = await runAll({ a: "const x = view(3);" });
    expect(last("a")!.outputs[0]).toMatchObject({
      name: "TypeError",
      message: 'view() expects a control made by Inputs, e.g. view(Inputs.range([0, 1], { label: "α" }))',
    });
  });

  it("training controls: at build time training never waits", async () => {
    const { last } = await runAll({
      a: "const controls = view(Inputs.training());",
      b: "let steps = 0;\nfor (let epoch = 1; epoch <= 3; epoch++) { await controls.pace({ epoch, batch: 0, batches: 1 }); steps++; }\nsteps",
    });
    expect(texts(last("b")!.outputs)).toEqual(["3"]);
  });

  it("training controls: pause holds, step lets one batch through, reset starts again", async () => {
    const statuses: string[] = [];
    const nb = notebook(
      {
        a: 'const controls = view(Inputs.training({ speed: "fast" }));',
        b: [
          "let steps = 0;",
          "for (let epoch = 1; epoch <= 50; epoch++)",
          "  for (let batch = 0; batch < 2; batch++) { await controls.pace({ epoch, batch, batches: 2 }); steps++; display(steps); }",
          "steps",
        ].join("\n"),
      },
      { live: true, onEvent: (e) => e.type === "training" && statuses.push(e.status.state) },
    );
    const steps = () => {
      const shown = nb.events.filter((e): e is CellEvent => e.type === "cell" && e.id === "b").at(-1);
      return Number(texts(shown?.outputs).filter((t) => /^\d+$/.test(t)).at(-1) ?? 0);
    };
    // each control's step, then the training's paused status: it waits there
    const pausedAfter = async (n: number) => {
      await until(() => steps() >= n && statuses.at(-1) === "paused");
      expect(steps()).toBe(n);
    };
    nb.kernel.control("a:0", "step-batch");
    await pausedAfter(1);
    nb.kernel.control("a:0", "step-batch");
    await pausedAfter(2);
    nb.kernel.control("a:0", "step-epoch");
    await pausedAfter(4);
    nb.kernel.control("a:0", "play");
    await nb.kernel.idle();
    expect(nb.last("b")).toMatchObject({ status: "done" });
    expect(steps()).toBe(100);
    expect(statuses.at(-1)).toBe("idle");
    nb.kernel.control("a:0", "reset");
    await until(() => statuses.at(-1) === "paused" && nb.events.at(-1)?.type === "training");
    expect(steps()).toBe(0);
    expect(statuses.at(-1)).toBe("paused");
    nb.kernel.dispose();
  });

  it("training controls: a speed chosen before the training ran starts nothing, and the Play after it trains at that speed", async () => {
    const statuses: { state: string; speed: string }[] = [];
    const nb = notebook(
      {
        a: 'const controls = view(Inputs.training({ speed: "fast" }));',
        b: "let steps = 0;\nfor (let epoch = 1; epoch <= 3; epoch++) { await controls.pace({ epoch, batch: 1, batches: 1 }); steps++; }\nsteps",
      },
      {
        live: true,
        onEvent: (e) => e.type === "training" && statuses.push({ state: e.status.state, speed: e.status.speed }),
      },
    );
    // A reader picks a speed, then presses Play. The speed alone runs nothing (else the training
    // would start, the page's button would turn to Pause, and the reader's Play would pause it).
    nb.kernel.control("a:0", { speed: "medium" });
    await nb.kernel.idle();
    expect(nb.events.filter((e) => e.type === "cell")).toEqual([]);
    expect(statuses).toEqual([]);
    nb.kernel.control("a:0", "play");
    await nb.kernel.idle();
    expect(nb.last("b")).toMatchObject({ status: "done" });
    expect(texts(nb.last("b")!.outputs)).toEqual(["3"]);
    expect(statuses.filter((s) => s.state === "playing").map((s) => s.speed)).toContain("medium");
    expect(statuses.map((s) => s.speed).filter((speed) => speed !== "medium")).toEqual([]);
    nb.kernel.dispose();
  });

  it("training controls: Pause reaches a training that plays at full speed and never awaits anything else", async () => {
    const log = globalThis as unknown as { steps?: number };
    log.steps = 0;
    const statuses: string[] = [];
    const nb = notebook(
      {
        a: 'const controls = view(Inputs.training({ speed: "fast" }));',
        b: [
          "for (let batch = 1; batch <= 3000; batch++) {",
          "  await controls.pace({ epoch: 1, batch, batches: 3000 });",
          "  const start = Date.now();",
          "  while (Date.now() - start < 1) {} // a millisecond of work that never yields",
          "  globalThis.steps++;",
          "}",
          "'done'",
        ].join("\n"),
      },
      { live: true, onEvent: (e) => e.type === "training" && statuses.push(e.status.state) },
    );
    const start = performance.now();
    nb.kernel.control("a:0", "play");
    await until(() => log.steps! >= 20);
    nb.kernel.control("a:0", "pause");
    await until(() => statuses.at(-1) === "paused");
    const playedMs = performance.now() - start;
    const paused = log.steps!;
    await tick(150);
    expect(log.steps).toBe(paused);
    expect(paused).toBeLessThan(3000);
    // At this speed the page hears the batch at most every 100 ms, not once per batch (measured
    // against the time it played: on a loaded machine a 1 ms batch can take far longer).
    const playing = statuses.filter((s) => s === "playing").length;
    expect(playing).toBeLessThanOrEqual(Math.ceil(playedMs / 100) + 1);
    // Stopped, the controls say so (not "finished").
    nb.kernel.stop("b");
    await until(() => statuses.at(-1) === "idle");
    const last = nb.events.filter((e) => e.type === "training").at(-1);
    expect(last).toMatchObject({ status: { state: "idle", ended: "stopped" } });
    nb.kernel.dispose();
    delete log.steps;
  });

  it("training controls: a Pause between two batches says the next batch, and stays there", async () => {
    const hooks = globalThis as unknown as { between?: (batch: number) => Promise<void> };
    let release = () => {};
    let reached = 0;
    hooks.between = (batch) => {
      reached = batch;
      return batch === 3 ? new Promise<void>((resolve) => (release = resolve)) : Promise.resolve();
    };
    const statuses: TrainingStatus[] = [];
    const nb = notebook(
      {
        a: 'const controls = view(Inputs.training({ speed: "fast" }));',
        b: [
          "for (let batch = 1; batch <= 10; batch++) {",
          "  await controls.pace({ epoch: 1, batch, batches: 10 });",
          "  await globalThis.between(batch); // the loop's own await, after the batch",
          "}",
        ].join("\n"),
      },
      { live: true, onEvent: (e) => e.type === "training" && statuses.push(e.status) },
    );
    nb.kernel.control("a:0", "play");
    await until(() => reached === 3);
    nb.kernel.control("a:0", "pause");
    const paused = statuses.length;
    expect(statuses.at(-1)).toMatchObject({ state: "paused", epoch: 1, batch: 4 });
    release();
    // The training reaches batch 4's pace and holds there; the page hears it once more.
    await until(() => statuses.length > paused);
    expect(statuses.slice(paused - 1).map((s) => [s.state, s.epoch, s.batch])).toEqual(
      statuses.slice(paused - 1).map(() => ["paused", 1, 4]),
    );
    nb.kernel.dispose();
    delete hooks.between;
  });

  it("training controls: Stop while paused ends the run", async () => {
    const nb = notebook(
      {
        a: "const controls = view(Inputs.training());",
        b: "for (let i = 1; i < 10; i++) { if (signal.aborted) break; await controls.pace(); }\n'ended'",
      },
      { live: true },
    );
    nb.kernel.control("a:0", "reset");
    await until(() => nb.events.some((e) => e.type === "training" && e.status.state === "paused"));
    nb.kernel.stop("b");
    await nb.kernel.idle();
    expect(nb.last("b")).toMatchObject({ status: "stopped" });
    nb.kernel.dispose();
  });
});

describe("createKernel: a training cell's runs side by side", () => {
  it("a cell run again draws its runs together, each labelled with what was different", async () => {
    const charts: { runs: number; labels: string[] }[] = [];
    const nb = notebook(
      {
        rate: "const lr = view(Inputs.range([0.1, 1], { step: 0.1, value: 0.5 }));",
        train: "for (let epoch = 1; epoch <= 3; epoch++) progress({ epoch, loss: lr / epoch });\nconst seed = 1;",
      },
      {
        live: true,
        progressChart: (_history, _epochs, runs) => {
          charts.push({ runs: runs?.length ?? 1, labels: runs?.map((r) => r.label) ?? [] });
          return "<svg></svg>";
        },
      },
    );
    nb.kernel.run(["train"]);
    await nb.kernel.idle();
    nb.kernel.input("rate:0", 0.2);
    await nb.kernel.idle();
    nb.kernel.define([
      { id: "rate", source: "const lr = view(Inputs.range([0.1, 1], { step: 0.1, value: 0.5 }));" },
      { id: "train", source: "for (let epoch = 1; epoch <= 3; epoch++) progress({ epoch, loss: lr / epoch });\nconst seed = 2;" },
    ]);
    await nb.kernel.idle();
    expect(charts.map((c) => c.runs)).toEqual([1, 2, 3]);
    expect(charts.at(-1)!.labels).toEqual(["run 1", "run 2: lr = 0.2", "run 3: lr = 0.2; const seed = 2;"]);
    expect(nb.last("train")!.outputs[0]).toMatchObject({ kind: "progress", runs: 3 });
    // Clear: the last run alone again, shown at once.
    nb.kernel.clearRuns("train");
    expect(charts.at(-1)!.runs).toBe(1);
    expect(nb.last("train")!.outputs[0]).toMatchObject({ kind: "progress", runs: 1 });
    nb.kernel.dispose();
  });
});

describe("createKernel: charts", () => {
  const { document } = parseHTML("<!DOCTYPE html><html><head></head><body></body></html>");

  it("Plot.plot in a cell draws into the host's document, with ids unique per output", async () => {
    const { last } = await runAll(
      {
        chart: [
          'import * as Plot from "@observablehq/plot";',
          "const chart = () => Plot.plot({ marks: [Plot.lineY([1, 3, 2], { clip: true })] });",
          "display(chart());",
          "chart()",
        ].join("\n"),
      },
      { modules: { "@observablehq/plot": { ...Plot } }, document, idPrefix: "t" },
    );
    const html = last("chart")!.outputs.map((o) => (o.kind === "html" ? o.html : ""));
    expect(html[0]).toMatch(/^<svg/);
    const ids = html.map((h) => [...h.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]));
    expect(ids[0].length).toBeGreaterThan(0);
    expect(ids[0].every((id) => id.startsWith("t-chart-1-1-"))).toBe(true);
    expect(ids[1].every((id) => id.startsWith("t-chart-1-v-"))).toBe(true);
    const refs = html.flatMap((h, i) => [...h.matchAll(/url\(#([^)]+)\)/g)].map((m) => [i, m[1]] as const));
    expect(refs.length).toBeGreaterThan(0);
    for (const [i, ref] of refs) expect(ids[i]).toContain(ref);
  });

  it("shows a chart spec { options, alt } as its chart, labelled with the alt text", async () => {
    const { last } = await runAll(
      {
        spec: [
          'import * as Plot from "@observablehq/plot";',
          "({ options: { marks: [Plot.dot([1, 2], { x: (d) => d, y: (d) => d })] }, alt: 'Two dots on a diagonal.' })",
        ].join("\n"),
      },
      { modules: { "@observablehq/plot": { ...Plot } }, document },
    );
    const [output] = last("spec")!.outputs;
    expect(output).toMatchObject({ kind: "html", svg: true });
    const html = output.kind === "html" ? output.html : "";
    expect(html).toMatch(/^<svg[^>]* aria-label="Two dots on a diagonal\."/);
    const dots = /<g[^>]*aria-label="dot"[^>]*>/.exec(html)?.[0];
    expect(dots).toContain('aria-hidden="true"');
  });
});

// Keep the exported type in use: a cell reading controls gets this shape.
export type { TrainingControls };

describe("createKernel: define() is all or nothing, and a cell keeps to its own names", () => {
  const rejected = [
    ["import.meta", "const here = import.meta.url;", /^import\.meta is not available in a cell/],
    ["let __nb", "let __nb = 1;", /^__nb is the kernel's own name/],
    ["a hashbang", "#!/usr/bin/env node\nconst x = 1;", /^A cell cannot start with #!/],
  ] as const;
  for (const [what, source, message] of rejected) {
    it(`define() of a cell with ${what} defines the others, and the cell shows its own error`, async () => {
      const nb = notebook({ a: "const x = 1;\nx", b: "const two = 2;", c: "two" });
      nb.kernel.run(["a", "c"]);
      await nb.kernel.idle();
      let info: ReturnType<typeof nb.kernel.define> = [];
      expect(() => {
        info = nb.kernel.define([
          { id: "a", source },
          { id: "b", source: "const two = 3;" },
          { id: "c", source: "two" },
        ]);
      }).not.toThrow();
      expect(info.map((cell) => cell.error?.message ?? null)).toEqual([
        expect.stringMatching(message),
        null,
        null,
      ]);
      expect(info[0].error).toMatchObject({ phase: "compile", name: "SyntaxError", line: 1 });
      nb.kernel.run(["a", "c"]);
      await nb.kernel.idle();
      // Not the old code's output: the edited cell's own error.
      expect(nb.last("a")).toMatchObject({ status: "failed", outputs: [{ kind: "error", message: expect.stringMatching(message) }] });
      expect(texts(nb.last("c")!.outputs)).toEqual(["3"]);
    });
  }

  it("a cell that declares a global name is refused, naming the cell and the name", async () => {
    const { info, kernel, last } = notebook({
      math: "const Math = { max: () => 0 };",
      array: "\nclass Array {}",
      show: "function display(x) { return x; }",
      formula: "let tex = 1, ok = 2;",
      reader: "Math.max(1, 2)",
    });
    expect(info.map((cell) => cell.error?.message ?? null)).toEqual([
      'Cell "math" declares Math, which is JavaScript\'s own Math in every cell: rename it in this cell',
      'Cell "array" declares Array, which is JavaScript\'s own Array in every cell: rename it in this cell',
      'Cell "show" declares display, which is the kernel\'s own display in every cell: rename it in this cell',
      'Cell "formula" declares tex, which is the kernel\'s own tex in every cell: rename it in this cell',
      null,
    ]);
    expect(info[1].error).toMatchObject({ phase: "compile", line: 2, column: 7 });
    kernel.run(["reader"]);
    await kernel.idle();
    expect(texts(last("reader")!.outputs)).toEqual(["2"]);
  });

  it("requestAnimationFrame works in a cell where the host has none (Node, at build time)", async () => {
    const { last } = await runAll({
      a: "const t = await new Promise((resolve) => requestAnimationFrame(resolve));\ntypeof t",
      b: "const id = requestAnimationFrame(() => { throw new Error('cancelled, never called'); });\ncancelAnimationFrame(id);\nawait new Promise((resolve) => setTimeout(resolve, 40));\n'cancelled'",
    });
    expect(texts(last("a")!.outputs)).toEqual(["number"]);
    expect(last("b")).toMatchObject({ status: "done" });
    expect(texts(last("b")!.outputs)).toEqual(["cancelled"]);
  });
});
