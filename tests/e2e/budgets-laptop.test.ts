// The budgets of every page on a laptop, in Chromium (tests/support/budgets.ts measures each page
// once): the page opens cleanly and passes axe in the light and the dark theme, does not jump
// while it loads, and sends little JavaScript before the reader interacts; a link to a heading
// lands on it. The phone's budgets: budgets-phone.test.ts.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { expect, inject, test } from "vitest";
import {
  MAX_SCRIPT_KB,
  PAGE_TEST,
  budgetPages,
  headingLinkTest,
  shiftTest,
  usePageMeasurements,
} from "../support/budgets.ts";
import { SITE_DIR } from "../support/site.ts";
import { describeNeeding } from "../support/suites.ts";

describeNeeding(["site", "chromium"], "page budgets on a laptop", () => {
  const measurements = usePageMeasurements("laptop");

  test.each(budgetPages)("%s opens cleanly and passes axe in the light theme, then in the dark", async (path) => {
    const { axe, problems } = await measurements(path);
    expect(axe!.light, "light theme").toEqual([]);
    expect(axe!.dark, "dark theme").toEqual([]);
    expect(problems).toEqual([]);
  }, PAGE_TEST);

  shiftTest("a laptop", measurements);

  test.each(budgetPages)("%s sends little JavaScript before the reader interacts", async (path) => {
    // (the scripts asked for until the page settled, the reader idle)
    const { scripts } = await measurements(path);
    // what a static host would send: each file gzipped (inline scripts count with the page)
    const base = new URL(inject("siteUrl")).pathname;
    const bytes = scripts
      .map((p) => readFileSync(join(SITE_DIR, p.slice(base.length))))
      .reduce((sum, file) => sum + gzipSync(file, { level: 9 }).length, 0);
    expect(scripts.length).toBeGreaterThan(0);
    expect(bytes / 1024, `scripts: ${scripts.join(", ")}`).toBeLessThanOrEqual(MAX_SCRIPT_KB);
  }, PAGE_TEST);

  headingLinkTest("a laptop", 1280, false, measurements.browser);
});
