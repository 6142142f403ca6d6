import { expect, inject, test } from "vitest";
import type { Page } from "playwright-core";
import { exercisesOfFile } from "../../src/notebook/node-host.ts";
import type { ExerciseInfo } from "../../src/notebook/remark-exercises.ts";
import { chapters } from "../support/chapters.ts";
import { cell, replaceCode, useBook } from "../support/pages.ts";
import { describeNeeding } from "../support/suites.ts";

// Every exercise of every chapter the book has, done as a student would in Chromium: the starter
// code gets a "Not yet", a foreseen mistake the message written for it, the solution "Solved"
// (and a mark in the sidebar), and after a reload the saved answer is checked again before the
// exercise says "Solved". The exercises are read from the chapters' sources, so a fork's own
// exercises are tested the same way.
const found: { slug: string; exercise: ExerciseInfo }[] = [];
for (const { file, slug } of chapters()) {
  for (const exercise of await exercisesOfFile(`content/${file}`)) found.push({ slug, exercise });
}
console.info(`exercises: ${found.length} in ${new Set(found.map((f) => f.slug)).size} chapters of this edition`);

/** The first run starts the kernel worker; a training check can take seconds on two cores. */
const SLOW = { timeout: 60_000 };

const open = useBook();

const region = (page: Page, e: ExerciseInfo) => page.getByRole("region", { name: new RegExp(`^Exercise ${e.number.replace(".", "\\.")}: `) });
const state = (page: Page, e: ExerciseInfo) => region(page, e).locator(".nn-exercise__state");
const verdict = (page: Page, e: ExerciseInfo) => cell(page, e.checkId).locator(".nb-output");

async function answer(page: Page, e: ExerciseInfo, code: string): Promise<void> {
  await replaceCode(page, e.cellId, code);
  await page.keyboard.press("Shift+Enter");
}

describeNeeding(["site", "chromium"], "exercises", () => {
  test("every chapter has an exercise", () => {
    const without = chapters()
      .map(({ slug }) => slug)
      .filter((slug) => !found.some((f) => f.slug === slug));
    expect(without).toEqual([]);
  });

  test.each(found.map((f) => [`${f.exercise.number} ${f.exercise.id}`, f] as const))(
    "exercise %s: not yet, the mistake's message, solved, and solved again after a reload",
    async (_, { slug, exercise }) => {
      const page = await open(`${slug}/`);
      const box = region(page, exercise);
      await expect.poll(() => box.count()).toBe(1);
      // the starter's verdict, from the build
      expect(await verdict(page, exercise).textContent()).toMatch(/^Not yet/);
      expect(await state(page, exercise).textContent()).toContain("Not solved yet");
      // a foreseen mistake gets the words its author wrote for it
      const [mistake] = exercise.mistakes;
      expect(mistake, `exercise ${exercise.number} needs a \`\`\`ts wrong fence`).toBeDefined();
      await answer(page, exercise, mistake.source);
      await expect.poll(async () => (await verdict(page, exercise).textContent())?.toLowerCase(), SLOW).toContain(mistake.expect.toLowerCase());
      expect(await state(page, exercise).getAttribute("data-state")).toBe("failed");
      // the solution passes
      await answer(page, exercise, exercise.solution);
      await expect.poll(() => state(page, exercise).getAttribute("data-state"), SLOW).toBe("solved");
      expect(await verdict(page, exercise).textContent()).toMatch(/^Solved\./);
      const mark = page.locator(`nav a[href$="/${slug}/"] .nb-progress-mark`);
      await expect.poll(() => mark.getAttribute("aria-label")).toMatch(/exercises? solved/);
      // on coming back the saved answer is run again before the exercise says "Solved" (a fresh
      // visit, not a reload: a reload restores the scroll, and the exercise, in view, would be
      // checked again before the test could see it was not taken on trust)
      await page.goto(page.url());
      await page.waitForFunction(() => customElements.get("nb-exercise") !== undefined);
      const first = await state(page, exercise).textContent();
      expect(first).not.toMatch(/^\W*Solved$/);
      await region(page, exercise).scrollIntoViewIfNeeded();
      await expect.poll(() => state(page, exercise).getAttribute("data-state"), SLOW).toBe("solved");
      expect(await verdict(page, exercise).textContent()).toMatch(/^Solved\./);
      await page.context().close();
    },
  );
});

describeNeeding(["site", "chromium"], "the progress page", () => {
  test("lists every chapter, marks what the browser keeps, exports, imports by merging after a confirmation, and forgets only when asked twice", async () => {
    // a page without cells: opened by hand (open() waits for the cells' element)
    const page = await (await open.context()).newPage();
    await page.goto(`${inject("siteUrl")}reference/your-progress/`);
    await page.waitForFunction(() => customElements.get("nb-progress-page") !== undefined);
    const key = await page.evaluate(() => `nb:progress:v1:${new URL(document.baseURI).pathname.replace(/reference\/your-progress\/$/, "")}`);
    const chapterCount = chapters().length;
    expect(await page.locator("li[data-chapter]").count()).toBe(chapterCount);
    expect(await page.locator("li[data-exercise]").count()).toBe(found.length);
    await page.evaluate(
      ([k, slug, ex]) =>
        localStorage.setItem(k, JSON.stringify({ version: 1, chapters: { [slug]: { read: "2026-01-02T00:00:00.000Z" } }, exercises: { [ex]: { solved: "2026-01-03T00:00:00.000Z" } } })),
      [key, found[0].slug, `${found[0].slug}/${found[0].exercise.id}`],
    );
    await page.reload();
    const summary = page.locator(".nn-progress__summary");
    await expect.poll(() => summary.textContent()).toBe(`You have read 1 of ${chapterCount} chapters and solved 1 of ${found.length} exercises.`);
    expect(await page.locator(`li[data-exercise="${found[0].slug}/${found[0].exercise.id}"]`).getAttribute("data-solved")).toBe("true");
    // the sidebar carries the marks too
    await expect.poll(() => page.locator(`nav.sidebar a[href$="/${found[0].slug}/"] .nb-progress-mark`).getAttribute("aria-label")).toMatch(/^\(read, 1 of \d+ exercises? solved\)$/);
    // export
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export to a file" }).click()]);
    const exported = JSON.parse(await (await download.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString("utf8")));
    expect(exported.exercises).toEqual({ [`${found[0].slug}/${found[0].exercise.id}`]: { solved: "2026-01-03T00:00:00.000Z" } });
    // import: a damaged file is refused; a good one is shown, then merged only on "Add them"
    const input = page.getByLabel("Import from a file");
    await input.setInputFiles({ name: "bad.json", mimeType: "application/json", buffer: Buffer.from("{not json") });
    await expect.poll(() => page.locator(".nn-progress__notice").textContent()).toBe("Nothing was imported: it is not JSON.");
    const other = chapters().at(-1)!.slug;
    const file = { version: 1, chapters: { [other]: { read: "2026-02-01T00:00:00.000Z" }, "Bad Slug": { read: 3 } }, exercises: {} };
    await input.setInputFiles({ name: "p.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(file)) });
    await expect.poll(() => page.locator(".nn-progress__notice").textContent()).toContain(
      "That file adds 1 chapter read and 0 exercises solved to your progress here (1 entry in it could not be read and will be left out). Nothing here will be removed.",
    );
    expect(await summary.textContent()).toContain("You have read 1 of");
    await page.getByRole("button", { name: "Add them" }).click();
    await expect.poll(() => summary.textContent()).toContain("You have read 2 of");
    expect(await summary.textContent()).toContain("solved 1 of");
    // forget: asks first
    await page.getByRole("button", { name: "Forget my progress…" }).click();
    expect(await summary.textContent()).toContain("You have read 2 of");
    await page.getByRole("button", { name: "Yes, forget my progress" }).click();
    await expect.poll(() => summary.textContent()).toContain("You have read 0 of");
    await page.context().close();
  });
});
