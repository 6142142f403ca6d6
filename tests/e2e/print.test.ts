// A chapter on paper (Chromium's print media, as "Save as PDF" uses): code readable, no controls,
// figures and outputs kept whole.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, inject, test } from "vitest";
import { launchBrowser } from "../support/browser.ts";
import { describeChapters } from "../support/suites.ts";

const siteUrl = inject("siteUrl");

// WCAG's contrast ratio of two sRGB colours given as "rgb(r, g, b)".
function contrast(a: string, b: string): number {
  const luminance = (colour: string) => {
    const [r, g, bl] = (colour.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number).map((v) => {
      const c = v / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

describeChapters(["the-perceptron"], ["site", "chromium"], "a printed chapter", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => browser?.close());

  for (const theme of ["light", "dark"] as const) {
    test(`prints its code dark on white, without controls (${theme} theme)`, async () => {
      const context = await browser.newContext({ colorScheme: theme });
      try {
        const page = await context.newPage();
        await page.goto(`${siteUrl}the-perceptron/`, { waitUntil: "networkidle", timeout: 60_000 });
        await page.emulateMedia({ media: "print" });
        const report = await page.evaluate(() => {
          const code = [...document.querySelectorAll(".nb-cell .expressive-code pre .ec-line")];
          const colours = code.slice(0, 40).flatMap((line) =>
            [...line.querySelectorAll("span")].map((span) => getComputedStyle(span).color),
          );
          const pre = document.querySelector(".nb-cell .expressive-code pre")!;
          const chrome = [
            ".nb-toolbar",
            ".nb-chapterbar",
            ".nb-status",
            ".nb-notices",
            ".nb-editor",
            ".nb-progress",
            ".nb-controls",
            ".expressive-code .copy",
            "button",
          ];
          const visible = chrome.flatMap((selector) =>
            [...document.querySelectorAll(selector)]
              .filter((el) => (el as HTMLElement).offsetParent !== null)
              .map((el) => `${selector}: ${el.outerHTML.slice(0, 80)}`),
          );
          // figures, and the charts and paragraphs of an output, are never cut in two (an output
          // as a whole may continue on the next page: handouts.css)
          const whole = [...document.querySelectorAll("figure.nn-figure, .nb-output > svg, .nb-output > p")].map(
            (el) => getComputedStyle(el).breakInside,
          );
          return {
            colours,
            background: getComputedStyle(pre).backgroundColor,
            visible,
            whole,
          };
        });
        expect(report.colours.length).toBeGreaterThan(20);
        for (const colour of new Set(report.colours)) {
          expect(contrast(colour, report.background), colour).toBeGreaterThanOrEqual(7);
        }
        expect(report.visible).toEqual([]);
        expect(report.whole.length).toBeGreaterThan(3);
        expect(new Set(report.whole)).toEqual(new Set(["avoid"]));
        // and Chromium makes a PDF of it
        const pdf = await page.pdf({ format: "A4" });
        expect(pdf.subarray(0, 4).toString()).toBe("%PDF");
      } finally {
        await context.close();
      }
    }, 300_000);
  }
});
