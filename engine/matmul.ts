// The matrix loops behind matmul and linear, forward and backward: plain loops over rows. They
// are the TypeScript backend's (backend.ts).
// Each output number is summed in order, one product at a time (out + a0·b0, then + a1·b1, …),
// and a zero input's products are left out when the other operand is finite (0·b is then ±0,
// which changes no sum). They are the reference: engine/fast/ runs the same arithmetic in
// WebAssembly SIMD, in the same order.
import { activations } from "./activations.ts";
import type { FusedActivation } from "./tensor.ts";

/** Whether every number is finite: only then may zeros skip their products (0·NaN is NaN). */
export function allFinite(x: Float64Array): boolean {
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += x[i] - x[i]; // NaN for ±∞ and NaN, else 0
  return sum === 0;
}

/** out[n×m] = a[n×k]·b[k×m]. */
export function matmulInto(
  out: Float64Array,
  a: Float64Array,
  b: Float64Array,
  n: number,
  k: number,
  m: number,
): void {
  out.fill(0);
  const skip = allFinite(b);
  for (let i = 0; i < n; i++) {
    const row = i * m, ai = i * k;
    let p = 0;
    // four inputs per pass over the row: out is read and written once for four products (about
    // twice as fast); the sums keep their order, and an output that starts at +0 never becomes
    // −0, so adding a zero input's ±0 is the same as leaving it out
    for (; p + 3 < k; p += 4) {
      const a0 = a[ai + p], a1 = a[ai + p + 1], a2 = a[ai + p + 2], a3 = a[ai + p + 3];
      if (skip && a0 === 0 && a1 === 0 && a2 === 0 && a3 === 0) continue; // common after a ReLU
      const b0 = p * m, b1 = b0 + m, b2 = b1 + m, b3 = b2 + m;
      for (let j = 0, o = row; j < m; j++, o++) {
        out[o] = out[o] + a0 * b[b0 + j] + a1 * b[b1 + j] + a2 * b[b2 + j] + a3 * b[b3 + j];
      }
    }
    for (; p < k; p++) {
      const aip = a[ai + p];
      for (let j = 0; j < m; j++) out[row + j] += aip * b[p * m + j];
    }
  }
}

/** out[n×k] += g[n×m]·b[k×m]ᵀ (the gradient that reaches a matmul's left operand). */
export function matmulTransposeBInto(
  out: Float64Array,
  g: Float64Array,
  b: Float64Array,
  n: number,
  m: number,
  k: number,
): void {
  // row i of g against row p of b: both run along memory
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < k; p++) {
      let dot = 0;
      for (let j = 0; j < m; j++) dot += g[i * m + j] * b[p * m + j];
      out[i * k + p] += dot;
    }
  }
}

/** out[k×m] += a[n×k]ᵀ·g[n×m] (the gradient that reaches a matmul's right operand). */
export function matmulTransposeAInto(
  out: Float64Array,
  a: Float64Array,
  g: Float64Array,
  n: number,
  k: number,
  m: number,
): void {
  const skip = allFinite(g);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < k; p++) {
      const aip = a[i * k + p];
      if (skip && aip === 0) continue; // out may hold −0, which + 0 would turn into +0
      for (let j = 0; j < m; j++) out[p * m + j] += aip * g[i * m + j];
    }
  }
}

/** y[n×m] = f(x[n×k]·W[k×m] + b) for linear(): the product, then bias and activation by row. */
export function linearInto(
  y: Float64Array,
  x: Float64Array,
  W: Float64Array,
  b: Float64Array,
  n: number,
  k: number,
  m: number,
  activation: FusedActivation,
): void {
  matmulInto(y, x, W, n, k, m);
  const f = activations[activation].f;
  for (let i = 0; i < n; i++) {
    const row = i * m;
    // the common activations get a loop of their own: a call per number costs as much as tanh
    if (activation === "tanh") {
      for (let j = 0; j < m; j++) y[row + j] = Math.tanh(y[row + j] + b[j]);
    } else if (activation === "relu") {
      for (let j = 0; j < m; j++) y[row + j] = Math.max(0, y[row + j] + b[j]);
    } else if (activation === "sigmoid") {
      for (let j = 0; j < m; j++) y[row + j] = 1 / (1 + Math.exp(-(y[row + j] + b[j])));
    } else {
      for (let j = 0; j < m; j++) y[row + j] = f(y[row + j] + b[j]);
    }
  }
}
