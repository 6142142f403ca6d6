// Activation functions: what a neuron does with its net sum z, and the slope it passes back.

/** One activation: the function, its derivative (both of z), and a name for labels. */
export interface Activation {
  f(x: number): number;
  df(x: number): number;
  label: string;
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** Slope of leaky ReLU for negative inputs. */
export const LEAKY_SLOPE = 0.01;

/**
 * The scalar activations by name, sorted from the perceptron's step to the modern ReLU.
 * Softmax is not here: it works on a whole vector, see {@link softmax}.
 *
 * @example
 * activations.sigmoid.f(0); // 0.5
 * activations.tanh.df(0); // 1
 */
export const activations = {
  step: { f: (x) => (x >= 0 ? 1 : 0), df: () => 0, label: "step" },
  sign: { f: (x) => (x >= 0 ? 1 : -1), df: () => 0, label: "sign" },
  identity: { f: (x) => x, df: () => 1, label: "identity" },
  sigmoid: { f: sigmoid, df: (x) => sigmoid(x) * (1 - sigmoid(x)), label: "sigmoid" },
  tanh: { f: Math.tanh, df: (x) => 1 - Math.tanh(x) ** 2, label: "tanh" },
  relu: { f: (x) => (x > 0 ? x : 0), df: (x) => (x > 0 ? 1 : 0), label: "ReLU" },
  leakyRelu: {
    f: (x) => (x > 0 ? x : LEAKY_SLOPE * x),
    df: (x) => (x > 0 ? 1 : LEAKY_SLOPE),
    label: "leaky ReLU",
  },
} satisfies Record<string, Activation>;

/** The name of a scalar activation. */
export type ActivationName = keyof typeof activations;

/** The name of an activation a layer can use: a scalar one, or softmax over the layer. */
export type LayerActivation = ActivationName | "softmax";

/**
 * Softmax of a vector: exponentials scaled to sum to 1 (the largest is subtracted first so
 * that exp never overflows).
 *
 * @example
 * softmax([1, 2, 3]); // [0.090…, 0.244…, 0.665…]
 */
export function softmax(xs: number[]): number[] {
  const max = Math.max(...xs);
  const exps = xs.map((x) => Math.exp(x - max));
  const total = exps.reduce((sum, e) => sum + e, 0);
  return exps.map((e) => e / total);
}

/**
 * Checks an activation name at the door and returns it; an unknown name throws an error that
 * lists the known ones.
 */
export function activationName(name: unknown, where: string, allowSoftmax = true): LayerActivation {
  const known: string[] = Object.keys(activations);
  if (allowSoftmax) known.push("softmax");
  if (typeof name === "string" && known.includes(name)) return name as LayerActivation;
  throw new Error(
    `${where}: unknown activation ${JSON.stringify(name)} ` +
      `(expected one of ${known.map((k) => JSON.stringify(k)).join(", ")}).`,
  );
}
