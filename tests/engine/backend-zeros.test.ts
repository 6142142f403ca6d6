import { afterEach, describe, expect, test } from "vitest";
import { Tensor, rng, setBackend, type Backend } from "../../engine/index.ts";
import { firstDifference } from "../support/backends.ts";

// The kernels sum each output in order, one product at a time, and leave out a zero input's
// products when the other operand is finite. In the forward product that changes nothing (its
// sums start at +0 and never become −0), so the TypeScript may skip four zeros together and
// add the rest; in the weights' gradient, which adds into what the gradient already holds, a
// +0 product added to a −0 would make it +0, so both backends must leave out exactly the same
// inputs. These tests give every pattern of zeros within a group of four, in the inputs of the
// forward product (along k) and of the weights' gradient (along n), sums that cancel to ±0
// exactly, gradients seeded with −0, and NaN or ±∞ beside zeros, on a resident parameter
// (Tensor.parameter, in WebAssembly memory) and an ordinary one.

afterEach(() => {
  setBackend("auto");
});

// n and k leave two over after the groups of four; m has 16-, 8- and 1-wide column blocks.
const [n, k, m] = [66, 66, 75];
const r = rng(17);
const zero = () => (r.next() < 0.5 ? 0 : -0);
// small integers and ±0: products and their sums are exact, so sums cancel to ±0 often
const small = () => [1, -1, 2, -2, 0.5, 0, -0][r.int(7)];
const special = () => [NaN, Infinity, -Infinity][r.int(3)];

/** x[i][p] is +0 or −0 where bit (i + p) mod 4 of mask (i div 4 + p div 4) mod 16 is clear. */
function inputs(specials: boolean): Float64Array {
  return Float64Array.from({ length: n * k }, (_, at) => {
    const [i, p] = [Math.floor(at / k), at % k];
    const mask = ((i >> 2) + (p >> 2)) & 15;
    // Where g is 0 (a +0 by then: gradients are summed from +0) the products are −0 for inputs
    // < 0 or −0, else +0. Inputs p = 0 mod 3 are < 0 or −0 in every example: their gradient
    // stays −0 where g is 0. Inputs p = 1 mod 3 are < 0 or +0 (−0 in the last examples): where
    // g is 0 their gradient stays −0 only if every +0 input is left out, as a group of four
    // with a nonzero input would not do. The others are anything.
    const kind = p % 3 === 1 && i >= n - (n % 4) ? 0 : p % 3;
    if (((mask >> ((i + p) & 3)) & 1) === 0) return kind === 0 ? -0 : kind === 1 ? 0 : zero();
    if (specials && r.next() < 0.02) return special();
    return kind < 2 ? [-1, -2, -0.5][r.int(3)] : small() || 1;
  });
}

const cases = [
  { name: "finite numbers, gradient from +0", specials: false, seed: "none" },
  { name: "finite numbers, gradient seeded with −0", specials: false, seed: "-0" },
  { name: "finite numbers, gradient seeded with −0, +0 and numbers", specials: false, seed: "mix" },
  { name: "NaN and ±∞ beside zeros, gradient seeded with −0", specials: true, seed: "-0" },
] as const;

describe("zero inputs, alone or four together, give identical numbers on both backends", () => {
  for (const { name, specials, seed } of cases) {
    const data = {
      x: inputs(specials),
      W: Float64Array.from({ length: k * m }, () => (specials && r.next() < 0.01 ? special() : small())),
      // every fifth column of g is zeros: the products there are ±0, their sums too, and a −0
      // seeded in the gradient stays only while every sum added to it is −0
      g: Float64Array.from({ length: n * m }, (_, at) =>
        at % 5 === 0 || r.next() < 0.3 ? zero() : specials && r.next() < 0.01 ? special() : small()),
      seed: Float64Array.from({ length: k * m }, () =>
        seed === "-0" ? -0 : seed === "mix" ? [-0, 0, small()][r.int(3)] : 0),
      b: Float64Array.from({ length: m }, small),
      seedX: Float64Array.from({ length: n * k }, () => (seed === "none" ? 0 : -0)),
    };
    for (const resident of [true, false]) {
      test(`${name}, ${resident ? "resident" : "ordinary"} weights`, () => {
        const run = (backend: Backend) => {
          setBackend(backend);
          const W = resident ? Tensor.parameter(k, m) : new Tensor(k, m, new Float64Array(k * m));
          W.data.set(data.W);
          const x = new Tensor(n, k, data.x.slice());
          const g = new Tensor(n, m, data.g.slice());
          g.requiresGrad = false;
          // make the gradients, then seed them in place
          x.matmul(W).sum().backward();
          W.grad!.set(data.seed);
          x.grad!.set(data.seedX);
          const product = x.matmul(W);
          product.mul(g).sum().backward();
          const layer = x.linear(W, new Tensor(1, m, data.b.slice()), "relu");
          layer.mul(g).sum().backward();
          const shared = W.grad!.buffer === W.data.buffer;
          return { shared, results: [product.data, layer.data, W.grad!.slice(), x.grad!.slice()] };
        };
        const [typescript, wasm] = [run("typescript"), run("wasm")];
        expect(wasm.shared, "W's gradient lives beside W in WebAssembly memory").toBe(resident);
        wasm.results.forEach((array, i) => {
          expect(firstDifference(array, typescript.results[i]), `result ${i}`).toBe("");
        });
        // the cases are the ones meant: signed zeros in the gradient, exact zero sums
        if (seed === "-0") expect(typescript.results[2].some((v) => Object.is(v, -0))).toBe(true);
      });
    }
  }
});
