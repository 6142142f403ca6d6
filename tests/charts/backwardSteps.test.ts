import { describe, expect, it } from "vitest";
import { Value } from "../../engine/index.ts";
import { backwardSteps, computationGraph } from "../../src/charts/index.ts";

// A 2-2-1 network on one example, with every weight kept by name.
function network() {
  const named = (value: Value, label: string) => Object.assign(value, { label });
  const v = (data: number, label: string) => new Value(data, label);
  const p = {
    x1: v(0.5, "x₁"),
    x2: v(-1, "x₂"),
    w11: v(0.8, "w₁₁"),
    w21: v(-0.4, "w₂₁"),
    w12: v(0.3, "w₁₂"),
    w22: v(0.9, "w₂₂"),
    b1: v(0.1, "b₁"),
    b2: v(-0.2, "b₂"),
    v1: v(1.2, "v₁"),
    v2: v(-0.7, "v₂"),
    c: v(0.2, "c"),
  };
  const h1 = named(p.w11.mul(p.x1).add(p.w21.mul(p.x2)).add(p.b1).tanh(), "h₁");
  const h2 = named(p.w12.mul(p.x1).add(p.w22.mul(p.x2)).add(p.b2).tanh(), "h₂");
  const out = named(p.v1.mul(h1).add(p.v2.mul(h2)).add(p.c).sigmoid(), "ŷ");
  const loss = named(out.sub(1).pow(2), "J");
  return { p, loss };
}

describe("backwardSteps(trace)", () => {
  it("starts with no gradient known, gives the output 1, then crosses one edge per step", () => {
    const { loss } = network();
    loss.backward();
    const trace = loss.trace();
    const steps = backwardSteps(trace);
    expect(steps.length).toBe(trace.edges.length + 2);
    expect(steps.map((s) => s.step)).toEqual(steps.map((_, i) => i));
    expect(steps[0].graph.nodes.every((n) => n.grad === null)).toBe(true);
    expect(steps[0].text).toMatch(/^Step 0 of 30: the forward pass is done/);
    expect(steps[1].graph.nodes.filter((n) => n.grad !== null).map((n) => n.label)).toEqual(["J"]);
    expect(steps[1].text).toMatch(/^Step 1 of 30: start at the output\. J changes one for one/);
    steps.slice(2).forEach((s, i) => {
      expect(s.edge).not.toBeNull();
      expect(s.marks.backward.length).toBe(i + 1);
      expect(s.marks.highlight).toEqual({
        edge: s.edge,
        nodes: [s.edge!.to, s.edge!.from],
        label: expect.stringMatching(/^× /),
      });
    });
  });

  it("follows backward()'s order and ends with the engine's gradients", () => {
    const { p, loss } = network();
    loss.backward();
    const steps = backwardSteps(loss.trace());
    const last = steps[steps.length - 1].graph.nodes;
    for (const value of Object.values(p)) {
      expect(last.find((n) => n.id === value.id)!.grad).toBeCloseTo(value.grad, 12);
    }
    // results are taken from the output back: a node is crossed from only after all its users
    const crossed = steps.slice(2).map((s) => s.edge!);
    crossed.forEach((e, i) => {
      const laterInto = crossed.slice(i + 1).filter((f) => f.to === e.to || f.from === e.to);
      expect(laterInto.every((f) => f.to === e.to)).toBe(true);
    });
  });

  it("adds local slope × gradient at each step, and sums the paths of a value that feeds two nodes", () => {
    const { p, loss } = network();
    loss.backward();
    const steps = backwardSteps(loss.trace());
    for (const s of steps.slice(2)) {
      const before = steps[s.step - 1].graph.nodes.find((n) => n.id === s.edge!.from)!.grad ?? 0;
      const result = s.graph.nodes.find((n) => n.id === s.edge!.to)!.grad!;
      const after = s.graph.nodes.find((n) => n.id === s.edge!.from)!.grad!;
      expect(s.added).toBeCloseTo(s.local! * result, 12);
      expect(after).toBeCloseTo(before + s.added!, 12);
    }
    const intoX1 = steps.filter((s) => s.edge?.from === p.x1.id);
    expect(intoX1.length).toBe(2);
    expect(intoX1[0].text).toContain("x₁ feeds 2 nodes, so this is the first of 2 paths");
    expect(intoX1[1].text).toMatch(
      /x₁ feeds 2 nodes, so its gradient is the sum over the paths: .* = −0\.018, complete\./,
    );
    expect(intoX1[0].added! + intoX1[1].added!).toBeCloseTo(p.x1.grad, 12);
    expect(steps.at(-1)!.text).toContain("The backward pass is done");
  });

  it("says each op's slope in words and numbers", () => {
    const { loss } = network();
    loss.backward();
    const texts = backwardSteps(loss.trace())
      .map((s) => s.text)
      .join("\n");
    expect(texts).toContain("The slope of a square (ŷ − 1)² is 2·(ŷ − 1) = 2 × (−0.171) = −0.342");
    expect(texts).toContain("Subtracting the constant 1 leaves the slope at 1");
    expect(texts).toContain("The slope of the sigmoid is ŷ(1 − ŷ) = 0.829 × 0.171 = 0.142");
    expect(texts).toContain("The slope of tanh is 1 − h₂² = 1 − (−0.74)² = 0.453");
    expect(texts).toContain(
      "A product passes back its gradient times the other factor, h₂ = −0.74",
    );
    expect(texts).toContain("A sum passes its gradient on unchanged");
  });

  it("knows every op of the engine's Value, checked against backward()", () => {
    const a = new Value(0.7, "a");
    const b = new Value(1.3, "b");
    const y = a
      .mul(b)
      .exp()
      .log()
      .relu()
      .div(2)
      .add(a.pow(b))
      .neg()
      .activate("leakyRelu")
      .mul(a.sub(b));
    y.backward();
    expect(() => backwardSteps(y.trace())).not.toThrow();
    const last = backwardSteps(y.trace()).at(-1)!.graph.nodes;
    expect(last.find((n) => n.id === a.id)!.grad).toBeCloseTo(a.grad, 12);
  });

  it("is drawn by computationGraph as it stands", () => {
    const { loss } = network();
    loss.backward();
    const now = backwardSteps(loss.trace())[5];
    const diagram = computationGraph(now.graph, { ...now.marks, direction: "up", digits: 3 });
    expect(diagram.alt).toContain("The backward pass has crossed 4 of 29 arrows.");
    expect(diagram.alt).toContain("x₁ (data 0.5, grad not yet known)");
  });

  it("refuses what it cannot step through, and says why", () => {
    const { loss } = network();
    loss.backward();
    loss.backward(); // the inputs' gradients add up: twice what one pass gives
    expect(() => backwardSteps(loss.trace())).toThrow(
      /^backwardSteps: step by step, .* gets the gradient .*, but backward\(\) gave it .*; was the trace taken after one backward\(\) call on its output\?$/,
    );
    const trace = loss.trace();
    const twoOutputs = {
      nodes: [...trace.nodes, { id: "lone", label: "z", op: "", data: 1, grad: 0 }],
      edges: trace.edges,
    };
    expect(() => backwardSteps(twoOutputs)).toThrow(
      "backwardSteps: expected a graph with one output (the value backward() starts from), received 2 nodes that feed nothing",
    );
    const odd = {
      nodes: [
        { id: "a", label: "a", op: "", data: 1, grad: 0 },
        { id: "b", label: "b", op: "sin", data: 0.8, grad: 0 },
      ],
      edges: [{ from: "a", to: "b" }],
    };
    expect(() => backwardSteps(odd)).toThrow(
      /^backwardSteps: no backward rule for the op "sin" \(node b\); expected an op of the engine's Value/,
    );
    expect(() => backwardSteps(null as never)).toThrow(
      "backwardSteps: expected a traced graph { nodes, edges }, such as value.trace(); received null",
    );
  });
});
