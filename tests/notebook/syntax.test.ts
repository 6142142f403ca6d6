import { describe, expect, it } from "vitest";
import { createKernel } from "../../src/notebook/kernel.ts";
import type { Output } from "../../src/notebook/types.ts";

// Each case defines its cells in one kernel and runs them; the last cell's value must equal
// `expected` (compared as JSON), the value the same code gives as plain JavaScript.
const cases: { name: string; cells: string[]; expected: unknown }[] = [
  { name: "object rest in a declaration", cells: ["const { a, ...rest } = { a: 1, b: 2, c: 3 };", "[a, rest]"], expected: [1, { b: 2, c: 3 }] },
  { name: "array destructuring and a swap", cells: ["let [x, y] = [1, 2];\n[x, y] = [y, x];", "[x, y]"], expected: [2, 1] },
  { name: "defaults in a declaration pattern", cells: ["const w = 5;\nconst { p = w, q: [r = w * 2] = [] } = {};", "[p, r]"], expected: [5, 10] },
  { name: "shorthand properties and arrow bodies", cells: ["const w = 2;\nconst wrap = () => ({ w });", "[{ w }, wrap()]"], expected: [{ w: 2 }, { w: 2 }] },
  { name: "a for-of head with a pattern", cells: ["const seen = [];\nfor (const [k, v] of Object.entries({ a: 1, b: 2 })) seen.push(k + v);", "seen"], expected: ["a1", "b2"] },
  { name: "a top-level var in a for head", cells: ["let total = 0;\nfor (var i = 0; i < 4; i++) total += i;", "[i, total]"], expected: [4, 6] },
  { name: "a var in a block belongs to the cell", cells: ["if (true) { var inside = 'yes'; }", "inside"], expected: "yes" },
  { name: "template and tagged literals", cells: ["const who = 'net';\nconst tag = (s, ...v) => s.raw.join('|') + v.join();", "[`hi ${who}`, tag`a${who}b`]"], expected: ["hi net", "a|bnet"] },
  { name: "classes with fields, statics and private members", cells: ["const base = 10;\nclass Counter { static start = base; #n = Counter.start; inc() { return ++this.#n; } }", "new Counter().inc()"], expected: 11 },
  { name: "a class expression extending another cell's class", cells: ["class A { f() { return 'A'; } }", "const B = class extends A { f() { return super.f() + 'B'; } };\nnew B().f()"], expected: "AB" },
  { name: "getters and computed keys", cells: ["const key = 'k';\nconst o = { [key]: 1, get double() { return this[key] * 2; } };", "[o.k, o.double]"], expected: [1, 2] },
  { name: "labels, break and continue", cells: ["const hits = [];\nouter: for (let i = 0; i < 3; i++) { for (let j = 0; j < 3; j++) { if (j === 1) continue outer; if (i === 2) break outer; hits.push([i, j]); } }", "hits"], expected: [[0, 0], [1, 0]] },
  { name: "default parameters reading the scope", cells: ["const lr = 0.5;\nfunction step(g, rate = lr) { return -rate * g; }", "step(2)"], expected: -1 },
  { name: "update and compound assignment", cells: ["let n = 1;\nn++;\nn += 10;\nn **= 2;", "n"], expected: 144 },
  { name: "a local name shadows the scope's", cells: ["const w = 1;", "function f(w) { return w * 3; }\nconst g = () => { const w = 7; return w; };\n[f(2), g(), w]"], expected: [6, 7, 1] },
  { name: "closures over loop variables", cells: ["const fns = [];\nfor (let i = 0; i < 3; i++) fns.push(() => i);", "fns.map((f) => f())"], expected: [0, 1, 2] },
  { name: "generators and async generators", cells: ["function* count(n) { for (let i = 0; i < n; i++) yield i; }\nasync function* twice(xs) { for (const x of xs) yield 2 * x; }", "const out = [];\nfor await (const v of twice(count(3))) out.push(v);\nout"], expected: [0, 2, 4] },
  { name: "a promise declared by one cell is awaited for the cells that read it", cells: ["const later = new Promise((done) => setTimeout(() => done(5), 5));", "later * 2"], expected: 10 },
  { name: "catch with a pattern, switch with lets", cells: ["let got;\ntry { throw { code: 7 }; } catch ({ code }) { got = code; }\nswitch (got) { case 7: { let s = 'seven'; got = s; } }", "got"], expected: "seven" },
  { name: "optional chaining and nullish coalescing", cells: ["const maybe = null;", "[maybe?.x ?? 'none', typeof maybe?.y]"], expected: ["none", "undefined"] },
  { name: "a sequence expression as the value", cells: ["let s = 0;\ns = 1, s + 1"], expected: 2 },
  { name: "a trailing comment after the value", cells: ["const v = 3;\nv * 2 // six"], expected: 6 },
  { name: "a function reads a name a later cell declares", cells: ["function later() { return declaredLater * 2; }", "const declaredLater = 21;", "later()"], expected: 42 },
  { name: "typeof of a name nobody declared", cells: ["typeof nowhere"], expected: "undefined" },
  { name: "TypeScript: types, generics, casts, non-null", cells: ["interface P { x: number }\nfunction id<T>(v: T): T { return v; }\nconst p = id<P>({ x: 2 } as P);\nconst q = p!.x satisfies number;", "q"], expected: 2 },
];

function valueOf(outputs: Output[]): unknown {
  const [output] = outputs;
  if (!output) return undefined;
  if (output.kind === "text") return output.text;
  if (output.kind === "table") return output.caption.startsWith("Array") && output.columns[0] !== "0" ? output.rows.map((row) => Object.fromEntries(output.columns.map((c, i) => [c, row[i]]))) : output.rows.length === 1 ? output.rows[0] : output.rows;
  if (output.kind === "value") return JSON.parse(JSON.stringify(unwrap(output.value)));
  return output;
}

function unwrap(tree: Extract<Output, { kind: "value" }>["value"]): unknown {
  if (tree.type === "primitive") return tree.kind === "string" ? JSON.parse(tree.text) : tree.kind === "undefined" ? undefined : JSON.parse(tree.text);
  if (tree.type !== "object") return tree;
  const entries = tree.entries.map(({ key, value }) => [key, unwrap(value)] as const);
  return tree.label.startsWith("Array(") ? entries.map(([, v]) => v) : Object.fromEntries(entries);
}

describe("run() on the syntax cells are written in", () => {
  for (const { name, cells, expected } of cases) {
    it(`run() handles ${name}`, async () => {
      const outputs = new Map<string, Output[]>();
      const kernel = createKernel({
        modules: {},
        onEvent: (e) => e.type === "cell" && e.status !== "running" && outputs.set(e.id, e.outputs),
      });
      const info = kernel.define(cells.map((source, i) => ({ id: `c${i}`, source })));
      expect(info.filter((c) => c.error)).toEqual([]);
      kernel.run(cells.map((_, i) => `c${i}`));
      await kernel.idle();
      const all = [...outputs.values()].flat();
      expect(all.filter((o) => o.kind === "error")).toEqual([]);
      expect(valueOf(outputs.get(`c${cells.length - 1}`) ?? [])).toEqual(expected);
    });
  }
});
