import { describe, expect, test, vi } from "vitest";
import { MLP, backendProblem, datasets, getBackend, train } from "../../engine/index.ts";

// An install without devDependencies has no wabt to build the kernels with: scripts/build-wasm.ts
// then writes an empty module, and the engine runs its TypeScript loops.
vi.mock("../../engine/fast/kernels.wasm.ts", () => ({ kernelsWasm: "" }));

describe("where the WebAssembly kernels were not built", () => {
  test("the TypeScript loops run, and backendProblem() says how to build them", async () => {
    const net = new MLP([2, 16, 16, 1], { activation: "tanh", output: "sigmoid", seed: 1 });
    const { history } = await train(net, datasets.spiral({ n: 200, seed: 1 }), { epochs: 2 });
    expect(history).toHaveLength(2);
    expect(getBackend()).toBe("typescript");
    expect(backendProblem()).toBe("its kernels were not built: run npm run wasm");
  });
});
