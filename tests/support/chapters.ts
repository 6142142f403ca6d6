import { chapterFiles } from "../../src/chapter-schema.ts";

/**
 * The folder of chapters the tests' book is built from: BOOK_CONTENT_DIR, as for the build, or
 * `content`. A fork that removes or adds a chapter changes what the tests below return.
 */
export function contentDir(): string {
  return process.env.BOOK_CONTENT_DIR ?? "content";
}

/** The chapters of the book in reading order (frontmatter `order`), with the address of each page. */
export function chapters(dir = contentDir()): { file: string; slug: string }[] {
  return chapterFiles(dir).map(({ file, slug }) => ({ file, slug }));
}

/**
 * Whether this edition of the book has the chapter at `slug` ("the-neuron" or "the-neuron/"):
 * a fork may have removed its file.
 */
export function hasChapter(slug: string, dir = contentDir()): boolean {
  return chapters(dir).some((chapter) => chapter.slug === slug.replace(/\/$/, ""));
}

/** Every page of the book relative to its base: the landing page, then the chapters. */
export function pages(): string[] {
  return ["", ...chapters().map(({ slug }) => `${slug}/`)];
}

/** The reference pages after the chapters in the sidebar (content/reference/). */
export const referencePages = [
  "reference/reading-a-cell/",
  "reference/glossary/",
  "reference/your-progress/",
  "reference/for-instructors/",
];

/** Every page: the landing page, the chapters, the reference pages. */
export function allPages(): string[] {
  return [...pages(), ...referencePages];
}
