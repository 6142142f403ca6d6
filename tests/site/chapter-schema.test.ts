/**
 * The chapters' frontmatter and order, checked on the schema and the content folder directly
 * (milliseconds, no build). One build in build.test.ts shows that Astro names the file.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { docsSchema } from "@astrojs/starlight/schema";
import { z } from "astro/zod";
import { describe, expect, test } from "vitest";
import { chapterFields, chapterFiles, chapterId, isPage } from "../../src/chapter-schema.ts";

const objectives = ["See that a good chapter passes."];
// The schema the collection uses (src/content.config.ts): Starlight's fields and the book's.
const schema = docsSchema({ extend: chapterFields })({ image: () => z.string() } as never);

function issues(data: object): string[] {
  const result = schema.safeParse({ title: "A chapter", ...data });
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
}

describe("chapterFields", () => {
  test("accepts a chapter with an order and objectives, a fractional order included", () => {
    expect(issues({ order: 3, objectives })).toEqual([]);
    expect(issues({ order: 7.5, objectives })).toEqual([]);
  });

  test("rejects an order that is not a number, naming the field", () => {
    expect(issues({ order: "three", objectives })).toEqual([
      expect.stringMatching(/^order: .*number/),
    ]);
    expect(issues({ order: -1, objectives })).toEqual([expect.stringMatching(/^order: /)]);
  });

  test("asks a chapter for its order and its objectives, saying what each is", () => {
    expect(issues({ objectives })).toEqual([
      "order: a chapter needs `order:` (a number from 0: chapters are read in increasing order)",
    ]);
    expect(issues({ order: 3 })).toEqual([
      "objectives: a chapter needs `objectives:` (a list of what the reader will be able to do)",
    ]);
    expect(issues({ order: 3, objectives: [] })).toEqual([expect.stringMatching(/^objectives: /)]);
  });

  test("asks neither of the landing page nor of a reference page", () => {
    expect(issues({ template: "splash" })).toEqual([]);
    expect(issues({ reference: true })).toEqual([]);
  });
});

describe("chapterFiles", () => {
  function book(files: Record<string, string>): string {
    const dir = mkdtempSync(join(tmpdir(), "book-"));
    mkdirSync(dir, { recursive: true });
    for (const [name, order] of Object.entries(files)) {
      const front = order === "" ? "title: Home\ntemplate: splash" : `title: ${name}\norder: ${order}`;
      writeFileSync(join(dir, name), `---\n${front}\n---\nText.\n`);
    }
    return dir;
  }

  test("reads chapters in increasing order, whatever their file names, leaving out drafts", () => {
    const dir = book({
      "index.mdx": "",
      "01-b.mdx": "2",
      "02-a.mdx": "1",
      "momentum.mdx": "1.5",
      "_draft.mdx": "0",
    });
    expect(chapterFiles(dir).map(({ slug, order }) => [slug, order])).toEqual([
      ["a", 1],
      ["momentum", 1.5],
      ["b", 2],
    ]);
  });

  test("two chapters with one order fail, naming both files", () => {
    const dir = book({ "03-one.mdx": "3", "04-two.mdx": "3", "05-three.mdx": "5" });
    expect(() => chapterFiles(dir)).toThrow(
      `two chapters have order: 3: ${join(dir, "03-one.mdx")} and ${join(dir, "04-two.mdx")}. ` +
        "Each chapter needs its own order (chapters are read in increasing order); give one of " +
        "them another number, such as 3.5 to put it after the other.",
    );
  });
});

test("chapterId drops the number from the address, a fractional one too", () => {
  expect(chapterId("03-the-perceptron.mdx")).toBe("the-perceptron");
  expect(chapterId("07.5-momentum.mdx")).toBe("momentum");
  expect(chapterId("reference/2-glossary.mdx")).toBe("reference/glossary");
  expect(chapterId("momentum.mdx")).toBe("momentum");
});

test("isPage leaves out files that start with an underscore (drafts) and non-pages", () => {
  expect(["a.mdx", "b.md", "_draft.mdx", "notes.txt"].filter(isPage)).toEqual(["a.mdx", "b.md"]);
});
