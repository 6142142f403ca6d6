import { describe, expect, it } from "vitest";
import { checkMessage, type PageKnows } from "../../src/notebook/client/validate.ts";

// The link to the cell where an error arose is made by the page from two checked fields of the
// worker's message: a cell id the page knows and a line from 1. The worker is untrusted: anything
// else is left out, and the rest of the message still counts.

const knows: PageKnows = {
  cells: new Set(["spiral-rule", "spiral-rule-score"]),
  runs: new Map(),
  trainings: () => false,
  stream: () => undefined,
};

function failed(origin: unknown) {
  return {
    type: "cell",
    id: "spiral-rule-score",
    run: 1,
    status: "failed",
    seq: 1,
    from: 0,
    parts: [{ kind: "html", html: '<div class="nb-error"><p>TypeError</p></div>' }],
    durationMs: 3,
    error: "Math.hypt is not a function",
    origin,
  };
}

describe("a failed cell's origin at the page's door", () => {
  it("passes a known cell and a line from 1, and nothing else of it", () => {
    const checked = checkMessage(failed({ cell: "spiral-rule", line: 3, extra: "<b>" }), knows, () => {});
    expect(checked).toMatchObject({ type: "cell", status: "failed", origin: { cell: "spiral-rule", line: 3 } });
    expect((checked as { origin: object }).origin).toEqual({ cell: "spiral-rule", line: 3 });
  });

  const refused: [string, unknown][] = [
    ["a cell this page does not have", { cell: "elsewhere", line: 3 }],
    ["markup for a cell id", { cell: '"><img src=x onerror=alert(1)>', line: 3 }],
    ["line 0", { cell: "spiral-rule", line: 0 }],
    ["a negative line", { cell: "spiral-rule", line: -2 }],
    ["a fractional line", { cell: "spiral-rule", line: 2.5 }],
    ["a line as a string", { cell: "spiral-rule", line: "3" }],
    ["an endless line", { cell: "spiral-rule", line: Infinity }],
    ["a huge line", { cell: "spiral-rule", line: 1e12 }],
    ["no line", { cell: "spiral-rule" }],
    ["not an object", "spiral-rule:3"],
  ];
  for (const [what, origin] of refused) {
    it(`leaves out an origin with ${what}; the message still counts`, () => {
      const checked = checkMessage(failed(origin), knows, () => {});
      expect(checked).toMatchObject({ type: "cell", status: "failed", error: "Math.hypt is not a function" });
      expect((checked as { origin?: unknown }).origin).toBeUndefined();
    });
  }
});
