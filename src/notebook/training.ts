/**
 * The training controls' state machine. `view(Inputs.training())` gives its readers a controls
 * object whose `pace()` a training loop awaits before each batch: it waits while paused, lets
 * one batch (Step a batch) or the rest of an epoch (Step an epoch) through, slows to the speed,
 * and at full speed still lets the event loop in every YIELD_EVERY ms so that a Pause arrives.
 * A trainer holds that state for one controls object; Reset (or Play after the training ended)
 * makes a new one, and the cells that read it start again from their first weights. The page
 * hears the state (`training` events), throttled while playing. At build time `pace` never
 * waits. The runs that read a controls object are its consumers: when the last one ends, the
 * training is idle, and says how it ended.
 */
import { SPEED_MS, type TrainingState } from "./inputs.ts";
import type { Channel, Controls } from "./controls.ts";
import type { Run } from "./runs.ts";
import type { CellStatus, TrainingCommand, TrainingStatus } from "./types.ts";

/** A step of training: the epoch and the batch about to run (counted from 1), of `batches`. */
export interface TrainingStep {
  epoch: number;
  batch: number;
  batches: number;
}

/** What a training's controls hand to the cells that read them. */
export interface TrainingControls {
  /**
   * Awaited before every step (`train(…, { pace: controls.pace })` does it before each batch):
   * waits while paused, lets one batch or one epoch through on Step, and slows down to the speed.
   * Playing at full speed, it lets most steps through at once (returning nothing, so a loop
   * pays no timer for them) and returns a promise only to wait or to let the event loop in.
   */
  pace(at?: TrainingStep): void | Promise<void>;
  readonly playing: boolean;
}

/** The state behind a training's controls. */
export interface Trainer {
  playing: boolean;
  speed: keyof typeof SPEED_MS;
  stepBatches: number;
  /** Pause when a step reaches this epoch ("next": the epoch after the first step seen). */
  stepUntilEpoch: number | "next" | null;
  waiting: (() => void) | null;
  consumers: Set<Run>;
  /** The step `pace` was last called for. */
  at: TrainingStep | null;
  /** `pace` let the step in `at` through: it runs, or ran, and the next one is what waits. */
  passed: boolean;
  /** How the last training under these controls ended (while none runs). */
  ended: "done" | "stopped" | "failed" | null;
  /** When `pace` last let the event loop in (so a Pause can arrive while playing at full speed). */
  yieldedAt: number;
  /** The last status sent, when, and the timer that will send a newer one (see trainingStatus). */
  sent: { state: string; speed: string; at: number } | null;
  later: ReturnType<typeof setTimeout> | null;
}

/** At full speed, `pace` lets messages (a Pause) in at least this often, in ms. */
const YIELD_EVERY = 40;
/** The page hears a playing training's epoch and batch at most this often, in ms. */
const STATUS_EVERY = 100;

export function newTrainer(state: TrainingState, commands: TrainingCommand[] = []): Trainer {
  const trainer: Trainer = {
    playing: state.playing,
    speed: state.speed,
    stepBatches: 0,
    stepUntilEpoch: null,
    waiting: null,
    consumers: new Set(),
    at: null,
    passed: false,
    ended: null,
    yieldedAt: performance.now(),
    sent: null,
    later: null,
  };
  for (const command of commands) applyCommand(trainer, command);
  return trainer;
}

function applyCommand(trainer: Trainer, command: TrainingCommand): void {
  if (typeof command === "object") trainer.speed = command.speed;
  else if (command === "play") trainer.playing = true;
  else if (command === "pause" || command === "reset") trainer.playing = false;
  else if (command === "step-batch") {
    trainer.playing = false;
    trainer.stepBatches++;
  } else if (command === "step-epoch") {
    trainer.playing = false;
    trainer.stepUntilEpoch = trainer.at ? trainer.at.epoch + 1 : "next";
  }
  trainer.waiting?.();
}

// The page hears of a change of state or speed at once, and of the epoch and batch playing at
// most every STATUS_EVERY ms (the newest one last): a fast training steps far more often than a
// page can redraw its controls.
function trainingStatus(controls: Controls, channel: Channel): void {
  const trainer = channel.training;
  if (!trainer) return;
  const now = Date.now();
  const state = trainer.consumers.size === 0 ? "idle" : trainer.playing ? "playing" : "paused";
  const { sent } = trainer;
  if (sent && sent.state === state && sent.speed === trainer.speed && now - sent.at < STATUS_EVERY) {
    trainer.later ??= setTimeout(() => {
      trainer.later = null;
      if (channel.training === trainer && !controls.disposed) trainingStatus(controls, channel);
    }, STATUS_EVERY - (now - sent.at));
    return;
  }
  if (trainer.later) clearTimeout(trainer.later);
  trainer.later = null;
  trainer.sent = { state, speed: trainer.speed, at: now };
  const idle = state === "idle";
  // Paused after a step went through (a Pause between two batches), the next step is what waits.
  const at = state === "paused" && trainer.passed && trainer.at ? nextStep(trainer.at) : trainer.at;
  const status: TrainingStatus = {
    state: idle ? "idle" : trainer.playing ? "playing" : "paused",
    speed: trainer.speed,
    epoch: at?.epoch ?? null,
    batch: at?.batch ?? null,
    batches: at?.batches ?? null,
    ...(idle && trainer.ended ? { ended: trainer.ended } : {}),
  };
  controls.emit({ type: "training", key: channel.key, status });
}

function nextStep({ epoch, batch, batches }: TrainingStep): TrainingStep {
  return batch < batches ? { epoch, batch: batch + 1, batches } : { epoch: epoch + 1, batch: 1, batches };
}

// Lets the event loop in (a Pause, a Stop can arrive): a task posted with the scheduler where
// there is one, which is not held back as nested timers are (setTimeout(0) waits 4 ms or more
// after a few nested calls, a tenth of a playing training's time at one yield every 40 ms).
const yieldToEvents = (): Promise<unknown> => {
  const scheduler = (globalThis as { scheduler?: { postTask?(f: () => void): Promise<void> } }).scheduler;
  return scheduler?.postTask ? scheduler.postTask(() => undefined) : new Promise((resolve) => setTimeout(resolve, 0));
};

// `pace` of one controls object: returns when the next step may run, at once (nothing) when
// playing at full speed and no yield is due, else a promise that resolves then.
function pace(
  controls: Controls,
  channel: Channel,
  trainer: Trainer,
  at?: TrainingStep,
): void | Promise<void> {
  const consumersGone = () => [...trainer.consumers].every((run) => run.controller.signal.aborted);
  // A stopped training is not held: its loop ends at its next check of `signal`.
  if (!controls.live || trainer.consumers.size === 0 || consumersGone()) return;
  // `at`: the step about to run (epoch and batch counted from 1, as `train` gives them).
  const step = at ?? { epoch: (trainer.at?.epoch ?? 0) + 1, batch: 1, batches: 1 };
  trainer.at = step;
  trainer.passed = false;
  const fullSpeed = trainer.playing && SPEED_MS[trainer.speed] === 0;
  if (fullSpeed && trainer.stepUntilEpoch === null && performance.now() - trainer.yieldedAt < YIELD_EVERY) {
    trainingStatus(controls, channel);
    trainer.passed = true;
    return;
  }
  return paceSlowly(controls, channel, trainer, step, consumersGone);
}

// The rest of `pace`: slowed to the speed, yielding, paused, or stepping.
async function paceSlowly(
  controls: Controls,
  channel: Channel,
  trainer: Trainer,
  step: TrainingStep,
  consumersGone: () => boolean,
): Promise<void> {
  for (;;) {
    if (trainer.stepUntilEpoch === "next") trainer.stepUntilEpoch = step.epoch + 1;
    if (trainer.playing) {
      trainingStatus(controls, channel);
      // Slowed down to the speed; a Pause (or Step) during the wait decides again.
      const pause = SPEED_MS[trainer.speed];
      if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause));
      else if (performance.now() - trainer.yieldedAt >= YIELD_EVERY) {
        await yieldToEvents();
        trainer.yieldedAt = performance.now();
      }
      if (consumersGone()) return;
      if (trainer.playing) return void (trainer.passed = true);
      continue;
    }
    if (trainer.stepBatches > 0) {
      trainer.stepBatches--;
      trainer.passed = true;
      trainingStatus(controls, channel);
      return;
    }
    if (typeof trainer.stepUntilEpoch === "number" && step.epoch < trainer.stepUntilEpoch) {
      trainer.passed = true;
      trainingStatus(controls, channel);
      return;
    }
    trainer.stepUntilEpoch = null;
    trainingStatus(controls, channel);
    // Woken by a command, or when the cells reading these controls stop or run again.
    await new Promise<void>((resolve) => (trainer.waiting = resolve));
    trainer.waiting = null;
    if (consumersGone()) return;
  }
}

/** The controls a training's readers get; a Reset hands them a new one. */
export function makeControls(
  controls: Controls,
  channel: Channel,
  trainer: Trainer,
): TrainingControls {
  const made: TrainingControls = {
    pace: (at?: TrainingStep) => pace(controls, channel, trainer, at),
    get playing() {
      return trainer.playing;
    },
  };
  controls.trainers.set(made, trainer);
  return made;
}

/**
 * Whether a command for a training whose cell has not run yet should run it. A new speed only
 * waits for the Play (or Step) that starts it: run at once, the training would start playing,
 * the page's button would turn to Pause, and the reader's Play, pressed a moment later on what
 * was still a Play button, would pause it (seen in the browser tests on a busy machine).
 */
export function startsTraining(command: TrainingCommand): boolean {
  return typeof command !== "object";
}

/**
 * A command from a training's controls. False when its cell has not run here yet: the command
 * waits for it, after those that came before (the kernel then runs the cell, unless the command
 * only sets the speed: see `startsTraining`).
 */
export function command(controls: Controls, key: string, command: TrainingCommand): boolean {
  const channel = controls.channels.get(key);
  const trainer = channel?.training;
  if (!channel || !trainer || channel.closed) {
    controls.pendingCommands.set(key, [...(controls.pendingCommands.get(key) ?? []), command]);
    return false;
  }
  const restart =
    command === "reset" ||
    (trainer.consumers.size === 0 && command !== "pause" && typeof command !== "object");
  if (restart) {
    // A new controls object: the cells that read it start again from their first weights.
    const state = channel.current as TrainingState;
    channel.current = { ...state, speed: trainer.speed, resets: state.resets + 1 };
    channel.training = newTrainer(
      { playing: command === "play", speed: trainer.speed, resets: state.resets + 1 },
      command === "play" || command === "reset" ? [] : [command],
    );
    trainer.waiting?.();
    channel.fresh = true;
    channel.wake?.();
    trainingStatus(controls, channel);
    return true;
  }
  applyCommand(trainer, command);
  trainingStatus(controls, channel);
  return true;
}

/** A run that read a training's controls (among `args`) is what they drive. */
export function driveBy(controls: Controls, run: Run, args: unknown[]): void {
  for (const arg of args) {
    const trainer =
      typeof arg === "object" && arg !== null
        ? controls.trainers.get(arg as TrainingControls)
        : undefined;
    trainer?.consumers.add(run);
  }
}

/** A run ended: a training it drove lets go of it, and goes idle when it was the last. */
export function trainingEnded(controls: Controls, run: Run, status: CellStatus): void {
  for (const channel of controls.channels.values()) {
    const trainer = channel.training;
    if (trainer?.consumers.delete(run)) {
      trainer.waiting?.();
      if (trainer.consumers.size === 0) {
        trainer.at = null;
        trainer.passed = false;
        trainer.ended =
          run.stopped || status === "stopped" ? "stopped" : status === "failed" ? "failed" : "done";
        trainingStatus(controls, channel);
      }
    }
  }
}

/** Wakes every waiting training (a run was stopped: its `pace` returns). */
export function wakeTrainings(controls: Controls): void {
  for (const channel of controls.channels.values()) channel.training?.waiting?.();
}
