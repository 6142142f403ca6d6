import { expect, inject, test } from "vitest";
import { useBook } from "../support/pages.ts";
import { describeChapters } from "../support/suites.ts";

// A chapter embedded in a course platform: `?embed` drops the book's chrome, `&section=` keeps one
// section, and the cells run inside the iframe as they do on the page.
const open = useBook();
const SLOW = { timeout: 30_000 };

describeChapters(["the-neuron"], ["site", "chromium"], "embedding a chapter", () => {
  test("a chapter in an iframe with ?embed shows no chrome, and its cells run there", async () => {
    const page = await (await open.context({ viewport: { width: 1000, height: 800 } })).newPage();
    const src = `${inject("siteUrl")}the-neuron/?embed`;
    await page.setContent(`<!doctype html><title>A course</title><iframe title="The neuron" src="${src}" width="900" height="700"></iframe>`);
    const frame = page.frameLocator("iframe");
    await frame.locator('nb-cell[data-id="neuron-output"]').waitFor();
    expect(await frame.locator("header.header").isVisible()).toBe(false);
    expect(await frame.locator("nav.sidebar").isVisible()).toBe(false);
    expect(await frame.locator(".right-sidebar-container").isVisible()).toBe(false);
    expect(await frame.locator("h1").isVisible()).toBe(true);
    // the content starts at the frame's top left: no room kept for the header or sidebar
    const box = await frame.locator("h1").boundingBox();
    expect(box!.y).toBeLessThan(120);
    expect(box!.x).toBeLessThan(80);
    const cell = frame.locator('nb-cell[data-id="neuron-output"]');
    await cell.getByRole("button", { name: "Run", exact: true }).click();
    await expect.poll(() => cell.locator(".nb-status").textContent(), SLOW).toMatch(/^Ran in /);
    await page.context().close();
  });

  test("?embed&section=<heading> shows that section only", async () => {
    const page = await (await open.context()).newPage();
    await page.goto(`${inject("siteUrl")}the-neuron/?embed&section=many-inputs-one-sum`);
    await page.waitForFunction(() => customElements.get("nb-cell") !== undefined);
    expect(await page.locator("#many-inputs-one-sum").isVisible()).toBe(true);
    expect(await page.locator("#one-input-one-weight").isVisible()).toBe(false);
    expect(await page.locator("#move-the-inputs-and-weights").isVisible()).toBe(false);
    expect(await page.locator(".chapter-objectives").isVisible()).toBe(false);
    // without ?embed the same page has its chrome
    await page.goto(`${inject("siteUrl")}the-neuron/`);
    expect(await page.locator("header.header").isVisible()).toBe(true);
    expect(await page.locator("#one-input-one-weight").isVisible()).toBe(true);
    await page.context().close();
  });
});
