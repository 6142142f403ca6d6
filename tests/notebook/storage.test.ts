import { afterEach, describe, expect, test } from "vitest";
import { load, save, stateKey } from "../../src/notebook/client/storage.ts";

// A Map behind the Storage calls storage.ts makes.
function fakeStorage(): Storage {
  const items = new Map<string, string>();
  return {
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, String(value)),
    removeItem: (key: string) => void items.delete(key),
    clear: () => items.clear(),
    key: (i: number) => [...items.keys()][i] ?? null,
    get length() {
      return items.size;
    },
  };
}

describe("load(base, chapter)", () => {
  afterEach(() => {
    delete (globalThis as { localStorage?: Storage }).localStorage;
  });

  test("a record damaged in part gives back its valid cells and values, and the record as it was", () => {
    const storage = ((globalThis as { localStorage?: Storage }).localStorage = fakeStorage());
    const raw = JSON.stringify({
      cells: { good: { code: "1 + 1", base: "h" }, bad: { code: 5 }, worse: null },
      inputs: { "good:0": 0.5 },
    });
    storage.setItem(stateKey("/", "ch"), raw);
    expect(load("/", "ch")).toEqual({
      kind: "corrupt",
      raw,
      salvaged: { cells: { good: { code: "1 + 1", base: "h" } }, inputs: { "good:0": 0.5 } },
      // The damaged part alone: the entries that could not be read, under their keys.
      damaged: { text: JSON.stringify({ cells: { bad: { code: 5 }, worse: null } }, null, 2), json: true, names: ['cell "bad"', 'cell "worse"'] },
    });
  });

  test("settings that are not a list of values, and keys it does not know, are the damaged part too", () => {
    const storage = ((globalThis as { localStorage?: Storage }).localStorage = fakeStorage());
    storage.setItem(stateKey("/", "ch"), JSON.stringify({ cells: { good: { code: "x", base: "h" } }, inputs: [1], extra: 2 }));
    const found = load("/", "ch");
    expect(found.kind === "corrupt" && found.damaged).toEqual({
      text: JSON.stringify({ inputs: [1], other: { extra: 2 } }, null, 2),
      json: true,
      names: ["the settings", '"extra"'],
    });
  });

  test("a record that is not JSON is corrupt, kept as text, with nothing to salvage", () => {
    const storage = ((globalThis as { localStorage?: Storage }).localStorage = fakeStorage());
    storage.setItem(stateKey("/", "ch"), "{not json");
    expect(load("/", "ch")).toEqual({
      kind: "corrupt",
      raw: "{not json",
      salvaged: { cells: {}, inputs: {} },
      damaged: { text: "{not json", json: false, names: ["the whole record"] },
    });
  });

  test("a sound record loads as it was saved", () => {
    (globalThis as { localStorage?: Storage }).localStorage = fakeStorage();
    const state = { cells: { a: { code: "x", base: "h" } }, inputs: { "a:0": [1, 2] } };
    expect(save("/", "ch", state)).toBe("saved");
    expect(load("/", "ch")).toEqual({ kind: "state", state });
  });
});
