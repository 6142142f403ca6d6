/**
 * Structural budgets of every page in Chromium, measured once per page and device and read by the
 * budgets' two files (tests/e2e/budgets-laptop.test.ts, budgets-phone.test.ts: two files so that
 * the suite's three workers share them). Lighthouse's scores (which move with the machine's load)
 * are `npm run bench:site`.
 */
import AxeBuilder from "@axe-core/playwright";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, inject, test } from "vitest";
import { launchBrowser, watchProblems } from "./browser.ts";
import { allPages, hasChapter } from "./chapters.ts";
import { frames, settled as pageSettled, wheel } from "./settle.ts";

const siteUrl = () => inject("siteUrl");

/** Cumulative layout shift allowed on any page (Lighthouse calls up to 0.1 good). */
export const MAX_SHIFT = 0.05;
/** JavaScript before interaction, gzipped; the editor and the code runner load later. */
export const MAX_SCRIPT_KB = 45;
/** Smallest rendered size of chart and diagram text on a 390px phone. */
export const MIN_TEXT_PX = 9;

// Generous bounds: the machine has two cores, shared with builds and other browsers.
export const PAGE_TEST = 300_000;
export const WAIT = 60_000;

type Shift = { value: number; at: number; sources: string[] };
export type Measured = {
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
 * read colours, with the axe the light run put in the page (injecting it again cost about 0.4 s
 * of CPU a page). Each violation as its rule, impact, help and first three places.
 */
async function axeViolations(page: Page, theme: "light" | "dark"): Promise<string[]> {
  type Violation = { id: string; impact?: string | null; help: string; nodes: { target: unknown[] }[] };
  const violations: Violation[] =
    theme === "light"
      ? (await new AxeBuilder({ page }).setLegacyMode(true).options({ resultTypes: ["violations"] }).analyze()).violations
      : await page.evaluate(async () => {
          const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: Violation[] }> } }).axe;
          const { violations } = await axe.run(document, {
            runOnly: { type: "rule", values: ["color-contrast", "link-in-text-block"] },
            resultTypes: ["violations"],
          });
          return violations.map(({ id, impact, help, nodes }) => ({ id, impact, help, nodes: nodes.map(({ target }) => ({ target })) }));
        });
  return violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`,
  );
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

/** The devices the budgets load each page on (the phone is resized to 390 px after its load). */
export const devices = {
  phone: { width: 412, height: 823 },
  laptop: { width: 1350, height: 940 },
} as const;
export type Device = keyof typeof devices;

/**
 * Loads a page on `device` and measures what the budgets read: its layout shifts (with the
 * elements that moved) until it settles, the scripts it asked for before any interaction, what
 * went wrong meanwhile, then on the laptop axe's findings in the light theme and the dark, and
 * on the phone (resized to 390 px after the load) the figure text smaller than the minimum.
 */
async function measure(browser: Browser, path: string, device: Device): Promise<Measured> {
  const phone = device === "phone";
  const context = await browser.newContext({
    viewport: devices[device],
    colorScheme: "light",
    isMobile: phone,
    hasTouch: phone,
    deviceScaleFactor: phone ? 2 : 1,
  });
  try {
    const page = await context.newPage();
    const problems = watchProblems(page, new URL(siteUrl()).origin);
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
    await page.goto(siteUrl() + path, { waitUntil: "load", timeout: WAIT });
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

/** Each shift as its value, time and the elements that moved. */
export function describeShifts(list: Shift[]): string {
  return list.map((s) => `${s.value.toFixed(3)} at ${s.at} ms: ${s.sources.join(", ")}`).join("\n");
}

/**
 * Registers the file's browser and returns `measurements(path)`: each page loaded once on
 * `device`, the tests of the file reading the same measurements.
 */
export function usePageMeasurements(device: Device): ((path: string) => Promise<Measured>) & { browser: () => Browser } {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => browser?.close());
  const measured = new Map<string, Promise<Measured>>();
  const measurements = (path: string) => {
    if (!measured.has(path)) measured.set(path, measure(browser, path, device));
    return measured.get(path)!;
  };
  return Object.assign(measurements, { browser: () => browser });
}

/** The pages the budgets measure: every page of the book. */
export const budgetPages = allPages();

/**
 * Narrow screens lay out below-the-fold blocks lazily (content-visibility): a link to a heading
 * (the glossary's links) must still land on it, and it must stay put while the page settles.
 */
export function headingLinkTest(name: string, width: number, phone: boolean, browser: () => Browser): void {
  test(`a link to a heading lands on it and stays there on ${name}`, async () => {
    const context = await browser().newContext({
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
        await page.goto(siteUrl() + target, { waitUntil: "load", timeout: WAIT });
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

/** The test that a page's layout shifts while it loads add up to at most MAX_SHIFT on `name`. */
export function shiftTest(name: string, measurements: (path: string) => Promise<Measured>): void {
  test.each(budgetPages)(`%s does not jump while it loads on ${name}`, async (path) => {
    const list = (await measurements(path)).shifts;
    const total = list.reduce((sum, s) => sum + s.value, 0);
    expect(total, `layout shifts:\n${describeShifts(list)}`).toBeLessThanOrEqual(MAX_SHIFT);
  }, PAGE_TEST);
}
