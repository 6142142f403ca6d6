/**
 * `npm run preview` serves what the last build made, under its base path: each build records its
 * base and output folder (`last-build.json` in Astro's cache folder, `node_modules/.astro/` unless
 * BOOK_CACHE_DIR names another), and astro.config.mjs reads them back when the command is
 * `preview` (BASE_PATH, when set, still wins). Before this, a build with BASE_PATH=/course/nn/ was
 * previewed at / and every link and asset of it was broken. A book built with its own cache
 * folder (the tests' small books) keeps its own record, so it never answers for another build.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { AstroIntegration } from "astro";

/** Where the record of the builds that use Astro's cache folder `cacheDir` is kept. */
export function lastBuildFile(cacheDir: string): string {
  return resolve(cacheDir, "last-build.json");
}

/** The last build's base path and output folder (from its record `file`), or null when there was none. */
export function lastBuild(file: string): { base: string; outDir: string } | null {
  try {
    const { base, outDir } = JSON.parse(readFileSync(file, "utf8"));
    return typeof base === "string" && typeof outDir === "string" ? { base, outDir } : null;
  } catch {
    return null;
  }
}

/** Whether this process is `astro preview` (the config loads before any hook says so). */
export function previewing(argv = process.argv): boolean {
  return argv.slice(2).includes("preview");
}

/** The integration: records each finished build in `file` for `npm run preview`. */
export default function recordBuild(file: string): AstroIntegration {
  let base = "/";
  return {
    name: "book:last-build",
    hooks: {
      "astro:config:done": ({ config }) => {
        base = config.base;
      },
      "astro:build:done": ({ dir, logger }) => {
        const outDir = fileURLToPath(dir);
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, JSON.stringify({ base, outDir }, null, 2));
        logger.info(`npm run preview will serve ${outDir} under ${base}`);
      },
    },
  };
}
