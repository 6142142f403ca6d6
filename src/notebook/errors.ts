/**
 * Errors as outputs. In a cell an error is a value, never a crash: whatever goes wrong (the cell
 * does not compile, imports what no module exports, reads a name nobody declares, throws while
 * it runs) becomes one `error` output with the cell's line and column and the line itself, so
 * the page can put a caret under it. Every error a cell shows is made here: `errorOutput` for
 * one whose place is known, `runtimeError` for a thrown value (its place read from the stack
 * frame in the cell's sourceURL).
 */
import { CellSyntaxError, type CompiledCell, type Place } from "./compile.ts";
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
