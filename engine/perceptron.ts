// The perceptron: one neuron with a step activation, trained by the perceptron learning rule.
import { checkUnits } from "./neuron.ts";
import { checkLearningRate } from "./optim.ts";
import { seeded } from "./rng.ts";
import { describe } from "./value.ts";

/** Options of {@link Perceptron}. */
export interface PerceptronOptions {
  /** Learning rate: how much one mistake moves the weights (default 1). */
  lr?: number;
  /** Seed of the small random starting weights (without one, the engine's shared generator). */
  seed?: number;
}

/** What {@link Perceptron.fit} returns. */
export interface PerceptronFit {
  /** How many examples were misclassified in each epoch. */
  mistakes: number[];
  /** Whether an epoch ended with zero mistakes (fitting stops there). */
  converged: boolean;
}

/**
 * Rosenblatt's perceptron: predicts 1 when w·x + b ≥ 0, else 0. For each mistake the rule
 * w ← w + α·(y − ŷ)·x and b ← b + α·(y − ŷ) tilts the line towards the right answer.
 *
 * @example
 * const p = new Perceptron(2, { lr: 1, seed: 1 });
 * const { x, y } = datasets.and();
 * p.fit(x, y, { epochs: 20 }).mistakes; // e.g. [2, 3, 1, 0]
 */
export class Perceptron {
  weights: number[];
  bias: number;
  lr: number;

  constructor(inputs: number, options: PerceptronOptions = {}) {
    checkUnits(inputs, "Perceptron", "inputs");
    this.lr = checkLearningRate(options.lr ?? 1, "Perceptron");
    const random = seeded(options.seed);
    this.weights = Array.from({ length: inputs }, () => random.uniform(-0.5, 0.5));
    this.bias = random.uniform(-0.5, 0.5);
  }

  /** The net sum z = w·x + b. */
  netSum(x: number[]): number {
    if (!Array.isArray(x) || x.length !== this.weights.length) {
      throw new Error(
        `Perceptron: received ${Array.isArray(x) ? `${x.length} inputs` : describe(x)}, ` +
          `expected ${this.weights.length} (one per weight).`,
      );
    }
    return x.reduce((z, xi, i) => z + this.weights[i] * xi, this.bias);
  }

  /** 1 if the net sum is at least 0, else 0 (the step activation). */
  predict(x: number[]): 0 | 1 {
    return this.netSum(x) >= 0 ? 1 : 0;
  }

  /**
   * Applies the learning rule to every example in order, once per epoch, until an epoch makes
   * no mistake or `epochs` have run. Labels must be 0 or 1.
   */
  fit(X: number[][], y: number[], options: { epochs?: number } = {}): PerceptronFit {
    const epochs = options.epochs ?? 20;
    if (!Array.isArray(X) || !Array.isArray(y) || X.length !== y.length) {
      throw new Error(
        `Perceptron.fit: received ${describe(X)} of inputs and ${describe(y)} of labels ` +
          `(expected one label per input).`,
      );
    }
    y.forEach((label, i) => {
      if (label !== 0 && label !== 1) {
        throw new Error(
          `Perceptron.fit: label ${describe(label)} (example ${i}) is not 0 or 1; ` +
            `a perceptron separates two classes.`,
        );
      }
    });
    const mistakes: number[] = [];
    for (let epoch = 0; epoch < epochs; epoch++) {
      let count = 0;
      X.forEach((x, i) => {
        const error = y[i] - this.predict(x);
        if (error === 0) return;
        count++;
        this.weights = this.weights.map((w, j) => w + this.lr * error * x[j]);
        this.bias += this.lr * error;
      });
      mistakes.push(count);
      if (count === 0) return { mistakes, converged: true };
    }
    return { mistakes, converged: false };
  }
}
