import remarkMath from "remark-math";
import remarkMdx from "remark-mdx";
import remarkParse from "remark-parse";
import { unified } from "unified";
import { VFile } from "vfile";
import { describe, expect, it } from "vitest";
import remarkCells from "../../src/notebook/remark-cells.ts";
import { checkCellSource } from "../../src/notebook/remark-exercises.ts";

const PATH = "/book/content/04-a-chapter.mdx";
const FRONT = ["---", "title: A chapter", "order: 4", "---", ""];

type Node = { type: string; name?: string; children?: Node[]; attributes?: { name: string; value: unknown }[]; value?: string };

async function transform(lines: string[], path = PATH): Promise<Node> {
  const processor = unified().use(remarkParse).use(remarkMdx).use(remarkMath).use(remarkCells);
  const file = new VFile({ value: [...FRONT, ...lines].join("\n"), path });
  return (await processor.run(processor.parse(file), file)) as unknown as Node;
}

function elements(tree: Node, name: string): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  const visit = (node: Node) => {
    if (node.type === "mdxJsxFlowElement" && node.name === name) {
      found.push(Object.fromEntries(node.attributes!.map((a) => [a.name, a.value ?? true])));
    }
    node.children?.forEach(visit);
  };
  visit(tree);
  return found;
}

// A small exercise: write double(x).
function exercise(parts: { starter?: string; check?: string; solution?: string; wrong?: string[]; extra?: string[] } = {}): string[] {
  return [
    '<Exercise id="double" title="doubling">',
    "",
    "Write `double`.",
    "",
    "```ts cell id=double-answer",
    parts.starter ?? "function double(x) {\n  return x;\n}",
    "```",
    "",
    "```ts check",
    parts.check ?? 'check.sameFunction(double, (x) => 2 * x, { name: "double", cases: [[1], [2.5]] });\ncheck.pass("It doubles.");',
    "```",
    "",
    "<Hint>Multiply.</Hint>",
    "",
    "<Hint>By two.</Hint>",
    "",
    "```ts solution",
    parts.solution ?? "function double(x) {\n  return 2 * x;\n}",
    "```",
    "",
    ...(parts.wrong ?? []),
    ...(parts.extra ?? []),
    "</Exercise>",
  ];
}

describe("exercises (remarkCells)", () => {
  it("numbers an exercise by chapter order, makes its check a hidden check cell and shows the starter's verdict", async () => {
    const tree = await transform(exercise());
    const [ex] = elements(tree, "Exercise");
    expect(ex).toMatchObject({ id: "double", number: "4.1", cell: "double-answer", solution: "function double(x) {\n  return 2 * x;\n}" });
    const cells = elements(tree, "Cell");
    expect(cells.map((c) => c.id)).toEqual(["double-answer", "double-check"]);
    const check = cells[1];
    expect(check).toMatchObject({ hidden: true, readonly: true, check: true });
    expect(check.output).toContain('data-verdict="fail"');
    expect(check.output).toContain("double(1) returned 1, but it should return 2.");
    expect(elements(tree, "Hint")).toEqual([
      { n: "1", of: "2" },
      { n: "2", of: "2" },
    ]);
    // the components are imported for the author
    const imports = tree.children!.filter((n) => n.type === "mdxjsEsm").map((n) => n.value);
    expect(imports.some((v) => /import Exercise from/.test(String(v)))).toBe(true);
    expect(imports.some((v) => /import Hint from/.test(String(v)))).toBe(true);
  });

  it("a chapter at a fractional order (07.5-momentum.mdx) keys its cells, and so its solved marks, by its address", async () => {
    const tree = await transform(exercise(), "/book/content/07.5-momentum.mdx");
    expect(elements(tree, "Cell").map((c) => c.chapter)).toEqual(["momentum", "momentum"]);
  });

  it("fails the build when the solution does not pass its own check", async () => {
    await expect(transform(exercise({ solution: "function double(x) {\n  return 3 * x;\n}" }))).rejects.toThrow(
      /exercise 4\.1 \("double"\): its solution does not pass its check: Not yet\. double\(1\) returned 3/,
    );
  });

  it("fails the build when the starter already passes", async () => {
    await expect(transform(exercise({ starter: "function double(x) {\n  return x + x;\n}" }))).rejects.toThrow(
      /the starter code already passes its check/,
    );
  });

  it("checks each foreseen mistake gets the verdict the author expects", async () => {
    const wrong = ['```ts wrong expect="returned nothing"', "function double(x) {\n  2 * x;\n}", "```", ""];
    await expect(transform(exercise({ wrong }))).resolves.toBeTruthy();
    const misread = ['```ts wrong expect="forgot to multiply"', "function double(x) {\n  return x;\n}", "```", ""];
    await expect(transform(exercise({ wrong: misread }))).rejects.toThrow(
      /should get a verdict containing "forgot to multiply", but got: Not yet\. double\(1\) returned 1/,
    );
  });

  it("names the line of an exercise that lacks a part", async () => {
    const noCheck = exercise().filter((l, i, all) => !(i >= all.indexOf("```ts check") && i <= all.indexOf("```ts check") + 2));
    await expect(transform(noCheck)).rejects.toThrow(/line 6: exercise "double" needs exactly one ```ts check fence/);
    await expect(transform(exercise().map((l) => l.replace("id=double-answer", "id=double-answer readonly")))).rejects.toThrow(
      /the reader's cell cannot be "readonly"/,
    );
  });

  it("keeps the solution and the mistakes out of the page's flow", async () => {
    const wrong = ['```ts wrong expect="returned nothing"', "function double(x) {\n  2 * x;\n}", "```", ""];
    const tree = await transform(exercise({ wrong }));
    const codes: string[] = [];
    const visit = (n: Node) => (n.type === "code" && codes.push(String(n.value)), n.children?.forEach(visit));
    visit(tree);
    expect(codes).toEqual([]);
    expect(JSON.parse(String(elements(tree, "Exercise")[0].mistakes))).toEqual([
      { source: "function double(x) {\n  2 * x;\n}", expect: "returned nothing" },
    ]);
  });
});

describe("checkCellSource", () => {
  it("checkCellSource hoists the check's imports and wraps its guards in runCheck", () => {
    expect(checkCellSource("ex", 'import { Value } from "engine";\ncheck.that(Value, "no Value");')).toBe(
      [
        'import { Value } from "engine"; import { runCheck } from "exercise";',
        'await runCheck("ex", async (check) => {',
        'check.that(Value, "no Value");',
        "});",
      ].join("\n"),
    );
  });
});
