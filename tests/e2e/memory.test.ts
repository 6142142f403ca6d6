import { chromium, type Browser, type CDPSession } from "playwright-core";
import { afterAll, beforeAll, expect, inject, test } from "vitest";
import { CHROMIUM_FLAGS, chromePath } from "../support/browser.ts";
import { cell, output, replaceCode } from "../support/pages.ts";
import { describeChapters } from "../support/suites.ts";

// A cell that allocates until memory runs out costs the kernel, never the page: the kernel's
// worker lives in a sandboxed frame with a process of its own (src/notebook/client/runner.ts).
//
// Playwright cannot judge this: when a frame's process crashes it says the PAGE crashed, and
// refuses to evaluate in it from then on (it reports any out-of-process frame's crash as the
// page's). So after the crash everything goes through a CDP session of our own: it answers as long
// as the page's renderer lives. The browser's own event says which target crashed.
//
// The heap is capped at 256 MB (V8's --max-old-space-size, which the kernel's worker obeys too):
// the same death as at the default 4 GB, reached in a second or two instead of several, without
// taking 4 GB of a shared machine. FULL_HEAP=1 keeps the default; on a loaded machine filling 4 GB
// can take longer than the 8 s a running worker may stay silent, and the kernel is then restarted
// as "stopped working" before its memory runs out (the page lives either way).

const CHAPTER = "the-neuron/";
/** Runs first; its output must still be there after the crash. */
const ORDINARY = "neuron-output";
/** Edited, not run: the reader's text must still be on screen after the crash. */
const EDITED = "neuron-contributions";
/** Allocates until the kernel's memory runs out. */
const HOG = "neuron-sum";
const HOG_CODE = "{ const hoard = []; for (;;) hoard.push(new Array(1e7).fill(Math.random())); }";
const EDIT = "// the reader's edit\nx.length * 1000 + w.length";
const SLOW = { timeout: 60_000 };

/** Evaluates `expression` in the page through our CDP session; its value. A dead page never answers. */
async function evaluate<T>(cdp: CDPSession, expression: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const silence = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the page did not answer for 15 s (it died?): ${expression}`)), 15_000);
  });
  const { result, exceptionDetails } = await Promise.race([
    cdp.send("Runtime.evaluate", { expression, returnByValue: true, awaitPromise: true }),
    silence,
  ]).finally(() => clearTimeout(timer));
  if (exceptionDetails) throw new Error(`in the page: ${exceptionDetails.text} ${result.description ?? ""}`);
  return result.value as T;
}

const statusOf = (id: string) => `document.querySelector('nb-cell[data-id="${id}"] .nb-status')?.textContent ?? ""`;
const outputOf = (id: string) => `document.querySelector('nb-cell[data-id="${id}"] .nb-output')?.textContent ?? ""`;
const editorOf = (id: string) =>
  `[...document.querySelectorAll('nb-cell[data-id="${id}"] .cm-content .cm-line')].map((l) => l.textContent).join("\\n")`;

/** Polls `expression` through CDP until `accept` takes its value; that value. */
async function until<T>(cdp: CDPSession, expression: string, accept: (value: T) => boolean, ms = SLOW.timeout): Promise<T> {
  const end = Date.now() + ms;
  let value = await evaluate<T>(cdp, expression);
  while (!accept(value)) {
    if (Date.now() > end) throw new Error(`gave up after ${ms} ms waiting on ${expression}; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await evaluate<T>(cdp, expression);
  }
  return value;
}

describeChapters([CHAPTER], ["site", "chromium"], "a cell that exhausts memory", () => {
  let browser: Browser;
  beforeAll(async () => {
    const heap = process.env.FULL_HEAP === "1" ? [] : ["--js-flags=--max-old-space-size=256"];
    browser = await chromium.launch({ executablePath: chromePath(), headless: true, args: [...CHROMIUM_FLAGS, ...heap] });
  });
  afterAll(async () => {
    await browser?.close();
  });

  test("costs the kernel only: the page, the edits and the outputs stay, and the next Run works", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // Which targets are which, and which crash (the browser's view, not Playwright's).
    const targets = new Map<string, string>();
    const crashed: string[] = [];
    const watcher = await browser.newBrowserCDPSession();
    watcher.on("Target.targetCreated", ({ targetInfo }) => targets.set(targetInfo.targetId, targetInfo.type));
    watcher.on("Target.targetInfoChanged", ({ targetInfo }) => targets.set(targetInfo.targetId, targetInfo.type));
    watcher.on("Target.targetCrashed", ({ targetId }) => crashed.push(targets.get(targetId) ?? `unknown ${targetId}`));
    await watcher.send("Target.setDiscoverTargets", { discover: true });

    const page = await context.newPage();
    await page.goto(`${inject("siteUrl")}${CHAPTER}`);
    await page.waitForFunction(() => customElements.get("nb-cell") !== undefined);
    const cdp = await context.newCDPSession(page);
    // A mark only this document carries: a reload or a new page would not have it.
    await evaluate(cdp, "window.nbStillHere = 'the same page'");

    // An ordinary cell runs; another is edited and left unrun.
    await cell(page, ORDINARY).getByRole("button", { name: "Run", exact: true }).click();
    await expect.poll(() => cell(page, ORDINARY).locator(".nb-status").textContent(), SLOW).toMatch(/Ran in/);
    const ordinaryOutput = await output(page, ORDINARY).textContent();
    expect(ordinaryOutput).toMatch(/0\.75/);
    await replaceCode(page, EDITED, EDIT);
    expect(await evaluate<string>(cdp, editorOf(EDITED))).toBe(EDIT);

    // The hog runs until its kernel's process dies.
    await replaceCode(page, HOG, HOG_CODE);
    await cell(page, HOG).getByRole("button", { name: "Run", exact: true }).click();
    const status = await until<string>(cdp, statusOf(HOG), (text) => !/Running|Starting/.test(text));
    expect(status).toBe("The kernel ran out of memory and was restarted; its variables are gone. Run starts it again.");
    expect(crashed, "the targets that crashed, by type").toEqual(["iframe"]);

    // The page lives, unreloaded, with the reader's edit and the other cell's output on screen.
    expect(await evaluate<string>(cdp, "window.nbStillHere")).toBe("the same page");
    expect(await evaluate<string>(cdp, editorOf(EDITED))).toBe(EDIT);
    expect(await evaluate<string>(cdp, outputOf(ORDINARY))).toBe(ordinaryOutput);
    expect(await evaluate<string>(cdp, `document.querySelector(".nb-chapterbar .nb-live")?.textContent ?? ""`)).toContain(
      `ran out of memory while cell "${HOG}" ran`,
    );
    // The runner frame that died is gone from the page.
    expect(await evaluate<number>(cdp, `document.querySelectorAll("iframe.nb-runner").length`)).toBe(0);

    // The next Run starts a new kernel, which runs the edited cell (and the cell it reads).
    await evaluate(
      cdp,
      `[...document.querySelectorAll('nb-cell[data-id="${EDITED}"] button')].find((b) => b.textContent.trim() === "Run").click()`,
    );
    await until<string>(cdp, statusOf(EDITED), (text) => /Ran in/.test(text));
    expect(await evaluate<string>(cdp, outputOf(EDITED))).toContain("3003");
    expect(await evaluate<number>(cdp, `document.querySelectorAll("iframe.nb-runner").length`)).toBe(1);
    expect(crashed).toEqual(["iframe"]);
    await context.close();
  }, 180_000);
});
