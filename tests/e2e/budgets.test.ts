// Structural budgets of every page, in Chromium: the page opens cleanly and passes axe in the light
// and the dark theme, the layout does not jump while it loads, the JavaScript sent before any
// interaction stays small, and chart text stays legible on a phone. Lighthouse's scores (which
// move with the machine's load) are `npm run bench:site`.
import { readFileSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { launchBrowser } from "../support/browser.ts";
import { allPages as everyPage, hasChapter } from "../support/chapters.ts";
import { frames, settled as pageSettled, wheel } from "../support/settle.ts";
import { SITE_DIR } from "../support/site.ts";
import { describeNeeding } from "../support/suites.ts";

const siteUrl = inject("siteUrl");
const allPages = everyPage();

/** Cumulative layout shift allowed on any page (Lighthouse calls up to 0.1 good). */
const MAX_SHIFT = 0.05;
/** JavaScript before interaction, gzipped; the editor and the code runner load later. */
const MAX_SCRIPT_KB = 45;
/** Smallest rendered size of chart and diagram text on a 390px phone. */
const MIN_TEXT_PX = 9;

// Generous bounds: the machine has two cores, shared with builds and other browsers.
const PAGE_TEST = 300_000;
const WAIT = 60_000;

type Shift = { value: number; at: number; sources: string[] };
type Measured = {
  shifts: Shift[];
  scripts: string[];
  smallText: string[];
  overflow: number;
  /** Console errors, uncaught exceptions, failed loads and other hosts asked, while it loaded. */
  problems: string[];
  /** axe's violations in each theme (the laptop's load only). */
  axe: { light: string[]; dark: string[] } | null;
};

/**
 * axe on the page's top frame (its "legacy" mode: the pages have no frame of their own when they
 * load, and the default mode's extra page for merging frames' results tripled the time), asked to
 * return details of violations only. The light theme runs every rule; the dark theme changes
 * colours only (the same markup under other CSS custom properties), so it runs the rules that
 * read colours. Each violation as its rule, impact, help and first three places.
 */
async function axeViolations(page: Page, theme: "light" | "dark"): Promise<string[]> {
  const builder = new AxeBuilder({ page }).setLegacyMode(true).options({ resultTypes: ["violations"] });
  const { violations } = await (theme === "light" ? builder : builder.withRules(["color-contrast", "link-in-text-block"])).analyze();
  return violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`,
  );
}

/** Records what goes wrong in `page`: console errors, page errors, failed loads, other hosts. */
function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  const origin = new URL(siteUrl).origin;
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

/**
 * The rendered size of every visible text of the book's figures (not the cells' own Plot code,
 * which the chapters write themselves) under MIN_TEXT_PX: each as its words and size.
 */
function smallFigureText(page: Page): Promise<string[]> {
  return page.evaluate((min) => {
    const out: string[] = [];
    for (const text of document.querySelectorAll("figure.nn-figure svg text")) {
      const box = text.getBoundingClientRect();
      if (box.width === 0 || !text.textContent?.trim()) continue; // hidden layout
      const svg = text.closest("svg")!;
      const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width || 1;
      const size = parseFloat(getComputedStyle(text).fontSize) * scale;
      if (size < min - 0.05) out.push(`"${text.textContent.trim()}" at ${size.toFixed(1)}px`);
    }
    return out;
  }, MIN_TEXT_PX);
}

describeNeeding(["site", "chromium"], "page budgets", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => browser?.close());

  /**
   * Loads a page once per device and measures what the budgets read: its layout shifts (with the
   * elements that moved) until it settles, the scripts it asked for before any interaction, what
   * went wrong meanwhile, then on the laptop axe's findings in the light theme and the dark, and
   * on the phone (resized to 390 px after the load) the figure text smaller than the minimum.
   */
  async function measure(path: string, viewport: { width: number; height: number }, phone: boolean): Promise<Measured> {
    const context = await browser.newContext({
      viewport,
      colorScheme: "light",
      isMobile: phone,
      hasTouch: phone,
      deviceScaleFactor: phone ? 2 : 1,
    });
    try {
      const page = await context.newPage();
      const problems = watchProblems(page);
      const scripts: string[] = [];
      page.on("request", (request) => {
        if (request.resourceType() === "script") scripts.push(new URL(request.url()).pathname);
      });
      await page.addInitScript(() => {
        const seen: Shift[] = [];
        (window as unknown as { __shifts: Shift[] }).__shifts = seen;
        const name = (node: Node | null) => {
          const el = node instanceof Element ? node : node?.parentElement;
          if (!el) return "?";
          const cls = [...el.classList].slice(0, 2).map((c) => `.${c}`).join("");
          return `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}${cls}`;
        };
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries() as PerformanceEntry[]) {
            const shift = entry as PerformanceEntry & {
              value: number;
              hadRecentInput: boolean;
              sources?: { node: Node | null }[];
            };
            if (shift.hadRecentInput) continue;
            seen.push({
              value: shift.value,
              at: Math.round(shift.startTime),
              sources: (shift.sources ?? []).map((s) => name(s.node)),
            });
          }
        }).observe({ type: "layout-shift", buffered: true });
      });
      await page.goto(siteUrl + path, { waitUntil: "load", timeout: WAIT });
      // scripts upgrade the page after load: wait until that is on screen (and shifted, if it does)
      await page.waitForLoadState("networkidle", { timeout: WAIT });
      await pageSettled(page);
      const shifts = await page.evaluate(() => (window as unknown as { __shifts: Shift[] }).__shifts);
      const asked = [...scripts];
      if (!phone) {
        // every block laid out (a scroll starts it where the screen is narrow), then axe, in the
        // light theme, then in the dark as a reader switches to it: the system's colour scheme
        // changes and Starlight follows it on the open page
        await page.mouse.wheel(0, 1);
        await page.waitForFunction(() => document.documentElement.dataset.laidOut === "all", null, { timeout: WAIT });
        const axe = { light: [] as string[], dark: [] as string[] };
        for (const theme of ["light", "dark"] as const) {
          await page.emulateMedia({ colorScheme: theme });
          await page.waitForFunction((theme) => document.documentElement.dataset.theme === theme, theme, { timeout: WAIT });
          axe[theme] = await axeViolations(page, theme);
        }
        return { shifts, scripts: asked, smallText: [], overflow: 0, problems, axe };
      }
      await page.setViewportSize({ width: 390, height: 844 });
      // below the first screen, blocks are laid out once the reader scrolls (content-visibility):
      // scroll, and wait until they all are, so that what they hold counts
      await page.mouse.wheel(0, 1);
      await page.waitForFunction(() => document.documentElement.dataset.laidOut === "all", null, { timeout: WAIT });
      await frames(page);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      return { shifts, scripts: asked, smallText: await smallFigureText(page), overflow, problems, axe: null };
    } finally {
      await context.close();
    }
  }

  const describeShifts = (list: Shift[]) =>
    list.map((s) => `${s.value.toFixed(3)} at ${s.at} ms: ${s.sources.join(", ")}`).join("\n");

  const devices = {
    phone: { width: 412, height: 823 },
    laptop: { width: 1350, height: 940 },
  } as const;
  // each page is loaded once per device; the tests below read the same measurements
  const measured = new Map<string, Promise<Measured>>();
  const measurements = (path: string, device: keyof typeof devices) => {
    const key = `${device} ${path}`;
    if (!measured.has(key)) measured.set(key, measure(path, devices[device], device === "phone"));
    return measured.get(key)!;
  };

  test.each(allPages)("%s opens cleanly and passes axe in the light theme, then in the dark", async (path) => {
    const { axe, problems } = await measurements(path, "laptop");
    expect(axe!.light, "light theme").toEqual([]);
    expect(axe!.dark, "dark theme").toEqual([]);
    expect(problems).toEqual([]);
    expect((await measurements(path, "phone")).problems, "on a phone").toEqual([]);
  }, PAGE_TEST);

  for (const [device, name] of [
    ["phone", "a phone"],
    ["laptop", "a laptop"],
  ] as const) {
    test.each(allPages)(`%s does not jump while it loads on ${name}`, async (path) => {
      const list = (await measurements(path, device)).shifts;
      const total = list.reduce((sum, s) => sum + s.value, 0);
      expect(total, `layout shifts:\n${describeShifts(list)}`).toBeLessThanOrEqual(MAX_SHIFT);
    }, PAGE_TEST);
  }

  // Narrow screens lay out below-the-fold blocks lazily (content-visibility): a link to a heading
  // (the glossary's links) must still land on it, and it must stay put while the page settles.
  for (const [device, width, phone] of [
    ["a phone", 390, true],
    ["a laptop", 1280, false],
  ] as const) {
    test(`a link to a heading lands on it and stays there on ${device}`, async () => {
      const context = await browser.newContext({
        viewport: { width, height: 844 },
        isMobile: phone,
        hasTouch: phone,
      });
      try {
        for (const target of [
          "the-perceptron/#why-the-activation-function-is-mandatory",
          "gradient-descent/#training-a-network-in-the-page",
          "handwritten-digits/#how-good-is-it",
        ].filter((target) => hasChapter(target.split("/")[0]))) {
          const page = await context.newPage();
          await page.goto(siteUrl + target, { waitUntil: "load", timeout: WAIT });
          const id = target.split("#")[1];
          const top = () =>
            page.evaluate((id) => document.getElementById(id)!.getBoundingClientRect().top, id);
          await page.waitForLoadState("networkidle", { timeout: WAIT });
          await pageSettled(page);
          const settled = await top();
          // under the fixed header, at the top of the screen
          expect(settled, target).toBeGreaterThanOrEqual(40);
          expect(settled, target).toBeLessThanOrEqual(160);
          await wheel(page, -1500);
          await wheel(page, 1500);
          expect(Math.abs((await top()) - settled), `${target} after scrolling`).toBeLessThan(4);
          await page.close();
        }
      } finally {
        await context.close();
      }
    }, PAGE_TEST);
  }

  test.each(allPages)("%s sends little JavaScript before the reader interacts", async (path) => {
    // (on the laptop's load: the scripts asked for until the page settled, the reader idle)
    const { scripts } = await measurements(path, "laptop");
    // what a static host would send: each file gzipped (inline scripts count with the page)
    const base = new URL(siteUrl).pathname;
    const bytes = scripts
      .map((p) => readFileSync(join(SITE_DIR, p.slice(base.length))))
      .reduce((sum, file) => sum + gzipSync(file, { level: 9 }).length, 0);
    expect(scripts.length).toBeGreaterThan(0);
    expect(bytes / 1024, `scripts: ${scripts.join(", ")}`).toBeLessThanOrEqual(MAX_SCRIPT_KB);
  }, PAGE_TEST);

  // (the phone's load, resized to 390 px once it settled)
  test.each(allPages)("%s keeps figure text legible on a 390px phone", async (path) => {
    expect((await measurements(path, "phone")).smallText).toEqual([]);
  }, PAGE_TEST);

  test.each(allPages)("%s reads at 390 px without sideways scrolling", async (path) => {
    expect((await measurements(path, "phone")).overflow, "the page scrolls sideways at 390px").toBeLessThanOrEqual(1);
  }, PAGE_TEST);
});
