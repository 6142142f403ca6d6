import { chromium, type Browser, type Page } from "playwright-core";
import { findChromium, missing, skipLine } from "./skip.ts";

/** Chromium from CHROME_PATH or Debian's package; the skip line's words when there is none. */
export function chromePath(): string {
  const found = findChromium();
  if (!found) {
    const why = missing("chromium") ?? "no Chromium found";
    throw new Error(skipLine("this browser suite", "chromium", why).replace(/^⚠ SKIPPED/, "Cannot run"));
  }
  return found;
}

/** The flags Chromium needs here: no sandbox or GPU, and no call home on a closed network. */
export const CHROMIUM_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Launches headless Chromium with the flags that work offline on a closed network. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromePath(),
    headless: true,
    args: CHROMIUM_FLAGS,
  });
}

/**
 * Opens `url` in a fresh headless Chromium, runs `use` with the tab and the uncaught errors it has
 * thrown so far, and closes the browser whatever happens.
 */
export async function withTab<T>(
  url: string,
  use: (tab: Page, errors: string[]) => Promise<T>,
): Promise<T> {
  const browser = await launchBrowser();
  try {
    const tab = await (await browser.newContext()).newPage();
    const errors: string[] = [];
    tab.on("pageerror", (error) => errors.push(error.message));
    await tab.goto(url);
    return await use(tab, errors);
  } finally {
    await browser.close();
  }
}
