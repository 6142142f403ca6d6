import { describe, expect, it } from "vitest";
import { Adam, Momentum, SGD, Tensor, type Optimizer } from "../../engine/index.ts";
import { fmt, optimizerWalks, valley, type OptimizerWalk } from "../../src/charts/index.ts";
import { draw, marks, texts, vertices } from "./helpers.ts";

// The update rules written out on the valley's gradient, step by step: the reference the
// engine's optimizers (which chapter 7's cell drives) and the chart's words are checked against.
type Rule = "plain" | "momentum" | "adam";
function written(rule: Rule, lr: number, steps: number, beta = 0.9): [number, number][] {
  const path: [number, number][] = [[-2, 2.5]];
  let v = [0, 0];
  let m = [0, 0];
  let s = [0, 0];
  for (let t = 1; t <= steps; t++) {
    const w = path[path.length - 1];
    const g = valley.gradient(w[0], w[1]);
    if (rule === "plain") path.push([w[0] - lr * g[0], w[1] - lr * g[1]]);
    if (rule === "momentum") {
      v = v.map((vi, i) => beta * vi + g[i]);
      path.push([w[0] - lr * v[0], w[1] - lr * v[1]]);
    }
    if (rule === "adam") {
      m = m.map((mi, i) => 0.9 * mi + 0.1 * g[i]);
      s = s.map((si, i) => 0.999 * si + 0.001 * g[i] ** 2);
      const step = (i: number) => (lr * m[i]) / (1 - 0.9 ** t) / (Math.sqrt(s[i] / (1 - 0.999 ** t)) + 1e-8);
      path.push([w[0] - step(0), w[1] - step(1)]);
    }
  }
  return path;
}

// The walk as chapter 7's cell makes it: the engine's optimizer, the cost built from tensor ops.
function engineWalk(make: (params: Tensor[]) => Optimizer, steps: number): [number, number][] {
  const halfAndTwo = Tensor.from([0.5, 2], { requiresGrad: false });
  const weights = Tensor.from([[-2, 2.5]]);
  const optimizer = make([weights]);
  const path: [number, number][] = [[weights.data[0], weights.data[1]]];
  for (let step = 1; step <= steps; step++) {
    optimizer.zeroGrad();
    const off = weights.sub(1);
    off.mul(off).mul(halfAndTwo).sum().backward();
    optimizer.step();
    path.push([weights.data[0], weights.data[1]]);
  }
  return path;
}

const three = (lr: number, beta = 0.9): OptimizerWalk[] => [
  { name: "plain", path: written("plain", lr, 25) },
  { name: `momentum, β = ${beta}`, path: written("momentum", lr, 25, beta) },
  { name: "Adam", path: written("adam", lr, 25) },
];
const away = (path: [number, number][]) => {
  const [w1, w2] = path[path.length - 1];
  return Math.hypot(w1 - 1, w2 - 1);
};

describe("the engine's optimizers on the valley", () => {
  it("walk as the written-out rules of SGD, momentum and Adam do", () => {
    const close = (path: [number, number][]) =>
      path.map(([a, b]) => [expect.closeTo(a, 9), expect.closeTo(b, 9)]);
    expect(engineWalk((p) => new SGD(p, { lr: 0.1 }), 25)).toEqual(close(written("plain", 0.1, 25)));
    expect(engineWalk((p) => new Momentum(p, { lr: 0.1, beta: 0.5 }), 25)).toEqual(
      close(written("momentum", 0.1, 25, 0.5)),
    );
    expect(engineWalk((p) => new Adam(p, { lr: 0.1 }), 25)).toEqual(close(written("adam", 0.1, 25)));
  });
});

describe("optimizerWalks(options)", () => {
  it("draws each walk where its path puts it, over the valley's contour lines", () => {
    const walks = three(0.1);
    const drawn = draw(optimizerWalks({ walks, lr: 0.1 }));
    expect(marks(drawn.root, "contour").length).toBe(1);
    const lines = marks(drawn.root, "line");
    expect(lines.length).toBe(3);
    lines.forEach((line, i) => {
      const at = vertices(line.querySelector("path")!.getAttribute("d")!).map((p) => [
        drawn.x.invert(p.x),
        drawn.y.invert(p.y),
      ]);
      expect(at).toEqual(walks[i].path.map(([a, b]) => [expect.closeTo(a, 2), expect.closeTo(b, 2)]));
    });
  });

  it("tells the walks apart without colour: a dot shape and a dash each, named in a legend", () => {
    const spec = optimizerWalks({ walks: three(0.1), lr: 0.1 });
    const drawn = draw(spec);
    // each line's style sits on the group inside its mark
    const style = (name: string) =>
      marks(drawn.root, "line").map((g) => g.querySelector("g")!.getAttribute(name));
    expect(style("stroke-dasharray")).toEqual([null, "6 3", "2 3"]);
    expect(new Set(style("stroke")).size).toBe(3);
    expect(drawn.scale("symbol")!.domain).toEqual(["plain", "momentum, β = 0.9", "Adam"]);
    expect(new Set((drawn.scale("symbol") as unknown as { range: string[] }).range).size).toBe(3);
    expect(spec.options.symbol).toMatchObject({ legend: "swatches" });
    // the start, ringed and named
    expect(marks(drawn.root, "text").flatMap((g) => texts(g))).toContain("start");
  });

  it("says how far each walk ends from the minimum, and how it got there", () => {
    const walks = three(0.1);
    const spec = optimizerWalks({ walks, lr: 0.1, caption: true });
    const [plain, momentum, adam] = walks.map((w) => fmt(away(w.path), 2));
    expect(spec.alt).toBe(
      "Contour lines of the cost J(w₁, w₂) = ½(w₁ − 1)² + 2(w₂ − 1)², a long valley lowest at " +
        "(1, 1), and 3 walks of 25 steps from (−2, 2.5) with the learning rate α = 0.1. " +
        "Plain: its first step goes 2 times as far across the valley as along it and it is " +
        `still on its way along the valley's floor; after 25 steps it is ${plain} from the minimum. ` +
        "Momentum, β = 0.9: its first step goes 2 times as far across the valley as along it " +
        "and it overshoots the minimum along the valley 3 times; after 25 steps it is " +
        `${momentum} from the minimum. Adam: its first step goes as far along the valley as ` +
        `across it; after 25 steps it is ${adam} from the minimum.`,
    );
    expect(spec.options.caption).toBe(
      "After 25 steps from (−2, 2.5) with the learning rate α = 0.1, the distance to the " +
        `minimum (1, 1): plain: ${plain}; momentum, β = 0.9: ${momentum}; Adam: ${adam}.`,
    );
    expect([plain, momentum, adam]).toEqual(["0.22", "0.26", "0.79"]);
    expect(optimizerWalks({ walks }).options.caption).toBeUndefined();
  });

  it("follows the settings: a zig-zag, a walk that reaches the minimum, one that diverges", () => {
    const fast = optimizerWalks({ walks: three(0.4), lr: 0.4 }).alt;
    expect(fast).toContain(
      "Plain: its first step goes 2 times as far across the valley as along it, it zig-zags " +
        "across the valley and it reaches the minimum after 13 steps; after 25 steps it is at " +
        "the minimum, to two decimals.",
    );
    const damped = optimizerWalks({ walks: three(0.1, 0.5), lr: 0.1 }).alt;
    expect(damped).toContain(
      "it overshoots the minimum along the valley once and it reaches the minimum after 18 steps",
    );
    const wild = optimizerWalks({
      walks: [{ name: "plain", path: written("plain", 0.6, 25) }],
      lr: 0.6,
    }).alt;
    expect(wild).toContain("Plain: every step overshoots further, and the walk diverges;");
  });

  it("ends a walk that overflowed at its last finite point", () => {
    const path: [number, number][] = [[-2, 2.5], [30, -40], [Infinity, NaN], [1, 1]];
    const spec = optimizerWalks({ walks: [{ name: "wild", path }] });
    const left = fmt(Math.hypot(30 - 1, -40 - 1), 2);
    expect(spec.alt).toContain(
      "1 walk of 3 steps from (−2, 2.5). Wild: every step overshoots further, and the walk " +
        `diverges; after 1 of 3 steps it is ${left} from the minimum.`,
    );
  });

  it("refuses walks it cannot compare, saying what it received and what it expects", () => {
    expect(() => optimizerWalks({ walks: [] })).toThrow(
      "optimizerWalks: received walks of length 0; expected one to 4 walks { name, path }, " +
        'such as [{ name: "plain", path: [[-2, 2.5], [-1.7, 1.9]] }]',
    );
    expect(() => optimizerWalks({ walks: [{ name: "plain", path: [[1]] }] } as never)).toThrow(
      "optimizerWalks: walk 0 is {\"name\":\"plain\",\"path\":[[1]]}; expected { name, path }",
    );
    expect(() =>
      optimizerWalks({
        walks: [
          { name: "a", path: [[0, 0]] },
          { name: "b", path: [[1, 0]] },
        ],
      }),
    ).toThrow("optimizerWalks: walk 1 starts at [1,0], walk 0 at [0, 0]; the walks are compared from one start");
    expect(() => optimizerWalks({ walks: three(0.1), lr: Number.NaN })).toThrow(
      "optimizerWalks: invalid lr null (expected a finite number)",
    );
  });

  it("carries its alt text as Plot's ariaLabel", () => {
    const spec = optimizerWalks({ walks: three(0.2), lr: 0.2 });
    expect(spec.options.ariaLabel).toBe(spec.alt);
  });
});
