/**
 * The graph: a chapter's cells as variables of Observable's runtime. Each cell is one variable,
 * `cell <id>`, whose inputs are the names it reads and whose value is what it declares; each
 * declared name is a variable that picks its value from its cell's, so a cell that reads `net`
 * runs again when the cell declaring `net` does. `defineCells` compiles what changed, finds the
 * errors between cells (a name assigned by a cell that does not declare it, declared twice, a
 * cycle) and names the cells in them, and redefines only the variables that changed. A name no
 * cell declares, or whose cell failed, holds a `Missing` that says so; the run that reads it ends
 * with that reason (runs.ts). Only cells the reader ran, with what they read and what reads them,
 * are observed, so nothing else computes. Why these checks are ours and not the runtime's:
 * README.md, "How it works".
 */
import { Runtime, type Module, type Variable } from "@observablehq/runtime";
import { compileCell, type CompiledCell, type Place } from "./compile.ts";
import { checkGlobals, checkImports, compileError, errorOutput, type ErrorOutput } from "./errors.ts";
import type { Run } from "./runs.ts";
import type { CellInfo, CellSource, ModuleMap } from "./types.ts";

/** What a name holds when it could not be computed: the cell that failed, or none (undeclared). */
export class Missing {
  readonly cell: string | null;
  readonly name: string;
  constructor(cell: string | null, name: string) {
    this.cell = cell;
    this.name = name;
  }
}

/** A cell as the kernel holds it. */
export interface CellState {
  id: string;
  source: string;
  compiled: CompiledCell | null;
  fn: ((...args: unknown[]) => Promise<Record<string, unknown>>) | null;
  url: string;
  /** Why it does not compile. */
  compileError: ErrorOutput | null;
  /** Why it cannot run, when it cannot (its compile error, or one between cells). */
  error: ErrorOutput | null;
  declares: string[];
  body: Variable;
  observer: Variable | null;
  run: Run | null;
  runs: number;
  /** Redefined since its last run began: its next run is on the way (or starts when observed). */
  redefined: boolean;
  /** The chapter's cells (the graph's), where an error's stack frames are looked up. */
  chapter: ReadonlyMap<string, CellState>;
}

/** Runs a cell's code with the values of the names it reads (runs.ts's `execute`). */
export type Execute = (
  cell: CellState,
  compiled: CompiledCell,
  fn: NonNullable<CellState["fn"]>,
  args: unknown[],
  invalidation: Promise<void>,
) => Promise<unknown>;

/** A kernel's graph. */
export interface Graph {
  runtime: Runtime;
  main: Module;
  cells: Map<string, CellState>;
  /** Who declares each name (one cell per name), and the variable that holds it. */
  names: Map<string, { cell: string; variable: Variable }>;
  /** The observed cells the runtime has yet to compute. */
  waiting: Set<string>;
  execute: Execute;
}

export function createGraph(execute: Execute): Graph {
  // An unknown name is nobody's: cells that read it say so.
  const runtime = new Runtime(undefined, (name) =>
    name in globalThis ? (globalThis as Record<string, unknown>)[name] : new Missing(null, name),
  );
  return {
    runtime,
    main: runtime.module(),
    cells: new Map(),
    names: new Map(),
    waiting: new Set(),
    execute,
  };
}

const bodyName = (id: string) => `cell ${id}`;
const quote = (id: string) => `"${id}"`;
const list = (items: string[]) =>
  items.length < 2 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;

/** The cells whose names `id` reads, transitively (and `id`'s readers, with `down`). */
export function closure(graph: Graph, id: string, down: boolean): Set<string> {
  const { cells, names } = graph;
  const found = new Set<string>();
  const readers = (cell: CellState) =>
    [...cells.values()]
      .filter((c) =>
        c.compiled?.reads.some((n) => cell.declares.includes(n) && names.get(n)?.cell === cell.id),
      )
      .map((c) => c.id);
  const providers = (cell: CellState) =>
    (cell.compiled?.reads ?? [])
      .map((n) => names.get(n)?.cell)
      .filter((c): c is string => !!c);
  const visit = (at: string) => {
    const cell = cells.get(at);
    if (!cell) return;
    for (const other of down ? readers(cell) : providers(cell)) {
      if (found.has(other) || other === id) continue;
      found.add(other);
      visit(other);
    }
  };
  visit(id);
  return found;
}

/** Observes a cell: the runtime computes it (and what it reads) from now on. */
export function observe(graph: Graph, cell: CellState, rejected: (error: unknown) => void): void {
  if (cell.observer) return;
  cell.observer = graph.main
    .variable({
      pending: () => graph.waiting.add(cell.id),
      fulfilled: () => graph.waiting.delete(cell.id),
      rejected: (error) => {
        graph.waiting.delete(cell.id);
        rejected(error);
      },
    })
    .define(null, [bodyName(cell.id)], (exports: unknown) => exports);
}

/** (Re)defines a cell's body variable: the runtime runs it again if it is observed. */
export function install(graph: Graph, cell: CellState): void {
  const { compiled, fn } = cell;
  if (cell.error || !compiled || !fn) {
    const failed = new Missing(cell.id, "");
    cell.body.define(bodyName(cell.id), [], () => failed);
  } else {
    cell.body.define(
      bodyName(cell.id),
      [...compiled.reads, "invalidation"],
      (...args: unknown[]) => {
        const invalidation = args.pop() as Promise<void>;
        return graph.execute(cell, compiled, fn, args, invalidation);
      },
    );
  }
}

// Each name belongs to one cell: the one that declares it without an error, else the first.
function claimNames(graph: Graph): void {
  const { cells, names } = graph;
  const wanted = new Map<string, string>();
  for (const cell of cells.values()) {
    for (const name of cell.declares) {
      const holder = wanted.get(name);
      if (!holder || (cells.get(holder)!.error && !cell.error)) wanted.set(name, cell.id);
    }
  }
  for (const [name, entry] of names) {
    if (wanted.get(name) !== entry.cell) {
      entry.variable.delete();
      names.delete(name);
    }
  }
  for (const [name, id] of wanted) {
    if (names.has(name)) continue;
    const variable = graph.main
      .variable()
      .define(name, [bodyName(id)], (exports: unknown) =>
        exports instanceof Missing
          ? new Missing(id, name)
          : (exports as Record<string, unknown>)[name],
      );
    names.set(name, { cell: id, variable });
  }
}

/** A cell's new source, compiled (or why it does not compile), before the graph changes. */
interface Compiled {
  source: string;
  compiled: CompiledCell | null;
  fn: CellState["fn"];
  url: string;
  error: ErrorOutput | null;
}

// Compiles a cell's source; never throws (whatever fails is the cell's error).
function compileSource(id: string, source: string, runs: number, modules: ModuleMap): Compiled {
  const url = `nb-cell-${id.replace(/[^A-Za-z0-9_-]/g, "_")}-${runs + 1}.js`;
  try {
    const compiled = compileCell(source, { sourceURL: url });
    const refused = checkImports(compiled, modules) ?? checkGlobals(id, compiled);
    if (refused) throw refused;
    return { source, compiled, fn: (0, eval)(compiled.code), url, error: null };
  } catch (error) {
    return { source, compiled: null, fn: null, url, error: compileError(error, source) };
  }
}

// Puts a compiled source into its cell. A cell that does not compile keeps what it declared
// (failing), so its readers say why.
function apply(cell: CellState, next: Compiled): void {
  cell.source = next.source;
  cell.compiled = next.compiled;
  cell.fn = next.fn;
  cell.compileError = next.error;
  if (next.compiled) {
    cell.declares = next.compiled.declares;
    cell.url = next.url;
  }
}

function newCell(graph: Graph, id: string, source: string): CellState {
  return {
    id,
    source,
    compiled: null,
    fn: null,
    url: "",
    compileError: null,
    error: null,
    declares: [],
    body: graph.main.variable(),
    observer: null,
    run: null,
    runs: 0,
    redefined: false,
    chapter: graph.cells,
  };
}

/**
 * Defines the chapter's cells (a cell left out is removed: `removed` ends its run first).
 * Returns what each cell declares and reads, and why it cannot run.
 */
export function defineCells(
  graph: Graph,
  sources: CellSource[],
  modules: ModuleMap,
  removed: (cell: CellState) => void,
): CellInfo[] {
  const { cells } = graph;
  // All or nothing: every new source is compiled before the graph changes (compiling never
  // throws), so a cell the engine rejects cannot leave the others half defined.
  const next = new Map<string, Compiled>();
  for (const { id, source } of sources) {
    const cell = cells.get(id);
    if (!cell || cell.source !== source) {
      next.set(id, compileSource(id, source, cell?.runs ?? 0, modules));
    }
  }
  const keep = new Set(sources.map((s) => s.id));
  for (const [id, cell] of cells) {
    if (keep.has(id)) continue;
    removed(cell);
    cell.observer?.delete();
    cell.body.delete();
    cells.delete(id);
  }
  for (const [id, compiled] of next) {
    let cell = cells.get(id);
    if (!cell) cells.set(id, (cell = newCell(graph, id, compiled.source)));
    apply(cell, compiled);
  }
  const changed = new Set(next.keys());
  const errors = crossCheck(cells, changed);
  for (const cell of cells.values()) {
    const error = cell.compileError ?? errors.get(cell.id) ?? null;
    const same = error?.message === cell.error?.message;
    cell.error = error;
    if (changed.has(cell.id) || !same) {
      install(graph, cell);
      cell.redefined = true;
    }
  }
  claimNames(graph);
  return [...cells.values()].map((cell) => ({
    id: cell.id,
    declares: cell.declares,
    reads: cell.compiled?.reads ?? [],
    ...(cell.error ? { error: cell.error } : {}),
  }));
}

// The errors between cells: assignments to other cells' names, names declared twice, cycles.
function crossCheck(cells: Map<string, CellState>, changed: Set<string>): Map<string, ErrorOutput> {
  const errors = new Map<string, ErrorOutput>();
  const all = [...cells.values()].filter((c) => c.compiled && !c.compileError);
  const declaredBy = new Map<string, CellState[]>();
  for (const cell of all) {
    for (const name of cell.declares) declaredBy.set(name, [...(declaredBy.get(name) ?? []), cell]);
  }
  const at = (cell: CellState, where: Place | null, message: string, name: string) => {
    if (!errors.has(cell.id)) {
      errors.set(cell.id, errorOutput(name, message, where, cell.source, "compile"));
    }
  };
  for (const cell of all) {
    for (const assign of cell.compiled!.assigns) {
      const owners = declaredBy.get(assign.name);
      if (owners?.length) {
        const owner = owners[0].id;
        at(
          cell,
          assign,
          `Cell "${cell.id}" assigns ${assign.name}, which cell "${owner}" declares. A cell ` +
            `changes only its own names: declare ${assign.name} in this cell (let ${assign.name} ` +
            `= …), or keep the state in an object that cell "${owner}" declares ` +
            `(state.${assign.name} = …)`,
          "TypeError",
        );
      } else {
        at(
          cell,
          assign,
          `${assign.name} is not declared: declare it in this cell with let or const`,
          "ReferenceError",
        );
      }
    }
  }
  for (const [name, owners] of declaredBy) {
    if (owners.length < 2) continue;
    const blamed =
      owners.some((c) => changed.has(c.id)) && owners.some((c) => !changed.has(c.id))
        ? owners.filter((c) => changed.has(c.id))
        : owners;
    for (const cell of blamed) {
      at(
        cell,
        cell.compiled!.declaresAt?.[name] ?? null,
        `${name} is declared by cells ${list(owners.map((c) => quote(c.id)))}: a name can come ` +
          "from one cell only; rename it in one of them",
        "SyntaxError",
      );
    }
  }
  for (const [id, error] of findCycles(all, declaredBy, errors)) errors.set(id, error);
  return errors;
}

type Step = { name: string; cell: CellState };

// Cells that read each other's names, directly or through others (skipping cells with errors).
function findCycles(
  all: CellState[],
  declaredBy: Map<string, CellState[]>,
  known: Map<string, ErrorOutput>,
): Map<string, ErrorOutput> {
  const errors = new Map<string, ErrorOutput>();
  const providers = (cell: CellState): Step[] =>
    cell.compiled!.reads.flatMap((n) => (declaredBy.get(n) ?? []).map((c) => ({ name: n, cell: c })));
  for (const cell of all) {
    if (known.has(cell.id) || errors.has(cell.id)) continue;
    // Is there a path from one of cell's providers back to cell?
    const path = findPath(cell, cell, providers, new Set());
    if (!path) continue;
    const members = [cell, ...path.map((p) => p.cell)].slice(0, -1);
    const steps = members.map(
      (c, i) => `${quote(c.id)} reads ${path[i].name} from ${quote(path[i].cell.id)}`,
    );
    const message =
      `Cells ${list(members.map((c) => quote(c.id)))} read each other's names (${steps.join("; ")}), ` +
      "so none of them can run first: move what they share into one cell";
    for (const member of members) {
      if (known.has(member.id) || errors.has(member.id)) continue;
      errors.set(member.id, errorOutput("SyntaxError", message, null, member.source, "compile"));
    }
  }
  return errors;
}

function findPath(
  from: CellState,
  target: CellState,
  providers: (c: CellState) => Step[],
  seen: Set<CellState>,
): Step[] | null {
  for (const step of providers(from)) {
    if (step.cell === target) return [step];
    if (seen.has(step.cell)) continue;
    seen.add(step.cell);
    const rest = findPath(step.cell, target, providers, seen);
    if (rest) return [step, ...rest];
  }
  return null;
}
