/**
 * Compiling a cell: TypeScript → JavaScript (sucrase strips the types and keeps every line where
 * it was), then a scope analysis (acorn) that finds the cell's top-level declarations and free
 * references and rewrites them as properties of the kernel's shared scope. That rewrite is what
 * lets a later cell read `net`, and a cell declaring `const net` run twice.
 */
import { transform } from "sucrase";
import { parse } from "acorn";

/** The kernel's globals: a cell reads them as plain names. */
export const KERNEL_GLOBALS = ["display", "progress", "signal", "console"] as const;

/** The shared scope object in compiled code (stripped from error messages). */
export const SCOPE = "__scope";

// Standard JavaScript globals: not counted as references a cell takes from other cells.
const STANDARD_GLOBALS = new Set(
  (
    "globalThis Infinity NaN undefined eval isFinite isNaN parseFloat parseInt decodeURI " +
    "decodeURIComponent encodeURI encodeURIComponent Array ArrayBuffer BigInt BigInt64Array " +
    "BigUint64Array Boolean DataView Date Error EvalError FinalizationRegistry Float32Array " +
    "Float64Array Function Int8Array Int16Array Int32Array Map Number Object Promise Proxy " +
    "RangeError ReferenceError RegExp Set SharedArrayBuffer String Symbol SyntaxError TypeError " +
    "Uint8Array Uint8ClampedArray Uint16Array Uint32Array URIError WeakMap WeakRef WeakSet " +
    "AggregateError Atomics JSON Math Reflect Intl setTimeout clearTimeout setInterval " +
    "clearInterval queueMicrotask structuredClone performance URL URLSearchParams TextEncoder " +
    "TextDecoder AbortController AbortSignal DOMException Iterator arguments"
  ).split(" "),
);

/** A cell that does not compile: `line` and `column` (from 1) are where, in the cell's source. */
export class CellSyntaxError extends Error {
  line: number;
  column: number;
  constructor(message: string, where: { line: number; column: number }) {
    super(message);
    this.name = "SyntaxError";
    this.line = where.line;
    this.column = where.column;
  }
}

/** One `import … from "module"` of a cell. */
export interface CellImport {
  module: string;
  /** Local name → imported name (`*` for a namespace import, `default` for a default import). */
  names: { local: string; imported: string; line: number; column: number }[];
  /** Where the module's name is in the cell (line and column from 1, for errors). */
  line: number;
  column: number;
}

/** A compiled cell. */
export interface CompiledCell {
  /** A JavaScript expression: an async function of (__nb, __scope, ...the kernel globals). */
  code: string;
  declares: string[];
  references: string[];
  imports: CellImport[];
  /** Maps a line and column of `code` back to the cell's source (both from 1). */
  position(line: number, column: number): { line: number; column: number };
}

/** What the compiler needs to know about the kernel when it compiles a cell for running. */
export interface CompileContext {
  /** Names earlier cells declared (read as `__scope.name`). */
  known: ReadonlySet<string>;
  /** Shown in stack traces: `//# sourceURL=<sourceURL>`. */
  sourceURL: string;
}

// A replacement of compiled[start, end) by text; an insertion when start === end.
interface Edit {
  start: number;
  end: number;
  text: string;
}

// A lexical scope: its names; `top` for the cell's own top level.
interface Scope {
  parent: Scope | null;
  names: Set<string>;
  functionScope: boolean;
  top: boolean;
}

type Node = { type: string; start: number; end: number; [key: string]: any };

/** Strips TypeScript types; syntax errors become a CellSyntaxError at the right offset. */
export function stripTypes(source: string): string {
  try {
    return transform(source, {
      transforms: ["typescript"],
      // A cell may import a name only for later cells: keep every import.
      keepUnusedImports: true,
      disableESTransforms: true,
    }).code;
  } catch (error) {
    const e = error as { message?: string; pos?: number };
    const message = String(e.message ?? error).replace(/\s*\(\d+:\d+\)$/, "");
    throw new CellSyntaxError(message, lineColumn(source, typeof e.pos === "number" ? e.pos : 0));
  }
}

function parseModule(js: string): Node {
  try {
    return parse(js, { ecmaVersion: "latest", sourceType: "module" }) as unknown as Node;
  } catch (error) {
    const e = error as { message?: string; pos?: number };
    const message = String(e.message ?? error).replace(/\s*\(\d+:\d+\)$/, "");
    throw new CellSyntaxError(message, lineColumn(js, typeof e.pos === "number" ? e.pos : 0));
  }
}

// Names bound by a pattern: `a`, `{ a, b: [c] }`, `...rest`, `x = 1`.
function patternNames(pattern: Node, out: Node[] = []): Node[] {
  switch (pattern.type) {
    case "Identifier":
      out.push(pattern);
      break;
    case "ObjectPattern":
      for (const p of pattern.properties) patternNames(p.type === "RestElement" ? p : p.value, out);
      break;
    case "ArrayPattern":
      for (const element of pattern.elements) if (element) patternNames(element, out);
      break;
    case "RestElement":
      patternNames(pattern.argument, out);
      break;
    case "AssignmentPattern":
      patternNames(pattern.left, out);
      break;
  }
  return out;
}

function isFunction(node: Node): boolean {
  return (
    node.type === "FunctionDeclaration" ||
    node.type === "FunctionExpression" ||
    node.type === "ArrowFunctionExpression"
  );
}

// The children of a node, in source order, skipping what never holds references.
function children(node: Node): Node[] {
  const out: Node[] = [];
  for (const key in node) {
    if (key === "type" || key === "start" || key === "end" || key === "loc" || key === "range") {
      continue;
    }
    const value = node[key];
    if (Array.isArray(value)) {
      for (const item of value) if (item && typeof item.type === "string") out.push(item);
    } else if (value && typeof value.type === "string") out.push(value);
  }
  return out;
}

// Pass 1: make the scopes and put every declared name in the scope it belongs to.
function declareScopes(program: Node): Map<Node, Scope> {
  const scopes = new Map<Node, Scope>();
  const top: Scope = { parent: null, names: new Set(), functionScope: true, top: true };
  scopes.set(program, top);
  const functionOf = (scope: Scope) => {
    let s = scope;
    while (!s.functionScope && s.parent) s = s.parent;
    return s;
  };
  const visit = (node: Node, scope: Scope) => {
    let inner = scope;
    if (isFunction(node)) {
      inner = { parent: scope, names: new Set(), functionScope: true, top: false };
      scopes.set(node, inner);
      if (node.type === "FunctionDeclaration" && node.id) scope.names.add(node.id.name);
      if (node.type === "FunctionExpression" && node.id) inner.names.add(node.id.name);
      for (const param of node.params) {
        for (const id of patternNames(param)) inner.names.add(id.name);
      }
    } else if (node.type === "ClassDeclaration" || node.type === "ClassExpression") {
      inner = { parent: scope, names: new Set(), functionScope: false, top: false };
      scopes.set(node, inner);
      if (node.id) (node.type === "ClassDeclaration" ? scope : inner).names.add(node.id.name);
    } else if (
      (node.type === "BlockStatement" && !isFunctionBody(node)) ||
      node.type === "ForStatement" ||
      node.type === "ForInStatement" ||
      node.type === "ForOfStatement" ||
      node.type === "SwitchStatement" ||
      node.type === "CatchClause" ||
      node.type === "StaticBlock"
    ) {
      const functionScope = node.type === "StaticBlock";
      inner = { parent: scope, names: new Set(), functionScope, top: false };
      scopes.set(node, inner);
      if (node.type === "CatchClause" && node.param) {
        for (const id of patternNames(node.param)) inner.names.add(id.name);
      }
    } else if (node.type === "VariableDeclaration") {
      const target = node.kind === "var" ? functionOf(scope) : scope;
      for (const d of node.declarations) {
        for (const id of patternNames(d.id)) target.names.add(id.name);
      }
    } else if (node.type === "ImportDeclaration") {
      for (const s of node.specifiers) scope.names.add(s.local.name);
    }
    for (const child of children(node)) visit(child, inner);
  };
  for (const statement of program.body) visit(statement, top);
  return scopes;
}

// A function's body block shares the function's scope (its params live there).
function isFunctionBody(node: Node): boolean {
  return node.__body === true;
}

function markFunctionBodies(node: Node) {
  if (isFunction(node) && node.body.type === "BlockStatement") node.body.__body = true;
  for (const child of children(node)) markFunctionBodies(child);
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

/** The line and column (from 1) of an offset in a text. */
export { lineColumn };

// Replacement text that keeps the line breaks of the text it replaces.
function keepLines(original: string, text: string): string {
  return text + original.replace(/[^\n]/g, "");
}

/**
 * Compiles a cell for the kernel. Throws a CellSyntaxError (with the line and column in the cell)
 * when the cell does not parse or uses syntax cells do not support (`export`).
 */
export function compileCell(source: string, context?: CompileContext): CompiledCell {
  const js = stripTypes(source);
  const program = parseModule(js);
  markFunctionBodies(program);
  const scopes = declareScopes(program);
  const top = scopes.get(program)!;
  const known = context?.known ?? new Set<string>();
  const edits: Edit[] = [];
  const references = new Set<string>();
  const imports: CellImport[] = [];
  const hoisted: string[] = [];
  const scoped = (name: string) => `${SCOPE}.${name}`;

  const resolve = (name: string, scope: Scope): "local" | "cell" | "free" => {
    for (let s: Scope | null = scope; s; s = s.parent) {
      if (s.names.has(name)) return s.top ? "cell" : "local";
    }
    return "free";
  };

  // An identifier read or written: where the name lives decides what it becomes.
  type Use = "read" | "write" | "typeof";
  const reference = (id: Node, scope: Scope, how: Use, shorthand: boolean) => {
    const where = resolve(id.name, scope);
    if (where === "local") return;
    if (where === "free") {
      const global =
        STANDARD_GLOBALS.has(id.name) || (KERNEL_GLOBALS as readonly string[]).includes(id.name);
      if (!global) references.add(id.name);
      if (!known.has(id.name)) {
        // Not declared by any cell yet: a read looks the name up when it runs (a later cell may
        // declare it), with a clear error if nobody has.
        if (how !== "read" || global || id.name in globalThis) return;
        const lookup = `__nb.ref(${JSON.stringify(id.name)})`;
        const text = shorthand ? `${id.name}: ${lookup}` : lookup;
        edits.push({ start: id.start, end: id.end, text });
        return;
      }
    }
    const text = scoped(id.name);
    edits.push({ start: id.start, end: id.end, text: shorthand ? `${id.name}: ${text}` : text });
  };

  // A pattern in a write position (assignment target or top-level declaration).
  const writePattern = (pattern: Node, scope: Scope, shorthand = false) => {
    switch (pattern.type) {
      case "Identifier":
        reference(pattern, scope, "write", shorthand);
        break;
      case "ObjectPattern":
        for (const p of pattern.properties) {
          if (p.type === "RestElement") writePattern(p.argument, scope);
          else {
            if (p.computed) walk(p.key, scope);
            writePattern(p.value, scope, p.shorthand);
          }
        }
        break;
      case "ArrayPattern":
        for (const element of pattern.elements) if (element) writePattern(element, scope);
        break;
      case "RestElement":
        writePattern(pattern.argument, scope);
        break;
      case "AssignmentPattern":
        writePattern(pattern.left, scope, shorthand);
        walk(pattern.right, scope);
        break;
      default:
        walk(pattern, scope);
    }
  };

  // Does a declaration bind names of the cell's top level?
  const declaresCellNames = (node: Node, scope: Scope) =>
    node.declarations.some((d: Node) =>
      patternNames(d.id).some((id) => resolve(id.name, scope) === "cell"),
    );

  // A top-level `const/let/var`: `const a = 1, { b } = o` becomes
  // `;(__scope.a = 1, { b: __scope.b } = o)`.
  const topDeclaration = (node: Node, scope: Scope, inForHead: boolean) => {
    const first = node.declarations[0];
    const keyword = js.slice(node.start, first.start);
    const opening = keepLines(keyword, inForHead ? "" : ";(");
    edits.push({ start: node.start, end: first.start, text: opening });
    for (const d of node.declarations) {
      writePattern(d.id, scope);
      if (d.init) walk(d.init, scope);
      else if (!inForHead) edits.push({ start: d.id.end, end: d.id.end, text: " = undefined" });
    }
    if (!inForHead) {
      const last = node.declarations[node.declarations.length - 1];
      edits.push({ start: last.end, end: last.end, text: ")" });
    }
  };

  const walk = (node: Node, scope: Scope): void => {
    const own = scopes.get(node);
    const inner = own ?? scope;
    switch (node.type) {
      case "Identifier":
        reference(node, scope, "read", false);
        return;
      case "ImportDeclaration": {
        const module = String(node.source.value);
        imports.push({
          module,
          ...lineColumn(js, node.source.start),
          names: node.specifiers.map((s: Node) => ({
            local: s.local.name,
            imported:
              s.type === "ImportNamespaceSpecifier"
                ? "*"
                : s.type === "ImportDefaultSpecifier"
                  ? "default"
                  : (s.imported.name ?? String(s.imported.value)),
            ...lineColumn(js, s.start),
          })),
        });
        const blank = keepLines(js.slice(node.start, node.end), "");
        edits.push({ start: node.start, end: node.end, text: blank });
        return;
      }
      case "ImportExpression":
        throw new CellSyntaxError(
          "A cell cannot import() a module at run time; " +
            'import it at the top: import { … } from "engine"',
          lineColumn(js, node.start),
        );
      case "ExportNamedDeclaration":
      case "ExportDefaultDeclaration":
      case "ExportAllDeclaration":
        throw new CellSyntaxError(
          "A cell cannot export: its top-level names are shared with later cells as they are; " +
            "remove `export`",
          lineColumn(js, node.start),
        );
      case "VariableDeclaration":
        if (declaresCellNames(node, scope)) {
          topDeclaration(node, scope, false);
          return;
        }
        for (const d of node.declarations) {
          walkPatternDefaults(d.id, scope);
          if (d.init) walk(d.init, scope);
        }
        return;
      case "ForStatement":
      case "ForInStatement":
      case "ForOfStatement": {
        const head = node.type === "ForStatement" ? node.init : node.left;
        if (head && head.type === "VariableDeclaration") {
          if (declaresCellNames(head, inner)) topDeclaration(head, inner, true);
          else for (const d of head.declarations) {
            walkPatternDefaults(d.id, inner);
            if (d.init) walk(d.init, inner);
          }
        } else if (head) {
          if (node.type === "ForStatement") walk(head, inner);
          else writePattern(head, inner);
        }
        for (const key of ["test", "update", "right", "body"]) {
          if (node[key]) walk(node[key], inner);
        }
        return;
      }
      case "FunctionDeclaration":
        if (scope.top) hoisted.push(`${scoped(node.id.name)} = ${node.id.name};`);
        walkFunction(node, inner);
        return;
      case "FunctionExpression":
      case "ArrowFunctionExpression":
        walkFunction(node, inner);
        return;
      case "ClassDeclaration":
        if (scope.top) {
          edits.push({ start: node.start, end: node.start, text: `;${scoped(node.id.name)} = ` });
          edits.push({ start: node.end, end: node.end, text: ";" });
        }
        walkClass(node, inner);
        return;
      case "ClassExpression":
        walkClass(node, inner);
        return;
      case "CatchClause":
        if (node.param) walkPatternDefaults(node.param, inner);
        walk(node.body, inner);
        return;
      case "AssignmentExpression":
        writePattern(node.left, scope);
        walk(node.right, scope);
        return;
      case "UpdateExpression":
        if (node.argument.type === "Identifier") reference(node.argument, scope, "write", false);
        else walk(node.argument, scope);
        return;
      case "UnaryExpression":
        if (node.operator === "typeof" && node.argument.type === "Identifier") {
          reference(node.argument, scope, "typeof", false);
        } else walk(node.argument, scope);
        return;
      case "MemberExpression":
        walk(node.object, scope);
        if (node.computed) walk(node.property, scope);
        return;
      case "Property":
        if (node.computed) walk(node.key, scope);
        if (node.shorthand && node.value.type === "Identifier") {
          reference(node.value, scope, "read", true);
        } else walk(node.value, scope);
        return;
      case "MethodDefinition":
      case "PropertyDefinition":
        if (node.computed) walk(node.key, scope);
        if (node.value) walk(node.value, scope);
        return;
      case "LabeledStatement":
        walk(node.body, scope);
        return;
      case "BreakStatement":
      case "ContinueStatement":
      case "MetaProperty":
      case "Literal":
      case "ThisExpression":
      case "Super":
      case "PrivateIdentifier":
      case "TemplateElement":
        return;
      default:
        for (const child of children(node)) walk(child, inner);
    }
  };

  // Defaults inside a local pattern may read names: `const { a = net } = o`.
  const walkPatternDefaults = (pattern: Node, scope: Scope) => {
    if (pattern.type === "AssignmentPattern") {
      walkPatternDefaults(pattern.left, scope);
      walk(pattern.right, scope);
    } else if (pattern.type === "ObjectPattern") {
      for (const p of pattern.properties) {
        if (p.type === "RestElement") walkPatternDefaults(p.argument, scope);
        else {
          if (p.computed) walk(p.key, scope);
          walkPatternDefaults(p.value, scope);
        }
      }
    } else if (pattern.type === "ArrayPattern") {
      for (const element of pattern.elements) if (element) walkPatternDefaults(element, scope);
    } else if (pattern.type === "RestElement") walkPatternDefaults(pattern.argument, scope);
  };

  const walkFunction = (node: Node, inner: Scope) => {
    for (const param of node.params) walkPatternDefaults(param, inner);
    if (node.body.type === "BlockStatement") for (const s of node.body.body) walk(s, inner);
    else walk(node.body, inner);
  };

  const walkClass = (node: Node, inner: Scope) => {
    if (node.superClass) walk(node.superClass, inner);
    walk(node.body, inner);
  };

  for (const statement of program.body) walk(statement, top);

  // The value of a last expression statement is the cell's value.
  const last = program.body[program.body.length - 1];
  if (last && last.type === "ExpressionStatement" && !last.directive) {
    const end = js[last.end - 1] === ";" ? last.end - 1 : last.end;
    edits.push({ start: last.start, end: last.start, text: "return (" });
    edits.push({ start: end, end, text: ")" });
  }

  // Apply the edits, remembering where each one landed to map positions back.
  // By position; an insertion goes before a replacement that starts at the same place.
  edits.sort((a, b) => a.start - b.start || Number(a.end > a.start) - Number(b.end > b.start));
  // Imports bind before anything runs, as in a module; then the hoisted functions.
  const bindings = imports.flatMap(({ module, names }) =>
    names.map(
      ({ local, imported }) =>
        `${scoped(local)} = __nb.import(${JSON.stringify(module)}, ${JSON.stringify(imported)});`,
    ),
  );
  const prelude =
    `(async function (__nb, ${SCOPE}, ${KERNEL_GLOBALS.join(", ")}) { "use strict"; ` +
    [...bindings, ...hoisted].join(" ");
  let body = "";
  let at = 0;
  const landed: { from: number; to: number; length: number; original: number }[] = [];
  for (const edit of edits) {
    if (edit.start < at) continue; // overlapping edits cannot happen; keep the first if they do
    body += js.slice(at, edit.start);
    landed.push({
      from: edit.start,
      to: prelude.length + body.length,
      length: edit.text.length,
      original: edit.end - edit.start,
    });
    body += edit.text;
    at = edit.end;
  }
  body += js.slice(at);
  const sourceURL = context?.sourceURL ?? "cell.js";
  const code = `${prelude}${body}\n})\n//# sourceURL=${sourceURL}`;

  const position = (line: number, column: number) => {
    // Offset in code → offset in js (undo the edits) → line and column.
    let offset = 0;
    for (let l = 1; l < line; l++) offset = code.indexOf("\n", offset) + 1;
    offset += column - 1;
    let shift = prelude.length;
    let jsOffset = offset - shift;
    for (const edit of landed) {
      if (offset < edit.to) break;
      if (offset < edit.to + edit.length) {
        jsOffset = edit.from;
        break;
      }
      shift += edit.length - edit.original;
      jsOffset = offset - shift;
    }
    return lineColumn(js, Math.max(0, Math.min(jsOffset, js.length)));
  };

  return {
    code,
    declares: [...top.names],
    references: [...references],
    imports,
    position,
  };
}
