import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseHTML } from "linkedom";
import { describe, expect, test } from "vitest";
import type { Page } from "playwright-core";
import { MLP, Perceptron, activations, datasets, train } from "../../engine/index.ts";
import { fmt } from "../../src/charts/index.ts";
import { networkDiagram } from "../../src/charts/diagrams/network.ts";
import { SITE_DIR } from "../support/site.ts";
import { useBook } from "../support/pages.ts";
import { describeChapters } from "../support/suites.ts";

// The experiments of chapters 3 to 5, as a reader operates them:
// - chapter 3: `slope-controls` (a select and a slider) drive `slope-explorer` (activationSlope);
//   `rule-controls` (a radio and training controls) drive `rule-steps`, a generator that applies
//   the perceptron rule one example (one "batch") at a time and yields perceptronStep pictures;
// - chapter 4: `watch-controls` (training controls) drive `watch-train`, a generator that trains a
//   2-2-1 network on XOR one epoch at a time and yields layerRegions pictures;
// - chapter 5: `pass-controls` (a neuron slider and six input sliders) drive `pass-step`, which
//   shows networkDiagram with the neuron highlighted and its z and a written out.
const THREE = "the-perceptron/";
const FOUR = "the-multi-layer-perceptron/";
const FIVE = "the-forward-pass/";
/** The first control moved starts the kernel worker: on a busy two-core machine, seconds. */
const SLOW = { timeout: 30_000 };

function built(slug: string): Document {
  return parseHTML(readFileSync(join(SITE_DIR, slug, "index.html"), "utf8")).document;
}

const outputOf = (doc: Document | Element, id: string) =>
  doc.querySelector(`nb-cell[data-id="${id}"] .nb-output`)!;

// The engine's own answers, to check the pages against.
const andMistakes = new Perceptron(2, { lr: 1, seed: 0 }).fit(datasets.and().x, datasets.and().y, {
  epochs: 12,
}).mistakes;
const passNet = new MLP([6, 4, 4, 1], { activation: "tanh", output: "sigmoid", seed: 7 });
/** Neuron j (from 0) of the first hidden layer of chapter 5's network, for an input. */
function firstLayer(input: number[], j: number): { z: number; a: number } {
  const W = passNet.layers[0].W.toArray();
  const z = input.reduce((sum, x, i) => sum + W[i][j] * x, passNet.layers[0].b.toArray()[0][j]);
  return { z, a: Math.tanh(z) };
}

describeChapters([THREE, FOUR, FIVE], ["site"], "chapters 3 to 5 ship each experiment in its default state", () => {
  test("chapter 3: the activation explorer at sigmoid and z = 1", () => {
    const doc = built(THREE);
    const controls = outputOf(doc, "slope-controls");
    expect(controls.querySelector("select option[selected]")?.textContent).toBe("sigmoid");
    expect(
      (controls.querySelector("input[type=range]") as HTMLInputElement).getAttribute("value"),
    ).toBe("1");
    const chart = outputOf(doc, "slope-explorer");
    const sentence =
      `Sigmoid at z = 1: a = f(z) = ${fmt(activations.sigmoid.f(1), 3)}, and its slope ` +
      `f′(z) = ${fmt(activations.sigmoid.df(1), 3)}`;
    expect(chart.querySelector("svg[aria-label]")?.getAttribute("aria-label")).toContain(sentence);
    expect(chart.querySelector("figcaption")?.textContent).toContain(sentence);
  });

  test("chapter 3: the perceptron rule at the end of its training on AND", () => {
    const doc = built(THREE);
    expect(
      outputOf(doc, "rule-controls")
        .querySelector("input[type=radio][checked]")
        ?.getAttribute("value"),
    ).toBe("0");
    const last = andMistakes.length;
    expect(andMistakes.at(-1)).toBe(0);
    const figure = outputOf(doc, "rule-steps");
    expect(figure.querySelector("figcaption")?.textContent).toMatch(
      new RegExp(`^Epoch ${last}, example 4 of 4: .* Epoch ${last} made no mistakes`),
    );
    // the mistakes of every finished epoch, as the engine's Perceptron.fit counts them
    expect(figure.querySelector("svg[aria-label]")?.getAttribute("aria-label")).toContain(
      `Mistakes per finished epoch: ${andMistakes.join(", ")}.`,
    );
  });

  test("chapter 4: the 2-2-1 network after training, inside and out", () => {
    const figure = outputOf(built(FOUR), "watch-train");
    const caption = figure.querySelector("figcaption")?.textContent ?? "";
    // what the prose says of this run: OR and AND in the hidden layer, every point right
    expect(caption).toMatch(/^After epoch 300, loss 0\.0\d+\. /);
    expect(caption).toContain("h₁ is above 0.5 for (0, 1), (1, 0) and (1, 1): it acts as OR.");
    expect(caption).toContain("h₂ is above 0.5 for (1, 1): it acts as AND.");
    expect(caption).toContain("The output is right for 4 of 4 points.");
    const labels = [...figure.querySelectorAll("text")].map((t) => t.textContent);
    for (const title of [
      "h₁: hidden unit 1",
      "h₂: hidden unit 2",
      "hidden space (h₁, h₂)",
      "output ŷ",
    ]) {
      expect(labels).toContain(title);
    }
    // the hidden space labels each point with its input: (0, 1) and (1, 0) share a spot
    expect(labels).toContain("(0, 1)(1, 0)");
  });

  test("chapter 5: the pass at its first neuron, with the table's input", () => {
    const doc = built(FIVE);
    const input = [1, 1, 0.5, -1, 2, 0.3];
    const controls = outputOf(doc, "pass-controls");
    const valueOf = (label: string) => {
      const id = [...controls.querySelectorAll("label")]
        .find((l) => l.textContent === label)
        ?.getAttribute("for");
      return Number(controls.querySelector(`input[type=range][id="${id}"]`)?.getAttribute("value"));
    };
    expect(valueOf("neuron")).toBe(1);
    expect(["x₁", "x₂", "x₃", "x₄", "x₅", "x₆"].map((x) => valueOf(`input ${x}`))).toEqual(input);
    const step = outputOf(doc, "pass-step");
    const { z, a } = firstLayer(input, 0);
    expect(step.querySelector("svg.nn-network")?.getAttribute("aria-label")).toMatch(
      new RegExp(
        `Highlighted: neuron 1 of Hidden layer 1 \\(value ${fmt(a, 2)}\\), with its 6 connections from Input layer\\.$`,
      ),
    );
    expect(step.querySelectorAll(".nn-network__edges--highlight line").length).toBe(6);
    const formula = step.querySelector("annotation")?.textContent ?? "";
    expect(formula).toContain(`= ${z.toFixed(2)}`);
    expect(formula).toContain(`\\tanh(${z.toFixed(2)}) = ${a.toFixed(2)}`);
  });

  test("chapters 4 and 5 draw the 6-4-4-1 network with the one function cells use", () => {
    for (const slug of [FOUR, FIVE]) {
      const svg = built(slug).querySelector("figure.nn-figure--diagram svg.nn-network");
      expect(svg?.outerHTML).toBe(
        parseHTML(
          `<html><body>${networkDiagram({ layers: [6, 4, 4, 1] }).svg}</body></html>`,
        ).document.querySelector("svg")!.outerHTML,
      );
    }
  });
});

const open = useBook();

const caption = (page: Page, id: string) =>
  page.locator(`nb-cell[data-id="${id}"] .nb-output figcaption`).textContent();
const altText = (page: Page, id: string, selector = "svg[aria-label]") =>
  page
    .locator(`nb-cell[data-id="${id}"] .nb-output ${selector}`)
    .first()
    .getAttribute("aria-label");

describeChapters(
  [THREE, FOUR, FIVE],
  ["site", "chromium"],
  "chapters 3 to 5: the experiments under the reader's hands",
  () => {
    test("chapter 3: choosing a function and moving z redraws f(z), its slope and the sentence", async () => {
      const page = await open(THREE);
      const z = page.getByRole("slider", { name: "net sum z" });
      await z.focus();
      await page.keyboard.press("End"); // z = 4
      await expect.poll(() => caption(page, "slope-explorer"), SLOW).toContain("Sigmoid at z = 4:");
      expect(await caption(page, "slope-explorer")).toContain(
        `f′(z) = ${fmt(activations.sigmoid.df(4), 3)}`,
      );
      await page.keyboard.press("ArrowLeft"); // 3.9
      await expect
        .poll(() => caption(page, "slope-explorer"), SLOW)
        .toContain("Sigmoid at z = 3.9:");
      // a reader picks ReLU from the list, then drags z to the negative side
      await page.getByRole("combobox", { name: "activation f" }).selectOption({ label: "ReLU" });
      await expect.poll(() => caption(page, "slope-explorer"), SLOW).toContain("ReLU at z = 3.9:");
      const box = (await z.boundingBox())!;
      await page.mouse.move(box.x + box.width * 0.9, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.2, box.y + box.height / 2, { steps: 8 });
      await page.mouse.up();
      const dragged = Number(await z.inputValue());
      expect(dragged).toBeLessThan(0);
      await expect
        .poll(() => caption(page, "slope-explorer"), SLOW)
        .toBe(
          `ReLU at z = ${fmt(dragged)}: a = f(z) = 0, and its slope f′(z) = 0: the curve is flat here, ` +
            "so a small change of z does not change a at all.",
        );
      // the chart's text alternative follows too
      expect(await altText(page, "slope-explorer")).toContain(`ReLU at z = ${fmt(dragged)}`);
    });

    test("chapter 3: the perceptron rule steps one example, then an epoch, and never settles on XOR", async () => {
      const page = await open(THREE);
      const controls = page.getByRole("group", { name: "Perceptron rule" });
      // Play goes slowly enough to follow each example, unless the reader speeds it up
      expect(await controls.getByRole("combobox", { name: "Speed" }).inputValue()).toBe("slow");
      await controls.getByRole("button", { name: "Step a batch" }).click();
      await expect
        .poll(() => caption(page, "rule-steps"), SLOW)
        .toMatch(/^Epoch 1, example 1 of 4: x = \(0, 0\), label y = 0\. /);
      // the keyboard works the same buttons
      await controls.getByRole("button", { name: "Step a batch" }).focus();
      await page.keyboard.press("Enter");
      await expect
        .poll(() => caption(page, "rule-steps"), SLOW)
        .toMatch(/^Epoch 1, example 2 of 4: x = \(0, 1\)/);
      await page.waitForTimeout(800);
      expect(await caption(page, "rule-steps")).toMatch(/^Epoch 1, example 2 of 4/); // it waits for the reader
      await controls.getByRole("button", { name: "Step an epoch" }).click();
      await expect
        .poll(() => caption(page, "rule-steps"), SLOW)
        .toMatch(
          new RegExp(
            `^Epoch 1, example 4 of 4: .* Epoch 1 ends with ${andMistakes[0]} mistakes?\\.$`,
          ),
        );

      // XOR: the rule starts again from the same weights, and runs out of epochs with mistakes left
      // the gate chosen with the arrow keys, as in any radio group
      await page.getByRole("radio", { name: "AND" }).focus();
      await page.keyboard.press("ArrowRight");
      await page.keyboard.press("ArrowRight");
      expect(await page.getByRole("radio", { name: "XOR" }).isChecked()).toBe(true);
      await expect.poll(() => caption(page, "rule-steps"), SLOW).toMatch(/^Before training: /);
      await controls.getByRole("combobox", { name: "Speed" }).selectOption("fast");
      await controls.getByRole("button", { name: /Play|Resume/ }).click();
      await expect
        .poll(() => caption(page, "rule-steps"), { timeout: 60_000 })
        .toMatch(/^Epoch 12, example 4 of 4: .* Epoch 12 ends with [1-4] mistakes?\.$/);
      const alt = (await altText(page, "rule-steps")) ?? "";
      const counts = /Mistakes per finished epoch: ([\d, ]+)\./
        .exec(alt)![1]
        .split(", ")
        .map(Number);
      expect(counts.length).toBe(12);
      expect(counts.every((count) => count > 0)).toBe(true);
    });

    test("chapter 4: the 2-2-1 network trains under the controls, slowly enough to watch", async () => {
      const page = await open(FOUR);
      const controls = page.getByRole("group", { name: "Training 2-2-1 on XOR" });
      expect(await controls.getByRole("combobox", { name: "Speed" }).inputValue()).toBe("medium");
      const epochOf = async () =>
        Number(/^After epoch (\d+)/.exec((await caption(page, "watch-train")) ?? "")?.[1]);
      await controls.getByRole("button", { name: "Step an epoch" }).click();
      await expect.poll(epochOf, SLOW).toBe(1);
      await controls.getByRole("button", { name: "Step an epoch" }).click();
      await expect.poll(epochOf, SLOW).toBe(2);
      const before = await caption(page, "watch-train");
      expect(before).toMatch(/^After epoch 2, loss 0\.\d+\. h₁ is/);
      // the controls wait before the next epoch, and say so
      await expect
        .poll(() => controls.locator("[data-role=status]").textContent(), SLOW)
        .toBe("Paused at epoch 3.");
      // at the medium speed a picture per epoch: no more than about a dozen epochs a second
      await controls.getByRole("button", { name: /Play|Resume/ }).click();
      await expect.poll(epochOf, SLOW).toBeGreaterThan(3);
      const start = await epochOf();
      await page.waitForTimeout(2000);
      const watched = (await epochOf()) - start;
      expect(watched).toBeGreaterThan(0);
      expect(watched).toBeLessThanOrEqual(26);
      // played through at full speed, it ends with XOR learned, as the book says
      await controls.getByRole("combobox", { name: "Speed" }).selectOption("fast");
      await expect.poll(epochOf, { timeout: 90_000 }).toBe(300);
      const last = (await caption(page, "watch-train")) ?? "";
      expect(last).toContain("it acts as OR");
      expect(last).toContain("it acts as AND");
      expect(last).toContain("The output is right for 4 of 4 points.");
      expect(await altText(page, "watch-train")).toMatch(/^4 panels: h₁ over the input plane/);
    });

    test("chapter 5: the reader's inputs and the neuron slider move the highlight and the numbers", async () => {
      const page = await open(FIVE);
      const diagram = () => altText(page, "pass-step", "svg.nn-network");
      const formula = () =>
        page.locator('nb-cell[data-id="pass-step"] .nb-output annotation').first().textContent();
      const neuron = page.getByRole("slider", { name: "neuron" });
      await neuron.focus();
      await page.keyboard.press("ArrowRight"); // neuron 2
      await expect.poll(diagram, SLOW).toContain("Highlighted: neuron 2 of Hidden layer 1");
      const { z: z2, a: a2 } = firstLayer([1, 1, 0.5, -1, 2, 0.3], 1);
      expect(await formula()).toContain(`\\tanh(${z2.toFixed(2)}) = ${a2.toFixed(2)}`);
      for (let k = 0; k < 3; k++) await page.keyboard.press("ArrowRight"); // neuron 5
      await expect
        .poll(diagram, SLOW)
        .toMatch(
          /Highlighted: neuron 1 of Hidden layer 2 \(value [−\d.]+\), with its 4 connections from Hidden layer 1\.$/,
        );
      expect(await formula()).toContain("z^{[2]}_{1}");
      await page.keyboard.press("End");
      await expect
        .poll(diagram, SLOW)
        .toMatch(/Highlighted: Output layer \(value [\d.]+\), with its 4 connections/);
      expect(await formula()).toContain("\\sigma(");
      await page.keyboard.press("Home");
      await expect.poll(diagram, SLOW).toContain("Highlighted: neuron 1 of Hidden layer 1");

      // The reader types 0 for x₁ and drags x₅ down to −2: neuron 1 recomputes with those inputs.
      const exact = page.getByRole("spinbutton", { name: "input x₁ (exact value)" });
      await exact.fill("0");
      await exact.press("Enter");
      const x5 = page.getByRole("slider", { name: "input x₅" });
      await x5.scrollIntoViewIfNeeded();
      const box = (await x5.boundingBox())!;
      await page.mouse.move(box.x + box.width * 0.98, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x - 20, box.y + box.height / 2, { steps: 10 });
      await page.mouse.up();
      expect(await x5.inputValue()).toBe("-2");
      const { z, a } = firstLayer([0, 1, 0.5, -1, -2, 0.3], 0);
      await expect.poll(formula, SLOW).toContain(`= ${z.toFixed(2)}`);
      expect(await formula()).toContain(`\\tanh(${z.toFixed(2)}) = ${a.toFixed(2)}`);
      expect(await diagram()).toContain(
        `Values in the nodes: Input layer: 0, 1, 0.5, −1, −2, 0.3; Hidden layer 1: ${fmt(a, 2)}.`,
      );
    });
  },
);

describeChapters([THREE, FOUR, FIVE], ["site", "chromium"], "chapters 3 to 5 on a phone", () => {
  // Each experiment's own figure, at 390 px: every text at least 9 px as rendered.
  const experiments: [string, string[]][] = [
    [THREE, ["slope-explorer", "rule-steps"]],
    [FOUR, ["watch-train"]],
    [FIVE, ["pass-step"]],
  ];
  test.each(experiments)(
    "%s: the experiments' text reads at 390 px, and nothing shifts at load",
    async (slug, ids) => {
      const page = await open(slug, { width: 390, dark: true });
      await page.waitForLoadState("networkidle");
      for (const id of ids) {
        const sizes = await page.evaluate((id) => {
          const found: { text: string; px: number }[] = [];
          for (const text of document.querySelectorAll(
            `nb-cell[data-id="${id}"] .nb-output svg text`,
          )) {
            let root = text.closest("svg")!;
            while (root.parentElement?.closest("svg")) root = root.parentElement.closest("svg")!;
            const scale = root.getBoundingClientRect().width / root.viewBox.baseVal.width;
            found.push({
              text: text.textContent ?? "",
              px: parseFloat(getComputedStyle(text).fontSize) * scale,
            });
          }
          return found;
        }, id);
        expect(sizes.length, `${id} has no text`).toBeGreaterThan(3);
        expect(
          sizes.filter((s) => s.px < 9),
          id,
        ).toEqual([]);
      }
      const shift = await page.evaluate(
        () =>
          new Promise<number>((resolve) => {
            let total = 0;
            new PerformanceObserver((list) => {
              for (const entry of list.getEntries())
                total += (entry as unknown as { value: number }).value;
            }).observe({ type: "layout-shift", buffered: true });
            setTimeout(() => resolve(total), 500);
          }),
      );
      expect(shift).toBeLessThan(0.05);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow).toBeLessThanOrEqual(1);
    },
  );
});

describe("the engine's answers the pages are checked against", () => {
  test("AND converges with seed 0 within the twelve epochs chapter 3 allows", () => {
    expect(andMistakes.at(-1)).toBe(0);
    expect(andMistakes.length).toBeLessThanOrEqual(12);
  });

  // Chapter 4's prose: seed 6 learns XOR in 300 epochs at lr 2; seed 3 gets stuck; lr 0.5 is
  // too slow to finish. The same training as the cell `watch-train`, one epoch per call.
  async function xorAfter300(seed: number, lr: number): Promise<number> {
    const xor = datasets.xor();
    const net = new MLP([2, 2, 1], { activation: "sigmoid", output: "sigmoid", seed });
    for (let epoch = 1; epoch <= 300; epoch++) {
      await train(net, xor, { lr, epochs: 1, batchSize: 4 });
    }
    return net.predict(xor.x).filter(([p], k) => (p >= 0.5 ? 1 : 0) === xor.y[k]).length;
  }

  test("chapter 4's 2-2-1 network: seed 6 learns XOR, seed 3 gets stuck, lr 0.5 does not finish", async () => {
    expect(await xorAfter300(6, 2)).toBe(4);
    expect(await xorAfter300(3, 2)).toBeLessThan(4);
    expect(await xorAfter300(6, 0.5)).toBeLessThan(4);
  });
});
