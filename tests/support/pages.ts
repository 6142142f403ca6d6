/**
 * The book's pages in Chromium, for the chapters' browser suites: one browser per test file,
 * opened before its tests and closed after them, and the few ways a test reaches a cell. A page
 * opened in a test closes when the test ends (unless it is kept for the next tests).
 */
import type { Browser, BrowserContext, BrowserContextOptions, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, inject, onTestFinished } from "vitest";
import { launchBrowser } from "./browser.ts";

/** How a page is opened: its viewport (1280 × 900 by default), theme, and touch. */
export interface OpenOptions {
  width?: number;
  height?: number;
  dark?: boolean;
  touch?: boolean;
  /** Keep the page open after the test that opened it, for the file's next tests. */
  keep?: boolean;
}

/**
 * Registers the file's browser (launched only when the built book and Chromium are there: the
 * suites that need them skip otherwise) and returns `open(path)`, which loads a page of the book
 * and waits for its cells. An uncaught error in a page fails the test that opened it.
 */
export function useBook(): ((path: string, options?: OpenOptions) => Promise<Page>) & {
  /**
   * A browser context of the file's browser (for pages opened by hand), closed when the test
   * that asked for it ends, unless `keep`, and with the browser at the latest.
   */
  context(options?: BrowserContextOptions, keep?: boolean): Promise<BrowserContext>;
} {
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    if (inject("siteUrl") && inject("chromium")) browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
  });
  const newContext = async (options: BrowserContextOptions = {}, keep = false) => {
    if (!browser) throw new Error("useBook: no browser (the built book or Chromium is missing)");
    const made = await browser.newContext(options);
    contexts.push(made);
    if (!keep) closeWithTest(made);
    return made;
  };
  const open = async (path: string, options: OpenOptions = {}) => {
    const context = await newContext(
      {
        viewport: { width: options.width ?? 1280, height: options.height ?? 900 },
        hasTouch: options.touch ?? false,
      },
      options.keep,
    );
    if (options.dark) {
      await context.addInitScript(() => localStorage.setItem("starlight-theme", "dark"));
    }
    const page = await context.newPage();
    page.on("pageerror", (error) => {
      throw new Error(`Uncaught error in the page: ${error.message}`);
    });
    await page.goto(`${inject("siteUrl")}${path}`);
    await page.waitForFunction(() => customElements.get("nb-cell") !== undefined);
    return page;
  };
  return Object.assign(open, { context: newContext });
}

/**
 * Closes `context` when the running test ends. A page left open goes on working while the next
 * tests run (a training a test started goes on for seconds of CPU, measured here: 4–6 s for
 * chapter 8's), on the cores those tests need. Outside a test (a beforeAll), nothing: the context
 * closes with the file's browser.
 */
function closeWithTest(context: BrowserContext): void {
  try {
    onTestFinished(() => context.close().catch(() => {}));
  } catch {
    // not inside a test
  }
}

/** Cell `id` of the page. */
export function cell(page: Page, id: string): Locator {
  return page.locator(`nb-cell[data-id="${id}"]`);
}

/** What cell `id` shows. */
export function output(page: Page, id: string): Locator {
  return cell(page, id).locator(".nb-output");
}

/** The text alternative of the first labelled SVG in a cell's output. */
export function label(page: Page, id: string): Promise<string | null> {
  return output(page, id).locator("svg[aria-label]").first().getAttribute("aria-label");
}

/** Opens the editor of cell `id` and replaces its code, as a reader would. */
export async function replaceCode(page: Page, id: string, code: string): Promise<void> {
  const edit = cell(page, id).getByRole("button", { name: "Edit", exact: true });
  if (await edit.count()) await edit.click();
  const editor = cell(page, id).locator(".cm-content");
  await editor.waitFor();
  await editor.focus();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.insertText(code);
}

/** Presses a key on the focused element `times` times. */
export async function press(page: Page, key: string, times: number): Promise<void> {
  for (let i = 0; i < times; i++) await page.keyboard.press(key);
}

/**
 * Drags `slider` with the pointer, as a reader would: presses at fraction `from` of its width and
 * moves to fraction `to` in `steps` moves, then lets go. Returns the value it ends on.
 */
export async function dragSlider(
  page: Page,
  slider: Locator,
  from: number,
  to: number,
  steps: number,
): Promise<number> {
  await slider.scrollIntoViewIfNeeded();
  const box = (await slider.boundingBox())!;
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width * from, y);
  await page.mouse.down();
  for (let step = 1; step <= steps; step++) {
    await page.mouse.move(box.x + box.width * (from + ((to - from) * step) / steps), y);
  }
  await page.mouse.up();
  return Number(await slider.inputValue());
}
