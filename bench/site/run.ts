// The page-quality benchmark: builds the book, serves it as a static host would (gzip, cache
// headers) and prints, for every page, Lighthouse's mobile and desktop scores, the layout shift,
// the JavaScript and CSS loaded before any interaction (gzipped bytes), and the DOM size.
//
//   npm run bench:site                 build, then measure every page
//   npm run bench:site -- --no-build   measure the last build in dist/
//   npm run bench:site -- --only the-perceptron,gradient-descent
//   npm run bench:site -- --json bench/site/last.json
//   npm run bench:site -- --runs 3          each page three times, the median run reported
//   npm run bench:site -- --block '*Cell.astro*'   without the scripts matching a pattern
//
// A benchmark, not a test: the numbers move with the machine's load. The browser test
// tests/e2e/budgets-laptop.test.ts and budgets-phone.test.ts hold the structural budgets (layout shift, JavaScript bytes).
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import lighthouse, { desktopConfig } from "lighthouse";
import { CHROMIUM_FLAGS, UNUSED_BROWSER_UI, readerChromePath } from "../../tests/support/browser.ts";
import { pages } from "../../tests/support/chapters.ts";
import { serveStatic } from "./serve.ts";

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const dist = resolve("dist");
const only = option("--only")?.split(",").map((s) => s.replace(/^\/|\/$/g, ""));
const jsonOut = option("--json");
const runs = Math.max(1, Number(option("--runs") ?? 1));
/** URL patterns of requests to block (Lighthouse's blockedUrlPatterns), to measure without them. */
const blocked = option("--block")?.split(",");
/** Every page of the book: the landing page, the chapters, the reference pages. */
const bookPages = [...pages(), "reference/reading-a-cell/", "reference/glossary/"];

/** Builds the book into dist/ and returns the wall-clock seconds it took. */
function build(): number {
  const started = performance.now();
  const astro = resolve("node_modules/astro/bin/astro.mjs");
  const result = spawnSync(process.execPath, [astro, "build"], {
    env: { ...process.env, NODE_ENV: "production" },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    console.error(`${result.stdout}\n${result.stderr}`.slice(-4000));
    throw new Error("The book did not build; see the output above.");
  }
  return (performance.now() - started) / 1000;
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once("error", fail);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => done(port));
    });
  });
}

/** Headless Chromium with a DevTools port for Lighthouse; the same offline flags as the tests. */
async function startChrome() {
  const port = await freePort();
  const profile = mkdtempSync(join(tmpdir(), "bench-site-"));
  const chrome = spawn(
    readerChromePath(),
    [
      "--headless=new",
      `--remote-debugging-port=${port}`,
      `--user-data-dir=${profile}`,
      // (Playwright's turned-off features are for Playwright: a reader's Chromium has them on)
      ...CHROMIUM_FLAGS.filter((flag) => !flag.startsWith("--disable-features=")),
      `--disable-features=${UNUSED_BROWSER_UI.join(",")}`,
      "about:blank",
    ],
    { stdio: "ignore" },
  );
  for (let tries = 0; tries < 100; tries++) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/json/version`);
      if (res.ok) break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    port,
    stop() {
      chrome.kill();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

type Scores = {
  performance: number;
  accessibility: number;
  bestPractices: number;
  seo: number;
  cls: number;
  /** The element behind the largest layout shift, if any. */
  shifter: string;
  js: number;
  css: number;
  dom: number;
  /** First and largest contentful paint, total blocking time, speed index (ms). */
  fcp: number;
  lcp: number;
  tbt: number;
  si: number;
};

async function audit(url: string, port: number, formFactor: "mobile" | "desktop"): Promise<Scores> {
  const result = await lighthouse(
    url,
    {
      port,
      logLevel: "error",
      output: "json",
      ...(blocked ? { blockedUrlPatterns: blocked } : {}),
      onlyCategories: ["performance", "accessibility", "best-practices", "seo"],
    },
    formFactor === "desktop" ? desktopConfig : undefined,
  );
  if (!result) throw new Error(`Lighthouse returned nothing for ${url}`);
  const { categories, audits } = result.lhr;
  if (result.lhr.runtimeError) {
    throw new Error(`Lighthouse failed on ${url}: ${result.lhr.runtimeError.message}`);
  }
  const score = (id: string) => Math.round((categories[id]?.score ?? 0) * 100);
  type Request = { resourceType?: string; transferSize?: number };
  const requests = ((audits["network-requests"]?.details as { items?: Request[] })?.items ??
    []) as Request[];
  const bytes = (type: string) =>
    requests
      .filter((r) => r.resourceType === type)
      .reduce((sum, r) => sum + (r.transferSize ?? 0), 0);
  type Shift = { node?: { selector?: string }; score?: number };
  const shifts = ((audits["layout-shifts"]?.details as { items?: Shift[] })?.items ?? []) as Shift[];
  const worst = shifts.slice().sort((a, b) => (b.score ?? 0) - (a.score ?? 0))[0];
  return {
    performance: score("performance"),
    accessibility: score("accessibility"),
    bestPractices: score("best-practices"),
    seo: score("seo"),
    cls: audits["cumulative-layout-shift"]?.numericValue ?? NaN,
    shifter: worst?.node?.selector ? `${worst.node.selector} (${worst.score?.toFixed(3)})` : "",
    js: bytes("Script"),
    css: bytes("Stylesheet"),
    dom: audits["dom-size"]?.numericValue ?? NaN,
    fcp: audits["first-contentful-paint"]?.numericValue ?? NaN,
    lcp: audits["largest-contentful-paint"]?.numericValue ?? NaN,
    tbt: audits["total-blocking-time"]?.numericValue ?? NaN,
    si: audits["speed-index"]?.numericValue ?? NaN,
  };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

async function main() {
  const load = loadavg()[0].toFixed(2);
  const buildSeconds = args.includes("--no-build") ? undefined : build();
  const { url, server } = await serveStatic(dist, "/");
  const chrome = await startChrome();
  const rows: ({ page: string } & Record<"mobile" | "desktop", Scores>)[] = [];
  try {
    const list = bookPages.filter((p) => !only || only.includes(p.replace(/\/$/, "")));
    // the run with the median performance score, of `runs` runs (scores move with the load)
    const median = async (page: string, formFactor: "mobile" | "desktop") => {
      const all: Scores[] = [];
      for (let i = 0; i < runs; i++) all.push(await audit(url + page, chrome.port, formFactor));
      return all.sort((a, b) => a.performance - b.performance)[Math.floor(all.length / 2)];
    };
    for (const page of list) {
      const mobile = await median(page, "mobile");
      const desktop = await median(page, "desktop");
      rows.push({ page: `/${page}`, mobile, desktop });
      console.error(`measured /${page}`);
    }
  } finally {
    chrome.stop();
    server.close();
  }
  const head =
    "| page | mobile perf/a11y/bp/seo | desktop perf/a11y/bp/seo | CLS mobile | CLS desktop " +
    "| JS (gzip) | CSS (gzip) | DOM nodes |";
  const lines = [head, `|${" --- |".repeat(8)}`];
  for (const { page, mobile: m, desktop: d } of rows) {
    const four = (s: Scores) => `${s.performance}/${s.accessibility}/${s.bestPractices}/${s.seo}`;
    lines.push(
      `| ${page} | ${four(m)} | ${four(d)} | ${m.cls.toFixed(3)} | ${d.cls.toFixed(3)} ` +
        `| ${kb(m.js)} | ${kb(m.css)} | ${m.dom} |`,
    );
  }
  console.log(lines.join("\n"));
  console.log("\nMobile timings (simulated slow 4G and 4× slower CPU), in seconds:");
  console.log("| page | FCP | LCP | TBT | speed index |\n| --- | --- | --- | --- | --- |");
  const s = (ms: number) => (ms / 1000).toFixed(2);
  for (const { page, mobile: m } of rows) {
    console.log(`| ${page} | ${s(m.fcp)} | ${s(m.lcp)} | ${s(m.tbt)} | ${s(m.si)} |`);
  }
  const shifters = rows.filter((r) => r.mobile.shifter);
  if (shifters.length > 0) {
    console.log("\nLargest layout shift per page (mobile): element (its score)");
    for (const r of shifters) console.log(`- ${r.page}: ${r.mobile.shifter}`);
  }
  console.log(
    `\n${rows.length} pages, the median of ${runs} run${runs === 1 ? "" : "s"} each; build ${buildSeconds === undefined ? "skipped" : `${buildSeconds.toFixed(1)} s`}; ` +
      `load average at the start ${load} on ${navigator.hardwareConcurrency} cores.`,
  );
  if (jsonOut) {
    writeFileSync(jsonOut, JSON.stringify({ load, buildSeconds, rows }, null, 2));
  }
}

await main();
