/**
 * Astro's content cache (its data store) remembers each page by its file. When a chapter file is
 * renamed, the next `astro build` still imports the old file and fails ("failed to resolve import
 * astro:content-layer-deferred-module?…fileName=content/09-….mdx"); the build after it works.
 * Before a build, this compares the content folder's file names with those of the last build and,
 * when they differ, forgets the data store, so the build reads the chapters afresh.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? files(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

/** Forgets the data store in `cacheDir` when the files of `contentDir` changed; says whether it did. */
export function forgetStaleContent(contentDir: string, cacheDir: string): boolean {
  const names = files(contentDir)
    .map((file) => relative(contentDir, file))
    .sort()
    .join("\n");
  const record = join(cacheDir, "content-files.txt");
  const known = existsSync(record) ? readFileSync(record, "utf8") : null;
  const stale = known !== null && known !== names;
  if (stale) rmSync(join(cacheDir, "data-store.json"), { force: true });
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(record, names);
  return stale;
}
