import { afterEach, describe, expect, test, vi } from "vitest";
import { MLP, Momentum, SGD, Tensor, activations, setBackend } from "../../engine/index.ts";
import { backend, typescript } from "../../engine/backend.ts";

// The backend is one object that tensor.ts and optim.ts call by name (engine/backend.ts): these
// tests hold that every product, layer and update goes through it, and that a parameter's zeros
// are the backend's while Tensor.zeros is an ordinary array.

afterEach(() => {
  vi.restoreAllMocks();
  setBackend("auto");
});

describe("backend()", () => {
  test("is the object setBackend chose, and every op and update goes through it", () => {
    setBackend("typescript");
    expect(backend()).toBe(typescript);
    const spies = (["matmulInto", "linearInto", "matmulTransposeAInto", "matmulTransposeBInto",
      "sgd", "momentum", "zerosBeside"] as const).map((name) => vi.spyOn(typescript, name));
    const net = new MLP([3, 4, 1], { activation: "tanh", seed: 1 });
    const x = Tensor.from([[1, 2, 3], [0, 1, 0]], { requiresGrad: false });
    for (const Optimizer of [SGD, Momentum]) {
      const opt = new Optimizer(net.parameters(), { lr: 0.1 });
      opt.zeroGrad();
      net.forward(x).matmul(Tensor.from([[1]])).sum().backward();
      opt.step();
    }
    for (const spy of spies) expect(spy, spy.getMockName()).toHaveBeenCalled();
  });

  test("on WebAssembly, a large parameter's zeros live in WebAssembly memory; Tensor.zeros's do not", () => {
    expect(setBackend("wasm")).toBe("wasm");
    expect(backend().name).toBe("wasm");
    const W = Tensor.parameter(64, 128);
    expect(W.data.buffer).toBeInstanceOf(ArrayBuffer);
    expect(W.data.buffer.byteLength).toBeGreaterThan(64 * 128 * 8); // its arena: room beside it
    expect(Tensor.zeros(64, 128).data.buffer.byteLength).toBe(64 * 128 * 8);
    expect(Tensor.parameter(2, 3).data.buffer.byteLength).toBe(2 * 3 * 8); // small: ordinary
    expect(() => Tensor.parameter(0, 3)).toThrow("Tensor: shape must be two whole numbers above 0");
  });

  test("the TypeScript backend's linear sigmoid is the activation's own function, bit for bit", () => {
    setBackend("typescript");
    const [x, W, b] = [Tensor.from([[0.3, -2], [40, 1e-9]]), Tensor.from([[1, -3], [0.5, 2]]), Tensor.from([[0.1, -0.7]])];
    const fused = x.linear(W, b, "sigmoid").data;
    const z = x.matmul(W).add(b).data;
    z.forEach((v, i) => expect(Object.is(fused[i], activations.sigmoid.f(v)), `element ${i}`).toBe(true));
  });
});
