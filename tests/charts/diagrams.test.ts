import { describe, expect, it } from "vitest";
import { graphLayout } from "../../src/charts/diagrams/graph.ts";
import { networkLayout } from "../../src/charts/diagrams/network.ts";
import { neuronLayout } from "../../src/charts/diagrams/neuron.ts";

describe("networkLayout({ layers })", () => {
  it("joins every node of a layer to every node of the next (6-4-4-1: 44 edges)", () => {
    const layout = networkLayout({ layers: [6, 4, 4, 1] });
    expect(layout.nodes.length).toBe(15);
    expect(layout.edges.length).toBe(6 * 4 + 4 * 4 + 4 * 1);
    expect(layout.columns.map((c) => c.lines.join(" "))).toEqual([
      "Input layer",
      "Hidden layer 1",
      "Hidden layer 2",
      "Output layer",
    ]);
    // columns left to right, every node inside the drawing
    for (const n of layout.nodes) {
      expect(n.x).toBe(layout.columns[n.layer].x);
      expect(n.x - n.r).toBeGreaterThanOrEqual(0);
      expect(n.y + n.r).toBeLessThanOrEqual(layout.height);
    }
  });

  it("elides long layers, keeping the first and last nodes and the count in the label", () => {
    const layout = networkLayout({ layers: [784, 16, 10] });
    const input = layout.nodes.filter((n) => n.layer === 0).map((n) => n.index);
    expect(input.slice(0, 4)).toEqual([0, 1, 2, 3]);
    expect(input[input.length - 1]).toBe(783);
    expect(layout.ellipses.length).toBe(3);
    expect(layout.columns[0].lines.join(" ")).toBe("Input layer (784)");
  });

  it("does not repeat a count that the label already gives", () => {
    const layout = networkLayout({
      layers: [784, 32, 32, 10],
      labels: ["784 pixels", "Hidden 1 (32)", "Hidden 2 (32)", "10 digits"],
    });
    const labels = layout.columns.map((c) => c.lines.join(" "));
    expect(labels).toEqual(["784 pixels", "Hidden 1 (32)", "Hidden 2 (32)", "10 digits"]);
    // a label with another number still gets the count
    const other = networkLayout({ layers: [12, 1], labels: ["Layer 1", "Out"] });
    expect(other.columns[0].lines.join(" ")).toBe("Layer 1 (12)");
  });

  it("prints values in the nodes", () => {
    const layout = networkLayout({ layers: [2, 1], values: [[0.5, -1.234], [0.731]] });
    expect(layout.nodes.map((n) => n.text)).toEqual(["0.5", "−1.23", "0.73"]);
  });

  it("refuses layer sizes that are not whole numbers", () => {
    expect(() => networkLayout({ layers: [2.5, 1] })).toThrow(
      "NetworkDiagram: received layers [2.5,1]; expected at least two whole numbers ≥ 1",
    );
  });
});

describe("neuronLayout(props)", () => {
  it("joins each input to Σ and writes its weight on the edge", () => {
    const layout = neuronLayout({
      inputs: ["x₁", "x₂"],
      weights: [0.5, -1],
      bias: "b",
      activation: "f",
      output: "a",
    });
    expect(layout.edges.map((e) => e.weight?.text)).toEqual(["0.5", "-1"]);
    for (const e of layout.edges) {
      expect(Math.hypot(e.to.x - layout.sum.x, e.to.y - layout.sum.y)).toBeCloseTo(layout.sum.r, 6);
    }
    expect(layout.bias?.to).toEqual({ x: layout.sum.x, y: layout.sum.y - layout.sum.r });
  });

  it("refuses more weights than inputs", () => {
    const props = { inputs: ["x"], weights: [1, 2], bias: false as const, activation: "f" };
    expect(() => neuronLayout({ ...props, output: "a" })).toThrow(
      "NeuronDiagram: received 2 weights for 1 inputs; " +
        "give one weight per input (or leave weights out)",
    );
  });
});

describe("graphLayout(graph)", () => {
  // L = (a·b + c)·f, as Value.trace() would return it
  const graph = {
    nodes: [
      { id: "a", label: "a", op: "", data: 2, grad: -3 },
      { id: "b", label: "b", op: "", data: -3, grad: 2 },
      { id: "c", label: "c", op: "", data: 10, grad: 1 },
      { id: "e", label: "e", op: "*", data: -6, grad: 1 },
      { id: "d", label: "d", op: "+", data: 4, grad: 1 },
      { id: "f", label: "f", op: "", data: -2, grad: 4 },
      { id: "L", label: "L", op: "*", data: -8, grad: 1 },
    ],
    edges: [
      { from: "a", to: "e" },
      { from: "b", to: "e" },
      { from: "e", to: "d" },
      { from: "c", to: "d" },
      { from: "d", to: "L" },
      { from: "f", to: "L" },
    ],
  };

  it("puts every result to the right of its operands, leaves next to their first use", () => {
    const layout = graphLayout(graph);
    const box = new Map(layout.boxes.map((b) => [b.id, b]));
    for (const e of graph.edges) {
      expect(box.get(e.from)!.column).toBeLessThan(box.get(e.to)!.column);
    }
    expect(box.get("c")!.column).toBe(box.get("d")!.column - 1);
    expect(box.get("f")!.column).toBe(box.get("L")!.column - 1);
    expect(layout.edges.length).toBe(graph.edges.length);
    expect(box.get("e")!.opText).toBe("×");
    expect(box.get("a")!.lines).toEqual(["data 2", "grad −3"]);
    expect(graphLayout(graph, false).boxes[0].lines).toEqual(["data 2"]);
  });

  it("writes each value as an expression of the labelled ones, for the alt text", () => {
    const traced = {
      nodes: [
        { id: "1", label: "x", op: "", data: 1.5, grad: 0 },
        { id: "2", label: "w", op: "", data: 0.8, grad: 0 },
        { id: "3", label: "", op: "×", data: 1.2, grad: 0 },
        { id: "4", label: "", op: "σ", data: 0.77, grad: 0 },
      ],
      edges: [
        { from: "1", to: "3" },
        { from: "2", to: "3" },
        { from: "3", to: "4" },
      ],
    };
    const layout = graphLayout(traced);
    expect(layout.boxes.find((b) => b.id === "4")!.expression).toBe("σ(x × w)");
    const L = graphLayout(graph).boxes.find((b) => b.id === "L")!;
    expect(L.expression).toBe("d × f");
  });

  it("keeps boxes of one column from overlapping", () => {
    const layout = graphLayout(graph);
    for (const a of layout.boxes)
      for (const b of layout.boxes)
        if (a !== b && a.column === b.column) {
          expect(a.y + a.h <= b.y || b.y + b.h <= a.y).toBe(true);
        }
  });

  it("lays the graph out bottom up for a phone, narrow enough not to shrink", () => {
    const across = graphLayout(graph);
    const up = graphLayout(graph, { direction: "up" });
    expect(up.width).toBeLessThan(across.width);
    expect(up.width).toBeLessThanOrEqual(358);
    const at = new Map(up.boxes.map((b) => [b.id, b]));
    for (const e of graph.edges) {
      const from = at.get(e.from)!;
      const to = at.get(e.to)!;
      // every operand sits in a row below its result
      expect(to.y + to.h).toBeLessThan(from.y);
    }
    for (const b of up.boxes) {
      expect(b.x).toBeGreaterThanOrEqual(0);
      expect(b.x + b.w).toBeLessThanOrEqual(up.width);
      expect(b.y + b.h).toBeLessThanOrEqual(up.height);
    }
    // arrows point up
    for (const e of up.edges) expect(e.head).toMatch(/l-4,8h8z$/);
  });

  it("refuses edges to unknown nodes and cycles", () => {
    expect(() => graphLayout({ nodes: graph.nodes, edges: [{ from: "a", to: "zz" }] })).toThrow(
      /edge \{"from":"a","to":"zz"\} names a node that is not in graph.nodes/,
    );
    const edges = [
      { from: "a", to: "b" },
      { from: "b", to: "a" },
    ];
    const loop = { nodes: graph.nodes.slice(0, 2), edges };
    expect(() => graphLayout(loop)).toThrow(/the graph has a cycle/);
  });
});
