// Backpropagation one arrow at a time: the states of a computation graph while its gradients
// flow back from the output, for a diagram that a reader steps through.
import { activations } from "../../engine/index.ts";
import {
  expressions,
  neighbours,
  type Trace,
  type TraceEdge,
  type TraceNode,
} from "./diagrams/graph.ts";
import { fmt } from "./format.ts";

/** One state of the backward pass. */
export type BackwardStep = {
  /** 0: after the forward pass; 1: the output's gradient is 1; then one step per edge. */
  step: number;
  /** The graph as it stands: the gradients found so far (null where none has arrived yet). */
  graph: Trace;
  /** The edge just crossed, operand ← result (null at steps 0 and 1). */
  edge: TraceEdge | null;
  /** ∂result/∂operand along that edge, and what it added to the operand's gradient. */
  local: number | null;
  added: number | null;
  /** What happened at this step, in words and numbers. */
  text: string;
  /** How {@link computationGraph} marks this state: the edge, its two ends, the way back so far. */
  marks: {
    highlight: { edge?: TraceEdge; nodes: string[]; label?: string };
    backward: TraceEdge[];
  };
};

/** Options of {@link backwardSteps}. */
export type BackwardStepsOptions = {
  /** Decimals of the numbers in the texts. Default 3. */
  digits?: number;
};

// ∂(result)/∂(operand k) for each op of the engine's Value, from the values in the trace, and
// the rule in words. `out` is the result, `ins` its operands, `k` which one; `f` writes a number,
// `p` writes one in parentheses when it is negative.
type Rule = { local: number; why: string };
function localRule(
  out: TraceNode,
  ins: TraceNode[],
  k: number,
  name: (n: TraceNode) => string,
  f: (v: number) => string,
  p: (v: number) => string,
): Rule {
  const rule = (local: number, why: string): Rule => ({ local, why });
  const { op } = out;
  const x = ins[k];
  const [r, u] = [name(out), name(x)];
  // a name written next to ² or a factor, in parentheses if it is an expression
  const tight = (s: string) => (/\s/.test(s) ? `(${s})` : s);
  const [tr, tu] = [tight(r), tight(u)];
  const y = out.data;
  if (op === "+") return rule(1, "A sum passes its gradient on unchanged: the slope is 1");
  if (op === "×") {
    const other = ins[1 - k];
    const why = "A product passes back its gradient times the other factor";
    return rule(other.data, `${why}, ${name(other)} = ${f(other.data)}`);
  }
  if (op === "^" && ins.length === 2) {
    const [a, b] = [ins[0].data, ins[1].data];
    const slope = b * a ** (b - 1);
    if (k === 0) return rule(slope, `The slope of aᵇ in a is b·aᵇ⁻¹ = ${f(slope)}`);
    return rule(a > 0 ? y * Math.log(a) : 0, "The slope of aᵇ in b is aᵇ·ln a");
  }
  // an op with a constant c: "+ c", "− c", "× c", "÷ c", "^c"
  const constant = /^([+×−÷^]) ?(.+)$/.exec(op);
  if (constant && ins.length === 1 && Number.isFinite(Number(constant[2]))) {
    const [sign, c] = [constant[1], Number(constant[2])];
    if (sign === "+") return rule(1, `Adding the constant ${f(c)} leaves the slope at 1`);
    if (sign === "−") return rule(1, `Subtracting the constant ${f(c)} leaves the slope at 1`);
    if (sign === "×")
      return rule(c, `Multiplying by the constant ${f(c)} multiplies the slope by it`);
    if (sign === "÷") return rule(1 / c, `Dividing by ${f(c)} multiplies the slope by 1/${f(c)}`);
    const slope = c * x.data ** (c - 1);
    if (c === 2) {
      return rule(
        slope,
        `The slope of a square ${tu}² is 2·${tu} = 2 × ${p(x.data)} = ${f(slope)}`,
      );
    }
    return rule(slope, `The slope of ${tu}^${f(c)} is ${f(c)}·${tu}^${f(c - 1)} = ${f(slope)}`);
  }
  if (op === "tanh") {
    const slope = 1 - y ** 2;
    return rule(slope, `The slope of tanh is 1 − ${tr}² = 1 − ${p(y)}² = ${f(slope)}`);
  }
  if (op === "σ") {
    const slope = y * (1 - y);
    const why = `The slope of the sigmoid is ${tr}(1 − ${r}) = ${f(y)} × ${p(1 - y)}`;
    return rule(slope, `${why} = ${f(slope)}`);
  }
  if (op === "exp") return rule(y, `The slope of exp is exp itself, ${f(y)}`);
  if (op === "log") return rule(1 / x.data, `The slope of log is 1/${tu} = ${f(1 / x.data)}`);
  if (op === "ReLU") {
    const positive = x.data > 0;
    return rule(
      positive ? 1 : 0,
      `The slope of ReLU is ${positive ? "1 for a positive input" : "0 here"}`,
    );
  }
  const activation = Object.values(activations).find((a) => a.label === op);
  if (activation) {
    const slope = activation.df(x.data);
    return rule(slope, `The slope of ${op} at ${f(x.data)} is ${f(slope)}`);
  }
  throw new RangeError(
    `backwardSteps: no backward rule for the op ${JSON.stringify(op)} (node ${r}); expected an ` +
      'op of the engine\'s Value: "+", "×", "^", "exp", "log", "tanh", "σ", "ReLU", "step", ' +
      '"sign", "leaky ReLU", or a constant op such as "+ 1", "− 1", "× 2", "÷ 4", "^2"',
  );
}

/**
 * The backward pass of a traced graph, one state per step: step 0 is the graph after the forward
 * pass, with no gradient known; step 1 sets the output's gradient to 1; each later step crosses
 * one edge back, from a result to one of its operands, in the order `backward()` does, and adds
 * ∂result/∂operand × (the result's gradient) to that operand. A value that feeds several nodes
 * collects one such share per path, and the text says so. When the trace was taken after
 * `backward()`, the gradients found step by step are checked against the engine's.
 *
 * @example
 * const J = new Value(2, "w").mul(new Value(3, "x")).tanh();
 * J.backward();
 * const steps = backwardSteps(J.trace()); // 5 states: forward, J, and one per edge
 * computationGraph(steps[3].graph, steps[3].marks);
 */
export function backwardSteps(trace: Trace, options: BackwardStepsOptions = {}): BackwardStep[] {
  const { digits = 3 } = options;
  if (
    !trace ||
    !Array.isArray(trace.nodes) ||
    !Array.isArray(trace.edges) ||
    trace.nodes.length === 0
  ) {
    throw new TypeError(
      "backwardSteps: expected a traced graph { nodes, edges }, such as value.trace(); received " +
        (trace === null ? "null" : typeof trace),
    );
  }
  const f = (v: number) => fmt(v, digits);
  // a factor after ×, or a base before ², in parentheses when negative
  const p = (v: number) =>
    fmt(v, digits).startsWith("−") ? `(${fmt(v, digits)})` : fmt(v, digits);
  const { operands, users } = neighbours(trace);
  const outputs = trace.nodes.filter((n) => users.get(n.id)!.length === 0);
  if (outputs.length !== 1) {
    throw new RangeError(
      `backwardSteps: expected a graph with one output (the value backward() starts from), ` +
        `received ${outputs.length} nodes that feed nothing`,
    );
  }
  const byId = new Map(trace.nodes.map((n) => [n.id, n]));
  const { named } = expressions(trace);
  const name = (n: TraceNode) => n.label || named.get(n.id)!;
  const output = outputs[0];
  const grads = new Map<string, number | null>(trace.nodes.map((n) => [n.id, null]));
  const arrived = new Map<string, number>(trace.nodes.map((n) => [n.id, 0]));
  const crossed: TraceEdge[] = [];
  const state = (): Trace => ({
    nodes: trace.nodes.map((n) => ({ ...n, grad: grads.get(n.id)! })),
    edges: trace.edges,
  });
  // results from the output back to the inputs, each one's operands in order: backward()'s order
  const order = [...trace.nodes].reverse().filter((n) => operands.get(n.id)!.length > 0);
  const total = order.reduce((sum, n) => sum + operands.get(n.id)!.length, 0) + 1;
  const steps: BackwardStep[] = [];
  const push = (
    step: Omit<BackwardStep, "step" | "graph" | "marks"> & { nodes: string[]; label?: string },
  ) => {
    const { nodes, label, ...rest } = step;
    const highlight = {
      ...(step.edge ? { edge: step.edge } : {}),
      nodes,
      ...(label ? { label } : {}),
    };
    steps.push({
      ...rest,
      step: steps.length,
      graph: state(),
      marks: { highlight, backward: [...crossed] },
    });
  };
  push({
    edge: null,
    local: null,
    added: null,
    nodes: [],
    text:
      `Step 0 of ${total}: the forward pass is done: every box holds its value (data), from ` +
      `the inputs up to ${name(output)} = ${f(output.data)}. No gradient is known yet (grad ?).`,
  });
  grads.set(output.id, 1);
  push({
    edge: null,
    local: null,
    added: null,
    nodes: [output.id],
    text:
      `Step 1 of ${total}: start at the output. ${name(output)} changes one for one with ` +
      `itself, so its gradient ∂${name(output)}/∂${name(output)} is 1.`,
  });
  for (const out of order) {
    const ins = operands.get(out.id)!.map((id) => byId.get(id)!);
    ins.forEach((x, k) => {
      const { local, why } = localRule(out, ins, k, name, f, p);
      const g = grads.get(out.id) ?? 0;
      const added = local * g;
      const before = grads.get(x.id);
      const now = (before ?? 0) + added;
      grads.set(x.id, now);
      arrived.set(x.id, arrived.get(x.id)! + 1);
      const edge = { from: x.id, to: out.id };
      crossed.push(edge);
      const paths = users.get(x.id)!.length;
      const n = arrived.get(x.id)!;
      const [r, u] = [name(out), name(x)];
      // a value that feeds several nodes collects one share per path
      const feeds = `${u} feeds ${paths} nodes, so`;
      const shares = `${f(before ?? 0)} ${added < 0 ? "−" : "+"} ${f(Math.abs(added))}`;
      const sum =
        paths === 1
          ? `${u}'s gradient is ${f(now)}.`
          : n === 1
            ? `${feeds} this is the first of ${paths} paths: its gradient is ${f(now)} so far.`
            : `${feeds} its gradient is the sum over the paths: ${shares} = ${f(now)}` +
              (n === paths ? ", complete." : " so far.");
      const done = crossed.length === total - 1;
      const last = done
        ? ` The backward pass is done: every box holds ∂${name(output)}/∂(its value).`
        : "";
      push({
        edge,
        local,
        added,
        nodes: [out.id, x.id],
        label: `× ${f(local)}`,
        text:
          `Step ${steps.length} of ${total}: the gradient of ${r} (${f(g)}) goes back to ${u}. ` +
          `${why}, so ${u} gets ${f(local)} × ${p(g)} = ${f(added)}. ${sum}${last}`,
      });
    });
  }
  // After backward(), the engine's gradients are the reference.
  if (output.grad === 1) {
    for (const n of trace.nodes) {
      const mine = grads.get(n.id) ?? 0;
      const theirs = n.grad ?? 0;
      if (Math.abs(mine - theirs) > 1e-9 * Math.max(1, Math.abs(theirs))) {
        throw new Error(
          `backwardSteps: step by step, ${name(n)} gets the gradient ${mine}, but backward() ` +
            `gave it ${theirs}; was the trace taken after one backward() call on its output?`,
        );
      }
    }
  }
  return steps;
}
