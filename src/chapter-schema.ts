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
    /** Position in the book, 0 first. The sidebar and the previous/next links follow it. */
    order: z.number().int().min(0).max(99).optional(),
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
              ? "a chapter needs `order:` (its position in the book, a whole number from 0)"
              : "a chapter needs `objectives:` (a list of what the reader will be able to do)",
        });
      }
    }
  });

/** `03-the-perceptron.mdx` → `the-perceptron`: the number orders the file, not the address. */
export function chapterId(entry: string): string {
  return entry.replace(/\.mdx?$/, "").replace(/(^|\/)\d+-/g, "$1");
}

/**
 * The sidebar: every chapter in `dir`, sorted by the `order:` of its frontmatter (read as a
 * line, since the config loads before the collection; the schema validates it properly).
 */
export function chapterSidebar(dir: string): { slug: string }[] {
  const chapters = readdirSync(dir)
    .filter((file) => /^[^_].*\.mdx?$/.test(file) && !/^index\.mdx?$/.test(file))
    .map((file) => {
      const source = readFileSync(join(dir, file), "utf8");
      const order = /^order:\s*(\d+)\s*$/m.exec(source.split(/^---$/m)[1] ?? "");
      return { slug: chapterId(file), order: order ? Number(order[1]) : Infinity };
    });
  chapters.sort((a, b) => a.order - b.order || a.slug.localeCompare(b.slug));
  return chapters.map(({ slug }) => ({ slug }));
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
        .filter((file) => /^[^_].*\.mdx?$/.test(file))
        .sort()
        .map((file) => ({ slug: chapterId(`${referenceDir}/${file}`) }))
    : [];
  return [
    { label: "Chapters", items: chapterSidebar(dir) },
    ...(references.length > 0 ? [{ label: "Reference", items: references }] : []),
  ];
}
