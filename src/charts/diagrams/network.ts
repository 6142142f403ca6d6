// Geometry of a fully connected network drawing: columns of nodes, every node joined to every
// node of the next column (networkLayout), and the drawing itself as SVG markup (networkDiagram),
// which NetworkDiagram.astro puts in a figure and a cell can show as it is.
import { fmt, listing } from "../format.ts";
import type { Diagram } from "./neuron.ts";
import { escapeHtml } from "../markup.ts";

/** What {@link networkLayout} needs. */
export type NetworkInput = {
  /** Nodes per layer, input first, such as [6, 4, 4, 1]. */
  layers: number[];
  /** One label per layer. Default "Input layer", "Hidden layer 1", …, "Output layer". */
  labels?: string[];
  /** Optional activations to print in the nodes: values[layer][node]. */
  values?: number[][];
  /** Layers with more nodes show the first and last few with "⋮" between. Default 9. */
  maxNodes?: number;
  /** The drawing's width (viewBox units). Default 560. */
  width?: number;
};

/** A node as drawn. */
export type NodeShape = {
  layer: number;
  index: number;
  x: number;
  y: number;
  r: number;
  text?: string;
};

/** The drawing: sizes in viewBox units, nodes, edges, elisions and column labels. */
export type NetworkLayout = {
  width: number;
  height: number;
  nodes: NodeShape[];
  edges: {
    x1: number;
    y1: number;
    x2: number;
    y2: number;
    /** The nodes it joins: layer and index of each end. */
    from: { layer: number; index: number };
    to: { layer: number; index: number };
  }[];
  ellipses: { x: number; y: number }[];
  columns: { x: number; lines: string[]; kind: "input" | "hidden" | "output" }[];
  /** The baseline of the first line of the column labels. */
  labelTop: number;
};

/** The default label of layer `i` of `count`. */
export function layerLabel(i: number, count: number): string {
  if (i === 0) return "Input layer";
  if (i === count - 1) return "Output layer";
  return count === 3 ? "Hidden layer" : `Hidden layer ${i}`;
}

/** Lays a network out left to right; throws on layer sizes that are not whole numbers ≥ 1. */
export function networkLayout(input: NetworkInput): NetworkLayout {
  const { layers, labels, values, maxNodes = 9, width = 560 } = input;
  const sizes = Array.isArray(layers) && layers.every((n) => Number.isInteger(n) && n >= 1);
  if (!sizes || layers.length < 2) {
    throw new TypeError(
      `NetworkDiagram: received layers ${JSON.stringify(layers)}; expected at least two whole ` +
        "numbers ≥ 1, the nodes per layer from input to output, such as [6, 4, 4, 1]",
    );
  }
  if (labels !== undefined && labels.length !== layers.length) {
    throw new RangeError(
      `NetworkDiagram: received ${labels.length} labels for ${layers.length} layers; ` +
        "give one label per layer",
    );
  }
  const shown = layers.map((n) => Math.min(n, maxNodes));
  const tallest = Math.max(...shown);
  const spacing = values ? 50 : 44;
  const r = values ? 21 : 16;
  if (!(Number.isFinite(width) && width >= 240)) {
    throw new RangeError(
      `NetworkDiagram: received width ${JSON.stringify(width)}; expected a number ≥ 240 ` +
        "(the drawing's width; leave it out for 560)",
    );
  }
  const margin = 66;
  const top = 24;
  const bodyHeight = (tallest - 1) * spacing;
  const colGap = (width - 2 * margin) / (layers.length - 1);
  const nodes: NodeShape[] = [];
  const ellipses: { x: number; y: number }[] = [];
  layers.forEach((n, layer) => {
    const x = margin + layer * colGap;
    const k = shown[layer];
    const y0 = top + (bodyHeight - (k - 1) * spacing) / 2;
    // A long layer keeps its first and last nodes; the middle slot becomes "⋮".
    const elided = n > k;
    const head = Math.ceil((k - 1) / 2);
    for (let slot = 0; slot < k; slot++) {
      const y = y0 + slot * spacing;
      if (elided && slot === head) {
        ellipses.push({ x, y });
        continue;
      }
      const index = elided && slot > head ? n - (k - slot) : slot;
      const value = values?.[layer]?.[index];
      nodes.push({ layer, index, x, y, r, text: value === undefined ? undefined : fmt(value, 2) });
    }
  });
  const edges = nodes.flatMap((a) =>
    nodes
      .filter((b) => b.layer === a.layer + 1)
      .map((b) => {
        const dx = b.x - a.x;
        const dy = b.y - a.y;
        const len = Math.hypot(dx, dy);
        return {
          x1: a.x + (dx / len) * a.r,
          y1: a.y + (dy / len) * a.r,
          x2: b.x - (dx / len) * b.r,
          y2: b.y - (dy / len) * b.r,
          from: { layer: a.layer, index: a.index },
          to: { layer: b.layer, index: b.index },
        };
      }),
  );
  const columns = layers.map((n, i) => {
    const base = labels?.[i] ?? layerLabel(i, layers.length);
    // An elided layer names its size, unless its label already does ("784 pixels").
    const counted = new RegExp(`(^|\\D)${n}(\\D|$)`).test(base);
    const text = n > shown[i] && !counted ? `${base} (${n})` : base;
    const kind: "input" | "hidden" | "output" =
      i === 0 ? "input" : i === layers.length - 1 ? "output" : "hidden";
    // about 8.5 units per character at the label's 14px size
    return { x: margin + i * colGap, lines: wrap(text, Math.floor(colGap / 8.5)), kind };
  });
  const labelTop = top + bodyHeight + r + 26;
  const height = labelTop + (Math.max(...columns.map((c) => c.lines.length)) - 1) * 18 + 10;
  return { width, height, labelTop, nodes, edges, ellipses, columns };
}

// Splits a label at spaces into lines of at most `max` characters (a long word stays whole); a
// last line of one or two characters ("1" of "Hidden layer 1") takes the word before it along.
function wrap(text: string, max: number): string[] {
  const lines: string[] = [];
  for (const word of text.split(" ")) {
    const last = lines[lines.length - 1];
    if (last !== undefined && (last + " " + word).length <= max) {
      lines[lines.length - 1] = `${last} ${word}`;
    } else {
      lines.push(word);
    }
  }
  const [before, orphan] = [lines.at(-2), lines.at(-1)];
  if (before?.includes(" ") && orphan !== undefined && orphan.length <= 2) {
    const cut = before.lastIndexOf(" ");
    lines.splice(-2, 2, before.slice(0, cut), `${before.slice(cut + 1)} ${orphan}`);
  }
  return lines;
}

/** What {@link networkDiagram} draws: a layout's input, and a neuron to point at. */
export type NetworkDiagramInput = NetworkInput & {
  /**
   * A node to highlight, with the connections into it: `layer` counts from 0 (the inputs),
   * `node` from 0 within its layer. It gets a ring and its connections the accent colour.
   */
  highlight?: { layer: number; node: number };
};

/** A diagram as a cell shows it (the same type as neuronDiagram's). */
export type { Diagram };

// The accent that marks a highlighted node and its connections, on both themes.
const ACCENT = "var(--sl-color-text-accent)";

/**
 * The network drawn as SVG (the classes are styled by src/styles/figures.css, which every chapter
 * page loads), with a text alternative that names the layers, the values printed in the nodes
 * and the highlighted node. One drawing for both: NetworkDiagram.astro puts it in a figure, a
 * cell shows `{ svg, alt }` as it is.
 *
 * @example
 * networkDiagram({ layers: [6, 4, 4, 1], highlight: { layer: 1, node: 0 } })
 */
export function networkDiagram(input: NetworkDiagramInput): Diagram {
  const layout = networkLayout(input);
  const { layers, labels, values, highlight } = input;
  const nameOf = (i: number) => labels?.[i] ?? layerLabel(i, layers.length);
  if (highlight !== undefined) {
    const { layer, node } = highlight ?? {};
    const fits =
      Number.isInteger(layer) &&
      layer >= 0 &&
      layer < layers.length &&
      Number.isInteger(node) &&
      node >= 0 &&
      node < layers[layer];
    if (!fits) {
      throw new RangeError(
        `networkDiagram: received highlight ${JSON.stringify(highlight)}; expected ` +
          `{ layer, node } with layer from 0 to ${layers.length - 1} and node from 0 to one ` +
          "less than that layer's size (both count from 0; layer 0 is the input)",
      );
    }
  }
  const lit = (at: { layer: number; index: number }) =>
    highlight !== undefined && at.layer === highlight.layer && at.index === highlight.node;

  const connections = layers.slice(1).reduce((sum, n, i) => sum + n * layers[i], 0);
  const shown = (values ?? [])
    .map((row, i) => ({ row: (row ?? []).filter((v) => v !== undefined && v !== null), i }))
    .filter(({ row, i }) => row.length > 0 && i < layers.length)
    .map(({ row, i }) => `${nameOf(i)}: ${row.map((v) => fmt(v, 2)).join(", ")}`);
  const alt =
    `A fully connected network with ${layers.length} layers: ` +
    listing(layers.map((n, i) => `${nameOf(i)} (${n} node${n === 1 ? "" : "s"})`)) +
    `. Every node is joined to every node of the next layer: ${connections} connections.` +
    (shown.length ? ` Values in the nodes: ${shown.join("; ")}.` : "") +
    (highlight === undefined ? "" : highlightSentence(highlight, layers, nameOf, values));

  const edge = (e: NetworkLayout["edges"][number], style = "") =>
    `<line x1="${num(e.x1)}" y1="${num(e.y1)}" x2="${num(e.x2)}" y2="${num(e.y2)}"${style} />`;
  const into = layout.edges.filter((e) => lit(e.to));
  const others = layout.edges.filter((e) => !lit(e.to));
  const node = (n: NodeShape) => {
    const kind = layout.columns[n.layer].kind;
    const on = lit(n);
    return (
      `<g class="nn-node nn-node--${kind}${on ? " nn-node--highlight" : ""}">` +
      (on
        ? `<circle cx="${num(n.x)}" cy="${num(n.y)}" r="${num(n.r + 5)}" ` +
          `style="fill: none; stroke: ${ACCENT}; stroke-width: 2; stroke-dasharray: 4 3" />`
        : "") +
      `<circle cx="${num(n.x)}" cy="${num(n.y)}" r="${num(n.r)}"` +
      (on ? ` style="stroke: ${ACCENT}; stroke-width: 3.5"` : "") +
      " />" +
      (n.text !== undefined
        ? `<text x="${num(n.x)}" y="${num(n.y)}" class="nn-node__value">${escapeHtml(n.text)}</text>`
        : "") +
      "</g>"
    );
  };
  const label = (c: NetworkLayout["columns"][number]) =>
    `<text class="nn-network__label nn-network__label--${c.kind}" y="${num(layout.labelTop)}">` +
    c.lines
      .map((line, i) => `<tspan x="${num(c.x)}" dy="${i === 0 ? 0 : 18}">${escapeHtml(line)}</tspan>`)
      .join("") +
    "</text>";
  // Drawn at a width of its own, it is not scaled up past it (the figures' style fills the column).
  const size = input.width === undefined ? "" : ` style="max-width: ${layout.width}px"`;
  const svg =
    `<svg class="nn-diagram nn-network" viewBox="0 0 ${layout.width} ${num(layout.height)}" ` +
    `width="${layout.width}" height="${num(layout.height)}"${size} role="img" aria-label="${escapeHtml(alt)}">` +
    `<title>${escapeHtml(alt)}</title>` +
    `<g class="nn-network__edges">${others.map((e) => edge(e)).join("")}</g>` +
    (into.length
      ? `<g class="nn-network__edges nn-network__edges--highlight">` +
        into.map((e) => edge(e, ` style="stroke: ${ACCENT}; stroke-width: 2.5"`)).join("") +
        "</g>"
      : "") +
    layout.nodes.map(node).join("") +
    layout.ellipses
      .map((p) => `<text x="${num(p.x)}" y="${num(p.y)}" class="nn-network__ellipsis">⋮</text>`)
      .join("") +
    layout.columns.map(label).join("") +
    "</svg>";
  return { svg, alt };
}

// " Highlighted: neuron 2 of Hidden layer 1 (value 0.12), fed by the 6 nodes of Input layer."
function highlightSentence(
  { layer, node }: { layer: number; node: number },
  layers: number[],
  nameOf: (i: number) => string,
  values: number[][] | undefined,
): string {
  const value = values?.[layer]?.[node];
  const what = layer === 0 ? "input" : "neuron";
  const at = layers[layer] === 1 ? nameOf(layer) : `${what} ${node + 1} of ${nameOf(layer)}`;
  const shown = value === undefined || value === null ? "" : ` (value ${fmt(value, 2)})`;
  const fed =
    layer === 0 ? "" : `, with its ${layers[layer - 1]} connections from ${nameOf(layer - 1)}`;
  return ` Highlighted: ${at}${shown}${fed}.`;
}

// Coordinates with at most two decimals: short markup, the same drawing.
function num(value: number): string {
  return String(Math.round(value * 100) / 100);
}

