import { describe, expect, it } from "vitest";
import { digitGrid, lossCurve } from "../../src/charts/index.ts";
import { draw, inData, marks, texts, vertices } from "./helpers.ts";

const history = Array.from({ length: 20 }, (_, i) => ({
  epoch: i + 1,
  loss: 0.7 * Math.exp(-i / 5) + 0.02,
  accuracy: Math.min(1, 0.5 + i * 0.03),
}));

describe("lossCurve(history)", () => {
  it("draws the loss per epoch", () => {
    const drawn = draw(lossCurve(history.map(({ epoch, loss }) => ({ epoch, loss }))));
    const d = marks(drawn.root, "line")[0].querySelector("path")!.getAttribute("d")!;
    const points = vertices(d).map((p) => inData(drawn, p));
    const expected = history.map((h) => [expect.closeTo(h.epoch, 1), expect.closeTo(h.loss, 2)]);
    expect(points).toEqual(expected);
  });

  it("adds an accuracy panel when the history has accuracies", () => {
    const drawn = draw(lossCurve(history));
    expect(drawn.scale("fy")!.domain).toEqual(["loss", "accuracy"]);
    expect(drawn.root.querySelectorAll('g[aria-label="line"] path').length).toBe(2);
    expect(draw(lossCurve([{ epoch: 1, loss: 1 }])).scale("fy")).toBeUndefined();
  });

  it("states the first, last and lowest loss and the accuracy in the alt text", () => {
    const bumpy = [
      { epoch: 1, loss: 0.9, accuracy: 0.5 },
      { epoch: 2, loss: 0.3, accuracy: 0.8 },
      { epoch: 3, loss: 0.4, accuracy: 0.75 },
    ];
    expect(lossCurve(bumpy).alt).toBe(
      "Loss per epoch over 3 epochs: it falls from 0.9 at epoch 1 to 0.4 at epoch 3 (lowest 0.3, " +
        "at epoch 2). Accuracy rises from 50% to 75%.",
    );
    const diverged = [{ epoch: 1, loss: 2 }, { epoch: 2, loss: 50 }, { epoch: 3, loss: NaN }];
    expect(lossCurve(diverged).alt).toContain("1 epochs have no finite loss: the run diverged.");
    expect(() => lossCurve([])).toThrow(/expected a non-empty history/);
  });
});

describe("digitGrid(options)", () => {
  // a 4 × 3 image with one full pixel (row 1, column 2) and one half pixel (row 2, column 0)
  const image = [0, 0, 0, 0, 0, 0, 1, 0, 0.5, 0, 0, 0];

  it("draws each ink pixel where it belongs, darker for more ink", () => {
    const drawn = draw(digitGrid({ images: [image], width: 4, height: 3 }));
    const ink = marks(drawn.root, "ink")[0];
    const paths = [...ink.querySelectorAll("path")];
    const byOpacity = new Map(
      paths.map((p) => [Number(p.getAttribute("fill-opacity")), p.getAttribute("d")!]),
    );
    expect([...byOpacity.keys()].sort()).toEqual([0.6, 1]); // 0.5 rounds to 3 of 5 shades
    const corner = (d: string) => {
      const m = /M([-\d.]+),([-\d.]+)/.exec(d)!;
      return [Math.round(drawn.x.invert(Number(m[1]))), Math.round(drawn.y.invert(Number(m[2])))];
    };
    expect(corner(byOpacity.get(1)!)).toEqual([2, 1]);
    expect(corner(byOpacity.get(0.6)!)).toEqual([0, 2]);
  });

  it("marks wrong predictions and names them in the alt text", () => {
    const spec = digitGrid({
      images: [image, image, image],
      width: 4,
      height: 3,
      labels: [7, 2, 5],
      predictions: [7, 1, 5],
    });
    const captions = texts(marks(draw(spec).root, "text")[0]);
    expect(captions).toEqual(["7 ✓", "2→1 ✗", "5 ✓"]);
    expect(spec.alt).toBe(
      "3 handwritten digit images of 4 × 3 pixels, 3 per row. " +
        "The model reads 2 of 3 correctly; wrong: a 2 read as 1.",
    );
  });

  it("lays 28 × 28 digits out narrow enough to shrink on a phone rather than scroll", () => {
    const blank = Array.from({ length: 784 }, () => 0);
    for (const [count, columns] of [[10, 5], [12, 6], [24, 6], [4, 4]]) {
      const images = Array.from({ length: count }, () => blank);
      const spec = digitGrid({ images, width: 28, height: 28 });
      expect(spec.alt).toContain(`, ${columns} per row`);
      expect(Number(spec.options.width)).toBeLessThanOrEqual(600);
    }
  });

  it("keeps captions at least 9px when the grid shrinks to a 358px phone column", () => {
    const blank = Array.from({ length: 784 }, () => 0);
    for (const columns of [4, 6, 10, 14]) {
      const images = Array.from({ length: 2 * columns }, () => blank);
      const labels = images.map((_, k) => k % 10);
      const predictions = labels.map((label) => (label + 1) % 10); // every caption "7→8 ✗"
      const spec = digitGrid({ images, width: 28, height: 28, columns, labels, predictions });
      const width = Number(spec.options.width);
      const group = marks(draw(spec).root, "text")[0];
      const size = Number(group.getAttribute("font-size"));
      // rendered size = chart size × (column width / chart width), when the chart must shrink
      expect(size * Math.min(1, 358 / width), `${columns} columns`).toBeGreaterThanOrEqual(9);
    }
  });

  it("checks every image has width × height pixels", () => {
    expect(() => digitGrid({ images: [image, [0, 1]], width: 4, height: 3 })).toThrow(
      "digitGrid: image 1 has 2 pixels; expected width × height = 4 × 3 = 12. " +
        "Check the width and height options.",
    );
  });
});
