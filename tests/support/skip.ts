/**
 * What a test run can do on this machine, decided once (global-setup.ts) and said loudly when a
 * suite is left out. Locally a missing Chromium or SKIP_SITE=1 skips the suites that need them,
 * each with one line in the same words; under CI (CI set) nothing is skipped: the setup fails.
 */
import { existsSync } from "node:fs";

/** What a suite may need besides Node. */
export type Need = "site" | "chromium";

/**
 * Chromium from CHROME_PATH (when set, only there) or Debian's package, or null when there is
 * none.
 */
export function findChromium(): string | null {
  const chromePath = process.env.CHROME_PATH;
  if (chromePath) return existsSync(chromePath) ? chromePath : null;
  return ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((path) => existsSync(path)) ?? null;
}

/** True when the tests run in CI, where no suite may be skipped. */
export function inCI(): boolean {
  const ci = (process.env.CI ?? "").toLowerCase();
  return ci !== "" && ci !== "0" && ci !== "false";
}

const HOW_TO: Record<Need, string> = {
  site: "unset SKIP_SITE to build and serve the book",
  chromium:
    "install Chromium (`sudo apt-get install -y chromium` on Debian/Ubuntu) or point " +
    "CHROME_PATH at a Chrome or Chromium binary",
};

/** Why a need is not met on this run, or null when it is (global setup's view). */
export function missing(need: Need): string | null {
  if (need === "site") return process.env.SKIP_SITE === "1" ? "SKIP_SITE=1" : null;
  if (findChromium()) return null;
  const chromePath = process.env.CHROME_PATH;
  return chromePath
    ? `CHROME_PATH (${chromePath}) does not exist`
    : "no Chromium found at /usr/bin/chromium or /usr/bin/chromium-browser";
}

/** The one line printed for what a run leaves out: the same words wherever it is printed. */
export function skipLine(what: string, need: Need, why: string): string {
  return `⚠ SKIPPED ${what}: needs ${need === "site" ? "the built book" : "Chromium"}, but ${why}; ${HOW_TO[need]}. (CI never skips: with CI set this fails.)`;
}
