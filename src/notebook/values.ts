/**
 * Numbers in the prose that come from the cells: `<Value name="testAccuracy" percent digits={1} />`
 * in a chapter is replaced, at build time, by the value the cell declaring `testAccuracy` computed,
 * so the text and the output cannot disagree. A missing name fails the build at its line.
 */
import { formatNumber } from "./format.ts";

/** How a `<Value>` asks for its number. */
export interface ValueRequest {
  /** A name a cell declares. */
  name: string;
  /** Keys into the value: "history.-1.loss" (negative indices count from the end). */
  path?: string;
  /** Decimals to show. */
  digits?: number;
  /** Shown as a percentage (0.953 → 95.3%). */
  percent?: boolean;
}

/** The text a `<Value>` becomes, or an error that says what is wrong. */
export function valueText(
  request: ValueRequest,
  lookup: (name: string) => { value: unknown } | { missing: string },
): { text: string } | { error: string } {
  const found = lookup(request.name);
  if ("missing" in found) return { error: `<Value name="${request.name}">: ${found.missing}` };
  let value = found.value;
  for (const key of request.path ? request.path.split(".") : []) {
    const index = Number(key);
    const next =
      Array.isArray(value) && Number.isInteger(index)
        ? value.at(index)
        : value !== null && typeof value === "object"
          ? (value as Record<string, unknown>)[key]
          : undefined;
    if (next === undefined) {
      return { error: `<Value name="${request.name}" path="${request.path}">: ${request.name} has nothing at "${key}"` };
    }
    value = next;
  }
  if (typeof value === "string") return { text: value };
  if (typeof value !== "number" || !Number.isFinite(value)) {
    return {
      error: `<Value name="${request.name}">: expected a number or a string, received ${typeof value === "object" ? "an object (give a path)" : String(value)}`,
    };
  }
  const { digits, percent } = request;
  const shown = percent ? value * 100 : value;
  const text = digits === undefined ? formatNumber(shown) : shown.toFixed(digits);
  return { text: percent ? `${text}%` : text };
}
