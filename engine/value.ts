// Value: one number that remembers how it was computed, so backward() can find every gradient.
import { activations, activationName, type LayerActivation } from "./activations.ts";

/** A node of {@link Value.trace}: one Value of the graph. */
export interface TraceNode {
  id: string;
  label: string;
  op: string;
  data: number;
  grad: number;
}

/** The graph behind a Value, for diagrams; edges point from an operand to its result. */
export interface Trace {
  nodes: TraceNode[];
  edges: { from: string; to: string }[];
}

let counter = 0;

/**
 * A scalar with automatic differentiation (micrograd-sized). Every operation makes a new Value
 * that records its operands and how to pass its gradient back to them. A plain number given to
 * an op is a constant: part of the op (as in `x.pow(2)`), not a Value of the graph.
 *
 * @example
 * const x = new Value(2, "x");
 * const y = x.mul(x).add(1); // y = x² + 1
 * y.backward();
 * x.grad; // 4
 */
export class Value {
  /** The number this Value holds. */
  data: number;
  /**
   * The gradient backward() found: for a Value an op made, ∂(the Value backward() was called
   * on)/∂(this); an input (a Value no op made, such as a weight) adds up ∂/∂(this) over every
   * backward() call since its grad was last set to 0.
   */
  grad = 0;
  /** A name for diagrams, e.g. "x" or "w1". */
  label: string;
  /** The operation that made this Value ("" for an input). */
  op: string;
  /** The Values this one was computed from. */
  readonly parents: Value[];
  /** A unique id, for diagrams. */
  readonly id: string;
  // Adds this Value's share of the gradient to its parents (the chain rule, one step).
  private backwardFn: () => void = () => {};

  constructor(data: number, label = "", parents: Value[] = [], op = "") {
    if (typeof data !== "number") {
      throw new Error(`Value: expected a number, received ${describe(data)}. Try new Value(2).`);
    }
    this.data = data;
    this.label = label;
    this.parents = parents;
    this.op = op;
    this.id = `v${++counter}`;
  }

  add(other: number | Value): Value {
    if (typeof other === "number") return this.constantOp(this.data + other, `+ ${other}`, 1);
    const that = toValue(other);
    const out = new Value(this.data + that.data, "", [this, that], "+");
    out.backwardFn = () => {
      this.grad += out.grad;
      that.grad += out.grad;
    };
    return out;
  }

  mul(other: number | Value): Value {
    if (typeof other === "number") return this.constantOp(this.data * other, `× ${other}`, other);
    const that = toValue(other);
    const out = new Value(this.data * that.data, "", [this, that], "×");
    out.backwardFn = () => {
      this.grad += that.data * out.grad;
      that.grad += this.data * out.grad;
    };
    return out;
  }

  pow(exponent: number | Value): Value {
    if (typeof exponent === "number") {
      const [x, c] = [this.data, exponent];
      return this.constantOp(x ** c, `^${c}`, c * x ** (c - 1));
    }
    const that = toValue(exponent);
    const out = new Value(this.data ** that.data, "", [this, that], "^");
    out.backwardFn = () => {
      this.grad += that.data * this.data ** (that.data - 1) * out.grad;
      // d(aᵇ)/db = aᵇ·ln a, defined only for a > 0
      if (this.data > 0) that.grad += out.data * Math.log(this.data) * out.grad;
    };
    return out;
  }

  exp(): Value {
    const out = new Value(Math.exp(this.data), "", [this], "exp");
    out.backwardFn = () => {
      this.grad += out.data * out.grad;
    };
    return out;
  }

  log(): Value {
    const out = new Value(Math.log(this.data), "", [this], "log");
    out.backwardFn = () => {
      this.grad += (1 / this.data) * out.grad;
    };
    return out;
  }

  tanh(): Value {
    const out = new Value(Math.tanh(this.data), "", [this], "tanh");
    out.backwardFn = () => {
      this.grad += (1 - out.data ** 2) * out.grad;
    };
    return out;
  }

  sigmoid(): Value {
    const out = new Value(1 / (1 + Math.exp(-this.data)), "", [this], "σ");
    out.backwardFn = () => {
      this.grad += out.data * (1 - out.data) * out.grad;
    };
    return out;
  }

  relu(): Value {
    const out = new Value(this.data > 0 ? this.data : 0, "", [this], "ReLU");
    out.backwardFn = () => {
      this.grad += (this.data > 0 ? 1 : 0) * out.grad;
    };
    return out;
  }

  // Built from the primitives above: their gradients come for free.
  neg(): Value {
    return this.mul(-1);
  }

  sub(other: number | Value): Value {
    if (typeof other === "number") return this.constantOp(this.data - other, `− ${other}`, 1);
    return this.add(toValue(other).neg());
  }

  div(other: number | Value): Value {
    if (typeof other === "number") {
      return this.constantOp(this.data / other, `÷ ${other}`, 1 / other);
    }
    return this.mul(toValue(other).pow(-1));
  }

  /**
   * Applies an activation by name ("tanh", "sigmoid", "relu", "leakyRelu", "step", "sign",
   * "identity"). Those without a method of their own use the table in activations.ts.
   */
  activate(name: LayerActivation): Value {
    const known = activationName(name, "Value.activate", false);
    if (known === "identity") return this;
    if (known === "tanh" || known === "sigmoid" || known === "relu") return this[known]();
    const { f, df, label } = activations[known as "step" | "sign" | "leakyRelu"];
    const out = new Value(f(this.data), "", [this], label);
    out.backwardFn = () => {
      this.grad += df(this.data) * out.grad;
    };
    return out;
  }

  /**
   * Backpropagation: adds ∂this/∂v to the grad of every input v this Value depends on (so the
   * gradients of several backward() calls add up, as in micrograd and PyTorch: set them to 0
   * with zeroGrad() before each step), and leaves in every Value an op made, such as a hidden
   * h, this call's ∂this/∂h (this Value's own grad is 1).
   */
  backward(): void {
    const order = topologicalOrder<Value>(this);
    for (const v of order) if (v.parents.length > 0) v.grad = 0;
    this.grad += 1;
    // go one Value at a time, from the result back to the inputs, applying the chain rule
    for (let i = order.length - 1; i >= 0; i--) order[i].backwardFn();
  }

  /** The graph that computed this Value: its nodes (inputs first) and edges, for diagrams. */
  trace(): Trace {
    const order = topologicalOrder<Value>(this);
    const nodes = order.map(({ id, label, op, data, grad }) => ({ id, label, op, data, grad }));
    const edges = order.flatMap((v) => v.parents.map((p) => ({ from: p.id, to: v.id })));
    return { nodes, edges };
  }

  toString(): string {
    return `Value(${this.label ? this.label + " = " : ""}${this.data})`;
  }

  // An op of this Value and a constant c: the constant is part of the op, with no gradient.
  private constantOp(data: number, op: string, slope: number): Value {
    const out = new Value(data, "", [this], op);
    out.backwardFn = () => {
      this.grad += slope * out.grad;
    };
    return out;
  }
}

/**
 * Every node `root` depends on (itself included), each after the nodes it was computed from:
 * a depth-first walk with a stack of its own, so that a chain of 100,000 ops fits.
 */
export function topologicalOrder<T extends { parents: T[] }>(root: T): T[] {
  const order: T[] = [];
  const seen = new Set<T>();
  // [node, false]: visit it (its parents first); [node, true]: its parents are placed
  const stack: [T, boolean][] = [[root, false]];
  while (stack.length > 0) {
    const [node, placed] = stack.pop()!;
    if (placed) order.push(node);
    else if (!seen.has(node)) {
      seen.add(node);
      stack.push([node, true]);
      for (let i = node.parents.length - 1; i >= 0; i--) stack.push([node.parents[i], false]);
    }
  }
  return order;
}

/** A Value as it is; anything else but a number throws (numbers are constants, see Value). */
export function toValue(x: number | Value): Value {
  if (x instanceof Value) return x;
  if (typeof x === "number") return new Value(x, String(x));
  throw new Error(`Value: expected a number or a Value, received ${describe(x)}.`);
}

/** A short description of what a function received, for error messages. */
export function describe(x: unknown): string {
  if (Array.isArray(x)) return `an array of length ${x.length}`;
  if (x === null) return "null";
  if (typeof x === "object") return `an object (${x.constructor?.name ?? "Object"})`;
  if (typeof x === "string") return JSON.stringify(x);
  return x === undefined ? "undefined" : `${typeof x} ${String(x)}`;
}
