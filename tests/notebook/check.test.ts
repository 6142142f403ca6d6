import { describe, expect, it } from "vitest";
import { Tensor } from "../../engine/index.ts";
import { runCheck, show, shapeOf, verdictHtml, type Check } from "../../src/notebook/check.ts";

// The verdict of a check body, as plain data.
async function verdict(body: (check: Check) => unknown) {
  return { ...(await runCheck("ex", body)) };
}

describe("runCheck", () => {
  it("runCheck passes when every guard passes, with the author's words", async () => {
    expect(await verdict((c) => (c.close(0.1 + 0.2, 0.3), c.pass("Well done.")))).toEqual({
      exercise: "ex",
      status: "pass",
      message: "Well done.",
    });
  });

  it("runCheck stops at the first failing guard", async () => {
    const v = await verdict((c) => {
      c.that(false, "first");
      c.that(false, "second");
    });
    expect(v).toMatchObject({ status: "fail", message: "first" });
  });

  it("runCheck reports an error thrown by the reader's code as an error verdict", async () => {
    const v = await verdict(() => {
      (undefined as unknown as () => void)();
    });
    expect(v.status).toBe("error");
    expect(v.message).toMatch(/^Your code threw TypeError when the check ran it: /);
  });

  it("runCheck turns a name no cell declares into a plain message", async () => {
    const v = await verdict(() => {
      throw new ReferenceError("neuron is not defined");
    });
    expect(v).toMatchObject({ status: "fail", message: "The check looks for `neuron`, and no cell declares it now." });
  });
});

describe("check guards", () => {
  it("close() names the first element that differs, with both values and the tolerance", async () => {
    const v = await verdict((c) => c.close([[1, 2], [3, 4.5]], [[1, 2], [3, 4]], { name: "out" }));
    expect((await verdict((c) => c.close(2, 3))).message).toBe("Your value is 2, but it should be 3.");
    expect(v).toMatchObject({ status: "fail", message: "out[1][1] is 4.5, but it should be 4." });
    expect(v.detail).toMatch(/Within 0\.000001/);
    expect((await verdict((c) => c.close(Tensor.from([[1, 2]]), [[1, 2]]))).status).toBe("pass");
    expect((await verdict((c) => c.close(undefined, 3, { name: "z" }))).message).toBe(
      "z should be 3, but it is undefined: nothing came back (is a `return` missing?).",
    );
    expect((await verdict((c) => c.close([1, 2], [1, 2, 3], { name: "row" }))).message).toBe("row has 2 items; it should have 3.");
  });

  it("shape() says when rows and columns are swapped", async () => {
    const v = await verdict((c) => c.shape([[1, 2, 3], [4, 5, 6]], [3, 2], { name: "w" }));
    expect(v).toMatchObject({
      status: "fail",
      message: "w has shape [2, 3], but it should have shape [3, 2].",
      hint: "Rows and columns are swapped: is something transposed?",
    });
  });

  it("sameFunction() reports the first failing input as a call", async () => {
    const v = await verdict((c) =>
      c.sameFunction((x: number, w: number) => x + w, (x: number, w: number) => x * w, { name: "neuron", cases: [[0, 0], [2, 0.5]] }),
    );
    expect(v.message).toBe("neuron(2, 0.5) returned 2.5, but it should return 1.");
    const item = await verdict((c) => c.sameFunction((w: number) => [w, 0], (w: number) => [w, 1], { name: "step", cases: [[3]] }));
    expect(item.message).toBe("step(3) returned [3, 0]: its item [1] is 0, but it should be 1.");
    const none = await verdict((c) => c.sameFunction(() => undefined, () => 1, { name: "f", cases: [[]] }));
    expect(none.message).toBe("f() returned nothing (undefined). Does your function end with a `return`?");
    const random = await verdict((c) =>
      c.sameFunction((x: number) => (x > 0.9 ? 0 : x), (x: number) => x, { name: "f", random: { n: 200, seed: 3, args: (r) => [r.next()] } }),
    );
    expect(random.message).toMatch(/^f\(0\.9\d+\) returned 0, but it should return 0\.9/);
    const thrown = await verdict((c) => c.sameFunction(() => { throw new RangeError("bad"); }, () => 1, { name: "f", cases: [[1]] }));
    expect(thrown).toMatchObject({ status: "fail", message: "f(1) threw RangeError: bad." });
    expect((await verdict((c) => c.sameFunction(3, () => 1, { name: "f" }))).message).toBe("`f` should be a function, but it is 3.");
  });

  it("sameFunction({ mistakes }) names a foreseen wrong version the reader's function agrees with", async () => {
    const options = {
      name: "update",
      cases: [[1, 0.5], [2, -1]] as [number, number][],
      mistakes: [
        { reference: (w: number, g: number) => w + 0.1 * g, message: "it steps uphill: subtract the step.", hint: "w − α·g" },
        { reference: (w: number, g: number) => w - g, message: "it leaves out the learning rate." },
      ],
    };
    const reference = (w: number, g: number) => w - 0.1 * g;
    const uphill = await verdict((c) => c.sameFunction((w: number, g: number) => w + 0.1 * g, reference, options));
    expect(uphill).toMatchObject({ status: "fail", message: "update(1, 0.5) returned 1.05: it steps uphill: subtract the step.", hint: "w − α·g" });
    const other = await verdict((c) => c.sameFunction((w: number) => w, reference, options));
    expect(other.message).toBe("update(1, 0.5) returned 1, but it should return 0.95.");
  });

  it("backwardRule() compares with central differences and diagnoses a forgotten g and a flipped sign", async () => {
    const tanh = { f: Math.tanh, name: "tanhBackward" };
    expect((await verdict((c) => c.backwardRule((_x: number, t: number, g: number) => (1 - t * t) * g, tanh))).status).toBe("pass");
    const noG = await verdict((c) => c.backwardRule((_x: number, t: number) => 1 - t * t, tanh));
    expect(noG.message).toMatch(/^At x = -3 with g = -0\.5, tanhBackward returns 0\.009866, but the slope measured numerically gives -0\.004933/);
    expect(noG.hint).toMatch(/multiply by g/);
    const flipped = await verdict((c) => c.backwardRule((_x: number, t: number, g: number) => -(1 - t * t) * g, tanh));
    expect(flipped.hint).toBe("Your rule has the right size but the wrong sign everywhere.");
    const sigmoidSlope = await verdict((c) => c.backwardRule((_x: number, t: number, g: number) => t * (1 - t) * g, { ...tanh, hint: "Look at tanh's slope." }));
    expect(sigmoidSlope).toMatchObject({ status: "fail", hint: "Look at tanh's slope." });
  });

  it("lossFell(), accuracyAtLeast() and probability() say what was measured against what was asked", async () => {
    expect((await verdict((c) => c.lossFell([{ loss: 1 }, { loss: 0.8 }], { by: 0.5 }))).message).toBe(
      "The loss went from 1 to 0.8 (down 20%), but it should fall by at least 50%.",
    );
    expect((await verdict((c) => c.lossFell([1, NaN]))).message).toBe("The loss ended at NaN: the training diverged.");
    expect((await verdict((c) => c.lossFell([1, 0.3]))).status).toBe("pass");
    expect((await verdict((c) => c.accuracyAtLeast(0.912, 0.95, { name: "test accuracy" }))).message).toBe(
      "test accuracy is 91.2%, but it should be at least 95.0%.",
    );
    expect((await verdict((c) => c.probability([[0.2, 0.8], [0.5, 0.6]], { name: "p" }))).message).toBe(
      "p[1] adds up to 1.1; probabilities of all the classes add up to 1.",
    );
    expect((await verdict((c) => c.probability(1.2, { name: "a" }))).message).toBe(
      "a is 1.2, which is not a probability (a number from 0 to 1).",
    );
    expect((await verdict((c) => c.probability([0.25, 0.75]))).status).toBe("pass");
  });

  it("mistake() fails with the author's message when the foreseen mistake is there", async () => {
    const v = await verdict((c) => c.mistake(true, "You added the bias twice.", { hint: "Once is enough." }));
    expect(v).toMatchObject({ status: "fail", message: "You added the bias twice.", hint: "Once is enough." });
  });
});

describe("values in messages", () => {
  it("show() keeps numbers short and arrays cut", () => {
    expect(show(1 / 3)).toBe("0.3333");
    expect(show(1e-9)).toBe("1e-9");
    expect(show([1, 2, 3, 4, 5, 6, 7, 8])).toBe("[1, 2, 3, 4, 5, 6, … 2 more]");
    expect(show(function relu() {})).toBe("a function (relu)");
    expect(shapeOf([[1, 2], [3]])).toBeNull();
    expect(shapeOf(Tensor.from([[1, 2, 3]]))).toEqual([1, 3]);
  });

  it("verdictHtml() escapes every value and marks the status", () => {
    const html = verdictHtml({ exercise: 'a"b', status: "fail", message: "<img src=x onerror=alert(1)> `x < 1`", hint: "&" });
    expect(html).toContain('data-verdict="fail" data-exercise="a&quot;b"');
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt; <code>x &lt; 1</code>");
    expect(html).not.toContain("<img");
    expect(html).toContain("<strong>Hint:</strong> &amp;");
  });
});
