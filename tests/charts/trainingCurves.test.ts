import { describe, expect, it } from "vitest";
import { trainingCurves } from "../../src/charts/index.ts";
import { draw, marks, texts, vertices } from "./helpers.ts";

// Five epochs where the test loss is lowest at epoch 3 and then rises: overfitting.
const history = [
  { epoch: 1, loss: 0.5, accuracy: 0.85, testLoss: 0.3, testAccuracy: 0.9 },
  { epoch: 2, loss: 0.2, accuracy: 0.94, testLoss: 0.22, testAccuracy: 0.93 },
  { epoch: 3, loss: 0.1, accuracy: 0.97, testLoss: 0.18, testAccuracy: 0.95 },
  { epoch: 4, loss: 0.05, accuracy: 0.99, testLoss: 0.19, testAccuracy: 0.95 },
  { epoch: 5, loss: 0.02, accuracy: 1, testLoss: 0.21, testAccuracy: 0.945 },
];

describe("trainingCurves(history)", () => {
  it("draws a training line and a test line in a loss panel and an accuracy panel", () => {
    const drawn = draw(trainingCurves(history));
    expect(drawn.scale("fy")!.domain).toEqual(["loss", "accuracy"]);
    const lines = marks(drawn.root, "line");
    expect(lines.length).toBe(2); // the training mark and the test mark
    // each mark has one path per panel, with one vertex per epoch
    for (const line of lines) {
      const paths = [...line.querySelectorAll("path")];
      expect(paths.length).toBe(2);
      for (const path of paths) expect(vertices(path.getAttribute("d")!).length).toBe(5);
    }
    // the lines are named at their right ends, in both panels
    const names = marks(drawn.root, "text").flatMap((g) => texts(g));
    expect(names.filter((t) => t === "training").length).toBe(2);
    expect(names.filter((t) => t === "test").length).toBe(2);
  });

  it("puts each panel on its own scale: the loss from 0, the accuracy near 100%", () => {
    const drawn = draw(trainingCurves(history));
    const labels = marks(drawn.root, "text").flatMap((g) => texts(g));
    expect(labels).toEqual(expect.arrayContaining(["0", "0.6", "85%", "100%"]));
    // the test loss path: from 0.3 down to 0.18, then up: its lowest vertex is epoch 3's
    const [, test] = marks(drawn.root, "line");
    const loss = vertices(test.querySelectorAll("path")[0].getAttribute("d")!);
    const lowest = loss.reduce((a, p, i) => (p.y > loss[a].y ? i : a), 0); // y grows downwards
    expect(lowest).toBe(2);
  });

  it("marks the epoch of the lowest test loss when the test loss rises after it", () => {
    // the vertical rules, at the epochs they stand on (one per panel)
    const vertical = (h: typeof history) => {
      const drawn = draw(trainingCurves(h));
      const lines = marks(drawn.root, "rule").flatMap((g) => [...g.querySelectorAll("line")]);
      return lines
        .filter((l) => l.getAttribute("x1") === l.getAttribute("x2"))
        .map((l) => Math.round(drawn.x.invert(Number(l.getAttribute("x1")))));
    };
    expect(vertical(history)).toEqual([3, 3]);
    const labels = marks(draw(trainingCurves(history)).root, "text").flatMap((g) => texts(g));
    expect(labels).toContain("dotted line: lowest test loss");
    // no rise, no mark
    const falling = history.slice(0, 3);
    expect(vertical(falling)).toEqual([]);
    const calm = marks(draw(trainingCurves(falling)).root, "text").flatMap((g) => texts(g));
    expect(calm).not.toContain("dotted line: lowest test loss");
  });

  it("names the dotted line at the panel's right, never over the panel's title, wherever the epoch", () => {
    // twenty epochs whose test loss is lowest at epoch 2: the line stands near the title
    const long = Array.from({ length: 20 }, (_, i) => ({
      epoch: i + 1,
      loss: 0.5 / (i + 1),
      accuracy: 0.9,
      testLoss: i === 1 ? 0.15 : 0.2,
      testAccuracy: 0.9,
    }));
    for (const h of [history, long]) {
      const drawn = draw(trainingCurves(h));
      const text = (words: string) =>
        [...drawn.root.querySelectorAll("text")].find((t) => t.textContent === words)!;
      // where a text is anchored along x, and which way it runs from there (the facet's group)
      const where = (t: Element) => Number(/translate\(([-\d.]+),/.exec(t.getAttribute("transform")!)![1]);
      const anchor = (t: Element) => t.parentElement!.getAttribute("text-anchor");
      const key = text("dotted line: lowest test loss");
      const title = text("loss");
      expect([anchor(key), anchor(title)]).toEqual(["end", "start"]);
      // the key ends at the frame's right edge (440 − 84), the title starts at its left (48)
      expect([Math.round(where(key)), Math.round(where(title))]).toEqual([356, 48]);
    }
  });

  it("says in its alt text how both losses and accuracies move, and the gap at the end", () => {
    expect(trainingCurves(history).alt).toBe(
      "Loss and accuracy per epoch over 5 epochs, on the training digits and on the test " +
        "digits. Training loss falls from 0.5 to 0.02; test loss falls from 0.3 to its lowest, " +
        "0.18, at epoch 3, then rises to 0.21 by epoch 5. Training accuracy rises from 85% to " +
        "100%; test accuracy rises from 90% to 94.5%. At the end the network does 5.5 points " +
        "better on the digits it trained on.",
    );
    expect(trainingCurves(history.slice(0, 2)).alt).toContain(
      "test loss falls from 0.3 to 0.22. Training accuracy",
    );
  });

  it("asks for the test scores when an entry lacks them", () => {
    expect(() => trainingCurves([{ epoch: 1, loss: 0.5, accuracy: 0.8 }] as never)).toThrow(
      "trainingCurves: entry 0 has testLoss undefined; expected finite numbers for epoch, loss, " +
        "accuracy, testLoss, testAccuracy (record testLoss and testAccuracy after each epoch, " +
        "in train()'s onProgress)",
    );
    expect(() => trainingCurves([])).toThrow(
      "trainingCurves: received an empty array; expected a non-empty history",
    );
  });

  it("carries its alt text as Plot's ariaLabel", () => {
    const spec = trainingCurves(history);
    expect(spec.options.ariaLabel).toBe(spec.alt);
  });
});
