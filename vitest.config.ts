import { globSync } from "node:fs";
import { defineConfig } from "vitest/config";

/**
 * Two projects. "unit": the engine, the notebook core, the charts, compile and the schema, in
 * Node, with no build and no browser (`npm run test:unit`, well under a minute). "book": what
 * needs the built book or Chromium; its global setup builds the site once and serves it. `npm
 * test` runs both.
 */
const UNIT = [
  "tests/engine/**/*.test.ts",
  "tests/notebook/**/*.test.ts",
  "tests/charts/**/*.test.ts",
  "tests/course/**/*.test.ts",
  "tests/site/hand-typed-references.test.ts",
  "tests/site/content-cache.test.ts",
  "tests/site/mathml.test.ts",
  "tests/**/schema*.test.ts",
];
/** Files under UNIT's folders that drive Chromium (in part), so belong to "book". */
const NEEDS_BROWSER = [
  "tests/engine/backend-browser.test.ts",
  "tests/engine/digits.test.ts",
  "tests/notebook/sanitize-browser.test.ts",
];
const unitFiles = globSync(UNIT).filter((file) => !NEEDS_BROWSER.includes(file));

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 240_000,
    // Two cores: browser tests and training tests compete for them.
    maxWorkers: 2,
    reporters: ["default"],
    projects: [
      { extends: true, test: { name: "unit", include: unitFiles } },
      {
        extends: true,
        test: {
          name: "book",
          include: ["tests/**/*.test.ts"],
          exclude: unitFiles,
          // Builds the site once (under a sub-path, as an instructor would host it) and serves it.
          globalSetup: ["tests/support/global-setup.ts"],
        },
      },
    ],
  },
});
