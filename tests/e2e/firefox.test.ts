// The book in Firefox (Debian's ESR, over WebDriver BiDi with puppeteer-core): every page of the
// built site loads with no console error and no uncaught exception (Firefox reports invalid
// MathML as one: "Invalid markup: Incorrect number of children for <msub/> tag"), and on each
// chapter a cell runs and shows its output, and a control changes a figure. One browser for the
// file, the pages in sequence. Written against what a reader sees (an output appears, a figure
// changes), not how the notebook runs its kernel.
import { existsSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import type { Browser, ElementHandle, Page } from "puppeteer-core";
import { afterAll, beforeAll, expect, inject, test } from "vitest";
import { chapters } from "../support/chapters.ts";
import { launchFirefox } from "../support/firefox.ts";
import { FIXED_CHILDREN } from "../support/mathml.ts";
import { SITE_DIR } from "../support/site.ts";
import { describeNeeding } from "../support/suites.ts";

// Time bounds for a loaded two-core machine, shared with other builds: generous on purpose.
const PAGE_TEST = 300_000;
const WAIT = 90_000;

/**
 * Every page of the built site, relative to its base ("" for the landing page), and its 404;
 * none when there is no build (SKIP_SITE=1: the suite is skipped).
 */
function builtPages(dir = SITE_DIR): string[] {
  if (!existsSync(dir)) return [];
  const found = readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((file) => file === "index.html" || file.endsWith("/index.html"))
    .map((file) => relative(dir, join(dir, file)).replace(/index\.html$/, ""));
  return [...found.sort(), "404.html"];
}

/** What went wrong in a page: console errors, uncaught exceptions, failed loads. */
function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console error: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${(error as Error).message ?? error}`));
  page.on("requestfailed", (request) => problems.push(`failed to load: ${request.url()}`));
  page.on("response", (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  return problems;
}

/** Each formula's TeX whose MathML has an element with the wrong number of children. */
function invalidMathml(page: Page): Promise<string[]> {
  return page.evaluate((fixed: Record<string, number>) => {
    const wrong: string[] = [];
    for (const math of document.querySelectorAll("math")) {
      for (const [tag, count] of Object.entries(fixed)) {
        for (const element of math.querySelectorAll(tag)) {
          if (element.children.length === count) continue;
          const tex = math.querySelector("annotation")?.textContent ?? math.textContent;
          wrong.push(`<${tag}> has ${element.children.length} children, not ${count}, in ${tex}`);
        }
      }
    }
    return wrong;
  }, FIXED_CHILDREN);
}

/**
 * What each cell shows, its output and a training's live chart (only the cells with a figure, an
 * SVG or a canvas, when `figures`), comparable across runs: its markup without the ids a chart numbers afresh each time
 * it is drawn (clip paths, gradients) and without its groups' translations (Plot shifts them by
 * half a pixel in the worker, not at build time), and its canvases' pixels.
 */
function outputs(page: Page, figures = false): Promise<Record<string, string>> {
  return page.evaluate((figures: boolean) => {
    const shown: Record<string, string> = {};
    for (const cell of document.querySelectorAll<HTMLElement>("nb-cell")) {
      const boxes = [...cell.querySelectorAll(".nb-output, .nb-progress-chart")];
      if (figures && !boxes.some((box) => box.querySelector("svg, canvas"))) continue;
      const markup = boxes
        .map((box) => box.innerHTML)
        .join("")
        .replace(/\s(id|href|xlink:href|for|aria-labelledby|aria-describedby)="[^"]*"/g, "")
        .replace(/url\(#[^)]*\)/g, "url()")
        .replace(/(<g\b[^>]*?)\stransform="translate\([^)]*\)"/g, "$1");
      const pixels = boxes.flatMap((box) => [...box.querySelectorAll("canvas")].map((canvas) => canvas.toDataURL()));
      shown[cell.dataset.id ?? ""] = markup + pixels.join("");
    }
    return shown;
  }, figures);
}

/** The button in `scope` (a cell, the page's body) labelled `name`, as a reader finds it. */
async function button(scope: ElementHandle<Element>, name: string): Promise<ElementHandle<Element> | null> {
  const found = await scope.evaluateHandle(
    (root, name) => [...root.querySelectorAll("button")].find((b) => b.textContent?.trim() === name) ?? null,
    name,
  );
  return found.asElement() as ElementHandle<Element> | null;
}

/** The cells whose output differs between two snapshots, other than `except`. */
function changed(before: Record<string, string>, after: Record<string, string>, except: string): string[] {
  return Object.keys(after).filter((id) => id !== except && before[id] !== after[id]);
}

/** Waits until `check` returns a non-empty list (or the time is up), and returns it. */
async function until<T>(check: () => Promise<T[]>, timeout = WAIT): Promise<T[]> {
  const end = Date.now() + timeout;
  for (;;) {
    const found = await check();
    if (found.length > 0 || Date.now() > end) return found;
    await new Promise((done) => setTimeout(done, 100));
  }
}

/** Opens `path` in a new tab of `browser`, waits until its cells and layout are ready. */
async function open(browser: Browser, path: string): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage();
  const problems = watch(page);
  await page.goto(`${inject("siteUrl")}${path}`, { waitUntil: "networkidle0", timeout: WAIT });
  // a wide screen lays every block out at once; a scroll starts it on a narrow one
  await page.mouse.wheel({ deltaY: 1 });
  await page.waitForFunction(
    () => document.documentElement.dataset.laidOut === "all" || !document.querySelector(".sl-markdown-content"),
    { timeout: WAIT },
  );
  if (await page.$("nb-cell")) {
    await page.waitForFunction(() => customElements.get("nb-cell") !== undefined, { timeout: WAIT });
  }
  return { page, problems };
}

/**
 * The reader's first control: a slider if the chapter has one, else a training's "Step an epoch"
 * (a batch alone draws no curve yet).
 */
async function firstControl(page: Page): Promise<{ control: ElementHandle<Element>; cellId: string; kind: string }> {
  const slider = await page.$("nb-cell .nb-output input[type=range]");
  const control = slider ?? (await button((await page.$("main"))!, "Step an epoch"));
  if (!control) throw new Error("the chapter has neither a slider nor a training's Step an epoch");
  const cellId = await control.evaluate((node) => node.closest<HTMLElement>("nb-cell")!.dataset.id!);
  return { control, cellId, kind: slider ? "slider" : "Step an epoch" };
}

describeNeeding(["site", "firefox"], "the book in Firefox", () => {
  let browser: Browser;
  const started = Date.now();
  beforeAll(async () => {
    browser = await launchFirefox();
    console.info(`Firefox: ${await browser.version()}`);
  });
  afterAll(async () => {
    await browser?.close();
    console.info(`the Firefox suite took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  test("the site has its pages", () => {
    expect(builtPages()).toEqual(expect.arrayContaining(["", ...chapters().map(({ slug }) => `${slug}/`)]));
  });

  // (each chapter is loaded, and checked the same way, by the test after this one)
  const chapterPages = new Set(chapters().map(({ slug }) => `${slug}/`));
  test.each(builtPages().filter((path) => !chapterPages.has(path)))("%s loads with no console error, uncaught exception or invalid MathML", async (path) => {
    const { page, problems } = await open(browser, path);
    try {
      expect([...(await invalidMathml(page)), ...problems]).toEqual([]);
    } finally {
      await page.close();
    }
  }, PAGE_TEST);

  test.each(chapters().map(({ slug }) => `${slug}/`))(
    "%s loads with no console error, uncaught exception or invalid MathML; a cell runs and shows its output, and a control changes a figure",
    async (path) => {
      const { page, problems } = await open(browser, path);
      try {
        expect([...(await invalidMathml(page)), ...problems], "once loaded").toEqual([]);
        // Control first, on the page as it loaded: move the first slider one step (a
        // training's "Step an epoch" where there is none); a figure in another cell changes
        const before = await outputs(page, true);
        const { control, cellId, kind } = await firstControl(page);
        if (kind === "slider") {
          const atMax = await control.evaluate((input) => (input as HTMLInputElement).value === (input as HTMLInputElement).max);
          await control.focus();
          await page.keyboard.press(atMax ? "ArrowLeft" : "ArrowRight");
        }
        if (kind !== "slider") {
          // a training's curve is drawn once it has two epochs: step two, each to its end (the
          // controls then say "Paused at epoch 2", then 3)
          for (const epoch of [2, 3]) {
            await control.click();
            await page.waitForFunction(
              (button, epoch) => {
                const text = button.closest(".nb-input")?.querySelector("[data-role=status]")?.textContent ?? "";
                const at = /^Paused at epoch (\d+)/.exec(text);
                return text === "Finished." || (at !== null && Number(at[1]) >= epoch);
              },
              { timeout: WAIT },
              control,
              epoch,
            );
          }
        }
        const moved = await until(async () => changed(before, await outputs(page, true), cellId));
        expect(moved, `a figure changes when the ${kind} of cell ${cellId} moves`).not.toEqual([]);

        // Run: the first cell that shows something other than controls, its output emptied first so that what
        // appears is what this run made, and the same as it showed
        const shown = await outputs(page);
        const runId = Object.keys(shown).find((id) => shown[id].trim() !== "" && !/<(input|select|button)\b/.test(shown[id]));
        expect(runId, "a cell that shows something (not a control)").toBeDefined();
        const runCell = (await page.$(`nb-cell[data-id="${runId}"]`))!;
        await runCell.$eval(".nb-output", (box) => box.replaceChildren());
        await (await button(runCell, "Run"))!.click();
        // the status line says how the run ended: "Ran in 0.02 s.", "Failed: …", "Stopped after …"
        const status = () => runCell.$eval(".nb-status", (line) => line.textContent ?? "");
        await page
          .waitForFunction(
            (cell) => /^(Ran in|Failed|Stopped)/.test(cell.querySelector(".nb-status")?.textContent ?? ""),
            { timeout: WAIT },
            runCell,
          )
          .catch(async () => expect.fail(`cell ${runId} did not finish its run: its status says "${await status()}"`));
        expect(await status()).toMatch(/^Ran in /);
        expect((await outputs(page))[runId!]).toBe(shown[runId!]);
        console.info(`${path}: the ${kind} of ${cellId} changed ${moved.join(", ")}; ran ${runId}`);
        expect([...(await invalidMathml(page)), ...problems]).toEqual([]);
      } finally {
        await page.close();
      }
    },
    PAGE_TEST,
  );
});
