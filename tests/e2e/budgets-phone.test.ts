// The budgets of every page on a phone, in Chromium (tests/support/budgets.ts measures each page
// once, and resizes it to 390 px once it settled): the page loads with no error, does not jump
// while it loads, keeps its figures' text legible and reads without sideways scrolling at 390 px;
// a link to a heading lands on it. The laptop's budgets: budgets-laptop.test.ts.
import { expect, test } from "vitest";
import { PAGE_TEST, budgetPages, headingLinkTest, shiftTest, usePageMeasurements } from "../support/budgets.ts";
import { describeNeeding } from "../support/suites.ts";

describeNeeding(["site", "chromium"], "page budgets on a phone", () => {
  const measurements = usePageMeasurements("phone");

  test.each(budgetPages)("%s loads on a phone with no console error, uncaught exception or failed load", async (path) => {
    expect((await measurements(path)).problems).toEqual([]);
  }, PAGE_TEST);

  shiftTest("a phone", measurements);

  test.each(budgetPages)("%s keeps figure text legible on a 390px phone", async (path) => {
    expect((await measurements(path)).smallText).toEqual([]);
  }, PAGE_TEST);

  test.each(budgetPages)("%s reads at 390 px without sideways scrolling", async (path) => {
    expect((await measurements(path)).overflow, "the page scrolls sideways at 390px").toBeLessThanOrEqual(1);
  }, PAGE_TEST);

  headingLinkTest("a phone", 390, true, measurements.browser);
});
