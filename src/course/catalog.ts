/**
 * The course as the build sees it: the chapters in order, each with its title and its exercises
 * (id and title, read from the `<Exercise id title>` elements of its source). The progress page
 * and the sidebar's marks use it; nothing here runs in the browser.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { chapterId } from "../chapter-schema.ts";

export interface CatalogChapter {
  slug: string;
  title: string;
  order: number;
  exercises: { id: string; title: string; number: string }[];
}

// An attribute of an opening tag: id="…" or id='…'.
const attribute = (tag: string, name: string) =>
  new RegExp(`\\b${name}=(?:"([^"]*)"|'([^']*)')`).exec(tag)?.slice(1).find((v) => v !== undefined);

/** The chapters of the book in `dir`, in order, with their exercises. */
export function courseCatalog(dir = process.env.BOOK_CONTENT_DIR ?? "./content"): CatalogChapter[] {
  if (!existsSync(dir)) return [];
  const chapters: CatalogChapter[] = [];
  for (const file of readdirSync(dir)) {
    if (!/^[^_].*\.mdx?$/.test(file) || /^index\.mdx?$/.test(file)) continue;
    const text = readFileSync(join(dir, file), "utf8");
    const front = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text)?.[1] ?? "";
    const order = /^order:\s*(\d+)\s*$/m.exec(front);
    if (!order) continue;
    const title = /^title:\s*(.+)$/m.exec(front)?.[1].trim().replace(/^["']|["']$/g, "") ?? chapterId(file);
    const exercises = [...text.matchAll(/<Exercise\b[^>]*>/g)].map((match, i) => ({
      id: attribute(match[0], "id") ?? "",
      title: attribute(match[0], "title") ?? "",
      number: `${order[1]}.${i + 1}`,
    }));
    chapters.push({ slug: chapterId(file), title, order: Number(order[1]), exercises });
  }
  return chapters.sort((a, b) => a.order - b.order || a.slug.localeCompare(b.slug));
}
