import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseHTML } from "linkedom";
import { expect, test } from "vitest";
import type { Page } from "playwright-core";
import { datasets } from "../../engine/index.ts";
import { linearSplit, neuronDiagram } from "../../src/charts/index.ts";
import { SITE_DIR } from "../support/site.ts";
import { cell, dragSlider, label, output, press, replaceCode, useBook } from "../support/pages.ts";
import { describeChapters } from "../support/suites.ts";

// The experiments of chapters 0 to 2, operated as a reader would, and their default states in
// the built pages (what a reader sees before any script runs, or with none).
// Chapter 0: `spiral-rule` (the reader's rule) → `spiral-rule-score` (its count and its map);
//   `spiral-controls` (training controls) → `spiral-learn` (a network learns the same points).
// Chapter 1: `neuron-sliders` (x₁, x₂, w₁, w₂, b) → `neuron-sum` (diagram, formula, output).
// Chapter 2: `line-points` (a point editor) and `line-sliders` (w₁, w₂, b0) → `line-wrong`.

/** The first Run starts the kernel worker: on a busy two-core machine that can take seconds. */
const SLOW = { timeout: 30_000 };

// The spiral and the starting rule ("the right half is blue"), as the chapter makes them.
const spiral = datasets.spiral({ n: 200, seed: 1 });
const rightOf = (rule: (x1: number, x2: number) => boolean) =>
  spiral.x.filter(([x1, x2], k) => (rule(x1, x2) ? 1 : 0) === spiral.y[k]).length;

// Chapter 2's starting points and line.
const start = [
  [-2, -1, 0], [-1.5, 0.5, 0], [-0.5, -2, 0], [0.5, -1.5, 0], [-2.2, 1.2, 0],
  [1, 1.5, 1], [2, 0.5, 1], [0.2, 2.1, 1], [1.6, -0.4, 1], [2.4, 2, 1],
].map(([x1, x2, label]) => ({ x1, x2, label: label as 0 | 1 }));
const window = { x1: [-3, 3] as [number, number], x2: [-3, 3] as [number, number] };

const open = useBook();

describeChapters(["why-learn-from-data"], ["site", "chromium"], "chapter 0: your rule, then a network, on the spiral", () => {
  test("an edited rule, run with the keyboard, recounts the points and recolours the plane", async () => {
    const page = await open("why-learn-from-data/");
    const score = output(page, "spiral-rule-score");
    expect(await score.textContent()).toContain(
      `Your rule is right about ${rightOf((x1) => x1 > 0)} of 200 points.`,
    );
    const before = await label(page, "spiral-rule-score");
    // "Near the centre is blue", run with Shift+Enter from the editor.
    await replaceCode(
      page,
      "spiral-rule",
      "function rule(x1: number, x2: number): number {\n" +
        "  return Math.hypot(x1, x2) < 0.5 ? 1 : 0;\n}",
    );
    await page.keyboard.press("Shift+Enter");
    const right = rightOf((x1, x2) => Math.hypot(x1, x2) < 0.5);
    await expect.poll(() => score.textContent(), SLOW).toContain(
      `Your rule is right about ${right} of 200 points.`,
    );
    const after = await label(page, "spiral-rule-score");
    expect(after).not.toBe(before);
    expect(after).toContain(`classifies ${right} of 200 points correctly`);
  });

  test("Step an epoch redraws the network's map one epoch at a time; Play runs it to the end", async () => {
    const page = await open("why-learn-from-data/");
    const controls = page.getByRole("group", { name: "Training" });
    const status = controls.locator("[data-role=status]");
    const learned = output(page, "spiral-learn");
    const caption = learned.locator("figcaption");
    // The build's finished run is on the page.
    expect(await caption.textContent()).toMatch(/^60 of 60 epochs done: right about \d+ of 200 points\.$/);
    const built = await label(page, "spiral-learn");

    await controls.getByRole("button", { name: "Step an epoch" }).click();
    await expect.poll(() => caption.textContent(), SLOW).toMatch(/^1 of 60 epochs done/);
    await expect.poll(() => status.textContent(), SLOW).toMatch(/^Paused at epoch 2/);
    const first = await label(page, "spiral-learn");
    expect(first).not.toBe(built);
    // One more, from the keyboard.
    await controls.getByRole("button", { name: "Step an epoch" }).focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => caption.textContent(), SLOW).toMatch(/^2 of 60 epochs done/);
    expect(await label(page, "spiral-learn")).not.toBe(first);
    // The caption and the map's text alternative count the same points.
    const shown = /right about (\d+) of 200/.exec((await caption.textContent()) ?? "")![1];
    expect(await label(page, "spiral-learn")).toContain(`classifies ${shown} of 200 points correctly`);

    await controls.getByRole("button", { name: "Resume" }).click();
    await expect.poll(() => caption.textContent(), { timeout: 200_000 }).toMatch(/^60 of 60 epochs done/);
    await expect.poll(() => status.textContent(), SLOW).toBe("Finished.");
    // The same seeds as the build: the same network, the same map.
    expect(await label(page, "spiral-learn")).toBe(built);
  }, 240_000); // 60 epochs, each redrawn: a minute or more on a busy two-core machine
});

describeChapters(["the-neuron"], ["site", "chromium"], "chapter 1: sliders drive the neuron's picture, formula and output", () => {
  test("keys and the pointer move the bias and the weights; all three views follow", async () => {
    const page = await open("the-neuron/");
    const sum = output(page, "neuron-sum");
    const formula = sum.locator(".katex-html").first();
    expect(await label(page, "neuron-sum")).toBe(
      neuronDiagram({ inputs: ["x₁", "x₂"], values: [1, 2], weights: [0.5, -1], bias: 0, activation: false, result: -1.5 }).alt,
    );
    // The bias, five steps right with the keyboard: 0.5.
    await page.getByRole("slider", { name: "bias b" }).focus();
    await press(page, "ArrowRight", 5);
    await expect.poll(() => formula.textContent(), SLOW).toContain("+(0.5)=−1");
    await expect.poll(() => label(page, "neuron-sum"), SLOW).toContain("plus the bias b = 0.5");
    expect(await label(page, "neuron-sum")).toContain("the output a = −1.");

    // w₂ to its end, −2: a thicker orange edge. (As drawn: the computed style of each edge.)
    const edge = (i: number) =>
      sum.locator("line.nn-edge[style]").nth(i).evaluate((line) => {
        const style = getComputedStyle(line);
        return { stroke: style.stroke, width: parseFloat(style.strokeWidth), dash: style.strokeDasharray };
      });
    const before = await edge(1);
    await page.getByRole("slider", { name: "weight w₂" }).focus();
    await page.keyboard.press("Home");
    await expect.poll(() => label(page, "neuron-sum"), SLOW).toContain("w₂ = −2 (negative: orange, very thick)");
    const after = await edge(1);
    expect(after.width).toBeGreaterThan(before.width);
    expect(after.stroke).toBe("rgb(230, 97, 0)"); // palette.class0, #e66100
    expect((await edge(0)).stroke).toBe("rgb(61, 111, 217)"); // palette.class1, #3d6fd9

    // w₁ typed as 0 in its number box: a dotted edge, an ignored input.
    const box = page.getByRole("spinbutton", { name: "weight w₁ (exact value)" });
    await box.fill("0");
    await box.press("Enter");
    await expect.poll(() => label(page, "neuron-sum"), SLOW).toContain(
      "w₁ = 0 (a dotted grey line: the input is ignored)",
    );
    expect((await edge(0)).dash).not.toBe("none");

    // x₁ dragged with the pointer: its value in the picture and the formula.
    const slider = page.getByRole("slider", { name: "input x₁" });
    const x1 = await dragSlider(page, slider, 0.75, 0.3, 8);
    expect(x1).toBeLessThan(0);
    const shown = String(x1).replace("-", "−");
    await expect.poll(() => label(page, "neuron-sum"), SLOW).toContain(`inputs x₁ = ${shown} and`);
    await expect.poll(() => formula.textContent(), SLOW).toContain(`(0)(${shown})`);
  });
});

describeChapters(["weights-and-bias"], ["site", "chromium"], "chapter 2: the line over the reader's points", () => {
  const title = (page: Page) =>
    output(page, "line-wrong").locator("svg[aria-label] text").filter({ hasText: /wrong side/ }).textContent();

  test("the sliders move the line; the count, the table and the formula follow", async () => {
    const page = await open("weights-and-bias/");
    const result = output(page, "line-wrong");
    expect(await title(page)).toBe("2 of 10 points on the wrong side");
    expect(await result.locator("table tbody tr").count()).toBe(2);
    // w₁ from 0.5 to 1 and b from 0.5 to 0, with the arrow keys: every point on its side.
    await page.getByRole("slider", { name: "weight w₁" }).focus();
    await press(page, "ArrowRight", 5);
    await expect.poll(() => result.locator(".katex-html").first().textContent(), SLOW).toContain("(1)x1");
    await page.getByRole("slider", { name: "bias b" }).focus();
    await press(page, "ArrowLeft", 5);
    // Every point is on its side from b = 0.1 on, so wait for b = 0 itself before reading the rest.
    await expect.poll(() => result.locator(".katex-html").first().textContent(), SLOW).toContain("+(0)");
    expect(await title(page)).toBe("No point on the wrong side");
    expect(await result.textContent()).toContain("No point is on the wrong side.");
    expect(await label(page, "line-wrong")).toBe(
      linearSplit({ w: [1, 1], b: 0, points: start, ...window }).alt,
    );
  });

  test("points added, dragged and removed in the editor are the ones the line is judged on", async () => {
    const page = await open("weights-and-bias/");
    const plot = cell(page, "line-points").locator("svg.nb-points-plot");
    await plot.scrollIntoViewIfNeeded();
    const box = (await plot.boundingBox())!;
    const at = (x: number, y: number) => ({
      x: box.x + ((x + 3) / 6) * box.width,
      y: box.y + ((3 - y) / 6) * box.height,
    });

    // A class 1 point clicked into the orange corner (2.5, −2.5), where z = −0.75: wrong.
    await cell(page, "line-points").getByRole("radio", { name: "class 1" }).check();
    const corner = at(2.5, -2.5);
    await page.mouse.click(corner.x, corner.y);
    await expect.poll(() => title(page), SLOW).toBe("3 of 11 points on the wrong side");
    expect(await label(page, "line-wrong")).toContain("a class 1 point at (2.5, −2.5), where z = −0.75 < 0");

    // The class 0 point at (−1.5, 0.5) dragged down to (−1.5, −1), onto its own side.
    const from = at(-1.5, 0.5);
    const to = at(-1.5, -1);
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(to.x, to.y, { steps: 6 });
    await page.mouse.up();
    await expect.poll(() => title(page), SLOW).toBe("2 of 11 points on the wrong side");

    // With the keyboard: class 1 (key 1), then class 0 (key 0), at the cross, which starts at
    // (0, 0), where z = 0.5.
    await plot.focus();
    await page.keyboard.press("1");
    await page.keyboard.press("0");
    await page.keyboard.press("Enter");
    await expect.poll(() => title(page), SLOW).toBe("3 of 12 points on the wrong side");
    expect(await label(page, "line-wrong")).toContain("a class 0 point at (0, 0), where z = 0.5 ≥ 0");
    // Backspace (the Mac's delete key) takes the nearest point away again.
    await page.keyboard.press("Backspace");
    await expect.poll(() => title(page), SLOW).toBe("2 of 11 points on the wrong side");
  });
});

// The built pages: each experiment's default state is in the HTML, with no script run.
describeChapters(["why-learn-from-data", "the-neuron", "weights-and-bias"], ["site"], "chapters 0 to 2 as built", () => {
  const built = (slug: string) =>
    parseHTML(readFileSync(join(SITE_DIR, slug, "index.html"), "utf8")).document;
  const prose = (doc: Document) =>
    doc.querySelector(".sl-markdown-content")!.textContent!.replace(/\s+/g, " ");
  const out = (doc: Document, id: string) =>
    doc.querySelector(`nb-cell[data-id="${id}"] .nb-output`)!;

  test("chapter 0: the starting rule's count and map, and the network after 60 epochs", () => {
    const doc = built("why-learn-from-data");
    const right = rightOf((x1) => x1 > 0);
    const score = out(doc, "spiral-rule-score");
    expect(score.textContent).toContain(`Your rule is right about ${right} of 200 points.`);
    expect(score.querySelector("svg[aria-label]")!.getAttribute("aria-label")).toContain(
      `classifies ${right} of 200 points correctly`,
    );
    // The prose quotes the cell's number.
    expect(prose(doc)).toContain(`The plain guess is right about ${Math.round((100 * right) / 200)}%`);
    expect(out(doc, "spiral-controls").querySelector("button[data-command=toggle]")!.textContent).toBe("Play");
    const learned = out(doc, "spiral-learn");
    const caption = learned.querySelector("figcaption")!.textContent!;
    expect(caption).toMatch(/^60 of 60 epochs done: right about \d+ of 200 points\.$/);
    const n = /right about (\d+)/.exec(caption)![1];
    expect(learned.querySelector("svg[aria-label]")!.getAttribute("aria-label")).toContain(
      `classifies ${n} of 200 points correctly`,
    );
  });

  test("chapter 1: five sliders at their defaults, and the neuron they make", () => {
    const doc = built("the-neuron");
    const sliders = [...out(doc, "neuron-sliders").querySelectorAll("input[type=range]")];
    expect(sliders.map((s) => s.getAttribute("value"))).toEqual(["1", "2", "0.5", "-1", "0"]);
    const sum = out(doc, "neuron-sum");
    expect(sum.querySelector("svg[aria-label]")!.getAttribute("aria-label")).toBe(
      neuronDiagram({ inputs: ["x₁", "x₂"], values: [1, 2], weights: [0.5, -1], bias: 0, activation: false, result: -1.5 }).alt,
    );
    expect(sum.querySelector(".katex-html")!.textContent).toContain("=0.5+(−2)+(0)=−1.5");
  });

  test("chapter 2: the editor's ten points, the sliders, and the line with two points wrong", () => {
    const doc = built("weights-and-bias");
    const editor = out(doc, "line-points").querySelector(".nb-input--points")!;
    expect(JSON.parse(editor.getAttribute("data-value")!)).toEqual(
      start.map(({ x1, x2, label }) => ({ x: x1, y: x2, label })),
    );
    expect(editor.querySelectorAll(".nb-pt").length).toBe(10);
    const sliders = [...out(doc, "line-sliders").querySelectorAll("input[type=range]")];
    expect(sliders.map((s) => s.getAttribute("value"))).toEqual(["0.5", "1", "0.5"]);
    const result = out(doc, "line-wrong");
    expect(result.querySelector("svg[aria-label]")!.getAttribute("aria-label")).toBe(
      linearSplit({ w: [0.5, 1], b: 0.5, points: start, ...window }).alt,
    );
    expect(result.querySelectorAll("table tbody tr").length).toBe(2);
    expect(prose(doc)).toContain("At the start, 2 points are on the wrong side");
  });
});
