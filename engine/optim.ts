// Optimizers, sorted in order of increasing complexity: SGD, momentum, Adam.
import { backend } from "./backend.ts";
import { Tensor } from "./tensor.ts";
import { describe } from "./value.ts";

/** Options of every optimizer. */
export interface OptimizerOptions {
  /** Learning rate α: how far each step moves (a positive number). */
  lr?: number;
}

/**
 * What every optimizer does. One training step is `opt.zeroGrad()` (backward() adds into the
 * grads, so clear last step's first), `loss.backward()`, then `opt.step()`, which moves every
 * parameter using its grad and leaves the grads as they are.
 */
export interface Optimizer {
  readonly params: Tensor[];
  lr: number;
  /** Updates every parameter from its grad (the grads are left as they are). */
  step(): void;
  /** Sets every parameter's grad to 0. */
  zeroGrad(): void;
}

/**
 * Stochastic gradient descent: w ← w − α·∂J/∂w.
 *
 * @example
 * const opt = new SGD(net.parameters(), { lr: 0.1 });
 * opt.zeroGrad(); loss.backward(); opt.step();
 */
export class SGD implements Optimizer {
  readonly params: Tensor[];
  lr: number;

  constructor(params: Tensor[], options: OptimizerOptions = {}) {
    // new.target names the class actually built (SGD, Momentum or Adam) in error messages
    this.params = checkParams(params, new.target.name);
    this.lr = checkLearningRate(options.lr ?? 0.1, new.target.name);
  }

  step(): void {
    for (const { data, grad } of this.params) if (grad) backend().sgd(data, grad, this.lr);
  }

  zeroGrad(): void {
    for (const p of this.params) p.zeroGrad();
  }
}

/** Options of {@link Momentum}. */
export interface MomentumOptions extends OptimizerOptions {
  /** How much of the last step's velocity is kept (default 0.9). */
  beta?: number;
}

/**
 * SGD with momentum: a velocity that remembers past steps, v ← β·v + ∂J/∂w, then
 * w ← w − α·v.
 */
export class Momentum extends SGD {
  beta: number;
  private velocity = this.params.map((p) => backend().zerosBeside(p.data));

  constructor(params: Tensor[], options: MomentumOptions = {}) {
    super(params, { lr: options.lr ?? 0.01 });
    this.beta = options.beta ?? 0.9;
  }

  step(): void {
    this.params.forEach(({ data, grad }, k) => {
      if (grad) backend().momentum(data, grad, this.velocity[k], this.lr, this.beta);
    });
  }
}

/** Options of {@link Adam}. */
export interface AdamOptions extends OptimizerOptions {
  /** Decay of the running mean of gradients (default 0.9). */
  beta1?: number;
  /** Decay of the running mean of squared gradients (default 0.999). */
  beta2?: number;
  /** Keeps the division away from zero (default 1e-8). */
  eps?: number;
}

/**
 * Adam: a step per weight scaled by running means of the gradient (m) and of its square (v),
 * each corrected for starting at zero.
 */
export class Adam extends SGD {
  beta1: number;
  beta2: number;
  eps: number;
  private m = this.params.map((p) => backend().zerosBeside(p.data));
  private v = this.params.map((p) => backend().zerosBeside(p.data));
  private t = 0;

  constructor(params: Tensor[], options: AdamOptions = {}) {
    super(params, { lr: options.lr ?? 0.001 });
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.eps = options.eps ?? 1e-8;
  }

  step(): void {
    this.t++;
    // bias correction: early means are too close to zero, so divide by 1 − βᵗ
    const c1 = 1 - this.beta1 ** this.t;
    const c2 = 1 - this.beta2 ** this.t;
    this.params.forEach(({ data, grad }, k) => {
      if (grad) backend().adam(data, grad, this.m[k], this.v[k], this, c1, c2);
    });
  }
}

// The updates of one parameter w from its gradient g: the TypeScript backend's (backend.ts);
// engine/fast/ runs the same operations in the same order in WebAssembly SIMD.

/** SGD: w ← w − α·g. */
export function sgdUpdate(w: Float64Array, g: Float64Array, lr: number): void {
  for (let i = 0; i < w.length; i++) w[i] -= lr * g[i];
}

/** Momentum: v ← β·v + g, then w ← w − α·v. */
export function momentumUpdate(
  w: Float64Array,
  g: Float64Array,
  v: Float64Array,
  lr: number,
  beta: number,
): void {
  for (let i = 0; i < w.length; i++) {
    v[i] = beta * v[i] + g[i];
    w[i] -= lr * v[i];
  }
}

/** Adam's settings its update reads. */
export type AdamSettings = Pick<Adam, "lr" | "beta1" | "beta2" | "eps">;

/** Adam: running means m of g and v of g², each corrected for starting at zero (c = 1 − βᵗ). */
export function adamUpdate(
  w: Float64Array,
  g: Float64Array,
  m: Float64Array,
  v: Float64Array,
  { lr, beta1: b1, beta2: b2, eps }: AdamSettings,
  c1: number,
  c2: number,
): void {
  for (let i = 0; i < w.length; i++) {
    m[i] = b1 * m[i] + (1 - b1) * g[i];
    v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
    w[i] -= (lr * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + eps);
  }
}

/** The optimizers by the names train() accepts. */
export const optimizers = { sgd: SGD, momentum: Momentum, adam: Adam };

/** An optimizer name train() accepts. */
export type OptimizerName = keyof typeof optimizers;

/** Throws unless lr is a positive finite number; returns it. */
export function checkLearningRate(lr: unknown, where: string): number {
  if (typeof lr === "number" && Number.isFinite(lr) && lr > 0) return lr;
  throw new Error(
    `${where}: the learning rate must be a positive number, received ${describe(lr)}. ` +
      `Try { lr: 0.1 }.`,
  );
}

function checkParams(params: unknown, where: string): Tensor[] {
  if (Array.isArray(params) && params.every((p) => p instanceof Tensor)) return params;
  throw new Error(
    `${where}: expected a list of Tensors such as net.parameters(), received ${describe(params)}.`,
  );
}
