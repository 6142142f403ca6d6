/**
 * The history of a training cell's runs. Each run that reported progress is kept (the first and
 * the last MAX_RUNS - 1), labelled with what was different in it from the first: the simple
 * values it read (`lr = 0.3`) and its edited lines. The progress output of a run that ended gets
 * a chart of its loss over the earlier runs', so the reader compares settings at a glance;
 * `clearRuns` forgets the earlier ones.
 */
import type { Run } from "./runs.ts";
import type { CellStatus, KernelOptions, Output } from "./types.ts";

type ProgressOutput = Extract<Output, { kind: "progress" }>;

const MAX_RUNS = 6;

interface PastRun {
  label: string;
  history: ProgressOutput["history"];
  source: string;
  settings: Record<string, string>;
}

/** A kernel's record of its cells' runs. */
export interface History {
  chart: KernelOptions["progressChart"];
  runs: Map<string, PastRun[]>;
  /** The settings each run read (its simple values), for its label. */
  settings: WeakMap<Run, Record<string, string>>;
}

export function createHistory(chart: KernelOptions["progressChart"]): History {
  return { chart, runs: new Map(), settings: new WeakMap() };
}

/** Keeps the simple values a run read, by name. */
export function recordSettings(history: History, run: Run, reads: string[], args: unknown[]) {
  const settings: Record<string, string> = {};
  reads.forEach((name, i) => {
    const value = args[i];
    if (["number", "string", "boolean"].includes(typeof value)) settings[name] = String(value);
  });
  history.settings.set(run, settings);
}

// What is different in a run from the first one: the settings it read, and its edited lines.
function difference(first: PastRun, source: string, settings: Record<string, string>): string {
  const changes = Object.entries(settings)
    .filter(([name, value]) => first.settings[name] !== value)
    .map(([name, value]) => `${name} = ${value}`);
  const before = new Set(first.source.split("\n").map((line) => line.trim()));
  for (const line of source.split("\n").map((l) => l.trim())) {
    if (line && !before.has(line) && changes.length < 3) {
      changes.push(line.length > 40 ? `${line.slice(0, 39)}…` : line);
    }
  }
  return changes.length ? changes.join("; ") : "the same settings";
}

/** Draws a run's progress chart over its cell's earlier runs. */
export function chartRuns(history: History, run: Run): void {
  const progress = run.outputs.find((o): o is ProgressOutput => o.kind === "progress");
  if (!progress || !progress.history.length || !history.chart) return;
  const runs = history.runs.get(run.cell.id) ?? [];
  const curves = runs.map((r, i) => ({
    label: r.label,
    history: r.history,
    current: i === runs.length - 1,
  }));
  progress.chart = history.chart(
    progress.history,
    progress.epochs,
    curves.length > 1 ? curves : undefined,
  );
  progress.runs = curves.length;
}

/** A run ended: one that reported progress (and did not fail) joins its cell's history. */
export function recordRun(history: History, run: Run, status: CellStatus): void {
  const progress = run.outputs.find((o): o is ProgressOutput => o.kind === "progress");
  if (!progress || !run.live || progress.history.length === 0 || status === "failed") return;
  const runs = history.runs.get(run.cell.id) ?? [];
  const settings = history.settings.get(run) ?? {};
  const label =
    runs.length === 0 ? "run 1" : `run ${run.n}: ${difference(runs[0], run.cell.source, settings)}`;
  runs.push({ label, history: [...progress.history], source: run.cell.source, settings });
  if (runs.length > MAX_RUNS) runs.splice(1, 1); // keep the first, for comparison
  history.runs.set(run.cell.id, runs);
  chartRuns(history, run);
}

/** Forgets a cell's earlier runs; true when there were some (its last run is drawn alone). */
export function clearRuns(history: History, id: string): boolean {
  const runs = history.runs.get(id);
  if (!runs || runs.length < 2) return false;
  const last = runs[runs.length - 1];
  history.runs.set(id, [{ ...last, label: "run 1" }]);
  return true;
}
