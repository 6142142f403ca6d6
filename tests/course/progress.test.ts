import { describe, expect, it } from "vitest";
import {
  emptyProgress,
  loadProgress,
  markRead,
  markSolved,
  mergeProgress,
  parseProgress,
  progressKey,
  updateProgress,
  whatMergeAdds,
} from "../../src/course/progress.ts";

// A Storage in memory (optionally full).
function memory(full = false) {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => {
      if (full) throw new DOMException("full", "QuotaExceededError");
      items.set(k, v);
    },
  };
}

describe("progress", () => {
  it("progressKey() keeps two books on one host apart by their base path", () => {
    expect(progressKey("/courses/nn/")).toBe("nb:progress:v1:/courses/nn/");
    const store = memory();
    updateProgress(store, "/a/", (p) => markRead(p, "the-neuron"));
    expect(loadProgress(store, "/b/")).toEqual(emptyProgress());
    expect(Object.keys(loadProgress(store, "/a/").chapters)).toEqual(["the-neuron"]);
  });

  it("markSolved() and markRead() keep the first date", () => {
    const p = emptyProgress();
    markSolved(p, "the-neuron", "neuron-output", new Date("2026-01-01"));
    markSolved(p, "the-neuron", "neuron-output", new Date("2026-02-01"));
    expect(p.exercises).toEqual({ "the-neuron/neuron-output": { solved: "2026-01-01T00:00:00.000Z" } });
  });

  it("parseProgress() keeps what is well-formed, counts what is not, and refuses what is not progress", () => {
    const parsed = parseProgress({
      version: 1,
      chapters: { "the-neuron": { read: "2026-01-01T00:00:00.000Z" }, "<script>": { read: "2026-01-01" }, x: { read: "soon" } },
      exercises: { "the-neuron/a": { solved: "2026-01-01T00:00:00.000Z" }, "no-slash": { solved: "2026-01-01" } },
    });
    expect(parsed).toEqual({
      progress: { version: 1, chapters: { "the-neuron": { read: "2026-01-01T00:00:00.000Z" } }, exercises: { "the-neuron/a": { solved: "2026-01-01T00:00:00.000Z" } } },
      dropped: 3,
    });
    expect(parseProgress([])).toEqual({ error: "this is not a progress file of this book (expected a JSON object)" });
    expect(parseProgress({ version: 2 })).toEqual({ error: "this progress file has version 2; this book reads version 1" });
  });

  it("mergeProgress() keeps everything from both, at its earliest date; whatMergeAdds() counts what is new", () => {
    const a = { version: 1 as const, chapters: { one: { read: "2026-03-01T00:00:00.000Z" } }, exercises: {} };
    const b = { version: 1 as const, chapters: { one: { read: "2026-01-01T00:00:00.000Z" }, two: { read: "2026-02-01T00:00:00.000Z" } }, exercises: { "two/e": { solved: "2026-02-02T00:00:00.000Z" } } };
    expect(mergeProgress(a, b)).toEqual({
      version: 1,
      chapters: { one: { read: "2026-01-01T00:00:00.000Z" }, two: { read: "2026-02-01T00:00:00.000Z" } },
      exercises: { "two/e": { solved: "2026-02-02T00:00:00.000Z" } },
    });
    expect(whatMergeAdds(a, b)).toEqual({ chapters: 1, exercises: 1 });
  });

  it("loadProgress() reads a damaged record as empty; updateProgress() says when storage is full", () => {
    const store = memory();
    store.items.set(progressKey("/"), "{damaged");
    expect(loadProgress(store, "/")).toEqual(emptyProgress());
    expect(updateProgress(memory(true), "/", (p) => markRead(p, "x"))).toBe(false);
    expect(updateProgress(null, "/", (p) => markRead(p, "x"))).toBe(false);
  });
});
