// The fast path: the three matrix loops of matmul.ts run as WebAssembly SIMD (kernels.wat).
// Each copies its operands into the module's memory, calls the kernel and copies the result
// back. The kernels do the same arithmetic in the same order as the TypeScript loops, so every
// number comes out identical; where WebAssembly SIMD is missing, the TypeScript loops run.
import {
  kernels,
  matmulInto,
  matmulTransposeAInto,
  matmulTransposeBInto,
} from "../matmul.ts";
import { kernelsWasm } from "./kernels.wasm.ts";

/** Which loops run the matrix products: WebAssembly SIMD, or the engine's TypeScript. */
export type Backend = "wasm" | "typescript";

type Sizes = [n: number, k: number, m: number];
type Skip = [skip: number, lists: number];

/** What the module exports (addresses are byte offsets into its memory). */
interface Exports {
  memory: WebAssembly.Memory;
  allFinite(ptr: number, len: number): number;
  transpose(dst: number, src: number, rows: number, cols: number): void;
  matmul(out: number, a: number, b: number, ...rest: [...Sizes, ...Skip]): void;
  matmulTransposeB(out: number, g: number, bT: number, n: number, m: number, k: number): void;
  matmulTransposeA(out: number, a: number, g: number, ...rest: [...Sizes, ...Skip]): void;
}

const typescript = { matmulInto, matmulTransposeAInto, matmulTransposeBInto };
/** Below this many multiply-adds, copying in and out costs more than the loop saves. */
const SMALL = 2048;

let wasm: Exports | null | undefined; // undefined until first needed; null when it cannot run
let unavailable = "";
let heap = new Float64Array(0);

// Compiles the module the first time a product needs it (small: synchronous is fine).
function load(): Exports | null {
  if (wasm !== undefined) return wasm;
  try {
    if (!kernelsWasm) throw new Error("its kernels were not built: run npm run wasm");
    const bytes = Uint8Array.from(atob(kernelsWasm), (c) => c.charCodeAt(0));
    if (!WebAssembly.validate(bytes)) throw new Error("this runtime has no WebAssembly SIMD");
    wasm = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports as unknown as Exports;
  } catch (error) {
    const why = typeof WebAssembly === "undefined" ? "this runtime has no WebAssembly" : "";
    unavailable = why || (error instanceof Error ? error.message : String(error));
    wasm = null;
  }
  return wasm;
}

// The module's memory as float64s, grown to hold at least `doubles` of them.
function reserve(w: Exports, doubles: number): Float64Array {
  const missing = doubles * 8 - w.memory.buffer.byteLength;
  if (missing > 0) w.memory.grow(Math.ceil(missing / 65536));
  if (heap.buffer !== w.memory.buffer) heap = new Float64Array(w.memory.buffer);
  return heap;
}

/** out[n×m] = a[n×k]·b[k×m], in WebAssembly. */
function wasmMatmulInto(
  out: Float64Array,
  a: Float64Array,
  b: Float64Array,
  n: number,
  k: number,
  m: number,
): void {
  if (n * k * m < SMALL) return matmulInto(out, a, b, n, k, m);
  const w = wasm!;
  // a, b, out, then each row's list of the groups of four inputs that are not all 0
  const [pa, pb, po, lists] = [0, n * k, n * k + k * m, n * k + k * m + n * m];
  const h = reserve(w, lists + n * ((k >> 2) + 1));
  h.set(a, pa);
  h.set(b, pb);
  w.matmul(po * 8, pa * 8, pb * 8, n, k, m, w.allFinite(pb * 8, k * m), lists * 8);
  out.set(h.subarray(po, po + n * m));
}

/** out[n×k] += g[n×m]·b[k×m]ᵀ, in WebAssembly (b is transposed there first). */
function wasmMatmulTransposeBInto(
  out: Float64Array,
  g: Float64Array,
  b: Float64Array,
  n: number,
  m: number,
  k: number,
): void {
  if (n * k * m < SMALL) return matmulTransposeBInto(out, g, b, n, m, k);
  const w = wasm!;
  const [pb, pbT, pg, po] = [0, k * m, 2 * k * m, 2 * k * m + n * m];
  const h = reserve(w, po + n * k);
  h.set(b, pb);
  w.transpose(pbT * 8, pb * 8, k, m);
  h.set(g, pg);
  h.set(out, po);
  w.matmulTransposeB(po * 8, pg * 8, pbT * 8, n, m, k);
  out.set(h.subarray(po, po + n * k));
}

/** out[k×m] += a[n×k]ᵀ·g[n×m], in WebAssembly. */
function wasmMatmulTransposeAInto(
  out: Float64Array,
  a: Float64Array,
  g: Float64Array,
  n: number,
  k: number,
  m: number,
): void {
  if (n * k * m < SMALL) return matmulTransposeAInto(out, a, g, n, k, m);
  const w = wasm!;
  // a, g, out, then the list of the groups of four examples whose input p is not all 0
  const [pa, pg, po, list] = [0, n * k, n * k + n * m, n * k + n * m + k * m];
  const h = reserve(w, list + n);
  h.set(a, pa);
  h.set(g, pg);
  h.set(out, po);
  w.matmulTransposeA(po * 8, pa * 8, pg * 8, n, k, m, w.allFinite(pg * 8, n * m), list * 8);
  out.set(h.subarray(po, po + k * m));
}

const fast = {
  matmulInto: wasmMatmulInto,
  matmulTransposeAInto: wasmMatmulTransposeAInto,
  matmulTransposeBInto: wasmMatmulTransposeBInto,
};

/**
 * Chooses the loops behind every matrix product: "wasm" (WebAssembly SIMD), "typescript" (the
 * loops of engine/matmul.ts, the ones to read) or "auto" (WebAssembly where the runtime has
 * SIMD, the default). Both give identical numbers. Returns the backend now in use.
 *
 * @example
 * setBackend("typescript"); // run the readable loops, e.g. to compare speeds
 * setBackend("auto");
 */
export function setBackend(name: Backend | "auto"): Backend {
  if (name !== "wasm" && name !== "typescript" && name !== "auto") {
    throw new Error(
      `setBackend: unknown backend ${JSON.stringify(name)} (expected "wasm", "typescript" or ` +
        `"auto").`,
    );
  }
  const use = name === "typescript" ? null : load();
  if (name === "wasm" && use === null) {
    throw new Error(
      `setBackend: the WebAssembly backend cannot run here (${unavailable}). ` +
        `The TypeScript loops give the same results: use setBackend("typescript") or "auto".`,
    );
  }
  Object.assign(kernels, use ? fast : typescript);
  return use ? "wasm" : "typescript";
}

/**
 * The backend that runs matrix products now: "wasm", or "typescript" when told so or when this
 * runtime has no WebAssembly SIMD (then {@link backendProblem} says why).
 */
export function getBackend(): Backend {
  if (kernels.matmulInto === lazy.matmulInto) setBackend("auto");
  return kernels.matmulInto === wasmMatmulInto ? "wasm" : "typescript";
}

/** Why the WebAssembly backend cannot run here ("" when it can, or was not tried yet). */
export function backendProblem(): string {
  return unavailable;
}

// Until the first product, each loop is a stand-in that picks the backend, then runs.
const lazy = {
  matmulInto: (...args: Parameters<typeof matmulInto>) => {
    setBackend("auto");
    kernels.matmulInto(...args);
  },
  matmulTransposeAInto: (...args: Parameters<typeof matmulTransposeAInto>) => {
    setBackend("auto");
    kernels.matmulTransposeAInto(...args);
  },
  matmulTransposeBInto: (...args: Parameters<typeof matmulTransposeBInto>) => {
    setBackend("auto");
    kernels.matmulTransposeBInto(...args);
  },
};
Object.assign(kernels, lazy);
