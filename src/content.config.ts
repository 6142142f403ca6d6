import { defineCollection } from "astro:content";
import { glob } from "astro/loaders";
import { docsSchema } from "@astrojs/starlight/schema";
import { chapterFields, chapterId } from "./chapter-schema.ts";

/**
 * The chapters: every `.md`/`.mdx` file in `content/`, except files starting with `_` (drafts,
 * left out of the book: `isPage` in chapter-schema.ts). A file `03-the-perceptron.mdx` becomes
 * the page `/the-perceptron/`; the frontmatter's `order:` orders the book (src/chapters.ts).
 */
export const collections = {
  docs: defineCollection({
    loader: glob({
      base: process.env.BOOK_CONTENT_DIR ?? "./content",
      pattern: "**/[^_]*.{md,mdx}",
      generateId: ({ entry }) => chapterId(entry),
    }),
    schema: docsSchema({ extend: chapterFields }),
  }),
};
