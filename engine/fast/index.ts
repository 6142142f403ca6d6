// The WebAssembly backend (see backend.ts): the three matrix loops of matmul.ts and the
// optimizers' updates of optim.ts run as WebAssembly SIMD (kernels.wat). A large parameter lives
// in WebAssembly memory of its own, with its gradient and the optimizers' state beside it, so that
// its products and updates run in place; other operands are copied into a shared memory and the
// result copied back. The kernels do the same arithmetic in the same order as the TypeScript
// loops, so every number comes out identical; what they do not cover (small products, other
// activations, arrays outside WebAssembly memory) runs on the TypeScript backend it is given.
import type { EngineBackend } from "../backend.ts";
import type { AdamSettings } from "../optim.ts";
import type { FusedActivation } from "../tensor.ts";
import { kernelsWasm } from "./kernels.wasm.ts";

type Sizes = [n: number, k: number, m: number];
type Skip = [skip: number, lists: number];
type F64 = Float64Array;

/** What the module exports (addresses are byte offsets into its memory). */
interface Exports {
  memory: WebAssembly.Memory;
  allFinite(ptr: number, len: number): number;
  transpose(dst: number, src: number, rows: number, cols: number): void;
  matmul(out: number, a: number, b: number, ...rest: [...Sizes, ...Skip, pack: number]): void;
  matmulTransposeB(out: number, g: number, bT: number, n: number, m: number, k: number): void;
  matmulTransposeA(out: number, a: number, g: number, ...rest: [...Sizes, ...Skip, gp: number]): void;
  biasActivate(y: number, b: number, n: number, m: number, relu: number): void;
  sgd(w: number, g: number, pairs: number, lr: number): void;
  momentum(w: number, g: number, v: number, pairs: number, lr: number, beta: number): void;
  adam(w: number, g: number, m: number, v: number, pairs: number, ...rest: number[]): void;
}

/** Below this many multiply-adds, copying in and out costs more than the loop saves. */
const SMALL = 2048;

let wasm: Exports;
let compiled: WebAssembly.Module;
let heap = new Float64Array(0);

/**
 * A parameter's own memory, never grown (growing would detach every view of it): the parameter,
 * then SLOTS − 1 arrays beside it (its gradient, optimizers' state), each `stride` numbers (its
 * size, rounded up to even: the update kernels work in pairs), then room for a batch of up to
 * ROWS rows to be copied in for a product.
 */
interface Arena {
  w: Exports;
  heap: F64;
  stride: number;
  /** Where the room for a batch starts, and how many numbers it holds. */
  scratch: number;
  room: number;
  /** The arrays handed out beside the parameter, by slot, while they are alive. */
  slots: (WeakRef<F64> | undefined)[];
}
const arenas = new WeakMap<ArrayBufferLike, Arena>();
/** Parameters of at least this many numbers get an arena; batches of up to ROWS rows use it. */
const [LARGE, ROWS, SLOTS] = [4096, 128, 6];
/** Numbers a product of n rows needs copied in: inputs, outputs, lists of the nonzero inputs, bias. */
const room = (n: number, k: number, m: number) => n * (k + 2 * m + (k >> 1) + 1) + m + 16 * k + 1;

// A large parameter's zeros in an arena of its own; a small one (or one no memory can be had
// for) gets an ordinary array, which the products copy in.
function parameterZeros(rows: number, cols: number): F64 {
  const size = rows * cols;
  if (!(size >= LARGE)) return new Float64Array(size);
  const stride = size + (size & 1);
  const [scratch, space] = [SLOTS * stride, room(ROWS, rows, cols)];
  try {
    const w = new WebAssembly.Instance(compiled).exports as unknown as Exports;
    w.memory.grow(Math.ceil(((scratch + space) * 8) / 65536) - 1);
    const heap = new Float64Array(w.memory.buffer);
    arenas.set(w.memory.buffer, { w, heap, stride, scratch, room: space, slots: [] });
    return heap.subarray(0, size);
  } catch {
    return new Float64Array(size); // no memory to spare: an ordinary array, used through copies
  }
}

// A free slot of data's arena (one whose last array was collected), or an ordinary array.
function zerosBeside(data: F64): F64 {
  const arena = arenas.get(data.buffer);
  if (!arena || data.byteOffset !== 0) return new Float64Array(data.length);
  for (let slot = 1; slot < SLOTS; slot++) {
    if (arena.slots[slot]?.deref()) continue;
    const at = slot * arena.stride;
    const array = arena.heap.subarray(at, at + data.length).fill(0);
    arena.slots[slot] = new WeakRef(array);
    return array;
  }
  return new Float64Array(data.length);
}

// The arena that holds every one of these arrays as a whole slot (the update kernels' case).
function arenaOf(...arrays: F64[]): Arena | undefined {
  const arena = arenas.get(arrays[0].buffer);
  const whole = (x: F64) => x.buffer === arrays[0].buffer &&
    x.length === arrays[0].length && x.byteOffset % (arena!.stride * 8) === 0;
  return arena && arrays.every(whole) ? arena : undefined;
}

// The module's memory as float64s, grown to hold at least `doubles` of them.
function reserve(w: Exports, doubles: number): F64 {
  const missing = doubles * 8 - w.memory.buffer.byteLength;
  if (missing > 0) w.memory.grow(Math.ceil(missing / 65536));
  if (heap.buffer !== w.memory.buffer) heap = new Float64Array(w.memory.buffer);
  return heap;
}

/** out[n×m] = a[n×k]·b[k×m], in WebAssembly; then, given a bias, out = f(out + bias) by row. */
function product(out: F64, a: F64, b: F64, n: number, k: number, m: number, bias?: F64, relu = 0) {
  // b where it lives (its arena), or copied in first; then a, out, each row's list of the
  // inputs that are not 0 (k + 1 int32s), and the bias
  const arena = arenas.get(b.buffer);
  const home = arena && room(n, k, m) <= arena.room ? arena : undefined;
  const w = home?.w ?? wasm;
  const pb = home ? b.byteOffset / 8 : 0;
  const pa = home ? home.scratch : k * m;
  const [po, lists] = [pa + n * k, pa + n * k + n * m];
  const pbias = lists + n * ((k >> 1) + 1);
  const pack = (pbias + m + 1) & ~1;
  const h = home?.heap ?? reserve(w, pack + 16 * k);
  if (!home) h.set(b, pb);
  h.set(a, pa);
  w.matmul(po * 8, pa * 8, pb * 8, n, k, m, w.allFinite(pb * 8, k * m), lists * 8, pack * 8);
  if (bias) h.set(bias, pbias);
  if (bias) w.biasActivate(po * 8, pbias * 8, n, m, relu);
  out.set(h.subarray(po, po + n * m));
}

/** out[n×k] += g[n×m]·b[k×m]ᵀ, in WebAssembly (b is transposed there first). */
function matmulTransposeBInto(out: F64, g: F64, b: F64, n: number, m: number, k: number) {
  const w = wasm;
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
function matmulTransposeAInto(out: F64, a: F64, g: F64, n: number, k: number, m: number) {
  // a, g, the list of the examples whose input p is not 0, then out, unless
  // out (a parameter's gradient) lives in an arena: then the product adds into it there
  const arena = arenas.get(out.buffer);
  const home = arena && room(n, k, m) <= arena.room ? arena : undefined;
  const w = home?.w ?? wasm;
  const pa = home ? home.scratch : 0;
  const [pg, list] = [pa + n * k, pa + n * k + n * m];
  const gp = (list + n + 1) & ~1;
  const po = home ? out.byteOffset / 8 : gp + n * m;
  const h = home?.heap ?? reserve(w, po + k * m);
  h.set(a, pa);
  h.set(g, pg);
  if (!home) h.set(out, po);
  w.matmulTransposeA(po * 8, pa * 8, pg * 8, n, k, m, w.allFinite(pg * 8, n * m), list * 8, gp * 8);
  if (!home) out.set(h.subarray(po, po + k * m));
}

/**
 * Builds the WebAssembly backend; what the kernels do not cover runs on `typescript`. Throws,
 * saying why, where it cannot run (no WebAssembly SIMD, no kernels built, no compiling allowed).
 */
export function wasmBackend(typescript: EngineBackend): EngineBackend {
  if (!kernelsWasm) throw new Error("its kernels were not built: run npm run wasm");
  const bytes = Uint8Array.from(atob(kernelsWasm), (c) => c.charCodeAt(0));
  if (!WebAssembly.validate(bytes)) throw new Error("this runtime has no WebAssembly SIMD");
  compiled = new WebAssembly.Module(bytes);
  wasm = new WebAssembly.Instance(compiled).exports as unknown as Exports;
  // below SMALL multiply-adds, copying in and out costs more than the kernel saves
  const small = (n: number, k: number, m: number) => n * k * m < SMALL;
  return {
    name: "wasm",
    matmulInto(out, a, b, n, k, m) {
      if (small(n, k, m)) typescript.matmulInto(out, a, b, n, k, m);
      else product(out, a, b, n, k, m);
    },
    matmulTransposeAInto(out, a, g, n, k, m) {
      if (small(n, k, m)) typescript.matmulTransposeAInto(out, a, g, n, k, m);
      else matmulTransposeAInto(out, a, g, n, k, m);
    },
    matmulTransposeBInto(out, g, b, n, m, k) {
      if (small(n, k, m)) typescript.matmulTransposeBInto(out, g, b, n, m, k);
      else matmulTransposeBInto(out, g, b, n, m, k);
    },
    // the product, bias and activation in one go for relu and the identity
    linearInto(y, x, W, b, n, k, m, f: FusedActivation) {
      if (small(n, k, m) || (f !== "relu" && f !== "identity")) {
        typescript.linearInto(y, x, W, b, n, k, m, f);
      } else product(y, x, W, n, k, m, b, f === "relu" ? 1 : 0);
    },
    parameterZeros,
    zerosBeside,
    // the updates run in place where the parameter and its arrays share an arena
    sgd(w, g, lr) {
      const arena = arenaOf(w, g);
      if (!arena) return typescript.sgd(w, g, lr);
      arena.w.sgd(w.byteOffset, g.byteOffset, (w.length + 1) >> 1, lr);
    },
    momentum(w, g, v, lr, beta) {
      const arena = arenaOf(w, g, v);
      if (!arena) return typescript.momentum(w, g, v, lr, beta);
      arena.w.momentum(w.byteOffset, g.byteOffset, v.byteOffset, (w.length + 1) >> 1, lr, beta);
    },
    adam(w, g, m, v, settings: AdamSettings, c1, c2) {
      const arena = arenaOf(w, g, m, v);
      if (!arena) return typescript.adam(w, g, m, v, settings, c1, c2);
      const { lr, beta1, beta2, eps } = settings;
      const [pw, pg, pm, pv] = [w, g, m, v].map((x) => x.byteOffset);
      arena.w.adam(pw, pg, pm, pv, (w.length + 1) >> 1, lr, beta1, beta2, eps, c1, c2);
    },
  };
}
