/**
 * Controls as values. `view(Inputs.range(…))` shows a control in the cell's output and hands the
 * cells that read it a generator of its values: each control has a channel that holds the
 * latest value the page sent (`input(key, value)`) and wakes the generator, which yields only
 * the newest value (values that came in between are dropped). At build time (`live` false) a
 * control yields its value once. A control's key is `<cell id>:<n>`, the n-th `view` of its
 * cell's run; the page's values are kept by key, across runs and before a cell ever ran.
 * Training controls are channels too, with a trainer behind them (training.ts).
 */
import {
  acceptValue,
  isInputDeclaration,
  type InputDeclaration,
  type InputValue,
  type TrainingState,
} from "./inputs.ts";
import type { Run } from "./runs.ts";
import { makeControls, newTrainer, type Trainer, type TrainingControls } from "./training.ts";
import type { KernelEvent, TrainingCommand } from "./types.ts";

/** Marks the generator `view` returns, so that a cell declaring one does not iterate it. */
export const INPUT = Symbol("nb.input");

/** An input's channel: the latest value from the page, and the generator the cells read. */
export interface Channel {
  key: string;
  cell: string;
  declaration: InputDeclaration;
  current: InputValue;
  wake: (() => void) | null;
  /** A new value came since the generator last yielded (it yields it at its next pull). */
  fresh: boolean;
  closed: boolean;
  training: Trainer | null;
}

/** A kernel's controls. */
export interface Controls {
  live: boolean;
  emit: (event: KernelEvent) => void;
  disposed: boolean;
  channels: Map<string, Channel>;
  /** Values the page gave, by input key, kept across runs (and before the cell ever ran). */
  values: Map<string, unknown>;
  /** Commands for trainings whose cell has not run yet in this kernel, in order. */
  pendingCommands: Map<string, TrainingCommand[]>;
  /** The trainer behind each controls object a training's readers got. */
  trainers: WeakMap<TrainingControls, Trainer>;
}

export function createControls(live: boolean, emit: (event: KernelEvent) => void): Controls {
  return {
    live,
    emit,
    disposed: false,
    channels: new Map(),
    values: new Map(),
    pendingCommands: new Map(),
    trainers: new WeakMap(),
  };
}

// The value cells see for the input's current page value.
function valueOf(controls: Controls, channel: Channel): unknown {
  const { spec, values: options } = channel.declaration;
  const value = channel.current;
  if (spec.type === "select" || spec.type === "radio") return options?.[value as number];
  if (spec.type === "checkbox") return (value as number[]).map((i) => options?.[i]);
  if (spec.type === "training") return makeControls(controls, channel, channel.training!);
  return value;
}

/** `view(Inputs.range(…))`: shows the control, and gives the cells that read it its values. */
export function view(controls: Controls, run: Run, declaration: unknown) {
  if (!isInputDeclaration(declaration)) {
    throw new TypeError(
      'view() expects a control made by Inputs, e.g. view(Inputs.range([0, 1], { label: "α" }))',
    );
  }
  const key = `${run.cell.id}:${run.views++}`;
  const { spec } = declaration;
  const { values, channels, pendingCommands } = controls;
  const current = values.has(key) ? acceptValue(spec, values.get(key)) : spec.value;
  run.outputs.push({ kind: "input", key, spec, value: current });
  const channel: Channel = {
    key,
    cell: run.cell.id,
    declaration,
    current,
    wake: null,
    fresh: false,
    closed: false,
    training: null,
  };
  if (spec.type === "training") {
    const commands = pendingCommands.get(key) ?? [];
    pendingCommands.delete(key);
    channel.training = newTrainer(current as TrainingState, commands);
  }
  const previous = channels.get(key);
  if (previous) {
    previous.closed = true;
    previous.wake?.();
  }
  channels.set(key, channel);
  const generator = controls.live
    ? (async function* () {
        // Only the newest value waits here: values that came in between are dropped.
        while (!channel.closed) {
          channel.fresh = false;
          yield valueOf(controls, channel);
          if (!channel.fresh) await new Promise<void>((resolve) => (channel.wake = resolve));
          channel.wake = null;
        }
      })()
    : (function* () {
        yield valueOf(controls, channel);
      })();
  Object.defineProperty(generator, INPUT, { value: true });
  return generator;
}

/**
 * A control's new value from the page. False when its cell has not run here yet (the kernel
 * then runs it, with this value).
 */
export function setInput(controls: Controls, key: string, value: unknown): boolean {
  controls.values.set(key, value);
  const channel = controls.channels.get(key);
  if (!channel || channel.closed) return false;
  channel.current = acceptValue(channel.declaration.spec, value);
  channel.fresh = true;
  channel.wake?.();
  return true;
}

/** Closes every channel: the generators of the controls end. */
export function closeControls(controls: Controls): void {
  controls.disposed = true;
  for (const channel of controls.channels.values()) {
    channel.closed = true;
    channel.wake?.();
  }
}
