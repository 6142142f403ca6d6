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
  return message.replace(/\s*\(\d+:\d+\)$/, "");
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
  const segments = decodeMappings(result.sourceMap?.mappings ?? "");
  const toSource = ({ line, column }: Place): Place => {
    // The last segment at or before the column, on the same line (sucrase keeps lines).
    const row = segments[line - 1] ?? [];
    let best: number[] | null = null;
    for (const segment of row) {
      if (segment[0] <= column - 1) best = segment;
      else break;
    }
    if (!best || best[2] !== line - 1) return { line, column };
    return { line, column: best[3] + (column - 1 - best[0]) + 1 };
  };
  return { js: result.code, toSource };
}

// Source map "mappings" → per generated line, [generatedColumn, source, sourceLine, sourceColumn].
function decodeMappings(mappings: string): number[][][] {
  const lines: number[][][] = [];
  const state = [0, 0, 0, 0];
  for (const text of mappings.split(";")) {
    const row: number[][] = [];
    state[0] = 0;
    for (const segment of text.split(",")) {
      if (!segment) continue;
      const values: number[] = [];
      let value = 0;
      let shift = 0;
      for (const char of segment) {
        const digit = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".indexOf(
          char,
        );
        value += (digit & 31) << shift;
        if (digit & 32) shift += 5;
        else {
          values.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      for (let i = 0; i < values.length && i < 4; i++) state[i] += values[i];
      if (values.length >= 4) row.push([...state]);
    }
    lines.push(row);
  }
  return lines;
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

// The child nodes of a node, in source order.
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

const BLOCK_SCOPES = new Set([
  "ForStatement",
  "ForInStatement",
  "ForOfStatement",
  "SwitchStatement",
  "CatchClause",
  "StaticBlock",
]);

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
  const visit = (node: Node, current: Scope) => {
    let inner = current;
    if (isFunction(node)) {
      inner = scope(current, true);
      scopes.set(node, inner);
      if (node.body.type === "BlockStatement") bodies.add(node.body);
      if (node.type === "FunctionDeclaration" && node.id) current.names.add(node.id.name);
      if (node.type === "FunctionExpression" && node.id) inner.names.add(node.id.name);
      // Arrow functions see their surroundings' `arguments`; other functions have their own.
      if (node.type !== "ArrowFunctionExpression") inner.names.add("arguments");
      for (const param of node.params) {
        for (const id of patternNames(param)) inner.names.add(id.name);
      }
    } else if (node.type === "ClassDeclaration" || node.type === "ClassExpression") {
      inner = scope(current, false);
      scopes.set(node, inner);
      if (node.id) (node.type === "ClassDeclaration" ? current : inner).names.add(node.id.name);
    } else if (node.type === "BlockStatement" || BLOCK_SCOPES.has(node.type)) {
      // A function's body is a scope of its own, inside its parameters' (whose defaults do not
      // see the body's declarations), and the one its `var`s belong to.
      inner = scope(current, bodies.has(node) || node.type === "StaticBlock");
      scopes.set(node, inner);
      if (node.type === "CatchClause" && node.param) {
        for (const id of patternNames(node.param)) inner.names.add(id.name);
      }
    } else if (node.type === "VariableDeclaration") {
      const target = node.kind === "var" ? functionOf(current) : current;
      for (const d of node.declarations) {
        for (const id of patternNames(d.id)) target.names.add(id.name);
      }
    } else if (node.type === "ImportDeclaration") {
      for (const s of node.specifiers) current.names.add(s.local.name);
    }
    for (const child of children(node)) visit(child, inner);
  };
  for (const statement of program.body) visit(statement, top);
  return scopes;
}

// Pass 2: every identifier that is read or written (or only asked its `typeof`), with its scope.
function findUses(
  program: Node,
  scopes: Map<Node, Scope>,
  use: (id: Node, scope: Scope, write: boolean, typeofOnly?: boolean) => void,
): void {
  const walkPattern = (pattern: Node, scope: Scope, write: boolean) => {
    switch (pattern.type) {
      case "Identifier":
        use(pattern, scope, write);
        break;
      case "ObjectPattern":
        for (const p of pattern.properties) {
          if (p.type === "RestElement") walkPattern(p.argument, scope, write);
          else {
            if (p.computed) walk(p.key, scope);
            walkPattern(p.value, scope, write);
          }
        }
        break;
      case "ArrayPattern":
        for (const element of pattern.elements) if (element) walkPattern(element, scope, write);
        break;
      case "RestElement":
        walkPattern(pattern.argument, scope, write);
        break;
      case "AssignmentPattern":
        walkPattern(pattern.left, scope, write);
        walk(pattern.right, scope);
        break;
      default:
        walk(pattern, scope); // a member expression as an assignment target
    }
  };
  const walk = (node: Node, scope: Scope): void => {
    const inner = scopes.get(node) ?? scope;
    switch (node.type) {
      case "Identifier":
        use(node, scope, false);
        return;
      case "VariableDeclarator":
        walkPattern(node.id, scope, false);
        if (node.init) walk(node.init, scope);
        return;
      case "FunctionDeclaration":
      case "FunctionExpression":
      case "ArrowFunctionExpression":
        for (const param of node.params) walkPattern(param, inner, false);
        if (node.body.type === "BlockStatement") {
          const body = scopes.get(node.body)!;
          for (const s of node.body.body) walk(s, body);
        } else walk(node.body, inner);
        return;
      case "SwitchStatement":
        // The discriminant is outside the scope of the switch's cases.
        walk(node.discriminant, scope);
        for (const c of node.cases) walk(c, inner);
        return;
      case "ClassDeclaration":
      case "ClassExpression":
        if (node.superClass) walk(node.superClass, inner);
        walk(node.body, inner);
        return;
      case "CatchClause":
        if (node.param) walkPattern(node.param, inner, false);
        walk(node.body, inner);
        return;
      case "AssignmentExpression":
        walkPattern(node.left, scope, true);
        walk(node.right, scope);
        return;
      case "UpdateExpression":
        if (node.argument.type === "Identifier") use(node.argument, scope, true);
        else walk(node.argument, scope);
        return;
      case "UnaryExpression":
        if (node.operator === "typeof" && node.argument.type === "Identifier") {
          use(node.argument, scope, false, true);
        } else walk(node.argument, scope);
        return;
      case "ForInStatement":
      case "ForOfStatement":
        if (node.left.type === "VariableDeclaration") walk(node.left, inner);
        else walkPattern(node.left, inner, true);
        walk(node.right, inner);
        walk(node.body, inner);
        return;
      case "MemberExpression":
        walk(node.object, scope);
        if (node.computed) walk(node.property, scope);
        return;
      case "Property":
      case "MethodDefinition":
      case "PropertyDefinition":
        if (node.computed) walk(node.key, scope);
        if (node.value) walk(node.value, scope);
        return;
      case "LabeledStatement":
        walk(node.body, scope);
        return;
      case "ImportDeclaration":
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
  for (const statement of program.body) walk(statement, scopes.get(program)!);
}

// What acorn accepts in a module but a cell's function cannot hold (or must not reach): the first
// such node, and why.
function refused(node: Node): { node: Node; message: string } | null {
  if (node.type === "ImportExpression") {
    return {
      node,
      message:
        'A cell cannot import() a module at run time; import it at the top: import { … } from "engine"',
    };
  }
  if (node.type === "MetaProperty" && node.meta.name === "import") {
    return {
      node,
      message: "import.meta is not available in a cell (a cell is not a module file); remove it",
    };
  }
  if (node.type === "Identifier" && node.name === NB) {
    return { node, message: `${NB} is the kernel's own name in a compiled cell; choose another name` };
  }
  for (const child of children(node)) {
    // A property's name is not a name in scope (`o.__nb`, `{ __nb: 1 }`).
    const isKey =
      !node.computed &&
      ((node.type === "MemberExpression" && child === node.property) ||
        (["Property", "MethodDefinition", "PropertyDefinition"].includes(node.type) &&
          child === node.key));
    const found = isKey ? null : refused(child);
    if (found) return found;
  }
  return null;
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
  const refusal = refused(program);
  if (refusal) throw new CellSyntaxError(refusal.message, at(refusal.node.start));

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
  };
}
