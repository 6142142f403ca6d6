/**
 * Values → outputs: a cell's value becomes plain data the page can show. Numbers, arrays,
 * matrices, tensors and lists of records become tables; DOM nodes (Plot charts) become markup;
 * anything else becomes a tree to open. No DOM and no host APIs here.
 */
import { prefixIds } from "../charts/markup.ts";
import { isVerdict, verdictHtml } from "./verdict.ts";
import type { Inspected, Output, TableCell } from "./types.ts";

/** Limits that keep an output small enough to ship in a page. */
export const LIMITS = { rows: 25, columns: 20, rowVector: 20, entries: 50, depth: 4, string: 2000 };

type Table = Extract<Output, { kind: "table" }>;

type NodeLike = {
  outerHTML: string;
  nodeType: number;
  tagName?: string;
  getAttribute?(name: string): string | null;
  setAttribute?(name: string, value: string): void;
  querySelectorAll?(selector: string): Iterable<NodeLike>;
};

function isNode(value: object): value is NodeLike {
  const v = value as { outerHTML?: unknown; nodeType?: unknown };
  return typeof v.outerHTML === "string" && typeof v.nodeType === "number";
}

// A 2-D tensor of the engine (duck-typed: the kernel never imports the engine).
function isTensor(value: object): value is { shape: number[]; toArray(): number[][] } {
  const v = value as { shape?: unknown; toArray?: unknown };
  return (
    Array.isArray(v.shape) &&
    v.shape.length === 2 &&
    v.shape.every((n) => Number.isInteger(n)) &&
    typeof v.toArray === "function"
  );
}

function isNumberList(value: unknown): value is ArrayLike<number> {
  if (ArrayBuffer.isView(value)) {
    return !(
      value instanceof DataView ||
      value instanceof BigInt64Array ||
      value instanceof BigUint64Array
    );
  }
  return Array.isArray(value) && value.length > 0 && value.every((x) => typeof x === "number");
}

function isMatrix(value: unknown): value is ArrayLike<number>[] {
  if (!Array.isArray(value) || value.length === 0 || !isNumberList(value[0])) return false;
  const width = value[0].length;
  return value.every((row) => isNumberList(row) && row.length === width);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function isPrimitive(value: unknown): boolean {
  return value === null || (typeof value !== "object" && typeof value !== "function");
}

function isRecords(value: unknown): value is Record<string, unknown>[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((row) => isPlainObject(row) && Object.values(row).every(isPrimitive))
  );
}

function cell(value: unknown): TableCell {
  if (typeof value === "number") return value;
  if (value === null || value === undefined) return null;
  return typeof value === "string" ? value : String(value);
}

function range(n: number): string[] {
  return Array.from({ length: n }, (_, i) => String(i));
}

function matrixTable(rows: ArrayLike<number>[], caption: string): Table {
  const width = rows.length ? rows[0].length : 0;
  const shownColumns = Math.min(width, LIMITS.columns);
  const shown = rows.slice(0, LIMITS.rows);
  return {
    kind: "table",
    caption,
    columns: range(shownColumns),
    rowLabels: range(shown.length),
    rows: shown.map((row) => Array.from(row).slice(0, shownColumns)),
    moreRows: rows.length - shown.length,
    moreColumns: width - shownColumns,
  };
}

function vectorTable(values: ArrayLike<number>, caption: string): Table {
  const list = Array.from(values);
  if (list.length <= LIMITS.rowVector) {
    return {
      kind: "table",
      caption,
      columns: range(list.length),
      rowLabels: null,
      rows: [list],
      moreRows: 0,
      moreColumns: 0,
    };
  }
  const shown = list.slice(0, LIMITS.rows);
  return {
    kind: "table",
    caption,
    columns: ["value"],
    rowLabels: range(shown.length),
    rows: shown.map((x) => [x]),
    moreRows: list.length - shown.length,
    moreColumns: 0,
  };
}

function recordsTable(records: Record<string, unknown>[]): Table {
  const keys: string[] = [];
  for (const record of records) {
    for (const key of Object.keys(record)) if (!keys.includes(key)) keys.push(key);
  }
  const columns = keys.slice(0, LIMITS.columns);
  const shown = records.slice(0, LIMITS.rows);
  return {
    kind: "table",
    caption: `Array(${records.length}) of objects`,
    columns,
    rowLabels: range(shown.length),
    rows: shown.map((record) => columns.map((key) => cell(record[key]))),
    moreRows: records.length - shown.length,
    moreColumns: keys.length - columns.length,
  };
}

function typeName(value: object): string {
  const proto = Object.getPrototypeOf(value);
  if (proto === null) return "Object";
  const name = proto.constructor?.name;
  return typeof name === "string" && name ? name : "Object";
}

function functionText(fn: Function): string {
  const source = Function.prototype.toString.call(fn);
  if (source.startsWith("class")) return `class ${fn.name || ""}`.trim();
  const params = /^[^(]*\(([^)]*)\)/.exec(source)?.[1] ?? "";
  return `ƒ ${fn.name || ""}(${params.replace(/\s+/g, " ").trim()})`;
}

/** A value as a tree (shared with `display` of nested values). */
export function inspect(value: unknown, depth = 0, seen: Set<object> = new Set()): Inspected {
  switch (typeof value) {
    case "number":
      const text = Object.is(value, -0) ? "-0" : String(value);
      return { type: "primitive", kind: "number", text };
    case "string": {
      const text = value.length > LIMITS.string ? `${value.slice(0, LIMITS.string)}…` : value;
      return { type: "primitive", kind: "string", text: JSON.stringify(text) };
    }
    case "boolean":
      return { type: "primitive", kind: "boolean", text: String(value) };
    case "undefined":
      return { type: "primitive", kind: "undefined", text: "undefined" };
    case "bigint":
      return { type: "primitive", kind: "bigint", text: `${value}n` };
    case "symbol":
      return { type: "primitive", kind: "symbol", text: value.toString() };
    case "function":
      return { type: "function", text: functionText(value) };
  }
  if (value === null) return { type: "primitive", kind: "null", text: "null" };
  const object = value as object;
  const name = typeName(object);
  if (seen.has(object)) return { type: "circular", label: name };
  let label = name;
  let pairs: [string, unknown][] = [];
  let size = 0;
  if (Array.isArray(object) || ArrayBuffer.isView(object)) {
    const list = object as unknown as ArrayLike<unknown>;
    label = `${name === "Array" ? "Array" : name}(${list.length})`;
    size = list.length;
    for (let i = 0; i < Math.min(size, LIMITS.entries); i++) pairs.push([String(i), list[i]]);
  } else if (object instanceof Map) {
    label = `Map(${object.size})`;
    size = object.size;
    for (const [k, v] of object) {
      if (pairs.length >= LIMITS.entries) break;
      pairs.push([typeof k === "string" ? k : inspectText(k), v]);
    }
  } else if (object instanceof Set) {
    label = `Set(${object.size})`;
    size = object.size;
    let i = 0;
    for (const v of object) {
      if (pairs.length >= LIMITS.entries) break;
      pairs.push([String(i++), v]);
    }
  } else if (object instanceof Error) {
    pairs = [["message", object.message]];
    size = 1;
  } else {
    const keys = Object.keys(object);
    size = keys.length;
    for (const key of keys.slice(0, LIMITS.entries)) {
      let v: unknown;
      try {
        v = (object as Record<string, unknown>)[key];
      } catch (error) {
        v = `(reading it threw: ${(error as Error)?.message ?? error})`;
      }
      pairs.push([key, v]);
    }
  }
  if (depth >= LIMITS.depth) return { type: "object", label, entries: [], more: size };
  seen.add(object);
  const entries = pairs.map(([key, v]) => ({ key, value: inspect(v, depth + 1, seen) }));
  seen.delete(object);
  return { type: "object", label, entries, more: size - entries.length };
}

// A short one-line text for map keys.
function inspectText(value: unknown): string {
  const tree = inspect(value, LIMITS.depth);
  return tree.type === "object" || tree.type === "circular" ? tree.label : tree.text;
}

// A chart drawn by Observable Plot: its root has Plot's class ("plot-" and six hex digits).
function isPlot(node: NodeLike): boolean {
  return /(^|\s)plot-[0-9a-f]{6}(-figure)?(\s|$)/.test(node.getAttribute?.("class") ?? "");
}

// Plot labels every mark's <g> ("rect", "line"): noise for a screen reader, and not allowed on a
// <g> without a role. The chart's own label (Plot's ariaLabel, or a ChartSpec's alt) speaks for it.
function hidePlotLabels(node: NodeLike): void {
  for (const element of node.querySelectorAll?.("[aria-label]") ?? []) {
    if (String(element.tagName).toLowerCase() === "svg") continue;
    element.setAttribute?.("aria-hidden", "true");
  }
  if (node.getAttribute?.("aria-label") && String(node.tagName).toLowerCase() === "svg") {
    node.setAttribute?.("role", "img");
  }
}

/**
 * Turns a value into the outputs that show it (none for `undefined`). `idPrefix` is unique per
 * output: element ids in markup get it.
 */
export function toOutputs(value: unknown, idPrefix: string): Output[] {
  if (value === undefined) return [];
  if (typeof value === "string") return [{ kind: "text", text: value }];
  if (typeof value === "object" && value !== null) {
    if (isVerdict(value)) return [{ kind: "html", html: verdictHtml(value), svg: false }];
    if (isNode(value)) {
      if (isPlot(value)) hidePlotLabels(value);
      const svg = String(value.tagName ?? "").toLowerCase() === "svg";
      return [{ kind: "html", html: prefixIds(value.outerHTML, idPrefix), svg }];
    }
    if (isTensor(value)) {
      const [rows, columns] = value.shape;
      return [matrixTable(value.toArray(), `${typeName(value)} [${rows}×${columns}]`)];
    }
    if (isMatrix(value)) {
      return [matrixTable(value, `Array(${value.length}) of number[${value[0].length}]`)];
    }
    if (isNumberList(value)) {
      const name = Array.isArray(value) ? "number" : typeName(value as object);
      return [vectorTable(value, `${name}[${value.length}]`)];
    }
    if (isRecords(value)) return [recordsTable(value)];
  }
  return [{ kind: "value", value: inspect(value) }];
}

/** Markup from a cell (`display.html`), with the same id prefixing as charts. */
export function htmlOutput(markup: string, idPrefix: string): Output {
  return { kind: "html", html: prefixIds(String(markup), idPrefix), svg: false };
}
