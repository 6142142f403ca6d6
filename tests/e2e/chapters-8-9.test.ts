import { loadavg } from "node:os";
import { parseHTML } from "linkedom";
import type { Page } from "playwright-core";
import { describe, expect, inject, test } from "vitest";
import { loadDigits } from "../../engine/index.ts";
import { penPaths, strokes } from "../support/strokes.ts";
import { dragSlider, output, useBook } from "../support/pages.ts";
import { settled } from "../support/settle.ts";
import { describeChapters } from "../support/suites.ts";

// The experiments of chapter 8 (train on the digits under the training controls, the test
// curves, the confusion matrix, the mistakes by row and column, the drawing pad) and chapter 9
// (a 3 × 3 filter sliding over a digit; a recurrent cell unrolled in time), operated as a reader
// would: pointer, touch and keys.
const DIGITS = "handwritten-digits/";
const BEYOND = "beyond-the-mlp/";
/** A run in the page's worker; the machine may be shared and busy. */
const SLOW = { timeout: 60_000 };
/** Training 8,000 digits for 10 epochs in the page. */
const TRAINING = { timeout: 300_000 };

const load = () => loadavg().map((l) => l.toFixed(1)).join(" ");

/** The text alternative of the last chart or diagram a cell shows. */
const alt = (page: Page, id: string) =>
  output(page, id).locator("svg[aria-label]").last().getAttribute("aria-label");

// ---- the built pages ------------------------------------------------------------------------

async function built(path: string): Promise<Document> {
  const response = await fetch(`${inject("siteUrl")}${path}`);
  expect(response.status).toBe(200);
  return parseHTML(await response.text()).document as unknown as Document;
}

function altOf(document: Document, id: string): string {
  const svgs = document.querySelectorAll(`nb-cell[data-id="${id}"] .nb-output svg[aria-label]`);
  return svgs[svgs.length - 1]?.getAttribute("aria-label") ?? "";
}

describeChapters([DIGITS, BEYOND], ["site"], "chapters 8 and 9 as built: each experiment in its default state", () => {
  test("the digits page ships the trained network's curves, matrix, mistakes and the empty pad", async () => {
    const document = await built(DIGITS);
    const text = (id: string) => document.querySelector(`nb-cell[data-id="${id}"] .nb-output`)?.textContent ?? "";
    // The training controls, ready to play, and the build's run of ten epochs on every digit.
    const controls = document.querySelector('nb-cell[data-id="digits-controls"] .nb-input--training');
    expect(controls?.querySelector('button[data-command="toggle"]')?.textContent).toBe("Play");
    expect(text("digits-train")).toContain("epoch 10/10");
    // Loss and accuracy on the training and the test digits, with the overfitting epoch marked.
    expect(altOf(document, "digits-curves")).toMatch(
      /^Loss and accuracy per epoch over 10 epochs, on the training digits and on the test digits\. .*test loss falls from [\d.]+ to its lowest, [\d.]+, at epoch \d, then rises/,
    );
    expect(document.querySelector("main")?.textContent?.replace(/\s+/g, " ")).toContain(
      "The gap between the two losses, widening as the test loss climbs, has a name: overfitting.",
    );
    // The test loss alone, zoomed in on its lowest epoch: the climb after it, in the chart and the prose.
    const zoom = altOf(document, "digits-overfit");
    const [, lowest, epoch, last, rise] =
      /to its lowest, ([\d.]+), at epoch (\d+), then rises to ([\d.]+) by epoch 10, ([\d.]+) above its lowest\./.exec(zoom) ?? [];
    expect(Number(rise)).toBeGreaterThan(0);
    expect(Number(rise)).toBeCloseTo(Number(last) - Number(lowest), 3);
    expect(text("digits-overfit")).toContain(`lowest: ${lowest}, epoch ${epoch}`);
    const main = (document.querySelector("main")?.textContent ?? "").replace(/\s+/g, " ");
    expect(main).toContain(`At the scale of that chart the climb is hard to see: it is ${rise},`);
    // At least 95% of the test digits, in the cell and in the prose that quotes it.
    const accuracy = Number(/testAccuracy: ?([\d.]+)/.exec(text("digits-test"))?.[1]);
    expect(accuracy).toBeGreaterThanOrEqual(0.95);
    const prose = (document.querySelector("main")?.textContent ?? "").replace(/\s+/g, " ");
    expect(prose).toContain(`the network names ${(accuracy * 100).toFixed(1)}% of the 2,000 test digits`);
    expect(altOf(document, "digits-confusion")).toMatch(
      /^Confusion matrix of 2,000 examples: .* \(9\d\.\d%\)\. The commonest mistakes: a \d read as \d/,
    );
    // The mistakes, any row and any column: eighteen of them, every one wrong.
    for (const label of ["True digit", "Read as"]) {
      const select = [...document.querySelectorAll("nb-cell[data-id=mistakes-pick] .nb-input--select")].find(
        (s) => s.querySelector("label")?.textContent === label,
      );
      expect(select?.querySelector("option[selected]")?.textContent).toBe("any");
    }
    expect(text("digits-mistakes")).toMatch(/^\d+ mistakes; 18 shown\./);
    expect(altOf(document, "digits-mistakes")).toMatch(/The model reads 0 of 18 correctly; wrong: /);
    // The pad, empty, and the network's answer to an empty pad.
    const pad = document.querySelector("nb-cell[data-id=digits-pad] canvas.nb-draw-pad");
    expect(pad?.getAttribute("role")).toBe("application");
    expect(text("digits-pad")).toContain("Empty.");
    expect(altOf(document, "digits-read")).toMatch(/^Probabilities of the 10 classes: the highest is \d, at/);
  });

  test("the page beyond the MLP ships the filter at position 300 and the unrolled cell", async () => {
    const document = await built(BEYOND);
    const controls = document.querySelector("nb-cell[data-id=conv-controls] .nb-output")!;
    expect(controls.querySelector("select option[selected]")?.textContent).toBe("top edges");
    expect(controls.querySelector('input[type="range"]')?.getAttribute("value")).toBe("300");
    expect(altOf(document, "conv-slide")).toMatch(
      /^A 3 × 3 filter on a 28 × 28 image, at position 300 of 676 \(row 12, column 14\): the pixels under it give z = [−\d.]+\. The 26 × 26 feature map holds the first 300 of its 676 outputs/,
    );
    const formula = document.querySelector("nb-cell[data-id=conv-sum] .nb-output annotation")?.textContent;
    expect(formula).toContain("z_{12,14}");
    const rnn = document.querySelector("nb-cell[data-id=rnn-controls] .nb-output")!;
    expect(rnn.querySelector('input[type="text"]')?.getAttribute("value")).toBe("1 0 0 0 0 0");
    expect(rnn.querySelector('input[type="range"]')?.getAttribute("value")).toBe("0.8");
    const diagram = document.querySelector("nb-cell[data-id=rnn-unroll] .nb-output svg");
    expect(diagram?.getAttribute("role")).toBe("img");
    expect(diagram?.getAttribute("aria-label")).toMatch(
      /^A recurrent cell unrolled over 6 steps: .* Inputs: 1, 0, 0, 0, 0 and 0\. States: 0\.76, 0\.54, 0\.41, /,
    );
  });
});

// ---- in Chromium ------------------------------------------------------------------------------

const open = useBook();

/** The pad's square in the page, and where pixel (x, y) of its 28 × 28 grid is. */
async function padGeometry(page: Page) {
  const pad = page.getByRole("application", { name: "Draw a digit" });
  await pad.scrollIntoViewIfNeeded();
  const box = (await pad.boundingBox())!;
  const at = (x: number, y: number): [number, number] => [
    box.x + ((x + 0.5) / 28) * box.width,
    box.y + ((y + 0.5) / 28) * box.height,
  ];
  return { pad, at };
}

const digits = await loadDigits({ seed: 1 }); // the split the chapter loads
/** The first test image of a digit. */
const firstTest = (label: number) => digits.test.x[digits.test.y.indexOf(label)];

describeChapters([DIGITS], ["site", "chromium"], "chapter 8 in Chromium: train, read the mistakes, draw", () => {
  let page: Page;

  test("Play trains the network on all 8,000 digits here, to 95% of the test digits", TRAINING, async () => {
    // (kept open: the next tests read the network this one trains)
    page = await open(DIGITS, { touch: true, keep: true });
    const controls = page.getByRole("group", { name: "Training" });
    const status = controls.locator("[data-role=status]");
    const curves = output(page, "digits-curves");
    // Mark the build's chart: a new run replaces it.
    await curves.locator("svg").first().evaluate((svg) => svg.setAttribute("data-built", ""));
    const before = load();
    const started = Date.now();
    await controls.getByRole("button", { name: "Play" }).click();
    await expect.poll(() => status.textContent(), SLOW).toMatch(/^Training at epoch \d+, batch \d+ of 250/);
    await expect.poll(() => status.textContent(), TRAINING).toBe("Finished.");
    const seconds = (Date.now() - started) / 1000;
    console.info(
      `chapter 8: Play to "Finished." in ${seconds.toFixed(1)} s in Chromium ` +
        `(load average ${before} before, ${load()} after; 1/5/15 min, 2 cores)`,
    );
    expect(await output(page, "digits-train").textContent()).toContain("epoch 10/10");
    // The cells that read the trained network ran again: new curves, new accuracy.
    await expect.poll(() => curves.locator("svg[data-built]").count(), SLOW).toBe(0);
    const curvesAlt = (await alt(page, "digits-curves")) ?? "";
    const final = Number(/test accuracy rises from [\d.]+% to ([\d.]+)%/.exec(curvesAlt)?.[1]);
    expect(final).toBeGreaterThanOrEqual(95);
    await expect.poll(() => output(page, "digits-test").textContent(), SLOW).toMatch(/testAccuracy: ?0\.9[5-9]/);
    expect(await alt(page, "digits-confusion")).toMatch(/^Confusion matrix of 2,000 examples/);
  });

  test("the mistakes follow the True digit and Read as choices, from the keyboard and the pointer", SLOW, async () => {
    const trueDigit = page.getByRole("combobox", { name: "True digit" });
    await trueDigit.focus();
    for (let i = 0; i < 6; i++) await page.keyboard.press("ArrowDown"); // any, 0, …, 5
    expect(await trueDigit.evaluate((s: HTMLSelectElement) => s.selectedOptions[0].text)).toBe("5");
    const grid = () => alt(page, "digits-mistakes");
    await expect.poll(grid, SLOW).toMatch(/wrong: a 5 read as \d/);
    expect(((await grid()) ?? "").match(/a \d read as/g)?.every((m) => m === "a 5 read as")).toBe(true);
    await page.getByRole("combobox", { name: "Read as" }).selectOption({ label: "3" });
    await expect.poll(grid, SLOW).toMatch(/correctly; wrong: a 5 read as 3(, a 5 read as 3)*( and a 5 read as 3)?\.$/);
    const count = Number(/^(\d+) mistakes/.exec((await output(page, "digits-mistakes").textContent()) ?? "")?.[1]);
    // The confusion matrix's square in row 5, column 3 holds the same count.
    expect(count).toBeGreaterThan(0);
    const square = await output(page, "digits-confusion").evaluate((node) => {
      const centre = (e: Element) => {
        const r = e.getBoundingClientRect();
        return [r.x + r.width / 2, r.y + r.height / 2];
      };
      const tick = (axis: string, label: string) =>
        [...node.querySelectorAll(`g[aria-label="${axis}-axis tick label"] text`)].find((t) => t.textContent === label)!;
      const [x] = centre(tick("x", "3"));
      const [, y] = centre(tick("y", "5"));
      const counts = [...node.querySelectorAll('g[aria-label="text"] text')];
      return counts.find((t) => {
        const [cx, cy] = centre(t);
        return Math.abs(cx - x) < 8 && Math.abs(cy - y) < 8;
      })?.textContent;
    });
    expect(square).toBe(String(count));
  });

  test("the pad reads a test digit traced with pointer strokes, then one traced by touch", TRAINING, async () => {
    const { at } = await padGeometry(page);
    const note = page.locator('nb-cell[data-id="digits-pad"] [data-role=note]');
    const emptyAlt = await alt(page, "digits-read");
    // The first test 3, traced along its strokes with the mouse, a pen path at a time.
    for (const [first, ...rest] of penPaths(strokes(firstTest(3), 28, 28))) {
      await page.mouse.move(...at(...first));
      await page.mouse.down();
      for (const point of rest) await page.mouse.move(...at(...point), { steps: 2 });
      await page.mouse.up();
    }
    expect(await note.textContent()).toMatch(/^Drawn: \d+ of 784 squares inked\.$/);
    await expect.poll(() => alt(page, "digits-read"), SLOW).toMatch(/^Probabilities of the 10 classes: the highest is 3, at/);
    expect(await alt(page, "digits-read")).not.toBe(emptyAlt);
    expect(await output(page, "digits-read").textContent()).toContain("guess 3");

    await page.getByRole("button", { name: "Clear" }).click();
    await expect.poll(() => note.textContent(), SLOW).toBe("Empty.");
    await expect.poll(() => alt(page, "digits-read"), SLOW).toBe(emptyAlt);

    // The first test 6, by touch: Chromium turns the touches into pointer events.
    const touch = await page.context().newCDPSession(page);
    const finger = async (type: "touchStart" | "touchMove" | "touchEnd", point?: [number, number]) =>
      touch.send("Input.dispatchTouchEvent", {
        type,
        touchPoints: point ? [{ x: point[0], y: point[1] }] : [],
      });
    for (const path of penPaths(strokes(firstTest(6), 28, 28))) {
      await finger("touchStart", at(...path[0]));
      for (const [i, to] of path.entries()) {
        if (i === 0) continue;
        const from = path[i - 1];
        await finger("touchMove", at((from[0] + to[0]) / 2, (from[1] + to[1]) / 2));
        await finger("touchMove", at(...to));
      }
      await finger("touchEnd");
    }
    await expect.poll(() => alt(page, "digits-read"), SLOW).toMatch(/^Probabilities of the 10 classes: the highest is 6, at/);
  });

  test("the pad works from the keyboard alone: arrows move, Shift with the arrows inks", SLOW, async () => {
    await page.getByRole("button", { name: "Clear" }).click();
    const { pad } = await padGeometry(page);
    const note = page.locator('nb-cell[data-id="digits-pad"] [data-role=note]');
    await expect.poll(() => note.textContent(), SLOW).toBe("Empty.");
    const emptyAlt = await alt(page, "digits-read");
    await pad.focus();
    // From the centre square: up 8, then ink a stroke 16 squares down.
    for (let i = 0; i < 8; i++) await page.keyboard.press("ArrowUp");
    for (let i = 0; i < 16; i++) await page.keyboard.press("Shift+ArrowDown");
    await expect.poll(() => note.textContent(), SLOW).toBe("Drawn: 17 of 784 squares inked.");
    await expect.poll(() => alt(page, "digits-read"), SLOW).not.toBe(emptyAlt);
    // A straight upright stroke is a 1.
    expect(await alt(page, "digits-read")).toMatch(/the highest is 1, at/);
    await page.keyboard.press("Delete"); // the square under the cursor, the stroke's last
    await expect.poll(() => note.textContent(), SLOW).toBe("Drawn: 16 of 784 squares inked.");
  });
});

describeChapters([DIGITS], ["site", "chromium"], "chapter 8 in Chromium: drawing before training", () => {
  // The first stroke on an untrained page starts the training; its chart further up grows, then
  // gives way to a shorter one, and the cells that read the network draw again. The pad must stay
  // where it is under the pen meanwhile: without its hold it moved 226 px at 1280 px and 154 px
  // at 390 (measured here with the hold's scrolls made to do nothing); with it, 0.5 px.
  for (const width of [1280, 390]) {
    test(`at ${width} px the pad stays under the pen while the training its stroke started runs`, TRAINING, async () => {
      const page = await open(DIGITS, { width, height: 844 });
      const { pad, at } = await padGeometry(page);
      // once the blocks around it are laid out (a phone lays them out as they come near)…
      await expect
        .poll(async () => {
          const before = (await pad.boundingBox())!.y;
          await page.waitForTimeout(300);
          return (await pad.boundingBox())!.y - before;
        }, SLOW)
        .toBe(0);
      // …where it is on the screen, then a stroke
      const before = (await pad.boundingBox())!.y;
      const emptyAlt = await alt(page, "digits-read");
      await page.mouse.move(...at(14, 5));
      await page.mouse.down();
      // The pad's script (loaded on the first press) has taken the press: the pad has the focus.
      const note = page.locator('nb-cell[data-id="digits-pad"] [data-role=note]');
      await expect.poll(() => note.textContent(), SLOW).toMatch(/^Drawn:/);
      // Its place on the screen every frame, as painted: this frame callback comes after the
      // pad's own, started with the focus, which scrolls it back within the same frame.
      await pad.evaluate((canvas) => {
        const tops: number[] = [];
        (window as unknown as { padTops: number[] }).padTops = tops;
        const watch = () => {
          tops.push(canvas.getBoundingClientRect().top);
          requestAnimationFrame(watch);
        };
        requestAnimationFrame(watch);
      });
      await page.mouse.move(...at(14, 22), { steps: 6 });
      await page.mouse.up();
      const status = page.getByRole("group", { name: "Training" }).locator("[data-role=status]");
      await expect.poll(() => status.textContent(), TRAINING).toBe("Finished.");
      // the answer to the stroke, then the cells that read the trained network, drawn again
      await expect.poll(() => alt(page, "digits-read"), SLOW).not.toBe(emptyAlt);
      await expect.poll(() => page.locator("nb-cell.nb-running").count(), SLOW).toBe(0);
      await page.evaluate(() => new Promise((done) => setTimeout(done, 1000)));
      const tops = await page.evaluate(() => (window as unknown as { padTops: number[] }).padTops);
      const moved = Math.max(...tops.map((top) => Math.abs(top - before)));
      console.info(`chapter 8 at ${width} px: the pad moved at most ${moved.toFixed(1)} px in ${tops.length} frames`);
      expect(tops.length).toBeGreaterThan(10);
      expect(moved).toBeLessThanOrEqual(2);
    });
  }
});

describeChapters([BEYOND], ["site", "chromium"], "chapter 9 in Chromium: slide a filter, unroll a recurrent cell", () => {
  const formula = (page: Page) =>
    output(page, "conv-sum").locator("annotation").first().textContent();

  test("the position slider moves the filter one pixel per key, and End shows the whole map", SLOW, async () => {
    const page = await open(BEYOND);
    const slider = page.getByRole("slider", { name: "Position" });
    await slider.focus();
    await page.keyboard.press("ArrowRight");
    await expect.poll(() => alt(page, "conv-slide"), SLOW).toMatch(/at position 301 of 676 \(row 12, column 15\)/);
    await expect.poll(() => formula(page), SLOW).toContain("z_{12,15}");
    await page.keyboard.press("End");
    await expect.poll(() => alt(page, "conv-slide"), SLOW).toMatch(/at position 676 of 676 \(row 26, column 26\).* holds all its 676 outputs/);
    await page.keyboard.press("Home");
    await expect.poll(() => alt(page, "conv-slide"), SLOW).toMatch(/at position 1 of 676 \(row 1, column 1\): the pixels under it give z = 0\. The 26 × 26 feature map holds the first 1 of its 676 outputs\.$/);
    expect(await slider.evaluate((node) => node === document.activeElement)).toBe(true);
  });

  test("dragging the slider slides the filter; another filter gives another map", SLOW, async () => {
    const page = await open(BEYOND);
    const slider = page.getByRole("slider", { name: "Position" });
    const position = await dragSlider(page, slider, 0.44, 0.84, 8);
    expect(position).toBeGreaterThan(500);
    await expect.poll(() => alt(page, "conv-slide"), SLOW).toContain(`at position ${position} of 676`);
    const edges = await alt(page, "conv-slide");
    await page.getByRole("combobox", { name: "Filter" }).selectOption({ label: "blur" });
    await expect.poll(() => alt(page, "conv-slide"), SLOW).not.toBe(edges);
    // A blur of nine pixels: every weight 1/9, and no output below 0.
    await expect.poll(() => formula(page), SLOW).toContain("(0.11)");
    expect(await alt(page, "conv-slide")).toMatch(/outputs, from 0 \(row 1, column 1\) to [\d.]+/);
  });

  test("the unrolled cell follows the typed inputs and the weight on the state", SLOW, async () => {
    const page = await open(BEYOND);
    const diagram = () => alt(page, "rnn-unroll");
    const inputs = page.getByRole("textbox", { name: "Inputs x₁ … x₆" });
    await inputs.fill("1 0 0 1 0 0");
    await expect.poll(diagram, SLOW).toContain("Inputs: 1, 0, 0, 1, 0 and 0.");
    // Wₕ = 0: no memory at all, each state is tanh of its own input.
    const weight = page.getByRole("slider", { name: "Weight on the state, Wₕ" });
    await weight.focus();
    await page.keyboard.press("Home");
    await expect.poll(diagram, SLOW).toContain("States: 0.76, 0, 0, 0.76, 0 and 0.");
    // Wₕ = 1.5: the state holds on.
    await page.keyboard.press("End");
    await expect.poll(diagram, SLOW).toMatch(/States: 0\.76, 0\.8\d, 0\.8\d, /);
    // Not a number: the cell says what it received and how to fix it.
    await inputs.fill("1 two 3");
    await expect.poll(() => output(page, "rnn-unroll").textContent(), SLOW).toContain(
      "rnnDiagram: received inputs [1, NaN, 3]; expected a non-empty array of finite numbers",
    );
  });
});

describeChapters([DIGITS, BEYOND], ["site", "chromium"], "chapters 8 and 9 at 390 px, and while they load", () => {
  // Every chart and diagram of these experiments, and the cells that show them.
  const figures: Record<string, string[]> = {
    [DIGITS]: ["digits-curves", "digits-overfit", "digits-confusion", "digits-mistakes", "digits-read"],
    [BEYOND]: ["convolution", "conv-slide", "rnn-unroll"],
  };

  for (const path of [DIGITS, BEYOND]) {
    test(`${path}: no sideways scrolling at 390 px, and chart text of 9 px or more, inside its chart`, SLOW, async () => {
      const page = await open(path, { width: 390 });
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow).toBeLessThanOrEqual(1);
      for (const id of figures[path]) {
        const smallest = await output(page, id).evaluate((node) => {
          let min = Infinity;
          for (const svg of node.querySelectorAll("svg")) {
            const scale = svg.getBoundingClientRect().width / (svg.viewBox.baseVal?.width || svg.getBoundingClientRect().width);
            for (const text of svg.querySelectorAll("text, tspan")) {
              if (!text.textContent?.trim()) continue;
              min = Math.min(min, parseFloat(getComputedStyle(text).fontSize) * scale);
            }
          }
          return min;
        });
        expect([id, smallest >= 9]).toEqual([id, true]);
        // no label runs past the edge of its chart, where the page would cut it off
        const cut = await output(page, id).evaluate((node) =>
          [...node.querySelectorAll("svg")].flatMap((svg) => {
            const frame = svg.getBoundingClientRect();
            return [...svg.querySelectorAll("text")]
              .filter((text) => {
                const box = text.getBoundingClientRect();
                return box.width > 0 && (box.left < frame.left - 1 || box.right > frame.right + 1);
              })
              .map((text) => text.textContent);
          }),
        );
        expect([id, cut]).toEqual([id, []]);
      }
    });

    test(`${path}: nothing shifts while the page loads`, SLOW, async () => {
      const context = await open.context({ viewport: { width: 390, height: 844 } });
      await context.addInitScript(() => {
        const seen: string[] = [];
        (window as unknown as { shifts: string[] }).shifts = seen;
        const name = (node: Node | null) => {
          const el = node instanceof Element ? node : node?.parentElement;
          return el ? `${el.localName}${el.id ? `#${el.id}` : ""}${[...el.classList].slice(0, 2).map((c) => `.${c}`).join("")}` : "?";
        };
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean; sources?: { node: Node | null; previousRect: DOMRectReadOnly; currentRect: DOMRectReadOnly }[] })[]) {
            if (entry.hadRecentInput) continue;
            const moved = (entry.sources ?? []).map((s) => `${name(s.node)} y ${Math.round(s.previousRect.y)}→${Math.round(s.currentRect.y)} h ${Math.round(s.previousRect.height)}→${Math.round(s.currentRect.height)}`);
            seen.push(`${entry.value.toFixed(3)} at ${Math.round(entry.startTime)} ms (scrollY ${Math.round(scrollY)}): ${moved.join(", ")}`);
          }
        }).observe({ type: "layout-shift", buffered: true });
      });
      const page = await context.newPage();
      await page.goto(`${inject("siteUrl")}${path}`, { waitUntil: "networkidle" });
      // Every block laid out first (a scroll starts it on a narrow screen; the budgets do the
      // same). A jump to the last figure while the blocks below the first screen are still laid
      // out lazily moves the footer off the screen (0.36): a known fault of that lazy layout,
      // reproduced with Chromium's CPU throttled 2-8x in 10 of 12 loads, not what this test is
      // about. (Unthrottled, the shift came after this test had read its count, so it passed.)
      await page.mouse.wheel(0, 1);
      await page.waitForFunction(() => document.documentElement.dataset.laidOut === "all", null, SLOW);
      // Scroll through the experiments, so that anything drawn late would move them.
      for (const id of figures[path]) await output(page, id).scrollIntoViewIfNeeded();
      await settled(page);
      const shifts = await page.evaluate(() => (window as unknown as { shifts: string[] }).shifts);
      const total = shifts.reduce((sum, s) => sum + parseFloat(s), 0);
      expect(total, shifts.join("\n")).toBeLessThan(0.05);
    });
  }
});

describe("the strokes the pad tests draw", () => {
  test("penPaths(strokes) draws every stroke once, in a few paths of touching pixels", () => {
    for (const digit of [3, 6]) {
      const traced = strokes(firstTest(digit), 28, 28);
      const paths = penPaths(traced);
      const drawn = paths.flatMap((path) =>
        path.length === 1 ? [`${path[0]}-${path[0]}`] : path.slice(1).map((to, i) => [`${path[i]}`, `${to}`].sort().join("-")),
      );
      const asked = traced.map(({ from, to }) => [`${from}`, `${to}`].sort().join("-"));
      expect(drawn.sort()).toEqual(asked.sort());
      expect(paths.length, `digit ${digit}: ${traced.length} strokes`).toBeLessThan(traced.length / 3);
    }
  });

  test("strokes(image) traces a digit's skeleton: every stroke joins touching pixels", () => {
    const traced = strokes(firstTest(3), 28, 28);
    expect(traced.length).toBeGreaterThan(20);
    for (const { from, to } of traced) {
      expect(Math.max(Math.abs(from[0] - to[0]), Math.abs(from[1] - to[1]))).toBeLessThanOrEqual(1);
      // on the digit's ink
      expect(firstTest(3)[from[1] * 28 + from[0]]).toBeGreaterThan(0.5);
    }
  });
});
