/**
 * The Node host: runs a chapter's cells at build time (and in the tests, and for `npm run cells`),
 * one kernel per chapter, in order. Cells import the engine, Plot (drawing into a linkedom
 * document) and the book's charts, loaded once per process.
 */
import { existsSync, readFileSync } from "node:fs";
import { basename } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chapterId } from "../chapter-schema.ts";
import { findCells, type AuthoredCell } from "./cells.ts";
import {
  chapterNumber,
  prepareExercises,
  readVerdict,
  validateExercises,
  type ExerciseInfo,
  type ReadVerdict,
  type VerdictFor,
} from "./remark-exercises.ts";
import { hashText } from "../charts/markup.ts";
import { createKernel } from "./kernel.ts";
import { progressChart } from "./progress-chart.ts";
import { renderInput } from "./inputs.ts";
import { outputParts } from "./render.ts";
import { sanitizeBuildOutput } from "./sanitize-node.ts";
import type { CellStatus, Kernel, KernelEvent, ModuleMap, Output } from "./types.ts";

/** The project's root folder (this file is src/notebook/node-host.ts). */
export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

// Module name → file in the project, mapped when the file exists.
const PROJECT_MODULES: Record<string, string> = {
  engine: "engine/index.ts",
  charts: "src/charts/index.ts",
  // the exercises' check API (`runCheck`), which check cells import
  exercise: "src/notebook/check.ts",
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
export async function createNodeKernel(onEvent?: (event: KernelEvent) => void): Promise<Kernel> {
  const { modules, document } = await loadModules();
  return createKernel({
    modules,
    document,
    idPrefix: "nbb",
    live: false,
    onEvent,
    progressChart: progressChart(document, "nbb"),
  });
}

/** How one cell ended at build time. */
export interface CellResult {
  /** "done", "failed", "stopped" or "blocked" (it reads a name a failed cell declares). */
  status: CellStatus;
  ok: boolean;
  outputs: Output[];
  /** Why it could not run, when blocked. */
  reason?: string;
  durationMs: number;
}

/** One cell after the chapter ran. */
export interface CellRun {
  cell: AuthoredCell;
  /** Null for a `norun` cell. */
  result: CellResult | null;
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
  /** A declared name's value after the run (for `<Value>` in the prose). */
  value: Kernel["value"];
}

function errorOf(result: CellResult): Extract<Output, { kind: "error" }> | undefined {
  return result.outputs.find((o): o is Extract<Output, { kind: "error" }> => o.kind === "error");
}

/** The problem of a cell that threw (not marked `throws`) or did not throw (marked `throws`). */
function problemOf(
  chapter: string,
  cell: AuthoredCell,
  result: CellResult,
  cells: AuthoredCell[],
): CellProblem | null {
  const { id, throws } = cell.options;
  if (result.status === "blocked") {
    return {
      cellId: id,
      line: cell.fenceLine,
      column: 1,
      message: `${chapter}: cell "${id}" (line ${cell.fenceLine}) did not run. ${result.reason ?? ""}`.trim(),
    };
  }
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
  if (error?.origin) return originProblem(chapter, cell, error, cells);
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

/**
 * The problem of a cell whose call into another cell's function threw: said where the mistake is
 * (the declaring cell, its line in the chapter file: the problem's place), then the calls.
 */
function originProblem(
  chapter: string,
  cell: AuthoredCell,
  error: Extract<Output, { kind: "error" }>,
  cells: AuthoredCell[],
): CellProblem {
  const origin = error.origin!;
  const fence = (id: string) => cells.find((c) => c.options.id === id)?.fenceLine ?? 0;
  const at = (id: string, line: number, whose: string) =>
    `cell "${id}" at line ${fence(id) + line} (line ${line} of ${whose})`;
  const fn = origin.name ? origin.name : "a function";
  const calls = origin.via.map((v) => at(v.cell, v.line, "that cell"));
  if (error.line !== null) calls.push(at(cell.options.id, error.line, "that cell"));
  const called = calls.length ? `, called from ${calls.join(", from ")}` : "";
  return {
    cellId: cell.options.id,
    line: fence(origin.cell) + origin.line,
    column: origin.column ?? 1,
    message:
      `${chapter}: cell "${cell.options.id}" threw: ${error.name}: ${error.message.replace(/\.$/, "")}, ` +
      `in ${fn}, declared in ${at(origin.cell, origin.line, "that cell")}${called}. ` +
      `Fix cell "${origin.cell}" (or the call), or mark cell "${cell.options.id}" "throws" if the ` +
      "error is the point",
  };
}

const cache = new Map<string, Promise<ChapterRun>>();

/**
 * Runs a chapter's cells in a fresh kernel, every input at its default. Never throws for a cell:
 * what must fail the build is in `problems`. Cached by chapter and sources, so a chapter runs once
 * per build.
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
 * How long a cell may run at build time (ms; CELL_TIMEOUT_MS overrides). A cell still running
 * then is stopped through its signal and fails the build, rather than hanging it. (A loop that
 * never awaits cannot be interrupted: mark such a cell `norun`.)
 */
export const CELL_TIMEOUT_MS = Number(process.env.CELL_TIMEOUT_MS ?? 120_000);

async function runFresh(chapter: string, cells: AuthoredCell[]): Promise<ChapterRun> {
  const results = new Map<string, CellResult>();
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  let timedOut: ((id: string) => void) | null = null;
  const kernel = await createNodeKernel((event) => {
    if (event.type !== "cell") return;
    const { id, status, outputs, reason, durationMs } = event;
    if (status === "running") {
      if (!timers.has(id)) timers.set(id, setTimeout(() => timedOut?.(id), CELL_TIMEOUT_MS));
      return;
    }
    clearTimeout(timers.get(id));
    timers.delete(id);
    results.set(id, { status, ok: status === "done", outputs, durationMs, ...(reason ? { reason } : {}) });
  });
  const runnable = cells.filter((c) => !c.options.norun);
  const problems: CellProblem[] = [];
  kernel.define(runnable.map((c) => ({ id: c.options.id, source: c.source })));
  kernel.run(runnable.map((c) => c.options.id));
  const late = await Promise.race([
    kernel.idle().then(() => null),
    new Promise<string>((resolve) => (timedOut = resolve)),
  ]);
  for (const timer of timers.values()) clearTimeout(timer);
  if (late) {
    const cell = cells.find((c) => c.options.id === late)!;
    kernel.stop();
    problems.push({
      cellId: late,
      line: cell.fenceLine,
      column: 1,
      message:
        `${chapter}: cell "${late}" (line ${cell.fenceLine}) did not finish within ` +
        `${CELL_TIMEOUT_MS / 1000} s; make it faster, or mark it "norun"`,
    });
  }
  const runs: CellRun[] = [];
  for (const cell of cells) {
    const hash = hashText(cell.source);
    if (cell.options.norun) {
      runs.push({ cell, result: null, html: "", hash });
      continue;
    }
    const result = results.get(cell.options.id);
    if (!result) continue; // still running when the build gave up on it
    const problem = late ? null : problemOf(chapter, cell, result, cells);
    if (problem) problems.push(problem);
    runs.push({ cell, result, html: outputHtml(result.outputs, cell.options.id), hash });
  }
  if (!late) kernel.dispose();
  return { chapter, cells: runs, problems, value: (name) => kernel.value(name) };
}

/**
 * A cell's outputs as the built page ships them, the way the page puts a run's outputs together:
 * the cell's markup under the output policy (the browser's, on jsdom), its controls made by
 * `renderInput` from their data. The build's outputs enter the page only through here.
 */
export function outputHtml(outputs: Output[], cellId: string): string {
  return outputParts(outputs)
    .map((part, i) =>
      part.kind === "html"
        ? sanitizeBuildOutput(part.html, i === 0 ? cellId : `${cellId}-${i}`)
        : renderInput(part.key, part.spec, part.value),
    )
    .join("");
}

/** A chapter's slug from its file name: `content/01-the-neuron.mdx` → `the-neuron`. */
export function chapterSlug(path: string): string {
  // the page's own rule (chapter-schema.ts): `07.5-momentum.mdx` is /momentum/ too
  return chapterId(basename(path));
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
  prepareExercises(tree as never, chapterNumber(path, text));
  return findCells(tree as never);
}

/** A chapter file's exercises, as the build prepares them (solution and foreseen mistakes). */
export async function exercisesOfFile(path: string, text = readFileSync(path, "utf8")): Promise<ExerciseInfo[]> {
  const [{ unified }, { default: remarkParse }, { default: remarkMdx }, { default: remarkMath }] =
    await Promise.all([import("unified"), import("remark-parse"), import("remark-mdx"), import("remark-math")]);
  const tree = unified().use(remarkParse).use(remarkMath).use(remarkMdx).parse(text);
  return prepareExercises(tree as never, chapterNumber(path, text));
}

/** Reads a chapter file, runs its cells, and reports them (what the tests and the CLI use). */
export async function runChapterFile(path: string): Promise<ChapterRun> {
  const cells = await cellsOfFile(path);
  return runCells(basename(path), cells);
}

/**
 * Runs a chapter again with one cell's code replaced by each answer in turn, in one kernel, and
 * returns the outputs another cell (an exercise's check) showed for each: how the build tests an
 * exercise's solution and foreseen mistakes. Only the watched cell and what it reads run (the
 * answer's cell among them, as the check reads its names): not the answer's other readers, which
 * can cost far more than the check (chapter 8's comparison reads the ten-epoch training; running
 * it for each answer took 3 s of the 3.3 s an answer cost).
 */
export async function outputsForAnswers(
  chapter: string,
  cells: AuthoredCell[],
  cellId: string,
  watchId: string,
  answers: string[],
): Promise<(CellResult | null)[]> {
  const results = new Map<string, CellResult>();
  const kernel = await createNodeKernel((event) => {
    if (event.type !== "cell" || event.status === "running") return;
    const { id, status, outputs, reason, durationMs } = event;
    results.set(id, { status, ok: status === "done", outputs, durationMs, ...(reason ? { reason } : {}) });
  });
  const runnable = cells.filter((c) => !c.options.norun);
  const found: (CellResult | null)[] = [];
  try {
    for (const answer of answers) {
      results.delete(watchId);
      kernel.define(runnable.map((c) => ({ id: c.options.id, source: c.options.id === cellId ? answer : c.source })));
      kernel.run([watchId]);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = await Promise.race([
        kernel.idle().then(() => false),
        new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), CELL_TIMEOUT_MS))),
      ]);
      clearTimeout(timer);
      if (late) {
        kernel.stop();
        throw new Error(`${chapter}: checking an answer of cell "${cellId}" did not finish within ${CELL_TIMEOUT_MS / 1000} s`);
      }
      found.push(results.get(watchId) ?? null);
    }
  } finally {
    kernel.dispose();
  }
  return found;
}

// `verdictFor`, telling `onVerdict` each verdict it gives (the build records them: cell-record.ts).
function observed(onVerdict: (e: ExerciseInfo, answer: string, v: ReadVerdict) => void, verdictFor: VerdictFor): VerdictFor {
  return async (exercise, answer) => {
    const verdict = await verdictFor(exercise, answer);
    onVerdict(exercise, answer, verdict);
    return verdict;
  };
}

/**
 * The build's test of a chapter's exercises after the chapter ran (`run`): each solution passes
 * its check, each starter does not, each foreseen mistake gets the words expected. Returns what
 * must fail the build, with lines.
 */
export async function exerciseProblems(
  chapter: string,
  cells: AuthoredCell[],
  exercises: ExerciseInfo[],
  run: ChapterRun,
  onVerdict: (exercise: ExerciseInfo, answer: string, verdict: ReadVerdict) => void = () => {},
): Promise<{ message: string; line: number }[]> {
  if (exercises.length === 0) return [];
  const byId = new Map(run.cells.map((c) => [c.cell.options.id, c]));
  const problems = await validateExercises(
    exercises,
    (exercise) => readVerdict(byId.get(exercise.checkId)?.html ?? ""),
    observed(onVerdict, async (exercise, answer) => {
      const [result] = await outputsForAnswers(chapter, cells, exercise.cellId, exercise.checkId, [answer]);
      if (!result) return { status: "none", text: "the check did not run" };
      if (result.status !== "done") {
        return { status: "none", text: `the check did not run (${result.status}${result.reason ? `: ${result.reason}` : ""})` };
      }
      return readVerdict(outputHtml(result.outputs, exercise.checkId));
    }),
  );
  return problems.map((p) => ({ ...p, message: `${chapter}: ${p.message}` }));
}

/** A chapter file's run and its exercises' problems (what `npm run cells` reports). */
export async function checkChapterFile(path: string): Promise<ChapterRun & { exerciseProblems: { message: string; line: number }[] }> {
  const text = readFileSync(path, "utf8");
  const [{ unified }, { default: remarkParse }, { default: remarkMdx }, { default: remarkMath }] =
    await Promise.all([import("unified"), import("remark-parse"), import("remark-mdx"), import("remark-math")]);
  const tree = unified().use(remarkParse).use(remarkMath).use(remarkMdx).parse(text);
  const exercises = prepareExercises(tree as never, chapterNumber(path, text));
  const cells = findCells(tree as never);
  const run = await runCells(basename(path), cells);
  return { ...run, exerciseProblems: await exerciseProblems(basename(path), cells, exercises, run) };
}
