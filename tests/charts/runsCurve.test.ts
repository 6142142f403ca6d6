import { describe, expect, it } from "vitest";
import { runsCurve } from "../../src/charts/index.ts";
import { draw, inData, marks, vertices } from "./helpers.ts";

const run = (label: string, rate: number, current = false) => ({
  label,
  current,
  history: [1, 2, 3, 4].map((epoch) => ({ epoch, loss: 1 / (1 + rate * epoch), accuracy: 0.5 + rate * epoch / 10 })),
});

describe("runsCurve(runs)", () => {
  it("runsCurve(runs) draws one loss line a run, each in its own colour, with a legend of the labels", () => {
    const runs = [run("run 1", 1), run("run 2: lr = 0.05", 0.1, true)];
    const drawn = draw(runsCurve(runs));
    expect(drawn.scale("color")!.domain).toEqual(["run 1", "run 2: lr = 0.05"]);
    expect(drawn.scale("fy")!.domain).toEqual(["loss", "accuracy"]);
    // Two line marks (earlier runs, then the latest in front), a loss and an accuracy path each.
    const [earlier, latest] = marks(drawn.root, "line");
    expect(earlier.querySelectorAll("path").length).toBe(2);
    expect(latest.querySelectorAll("path").length).toBe(2);
    const loss = [...latest.querySelectorAll("path")].map((p) => vertices(p.getAttribute("d")!).map((v) => inData(drawn, v)));
    // The latest run's loss line: 1 / (1 + 0.1 · epoch), read back from the drawing.
    const expected = [1, 2, 3, 4].map((e) => [expect.closeTo(e, 1), expect.closeTo(1 / (1 + 0.1 * e), 2)]);
    expect(loss).toContainEqual(expected);
  });

  it("runsCurve(runs) keeps accuracy on its own 0–100% axis when a loss runs far above 1", () => {
    const calm = run("run 1", 1);
    const wild = {
      label: "run 2: lr = 5",
      history: [1, 2, 3, 4].map((epoch) => ({ epoch, loss: 2 * epoch, accuracy: 0.5 })),
    };
    const drawn = draw(runsCurve([calm, wild]));
    const labels = [...drawn.root.querySelectorAll("text")].map((t) => t.textContent);
    expect(labels).toEqual(expect.arrayContaining(["0%", "50%", "100%", "0", "8"]));
    const [top] = drawn.y.domain.slice(1) as number[];
    expect(top).toBe(8);
    // run 1's accuracy reaches 0.9 at epoch 4: drawn at 0.9 of the panel's height, not at 0.9 / 8.
    const [earlier] = marks(drawn.root, "line");
    const heights = [...earlier.querySelectorAll("path")].map((p) =>
      Math.max(...vertices(p.getAttribute("d")!).map((v) => inData(drawn, v)[1] / top)),
    );
    expect(heights).toEqual(expect.arrayContaining([expect.closeTo(0.9, 2)]));
  });

  it("runsCurve(runs) says each run's last loss and accuracy in its alt text", () => {
    expect(runsCurve([run("run 1", 1), run("run 2: lr = 0.05", 0.1)]).alt).toBe(
      "Loss per epoch of 2 training runs, one line each. run 1: loss 0.2 at epoch 4, accuracy 90%. " +
        "run 2: lr = 0.05: loss 0.714 at epoch 4, accuracy 54%.",
    );
    const diverged = { label: "run 3", history: [{ epoch: 1, loss: NaN }] };
    expect(runsCurve([run("run 1", 1), diverged]).alt).toContain("run 3: no finite loss (it diverged)");
  });

  it("runsCurve(runs) rejects what it cannot draw, saying what it expected", () => {
    expect(() => runsCurve([])).toThrow("runsCurve: received an array of 0; expected runs [{ label, history: [{ epoch, loss, accuracy? }] }], at least one, none empty");
    expect(() => runsCurve([run("a", 1), run("a", 2)])).toThrow(/two runs have the same label/);
  });
});
