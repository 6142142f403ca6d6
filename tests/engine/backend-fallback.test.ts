import { afterAll, beforeAll, describe, expect, test } from "vitest";

// A runtime without WebAssembly SIMD, as an old browser: the engine's module is loaded fresh in
// this file (vitest isolates test files), after WebAssembly.validate is made to refuse it.
const validate = WebAssembly.validate;
let engine: typeof import("../../engine/index.ts");
beforeAll(async () => {
  WebAssembly.validate = () => false;
  engine = await import("../../engine/index.ts");
});
afterAll(() => {
  WebAssembly.validate = validate;
});

describe("where WebAssembly SIMD is missing", () => {
  test("the TypeScript loops run, silently, and getBackend() says so", async () => {
    const { MLP, datasets, getBackend, backendProblem, train } = engine;
    const net = new MLP([2, 16, 16, 1], { activation: "tanh", output: "sigmoid", seed: 1 });
    const { history } = await train(net, datasets.spiral({ n: 200, seed: 1 }), { epochs: 5 });
    expect(history).toHaveLength(5);
    expect(getBackend()).toBe("typescript");
    expect(backendProblem()).toBe("this runtime has no WebAssembly SIMD");
    // a large parameter is an ordinary array too (no WebAssembly memory of its own)
    expect(engine.Tensor.parameter(100, 100).data.buffer.byteLength).toBe(100 * 100 * 8);
  });

  test('setBackend("wasm") says why it cannot, and what to do', () => {
    expect(() => engine.setBackend("wasm")).toThrow(
      "setBackend: the WebAssembly backend cannot run here (this runtime has no WebAssembly " +
        'SIMD). The TypeScript loops give the same results: use ' +
        'setBackend("typescript") or "auto".',
    );
    expect(engine.setBackend("auto")).toBe("typescript");
  });
});
