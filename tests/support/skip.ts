/**
 * What a test run can do on this machine, decided once (global-setup.ts) and said loudly when a
 * suite is left out. Locally a missing Chromium or Firefox, or SKIP_SITE=1, skips the suites that
 * need them, each with one line in the same words; under CI (CI set) nothing is skipped: the setup
 * fails.
 */
import { existsSync } from "node:fs";

/** What a suite may need besides Node. */
export type Need = "site" | "chromium" | "firefox";

/** Where Debian's packages put Chromium's headless shell, and the browser itself. */
export const HEADLESS_SHELL = "/usr/bin/chromium-headless-shell";
const FULL_CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];

/**
 * The Chromium the browser tests drive: CHROME_PATH (when set, only there), else Debian's
 * `chromium-headless-shell` when it is installed, else Debian's `chromium`; null when there is
 * none. The headless shell is the same Chromium build (the same Blink and V8, the same version as
 * the `chromium` package) without the browser's windows and UI; it is what Playwright itself
 * runs for a headless test. Measured here, it took 29% less CPU per page load (0.52 s against
 * 0.73 s) and 19% less per first Run (0.58 s against 0.72 s), and the browser tests are bound by
 * CPU on two cores.
 */
export function findChromium(): string | null {
  const chromePath = process.env.CHROME_PATH;
  if (chromePath) return existsSync(chromePath) ? chromePath : null;
  return [HEADLESS_SHELL, ...FULL_CHROMIUM].find((path) => existsSync(path)) ?? null;
}

/**
 * The browser a reader runs, for what measures the pages as readers get them (the benchmarks'
 * Lighthouse and timings): CHROME_PATH, else Debian's `chromium`; null when there is none.
 */
export function findFullChromium(): string | null {
  const chromePath = process.env.CHROME_PATH;
  if (chromePath) return existsSync(chromePath) ? chromePath : null;
  return FULL_CHROMIUM.find((path) => existsSync(path)) ?? null;
}

/**
 * Firefox from FIREFOX_PATH (when set, only there) or Debian's packages (ESR first), or null when
 * there is none.
 */
export function findFirefox(): string | null {
  const firefoxPath = process.env.FIREFOX_PATH;
  if (firefoxPath) return existsSync(firefoxPath) ? firefoxPath : null;
  return ["/usr/bin/firefox-esr", "/usr/bin/firefox"].find((path) => existsSync(path)) ?? null;
}

/** True when the tests run in CI, where no suite may be skipped. */
export function inCI(): boolean {
  const ci = (process.env.CI ?? "").toLowerCase();
  return ci !== "" && ci !== "0" && ci !== "false";
}

const HOW_TO: Record<Need, string> = {
  site: "unset SKIP_SITE to build and serve the book",
  chromium:
    "install Chromium (`sudo apt-get install -y chromium-headless-shell`, or `chromium`, on Debian) or point " +
    "CHROME_PATH at a Chrome or Chromium binary",
  firefox:
    "install Firefox (`sudo apt-get install -y firefox-esr` on Debian) or point FIREFOX_PATH at a " +
    "Firefox binary",
};

const NAME: Record<Need, string> = { site: "the built book", chromium: "Chromium", firefox: "Firefox" };

/** Why a need is not met on this run, or null when it is (global setup's view). */
export function missing(need: Need): string | null {
  if (need === "site") return process.env.SKIP_SITE === "1" ? "SKIP_SITE=1" : null;
  if (need === "firefox") {
    if (findFirefox()) return null;
    const firefoxPath = process.env.FIREFOX_PATH;
    return firefoxPath
      ? `FIREFOX_PATH (${firefoxPath}) does not exist`
      : "no Firefox found at /usr/bin/firefox-esr or /usr/bin/firefox";
  }
  if (findChromium()) return null;
  const chromePath = process.env.CHROME_PATH;
  return chromePath
    ? `CHROME_PATH (${chromePath}) does not exist`
    : `no Chromium found at ${[HEADLESS_SHELL, ...FULL_CHROMIUM].join(", ")}`;
}

/** The one line printed for what a run leaves out: the same words wherever it is printed. */
export function skipLine(what: string, need: Need, why: string): string {
  return `⚠ SKIPPED ${what}: needs ${NAME[need]}, but ${why}; ${HOW_TO[need]}. (CI never skips: with CI set this fails.)`;
}

/**
 * The browser's path (`findChromium` or `findFirefox`), or an error that says what is missing in
 * the skip line's words, for a suite about to launch it.
 */
export function browserPath(need: "chromium" | "firefox"): string {
  const found = need === "chromium" ? findChromium() : findFirefox();
  if (found) return found;
  const why = missing(need) ?? `no ${need === "chromium" ? "Chromium" : "Firefox"} found`;
  throw new Error(skipLine("this browser suite", need, why).replace(/^⚠ SKIPPED/, "Cannot run"));
}
