import { describe, expect, test } from "vitest";
import {
  Dense,
  Layer,
  MLP,
  Neuron,
  Perceptron,
  Tensor,
  Value,
  ValueMLP,
  rng,
  type LayerActivation,
} from "../../engine/index.ts";

// Copies the batched net's weights into the Value net: W.get(i, j) connects input i to unit j.
function copyWeights(net: MLP, valueNet: ValueMLP): void {
  net.layers.forEach((dense, l) => {
    valueNet.layers[l].neurons.forEach((neuron, j) => {
      neuron.w.forEach((w, i) => (w.data = dense.W.get(i, j)));
      neuron.b.data = dense.b.get(0, j);
    });
  });
}

const nets: [number[], LayerActivation, LayerActivation][] = [
  [[3, 4, 4, 1], "tanh", "sigmoid"],
  [[2, 5, 3], "relu", "identity"],
  [[2, 3, 2], "leakyRelu", "tanh"],
];

describe("MLP and ValueMLP with the same weights", () => {
  for (const [sizes, activation, output] of nets) {
    for (const seed of [1, 2]) {
      const name = `[${sizes}] ${activation}/${output}, seed ${seed}`;
      test(`give the same outputs and gradients: ${name}`, () => {
        const net = new MLP(sizes, { activation, output: output, seed });
        const valueNet = new ValueMLP(sizes, {
          activation: activation as "tanh",
          output: output as "tanh",
        });
        copyWeights(net, valueNet);
        const r = rng(seed + 50);
        const X = Array.from({ length: 6 }, () => Array.from({ length: sizes[0] }, r.normal));
        const outputs = sizes[sizes.length - 1];
        // a loss that weighs every output differently: Σ c·y
        const C = Array.from({ length: 6 }, () => Array.from({ length: outputs }, r.normal));

        const Y = net.forward(X);
        Y.mul(Tensor.from(C)).sum().backward();
        let loss = new Value(0);
        X.forEach((x, n) => {
          const y = valueNet.call(x);
          y.forEach((yj, j) => {
            expect(yj.data).toBeCloseTo(Y.get(n, j), 12);
            loss = loss.add(yj.mul(C[n][j]));
          });
        });
        loss.backward();

        net.layers.forEach((dense, l) => {
          valueNet.layers[l].neurons.forEach((neuron, j) => {
            neuron.w.forEach((w, i) => {
              expect(w.grad).toBeCloseTo(dense.W.grad![i * dense.outputs + j], 12);
            });
            expect(neuron.b.grad).toBeCloseTo(dense.b.grad![j], 12);
          });
        });
      });
    }
  }
});

describe("MLP", () => {
  test("new MLP(sizes) makes one Dense per layer, W [inputs, outputs] and b [1, outputs]", () => {
    const net = new MLP([2, 16, 16, 1], { activation: "tanh", output: "sigmoid", seed: 1 });
    expect(net.layers.map((l) => [l.W.shape, l.b.shape, l.activation])).toEqual([
      [[2, 16], [1, 16], "tanh"],
      [[16, 16], [1, 16], "tanh"],
      [[16, 1], [1, 1], "sigmoid"],
    ]);
    expect(net.parameters()).toHaveLength(6);
  });

  test("the same seed gives the same weights; another seed, others", () => {
    const a = new MLP([2, 4, 1], { seed: 7 }).layers[0].W.toArray();
    expect(new MLP([2, 4, 1], { seed: 7 }).layers[0].W.toArray()).toEqual(a);
    expect(new MLP([2, 4, 1], { seed: 8 }).layers[0].W.toArray()).not.toEqual(a);
  });

  test("layers and nets made without a seed start different from each other", () => {
    const starts: [string, () => number[]][] = [
      ["Dense", () => Array.from(new Dense(3, 4).W.data)],
      ["MLP", () => Array.from(new MLP([3, 4, 1]).layers[0].W.data)],
      ["Neuron", () => new Neuron(3).w.map((w) => w.data)],
      ["Layer", () => new Layer(3, 2).neurons[0].w.map((w) => w.data)],
      ["ValueMLP", () => new ValueMLP([3, 2, 1]).layers[0].neurons[0].w.map((w) => w.data)],
      ["Perceptron", () => new Perceptron(3).weights],
    ];
    for (const [name, start] of starts) expect(start(), name).not.toEqual(start());
    // a seed still gives the same weights every time
    const seeded = () => new Dense(3, 4, { seed: 5 }).W.toArray();
    expect(seeded()).toEqual(seeded());
  });

  test("net.logits(X) is forward(X) before the output layer's activation", () => {
    const x = [[0.5, -1], [2, 0.25]];
    const sigmoidNet = new MLP([2, 3, 1], { output: "sigmoid", seed: 2 });
    const z = sigmoidNet.logits(x).toArray().flat();
    const p = sigmoidNet.forward(x).toArray().flat();
    z.forEach((v, i) => expect(p[i]).toBeCloseTo(1 / (1 + Math.exp(-v)), 15));
    const softmaxNet = new MLP([2, 3, 4], { output: "softmax", seed: 2 });
    expect(softmaxNet.forward(x).toArray()).toEqual(softmaxNet.logits(x).softmax().toArray());
    const identityNet = new MLP([2, 3, 4], { seed: 2 });
    expect(identityNet.logits(x).toArray()).toEqual(identityNet.forward(x).toArray());
  });

  test("a weight set by hand changes the output", () => {
    const net = new MLP([1, 1], { output: "identity" });
    net.layers[0].W.set(0, 0, 3);
    net.layers[0].b.set(0, 0, 1);
    expect(net.predict([[2]])).toEqual([[7]]);
  });

  test("forward names the layer and both shapes when the inputs do not fit", () => {
    const net = new MLP([2, 3, 1], { seed: 1 });
    expect(() => net.forward([[1, 2, 3]])).toThrow(
      "MLP.forward: layer 1 (Dense 2→3 tanh) expects inputs of shape [n, 2], received [1,3]. " +
        "Give every example 2 numbers, or change sizes[0].",
    );
  });

  test("a layer of zero units is refused", () => {
    expect(() => new MLP([2, 0, 1])).toThrow(
      "MLP: size 1 of [2, 0, 1] must be a whole number above 0, received number 0. " +
        "A layer of zero units has nothing to compute.",
    );
    expect(() => new Dense(2, 0)).toThrow("Dense: outputs must be a whole number above 0");
  });

  test("an unknown activation lists the known ones", () => {
    expect(() => new MLP([2, 1], { activation: "sigmoidd" as "sigmoid" })).toThrow(
      'MLP (activation): unknown activation "sigmoidd" (expected one of "step", "sign", ' +
        '"identity", "sigmoid", "tanh", "relu", "leakyRelu", "softmax").',
    );
  });

  test("sizes must list inputs and outputs", () => {
    expect(() => new MLP([2])).toThrow(
      "MLP: expected layer sizes [inputs, …hidden, outputs] such as [2, 16, 1], received an " +
        "array of length 1.",
    );
  });
});

describe("Neuron and Layer", () => {
  test("neuron.call(x) is the activation of w·x + b", () => {
    const n = new Neuron(2, { activation: "tanh", seed: 3 });
    const z = n.w[0].data * 1 + n.w[1].data * -2 + n.b.data;
    expect(n.call([1, -2]).data).toBeCloseTo(Math.tanh(z), 14);
  });

  test("a layer's neurons start different from each other", () => {
    const layer = new Layer(2, 3, { seed: 1 });
    const firsts = layer.neurons.map((n) => n.w[0].data);
    expect(new Set(firsts).size).toBe(3);
    expect(layer.parameters()).toHaveLength(9);
  });

  test("neuron.call names the count when the inputs do not fit", () => {
    expect(() => new Neuron(3).call([1, 2])).toThrow(
      "Neuron.call: received 2 inputs, expected 3 (one per weight).",
    );
  });
});
