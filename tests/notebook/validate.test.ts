import { JSDOM } from "jsdom";
import { compressToEncodedURIComponent } from "lz-string";
import { describe, expect, test } from "vitest";
import { Inputs } from "../../src/notebook/inputs.ts";
import { buildControl, refusedControl } from "../../src/notebook/client/control-dom.ts";
import { MAX_PACKED, parseShareFragment } from "../../src/notebook/client/share.ts";
import { CAPS } from "../../src/notebook/client/protocol.ts";
import { checkMessage, parseInputSpec, type CheckedPart, type PageKnows, type Stream } from "../../src/notebook/client/validate.ts";
import { linkBomb } from "../support/hostile.ts";

// The door between the worker (or a link) and the page, fed random and hostile data: nothing may
// throw past it, and nothing it lets through may become markup the page did not mean.

const { document } = new JSDOM("<!doctype html><html><body></body></html>").window;

/** A seeded generator (mulberry32): the same cases every run. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const EVIL = [
  '"><meta http-equiv="refresh" content="0;url=//evil">',
  "<style>*{display:none}</style>",
  "<img src=x onerror=alert(1)>",
  "javascript:alert(1)",
  "</div><iframe src=/></iframe>",
  "\u0000",
  "x".repeat(20_000),
];

function anything(next: () => number, depth = 0): unknown {
  const pick = Math.floor(next() * (depth > 2 ? 9 : 12));
  switch (pick) {
    case 0: return null;
    case 1: return undefined;
    case 2: return next() < 0.5;
    case 3: return [0, -1, 1.5, NaN, Infinity, -Infinity, 2 ** 53, 1e308][Math.floor(next() * 8)];
    case 4: return Math.floor(next() * 10);
    case 5: return EVIL[Math.floor(next() * EVIL.length)];
    case 6: return ["range", "number", "select", "radio", "checkbox", "toggle", "button", "text", "training", "points", "draw", "__proto__"][Math.floor(next() * 12)];
    case 7: return "label";
    case 8: return { toString: () => { throw new Error("toString"); } };
    case 9: return Array.from({ length: Math.floor(next() * 5) }, () => anything(next, depth + 1));
    default: {
      const keys = ["type", "label", "min", "max", "step", "value", "options", "text", "placeholder", "speed", "x", "y", "classes", "width", "height", "playing", "resets", "__proto__"];
      const out: Record<string, unknown> = {};
      for (let i = 0; i < 1 + next() * 6; i++) out[keys[Math.floor(next() * keys.length)]] = anything(next, depth + 1);
      return out;
    }
  }
}

/** A control must be made only of what the page's controls use, with no handler or link. */
function expectClean(control: Element) {
  const allowed = new Set(["div", "label", "input", "select", "option", "fieldset", "legend", "button", "span", "p", "svg", "rect", "line", "g", "path", "circle", "canvas", "strong"]);
  for (const el of [control, ...control.querySelectorAll("*")]) {
    expect(allowed.has(el.localName), `<${el.localName}> in a control`).toBe(true);
    for (const attr of el.attributes) {
      expect(attr.name, `attribute ${attr.name}`).toMatch(/^(class|id|for|type|name|value|min|max|step|checked|selected|role|tabindex|placeholder|spellcheck|autocomplete|viewbox|viewBox|width|height|x|y|x1|x2|y1|y2|cx|cy|r|d|visibility|aria-[a-z]+|data-[a-z]+)$/);
    }
  }
}

const knows: PageKnows = {
  cells: new Set(["a", "b"]),
  runs: new Map([["a", 3]]),
  trainings: (key) => key === "a:0",
  stream: () => undefined,
};

describe("parseInputSpec(raw)", () => {
  test("takes what Inputs.* makes, for every kind", () => {
    const made = [
      Inputs.range([0, 1]), Inputs.number(), Inputs.select(["x"]), Inputs.radio(["x"]), Inputs.checkbox(["x"]),
      Inputs.toggle(), Inputs.button(), Inputs.text(), Inputs.training(), Inputs.points(), Inputs.draw(),
    ];
    for (const { spec } of made) expect(parseInputSpec(structuredClone(spec))).toEqual({ ok: true, value: spec });
  });

  test("refuses each field of each kind when it is not what Inputs makes, saying which and why", () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ type: "number", label: "x", min: null, max: null, step: null, value: '1"><meta>' }, "its value is"],
      [{ type: "range", label: "x", min: "0", max: 1, step: 0.1, value: 0 }, "its min is"],
      [{ type: "range", label: "x", min: 0, max: -1, step: 0.1, value: 0 }, "its max is"],
      [{ type: "range", label: "x", min: 0, max: 1, step: 0, value: 0 }, "its step is"],
      [{ type: "select", label: "x", options: ["a", 1], value: 0 }, "its options are"],
      [{ type: "select", label: "x", options: ["a"], value: 3 }, "its value is"],
      [{ type: "checkbox", label: "x", options: ["a"], value: [1] }, "its value is"],
      [{ type: "toggle", label: "x", value: "true" }, "its value is"],
      [{ type: "button", label: "x", text: "", value: 0 }, "its text is"],
      [{ type: "text", label: "x", placeholder: 1, value: "" }, "its placeholder is"],
      [{ type: "training", label: "x", speed: "warp", value: {} }, "its speed is"],
      [{ type: "training", label: "x", speed: "fast", value: { playing: true, speed: "fast", resets: "<b>" } }, "its value is"],
      [{ type: "points", label: "x", x: [1, 0], y: [0, 1], classes: ["a", "b"], value: [] }, "its x is"],
      [{ type: "points", label: "x", x: [0, 1], y: [0, 1], classes: ["a"], value: [] }, "its classes are"],
      [{ type: "draw", label: "x", width: '28"><style>', height: 28, value: [] }, "its width is"],
      [{ type: "draw", label: "x", width: 4, height: 65, value: [] }, "its height is"],
      [{ type: "draw", label: "x", width: 4, height: 4, value: [1] }, "its value is"],
      [{ type: "iframe", label: "x" }, "its type is"],
      [{ type: "range", label: "" }, "its label is"],
    ];
    for (const [spec, reason] of cases) {
      const result = parseInputSpec(spec);
      expect(result.ok, JSON.stringify(spec)).toBe(false);
      if (!result.ok) expect(result.reason.replace("options is", "options are").replace("classes is", "classes are")).toContain(reason);
    }
  });

  test("never throws, and what it accepts builds clean controls (5 000 specs, Inputs' own with fields replaced)", () => {
    const next = random(17);
    const made = [
      Inputs.range([0, 1]), Inputs.number([0, 9]), Inputs.select(["x", "y"]), Inputs.radio(["x"]), Inputs.checkbox(["x", "y"]),
      Inputs.toggle(), Inputs.button(), Inputs.text(), Inputs.training(), Inputs.points(), Inputs.draw({ width: 4, height: 4 }),
    ].map(({ spec }) => spec as unknown as Record<string, unknown>);
    let [accepted, refused] = [0, 0];
    for (let i = 0; i < 5_000; i++) {
      const raw: Record<string, unknown> = structuredClone(made[Math.floor(next() * made.length)]);
      const fields = Object.keys(raw);
      for (let j = Math.floor(next() * 3); j > 0; j--) raw[fields[Math.floor(next() * fields.length)]] = anything(next);
      const result = next() < 0.1 ? parseInputSpec(anything(next)) : parseInputSpec(raw);
      if (!result.ok) {
        refused++;
        expect(typeof result.reason).toBe("string");
        if (refused % 50 === 0) expectClean(refusedControl(document as unknown as Document, "a:0", result.reason));
        continue;
      }
      accepted++;
      expectClean(buildControl(document as unknown as Document, "a:0", result.value));
    }
    expect(accepted).toBeGreaterThan(500);
    expect(refused).toBeGreaterThan(500);
  });
});

describe("checkMessage(raw, knows, drop)", () => {
  test("drops forged messages: unknown cells, older runs, progress of a run not running, training of no control", () => {
    const dropped: string[] = [];
    const drop = (reason: string) => dropped.push(reason);
    const cell = (extra: object) => ({ type: "cell", id: "a", run: 3, status: "done", seq: 1, from: 0, parts: [], durationMs: 1, ...extra });
    expect(checkMessage(cell({ id: "elsewhere" }), knows, drop)).toBeNull();
    expect(checkMessage(cell({ run: 2 }), knows, drop)).toBeNull();
    expect(checkMessage(cell({ status: "owned" }), knows, drop)).toBeNull();
    expect(checkMessage(cell({ parts: [{ kind: "script", html: "x" }] }), knows, drop)).toBeNull();
    expect(checkMessage(cell({ parts: [{ kind: "input", key: "b:0", spec: Inputs.toggle().spec, value: true }] }), knows, drop)).toBeNull();
    expect(checkMessage({ type: "progress", id: "b", run: 1, progress: { text: "x" } }, knows, drop)).toBeNull();
    expect(checkMessage({ type: "progress", id: "a", run: 2, progress: { text: "x" } }, knows, drop)).toBeNull();
    expect(checkMessage({ type: "training", key: "b:0", status: { state: "playing", epoch: 1, batch: 1, batches: 1 } }, knows, drop)).toBeNull();
    expect(checkMessage({ type: "eval", code: "alert(1)" }, knows, drop)).toBeNull();
    expect(dropped).toHaveLength(9);
    expect(dropped[0]).toBe('a cell message names "elsewhere", not a cell of this chapter');
    // What it asked for passes, a forged control part refused with its reason.
    const ok = checkMessage(cell({ parts: [{ kind: "input", key: "a:0", spec: { type: "number", label: "x", min: null, max: null, step: null, value: '1">' }, value: 1 }] }), knows, drop);
    expect(ok).toMatchObject({ type: "cell", parts: [{ kind: "refused", key: "a:0" }] });
  });

  test("never throws past the door (20 000 random messages)", () => {
    const next = random(5);
    const types = ["cell", "progress", "training", "stray", "ready", "pong", "defined", "other"];
    for (let i = 0; i < 20_000; i++) {
      const raw =
        next() < 0.2
          ? anything(next)
          : { type: types[Math.floor(next() * types.length)], id: next() < 0.7 ? "a" : anything(next), run: next() < 0.5 ? 3 : anything(next), status: ["running", "done", anything(next)][Math.floor(next() * 3)], seq: next() < 0.7 ? 1 : anything(next), from: next() < 0.7 ? 0 : anything(next), parts: next() < 0.5 ? [{ kind: "input", key: "a:0", spec: anything(next), value: anything(next) }, { kind: "html", html: anything(next) }] : anything(next), durationMs: next() < 0.7 ? 1 : anything(next), progress: anything(next), key: "a:0", status2: anything(next), message: anything(next), n: anything(next) };
      const message = checkMessage(raw, knows, () => undefined);
      if (message?.type === "cell") {
        for (const part of message.parts) {
          if (part.kind === "input") expectClean(buildControl(document as unknown as Document, part.key, part.spec, part.value));
          if (part.kind === "html") expect(typeof part.html).toBe("string");
        }
      }
    }
  });
});

describe("a running cell's messages carry only what is new", () => {
  const html = (text: string): CheckedPart => ({ kind: "html", html: `<p>${text}</p>`, tags: 1 });
  /** The page holds run 3 of "a" up to message 2, with two parts. */
  const holding = (stream: Stream | undefined): PageKnows => ({ ...knows, stream: (id) => (id === "a" ? stream : undefined) });
  const held = holding({ run: 3, seq: 2, parts: [html("one"), html("two")] });
  const message = (extra: object) => ({ type: "cell", id: "a", run: 3, status: "running", seq: 3, from: 2, parts: [{ kind: "html", html: "<p>three</p>" }], durationMs: 1, ...extra });
  const verdict = (raw: unknown, page = held) => {
    const dropped: string[] = [];
    const checked = checkMessage(raw, page, (reason) => dropped.push(reason));
    return { checked, dropped };
  };

  test("takes the next message, after the parts it keeps (a generator's new value replaces the old one)", () => {
    expect(verdict(message({})).checked).toMatchObject({ seq: 3, from: 2, parts: [{ kind: "html", html: "<p>three</p>", tags: 1 }] });
    expect(verdict(message({ from: 1 })).checked).toMatchObject({ from: 1 });
    // A new run starts at message 1, part 0.
    expect(verdict(message({ run: 4, seq: 1, from: 0 })).checked).toMatchObject({ run: 4 });
  });

  test("refuses a gap or a repeat whole: a skipped message, a message again, parts after ones it lacks", () => {
    expect(verdict(message({ seq: 4 })).dropped).toEqual(["message 4 of run 3 after message 2: a gap"]);
    expect(verdict(message({ seq: 2 })).dropped).toEqual(["message 2 of run 3 came again, or late (the page has taken up to 2)"]);
    expect(verdict(message({ from: 3 })).dropped).toEqual(["message 3 of run 3 starts at part 3, but the page has 2: a gap"]);
    expect(verdict(message({ run: 4, seq: 2, from: 0 })).dropped).toEqual(["message 2 of run 4 after message 0: a gap"]);
    expect(verdict(message({ run: 4, seq: 1, from: 1 })).dropped).toEqual(["message 1 of run 4 starts at part 1, but the page has 0: a gap"]);
    for (const bad of [0, -1, 1.5, "3", null]) expect(verdict(message({ seq: bad })).checked).toBeNull();
    // A message refused for one bad part is refused whole: its good parts are not taken either.
    expect(verdict(message({ parts: [{ kind: "html", html: "<p>ok</p>" }, { kind: "script", html: "x" }] })).checked).toBeNull();
  });

  test("a run's end settles all it showed: from 0, after a gap too, but never again", () => {
    const end = message({ status: "done", seq: 9, from: 0, parts: [{ kind: "html", html: "<p>all</p>" }] });
    expect(verdict(end).checked).toMatchObject({ status: "done", from: 0 });
    expect(verdict({ ...end, from: 2 }).dropped).toEqual(["a run's last message starts at part 2, expected 0 (all it showed)"]);
    expect(verdict({ ...end, seq: 2 }).checked).toBeNull();
  });

  test("refuses markup over the caps of one output or of a run", () => {
    const big = "x".repeat(CAPS.partChars + 1);
    expect(verdict(message({ parts: [{ kind: "html", html: big }] })).dropped[0]).toMatch(/over the 250000 of one output/);
    const many = "<i></i>".repeat(CAPS.partTags + 1);
    expect(verdict(message({ parts: [{ kind: "html", html: many }] })).dropped[0]).toMatch(/more than 2500 elements/);
    // Within the caps of one output each, over the run's together with what the page holds.
    const full = Array.from({ length: 5 }, () => html("x".repeat(CAPS.partChars - 10)));
    expect(verdict(message({ seq: 3, from: 5 }), holding({ run: 3, seq: 2, parts: full })).dropped[0]).toMatch(/over its caps/);
    const parts = Array.from({ length: CAPS.parts + 2 }, () => ({ kind: "html", html: "<p>x</p>" }));
    expect(verdict(message({ status: "done", seq: 9, from: 0, parts })).dropped[0]).toMatch(/over the 501 of a run/);
  });
});

describe("parseShareFragment(hash)", () => {
  test("refuses a link bomb before decompressing it, at once", () => {
    // 69 K characters of packed data that expand to 443 M (what the probe used).
    const bomb = linkBomb(69_000);
    expect(bomb.expands).toBeGreaterThan(400_000_000);
    const start = performance.now();
    const link = parseShareFragment(`#nb=${bomb.packed}`);
    // Decompressing it takes about 8 s: refusing it takes nothing like it.
    expect(performance.now() - start).toBeLessThan(100);
    expect(link).toEqual({ kind: "malformed", reason: "it is too long to open safely (68998 characters, at most 8000)" });
  });

  test("the worst link it does decompress is bounded: a few million characters, then refused", () => {
    const bomb = linkBomb(MAX_PACKED);
    expect(bomb.packed.length).toBeLessThanOrEqual(MAX_PACKED);
    expect(bomb.expands).toBeLessThan(10_000_000);
    expect(parseShareFragment(`#nb=${bomb.packed}`)).toEqual({ kind: "malformed", reason: "its data is damaged or too long" });
  });

  test("never throws on random fragments", () => {
    const next = random(9);
    const alphabet = "ABCabc019+-$=&#%";
    for (let i = 0; i < 5_000; i++) {
      const text = Array.from({ length: Math.floor(next() * 200) }, () => alphabet[Math.floor(next() * alphabet.length)]).join("");
      const link = parseShareFragment(next() < 0.5 ? `#nb=${text}` : `#cell=${text}&code=${text}`);
      expect(["none", "experiment", "malformed"]).toContain(link.kind);
    }
    for (const evil of [...EVIL.map((e) => ({ v: 1, cells: { a: e }, inputs: { "a:0": e } })), { cells: { "<b>": "x" } }, { inputs: { "a:0": { deep: { deeper: 1 } } } }]) {
      const link = parseShareFragment(`#nb=${compressToEncodedURIComponent(JSON.stringify(evil))}`);
      expect(["experiment", "malformed"]).toContain(link.kind);
    }
  });
});
