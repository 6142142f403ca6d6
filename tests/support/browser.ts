import { chromium, type Browser, type Page } from "playwright-core";
import { browserPath, findFullChromium } from "./skip.ts";

/**
 * The tests' Chromium (skip.ts: CHROME_PATH, else Debian's headless shell, else Debian's
 * browser); the skip line's words when there is none.
 */
export function chromePath(): string {
  return browserPath("chromium");
}

/** The browser readers run (CHROME_PATH, else Debian's `chromium`), for the benchmarks. */
export function readerChromePath(): string {
  const found = findFullChromium();
  if (!found) throw new Error("The benchmarks need Chromium: `sudo apt-get install -y chromium`, or set CHROME_PATH.");
  return found;
}

/**
 * The features Playwright (1.65) turns off in Chromium with its own `--disable-features`. Chromium
 * reads only the last `--disable-features` it is given, so ours repeats them:
 * tests/e2e/browser-flags.test.ts fails when Playwright's list changes.
 */
export const PLAYWRIGHT_DISABLED_FEATURES = [
  "AvoidUnnecessaryBeforeUnloadCheckSync", "DestroyProfileOnBrowserClose", "HttpsUpgrades",
  "HttpsFirstBalancedModeAutoEnable", "LensOverlay", "MediaRouter", "PaintHolding",
  "ThirdPartyStoragePartitioning", "AvoidCorsURLLoaderRestartOnRedirect", "TcpPortRandomizationWin",
  "OptimizationHints", "NetworkTimeServiceQuerying", "AimEnabled", "PreconnectToSearch",
  "msForceBrowserSignIn", "msEdgeUpdateLaunchServicesPreferredVersion",
];

/**
 * Chromium's new headless mode (156, the `chromium` package) builds a browser window for each
 * context, with two omnibox popups drawn as web pages in a renderer process of their own, which
 * no test ever opens: measured here, they doubled the CPU of a new context and its first page
 * (2.3 s to 1.15 s, chapter 1, 8 loads). (The headless shell has no browser UI to turn off.)
 */
export const UNUSED_BROWSER_UI = ["WebUIOmniboxPopup", "WebUIOmniboxAimPopup", "WebUIOmniboxFullPopup"];

/**
 * The flags Chromium needs here: no sandbox or GPU, no call home on a closed network, and none of
 * the browser's own UI that a test does not use.
 */
export const CHROMIUM_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  // every site in a process of its own, as a reader's desktop Chrome does: the headless shell
  // does so only when asked, and the cells' runner frame relies on it (a cell that exhausts
  // memory must cost the runner's process only: tests/e2e/memory.test.ts)
  "--site-per-process",
  `--disable-features=${[...PLAYWRIGHT_DISABLED_FEATURES, ...UNUSED_BROWSER_UI].join(",")}`,
];

/**
 * Launches headless Chromium (the tests' own, unless given another) with the flags that work
 * offline on a closed network.
 */
export function launchBrowser(executablePath = chromePath()): Promise<Browser> {
  return chromium.launch({
    executablePath,
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

/**
 * Records what goes wrong in `page` from here on: console errors, uncaught exceptions, loads that
 * fail (HTTP 400 and above), and requests to any origin but `origin` (data: and blob: aside).
 */
export function watchProblems(page: Page, origin: string): string[] {
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console error: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("request", (request) => {
    const url = request.url();
    if (!url.startsWith(origin) && !url.startsWith("data:") && !url.startsWith("blob:")) {
      problems.push(`asked another host: ${url}`);
    }
  });
  page.on("response", (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  return problems;
}
