import { compile } from "@mdx-js/mdx";
import remarkMath from "remark-math";
import remarkMdx from "remark-mdx";
import remarkParse from "remark-parse";
import { unified } from "unified";
import { VFile } from "vfile";
import { describe, expect, it } from "vitest";
import remarkCells, { CELL_COMPONENT } from "../../src/notebook/remark-cells.ts";

const PATH = "/book/content/04-a-chapter.mdx";

type Node = { type: string; name?: string; children?: Node[]; attributes?: { name: string; value: unknown }[]; value?: string };

// Runs the plugin on a chapter and returns the tree it made.
async function transform(value: string): Promise<Node> {
  const processor = unified().use(remarkParse).use(remarkMdx).use(remarkMath).use(remarkCells);
  const file = new VFile({ value, path: PATH });
  return (await processor.run(processor.parse(file), file)) as unknown as Node;
}

// The <Cell> elements of a tree, as attribute records.
function cells(tree: Node): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  const visit = (node: Node) => {
    if (node.type === "mdxJsxFlowElement" && node.name === "Cell") {
      found.push(Object.fromEntries(node.attributes!.map((a) => [a.name, a.value ?? true])));
    }
    node.children?.forEach(visit);
  };
  visit(tree);
  return found;
}

describe("remarkCells", () => {
  it("remarkCells replaces a cell fence with <Cell> carrying the source and its static output", async () => {
    const tree = await transform(
      ["# Title", "", "```ts cell id=sum hidden", "const total = 1 + 2;", "total * 10", "```", "", "```ts", "not a cell", "```"].join("\n"),
    );
    const [cell, ...others] = cells(tree);
    expect(others).toEqual([]);
    expect(cell).toMatchObject({
      id: "sum",
      chapter: "a-chapter",
      source: "const total = 1 + 2;\ntotal * 10",
      hidden: true,
      output: '<div class="nb-value"><span class="nb-number">30</span></div>',
    });
    expect(cell.hash).toMatch(/^[0-9a-f]{14}$/);
    expect(tree.children![0]).toMatchObject({ type: "mdxjsEsm", value: `import Cell from ${JSON.stringify(CELL_COMPONENT)};` });
    expect(tree.children!.some((n) => n.type === "code" && n.value === "not a cell")).toBe(true);
  });

  it("remarkCells runs a chapter's cells in one kernel, each with the names it reads", async () => {
    const tree = await transform(
      ["```ts cell", "const count = 1;", "```", "", "```ts cell", "count + 41", "```"].join("\n"),
    );
    expect(cells(tree).map((c) => [c.id, c.output])).toEqual([
      ["cell-1", ""],
      ["cell-2", '<div class="nb-value"><span class="nb-number">42</span></div>'],
    ]);
  });

  it("remarkCells fails the build at the chapter line of a cell that throws", async () => {
    const chapter = ["# Title", "", "```ts cell id=broken", "const a = 1;", "a.b.c", "```"].join("\n");
    await expect(transform(chapter)).rejects.toMatchObject({
      line: 5,
      reason: expect.stringMatching(/^04-a-chapter\.mdx: cell "broken" threw at line 5 \(line 2 of the cell\): TypeError/),
    });
  });

  it("remarkCells keeps a throws cell's error as its output", async () => {
    const [cell] = cells(await transform(["```ts cell throws", "null.x", "```"].join("\n")));
    expect(cell).toMatchObject({ throws: true, failed: true });
    expect(cell.output).toMatch(/^<div class="nb-error" data-phase="run"><p><strong>TypeError<\/strong>/);
  });

  it("remarkCells fails the build on an id used twice", async () => {
    const chapter = ["```ts cell id=a", "1", "```", "", "```ts cell id=a", "2", "```"].join("\n");
    await expect(transform(chapter)).rejects.toMatchObject({
      line: 5,
      reason: '04-a-chapter.mdx: line 5: cell id "a" is already used by the cell at line 1; ids must be unique in a chapter',
    });
  });

  it("remarkCells puts a cell's value in the prose where <Value> asks for it", async () => {
    const tree = await transform(
      [
        "```ts cell id=score",
        "const run = { history: [{ loss: 0.9 }, { loss: 0.123456 }], accuracy: 0.9531 };",
        "```",
        "",
        'It got <Value name="run" path="accuracy" percent digits={1} /> right, with a loss of',
        '<Value name="run" path="history.-1.loss" digits="3" /> at the end.',
      ].join("\n"),
    );
    const text = JSON.stringify(tree);
    expect(text).toContain('"value":"95.3%"');
    expect(text).toContain('"value":"0.123"');
    expect(text).not.toContain('"name":"Value"');
  });

  it("remarkCells fails the build at the line of a <Value> that names nothing a cell declares", async () => {
    const chapter = ["```ts cell", "const a = 1;", "```", "", "", 'Here: <Value name="b" />.'].join("\n");
    await expect(transform(chapter)).rejects.toMatchObject({
      line: 6,
      reason: '04-a-chapter.mdx: <Value name="b">: no cell declares b',
    });
    const object = ["```ts cell", "const a = { x: 1 };", "```", "", '<Value name="a" />'].join("\n");
    await expect(transform(object)).rejects.toMatchObject({
      reason: '04-a-chapter.mdx: <Value name="a">: expected a number or a string, received an object (give a path)',
    });
  });

  it("remarkCells output compiles as MDX", async () => {
    const file = new VFile({ value: "```ts cell\n[1, 2]\n```\n", path: PATH });
    const js = String(await compile(file, { remarkPlugins: [remarkMath, remarkCells], jsx: true }));
    expect(js).toContain(`import Cell from ${JSON.stringify(CELL_COMPONENT)}`);
    expect(js).toMatch(/<Cell id="cell-1"/);
  });
});
