import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  costCurve,
  decisionLine,
  neuronResponse,
  renderChart,
} from "../../src/charts/index.ts";
import { freshDocument } from "./helpers.ts";

const and = [
  { x1: 0, x2: 0, label: 0 as const },
  { x1: 0, x2: 1, label: 0 as const },
  { x1: 1, x2: 0, label: 0 as const },
  { x1: 1, x2: 1, label: 1 as const },
];

describe("renderChart(spec, document)", () => {
  it("gives the chart role=img with its alt text as the accessible name", () => {
    const spec = neuronResponse();
    const html = renderChart(spec, freshDocument());
    const root = freshDocument().createElement("div");
    root.innerHTML = html;
    const svg = root.firstElementChild!;
    expect(svg.tagName.toLowerCase()).toBe("svg");
    expect(svg.getAttribute("role")).toBe("img");
    expect(svg.getAttribute("aria-label")).toBe(spec.alt);
  });

  it("hides Plot's labelled groups from assistive technology", () => {
    const root = freshDocument().createElement("div");
    root.innerHTML = renderChart(costCurve(), freshDocument());
    const labelled = [...root.querySelectorAll("g[aria-label]")];
    expect(labelled.length).toBeGreaterThan(3);
    for (const g of labelled)
      expect(g.getAttribute("aria-hidden")).toBe("true");
  });

  it("prefixes ids so two charts in one page never share a clip path", () => {
    const a = renderChart(costCurve({ lr: 0.3 }), freshDocument());
    const b = renderChart(costCurve({ lr: 0.9 }), freshDocument());
    const ids = (html: string) =>
      [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(ids(a).length).toBeGreaterThan(0);
    for (const id of ids(a)) expect(ids(b)).not.toContain(id);
    // every reference points at an id of its own chart (and there are references to check)
    const references = [...a.matchAll(/url\(#([^)]+)\)/g)].map((m) => m[1]);
    expect(references.length).toBeGreaterThan(0);
    for (const reference of references) expect(ids(a)).toContain(reference);
  });

  it("uses the given idPrefix", () => {
    const spec = decisionLine({ w: [1, 1], b: -1.5, points: and });
    const html = renderChart(spec, freshDocument(), { idPrefix: "fig-and" });
    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(id.startsWith("fig-and-")).toBe(true);
  });

  it("refuses a spec without alt text, and a missing document, saying how to fix it", () => {
    const spec = neuronResponse();
    expect(() => renderChart({ ...spec, alt: "" }, freshDocument())).toThrow(
      'renderChart: the chart has no alt text (received ""); ' +
        "every chart needs a sentence that says what it shows.",
    );
    expect(() => renderChart(spec, undefined)).toThrow(
      /received undefined as the document; expected a DOM document/,
    );
    expect(() => renderChart(null as never, freshDocument())).toThrow(
      /expected a ChartSpec \{ options, alt \}/,
    );
  });
});

describe("Plot's stylesheet in the page", () => {
  it("is written for the class this version of Plot gives its charts", () => {
    // styles.css carries Plot's rules (a cell's <style> is sanitized away); Plot's class is a hash
    // of its version, so upgrading Plot without updating styles.css would leave charts unstyled.
    const html = renderChart(costCurve(), freshDocument());
    const plotClass = html.match(/class="(plot-[0-9a-f]{6})/)?.[1];
    expect(plotClass).toMatch(/^plot-[0-9a-f]{6}$/);
    const css = readFileSync(
      new URL("../../src/notebook/client/styles.css", import.meta.url),
      "utf8",
    );
    const classes = new Set(
      [...css.matchAll(/\.(plot-[0-9a-f]{6})\b/g)].map((m) => m[1]),
    );
    expect([...classes]).toEqual([plotClass]);
  });
});
