import { describe, expect, test } from "vitest";
import { datasets } from "../../engine/index.ts";

describe("datasets", () => {
  test("and(), or() and xor() are the truth tables", () => {
    expect(datasets.and()).toEqual({ x: [[0, 0], [0, 1], [1, 0], [1, 1]], y: [0, 0, 0, 1] });
    expect(datasets.or().y).toEqual([0, 1, 1, 1]);
    expect(datasets.xor().y).toEqual([0, 1, 1, 0]);
  });

  for (const name of ["blobs", "moons", "circles", "spiral"] as const) {
    test(`${name}({ n, seed }) gives n 2-D points, balanced, the same for one seed`, () => {
      const data = datasets[name]({ n: 301, seed: 5 });
      expect(data.x).toHaveLength(301);
      expect(data.x.every((p) => p.length === 2 && p.every(Number.isFinite))).toBe(true);
      const counts = [0, 1].map((k) => data.y.filter((y) => y === k).length);
      expect(counts).toEqual([151, 150]);
      expect(datasets[name]({ n: 301, seed: 5 })).toEqual(data);
      expect(datasets[name]({ n: 301, seed: 6 }).x).not.toEqual(data.x);
      // shuffled: the first tenth already mixes both classes
      expect(new Set(data.y.slice(0, 30)).size).toBe(2);
    });
  }

  test("spiral and blobs take a number of classes", () => {
    expect(new Set(datasets.spiral({ n: 300, classes: 3 }).y)).toEqual(new Set([0, 1, 2]));
    expect(new Set(datasets.blobs({ n: 300, classes: 4 }).y)).toEqual(new Set([0, 1, 2, 3]));
  });

  test("noise 0 puts the circles' points exactly on radius 1 and 0.5", () => {
    const { x, y } = datasets.circles({ n: 50, noise: 0 });
    x.forEach(([a, b], i) => expect(Math.hypot(a, b)).toBeCloseTo(y[i] === 0 ? 1 : 0.5, 12));
  });

  test("bad options say what was received", () => {
    expect(() => datasets.spiral({ n: 0 })).toThrow(
      "datasets.spiral: n must be a whole number of points, at least one per class (2), " +
        "received number 0. Try { n: 200 }.",
    );
    expect(() => datasets.moons({ noise: -1 })).toThrow(
      "datasets.moons: noise must be a number ≥ 0, received number -1. Try { noise: 0.1 }.",
    );
    expect(() => datasets.blobs({ classes: 1 })).toThrow(
      "datasets.blobs: classes must be a whole number ≥ 2, received number 1.",
    );
  });
});
