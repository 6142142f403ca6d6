// The datasets, by name: datasets.and(), datasets.spiral({ n: 1000 }), …
import { and, blobs, circles, moons, or, spiral, xor } from "./toy.ts";

export type { CloudOptions, Dataset } from "./toy.ts";

/**
 * Small datasets, each `{ x: number[][], y: number[] }`: the logic gates (and, or, xor) and
 * seeded 2-D point clouds (blobs, moons, circles, spiral). The handwritten digits load
 * separately, with loadDigits().
 */
export const datasets = { and, or, xor, blobs, moons, circles, spiral };
