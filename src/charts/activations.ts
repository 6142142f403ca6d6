// The activation functions the figures draw, by name (the engine's `activations` table has the
// same names; the figures keep their own copy so a chart never needs the engine to load).

/** An activation function as the figures see it: its formula and its display name. */
export type Activation = { f: (z: number) => number; label: string; jumpsAtZero?: boolean };

/** Every activation a chart can draw, keyed by the name authors pass. */
export const activationTable: Record<string, Activation> = {
  step: { f: (z) => (z >= 0 ? 1 : 0), label: "Step", jumpsAtZero: true },
  sign: { f: (z) => (z > 0 ? 1 : z < 0 ? -1 : 0), label: "Sign", jumpsAtZero: true },
  identity: { f: (z) => z, label: "Identity" },
  sigmoid: { f: (z) => 1 / (1 + Math.exp(-z)), label: "Sigmoid" },
  tanh: { f: (z) => Math.tanh(z), label: "Tanh" },
  relu: { f: (z) => Math.max(0, z), label: "ReLU" },
  leakyRelu: { f: (z) => (z > 0 ? z : 0.01 * z), label: "Leaky ReLU" },
};

/** Looks an activation up by name; an unknown name throws with the list of known ones. */
export function activationByName(name: string): Activation {
  const activation = Object.hasOwn(activationTable, name) ? activationTable[name] : undefined;
  if (activation === undefined) {
    const known = Object.keys(activationTable).map((n) => `"${n}"`);
    throw new RangeError(
      `invalid activation: ${JSON.stringify(name)} (expected one of ${known.join(", ")})`,
    );
  }
  return activation;
}
