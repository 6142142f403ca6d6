import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { checkChapterFile, runChapterFile } from "../../src/notebook/node-host.ts";

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

  for (const chapter of chapters) {
    it(`${chapter}: every cell runs as it does in the build, and its exercises check`, { timeout: 240_000 }, async () => {
      const run = await checkChapterFile(join(dir, chapter));
      expect([...run.problems, ...run.exerciseProblems].map((p) => p.message)).toEqual([]);
    });
  }
});
