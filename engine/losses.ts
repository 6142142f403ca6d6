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
  let total = 0;
  for (let i = 0; i < n; i++) total += (p[i] - t[i]) ** 2;
  return lossOp(pred, total / n, "mse", (i) => (2 * (p[i] - t[i])) / n);
}

/** Probabilities are kept this far from 0 and 1 so that log never returns −∞. */
const EPS = 1e-12;

/**
 * Binary cross-entropy: mean of −[t·log p + (1 − t)·log(1 − p)] over every element, for
 * probabilities p (kept 1e-12 away from 0 and 1) and labels t of 0 or 1. From raw scores,
 * {@link binaryCrossEntropyWithLogits} stays exact where this one must round.
 *
 * @example
 * binaryCrossEntropy(Tensor.from([[0.9], [0.2]]), [1, 0]).item(); // (−log 0.9 − log 0.8) / 2
 */
export function binaryCrossEntropy(pred: Tensor, target: Target): Tensor {
  const t = targetOf(pred.shape, target, "binaryCrossEntropy", "probabilities");
  const n = pred.data.length;
  const p = new Float64Array(n);
  for (let i = 0; i < n; i++) p[i] = Math.min(Math.max(pred.data[i], EPS), 1 - EPS);
  let total = 0;
  for (let i = 0; i < n; i++) total -= t[i] * Math.log(p[i]) + (1 - t[i]) * Math.log(1 - p[i]);
  // the slope with respect to p is (p − t) / (p·(1 − p)), per element
  return lossOp(pred, total / n, "bce", (i) => (p[i] - t[i]) / (p[i] * (1 - p[i])) / n);
}

/**
 * The sigmoid and the binary cross-entropy fused in one op, from raw scores z (logits):
 * mean of −[t·log σ(z) + (1 − t)·log(1 − σ(z))], computed as
 * max(z, 0) − t·z + log(1 + e^−|z|), which stays exact when σ(z) rounds to 0 or 1 (PyTorch's
 * BCEWithLogitsLoss). train() uses it for loss "bce", with the scores of {@link MLP.logits}.
 *
 * @example
 * binaryCrossEntropyWithLogits(Tensor.from([[800]]), [0]).item(); // 800 (σ(800) rounds to 1)
 */
export function binaryCrossEntropyWithLogits(logits: Tensor, target: Target): Tensor {
  const t = targetOf(logits.shape, target, "binaryCrossEntropyWithLogits", "probabilities");
  const [z, n] = [logits.data, logits.data.length];
  let total = 0;
  for (let i = 0; i < n; i++) {
    total += Math.max(z[i], 0) - z[i] * t[i] + Math.log1p(Math.exp(-Math.abs(z[i])));
  }
  // through the sigmoid the slope simplifies to σ(z) − t
  return lossOp(logits, total / n, "bce-logits", (i) => (1 / (1 + Math.exp(-z[i])) - t[i]) / n);
}

/**
 * Softmax cross-entropy, fused in one op from raw scores (logits), one row per example: the
 * mean over rows of −log(softmax probability of the right class), computed as
 * log Σ e^z − z_right, exact even where a probability underflows (PyTorch's CrossEntropyLoss).
 * Targets are class labels (0 … classes − 1) or rows of probabilities. Give it the scores of
 * {@link MLP.logits}, not probabilities.
 *
 * @example
 * softmaxCrossEntropy(Tensor.from([[2, 0, 0]]), [0]).item(); // −log(e²/(e² + 2)) ≈ 0.24
 */
export function softmaxCrossEntropy(logits: Tensor, target: Target): Tensor {
  const t = targetOf(logits.shape, target, "softmaxCrossEntropy", "classes");
  const [z, rows, cols] = [logits.data, logits.rows, logits.cols];
  const probs = new Float64Array(z.length);
  const logSums = softmaxRowsInto(probs, z, rows, cols);
  const mass = new Float64Array(rows); // the target's total per row (1 for a label)
  let total = 0;
  for (let j = 0; j < z.length; j++) {
    const r = Math.floor(j / cols);
    mass[r] += t[j];
    if (t[j] !== 0) total += t[j] * (logSums[r] - z[j]);
  }
  // the slope with respect to the scores is (softmax · mass − target) / rows
  const slope = (j: number) => (probs[j] * mass[Math.floor(j / cols)] - t[j]) / rows;
  return lossOp(logits, total / rows, "softmax-ce", slope);
}

// A [1, 1] loss made from `source`, whose gradient is slope(i) per element of source.
function lossOp(source: Tensor, value: number, op: string, slope: (i: number) => number): Tensor {
  const out = new Tensor(1, 1, Float64Array.of(value), [source], op);
  out.backwardFn = () => {
    if (!source.requiresGrad) return;
    const [g, gs] = [out.grad![0], gradOf(source)];
    for (let i = 0; i < gs.length; i++) gs[i] += slope(i) * g;
  };
  return out;
}

/**
 * The losses by the names train() accepts: the function, the kind of target it compares
 * against, and what of the net it reads (outputs, or the raw scores before the output's
 * activation, for the fused ones).
 */
export const losses = {
  mse: { f: mse, targets: "values", from: "outputs" },
  bce: { f: binaryCrossEntropyWithLogits, targets: "probabilities", from: "logits" },
  "softmax-ce": { f: softmaxCrossEntropy, targets: "classes", from: "logits" },
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
