import { mkdirSync } from "node:fs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { launchBrowser, watchProblems } from "../support/browser.ts";
import { allPages, pages } from "../support/chapters.ts";
import { describeNeeding } from "../support/suites.ts";

const siteUrl = inject("siteUrl");
const SHOTS = process.env.SCREENSHOTS === "1" ? "test-output/screenshots" : null;


// Time bounds for a loaded two-core machine, shared with other builds: generous on purpose.
const PAGE_TEST = 300_000;
const WAIT = 60_000;

/** Opens a page and records console errors, page errors, failed loads and other hosts asked. */
async function open(context: BrowserContext, path: string) {
  const page = await context.newPage();
  const problems = watchProblems(page, new URL(siteUrl).origin);
  await page.goto(siteUrl + path, { waitUntil: "networkidle", timeout: WAIT });
  // a narrow screen lays the content out lazily once the reader scrolls: scroll, and wait until
  // it is all there (or a full-page screenshot shows blank blocks)
  await page.mouse.wheel(0, 1);
  await page.waitForFunction(() => document.documentElement.dataset.laidOut === "all", null, {
    timeout: WAIT,
  });
  return { page, problems };
}

/**
 * A full-page screenshot into test-output/screenshots/ when SCREENSHOTS=1 (`npm run screenshots`):
 * pictures for people to look at, which no test reads, so `npm test` does not spend its time on them.
 */
async function screenshot(page: Page, path: string, what: string) {
  if (!SHOTS) return;
  const name = path.replace(/\/$/, "") || "index";
  await page.screenshot({ path: `${SHOTS}/${name}-${what}.png`, fullPage: true });
}

describeNeeding(["site", "chromium"], "every page in Chromium", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
    if (SHOTS) mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => browser?.close());

  // Every page is checked with axe, in the light and the dark theme, on the laptop load that
  // budgets-laptop.test.ts measures (one load a page for both). Only under `npm run screenshots`: the
  // pictures of each page at 1280 px, light then dark, as a reader switches (the system's colour
  // scheme changes; Starlight follows it on the open page).
  if (SHOTS) test.each(allPages())("%s at 1280 px in the light and the dark theme, for its screenshots", async (path) => {
    const context = await browser.newContext({ colorScheme: "light", viewport: { width: 1280, height: 900 } });
    try {
      const { page, problems } = await open(context, path);
      for (const theme of ["light", "dark"] as const) {
        await page.emulateMedia({ colorScheme: theme });
        await page.waitForFunction((theme) => document.documentElement.dataset.theme === theme, theme, { timeout: WAIT });
        await screenshot(page, path, `${theme}-desktop`);
      }
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  }, PAGE_TEST);

  // Only under `npm run screenshots` too (whether a page scrolls sideways at 390 px is a budget:
  // budgets-phone.test.ts); neither is defined otherwise, so that a run of the suite skips nothing.
  if (SHOTS) test.each(allPages())("%s at phone width, for its screenshot", async (path) => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 1,
      isMobile: true,
      hasTouch: true,
    });
    try {
      const { page } = await open(context, path);
      await screenshot(page, path, "light-phone");
    } finally {
      await context.close();
    }
  }, PAGE_TEST);

  test("the mobile menu opens and lists the chapters", async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    try {
      const { page } = await open(context, pages()[1]);
      await page.getByRole("button", { name: "Menu" }).click();
      const links = page.locator("nav.sidebar a[aria-current], nav.sidebar a");
      await expect.poll(() => links.first().isVisible(), { timeout: WAIT }).toBe(true);
      expect(await links.count()).toBe(allPages().length - 1);
    } finally {
      await context.close();
    }
  }, PAGE_TEST);

  test("the table of contents follows the section being read, wide and on a phone", async () => {
    for (const width of [1280, 390]) {
      const context = await browser.newContext({ viewport: { width, height: 844 } });
      try {
        const { page, problems } = await open(context, pages()[3]);
        const toc = page.locator(`book-toc${width < 800 ? "[data-mobile]" : ":not([data-mobile])"}`);
        const current = toc.locator("a[aria-current='true']");
        await expect.poll(() => current.textContent(), { timeout: WAIT }).toBe("Overview");
        // a jump carries several headings from below the screen to above the top bar at once
        const headings = await page.locator(".sl-markdown-content h2[id]").evaluateAll((hs) =>
          hs.map((h) => ({ id: h.id, text: h.textContent!.trim() })),
        );
        const [third, fourth] = [headings[2], headings[3]];
        await page.evaluate((id) => document.getElementById(id)!.scrollIntoView({ behavior: "instant" }), fourth.id);
        await expect.poll(() => current.textContent(), { timeout: WAIT }).toBe(fourth.text);
        // back above that heading: the section before it is the one being read
        await page.evaluate(() => scrollBy({ top: -innerHeight / 2, behavior: "instant" }));
        await expect.poll(() => current.textContent(), { timeout: WAIT }).not.toBe(fourth.text);
        const before = headings.slice(0, 3).map((h) => h.text);
        expect(before).toContain(await current.textContent());
        if (width < 800) {
          // the bar names the section; choosing a link closes the list and goes there
          const bar = toc.locator("[data-current]");
          expect(await bar.textContent()).toBe(await current.textContent());
          await toc.locator("summary").click();
          await toc.getByRole("link", { name: third.text, exact: true }).click();
          await expect.poll(() => toc.locator("details").evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
          await expect.poll(() => bar.textContent(), { timeout: WAIT }).toBe(third.text);
          // Escape closes it too, and gives the focus back to the bar
          await toc.locator("summary").click();
          await page.keyboard.press("Escape");
          expect(await toc.locator("details").evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
          expect(await page.evaluate(() => document.activeElement?.id)).toBe("starlight__on-this-page--mobile");
        }
        expect(problems).toEqual([]);
      } finally {
        await context.close();
      }
    }
  }, PAGE_TEST);

  test("search finds a chapter by a word of its text", async () => {
    const context = await browser.newContext();
    try {
      const { page, problems } = await open(context, "");
      await page.getByRole("button", { name: "Search" }).click();
      const input = page.locator("dialog .pagefind-ui__search-input");
      await input.waitFor({ timeout: WAIT });
      await input.fill("backpropagation");
      const result = page.locator(".pagefind-ui__result-link").first();
      await result.waitFor({ timeout: WAIT });
      const href = (await result.getAttribute("href"))!;
      expect(href).toContain(new URL(siteUrl).pathname);
      const title = (await result.textContent())!.trim();
      await result.click();
      await page.waitForURL((url) => href.startsWith(url.pathname), { timeout: WAIT });
      await page.waitForLoadState("networkidle");
      // the chapter the result named, not just any page with a heading
      expect(await page.locator("h1").textContent()).toBe(title);
      expect(title).toBe("Error and backpropagation");
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  }, PAGE_TEST);
});
