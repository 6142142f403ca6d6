import { describe, expect, it } from "vitest";
import { CellOptionError, findCells, parseCellMeta } from "../../src/notebook/cells.ts";

const code = (meta: string | null, line: number, lang = "ts") => ({
  type: "code",
  lang,
  meta,
  value: "1",
  position: { start: { line, column: 1 }, end: { line: line + 2, column: 4 } },
});

describe("cells", () => {
  it("parseCellMeta(meta) reads the id and the flags", () => {
    expect(parseCellMeta("cell id=forward-pass hidden throws", 1)).toEqual({
      id: "forward-pass",
      hidden: true,
      readonly: false,
      norun: false,
      throws: true,
    });
  });

  it("parseCellMeta(meta, n) gives a cell without an id the id cell-<n>", () => {
    expect(parseCellMeta("cell readonly norun", 3)).toMatchObject({ id: "cell-3", readonly: true, norun: true });
  });

  it("parseCellMeta(meta) names an unknown option and lists the valid ones", () => {
    expect(() => parseCellMeta("cell hiden", 1)).toThrow(
      'unknown cell option: "hiden" (expected id=…, hidden, readonly, norun, throws)',
    );
  });

  it("parseCellMeta(meta) rejects an id that cannot be an element id", () => {
    expect(() => parseCellMeta("cell id=2nd", 1)).toThrow(/invalid cell id: "2nd"/);
  });

  it("findCells(tree) finds cell fences in order and leaves other code blocks alone", () => {
    const tree = {
      type: "root",
      children: [
        code("cell id=a", 3),
        code(null, 8),
        code("cellular", 12),
        code("cell", 20, "python"),
        { type: "blockquote", children: [code("cell", 30, "js")] },
      ],
    };
    const cells = findCells(tree);
    expect(cells.map((c) => [c.options.id, c.fenceLine])).toEqual([
      ["a", 3],
      ["cell-2", 30],
    ]);
  });

  it("findCells(tree) rejects an id used twice, naming both lines", () => {
    const tree = { type: "root", children: [code("cell id=a", 3), code("cell id=a", 9)] };
    expect(() => findCells(tree)).toThrow(CellOptionError);
    expect(() => findCells(tree)).toThrow(
      'line 9: cell id "a" is already used by the cell at line 3; ids must be unique in a chapter',
    );
  });
});
