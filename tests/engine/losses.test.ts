import { describe, expect, test } from "vitest";
import {
  Tensor,
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  gradcheck,
  mse,
  rng,
  softmaxCrossEntropy,
} from "../../engine/index.ts";

const seeds = [1, 2, 3];

function randomTensor(rows: number, cols: number, seed: number, low = -2, high = 2): Tensor {
  const r = rng(seed);
  const t = Tensor.zeros(rows, cols);
  for (let i = 0; i < t.data.length; i++) t.data[i] = r.uniform(low, high);
  return t;
}
// Random class labels, with at least two different classes among them.
function labels(n: number, classes: number, seed: number): number[] {
  const r = rng(seed);
  const drawn = Array.from({ length: n }, () => r.int(classes));
  if (drawn.every((label) => label === drawn[0])) drawn[0] = (drawn[0] + 1) % classes;
  return drawn;
}

describe("losses match central differences", () => {
  for (const seed of seeds) {
    test(`mse (seed ${seed})`, () => {
      const target = randomTensor(5, 2, seed + 10);
      expect(gradcheck((p) => mse(p, target), [randomTensor(5, 2, seed)]).ok).toBe(true);
    });
    test(`binaryCrossEntropy of probabilities (seed ${seed})`, () => {
      const p = randomTensor(6, 1, seed, 0.05, 0.95);
      const y = labels(6, 2, seed);
      expect(gradcheck((p) => binaryCrossEntropy(p, y), [p]).ok).toBe(true);
    });
    test(`binaryCrossEntropy after a sigmoid (seed ${seed})`, () => {
      const z = randomTensor(6, 1, seed, -4, 4);
      const y = labels(6, 2, seed);
      expect(gradcheck((z) => binaryCrossEntropy(z.sigmoid(), y), [z]).ok).toBe(true);
    });
    test(`binaryCrossEntropyWithLogits (seed ${seed})`, () => {
      const z = randomTensor(6, 1, seed, -4, 4);
      const y = labels(6, 2, seed);
      expect(gradcheck((z) => binaryCrossEntropyWithLogits(z, y), [z]).ok).toBe(true);
      // the fused op gives what the sigmoid and the loss give one after another
      const fused = binaryCrossEntropyWithLogits(z, y).item();
      expect(fused).toBeCloseTo(binaryCrossEntropy(z.sigmoid(), y).item(), 12);
    });
    test(`softmaxCrossEntropy of scores, labels (seed ${seed})`, () => {
      const y = labels(5, 3, seed);
      expect(gradcheck((z) => softmaxCrossEntropy(z, y), [randomTensor(5, 3, seed)]).ok).toBe(true);
    });
    test(`softmaxCrossEntropy of scores, probability targets (seed ${seed})`, () => {
      const target = randomTensor(5, 3, seed + 10, 0, 1).softmax().toArray();
      const z = randomTensor(5, 3, seed);
      expect(gradcheck((z) => softmaxCrossEntropy(z, target), [z]).ok).toBe(true);
    });
  }
});

describe("loss values", () => {
  test("mse(pred, labels) is the mean squared difference", () => {
    expect(mse(Tensor.from([[1], [3]]), [1, 1]).item()).toBe(2);
  });

  test("binaryCrossEntropy(pred, labels) is the mean negative log-likelihood", () => {
    const loss = binaryCrossEntropy(Tensor.from([[0.9], [0.2]]), [1, 0]).item();
    expect(loss).toBeCloseTo(-(Math.log(0.9) + Math.log(0.8)) / 2, 12);
  });

  test("binaryCrossEntropyWithLogits(z, labels) is −log σ(z) or −log(1 − σ(z))", () => {
    const loss = binaryCrossEntropyWithLogits(Tensor.from([[0.5], [-1]]), [1, 0]).item();
    const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
    expect(loss).toBeCloseTo(-(Math.log(sigmoid(0.5)) + Math.log(1 - sigmoid(-1))) / 2, 14);
  });

  test("binaryCrossEntropyWithLogits stays exact where the sigmoid rounds to 0 or 1", () => {
    const z = Tensor.from([[800], [-800]]);
    const loss = binaryCrossEntropyWithLogits(z, [0, 1]);
    expect(loss.item()).toBe(800);
    loss.backward();
    expect(Array.from(z.grad!)).toEqual([0.5, -0.5]);
    // from the rounded probabilities (kept 1e-12 inside 0…1), the loss can only say about 28
    const clamped = -(Math.log(1 - (1 - 1e-12)) + Math.log(1e-12)) / 2;
    expect(binaryCrossEntropy(z.sigmoid(), [0, 1]).item()).toBe(clamped);
  });

  test("a loss reads its input as what its name says, whatever op made it", () => {
    // softmaxCrossEntropy takes scores: given probabilities it takes their softmax again
    const z = Tensor.from([[2, 0, 0]]);
    const twice = softmaxCrossEntropy(z.softmax(), [0]).item();
    const p = z.softmax().toArray()[0];
    const again = p.map((v) => Math.exp(v) / p.reduce((s, u) => s + Math.exp(u), 0));
    expect(twice).toBeCloseTo(-Math.log(again[0]), 14);
    expect(twice).not.toBeCloseTo(softmaxCrossEntropy(z, [0]).item(), 2);
  });

  test("softmaxCrossEntropy(scores, labels) is −log of the right class's probability", () => {
    const loss = softmaxCrossEntropy(Tensor.from([[2, 0, 0]]), [0]).item();
    expect(loss).toBeCloseTo(-Math.log(Math.exp(2) / (Math.exp(2) + 2)), 12);
  });
});

describe("targets that do not fit", () => {
  test("softmaxCrossEntropy names a label outside the classes", () => {
    expect(() => softmaxCrossEntropy(Tensor.zeros(2, 3), [0, 3])).toThrow(
      "softmaxCrossEntropy: label number 3 (row 1) does not fit an output of 3 columns " +
        "(expected whole numbers 0–2, one output unit per class).",
    );
  });

  test("binaryCrossEntropy names a label that is not a probability", () => {
    expect(() => binaryCrossEntropy(Tensor.zeros(2, 1), [0, 2])).toThrow(
      "binaryCrossEntropy: target 2 (element 1) is outside 0…1 (expected labels 0 or 1). " +
        "For more than two classes use softmax cross-entropy, with one output per class.",
    );
  });

  test("mse names the counts when targets and predictions differ", () => {
    expect(() => mse(Tensor.zeros(3, 1), [1, 2])).toThrow(
      "mse: received 2 targets for 3 predictions (expected one target per row).",
    );
  });

  test("mse names both shapes when rows of targets do not match", () => {
    expect(() => mse(Tensor.zeros(2, 2), [[1], [2]])).toThrow(
      "mse: target shape [2,1] does not match prediction shape [2, 2].",
    );
  });
});
