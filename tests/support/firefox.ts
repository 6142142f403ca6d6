/**
 * Firefox for the browser tests, beside Chromium (browser.ts): Debian's Firefox ESR (or
 * FIREFOX_PATH) driven by puppeteer-core over WebDriver BiDi, the standard protocol Firefox speaks.
 * puppeteer-core downloads no browser; the `puppeteer` package would, so it is not used.
 */
import puppeteer, { type Browser } from "puppeteer-core";
import { browserPath } from "./skip.ts";

/** Firefox from FIREFOX_PATH or Debian's package; the skip line's words when there is none. */
export function firefoxPath(): string {
  return browserPath("firefox");
}

/**
 * Launches headless Firefox over WebDriver BiDi. Its profile is puppeteer's (no updates, no
 * telemetry, no safe-browsing lists: nothing calls home on a closed network), plus no captive
 * portal probe and no network connectivity check.
 */
export function launchFirefox(): Promise<Browser> {
  return puppeteer.launch({
    browser: "firefox",
    executablePath: firefoxPath(),
    protocol: "webDriverBiDi",
    headless: true,
    defaultViewport: { width: 1280, height: 900 },
    extraPrefsFirefox: {
      "network.captive-portal-service.enabled": false,
      "network.connectivity-service.enabled": false,
    },
  });
}
