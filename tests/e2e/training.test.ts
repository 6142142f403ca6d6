import type { Page } from "playwright-core";
import { expect, test } from "vitest";
import { useBook } from "../support/pages.ts";
import { describeChapters } from "../support/suites.ts";

// Training under controls, on chapter 7: `moons-controls` declares `training`
// (view(Inputs.training(…))), and `moons-train` trains a 2-16-16-1 network with
// `pace: training.pace`, 10 batches an epoch for 60 epochs.
const CHAPTER = "gradient-descent/";
const SLOW = { timeout: 30_000 };

const book = useBook();
const open = () => book(CHAPTER);

/** Where the controls say the training is: [epoch, batch], or null before it started. */
async function where(page: Page): Promise<[number, number] | "finished" | null> {
  const text = (await page.getByRole("group", { name: "Training" }).locator("[data-role=status]").textContent()) ?? "";
  if (text.startsWith("Finished")) return "finished";
  if (text.startsWith("Ready: nothing trained yet")) return [1, 1]; // waiting before batch 1
  const found = /epoch (\d+), batch (\d+) of 10/.exec(text);
  return found ? [Number(found[1]), Number(found[2])] : null;
}

describeChapters([CHAPTER], ["site", "chromium"], "training under controls", () => {
  test("Play trains here; Pause holds it; Step goes one batch, then one epoch; Reset starts again", async () => {
    const page = await open();
    const controls = page.getByRole("group", { name: "Training" });
    const status = controls.locator("[data-role=status]");
    const progress = page.locator('nb-cell[data-id="moons-train"] .nb-progress span');
    // The build's trained network is on the page; nothing runs until the reader acts.
    expect(await status.textContent()).toBe("");
    expect(await controls.getByRole("combobox", { name: "Speed" }).inputValue()).toBe("fast");
    // four speeds, slowest first: "quick" sits between medium and fast
    expect(await controls.getByRole("combobox", { name: "Speed" }).locator("option").allTextContents()).toEqual([
      "slow",
      "medium",
      "quick",
      "fast",
    ]);
    // slow: 400 ms a batch, so that it is still training when Pause is pressed, however busy the
    // machine (at medium, 80 ms, it once finished first in CI)
    await controls.getByRole("combobox", { name: "Speed" }).selectOption("slow");
    await controls.getByRole("button", { name: "Play" }).click();
    await expect.poll(() => status.textContent(), SLOW).toMatch(/^Training at epoch \d+/);
    await expect.poll(() => progress.textContent(), SLOW).toMatch(/^epoch \d+\/60 · loss/);

    await controls.getByRole("button", { name: "Pause" }).click();
    await expect.poll(() => status.textContent(), SLOW).toMatch(/^Paused at epoch/);
    const paused = await where(page);
    const shown = await progress.textContent();
    await page.waitForTimeout(1500);
    expect(await where(page)).toEqual(paused);
    expect(await progress.textContent()).toBe(shown);
    expect(await controls.getByRole("button", { name: "Resume" }).count()).toBe(1);

    // One batch, then to the start of the next epoch.
    const [epoch, batch] = paused as [number, number];
    await controls.getByRole("button", { name: "Step a batch" }).click();
    await expect.poll(() => where(page), SLOW).toEqual(batch < 10 ? [epoch, batch + 1] : [epoch + 1, 1]);
    const [epochNow] = (await where(page)) as [number, number];
    await controls.getByRole("button", { name: "Step an epoch" }).click();
    await expect.poll(() => where(page), SLOW).toEqual([epochNow + 1, 1]);

    // Reset: the training cell runs again from its first weights, waiting before batch 1.
    await controls.getByRole("button", { name: "Reset" }).click();
    await expect.poll(() => where(page), SLOW).toEqual([1, 1]);
    await page.waitForTimeout(1000);
    expect(await where(page)).toEqual([1, 1]);

    // Played through at full speed, it finishes, and the loss chart has all sixty epochs.
    expect(await controls.locator("[data-role=status]").textContent()).toBe("Ready: nothing trained yet.");
    await controls.getByRole("combobox", { name: "Speed" }).selectOption("fast");
    await controls.getByRole("button", { name: "Play" }).click();
    await expect.poll(() => where(page), { timeout: 60_000 }).toBe("finished");
    await expect
      .poll(() => page.locator('nb-cell[data-id="moons-train"] .nb-output').textContent(), SLOW)
      .toMatch(/epoch 60\/60/);
    expect(await controls.getByRole("button", { name: "Play" }).count()).toBe(1);
  });

  test("at a slow speed the steps come slowly enough to watch", async () => {
    const page = await open();
    const controls = page.getByRole("group", { name: "Training" });
    await controls.getByRole("combobox", { name: "Speed" }).selectOption("slow");
    await controls.getByRole("button", { name: "Play" }).click();
    await expect.poll(() => where(page), SLOW).not.toBeNull();
    // from its first batch on (the kernel may take seconds to start on a busy machine)
    const first = JSON.stringify(await where(page));
    await expect.poll(async () => JSON.stringify(await where(page)), SLOW).not.toBe(first);
    const start = (await where(page)) as [number, number];
    await page.waitForTimeout(2000);
    const after = (await where(page)) as [number, number];
    // "slow" waits 400 ms before each batch: at most about five batches in two seconds
    const batches = (after[0] - start[0]) * 10 + (after[1] - start[1]);
    expect(batches).toBeLessThanOrEqual(6);
    // and it goes on (a count in two seconds would depend on how busy the machine is)
    await expect.poll(async () => JSON.stringify(await where(page)), SLOW).not.toBe(JSON.stringify(after));
    await page.locator('nb-cell[data-id="moons-train"]').getByRole("button", { name: "Stop" }).click();
    await expect
      .poll(() => page.locator('nb-cell[data-id="moons-train"] .nb-status').textContent(), SLOW)
      .toMatch(/Stopped/);
  });

  test("the learning-rate slider redraws the descent, and says when it diverges", async () => {
    const page = await open();
    const walk = page.locator('nb-cell[data-id="descent-lr-walk"] .nb-output svg[aria-label]').first();
    const before = await walk.getAttribute("aria-label");
    const slider = page.getByRole("slider", { name: "learning rate α", exact: true });
    await slider.focus();
    await page.keyboard.press("End"); // 2.2: every step overshoots further
    await expect.poll(() => walk.getAttribute("aria-label"), SLOW).not.toBe(before);
    expect(await walk.getAttribute("aria-label")).toMatch(/learning rate 2\.2: .* it diverges\.$/);
    // The page says so in words too.
    expect(await page.locator('nb-cell[data-id="descent-lr-walk"] .nb-output').textContent()).toMatch(/it diverges\./);
  });
});
