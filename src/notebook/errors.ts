/**
 * Errors as outputs. In a cell an error is a value, never a crash: whatever goes wrong (the cell
 * does not compile, imports what no module exports, reads a name nobody declares, throws while
 * it runs) becomes one `error` output with the cell's line and column and the line itself, so
 * the page can put a caret under it. Every error a cell shows is made here: `errorOutput` for
 * one whose place is known, `runtimeError` for a thrown value (its place read from the stack
 * frame in the cell's sourceURL).
 */
import {
  CellSyntaxError,
  KERNEL_GLOBALS,
  STANDARD_GLOBALS,
  type CompiledCell,
  type Place,
} from "./compile.ts";
import { PLOT } from "./plot-document.ts";
import type { ModuleMap, Output } from "./types.ts";

export type ErrorOutput = Extract<Output, { kind: "error" }>;

function excerpt(source: string, line: number | null): string | null {
  if (line === null) return null;
  return source.split("\n")[line - 1] ?? null;
}

/** An error at a known place in a cell (or none: `where` null). */
export function errorOutput(
  name: string,
  message: string,
  where: Place | null,
  source: string,
  phase: "compile" | "run",
): ErrorOutput {
  const line = where?.line ?? null;
  const column = where?.column ?? null;
  return { kind: "error", phase, name, message, line, column, excerpt: excerpt(source, line) };
}

/** A thrown value, placed at the first stack frame in the cell's sourceURL (`url`). */
export function runtimeError(
  error: unknown,
  compiled: CompiledCell,
  url: string,
  source: string,
): ErrorOutput {
  const e = error instanceof Error ? error : null;
  const message = e
    ? e.message
    : typeof error === "string"
      ? error
      : (JSON.stringify(error) ?? String(error));
  const escaped = url.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const frame = new RegExp(`${escaped}:(\\d+):(\\d+)`).exec(String(e?.stack ?? ""));
  const where = frame ? compiled.position(Number(frame[1]), Number(frame[2])) : null;
  return errorOutput(e?.name ?? "Error", message, where, source, "run");
}

/**
 * Why a cell did not compile: a CellSyntaxError at its place, or whatever else compiling threw
 * (the engine rejecting code that acorn accepted), said as it is, at no place.
 */
export function compileError(error: unknown, source: string): ErrorOutput {
  if (error instanceof CellSyntaxError) {
    return errorOutput("SyntaxError", error.message, error, source, "compile");
  }
  const e = error instanceof Error ? error : new Error(String(error));
  return errorOutput(e.name, `${e.message} (this cell cannot be compiled)`, null, source, "compile");
}

/**
 * A cell may not declare a name every cell reads as a global (JavaScript's own, or the
 * kernel's): the cells that read it would silently get the global instead.
 */
export function checkGlobals(id: string, compiled: CompiledCell): CellSyntaxError | null {
  for (const name of compiled.declares) {
    const kernel = (KERNEL_GLOBALS as readonly string[]).includes(name);
    if (!kernel && !STANDARD_GLOBALS.has(name)) continue;
    const whose = kernel ? "the kernel's own" : "JavaScript's own";
    return new CellSyntaxError(
      `Cell "${id}" declares ${name}, which is ${whose} ${name} in every cell: rename it in this cell`,
      compiled.declaresAt[name] ?? { line: 1, column: 1 },
    );
  }
  return null;
}

/** Checks a cell's imports against the modules the host provides. */
export function checkImports(compiled: CompiledCell, modules: ModuleMap): CellSyntaxError | null {
  const available = Object.keys(modules)
    .map((m) => `"${m}"`)
    .join(", ");
  for (const { module, names, line, column } of compiled.imports) {
    const exports = modules[module];
    if (!exports) {
      return new CellSyntaxError(
        `Cannot import "${module}": a cell can import ${available || "no modules here"}`,
        { line, column },
      );
    }
    for (const name of names) {
      if (name.imported === "*" || name.imported in exports) continue;
      const hint =
        name.imported === "default"
          ? `; it has no default export: write import { … } from "${module}" or import * as`
          : "";
      return new CellSyntaxError(`"${module}" has no export named ${name.imported}${hint}`, name);
    }
  }
  return null;
}

/** `; import it: import { MLP } from "engine"` when a module exports the missing name. */
export function importHint(name: string, modules: ModuleMap): string {
  for (const [module, exports] of Object.entries(modules)) {
    if (name in exports) {
      return `; to use ${module}'s, import it: import { ${name} } from "${module}"`;
    }
  }
  if (name === "Plot" && modules[PLOT]) return `; import it: import * as Plot from "${PLOT}"`;
  return "";
}
