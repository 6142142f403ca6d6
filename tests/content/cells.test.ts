import { readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, inject, it, vi } from "vitest";
import { readCellRecord, textHash, type RecordedChapter } from "../../src/notebook/cell-record.ts";
import { cellsOfFile, checkChapterFile, exercisesOfFile, runChapterFile } from "../../src/notebook/node-host.ts";
import { validateExercises } from "../../src/notebook/remark-exercises.ts";

// The chapters, as the build finds them (drafts start with "_").
const dir = process.env.BOOK_CONTENT_DIR ?? "content";
const chapters = readdirSync(dir)
  .filter((file) => /^[^_].*\.mdx?$/.test(file))
  .sort();

describe("every cell of every chapter runs", () => {
  it("runChapterFile() reports a failing cell with its chapter, cell id and line in the file", async () => {
    const run = await runChapterFile("tests/content/fixtures/broken-chapter.mdx");
    expect(run.cells.map((c) => [c.cell.options.id, c.result?.ok ?? "not run"])).toEqual([
      ["fine", true],
      ["breaks", false],
      ["meant-to-throw", true],
      ["cell-4", "not run"],
    ]);
    expect(run.problems).toEqual([
      {
        cellId: "breaks",
        line: 19,
        column: 15,
        message:
          'broken-chapter.mdx: cell "breaks" threw at line 19 (line 3 of the cell): TypeError: ' +
          "Cannot read properties of undefined (reading 'deeper'). Fix the cell, or mark it " +
          '"throws" if the error is the point',
      },
      {
        cellId: "meant-to-throw",
        line: 22,
        column: 1,
        message:
          'broken-chapter.mdx: cell "meant-to-throw" (line 22) is marked throws but ran without ' +
          'an error; remove "throws" or make it throw',
      },
    ]);
  });

  it("runChapterFile() fails a cell that does not finish in time; the cells that do not need it run", async () => {
    process.env.CELL_TIMEOUT_MS = "300";
    vi.resetModules();
    const host = await import("../../src/notebook/node-host.ts");
    delete process.env.CELL_TIMEOUT_MS;
    const run = await host.runChapterFile("tests/content/fixtures/slow-chapter.mdx");
    expect(run.cells.map((c) => c.cell.options.id)).toEqual(["quick", "after"]);
    expect(run.problems).toEqual([
      {
        cellId: "forever",
        line: 9,
        column: 1,
        message:
          'slow-chapter.mdx: cell "forever" (line 9) did not finish within 0.3 s; ' +
          'make it faster, or mark it "norun"',
      },
    ]);
  });

  // The build runs every cell and checks every exercise (src/notebook/remark-cells.ts); a problem
  // fails it, so the whole run. It records what ran (src/notebook/cell-record.ts); the tests read
  // that record rather than run each chapter a second time. Without a build (SKIP_SITE=1) they run
  // the chapters here, as the build would.
  const built = inject("siteUrl") !== "";
  const record = built ? readCellRecord(inject("cellRecord")) : null;

  if (built) {
    it("the record of cells is this build's", () => {
      expect(record, `the build wrote no record of its cells at ${inject("cellRecord")}`).not.toBeNull();
      // REUSE_BUILD=1 reuses the last build: its record, then, names that build
      expect(record!.buildId, "the record of cells is not this build's").toBe(inject("buildId"));
    });
  }

  for (const chapter of chapters) {
    it(`${chapter}: every cell runs as it does in the build, and its exercises check`, { timeout: 240_000 }, async () => {
      const path = join(dir, chapter);
      if (!built) {
        const run = await checkChapterFile(path);
        expect([...run.problems, ...run.exerciseProblems].map((p) => p.message)).toEqual([]);
        return;
      }
      const entry = record?.chapters[resolve(path)];
      expect(entry, `the build's record of cells has no run of ${path}`).toBeDefined();
      expect(entry!.textHash, `the build ran another text of ${path} (changed since?)`).toBe(
        textHash(readFileSync(path, "utf8")),
      );
      expect(await recordedProblems(path, entry!)).toEqual([]);
    });
  }
});

/**
 * What the build's record says is wrong with a chapter: the problems it failed on, a cell of the
 * file it did not run (or ran and should not have), a cell that failed without `throws` or ran
 * with it, and what the exercises' verdicts break of the build's own rules (validateExercises).
 */
async function recordedProblems(path: string, entry: RecordedChapter): Promise<string[]> {
  const problems = [...entry.problems];
  const cells = await cellsOfFile(path);
  const ran = new Map(entry.cells.map((c) => [c.id, c]));
  for (const { options } of cells) {
    const cell = ran.get(options.id);
    if (!cell) problems.push(`cell "${options.id}": not in the build's record`);
    else if (options.norun !== (cell.status === "not run")) problems.push(`cell "${options.id}": norun, yet ${cell.status}`);
    else if (!options.norun && (cell.status === "blocked" || cell.ok === options.throws)) {
      problems.push(`cell "${options.id}": ${cell.status}${options.throws ? ", marked throws" : ""}`);
    }
  }
  if (entry.cells.length !== cells.length) problems.push(`the record has ${entry.cells.length} cells, the file ${cells.length}`);
  const exercises = await exercisesOfFile(path);
  const verdicts = new Map(entry.exercises.map((e) => [e.id, e]));
  const unrecorded = { status: "none" as const, text: "the build's record has no verdict for it" };
  const wrong = await validateExercises(
    exercises,
    (exercise) => verdicts.get(exercise.id)?.starter ?? unrecorded,
    async (exercise, answer) =>
      verdicts.get(exercise.id)?.answers.find((a) => a.answer === answer)?.verdict ?? unrecorded,
  );
  return [...problems, ...wrong.map((p) => p.message)];
}
