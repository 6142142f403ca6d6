/**
 * The build's link check (and its list of references to chapters the edition leaves out): after `astro build`, every same-site link of every page (`<a href>`)
 * must lead to a file the build made and, when it names a heading (`#id`), to an element with
 * that id. A broken one fails the build with the page and the target, so a fork never ships a
 * link to a chapter it removed or renamed. Links to other hosts (`https:`, `mailto:` …) are not
 * followed: the book must work offline, and they are not the build's to check.
 */
import { existsSync, statSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { AstroIntegration } from "astro";
import { parseHTML } from "linkedom";
import { missingChapterRefs, missingChapterRefsMessage } from "./chapter-refs.ts";

/** A link that leads nowhere: the page it is on and where it points. */
export type BrokenLink = { page: string; href: string; why: string };

async function htmlFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(".html"))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** The file a path of the site is served from (`/book/x/` → `dist/x/index.html`), or null. */
function servedFile(dir: string, path: string): string | null {
  const file = join(dir, decodeURIComponent(path));
  if (!file.startsWith(dir)) return null;
  if (existsSync(file) && statSync(file).isFile()) return file;
  const index = join(file, "index.html");
  return existsSync(index) ? index : null;
}

/**
 * Every broken same-site link in the built site at `dir`, served under `base` ("/" or
 * "/course/nn/"). Pure over the folder, so a test can call it on any build.
 */
export async function brokenLinks(dir: string, base: string): Promise<BrokenLink[]> {
  const root = base.endsWith("/") ? base : `${base}/`;
  const files = await htmlFiles(dir);
  const ids = new Map<string, Set<string>>();
  const idsOf = async (file: string) => {
    if (!ids.has(file)) {
      const { document } = parseHTML(await readFile(file, "utf8"));
      ids.set(file, new Set([...document.querySelectorAll("[id]")].map((el) => el.id)));
    }
    return ids.get(file)!;
  };
  const broken: BrokenLink[] = [];
  for (const file of files) {
    const page = `${root}${relative(dir, file).replace(/(^|\/)index\.html$/, "$1")}`;
    const { document } = parseHTML(await readFile(file, "utf8"));
    for (const a of document.querySelectorAll("a[href]")) {
      const href = a.getAttribute("href")!;
      if (/^([a-z][a-z0-9+.-]*:|\/\/)/i.test(href)) continue; // another host, mail, data …
      const url = new URL(href, `http://site${page}`);
      let target: string | null = file;
      if (!(href.startsWith("#") || href === "")) {
        if (!url.pathname.startsWith(root)) {
          broken.push({ page, href, why: `outside the base path ${root}` });
          continue;
        }
        target = servedFile(dir, url.pathname.slice(root.length));
      }
      if (target === null) broken.push({ page, href, why: "no such page" });
      else if (url.hash.length > 1 && !(await idsOf(target)).has(decodeURIComponent(url.hash.slice(1)))) {
        broken.push({ page, href, why: "no such heading" });
      }
    }
  }
  return broken;
}

/** How the build reports broken links: one line each, then how to fix them. */
export function brokenLinksMessage(broken: BrokenLink[]): string {
  const lines = broken.map(({ page, href, why }) => `  ${page}: ${href} (${why})`);
  return (
    `${broken.length} broken link${broken.length === 1 ? "" : "s"} in the built book:\n${lines.join("\n")}\n` +
    "Fix each link in the page's source, or link a chapter with <ChapterRef slug=\"…\" />, which " +
    "always points at the chapter's current address."
  );
}

/** The integration: `integrations: [checkLinks()]`, after the ones that write pages. */
export default function checkLinks(): AstroIntegration {
  let base = "/";
  return {
    name: "book:link-check",
    hooks: {
      "astro:config:done": ({ config }) => {
        base = config.base;
      },
      "astro:build:done": async ({ dir, logger }) => {
        // references to chapters this edition leaves out, gathered by <ChapterRef> as it rendered
        const missing = missingChapterRefs();
        if (missing.size > 0) logger.warn(missingChapterRefsMessage(missing));
        const broken = await brokenLinks(fileURLToPath(dir).replace(/\/$/, ""), base);
        if (broken.length > 0) throw new Error(brokenLinksMessage(broken));
        logger.info("every link inside the site leads to a page and a heading that exist");
      },
    },
  };
}
