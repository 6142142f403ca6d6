// Geometry of a computation graph (the trace of Value.trace()): a left-to-right DAG of boxes.
// Pure numbers, drawn by ComputationGraph.astro.
import { fmt } from "../format.ts";

/** A traced node, as `Value.trace()` returns it. */
export type TraceNode = { id: string; label: string; op: string; data: number; grad: number };
/** A traced edge, from operand to result. */
export type TraceEdge = { from: string; to: string };

/** A node as drawn: its box, and the op circle on its left (if it has an op). */
export type GraphBox = TraceNode & {
  x: number;
  y: number;
  w: number;
  h: number;
  column: number;
  opText: string;
  /** Width of the op's tag, which sits on the box's top-left corner. */
  opW: number;
  lines: string[];
  /** The value as an expression of labelled values, such as "σ((x × w) + b)". */
  expression: string;
};

/** The drawing, in viewBox units. */
export type GraphLayout = {
  width: number;
  height: number;
  boxes: GraphBox[];
  edges: { d: string; head: string }[];
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
const boxW = 108;
const colGap = 56; // room for the arrows between columns
const margin = 14; // room for the op tags that stick out of the first column and the top row
const rowGap = 18;

/**
 * Lays a DAG out in columns (`direction` "across", left to right) or in rows ("down", top to
 * bottom, for a phone's narrow column): a result sits one column right of its deepest operand; a leaf (no
 * operands) sits just left of the first node that uses it. Within a column, nodes keep the
 * order of a depth-first walk from the outputs, so operands stay near their result.
 */
export function graphLayout(
  graph: { nodes: TraceNode[]; edges: TraceEdge[] },
  showGrad = true,
  direction: "across" | "down" = "across",
): GraphLayout {
  const valid = graph && Array.isArray(graph.nodes) && Array.isArray(graph.edges);
  if (!valid || graph.nodes.length === 0) {
    throw new TypeError(
      "ComputationGraph: expected graph = " +
        "{ nodes: [{ id, label, op, data, grad }], edges: [{ from, to }] }, " +
        "such as value.trace(); received " +
        (graph && Array.isArray(graph.nodes) ? "no nodes" : typeof graph),
    );
  }
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  for (const e of graph.edges) {
    if (!byId.has(e.from) || !byId.has(e.to)) {
      throw new RangeError(
        `ComputationGraph: edge ${JSON.stringify(e)} names a node that is not in graph.nodes`,
      );
    }
  }
  const operands = new Map<string, string[]>(graph.nodes.map((n) => [n.id, []]));
  const users = new Map<string, string[]>(graph.nodes.map((n) => [n.id, []]));
  for (const e of graph.edges) {
    operands.get(e.to)!.push(e.from);
    users.get(e.from)!.push(e.to);
  }
  // longest path from the leaves gives each result its column
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
  // leaves move right, next to their first user
  for (const n of graph.nodes) {
    const used = users.get(n.id)!;
    if (operands.get(n.id)!.length === 0 && used.length > 0) {
      column.set(n.id, Math.min(...used.map((u) => column.get(u)!)) - 1);
    }
  }
  // depth-first order from the outputs
  const order = new Map<string, number>();
  const visit = (id: string) => {
    if (order.has(id)) return;
    for (const o of operands.get(id)!) visit(o);
    order.set(id, order.size);
  };
  for (const n of graph.nodes) if (users.get(n.id)!.length === 0) visit(n.id);
  for (const n of graph.nodes) visit(n.id);

  const columns = Math.max(...column.values()) + 1;
  const lineH = 17;
  const h = (showGrad ? 3 : 2) * lineH + 16;
  const groups = Array.from({ length: columns }, (_, c) =>
    graph.nodes
      .filter((n) => column.get(n.id) === c)
      .sort((a, b) => order.get(a.id)! - order.get(b.id)!),
  );
  const tallest = Math.max(...groups.map((g) => g.length));
  const height = tallest * (h + rowGap) + rowGap + margin;
  const down = direction === "down";
  const downGap = 44; // between rows, room for the op tag and the arrows
  const downSide = 24; // between boxes of one row
  const widest = tallest * (boxW + downSide) - downSide + 2 * margin;
  // a value's expression: its label, or its op applied to its operands' expressions
  const expressions = new Map<string, string>();
  const expression = (id: string): string => {
    const known = expressions.get(id);
    if (known !== undefined) return known;
    const n = byId.get(id)!;
    const args = operands.get(id)!.map(expression);
    const op = opNames[n.op] ?? n.op;
    const text =
      n.label || args.length === 0
        ? n.label || fmt(n.data, 4)
        : args.length === 2
          ? `(${args[0]} ${op} ${args[1]})`
          : `${op}(${args.map(bare).join(", ")})`;
    expressions.set(id, text);
    return text;
  };
  const expressionOf = (id: string): string => {
    const n = byId.get(id)!;
    const args = operands.get(id)!.map(expression);
    const op = opNames[n.op] ?? n.op;
    if (args.length === 2) return `${args[0]} ${op} ${args[1]}`;
    return `${op}(${args.map(bare).join(", ")})`;
  };
  const boxes: GraphBox[] = groups.flatMap((group, c) =>
    group.map((n, i) => {
      // the column is centred vertically (down: the row is centred horizontally)
      const free = height - margin - group.length * (h + rowGap) + rowGap;
      const rowFree = widest - 2 * margin - (group.length * (boxW + downSide) - downSide);
      const place = down
        ? { x: margin + rowFree / 2 + i * (boxW + downSide), y: margin + c * (h + downGap) }
        : { x: margin + c * (boxW + colGap), y: margin + free / 2 + i * (h + rowGap) };
      const lines = [`data ${fmt(n.data, 4)}`, ...(showGrad ? [`grad ${fmt(n.grad, 4)}`] : [])];
      return {
        ...n,
        ...place,
        w: boxW,
        h,
        column: c,
        opText: opNames[n.op] ?? n.op,
        opW: Math.max(24, 8.5 * [...(opNames[n.op] ?? n.op)].length + 14),
        lines,
        expression: operands.get(n.id)!.length > 0 ? expressionOf(n.id) : n.label || fmt(n.data, 4),
      };
    }),
  );
  const boxOf = new Map(boxes.map((b) => [b.id, b]));
  const edges = graph.edges.map((e) => {
    const a = boxOf.get(e.from)!;
    const b = boxOf.get(e.to)!;
    if (down) {
      // from the bottom of the operand to the top of the result, right of its op tag
      const x1 = a.x + a.w / 2;
      const y1 = a.y + a.h;
      const x2 = b.x + b.w / 2 + 8;
      const y2 = b.y;
      const my = (y1 + y2) / 2;
      return { d: `M${x1},${y1}C${x1},${my} ${x2},${my} ${x2},${y2}`, head: `M${x2},${y2}l-4,-8h8z` };
    }
    const x1 = a.x + a.w;
    const y1 = a.y + a.h / 2;
    // into the op's pill or straight into the box
    const x2 = b.x;
    const y2 = b.y + b.h / 2;
    const mx = (x1 + x2) / 2;
    return {
      d: `M${x1},${y1}C${mx},${y1} ${mx},${y2} ${x2},${y2}`,
      head: `M${x2},${y2}l-8,-4v8z`,
    };
  });
  if (down) {
    return { width: widest, height: margin + columns * (h + downGap) - downGap + 4, boxes, edges };
  }
  return { width: margin + columns * (boxW + colGap) - colGap + 4, height, boxes, edges };
}

// "(a + b)" → "a + b" when the outer parentheses enclose the whole expression.
function bare(expression: string): string {
  if (!expression.startsWith("(") || !expression.endsWith(")")) return expression;
  let depth = 0;
  for (let i = 0; i < expression.length; i++) {
    if (expression[i] === "(") depth++;
    else if (expression[i] === ")") depth--;
    if (depth === 0 && i < expression.length - 1) return expression;
  }
  return expression.slice(1, -1);
}
