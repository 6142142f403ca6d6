/**
 * The build's record of the cells it ran: for each chapter file, the hash of its text, how each
 * cell ended (with its outputs) and each exercise's verdicts (starter, solution, every foreseen
 * mistake). The content tests read it (tests/content/cells.test.ts) instead of running every
 * chapter a second time. A build writes one when BOOK_CELL_RECORD names the file (the tests'
 * build does; others write none), rewritten whole as each chapter finishes and named by
 * BOOK_BUILD_ID (the tests pass their own and check it).
 */
import { createHash, randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { ChapterRun } from "./node-host.ts";
import type { ExerciseInfo, ReadVerdict } from "./remark-exercises.ts";
import type { CellStatus, Output } from "./types.ts";

/** How one cell ended in the build ("not run": `norun`, or stopped before it began). */
export interface RecordedCell {
  id: string;
  norun: boolean;
  throws: boolean;
  status: CellStatus | "not run";
  ok: boolean;
  durationMs: number;
  reason?: string;
  /** The outputs as the kernel made them (markup before the build sanitizes it). */
  outputs: Output[];
}

/** An exercise's verdicts: the starter's, then each answer's (the solution, each mistake). */
export interface RecordedExercise {
  id: string;
  starter: ReadVerdict;
  answers: { answer: string; verdict: ReadVerdict }[];
}

/** One chapter file as the build ran it. */
export interface RecordedChapter {
  /** The file's absolute path. */
  file: string;
  /** sha256 of the file's text when the build read it. */
  textHash: string;
  cells: RecordedCell[];
  /** What failed the build (the cells' problems, then the exercises'). */
  problems: string[];
  exercises: RecordedExercise[];
}

export interface CellRecord {
  buildId: string;
  /** When this build recorded its first chapter (ISO). */
  startedAt: string;
  /** By absolute file path. */
  chapters: Record<string, RecordedChapter>;
}

/** Where this process writes its record (null: it writes none). */
export function cellRecordPath(): string | null {
  const path = process.env.BOOK_CELL_RECORD;
  return path ? resolve(path) : null;
}

/** The hash a chapter's text is recorded under. */
export function textHash(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

let record: CellRecord | null = null;

/** Collects the verdicts `exerciseProblems` reads, for `recordChapter`. */
export function verdictLog(run: ChapterRun, exercises: ExerciseInfo[], readVerdict: (html: string) => ReadVerdict) {
  const byId = new Map(run.cells.map((c) => [c.cell.options.id, c.html]));
  const recorded: RecordedExercise[] = exercises.map((exercise) => ({
    id: exercise.id,
    starter: readVerdict(byId.get(exercise.checkId) ?? ""),
    answers: [],
  }));
  return {
    recorded,
    add(exercise: ExerciseInfo, answer: string, verdict: ReadVerdict) {
      recorded.find((e) => e.id === exercise.id)?.answers.push({ answer, verdict });
    },
  };
}

/** Adds a chapter to this build's record and writes the record (a new file, then renamed). */
export function recordChapter(
  path: string,
  run: Pick<ChapterRun, "cells" | "problems"> | null,
  exercises: RecordedExercise[],
  exerciseProblems: { message: string }[],
): void {
  const target = cellRecordPath();
  if (!target) return;
  const file = resolve(path);
  let text = "";
  try {
    text = readFileSync(file, "utf8");
  } catch {
    // not a file on disk (a page made in memory): its hash stays empty
  }
  record ??= { buildId: process.env.BOOK_BUILD_ID ?? randomUUID(), startedAt: new Date().toISOString(), chapters: {} };
  const cells = (run?.cells ?? []).map(({ cell, result }): RecordedCell => ({
    id: cell.options.id,
    norun: cell.options.norun,
    throws: cell.options.throws,
    status: result?.status ?? "not run",
    ok: result?.ok ?? false,
    durationMs: result?.durationMs ?? 0,
    ...(result?.reason ? { reason: result.reason } : {}),
    outputs: result?.outputs ?? [],
  }));
  const problems = [...(run?.problems ?? []), ...exerciseProblems].map((p) => p.message);
  record.chapters[file] = { file, textHash: textHash(text), cells, problems, exercises };
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(`${target}.${process.pid}.tmp`, JSON.stringify(record));
  renameSync(`${target}.${process.pid}.tmp`, target);
}

/** Reads a record (null when there is none). */
export function readCellRecord(path: string): CellRecord | null {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as CellRecord;
  } catch {
    return null;
  }
}
