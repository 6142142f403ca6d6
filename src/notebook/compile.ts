/**
 * Compiling a cell (Observable Framework's model): a cell becomes
 * `async function (a, b, …) { …its body, unchanged…; return { x, y }; }`, whose parameters are
 * the names it reads from other cells and whose result holds the names it declares. sucrase strips
 * the TypeScript types (keeping every line where it was, with a source map for exact columns);
 * acorn parses the result; a small scope analysis finds what the cell declares, reads and assigns.
 * The body is never rewritten: imports move to the function's first line, and the value of a last
 * expression statement is handed to the kernel by wrapping that one expression.
 */
import { transform } from "sucrase";
import { parse } from "acorn";
import * as walk from "acorn-walk";
import { decode, type SourceMapSegment } from "@jridgewell/sourcemap-codec";

/** The kernel's globals: a cell reads them as plain names; each run gets its own. */
export const KERNEL_GLOBALS = [
  "display",
  "progress",
  "signal",
  "view",
  "Inputs",
  "tex",
  "console",
  // The page's worker has animation frames and Node has none: the kernel gives both hosts one.
  "requestAnimationFrame",
  "cancelAnimationFrame",
] as const;

/** The parameter through which compiled code reaches the kernel (imports, the cell's value). */
const NB = "__nb";

// Standard JavaScript globals: never inputs a cell takes from other cells, and never declared by
// one (the kernel refuses a cell that does). Not `arguments`: a cell's top level has none.
export const STANDARD_GLOBALS: ReadonlySet<string> = new Set(
  (
    "globalThis Infinity NaN undefined eval isFinite isNaN parseFloat parseInt decodeURI " +
    "decodeURIComponent encodeURI encodeURIComponent Array ArrayBuffer BigInt BigInt64Array " +
    "BigUint64Array Boolean DataView Date Error EvalError FinalizationRegistry Float32Array " +
    "Float64Array Function Int8Array Int16Array Int32Array Map Number Object Promise Proxy " +
    "RangeError ReferenceError RegExp Set SharedArrayBuffer String Symbol SyntaxError TypeError " +
    "Uint8Array Uint8ClampedArray Uint16Array Uint32Array URIError WeakMap WeakRef WeakSet " +
    "AggregateError Atomics JSON Math Reflect Intl setTimeout clearTimeout setInterval " +
    "clearInterval queueMicrotask structuredClone performance URL URLSearchParams TextEncoder " +
    "TextDecoder AbortController AbortSignal DOMException Iterator"
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

/** A place in a cell's source (line and column from 1). */
export interface Place {
  line: number;
  column: number;
}

/** One `import … from "module"` of a cell; its names are local to the cell. */
export interface CellImport {
  module: string;
  /** Local name → imported name (`*` for a namespace import, `default` for a default import). */
  names: ({ local: string; imported: string } & Place)[];
  /** Where the module's name is in the cell. */
  line: number;
  column: number;
}

/** A compiled cell. */
export interface CompiledCell {
  /**
   * A JavaScript function expression: `async function (...params, __nb)`, returning an object of
   * the declared names. `params` are `reads` then the kernel globals the cell uses.
   */
  code: string;
  /** The function's parameters before `__nb`, in order. */
  params: string[];
  /** Top-level names the cell declares (its outputs). Imports are local and not among them. */
  declares: string[];
  /** Where each top-level declaration is (not for `var`s declared inside blocks). */
  declaresAt: Record<string, Place>;
  /** Free names the cell reads: names of other cells, or nobody's (an error when it runs). */
  reads: string[];
  /** Where each read name first appears in the cell. */
  readAt: Record<string, Place>;
  /** Read names used only as `typeof name`: nobody declaring them is not an error. */
  softReads: string[];
  /** Free names the cell assigns (never allowed: a cell changes only its own names). */
  assigns: ({ name: string } & Place)[];
  imports: CellImport[];
  /** True when the cell ends with an expression statement, whose value it shows. */
  hasValue: boolean;
  /** Maps a line and column of `code` back to the cell's source (both from 1). */
  position(line: number, column: number): Place;
  /**
   * The innermost function of the cell around a place in its source: `{ name }` (null for an
   * anonymous function), or null at the cell's top level.
   */
  functionAt(place: Place): { name: string | null } | null;
}

// A lexical scope: its names; `top` for the cell's own top level.
interface Scope {
  parent: Scope | null;
  names: Set<string>;
  functionScope: boolean;
  top: boolean;
}

type Node = { type: string; start: number; end: number; [key: string]: any };

/** The line and column (from 1) of an offset in a text. */
export function lineColumn(text: string, offset: number): Place {
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

function syntaxMessage(error: unknown): string {
  const message = String((error as { message?: string }).message ?? error);
  // Sucrase names the file it was given ("Error transforming cell.ts: …"): the cell is the file.
  return message.replace(/^Error transforming cell\.ts:\s*/, "").replace(/\s*\(\d+:\d+\)$/, "");
}

/** Strips TypeScript types; returns the JavaScript and a map back to the source's columns. */
export function stripTypes(source: string): { js: string; toSource: (at: Place) => Place } {
  let result;
  try {
    result = transform(source, {
      transforms: ["typescript"],
      // A cell may import a type-less name it uses only in a comment: keep every import.
      keepUnusedImports: true,
      disableESTransforms: true,
      sourceMapOptions: { compiledFilename: "cell.js" },
      filePath: "cell.ts",
    });
  } catch (error) {
    const pos = (error as { pos?: number }).pos;
    throw new CellSyntaxError(syntaxMessage(error), lineColumn(source, pos ?? 0));
  }
  // Per generated line, segments [generatedColumn, source, sourceLine, sourceColumn] (from 0).
  const segments = decode(result.sourceMap?.mappings ?? "");
  const toSource = ({ line, column }: Place): Place => {
    // The last segment at or before the column, on the same line (sucrase keeps lines).
    const row = segments[line - 1] ?? [];
    let best: SourceMapSegment | null = null;
    for (const segment of row) {
      if (segment.length < 4) continue;
      if (segment[0] <= column - 1) best = segment;
      else break;
    }
    if (!best || best[2] !== line - 1) return { line, column };
    return { line, column: best[3]! + (column - 1 - best[0]) + 1 };
  };
  return { js: result.code, toSource };
}

function parseModule(js: string, toSource: (at: Place) => Place): Node {
  try {
    return parse(js, { ecmaVersion: "latest", sourceType: "module" }) as unknown as Node;
  } catch (error) {
    const pos = (error as { pos?: number }).pos ?? 0;
    throw new CellSyntaxError(syntaxMessage(error), toSource(lineColumn(js, pos)));
  }
}

// Names bound by a pattern: `a`, `{ a, b: [c] }`, `...rest`, `x = 1`.
function patternNames(pattern: Node, out: Node[] = []): Node[] {
  switch (pattern.type) {
    case "Identifier":
      out.push(pattern);
      break;
    case "ObjectPattern":
      for (const p of pattern.properties) patternNames(p.type === "RestElement" ? p.argument : p.value, out);
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

// acorn-walk's walkers, typed for this file's loose nodes. A walker's `c(node, state, category)`
// visits a child; the category ("Statement", "Expression", "Pattern", "Function" …) picks its
// walker before the node's own type does.
type Visit<S> = (node: Node, state: S, category?: string) => void;
type Walkers<S> = Record<string, (node: Node, state: S, c: Visit<S>) => void>;
const base = walk.base as unknown as Walkers<any>;
function recurse<S>(node: Node, state: S, walkers: Walkers<S>): void {
  walk.recursive(node as never, state, walkers as never);
}

// Nodes that open a block scope (a function's body is one too, the one its `var`s belong to).
const BLOCK_SCOPES = [
  "BlockStatement",
  "StaticBlock",
  "ForStatement",
  "ForInStatement",
  "ForOfStatement",
  "SwitchStatement",
  "CatchClause",
];

// Pass 1: make the scopes and put every declared name in the scope it belongs to.
function declareScopes(program: Node): Map<Node, Scope> {
  const scopes = new Map<Node, Scope>();
  const top: Scope = { parent: null, names: new Set(), functionScope: true, top: true };
  scopes.set(program, top);
  const bodies = new Set<Node>();
  const functionOf = (scope: Scope) => {
    let s = scope;
    while (!s.functionScope && s.parent) s = s.parent;
    return s;
  };
  const scope = (parent: Scope, functionScope: boolean): Scope => ({
    parent,
    names: new Set(),
    functionScope,
    top: false,
  });
  const walkers: Walkers<Scope> = {
    Function(node, current, c) {
      const inner = scope(current, true);
      scopes.set(node, inner);
      if (node.body.type === "BlockStatement") bodies.add(node.body);
      if (node.type === "FunctionDeclaration" && node.id) current.names.add(node.id.name);
      if (node.type === "FunctionExpression" && node.id) inner.names.add(node.id.name);
      // Arrow functions see their surroundings' `arguments`; other functions have their own.
      if (node.type !== "ArrowFunctionExpression") inner.names.add("arguments");
      for (const param of node.params) {
        for (const id of patternNames(param)) inner.names.add(id.name);
        c(param, inner, "Pattern");
      }
      c(node.body, inner, node.expression ? "Expression" : "Statement");
    },
    Class(node, current, c) {
      const inner = scope(current, false);
      scopes.set(node, inner);
      if (node.id) (node.type === "ClassDeclaration" ? current : inner).names.add(node.id.name);
      if (node.superClass) c(node.superClass, inner, "Expression");
      c(node.body, inner);
    },
    VariableDeclaration(node, current, c) {
      const target = node.kind === "var" ? functionOf(current) : current;
      for (const d of node.declarations) {
        for (const id of patternNames(d.id)) target.names.add(id.name);
      }
      base.VariableDeclaration(node, current, c);
    },
    ImportDeclaration(node, current) {
      for (const s of node.specifiers) current.names.add(s.local.name);
    },
  };
  for (const type of BLOCK_SCOPES) {
    walkers[type] = (node, current, c) => {
      // A function's body is a scope of its own, inside its parameters' (whose defaults do not
      // see the body's declarations), and the one its `var`s belong to.
      const inner = scope(current, bodies.has(node) || node.type === "StaticBlock");
      scopes.set(node, inner);
      if (node.type === "CatchClause" && node.param) {
        for (const id of patternNames(node.param)) inner.names.add(id.name);
      }
      base[type](node, inner, c);
    };
  }
  recurse(program, top, walkers);
  return scopes;
}

// Pass 2: every identifier that is read or written (or only asked its `typeof`), with its scope.
function findUses(
  program: Node,
  scopes: Map<Node, Scope>,
  use: (id: Node, scope: Scope, write: boolean, typeofOnly?: boolean) => void,
): void {
  const walkPattern = (pattern: Node, scope: Scope, write: boolean, c: Visit<Scope>): void => {
    switch (pattern.type) {
      case "Identifier":
        use(pattern, scope, write);
        break;
      case "ObjectPattern":
        for (const p of pattern.properties) {
          if (p.type === "RestElement") walkPattern(p.argument, scope, write, c);
          else {
            if (p.computed) c(p.key, scope, "Expression");
            walkPattern(p.value, scope, write, c);
          }
        }
        break;
      case "ArrayPattern":
        for (const element of pattern.elements) if (element) walkPattern(element, scope, write, c);
        break;
      case "RestElement":
        walkPattern(pattern.argument, scope, write, c);
        break;
      case "AssignmentPattern":
        walkPattern(pattern.left, scope, write, c);
        c(pattern.right, scope, "Expression");
        break;
      default:
        c(pattern, scope, "Expression"); // a member expression as an assignment target
    }
  };
  const walkers: Walkers<Scope> = {
    Identifier: (node, scope) => use(node, scope, false),
    Pattern: (node, scope, c) => walkPattern(node, scope, false, c),
    VariableDeclarator(node, scope, c) {
      walkPattern(node.id, scope, false, c);
      if (node.init) c(node.init, scope, "Expression");
    },
    Function(node, scope, c) {
      const inner = scopes.get(node)!;
      for (const param of node.params) walkPattern(param, inner, false, c);
      if (node.body.type === "BlockStatement") {
        const body = scopes.get(node.body)!;
        for (const s of node.body.body) c(s, body, "Statement");
      } else c(node.body, inner, "Expression");
    },
    SwitchStatement(node, scope, c) {
      // The discriminant is outside the scope of the switch's cases.
      c(node.discriminant, scope, "Expression");
      for (const switchCase of node.cases) c(switchCase, scopes.get(node)!);
    },
    Class(node, scope, c) {
      const inner = scopes.get(node)!;
      if (node.superClass) c(node.superClass, inner, "Expression");
      c(node.body, inner);
    },
    CatchClause(node, scope, c) {
      const inner = scopes.get(node)!;
      if (node.param) walkPattern(node.param, inner, false, c);
      c(node.body, inner, "Statement");
    },
    AssignmentExpression(node, scope, c) {
      walkPattern(node.left, scope, true, c);
      c(node.right, scope, "Expression");
    },
    UpdateExpression(node, scope, c) {
      if (node.argument.type === "Identifier") use(node.argument, scope, true);
      else c(node.argument, scope, "Expression");
    },
    UnaryExpression(node, scope, c) {
      if (node.operator === "typeof" && node.argument.type === "Identifier") {
        use(node.argument, scope, false, true);
      } else c(node.argument, scope, "Expression");
    },
    ImportDeclaration() {},
  };
  for (const type of ["ForInStatement", "ForOfStatement"]) {
    walkers[type] = (node, _scope, c) => {
      const inner = scopes.get(node)!;
      if (node.left.type === "VariableDeclaration") c(node.left, inner);
      else walkPattern(node.left, inner, true, c);
      c(node.right, inner, "Expression");
      c(node.body, inner, "Statement");
    };
  }
  for (const type of ["BlockStatement", "StaticBlock", "ForStatement"]) {
    walkers[type] = (node, scope, c) => base[type](node, scopes.get(node) ?? scope, c);
  }
  recurse(program, scopes.get(program)!, walkers);
}

// Why a node cannot be in a cell's function (or must not reach it), or null.
function refusal(node: Node): string | null {
  if (node.type === "ImportExpression") {
    return 'A cell cannot import() a module at run time; import it at the top: import { … } from "engine"';
  }
  if (node.type === "MetaProperty" && node.meta.name === "import") {
    return "import.meta is not available in a cell (a cell is not a module file); remove it";
  }
  // (acorn-walk visits no property's name: `o.__nb` and `{ __nb: 1 }` are fine.)
  const named =
    (node.type === "Identifier" && node.name === NB) ||
    (node.type === "ImportDeclaration" && node.specifiers.some((s: Node) => s.local.name === NB));
  return named ? `${NB} is the kernel's own name in a compiled cell; choose another name` : null;
}

// What acorn accepts in a module but a cell's function cannot hold: the first such node, and why.
function refused(program: Node): { node: Node; message: string } | null {
  let found: { node: Node; message: string } | null = null;
  walk.full(program as never, (node) => {
    const message = refusal(node as unknown as Node);
    if (message && (!found || node.start < found.node.start)) {
      found = { node: node as unknown as Node, message };
    }
  });
  return found;
}

/** A function of a cell: where it is in the cell's source, and its name (null: anonymous). */
interface FunctionRange {
  name: string | null;
  start: Place;
  end: Place;
}

// A function's name as a reader would say it: its own, or the name it is given (`const f = () =>
// …`, `f = function () …`, `{ f() {} }`, `class { f() {} }`).
function functionName(node: Node, parent: Node | undefined): string | null {
  if (node.id?.name) return node.id.name;
  const key = (n: Node | undefined) =>
    n?.type === "Identifier" ? n.name : n?.type === "PrivateIdentifier" ? `#${n.name}` : null;
  if (!parent) return null;
  if (parent.type === "VariableDeclarator" && parent.init === node) return key(parent.id);
  if (parent.type === "AssignmentExpression" && parent.right === node) {
    return key(parent.left.type === "MemberExpression" ? parent.left.property : parent.left);
  }
  if (["Property", "MethodDefinition", "PropertyDefinition"].includes(parent.type) && !parent.computed) {
    return key(parent.key);
  }
  return null;
}

// The cell's functions, with their names and where they are in the source.
function functionRanges(program: Node, at: (offset: number) => Place): FunctionRange[] {
  const ranges: FunctionRange[] = [];
  walk.fullAncestor(program as never, (raw, _state, ancestors) => {
    const node = raw as unknown as Node;
    if (!/^(FunctionDeclaration|FunctionExpression|ArrowFunctionExpression)$/.test(node.type)) return;
    const parent = ancestors.at(-2) as unknown as Node | undefined;
    ranges.push({ name: functionName(node, parent), start: at(node.start), end: at(node.end) });
  });
  return ranges;
}

const before = (a: Place, b: Place) => a.line < b.line || (a.line === b.line && a.column <= b.column);

// A cell's imports (local to it), and the names they bind; an `export` is refused.
function cellImports(program: Node, at: (offset: number) => Place): { imports: CellImport[]; local: Set<string> } {
  const imports: CellImport[] = [];
  const local = new Set<string>();
  for (const node of program.body as Node[]) {
    if (node.type === "ImportDeclaration") {
      if (node.importKind === "type") continue;
      imports.push({
        module: String(node.source.value),
        ...at(node.source.start),
        names: node.specifiers.map((s: Node) => ({
          local: s.local.name,
          imported:
            s.type === "ImportNamespaceSpecifier"
              ? "*"
              : s.type === "ImportDefaultSpecifier"
                ? "default"
                : (s.imported.name ?? String(s.imported.value)),
          ...at(s.start),
        })),
      });
      for (const s of node.specifiers) local.add(s.local.name);
    } else if (node.type.startsWith("Export")) {
      throw new CellSyntaxError(
        "A cell cannot export: its top-level names are shared with other cells as they are; " +
          "remove `export`",
        at(node.start),
      );
    }
  }
  return { imports, local };
}

/** Compiles a cell. Throws a CellSyntaxError (line and column in the cell) when it cannot. */
export function compileCell(source: string, options: { sourceURL?: string } = {}): CompiledCell {
  if (source.startsWith("#!")) {
    throw new CellSyntaxError("A cell cannot start with #! (a hashbang line): remove that line", {
      line: 1,
      column: 1,
    });
  }
  const { js, toSource } = stripTypes(source);
  const program = parseModule(js, toSource);
  const scopes = declareScopes(program);
  const top = scopes.get(program)!;
  const at = (offset: number) => toSource(lineColumn(js, offset));

  // Imports: local to the cell, bound on the function's first line.
  const { imports, local } = cellImports(program, at);
  const refusedNode = refused(program);
  if (refusedNode) throw new CellSyntaxError(refusedNode.message, at(refusedNode.node.start));

  // Free names: read (inputs) and written (errors); globals and the kernel's are not inputs.
  const reads = new Map<string, Place>();
  const hardReads = new Set<string>();
  const assigns: ({ name: string } & Place)[] = [];
  const kernel = new Set<string>();
  findUses(program, scopes, (id, scope, write, typeofOnly = false) => {
    for (let s: Scope | null = scope; s; s = s.parent) if (s.names.has(id.name)) return;
    if (id.name === "arguments") {
      throw new CellSyntaxError(
        "arguments is not available at a cell's top level (a cell is not a function you call); " +
          "inside a function of the cell it is that function's arguments",
        at(id.start),
      );
    }
    if (write) {
      assigns.push({ name: id.name, ...at(id.start) });
      return;
    }
    if ((KERNEL_GLOBALS as readonly string[]).includes(id.name)) kernel.add(id.name);
    else if (!STANDARD_GLOBALS.has(id.name)) {
      if (!reads.has(id.name)) reads.set(id.name, at(id.start));
      if (!typeofOnly) hardReads.add(id.name);
    }
  });
  const declares = [...top.names].filter((name) => !local.has(name));
  const functions = functionRanges(program, at);
  const declaresAt: Record<string, Place> = {};
  for (const node of program.body as Node[]) {
    const ids =
      node.type === "VariableDeclaration"
        ? node.declarations.flatMap((d: Node) => patternNames(d.id))
        : (node.type === "FunctionDeclaration" || node.type === "ClassDeclaration") && node.id
          ? [node.id]
          : [];
    for (const id of ids) declaresAt[id.name] ??= at(id.start);
  }

  // The value of a last expression statement is the cell's value.
  const last = program.body[program.body.length - 1] as Node | undefined;
  // (Even a lone string, which acorn reads as a directive: a cell that is only "hello" shows it.)
  const hasValue = !!last && last.type === "ExpressionStatement";
  const open = `${NB}.value((`;
  let body = js;
  if (hasValue) {
    const expression = last!.expression as Node;
    body =
      js.slice(0, expression.start) + open + js.slice(expression.start, expression.end) + "))" +
      js.slice(expression.end);
  }
  // Blank the imports (keeping their lines) and bind them on the first line.
  const blanks = (program.body as Node[])
    .filter((node) => node.type === "ImportDeclaration")
    .sort((a, b) => b.start - a.start);
  const shift = hasValue ? open.length : 0;
  for (const node of blanks) {
    const text = js.slice(node.start, node.end).replace(/[^\n]/g, " ");
    body = body.slice(0, node.start) + text + body.slice(node.end);
  }
  const bindings = imports.map((entry, index) => {
    const named = entry.names.filter((n) => n.imported !== "*");
    const namespace = entry.names.find((n) => n.imported === "*");
    const parts: string[] = [];
    if (namespace) parts.push(`const ${namespace.local} = ${NB}.imports[${index}];`);
    if (named.length) {
      const fields = named.map((n) => `${JSON.stringify(n.imported)}: ${n.local}`);
      parts.push(`const { ${fields.join(", ")} } = ${NB}.imports[${index}];`);
    }
    return parts.join(" ");
  });
  const params = [...reads.keys(), ...KERNEL_GLOBALS.filter((name) => kernel.has(name))];
  const header =
    `(async function (${[...params, NB].join(", ")}) { "use strict"; ${bindings.join(" ")}`;
  // No `//# sourceMappingURL` (so nothing to encode): with source maps on, Node rewrites the
  // stack frames of such code to the map's source (measured, Node 24 --enable-source-maps:
  // "at eval (/tmp/cell.ts:2:1)" instead of "nb-cell-a-1.js:2:6"), and the kernel could no longer
  // tell which cell a frame is in. `position` maps frames back instead.
  const sourceURL = options.sourceURL ?? "cell.js";
  const code =
    `${header}\n${body}\nreturn { ${declares.join(", ")} };\n})\n//# sourceURL=${sourceURL}`;

  const valueStart = hasValue ? lineColumn(js, (last!.expression as Node).start) : null;
  const position = (line: number, column: number): Place => {
    // Line 1 of `code` is the header: the cell's line n is line n + 1.
    const jsLine = Math.max(1, line - 1);
    let jsColumn = column;
    if (valueStart && jsLine === valueStart.line && column > valueStart.column) {
      jsColumn = Math.max(valueStart.column, column - shift);
    }
    return toSource({ line: jsLine, column: jsColumn });
  };

  return {
    code,
    params,
    declares,
    declaresAt,
    reads: [...reads.keys()],
    readAt: Object.fromEntries(reads),
    softReads: [...reads.keys()].filter((name) => !hardReads.has(name)),
    assigns,
    imports,
    hasValue,
    position,
    functionAt(place) {
      let inner: FunctionRange | null = null;
      for (const f of functions) {
        if (before(f.start, place) && before(place, f.end) && (!inner || before(inner.start, f.start))) {
          inner = f;
        }
      }
      return inner ? { name: inner.name } : null;
    },
  };
}
