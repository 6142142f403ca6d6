import { describe, expect, test } from "vitest";
import { rng } from "../../engine/index.ts";

describe("rng", () => {
  test("rng(seed) repeats its sequence for one seed and differs for another", () => {
    const take = (seed: number) => Array.from({ length: 5 }, rng(seed).next);
    expect(take(1)).toEqual(take(1));
    expect(take(1)).not.toEqual(take(2));
  });

  test("next() stays in [0, 1) with a mean near 1/2; normal() has mean 0 and variance 1", () => {
    const r = rng(3);
    const u = Array.from({ length: 20000 }, r.next);
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    expect(u.reduce((s, v) => s + v, 0) / u.length).toBeCloseTo(0.5, 1);
    const z = Array.from({ length: 20000 }, r.normal);
    const mean = z.reduce((s, v) => s + v, 0) / z.length;
    const variance = z.reduce((s, v) => s + (v - mean) ** 2, 0) / z.length;
    expect(mean).toBeCloseTo(0, 1);
    expect(variance).toBeCloseTo(1, 1);
  });

  test("int(n) covers 0 … n − 1 and shuffle keeps every item", () => {
    const r = rng(4);
    expect(new Set(Array.from({ length: 200 }, () => r.int(5)))).toEqual(new Set([0, 1, 2, 3, 4]));
    const items = Array.from({ length: 20 }, (_, i) => i);
    const shuffled = r.shuffle([...items]);
    expect(shuffled).not.toEqual(items);
    expect([...shuffled].sort((a, b) => a - b)).toEqual(items);
  });

  test("a seed that is not a number is refused", () => {
    expect(() => rng(Number.NaN)).toThrow(
      "rng: seed must be a finite number, received NaN. Try rng(1).",
    );
  });
});
