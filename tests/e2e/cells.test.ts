import { expect, inject, test } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import { compressToEncodedURIComponent } from "lz-string";
import { cell, dragSlider, output, replaceCode, useBook } from "../support/pages.ts";
import { frames, settled } from "../support/settle.ts";
import { describeChapters } from "../support/suites.ts";

// Cells in the browser, on a real chapter. Chapter 1 has `neuron-output` (declares x, w, z),
// `neuron-contributions` (reads x and w), `neuron-sliders` (four sliders: x1, x2, w1, w2) and
// `neuron-sum` (reads them and typesets the weighted sum with its numbers).
const CHAPTER = "the-neuron/";
const FIRST = "neuron-output";
const SECOND = "neuron-contributions";
const SLIDERS = "neuron-sliders";
const SUM = "neuron-sum";

/** The first Run starts the kernel worker: on a busy two-core machine that can take seconds. */
const SLOW = { timeout: 30_000 };

// The file's browser; its pages are opened by `open` below, which counts their workers.
const book = useBook();

interface Opened {
  page: Page;
  /** Workers the page (or its kernel's runner frame) constructed, counted from before its first script ran. */
  workers(): Promise<number>;
}

async function open(
  hash = "",
  options: {
    init?: () => void;
    othersMayThrow?: boolean;
    context?: BrowserContext;
    path?: string;
  } = {},
): Promise<Opened> {
  const context = options.context ?? (await book.context());
  // Count Worker constructions from the start: nothing can slip by before a listener is attached.
  // In the built book the kernel's worker is made in a runner frame (a process of its own), one
  // worker per frame: the page counts the frames it adds.
  await context.addInitScript(() => {
    if (window !== window.top) return;
    const Original = window.Worker;
    const counter = window as unknown as { nbWorkers: number };
    counter.nbWorkers = 0;
    window.Worker = class extends Original {
      constructor(url: string | URL, options?: WorkerOptions) {
        super(url, options);
        counter.nbWorkers++;
      }
    };
    new MutationObserver((records) => {
      for (const record of records) {
        for (const node of record.addedNodes) if ((node as Element).matches?.("iframe.nb-runner")) counter.nbWorkers++;
      }
    }).observe(document, { childList: true, subtree: true });
  });
  if (options.init) await context.addInitScript(options.init);
  const page = await context.newPage();
  // With storage made to fail, Starlight's own theme script throws; the cells must not.
  page.on("pageerror", (error) => {
    if (options.othersMayThrow && !/notebook|nb-|cell/i.test(error.stack ?? "")) return;
    throw new Error(`Uncaught error in the page: ${error.message}`);
  });
  await page.goto(`${inject("siteUrl")}${options.path ?? CHAPTER}${hash}`);
  await page.waitForFunction(() => customElements.get("nb-cell") !== undefined);
  const workers = () => page.evaluate(() => (window as unknown as { nbWorkers: number }).nbWorkers);
  return { page, workers };
}

async function run(page: Page, id: string): Promise<void> {
  await cell(page, id).getByRole("button", { name: "Run", exact: true }).click();
}

async function editorText(page: Page, id: string): Promise<string> {
  return cell(page, id)
    .locator(".cm-content")
    .evaluate((node) => [...node.querySelectorAll(".cm-line")].map((l) => l.textContent).join("\n"));
}

/** The weighted sum as the sum cell shows it (its KaTeX's text). */
async function sumText(page: Page): Promise<string> {
  return (await output(page, SUM).locator(".katex-html").first().textContent()) ?? "";
}

describeChapters([CHAPTER], ["site", "chromium"], "cells in the browser", () => {
  test("editing a cell and pressing Run shows its new output, and re-runs the cells that read it", async () => {
    const { page, workers } = await open();
    // Nothing heavy loads before the reader interacts: no editor, no worker.
    await page.waitForLoadState("networkidle");
    expect(await page.locator(".cm-editor").count()).toBe(0);
    expect(await workers()).toBe(0);
    const before = await output(page, SECOND).textContent();
    await replaceCode(page, FIRST, "const x = [2, 4];\nconst w = [10, 100];\nconst z = x[0] * w[0] + x[1] * w[1] + 0.5;\nz");
    await run(page, FIRST);
    await expect.poll(() => output(page, FIRST).textContent(), SLOW).toContain("420.5");
    expect(await workers()).toBe(1);
    // The cell below reads x and w: it ran again by itself, in the same worker.
    await expect.poll(() => output(page, SECOND).textContent(), SLOW).toContain("400");
    expect(before).not.toContain("400");
    expect(await cell(page, SECOND).getAttribute("class")).not.toContain("nb-stale");
  });

  test("running a later cell first runs the cells whose names it reads", async () => {
    const { page } = await open();
    await replaceCode(page, SECOND, "x.length * 1000 + w.length");
    await run(page, SECOND);
    await expect.poll(() => output(page, SECOND).textContent(), SLOW).toContain("3003");
    await expect.poll(() => cell(page, FIRST).locator(".nb-status").textContent(), SLOW).toMatch(/Ran in/);
  });

  test("a cell that assigns another cell's name is told which cell and what to do", async () => {
    const { page } = await open();
    await replaceCode(page, SECOND, "x = [1];");
    await run(page, SECOND);
    await expect
      .poll(() => output(page, SECOND).textContent(), SLOW)
      .toContain(`Cell "${SECOND}" assigns x, which cell "${FIRST}" declares`);
  });

  test("a slider moved with the keyboard updates what reads it, and only that", async () => {
    const { page } = await open();
    expect(await sumText(page)).toContain("(0.5)(1)");
    const slider = page.getByRole("slider", { name: "weight w₁" });
    await slider.focus();
    await page.keyboard.press("ArrowRight");
    // The number box follows at once, on the page; the sum follows from the worker.
    expect(await page.getByRole("spinbutton", { name: "weight w₁ (exact value)" }).inputValue()).toBe("0.6");
    await expect.poll(() => sumText(page), SLOW).toContain("(0.6)(1)");
    await expect.poll(() => sumText(page), SLOW).toContain("=−1.4");
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    await expect.poll(() => sumText(page), SLOW).toContain("(0.8)(1)");
    // Cells that do not read the sliders did not run; the sliders' own cell ran once, to start.
    expect(await cell(page, FIRST).locator(".nb-status").textContent()).toBe("");
    expect(await cell(page, SUM).locator(".nb-status").textContent()).toMatch(/Ran in/);
    // Focus stayed on the slider the whole time.
    expect(await slider.evaluate((node) => node === document.activeElement)).toBe(true);
  });

  test("a slider dragged with the pointer streams its values to what reads it", async () => {
    const { page } = await open();
    const slider = page.getByRole("slider", { name: "input x₁" });
    const value = await dragSlider(page, slider, 0.75, 0.25, 10);
    expect(value).toBeLessThan(0);
    await expect.poll(() => sumText(page), SLOW).toContain(`(0.5)(${value === 0 ? 0 : value.toString().replace("-", "−")})`);
  });

  test("a newer value cancels the older run, whose result is never shown", async () => {
    const { page } = await open();
    await replaceCode(
      page,
      SUM,
      "const mine = w1;\nawait new Promise((resolve) => setTimeout(resolve, 1500));\n`finished with ${mine}`",
    );
    await run(page, SUM);
    await expect.poll(() => output(page, SUM).textContent(), SLOW).toContain("finished with 0.5");
    const seen = await page.evaluate(() => {
      const texts: string[] = [];
      const node = document.querySelector('nb-cell[data-id="neuron-sum"] .nb-output')!;
      new MutationObserver(() => texts.push(node.textContent ?? "")).observe(node, {
        subtree: true,
        childList: true,
        characterData: true,
      });
      (window as unknown as { seen: string[] }).seen = texts;
      return texts;
    });
    expect(seen).toEqual([]);
    const slider = page.getByRole("slider", { name: "weight w₁" });
    await slider.focus();
    await page.keyboard.press("ArrowRight"); // 0.6: its run starts, then is replaced
    await expect.poll(() => cell(page, SUM).locator(".nb-status").textContent(), SLOW).toBe("Running…");
    await page.keyboard.press("ArrowRight"); // 0.7
    await expect.poll(() => output(page, SUM).textContent(), SLOW).toContain("finished with 0.7");
    // 0.6's timer ran out first, and the worker's messages come in order: had its result been
    // sent, it would have been shown by now (two frames for the page to draw what came last)
    await frames(page);
    const shown = await page.evaluate(() => (window as unknown as { seen: string[] }).seen);
    expect(shown.some((text) => text.includes("finished with 0.6"))).toBe(false);
    expect(await output(page, SUM).textContent()).toContain("finished with 0.7");
  });

  test("a runaway loop is stopped, the kernel restarts, and the page answers clicks meanwhile", async () => {
    const { page } = await open();
    await run(page, FIRST);
    await expect.poll(() => cell(page, FIRST).locator(".nb-status").textContent(), SLOW).toMatch(/Ran in/);
    await replaceCode(page, SECOND, "while (true) {}");
    await run(page, SECOND);
    await expect.poll(() => cell(page, SECOND).locator(".nb-status").textContent(), SLOW).toBe("Running…");
    // The main thread stays free: a click is handled at once, and timers keep their pace.
    const gaps = await page.evaluate(async () => {
      const probe = document.createElement("button");
      probe.textContent = "probe";
      let clicks = 0;
      probe.addEventListener("click", () => clicks++);
      document.body.append(probe);
      const times: number[] = [];
      for (let i = 0; i < 20; i++) {
        probe.click();
        times.push(performance.now());
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      probe.remove();
      return { clicks, worst: Math.max(...times.slice(1).map((t, i) => t - times[i])) };
    });
    // Code on the main thread would never give it back; on a loaded machine timers still slip.
    expect(gaps.clicks).toBe(20);
    expect(gaps.worst).toBeLessThan(1000);
    await cell(page, SECOND).getByRole("button", { name: "Stop" }).click();
    await expect
      .poll(() => page.locator(".nb-chapterbar .nb-live").textContent(), SLOW)
      .toContain("kernel was restarted");
    expect(await page.locator(".nb-chapterbar .nb-live").textContent()).toContain(`"${SECOND}"`);
    expect(await cell(page, FIRST).getAttribute("class")).toContain("nb-stale");
    // The fresh kernel works.
    await replaceCode(page, SECOND, "6 * 7");
    await run(page, SECOND);
    await expect.poll(() => output(page, SECOND).textContent(), SLOW).toContain("42");
  });

  test("a slow step after Stop is not taken for a runaway loop", async () => {
    const { page } = await open();
    // Each step computes for 1.2 s without yielding, then checks the signal.
    await replaceCode(
      page,
      FIRST,
      [
        "let steps = 0;",
        "while (!signal.aborted) {",
        "  progress({ epoch: steps + 1, epochs: 100, loss: 1 }); // a step begins",
        "  const until = Date.now() + 1200;",
        "  while (Date.now() < until) {}",
        "  steps++;",
        "  await new Promise((resolve) => setTimeout(resolve, 0)); // let Stop in",
        "}",
        "`stopped after ${steps} steps`",
      ].join("\n"),
    );
    await run(page, FIRST);
    await expect.poll(() => cell(page, FIRST).locator(".nb-status").textContent(), SLOW).toBe("Running…");
    await cell(page, FIRST).locator(".nb-progress").waitFor(SLOW); // inside its first step
    await cell(page, FIRST).getByRole("button", { name: "Stop" }).click();
    await expect.poll(() => output(page, FIRST).textContent(), SLOW).toMatch(/stopped after \d+ steps/);
    expect(await cell(page, FIRST).locator(".nb-status").textContent()).toMatch(/Stopped after/);
    expect(await page.locator(".nb-chapterbar .nb-live").textContent()).not.toContain("restarted");
  });

  test("a long run streams progress and Stop ends it, keeping its work", async () => {
    const { page } = await open();
    await replaceCode(
      page,
      FIRST,
      [
        "let seen = 0;",
        "for (let epoch = 1; epoch <= 400; epoch++) {",
        "  if (signal.aborted) break;",
        "  await new Promise((resolve) => setTimeout(resolve, 40));",
        "  seen = epoch;",
        "  progress({ epoch, epochs: 400, loss: 1 / epoch, accuracy: epoch / 400 });",
        "}",
        "`kept ${seen} epochs`",
      ].join("\n"),
    );
    await run(page, FIRST);
    const bar = cell(page, FIRST).locator(".nb-progress progress");
    await bar.waitFor(SLOW);
    await expect.poll(() => bar.evaluate((node) => (node as HTMLProgressElement).value), SLOW).toBeGreaterThan(0.02);
    await expect.poll(() => cell(page, FIRST).locator(".nb-progress svg").count(), SLOW).toBeGreaterThan(0);
    const text = await cell(page, FIRST).locator(".nb-progress span").textContent();
    expect(text).toMatch(/epoch \d+\/400 · loss [\d.]+ · accuracy [\d.]+%/);
    const updates = await cell(page, FIRST)
      .locator(".nb-progress span")
      .evaluate(async (node) => {
        const seen: number[] = [];
        // the fourth update while it runs (or what came within 30 s)
        await new Promise<void>((done) => {
          const observer = new MutationObserver(() => {
            seen.push(performance.now());
            if (seen.length < 4) return;
            observer.disconnect();
            done();
          });
          observer.observe(node, { childList: true, characterData: true, subtree: true });
          setTimeout(() => (observer.disconnect(), done()), 30_000);
        });
        return seen;
      });
    // Updates keep coming while it runs (every 100 ms): counted, not timed, for a loaded machine.
    expect(updates.length).toBeGreaterThan(3);
    await cell(page, FIRST).getByRole("button", { name: "Stop" }).click();
    await expect.poll(() => output(page, FIRST).textContent(), SLOW).toMatch(/kept \d+ epochs/);
    expect(await cell(page, FIRST).locator(".nb-status").textContent()).toMatch(/Stopped/);
    expect(await page.locator(".nb-chapterbar .nb-live").textContent()).not.toContain("restarted");
  });

  test("a training cell run again draws its runs side by side, with what changed; they can be cleared", async () => {
    const { page } = await open();
    const training = (rate: number) =>
      `const rate = ${rate};\nfor (let epoch = 1; epoch <= 20; epoch++) progress({ epoch, epochs: 20, loss: Math.exp(-rate * epoch) });\n"trained"`;
    await replaceCode(page, FIRST, training(0.5));
    await run(page, FIRST);
    await expect.poll(() => output(page, FIRST).textContent(), SLOW).toContain("trained");
    expect(await output(page, FIRST).locator(".nb-training[data-runs]").count()).toBe(0);
    await replaceCode(page, FIRST, training(0.1));
    await run(page, FIRST);
    const both = output(page, FIRST).locator('.nb-training[data-runs="2"]');
    await expect.poll(() => both.count(), SLOW).toBe(1);
    // The legend says what was different in the second run; the chart says it in words too.
    expect(await both.textContent()).toContain("run 2: const rate = 0.1;");
    expect(await both.locator("svg[aria-label]").last().getAttribute("aria-label")).toMatch(
      /^Loss per epoch of 2 training runs, one line each\. run 1: loss 4\.5e-5 at epoch 20\. run 2: const rate = 0\.1;: loss 0\.135 at epoch 20\.$/,
    );
    const notice = cell(page, FIRST).locator(".nb-notice", { hasText: "last 2 runs" });
    await notice.getByRole("button", { name: "Clear the earlier runs" }).click();
    await expect.poll(() => output(page, FIRST).locator(".nb-training[data-runs]").count(), SLOW).toBe(0);
    expect(await notice.count()).toBe(0);
  });

  test("edits and slider values survive a reload; Reset restores both and can be undone", async () => {
    const { page } = await open();
    const author = await cell(page, FIRST).locator("template.nb-source").evaluate((t) => (t as HTMLTemplateElement).content.textContent);
    await replaceCode(page, FIRST, "const edited = 1;\nedited");
    const slider = page.getByRole("slider", { name: "weight w₂" });
    await slider.focus();
    await page.keyboard.press("ArrowLeft");
    // values are saved a moment after they settle
    await expect.poll(() => page.evaluate(() => Object.values(localStorage).join(" ")), SLOW).toContain("-1.1");
    await page.reload();
    await cell(page, FIRST).locator(".cm-content").waitFor();
    expect(await editorText(page, FIRST)).toBe("const edited = 1;\nedited");
    expect(await page.getByRole("slider", { name: "weight w₂" }).inputValue()).toBe("-1.1");
    await expect.poll(() => page.locator(".nb-chapterbar .nb-live").textContent(), SLOW).toContain("Your changes are back");
    await cell(page, FIRST).getByRole("button", { name: "Reset", exact: true }).click();
    expect(await editorText(page, FIRST)).toBe(author);
    await cell(page, FIRST).getByRole("button", { name: "Undo reset" }).click();
    expect(await editorText(page, FIRST)).toBe("const edited = 1;\nedited");
    await cell(page, SLIDERS).getByRole("button", { name: "Reset", exact: true }).click();
    expect(await page.getByRole("slider", { name: "weight w₂" }).inputValue()).toBe("-1");
    await cell(page, FIRST).getByRole("button", { name: "Reset", exact: true }).click();
    await page.reload();
    await settled(page); // the cells upgraded, what was saved restored
    expect(await cell(page, FIRST).locator(".cm-editor").count()).toBe(0);
    expect(await page.getByRole("slider", { name: "weight w₂" }).inputValue()).toBe("-1");
  });

  test("Reset on a cell of controls puts the controls back, and what reads them follows", async () => {
    const { page } = await open();
    const alt = () => output(page, SUM).locator("svg[aria-label]").first().getAttribute("aria-label");
    const slider = page.getByRole("slider", { name: "weight w₂" });
    await slider.focus();
    await page.keyboard.press("ArrowLeft");
    await expect.poll(alt, SLOW).toContain("w₂ = −1.1 ");
    await cell(page, SLIDERS).getByRole("button", { name: "Reset", exact: true }).click();
    expect(await slider.inputValue()).toBe("-1");
    await expect.poll(alt, SLOW).toContain("w₂ = −1 ");
  });

  test("saved changes are kept per book: another base path on the same origin does not see them", async () => {
    const { page } = await open();
    await replaceCode(page, FIRST, "const mine = 1;\nmine");
    const keys = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("nb:")));
    const base = new URL(inject("siteUrl")).pathname;
    expect(keys).toEqual([`nb:v2:${base}:the-neuron`]);
  });

  test("an edit based on an older author version says so and can be compared", async () => {
    const { page } = await open();
    const base = new URL(inject("siteUrl")).pathname;
    await page.evaluate(
      ([key, id]) =>
        localStorage.setItem(key, JSON.stringify({ cells: { [id]: { code: "let z = 99;\nz", base: "00000000" } }, inputs: {} })),
      [`nb:v2:${base}:the-neuron`, FIRST],
    );
    await page.reload();
    const notice = cell(page, FIRST).locator(".nb-notice", { hasText: "older version" });
    await notice.waitFor(SLOW);
    await notice.getByRole("button", { name: "Compare" }).click();
    // The author's lines show inline, struck through, with a button to take each change.
    const deleted = cell(page, FIRST).locator(".cm-deletedChunk");
    await expect.poll(() => deleted.count(), SLOW).toBeGreaterThan(0);
    expect(await deleted.first().textContent()).toContain("const x = [1.0, 2.0, 3.0];");
    await cell(page, FIRST).getByRole("button", { name: "Take the author's" }).first().click();
    await expect.poll(() => editorText(page, FIRST), SLOW).toContain("const x = [1.0, 2.0, 3.0];");
    await cell(page, FIRST).getByRole("button", { name: "Done comparing" }).click();
    expect(await deleted.count()).toBe(0);
  });

  test("storage that is unavailable or corrupt leaves editing working, with a notice", async () => {
    const { page: blocked } = await open("", {
      init: () => {
        Storage.prototype.setItem = () => {
          throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
        };
      },
      othersMayThrow: true,
    });
    await replaceCode(blocked, FIRST, "1 + 1");
    await expect.poll(() => blocked.locator(".nb-chapterbar .nb-live").textContent(), SLOW).toContain("won't be kept");
    expect(await editorText(blocked, FIRST)).toBe("1 + 1");

    const { page: corrupt } = await open();
    const base = new URL(inject("siteUrl")).pathname;
    const key = `nb:v2:${base}:the-neuron`;
    await corrupt.evaluate((k) => localStorage.setItem(k, "{not json"), key);
    await corrupt.reload();
    await expect
      .poll(() => corrupt.locator(".nb-chapterbar .nb-live").textContent(), SLOW)
      .toContain("were damaged");
    expect(await corrupt.locator(".cm-editor").count()).toBe(0);
    expect(await corrupt.evaluate((k) => localStorage.getItem(k), key)).toBeNull();
    // Set aside, not deleted, and offered for download.
    expect(await corrupt.evaluate((k) => localStorage.getItem(`${k}:damaged`), key)).toBe("{not json");
    const download = corrupt.waitForEvent("download");
    await corrupt.getByRole("button", { name: "Download the damaged part" }).click();
    expect((await download).suggestedFilename()).toBe("the-neuron-damaged-part-of-saved-changes.txt");

    // A record damaged in part: its valid cells come back.
    const partly = JSON.stringify({ cells: { [FIRST]: { code: "40 + 2", base: "old" }, other: { code: 5 } }, inputs: [] });
    await corrupt.evaluate(([k, v]) => localStorage.setItem(k, v), [key, partly]);
    await corrupt.reload();
    await expect.poll(() => corrupt.locator(".nb-chapterbar .nb-live").textContent(), SLOW).toContain("1 edited cell is back");
    expect(await editorText(corrupt, FIRST)).toBe("40 + 2");
    expect(await corrupt.evaluate((k) => localStorage.getItem(`${k}:damaged`), key)).toBe(partly);
  });

  test("after any number of links and reloads, Back to my version gives the reader's own", async () => {
    const context = await book.context();
    const { page } = await open("", { context });
    await replaceCode(page, FIRST, "const mine = 'my own';\nmine");
    const linkTo = (text: string) =>
      `#nb=${compressToEncodedURIComponent(JSON.stringify({ v: 1, cells: { [FIRST]: `"${text}"` }, inputs: {}, at: null }))}`;
    const live = page.locator(".nb-chapterbar .nb-link");
    for (const text of ["first link", "second link"]) {
      await page.goto(`${inject("siteUrl")}${CHAPTER}${linkTo(text)}`);
      await page.reload();
      await live.getByRole("button", { name: "Open the link's version" }).click();
      await expect.poll(() => editorText(page, FIRST), SLOW).toBe(`"${text}"`);
      await page.reload();
      await expect.poll(() => editorText(page, FIRST), SLOW).toBe(`"${text}"`);
    }
    await live.getByRole("button", { name: "Back to my version" }).click();
    await expect.poll(() => editorText(page, FIRST), SLOW).toBe("const mine = 'my own';\nmine");
  });

  test("two tabs editing two cells: both edits are kept, and each tab sees the other's", async () => {
    const context = await book.context();
    const { page: one } = await open("", { context });
    const { page: two } = await open("", { context });
    await replaceCode(one, FIRST, "'from tab one'");
    await replaceCode(two, SECOND, "'from tab two'");
    // Each tab shows the other's edit (the storage event), and neither overwrote the other.
    await expect.poll(() => editorText(one, SECOND), SLOW).toBe("'from tab two'");
    await expect.poll(() => editorText(two, FIRST), SLOW).toBe("'from tab one'");
    await one.reload();
    await expect.poll(() => editorText(one, FIRST), SLOW).toBe("'from tab one'");
    await expect.poll(() => editorText(one, SECOND), SLOW).toBe("'from tab two'");
  });

  test("a slider moved right before a reload keeps its value", async () => {
    const { page } = await open();
    const slider = page.getByRole("slider", { name: "weight w₁" });
    await slider.focus();
    await page.keyboard.press("ArrowRight");
    const moved = await slider.inputValue();
    expect(moved).not.toBe("0.5");
    await page.reload();
    await expect.poll(() => page.getByRole("slider", { name: "weight w₁" }).inputValue(), SLOW).toBe(moved);
  });

  test("a shared link carries edits and slider values, runs nothing, and keeps the reader's own work", async () => {
    // The reader has an edit of their own.
    const context = await book.context();
    const { page: first } = await open("", { context });
    await replaceCode(first, FIRST, "const mine = 'my own';\nmine");
    await first.close();

    const code = "const shared = 'from a link';\nshared";
    const data = { v: 1, cells: { [FIRST]: code }, inputs: { [`${SLIDERS}:2`]: 1.5 }, at: null };
    const hash = `#nb=${compressToEncodedURIComponent(JSON.stringify(data))}`;
    const { page, workers } = await open(hash, { context });
    const live = page.locator(".nb-chapterbar .nb-link");
    await expect.poll(() => live.textContent(), SLOW).toContain("This link carries an experiment");
    // Until the reader chooses, their own version is what the page shows.
    expect(await editorText(page, FIRST)).toBe("const mine = 'my own';\nmine");
    await live.getByRole("button", { name: "Open the link's version" }).click();
    await expect.poll(() => editorText(page, FIRST), SLOW).toBe(code);
    expect(await page.getByRole("slider", { name: "weight w₁" }).inputValue()).toBe("1.5");
    // Nothing ran: no worker was even constructed, and the outputs are still the book's.
    await page.waitForTimeout(2000);
    expect(await workers()).toBe(0);
    expect(await output(page, FIRST).textContent()).not.toContain("from a link");
    expect(await sumText(page)).toContain("(0.5)(1)");
    // Run all runs the link's version.
    await live.getByRole("button", { name: "Run all" }).click();
    await expect.poll(() => output(page, FIRST).textContent(), SLOW).toContain("from a link");
    await expect.poll(() => sumText(page), SLOW).toContain("(1.5)(1)");
    // And the reader can go back to their own.
    await live.getByRole("button", { name: "Back to my version" }).click();
    await expect.poll(() => editorText(page, FIRST), SLOW).toBe("const mine = 'my own';\nmine");
    expect(await page.getByRole("slider", { name: "weight w₁" }).inputValue()).toBe("0.5");

    // Share makes such a link from the page's own changes.
    await page.getByRole("button", { name: "Share your changes" }).click();
    const link = await page.locator("input.nb-share-link").inputValue();
    expect(link).toContain("#nb=");

    const { page: broken } = await open("#nb=%%%not-lz");
    await expect.poll(() => broken.locator(".nb-chapterbar .nb-link").textContent(), SLOW).toContain("could not be opened");
    await replaceCode(broken, FIRST, "1");
    expect(await editorText(broken, FIRST)).toBe("1");
  });

  test("with JavaScript off, every control shows its default and its readers' outputs", async () => {
    const context = await book.context({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${inject("siteUrl")}${CHAPTER}`);
    for (const [name, value] of [["input x₁", "1"], ["input x₂", "2"], ["weight w₁", "0.5"], ["weight w₂", "-1"]]) {
      expect(await page.getByRole("slider", { name }).inputValue()).toBe(value);
    }
    expect(await sumText(page)).toContain("=−1.5");
    // The toolbars' buttons, which need script, are not shown.
    expect(await cell(page, FIRST).getByRole("button", { name: "Run", exact: true }).isVisible()).toBe(false);
  });

  test("HTML from a cell is sanitized: an onerror payload does not execute", async () => {
    const { page } = await open();
    await replaceCode(
      page,
      FIRST,
      [
        "display.html(",
        "  '<img src=x onerror=\"document.title=`pwned`\">' +",
        "    '<svg onload=\"document.title=`pwned`\"><a href=\"javascript:alert(1)\"><text>t</text></a></svg>' +",
        "    '<p>safe text</p><style>body { display: none }</style>',",
        ");",
        "'shown'",
      ].join("\n"),
    );
    await run(page, FIRST);
    await expect.poll(() => output(page, FIRST).textContent(), SLOW).toContain("safe text");
    expect(await page.title()).not.toBe("pwned");
    const out = output(page, FIRST);
    expect(await out.locator("img, style, script").count()).toBe(0);
    expect(await out.evaluate((node) => node.innerHTML)).not.toMatch(/onerror|onload|javascript:/);
    expect(await page.locator("body").isVisible()).toBe(true);
  });

  test("everything works from the keyboard alone", async () => {
    const { page } = await open();
    await page.getByRole("button", { name: "Run all" }).focus();
    await page.keyboard.press("Enter");
    const statuses = () => page.locator("nb-cell .nb-status").allTextContents();
    await expect.poll(async () => (await statuses()).every((s) => /Ran in/.test(s)), SLOW).toBe(true);
    // Tab from the bar to the first cell's Run button.
    let found = false;
    for (let i = 0; i < 10 && !found; i++) {
      await page.keyboard.press("Tab");
      found = await page.evaluate(
        (id) =>
          document.activeElement?.closest(`nb-cell[data-id="${id}"]`) !== null &&
          document.activeElement?.textContent === "Run",
        FIRST,
      );
    }
    expect(found).toBe(true);
    await page.keyboard.press("Enter");
    await expect.poll(() => cell(page, FIRST).locator(".nb-status").textContent(), SLOW).toMatch(/Ran in/);
    // The toolbar is one Tab stop: the arrow keys move in it (Stop, disabled when idle, skipped).
    await page.keyboard.press("ArrowRight");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Edit");
    await page.keyboard.press("Enter");
    await expect.poll(() => page.evaluate(() => document.activeElement?.classList.contains("cm-content")), SLOW).toBe(true);
    await page.keyboard.press("ControlOrMeta+A");
    await page.keyboard.insertText("const x = [3];\nconst w = [111];\nx[0] * w[0]");
    await page.keyboard.press("Shift+Enter");
    await expect.poll(() => output(page, FIRST).textContent(), SLOW).toContain("333");
    // Escape then Shift+Tab leaves the editor (no focus trap) for the toolbar; End reaches Reset,
    // then Tab reaches Undo.
    await page.keyboard.press("Escape");
    await page.keyboard.press("Shift+Tab");
    expect(await page.evaluate(() => document.activeElement?.closest("[role=toolbar]") !== null)).toBe(true);
    await page.keyboard.press("End");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Reset");
    await page.keyboard.press("Enter");
    expect(await editorText(page, FIRST)).not.toContain("111");
    for (let i = 0; i < 8; i++) {
      // Tab indents in the editor: Escape first makes it move on.
      if (await page.evaluate(() => document.activeElement?.closest(".cm-editor") !== null)) {
        await page.keyboard.press("Escape");
      }
      await page.keyboard.press("Tab");
      if ((await page.evaluate(() => document.activeElement?.textContent)) === "Undo reset") break;
    }
    expect(await editorText(page, FIRST)).not.toContain("111");
    await page.keyboard.press("Enter");
    expect(await editorText(page, FIRST)).toContain("111");
  });
});

describeChapters([CHAPTER], ["site", "chromium"], "the kernel worker's troubles", () => {
  test("Stop while the kernel is still starting drops the run", async () => {
    const context = await book.context();
    // The worker's script arrives late: the kernel is still starting when Stop is pressed.
    await context.route(/\/worker[^/]*\.js/, async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 3000));
      await route.continue();
    });
    const { page } = await open("", { context });
    await run(page, FIRST);
    await cell(page, FIRST).getByRole("button", { name: "Stop" }).click();
    await expect.poll(() => cell(page, FIRST).locator(".nb-status").textContent(), SLOW).toBe("Stopped before it started.");
    expect(await cell(page, FIRST).getAttribute("aria-busy")).toBe("false");
    // Nothing ran later either, and the next Run works.
    await page.waitForTimeout(1500);
    expect(await cell(page, FIRST).locator(".nb-status").textContent()).toBe("Stopped before it started.");
    await run(page, FIRST);
    await expect.poll(() => cell(page, FIRST).locator(".nb-status").textContent(), SLOW).toMatch(/Ran in/);
  });

  test("a worker that fails to start is started again", async () => {
    const context = await book.context();
    let failures = 0;
    await context.route(/\/worker[^/]*\.js/, (route) => {
      if (failures++ === 0) return route.fulfill({ status: 500, body: "no" });
      return route.continue();
    });
    const { page } = await open("", { context });
    await run(page, FIRST);
    await expect.poll(() => cell(page, FIRST).locator(".nb-status").textContent(), SLOW).toMatch(/Ran in/);
    expect(failures).toBeGreaterThanOrEqual(2);
  });

  test("a worker that dies is noticed, the cell says so, and the next Run starts a new one", async () => {
    const { page, workers } = await open();
    await replaceCode(page, FIRST, "close(); // the worker ends itself\nawait new Promise(() => {});");
    await run(page, FIRST);
    await expect
      .poll(() => cell(page, FIRST).locator(".nb-status").textContent(), { timeout: 40_000 })
      .toMatch(/The kernel stopped working/);
    await replaceCode(page, FIRST, "6 * 7");
    await run(page, FIRST);
    await expect.poll(() => output(page, FIRST).textContent(), SLOW).toContain("42");
    expect(await workers()).toBe(2);
  });
});

// useBook's pages close with the test that opened them (a training left running would take the
// next tests' CPU), unless kept for the file's next tests.
describeChapters([CHAPTER], ["site", "chromium"], "the pages a test opens", () => {
  let opened: BrowserContext;
  let kept: BrowserContext;
  test("are open while the test runs", async () => {
    opened = await book.context();
    kept = await book.context({}, true);
    await (await opened.newPage()).close();
  });
  test("are closed when it ends, unless kept", async () => {
    await expect(opened.newPage()).rejects.toThrow(/closed/);
    await (await kept.newPage()).close();
  });
});
