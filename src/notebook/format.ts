/** Numbers as outputs show them. Shared by the build, the worker and the page (so it stays tiny). */

/** A number as a table shows it: at most 4 significant digits, exponent when tiny or huge. */
export function formatNumber(x: number): string {
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return String(x);
  if (!Number.isFinite(x)) return String(x);
  const magnitude = Math.abs(x);
  if (magnitude !== 0 && (magnitude < 1e-4 || magnitude >= 1e9)) {
    return x.toExponential(3).replace(/\.?0+e/, "e");
  }
  return String(Number(x.toPrecision(4)));
}
