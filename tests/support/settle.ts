/**
 * Signals a browser test waits for instead of a fixed time: a page whose load-time work is laid
 * out, and a scroll that has ended.
 */
import type { Page } from "playwright-core";

/** Two animation frames: what was changed before them has been laid out and painted. */
export async function frames(page: Page, count = 2): Promise<void> {
  await page.evaluate(async (count) => {
    for (let i = 0; i < count; i++) await new Promise((done) => requestAnimationFrame(done));
  }, count);
}

/**
 * Resolves once what the page's scripts do at load is on screen: its cells upgraded, its fonts
 * loaded, then two frames painted (call after `waitForLoadState`).
 */
export async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => document.querySelector("nb-cell:not(:defined)") === null);
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await frames(page);
}

/** Turns the mouse wheel by `dy` and resolves when the page's scroll has ended (`scrollend`). */
export async function wheel(page: Page, dy: number): Promise<void> {
  const ended = page.evaluate(
    () => new Promise<void>((done) => addEventListener("scrollend", () => done(), { once: true })),
  );
  await page.mouse.wheel(0, dy);
  await ended;
  await frames(page);
}
