// Small 2-D datasets for the figures and the first networks: logic gates and point clouds.
import { rng, type Rng } from "../rng.ts";
import { describe } from "../value.ts";

/** A dataset: `x[i]` is example i's inputs, `y[i]` its label (0, 1, …). */
export interface Dataset {
  x: number[][];
  y: number[];
}

/** Options of the point-cloud datasets. */
export interface CloudOptions {
  /** Number of points in all (default 200), split evenly between the classes. */
  n?: number;
  /** Standard deviation of the Gaussian noise added to each coordinate. */
  noise?: number;
  /** Seed of the noise and the order of the points (default 0). */
  seed?: number;
  /** Number of classes (blobs and spiral; default 2). */
  classes?: number;
}

// The truth tables of the logic gates, inputs 0 and 1.
const gateInputs = [
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1],
];
const gate = (rule: (a: number, b: number) => boolean): Dataset => ({
  x: gateInputs.map((row) => [...row]),
  y: gateInputs.map(([a, b]) => (rule(a, b) ? 1 : 0)),
});

/** AND: 1 only when both inputs are 1. A line separates it. */
export const and = (): Dataset => gate((a, b) => a === 1 && b === 1);
/** OR: 1 when either input is 1. A line separates it. */
export const or = (): Dataset => gate((a, b) => a === 1 || b === 1);
/** XOR: 1 when exactly one input is 1. No single line separates it. */
export const xor = (): Dataset => gate((a, b) => a !== b);

/**
 * Gaussian blobs: one cloud per class, centres evenly spaced on a circle of radius 2.
 *
 * @example
 * blobs({ n: 300, classes: 3, noise: 0.5, seed: 1 }).x.length; // 300
 */
export function blobs(options: CloudOptions = {}): Dataset {
  return cloud("blobs", { noise: 0.5, classes: 2, ...options }, (k, _t, classes) => {
    const angle = (2 * Math.PI * k) / classes;
    return [2 * Math.cos(angle), 2 * Math.sin(angle)];
  });
}

/** Two interleaving half circles (class 0 on top, class 1 below), centred on the origin. */
export function moons(options: CloudOptions = {}): Dataset {
  return cloud("moons", { noise: 0.1, ...options, classes: 2 }, (k, t) => {
    const angle = Math.PI * t;
    return k === 0
      ? [Math.cos(angle) - 0.5, Math.sin(angle) - 0.25]
      : [0.5 - Math.cos(angle), 0.25 - Math.sin(angle)];
  });
}

/** Two rings: class 0 on a circle of radius 1, class 1 inside at radius 0.5. */
export function circles(options: CloudOptions = {}): Dataset {
  return cloud("circles", { noise: 0.05, ...options, classes: 2 }, (k, t) => {
    const [angle, radius] = [2 * Math.PI * t, k === 0 ? 1 : 0.5];
    return [radius * Math.cos(angle), radius * Math.sin(angle)];
  });
}

/**
 * Spiral arms, one per class, each turning once around the origin as it grows from the centre
 * to radius 1. A curved boundary no single line can draw: a test for hidden layers.
 *
 * @example
 * spiral({ n: 1000, noise: 0.05, seed: 1 }).y.length; // 1000
 */
export function spiral(options: CloudOptions = {}): Dataset {
  return cloud("spiral", { noise: 0.05, classes: 2, ...options }, (k, t, classes) => {
    const radius = 0.05 + 0.95 * t;
    const angle = 2 * Math.PI * (t + k / classes);
    return [radius * Math.cos(angle), radius * Math.sin(angle)];
  });
}

// Builds a point cloud: point i of class k sits at place(k, t) with t evenly in [0, 1], plus
// noise; then the points are shuffled so that any slice mixes the classes.
function cloud(
  name: string,
  options: Required<Pick<CloudOptions, "noise" | "classes">> & CloudOptions,
  place: (k: number, t: number, classes: number) => number[],
): Dataset {
  const { n = 200, noise, seed = 0, classes } = options;
  if (!(Number.isInteger(n) && n >= classes)) {
    throw new Error(
      `datasets.${name}: n must be a whole number of points, at least one per class ` +
        `(${classes}), received ${describe(n)}. Try { n: 200 }.`,
    );
  }
  if (!(typeof noise === "number" && noise >= 0 && Number.isFinite(noise))) {
    throw new Error(
      `datasets.${name}: noise must be a number ≥ 0, received ${describe(noise)}. ` +
        `Try { noise: 0.1 }.`,
    );
  }
  if (!(Number.isInteger(classes) && classes >= 2)) {
    throw new Error(
      `datasets.${name}: classes must be a whole number ≥ 2, received ${describe(classes)}.`,
    );
  }
  const random: Rng = rng(seed);
  const points: { x: number[]; y: number }[] = [];
  for (let k = 0; k < classes; k++) {
    const count = Math.floor(n / classes) + (k < n % classes ? 1 : 0);
    for (let i = 0; i < count; i++) {
      const t = count === 1 ? 0.5 : i / (count - 1);
      const [a, b] = place(k, t, classes);
      points.push({ x: [a + noise * random.normal(), b + noise * random.normal()], y: k });
    }
  }
  random.shuffle(points);
  return { x: points.map((p) => p.x), y: points.map((p) => p.y) };
}
