// The flags the browser tests launch Chromium with (tests/support/browser.ts) do what they say:
// Chromium keeps every feature Playwright turns off turned off (it reads only the last
// `--disable-features`, ours), and builds none of the browser UI the tests do not use.
import { readFileSync, readdirSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";
import { expect, test } from "vitest";
import { CHROMIUM_FLAGS, UNUSED_BROWSER_UI, chromePath, launchBrowser } from "../support/browser.ts";
import { describeNeeding } from "../support/suites.ts";

/** The command lines of the browsers this process has launched (their main process's). */
function launchedBrowsers(): string[][] {
  const lines: string[][] = [];
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      const parent = Number(readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ")[1]);
      const args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
      if (parent === process.pid && args.includes("--remote-debugging-pipe")) lines.push(args);
    } catch {
      // a process that ended meanwhile
    }
  }
  return lines;
}

/**
 * The features the last `--disable-features` of `launch`'s browser's command line names (read
 * from /proc: the headless shell has no chrome://version, nor gives its command line over CDP).
 */
async function disabledFeatures(launch: () => Promise<Browser>): Promise<[Browser, string[]]> {
  const before = new Set(launchedBrowsers().map((args) => args.join(" ")));
  const browser = await launch();
  const args = launchedBrowsers().find((line) => !before.has(line.join(" ")));
  if (!args) throw new Error("the browser just launched is not among this process's children");
  const last = args.filter((arg) => arg.startsWith("--disable-features=")).at(-1) ?? "";
  return [browser, last.slice("--disable-features=".length).split(",").filter(Boolean)];
}

describeNeeding(["chromium"], "Chromium's flags in the browser tests", () => {
  test("every feature Playwright turns off stays off, and the unused omnibox popups too", async () => {
    // Playwright's own list: Chromium launched without ours
    const [plain, playwrights] = await disabledFeatures(() =>
      chromium.launch({
        executablePath: chromePath(),
        args: CHROMIUM_FLAGS.filter((flag) => !flag.startsWith("--disable-features=")),
      }),
    );
    const [ours, kept] = await disabledFeatures(launchBrowser);
    try {
      expect(playwrights.length, "Playwright turns features off").toBeGreaterThan(5);
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
