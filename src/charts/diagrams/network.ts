// Geometry of a fully connected network drawing: columns of nodes, every node joined to every
// node of the next column. Pure numbers, drawn by NetworkDiagram.astro.
import { fmt } from "../format.ts";

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
  edges: { x1: number; y1: number; x2: number; y2: number }[];
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
  const { layers, labels, values, maxNodes = 9 } = input;
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
  const width = 560;
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

// Splits a label at spaces into lines of at most `max` characters (a long word stays whole).
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
  return lines;
}
