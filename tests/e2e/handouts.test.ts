// Handouts: a chapter printed (Chromium's print media, as "Save as PDF" uses) keeps what a reader
// on paper needs and drops what only works on screen (src/styles/handouts.css).
import { expect, test } from "vitest";
import { useBook } from "../support/pages.ts";
import { describeChapters } from "../support/suites.ts";

const open = useBook();

describeChapters(["the-neuron"], ["site", "chromium"], "handouts", () => {
  test("a printed chapter: names with their code, no 'Show the code', values of controls, an exercise's task and starter without its screen parts", async () => {
    const page = await open("the-neuron/");
    await page.emulateMedia({ media: "print" });
    const shown = (selector: string) => page.locator(selector).first().isVisible();
    // a cell's name stays with its code
    expect(await page.locator("nb-cell .nb-head").first().evaluate((e) => getComputedStyle(e).breakAfter)).toBe("avoid");
    // a slider prints as its number, not as a track
    expect(await shown('.nb-output input[type="range"]')).toBe(false);
    expect(await shown('.nb-output input[type="number"]')).toBe(true);
    // an exercise: its title, task and starter code; no buttons, hints, solution or verdict
    expect(await shown(".nn-exercise__title")).toBe(true);
    expect(await page.locator(".nn-exercise nb-cell:not(.nb-cell--check) .expressive-code").first().isVisible()).toBe(true);
    for (const screenOnly of [".nn-exercise__check", ".nn-hint", ".nn-exercise__solution", ".nb-cell--check", ".nb-toolbar"]) {
      expect(await shown(screenOnly), screenOnly).toBe(false);
    }
    // and it makes a PDF
    const pdf = await page.pdf({ format: "A4" });
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    await page.context().close();
  });
});
