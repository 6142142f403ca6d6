import { defineCollection } from "astro:content";
import { glob } from "astro/loaders";
import { docsSchema } from "@astrojs/starlight/schema";
import { chapterFields, chapterId } from "./chapter-schema.ts";

/**
 * The chapters: every `.md`/`.mdx` file in `content/` (files starting with `_` are drafts).
 * A file `03-the-perceptron.mdx` becomes the page `/the-perceptron/`; its number orders the book.
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
