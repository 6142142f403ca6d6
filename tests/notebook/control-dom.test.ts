import { JSDOM } from "jsdom";
import { parseHTML } from "linkedom";
import { describe, expect, test } from "vitest";
import { Inputs, renderInput, type InputDeclaration } from "../../src/notebook/inputs.ts";
import { buildControl } from "../../src/notebook/client/control-dom.ts";
import { parseInputSpec } from "../../src/notebook/client/validate.ts";

// Every kind of control, as the chapters declare them.
const declarations: [string, InputDeclaration][] = [
  ["range", Inputs.range([0, 1], { label: "α <b>", step: 0.05, value: 0.3 })],
  ["number", Inputs.number([1, 100], { label: "Epochs", step: 1, value: 20 })],
  ["number, unbounded", Inputs.number(undefined, { label: "Any" })],
  ["select", Inputs.select(["sgd", "adam & co"], { label: "Optimizer", value: "adam & co" })],
  ["radio", Inputs.radio(["step", "sigmoid"], { label: "Activation" })],
  ["checkbox", Inputs.checkbox(["a", "b", "c"], { label: "Show", value: ["a", "c"] })],
  ["toggle", Inputs.toggle({ label: "Gradient", value: true })],
  ["button", Inputs.button("Shuffle")],
  ["button, labelled", Inputs.button("Go", { label: "Shuffle the data" })],
  ["text", Inputs.text({ label: "Rule", value: 'x > "0"', placeholder: "<rule>" })],
  ["training", Inputs.training({ label: "Training", speed: "medium" })],
  ["points", Inputs.points({ label: "Data", value: [{ x: 0.5, y: -0.5, label: 1 }, { x: -0.2, y: 0.1, label: 0 }] })],
  ["draw", Inputs.draw({ label: "Digit", width: 8, height: 6 })],
];

// jsdom keeps attributes in the order they are set, as browsers do (linkedom does not).
const { document } = new JSDOM("<!doctype html><html><body></body></html>").window;

function parse(html: string): string {
  const template = document.createElement("template");
  template.innerHTML = html;
  return template.content.firstElementChild!.outerHTML;
}

describe("buildControl(document, key, spec, value)", () => {
  test.each(declarations)("%s: the same markup as renderInput, from a spec that passed the door", (_, { spec }) => {
    const checked = parseInputSpec(JSON.parse(JSON.stringify(spec)));
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    // The checked spec is the factory's (same fields, same order: the same signature).
    expect(JSON.stringify(checked.value)).toBe(JSON.stringify(spec));
    const built = buildControl(document as unknown as Document, "cell-1:0", checked.value);
    expect(built.outerHTML).toBe(parse(renderInput("cell-1:0", spec)));
  });
});

describe("renderInput(key, spec, value) escapes every value it writes", () => {
  const evil = '1"><meta http-equiv="refresh" content="0;url=//x"><style>*{}</style>';
  // Specs as a forged or careless caller could hand them (the build's own code included).
  const forged: Record<string, Record<string, unknown>> = {
    range: { type: "range", label: "x", min: evil, max: evil, step: evil, value: evil },
    number: { type: "number", label: "x", min: evil, max: evil, step: evil, value: evil },
    button: { type: "button", label: "x", text: "x", value: evil },
    points: { type: "points", label: "x", x: [evil, evil], y: [evil, evil], classes: [evil, evil], value: [] },
    draw: { type: "draw", label: "x", width: evil, height: evil, value: [] },
    training: { type: "training", label: "x", speed: "fast", value: { playing: true, speed: "fast", resets: evil } },
  };
  test.each(Object.entries(forged))("%s", (_, spec) => {
    let html = "";
    try {
      html = renderInput("k:0", spec as never, spec.value as never);
    } catch {
      return; // refusing is fine too; writing it raw is not
    }
    const { document } = parseHTML(`<!doctype html><html><body>${html}</body></html>`);
    expect(document.querySelectorAll("meta, style").length).toBe(0);
    expect(document.body.children.length).toBe(1);
  });
});
