/**
 * The chapters of this edition, numbered: sorted by their frontmatter `order` (a sort key), each
 * numbered by its position from 0. Removing or inserting a chapter renumbers the rest; the
 * sidebar, the landing page's list, chapter headings and `<ChapterRef>` all count the same way.
 */
import { getCollection, type CollectionEntry } from "astro:content";
import { byOrder } from "./chapter-schema.ts";

export type NumberedChapter = { id: string; title: string; number: number; entry: CollectionEntry<"docs"> };

/** The chapters in reading order, each with its number. */
export async function numberedChapters(): Promise<NumberedChapter[]> {
  const chapters = (await getCollection("docs"))
    .filter((entry) => typeof entry.data.order === "number")
    .map((entry) => ({ slug: entry.id, order: entry.data.order as number, entry }))
    .sort(byOrder);
  return chapters.map(({ entry }, number) => ({
    id: entry.id,
    title: entry.data.title,
    number,
    entry,
  }));
}
