import { describe, expect, it } from "vitest";
import { confusionCounts, confusionMatrix, palette } from "../../src/charts/index.ts";
import { draw, marks, texts } from "./helpers.ts";

// Three classes, eight examples: two mistakes "2 read as 0" and one "1 read as 2".
const labels = [0, 0, 1, 1, 1, 2, 2, 2];
const predictions = [0, 0, 1, 1, 2, 0, 0, 2];

describe("confusionCounts(options)", () => {
  it("counts every pair of true class and answer, row by row", () => {
    const cells = confusionCounts({ labels, predictions, classes: 3 });
    expect(cells.map((c) => c.count)).toEqual([2, 0, 0, 0, 2, 1, 2, 0, 1]);
    expect(cells[5]).toEqual({ label: 1, predicted: 2, count: 1 });
    expect(confusionCounts({ labels: [9], predictions: [4] }).length).toBe(100);
  });
});

describe("confusionMatrix(options)", () => {
  it("writes each non-zero count in its square: the true class down, the answer across", () => {
    const drawn = draw(confusionMatrix({ labels, predictions, classes: 3 }));
    // two text marks: the diagonal's counts (bold), then the mistakes'
    const [right, wrong] = marks(drawn.root, "text");
    expect(right.getAttribute("font-weight")).toBe("bold");
    const placed = [right, wrong].flatMap((group) =>
      [...group.querySelectorAll("text")].map((t) => {
        const m = /translate\(([-\d.]+),([-\d.]+)\)/.exec(t.getAttribute("transform") ?? "")!;
        // each text sits at the start of its bands; its group moves it to their middle
        return [Number(m[1]), Number(m[2]), t.textContent];
      }),
    );
    const at = (label: number, predicted: number) => [drawn.x.apply(predicted), drawn.y.apply(label)];
    const expected = [[0, 0, "2"], [1, 1, "2"], [2, 2, "1"], [1, 2, "1"], [2, 0, "2"]];
    expect(placed).toEqual(
      expected.map(([label, predicted, text]) => [...at(label as number, predicted as number), text]),
    );
    expect(texts(right).concat(texts(wrong))).not.toContain("0");
  });

  it("tints the diagonal green and the mistakes red, darker for more", () => {
    const drawn = draw(confusionMatrix({ labels, predictions, classes: 3 }));
    const squares = [...marks(drawn.root, "cell")[0].querySelectorAll("rect")];
    expect(squares.length).toBe(9);
    const fill = squares.map((r) => r.getAttribute("fill"));
    const opacity = squares.map((r) => Number(r.getAttribute("fill-opacity") ?? 1));
    // squares come row by row: (0,0), (0,1) … (2,2)
    expect(fill[0]).toBe(palette.highlight);
    expect(fill[6]).toBe(palette.wrong);
    expect(opacity[6]).toBeGreaterThan(opacity[5]); // 2 mistakes darker than 1
    expect(opacity[1]).toBe(0); // no mistakes, no tint
  });

  it("gives the share right, the commonest mistakes and the class missed most in its alt text", () => {
    expect(confusionMatrix({ labels, predictions, classes: 3 }).alt).toBe(
      "Confusion matrix of 8 examples: one row per true class, one column per answer, 3 of " +
        "each. 5 are on the diagonal, answered right (62.5%). The commonest mistakes: a 2 read as " +
        "0 (2 times) and a 1 read as 2 (1 time). The class missed most often is 2: 2 of 3 wrong.",
    );
    expect(confusionMatrix({ labels: [0, 1], predictions: [0, 1], classes: 2 }).alt).toContain(
      "There are no mistakes.",
    );
  });

  it("says which entry is not a class, and how to get classes from a network's outputs", () => {
    expect(() => confusionMatrix({ labels: [0, 1], predictions: [0, 0.7] })).toThrow(
      "confusionMatrix: predictions[1] is 0.7; expected a whole number from 0 to 9. For a " +
        "network's outputs, take the index of the largest: row.indexOf(Math.max(...row))",
    );
    expect(() => confusionMatrix({ labels: [0, 1], predictions: [0] })).toThrow(
      "confusionMatrix: received 2 labels and 1 predictions; expected one prediction per label",
    );
  });

  it("carries its alt text as Plot's ariaLabel", () => {
    const spec = confusionMatrix({ labels, predictions, classes: 3 });
    expect(spec.options.ariaLabel).toBe(spec.alt);
  });
});
