// One neuron: inputs → weighted edges → Σ (net sum, with bias) → activation → output.
// `neuronLayout` places it (pure numbers); `neuronDiagram` draws it as SVG markup with its text
// alternative. NeuronDiagram.astro and the cells show the same drawing.
import { fmt, listing } from "../format.ts";
import { palette } from "../theme.ts";
import { escapeHtml } from "../markup.ts";

/** What {@link neuronLayout} needs (the component's props, with defaults applied there). */
export type NeuronInput = {
  inputs: string[];
  weights?: (string | number)[];
  bias: string | number | false;
  /** The activation's name, or false for none (the net sum is then the output). */
  activation: string | false;
  output: string;
  /** Label the perceptron's four parts under the drawing. */
  parts?: boolean;
  /** The inputs' values: written in the input nodes, with the labels beside them. */
  values?: number[];
  /** The output's value: written in the output node, with its label under it. */
  result?: number;
};

type Point = { x: number; y: number };

/** The drawing, in viewBox units. */
export type NeuronLayout = {
  width: number;
  height: number;
  /** `text` goes in the node; `name`, when there is one, beside it. */
  inputs: (Point & { text: string; name?: string })[];
  edges: { from: Point; to: Point; weight?: Point & { text: string } }[];
  bias?: Point & { text: string; to: Point; name?: string };
  sum: Point & { r: number };
  activation?: Point & { w: number; h: number; text: string };
  output: Point & { text: string; name?: string };
  arrows: { from: Point; to: Point }[];
  parts: (Point & { number: number; text: string })[];
  /** Where a key under the drawing can start (its top). */
  bottom: number;
};

/** Lays the neuron out; throws if there are more weights than inputs or no inputs. */
export function neuronLayout(input: NeuronInput): NeuronLayout {
  const { inputs, weights, bias, activation, output, parts, values, result } = input;
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
  if (values !== undefined && (values.length !== inputs.length || !values.every(Number.isFinite))) {
    throw new RangeError(
      `NeuronDiagram: received values ${JSON.stringify(values)} for ${inputs.length} inputs; ` +
        "give one finite number per input (or leave values out)",
    );
  }
  if (result !== undefined && !Number.isFinite(result)) {
    throw new TypeError(
      `NeuronDiagram: received result ${JSON.stringify(result)}; expected a finite number`,
    );
  }
  const spacing = 62;
  const top = bias === false ? 30 : 96;
  const span = (inputs.length - 1) * spacing;
  const mid = top + Math.max(span, 40) / 2;
  // values in the nodes: the labels need room on the left, and the edges can be shorter
  const inX = values ? 66 : 44;
  const sum = { x: values ? 296 : 300, y: mid, r: 32 };
  const nodes = inputs.map((label, i) => ({
    x: inX,
    y: mid - span / 2 + i * spacing,
    text: values ? fmt(values[i]) : label,
    ...(values ? { name: label } : {}),
  }));
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
          text: typeof bias === "number" ? fmt(bias) : bias,
          to: { x: sum.x, y: sum.y - sum.r },
          ...(typeof bias === "number" ? { name: "b" } : {}),
        };
  const act =
    activation === false ? undefined : { x: sum.x + 118, y: mid, w: 76, h: 52, text: activation };
  const out = {
    x: act ? act.x + 104 : sum.x + sum.r + 96,
    y: mid,
    text: result === undefined ? output : fmt(result),
    ...(result === undefined ? {} : { name: output }),
  };
  const arrows = act
    ? [
        { from: { x: sum.x + sum.r, y: mid }, to: { x: act.x - act.w / 2, y: mid } },
        { from: { x: act.x + act.w / 2, y: mid }, to: { x: out.x - 22, y: mid } },
      ]
    : [{ from: { x: sum.x + sum.r, y: mid }, to: { x: out.x - 22, y: mid } }];
  const bottom = mid + Math.max(span, 40) / 2 + 40;
  const width = out.x + 38;
  // Under its part, kept inside the drawing (about 8 px a character at the figures' 15 px type);
  // on two rows, so that neighbours never run into each other.
  const partLabels =
    parts && act
      ? [
          { x: inX + 6, number: 1, text: "Input values" },
          { x: 170, number: 2, text: "Weights and bias" },
          { x: sum.x, number: 3, text: "Net sum" },
          { x: act.x + 16, number: 4, text: "Activation function" },
        ].map((p, k) => {
          const half = ((p.text.length + 3) * 8) / 2;
          const x = Math.min(Math.max(p.x, half + 2), width - half - 2);
          return { ...p, x, y: bottom + 12 + (k % 2) * 22 };
        })
      : [];
  const height = bottom + (partLabels.length > 0 ? 56 : 0);
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
    bottom: height,
  };
}

/** Options of {@link neuronDiagram}: the NeuronDiagram component's props. */
export type NeuronDiagramOptions = {
  /** Input labels. Default ["x₁", "x₂", "x₃"]. */
  inputs?: string[];
  /**
   * One weight per input, written on its edge. A number also sets the edge's look: its colour
   * says the sign (blue positive, orange negative), its width the size; a 0 is a dotted line.
   */
  weights?: (string | number)[];
  /** The bias: a label, a number, or false for none. Default "b". */
  bias?: string | number | false;
  /** The activation function's name, or false for none (the net sum is the output). Default "f". */
  activation?: string | false;
  /** The output's label. Default "a". */
  output?: string;
  /** The inputs' values, written in their nodes (the labels go beside them). */
  values?: number[];
  /** The output's value, written in its node. */
  result?: number;
  /** Number and name the perceptron's four parts under the drawing. Default false. */
  parts?: boolean;
};

/** A diagram: SVG markup (with its own role="img" and label) and its text alternative. */
export type Diagram = { svg: string; alt: string };

const positive = palette.class1;
const negative = palette.class0;

/**
 * One neuron as SVG: inputs → weighted edges → Σ (the net sum, with the bias) → activation →
 * output. With numbers for weights, each edge shows its weight: colour for the sign, width for
 * the size. The alt text says all of it in words, from the same numbers.
 *
 * @example
 * neuronDiagram({ inputs: ["x₁", "x₂"], values: [1, 2], weights: [0.5, -1], bias: 0,
 *   activation: false, output: "a", result: -1.5 })
 */
export function neuronDiagram(options: NeuronDiagramOptions = {}): Diagram {
  const {
    inputs = ["x₁", "x₂", "x₃"],
    weights,
    bias = "b",
    activation = "f",
    output = "a",
    values,
    result,
    parts = false,
  } = options ?? {};
  if (weights !== undefined && !Array.isArray(weights)) {
    throw new TypeError(
      `neuronDiagram: received weights ${JSON.stringify(weights)}; expected one label or ` +
        "number per input, such as [0.5, -1]",
    );
  }
  const bad = weights?.find((w) => typeof w === "number" && !Number.isFinite(w));
  if (bad !== undefined) {
    throw new TypeError(
      `neuronDiagram: received the weight ${String(bad)}; expected finite numbers (or labels)`,
    );
  }
  // A number is written with its name: "w₁ = −1"; a label as it is.
  const weightText = weights?.map((w, i) =>
    typeof w === "number" ? `w${subscript(i + 1)} = ${fmt(w)}` : w,
  );
  const layout = neuronLayout({
    inputs,
    weights: weightText,
    bias,
    activation,
    output,
    parts,
    values,
    result,
  });
  const numeric = weights?.some((w) => typeof w === "number") ?? false;
  const key = numeric ? weightKey(layout.bottom) : null;
  const height = key ? key.bottom : layout.height;
  const alt = neuronAlt({ inputs, weights, bias, activation, output, values, result, parts });

  const edges = layout.edges.map((e, i) => {
    const w = weights?.[i];
    const look = typeof w === "number" ? ` style="${edgeStyle(w)}"` : "";
    return `<line class="nn-edge"${look} ${line(e.from, e.to)}/>`;
  });
  const edgeLabels = layout.edges.flatMap((e) =>
    e.weight ? [text("nn-edge__label", e.weight.x, e.weight.y - 12, e.weight.text, 14)] : [],
  );
  const inputNodes = layout.inputs.map(
    (n) =>
      `<g class="nn-node nn-node--input"><circle cx="${n.x}" cy="${n.y}" r="22"/>` +
      text("nn-node__text", n.x, n.y, n.text) +
      (n.name ? text("nn-node__name", n.x - 42, n.y, n.name) : "") +
      "</g>",
  );
  const b = layout.bias;
  const biasNode = b
    ? `<g class="nn-node nn-node--bias">` +
      `<line class="nn-edge" ${line({ x: b.x, y: b.y + 18 }, b.to)}/>` +
      `<circle cx="${b.x}" cy="${b.y}" r="18"/>` +
      (b.name ? text("nn-node__value", b.x, b.y, b.text, 12) : text("nn-node__text", b.x, b.y, b.text)) +
      text("nn-note nn-note--start", b.x + 26, b.y, b.name ? `bias ${b.name}` : "bias", 13, "start") +
      "</g>"
    : "";
  const { sum } = layout;
  const sumNode =
    `<g class="nn-node nn-node--sum"><circle cx="${sum.x}" cy="${sum.y}" r="${sum.r}"/>` +
    text("nn-node__text nn-node__text--big", sum.x, sum.y, "Σ", 26) +
    text("nn-note", sum.x, sum.y + sum.r + 16, "net sum z", 13) +
    "</g>";
  const arrows = layout.arrows.map(
    (a) =>
      `<g class="nn-arrow"><line ${line(a.from, { x: a.to.x - 8, y: a.to.y })}/>` +
      `<path d="M${a.to.x},${a.to.y}l-9,-5v10z"/></g>`,
  );
  const act = layout.activation;
  const actNode = act
    ? `<g class="nn-node nn-node--activation"><rect x="${act.x - act.w / 2}" ` +
      `y="${act.y - act.h / 2}" width="${act.w}" height="${act.h}" rx="10"/>` +
      text("nn-node__text", act.x, act.y, act.text) +
      text("nn-note", act.x, act.y + act.h / 2 + 16, "activation", 13) +
      "</g>"
    : "";
  const out = layout.output;
  const outNode =
    `<g class="nn-node nn-node--output"><circle cx="${out.x}" cy="${out.y}" r="22"/>` +
    text("nn-node__text", out.x, out.y, out.text) +
    (out.name ? text("nn-note", out.x, out.y + 38, `output ${out.name}`, 13) : "") +
    "</g>";
  const partLabels = layout.parts.map((p) =>
    text("nn-part", p.x, p.y, `${p.number}. ${p.text}`, 13),
  );
  const svg =
    `<svg class="nn-diagram nn-neuron" viewBox="0 0 ${layout.width} ${height}" ` +
    `width="${layout.width}" height="${height}" role="img" aria-label="${escapeHtml(alt)}" ` +
    `style="max-width:100%;height:auto">` +
    `<title>${escapeHtml(alt)}</title>` +
    [
      ...edges,
      ...edgeLabels,
      ...inputNodes,
      biasNode,
      sumNode,
      ...arrows,
      actNode,
      outNode,
      ...partLabels,
      key?.svg ?? "",
    ].join("") +
    "</svg>";
  return { svg, alt };
}

/** The neuron in words: what goes in, with which weights, and what comes out. */
function neuronAlt(o: NeuronDiagramOptions & NeuronInput): string {
  const { inputs, weights, bias, activation, output, values, result, parts } = o;
  const numeric = weights?.some((w) => typeof w === "number") ?? false;
  const named = values ? inputs.map((x, i) => `${x} = ${fmt(values[i])}`) : inputs;
  const biasWords =
    bias === false ? "" : typeof bias === "number" ? ` the bias b = ${fmt(bias)}` : ` the bias ${bias}`;
  const outWords = result === undefined ? output : `${output} = ${fmt(result)}`;
  const ending =
    activation === false
      ? `the net sum z, passed on unchanged as the output ${outWords}.`
      : `the net sum Σ, which the activation function ${activation} turns into the output ` +
        `${outWords}.`;
  if (!numeric) {
    const weighted = weights
      ? `, each multiplied by its weight (${listing(weights.map(String))})`
      : ", each multiplied by a weight";
    const partsNamed = parts
      ? " The four parts are labelled: input values, weights and bias, net sum, activation function."
      : "";
    return (
      `A neuron: inputs ${listing(named)}${weighted}, are added` +
      `${biasWords ? ` together with${biasWords}` : ""} into ${ending}${partsNamed}`
    );
  }
  const edges = inputs.map((x, i) => {
    const w = weights?.[i];
    if (typeof w !== "number") return `The edge from ${x} carries the weight ${String(w)}.`;
    const name = `w${subscript(i + 1)} = ${fmt(w)}`;
    const look =
      w === 0
        ? "a dotted grey line: the input is ignored"
        : `${w > 0 ? "positive: blue" : "negative: orange"}, ${thickness(w)}`;
    return `The edge from ${x} carries ${name} (${look}).`;
  });
  return (
    `A neuron with inputs ${listing(named)}. ${edges.join(" ")} ` +
    "An edge's colour shows its weight's sign, its width the weight's size. " +
    `The inputs times their weights${biasWords ? `, plus${biasWords},` : ""} add up to ${ending}`
  );
}

function thickness(w: number): string {
  const size = Math.abs(w);
  if (size < 0.4) return "thin";
  if (size < 0.9) return "of medium width";
  return size < 1.5 ? "thick" : "very thick";
}

/** The edge's look for a weight: the sign's colour; width grows with the size; 0 dotted. */
function edgeStyle(w: number): string {
  if (w === 0) return "stroke:var(--nn-edge,#8b8b8b);stroke-width:1.5;stroke-dasharray:2 5";
  const width = Math.min(8, 1.5 + 2.5 * Math.abs(w));
  return `stroke:${w > 0 ? positive : negative};stroke-width:${fmt(width)}`;
}

/** The key to the edges' look, one line under the drawing. */
function weightKey(top: number): { svg: string; bottom: number } {
  const y = top + 6;
  const items: [string, string][] = [
    [edgeStyle(1), "w > 0"],
    [edgeStyle(-1), "w < 0"],
    [edgeStyle(0), "w = 0"],
  ];
  let x = 20;
  const parts = items.map(([style, label]) => {
    const part =
      `<line style="${style}" x1="${x}" y1="${y}" x2="${x + 26}" y2="${y}"/>` +
      text("nn-note nn-note--start", x + 32, y, label, 13, "start");
    x += 32 + label.length * 7 + 18;
    return part;
  });
  const thicker = text("nn-note nn-note--start", x, y, "thicker: a larger weight", 13, "start");
  return { svg: `<g class="nn-key">${parts.join("")}${thicker}</g>`, bottom: y + 16 };
}

function line(from: Point, to: Point): string {
  return `x1="${round(from.x)}" y1="${round(from.y)}" x2="${round(to.x)}" y2="${round(to.y)}"`;
}

// Text with fallback presentation attributes: the book's stylesheet sets the same, and wins.
function text(
  cls: string,
  x: number,
  y: number,
  content: string,
  size = 15,
  anchor: "middle" | "start" = "middle",
): string {
  return (
    `<text class="${cls}" x="${round(x)}" y="${round(y)}" font-size="${size}" ` +
    `text-anchor="${anchor}" dominant-baseline="central" fill="currentColor">` +
    `${escapeHtml(content)}</text>`
  );
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}

function subscript(n: number): string {
  return String(n).replace(/\d/g, (d) => "₀₁₂₃₄₅₆₇₈₉"[Number(d)]);
}

