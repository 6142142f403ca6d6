import { describe, expect, it, vi } from "vitest";
import { createKernel } from "../../src/notebook/kernel.ts";
import type { KernelEvent } from "../../src/notebook/types.ts";

// Code that compiles but that the engine rejects when it is evaluated, whatever the reason
// (compile.ts refuses the cases known today): a cell whose source is "ENGINE REJECTS" compiles
// to a function the JavaScript engine cannot parse.
vi.mock("../../src/notebook/compile.ts", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../src/notebook/compile.ts")>();
  return {
    ...real,
    compileCell: (source: string, options?: { sourceURL?: string }) =>
      source === "ENGINE REJECTS"
        ? { ...real.compileCell("1", options), code: "(async function (__nb) { let __nb; })" }
        : real.compileCell(source, options),
  };
});

describe("createKernel: define() whatever compiling throws", () => {
  it("define() turns an error the engine throws into the cell's own error; the others are defined", async () => {
    const events: KernelEvent[] = [];
    const kernel = createKernel({ modules: {}, onEvent: (e) => events.push(e) });
    kernel.define([
      { id: "a", source: "const x = 1;\nx" },
      { id: "b", source: "const y = 2;" },
    ]);
    kernel.run(["a"]);
    await kernel.idle();
    const info = kernel.define([
      { id: "a", source: "ENGINE REJECTS" },
      { id: "b", source: "const y = 3;" },
      { id: "c", source: "y" },
    ]);
    expect(info.map((cell) => cell.error ?? null)).toEqual([
      {
        kind: "error",
        phase: "compile",
        name: "SyntaxError",
        message: "Identifier '__nb' has already been declared (this cell cannot be compiled)",
        line: null,
        column: null,
        excerpt: null,
      },
      null,
      null,
    ]);
    kernel.run(["a", "c"]);
    await kernel.idle();
    const last = (id: string) =>
      events.filter((e) => e.type === "cell" && e.id === id && e.status !== "running").at(-1);
    expect(last("a")).toMatchObject({ status: "failed", outputs: [{ phase: "compile", name: "SyntaxError" }] });
    expect(last("c")).toMatchObject({ status: "done", outputs: [{ kind: "value" }] });
  });
});
