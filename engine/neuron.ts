// Neuron, Layer, ValueMLP: a network built from single Values, small enough to follow by hand.
import { activationName, type ActivationName } from "./activations.ts";
import { seeded, type Rng } from "./rng.ts";
import { Value, describe, toValue } from "./value.ts";

/** Options of {@link Neuron}, {@link Layer} and {@link ValueMLP}. */
export interface ValueNetOptions {
  /** Activation of the neurons ("tanh" unless told; "identity" for none). */
  activation?: ActivationName;
  /** Activation of the last layer of a ValueMLP (default "identity"). */
  output?: ActivationName;
  /**
   * Seed of the random starting weights: the same seed, the same weights. Without one they come
   * from the engine's shared generator, so every new layer starts different.
   */
  seed?: number;
  /** A generator to draw from instead of a seed (a network shares one among its neurons). */
  random?: Rng;
}

/**
 * One neuron: z = Σ wᵢxᵢ + b, then the activation. Weights start uniform in [−1, 1], the
 * bias at 0.
 *
 * @example
 * const n = new Neuron(2, { activation: "tanh", seed: 1 });
 * n.call([1, -2]).data; // tanh(w₁·1 + w₂·(−2) + b)
 */
export class Neuron {
  /** One weight per input. */
  w: Value[];
  /** The bias. */
  b: Value;
  readonly activation: ActivationName;

  constructor(inputs: number, options: ValueNetOptions = {}) {
    checkUnits(inputs, "Neuron", "inputs");
    const activation = activationName(options.activation ?? "tanh", "Neuron", false);
    this.activation = activation as ActivationName;
    const random = options.random ?? seeded(options.seed);
    this.w = Array.from(
      { length: inputs },
      (_, i) => new Value(random.uniform(-1, 1), `w${i + 1}`),
    );
    this.b = new Value(0, "b");
  }

  /** The neuron's output for inputs x (numbers or Values). */
  call(x: (number | Value)[]): Value {
    if (!Array.isArray(x) || x.length !== this.w.length) {
      throw new Error(
        `Neuron.call: received ${Array.isArray(x) ? `${x.length} inputs` : describe(x)}, ` +
          `expected ${this.w.length} (one per weight).`,
      );
    }
    let z = this.b;
    x.forEach((xi, i) => (z = z.add(this.w[i].mul(toValue(xi)))));
    return z.activate(this.activation);
  }

  /** The weights, then the bias. */
  parameters(): Value[] {
    return [...this.w, this.b];
  }

  /** Sets every parameter's grad to 0: backward() adds to them. */
  zeroGrad(): void {
    zeroGrads(this.parameters());
  }
}

/** A layer: `outputs` neurons, each reading every input. */
export class Layer {
  neurons: Neuron[];

  constructor(inputs: number, outputs: number, options: ValueNetOptions = {}) {
    checkUnits(outputs, "Layer", "outputs");
    const random = options.random ?? seeded(options.seed);
    this.neurons = Array.from(
      { length: outputs },
      () => new Neuron(inputs, { ...options, random }),
    );
  }

  /** One output per neuron. */
  call(x: (number | Value)[]): Value[] {
    return this.neurons.map((n) => n.call(x));
  }

  parameters(): Value[] {
    return this.neurons.flatMap((n) => n.parameters());
  }

  /** Sets every parameter's grad to 0: backward() adds to them. */
  zeroGrad(): void {
    zeroGrads(this.parameters());
  }
}

/**
 * A multi-layer perceptron of Values: sizes [inputs, hidden…, outputs].
 *
 * @example
 * const net = new ValueMLP([2, 3, 1], { activation: "tanh", seed: 1 });
 * const [y] = net.call([0.5, -1]);
 * y.backward(); // every weight's grad is now ∂y/∂w
 */
export class ValueMLP {
  layers: Layer[];

  constructor(sizes: number[], options: ValueNetOptions = {}) {
    checkSizes(sizes, "ValueMLP");
    const random = options.random ?? seeded(options.seed);
    this.layers = sizes.slice(1).map((outputs, i) => {
      const last = i === sizes.length - 2;
      const activation = last ? (options.output ?? "identity") : (options.activation ?? "tanh");
      return new Layer(sizes[i], outputs, { activation, random });
    });
  }

  /** The network's outputs for inputs x. */
  call(x: (number | Value)[]): Value[] {
    return this.layers.reduce<(number | Value)[]>((h, layer) => layer.call(h), x) as Value[];
  }

  parameters(): Value[] {
    return this.layers.flatMap((l) => l.parameters());
  }

  /** Sets every parameter's grad to 0: backward() adds to them, so call it before each one. */
  zeroGrad(): void {
    zeroGrads(this.parameters());
  }
}

function zeroGrads(params: Value[]): void {
  for (const p of params) p.grad = 0;
}

/** Throws unless `n` is a whole number of units above 0. */
export function checkUnits(n: unknown, where: string, what: string): void {
  if (typeof n === "number" && Number.isInteger(n) && n > 0) return;
  throw new Error(
    `${where}: ${what} must be a whole number above 0, received ${describe(n)}. ` +
      `A layer of zero units has nothing to compute.`,
  );
}

/** Throws unless `sizes` lists at least an input and an output size, each above 0. */
export function checkSizes(sizes: unknown, where: string): asserts sizes is number[] {
  if (!Array.isArray(sizes) || sizes.length < 2) {
    throw new Error(
      `${where}: expected layer sizes [inputs, …hidden, outputs] such as [2, 16, 1], ` +
        `received ${describe(sizes)}.`,
    );
  }
  sizes.forEach((n, i) => checkUnits(n, where, `size ${i} of [${sizes.join(", ")}]`));
}
