// gradcheck: compare backward()'s gradients with central differences, the slope measured directly.
import { Tensor } from "./tensor.ts";
import { Value, describe } from "./value.ts";

/** Options of {@link gradcheck}. */
export interface GradcheckOptions {
  /** Step of the central difference (default 1e-6). */
  eps?: number;
  /** Largest relative error still called ok (default 1e-5). */
  tolerance?: number;
}

/** What {@link gradcheck} finds. */
export interface GradcheckResult {
  /** The worst relative error |analytic − numeric| / max(1, |analytic|, |numeric|). */
  maxRelError: number;
  /** Whether maxRelError is within the tolerance. */
  ok: boolean;
  /** Where the worst error was: which input, which element, and both gradients. */
  worst: { input: number; index: number; analytic: number; numeric: number };
  /** How many partial derivatives were compared. */
  checked: number;
}

/**
 * Checks autograd against numbers: for every element of every input, nudges it by ±eps,
 * measures (f(x + eps) − f(x − eps)) / 2eps, and compares that with the gradient backward()
 * computed. `f` returns a Value or a Tensor (a non-scalar Tensor counts as the sum of its
 * elements). Relative errors are measured against max(1, |a|, |n|), so tiny gradients compare
 * absolutely.
 *
 * Inputs are Tensors or Values, passed to f one argument each; or plain numbers, which become
 * Values passed to f as one array.
 *
 * @example
 * gradcheck((x) => x.tanh().sum(), [Tensor.from([[0.5, -1]])]).ok; // true
 * gradcheck(([w, x]) => w.mul(x).tanh(), [0.7, -1.2]).maxRelError; // about 1e-10
 */
export function gradcheck(
  f: (inputs: Value[]) => Value,
  inputs: number[],
  options?: GradcheckOptions,
): GradcheckResult;
export function gradcheck<T extends Tensor | Value>(
  f: (...inputs: T[]) => T,
  inputs: T[],
  options?: GradcheckOptions,
): GradcheckResult;
export function gradcheck(
  fn: (...inputs: never[]) => Tensor | Value,
  given: (Tensor | Value | number)[],
  options: GradcheckOptions = {},
): GradcheckResult {
  const { eps = 1e-6, tolerance = 1e-5 } = options;
  if (!Array.isArray(given) || given.length === 0) {
    throw new Error(
      `gradcheck: expected a list of Tensors, Values or numbers, received ${describe(given)}.`,
    );
  }
  // Plain numbers become Values, handed to f as one array.
  const numbers = given.every((x) => typeof x === "number");
  const inputs = numbers ? given.map((x) => new Value(x as number)) : given;
  const call = (...xs: unknown[]) => fn(...(xs as never[]));
  const f = numbers ? () => call(inputs) : () => call(...inputs);
  // One view over every input: read and write element i of input k, and its gradient.
  const views = inputs.map((input, k) => {
    if (input instanceof Tensor) {
      input.requiresGrad = true;
      return {
        size: input.data.length,
        get: (i: number) => input.data[i],
        set: (i: number, v: number) => (input.data[i] = v),
        grad: (i: number) => input.grad?.[i] ?? 0,
        clear: () => (input.grad = null),
      };
    }
    if (input instanceof Value) {
      return {
        size: 1,
        get: () => input.data,
        set: (_: number, v: number) => (input.data = v),
        grad: () => input.grad,
        clear: () => (input.grad = 0),
      };
    }
    throw new Error(
      `gradcheck: input ${k} is ${describe(input)}, expected a Tensor, a Value or a number ` +
        `(all inputs of one kind).`,
    );
  });
  const total = (out: Tensor | Value): number =>
    out instanceof Tensor ? out.data.reduce((s, v) => s + v, 0) : out.data;

  for (const v of views) v.clear();
  const out = f();
  if (!(out instanceof Tensor || out instanceof Value)) {
    throw new Error(`gradcheck: f returned ${describe(out)}, expected a Value or a Tensor.`);
  }
  out.backward();
  const result: GradcheckResult = {
    maxRelError: 0,
    ok: true,
    worst: { input: 0, index: 0, analytic: 0, numeric: 0 },
    checked: 0,
  };
  views.forEach((view, k) => {
    for (let i = 0; i < view.size; i++) {
      const analytic = view.grad(i);
      const original = view.get(i);
      view.set(i, original + eps);
      const up = total(f());
      view.set(i, original - eps);
      const down = total(f());
      view.set(i, original);
      const numeric = (up - down) / (2 * eps);
      const error =
        Math.abs(analytic - numeric) / Math.max(1, Math.abs(analytic), Math.abs(numeric));
      result.checked++;
      // NaN counts as the worst possible error
      if (!(error <= result.maxRelError)) {
        result.maxRelError = Number.isNaN(error) ? Infinity : error;
        result.worst = { input: k, index: i, analytic, numeric };
      }
    }
  });
  result.ok = result.maxRelError <= tolerance;
  return result;
}
