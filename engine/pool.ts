// Reusable gradient buffers: allocating a typed array costs more than filling one, so the
// backward pass hands the buffers of intermediate results back here for the next pass.

const free = new Map<number, Float64Array[]>();
/** Buffers kept per length; enough for the deepest graphs trained here. */
const KEEP = 64;

/** A zero-filled buffer of `length` numbers, reused when one is free. */
export function takeZeros(length: number): Float64Array {
  const buffer = free.get(length)?.pop();
  return buffer ? buffer.fill(0) : new Float64Array(length);
}

/** Gives a buffer back; nothing may use it afterwards. */
export function giveBack(buffer: Float64Array): void {
  let list = free.get(buffer.length);
  if (!list) free.set(buffer.length, (list = []));
  if (list.length < KEEP) list.push(buffer);
}

/**
 * Where parameters, their gradients and an optimizer's state are kept: ordinary arrays here;
 * engine/fast/ places large ones in WebAssembly memory, where its kernels use them in place.
 */
export const storage = {
  /** The numbers of a parameter of shape [rows, cols], or undefined for an ordinary array. */
  place: (_rows: number, _cols: number): Float64Array | undefined => undefined,
  /** A zero-filled array as long as `data`, kept beside it: a gradient, an optimizer's state. */
  beside: (data: Float64Array): Float64Array => new Float64Array(data.length),
};
