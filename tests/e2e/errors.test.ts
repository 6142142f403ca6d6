import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "vitest";
import { cell, output, replaceCode, useBook } from "../support/pages.ts";
import { describeChapters } from "../support/suites.ts";

// Errors where the mistake is, on the built book. Chapter 0: `spiral-rule` declares the reader's
// `rule`; `spiral-rule-score` calls it for every point (its line 5: `(p) => (rule(p.x1, p.x2) …`).
// A typo inside `rule` makes `spiral-rule` run fine and `spiral-rule-score` fail: the error must
// name `spiral-rule` and the line of the typo, and link there.
const CHAPTER = "why-learn-from-data/";

/** The first Run starts the kernel worker: on a busy two-core machine that can take seconds. */
const SLOW = { timeout: 60_000 };

const book = useBook();

describeChapters([CHAPTER], ["site", "chromium"], "errors name the cell where the mistake is", () => {
  test("a typo inside spiral-rule is shown in spiral-rule-score as spiral-rule's line, with a link there", async () => {
    // A short window, so that the two cells are not both in view.
    const page = await book(CHAPTER, { width: 1024, height: 480 });
    await replaceCode(
      page,
      "spiral-rule",
      "function rule(x1: number, x2: number): number {\n  return Math.hypt(x1, x2) < 0.5 ? 1 : 0;\n}",
    );
    await page.keyboard.press("Shift+Enter");
    const error = output(page, "spiral-rule-score").locator(".nb-error");
    await expect.poll(() => error.count(), SLOW).toBe(1);
    const text = (await error.textContent()) ?? "";
    expect(text).toContain(
      "TypeError in rule, declared in cell spiral-rule, line 2 (called from this cell, line 5): " +
        "Math.hypt is not a function",
    );
    // Both lines, each with its caret: the typo's, and the call's.
    const snippets = await error.locator("pre").allTextContents();
    expect(snippets[0]).toMatch(/^spiral-rule:2 \| {3}return Math\.hypt\(x1, x2\) < 0\.5 \? 1 : 0;\n {3,}\^$/);
    expect(snippets[1]).toMatch(/^5 \| .*rule\(p\.x1, p\.x2\)/);
    // The cell that declared the function ran; its status says so, and the caller's names it.
    await expect.poll(() => cell(page, "spiral-rule").locator(".nb-status").textContent(), SLOW).toMatch(/^Ran in/);
    expect(await cell(page, "spiral-rule-score").locator(".nb-status").textContent()).toBe(
      "Failed: Math.hypt is not a function, in rule, declared in cell spiral-rule, line 2 " +
        "(called from this cell, line 5)",
    );

    // The link, made by the page, brings the reader to spiral-rule's code, from the keyboard.
    const link = error.getByRole("link", { name: "Go to cell spiral-rule, line 2" });
    expect(await link.getAttribute("href")).toBe("#cell-spiral-rule");
    await link.evaluate((node) => node.scrollIntoView({ block: "start" }));
    const top = () => cell(page, "spiral-rule").evaluate((node) => node.getBoundingClientRect().top);
    expect(await top()).toBeLessThan(0);
    await link.focus();
    await page.keyboard.press("Enter");
    await expect.poll(top, SLOW).toBeGreaterThanOrEqual(0);
    expect(await top()).toBeLessThan(480);
    const focusIn = await page.evaluate(
      () => document.activeElement?.closest("nb-cell")?.getAttribute("data-id") ?? null,
    );
    expect(focusIn).toBe("spiral-rule");
    expect(await page.evaluate(() => document.activeElement?.classList.contains("cm-content"))).toBe(true);
    // The address is unchanged (a share link lives there).
    expect(new URL(page.url()).hash).toBe("");

    // Run the caller again: the same error, kept in place, and still one link to it.
    const ranAgain = cell(page, "spiral-rule-score").evaluate(
      (node) =>
        new Promise<void>((done) => {
          let busy = false;
          new MutationObserver(() => {
            if (node.getAttribute("aria-busy") === "true") busy = true;
            else if (busy) done();
          }).observe(node, { attributes: true, attributeFilter: ["aria-busy"] });
        }),
    );
    await cell(page, "spiral-rule-score").getByRole("button", { name: "Run" }).click();
    await ranAgain;
    expect(await error.getByRole("link").count()).toBe(1);

    const { violations } = await new AxeBuilder({ page }).include("#cell-spiral-rule-score").analyze();
    expect(violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  });
});
