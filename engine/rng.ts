// Seeded randomness: one seed, always the same numbers (the engine never calls Math.random).

/** A seeded random number generator. */
export interface Rng {
  /** A uniform number in [0, 1). */
  next(): number;
  /** A uniform number in [low, high). */
  uniform(low: number, high: number): number;
  /** A standard normal number (mean 0, standard deviation 1). */
  normal(): number;
  /** A whole number in 0, 1, …, n − 1. */
  int(n: number): number;
  /** Shuffles `items` in place (Fisher–Yates) and returns it. */
  shuffle<T>(items: T[]): T[];
}

/**
 * The generator for what is made without a seed, shared by all of it: seeded 0 when the engine
 * loads, so a program run from its start repeats, while two seedless layers start different.
 */
let unseeded: Rng | null = null;

/** rng(seed) for a seed, else the engine's shared generator (layers use it without a seed). */
export function seeded(seed: number | undefined): Rng {
  return seed === undefined ? (unseeded ??= rng(0)) : rng(seed);
}

/**
 * Makes a generator from a seed (mulberry32: 32 bits of state, fast, good enough for teaching).
 *
 * @example
 * const random = rng(1);
 * random.next(); // the same number every time the seed is 1
 */
export function rng(seed: number): Rng {
  if (!Number.isFinite(seed)) {
    throw new Error(`rng: seed must be a finite number, received ${String(seed)}. Try rng(1).`);
  }
  let state = Math.floor(seed) >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  return {
    next,
    int,
    uniform: (low, high) => low + (high - low) * next(),
    // Box–Muller: two uniforms make one normal (1 − u keeps the logarithm away from 0).
    normal: () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next()),
    shuffle(items) {
      for (let i = items.length - 1; i > 0; i--) {
        const j = int(i + 1);
        [items[i], items[j]] = [items[j], items[i]];
      }
      return items;
    },
  };
}
