// The flags the browser tests launch Chromium with (tests/support/browser.ts) do what they say:
// Chromium keeps every feature Playwright turns off turned off (it reads only the last
// `--disable-features`, ours), and builds none of the browser UI the tests do not use.
import { chromium, type Browser } from "playwright-core";
import { expect, test } from "vitest";
import { CHROMIUM_FLAGS, UNUSED_BROWSER_UI, chromePath, launchBrowser } from "../support/browser.ts";
import { describeNeeding } from "../support/suites.ts";

/** The features the last `--disable-features` of the browser's command line names. */
async function disabledFeatures(browser: Browser): Promise<string[]> {
  const page = await browser.newPage();
  await page.goto("chrome://version");
  const line = (await page.locator("#command_line").textContent()) ?? "";
  const last = line.split(/\s+/).filter((arg) => arg.startsWith("--disable-features=")).at(-1) ?? "";
  return last.slice("--disable-features=".length).split(",").filter(Boolean);
}

describeNeeding(["chromium"], "Chromium's flags in the browser tests", () => {
  test("every feature Playwright turns off stays off, and the unused omnibox popups too", async () => {
    // Playwright's own list: Chromium launched without ours
    const plain = await chromium.launch({
      executablePath: chromePath(),
      args: CHROMIUM_FLAGS.filter((flag) => !flag.startsWith("--disable-features=")),
    });
    const ours = await launchBrowser();
    try {
      const playwrights = await disabledFeatures(plain);
      expect(playwrights.length, "Playwright turns features off").toBeGreaterThan(5);
      const kept = await disabledFeatures(ours);
      expect(
        playwrights.filter((feature) => !kept.includes(feature)),
        "features Playwright turns off that ours would turn back on: add them to PLAYWRIGHT_DISABLED_FEATURES",
      ).toEqual([]);
      expect(kept).toEqual(expect.arrayContaining(UNUSED_BROWSER_UI));
      // and the popups are not there: the window has no browser UI targets
      const cdp = await ours.newBrowserCDPSession();
      await (await ours.newContext()).newPage();
      const { targetInfos } = (await cdp.send("Target.getTargets", { filter: [{}] } as never)) as {
        targetInfos: { type: string; url: string }[];
      };
      expect(targetInfos.filter((target) => target.type === "browser_ui").map((target) => target.url)).toEqual([]);
    } finally {
      await plain.close();
      await ours.close();
    }
  }, 60_000);
});
