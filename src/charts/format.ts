// Number formatting for alt texts and labels: the same helper the tests use to state the facts.

/**
 * Formats a number for prose: at most `digits` decimals, trailing zeros dropped, a true minus
 * sign (U+2212), and "0" instead of "−0".
 */
export function fmt(value: number, digits = 2): string {
  if (!Number.isFinite(value)) return value > 0 ? "∞" : value < 0 ? "−∞" : "NaN";
  const fixed = value.toFixed(digits);
  const trimmed = fixed.includes(".") ? fixed.replace(/\.?0+$/, "") : fixed;
  if (/^-0$/.test(trimmed)) return "0";
  return trimmed.replace("-", "−");
}

/** Joins words as prose: "a", "a and b", "a, b and c". */
export function listing(words: string[]): string {
  if (words.length <= 1) return words.join("");
  return `${words.slice(0, -1).join(", ")} and ${words[words.length - 1]}`;
}

/** "1 mistake", "3 mistakes". */
export function plural(count: number, word: string, many = `${word}s`): string {
  return `${count} ${count === 1 ? word : many}`;
}
