import { describe, expect, it } from "vitest";
import { convolutionStep, palette } from "../../src/charts/index.ts";
import { draw, marks, texts } from "./helpers.ts";

// A 4 × 4 image with a vertical stroke in column 2, and a 2 × 2 "left edge" filter.
const image = [0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0];
const filter = [
  [-1, 1],
  [-1, 1],
];
// The feature map, 3 × 3, computed the plain way: the net sum at every position.
const map: number[] = [];
for (let i = 0; i < 3; i++) {
  for (let j = 0; j < 3; j++) {
    let z = 0;
    for (let u = 0; u < 2; u++) for (let v = 0; v < 2; v++) z += filter[u][v] * image[(i + u) * 4 + j + v];
    map.push(z);
  }
}

// The rectangles of a rect mark in data units: [x1, y1, x2, y2].
function rects(group: Element, drawn: ReturnType<typeof draw>): number[][] {
  return [...group.querySelectorAll("rect")].map((r) => {
    const [x, y, w, h] = ["x", "y", "width", "height"].map((a) => Number(r.getAttribute(a)));
    return [drawn.x.invert(x), drawn.y.invert(y), drawn.x.invert(x + w), drawn.y.invert(y + h)].map(
      (v) => Math.round(v * 100) / 100,
    );
  });
}

describe("convolutionStep(options)", () => {
  it("outlines the filter's window on the image and its output on the map", () => {
    expect(map).toEqual([0, 2, -2, 0, 2, -2, 0, 2, -2]);
    const drawn = draw(convolutionStep({ image, width: 4, height: 4, filter, map, position: 5 }));
    const groups = marks(drawn.root, "rect");
    const outlines = rects(groups[groups.length - 1], drawn);
    // position 5 is row 2, column 2 (from 1): the window covers image pixels (1..3, 1..3);
    // the map starts 4 + 4 = 8 pixels right, 0.5 down (3 rows centred beside 4)
    expect(outlines).toEqual([
      [1, 1, 3, 3],
      [9, 1.5, 10, 2.5],
    ]);
  });

  it("fills the map only up to the position, blue where positive and orange where negative", () => {
    const drawn = draw(convolutionStep({ image, width: 4, height: 4, filter, map, position: 3 }));
    const groups = marks(drawn.root, "rect");
    const filled = groups[2]; // frames, ink, then the map's outputs so far
    const cells = [...filled.querySelectorAll("rect")];
    expect(cells.length).toBe(3);
    expect(cells.map((c) => c.getAttribute("fill"))).toEqual([palette.class1, palette.class1, palette.class0]);
    // the strength follows |z| over the whole map: 0, 2 and −2 of at most 2
    expect(cells.map((c) => Number(c.getAttribute("fill-opacity") ?? 1))).toEqual([0, 1, 1]);
    const labels = marks(drawn.root, "text").flatMap((g) => texts(g));
    // the output and its place on two lines, each short enough to fit under the map
    const below = [...drawn.root.querySelectorAll("text")].find((t) => t.textContent?.startsWith("z ="))!;
    expect([...below.querySelectorAll("tspan")].map((t) => t.textContent)).toEqual(["z = −2", "at row 1, column 3"]);
    expect(labels).toContain("feature map, 3 × 3");
  });

  it("states the position, its output and the range of the map so far in its alt text", () => {
    expect(convolutionStep({ image, width: 4, height: 4, filter, map, position: 5 }).alt).toBe(
      "A 2 × 2 filter on a 4 × 4 image, at position 5 of 9 (row 2, column 2): the pixels under " +
        "it give z = 2. The 3 × 3 feature map holds the first 5 of its 9 outputs, from −2 (row 1, " +
        "column 3) to 2 (row 1, column 2).",
    );
    expect(convolutionStep({ image, width: 4, height: 4, filter, map, position: 9 }).alt).toContain(
      "holds all its 9 outputs",
    );
  });

  it("says what it expected when the map or the position does not fit", () => {
    expect(() => convolutionStep({ image, width: 4, height: 4, filter, map: [1, 2], position: 1 })).toThrow(
      "convolutionStep: received a map of 2 outputs; expected 3 × 3 = 9 finite numbers, one per " +
        "position of the filter, row by row",
    );
    expect(() => convolutionStep({ image, width: 4, height: 4, filter, map, position: 10 })).toThrow(
      "convolutionStep: received position 10; expected a whole number from 1 to 9 " +
        "(how many outputs are computed so far)",
    );
  });

  it("carries its alt text as Plot's ariaLabel", () => {
    const spec = convolutionStep({ image, width: 4, height: 4, filter, map, position: 1 });
    expect(spec.options.ariaLabel).toBe(spec.alt);
  });
});
