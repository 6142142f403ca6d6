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
