// A chapter file renamed between two builds: the content cache is forgotten, so the second build
// does not import the old file (src/content-cache.ts). No build here: the files only.
import { existsSync, mkdirSync, mkdtempSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { forgetStaleContent } from "../../src/content-cache.ts";

describe("forgetStaleContent", () => {
  test("forgetStaleContent() forgets the data store when a chapter file was renamed, and only then", () => {
    const root = mkdtempSync(join(tmpdir(), "content-cache-"));
    const [content, cache] = [join(root, "content"), join(root, "cache")];
    mkdirSync(join(content, "reference"), { recursive: true });
    writeFileSync(join(content, "07-gradient-descent.mdx"), "");
    writeFileSync(join(content, "reference", "2-glossary.mdx"), "");
    const store = join(cache, "data-store.json");
    expect(forgetStaleContent(content, cache)).toBe(false); // the first build: nothing to compare
    writeFileSync(store, "{}");
    expect(forgetStaleContent(content, cache)).toBe(false); // the same files: the cache stays
    expect(existsSync(store)).toBe(true);
    renameSync(join(content, "07-gradient-descent.mdx"), join(content, "07.5-gradient-descent.mdx"));
    expect(forgetStaleContent(content, cache)).toBe(true);
    expect(existsSync(store)).toBe(false);
  });
});
