/**
 * The notebook in Chromium, measured: how fast a slider's readers update, how soon a training
 * restarted by its controls shows progress, how long the main thread is busy while a slider is
 * dragged, how long a first and a later Run take, and how long chapter 8's training takes in the
 * page (Play → "Finished.") against the engine alone in Node for the same epochs. A benchmark,
 * not a test: it prints figures.
 *
 *   npm run bench:notebook               # builds the book into test-output/bench-site, then measures
 *   npm run bench:notebook -- --reuse    # measures the last build again
 *   npm run bench:notebook -- --moves=60 # more slider moves (default 40)
 *   npm run bench:notebook -- --reuse --only=restart,digits  # some of: slider, drag, run, restart, digits
 *   npm run bench:notebook -- --reuse --dir=test-output/site --base=/book/ # the browser tests' build
 */
import { existsSync } from "node:fs";
import { loadavg } from "node:os";
import { resolve } from "node:path";
import type { Page } from "playwright-core";
import { MLP, accuracy, loadDigits, softmaxCrossEntropy, train } from "../../engine/index.ts";
import { launchBrowser, readerChromePath } from "../../tests/support/browser.ts";
import { buildSite, serveSite } from "../../tests/support/site.ts";

const args = Object.fromEntries(
  process.argv.slice(2).map((arg) => {
    const [key, value] = arg.replace(/^--/, "").split("=");
    return [key, value ?? "true"];
  }),
);
const MOVES = Number(args.moves ?? 40);
const DIR = resolve(args.dir ?? "test-output/bench-site");
const only = new Set((args.only ?? "slider,drag,run,restart,digits").split(","));
const BASE = args.base ?? "/";

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function ms(value: number): string {
  return `${value.toFixed(0)} ms`;
}

const load = () => loadavg().map((l) => l.toFixed(1)).join(" ");

if (!(args.reuse && existsSync(DIR))) {
  const started = performance.now();
  const build = buildSite(DIR, BASE);
  if (build.status !== 0) throw new Error(`The book did not build:\n${build.output.slice(-3000)}`);
  console.log(`built the book in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
const { url, server } = await serveSite(DIR, BASE);
// the browser readers run, not the tests' headless shell
const browser = await launchBrowser(readerChromePath());
console.log(`Chromium ${browser.version()}, load average ${load()} (2 cores, shared)\n`);

async function fresh(path: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${url}${path}`);
  await page.waitForFunction(() => customElements.get("nb-cell") !== undefined);
  return page;
}

// Main-thread time of the page, from Chromium's own counters (CDP Performance.getMetrics).
async function mainThread(page: Page) {
  const session = await page.context().newCDPSession(page);
  await session.send("Performance.enable");
  return async () => {
    const { metrics } = await session.send("Performance.getMetrics");
    const get = (name: string) => metrics.find((m) => m.name === name)?.value ?? 0;
    return { task: get("TaskDuration") * 1000, script: get("ScriptDuration") * 1000 };
  };
}

// 1. A slider's readers: from the input event to the reader's output changing in the page.
async function sliderLatency(): Promise<number[]> {
  const page = await fresh("the-neuron/");
  const slider = page.getByRole("slider", { name: "weight w₁" });
  await slider.focus();
  await page.evaluate(() => {
    const w = window as unknown as { nbLatencies: number[]; nbStart: number };
    w.nbLatencies = [];
    document.addEventListener("input", () => (w.nbStart = performance.now()), true);
    const output = document.querySelector('nb-cell[data-id="neuron-sum"] .nb-output')!;
    new MutationObserver(() => {
      if (w.nbStart) w.nbLatencies.push(performance.now() - w.nbStart);
      w.nbStart = 0;
    }).observe(output, { childList: true, subtree: true, characterData: true });
  });
  // The first move starts the worker: not counted here (see "first Run").
  await page.keyboard.press("ArrowRight");
  await page.waitForFunction(() => (window as unknown as { nbLatencies: number[] }).nbLatencies.length > 0, null, { timeout: 30_000 });
  await page.evaluate(() => ((window as unknown as { nbLatencies: number[] }).nbLatencies = []));
  for (let i = 0; i < MOVES; i++) {
    await page.keyboard.press(i % 20 < 10 ? "ArrowLeft" : "ArrowRight");
    await page.waitForTimeout(120);
  }
  const latencies = await page.evaluate(() => (window as unknown as { nbLatencies: number[] }).nbLatencies);
  await page.context().close();
  return latencies;
}

// 2. Main-thread work while a slider is dragged for two seconds: long tasks (over 50 ms).
async function dragLongTasks() {
  const page = await fresh("the-neuron/");
  const slider = page.getByRole("slider", { name: "input x₁" });
  await slider.scrollIntoViewIfNeeded();
  await slider.focus();
  await page.keyboard.press("ArrowLeft"); // start the worker first
  await page.waitForFunction(() => document.querySelector('nb-cell[data-id="neuron-sum"] .nb-status')?.textContent?.startsWith("Ran"), null, { timeout: 30_000 });
  await page.evaluate(() => {
    const w = window as unknown as { nbLong: number[] };
    w.nbLong = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) w.nbLong.push(entry.duration);
    }).observe({ type: "longtask", buffered: false });
  });
  const counters = await mainThread(page);
  const before = await counters();
  const box = (await slider.boundingBox())!;
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + 2, y);
  await page.mouse.down();
  const started = performance.now();
  let step = 0;
  while (performance.now() - started < 2000) {
    const t = (step++ % 60) / 60;
    await page.mouse.move(box.x + 2 + t * (box.width - 4), y);
    await page.waitForTimeout(16);
  }
  await page.mouse.up();
  await page.waitForTimeout(300);
  const after = await counters();
  const wall = performance.now() - started;
  const long = await page.evaluate(() => (window as unknown as { nbLong: number[] }).nbLong);
  await page.context().close();
  return { long, moves: step, wall, task: after.task - before.task, script: after.script - before.script };
}

// 3. First Run on a fresh page (the worker starts), then a later small Run.
async function runTimes() {
  const page = await fresh("the-neuron/");
  // Timed in the page, from the click to the status saying it ran (no test-driver overhead).
  const time = () =>
    page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const cell = document.querySelector('nb-cell[data-id="neuron-output"]')!;
          const status = cell.querySelector(".nb-status")!;
          status.textContent = "";
          const started = performance.now();
          const observer = new MutationObserver(() => {
            if (!/^Ran in/.test(status.textContent ?? "")) return;
            observer.disconnect();
            resolve(performance.now() - started);
          });
          observer.observe(status, { childList: true, characterData: true, subtree: true });
          cell.querySelector<HTMLButtonElement>('button[data-action="run"]')!.click();
        }),
    );
  const first = await time();
  const later: number[] = [];
  for (let i = 0; i < 10; i++) later.push(await time());
  await page.context().close();
  return { first, later };
}

// 4. A training restarted by its controls (Play after it ended): time to its first progress line,
// or to the run's end when it ends first (a training of under a second may never draw one); each
// restart waits for the run's end, which every run reaches, before the next.
async function trainingRestart(): Promise<number[]> {
  const page = await fresh("gradient-descent/");
  const controls = page.getByRole("group", { name: "Training" });
  const toggle = controls.getByRole("button", { name: /Play|Pause|Resume/ });
  const times: number[] = [];
  for (let i = 0; i < 6; i++) {
    await page.evaluate(() => {
      const w = window as unknown as { nbShownAt: number; nbEndedAt: number };
      [w.nbShownAt, w.nbEndedAt] = [0, 0];
      const cell = document.querySelector('nb-cell[data-id="moons-train"]')!;
      let busy = false;
      const observer = new MutationObserver((records) => {
        const now = performance.now();
        if (cell.querySelector(".nb-progress span")?.textContent && !w.nbShownAt) w.nbShownAt = now;
        // the cell's finished state: busy while it runs, then not (its status says how it ended);
        // a short run can go busy and back before this is called, so the records' old values count
        busy ||= cell.getAttribute("aria-busy") === "true" ||
          records.some((r) => r.attributeName === "aria-busy" && r.oldValue === "true");
        if (busy && cell.getAttribute("aria-busy") === "false") {
          w.nbShownAt ||= now;
          w.nbEndedAt = now;
          observer.disconnect();
        }
      });
      observer.observe(cell, { childList: true, subtree: true, characterData: true, attributes: true, attributeOldValue: true });
    });
    const clicked = await page.evaluate(() => performance.now());
    await toggle.click();
    await page.waitForFunction(() => (window as unknown as { nbEndedAt: number }).nbEndedAt > 0, null, { timeout: 60_000 });
    const at = await page.evaluate(() => (window as unknown as { nbShownAt: number }).nbShownAt);
    if (i > 0) times.push(at - clicked); // the first one starts the worker
  }
  await page.context().close();
  return times;
}

// CPU time of the page's renderer processes (its main thread and the kernel worker), from
// Chromium's own counters (CDP SystemInfo.getProcessInfo), during `f`: on a machine shared with
// other work it moves much less than the wall clock, and it compares with the engine's CPU time.
async function rendererCpu<T>(f: () => Promise<T>): Promise<{ value: T; cpu: number }> {
  const cdp = await browser.newBrowserCDPSession();
  const cpuNow = async () => {
    const { processInfo } = await cdp.send("SystemInfo.getProcessInfo");
    return processInfo.filter((p) => p.type === "renderer").reduce((sum, p) => sum + p.cpuTime, 0) * 1000;
  };
  const before = await cpuNow();
  const value = await f();
  const cpu = (await cpuNow()) - before;
  await cdp.detach();
  return { value, cpu };
}

// 5. Chapter 8's training (10 epochs of 8,000 digits, the test digits scored after each), from
// Play to "Finished.", timed in the page; the first Play also starts the worker and loads the
// digits, so the later ones are what the reader waits for on a restart. Each later one's CPU
// time in the page's processes is set against the engine's.
async function digitsInPage() {
  const page = await fresh("handwritten-digits/");
  await page.getByRole("group", { name: "Training" }).scrollIntoViewIfNeeded();
  const play = () =>
    page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const controls = document.querySelector('nb-cell[data-id="digits-controls"]')!;
          const note = controls.querySelector("[data-role=status]")!;
          const toggle = [...controls.querySelectorAll("button")].find((b) => /Play/.test(b.textContent ?? ""))!;
          let started = false;
          const begun = performance.now();
          const observer = new MutationObserver(() => {
            const text = note.textContent ?? "";
            started ||= text.startsWith("Training");
            if (!started || text !== "Finished.") return;
            observer.disconnect();
            resolve(performance.now() - begun);
          });
          observer.observe(note, { childList: true, characterData: true, subtree: true });
          toggle.click();
        }),
    );
  const first = await play();
  const later = [await rendererCpu(play), await rendererCpu(play), await rendererCpu(play)];
  await page.context().close();
  return { first, later };
}

// The same training in Node, the engine alone: the cell's code without the controls and the
// live chart (no pace, no progress), the test digits still scored after each epoch.
async function digitsInEngine() {
  const digits = await loadDigits({ seed: 1 });
  const runs: { wall: number; cpu: number }[] = [];
  for (let i = 0; i < 3; i++) {
    const net = new MLP([digits.width * digits.height, 128, 10], { activation: "relu", output: "softmax", seed: 1 });
    const [started, cpu] = [performance.now(), process.cpuUsage()];
    await train(net, digits.train, {
      loss: "softmax-ce", optimizer: "momentum", lr: 0.05, epochs: 10, batchSize: 32, seed: 2,
      onProgress(p) {
        if (p.batch < p.batches) return;
        const scores = net.logits(digits.test.x);
        void [softmaxCrossEntropy(scores, digits.test.y).item(), accuracy(scores, digits.test.y)];
      },
    });
    const { user, system } = process.cpuUsage(cpu);
    runs.push({ wall: performance.now() - started, cpu: (user + system) / 1000 });
  }
  return runs;
}

const rows: [string, string, string][] = [];
if (only.has("slider")) {
  const latencies = await sliderLatency();
  rows.push([
    "slider → reader updated (neuron-sum)",
    `median ${ms(quantile(latencies, 0.5))}, p95 ${ms(quantile(latencies, 0.95))} (${latencies.length} moves)`,
    "median ≤ 50 ms, p95 ≤ 100 ms",
  ]);
}
if (only.has("drag")) {
  const drag = await dragLongTasks();
  rows.push([
    "main thread while dragging a slider 2 s",
    `${drag.long.length} tasks over 50 ms${drag.long.length ? ` (longest ${ms(Math.max(...drag.long))})` : ""}; ` +
      `busy ${ms(drag.task)} of ${ms(drag.wall)}, script ${ms(drag.script)}, ${drag.moves} pointer moves`,
    "no task over 50 ms",
  ]);
}
if (only.has("run")) {
  const runs = await runTimes();
  rows.push(["first Run on a fresh page (worker start)", ms(runs.first), "≤ 1 s"]);
  rows.push([
    "later small Run",
    `median ${ms(quantile(runs.later, 0.5))}, max ${ms(Math.max(...runs.later))}`,
    "≤ 100 ms",
  ]);
}
if (only.has("restart")) {
  const restarts = await trainingRestart();
  rows.push([
    "training restarted by Play → first progress (or its end)",
    `median ${ms(quantile(restarts, 0.5))}, max ${ms(Math.max(...restarts))} (${restarts.length} restarts)`,
    "≤ 200 ms",
  ]);
}
if (only.has("digits")) {
  const inPage = await digitsInPage();
  const inEngine = await digitsInEngine();
  const median = (xs: number[]) => quantile(xs, 0.5);
  const page = { wall: median(inPage.later.map((r) => r.value)), cpu: median(inPage.later.map((r) => r.cpu)) };
  const engine = { wall: median(inEngine.map((r) => r.wall)), cpu: median(inEngine.map((r) => r.cpu)) };
  rows.push([
    "chapter 8's training: Play → Finished. (page)",
    `${inPage.later.map((r) => `${ms(r.value)} (CPU ${ms(r.cpu)})`).join(", ")}; ` +
      `first Play ${ms(inPage.first)} (worker start, digits load)`,
    "",
  ]);
  rows.push([
    "  the engine alone in Node, same epochs",
    `${inEngine.map((r) => `${ms(r.wall)} (CPU ${ms(r.cpu)})`).join(", ")}`,
    "",
  ]);
  rows.push([
    "  page ÷ engine (medians)",
    `wall clock ${(page.wall / engine.wall).toFixed(2)}×, CPU time ${(page.cpu / engine.cpu).toFixed(2)}×`,
    "≤ 1.5×",
  ]);
}

const width = Math.max(...rows.map((r) => r[0].length));
for (const [what, measured, target] of rows) {
  console.log(`${what.padEnd(width)}  ${measured}${target ? `   [target ${target}]` : ""}`);
}
console.log(`\nload average at the end ${load()}`);
await browser.close();
server.close();
