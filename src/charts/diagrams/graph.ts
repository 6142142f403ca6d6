// A computation graph (the trace of Value.trace()) as a diagram: a DAG of boxes, each with its
// value and gradient, left to right or bottom up. graphLayout is the geometry (pure numbers);
// computationGraph draws it as SVG markup with its text alternative, for a cell or for
// ComputationGraph.astro: one drawing, wherever it shows.
import { fmt, listing, plural } from "../format.ts";
import type { Diagram } from "./neuron.ts";
import { escapeHtml } from "../markup.ts";

/**
 * A traced node, as `Value.trace()` returns it. `grad` may be null: not known yet (a backward
 * pass drawn step by step).
 */
export type TraceNode = {
  id: string;
  label: string;
  op: string;
  data: number;
  grad: number | null;
};
/** A traced edge, from operand to result. */
export type TraceEdge = { from: string; to: string };
/** A traced graph: its nodes, inputs first, and its edges. */
export type Trace = { nodes: TraceNode[]; edges: TraceEdge[] };

/** Options of {@link graphLayout} and {@link computationGraph}. */
export type GraphOptions = {
  /** Print each node's gradient under its value. Default true. */
  showGrad?: boolean;
  /**
   * Which way the forward pass reads: "right" (operands on the left, the default) or "up"
   * (operands below, the output on top: tall and narrow, for a phone's width).
   */
  direction?: "right" | "up";
  /** Decimals printed for values and gradients. Default 4. */
  digits?: number;
  /** What to mark. */
  highlight?: {
    /** An edge the gradient is crossing: drawn bold, going back from its result to its operand. */
    edge?: TraceEdge;
    /** Nodes to outline. */
    nodes?: string[];
    /** A short text written on the highlighted edge, such as "× 0.6". */
    label?: string;
  };
  /** Edges the backward pass has crossed so far: drawn as thin arrows going back. */
  backward?: TraceEdge[];
};

/** A node as drawn: its box, and its op's tag (if it has an op). */
export type GraphBox = TraceNode & {
  x: number;
  y: number;
  w: number;
  h: number;
  /** Its level: 0 for the leaves furthest from the output, one more per op. */
  column: number;
  opText: string;
  /** Width of the op's tag, on the box's top-left corner ("right") or bottom edge ("up"). */
  opW: number;
  lines: string[];
  /** The value as an expression of labelled values, such as "σ((x × w) + b)". */
  expression: string;
};

/** An edge as drawn: the curve from operand to result, and its arrowhead. */
export type GraphEdge = TraceEdge & {
  d: string;
  head: string;
  /** The same curve going back (result to operand), set beside it, and its arrowhead. */
  back: string;
  backHead: string;
  /** Where a label on the edge goes. */
  mid: { x: number; y: number };
};

/** The drawing, in viewBox units. */
export type GraphLayout = {
  width: number;
  height: number;
  direction: "right" | "up";
  boxes: GraphBox[];
  edges: GraphEdge[];
};

// Ops as the diagram writes them (the engine already uses most of these symbols).
const opNames: Record<string, string> = {
  "*": "×",
  mul: "×",
  add: "+",
  sub: "−",
  div: "÷",
  neg: "−",
  pow: "^",
};
const opName = (op: string) => opNames[op] ?? op;

// Sizes per direction: box width, the gap between levels and between boxes of one level, the
// line pitch, and where the label and the first line of numbers sit in a box.
const sizes = {
  right: { boxW: 108, levelGap: 56, gap: 18, lineH: 17, pad: 16, label: 20, first: 38 },
  up: { boxW: 88, levelGap: 36, gap: 24, lineH: 15, pad: 13, label: 12, first: 27 },
};
const margin = 14; // room for the op tags that stick out of the first column and the top row

function checkGraph(graph: Trace): void {
  const valid = graph && Array.isArray(graph.nodes) && Array.isArray(graph.edges);
  if (!valid || graph.nodes.length === 0) {
    throw new TypeError(
      "ComputationGraph: expected graph = " +
        "{ nodes: [{ id, label, op, data, grad }], edges: [{ from, to }] }, " +
        "such as value.trace(); received " +
        (graph && Array.isArray(graph.nodes) ? "no nodes" : typeof graph),
    );
  }
  const ids = new Set(graph.nodes.map((n) => n.id));
  for (const e of graph.edges) {
    if (!ids.has(e.from) || !ids.has(e.to)) {
      throw new RangeError(
        `ComputationGraph: edge ${JSON.stringify(e)} names a node that is not in graph.nodes`,
      );
    }
  }
}

/** Each node's operands and users, in the order of the edges. */
export function neighbours(graph: Trace) {
  const operands = new Map<string, string[]>(graph.nodes.map((n) => [n.id, []]));
  const users = new Map<string, string[]>(graph.nodes.map((n) => [n.id, []]));
  for (const e of graph.edges) {
    operands.get(e.to)!.push(e.from);
    users.get(e.from)!.push(e.to);
  }
  return { operands, users };
}

/**
 * Each node's value written with the labelled ones: its label, or its op applied to its
 * operands ("w₁₁ × x₁", "tanh(z₁)"). A labelled node that an op made is written as that op
 * when `own` is true (what the box of the node itself says).
 */
export function expressions(graph: Trace): {
  named: Map<string, string>;
  own: Map<string, string>;
} {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const { operands } = neighbours(graph);
  // A value written as an operand: its label, or its expression, in parentheses where a
  // product or a power would otherwise bind it wrongly.
  const named = new Map<string, { text: string; sum: boolean }>();
  const name = (id: string): { text: string; sum: boolean } => {
    const known = named.get(id);
    if (known !== undefined) return known;
    const n = byId.get(id)!;
    const written =
      n.label || operands.get(id)!.length === 0
        ? { text: n.label || fmt(n.data, 4), sum: /\s/.test(n.label) }
        : write(n);
    named.set(id, written);
    return written;
  };
  const write = (n: TraceNode): { text: string; sum: boolean } => {
    const args = operands.get(n.id)!.map(name);
    const op = opName(n.op);
    const tight = (a: { text: string; sum: boolean }) => (a.sum ? `(${a.text})` : a.text);
    if (args.length === 0) return { text: n.label || fmt(n.data, 4), sum: false };
    if (args.length === 2) {
      const sum = op === "+" || op === "−";
      return {
        text: `${sum ? args[0].text : tight(args[0])} ${op} ${sum ? args[1].text : tight(args[1])}`,
        sum,
      };
    }
    // a constant op reads as written: "ŷ − 1", "a^2", "x × 0.5"
    const constant = /^([+−×÷^]) ?(.+)$/.exec(op);
    if (constant && args.length === 1) {
      const sum = constant[1] === "+" || constant[1] === "−";
      const arg = sum ? args[0].text : tight(args[0]);
      return { text: constant[1] === "^" ? `${arg}${op}` : `${arg} ${op}`, sum };
    }
    return { text: `${op}(${args.map((a) => a.text).join(", ")})`, sum: false };
  };
  const own = new Map(graph.nodes.map((n) => [n.id, write(n).text]));
  return { named: new Map(graph.nodes.map((n) => [n.id, name(n.id).text])), own };
}

/**
 * Lays a DAG out in levels: a result sits one level after its deepest operand; a leaf (no
 * operands) sits just before the first node that uses it, or one level further out if it feeds
 * several nodes (so its arrows fan out). Within a level, nodes keep the order of a depth-first
 * walk from the outputs, so operands stay near their result. Levels run left to right
 * (`direction: "right"`) or bottom up (`"up"`: the output on top).
 */
export function graphLayout(graph: Trace, options: boolean | GraphOptions = {}): GraphLayout {
  const {
    showGrad = true,
    direction = "right",
    digits = 4,
  } = typeof options === "boolean" ? { showGrad: options } : options;
  if (direction !== "right" && direction !== "up") {
    throw new RangeError(
      `ComputationGraph: invalid direction ${JSON.stringify(direction)} (expected "right" or "up")`,
    );
  }
  checkGraph(graph);
  const { operands, users } = neighbours(graph);
  // longest path from the leaves gives each result its level
  const column = new Map<string, number>();
  const depth = (id: string, seen: Set<string> = new Set()): number => {
    if (column.has(id)) return column.get(id)!;
    if (seen.has(id)) {
      throw new RangeError(`ComputationGraph: the graph has a cycle through node "${id}"`);
    }
    seen.add(id);
    const ops = operands.get(id)!;
    const d = ops.length === 0 ? 0 : 1 + Math.max(...ops.map((o) => depth(o, seen)));
    column.set(id, d);
    return d;
  };
  for (const n of graph.nodes) depth(n.id);
  // leaves move next to their first user; a shared leaf one level further out
  for (const n of graph.nodes) {
    const used = new Set(users.get(n.id)!);
    if (operands.get(n.id)!.length === 0 && used.size > 0) {
      const first = Math.min(...[...used].map((u) => column.get(u)!));
      column.set(n.id, first - (used.size > 1 ? 2 : 1));
    }
  }
  const lowest = Math.min(...column.values());
  for (const [id, c] of column) column.set(id, c - lowest);
  // depth-first order from the outputs
  const order = new Map<string, number>();
  const visit = (id: string) => {
    if (order.has(id)) return;
    for (const o of operands.get(id)!) visit(o);
    order.set(id, order.size);
  };
  for (const n of graph.nodes) if (users.get(n.id)!.length === 0) visit(n.id);
  for (const n of graph.nodes) visit(n.id);

  const size = sizes[direction];
  const levels = Math.max(...column.values()) + 1;
  const h = (showGrad ? 3 : 2) * size.lineH + size.pad;
  const groups = Array.from({ length: levels }, (_, c) =>
    graph.nodes
      .filter((n) => column.get(n.id) === c)
      .sort((a, b) => order.get(a.id)! - order.get(b.id)!),
  );
  const widest = Math.max(...groups.map((g) => g.length));
  const { own } = expressions(graph);
  const place = (c: number, i: number, count: number): { x: number; y: number } => {
    if (direction === "right") {
      // the column is centred vertically
      const height = widest * (h + size.gap) + size.gap + margin;
      const free = height - margin - count * (h + size.gap) + size.gap;
      return {
        x: margin + c * (size.boxW + size.levelGap),
        y: margin + free / 2 + i * (h + size.gap),
      };
    }
    // the row is centred horizontally; the last level (the output) is the top row
    const width = widest * (size.boxW + size.gap) - size.gap;
    const row = width - (count * (size.boxW + size.gap) - size.gap);
    return {
      x: margin + row / 2 + i * (size.boxW + size.gap),
      y: margin + (levels - 1 - c) * (h + size.levelGap),
    };
  };
  const grad = (g: number | null) => (g === null ? "grad ?" : `grad ${fmt(g, digits)}`);
  const boxes: GraphBox[] = groups.flatMap((group, c) =>
    group.map((n, i) => {
      const lines = [`data ${fmt(n.data, digits)}`, ...(showGrad ? [grad(n.grad)] : [])];
      const opText = opName(n.op);
      return {
        ...n,
        ...place(c, i, group.length),
        w: size.boxW,
        h,
        column: c,
        opText,
        opW: Math.max(24, 8.5 * [...opText].length + 14),
        lines,
        expression: own.get(n.id)!,
      };
    }),
  );
  const boxOf = new Map(boxes.map((b) => [b.id, b]));
  const edges =
    direction === "right"
      ? graph.edges.map((e) => rightEdge(e, boxOf.get(e.from)!, boxOf.get(e.to)!))
      : upEdges(graph.edges, boxOf, groups, size.gap);
  const width =
    direction === "right"
      ? margin + levels * (size.boxW + size.levelGap) - size.levelGap + 4
      : 2 * margin + widest * (size.boxW + size.gap) - size.gap;
  const height =
    direction === "right"
      ? widest * (h + size.gap) + size.gap + margin
      : 2 * margin + levels * (h + size.levelGap) - size.levelGap + 12;
  return { width, height, direction, boxes, edges };
}

// Left to right: a curve from the operand's right side into the result's left side, and the same
// curve going back, under it.
function rightEdge(e: TraceEdge, a: GraphBox, b: GraphBox): GraphEdge {
  const [x1, y1, x2, y2] = [a.x + a.w, a.y + a.h / 2, b.x, b.y + b.h / 2];
  const mx = (x1 + x2) / 2;
  const s = 7;
  return {
    ...e,
    d: `M${x1},${y1}C${mx},${y1} ${mx},${y2} ${x2},${y2}`,
    head: `M${x2},${y2}l-8,-4v8z`,
    back: `M${x2},${y2 + s}C${mx},${y2 + s} ${mx},${y1 + s} ${x1},${y1 + s}`,
    backHead: `M${x1},${y1 + s}l8,-4v8z`,
    mid: { x: mx, y: (y1 + y2) / 2 + s },
  };
}

// Bottom up: from the operand's top into the op tag under the result, the arrows into one tag
// side by side. An edge that skips levels (an input that feeds several nodes) passes each row
// between it and its result through the gap nearest its way, so that no box hides it.
function upEdges(
  edges: TraceEdge[],
  boxOf: Map<string, GraphBox>,
  groups: TraceNode[][],
  gap: number,
): GraphEdge[] {
  const into = new Map<string, number>();
  const through = new Map<string, number>(); // edges already passing a gap
  const rows = groups.map((group) => group.map((n) => boxOf.get(n.id)!));
  return edges.map((e) => {
    const [a, b] = [boxOf.get(e.from)!, boxOf.get(e.to)!];
    const count = edges.filter((f) => f.to === e.to).length;
    const i = into.get(e.to) ?? 0;
    into.set(e.to, i + 1);
    const [x1, y1] = [a.x + a.w / 2, a.y];
    const [x2, y2] = [b.x + b.w / 2 + (i - (count - 1) / 2) * 14, b.y + b.h + (b.opText ? 11 : 0)];
    // points to pass, bottom up: (x, bottom of the row) and (x, top of the row)
    const points: [number, number][] = [[x1, y1]];
    for (let level = a.column + 1; level < b.column; level++) {
      const row = rows[level];
      const top = row[0].y;
      const bottom = top + row[0].h;
      const wanted = x1 + ((x2 - x1) * (y1 - bottom)) / (y1 - y2);
      const gaps = [row[0].x - gap / 2, ...row.map((r) => r.x + r.w + gap / 2)];
      const gx = gaps.reduce((best, g) =>
        Math.abs(g - wanted) < Math.abs(best - wanted) ? g : best,
      );
      const key = `${level}:${gx}`;
      const n = through.get(key) ?? 0;
      through.set(key, n + 1);
      const x = gx + (n % 2 === 0 ? -1 : 1) * Math.ceil(n / 2) * 5;
      points.push([x, bottom], [x, top]);
    }
    points.push([x2, y2]);
    const curve = (ps: [number, number][]) => {
      let d = `M${ps[0][0]},${ps[0][1]}`;
      for (let k = 1; k < ps.length; k++) {
        const [[px, py], [qx, qy]] = [ps[k - 1], ps[k]];
        // straight through a row, a curve with upright ends between rows
        d +=
          px === qx && k % 2 === 0
            ? `L${qx},${qy}`
            : `C${px},${(py + qy) / 2} ${qx},${(py + qy) / 2} ${qx},${qy}`;
      }
      return d;
    };
    const s = 7; // the way back runs right of the way there
    const back = points.map(([x, y]) => [x + s, y] as [number, number]).reverse();
    // a label sits where the way back meets the gap under the result
    const [mx, my] = [(back[0][0] + back[1][0]) / 2, (back[0][1] + back[1][1]) / 2];
    return {
      ...e,
      d: curve(points),
      head: `M${x2},${y2}l-4,8h8z`,
      back: curve(back),
      backHead: `M${x1 + s},${y1}l-4,-8h8z`,
      mid: { x: mx, y: my },
    };
  });
}

/** A graph's drawing: a diagram of the book (SVG markup and its label), with its size. */
export type GraphDiagram = Diagram & { width: number; height: number };

// The gradient's colour, and the page's background behind text, with fallbacks outside the book.
const gradColour = "var(--nn-output, #e66100)";
const halo = "paint-order: stroke; stroke: var(--sl-color-bg, white); stroke-width: 4px";

/**
 * A computation graph as SVG markup with its text alternative. Each node is a box with its label,
 * value (data) and gradient (grad), its op in a tag; arrows run from operands to results. With
 * `backward` and `highlight`, the gradient's way back is drawn too, edge by edge.
 *
 * @example
 * const L = new Value(2, "a").mul(new Value(-3, "b")).add(new Value(10, "c"));
 * L.backward();
 * computationGraph(L.trace(), { direction: "up" }); // { svg: "<svg …", alt: "A computation …" }
 */
export function computationGraph(graph: Trace, options: GraphOptions = {}): GraphDiagram {
  const layout = graphLayout(graph, options);
  const { showGrad = true, digits = 4, highlight = {}, backward = [] } = options;
  const same = (a: TraceEdge) => (b: TraceEdge) => a.from === b.from && a.to === b.to;
  for (const e of [...backward, ...(highlight.edge ? [highlight.edge] : [])]) {
    if (!graph.edges.some(same(e))) {
      throw new RangeError(
        `computationGraph: edge ${JSON.stringify(e)} is not an edge of the graph ` +
          "(expected { from, to } from graph.edges, operand to result)",
      );
    }
  }
  const marked = new Set(highlight.nodes ?? []);
  for (const id of marked) {
    if (!layout.boxes.some((b) => b.id === id)) {
      throw new RangeError(
        `computationGraph: highlight.nodes names "${id}", not a node of the graph`,
      );
    }
  }
  const alt = graphAlt(graph, layout, showGrad, digits, highlight, backward);
  const { width, height } = layout;
  const size = sizes[layout.direction];
  const up = layout.direction === "up";
  const parts: string[] = [];
  for (const e of layout.edges) {
    parts.push(el("g", { class: "nn-arrow" }, path(e.d, { fill: "none" }) + path(e.head)));
  }
  const current = layout.edges.find((e) => highlight.edge && same(highlight.edge)(e));
  const back = `stroke: ${gradColour}; fill: ${gradColour}`;
  for (const e of layout.edges.filter((e) => backward.some(same(e)) && e !== current)) {
    const arrow =
      path(e.back, { style: "fill: none; stroke-width: 1.5px" }) +
      path(e.backHead, { style: "stroke: none" });
    parts.push(el("g", { class: "nn-graph__back", style: `${back}; opacity: 0.6` }, arrow));
  }
  for (const b of layout.boxes) {
    const mark = marked.has(b.id) ? `stroke: ${gradColour}; stroke-width: 3.5px` : undefined;
    const box = el("rect", { x: b.x, y: b.y, width: b.w, height: b.h, rx: 6, style: mark });
    // the op's tag: on the box's top-left corner, or across its bottom edge where arrows arrive
    const tag = !b.opText
      ? ""
      : up
        ? tagAt(b.x + b.w / 2 - b.opW / 2, b.y + b.h - 11, b.opW, 22, b.opText)
        : tagAt(b.x - 10, b.y - 12, b.opW, 24, b.opText);
    const cx = b.x + b.w / 2;
    const label = el(
      "text",
      { x: cx, y: b.y + size.label, class: "nn-gnode__label" },
      escapeHtml(b.label),
    );
    // data and grad sit under the label, or centred in a box without one
    const first = b.label
      ? size.first
      : (b.h - (b.lines.length - 1) * size.lineH) / 2 + (up ? 0 : 4);
    const lines = b.lines.map((line, i) =>
      el(
        "text",
        {
          x: cx,
          y: b.y + first + i * size.lineH,
          class: `nn-gnode__line${i === 1 ? " nn-gnode__line--grad" : ""}`,
          style: line === "grad ?" ? "opacity: 0.6" : undefined,
        },
        escapeHtml(line),
      ),
    );
    const kind = `nn-gnode${b.opText ? "" : " nn-gnode--leaf"}`;
    parts.push(el("g", { class: kind }, box + tag + label + lines.join("")));
  }
  if (current) {
    const arrow =
      path(current.back, { style: "fill: none; stroke-width: 3px" }) +
      path(current.backHead, { style: "stroke: none", transform: grow(current.backHead) });
    parts.push(el("g", { class: "nn-graph__back nn-graph__back--current", style: back }, arrow));
    if (highlight.label) {
      const style =
        `fill: ${gradColour}; font-size: 13px; font-weight: 700; ${halo}; ` +
        `text-anchor: ${up ? "start" : "middle"}`;
      const { x, y } = current.mid;
      parts.push(el("text", { x, y, class: "nn-graph__note", style }, escapeHtml(highlight.label)));
    }
  }
  const svg = el(
    "svg",
    {
      class: "nn-diagram nn-graph",
      viewBox: `0 0 ${round(width)} ${round(height)}`,
      width,
      height,
      style: `max-width: ${round(width)}px`,
      role: "img",
      "aria-label": alt,
    },
    el("title", {}, escapeHtml(alt)) + parts.join(""),
  );
  return { svg, alt, width, height };
}

// Numbers in the markup, to a tenth.
const round = (n: number) => Math.round(n * 10) / 10;

// An element as markup: attribute values escaped (numbers rounded), the content as given.
function el(
  tag: string,
  attributes: Record<string, string | number | undefined>,
  inner = "",
): string {
  const written = Object.entries(attributes)
    .filter(([, value]) => value !== undefined)
    .map(
      ([name, value]) => ` ${name}="${typeof value === "number" ? round(value) : escapeHtml(value!)}"`,
    )
    .join("");
  return `<${tag}${written}>${inner}</${tag}>`;
}

const path = (d: string, attributes: Record<string, string> = {}) =>
  el("path", { d, ...attributes });

// An op's tag: a pill with the op's symbol.
function tagAt(x: number, y: number, w: number, h: number, text: string): string {
  const pill = el("rect", { x, y, width: w, height: h, rx: h / 2 });
  return el(
    "g",
    { class: "nn-gnode__op" },
    pill + el("text", { x: x + w / 2, y: y + h / 2 }, escapeHtml(text)),
  );
}

// The current arrow's head, a little larger: scaled about its tip.
function grow(head: string): string {
  const [, tx, ty] = /^M([-\d.]+),([-\d.]+)/.exec(head)!;
  return `translate(${tx} ${ty}) scale(1.4) translate(${-tx} ${-ty})`;
}

function graphAlt(
  graph: Trace,
  layout: GraphLayout,
  showGrad: boolean,
  digits: number,
  highlight: NonNullable<GraphOptions["highlight"]>,
  backward: TraceEdge[],
): string {
  const { named } = expressions(graph);
  const results = layout.boxes.filter((b) => b.opText);
  const outputs = layout.boxes.filter((b) => !graph.edges.some((e) => e.from === b.id));
  const grad = (g: number | null) => (g === null ? "grad not yet known" : `grad ${fmt(g, digits)}`);
  const how = layout.direction === "up" ? "read from the bottom up" : "read left to right";
  let alt =
    `A computation graph of ${plural(layout.boxes.length, "value")} and ` +
    `${plural(results.length, "operation")}, ` +
    `${how}: ` +
    outputs
      .map((o) => `${o.label ? `${o.label} = ` : ""}${o.expression} = ${fmt(o.data, digits)}`)
      .join("; ") +
    ". Values: " +
    layout.boxes
      .filter((b) => b.label)
      .map((b) => `${b.label} (data ${fmt(b.data, digits)}${showGrad ? `, ${grad(b.grad)}` : ""})`)
      .join(", ") +
    ".";
  if (backward.length > 0 || highlight.edge) {
    const crossed = backward.length;
    alt += ` The backward pass has crossed ${crossed} of ${graph.edges.length} arrows.`;
  }
  if (highlight.edge) {
    const { from, to } = highlight.edge;
    alt +=
      ` Highlighted: the gradient going back from ${named.get(to)} to ${named.get(from)}` +
      (highlight.label ? ` (${highlight.label})` : "") +
      ".";
  }
  if (highlight.nodes?.length) {
    alt += ` Marked: ${listing(highlight.nodes.map((id) => named.get(id)!))}.`;
  }
  return alt;
}

