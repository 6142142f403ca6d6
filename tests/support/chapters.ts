import { readdirSync } from "node:fs";
import { chapterId } from "../../src/chapter-schema.ts";

/** The chapter files of the book, in file order, with the address of each page. */
export function chapters(dir = "content"): { file: string; slug: string }[] {
  return readdirSync(dir)
    .filter((file) => /^[^_].*\.mdx?$/.test(file) && !/^index\.mdx?$/.test(file))
    .sort()
    .map((file) => ({ file, slug: chapterId(file) }));
}

/** Every page of the book relative to its base: the landing page, then the chapters. */
export function pages(): string[] {
  return ["", ...chapters().map(({ slug }) => `${slug}/`)];
}
