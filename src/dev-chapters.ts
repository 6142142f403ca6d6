/**
 * `npm run dev` follows the chapters: the sidebar is computed from the content folder when the
 * config loads (astro.config.mjs, `bookSidebar`), so a chapter added, removed, renamed or
 * reordered while the dev server runs left it naming a page that no longer exists, and every page
 * answered 500 ("The slug … specified in the Starlight sidebar config does not exist"). This
 * integration watches the folder; when the list of chapters changes, it rewrites a file that
 * Astro watches as part of the config (`addWatchFile`), and Astro restarts the server with a
 * fresh sidebar, as it does when astro.config.mjs is saved.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { AstroIntegration } from "astro";
import { bookSidebar } from "./chapter-schema.ts";

/** What the sidebar is made of: the chapters and reference pages in order, or why it cannot be. */
export function sidebarSignature(dir: string): string {
  try {
    return JSON.stringify(bookSidebar(dir));
  } catch (error) {
    return `error: ${(error as Error).message}`;
  }
}

/** The integration: `integrations: [devChapters(contentDir)]`. */
export default function devChapters(contentDir: string): AstroIntegration {
  const dir = resolve(contentDir);
  let stamp = "";
  return {
    name: "book:dev-chapters",
    hooks: {
      "astro:config:setup": ({ command, config, addWatchFile }) => {
        if (command !== "dev") return;
        stamp = fileURLToPath(new URL("./.astro/book-chapters.json", config.root));
        mkdirSync(dirname(stamp), { recursive: true });
        let written = "";
        try {
          written = readFileSync(stamp, "utf8");
        } catch {}
        const now = sidebarSignature(dir);
        if (written !== now) writeFileSync(stamp, now);
        addWatchFile(stamp);
      },
      "astro:server:setup": ({ server, logger, refreshContent }) => {
        server.watcher.add(dir);
        // A rename is two events (unlink, add): act once they have settled.
        let timer: ReturnType<typeof setTimeout> | undefined;
        const changed = async () => {
          const now = sidebarSignature(dir);
          if (now === readFileSync(stamp, "utf8")) return;
          logger.info("the chapters changed: restarting with a new sidebar");
          // bring the collection up to date first: the restarted server reads it as it is
          await refreshContent?.({});
          writeFileSync(stamp, now);
        };
        const check = (file: string) => {
          if (!resolve(file).startsWith(dir) || !/\.mdx?$/.test(file)) return;
          clearTimeout(timer);
          timer = setTimeout(changed, 400);
        };
        for (const event of ["add", "unlink", "change"] as const) server.watcher.on(event, check);
      },
    },
  };
}
