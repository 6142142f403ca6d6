import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { parseHTML } from "linkedom";
import { compressToEncodedURIComponent } from "lz-string";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { HEADER_POLICY, inlineScriptHashes, pagePolicy, withPolicy } from "../../src/csp.ts";
import { launchBrowser } from "../support/browser.ts";
import { chapters } from "../support/chapters.ts";
import { hostileHtml, hostileVectors, linkBomb } from "../support/hostile.ts";
import { MAX_PACKED } from "../../src/notebook/client/share.ts";
import { BASE, SITE_DIR, serveSite } from "../support/site.ts";
import { cell } from "../support/pages.ts";
import { describeChapters, describeNeeding } from "../support/suites.ts";

/** A fresh context and page of `browser` for one test, closed whatever happens. */
async function withPage(browser: Browser, use: (page: Page, context: BrowserContext) => Promise<void>): Promise<void> {
  const context = await browser.newContext();
  try {
    await use(await context.newPage(), context);
  } finally {
    await context.close();
  }
}

// A reader opens a stranger's share link and presses Run. The output must stay in its box and
// call no one: no request leaves the site's origin, no dialog opens, nothing outside the output is
// covered, no form remains. The sanitizer and the content security policy each hold on their own.

const CHAPTER = "the-neuron/";
const CELL = "neuron-output";
/** The first Run starts the kernel worker; on a busy two-core machine that can take seconds. */
const SLOW = { timeout: 30_000 };

/** Another host: a loopback server on its own port (another origin) that counts every request. */
interface Stranger {
  origin: string;
  hits: string[];
  server: Server;
}

function startStranger(): Promise<Stranger> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    res.writeHead(200, { "content-type": "text/plain", "access-control-allow-origin": "*" });
    res.end("stranger");
  });
  return new Promise((done) => {
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      done({ origin: `http://127.0.0.1:${port}`, hits, server });
    });
  });
}

/** What a page did that it must not: requests off the origin, dialogs, errors in the page. */
interface Watch {
  offOrigin: string[];
  dialogs: string[];
}

function watch(context: BrowserContext, page: Page, siteUrl: string): Watch {
  const origin = new URL(siteUrl).origin;
  const seen: Watch = { offOrigin: [], dialogs: [] };
  const offOrigin = (url: string) => !url.startsWith(origin) && !/^(data|blob):/.test(url);
  // A request the browser blocked (the policy: "csp"; SVG's same-origin rule for external
  // references: "origin") never left it; any other one did, answered or not.
  context.on("requestfinished", (request) => {
    if (offOrigin(request.url())) seen.offOrigin.push(request.url());
  });
  context.on("requestfailed", (request) => {
    const error = request.failure()?.errorText ?? "";
    if (offOrigin(request.url()) && !/^(csp|origin)$|ERR_BLOCKED_BY_CSP/.test(error)) {
      seen.offOrigin.push(`${request.url()} (${error})`);
    }
  });
  page.on("dialog", (dialog) => {
    seen.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return seen;
}

function output(page: Page, cellId = CELL) {
  return page.locator(`nb-cell[data-id="${cellId}"] .nb-output`);
}

/** Opens the chapter with a share link that carries `code` for the cell; nothing runs yet. */
async function openShared(page: Page, siteUrl: string, code: string): Promise<void> {
  const data = { v: 1, cells: { [CELL]: code }, inputs: {}, at: CELL };
  await page.goto(`${siteUrl}${CHAPTER}#nb=${compressToEncodedURIComponent(JSON.stringify(data))}`);
  await page.locator(".nb-chapterbar .nb-link", { hasText: "Opened the link's experiment" }).waitFor(SLOW);
}

async function run(page: Page, cellId = CELL): Promise<void> {
  await page.locator(`nb-cell[data-id="${cellId}"]`).getByRole("button", { name: "Run", exact: true }).click();
}

/** Does what a reader might do to an output: hover, click its links and buttons, tab through. */
async function provoke(page: Page): Promise<void> {
  const box = output(page);
  await box.scrollIntoViewIfNeeded();
  await box.locator(".hostile-hover").hover({ timeout: 2_000 }).catch(() => {});
  for (const link of await box.locator("a, button, input").all()) {
    await link.click({ force: true, timeout: 2_000, noWaitAfter: true }).catch(() => {});
  }
  for (let i = 0; i < 6; i++) await page.keyboard.press("Tab");
  await page.waitForTimeout(1_000);
}

/**
 * Points of the viewport outside the output's box (on a 24px grid) where the topmost element
 * belongs to the output, with the output in the middle of the screen and with the page at the top.
 */
function coveredOutside(page: Page, cellId = CELL): Promise<string[]> {
  return page.evaluate(async (cellId) => {
    const out = document.querySelector(`nb-cell[data-id="${cellId}"] .nb-output`)!;
    const covered: string[] = [];
    const scan = (where: string) => {
      const r = out.getBoundingClientRect();
      for (let x = 2; x < innerWidth; x += 24) {
        for (let y = 2; y < innerHeight; y += 24) {
          if (x >= r.left - 1 && x <= r.right + 1 && y >= r.top - 1 && y <= r.bottom + 1) continue;
          const hit = document.elementFromPoint(x, y);
          if (hit && out.contains(hit)) covered.push(`${where} (${x}, ${y}): ${hit.outerHTML.slice(0, 80)}`);
        }
      }
    };
    out.scrollIntoView({ block: "center" });
    await new Promise(requestAnimationFrame);
    scan("output centred");
    scrollTo(0, 0);
    await new Promise(requestAnimationFrame);
    scan("page top");
    return covered.slice(0, 10);
  }, cellId);
}

/** What the output holds that it must not: forms, loaders, fixed boxes, ids without its prefix. */
function leftovers(page: Page): Promise<string[]> {
  return output(page).evaluate((out) => {
    const found: string[] = [];
    const banned = "form, input, button, select, textarea, img, picture, source, video, audio, iframe, object, embed, link, meta, base, style, script, dialog, [popover]";
    for (const el of out.querySelectorAll(banned)) found.push(`element <${el.localName}>`);
    for (const el of out.querySelectorAll("*")) {
      const { position } = getComputedStyle(el);
      if (position === "fixed" || position === "sticky") found.push(`${position}: ${el.outerHTML.slice(0, 60)}`);
      for (const attr of el.attributes) {
        if (/^on/i.test(attr.name)) found.push(`handler ${attr.name}`);
        if (/javascript:/i.test(attr.value)) found.push(`javascript: in ${attr.name}`);
      }
      if (el.id && !/^nbo\d+-/.test(el.id)) found.push(`id without the output's prefix: ${el.id}`);
    }
    const sidebar = document.getElementById("starlight__sidebar");
    if (!sidebar || out.contains(sidebar)) found.push("the page's #starlight__sidebar is the output's");
    const ids = [...document.querySelectorAll("[id]")].map((el) => el.id);
    const twice = ids.filter((id, i) => ids.indexOf(id) !== i);
    if (twice.length) found.push(`ids used twice in the page: ${twice.join(", ")}`);
    return found;
  });
}

describeChapters([CHAPTER, "the-perceptron"], ["site", "chromium"], "a hostile output from a share link", () => {
  const siteUrl = inject("siteUrl");
  let browser: Browser;
  let stranger: Stranger;
  /** No request reached the other host or left the origin, and no dialog opened. */
  const expectNothingOut = (seen: Watch) => {
    expect(stranger.hits, "requests that reached the other host").toEqual([]);
    expect(seen.offOrigin, "requests that left the origin").toEqual([]);
    expect(seen.dialogs).toEqual([]);
  };
  let hostileCode: string;

  beforeAll(async () => {
    browser = await launchBrowser();
    stranger = await startStranger();
    hostileCode = `display.html(${JSON.stringify(hostileHtml(stranger.origin))});\n"ran"`;
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((done) => stranger?.server.close(done));
  });

  /** Opens the share link, checks nothing ran, runs it, provokes it; what it did. */
  async function runHostile(context: BrowserContext) {
    const page = await context.newPage();
    const seen = watch(context, page, siteUrl);
    stranger.hits.length = 0;
    await openShared(page, siteUrl, hostileCode);
    await page.waitForTimeout(500);
    // Opening the link ran nothing.
    expect(await output(page).textContent()).not.toContain("Hostile output rendered");
    expect(stranger.hits).toEqual([]);
    await run(page);
    await output(page).locator(".hostile-marker").waitFor(SLOW);
    await provoke(page);
    return { page, seen };
  }

  test("under the book's policy: it calls no one, opens no dialog, covers nothing, keeps no form", async () => {
    const context = await browser.newContext();
    try {
      const { page, seen } = await runHostile(context);
      expectNothingOut(seen);
      expect(await leftovers(page)).toEqual([]);
      expect(await coveredOutside(page)).toEqual([]);
      // The cell's own toolbar still answers.
      const run = page.locator(`nb-cell[data-id="${CELL}"]`).getByRole("button", { name: "Run", exact: true });
      await run.scrollIntoViewIfNeeded();
      const hit = await run.evaluate((button) => {
        const r = button.getBoundingClientRect();
        return button.contains(document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2));
      });
      expect(hit, "the Run button is covered").toBe(true);
    } finally {
      await context.close();
    }
  }, 120_000);

  test("the sanitizer alone (policy bypassed) lets no request out and no script run", async () => {
    const context = await browser.newContext({ bypassCSP: true });
    try {
      const { page, seen } = await runHostile(context);
      expectNothingOut(seen);
      expect(await leftovers(page)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  test("the policy alone (sanitizer bypassed) lets no request out and no script run", async () => {
    await withPage(browser, async (page, context) => {
      const seen = watch(context, page, siteUrl);
      stranger.hits.length = 0;
      await page.goto(`${siteUrl}${CHAPTER}`);
      // The raw markup, straight into the page. A <meta http-equiv=refresh> navigates and a
      // <style> restyles the page whatever the policy says (styles must be inline-able for Plot):
      // keeping them out of outputs is the sanitizer's job alone. The rest the policy must stop.
      const vectors = hostileVectors(stranger.origin);
      const raw =
        Object.entries(vectors)
          .filter(([name]) => name !== "link and meta" && name !== "page-wide style")
          .map(([, html]) => html)
          .join("\n") +
        `<style>@import url(${stranger.origin}/import.css);</style>` +
        `<link rel="stylesheet" href="${stranger.origin}/link.css"><base href="${stranger.origin}/">`;
      await output(page).evaluate((out, raw) => (out.innerHTML = raw), raw);
      await provoke(page);
      expectNothingOut(seen);
    });
  }, 120_000);

  test("a chart looks the same after Run as the build shipped it", async () => {
    await withPage(browser, async (page) => {
      await page.goto(`${siteUrl}the-perceptron/`);
      // What the sanitizer decides: each element, its attributes (ids normalized) and its text.
      // Plot's geometry (`transform`) is left out: the build's Plot draws without the half-pixel
      // offsets the worker's adds (the Node host gives Plot no devicePixelRatio).
      const normalized = () =>
        output(page, "or-perceptron").evaluate((out) =>
          [...out.querySelectorAll("*")].map((el) => {
            const attributes = [...el.attributes]
              .filter((a) => a.name !== "transform")
              .map((a) => `${a.name}=${a.value.replace(/(nbs-|nbo\d+-)[\w-]*/g, "ID")}`)
              .sort();
            return `${el.localName} ${attributes.join(" ")} ${el.children.length ? "" : el.textContent}`;
          }),
        );
      const before = await normalized();
      expect(before.some((line) => line.startsWith("svg "))).toBe(true);
      await run(page, "or-perceptron");
      await expect.poll(() => page.locator('nb-cell[data-id="or-perceptron"] .nb-status').textContent(), SLOW).toMatch(/Ran in/);
      expect(await normalized()).toEqual(before);
    });
  }, 120_000);

  test("on a host that also sends the header form, the book works and cell code calls no one", async () => {
    const { url, server } = await serveSite(SITE_DIR, BASE, { "content-security-policy": HEADER_POLICY });
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(error.message));
      stranger.hits.length = 0;
      const code = [
        `const reply = await fetch(${JSON.stringify(`${stranger.origin}/from-the-worker`)}).then(`,
        `  () => "reached", (error) => "blocked: " + error.message);`,
        `import * as Plot from "@observablehq/plot";`,
        `display(Plot.plot({ marks: [Plot.dot([[1, 2], [2, 3]])], ariaLabel: "two dots" }));`,
        `reply`,
      ].join("\n");
      await openShared(page, url, code);
      await run(page);
      await expect.poll(() => output(page).textContent(), SLOW).toMatch(/blocked|reached/);
      expect(await output(page).textContent()).toContain("blocked");
      expect(await output(page).locator("svg[aria-label='two dots']").count()).toBe(1);
      expect(stranger.hits).toEqual([]);
      // Search (Pagefind's WebAssembly and its worker) works under the header too.
      await page.getByRole("button", { name: "Search" }).click();
      const input = page.locator("dialog .pagefind-ui__search-input");
      await input.waitFor({ timeout: 15_000 });
      await input.fill("perceptron");
      await page.locator(".pagefind-ui__result-link").first().waitFor({ timeout: 20_000 });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
      await new Promise((done) => server.close(done));
    }
  }, 120_000);

  // The <meta> policy does not reach the kernel worker: a worker started from a URL of the site
  // takes its policy from its own response's headers, and a static host sends none. Starting the
  // worker from a blob: URL (which inherits the page's policy) closes this; then make this a test.
  test("on hosts without headers too, a cell's own code cannot fetch another host from the worker", async () => {
    await withPage(browser, async (page) => {
      stranger.hits.length = 0;
      const code = `await fetch(${JSON.stringify(`${stranger.origin}/from-the-worker`)}).then(() => "reached", () => "blocked")`;
      await openShared(page, siteUrl, code);
      await run(page);
      await expect.poll(() => output(page).textContent(), SLOW).toMatch(/blocked|reached/);
      expect(stranger.hits).toEqual([]);
    });
  }, 120_000);
});

/** Opens the chapter with a share link carrying these cells' code. */
async function openSharedCells(page: Page, siteUrl: string, cells: Record<string, string>): Promise<void> {
  const data = { v: 1, cells, inputs: {}, at: Object.keys(cells)[0] };
  await page.goto(`${siteUrl}${CHAPTER}#nb=${compressToEncodedURIComponent(JSON.stringify(data))}`);
}

async function ran(page: Page, cellId = CELL): Promise<string> {
  const status = page.locator(`nb-cell[data-id="${cellId}"] .nb-status`);
  await expect.poll(() => status.textContent(), SLOW).toMatch(/Ran in|Failed/);
  return (await status.textContent()) ?? "";
}

describeNeeding(["site", "chromium"], "what a cell sends the page, and what a link carries", () => {
  const siteUrl = inject("siteUrl");
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  test("a hand-made control spec, for each kind and each field, is refused: nothing is inserted, the tab stays", async () => {
    await withPage(browser, async (page) => {
      const evil = `1"><meta http-equiv="refresh" content="0;url=data:text/html,gone"><style>*{display:none}</style>`;
      const fields: Record<string, string[]> = {
        range: ["min", "max", "step", "value"],
        number: ["min", "max", "step", "value"],
        select: ["options", "value"],
        radio: ["options", "value"],
        checkbox: ["options", "value"],
        toggle: ["value"],
        button: ["text", "value"],
        text: ["placeholder", "value"],
        training: ["speed", "value"],
        points: ["x", "y", "classes", "value"],
        draw: ["width", "height", "value"],
      };
      const code = [
        // In a function: the cell declares no names (which another cell of the chapter could hold).
        `await (async () => {`,
        `const evil = ${JSON.stringify(evil)};`,
        `const fields = ${JSON.stringify(fields)};`,
        // Look-alikes of every field, and a genuine control whose spec is changed after it was made.
        `let refused = 0, tried = 0;`,
        `for (const [type, names] of Object.entries(fields)) for (const name of names) {`,
        `  tried++;`,
        `  try { view({ spec: { type, label: "x", min: null, max: null, step: null, [name]: evil } }); } catch { refused++; }`,
        `}`,
        `const made = Inputs.number([0, 9], { label: "n" });`,
        `try { made.spec.value = evil; } catch { refused++; }`,
        `tried++;`,
        `return \`refused \${refused} of \${tried}\`;`,
        `})()`,
      ].join("\n");
      await openSharedCells(page, siteUrl, { [CELL]: code });
      await page.locator(".nb-chapterbar .nb-link", { hasText: "Opened the link's experiment" }).waitFor(SLOW);
      await run(page);
      await ran(page);
      const total = Object.values(fields).flat().length + 1;
      await expect.poll(() => output(page).textContent(), SLOW).toContain(`refused ${total} of ${total}`);
      expect(await page.locator("meta[http-equiv=refresh], nb-cell style, .nb-output style").count()).toBe(0);
      expect(page.url()).toContain(CHAPTER);
      expect(await output(page).locator(".nb-input").count()).toBe(0);
    });
  }, 120_000);

  test("cell code posing as the kernel (cell, progress, training, stray, a second port) reaches nothing that acts", async () => {
    await withPage(browser, async (page) => {
      const debug: string[] = [];
      page.on("console", (message) => {
        if (message.type() === "debug") debug.push(message.text());
      });
      const forged = [
        `{ type: "cell", id: "neuron-contributions", run: 9999, status: "done", durationMs: 1, parts: [{ kind: "html", html: "<p class='forged'>owned</p>" }] }`,
        `{ type: "cell", id: "neuron-output", run: 9999, status: "done", durationMs: 1, parts: [{ kind: "html", html: "<p class='forged'>owned</p>" }] }`,
        `{ type: "progress", id: "neuron-output", run: 9999, progress: { text: "forged progress", html: "<div class='forged'>x</div>" } }`,
        `{ type: "training", key: "neuron-sliders:0", status: { state: "playing", epoch: 1, batch: 1, batches: 1 } }`,
        `{ type: "stray", message: "forged stray" }`,
        `{ type: "ready" }`,
      ];
      const code = [
        `await (async () => {`,
        `const g = globalThis;`,
        `const forged = [${forged.join(", ")}];`,
        `for (const message of forged) { g.postMessage(message); g.self.postMessage(message); }`,
        // Posing as the page: a second "connect" with a port of its own, and listening in.
        `const mine = new g.MessageChannel();`,
        `g.dispatchEvent(new g.MessageEvent("message", { data: { type: "connect" }, ports: [mine.port2] }));`,
        `let heard = 0; mine.port1.onmessage = () => heard++; g.onmessage = () => heard++;`,
        `let workers = "blocked"; try { new g.Worker(g.location.href); workers = "started"; } catch {}`,
        `await new Promise((done) => setTimeout(done, 300));`,
        `return \`sent; heard \${heard}; second worker \${typeof g.Worker === "function" ? "available" : workers}\`;`,
        `})()`,
      ].join("\n");
      await openSharedCells(page, siteUrl, { [CELL]: code });
      await page.locator(".nb-chapterbar .nb-link", { hasText: "Opened the link's experiment" }).waitFor(SLOW);
      await run(page);
      expect(await ran(page)).toMatch(/Ran in/);
      await expect.poll(() => output(page).textContent(), SLOW).toContain("sent; heard 0; second worker blocked");
      expect(await page.locator(".forged").count()).toBe(0);
      // Nothing it sent shows: no output, status, notice or progress (its own code does hold the words).
      const shown = await page.locator(".nb-output, .nb-status, .nb-notice, .nb-progress, .nb-chapterbar").allTextContents();
      expect(shown.join("\n")).not.toMatch(/forged|owned/);
      expect(debug.some((text) => text.includes("outside the kernel's channel"))).toBe(true);
    });
  }, 120_000);

  test("the progress box is confined: a positioned block in it covers nothing outside it", async () => {
    await withPage(browser, async (page) => {
      await page.goto(`${siteUrl}${CHAPTER}`);
      await page.waitForFunction(() => customElements.get("nb-cell") !== undefined);
      // What a kernel could send as a progress chart after sanitizing: an absolutely positioned block.
      const covered = await page.evaluate(async (cellId) => {
        const cell = document.querySelector(`nb-cell[data-id="${cellId}"]`) as HTMLElement & {
          showProgress(progress: { text: string; fraction?: number }, chart: DocumentFragment | null): void;
        };
        const block = document.createElement("div");
        block.className = "hostile-cover";
        block.setAttribute("style", "position:absolute;top:-2000px;left:-2000px;width:6000px;height:6000px;background:red;z-index:2147483647");
        const chart = document.createDocumentFragment();
        chart.append(block);
        cell.showProgress({ text: "<b>status</b> as text", fraction: 0.5 }, chart);
        const box = cell.querySelector(".nb-progress")!;
        box.scrollIntoView({ block: "center" });
        await new Promise(requestAnimationFrame);
        const r = box.getBoundingClientRect();
        const hits: string[] = [];
        for (let x = 2; x < innerWidth; x += 24) {
          for (let y = 2; y < innerHeight; y += 24) {
            if (x >= r.left - 1 && x <= r.right + 1 && y >= r.top - 1 && y <= r.bottom + 1) continue;
            const hit = document.elementFromPoint(x, y);
            if (hit && box.contains(hit)) hits.push(`(${x}, ${y})`);
          }
        }
        return { hits: hits.length, text: box.querySelector("span")!.innerHTML };
      }, CELL);
      expect(covered.hits, "points outside the progress box that it covers").toBe(0);
      expect(covered.text).toBe("&lt;b&gt;status&lt;/b&gt; as text");
    });
  }, 120_000);

  test.each([
    ["69 K characters that expand to 443 M", 69_000],
    ["the longest link it opens, at its worst", MAX_PACKED],
  ])("a link bomb (%s) is refused without freezing the page", async (_, length) => {
    await withPage(browser, async (page) => {
      await page.addInitScript(() => {
        const tasks: number[] = [];
        (window as unknown as { longTasks: number[] }).longTasks = tasks;
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries()) tasks.push(entry.duration);
        }).observe({ type: "longtask", buffered: true });
      });
      // Measured here, alone: neither link leaves a task over 50 ms (none is reported), with or
      // without it; an uncapped 443 M expansion would hold the page for seconds. Loading the
      // chapter itself took a task of 324 ms once in CI (three test files at once on two cores;
      // the same page loaded without the link just before: none): a task's wall time stretches
      // with the load. The aim is under 200 ms; the bound is the floods' (LONGEST_TASK_MS, below),
      // or the same page's own longest task without a link plus 100 ms if that is more.
      const longestTask = () => page.evaluate(() => Math.max(0, ...(window as unknown as { longTasks: number[] }).longTasks));
      await page.goto(`${siteUrl}${CHAPTER}`);
      await page.waitForLoadState("load");
      const baseline = await longestTask();
      const { packed } = linkBomb(length);
      await page.goto(`${siteUrl}${CHAPTER}#nb=${packed}`);
      await page.reload(); // a fragment alone would not load the page again
      await page.locator(".nb-chapterbar .nb-link", { hasText: "could not be opened" }).waitFor(SLOW);
      const longest = await longestTask();
      expect(longest, `the longest task on the page's main thread (ms; without the link: ${baseline})`).toBeLessThanOrEqual(
        Math.max(LONGEST_TASK_MS, baseline + 100),
      );
    });
  }, 120_000);

  test("a display() flood is capped in count, with a note saying so", async () => {
    await withPage(browser, async (page) => {
      await openSharedCells(page, siteUrl, { [CELL]: `for (let i = 0; i < 3000; i++) display(i);\n"done"` });
      await page.locator(".nb-chapterbar .nb-link", { hasText: "Opened the link's experiment" }).waitFor(SLOW);
      await run(page);
      expect(await ran(page)).toMatch(/Ran in/);
      await expect.poll(() => output(page).textContent(), SLOW).toContain("only the first are shown");
      expect(await output(page).locator(":scope > *").count()).toBeLessThanOrEqual(502);
    });
  }, 120_000);

  test("a link's code for a read-only cell is refused with a notice; the cell keeps the author's code", async () => {
    await withPage(browser, async (page) => {
      // The chapter as a book with a read-only cell would ship it.
      await page.route(`**/${CHAPTER}`, async (route) => {
        const response = await route.fetch();
        const html = (await response.text()).replace(
          /(<nb-cell [^>]*data-id="neuron-output"[^>]*data-options=")[^"]*"/,
          `$1{&quot;hidden&quot;:false,&quot;readonly&quot;:true,&quot;norun&quot;:false,&quot;throws&quot;:false}"`,
        );
        await route.fulfill({ response, body: html });
      });
      await page.goto(`${siteUrl}${CHAPTER}`);
      const author = await page.locator(`nb-cell[data-id="${CELL}"] template.nb-source`).evaluate((t) => (t as HTMLTemplateElement).content.textContent);
      await openSharedCells(page, siteUrl, { [CELL]: `"the link's code"`, "neuron-contributions": `"also the link's"` });
      await page.reload();
      const cell = page.locator(`nb-cell[data-id="${CELL}"]`);
      await cell.locator(".nb-notice", { hasText: "readers may not edit" }).waitFor(SLOW);
      await expect.poll(() => page.locator(".nb-chapterbar .nb-link").textContent(), SLOW).toContain(`which readers may not edit, was not loaded`);
      expect(await cell.evaluate((el) => (el as HTMLElement & { code(): string }).code())).toBe(author);
      // The other cell's code from the link is there.
      expect(await page.locator(`nb-cell[data-id="neuron-contributions"]`).evaluate((el) => (el as HTMLElement & { code(): string }).code())).toBe(`"also the link's"`);
    });
  }, 120_000);
});

// ---- floods --------------------------------------------------------------------------------
// A cell that shows too much, too fast, or something enormous: the page's main thread must stay
// free (its longest task, measured with the browser's long-task observer, stays short), and Stop
// must take effect within a second, whatever the worker is doing.

/** The flood's cell: a leaf of the chapter (no cell reads what it declares). */
const FLOOD = "zero-weight";
/**
 * The longest main-thread task allowed during a flood (ms). Measured on the two-core machine
 * shared by eight engineers' builds (load average 20 to 45): 0 to 343 ms; the largest came while
 * the page had no output to draw (a Plot the kernel was still computing): the load stretches any
 * task. Once 530 ms (a Plot of a million dots, in CI with both cores saturated by the suite and
 * other work): a task's wall time, not its work. The aim is under 200 ms; the bound is there to
 * catch what the issue reported, floods holding the page for 30 to 80 s.
 */
const LONGEST_TASK_MS = 1000;
/** Stop must show within this (ms), from the click to the cell saying it stopped: measured 401 to 407 ms. */
const STOP_MS = 1000;

/** Starts recording the page's long tasks (from its first script) and the kernel's messages. */
async function instrument(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { longTasks: number[]; kernelPorts: { seen: unknown[]; inject(data: unknown): void }[] };
    w.longTasks = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) w.longTasks.push(entry.duration);
    }).observe({ type: "longtask", buffered: true });
    // The page's end of the kernel's channel: what it hears is recorded, and a test can forge more.
    w.kernelPorts = [];
    const listen = MessagePort.prototype.addEventListener;
    MessagePort.prototype.addEventListener = function (this: MessagePort, type: string, listener: unknown, options?: unknown) {
      if (type !== "message" || typeof listener !== "function") return listen.call(this, type, listener as EventListener, options as AddEventListenerOptions);
      const record = { seen: [] as unknown[], inject: (data: unknown) => listener.call(this, new MessageEvent("message", { data })) };
      w.kernelPorts.push(record);
      return listen.call(this, type, (event: Event) => {
        record.seen.push((event as MessageEvent).data);
        listener.call(this, event);
      }, options as AddEventListenerOptions);
    } as typeof MessagePort.prototype.addEventListener;
  });
}

const longestTask = (page: Page) => page.evaluate(() => Math.max(0, ...(window as unknown as { longTasks: number[] }).longTasks));
const forgetTasks = (page: Page) => page.evaluate(() => void ((window as unknown as { longTasks: number[] }).longTasks.length = 0));

/**
 * Opens the chapter with `code` in the flood's cell, starts the kernel with another cell (its
 * start loads the controller and the sanitizer: not the flood's doing), then runs the flood.
 */
async function startFlood(page: Page, siteUrl: string, code: string): Promise<void> {
  await instrument(page);
  await openSharedCells(page, siteUrl, { [FLOOD]: code });
  await page.locator(".nb-chapterbar .nb-link", { hasText: "Opened the link's experiment" }).waitFor(SLOW);
  await run(page, "neuron-output");
  await ran(page, "neuron-output");
  await page.waitForTimeout(300);
  await forgetTasks(page);
  await run(page, FLOOD);
}

/**
 * Presses Stop and measures in the page, from the click: when the cell says it stopped (status
 * "Stopped…", no longer busy), and when its output last changed. Watches 1.5 s past that.
 */
async function stopAndTime(page: Page, cellId = FLOOD): Promise<{ saidStopped: number; lastChange: number; status: string }> {
  const cellBox = page.locator(`nb-cell[data-id="${cellId}"]`);
  await cellBox.evaluate((cell) => {
    const w = window as unknown as { stopTimes: { clicked: number; lastChange: number; saidStopped: number } };
    const times = (w.stopTimes = { clicked: 0, lastChange: 0, saidStopped: 0 });
    cell.querySelector('button[data-action="stop"]')!.addEventListener("click", () => (times.clicked = performance.now()), { capture: true });
    new MutationObserver(() => times.clicked && (times.lastChange = performance.now())).observe(cell.querySelector(".nb-output")!, {
      childList: true,
      subtree: true,
      characterData: true,
      attributes: true,
    });
    const said = () => {
      const status = cell.querySelector(".nb-status")?.textContent ?? "";
      if (times.clicked && !times.saidStopped && /^Stopped/.test(status) && !cell.classList.contains("nb-running")) times.saidStopped = performance.now();
    };
    new MutationObserver(said).observe(cell, { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ["class"] });
  });
  await cellBox.getByRole("button", { name: "Stop" }).click();
  await expect.poll(() => page.evaluate(() => (window as unknown as { stopTimes: { saidStopped: number } }).stopTimes.saidStopped), SLOW).toBeGreaterThan(0);
  await page.waitForTimeout(1_500);
  const times = await page.evaluate(() => (window as unknown as { stopTimes: { clicked: number; lastChange: number; saidStopped: number } }).stopTimes);
  const status = (await cellBox.locator(".nb-status").textContent()) ?? "";
  return { saidStopped: times.saidStopped - times.clicked, lastChange: Math.max(0, times.lastChange - times.clicked), status };
}

describeNeeding(["site", "chromium"], "floods: the page stays free, Stop works within a second", () => {
  const siteUrl = inject("siteUrl");
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  /** What each flood measured, printed at the end (the README reports them). */
  const measured: string[] = [];
  afterAll(() => console.info(`Floods, measured:\n${measured.join("\n")}`));

  test.each([
    ["a display() loop that never yields", "let i = 0;\nwhile (true) display(i++);"],
    ["a display() loop that awaits between displays", "let i = 0;\nwhile (true) {\n  display(i++);\n  await new Promise((resolve) => setTimeout(resolve, 0));\n}"],
  ])("%s: shows the first outputs with a note, the page stays free, Stop takes effect within a second", async (name, code) => {
    await withPage(browser, async (page) => {
      await startFlood(page, siteUrl, code);
      await expect.poll(() => output(page, FLOOD).textContent(), SLOW).toContain("only the first are shown");
      await page.waitForTimeout(1_000);
      const stop = await stopAndTime(page);
      const longest = await longestTask(page);
      measured.push(`${name}: longest task ${longest.toFixed(0)} ms; said it stopped ${stop.saidStopped.toFixed(0)} ms after the click; output last changed ${stop.lastChange.toFixed(0)} ms after it`);
      expect(await output(page, FLOOD).locator(":scope > *").count()).toBeLessThanOrEqual(501);
      expect(longest, "the longest task on the page's main thread during the flood (ms)").toBeLessThanOrEqual(LONGEST_TASK_MS);
      expect(stop.saidStopped, `Stop, from the click to "${stop.status}" (ms)`).toBeLessThanOrEqual(STOP_MS);
      expect(stop.lastChange, "the output's last change after the click (ms)").toBeLessThanOrEqual(STOP_MS);
    });
  }, 120_000);

  test.each([
    ["display.html of a 50 MB string", `display.html("<b>x</b>" + "x".repeat(50_000_000));\n"after it"`, /too big to show here: 50,000,0\d\d characters/],
    ["a million elements", `display.html("<i></i>".repeat(1_000_000));\n"after it"`, /too big to show here: 7,000,0\d\d characters/],
    ["ten outputs of 2 400 elements each", `for (let k = 0; k < 10; k++) display.html("<i>x</i>".repeat(2_400));\n"after it"`, /only the first are shown/],
  ])("%s: a line says what was left out, the page stays free", async (name, code, line) => {
    await withPage(browser, async (page) => {
      await startFlood(page, siteUrl, code);
      const status = await ran(page, FLOOD);
      expect(status).toMatch(/Ran in/);
      await expect.poll(() => output(page, FLOOD).textContent(), SLOW).toMatch(line);
      await page.waitForTimeout(1_000);
      const longest = await longestTask(page);
      const elements = await output(page, FLOOD).locator("*").count();
      measured.push(`${name}: longest task ${longest.toFixed(0)} ms; ${elements} elements in the output`);
      expect(elements).toBeLessThanOrEqual(10_100);
      expect(longest, "the longest task on the page's main thread during the flood (ms)").toBeLessThanOrEqual(LONGEST_TASK_MS);
    });
  }, 120_000);

  test("a Plot of a million dots: the page stays free while the kernel draws, Stop takes effect within a second", async () => {
    await withPage(browser, async (page) => {
      const code = [
        `import * as Plot from "@observablehq/plot";`,
        `const dots = Array.from({ length: 1_000_000 }, (_, i) => [i % 1000, Math.floor(i / 1000)]);`,
        `display(Plot.plot({ marks: [Plot.dot(dots)] }));`,
        `"drawn"`,
      ].join("\n");
      await startFlood(page, siteUrl, code);
      await expect.poll(() => cell(page, FLOOD).getAttribute("aria-busy"), SLOW).toBe("true");
      await page.waitForTimeout(4_000);
      const stop = await stopAndTime(page);
      const longest = await longestTask(page);
      measured.push(`a Plot of a million dots: longest task ${longest.toFixed(0)} ms; said it stopped ${stop.saidStopped.toFixed(0)} ms after the click`);
      expect(longest, "the longest task on the page's main thread (ms)").toBeLessThanOrEqual(LONGEST_TASK_MS);
      expect(stop.saidStopped, `Stop, from the click to "${stop.status}" (ms)`).toBeLessThanOrEqual(STOP_MS);
      expect(stop.lastChange).toBeLessThanOrEqual(STOP_MS);
    });
  }, 120_000);

  test("a running cell's message that skips one is refused whole; the next in order is taken", async () => {
    await withPage(browser, async (page) => {
      const debug: string[] = [];
      page.on("console", (message) => void (message.type() === "debug" && debug.push(message.text())));
      await startFlood(page, siteUrl, `display("first");\nawait new Promise((resolve) => setTimeout(resolve, 60_000));`);
      await expect.poll(() => output(page, FLOOD).textContent(), SLOW).toContain("first");
      // The last message the page took of the run: the forged ones follow it, or skip one.
      type Seen = { type?: string; id?: string; run: number; seq: number; parts: unknown[]; from: number };
      const last = await page.evaluate((id) => {
        const ports = (window as unknown as { kernelPorts: { seen: Seen[] }[] }).kernelPorts;
        const seen = ports.flatMap((p) => p.seen).filter((m) => m?.type === "cell" && m.id === id);
        return seen.at(-1)!;
      }, FLOOD);
      expect(last).toMatchObject({ status: "running" });
      const forge = (seq: number, text: string) =>
        page.evaluate(({ message }) => {
          for (const port of (window as unknown as { kernelPorts: { seen: unknown[]; inject(data: unknown): void }[] }).kernelPorts) {
            if (port.seen.some((m) => (m as { type?: string })?.type === "cell")) port.inject(message);
          }
        }, { message: { ...last, seq, from: last.from + last.parts.length, parts: [{ kind: "html", html: `<p class="forged">${text}</p>` }] } });
      await forge(last.seq + 2, "after a gap");
      await page.waitForTimeout(500);
      expect(await output(page, FLOOD).locator(".forged").count()).toBe(0);
      expect(debug.join("\n")).toContain(`message ${last.seq + 2} of run ${last.run} after message ${last.seq}: a gap`);
      await forge(last.seq + 1, "in order");
      await expect.poll(() => output(page, FLOOD).locator(".forged").textContent(), SLOW).toBe("in order");
      expect(await output(page, FLOOD).textContent()).toContain("first");
    });
  }, 120_000);
});

describeNeeding(["site", "chromium"], "a damaged saved record", () => {
  const siteUrl = inject("siteUrl");
  test("gives back its valid cells, and offers only its damaged part, with the keys, to download", async () => {
    const browser = await launchBrowser();
    try {
      const page = await (await browser.newContext()).newPage();
      await page.goto(`${siteUrl}${CHAPTER}`);
      const key = `nb:v2:${new URL(siteUrl).pathname}:the-neuron`;
      const record = {
        cells: { [CELL]: { code: "40 + 2", base: "old" }, "neuron-contributions": { code: 5 }, "zero-weight": "not a cell" },
        inputs: { "neuron-sliders:0": 0.5 },
      };
      await page.evaluate(([k, v]) => localStorage.setItem(k, v), [key, JSON.stringify(record)]);
      await page.reload();
      const live = page.locator(".nb-chapterbar .nb-live");
      await expect.poll(() => live.textContent(), SLOW).toContain("1 edited cell is back");
      expect(await live.textContent()).toContain('what could not be read (cell "neuron-contributions", cell "zero-weight") is set aside');
      expect(await page.locator(`nb-cell[data-id="${CELL}"]`).evaluate((el) => (el as HTMLElement & { code(): string }).code())).toBe("40 + 2");
      const download = page.waitForEvent("download");
      await live.getByRole("button", { name: "Download the damaged part" }).click();
      const file = await download;
      expect(file.suggestedFilename()).toBe("the-neuron-damaged-part-of-saved-changes.json");
      const saved = JSON.parse(readFileSync((await file.path())!, "utf8"));
      expect(saved).toEqual({ cells: { "neuron-contributions": { code: 5 }, "zero-weight": "not a cell" } });
      // The whole record is still kept aside as it was, under its own key.
      expect(await page.evaluate((k) => localStorage.getItem(`${k}:damaged`), key)).toBe(JSON.stringify(record));
    } finally {
      await browser.close();
    }
  }, 120_000);
});

describeNeeding(["site"], "the built pages", () => {
  test.each(chapters())("$file: carries the policy first in <head>, and its outputs are sanitized", ({ slug }) => {
    const html = readFileSync(join(SITE_DIR, slug, "index.html"), "utf8");
    // The policy comes right after the charset, before any script or style it must govern.
    expect(html).toMatch(/^<!DOCTYPE html><html[^>]*><head><meta charset="utf-8"\/?><meta http-equiv="content-security-policy" content="default-src 'self'; script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval' 'sha256-/);
    const { document } = parseHTML(html);
    for (const out of document.querySelectorAll("nb-cell .nb-output")) {
      const cell = out.closest("nb-cell")!.getAttribute("data-id");
      // The cell's controls are the page's own (made from plain data by renderInput), not its markup.
      for (const control of out.querySelectorAll(".nb-input[data-key]")) control.remove();
      expect(out.querySelectorAll("style, script, form, img, input, button").length, cell!).toBe(0);
      for (const el of out.querySelectorAll("[id]")) expect(el.id, cell!).toMatch(new RegExp(`^nbs-${cell}-`));
    }
  });
});

describe("the policy's text", () => {
  test("the README shows the header form the tests serve", () => {
    expect(readFileSync("README.md", "utf8")).toContain(`Content-Security-Policy: ${HEADER_POLICY}\n`);
  });

  test("withPolicy(html) hashes the inline scripts that run, and puts the policy after the charset", () => {
    const page =
      '<!doctype html><html><head><meta charset="utf-8"><script>a()</script>' +
      '<script type="module">b()</script><script type="application/json">{"c":1}</script>' +
      '<script src="/d.js"></script></head><body><script>a()</script></body></html>';
    // sha256("a()") and sha256("b()"), each once: JSON data and external scripts need none.
    expect(inlineScriptHashes(page)).toEqual([
      "'sha256-qVpDBgj7bpq5hMAcGp3AOc79J3Y1Z4HvySTwKrWDoy4='",
      "'sha256-cf242PFc/kb7xD0Qzhsmd9vvRkc+cWFmbi+k+YvtdKc='",
    ]);
    const policy = pagePolicy(inlineScriptHashes(page));
    expect(policy).toMatch(/^default-src 'self'; script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval' 'sha256-/);
    expect(withPolicy(page)).toContain(
      `<head><meta charset="utf-8"><meta http-equiv="content-security-policy" content="${policy}"><script>`,
    );
  });
});
