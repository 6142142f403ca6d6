// Dense and MLP: the batched network that trains in the page (one matrix product per layer).
import { activationName, type LayerActivation } from "./activations.ts";
import { checkSizes, checkUnits } from "./neuron.ts";
import { seeded, type Rng } from "./rng.ts";
import { Tensor } from "./tensor.ts";
import { describe } from "./value.ts";

/** Options of {@link Dense}. */
export interface DenseOptions {
  /** Activation after the weighted sum (default "identity"). */
  activation?: LayerActivation;
  /**
   * Seed of the random starting weights: the same seed, the same weights. Without one they come
   * from the engine's shared generator, so every new layer starts different.
   */
  seed?: number;
  /** A generator to draw from instead of a seed. */
  random?: Rng;
}

/**
 * A fully connected layer: out = activation(x·W + b) for a batch x of shape [n, inputs].
 * Weights start normal with variance 1/inputs (2/inputs before ReLU), biases at 0.
 *
 * @example
 * const layer = new Dense(2, 3, { activation: "relu", seed: 1 });
 * layer.W.shape; // [2, 3]
 */
export class Dense {
  /** Weights, shape [inputs, outputs]: W.get(i, j) connects input i to unit j. */
  W: Tensor;
  /** Biases, shape [1, outputs]: one per unit. */
  b: Tensor;
  readonly inputs: number;
  readonly outputs: number;
  readonly activation: LayerActivation;

  constructor(inputs: number, outputs: number, options: DenseOptions = {}) {
    checkUnits(inputs, "Dense", "inputs");
    checkUnits(outputs, "Dense", "outputs");
    this.inputs = inputs;
    this.outputs = outputs;
    this.activation = activationName(options.activation ?? "identity", "Dense");
    const random = options.random ?? seeded(options.seed);
    const relu = this.activation === "relu" || this.activation === "leakyRelu";
    const scale = Math.sqrt((relu ? 2 : 1) / inputs);
    this.W = Tensor.parameter(inputs, outputs);
    for (let i = 0; i < this.W.data.length; i++) this.W.data[i] = scale * random.normal();
    this.b = Tensor.parameter(1, outputs);
  }

  /** The layer's output for a batch x of shape [n, inputs]. */
  forward(x: Tensor): Tensor {
    // softmax needs a whole row, so it runs after the layer's op; any other activation inside
    if (this.activation === "softmax") return this.logits(x).softmax();
    return x.linear(this.W, this.b, this.activation);
  }

  /** x·W + b, the scores before the activation (what a fused loss starts from). */
  logits(x: Tensor): Tensor {
    return x.linear(this.W, this.b);
  }

  parameters(): Tensor[] {
    return [this.W, this.b];
  }

  toString(): string {
    return `Dense ${this.inputs}→${this.outputs} ${this.activation}`;
  }
}

/** Options of {@link MLP}. */
export interface MLPOptions {
  /** Activation of the hidden layers (default "tanh"). */
  activation?: LayerActivation;
  /** Activation of the output layer (default "identity": raw scores). */
  output?: LayerActivation;
  /**
   * Seed of the random starting weights: the same seed, the same weights. Without one they come
   * from the engine's shared generator, so every new network starts different.
   */
  seed?: number;
}

/**
 * A multi-layer perceptron over batches: sizes [inputs, hidden…, outputs].
 *
 * @example
 * const net = new MLP([2, 16, 16, 1], { activation: "tanh", output: "sigmoid", seed: 1 });
 * net.predict([[0, 1]]); // [[0.5…]]
 * net.layers[0].W.shape; // [2, 16]
 */
export class MLP {
  layers: Dense[];
  readonly sizes: number[];

  constructor(sizes: number[], options: MLPOptions = {}) {
    checkSizes(sizes, "MLP");
    this.sizes = [...sizes];
    const random = seeded(options.seed);
    const hidden = activationName(options.activation ?? "tanh", "MLP (activation)");
    const output = activationName(options.output ?? "identity", "MLP (output)");
    this.layers = sizes.slice(1).map((outputs, i) => {
      const activation = i === sizes.length - 2 ? output : hidden;
      return new Dense(sizes[i], outputs, { activation, random });
    });
  }

  /** The network's outputs for a batch X (a Tensor or rows of numbers), shape [n, outputs]. */
  forward(X: Tensor | number[][]): Tensor {
    return this.run(X, "forward");
  }

  /**
   * The network's raw scores (logits): forward() without the output layer's activation, what
   * binaryCrossEntropyWithLogits and softmaxCrossEntropy start from.
   */
  logits(X: Tensor | number[][]): Tensor {
    return this.run(X, "logits");
  }

  // Every layer in turn; the last one gives its outputs, or its scores before the activation.
  private run(X: Tensor | number[][], last: "forward" | "logits"): Tensor {
    let h = X instanceof Tensor ? X : toBatch(X, `MLP.${last}`);
    this.layers.forEach((layer, i) => {
      if (h.cols !== layer.inputs) {
        throw new Error(
          `MLP.${last}: layer ${i + 1} (${layer}) expects inputs of shape [n, ${layer.inputs}], ` +
            `received [${h.shape}]` +
            (i === 0 ? `. Give every example ${layer.inputs} numbers, or change sizes[0].` : "."),
        );
      }
      h = i === this.layers.length - 1 ? layer[last](h) : layer.forward(h);
    });
    return h;
  }

  /** The outputs as plain rows of numbers. */
  predict(X: Tensor | number[][]): number[][] {
    return this.forward(X).toArray();
  }

  /** Every weight and bias, layer by layer: [W1, b1, W2, b2, …]. */
  parameters(): Tensor[] {
    return this.layers.flatMap((l) => l.parameters());
  }

  /** Sets every parameter's grad to 0. */
  zeroGrad(): void {
    for (const p of this.parameters()) p.zeroGrad();
  }

  toString(): string {
    return `MLP [${this.sizes.join(", ")}]: ${this.layers.join(", ")}`;
  }
}

/** Rows of numbers as an input batch (a tensor that needs no gradient). */
export function toBatch(X: unknown, where: string): Tensor {
  if (!Array.isArray(X) || !Array.isArray(X[0])) {
    throw new Error(
      `${where}: expected a Tensor or rows of numbers such as [[0, 1], [1, 0]], ` +
        `received ${describe(X)}.`,
    );
  }
  return Tensor.from(X as number[][], { requiresGrad: false });
}
