/**
 * Signals a browser test waits for instead of a fixed time: a page whose load-time work is laid
 * out, and a scroll that has ended.
 */
import type { Page } from "playwright-core";

/**
 * How long a page may take to show a frame, its fonts or the end of a scroll: a bound, not a wait
 * (each resolves as soon as its signal comes), so that a signal that never comes fails the test
 * with its name instead of holding it until the test's own time runs out.
 */
const SIGNAL_MS = 20_000;

/** Two animation frames: what was changed before them has been laid out and painted. */
export async function frames(page: Page, count = 2): Promise<void> {
  const drawn = await page.evaluate(
    ({ count, bound }) =>
      new Promise<boolean>((done) => {
        setTimeout(() => done(false), bound);
        let left = count;
        const next = () => (--left === 0 ? done(true) : requestAnimationFrame(next));
        requestAnimationFrame(next);
      }),
    { count, bound: SIGNAL_MS },
  );
  if (!drawn) {
    const state = await page.evaluate(() => document.visibilityState);
    throw new Error(`the page drew no ${count} frames in ${SIGNAL_MS / 1000} s (it is ${state})`);
  }
}

/**
 * Resolves once what the page's scripts do at load is on screen: its cells upgraded, its fonts
 * loaded, then two frames painted (call after `waitForLoadState`).
 */
export async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => document.querySelector("nb-cell:not(:defined)") === null);
  const loaded = await page.evaluate(
    (bound) => Promise.race([document.fonts.ready.then(() => true), new Promise<boolean>((done) => setTimeout(() => done(false), bound))]),
    SIGNAL_MS,
  );
  if (!loaded) throw new Error(`the page's fonts did not load in ${SIGNAL_MS / 1000} s`);
  await frames(page);
}

/** Turns the mouse wheel by `dy` and resolves when the page's scroll has ended (`scrollend`). */
export async function wheel(page: Page, dy: number): Promise<void> {
  const ended = page.evaluate(
    (bound) =>
      new Promise<{ ended: boolean; y: number }>((done) => {
        const y = scrollY;
        addEventListener("scrollend", () => done({ ended: true, y }), { once: true });
        setTimeout(() => done({ ended: false, y }), bound);
      }),
    SIGNAL_MS,
  );
  await page.mouse.wheel(0, dy);
  const { ended: scrolled, y } = await ended;
  if (!scrolled) {
    const now = await page.evaluate(() => scrollY);
    throw new Error(`a wheel of ${dy} px: no scroll ended in ${SIGNAL_MS / 1000} s (scrollY ${y} before, ${now} now)`);
  }
  await frames(page);
}
