// The kernel runner's costs, in Chromium, on a built book served under /book/:
// - start-up: from pressing Run on a chapter's first cell (no kernel yet) to its result;
// - memory: the browser's processes' total PSS before the first Run and after it (idle);
// - with --oom: a cell that exhausts memory (heap capped with --heap MB, 512 by default; 0 keeps
//   Chromium's): when its process crashed (the browser's event), when the page said so (the
//   detection delay), and from the next Run to its result (the restart).
//
//   node bench/kernel-runner.ts test-output/site --runs 5 --oom
//   node bench/kernel-runner.ts /tmp/an-older-build --runs 5      (a book with the direct worker)
//
// A benchmark, not a test: the numbers move with the machine's load (see tests/e2e/memory.test.ts).
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { resolve } from "node:path";
import { chromium, type CDPSession, type Page } from "playwright-core";
import { CHROMIUM_FLAGS, readerChromePath } from "../tests/support/browser.ts";
import { BASE, serveSite } from "../tests/support/site.ts";

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const dir = resolve(args.find((arg, i) => !arg.startsWith("--") && !args[i - 1]?.startsWith("--")) ?? "test-output/site");
const runs = Number(option("--runs", "3"));
const heap = Number(option("--heap", "512"));
const oom = args.includes("--oom");

const FIRST = "neuron-output";
const HOG = "neuron-sum";
const HOG_CODE = "{ const hoard = []; for (;;) hoard.push(new Array(1e7).fill(Math.random())); }";

async function evaluate<T>(cdp: CDPSession, expression: string): Promise<T> {
  const { result, exceptionDetails } = await cdp.send("Runtime.evaluate", { expression, returnByValue: true, awaitPromise: true });
  if (exceptionDetails) throw new Error(`${exceptionDetails.text} ${result.description ?? ""}`);
  return result.value as T;
}

// Presses Run on a cell; resolves, in the page, with the ms from the press to a status matching `done`.
const press = (id: string, done: string) => `new Promise((resolve) => {
  const cell = document.querySelector('nb-cell[data-id="${id}"]');
  const status = cell.querySelector(".nb-status");
  const start = Date.now();
  new MutationObserver((_, observer) => {
    if (new RegExp(${JSON.stringify(done)}).test(status.textContent)) { observer.disconnect(); resolve({ ms: Date.now() - start, at: Date.now(), text: status.textContent }); }
  }).observe(status, { childList: true, characterData: true, subtree: true });
  [...cell.querySelectorAll("button")].find((b) => b.textContent.trim() === "Run").click();
})`;

/** Replaces a cell's code in its editor, as a reader would. */
async function replaceCode(page: Page, id: string, code: string): Promise<void> {
  const cell = page.locator(`nb-cell[data-id="${id}"]`);
  const edit = cell.getByRole("button", { name: "Edit", exact: true });
  if (await edit.count()) await edit.click();
  await cell.locator(".cm-content").focus();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.insertText(code);
}

/** The browser's processes: how many, their total proportional set size and resident size (MB). */
async function memory(cdp: CDPSession): Promise<{ processes: number; pss: number; rss: number }> {
  const { processInfo } = (await cdp.send("SystemInfo.getProcessInfo")) as { processInfo: { id: number }[] };
  let [pss, rss, processes] = [0, 0, 0];
  for (const { id } of processInfo) {
    try {
      const rollup = readFileSync(`/proc/${id}/smaps_rollup`, "utf8");
      pss += Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0) / 1024;
      rss += Number(/^Rss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0) / 1024;
      processes++;
    } catch {
      // a process that ended meanwhile
    }
  }
  return { processes, pss, rss };
}

const settle = (ms: number) => new Promise((done) => setTimeout(done, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const summary = (xs: number[]) => `median ${median(xs).toFixed(0)} (${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}, n=${xs.length})`;

const { url, server } = await serveSite(dir, BASE);
const results = { start: [] as number[], memory: [] as number[], rss: [] as number[], crash: [] as number[], detect: [] as number[], restart: [] as number[] };
console.log(`${dir}; load average ${loadavg()[0].toFixed(1)}`);
for (let run = 0; run < runs; run++) {
  const heapFlag = heap > 0 ? [`--js-flags=--max-old-space-size=${heap}`] : [];
  const browser = await chromium.launch({ executablePath: readerChromePath(), headless: true, args: [...CHROMIUM_FLAGS, ...heapFlag] });
  try {
    const watcher = await browser.newBrowserCDPSession();
    let crashedAt = 0;
    watcher.on("Target.targetCrashed", () => (crashedAt ||= Date.now()));
    await watcher.send("Target.setDiscoverTargets", { discover: true });
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${url}the-neuron/`);
    await page.waitForFunction(() => customElements.get("nb-cell") !== undefined);
    const cdp = await context.newCDPSession(page);
    await settle(1500);
    const before = await memory(watcher);
    const first = await evaluate<{ ms: number }>(cdp, press(FIRST, "Ran in"));
    await settle(1500);
    const after = await memory(watcher);
    results.start.push(first.ms);
    results.memory.push(after.pss - before.pss);
    results.rss.push(after.rss - before.rss);
    let line =
      `run ${run + 1}: first result ${first.ms} ms; processes ${before.processes} → ${after.processes}, ` +
      `PSS +${(after.pss - before.pss).toFixed(0)} MB, RSS +${(after.rss - before.rss).toFixed(0)} MB`;
    if (oom) {
      await replaceCode(page, HOG, HOG_CODE);
      const said = await evaluate<{ ms: number; at: number; text: string }>(cdp, press(HOG, "memory|stopped|could not"));
      const restart = await evaluate<{ ms: number }>(cdp, press(FIRST, "Ran in"));
      results.crash.push(crashedAt ? crashedAt - (said.at - said.ms) : NaN);
      results.detect.push(crashedAt ? said.at - crashedAt : NaN);
      results.restart.push(restart.ms);
      line += crashedAt
        ? `; crashed ${crashedAt - (said.at - said.ms)} ms after Run, said ${said.at - crashedAt} ms later`
        : `; no crash: after ${said.ms} ms`;
      line += ` ("${said.text.slice(0, 50)}…"); next Run to result ${restart.ms} ms`;
    }
    console.log(line);
  } finally {
    await browser.close();
  }
}
server.close();
console.log(`first result, ms: ${summary(results.start)}`);
console.log(`memory added by the kernel, MB: PSS ${summary(results.memory)}; RSS ${summary(results.rss)}`);
if (oom) {
  const crashes = results.crash.filter((ms) => !Number.isNaN(ms));
  if (crashes.length) {
    console.log(`out of memory after Run, ms: ${summary(crashes)}`);
    console.log(`detection after the crash, ms: ${summary(results.detect.filter((ms) => !Number.isNaN(ms)))}`);
  }
  console.log(`next Run to result, ms: ${summary(results.restart)}`);
}
