import { expect, inject, test } from "vitest";
import type { Page } from "playwright-core";
import { parseHTML } from "linkedom";
import { Adam, Momentum, SGD, Tensor, type Optimizer } from "../../engine/index.ts";
import { fmt } from "../../src/charts/index.ts";
import { dragSlider, label, output, replaceCode, useBook } from "../support/pages.ts";
import { describeChapters } from "../support/suites.ts";

// The experiments of chapters 6 and 7, operated as a reader would: keys, pointer, typing.
// Chapter 6: `net-221` (a 2-2-1 network of Values), `backprop-steps` (a slider over the steps of
// its backward pass), `backprop-walk` (the graph at that step); `tanh-rule` (the reader's backward
// rule) and `tanh-rule-check`. Chapter 7: `tangent-weight` and `tangent-chart`; `descent-lr` and
// `descent-lr-walk`; `rates-start` and `rates-compare`; `valley-controls` (start, rate and a
// Walk's training controls) and `valley-walk`; `moons-controls` (with a learning-rate radio),
// `moons-train` (whose runs the notebook draws side by side) and `moons-boundary`.
const CH6 = "error-and-backpropagation/";
const CH7 = "gradient-descent/";
/** The cells of each chapter's experiments, as the chapters declare them. */
const EXPERIMENTS: Record<string, string[]> = {
  [CH6]: ["backprop-steps", "backprop-walk", "tanh-rule", "tanh-rule-check"],
  [CH7]: [
    "tangent-weight",
    "tangent-chart",
    "descent-lr",
    "descent-lr-walk",
    "rates-start",
    "rates-compare",
    "valley-controls",
    "valley-walk",
    "optimizer-controls",
    "optimizer-walks",
    "moons-controls",
    "moons-train",
    "moons-boundary",
  ],
};
/** The first move starts the kernel worker: on a busy two-core machine that can take seconds. */
const SLOW = { timeout: 30_000 };

const open = useBook();

const text = async (page: Page, id: string) => (await output(page, id).textContent()) ?? "";
/** Drags a slider's thumb from where it is to a fraction of its track with the mouse. */
async function drag(page: Page, name: string, to: number): Promise<void> {
  const slider = page.getByRole("slider", { name, exact: true });
  const [value, min, max] = await slider.evaluate((input: HTMLInputElement) =>
    [input.value, input.min, input.max].map(Number),
  );
  await dragSlider(page, slider, (value - min) / (max - min), to, 8);
}

/**
 * The caption `optimizer-walks` should show: the engine's optimizers on the valley, 25 steps from
 * (−2, 2.5), as the cell runs them, and each walk's distance to the minimum (1, 1).
 */
function optimizerCaption(lr: number, beta: number): string {
  const halfAndTwo = Tensor.from([0.5, 2], { requiresGrad: false });
  const away = (make: (params: Tensor[]) => Optimizer) => {
    const weights = Tensor.from([[-2, 2.5]]);
    const optimizer = make([weights]);
    for (let step = 0; step < 25; step++) {
      optimizer.zeroGrad();
      const off = weights.sub(1);
      off.mul(off).mul(halfAndTwo).sum().backward();
      optimizer.step();
    }
    return fmt(Math.hypot(weights.data[0] - 1, weights.data[1] - 1), 2);
  };
  return (
    `After 25 steps from (−2, 2.5) with the learning rate α = ${fmt(lr, 4)}, the distance to the ` +
    `minimum (1, 1): plain: ${away((p) => new SGD(p, { lr }))}; momentum, β = ${beta}: ` +
    `${away((p) => new Momentum(p, { lr, beta }))}; Adam: ${away((p) => new Adam(p, { lr }))}.`
  );
}

/** A page's main text as a reader reads it: formulas once (KaTeX's MathML copy left out). */
function proseOf(document: Document): string {
  const main = document.querySelector("main")!.cloneNode(true) as HTMLElement;
  for (const copy of main.querySelectorAll(".katex-mathml")) copy.remove();
  return main.textContent!.replace(/\s+/g, " ");
}

describeChapters([CH6, CH7], ["site"], "chapters 6 and 7 as built", () => {
  /** A built page, parsed: the HTML a reader without JavaScript gets. */
  async function built(chapter: string) {
    const html = await (await fetch(`${inject("siteUrl")}${chapter}`)).text();
    const { document } = parseHTML(html);
    const cell = (id: string) => document.querySelector(`nb-cell[data-id="${id}"] .nb-output`)!;
    const label = (id: string) =>
      cell(id).querySelector("svg[aria-label]")?.getAttribute("aria-label") ?? "";
    return { document, cell, label };
  }

  test("chapter 6 holds the backward pass at its last step, and the tanh check of the first guess", async () => {
    const { cell, label, document } = await built(CH6);
    const slider = cell("backprop-steps").querySelector('input[type="range"]')!;
    expect([
      slider.getAttribute("min"),
      slider.getAttribute("max"),
      slider.getAttribute("value"),
    ]).toEqual(["0", "30", "30"]);
    expect(cell("backprop-walk").textContent).toContain(
      "Step 30 of 30: the gradient of w₁₁ × x₁ (−0.028) goes back to x₁.",
    );
    expect(cell("backprop-walk").textContent).toContain(
      "x₁ feeds 2 nodes, so its gradient is the sum over the paths: 0.005 − 0.023 = −0.018, complete.",
    );
    expect(label("backprop-walk")).toMatch(
      /^A computation graph of 28 values and 17 operations, read from the bottom up: J = \(ŷ − y\)\^2 = 0\.029\. .* The backward pass has crossed 29 of 29 arrows\. Highlighted: the gradient going back from w₁₁ × x₁ to x₁ \(× 0\.8\)\./,
    );
    expect(cell("backprop-walk").querySelectorAll(".nn-gnode").length).toBe(28);
    expect(cell("tanh-rule-check").textContent).toContain(
      "Your rule differs from the numerical gradient at all 61 inputs, from x = −3 to 3.",
    );
    expect(label("tanh-rule-check")).toContain(
      "the numerical one (thick) and your rule's (dashed)",
    );
    // the numbers the prose quotes are the cells' own
    const prose = proseOf(document);
    expect(prose).toContain("contributes 0.16 of the total 0.2125 (before dividing by four)");
    expect(prose).toMatch(/The gradient ∂J\/∂w ?≈ ?0\.431 is positive/);
    // the chapter's figure is drawn by the same function, left to right
    const figure = document.querySelector(".nn-figure--graph svg")!;
    expect(figure.getAttribute("aria-label")).toMatch(
      /^A computation graph of 7 values and 4 operations, read left to right: J = a\^2 = 0\.5344\./,
    );
  });

  test("chapter 7 holds each experiment's default state", async () => {
    const { cell, label, document } = await built(CH7);
    const value = (id: string, n = 0) =>
      cell(id).querySelectorAll("input[type=range]")[n].getAttribute("value");
    expect(value("tangent-weight")).toBe("6");
    expect(label("tangent-chart")).toContain(
      "At w = 6, J = 5.5 and the slope ∂J/∂w is 3: the tangent rises to the right",
    );
    expect(cell("tangent-chart").textContent).toContain("moves w by −0.9, to 5.1");
    expect(label("descent-lr-walk")).toContain(
      "Gradient descent from w = −1 with learning rate 0.3: it ends after 8 steps at w = 2.77",
    );
    expect(value("rates-start")).toBe("-0.5");
    expect(label("rates-compare")).toMatch(
      /from w = −0\.5, in three panels side by side\. With α = 0\.05, .* With α = 0\.6, it reaches w = 3 .* With α = 2\.1, .* it diverges\.$/,
    );
    expect([0, 1, 2].map((n) => value("valley-controls", n))).toEqual(["-2", "2.5", "0.4"]);
    expect(cell("valley-walk").querySelector("figcaption")!.textContent).toBe(
      "From (−2, 2.5) with α = 0.4, the walk, zig-zagging across the valley, reaches the minimum (1, 1), to two decimals, after 13 steps.",
    );
    expect(label("valley-walk")).toMatch(/^Contour lines of the cost J\(w₁, w₂\)/);
    // plain descent, momentum and Adam from the valley walk's start, under one learning rate
    expect([0, 1].map((n) => value("optimizer-controls", n))).toEqual(["0.1", "0.9"]);
    const caption = optimizerCaption(0.1, 0.9);
    expect(cell("optimizer-walks").querySelector("figcaption")!.textContent).toBe(caption);
    expect(label("optimizer-walks")).toMatch(
      /and 3 walks of 25 steps from \(−2, 2\.5\) with the learning rate α = 0\.1\. Plain: .* Momentum, β = 0\.9: .*overshoots the minimum along the valley.* Adam: its first step goes as far along the valley as across it/,
    );
    const radios = [...cell("moons-controls").querySelectorAll("input[type=radio]")];
    expect(radios.map((r) => r.hasAttribute("checked"))).toEqual([false, true, false]);
    expect(cell("moons-train").textContent).toContain("epoch 60/60");
    expect(label("moons-boundary")).not.toBe("");
    // the numbers the prose quotes are the cells' own
    const prose = proseOf(document);
    expect(prose).toContain("After ten steps w is about 2.89, within 0.11 of the minimum.");
    expect(prose).toMatch(/to 0\.025 after sixty epochs, and the accuracy climbs to 99%\./);
    // the distances the prose quotes are the figure's
    const [plain, momentum, adam] = [...caption.matchAll(/: (\d+(?:\.\d+)?)[;.]/g)].map((m) => m[1]);
    expect(prose).toContain(`after 25 steps it is ${plain} from the minimum.`);
    expect(prose).toContain(`after 25 steps it is ${momentum} from it.`);
    expect(prose).toContain(`so it ends ${adam} from the minimum.`);
    expect(
      document.querySelectorAll(
        'nb-cell[data-id="valley-controls"] [role=group][aria-label="Walk"] button',
      ).length,
    ).toBe(4);
  });
});

describeChapters([CH6, CH7], ["site", "chromium"], "chapters 6 and 7 in the browser", () => {
  test("chapter 6: the backward step slider walks the graph back, one arrow per key, and drags", async () => {
    const page = await open(CH6);
    const slider = page.getByRole("slider", {
      name: "backward step",
      exact: true,
    });
    await slider.focus();
    await page.keyboard.press("Home");
    await expect
      .poll(() => text(page, "backprop-walk"), SLOW)
      .toMatch(/^Step 0 of 30: the forward pass is done/);
    expect(await label(page, "backprop-walk")).toContain("x₁ (data 0.5, grad not yet known)");
    expect(await output(page, "backprop-walk").locator(".nn-graph__back").count()).toBe(0);
    await page.keyboard.press("ArrowRight");
    await expect
      .poll(() => text(page, "backprop-walk"), SLOW)
      .toMatch(/^Step 1 of 30: start at the output\./);
    await page.keyboard.press("ArrowRight");
    await expect
      .poll(() => text(page, "backprop-walk"), SLOW)
      .toMatch(/^Step 2 of 30: the gradient of J \(1\) goes back to ŷ − y\./);
    expect(await label(page, "backprop-walk")).toContain(
      "The backward pass has crossed 1 of 29 arrows. Highlighted: the gradient going back from J to ŷ − y (× −0.342).",
    );
    expect(await output(page, "backprop-walk").locator(".nn-graph__back--current").count()).toBe(1);
    expect(await output(page, "backprop-walk").locator(".nn-graph__note").textContent()).toBe(
      "× −0.342",
    );
    // to the step where x₂'s second share arrives: the sum over its two paths
    await page.keyboard.press("End");
    await page.keyboard.press("ArrowLeft");
    await page.keyboard.press("ArrowLeft");
    await expect
      .poll(() => text(page, "backprop-walk"), SLOW)
      .toContain(
        "x₂ feeds 2 nodes, so its gradient is the sum over the paths: 0.014 + 0.011 = 0.025, complete.",
      );
    expect(await output(page, "backprop-walk").locator(".nn-graph__back").count()).toBe(27);
    // the pointer: drag the thumb to the start
    await drag(page, "backward step", 0);
    await expect.poll(() => text(page, "backprop-walk"), SLOW).toMatch(/^Step 0 of 30/);
    expect(await slider.inputValue()).toBe("0");
  });

  test("chapter 6: the reader's tanh rule is checked, and the check says where it differs", async () => {
    const page = await open(CH6);
    // a rule that forgets g: right for g = 1 only
    await replaceCode(
      page,
      "tanh-rule",
      "function tanhBackward(x, t, g) {\n  return 1 - t * t;\n}",
    );
    await page.keyboard.press("Shift+Enter");
    await expect
      .poll(() => text(page, "tanh-rule-check"), SLOW)
      .toContain(
        "It is right for g = 1 but not for g = −0.5, from x = −3 to 3: does it multiply by g?",
      );
    // the right rule: no input marked, and the words say so
    await replaceCode(
      page,
      "tanh-rule",
      "function tanhBackward(x, t, g) {\n  return (1 - t * t) * g;\n}",
    );
    await page
      .locator('nb-cell[data-id="tanh-rule"]')
      .getByRole("button", { name: "Run", exact: true })
      .click();
    await expect
      .poll(() => text(page, "tanh-rule-check"), SLOW)
      .toContain(
        "Your rule matches the numerical gradient at all 61 inputs from x = −3 to 3, for g = 1 and for g = −0.5: it is right.",
      );
    expect(await label(page, "tanh-rule-check")).toContain("it is right.");
    expect(
      await output(page, "tanh-rule-check").locator('g[aria-label="dot"] circle').count(),
    ).toBe(0);
  });

  test("chapter 7: the weight slider turns the tangent; the number box takes a typed weight", async () => {
    const page = await open(CH7);
    const slider = page.getByRole("slider", { name: "weight w", exact: true });
    await slider.focus();
    await page.keyboard.press("Home");
    await expect
      .poll(() => label(page, "tangent-chart"), SLOW)
      .toContain(
        "At w = −1, J = 9 and the slope ∂J/∂w is −4: the tangent falls to the right, so the cost falls towards larger w.",
      );
    expect(await text(page, "tangent-chart")).toContain("moves w by 1.2, to 0.2");
    const box = page.getByRole("spinbutton", {
      name: "weight w (exact value)",
    });
    await box.fill("3");
    await box.press("Enter");
    await expect
      .poll(() => label(page, "tangent-chart"), SLOW)
      .toContain("At w = 3, J = 1 and the slope ∂J/∂w is 0: the tangent is flat");
    expect(await slider.inputValue()).toBe("3");
  });

  test("chapter 7: the three learning rates follow the start, dragged with the pointer", async () => {
    const page = await open(CH7);
    await drag(page, "starting weight", 1);
    const crawled = 3 + 4 * 0.95 ** 8; // from w = 7 with α = 0.05: each step keeps 95% of w − 3
    await expect
      .poll(() => label(page, "rates-compare"), SLOW)
      .toContain(
        `from w = 7, in three panels side by side. With α = 0.05, it ends after 8 steps at w = ${crawled.toFixed(2)}`,
      );
    expect(await label(page, "rates-compare")).toMatch(/With α = 2\.1, .* it diverges\.$/);
  });

  test("chapter 7: the valley walk plays, pauses, steps and resets, and says when it diverges", async () => {
    const page = await open(CH7);
    const walk = page.getByRole("group", { name: "Walk", exact: true });
    const status = walk.locator("[data-role=status]");
    const caption = output(page, "valley-walk").locator("figcaption");
    // Reset: the walk waits at its start, its way drawn faintly
    await walk.getByRole("button", { name: "Reset" }).click();
    await expect
      .poll(() => caption.textContent(), SLOW)
      .toContain("The walk has not started yet: only its way is drawn, faintly.");
    await expect.poll(() => status.textContent(), SLOW).toBe("Ready: nothing trained yet.");
    // Step: one update at a time
    await walk.getByRole("button", { name: "Step a batch" }).click();
    await expect
      .poll(() => caption.textContent(), SLOW)
      .toContain("After 1 of 25 steps the weights are at (−0.8, 0.1), where J = 3.24.");
    await walk.getByRole("button", { name: "Step an epoch" }).click();
    await expect.poll(() => caption.textContent(), SLOW).toContain("After 2 of 25 steps");
    const arrows = output(page, "valley-walk").locator('g[aria-label="arrow"] path');
    await expect.poll(() => arrows.count(), SLOW).toBe(2);
    // a typed start and a larger rate: the words say at once that this walk diverges
    const w1 = page.getByRole("spinbutton", { name: "start w₁ (exact value)" });
    await w1.fill("3");
    await w1.press("Enter");
    const rate = page.getByRole("slider", { name: "rate α", exact: true });
    await rate.focus();
    await page.keyboard.press("End");
    await expect
      .poll(() => caption.textContent(), SLOW)
      .toMatch(
        /^From \(3, 2\.5\) with α = 0\.6, every step across the valley overshoots further: the walk diverges\./,
      );
    // Play walks it, slowly; Pause holds it where it is
    await walk.getByRole("button", { name: /^(Play|Resume)$/ }).click();
    await expect.poll(() => caption.textContent(), SLOW).toMatch(/After [1-9]\d* of 25 steps/);
    await walk.getByRole("button", { name: "Pause" }).click();
    await expect.poll(() => status.textContent(), SLOW).toMatch(/^Paused at epoch \d+\.$/);
    const held = await caption.textContent();
    await page.waitForTimeout(1500);
    expect(await caption.textContent()).toBe(held);
    // at full speed it runs to its end
    await walk.getByRole("combobox", { name: "Speed" }).selectOption("fast");
    await walk.getByRole("button", { name: "Resume" }).click();
    await expect.poll(() => status.textContent(), SLOW).toBe("Finished.");
    await expect.poll(() => caption.textContent(), SLOW).not.toContain("After");
    expect(await label(page, "valley-walk")).toContain("the walk diverges");
  });

  test("chapter 7: the optimizers' walks follow the shared rate and momentum's β, from the keys", async () => {
    const page = await open(CH7);
    const caption = output(page, "optimizer-walks").locator("figcaption");
    const beta = page.getByRole("slider", { name: "momentum", exact: true });
    await beta.focus();
    await page.keyboard.press("Home"); // β = 0: momentum keeps nothing, and walks as plain descent
    await expect.poll(() => caption.textContent(), SLOW).toBe(optimizerCaption(0.1, 0));
    expect(await caption.textContent()).toMatch(/plain: ([\d.]+); momentum, β = 0: \1;/);
    await page.keyboard.press("ArrowRight"); // 0.05
    await expect.poll(() => caption.textContent(), SLOW).toBe(optimizerCaption(0.1, 0.05));
    // the largest shared rate: plain descent overshoots across the valley and diverges
    const rate = page.getByRole("slider", { name: "shared α", exact: true });
    await rate.focus();
    await page.keyboard.press("End");
    await expect.poll(() => caption.textContent(), SLOW).toBe(optimizerCaption(0.6, 0.05));
    expect(await label(page, "optimizer-walks")).toContain(
      "Plain: every step overshoots further, and the walk diverges;",
    );
    // the walks are drawn: three lines over the contour lines, one per optimizer
    expect(await output(page, "optimizer-walks").locator('g[aria-label="line"]').count()).toBe(3);
  });

  test("chapter 7: a learning rate picked with the keys retrains the network, and divergence is told in words", async () => {
    const page = await open(CH7);
    const half = page.getByRole("radio", { name: "0.5", exact: true });
    await half.focus();
    await page.keyboard.press("ArrowDown"); // the next option: 5
    expect(await page.getByRole("radio", { name: "5", exact: true }).isChecked()).toBe(true);
    await expect
      .poll(() => text(page, "moons-train"), { timeout: 60_000 })
      .toMatch(
        /Training diverged at epoch \d+, batch \d+: the loss grew to [\d.]+, more than 10× a blind guess's 0\.693\. The learning rate \(lr = 5\) is likely too large/,
      );
  });

  test("chapter 7: the training run again draws its runs side by side, with the rate that changed; they can be cleared", async () => {
    const page = await open(CH7);
    const train = page.locator('nb-cell[data-id="moons-train"]');
    const status = page
      .getByRole("group", { name: "Training", exact: true })
      .locator("[data-role=status]");
    const runs = output(page, "moons-train").locator(".nb-training[data-runs]");
    // the first live run: 0.05, picked with the keys
    await page.getByRole("radio", { name: "0.5", exact: true }).focus();
    await page.keyboard.press("ArrowUp");
    expect(await page.getByRole("radio", { name: "0.05", exact: true }).isChecked()).toBe(true);
    await expect.poll(() => status.textContent(), { timeout: 60_000 }).toBe("Finished.");
    expect(await runs.count()).toBe(0);
    // back to 0.5: the two runs, one line each, labelled with what was different
    await page.keyboard.press("ArrowDown");
    await expect.poll(() => runs.getAttribute("data-runs"), { timeout: 60_000 }).toBe("2");
    expect(await runs.textContent()).toContain("run 2: rate = 0.5");
    expect(await runs.locator("svg[aria-label]").last().getAttribute("aria-label")).toMatch(
      /^Loss per epoch of 2 training runs, one line each\. run 1: loss [\d.]+ at epoch 60, accuracy \d+%\. run 2: rate = 0\.5: loss [\d.]+ at epoch 60, accuracy \d+%\.$/,
    );
    // the slow run's loss stays above: compare the two numbers the text alternative gives
    const [slow, fast] = [
      ...((await runs.locator("svg[aria-label]").last().getAttribute("aria-label")) ?? "").matchAll(
        /loss ([\d.]+) at epoch 60/g,
      ),
    ].map((m) => Number(m[1]));
    expect(slow).toBeGreaterThan(fast);
    await train.getByRole("button", { name: "Clear the earlier runs" }).click();
    await expect.poll(() => runs.count(), SLOW).toBe(0);
    expect(await train.getByRole("button", { name: "Clear the earlier runs" }).count()).toBe(0);
  }, 150_000);

  test("at 390 px every chart of these experiments keeps its text at 9 px or more", async () => {
    for (const [chapter, ids] of [
      [CH6, ["backprop-walk", "tanh-rule-check"]],
      [
        CH7,
        [
          "tangent-chart",
          "descent-lr-walk",
          "rates-compare",
          "valley-walk",
          "optimizer-walks",
          "moons-train",
          "moons-boundary",
        ],
      ],
    ] as const) {
      const page = await open(chapter, { width: 390, height: 844 });
      for (const id of ids) {
        const smallest = await output(page, id)
          .locator("svg[aria-label]")
          .first()
          .evaluate((svg) => {
            const s = svg as SVGSVGElement;
            const scale = s.getBoundingClientRect().width / s.viewBox.baseVal.width;
            const sizes = [...s.querySelectorAll("text")].map(
              (t) => parseFloat(getComputedStyle(t).fontSize) * scale,
            );
            return Math.min(...sizes);
          });
        expect([id, smallest]).toEqual([id, expect.toSatisfy((px: number) => px >= 9)]);
      }
      if (chapter === CH6) {
        // the computation graph figure shows its bottom-up drawing on a phone, at a legible size
        const figure = page.locator(".nn-figure--graph").first();
        expect(await figure.locator(".nn-figure__body--wide-layout").isVisible()).toBe(false);
        const svg = figure.locator(".nn-figure__body--phone svg");
        expect(await svg.getAttribute("aria-label")).toContain("read from the bottom up");
        const smallest = await svg.evaluate((svg) => {
          const s = svg as SVGSVGElement;
          const scale = s.getBoundingClientRect().width / s.viewBox.baseVal.width;
          return Math.min(
            ...[...s.querySelectorAll("text")].map(
              (t) => parseFloat(getComputedStyle(t).fontSize) * scale,
            ),
          );
        });
        expect(smallest).toBeGreaterThanOrEqual(9);
      }
    }
  }, 180_000);

  test("at 390 px the sliders of the valley and the optimizers keep their labels on one line", async () => {
    const page = await open(CH7, { width: 390, height: 844 });
    const labels = await page.evaluate(() =>
      [
        ...document.querySelectorAll(
          ':is(nb-cell[data-id="valley-controls"], nb-cell[data-id="optimizer-controls"]) .nb-input--range > label',
        ),
      ].map((label) => {
        const range = document.createRange();
        range.selectNodeContents(label);
        // one box per line the text is laid out on
        const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
        return [label.textContent, lines] as const;
      }),
    );
    expect(labels.length).toBe(5);
    expect(labels.filter(([, lines]) => lines !== 1)).toEqual([]);
  });

  test("no experiment shifts the layout when the page's scripts upgrade it", async () => {
    const boxes = (page: Page, ids: string[]) =>
      page.evaluate(
        (list) =>
          list.map((id) => {
            const box = document.querySelector(`nb-cell[data-id="${id}"]`)!.getBoundingClientRect();
            return [id, Math.round(box.width), Math.round(box.height)];
          }),
        ids,
      );
    for (const [chapter, ids] of Object.entries(EXPERIMENTS)) {
      // the page as it arrives (no script runs): laid out by its CSS alone, at each width in turn
      const bare = await (await open.context({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: false })).newPage();
      await bare.goto(`${inject("siteUrl")}${chapter}`, { waitUntil: "load" });
      await bare.evaluate(() => document.fonts.ready.then(() => undefined));
      for (const width of [1280, 390]) {
        await bare.setViewportSize({ width, height: 900 });
        const before = await boxes(bare, ids);
        // then loaded at that width and upgraded by its scripts
        const page = await (await open.context({ viewport: { width, height: 900 } })).newPage();
        await page.goto(`${inject("siteUrl")}${chapter}`, { waitUntil: "networkidle" });
        for (const id of ids) await page.locator(`nb-cell[data-id="${id}"]`).waitFor();
        await page.waitForFunction(() => customElements.get("nb-cell") !== undefined);
        expect([chapter, width, await boxes(page, ids)]).toEqual([chapter, width, before]);
        await page.context().close();
      }
      await bare.context().close();
    }
  }, 240_000);
});

describeChapters([CH6, CH7], [], "this file", () => {
  test("names the cells it operates, which the chapters declare", async () => {
    const { readFileSync } = await import("node:fs");
    const sources: Record<string, string> = {
      [CH6]: readFileSync("content/06-error-and-backpropagation.mdx", "utf8"),
      [CH7]: readFileSync("content/07-gradient-descent.mdx", "utf8"),
    };
    expect(sources[CH6]).toContain("```ts cell id=net-221\n");
    for (const [chapter, ids] of Object.entries(EXPERIMENTS)) {
      for (const id of ids) expect(sources[chapter], `${chapter}: ${id}`).toContain(`\`\`\`ts cell id=${id}\n`);
    }
  });
});
