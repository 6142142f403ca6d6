import { describe, expect, it } from "vitest";
import { formatNumber, renderOutputs } from "../../src/notebook/render.ts";
import type { Output } from "../../src/notebook/types.ts";

describe("render", () => {
  it("renderOutputs(outputs) escapes text, so a string can never become markup", () => {
    const html = renderOutputs([{ kind: "text", text: "<img src=x onerror=alert(1)>" }]);
    expect(html).toBe('<pre class="nb-text">&lt;img src=x onerror=alert(1)&gt;</pre>');
  });

  it("renderOutputs(outputs) draws a table with headers, captions and what was left out", () => {
    const html = renderOutputs([
      {
        kind: "table",
        caption: "Tensor [30×2]",
        columns: ["0", "1"],
        rowLabels: ["0"],
        rows: [[0.123456, -2]],
        moreRows: 29,
        moreColumns: 0,
      },
    ]);
    expect(html).toContain("<caption>Tensor [30×2] (29 more rows not shown)</caption>");
    expect(html).toContain('<th scope="row">0</th><td class="nb-num">0.1235</td><td class="nb-num">-2</td>');
    expect(html).toMatch(/^<div class="nb-table" tabindex="0" role="group" aria-label="Tensor \[30×2\]">/);
  });

  it("renderOutputs(outputs) shows an error with its line, column and a caret under the column", () => {
    const error: Output = {
      kind: "error",
      phase: "run",
      name: "TypeError",
      message: "x is not a function",
      line: 12,
      column: 3,
      excerpt: "a.x()",
    };
    expect(renderOutputs([error])).toBe(
      '<div class="nb-error" data-phase="run"><p><strong>TypeError</strong>: x is not a function ' +
        "(line 12, column 3)</p><pre>12 | a.x()\n       ^</pre></div>",
    );
  });

  it("renderOutputs(outputs) opens the top of an object tree, and a nested one only if small and flat", () => {
    const html = renderOutputs([
      {
        kind: "value",
        value: {
          type: "object",
          label: "Object",
          more: 2,
          entries: [
            { key: "a", value: { type: "object", label: "Array(1)", more: 0, entries: [{ key: "0", value: { type: "primitive", kind: "string", text: '"<b>"' } }] } },
          ],
        },
      },
    ]);
    expect(html).toBe(
      '<div class="nb-value"><details class="nb-tree" open><summary>Object</summary><ul>' +
        '<li><span class="nb-key">a</span>: <details class="nb-tree" open><summary>Array(1)</summary><ul>' +
        '<li><span class="nb-key">0</span>: <span class="nb-string">&quot;&lt;b&gt;&quot;</span></li></ul></details></li>' +
        '<li class="nb-more">… 2 more</li></ul></details></div>',
    );
    // Nested: a short list of numbers is open; one holding an object stays closed.
    const number = (text: string) => ({ type: "primitive" as const, kind: "number" as const, text });
    const nested = renderOutputs([
      {
        kind: "value",
        value: {
          type: "object",
          label: "Object",
          more: 0,
          entries: [
            { key: "squares", value: { type: "object", label: "Array(2)", more: 0, entries: [{ key: "0", value: number("0.16") }, { key: "1", value: number("0.04") }] } },
            { key: "deep", value: { type: "object", label: "Array(1)", more: 0, entries: [{ key: "0", value: { type: "object", label: "Object", more: 0, entries: [] } }] } },
          ],
        },
      },
    ]);
    expect(nested).toContain('<span class="nb-key">squares</span>: <details class="nb-tree" open><summary>Array(2)</summary>');
    expect(nested).toContain('<span class="nb-key">deep</span>: <details class="nb-tree"><summary>Array(1)</summary>');
  });

  it("renderOutputs(outputs) shows a training run as a line of text and its chart", () => {
    const progress = {
      kind: "progress" as const,
      epoch: 2,
      epochs: 4,
      loss: 0.25,
      accuracy: 0.875,
      history: [
        { epoch: 1, loss: 0.5, accuracy: 0.5 },
        { epoch: 2, loss: 0.25, accuracy: 0.875 },
      ],
    };
    expect(renderOutputs([progress])).toBe(
      '<div class="nb-training"><p class="nb-training-text">epoch 2/4 · loss 0.25 · accuracy 87.5%</p></div>',
    );
    expect(renderOutputs([{ ...progress, chart: "<svg>chart</svg>" }])).toContain("</p><svg>chart</svg></div>");
  });

  it("renderOutputs(outputs) draws a control with a visible label, its value and its key", () => {
    const html = renderOutputs([
      {
        kind: "input",
        key: "sliders:0",
        spec: { type: "range", label: "weight <w₁>", min: -2, max: 2, step: 0.1, value: 0.5 },
        value: 0.7,
      },
    ]);
    expect(html).toMatch(/^<div class="nb-input nb-input--range" data-key="sliders:0" data-sig="[0-9a-f]{14}" data-default="0.5">/);
    expect(html).toContain('<label for="nb-in-sliders-0">weight &lt;w₁&gt;</label>');
    expect(html).toContain('<input type="range" id="nb-in-sliders-0" min="-2" max="2" step="0.1" value="0.7" data-role="value">');
    expect(html).toContain('aria-label="weight &lt;w₁&gt; (exact value)"');
    expect(html).toContain('value="0.7"');
  });

  it("renderOutputs(outputs) passes markup through for the browser to sanitize", () => {
    expect(renderOutputs([{ kind: "html", html: "<svg></svg>", svg: true }])).toBe(
      '<div class="nb-html"><svg></svg></div>',
    );
  });

  it("formatNumber(x) keeps four significant digits and integers whole", () => {
    expect([1234567, 0.123456, -2.5, 1e-7, 12345.678, NaN].map(formatNumber)).toEqual([
      "1234567",
      "0.1235",
      "-2.5",
      "1e-7",
      "12350",
      "NaN",
    ]);
  });
});
