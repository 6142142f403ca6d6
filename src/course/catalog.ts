/**
 * The course as the build sees it: the chapters in order, each with its title and its exercises
 * (id and title, read from the `<Exercise id title>` elements of its source). The progress page
 * and the sidebar's marks use it; nothing here runs in the browser.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { chapterFiles } from "../chapter-schema.ts";

export interface CatalogChapter {
  slug: string;
  title: string;
  /** Its number in the book: its position in reading order, from 0. */
  order: number;
  exercises: { id: string; title: string; number: string }[];
}

// An attribute of an opening tag: id="…" or id='…'.
const attribute = (tag: string, name: string) =>
  new RegExp(`\\b${name}=(?:"([^"]*)"|'([^']*)')`).exec(tag)?.slice(1).find((v) => v !== undefined);

/** The chapters of the book in `dir`, in reading order and numbered as the book numbers them. */
export function courseCatalog(dir = process.env.BOOK_CONTENT_DIR ?? "./content"): CatalogChapter[] {
  if (!existsSync(dir)) return [];
  return chapterFiles(dir)
    .filter((c) => c.order !== Infinity)
    .map(({ file, slug }, number) => {
      const text = readFileSync(join(dir, file), "utf8");
      const front = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text)?.[1] ?? "";
      const title = /^title:\s*(.+)$/m.exec(front)?.[1].trim().replace(/^["']|["']$/g, "") ?? slug;
      const exercises = [...text.matchAll(/<Exercise\b[^>]*>/g)].map((match, i) => ({
        id: attribute(match[0], "id") ?? "",
        title: attribute(match[0], "title") ?? "",
        number: `${number}.${i + 1}`,
      }));
      return { slug, title, order: number, exercises };
    });
}
