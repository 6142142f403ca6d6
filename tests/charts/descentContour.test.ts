import { describe, expect, it } from "vitest";
import { descentContour, valley, valleyWalk } from "../../src/charts/index.ts";
import { draw, dotPositions, marks } from "./helpers.ts";

// The update rule written out on the valley, with its gradient measured by central differences.
function reference(start: [number, number], lr: number, steps: number): [number, number][] {
  const h = 1e-6;
  const path: [number, number][] = [start];
  for (let k = 0; k < steps; k++) {
    const [a, b] = path[path.length - 1];
    const g1 = (valley.J(a + h, b) - valley.J(a - h, b)) / (2 * h);
    const g2 = (valley.J(a, b + h) - valley.J(a, b - h)) / (2 * h);
    path.push([a - lr * g1, b - lr * g2]);
  }
  return path;
}

describe("valleyWalk(start, lr, steps)", () => {
  it("applies w ← w − α·∇J to both weights at once", () => {
    const walk = valleyWalk([-2, 2.5], 0.4, 10);
    const ref = reference([-2, 2.5], 0.4, 10);
    expect(walk.map((p) => [p.w1, p.w2])).toEqual(
      ref.map(([a, b]) => [expect.closeTo(a, 6), expect.closeTo(b, 6)]),
    );
  });
});

describe("descentContour(options)", () => {
  it("draws the walk's first `shown` steps where the update rule puts them", () => {
    const drawn = draw(descentContour({ start: [-2, 2.5], lr: 0.4, steps: 25, shown: 4 }));
    const ref = reference([-2, 2.5], 0.4, 4);
    const dots = marks(drawn.root, "dot");
    const steps = dotPositions(dots[1]).map((p) => [drawn.x.invert(p.x), drawn.y.invert(p.y)]);
    expect(steps).toEqual(ref.map(([a, b]) => [expect.closeTo(a, 2), expect.closeTo(b, 2)]));
    expect(marks(drawn.root, "arrow")[0].querySelectorAll("path").length).toBe(4);
  });

  it("says in words how the walk goes: zig-zagging, crawling, bouncing or diverging", () => {
    const at = (lr: number) => descentContour({ lr }).alt;
    expect(at(0.4)).toContain(
      "the walk, zig-zagging across the valley, reaches the minimum (1, 1), to two decimals, after 13 steps.",
    );
    expect(at(0.05)).toContain(
      "not yet at the minimum (1, 1): the steps are small along the valley, where it is flat.",
    );
    expect(at(0.5)).toContain(
      "it bounces from one side of the valley to the other without settling",
    );
    expect(at(0.55)).toContain(
      "every step across the valley overshoots further: the walk diverges. The cost grows from 9 to 4.1 × 10⁴ in 25 steps",
    );
  });

  it("says where the weights are while the walk is under way, and writes it under the chart with caption", () => {
    const spec = descentContour({ shown: 3, caption: true });
    const [a, b] = reference([-2, 2.5], 0.4, 3)[3];
    expect(spec.alt).toContain(
      `After 3 of 25 steps the weights are at (${a.toFixed(2).replace("-", "−")}, ${b.toFixed(2)})`,
    );
    expect(spec.options.caption).toBe(
      spec.alt.replace(/^Contour lines of the cost .*?lowest at \(1, 1\)\. /, ""),
    );
    expect(descentContour({ shown: 0 }).alt).toContain("The walk has not started yet");
    expect(descentContour().options.caption).toBeUndefined();
  });

  it("refuses a start that is not two numbers", () => {
    expect(() => descentContour({ start: [1] as never })).toThrow(
      "descentContour: invalid start [1] (expected two weights [w₁, w₂], such as [-2, 2.5])",
    );
    expect(() => descentContour({ lr: Number.POSITIVE_INFINITY })).toThrow(
      "descentContour: invalid lr null (expected a finite number)",
    );
  });
});
