import { parseHTML } from "linkedom";
import { describe, expect, it } from "vitest";
import { networkDiagram } from "../../src/charts/index.ts";
import { networkLayout } from "../../src/charts/diagrams/network.ts";

function parse(svg: string): Element {
  const { document } = parseHTML(`<!doctype html><html><body>${svg}</body></html>`);
  return document.querySelector("svg")!;
}

const circles = (root: Element, selector: string) =>
  [...root.querySelectorAll(selector)].map((c) => [
    Number(c.getAttribute("cx")),
    Number(c.getAttribute("cy")),
  ]);

describe("networkDiagram({ layers })", () => {
  it("draws the network as SVG that says what it shows", () => {
    const { svg, alt } = networkDiagram({ layers: [6, 4, 4, 1] });
    expect(svg.startsWith("<svg")).toBe(true);
    const root = parse(svg);
    expect(root.getAttribute("role")).toBe("img");
    expect(root.getAttribute("aria-label")).toBe(alt);
    expect(root.querySelector("title")?.textContent).toBe(alt);
    expect(alt).toBe(
      "A fully connected network with 4 layers: Input layer (6 nodes), Hidden layer 1 (4 nodes), " +
        "Hidden layer 2 (4 nodes) and Output layer (1 node). Every node is joined to every node of " +
        "the next layer: 44 connections.",
    );
    expect(root.querySelectorAll("line").length).toBe(44);
    expect(root.querySelectorAll(".nn-node--hidden circle").length).toBe(8);
    // drawn where networkLayout puts it: the one layout behind the component and the cells
    const layout = networkLayout({ layers: [6, 4, 4, 1] });
    expect(circles(root, ".nn-node circle")).toEqual(
      layout.nodes.map((n) => [expect.closeTo(n.x, 2), expect.closeTo(n.y, 2)]),
    );
  });

  it("rings the highlighted neuron and draws the connections into it in the accent colour", () => {
    const { svg, alt } = networkDiagram({ layers: [6, 4, 4, 1], highlight: { layer: 2, node: 3 } });
    const root = parse(svg);
    const layout = networkLayout({ layers: [6, 4, 4, 1] });
    const target = layout.nodes.find((n) => n.layer === 2 && n.index === 3)!;
    const ringed = root.querySelectorAll(".nn-node--highlight");
    expect(ringed.length).toBe(1);
    const centre = [expect.closeTo(target.x, 2), expect.closeTo(target.y, 2)];
    expect(circles(ringed[0], "circle")).toEqual([centre, centre]);
    const lit = [...root.querySelectorAll(".nn-network__edges--highlight line")];
    expect(lit.length).toBe(4);
    for (const line of lit) {
      const end = [Number(line.getAttribute("x2")), Number(line.getAttribute("y2"))];
      expect(Math.hypot(end[0] - target.x, end[1] - target.y)).toBeCloseTo(target.r, 1);
      expect(line.getAttribute("style")).toContain("var(--sl-color-text-accent)");
    }
    expect(root.querySelectorAll("line").length).toBe(44);
    expect(alt).toMatch(
      / Highlighted: neuron 4 of Hidden layer 2, with its 4 connections from Hidden layer 1\.$/,
    );
  });

  it("prints the values it is given, in the nodes and in the text alternative", () => {
    const { svg, alt } = networkDiagram({
      layers: [2, 2, 1],
      values: [[1, -0.5], [0.731]],
      highlight: { layer: 1, node: 0 },
    });
    const root = parse(svg);
    expect([...root.querySelectorAll(".nn-node__value")].map((t) => t.textContent)).toEqual([
      "1",
      "−0.5",
      "0.73",
    ]);
    expect(alt).toContain(" Values in the nodes: Input layer: 1, −0.5; Hidden layer: 0.73.");
    expect(alt).toContain(
      " Highlighted: neuron 1 of Hidden layer (value 0.73), with its 2 connections from Input layer.",
    );
  });

  it("draws at a width of its own, and no wider", () => {
    const { svg } = networkDiagram({ layers: [6, 4, 4, 1], width: 440 });
    const root = parse(svg);
    expect(root.getAttribute("viewBox")?.startsWith("0 0 440 ")).toBe(true);
    expect(root.getAttribute("style")).toBe("max-width: 440px");
    // "Hidden layer 1" wraps without leaving its "1" alone on a line
    expect(networkLayout({ layers: [6, 4, 4, 1], width: 440 }).columns[1].lines).toEqual([
      "Hidden",
      "layer 1",
    ]);
    expect(parse(networkDiagram({ layers: [2, 1] }).svg).getAttribute("style")).toBe(null);
  });

  it("escapes labels, and refuses a highlight that is not a node", () => {
    const { svg } = networkDiagram({ layers: [1, 1], labels: ["x < 1 & y", "out"] });
    expect(svg).toContain("x &lt; 1 &amp; y");
    expect(() => networkDiagram({ layers: [6, 4, 1], highlight: { layer: 1, node: 4 } })).toThrow(
      'networkDiagram: received highlight {"layer":1,"node":4}; expected { layer, node } with ' +
        "layer from 0 to 2 and node from 0 to one less than that layer's size",
    );
  });
});
