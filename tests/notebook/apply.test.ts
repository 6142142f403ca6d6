import { JSDOM } from "jsdom";
import { beforeAll, describe, expect, test } from "vitest";
import { Inputs } from "../../src/notebook/inputs.ts";
import type { CheckedPart } from "../../src/notebook/client/validate.ts";

// The page's apply path on jsdom: what is shown stays, the rest is drawn in order, a bounded
// amount at a time, and a control the reader uses is kept in place.

let drawParts: typeof import("../../src/notebook/client/apply.ts").drawParts;
const { window } = new JSDOM("<!doctype html><html><body></body></html>");

beforeAll(async () => {
  Object.assign(globalThis, { window, document: window.document });
  ({ drawParts } = await import("../../src/notebook/client/apply.ts"));
});

const html = (text: string): CheckedPart => ({ kind: "html", html: `<p>${text}</p>`, tags: 1 });
const texts = (output: HTMLElement) => [...output.children].map((el) => el.textContent);

describe("drawParts(output, parts, budgetMs)", () => {
  test("draws all, keeps what stays (the same nodes), replaces what changed, removes what went", () => {
    const output = window.document.createElement("div");
    output.innerHTML = "<p>from the build</p>";
    const parts = [html("a"), html("b")];
    expect(drawParts(output, parts, 1000)).toBe(true);
    expect(texts(output)).toEqual(["a", "b"]);
    const [a] = output.children;
    expect(drawParts(output, [...parts, html("c")], 1000)).toBe(true);
    expect(output.children[0]).toBe(a);
    expect(texts(output)).toEqual(["a", "b", "c"]);
    expect(drawParts(output, [html("a"), html("b"), html("c2")], 1000)).toBe(true);
    expect(texts(output)).toEqual(["a", "b", "c2"]);
    expect(drawParts(output, [html("z")], 1000)).toBe(true);
    expect(texts(output)).toEqual(["z"]);
  });

  test("what something else took out of the output is drawn again, though the parts are the same", () => {
    const output = window.document.createElement("div");
    const parts = [html("a"), html("b")];
    drawParts(output, parts, 1000);
    output.replaceChildren();
    expect(drawParts(output, parts, 1000)).toBe(true);
    expect(texts(output)).toEqual(["a", "b"]);
    output.firstElementChild!.remove();
    expect(drawParts(output, parts, 1000)).toBe(true);
    expect(texts(output)).toEqual(["a", "b"]);
  });

  test("with no time left, draws one batch per call and says more is left", () => {
    const output = window.document.createElement("div");
    const parts = Array.from({ length: 1000 }, (_, i) => html(String(i)));
    let calls = 1;
    while (!drawParts(output, parts, 0)) calls++;
    expect(calls).toBeGreaterThan(1);
    expect(texts(output)).toEqual(parts.map((_, i) => String(i)));
  });

  test("a control declared again (same key and spec) is the same element; a new spec makes a new one", () => {
    const output = window.document.createElement("div");
    const slider = (value: number): CheckedPart => ({ kind: "input", key: "a:0", spec: Inputs.range([0, 1]).spec, value });
    drawParts(output, [html("before"), slider(0.5)], 1000);
    const control = output.querySelector(".nb-input")!;
    drawParts(output, [html("changed"), slider(0.7), html("after")], 1000);
    expect(output.querySelector(".nb-input")).toBe(control);
    expect(texts(output).filter((t) => t !== control.textContent)).toEqual(["changed", "after"]);
    drawParts(output, [{ kind: "input", key: "a:0", spec: Inputs.range([0, 2]).spec, value: 1 }], 1000);
    expect(output.querySelector(".nb-input")).not.toBe(control);
    expect(output.querySelectorAll(".nb-input")).toHaveLength(1);
  });
});
