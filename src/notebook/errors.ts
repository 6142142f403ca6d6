/**
 * Errors as outputs. In a cell an error is a value, never a crash: whatever goes wrong (the cell
 * does not compile, imports what no module exports, reads a name nobody declares, throws while
 * it runs) becomes one `error` output with the cell's line and column and the line itself, so
 * the page can put a caret under it. Every error a cell shows is made here: `errorOutput` for
 * one whose place is known, `runtimeError` for a thrown value. A thrown value's place comes from
 * its stack: each cell's code runs from a URL of its own (`//# sourceURL=`), so every frame in a
 * cell's code is mapped back to that cell and its line, in V8's and Firefox's stack formats. An
 * error in a function another cell declared is shown where the mistake is, that cell's line,
 * and where this cell called it.
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

/** One line of a stack trace: the function's name as the engine says it, and where. */
export interface StackFrame {
  name: string | null;
  url: string;
  line: number;
  column: number;
}

// V8 (Chromium, Node): "    at rule (nb-cell-a-1.js:3:15)", "    at async eval (url:2:1)",
// "    at url:2:19". SpiderMonkey (Firefox) and JavaScriptCore: "rule@url:3:15", "@url:2:19",
// "async*later@url:5:50", "pts<@url:3:14".
const V8_FRAME = /^\s*at (?:async )?(?:(.*?) \()?(.*?):(\d+):(\d+)\)?\s*$/;
const GECKO_FRAME = /^\s*(?:async\*)?(.*?)@(.*?):(\d+):(\d+)\s*$/;

/** The frames of an `Error.stack`, in either format, innermost first (lines without a place are left out). */
export function parseStack(stack: string): StackFrame[] {
  const lines = stack.split("\n");
  const v8 = lines.some((line) => /^\s*at /.test(line));
  const frames: StackFrame[] = [];
  for (const line of lines) {
    if (v8 && !/^\s*at /.test(line)) continue;
    const match = (v8 ? V8_FRAME : GECKO_FRAME).exec(line);
    if (!match) continue;
    const [, name, url, row, column] = match;
    frames.push({ name: name || null, url, line: Number(row), column: Number(column) });
  }
  return frames;
}

/** What the error mapping needs of a cell: its id, code, and the URL its compiled code runs from. */
export interface CellCode {
  id: string;
  source: string;
  url: string;
  compiled: CompiledCell | null;
}

/** A stack frame in a cell's code, at its place in the cell's source. */
export interface CellFrame {
  cell: CellCode;
  place: Place;
}

/**
 * The frames of a stack that lie in the cells' code (`cells`: the chapter's), each mapped back
 * to its cell and its place there, innermost first; a call's frames in one cell count once
 * (the innermost: where it went on).
 */
export function cellFrames(stack: string, cells: Iterable<CellCode>): CellFrame[] {
  const byUrl = new Map<string, CellCode>();
  for (const cell of cells) if (cell.compiled && cell.url) byUrl.set(cell.url, cell);
  const found: CellFrame[] = [];
  for (const frame of parseStack(stack)) {
    const cell = byUrl.get(frame.url);
    if (!cell || found.at(-1)?.cell === cell) continue;
    found.push({ cell, place: cell.compiled!.position(frame.line, frame.column) });
  }
  return found;
}

/**
 * A thrown value, placed in the cell that ran (`cell`) at its innermost stack frame there. When
 * the error arose in another cell's function (`cells`: the chapter's), the output says so in
 * `origin`: that cell, its line, the function's name and the cells the call went through.
 */
export function runtimeError(error: unknown, cell: CellCode, cells: Iterable<CellCode> = [cell]): ErrorOutput {
  const e = error instanceof Error ? error : null;
  const message = e
    ? e.message
    : typeof error === "string"
      ? error
      : (JSON.stringify(error) ?? String(error));
  const frames = cellFrames(String(e?.stack ?? ""), cells);
  const own = frames.findIndex((frame) => frame.cell === cell);
  const output = errorOutput(e?.name ?? "Error", message, frames[own]?.place ?? null, cell.source, "run");
  const [top] = frames;
  if (top && top.cell !== cell) {
    const nameAt = ({ cell, place }: CellFrame) => cell.compiled!.functionAt(place)?.name ?? null;
    output.origin = {
      cell: top.cell.id,
      line: top.place.line,
      column: top.place.column,
      excerpt: excerpt(top.cell.source, top.place.line),
      name: nameAt(top),
      via: frames
        .slice(1, own < 0 ? frames.length : own)
        .map((frame) => ({ cell: frame.cell.id, line: frame.place.line, name: nameAt(frame) })),
    };
  }
  return output;
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
