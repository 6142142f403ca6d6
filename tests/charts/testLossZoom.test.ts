import { describe, expect, it } from "vitest";
import { fmt, testLossZoom, type TrainTestEntry } from "../../src/charts/index.ts";
import { draw, dotPositions, marks, texts, vertices } from "./helpers.ts";

// The shape of chapter 8's run: the test loss falls for eight epochs, then climbs a little (0.011),
// while the whole of it spans ten times that. Training scores are left constant: not drawn.
const testLosses = [0.268, 0.238, 0.208, 0.183, 0.18, 0.173, 0.167, 0.159, 0.17, 0.17];
const history: TrainTestEntry[] = testLosses.map((testLoss, i) => ({
  epoch: i + 1,
  loss: 0.5 / (i + 1),
  accuracy: 0.95,
  testLoss,
  testAccuracy: 0.95,
}));

/** The plot's frame, top and bottom, in pixels (the chart's height less its margins). */
const frame = (drawn: ReturnType<typeof draw>) => {
  const [a, b] = (drawn.y as unknown as { range: [number, number] }).range;
  return { top: Math.min(a, b), bottom: Math.max(a, b) };
};

describe("testLossZoom(history)", () => {
  it("draws the climb after the lowest epoch over a third of the plot's height, or more", () => {
    const drawn = draw(testLossZoom(history));
    const { top, bottom } = frame(drawn);
    const line = vertices(marks(drawn.root, "line")[0].querySelector("path")!.getAttribute("d")!);
    expect(line.length).toBe(10);
    // epoch 8 (index 7) is the lowest on screen, epoch 10 climbs back
    const lowest = line[7].y;
    expect(Math.max(...line.map((p) => p.y))).toBe(lowest); // y grows downwards
    expect((lowest - line[9].y) / (bottom - top)).toBeGreaterThan(1 / 3);
    // on the scale of the whole loss (from 0) the same climb would be a twenty-fifth of it
    expect((0.17 - 0.159) / 0.268).toBeLessThan(1 / 20);
    // the lowest point stands clear of the axis, with room for its label under it
    expect(bottom - lowest).toBeGreaterThan(20);
  });

  it("marks the lowest epoch with a dot, a dotted line and its loss and epoch under it", () => {
    const drawn = draw(testLossZoom(history));
    const words = marks(drawn.root, "text").flatMap((g) => texts(g));
    expect(words).toContain("lowest: 0.159, epoch 8");
    expect(words).toContain("test loss, zoomed in on its lowest");
    expect(words).toContain("0.17"); // the last epoch's loss, at the line's end
    const rule = marks(drawn.root, "rule")[0].querySelector("line")!;
    expect(Math.round(drawn.x.invert(Number(rule.getAttribute("x1"))))).toBe(8);
    const [dot] = dotPositions(marks(drawn.root, "dot")[1]);
    expect([Math.round(drawn.x.invert(dot.x)), fmt(drawn.y.invert(dot.y), 3)]).toEqual([8, "0.159"]);
    const label = [...drawn.root.querySelectorAll("text")].find((t) => t.textContent?.startsWith("lowest"))!;
    // its y: its own place, the offsets of the groups around it, and its line set under that
    let y = 0;
    for (let at: Element | null = label; at && at !== drawn.root; at = at.parentElement) {
      y += Number(/translate\([-\d.]+,([-\d.]+)\)/.exec(at.getAttribute("transform") ?? "")?.[1] ?? 0);
    }
    expect(y).toBeGreaterThan(dot.y + 6); // under the dot, where the line never goes
    expect(label.getAttribute("y")).toBe("0.71em"); // its top at that point, the text below it
  });

  it("marks the epochs that run off the top with an arrow each", () => {
    const drawn = draw(testLossZoom(history));
    const top = drawn.y.invert(frame(drawn).top);
    const above = history.filter((h) => h.testLoss > top).map((h) => h.epoch);
    expect(above).toEqual([1, 2, 3, 4]);
    const arrows = [...drawn.root.querySelectorAll("text")].filter((t) => t.textContent === "↑");
    expect(arrows.map((t) => Math.round(drawn.x.invert(
      Number(/translate\(([-\d.]+),/.exec(t.getAttribute("transform")!)![1]),
    )))).toEqual(above);
    // only the epochs inside get a dot
    expect(dotPositions(marks(drawn.root, "dot")[0]).length).toBe(6);
  });

  it("keeps the lowest epoch's label inside the frame at either end of the axis", () => {
    const anchorOf = (h: TrainTestEntry[]) => {
      const drawn = draw(testLossZoom(h));
      const label = [...drawn.root.querySelectorAll("text")].find((t) => t.textContent?.startsWith("lowest"))!;
      return label.closest("g")!.getAttribute("text-anchor") ?? "middle";
    };
    const rising = history.map((h, i) => ({ ...h, testLoss: 0.15 + 0.01 * i }));
    expect(anchorOf(rising)).toBe("start"); // lowest at epoch 1
    expect(anchorOf(history)).toBe("end"); // epoch 8 of 10
    expect(anchorOf(history.slice(0, 8))).toBe("end"); // the last epoch
    const middle = history.map((h, i) => ({ ...h, testLoss: 0.2 + 0.01 * Math.abs(i - 4.5) }));
    expect(anchorOf(middle)).toBe("middle");
  });

  it("says how the test loss falls and rises, and by how much", () => {
    expect(testLossZoom(history).alt).toBe(
      "The test loss alone, per epoch, on an axis zoomed in on its lowest value. It falls from " +
        "0.268 at epoch 1 to its lowest, 0.159, at epoch 8, then rises to 0.17 by epoch 10, " +
        "0.011 above its lowest. Epochs 1 to 4 lie above the top of the axis, marked by arrows.",
    );
    expect(testLossZoom(history.slice(0, 8)).alt).toContain(
      "to its lowest, 0.159, at epoch 8, the last one: it has not risen yet.",
    );
    expect(testLossZoom(history.slice(0, 1)).alt).toContain("One epoch: the test loss is 0.268.");
  });

  it("asks for the test scores when an entry lacks them, naming itself", () => {
    expect(() => testLossZoom([{ epoch: 1, loss: 0.5, accuracy: 0.8 }] as never)).toThrow(
      "testLossZoom: entry 0 has testLoss undefined; expected finite numbers for epoch, loss, " +
        "accuracy, testLoss, testAccuracy",
    );
  });

  it("carries its alt text as Plot's ariaLabel", () => {
    const spec = testLossZoom(history);
    expect(spec.options.ariaLabel).toBe(spec.alt);
  });
});
