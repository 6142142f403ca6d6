/**
 * The book's own chapter tests follow the chapters of this edition (tests/support/chapters.ts,
 * suites.ts): a fork that removes a chapter skips that chapter's suites with one line, and one
 * that adds a chapter gets the per-chapter checks for it.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "vitest";
import { chapters, hasChapter } from "../support/chapters.ts";
import { chapterSkipLine } from "../support/suites.ts";

function edition(files: Record<string, number>): string {
  const dir = mkdtempSync(join(tmpdir(), "edition-"));
  writeFileSync(join(dir, "index.mdx"), "---\ntitle: Home\ntemplate: splash\n---\n");
  for (const [file, order] of Object.entries(files)) {
    writeFileSync(join(dir, file), `---\ntitle: ${file}\norder: ${order}\n---\n`);
  }
  return dir;
}

test("chapters() lists this edition's chapters in reading order, an added one included", () => {
  const dir = edition({ "00-why.mdx": 0, "01-neuron.mdx": 1, "momentum.mdx": 0.5, "_draft.mdx": 2 });
  expect(chapters(dir)).toEqual([
    { file: "00-why.mdx", slug: "why" },
    { file: "momentum.mdx", slug: "momentum" },
    { file: "01-neuron.mdx", slug: "neuron" },
  ]);
});

test("hasChapter() says whether the edition has a chapter, by its address with or without /", () => {
  const dir = edition({ "00-why.mdx": 0, "02-bias.mdx": 2 });
  expect(hasChapter("why", dir)).toBe(true);
  expect(hasChapter("bias/", dir)).toBe(true);
  expect(hasChapter("neuron", dir)).toBe(false);
  expect(hasChapter("_draft", dir)).toBe(false);
});

test("the real book has every chapter its own suites are about", () => {
  for (const slug of ["why-learn-from-data", "the-neuron", "gradient-descent", "beyond-the-mlp"]) {
    expect(hasChapter(slug, "content"), slug).toBe(true);
  }
});

test("chapterSkipLine() says in one line which chapter is absent, and where it looked", () => {
  const line = chapterSkipLine("chapter 1: sliders", ["the-neuron"], "my-course/content");
  expect(line).toBe(
    '○ not run "chapter 1: sliders": this edition has no chapter "the-neuron" in my-course/content, so its tests do not apply.',
  );
  expect(line).not.toContain("\n");
});
