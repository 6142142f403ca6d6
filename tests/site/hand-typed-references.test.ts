// A reference to a chapter by number is written <ChapterRef slug="…" />, so that adding, removing
// or moving a chapter renumbers it (src/components/README.md): a "chapter 6" typed by hand in the
// prose, the frontmatter or a cell's comment goes stale in a fork. Reads the sources; no build.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { contentDir } from "../support/chapters.ts";

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : /\.mdx?$/.test(entry.name) ? [join(dir, entry.name)] : [],
  );
}

describe("references between chapters", () => {
  test("no chapter is named by a number typed by hand", () => {
    const typed: string[] = [];
    for (const file of sources(contentDir())) {
      readFileSync(file, "utf8")
        .split("\n")
        .forEach((line, i) => {
          const bare = line.replace(/<ChapterRef\b[^>]*\/>|<ChapterRef\b[\s\S]*?<\/ChapterRef>/g, "");
          if (/\bchapters?\s+\d/i.test(bare)) typed.push(`${file}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(typed, 'write <ChapterRef slug="…" /> instead (form="number" for "chapter 7")').toEqual([]);
  });
});
