import { globSync, readFileSync } from "node:fs";
import { defineConfig } from "vitest/config";
import SlowestFirst from "./tests/support/sequencer.ts";

/**
 * Four projects. "unit" and "unit-isolated": the engine, the notebook core, compile and the
 * schema, in Node, with no build and no browser; "charts": the charts' tests, likewise
 * (`npm run test:unit` runs these three, well under a minute). "book": what needs the built book
 * or Chromium; its global setup builds the site once and serves it. `npm test` runs all four: the
 * first three while the book builds.
 */
const UNIT = [
  "tests/engine/**/*.test.ts",
  "tests/notebook/**/*.test.ts",
  "tests/charts/**/*.test.ts",
  "tests/course/**/*.test.ts",
  "tests/site/hand-typed-references.test.ts",
  "tests/site/content-cache.test.ts",
  "tests/site/mathml.test.ts",
  "tests/site/chapter-schema.test.ts",
  "tests/site/chapters-present.test.ts",
  "tests/site/new-chapter.test.ts",
  "tests/e2e/cells-units.test.ts",
  "tests/**/schema*.test.ts",
];
/** Files under UNIT's folders that drive Chromium (in part), so belong to "book". */
const NEEDS_BROWSER = [
  "tests/engine/backend-browser.test.ts",
  "tests/engine/digits.test.ts",
  "tests/notebook/sanitize-browser.test.ts",
];
const unitFiles = globSync(UNIT).filter((file) => !NEEDS_BROWSER.includes(file));
/**
 * The unit files share one module graph per worker (isolate: false): importing the engine, the
 * notebook core, Plot and jsdom again for every file cost more CPU than their tests (measured:
 * 33 s of CPU isolated, 19 s shared), and the unit files run while the book builds, on the same
 * two cores. A file that replaces what other files import (vi.mock, a spy, a stubbed global, fake
 * timers, the engine's backend) gets a module graph of its own: it is found by what it calls.
 */
const CHANGES_SHARED_STATE = /\bvi\.(mock|doMock|spyOn|stubGlobal|stubEnv|useFakeTimers)\(|\bsetBackend\(/;
const isolatedUnitFiles = unitFiles.filter((file) => CHANGES_SHARED_STATE.test(readFileSync(file, "utf8")));
/**
 * The charts are pure functions of their data: their files share one module graph per worker
 * (isolate: false), as importing Plot and the charts again for each file cost three times the
 * CPU of their tests (measured: 17 s of CPU isolated, 6 s shared).
 */
const chartFiles = globSync("tests/charts/**/*.test.ts");

export default defineConfig({
  test: {
    testTimeout: 60_000,
    // expect.poll asks every 100 ms, not every 50: each ask is a round trip to the browser, and
    // with three files at once the asking itself took CPU from what it waited for (measured on
    // the cells and chapters 8-9 files: 129 s of CPU at 50 ms, 115 s at 200 ms; at 200 ms a test
    // once saw a training end before it pressed Pause)
    expect: { poll: { interval: 100 } },
    hookTimeout: 240_000,
    // Two cores: the unit files use them while the book builds (the book's files: below).
    maxWorkers: 2,
    // the default report, then each file's time, slowest first (tests/support/durations.ts)
    reporters: ["default", "./tests/support/durations.ts"],
    // on a clean clone (CI), the files known to be long start first (tests/support/sequencer.ts)
    sequence: { sequencer: SlowestFirst },
    projects: [
      // First, while the book builds: the build is mostly one core's work, these use the other.
      {
        extends: true,
        test: {
          name: "unit",
          include: unitFiles,
          exclude: [...chartFiles, ...isolatedUnitFiles],
          isolate: false,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: { name: "unit-isolated", include: isolatedUnitFiles, exclude: chartFiles, sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: { name: "charts", include: chartFiles, isolate: false, sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: {
          name: "book",
          include: ["tests/**/*.test.ts"],
          exclude: [...unitFiles, ...chartFiles],
          // Starts the site's build (under a sub-path, as an instructor would host it) and serves
          // it; each file waits for the build to end (tests/support/book-build.ts).
          globalSetup: ["tests/support/global-setup.ts"],
          setupFiles: ["tests/support/wait-for-build.ts"],
          sequence: { groupOrder: 1 },
          // Three at once: with two, the cores stood idle 13% of the time while tests waited on a
          // browser, a timer or the kernel (measured: 640 s of CPU over 372 s); with three, the
          // book's files took 325 s instead of 366–372. Four made the timing tests flaky.
          maxWorkers: 3,
          // A worker runs its files one after another in one module graph (isolate: false), as
          // the unit files do: a fresh process and imports per file cost about 0.65 s of CPU
          // (measured on ten of these files: 38–40 s of CPU isolated, 32–33 s shared). Each file
          // launches and closes its own browser; none replaces a module another imports.
          isolate: false,
        },
      },
    ],
  },
});
