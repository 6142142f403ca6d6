// Losses: one number that says how far the predictions are from the targets (lower is better).
import { Tensor, gradOf, softmaxRowsInto } from "./tensor.ts";
import { describe } from "./value.ts";

/** What a loss compares predictions with: a Tensor or rows of the pred's shape, or class labels. */
export type Target = Tensor | number[][] | number[];

/**
 * Mean squared error: mean of (pred − target)² over every element.
 *
 * @example
 * mse(Tensor.from([[1], [3]]), [1, 1]).item(); // (0 + 4) / 2 = 2
 */
export function mse(pred: Tensor, target: Target): Tensor {
  const t = targetOf(pred.shape, target, "mse", "values");
  const [p, n] = [pred.data, pred.data.length];
  const out = new Tensor(1, 1, undefined, [pred], "mse");
  let total = 0;
  for (let i = 0; i < n; i++) total += (p[i] - t[i]) ** 2;
  out.data[0] = total / n;
  out.backwardFn = () => {
    if (!pred.requiresGrad) return;
    const [g, gp] = [out.grad![0], gradOf(pred)];
    for (let i = 0; i < n; i++) gp[i] += ((2 * (p[i] - t[i])) / n) * g;
  };
  return out;
}

/** Probabilities are kept this far from 0 and 1 so that log never returns −∞. */
const EPS = 1e-12;

/**
 * Binary cross-entropy: mean of −[t·log p + (1 − t)·log(1 − p)] over every element, for
 * probabilities p in (0, 1) and labels t of 0 or 1. When pred comes straight from a sigmoid, the
 * loss is computed from the sigmoid's input, which stays exact when p is very close to 0 or 1.
 *
 * @example
 * binaryCrossEntropy(Tensor.from([[0.9], [0.2]]), [1, 0]).item(); // (−log 0.9 − log 0.8) / 2
 */
export function binaryCrossEntropy(pred: Tensor, target: Target): Tensor {
  const t = targetOf(pred.shape, target, "binaryCrossEntropy", "probabilities");
  const fromLogits = pred.op === "sigmoid";
  const source = fromLogits ? pred.parents[0] : pred;
  const [x, n] = [source.data, source.data.length];
  const out = new Tensor(1, 1, undefined, [source], "bce");
  let total = 0;
  for (let i = 0; i < n; i++) {
    if (fromLogits) {
      // −log σ(z) for t = 1 and −log(1 − σ(z)) for t = 0, written so exp never overflows
      total += Math.max(x[i], 0) - x[i] * t[i] + Math.log1p(Math.exp(-Math.abs(x[i])));
    } else {
      const p = Math.min(Math.max(x[i], EPS), 1 - EPS);
      total -= t[i] * Math.log(p) + (1 - t[i]) * Math.log(1 - p);
    }
  }
  out.data[0] = total / n;
  out.backwardFn = () => {
    if (!source.requiresGrad) return;
    const [g, gs, p] = [out.grad![0], gradOf(source), pred.data];
    for (let i = 0; i < n; i++) {
      // through the sigmoid the slope simplifies to p − t
      if (fromLogits) gs[i] += ((p[i] - t[i]) / n) * g;
      else {
        const q = Math.min(Math.max(x[i], EPS), 1 - EPS);
        gs[i] += ((q - t[i]) / (q * (1 - q)) / n) * g;
      }
    }
  };
  return out;
}

/**
 * Softmax cross-entropy: softmax over each row of raw scores, then the mean over rows of
 * −log(probability of the right class). Targets are class labels (0 … classes − 1) or rows of
 * probabilities. If pred is already a softmax, its input scores are used.
 *
 * @example
 * softmaxCrossEntropy(Tensor.from([[2, 0, 0]]), [0]).item(); // −log(e²/(e² + 2)) ≈ 0.24
 */
export function softmaxCrossEntropy(pred: Tensor, target: Target): Tensor {
  const source = pred.op === "softmax" ? pred.parents[0] : pred;
  const t = targetOf(source.shape, target, "softmaxCrossEntropy", "classes");
  const [z, rows, cols] = [source.data, source.rows, source.cols];
  const probs = new Float64Array(z.length);
  const out = new Tensor(1, 1, undefined, [source], "softmax-ce");
  // −log softmax(z)ⱼ = logSumExp(z) − zⱼ: exact even where the probability underflows
  const logSums = softmaxRowsInto(probs, z, rows, cols);
  let total = 0;
  for (let r = 0; r < rows; r++) {
    for (let j = r * cols; j < (r + 1) * cols; j++) {
      if (t[j] !== 0) total += t[j] * (logSums[r] - z[j]);
    }
  }
  out.data[0] = total / rows;
  out.backwardFn = () => {
    if (!source.requiresGrad) return;
    const [g, gs] = [out.grad![0], gradOf(source)];
    // the slope with respect to the scores is (softmax − target) / rows
    for (let r = 0; r < rows; r++) {
      let mass = 0;
      for (let j = r * cols; j < (r + 1) * cols; j++) mass += t[j];
      for (let j = r * cols; j < (r + 1) * cols; j++) {
        gs[j] += ((probs[j] * mass - t[j]) / rows) * g;
      }
    }
  };
  return out;
}

/** The losses by the names train() accepts, with the kind of target each compares against. */
export const losses = {
  mse: { f: mse, targets: "values" },
  bce: { f: binaryCrossEntropy, targets: "probabilities" },
  "softmax-ce": { f: softmaxCrossEntropy, targets: "classes" },
} as const;

/** A loss name train() accepts. */
export type LossName = keyof typeof losses;

/** Checks a loss name at the door; an unknown one throws an error listing the known ones. */
export function lossName(name: unknown, where: string): LossName {
  if (typeof name === "string" && Object.hasOwn(losses, name)) return name as LossName;
  const known = Object.keys(losses).map((k) => JSON.stringify(k));
  throw new Error(
    `${where}: unknown loss ${JSON.stringify(name)} (expected one of ${known.join(", ")}).`,
  );
}

/**
 * The target as numbers laid out like a prediction of `shape`: class labels become one-hot rows
 * when there is one column per class, and a column of numbers when there is a single column.
 * Throws when the targets do not fit (wrong count, shape, label or value).
 */
export function targetOf(
  shape: [number, number],
  target: Target,
  where: string,
  kind: "values" | "probabilities" | "classes",
): Float64Array {
  const [rows, cols] = shape;
  if (target instanceof Tensor || Array.isArray(target[0])) {
    const t = target instanceof Tensor ? target : Tensor.from(target as number[][]);
    if (t.rows !== rows || t.cols !== cols) {
      throw new Error(
        `${where}: target shape [${t.shape}] does not match prediction shape [${rows}, ${cols}].`,
      );
    }
    if (kind === "probabilities") checkProbabilities(t.data, where);
    return t.data;
  }
  if (!Array.isArray(target)) {
    throw new Error(
      `${where}: expected targets as a Tensor, rows of numbers or labels, received ` +
        `${describe(target)}.`,
    );
  }
  const labels = target as number[];
  if (labels.length !== rows) {
    throw new Error(
      `${where}: received ${labels.length} targets for ${rows} predictions ` +
        `(expected one target per row).`,
    );
  }
  if (cols === 1 && kind !== "classes") {
    const t = Float64Array.from(labels);
    if (kind === "probabilities") checkProbabilities(t, where);
    return t;
  }
  // one-hot: row r has a 1 in the column of its label
  const t = new Float64Array(rows * cols);
  labels.forEach((label, r) => {
    if (!(Number.isInteger(label) && label >= 0 && label < cols)) {
      throw new Error(
        `${where}: label ${describe(label)} (row ${r}) does not fit an output of ${cols} ` +
          `${cols === 1 ? "column" : "columns"} (expected whole numbers 0–${cols - 1}, one ` +
          `output unit per class).`,
      );
    }
    t[r * cols + label] = 1;
  });
  return t;
}

function checkProbabilities(t: Float64Array, where: string): void {
  const i = t.findIndex((v) => !(v >= 0 && v <= 1));
  if (i === -1) return;
  throw new Error(
    `${where}: target ${t[i]} (element ${i}) is outside 0…1 (expected labels 0 or 1). ` +
      `For more than two classes use softmax cross-entropy, with one output per class.`,
  );
}
