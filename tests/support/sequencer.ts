/**
 * The order the test files start in. Vitest starts the files that took longest in the last run on
 * this machine first (its cache, in node_modules/.vite), and on a clean clone, which has no such
 * cache (CI's), the largest files first. File size says little here: a short file that loads every
 * page of the book takes minutes, and with three workers a long file started last makes the run's
 * tail. So on a clean clone the files below start first, slowest first; then the others, largest
 * first. The durations reporter (durations.ts) names a file that takes over SLOW_FILE_S and is
 * missing here.
 */
import { relative } from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/** Seconds each long file's tests took in CI (three workers, two busy cores), the slowest first. */
export const SLOWEST: Record<string, number> = {
  "tests/e2e/budgets-laptop.test.ts": 115,
  "tests/e2e/cells.test.ts": 80,
  "tests/e2e/hostile.test.ts": 77,
  "tests/site/build.test.ts": 73,
  "tests/e2e/chapters-8-9.test.ts": 58,
  "tests/e2e/exercises.test.ts": 57,
  "tests/e2e/firefox.test.ts": 55,
  "tests/e2e/chapters-6-7.test.ts": 37,
  "tests/e2e/figure-in-view.test.ts": 35,
  "tests/e2e/budgets-phone.test.ts": 35,
  "tests/e2e/chapters-3-5.test.ts": 25,
  "tests/e2e/editor.test.ts": 17,
  "tests/e2e/chapters-0-2.test.ts": 16,
};
/** A file whose tests take longer than this (seconds) belongs in SLOWEST. */
export const SLOW_FILE_S = 15;

export default class SlowestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    // with the timings of a last run, Vitest's own order is the better one
    if (files.every((spec) => this.ctx.cache.getTestSpecificationResult(spec))) return sorted;
    const expected = (spec: TestSpecification) => SLOWEST[relative(spec.project.config.root, spec.moduleId)] ?? 0;
    // Vitest's order keeps the groups and the projects together: within each, the slowest first
    // (a stable sort: the files not listed keep Vitest's order, after those listed)
    const runs: TestSpecification[][] = [];
    for (const spec of sorted) {
      const last = runs.at(-1)?.[0];
      if (last && last.project === spec.project) runs.at(-1)!.push(spec);
      else runs.push([spec]);
    }
    return runs.flatMap((run) => run.sort((a, b) => expected(b) - expected(a)));
  }
}
