import AxeBuilder from "@axe-core/playwright";
import type { Page } from "playwright-core";
import { expect, test } from "vitest";
import { cell, output, replaceCode, useBook } from "../support/pages.ts";
import { describeChapters } from "../support/suites.ts";

// The cells and their editor with the keyboard alone, on chapter 1: its first cells
// `neuron-output` and `neuron-contributions`, then `neuron-sliders` (the chapter's first slider,
// "input x₁"). See src/notebook/client/cell-element.ts (the toolbar) and editor.ts (the editor).
const CHAPTER = "the-neuron/";
const FIRST = "neuron-output";
const SLIDER = "input x₁";

/**
 * Tab presses from the top of chapter 1 (1280 × 900) to its first slider, past Starlight's header,
 * sidebar and table of contents, the prose's links, the chapter bar and three cells. Measured:
 * 53 when each cell's Run, Edit and Reset were a Tab stop each (Stop is disabled at rest); 47 with
 * each toolbar one stop; 48 with the skip link at the top. A bound: a page with fewer links
 * passes, a cell that adds stops does not. The skip link itself is the second press (after
 * Starlight's "Skip to content"), and Enter lands on the slider.
 */
const TABS_TO_FIRST_SLIDER = 48;
const TABS_TO_SKIP_LINK = 2;

/** Turning the kernel on takes seconds on a busy two-core machine. */
const SLOW = { timeout: 30_000 };

const book = useBook();

interface Stop {
  /** The cell the focused element is in ("" outside cells). */
  cell: string;
  /** Its text, or its accessible label. */
  name: string;
  inToolbar: boolean;
  slider: boolean;
}

async function focused(page: Page): Promise<Stop> {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement;
    return {
      cell: element.closest("nb-cell")?.getAttribute("data-id") ?? "",
      name: (
        element.getAttribute("aria-label") ??
        (element instanceof HTMLInputElement ? element.labels?.[0]?.textContent : null) ??
        element.textContent ??
        ""
      ).trim(),
      inToolbar: element.closest("[role=toolbar]") !== null,
      slider: element instanceof HTMLInputElement && element.type === "range",
    };
  });
}

/** Whether the focused element draws a focus ring of 2 px or more. */
function ringShown(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const style = getComputedStyle(document.activeElement!);
    return style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
  });
}

/** The editor's lines of cell `id`, as the reader sees them. */
function editorText(page: Page, id: string): Promise<string> {
  return cell(page, id)
    .locator(".cm-content")
    .evaluate((node) => [...node.querySelectorAll(".cm-line")].map((l) => l.textContent).join("\n"));
}

function inEditor(page: Page): Promise<boolean> {
  return page.evaluate(() => document.activeElement?.closest(".cm-editor") !== null);
}

describeChapters([CHAPTER], ["site", "chromium"], "the cells with the keyboard", () => {
  test("chapter 1's first slider is at most 48 Tab presses from the top, a toolbar being one; the skip link 2 and Enter", async () => {
    const page = await book(CHAPTER);
    // Expressive Code decides which code blocks scroll (and so take focus) once laid out.
    await page.waitForLoadState("networkidle");
    const stops: Stop[] = [];
    while (stops.length < 120 && !stops.at(-1)?.slider) {
      await page.keyboard.press("Tab");
      stops.push(await focused(page));
    }
    const path = stops.map((s, i) => `${i + 1}: ${s.cell ? `[${s.cell}] ` : ""}${s.name.slice(0, 40)}`).join("\n");
    expect(stops.at(-1), path).toMatchObject({ slider: true, name: SLIDER });
    expect(stops.length, path).toBeLessThanOrEqual(TABS_TO_FIRST_SLIDER);
    // One stop per toolbar: the three cells' toolbars are three presses, each on Run.
    const toolbarStops = stops.filter((s) => s.inToolbar);
    expect(toolbarStops.map((s) => `${s.cell} ${s.name}`), path).toEqual([
      "neuron-output Run",
      "neuron-contributions Run",
      "neuron-sliders Run",
    ]);

    // The skip link: out of sight until Tab reaches it, then visible; Enter lands on the slider.
    const skip = page.getByRole("link", { name: "Skip to the first experiment" });
    expect(await skip.evaluate((link) => link.getBoundingClientRect().width)).toBeLessThanOrEqual(1);
    await page.reload();
    await page.waitForFunction(() => customElements.get("nb-cell") !== undefined);
    await page.waitForLoadState("networkidle");
    let presses = 0;
    while (presses < 120 && (await focused(page)).name !== "Skip to the first experiment") {
      await page.keyboard.press("Tab");
      presses++;
    }
    expect(await skip.evaluate((link) => link.getBoundingClientRect().width)).toBeGreaterThan(100);
    expect(await ringShown(page)).toBe(true);
    await page.keyboard.press("Enter");
    expect(await focused(page)).toMatchObject({ slider: true, name: SLIDER, cell: "neuron-sliders" });
    expect(presses).toBe(TABS_TO_SKIP_LINK);
  });

  test("the toolbar's arrow keys reach each button, and Enter operates it", async () => {
    const page = await book(CHAPTER);
    const toolbar = cell(page, FIRST).getByRole("toolbar", { name: `Cell ${FIRST}` });
    const tabStops = () => toolbar.locator("button[tabindex='0']").allTextContents();
    expect(await tabStops()).toEqual(["Run"]);
    await toolbar.getByRole("button", { name: "Run" }).focus();
    // Stop is disabled while nothing runs, so the arrows pass over it; they wrap at the ends.
    const walk: string[] = [];
    for (const key of ["ArrowRight", "ArrowRight", "ArrowRight", "ArrowLeft", "Home", "End"]) {
      await page.keyboard.press(key);
      walk.push((await focused(page)).name);
      expect(await ringShown(page)).toBe(true);
    }
    expect(walk).toEqual(["Edit", "Reset", "Run", "Reset", "Run", "Reset"]);
    // The stop follows the focus: Shift+Tab out and Tab back lands on Reset.
    expect(await tabStops()).toEqual(["Reset"]);
    await page.keyboard.press("Shift+Tab");
    expect((await focused(page)).inToolbar).toBe(false);
    await page.keyboard.press("Tab");
    expect(await focused(page)).toMatchObject({ inToolbar: true, name: "Reset", cell: FIRST });

    // Edit: the editor opens with the focus in it; its button goes, the stop goes back to Run.
    await page.keyboard.press("Home");
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("Enter");
    await expect.poll(() => inEditor(page), SLOW).toBe(true);
    expect(await tabStops()).toEqual(["Run"]);
    await page.keyboard.press("ControlOrMeta+A");
    await page.keyboard.insertText(
      "let steps = 0;\nwhile (!signal.aborted) {\n  steps++;\n  await new Promise((r) => setTimeout(r, 20));\n}\n`stopped after ${steps} steps`",
    );
    // Run, from the toolbar (Escape then Shift+Tab leaves the editor backwards, onto Run).
    await page.keyboard.press("Escape");
    await page.keyboard.press("Shift+Tab");
    expect(await focused(page)).toMatchObject({ inToolbar: true, name: "Run", cell: FIRST });
    await page.keyboard.press("Enter");
    await expect.poll(() => cell(page, FIRST).locator(".nb-status").textContent(), SLOW).toBe("Running…");
    // Stop, now enabled, is the next button; once it has stopped, the focus is back on Run.
    await page.keyboard.press("ArrowRight");
    expect((await focused(page)).name).toBe("Stop");
    await page.keyboard.press("Enter");
    await expect.poll(() => output(page, FIRST).textContent(), SLOW).toMatch(/stopped after \d+ steps/);
    await expect.poll(async () => (await focused(page)).name, SLOW).toBe("Run");
    expect(await tabStops()).toEqual(["Run"]);
    // Reset: the author's code is back.
    await page.keyboard.press("End");
    expect((await focused(page)).name).toBe("Reset");
    await page.keyboard.press("Enter");
    await expect.poll(() => editorText(page, FIRST)).toContain("const x = [1.0, 2.0, 3.0];");
    const { violations } = await new AxeBuilder({ page }).include(`nb-cell[data-id="${FIRST}"]`).analyze();
    expect(violations.map((v) => `${v.id}: ${v.help} ${v.nodes.map((n) => n.html.slice(0, 120) + " " + n.failureSummary).join(" | ")}`)).toEqual([]);
  });

  test("Tab indents in the editor; Escape then Tab leaves it; a hint says so while it has focus", async () => {
    const page = await book(CHAPTER);
    await replaceCode(page, FIRST, "const x = [1, 2];\nx");
    const hint = cell(page, FIRST).locator(".nb-editor-hint");
    const content = cell(page, FIRST).locator(".cm-content");
    expect(await hint.isVisible()).toBe(true);
    expect(await hint.textContent()).toContain("Tab indents · Esc then Tab leaves the editor");
    // Screen readers hear it as the editor's description.
    expect(await content.getAttribute("aria-describedby")).toBe(await hint.getAttribute("id"));

    await page.keyboard.press("ControlOrMeta+Home");
    await page.keyboard.press("Tab");
    expect(await editorText(page, FIRST)).toBe("  const x = [1, 2];\nx");
    expect(await inEditor(page)).toBe(true);
    await page.keyboard.press("Shift+Tab");
    expect(await editorText(page, FIRST)).toBe("const x = [1, 2];\nx");
    expect(await inEditor(page)).toBe(true);

    // Escape, then Tab: the focus moves on, nothing is indented, and the hint goes.
    await page.keyboard.press("Escape");
    expect(await hint.textContent()).toContain("Tab now leaves the editor");
    await page.keyboard.press("Tab");
    expect(await inEditor(page)).toBe(false);
    expect(await editorText(page, FIRST)).toBe("const x = [1, 2];\nx");
    expect(await hint.isVisible()).toBe(false);
    // Back in, Tab indents again.
    await page.keyboard.press("Shift+Tab");
    expect(await inEditor(page)).toBe(true);
    expect(await hint.isVisible()).toBe(true);
    await page.keyboard.press("ControlOrMeta+Home");
    await page.keyboard.press("Tab");
    expect(await editorText(page, FIRST)).toBe("  const x = [1, 2];\nx");
    // Escape keeps its meaning past CodeMirror's own two seconds, until another key.
    await page.keyboard.press("Escape");
    await page.waitForTimeout(2_500);
    await page.keyboard.press("Tab");
    expect(await inEditor(page)).toBe(false);
    await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("Escape");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Tab");
    expect(await inEditor(page)).toBe(true);
    expect(await editorText(page, FIRST)).toBe("  const x = [1, 2];\n  x");
    const { violations } = await new AxeBuilder({ page }).include(`nb-cell[data-id="${FIRST}"]`).analyze();
    expect(violations.map((v) => `${v.id}: ${v.help} ${v.nodes.map((n) => n.html.slice(0, 120) + " " + n.failureSummary).join(" | ")}`)).toEqual([]);
  });

  /** Selects `text`, which ends the line just before its `;`, from its end back (Shift and the arrows). */
  async function selectBeforeSemicolon(page: Page, text: string): Promise<void> {
    await page.keyboard.press("End");
    await page.keyboard.press("ArrowLeft");
    for (let i = 0; i < text.length; i++) await page.keyboard.press("Shift+ArrowLeft");
  }

  test("typing over a selection that starts with a bracket replaces it, with no second closer", async () => {
    const page = await book(CHAPTER);
    await replaceCode(page, FIRST, 'const x = [1, 2];\nconst s = "hi";');
    // Select `[1, 2]` on the first line, from its end, as a reader does with Shift and the arrows.
    await page.keyboard.press("ControlOrMeta+Home");
    await selectBeforeSemicolon(page, "[1, 2]");
    await page.keyboard.type("[");
    // Stock closeBrackets wraps the selection: `const x = [[1, 2]];`.
    expect(await editorText(page, FIRST)).toBe('const x = [;\nconst s = "hi";');
    await page.keyboard.type("3, 4]");
    expect(await editorText(page, FIRST)).toBe('const x = [3, 4];\nconst s = "hi";');
    // A quote over a selection: the same rule.
    await page.keyboard.press("ArrowDown");
    await selectBeforeSemicolon(page, '"hi"');
    await page.keyboard.type('"yes"');
    expect(await editorText(page, FIRST)).toBe('const x = [3, 4];\nconst s = "yes";');
    // At a bare cursor closeBrackets still closes, and typing the closer steps over it.
    await page.keyboard.press("End");
    await page.keyboard.type("\nconst t = (");
    expect(await editorText(page, FIRST)).toBe('const x = [3, 4];\nconst s = "yes";\nconst t = ()');
    await page.keyboard.type("1)");
    expect(await editorText(page, FIRST)).toBe('const x = [3, 4];\nconst s = "yes";\nconst t = (1)');
  });
});
