// Tensor: a batch of numbers, shape [rows, cols], with automatic differentiation over typed arrays.
import {
  LEAKY_SLOPE,
  activationName,
  activations,
  type LayerActivation,
} from "./activations.ts";
import { backend } from "./backend.ts";
import { giveBack, takeZeros } from "./pool.ts";
import { describe, topologicalOrder } from "./value.ts";

/** Options of the Tensor factories. */
export interface TensorOptions {
  /** Whether backward() fills in this tensor's `grad` (default true; a batch of inputs: false). */
  requiresGrad?: boolean;
}

/**
 * A matrix of numbers (one row per example) that records the operations made from it, so that
 * backward() can fill in `grad` for every tensor it depends on. Each op below builds its result
 * and, right beside it, the rule that passes the result's gradient back to its operands.
 *
 * @example
 * const x = Tensor.from([[1, 2], [3, 4]]);
 * const y = x.mul(x).sum(); // Σ x²
 * y.backward();
 * x.grad; // Float64Array [2, 4, 6, 8]
 */
export class Tensor {
  /** The numbers, row by row: element (i, j) is at data[i * cols + j]. */
  readonly data: Float64Array;
  readonly rows: number;
  readonly cols: number;
  /**
   * ∂(the tensor backward() was called on)/∂(each element), or null before backward() fills
   * it. Inputs and parameters add it up over backward() calls (zeroGrad() sets it to 0); a
   * result an op made keeps it only after retainGrad(), else its buffer serves the next pass.
   */
  grad: Float64Array | null = null;
  /** Whether backward() computes this tensor's gradient. */
  requiresGrad: boolean;
  /** The operation that made this tensor ("" for an input or a parameter). */
  readonly op: string;
  /** The tensors this one was computed from. */
  readonly parents: Tensor[];
  /** Adds this tensor's gradient into its parents' (set by the op that made it). */
  backwardFn: () => void = nothing;
  // whether backward() leaves this result's gradient in `grad` (see retainGrad)
  private retains = false;

  constructor(rows: number, cols: number, data?: Float64Array, parents: Tensor[] = [], op = "") {
    checkShape(rows, cols);
    this.rows = rows;
    this.cols = cols;
    this.data = data ?? new Float64Array(rows * cols);
    if (this.data.length !== rows * cols) {
      throw new Error(
        `Tensor: ${this.data.length} numbers cannot fill shape [${rows}, ${cols}] ` +
          `(expected ${rows * cols}).`,
      );
    }
    this.parents = parents;
    this.op = op;
    // an input or a parameter needs a gradient unless told otherwise; a result, if an operand does
    this.requiresGrad = parents.length === 0 || parents.some((p) => p.requiresGrad);
  }

  /**
   * A tensor from rows of numbers; a flat array becomes one row.
   *
   * @example
   * Tensor.from([[0, 1], [1, 0]]).shape; // [2, 2]
   * Tensor.from([1, 2, 3]).shape; // [1, 3]
   */
  static from(values: number[][] | number[], options: TensorOptions = {}): Tensor {
    if (!Array.isArray(values) || values.length === 0) {
      throw new Error(
        `Tensor.from: expected rows of numbers such as [[1, 2], [3, 4]], received ` +
          `${describe(values)}.`,
      );
    }
    const rows = (typeof values[0] === "number" ? [values] : values) as number[][];
    const cols = Array.isArray(rows[0]) ? rows[0].length : 0;
    const t = new Tensor(rows.length, Math.max(cols, 1));
    rows.forEach((row, i) => {
      if (!Array.isArray(row) || row.length !== cols || cols === 0) {
        throw new Error(
          `Tensor.from: row ${i} has ${Array.isArray(row) ? row.length : describe(row)} ` +
            `numbers, expected ${cols} like row 0. Every row needs the same length.`,
        );
      }
      for (let j = 0; j < cols; j++) {
        if (typeof row[j] !== "number") {
          throw new Error(
            `Tensor.from: element [${i}][${j}] is ${describe(row[j])}, expected a number.`,
          );
        }
        t.data[i * cols + j] = row[j];
      }
    });
    t.requiresGrad = options.requiresGrad ?? true;
    return t;
  }

  /** A tensor of zeros. */
  static zeros(rows: number, cols: number, options: TensorOptions = {}): Tensor {
    const t = new Tensor(rows, cols);
    t.requiresGrad = options.requiresGrad ?? true;
    return t;
  }

  /**
   * A parameter of zeros (a layer's weights or biases), kept where the backend updates it:
   * on the WebAssembly backend a large one gets WebAssembly memory of its own (engine/fast/).
   */
  static parameter(rows: number, cols: number): Tensor {
    checkShape(rows, cols);
    return new Tensor(rows, cols, backend().parameterZeros(rows, cols));
  }

  /** [rows, cols]. */
  get shape(): [number, number] {
    return [this.rows, this.cols];
  }

  /** Element (i, j). */
  get(i: number, j: number): number {
    this.checkIndex(i, j, "get");
    return this.data[i * this.cols + j];
  }

  /** Sets element (i, j), e.g. to try a weight by hand. */
  set(i: number, j: number, value: number): void {
    this.checkIndex(i, j, "set");
    this.data[i * this.cols + j] = value;
  }

  /** The numbers as rows of plain arrays. */
  toArray(): number[][] {
    return Array.from({ length: this.rows }, (_, i) =>
      Array.from(this.data.subarray(i * this.cols, (i + 1) * this.cols)),
    );
  }

  /** The single number of a [1, 1] tensor, such as a loss. */
  item(): number {
    if (this.data.length !== 1) {
      throw new Error(`Tensor.item: needs shape [1, 1], received [${this.shape}]. Try .sum().`);
    }
    return this.data[0];
  }

  /** Sets `grad` to zeros (optimizers call it before each backward pass). */
  zeroGrad(): void {
    this.grad?.fill(0);
  }

  /**
   * Keeps this result's gradient in `grad` after backward() (as PyTorch's retain_grad()), to
   * read ∂loss/∂h for a hidden h. Returns the tensor.
   *
   * @example
   * const h = net.layers[0].forward(x).retainGrad();
   */
  retainGrad(): this {
    this.retains = true;
    return this;
  }

  // ---- operations: each builds `out` and, beside it, how its gradient flows back ----

  /** Matrix product: [n, k] × [k, m] → [n, m]. */
  matmul(other: Tensor): Tensor {
    const [n, k, m] = [this.rows, this.cols, other.cols];
    if (other.rows !== k) {
      throw new Error(
        `matmul: cannot multiply [${this.shape}] by [${other.shape}] ` +
          `(the first's columns, ${k}, must equal the second's rows, ${other.rows}).`,
      );
    }
    const out = new Tensor(n, m, undefined, [this, other], "matmul");
    backend().matmulInto(out.data, this.data, other.data, n, k, m);
    out.backwardFn = () => {
      const g = out.grad!;
      // ∂/∂A = G·Bᵀ and ∂/∂B = Aᵀ·G
      if (this.requiresGrad) backend().matmulTransposeBInto(gradOf(this), g, other.data, n, m, k);
      if (other.requiresGrad) backend().matmulTransposeAInto(gradOf(other), this.data, g, n, k, m);
    };
    return out;
  }

  /**
   * A whole layer in one op: activation(x·W + b), what matmul, add and activate compute one
   * after another, in one pass and one buffer (Dense uses it). W has shape [cols, m], b [1, m];
   * the activation is one whose slope follows from its output (not softmax).
   */
  linear(W: Tensor, b: Tensor, activation: FusedActivation = "identity"): Tensor {
    const [n, k, m] = [this.rows, this.cols, W.cols];
    if (W.rows !== k || b.rows !== 1 || b.cols !== m) {
      throw new Error(
        `linear: x [${this.shape}] · W [${W.shape}] + b [${b.shape}] do not fit (expected ` +
          `W [${k}, m] and b [1, m]).`,
      );
    }
    if (!Object.hasOwn(slopeFromOutput, activation)) {
      const known = Object.keys(slopeFromOutput).map((a) => JSON.stringify(a));
      throw new Error(
        `linear: cannot fuse activation ${JSON.stringify(activation)} (expected one of ` +
          `${known.join(", ")}). Apply it afterwards with .activate().`,
      );
    }
    const op = activation === "identity" ? "linear" : `linear ${activation}`;
    const out = new Tensor(n, m, undefined, [this, W, b], op);
    const y = out.data;
    const slope = slopeFromOutput[activation];
    // the product, the bias and the activation: matmul.ts's linearInto, or WebAssembly's
    backend().linearInto(y, this.data, W.data, b.data, n, k, m, activation);
    out.backwardFn = () => {
      const g = out.grad!;
      // through the activation first: dz = g · f'(z), with f'(z) read off the output y
      const dz = activation === "identity" ? g : takeZeros(g.length);
      if (activation === "tanh") {
        for (let i = 0; i < g.length; i++) dz[i] = g[i] * (1 - y[i] * y[i]);
      } else if (activation === "relu") {
        for (let i = 0; i < g.length; i++) dz[i] = y[i] > 0 ? g[i] : 0;
      } else if (dz !== g) {
        for (let i = 0; i < g.length; i++) dz[i] = g[i] * slope(y[i]);
      }
      if (this.requiresGrad) backend().matmulTransposeBInto(gradOf(this), dz, W.data, n, m, k);
      if (W.requiresGrad) backend().matmulTransposeAInto(gradOf(W), this.data, dz, n, k, m);
      // the bias was added to every row, so it collects every row's gradient
      if (b.requiresGrad) addRowsInto(gradOf(b), dz);
      if (dz !== g) giveBack(dz);
    };
    return out;
  }

  /** Elementwise sum with a tensor of the same shape, a [1, cols] row or a number. */
  add(other: Tensor | number): Tensor {
    const that = this.operand(other, "add");
    const out = new Tensor(this.rows, this.cols, undefined, [this, that], "+");
    const [a, b, o, bl] = [this.data, that.data, out.data, that.data.length];
    for (let i = 0; i < o.length; i++) o[i] = a[i] + b[i % bl];
    out.backwardFn = () => {
      const g = out.grad!;
      if (this.requiresGrad) addInto(gradOf(this), g);
      // a broadcast operand receives the sum of the gradients of every place it was added to
      if (that.requiresGrad) addRowsInto(gradOf(that), g);
    };
    return out;
  }

  /** Elementwise product with a tensor of the same shape, a [1, cols] row, or a number. */
  mul(other: Tensor | number): Tensor {
    const that = this.operand(other, "mul");
    const out = new Tensor(this.rows, this.cols, undefined, [this, that], "×");
    const [a, b, o, bl] = [this.data, that.data, out.data, that.data.length];
    for (let i = 0; i < o.length; i++) o[i] = a[i] * b[i % bl];
    out.backwardFn = () => {
      const g = out.grad!;
      if (this.requiresGrad) {
        const ga = gradOf(this);
        for (let i = 0; i < g.length; i++) ga[i] += b[i % bl] * g[i];
      }
      if (that.requiresGrad) {
        const gb = gradOf(that);
        for (let i = 0; i < g.length; i++) gb[i % bl] += a[i] * g[i];
      }
    };
    return out;
  }

  // Built from add and mul.
  neg(): Tensor {
    return this.mul(-1);
  }

  sub(other: Tensor | number): Tensor {
    return this.add(other instanceof Tensor ? other.neg() : -other);
  }

  /** Sum of every element: a [1, 1] tensor. */
  sum(): Tensor {
    const out = new Tensor(1, 1, undefined, [this], "sum");
    let total = 0;
    for (let i = 0; i < this.data.length; i++) total += this.data[i];
    out.data[0] = total;
    out.backwardFn = () => {
      if (!this.requiresGrad) return;
      const ga = gradOf(this);
      for (let i = 0; i < ga.length; i++) ga[i] += out.grad![0];
    };
    return out;
  }

  /** Mean of every element: a [1, 1] tensor. */
  mean(): Tensor {
    return this.sum().mul(1 / this.data.length);
  }

  tanh(): Tensor {
    return this.unary("tanh", Math.tanh, (_, y) => 1 - y * y);
  }

  sigmoid(): Tensor {
    return this.unary("sigmoid", (x) => 1 / (1 + Math.exp(-x)), (_, y) => y * (1 - y));
  }

  relu(): Tensor {
    return this.unary("relu", (x) => (x > 0 ? x : 0), (_, y) => (y > 0 ? 1 : 0));
  }

  /** Softmax of each row: every row becomes positive numbers that sum to 1. */
  softmax(): Tensor {
    const out = new Tensor(this.rows, this.cols, undefined, [this], "softmax");
    softmaxRowsInto(out.data, this.data, this.rows, this.cols);
    out.backwardFn = () => {
      if (!this.requiresGrad) return;
      const [g, y, ga, c] = [out.grad!, out.data, gradOf(this), this.cols];
      // ∂/∂x_j = y_j·(g_j − Σ_k g_k·y_k), row by row
      for (let r = 0; r < this.rows; r++) {
        let dot = 0;
        for (let j = r * c; j < (r + 1) * c; j++) dot += g[j] * y[j];
        for (let j = r * c; j < (r + 1) * c; j++) ga[j] += y[j] * (g[j] - dot);
      }
    };
    return out;
  }

  /**
   * Applies an activation by name: "tanh", "sigmoid", "relu", "leakyRelu", "step", "sign",
   * "identity" (returns this tensor) or "softmax" (over each row).
   */
  activate(name: LayerActivation): Tensor {
    const known = activationName(name, "Tensor.activate");
    if (known === "identity") return this;
    if (known === "tanh" || known === "sigmoid" || known === "relu" || known === "softmax") {
      return this[known]();
    }
    // The others use the table in activations.ts; their derivative is a function of the input.
    return this.unary(known, activations[known].f, activations[known].df);
  }

  /**
   * Backpropagation: adds ∂this/∂t to the grad of every input and parameter t (tensors no op
   * made) this one depends on and that requires a gradient, so call zeroGrad() between steps,
   * as in PyTorch. Results an op made keep no gradient afterwards unless retainGrad() was
   * called on them: their buffers serve the next pass.
   */
  backward(): void {
    const order = topologicalOrder<Tensor>(this);
    // a result's gradient is this pass's alone
    for (const t of order) if (t.parents.length > 0) t.grad?.fill(0);
    // the gradient of a tensor with respect to itself is 1 (for a non-scalar: of its sum)
    const g = gradOf(this);
    for (let i = 0; i < g.length; i++) g[i] += 1;
    for (let i = order.length - 1; i >= 0; i--) {
      if (order[i].requiresGrad && order[i].grad) order[i].backwardFn();
    }
    for (const t of order) {
      if (t.parents.length > 0 && t.grad && !t.retains) {
        giveBack(t.grad);
        t.grad = null;
      }
    }
  }

  toString(): string {
    return `Tensor [${this.shape}] ${JSON.stringify(this.toArray())}`;
  }

  // An elementwise op y = f(x), whose slope is a function of its input x or its output y.
  private unary(op: string, f: (x: number) => number, slope: (x: number, y: number) => number) {
    const out = new Tensor(this.rows, this.cols, undefined, [this], op);
    const [x, y] = [this.data, out.data];
    for (let i = 0; i < y.length; i++) y[i] = f(x[i]);
    out.backwardFn = () => {
      if (!this.requiresGrad) return;
      const [g, ga] = [out.grad!, gradOf(this)];
      for (let i = 0; i < g.length; i++) ga[i] += slope(x[i], y[i]) * g[i];
    };
    return out;
  }

  // The second operand of add and mul: same shape, a [1, cols] row, or a number.
  private operand(other: Tensor | number, op: string): Tensor {
    if (typeof other === "number") {
      const t = new Tensor(1, 1, Float64Array.of(other));
      t.requiresGrad = false;
      return t;
    }
    if (!(other instanceof Tensor)) {
      throw new Error(`${op}: expected a Tensor or a number, received ${describe(other)}.`);
    }
    const sameShape = other.rows === this.rows && other.cols === this.cols;
    if (sameShape || (other.rows === 1 && other.cols === this.cols)) return other;
    throw new Error(
      `${op}: shapes [${this.shape}] and [${other.shape}] do not fit (expected the same ` +
        `shape, or a row [1, ${this.cols}] that is repeated for every row).`,
    );
  }

  private checkIndex(i: number, j: number, method: string): void {
    if (!(Number.isInteger(i) && Number.isInteger(j) && i >= 0 && j >= 0)) {
      throw new Error(
        `Tensor.${method}: indices must be whole numbers ≥ 0, received (${i}, ${j}).`,
      );
    }
    if (i >= this.rows || j >= this.cols) {
      throw new Error(
        `Tensor.${method}: (${i}, ${j}) is outside shape [${this.shape}] ` +
          `(rows 0–${this.rows - 1}, columns 0–${this.cols - 1}).`,
      );
    }
  }
}

function checkShape(rows: number, cols: number): void {
  if (Number.isInteger(rows) && rows > 0 && Number.isInteger(cols) && cols > 0) return;
  throw new Error(`Tensor: shape must be two whole numbers above 0, received [${rows}, ${cols}].`);
}

// What a tensor that no op made does on the way back.
const nothing = (): void => {};

/** The slope of each activation linear() can fuse, as a function of its output y = f(z). */
const slopeFromOutput = {
  identity: () => 1,
  step: () => 0,
  sign: () => 0,
  sigmoid: (y: number) => y * (1 - y),
  tanh: (y: number) => 1 - y * y,
  relu: (y: number) => (y > 0 ? 1 : 0),
  leakyRelu: (y: number) => (y > 0 ? 1 : LEAKY_SLOPE),
};

/** An activation linear() can apply in the same pass. */
export type FusedActivation = keyof typeof slopeFromOutput;

/** The gradient buffer of a tensor, made (as zeros) the first time it is needed. */
export function gradOf(t: Tensor): Float64Array {
  if (t.grad === null) {
    // an intermediate result borrows a buffer for one backward pass; a parameter owns its own
    t.grad = t.parents.length > 0 ? takeZeros(t.data.length) : backend().zerosBeside(t.data);
  }
  return t.grad;
}

/** out += g, elementwise. */
export function addInto(out: Float64Array, g: Float64Array): void {
  for (let i = 0; i < g.length; i++) out[i] += g[i];
}

/** gb[j] += g[i·cols + j] for every row i of g: the gradient of a row added to every row. */
function addRowsInto(gb: Float64Array, g: Float64Array): void {
  const cols = gb.length;
  for (let i = 0; i < g.length; i += cols) for (let j = 0; j < cols; j++) gb[j] += g[i + j];
}

/**
 * Softmax of each row of x[rows×cols] into out (the row's largest is subtracted first). Returns
 * each row's log-sum-exp, log Σⱼ e^xⱼ, so a loss can take exact logs of tiny probabilities.
 */
export function softmaxRowsInto(
  out: Float64Array,
  x: Float64Array,
  rows: number,
  cols: number,
): Float64Array {
  const logSums = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const start = r * cols;
    let max = -Infinity;
    for (let j = start; j < start + cols; j++) max = Math.max(max, x[j]);
    let total = 0;
    for (let j = start; j < start + cols; j++) total += out[j] = Math.exp(x[j] - max);
    for (let j = start; j < start + cols; j++) out[j] /= total;
    logSums[r] = max + Math.log(total);
  }
  return logSums;
}
