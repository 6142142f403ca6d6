/**
 * Comparing the engine's two backends (engine/fast/): the WebAssembly kernels must give the
 * TypeScript loops' numbers bit for bit.
 */
import { setBackend, type Backend, type Rng } from "../../engine/index.ts";

/** Where two arrays differ (Object.is: NaN equals NaN, 0 and −0 differ), or "" when nowhere. */
export function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): string {
  if (a.length !== b.length) return `lengths ${a.length} and ${b.length}`;
  const show = (x: number) => (Object.is(x, -0) ? "-0" : String(x));
  for (let i = 0; i < a.length; i++) {
    if (!Object.is(a[i], b[i])) return `element ${i}: ${show(a[i])} and ${show(b[i])}`;
  }
  return "";
}

/** Runs f with each backend (from scratch: what it makes, it makes on that backend). */
export function onBoth<T>(f: (backend: Backend) => T): Record<Backend, T> {
  setBackend("typescript");
  const typescript = f("typescript");
  setBackend("wasm");
  const wasm = f("wasm");
  return { typescript, wasm };
}

/**
 * `length` numbers drawn from r: normal, with a share `zeros` of ±0 (which the kernels skip) and,
 * when `special`, about one in 200 NaN or ±∞ (which they must not).
 */
export function operand(r: Rng, length: number, zeros: number, special: boolean): Float64Array {
  return Float64Array.from({ length }, () => {
    const u = r.next();
    if (u < zeros) return r.next() < 0.5 ? 0 : -0;
    if (special && u > 0.995) return [NaN, Infinity, -Infinity][r.int(3)];
    return r.normal();
  });
}
