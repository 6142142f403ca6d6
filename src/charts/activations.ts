// The activation functions the figures draw: the engine's own table, with display names and the
// one fact a drawing needs (whether the function jumps at z = 0).
import { activations } from "../../engine/index.ts";

/** An activation function as the figures see it: its formula and its display name. */
export type Activation = { f: (z: number) => number; label: string; jumpsAtZero: boolean };

// Functions drawn with a gap at z = 0 instead of a vertical stroke.
const jumping = new Set(["step", "sign"]);

/** Looks an activation up by name; an unknown name throws with the list of known ones. */
export function activationByName(name: string): Activation {
  const table: Record<string, { f(z: number): number; label: string }> = activations;
  const activation = Object.hasOwn(table, name) ? table[name] : undefined;
  if (activation === undefined) {
    const known = Object.keys(table).map((n) => `"${n}"`);
    throw new RangeError(
      `invalid activation: ${JSON.stringify(name)} (expected one of ${known.join(", ")})`,
    );
  }
  const label = activation.label.charAt(0).toUpperCase() + activation.label.slice(1);
  return { f: (z) => activation.f(z), label, jumpsAtZero: jumping.has(name) };
}
