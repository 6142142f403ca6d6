// The backend: the loops that every tensor op and optimizer step runs on. Two implement one
// interface: `typescript` below (the loops of matmul.ts and optim.ts, the ones to read) and
// `wasm` (engine/fast/: the same arithmetic in WebAssembly SIMD, the same numbers bit for bit).
// tensor.ts and optim.ts call `backend()`, which picks one the first time it is asked:
// WebAssembly where this runtime can run it, else TypeScript; setBackend() picks by name.
import { wasmBackend } from "./fast/index.ts";
import { linearInto, matmulInto, matmulTransposeAInto, matmulTransposeBInto } from "./matmul.ts";
import { adamUpdate, momentumUpdate, sgdUpdate, type AdamSettings } from "./optim.ts";
import type { FusedActivation } from "./tensor.ts";

/** Which loops run the matrix products and updates: WebAssembly SIMD, or the engine's TypeScript. */
export type Backend = "wasm" | "typescript";
type F64 = Float64Array;

/** What a backend does for the engine; both backends give the very same numbers. */
export interface EngineBackend {
  readonly name: Backend;
  /** out[n×m] = a[n×k]·b[k×m]. */
  matmulInto(out: F64, a: F64, b: F64, n: number, k: number, m: number): void;
  /** out[k×m] += a[n×k]ᵀ·g[n×m] (the gradient that reaches a product's right operand). */
  matmulTransposeAInto(out: F64, a: F64, g: F64, n: number, k: number, m: number): void;
  /** out[n×k] += g[n×m]·b[k×m]ᵀ (the gradient that reaches a product's left operand). */
  matmulTransposeBInto(out: F64, g: F64, b: F64, n: number, m: number, k: number): void;
  /** y[n×m] = f(x[n×k]·W[k×m] + b), b a row added to every row: a layer's forward pass. */
  linearInto(
    y: F64, x: F64, W: F64, b: F64, n: number, k: number, m: number, f: FusedActivation,
  ): void;
  /** The zeros of a new parameter of shape [rows, cols], kept where this backend updates it. */
  parameterZeros(rows: number, cols: number): F64;
  /** Zeros as long as a parameter's `data`, kept beside it: its gradient, an optimizer's state. */
  zerosBeside(data: F64): F64;
  /** w ← w − α·g. */
  sgd(w: F64, g: F64, lr: number): void;
  /** v ← β·v + g, then w ← w − α·v. */
  momentum(w: F64, g: F64, v: F64, lr: number, beta: number): void;
  /** Adam's update with bias corrections c1 = 1 − β₁ᵗ and c2 = 1 − β₂ᵗ. */
  adam(w: F64, g: F64, m: F64, v: F64, settings: AdamSettings, c1: number, c2: number): void;
}

/** The TypeScript backend: plain loops over Float64Array, in matmul.ts and optim.ts. */
export const typescript: EngineBackend = {
  name: "typescript",
  matmulInto,
  matmulTransposeAInto,
  matmulTransposeBInto,
  linearInto,
  parameterZeros: (rows, cols) => new Float64Array(rows * cols),
  zerosBeside: (data) => new Float64Array(data.length),
  sgd: sgdUpdate,
  momentum: momentumUpdate,
  adam: adamUpdate,
};

let chosen: EngineBackend | null = null;
// The WebAssembly backend once built (null: it cannot run here, and `problem` says why).
let wasm: EngineBackend | null | undefined;
let problem = "";

function loadWasm(): EngineBackend | null {
  if (wasm !== undefined) return wasm;
  try {
    wasm = wasmBackend(typescript);
  } catch (error) {
    const why = typeof WebAssembly === "undefined" ? "this runtime has no WebAssembly" : "";
    problem = why || (error instanceof Error ? error.message : String(error));
    wasm = null;
  }
  return wasm;
}

/**
 * The backend every tensor op and optimizer step runs on. The first call picks it (as
 * setBackend("auto")), so that a page importing only the activations never compiles the
 * WebAssembly module.
 */
export function backend(): EngineBackend {
  return chosen ?? (chosen = loadWasm() ?? typescript);
}

/**
 * Chooses the loops behind every matrix product and update: "wasm" (WebAssembly SIMD),
 * "typescript" (the loops of engine/matmul.ts and optim.ts, the ones to read) or "auto"
 * (WebAssembly where the runtime has SIMD, the default). Both give identical numbers. Returns
 * the backend now in use.
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
  const use = name === "typescript" ? typescript : loadWasm();
  if (name === "wasm" && use === null) {
    throw new Error(
      `setBackend: the WebAssembly backend cannot run here (${problem}). ` +
        `The TypeScript loops give the same results: use setBackend("typescript") or "auto".`,
    );
  }
  chosen = use ?? typescript;
  return chosen.name;
}

/**
 * The backend that runs matrix products now: "wasm", or "typescript" when told so or when this
 * runtime has no WebAssembly SIMD (then {@link backendProblem} says why).
 */
export function getBackend(): Backend {
  return backend().name;
}

/** Why the WebAssembly backend cannot run here ("" when it can, or was not tried yet). */
export function backendProblem(): string {
  return problem;
}
