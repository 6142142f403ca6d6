// Argument checks shared by the chart functions: each error names what it received and expected.

/** Throws unless `domain` is two finite numbers in increasing order. */
export function checkDomain(chart: string, domain: unknown): [number, number] {
  if (
    !Array.isArray(domain) ||
    domain.length !== 2 ||
    !domain.every(Number.isFinite) ||
    !(domain[0] < domain[1])
  ) {
    throw new RangeError(
      `${chart}: invalid domain ${JSON.stringify(domain)} ` +
        "(expected two finite numbers [min, max] with min < max, such as [-4, 4])",
    );
  }
  return [domain[0], domain[1]];
}

/** Throws unless `value` is a finite number. */
export function checkNumber(chart: string, name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new TypeError(
      `${chart}: invalid ${name} ${JSON.stringify(value)} (expected a finite number)`,
    );
  }
  return value;
}

/** Throws unless `value` is a non-empty array of finite numbers. */
export function checkNumbers(chart: string, name: string, value: unknown): number[] {
  if (!Array.isArray(value) || value.length === 0 || !value.every(Number.isFinite)) {
    throw new TypeError(
      `${chart}: invalid ${name} ${JSON.stringify(value)} ` +
        "(expected a non-empty array of finite numbers, such as [-1, 0, 0.5, 2])",
    );
  }
  return value;
}

/** Throws unless `points` is an array of { x1, x2, label }: finite coordinates, label 0 or 1. */
export function checkPoints(
  chart: string,
  points: unknown,
): { x1: number; x2: number; label: number }[] {
  if (!Array.isArray(points)) {
    throw new TypeError(
      `${chart}: invalid points ${typeof points} (expected an array of { x1, x2, label })`,
    );
  }
  points.forEach((p, i) => {
    if (
      p === null ||
      typeof p !== "object" ||
      !Number.isFinite(p.x1) ||
      !Number.isFinite(p.x2) ||
      !(p.label === 0 || p.label === 1)
    ) {
      throw new TypeError(
        `${chart}: invalid point ${i}: ${JSON.stringify(p)} ` +
          "(expected { x1: number, x2: number, label: 0 | 1 })",
      );
    }
  });
  return points;
}

/** Evenly spaced samples from lo to hi, both included. */
export function samples(lo: number, hi: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => lo + ((hi - lo) * i) / (count - 1));
}
