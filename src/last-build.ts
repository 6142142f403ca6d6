/**
 * `npm run preview` serves what the last build made, under its base path: each build records its
 * base and output folder (`.astro/last-build.json`), and astro.config.mjs reads them back when
 * the command is `preview` (BASE_PATH, when set, still wins). Before this, a build with
 * BASE_PATH=/course/nn/ was previewed at / and every link and asset of it was broken.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { AstroIntegration } from "astro";

/** Where the record is kept (ignored by git, with the rest of `.astro/`). */
export const LAST_BUILD_FILE = resolve(".astro/last-build.json");

/** The last build's base path and output folder, or null when there was none. */
export function lastBuild(file = LAST_BUILD_FILE): { base: string; outDir: string } | null {
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

/** The integration: records each finished build for `npm run preview`. */
export default function recordBuild(file = LAST_BUILD_FILE): AstroIntegration {
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
