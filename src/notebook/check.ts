/**
 * The exercises' check API: what an author's check code calls to judge a reader's answer, and
 * the verdict it comes to. A check is an ordered list of guards (gradethis's model): the first
 * guard that fails stops the check with a message that says, in plain words, what came back,
 * what was expected and where; a check that reaches its end passes. Cells reach it as the module
 * "exercise" (`runCheck`); the remark plugin wraps each ```` ```ts check ```` fence in a call to
 * it, so authors write only the guards:
 *
 * ```ts
 * check.sameFunction(neuron, (x, w) => x * w, { name: "neuron", cases: [[2, 0.5], [1, 0]] });
 * check.pass("Your neuron multiplies its input by its weight.");
 * ```
 *
 * Numbers here are float64: tolerances default to 1e-6, absolute plus relative.
 */
import { rng, type Rng } from "../../engine/rng.ts";
import { Verdict } from "./verdict.ts";

export { Verdict, isVerdict, verdictHtml, type VerdictData, type VerdictStatus } from "./verdict.ts";

/** A guard that failed: stops the check. */
export class CheckFailure extends Error {
  detail?: string;
  hint?: string;
  constructor(message: string, extra: { detail?: string; hint?: string } = {}) {
    super(message);
    this.name = "CheckFailure";
    if (extra.detail) this.detail = extra.detail;
    if (extra.hint) this.hint = extra.hint;
  }
}

/** Tolerances of a numeric comparison: |got − expected| ≤ atol + rtol·|expected|. */
export interface Tolerance {
  atol?: number;
  rtol?: number;
}

/** What most guards take: the name the reader knows the value by, and a hint for its failure. */
export interface GuardOptions {
  name?: string;
  hint?: string;
}

const DEFAULT_TOLERANCE = { atol: 1e-6, rtol: 1e-6 };

/** A value in a message: numbers to 4 significant digits, arrays cut short, no code dumps. */
export function show(value: unknown, depth = 0): string {
  if (value === undefined) return "undefined";
  if (value === null) return "null";
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "NaN";
    if (!Number.isFinite(value)) return value > 0 ? "Infinity" : "-Infinity";
    if (Number.isInteger(value)) return String(value);
    const text = Number(value.toPrecision(4)).toString();
    return text === "0" ? value.toExponential(2) : text;
  }
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (typeof value === "function") return `a function${value.name ? ` (${value.name})` : ""}`;
  const array = asArray(value);
  if (array) {
    if (depth > 1) return `[…${array.length} items]`;
    const shown = array.slice(0, 6).map((item) => show(item, depth + 1));
    return `[${shown.join(", ")}${array.length > 6 ? `, … ${array.length - 6} more` : ""}]`;
  }
  return Object.prototype.toString.call(value).replace(/^\[object (\w+)\]$/, "an $1");
}

// A tensor-like value (the engine's Tensor) as nested arrays; typed arrays as arrays.
function asArray(value: unknown): unknown[] | null {
  if (Array.isArray(value)) return value;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as unknown as ArrayLike<number>);
  const toArray = (value as { toArray?: unknown } | null)?.toArray;
  if (typeof toArray === "function") {
    const out = (toArray as () => unknown).call(value);
    if (Array.isArray(out)) return out;
  }
  return null;
}

/** The shape of nested arrays (or a tensor's `.shape`); null when ragged or not an array. */
export function shapeOf(value: unknown): number[] | null {
  const tensorShape = (value as { shape?: unknown } | null)?.shape;
  if (!Array.isArray(value) && Array.isArray(tensorShape)) return tensorShape.map(Number);
  const array = asArray(value);
  if (!array) return [];
  if (array.length === 0) return [0];
  const inner = array.map(shapeOf);
  const first = JSON.stringify(inner[0]);
  if (inner.some((s) => s === null || JSON.stringify(s) !== first)) return null;
  return [array.length, ...(inner[0] as number[])];
}

// The first place where `got` and `expected` differ beyond the tolerance, or null.
function firstDifference(
  got: unknown,
  expected: unknown,
  tolerance: Required<Tolerance>,
  path: number[] = [],
): { path: number[]; got: unknown; expected: unknown; why: string } | null {
  if (typeof expected === "number") {
    if (typeof got !== "number") {
      const why = got === undefined ? "nothing came back (is a `return` missing?)" : `not a number`;
      return { path, got, expected, why };
    }
    if (Number.isNaN(got) && !Number.isNaN(expected)) return { path, got, expected, why: "NaN" };
    if (Object.is(got, expected)) return null;
    const gap = Math.abs(got - expected);
    if (!(gap <= tolerance.atol + tolerance.rtol * Math.abs(expected))) {
      return { path, got, expected, why: "off" };
    }
    return null;
  }
  const want = asArray(expected);
  if (want) {
    const have = asArray(got);
    if (!have) return { path, got, expected, why: "not an array" };
    if (have.length !== want.length) return { path, got, expected, why: `length ${have.length}, not ${want.length}` };
    for (let i = 0; i < want.length; i++) {
      const found = firstDifference(have[i], want[i], tolerance, [...path, i]);
      if (found) return found;
    }
    return null;
  }
  if (Object.is(got, expected)) return null;
  return { path, got, expected, why: "different" };
}

function where(name: string, path: number[]): string {
  return `${name}${path.map((i) => `[${i}]`).join("")}`;
}

function callText(name: string, args: readonly unknown[]): string {
  return `${name}(${args.map((a) => show(a)).join(", ")})`;
}

function tolerance(options: Tolerance): Required<Tolerance> {
  return { atol: options.atol ?? DEFAULT_TOLERANCE.atol, rtol: options.rtol ?? DEFAULT_TOLERANCE.rtol };
}

function fail(message: string, extra: { detail?: string; hint?: string } = {}): never {
  throw new CheckFailure(message, extra);
}

/** Calls the reader's function; an error it throws becomes a failure that names the call. */
function callReader(f: (...args: never[]) => unknown, name: string, args: readonly unknown[]): unknown {
  try {
    return (f as (...a: unknown[]) => unknown)(...args);
  } catch (error) {
    const e = error as Error;
    throw new CheckFailure(`${callText(name, args)} threw ${e?.name ?? "an error"}: ${e?.message ?? String(error)}.`, {
      hint: "Run your cell on that input to see where it fails.",
    });
  }
}

function requireFunction(f: unknown, name: string): asserts f is (...args: never[]) => unknown {
  if (typeof f !== "function") {
    fail(`\`${name}\` should be a function, but it is ${show(f)}.`, {
      hint: `Keep the declaration \`function ${name}(…) { … }\` from the starter code.`,
    });
  }
}

/** The guards a check body receives as `check`. */
export interface Check {
  /** Numbers (or arrays, matrices, tensors of them) close to the expected ones. */
  close(got: unknown, expected: unknown, options?: GuardOptions & Tolerance): void;
  /** An array's (or tensor's) shape, e.g. [4, 3]. */
  shape(got: unknown, shape: readonly number[], options?: GuardOptions): void;
  /**
   * The reader's function against a reference: the chosen cases first, then `random.n` seeded
   * random ones. The first input where they differ is reported as a call.
   */
  sameFunction(
    f: unknown,
    reference: (...args: never[]) => unknown,
    options: GuardOptions &
      Tolerance & {
        cases?: readonly (readonly unknown[])[];
        random?: { n: number; seed?: number; args: (random: Rng) => unknown[] };
        /** Wrong versions the author foresaw: one the reader's agrees with gives its message. */
        mistakes?: readonly { reference: (...args: never[]) => unknown; message: string; hint?: string }[];
      },
  ): void;
  /**
   * A backward rule `(x, t, g) => gradient for x` of t = f(x), against central differences
   * g·(f(x + ε) − f(x − ε)) / 2ε at `count` inputs over `domain` and the gradients `grads`.
   * Says when the rule ignores g or has its sign flipped.
   */
  backwardRule(
    rule: unknown,
    options: GuardOptions & { f: (x: number) => number; domain?: [number, number]; count?: number; grads?: number[] },
  ): void;
  /** The loss fell by at least `by` (a fraction of the first loss, 0.5 = halved). */
  lossFell(history: readonly (number | { loss: number })[], options?: GuardOptions & { by?: number }): void;
  /** An accuracy (0 to 1) at least `target`. */
  accuracyAtLeast(accuracy: unknown, target: number, options?: GuardOptions): void;
  /** A probability (0 to 1), or rows of probabilities that each sum to 1. */
  probability(value: unknown, options?: GuardOptions): void;
  /** Fails with `message` unless `condition` holds. */
  that(condition: unknown, message: string, options?: { hint?: string }): void;
  /** A mistake the author foresaw: fails with its own message when `condition` holds. */
  mistake(condition: unknown, message: string, options?: { hint?: string }): void;
  /** The words the reader sees when every guard has passed. */
  pass(message: string): void;
}

/** `check.backwardRule`: the rule against central differences, with diagnoses of two mistakes. */
function checkBackwardRule(rule: unknown, options: Parameters<Check["backwardRule"]>[1]): void {
  const name = options.name ?? "your rule";
  requireFunction(rule, name);
  const { f, domain = [-3, 3], count = 41, grads = [1, -0.5] } = options;
  const eps = 1e-5;
  const xs = Array.from({ length: count }, (_, i) => Number((domain[0] + ((domain[1] - domain[0]) * i) / (count - 1)).toFixed(10)));
  const bad: { x: number; g: number; got: unknown; want: number }[] = [];
  for (const g of grads) {
    for (const x of xs) {
      const t = f(x);
      const got = callReader(rule, name, [x, t, g]);
      const want = (g * (f(x + eps) - f(x - eps))) / (2 * eps);
      const ok = typeof got === "number" && Math.abs(got - want) <= 1e-4 * Math.max(1, Math.abs(want));
      if (!ok) bad.push({ x, g, got, want });
    }
  }
  if (bad.length === 0) return;
  const first = bad[0];
  const call = callText(name, [first.x, f(first.x), first.g]);
  if (first.got === undefined) {
    fail(`${call} returned nothing (undefined). Does your rule end with a \`return\`?`, { hint: options.hint });
  }
  if (typeof first.got !== "number" || Number.isNaN(first.got)) {
    fail(`${call} returned ${show(first.got)}, not a number.`, { hint: options.hint });
  }
  // Diagnoses that fit the common mistakes: the sign, and a forgotten g.
  const sameForBothG = grads.length > 1 && xs.every((x) => {
    const t = f(x);
    const a = callReader(rule, name, [x, t, grads[0]]);
    const b = callReader(rule, name, [x, t, grads[1]]);
    return a === b;
  });
  const flipped = bad.every(({ got, want }) => typeof got === "number" && Math.abs(got + want) <= 1e-4 * Math.max(1, Math.abs(want)));
  const hint = sameForBothG
    ? "Your rule gives the same answer whatever g is: multiply by g, the gradient that reached the output."
    : flipped
      ? "Your rule has the right size but the wrong sign everywhere."
      : options.hint;
  fail(
    `At x = ${show(first.x)} with g = ${show(first.g)}, ${name} returns ${show(first.got)}, but the slope measured numerically gives ${show(first.want)} (${bad.length} of ${xs.length * grads.length} inputs differ).`,
    { detail: `Compared with g·(f(x + ε) − f(x − ε)) / 2ε, ε = ${eps}, for x from ${domain[0]} to ${domain[1]}.`, hint },
  );
}

function makeCheck(onPass: (message: string) => void): Check {
  return {
    close(got, expected, options = {}) {
      const name = options.name ?? "your value";
      const found = firstDifference(got, expected, tolerance(options));
      if (!found) return;
      const at = where(name, found.path);
      const tol = tolerance(options);
      const message =
        found.why === "off"
          ? `${at} is ${show(found.got)}, but it should be ${show(found.expected)}.`
          : found.why.startsWith("length")
            ? `${at} has ${found.why.replace(/^length (\d+), not (\d+)$/, "$1 items; it should have $2")}.`
            : `${at} should be ${show(found.expected)}, but it is ${show(found.got)}${found.why === "different" || found.why === "off" ? "" : `: ${found.why}`}.`;
      fail(message, {
        detail: found.why === "off" ? `Within ${show(tol.atol)} + ${show(tol.rtol)}·|expected| counts as equal.` : undefined,
        hint: options.hint,
      });
    },

    shape(got, shape, options = {}) {
      const name = options.name ?? "your value";
      const have = shapeOf(got);
      if (have === null) fail(`${name} is a ragged array: its rows have different lengths.`, { hint: options.hint });
      if (JSON.stringify(have) === JSON.stringify([...shape])) return;
      const swapped = have.length === 2 && shape.length === 2 && have[0] === shape[1] && have[1] === shape[0];
      fail(`${name} has shape [${have.join(", ")}], but it should have shape [${shape.join(", ")}].`, {
        hint: options.hint ?? (swapped ? "Rows and columns are swapped: is something transposed?" : undefined),
      });
    },

    sameFunction(f, reference, options) {
      const name = options.name ?? "your function";
      requireFunction(f, name);
      const inputs: (readonly unknown[])[] = [...(options.cases ?? [])];
      if (options.random) {
        const random = rng(options.random.seed ?? 1);
        for (let i = 0; i < options.random.n; i++) inputs.push(options.random.args(random));
      }
      for (const args of inputs) {
        const got = callReader(f, name, args);
        const expected = (reference as (...a: unknown[]) => unknown)(...args);
        const found = firstDifference(got, expected, tolerance(options));
        if (!found) continue;
        // a foreseen wrong version that agrees with the reader's on every input names the mistake
        const known = (options.mistakes ?? []).find((m) =>
          inputs.every((a) => {
            try {
              return !firstDifference(callReader(f, name, a), (m.reference as (...x: unknown[]) => unknown)(...a), tolerance(options));
            } catch {
              return false;
            }
          }),
        );
        if (known) fail(`${callText(name, args)} returned ${show(got)}: ${known.message}`, { hint: known.hint ?? options.hint });
        const call = callText(name, args);
        const part = found.path.length ? ` (at ${where("", found.path)})` : "";
        const message =
          got === undefined
            ? `${call} returned nothing (undefined). Does your function end with a \`return\`?`
            : found.path.length
              ? `${call} returned ${show(got)}: its item ${where("", found.path)} is ${show(found.got)}, but it should be ${show(found.expected)}.`
              : `${call} returned ${show(got)}, but it should return ${show(expected)}.`;
        fail(message, { hint: options.hint });
      }
    },

    backwardRule(rule, options) {
      checkBackwardRule(rule, options);
    },

    lossFell(history, options = {}) {
      const name = options.name ?? "the loss";
      const by = options.by ?? 0.5;
      const losses = (history ?? []).map((h) => (typeof h === "number" ? h : (h as { loss: number })?.loss));
      if (losses.length < 2) fail(`${name} needs at least two values to compare; it has ${losses.length}.`, { hint: options.hint });
      const [first, last] = [losses[0], losses[losses.length - 1]];
      if (!Number.isFinite(last)) {
        fail(`${name} ended at ${show(last)}: the training diverged.`, { hint: options.hint ?? "A smaller learning rate usually stops that." });
      }
      const fell = (first - last) / first;
      if (!(fell >= by)) {
        fail(
          `${name} went from ${show(first)} to ${show(last)} (${fell >= 0 ? "down" : "up"} ${Math.abs(Math.round(fell * 100))}%), but it should fall by at least ${Math.round(by * 100)}%.`,
          { hint: options.hint },
        );
      }
    },

    accuracyAtLeast(accuracy, target, options = {}) {
      const name = options.name ?? "the accuracy";
      if (typeof accuracy !== "number" || Number.isNaN(accuracy)) fail(`${name} should be a number from 0 to 1, but it is ${show(accuracy)}.`);
      if (!(accuracy >= target)) {
        fail(`${name} is ${(accuracy * 100).toFixed(1)}%, but it should be at least ${(target * 100).toFixed(1)}%.`, { hint: options.hint });
      }
    },

    probability(value, options = {}) {
      const name = options.name ?? "your value";
      const rows = asArray(value);
      const check = (p: unknown, at: string) => {
        if (typeof p !== "number" || !(p >= 0 && p <= 1)) {
          fail(`${at} is ${show(p)}, which is not a probability (a number from 0 to 1).`, { hint: options.hint });
        }
      };
      if (!rows) return check(value, name);
      const matrix = rows.map((row) => asArray(row) ?? [row]).map((row, i) => ({ row, i }));
      const flat = rows.every((row) => !asArray(row));
      const groups = flat ? [{ row: rows, i: -1 }] : matrix;
      for (const { row, i } of groups) {
        row.forEach((p, j) => check(p, i < 0 ? `${name}[${j}]` : `${name}[${i}][${j}]`));
        const sum = (row as number[]).reduce((a, b) => a + b, 0);
        if (Math.abs(sum - 1) > 1e-6) {
          fail(`${i < 0 ? name : `${name}[${i}]`} adds up to ${show(sum)}; probabilities of all the classes add up to 1.`, { hint: options.hint });
        }
      }
    },

    that(condition, message, options = {}) {
      if (!condition) fail(message, options);
    },

    mistake(condition, message, options = {}) {
      if (condition) fail(message, options);
    },

    pass(message) {
      onPass(String(message));
    },
  };
}

/**
 * Runs a check body and returns its verdict: "pass" if every guard passed, "fail" with the first
 * failing guard's message, "error" if the body threw anything else (the reader's code, called
 * from the check, threw).
 */
export async function runCheck(exercise: string, body: (check: Check) => unknown): Promise<Verdict> {
  let passed = "Right: your answer passes every check.";
  try {
    await body(makeCheck((message) => (passed = message)));
    return new Verdict({ exercise, status: "pass", message: passed });
  } catch (error) {
    if (error instanceof CheckFailure) {
      // a sentence starts with a capital ("The loss went …"), not a name such as `weightedSum(…)`
      const message = error.message.replace(/^(the|your) /, (word) => word[0].toUpperCase() + word.slice(1));
      return new Verdict({ exercise, status: "fail", message, detail: error.detail, hint: error.hint });
    }
    const e = error as Error;
    if (e?.name === "ReferenceError") {
      const missing = /^(\S+) is not defined/.exec(e.message)?.[1];
      return new Verdict({
        exercise,
        status: "fail",
        message: missing
          ? `The check looks for \`${missing}\`, and no cell declares it now.`
          : `The check could not find a name it needs: ${e.message}.`,
        hint: "Keep the names the starter code declares.",
      });
    }
    return new Verdict({
      exercise,
      status: "error",
      message: `Your code threw ${e?.name ?? "an error"} when the check ran it: ${e?.message ?? String(error)}.`,
    });
  }
}
