// The browser notebook's pure parts (no page needed): dependencies, line diff, share links.
// They live beside the e2e tests because tests/notebook/ belongs to the kernel core.
import { describe, expect, test } from "vitest";
import { dependents, prerequisites, type CellNames } from "../../src/notebook/client/deps.ts";
import { lineDiff } from "../../src/notebook/client/diff.ts";
import { parseShareFragment, shareUrl } from "../../src/notebook/client/share.ts";
import { sourceHash } from "../../src/notebook/client/storage.ts";

const cells: CellNames[] = [
  { id: "data", declares: ["x", "y"], references: [] },
  { id: "net", declares: ["net"], references: [] },
  { id: "train", declares: ["history"], references: ["net", "x", "y"] },
  { id: "plot", declares: [], references: ["history"] },
  { id: "other", declares: ["z"], references: [] },
  { id: "redefine", declares: ["x"], references: [] },
  { id: "late", declares: [], references: ["x"] },
];

describe("prerequisites(cells, index, ran)", () => {
  test("lists the earlier cells a cell needs, transitively, in page order", () => {
    expect(prerequisites(cells, 3, new Set())).toEqual([0, 1, 2]);
  });
  test("leaves out cells that already ran in this kernel", () => {
    expect(prerequisites(cells, 3, new Set(["net", "train"]))).toEqual([]);
    expect(prerequisites(cells, 3, new Set(["train"]))).toEqual([]);
    expect(prerequisites(cells, 2, new Set(["data"]))).toEqual([1]);
  });
  test("takes each name from the last earlier cell that declares it", () => {
    expect(prerequisites(cells, 6, new Set())).toEqual([5]);
  });
});

describe("dependents(cells, index)", () => {
  test("lists the later cells that read what a cell declares, transitively", () => {
    expect(dependents(cells, 0)).toEqual([2, 3]);
    expect(dependents(cells, 1)).toEqual([2, 3]);
    expect(dependents(cells, 4)).toEqual([]);
  });
  test("stops at a cell that declares the name again", () => {
    expect(dependents(cells, 5)).toEqual([6]);
    expect(dependents(cells, 0)).not.toContain(6);
  });
});

describe("lineDiff(before, after)", () => {
  test("keeps common lines once and marks the rest", () => {
    expect(lineDiff("a\nb\nc", "a\nB\nc\nd")).toEqual([
      { kind: "same", text: "a" },
      { kind: "removed", text: "b" },
      { kind: "added", text: "B" },
      { kind: "same", text: "c" },
      { kind: "added", text: "d" },
    ]);
  });
});

describe("shareUrl / parseShareFragment", () => {
  test("a link round-trips a cell's code, unicode and all", () => {
    const code = "const w = [0.5, -1]; // wᵢ × xᵢ\n`${w}` + '&#=?'";
    const url = new URL(shareUrl("http://h/book/the-neuron/#old", "neuron-output", code));
    expect(url.pathname).toBe("/book/the-neuron/");
    expect(parseShareFragment(url.hash)).toEqual({ kind: "cell", cellId: "neuron-output", code });
  });
  test("a fragment that is not a share link is ignored", () => {
    expect(parseShareFragment("#the-bias")).toEqual({ kind: "none" });
    expect(parseShareFragment("")).toEqual({ kind: "none" });
  });
  test("a malformed link says what is wrong", () => {
    expect(parseShareFragment("#cell=a&code=%%%")).toMatchObject({ kind: "malformed" });
    expect(parseShareFragment("#cell=a")).toEqual({
      kind: "malformed",
      reason: 'the link carries no code for cell "a"',
    });
    expect(parseShareFragment("#code=abc")).toMatchObject({ kind: "malformed" });
  });
});

describe("sourceHash(text)", () => {
  test("is stable and changes with the text", () => {
    expect(sourceHash("const x = 1;")).toBe(sourceHash("const x = 1;"));
    expect(sourceHash("const x = 1;")).not.toBe(sourceHash("const x = 2;"));
    expect(sourceHash("")).toMatch(/^[0-9a-f]{8}$/);
  });
});
