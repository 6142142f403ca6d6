import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "astro/zod";

/**
 * The fields a chapter adds to Starlight's frontmatter. The landing page (`template: splash`)
 * and reference pages (`reference: true`) need neither; every other page is a chapter and must
 * have both.
 */
export const chapterFields = z
  .object({
    /**
     * Where the chapter stands in the book: chapters are read in increasing `order` (any number
     * from 0, 7.5 included, so a chapter fits between two others without renumbering them); two
     * chapters may not share one. The number a reader sees ("chapter 7") is the chapter's
     * position counted from 0, not this field: removing a chapter renumbers those after it.
     */
    order: z.number().min(0).optional(),
    /** What the reader will be able to do after the chapter: one sentence each, at least one. */
    objectives: z.array(z.string().min(8)).min(1).optional(),
    /**
     * A reference page (the glossary, the primer on cells) in `content/reference/`: not a
     * chapter, so it needs neither `order` nor `objectives`. Default false.
     */
    reference: z.boolean().default(false),
  })
  .superRefine((data, ctx) => {
    const { template } = data as { template?: string };
    if (template === "splash" || data.reference) return;
    for (const field of ["order", "objectives"] as const) {
      if (data[field] === undefined) {
        ctx.addIssue({
          code: "custom",
          path: [field],
          message:
            field === "order"
              ? "a chapter needs `order:` (a number from 0: chapters are read in increasing order)"
              : "a chapter needs `objectives:` (a list of what the reader will be able to do)",
        });
      }
    }
  });

/** `03-the-perceptron.mdx` → `the-perceptron`: the number orders the file, not the address. */
export function chapterId(entry: string): string {
  return entry.replace(/\.mdx?$/, "").replace(/(^|\/)\d+(\.\d+)?-/g, "$1");
}

/**
 * Whether a file in the content folder is a page of the book: `.md`/`.mdx`, and not starting with
 * `_` (the underscore rule: `_momentum.mdx` is a draft, left out of the book and its tests).
 */
export function isPage(file: string): boolean {
  return /^[^_].*\.mdx?$/.test(file);
}

/** Reading order: by `order`, then (only for chapters without one) by address. */
export function byOrder(a: { order: number; slug: string }, b: { order: number; slug: string }) {
  return a.order - b.order || a.slug.localeCompare(b.slug);
}

/** A chapter file as the config sees it (before the collection validates it). */
export type ChapterFile = { file: string; slug: string; order: number };

/**
 * Every chapter file in `dir` (not the landing page, not drafts) in reading order, with its
 * `order:` (read as a line, since the config loads before the collection; the schema validates
 * it properly). Two chapters with one order throw, naming both files.
 */
export function chapterFiles(dir: string): ChapterFile[] {
  const chapters = readdirSync(dir)
    .filter((file) => isPage(file) && !/^index\.mdx?$/.test(file))
    .map((file) => {
      const source = readFileSync(join(dir, file), "utf8");
      const order = /^order:\s*(\d+(?:\.\d+)?)\s*$/m.exec(source.split(/^---$/m)[1] ?? "");
      return { file, slug: chapterId(file), order: order ? Number(order[1]) : Infinity };
    });
  chapters.sort(byOrder);
  for (let i = 1; i < chapters.length; i++) {
    const [a, b] = [chapters[i - 1], chapters[i]];
    if (a.order === b.order && a.order !== Infinity) {
      throw new Error(
        `two chapters have order: ${a.order}: ${join(dir, a.file)} and ${join(dir, b.file)}. ` +
          "Each chapter needs its own order (chapters are read in increasing order); give one of " +
          `them another number, such as ${a.order + 0.5} to put it after the other.`,
      );
    }
  }
  return chapters;
}

/** The sidebar's chapters: every chapter in `dir` in reading order (see `chapterFiles`). */
export function chapterSidebar(dir: string): { slug: string }[] {
  return chapterFiles(dir).map(({ slug }) => ({ slug }));
}

/** The folder of reference pages inside the content folder (the glossary, the primer). */
export const referenceDir = "reference";

/**
 * The whole sidebar: the chapters in order, then the reference pages of `dir/reference/`, in file
 * order (`1-reading-a-cell.mdx` before `2-glossary.mdx`; the number is dropped from the address).
 */
export function bookSidebar(dir: string): { label: string; items: { slug: string }[] }[] {
  const folder = join(dir, referenceDir);
  const references = existsSync(folder)
    ? readdirSync(folder)
        .filter(isPage)
        .sort()
        .map((file) => ({ slug: chapterId(`${referenceDir}/${file}`) }))
    : [];
  return [
    { label: "Chapters", items: chapterSidebar(dir) },
    ...(references.length > 0 ? [{ label: "Reference", items: references }] : []),
  ];
}
