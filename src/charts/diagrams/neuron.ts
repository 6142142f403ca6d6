// Geometry of one neuron: inputs → weighted edges → Σ (net sum, with bias) → activation → output.
// Pure numbers, drawn by NeuronDiagram.astro.

/** What {@link neuronLayout} needs (the component's props, with defaults applied there). */
export type NeuronInput = {
  inputs: string[];
  weights?: (string | number)[];
  bias: string | number | false;
  activation: string;
  output: string;
  /** Label the perceptron's four parts under the drawing. */
  parts?: boolean;
};

type Point = { x: number; y: number };

/** The drawing, in viewBox units. */
export type NeuronLayout = {
  width: number;
  height: number;
  inputs: (Point & { text: string })[];
  edges: { from: Point; to: Point; weight?: Point & { text: string } }[];
  bias?: Point & { text: string; to: Point };
  sum: Point & { r: number };
  activation: Point & { w: number; h: number; text: string };
  output: Point & { text: string };
  arrows: { from: Point; to: Point }[];
  parts: (Point & { number: number; text: string })[];
};

/** Lays the neuron out; throws if there are more weights than inputs or no inputs. */
export function neuronLayout(input: NeuronInput): NeuronLayout {
  const { inputs, weights, bias, activation, output, parts } = input;
  if (!Array.isArray(inputs) || inputs.length === 0) {
    throw new TypeError(
      `NeuronDiagram: received inputs ${JSON.stringify(inputs)}; expected a non-empty array of ` +
        'labels, such as ["x₁", "x₂", "x₃"]',
    );
  }
  if (weights !== undefined && weights.length !== inputs.length) {
    throw new RangeError(
      `NeuronDiagram: received ${weights.length} weights for ${inputs.length} inputs; ` +
        "give one weight per input (or leave weights out)",
    );
  }
  const spacing = 62;
  const top = bias === false ? 30 : 96;
  const span = (inputs.length - 1) * spacing;
  const mid = top + Math.max(span, 40) / 2;
  const width = 560;
  const inX = 44;
  const sum = { x: 300, y: mid, r: 32 };
  const nodes = inputs.map((text, i) => ({ x: inX, y: mid - span / 2 + i * spacing, text }));
  const edges = nodes.map((node, i) => {
    const from = { x: node.x + 24, y: node.y };
    const dx = sum.x - from.x;
    const dy = sum.y - from.y;
    const len = Math.hypot(dx, dy);
    const to = { x: sum.x - (dx / len) * sum.r, y: sum.y - (dy / len) * sum.r };
    const w = weights?.[i];
    // the weight sits a third of the way along its edge, where edges are furthest apart
    const t = 0.36;
    const weight =
      w === undefined ? undefined : { x: from.x + dx * t, y: from.y + dy * t, text: String(w) };
    return { from, to, weight };
  });
  const biasNode =
    bias === false
      ? undefined
      : {
          x: sum.x,
          y: sum.y - Math.max(span, 40) / 2 - 62,
          text: String(bias),
          to: { x: sum.x, y: sum.y - sum.r },
        };
  const act = { x: 418, y: mid, w: 76, h: 52, text: activation };
  const out = { x: 522, y: mid, text: output };
  const arrows = [
    { from: { x: sum.x + sum.r, y: mid }, to: { x: act.x - act.w / 2, y: mid } },
    { from: { x: act.x + act.w / 2, y: mid }, to: { x: out.x - 22, y: mid } },
  ];
  const bottom = mid + Math.max(span, 40) / 2 + 40;
  const partLabels = parts
    ? [
        { x: inX + 6, number: 1, text: "Input values" },
        { x: 170, number: 2, text: "Weights and bias" },
        { x: sum.x, number: 3, text: "Net sum" },
        { x: act.x + 16, number: 4, text: "Activation function" },
      ].map((p) => ({ ...p, y: bottom + 12 }))
    : [];
  const height = bottom + (parts ? 34 : 0);
  return {
    width,
    height,
    inputs: nodes,
    edges,
    bias: biasNode,
    sum,
    activation: act,
    output: out,
    arrows,
    parts: partLabels,
  };
}
