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
  lines: string[];
};

/** The drawing, in viewBox units. */
export type GraphLayout = {
  width: number;
  height: number;
  boxes: GraphBox[];
  edges: { d: string; head: string }[];
};

const opNames: Record<string, string> = { "*": "×", mul: "×", add: "+", sub: "−", div: "÷", neg: "−", pow: "^" };
const boxW = 104;
const colGap = 72; // room for the op circle and the arrow
const rowGap = 18;

/**
 * Lays a DAG out in columns: a result sits one column right of its deepest operand; a leaf (no
 * operands) sits just left of the first node that uses it. Within a column, nodes keep the
 * order of a depth-first walk from the outputs, so operands stay near their result.
 */
export function graphLayout(
  graph: { nodes: TraceNode[]; edges: TraceEdge[] },
  showGrad = true,
): GraphLayout {
  if (!graph || !Array.isArray(graph.nodes) || !Array.isArray(graph.edges) || graph.nodes.length === 0) {
    throw new TypeError(
      "ComputationGraph: expected graph = { nodes: [{ id, label, op, data, grad }], edges: [{ from, to }] }, " +
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
    if (seen.has(id)) throw new RangeError(`ComputationGraph: the graph has a cycle through node "${id}"`);
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
  const h = (showGrad ? 3 : 2) * lineH + 12;
  const groups = Array.from({ length: columns }, (_, c) =>
    graph.nodes.filter((n) => column.get(n.id) === c).sort((a, b) => order.get(a.id)! - order.get(b.id)!),
  );
  const tallest = Math.max(...groups.map((g) => g.length));
  const height = tallest * (h + rowGap) + rowGap;
  const boxes: GraphBox[] = groups.flatMap((group, c) =>
    group.map((n, i) => {
      const y = (height - group.length * (h + rowGap) + rowGap) / 2 + i * (h + rowGap);
      const lines = [`data ${fmt(n.data, 4)}`, ...(showGrad ? [`grad ${fmt(n.grad, 4)}`] : [])];
      return {
        ...n,
        x: colGap + c * (boxW + colGap),
        y,
        w: boxW,
        h,
        column: c,
        opText: opNames[n.op] ?? n.op,
        lines,
      };
    }),
  );
  const boxOf = new Map(boxes.map((b) => [b.id, b]));
  const edges = graph.edges.map((e) => {
    const a = boxOf.get(e.from)!;
    const b = boxOf.get(e.to)!;
    const x1 = a.x + a.w;
    const y1 = a.y + a.h / 2;
    // into the op circle (radius 14, centred 30 left of the box) or straight into the box
    const x2 = b.opText ? b.x - 44 : b.x;
    const y2 = b.y + b.h / 2;
    const mx = (x1 + x2) / 2;
    return {
      d: `M${x1},${y1}C${mx},${y1} ${mx},${y2} ${x2},${y2}`,
      head: `M${x2},${y2}l-8,-4v8z`,
    };
  });
  return { width: colGap + columns * (boxW + colGap) - colGap + 12, height, boxes, edges };
}
