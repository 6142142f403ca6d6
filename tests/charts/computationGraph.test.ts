import { parseHTML } from "linkedom";
import { describe, expect, it } from "vitest";
import { Value } from "../../engine/index.ts";
import { computationGraph, graphLayout, type Trace } from "../../src/charts/index.ts";

// A 2-2-1 network on one example, as chapter 6 builds it: inputs that feed two neurons each.
function network(): Trace {
  const named = (value: Value, label: string) => Object.assign(value, { label });
  const [x1, x2] = [new Value(0.5, "x₁"), new Value(-1, "x₂")];
  const [w11, w21, w12, w22] = [0.8, -0.4, 0.3, 0.9].map((w, i) => new Value(w, `w${i}`));
  const [b1, b2, v1, v2, c] = [0.1, -0.2, 1.2, -0.7, 0.2].map((w, i) => new Value(w, `p${i}`));
  const h1 = named(w11.mul(x1).add(w21.mul(x2)).add(b1).tanh(), "h₁");
  const h2 = named(w12.mul(x1).add(w22.mul(x2)).add(b2).tanh(), "h₂");
  const out = named(v1.mul(h1).add(v2.mul(h2)).add(c).sigmoid(), "ŷ");
  const loss = named(out.sub(1).pow(2), "J");
  loss.backward();
  return loss.trace();
}

/** The SVG of a diagram, parsed. */
function svgOf(markup: string): Element {
  const { document } = parseHTML(`<!doctype html><html><body>${markup}</body></html>`);
  return document.querySelector("svg") as unknown as Element;
}

const overlaps = (a: { x: number; y: number; w: number; h: number }, b: typeof a) =>
  a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

describe("computationGraph(graph, options)", () => {
  it("draws the graph as an SVG that says what it shows, in its label and its title", () => {
    const graph = network();
    const { svg, alt, width, height } = computationGraph(graph);
    const root = svgOf(svg);
    expect(root.getAttribute("role")).toBe("img");
    expect(root.getAttribute("aria-label")).toBe(alt);
    expect(root.querySelector("title")?.textContent).toBe(alt);
    expect(root.getAttribute("viewBox")).toBe(`0 0 ${width} ${height}`);
    expect(root.querySelectorAll(".nn-gnode").length).toBe(graph.nodes.length);
    expect(root.querySelectorAll(".nn-arrow").length).toBe(graph.edges.length);
    expect(alt).toMatch(
      /^A computation graph of 28 values and 17 operations, read left to right: J = \(ŷ − 1\)\^2 = 0\.0293\./,
    );
    expect(alt).toContain("x₁ (data 0.5, grad −0.0181)");
  });

  it('with direction "up" puts each result above its operands, in a narrow drawing', () => {
    const graph = network();
    const layout = graphLayout(graph, { direction: "up" });
    const box = new Map(layout.boxes.map((b) => [b.id, b]));
    for (const e of graph.edges) expect(box.get(e.from)!.y).toBeGreaterThan(box.get(e.to)!.y);
    for (const a of layout.boxes)
      for (const b of layout.boxes) if (a !== b) expect(overlaps(a, b)).toBe(false);
    // four boxes to a row at most: the inputs, which feed two neurons each, get a row of their own
    expect(layout.width).toBeLessThanOrEqual(470);
    const inputs = layout.boxes.filter((b) => b.label === "x₁" || b.label === "x₂");
    expect(new Set(inputs.map((b) => b.y)).size).toBe(1);
    expect(layout.boxes.filter((b) => b.y === inputs[0].y).length).toBe(2);
    expect(computationGraph(graph, { direction: "up" }).alt).toContain("read from the bottom up");
  });

  it("routes an arrow that skips a row through a gap of that row, never under a box", () => {
    const graph = network();
    const layout = graphLayout(graph, { direction: "up" });
    const box = new Map(layout.boxes.map((b) => [b.id, b]));
    const long = layout.edges.filter((e) => box.get(e.to)!.column - box.get(e.from)!.column > 1);
    expect(long.length).toBe(4); // x₁ and x₂, two products each
    for (const e of long) {
      const [from, to] = [box.get(e.from)!, box.get(e.to)!];
      // the straight run through the rows between: "L x,y" after the first curve
      const runs = [...e.d.matchAll(/L([-\d.]+),([-\d.]+)/g)].map((m) => Number(m[1]));
      expect(runs.length).toBe(to.column - from.column - 1);
      for (const x of runs) {
        const between = layout.boxes.filter((b) => b.column > from.column && b.column < to.column);
        for (const b of between) expect(x > b.x && x < b.x + b.w).toBe(false);
      }
    }
  });

  it("draws the way back: crossed edges as arrows going back, the current one bold with its label", () => {
    const graph = network();
    const [first, second] = [...graph.edges].reverse();
    const diagram = computationGraph(graph, {
      direction: "up",
      backward: [first, second],
      highlight: { edge: second, nodes: [second.to, second.from], label: "× 1" },
    });
    const root = svgOf(diagram.svg);
    expect(root.querySelectorAll(".nn-graph__back").length).toBe(2);
    expect(root.querySelectorAll(".nn-graph__back--current").length).toBe(1);
    expect(root.querySelector(".nn-graph__note")?.textContent).toBe("× 1");
    expect([...root.querySelectorAll("rect[style*='stroke-width: 3.5px']")].length).toBe(2);
    expect(diagram.alt).toContain("The backward pass has crossed 2 of 29 arrows.");
    expect(diagram.alt).toContain("Highlighted: the gradient going back from ŷ − 1 to ŷ (× 1).");
    expect(diagram.alt).toContain("Marked: ŷ − 1 and ŷ.");
  });

  it('prints a gradient not known yet as "grad ?", and says so', () => {
    const graph = network();
    const unknown = { ...graph, nodes: graph.nodes.map((n) => ({ ...n, grad: null })) };
    const diagram = computationGraph(unknown, { digits: 3 });
    expect(diagram.svg).toContain(">grad ?</text>");
    expect(diagram.svg).not.toMatch(/grad −?\d/);
    expect(diagram.alt).toContain("x₁ (data 0.5, grad not yet known)");
  });

  it("writes an expression with the labels, in parentheses where a label is itself a sum", () => {
    const error = Object.assign(new Value(0.8, "ŷ").sub(1), { label: "ŷ − y" });
    const J = Object.assign(error.pow(2), { label: "J" });
    expect(computationGraph(J.trace()).alt).toMatch(
      /read left to right: J = \(ŷ − y\)\^2 = 0\.04\./,
    );
    const product = new Value(2, "a").mul(new Value(3, "b").add(new Value(1, "c")));
    expect(computationGraph(product.trace()).alt).toContain("a × (b + c) = 8");
  });

  it("escapes labels, so a label cannot break the markup", () => {
    const a = new Value(1, '<b>"a"</b> & b');
    const diagram = computationGraph(a.mul(2).trace());
    expect(diagram.svg).toContain("&lt;b&gt;&quot;a&quot;&lt;/b&gt; &amp; b");
    expect(svgOf(diagram.svg).querySelector("b")).toBeNull();
  });

  it("refuses an edge, a node or a direction that is not there, and says what it expected", () => {
    const graph = network();
    expect(() =>
      computationGraph(graph, { highlight: { edge: { from: "v1", to: "nope" } } }),
    ).toThrow(
      'computationGraph: edge {"from":"v1","to":"nope"} is not an edge of the graph ' +
        "(expected { from, to } from graph.edges, operand to result)",
    );
    expect(() => computationGraph(graph, { highlight: { nodes: ["nope"] } })).toThrow(
      'computationGraph: highlight.nodes names "nope", not a node of the graph',
    );
    expect(() => computationGraph(graph, { direction: "down" as "up" })).toThrow(
      'ComputationGraph: invalid direction "down" (expected "right" or "up")',
    );
  });
});
