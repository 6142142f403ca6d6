// Gradient descent on a one-weight cost J(w): the update w ← w − α·J'(w), step by step.

/** A cost function of one weight, with its derivative and the range of w worth drawing. */
export type Cost = {
  J: (w: number) => number;
  dJ: (w: number) => number;
  domain: [number, number];
};

/** The two costs the figures use: a convex bowl and a bumpy curve with a local minimum. */
export const costs: Record<"convex" | "bumpy", Cost> = {
  // J(w) = ½(w − 3)² + 1: one minimum, at w = 3.
  convex: { J: (w) => 0.5 * (w - 3) ** 2 + 1, dJ: (w) => w - 3, domain: [-1, 7] },
  // J(w) = w⁴/20 − 0.8w² + 0.6w + 6: a global minimum near w = −3, a local one near w = 2.6.
  bumpy: {
    J: (w) => 0.05 * w ** 4 - 0.8 * w ** 2 + 0.6 * w + 6,
    dJ: (w) => 0.2 * w ** 3 - 1.6 * w + 0.6,
    domain: [-4.4, 4.3],
  },
};

/** Looks a cost up by name; an unknown name throws with the known ones. */
export function costByName(name: unknown): Cost {
  if (name !== "convex" && name !== "bumpy") {
    throw new RangeError(`invalid cost: ${JSON.stringify(name)} (expected "convex" or "bumpy")`);
  }
  return costs[name];
}

/** One point of a descent: the step number k, the weight after k steps, and its cost. */
export type DescentStep = { k: number; w: number; J: number };

/**
 * Runs `steps` updates w ← w − lr·J'(w) from `start` and returns every point, the start
 * included. Stops early if w leaves any sensible range (|w| > 1e6): the descent has diverged.
 */
export function descend(cost: Cost, start: number, lr: number, steps: number): DescentStep[] {
  const path: DescentStep[] = [{ k: 0, w: start, J: cost.J(start) }];
  let w = start;
  for (let k = 1; k <= steps; k++) {
    w = w - lr * cost.dJ(w);
    if (!Number.isFinite(w) || Math.abs(w) > 1e6) break;
    path.push({ k, w, J: cost.J(w) });
  }
  return path;
}

/** A minimum of a cost: where it is, its value, and whether it is the lowest one (global). */
export type Minimum = { w: number; J: number; global: boolean };

/**
 * The minima of a cost inside its domain: where J' changes sign from − to +, found on a fine
 * grid and refined by bisection. The lowest one is marked global.
 */
export function minima(cost: Cost, [lo, hi]: [number, number] = cost.domain): Minimum[] {
  const found: { w: number; J: number }[] = [];
  const n = 2000;
  for (let i = 0; i < n; i++) {
    let a = lo + ((hi - lo) * i) / n;
    let b = lo + ((hi - lo) * (i + 1)) / n;
    if (!(cost.dJ(a) < 0 && cost.dJ(b) >= 0)) continue;
    // bisection: keep J' < 0 at a and J' ≥ 0 at b
    for (let j = 0; j < 60; j++) {
      const mid = (a + b) / 2;
      if (cost.dJ(mid) < 0) a = mid;
      else b = mid;
    }
    const w = (a + b) / 2;
    found.push({ w, J: cost.J(w) });
  }
  const lowest = Math.min(...found.map((m) => m.J));
  return found.map((m) => ({ ...m, global: m.J === lowest }));
}

/** How a descent went, judged against the minimum nearest to where it ended. */
export type Outcome = {
  /**
   * "converged": within 5% of the start's distance; "diverged": ended farther than it started;
   * "slow": neither.
   */
  verdict: "converged" | "slow" | "diverged";
  /** Whether consecutive steps jump back and forth across the minimum. */
  oscillates: boolean;
  /** The minimum judged against. */
  minimum: Minimum;
  /** |w − w_min| at the start and at the end. */
  startDistance: number;
  endDistance: number;
};

/** Judges a descent path: did it converge, crawl, or diverge, and did it oscillate. */
export function judge(path: DescentStep[], found: Minimum[], cost: Cost): Outcome {
  const first = path[0];
  const last = path[path.length - 1];
  // A descent that escaped the drawn range (or stopped early) is judged against the global minimum.
  const escaped = last.w < cost.domain[0] || last.w > cost.domain[1];
  const global = found.find((m) => m.global) ?? found[0];
  const minimum = escaped
    ? global
    : found.reduce((a, b) => (Math.abs(b.w - last.w) < Math.abs(a.w - last.w) ? b : a));
  const startDistance = Math.abs(first.w - minimum.w);
  const endDistance = Math.abs(last.w - minimum.w);
  const sides = path.map((p) => Math.sign(p.w - minimum.w)).filter((s) => s !== 0);
  let flips = 0;
  for (let i = 1; i < sides.length; i++) if (sides[i] !== sides[i - 1]) flips++;
  const oscillates = sides.length > 2 && flips >= (sides.length - 1) / 2;
  const diverged = path.length < 2 || endDistance > startDistance || !Number.isFinite(last.J);
  const verdict = diverged
    ? "diverged"
    : endDistance <= 0.05 * startDistance + 1e-9
      ? "converged"
      : "slow";
  return { verdict, oscillates, minimum, startDistance, endDistance };
}
