// The browser notebook's pure parts (no page needed): share links, saved state.
// They live beside the e2e tests because tests/notebook/ belongs to the kernel core.
import { describe, expect, test } from "vitest";
import { compressToEncodedURIComponent } from "lz-string";
import { parseShareFragment, shareUrl } from "../../src/notebook/client/share.ts";
import { sourceHash, stateKey } from "../../src/notebook/client/storage.ts";

describe("shareUrl / parseShareFragment", () => {
  test("a link round-trips a chapter's edited cells and settings, unicode and all", () => {
    const experiment = {
      cells: { "neuron-output": "const w = [0.5, -1]; // wᵢ × xᵢ\n`${w}` + '&#=?'" },
      inputs: { "neuron-sliders:2": 0.7, "moons-controls:0": { playing: false, speed: "slow", resets: 0 } },
      at: "neuron-output",
    };
    const url = new URL(shareUrl("http://h/book/the-neuron/#old", experiment));
    expect(url.pathname).toBe("/book/the-neuron/");
    expect(parseShareFragment(url.hash)).toEqual({ kind: "experiment", experiment });
  });

  test("a link of the first notebook (#cell=…&code=…) still opens", () => {
    const code = "const shared = 1;\nshared";
    expect(parseShareFragment(`#cell=neuron-output&code=${compressToEncodedURIComponent(code)}`)).toEqual({
      kind: "experiment",
      experiment: { cells: { "neuron-output": code }, inputs: {}, at: "neuron-output" },
    });
  });

  test("a fragment that is not a share link is ignored", () => {
    expect(parseShareFragment("#the-bias")).toEqual({ kind: "none" });
    expect(parseShareFragment("")).toEqual({ kind: "none" });
  });

  test("a damaged or hostile link says what is wrong and carries nothing", () => {
    const pack = (data: unknown) => `#nb=${compressToEncodedURIComponent(JSON.stringify(data))}`;
    expect(parseShareFragment("#nb=%%%")).toEqual({ kind: "malformed", reason: "its data is damaged or too long" });
    expect(parseShareFragment(pack({ cells: { "bad id<": "1" } }))).toEqual({
      kind: "malformed",
      reason: 'its cell "bad id<" is damaged',
    });
    expect(parseShareFragment(pack({ cells: { a: 1 } }))).toMatchObject({ kind: "malformed" });
    expect(parseShareFragment(pack({ inputs: { "a:0": { nested: { deep: 1 } } } }))).toEqual({
      kind: "malformed",
      reason: 'its setting "a:0" is damaged',
    });
    expect(parseShareFragment(pack({ cells: {}, inputs: {} }))).toEqual({
      kind: "malformed",
      reason: "it carries no changes",
    });
    expect(parseShareFragment(pack({ cells: { a: "x".repeat(600_000) } }))).toMatchObject({
      kind: "malformed",
    });
    expect(parseShareFragment("#cell=a")).toEqual({
      kind: "malformed",
      reason: 'the code in the link for cell "a" is damaged',
    });
  });
});

describe("saved state", () => {
  test("sourceHash(text) is the build's hash: 14 hex digits, known for a known text", () => {
    expect(sourceHash("const x = 1;")).toMatch(/^[0-9a-f]{14}$/);
    expect(sourceHash("const x = 1;")).not.toBe(sourceHash("const x = 2;"));
    // cyrb53 of the empty string is 3338908027751811 (the published reference value), in hex.
    expect(sourceHash("")).toBe((3338908027751811).toString(16).padStart(14, "0"));
  });

  test("stateKey(base, chapter) keeps two books on one origin apart", () => {
    expect(stateKey("/book/", "the-neuron")).toBe("nb:v2:/book/:the-neuron");
    expect(stateKey("/other/", "the-neuron")).not.toBe(stateKey("/book/", "the-neuron"));
    expect(stateKey("/book/", "the-neuron", "before-link")).toBe("nb:v2:/book/:the-neuron:before-link");
  });
});
