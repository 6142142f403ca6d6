/**
 * Controls made in the page with DOM calls, from a spec that passed the door (validate.ts): every
 * value is set as an attribute or as text, so none can become a tag. The markup is the same as
 * `renderInput` gives at build time (tests/notebook/control-dom.test.ts holds them equal), so a
 * control replaced after a run keeps its place and its look.
 */
import {
  DRAW_HELP,
  PLOT_SIZE,
  SPEED_MS,
  formatValue,
  idOf,
  inputSignature,
  pointMarkData,
  pointsHelp,
  type InputSpec,
  type InputValue,
  type Point,
  type TrainingSpeed,
  type TrainingState,
} from "../inputs.ts";

const SVG = "http://www.w3.org/2000/svg";

type Attributes = [string, string | number | false | null][];

/** An element with attributes in order (false and null leave one out) and children. */
function el(doc: Document, tag: string, attributes: Attributes, ...children: (Node | string)[]): Element {
  const svg = ["svg", "rect", "line", "g", "path", "circle"].includes(tag);
  const node = svg ? doc.createElementNS(SVG, tag) : doc.createElement(tag);
  for (const [name, value] of attributes) {
    if (value !== false && value !== null) node.setAttribute(name, String(value));
  }
  node.append(...children);
  return node;
}

/** A control as an element, from a checked spec and value (see `renderInput` for the markup). */
export function buildControl(doc: Document, key: string, spec: InputSpec, value: InputValue = spec.value): HTMLElement {
  const id = idOf(key);
  const h = (tag: string, attributes: Attributes, ...children: (Node | string)[]) => el(doc, tag, attributes, ...children);
  const open = (extra: Attributes, ...children: (Node | string)[]) =>
    h(
      "div",
      [
        ["class", `nb-input nb-input--${spec.type}`],
        ["data-key", key],
        ["data-sig", inputSignature(spec)],
        ["data-default", JSON.stringify(spec.value)],
        ...extra,
      ],
      ...children,
    ) as HTMLElement;
  const label = () => h("label", [["for", id]], spec.label);
  const kit: Kit = { h, open, id };
  switch (spec.type) {
    case "range": {
      const bounds: Attributes = [["min", spec.min], ["max", spec.max], ["step", spec.step]];
      return open(
        [],
        label(),
        h("input", [["type", "range"], ["id", id], ...bounds, ["value", String(value)], ["data-role", "value"]]),
        h("input", [
          ["type", "number"],
          ["class", "nb-input-number"],
          ...bounds,
          ["value", formatValue(spec, value)],
          ["aria-label", `${spec.label} (exact value)`],
          ["data-role", "value"],
        ]),
      );
    }
    case "number":
      return open(
        [],
        label(),
        h("input", [
          ["type", "number"],
          ["id", id],
          ["min", spec.min],
          ["max", spec.max],
          ["step", spec.step === null ? "any" : spec.step],
          ["value", String(value)],
          ["data-role", "value"],
        ]),
      );
    case "select":
      return open(
        [],
        label(),
        h(
          "select",
          [["id", id], ["data-role", "value"]],
          ...spec.options.map((o, i) => h("option", [["value", i], ["selected", i === value && ""]], o)),
        ),
      );
    case "radio":
    case "checkbox": {
      const ticked = (i: number) => (spec.type === "radio" ? i === value : (value as number[]).includes(i));
      const items = spec.options.map((o, i) =>
        h(
          "label",
          [],
          h("input", [["type", spec.type], ["name", id], ["value", i], ["checked", ticked(i) && ""], ["data-role", "value"]]),
          o,
        ),
      );
      return open([], h("fieldset", [], h("legend", [], spec.label), ...items));
    }
    case "toggle":
      return open(
        [],
        h(
          "label",
          [],
          h("input", [["type", "checkbox"], ["role", "switch"], ["id", id], ["checked", value === true && ""], ["data-role", "value"]]),
          spec.label,
        ),
      );
    case "button":
      return open(
        [["data-value", String(value)]],
        ...(spec.label === spec.text ? [] : [h("span", [["class", "nb-input-label"]], spec.label)]),
        h("button", [["type", "button"], ["id", id], ["data-role", "value"]], spec.text),
        h("span", [["class", "nb-input-note"], ["data-role", "note"], ["aria-live", "polite"]], formatValue(spec, value)),
      );
    case "text":
      return open(
        [],
        label(),
        h("input", [
          ["type", "text"],
          ["id", id],
          ["value", String(value)],
          ["placeholder", spec.placeholder],
          ["spellcheck", "false"],
          ["autocomplete", "off"],
          ["data-role", "value"],
        ]),
      );
    case "points":
      return pointEditor(kit, spec, value as Point[]);
    case "draw":
      return drawingPad(kit, spec, value);
    case "training":
      return trainingControls(kit, spec, value as TrainingState);

  }
}

/** What the builders of the larger controls share: the element maker, the control's box, its id. */
interface Kit {
  h: (tag: string, attributes: Attributes, ...children: (Node | string)[]) => Element;
  open: (extra: Attributes, ...children: (Node | string)[]) => HTMLElement;
  id: string;
}

/** The point editor: its head (label, class to add, Clear), the plot, the state and the help. */
function pointEditor({ h, open, id }: Kit, spec: Extract<InputSpec, { type: "points" }>, points: Point[]): HTMLElement {
  const [x0, x1] = spec.x;
  const [y0, y1] = spec.y;
  const ax = x0 < 0 && x1 > 0 ? ((0 - x0) / (x1 - x0)) * PLOT_SIZE : null;
  const ay = y0 < 0 && y1 > 0 ? PLOT_SIZE - ((0 - y0) / (y1 - y0)) * PLOT_SIZE : null;
  const axes = [
    ...(ax === null ? [] : [h("line", [["class", "nb-points-axis"], ["x1", ax], ["y1", 0], ["x2", ax], ["y2", PLOT_SIZE]])]),
    ...(ay === null ? [] : [h("line", [["class", "nb-points-axis"], ["x1", 0], ["y1", ay], ["x2", PLOT_SIZE], ["y2", ay]])]),
  ];
  const classes = spec.classes.map((name, i) =>
    h(
      "label",
      [],
      h("input", [["type", "radio"], ["name", `${id}-class`], ["value", i], ["checked", i === 0 && ""], ["data-role", "class"]]),
      h("span", [["class", `nb-pt-key nb-pt-key${i}`], ["aria-hidden", "true"]]),
      name,
    ),
  );
  const marks = pointMarkData(spec, points).map(([tag, attributes]) => h(tag, attributes));
  return open(
    [["data-value", JSON.stringify(points)], ["data-x", `${x0} ${x1}`], ["data-y", `${y0} ${y1}`]],
    h(
      "div",
      [["class", "nb-points-head"]],
      h("span", [["class", "nb-input-label"], ["id", `${id}-label`]], spec.label),
      h("fieldset", [], h("legend", [], "New points:"), ...classes),
      h("button", [["type", "button"], ["data-command", "clear"]], "Clear"),
    ),
    h(
      "svg",
      [
        ["class", "nb-points-plot"],
        ["viewBox", `0 0 ${PLOT_SIZE} ${PLOT_SIZE}`],
        ["tabindex", "0"],
        ["role", "application"],
        ["aria-roledescription", "point editor"],
        ["aria-labelledby", `${id}-label`],
        ["aria-describedby", `${id}-state ${id}-help`],
      ],
      h("rect", [["class", "nb-points-area"], ["width", PLOT_SIZE], ["height", PLOT_SIZE]]),
      ...axes,
      h("g", [["class", "nb-points-marks"]], ...marks),
      h("path", [["class", "nb-points-cursor"], ["d", "M-8 0H8M0 -8V8"], ["visibility", "hidden"]]),
    ),
    h(
      "p",
      [["class", "nb-input-note"], ["id", `${id}-state`], ["data-role", "note"], ["aria-live", "polite"]],
      formatValue(spec, points),
    ),
    h("p", [["class", "nb-input-help"], ["id", `${id}-help`]], pointsHelp(spec)),
  );
}

/** The drawing pad: its label, the canvas, Clear with the state, and the help. */
function drawingPad({ h, open, id }: Kit, spec: Extract<InputSpec, { type: "draw" }>, value: InputValue): HTMLElement {
  return open(
    [["data-width", spec.width], ["data-height", spec.height]],
    h("span", [["class", "nb-input-label"], ["id", `${id}-label`]], spec.label),
    h("canvas", [
      ["class", "nb-draw-pad"],
      ["width", spec.width * 10],
      ["height", spec.height * 10],
      ["tabindex", "0"],
      ["role", "application"],
      ["aria-roledescription", "drawing pad"],
      ["aria-labelledby", `${id}-label`],
      ["aria-describedby", `${id}-state ${id}-help`],
    ]),
    h(
      "div",
      [["class", "nb-draw-tools"]],
      h("button", [["type", "button"], ["data-command", "clear"]], "Clear"),
      h(
        "span",
        [["class", "nb-input-note"], ["id", `${id}-state`], ["data-role", "note"], ["aria-live", "polite"]],
        formatValue(spec, value),
      ),
    ),
    h("p", [["class", "nb-input-help"], ["id", `${id}-help`]], DRAW_HELP),
  );
}

/** The training controls: Play, Step a batch, Step an epoch, Reset, Speed and a status line. */
function trainingControls({ h, open }: Kit, spec: Extract<InputSpec, { type: "training" }>, state: TrainingState): HTMLElement {
  const speeds = (Object.keys(SPEED_MS) as TrainingSpeed[]).map((s) =>
    h("option", [["value", s], ["selected", s === state.speed && ""]], s),
  );
  const button = (command: string, text: string) => h("button", [["type", "button"], ["data-command", command]], text);
  return open(
    [["data-playing", "false"], ["data-resets", state.resets]],
    h(
      "div",
      [["role", "group"], ["aria-label", spec.label], ["class", "nb-training-controls"]],
      h("span", [["class", "nb-input-label"]], spec.label),
      button("toggle", "Play"),
      button("step-batch", "Step a batch"),
      button("step-epoch", "Step an epoch"),
      button("reset", "Reset"),
      h("label", [], "Speed ", h("select", [["data-command", "speed"]], ...speeds)),
      h("span", [["class", "nb-input-note"], ["role", "status"], ["data-role", "status"]]),
    ),
  );
}

/** In a cell's output where a control was refused: what was wrong with it, as text. */
export function refusedControl(doc: Document, key: string, reason: string): HTMLElement {
  const box = doc.createElement("div");
  box.className = "nb-error";
  box.dataset.phase = "control";
  const p = doc.createElement("p");
  const strong = doc.createElement("strong");
  strong.textContent = "Control refused";
  p.append(strong, `: the control ${key} was not shown because ${reason}. Declare controls with view(Inputs.…).`);
  box.append(p);
  return box;
}
