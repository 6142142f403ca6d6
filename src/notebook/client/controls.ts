/**
 * Controls on the page: the markup `renderInput` made (at build time or after a run) is native
 * and works without script; this reads and writes their values, keeps a slider and its number box
 * together, and turns what the reader does into values (or training commands) for the kernel.
 * Part of the first script: a reader may move a slider before anything else has loaded.
 */
import type { TrainingCommand, TrainingStatus } from "../types.ts";

/** A control's wrapper: `<div class="nb-input" data-key="…">`. */
export type ControlElement = HTMLElement;

/** What the reader did to a control. */
export type ControlChange =
  | { key: string; kind: "value"; value: unknown; final: boolean }
  | { key: string; kind: "command"; command: TrainingCommand };

const SPEEDS = ["slow", "medium", "quick", "fast"];

/** The controls inside an element. */
export function controlsIn(root: ParentNode): ControlElement[] {
  return [...root.querySelectorAll<ControlElement>(".nb-input[data-key]")];
}

/** A control's type, from its class (`nb-input--range`). */
function typeOf(control: ControlElement): string {
  return /nb-input--(\w+)/.exec(control.className)?.[1] ?? "";
}

function fields(control: ControlElement): HTMLInputElement[] {
  return [...control.querySelectorAll<HTMLInputElement>("[data-role=value]")];
}

/** The value a control holds now, as the kernel takes it. */
export function readControl(control: ControlElement): unknown {
  const type = typeOf(control);
  const [first] = fields(control);
  switch (type) {
    case "range":
    case "number":
      return Number(first.value);
    case "select":
      return Number((first as unknown as HTMLSelectElement).value);
    case "radio":
      return Number(fields(control).find((f) => f.checked)?.value ?? 0);
    case "checkbox":
      return fields(control).filter((f) => f.checked).map((f) => Number(f.value));
    case "toggle":
      return first.checked;
    case "button":
      return Number(control.dataset.value ?? 0);
    case "text":
      return first.value;
    case "points":
      try {
        return JSON.parse(control.dataset.value ?? control.dataset.default ?? "[]");
      } catch {
        return [];
      }
    case "draw":
      return (control as HTMLElement & { nbGrid?: number[] }).nbGrid ?? defaultOf(control);
    case "training": {
      const speed = control.querySelector<HTMLSelectElement>("select[data-command=speed]")?.value;
      // A training plays when its cells run (Run, Run all); Pause and Step are commands.
      return {
        playing: true,
        speed: SPEEDS.includes(speed ?? "") ? speed : "fast",
        resets: Number(control.dataset.resets ?? 0),
      };
    }
  }
  return undefined;
}

/** Sets a control to a value (a saved one, or its default); a value that does not fit is ignored. */
export function writeControl(control: ControlElement, value: unknown): void {
  const type = typeOf(control);
  const all = fields(control);
  if ((type === "range" || type === "number") && typeof value === "number" && Number.isFinite(value)) {
    for (const field of all) field.value = String(value);
    // The browser clamps and snaps to min, max and step: show the slider's own value in the box.
    if (type === "range" && all.length === 2) all[1].value = all[0].value;
  } else if (type === "select" && typeof value === "number") {
    (all[0] as unknown as HTMLSelectElement).value = String(value);
  } else if (type === "radio" && typeof value === "number") {
    for (const field of all) field.checked = Number(field.value) === value;
  } else if (type === "checkbox" && Array.isArray(value)) {
    for (const field of all) field.checked = value.includes(Number(field.value));
  } else if (type === "toggle" && typeof value === "boolean") {
    all[0].checked = value;
  } else if (type === "text" && typeof value === "string") {
    all[0].value = value;
  } else if (type === "points" || type === "draw") {
    void import("./pads.ts").then((pads) => pads.write(control, value));
  } else if (type === "training" && typeof value === "object" && value !== null) {
    const speed = (value as { speed?: string }).speed;
    const select = control.querySelector<HTMLSelectElement>("select[data-command=speed]");
    if (select && speed && SPEEDS.includes(speed)) select.value = speed;
  }
}

/** The control's value as its cell started with it, from the markup (`data-default`). */
export function defaultOf(control: ControlElement): unknown {
  try {
    return JSON.parse(control.dataset.default ?? "null");
  } catch {
    return null;
  }
}

// Waiting before its very first step (after Reset, say): nothing to resume yet.
function atStart(status: TrainingStatus): boolean {
  return status.epoch === null || (status.epoch === 1 && (status.batch ?? 1) <= 1);
}

/** Shows where a training under these controls is (from the kernel). */
export function showTraining(control: ControlElement, status: TrainingStatus): void {
  const playing = status.state === "playing";
  control.dataset.playing = String(playing);
  const toggle = control.querySelector<HTMLButtonElement>("button[data-command=toggle]");
  if (toggle) {
    toggle.textContent = playing ? "Pause" : status.state === "paused" && !atStart(status) ? "Resume" : "Play";
  }
  const note = control.querySelector<HTMLElement>("[data-role=status]");
  if (note) {
    const where =
      status.epoch === null
        ? ""
        : ` at epoch ${status.epoch}${status.batches && status.batches > 1 ? `, batch ${status.batch} of ${status.batches}` : ""}`;
    note.textContent =
      status.state === "paused" && atStart(status)
        ? "Ready: nothing trained yet."
        : status.state === "idle"
        ? status.ended === "stopped"
          ? "Stopped."
          : status.ended === "failed"
            ? "Ended with an error."
            : "Finished."
        : `${playing ? "Training" : "Paused"}${where}.`;
  }
}

/**
 * Listens to every control in `root`: calls `onChange` with each value as the reader moves it
 * (`final` when they let go) and with each training command.
 */
export function listenToControls(root: HTMLElement, onChange: (change: ControlChange) => void) {
  const controlOf = (target: EventTarget | null) =>
    (target as HTMLElement | null)?.closest?.<ControlElement>(".nb-input[data-key]") ?? null;
  // The point editor and the drawing pad are wired by pads.ts, loaded when first approached; a
  // press that comes while it loads is replayed once it has.
  const loading = new WeakMap<Element, { early?: PointerEvent }>();
  const pads = (event: Event) => {
    const control = controlOf(event.target);
    const type = control ? typeOf(control) : "";
    if (!control || (type !== "points" && type !== "draw") || control.dataset.wired) return;
    let pending = loading.get(control);
    if (event.type === "pointerdown" && pending) pending.early = event as PointerEvent;
    if (pending) return;
    pending = { early: event.type === "pointerdown" ? (event as PointerEvent) : undefined };
    loading.set(control, pending);
    const emit = (value: unknown, final: boolean) =>
      onChange({ key: control.dataset.key!, kind: "value", value, final });
    void import("./pads.ts").then(({ attach }) => {
      control.dataset.wired = "true";
      attach(control, emit, pending.early);
    });
  };
  for (const type of ["pointerover", "pointerdown", "focusin"]) root.addEventListener(type, pads);
  const changed = (event: Event, final: boolean) => {
    const control = controlOf(event.target);
    if (!control || ["training", "button", "points", "draw"].includes(typeOf(control))) return;
    const target = event.target as HTMLInputElement;
    if (typeOf(control) === "range") {
      // Keep the slider and its number box together (the box takes effect when it is a number).
      const [slider, box] = fields(control);
      if (target === box) {
        if (box.value === "" || !Number.isFinite(Number(box.value))) return;
        slider.value = box.value;
        if (final) box.value = slider.value;
      } else if (box) box.value = slider.value;
    }
    onChange({ key: control.dataset.key!, kind: "value", value: readControl(control), final });
  };
  root.addEventListener("input", (event) => changed(event, false));
  root.addEventListener("change", (event) => {
    const control = controlOf(event.target);
    const target = event.target as HTMLElement;
    if (control && typeOf(control) === "training" && target.dataset.command === "speed") {
      const speed = (target as HTMLSelectElement).value as "slow" | "medium" | "quick" | "fast";
      onChange({ key: control.dataset.key!, kind: "command", command: { speed } });
      return;
    }
    changed(event, true);
  });
  root.addEventListener("click", (event) => {
    const control = controlOf(event.target);
    const button = (event.target as HTMLElement).closest?.("button");
    if (!control || !button || !control.contains(button)) return;
    const key = control.dataset.key!;
    if (typeOf(control) === "button") {
      const clicks = Number(control.dataset.value ?? 0) + 1;
      control.dataset.value = String(clicks);
      const note = control.querySelector("[data-role=note]");
      if (note) note.textContent = `${clicks} click${clicks === 1 ? "" : "s"}`;
      onChange({ key, kind: "value", value: clicks, final: true });
      return;
    }
    const command = button.dataset.command;
    if (command === "toggle") {
      const playing = control.dataset.playing === "true";
      onChange({ key, kind: "command", command: playing ? "pause" : "play" });
    } else if (command === "step-batch" || command === "step-epoch" || command === "reset") {
      onChange({ key, kind: "command", command });
    }
  });
}
