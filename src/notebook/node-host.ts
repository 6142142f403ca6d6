/**
 * The Node host: runs a chapter's cells at build time (and in the tests, and for `npm run cells`),
 * one kernel per chapter, in order. Cells import the engine, Plot (drawing into a linkedom
 * document) and the book's charts, loaded once per process.
 */
import { existsSync, readFileSync } from "node:fs";
import { basename } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { findCells, type AuthoredCell } from "./cells.ts";
import { hashSource } from "./hash.ts";
import { createKernel } from "./kernel.ts";
import { renderOutputs } from "./render.ts";
import type { Kernel, ModuleMap, Output, RunResult } from "./types.ts";

/** The project's root folder (this file is src/notebook/node-host.ts). */
export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

// Module name → file in the project, mapped when the file exists.
const PROJECT_MODULES: Record<string, string> = {
  engine: "engine/index.ts",
  charts: "src/charts/index.ts",
};

let loading: Promise<{ modules: ModuleMap; document: unknown }> | null = null;

// Loads what cells may import, once per process.
function loadModules(): Promise<{ modules: ModuleMap; document: unknown }> {
  loading ??= (async () => {
    const { parseHTML } = await import("linkedom");
    const { document } = parseHTML("<!DOCTYPE html><html><head></head><body></body></html>");
    const modules: ModuleMap = {
      "@observablehq/plot": { ...(await import("@observablehq/plot")) },
    };
    for (const [name, file] of Object.entries(PROJECT_MODULES)) {
      const path = `${ROOT}${file}`;
      if (!existsSync(path)) continue;
      try {
        modules[name] = { ...(await import(/* @vite-ignore */ pathToFileURL(path).href)) };
      } catch (error) {
        throw new Error(
          `Cells import "${name}" from ${file}, which failed to load: ${(error as Error).message}`,
          { cause: error },
        );
      }
    }
    return { modules, document };
  })();
  return loading;
}

/** A kernel for one chapter, with the engine, Plot and the charts to import. */
export async function createNodeKernel(): Promise<Kernel> {
  const { modules, document } = await loadModules();
  return createKernel({ modules, document, idPrefix: "nbb" });
}

/** One cell after the chapter ran. */
export interface CellRun {
  cell: AuthoredCell;
  /** Null for a `norun` cell. */
  result: RunResult | null;
  /** The outputs as HTML, as the page ships them. */
  html: string;
  hash: string;
}

/** Something that must fail the build, at a line of the chapter file. */
export interface CellProblem {
  cellId: string;
  line: number;
  column: number;
  message: string;
}

/** A chapter's cells after they ran. */
export interface ChapterRun {
  chapter: string;
  cells: CellRun[];
  problems: CellProblem[];
}

function errorOf(result: RunResult): Extract<Output, { kind: "error" }> | undefined {
  return result.outputs.find((o): o is Extract<Output, { kind: "error" }> => o.kind === "error");
}

/** The problem of a cell that threw (not marked `throws`) or did not throw (marked `throws`). */
function problemOf(chapter: string, cell: AuthoredCell, result: RunResult): CellProblem | null {
  const { id, throws } = cell.options;
  if (result.ok && throws) {
    return {
      cellId: id,
      line: cell.fenceLine,
      column: 1,
      message:
        `${chapter}: cell "${id}" (line ${cell.fenceLine}) is marked throws but ran without ` +
        'an error; remove "throws" or make it throw',
    };
  }
  if (result.ok || throws) return null;
  const error = errorOf(result);
  const line = cell.fenceLine + (error?.line ?? 0);
  const column = error?.column ?? 1;
  const what = error ? `${error.name}: ${error.message.replace(/\.$/, "")}` : "an error";
  const where = error?.line
    ? `line ${line} (line ${error.line} of the cell)`
    : `line ${cell.fenceLine}`;
  return {
    cellId: id,
    line,
    column,
    message:
      `${chapter}: cell "${id}" threw at ${where}: ${what}. ` +
      'Fix the cell, or mark it "throws" if the error is the point',
  };
}

const cache = new Map<string, Promise<ChapterRun>>();

/**
 * Runs a chapter's cells in order in a fresh kernel. Never throws for a cell: what must fail the
 * build is in `problems`. Cached by chapter and sources, so a chapter runs once per build.
 */
export function runCells(chapter: string, cells: AuthoredCell[]): Promise<ChapterRun> {
  const sources = cells.map((c) => `${JSON.stringify(c.options)}\0${c.source}`);
  const key = `${chapter}\0${sources.join("\0")}`;
  let run = cache.get(key);
  if (!run) {
    run = runFresh(chapter, cells);
    cache.set(key, run);
  }
  return run;
}

/**
 * How long a cell may run at build time (ms; CELL_TIMEOUT_MS overrides). A cell still waiting
 * then is stopped through its signal and fails the build, rather than hanging it. (A loop that
 * never awaits cannot be interrupted: mark such a cell `norun`.)
 */
export const CELL_TIMEOUT_MS = Number(process.env.CELL_TIMEOUT_MS ?? 120_000);

async function runFresh(chapter: string, cells: AuthoredCell[]): Promise<ChapterRun> {
  const kernel = await createNodeKernel();
  const runs: CellRun[] = [];
  const problems: CellProblem[] = [];
  for (const cell of cells) {
    const hash = hashSource(cell.source);
    if (cell.options.norun) {
      runs.push({ cell, result: null, html: "", hash });
      continue;
    }
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<null>((done) => {
      timer = setTimeout(() => {
        controller.abort();
        done(null);
      }, CELL_TIMEOUT_MS);
    });
    const running = kernel.run({ id: cell.options.id, source: cell.source }, {
      signal: controller.signal,
    });
    const result = await Promise.race([running, timeout]);
    clearTimeout(timer);
    if (!result) {
      problems.push({
        cellId: cell.options.id,
        line: cell.fenceLine,
        column: 1,
        message:
          `${chapter}: cell "${cell.options.id}" (line ${cell.fenceLine}) did not finish within ` +
          `${CELL_TIMEOUT_MS / 1000} s; make it faster, or mark it "norun"`,
      });
      break; // the kernel is still busy with it: later cells cannot run
    }
    const problem = problemOf(chapter, cell, result);
    if (problem) problems.push(problem);
    runs.push({ cell, result, html: renderOutputs(result.outputs), hash });
  }
  return { chapter, cells: runs, problems };
}

/** A chapter's slug from its file name: `content/01-the-neuron.mdx` → `the-neuron`. */
export function chapterSlug(path: string): string {
  return basename(path).replace(/\.mdx?$/, "").replace(/^\d+-/, "");
}

/** Parses an MDX chapter the way the build does (remark + MDX + math) and finds its cells. */
export async function cellsOfFile(
  path: string,
  text = readFileSync(path, "utf8"),
): Promise<AuthoredCell[]> {
  const [{ unified }, { default: remarkParse }, { default: remarkMdx }, { default: remarkMath }] =
    await Promise.all([
      import("unified"),
      import("remark-parse"),
      import("remark-mdx"),
      import("remark-math"),
    ]);
  const processor = unified().use(remarkParse).use(remarkMath);
  if (/\.mdx$/.test(path)) processor.use(remarkMdx);
  const tree = processor.parse(text);
  return findCells(tree as never);
}

/** Reads a chapter file, runs its cells, and reports them (what the tests and the CLI use). */
export async function runChapterFile(path: string): Promise<ChapterRun> {
  const cells = await cellsOfFile(path);
  return runCells(basename(path), cells);
}
