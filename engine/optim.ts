// Optimizers, sorted in order of increasing complexity: SGD, momentum, Adam.
import { storage } from "./pool.ts";
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
    const lr = this.lr;
    for (const { data, grad } of this.params) {
      if (!grad || faster.sgd(data, grad, lr)) continue;
      for (let i = 0; i < data.length; i++) data[i] -= lr * grad[i];
    }
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
  private velocity = this.params.map((p) => storage.beside(p.data));

  constructor(params: Tensor[], options: MomentumOptions = {}) {
    super(params, { lr: options.lr ?? 0.01 });
    this.beta = options.beta ?? 0.9;
  }

  step(): void {
    const [lr, beta] = [this.lr, this.beta];
    this.params.forEach(({ data, grad }, k) => {
      const v = this.velocity[k];
      if (!grad || faster.momentum(data, grad, v, lr, beta)) return;
      for (let i = 0; i < data.length; i++) {
        v[i] = beta * v[i] + grad[i];
        data[i] -= lr * v[i];
      }
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
  private m = this.params.map((p) => storage.beside(p.data));
  private v = this.params.map((p) => storage.beside(p.data));
  private t = 0;

  constructor(params: Tensor[], options: AdamOptions = {}) {
    super(params, { lr: options.lr ?? 0.001 });
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.eps = options.eps ?? 1e-8;
  }

  step(): void {
    this.t++;
    const [b1, b2, lr, eps] = [this.beta1, this.beta2, this.lr, this.eps];
    // bias correction: early means are too close to zero, so divide by 1 − βᵗ
    const c1 = 1 - b1 ** this.t;
    const c2 = 1 - b2 ** this.t;
    this.params.forEach((p, k) => {
      const [m, v, g] = [this.m[k], this.v[k], p.grad];
      if (!g || faster.adam(p.data, g, m, v, this, c1, c2)) return;
      for (let i = 0; i < p.data.length; i++) {
        m[i] = b1 * m[i] + (1 - b1) * g[i];
        v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
        p.data[i] -= (lr * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + eps);
      }
    });
  }
}

/**
 * Where a parameter's update can run faster than the loops above: engine/fast/ runs it in
 * WebAssembly where it can (with identical numbers) and returns true; false leaves it to the loop.
 */
const no = (..._: unknown[]): boolean => false;
export const faster = { sgd: no, momentum: no, adam: no };

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
