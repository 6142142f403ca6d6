import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import type { Browser, Page } from "playwright-core";
import { transform } from "sucrase";
import { afterAll, beforeAll, expect, inject, test } from "vitest";
import { readCellRecord } from "../../src/notebook/cell-record.ts";
import { runChapterFile } from "../../src/notebook/node-host.ts";
import { outputParts } from "../../src/notebook/render.ts";
import { nodeOutputSanitizer } from "../../src/notebook/sanitize-node.ts";
import { launchBrowser } from "../support/browser.ts";
import { hostileHtml } from "../support/hostile.ts";
import { describeNeeding } from "../support/suites.ts";

// The build (DOMPurify on jsdom) and the browser (DOMPurify on Chromium's DOM) apply one policy:
// on the same output they must produce the same markup, or a page would change when it runs.

const ORIGIN = "http://policy.test";
const require = createRequire(import.meta.url);

/** sanitize-policy.ts as the browser gets it: types stripped, DOMPurify's ES module beside it. */
function policyFiles(): Record<string, string> {
  const source = readFileSync("src/notebook/sanitize-policy.ts", "utf8");
  const { code } = transform(source, { transforms: ["typescript"] });
  return {
    "/": `<!doctype html><meta charset="utf-8"><script type="module">
      import { createOutputSanitizer } from "/policy.js";
      window.policy = createOutputSanitizer(window);
    </script>`,
    "/policy.js": code.replace(/from "dompurify"/, 'from "/dompurify.js"'),
    "/dompurify.js": readFileSync(join(dirname(require.resolve("dompurify")), "purify.es.mjs"), "utf8"),
  };
}

/**
 * Every output of every chapter, as the build renders it: from the build's record of its cells
 * (src/notebook/cell-record.ts), or, without a build (SKIP_SITE=1), from running the chapters.
 */
async function chapterOutputs(): Promise<{ name: string; html: string }[]> {
  const outputs: { name: string; html: string }[] = [];
  const record = inject("siteUrl") ? readCellRecord(inject("cellRecord")) : null;
  if (inject("siteUrl") && record?.buildId !== inject("buildId")) throw new Error("no record of this build's cells");
  for (const file of readdirSync("content").filter((f) => /^\d.*\.mdx$/.test(f)).sort()) {
    const recorded = record?.chapters[resolve("content", file)];
    if (record && !recorded) throw new Error(`the build's record of cells has no content/${file}`);
    const cells = recorded
      ? recorded.cells.map(({ id, outputs }) => ({ id, outputs }))
      : (await runChapterFile(`content/${file}`)).cells.map(({ cell, result }) => ({ id: cell.options.id, outputs: result?.outputs ?? [] }));
    // The markup the cells made, before the build sanitizes it (controls are not markup).
    for (const { id, outputs: made } of cells) {
      for (const [i, part] of outputParts(made).entries()) {
        if (part.kind === "html") outputs.push({ name: `${file} ${id} (${i})`, html: part.html });
      }
    }
  }
  return outputs;
}

describeNeeding(["chromium"], "the output policy in Chromium and in jsdom", () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await browser.newPage();
    const files = policyFiles();
    await page.route(`${ORIGIN}/**`, (route) => {
      const path = new URL(route.request().url()).pathname;
      const type = path === "/" ? "text/html" : "text/javascript";
      return files[path] === undefined
        ? route.fulfill({ status: 404 })
        : route.fulfill({ contentType: type, body: files[path] });
    });
    await page.goto(`${ORIGIN}/`);
    await page.waitForFunction(() => "policy" in window);
  }, 60_000);

  afterAll(async () => browser?.close());

  async function inBrowser(html: string, prefix: string): Promise<{ html: string; ms: number }> {
    return page.evaluate(
      ([html, prefix]) => {
        const policy = (window as unknown as { policy: { toFragment(h: string, p: string): DocumentFragment } }).policy;
        const start = performance.now();
        const fragment = policy.toFragment(html, prefix);
        const ms = performance.now() - start;
        const box = document.createElement("div");
        box.append(fragment);
        return { html: box.innerHTML, ms };
      },
      [html, prefix] as const,
    );
  }

  test("every chapter output sanitizes to the same markup in both, and loses only <style>", async () => {
    const outputs = await chapterOutputs();
    expect(outputs.length).toBeGreaterThan(20);
    const node = nodeOutputSanitizer();
    const times: number[] = [];
    for (const [i, { name, html }] of outputs.entries()) {
      const prefix = `nbs-c${i}-`;
      const built = node.toHtml(html, prefix);
      const browser = await inBrowser(html, prefix);
      times.push(browser.ms);
      expect(browser.html, name).toBe(built);
      // Nothing a chapter draws is lost but Plot's <style> (the page ships Plot's stylesheet).
      const elements = (markup: string) => markup.match(/<[a-zA-Z]/g)?.length ?? 0;
      const styles = html.match(/<style/g)?.length ?? 0;
      expect(elements(built), name).toBe(elements(html) - styles);
    }
    times.sort((a, b) => a - b);
    const largest = Math.max(...outputs.map(({ html }) => html.length));
    console.info(
      `sanitize in Chromium: ${outputs.length} chapter outputs, median ${times[times.length >> 1].toFixed(1)} ms, ` +
        `max ${times[times.length - 1].toFixed(1)} ms (largest output ${(largest / 1024).toFixed(0)} KB)`,
    );
  }, 180_000);

  test("a hostile output sanitizes to the same markup in both", async () => {
    const html = hostileHtml("https://stranger.example");
    const browser = await inBrowser(html, "nbo1-");
    expect(browser.html).toBe(nodeOutputSanitizer().toHtml(html, "nbo1-"));
    expect(browser.html).toContain("Hostile output rendered");
  });
});
