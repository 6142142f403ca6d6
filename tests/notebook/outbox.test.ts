import { describe, expect, test } from "vitest";
import { nextDelta, outbox } from "../../src/notebook/client/outbox.ts";
import { CAPS } from "../../src/notebook/client/protocol.ts";
import type { Output } from "../../src/notebook/types.ts";

// What the worker sends of a run: only what is new while it runs, all of it at its end, within caps.

const text = (t: string): Output => ({ kind: "text", text: t });
const htmlOf = (delta: ReturnType<typeof nextDelta>) => delta?.parts.map((p) => (p.kind === "html" ? p.html : p.key));

describe("nextDelta(box, run, outputs, final)", () => {
  test("a running cell's messages carry the outputs new since the last, counted; its end carries all", () => {
    const box = outbox();
    const [a, b, c] = [text("a"), text("b"), text("c")];
    expect(nextDelta(box, 1, [], false)).toEqual({ seq: 1, from: 0, parts: [] });
    expect(nextDelta(box, 1, [], false)).toBeNull(); // nothing new
    expect(htmlOf(nextDelta(box, 1, [a, b], false))).toEqual(['<pre class="nb-text">a</pre>', '<pre class="nb-text">b</pre>']);
    expect(nextDelta(box, 1, [a, b, c], false)).toMatchObject({ seq: 3, from: 2, parts: [{ html: '<pre class="nb-text">c</pre>' }] });
    // A generator's new value replaces the last one: it starts where they differ.
    const c2 = text("c2");
    expect(nextDelta(box, 1, [a, b, c2], false)).toMatchObject({ seq: 4, from: 2, parts: [{ html: '<pre class="nb-text">c2</pre>' }] });
    const end = nextDelta(box, 1, [a, b, c2], true);
    expect(end).toMatchObject({ seq: 5, from: 0 });
    expect(end?.parts).toHaveLength(3);
    // A new run starts again at message 1.
    expect(nextDelta(box, 2, [a], false)).toMatchObject({ seq: 1, from: 0 });
  });

  test("a display() flood stops at the caps with one note, and sends nothing more while it runs", () => {
    const box = outbox();
    const outputs = Array.from({ length: 700 }, (_, i) => text(String(i)));
    const first = nextDelta(box, 1, outputs.slice(0, 300), false)!;
    expect(first.parts).toHaveLength(300);
    const second = nextDelta(box, 1, outputs.slice(0, 600), false)!;
    expect(second.from).toBe(300);
    expect(second.parts).toHaveLength(CAPS.parts - 300 + 1);
    expect(htmlOf(second)!.at(-1)).toContain("This run shows more than fits");
    expect(nextDelta(box, 1, outputs, false)).toBeNull();
    const end = nextDelta(box, 1, outputs, true)!;
    expect(end.parts).toHaveLength(CAPS.parts + 1);
    expect(htmlOf(end)!.at(-1)).toContain("This run showed 700 outputs, more than fits");
  });

  test("an output too big to show is a line saying so; a run over its characters ends with the note", () => {
    const box = outbox();
    const huge: Output = { kind: "html", html: "x".repeat(50_000_000), svg: false };
    const many: Output = { kind: "html", html: "<i></i>".repeat(1_000_000), svg: false };
    const dense: Output = { kind: "html", html: "<i></i>".repeat(CAPS.partTags + 1), svg: false };
    const delta = nextDelta(box, 1, [huge, many, dense, text("after")], true)!;
    expect(htmlOf(delta)).toEqual([
      expect.stringContaining("too big to show here: 50,000,027 characters of markup"),
      expect.stringContaining("too big to show here: 7,000,027 characters"),
      expect.stringContaining("too big to show here: more than 2,500 elements"),
      '<pre class="nb-text">after</pre>',
    ]);
    const big = Array.from({ length: 6 }, () => ({ kind: "html", html: "y".repeat(CAPS.partChars - 100), svg: false }) as Output);
    const cut = nextDelta(outbox(), 1, big, true)!;
    expect(cut.parts).toHaveLength(5);
    expect(htmlOf(cut)!.at(-1)).toContain("only the first are shown");
    expect(cut.parts.slice(0, 4).reduce((n, p) => n + (p.kind === "html" ? p.html.length : 0), 0)).toBeLessThanOrEqual(CAPS.chars);
  });
});
