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
 * that records its operands and how to pass its gradient back to them.
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
  /** ∂(the Value backward() was called on)/∂(this), filled in by backward(). */
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
    const that = toValue(other);
    const out = new Value(this.data + that.data, "", [this, that], "+");
    out.backwardFn = () => {
      this.grad += out.grad;
      that.grad += out.grad;
    };
    return out;
  }

  mul(other: number | Value): Value {
    const that = toValue(other);
    const out = new Value(this.data * that.data, "", [this, that], "×");
    out.backwardFn = () => {
      this.grad += that.data * out.grad;
      that.grad += this.data * out.grad;
    };
    return out;
  }

  pow(exponent: number | Value): Value {
    const that = toValue(exponent);
    const out = new Value(this.data ** that.data, "", [this, that], "^");
    out.backwardFn = () => {
      this.grad += that.data * this.data ** (that.data - 1) * out.grad;
      // d(aᵇ)/db = aᵇ·ln a, defined only for a > 0 (a constant exponent never needs it).
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
    return this.add(toValue(other).neg());
  }

  div(other: number | Value): Value {
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

  /** Fills in `grad` of every Value this one depends on (and sets its own to 1). */
  backward(): void {
    const order = this.topologicalOrder();
    for (const v of order) v.grad = 0;
    this.grad = 1;
    // go one Value at a time, from the result back to the inputs, applying the chain rule
    for (let i = order.length - 1; i >= 0; i--) order[i].backwardFn();
  }

  /** The graph that computed this Value: its nodes (inputs first) and edges, for diagrams. */
  trace(): Trace {
    const nodes = this.topologicalOrder().map(({ id, label, op, data, grad }) => ({
      id,
      label,
      op,
      data,
      grad,
    }));
    const edges: Trace["edges"] = [];
    for (const v of this.topologicalOrder()) {
      for (const p of v.parents) edges.push({ from: p.id, to: v.id });
    }
    return { nodes, edges };
  }

  toString(): string {
    return `Value(${this.label ? this.label + " = " : ""}${this.data})`;
  }

  // Every Value this one depends on, each after all the Values it was computed from.
  private topologicalOrder(): Value[] {
    const order: Value[] = [];
    const seen = new Set<Value>();
    const visit = (v: Value): void => {
      if (seen.has(v)) return;
      seen.add(v);
      for (const p of v.parents) visit(p);
      order.push(v);
    };
    visit(this);
    return order;
  }
}

/** Wraps a number as a Value (a Value passes through). */
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
  return `${typeof x} ${String(x)}`;
}
