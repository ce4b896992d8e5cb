/**
 * Turns a cell's source into a function that runs in the notebook scope.
 *
 * The notebook scope is the kernel's global object: top-level declarations of
 * a cell become global properties, so later cells (and closures made by
 * earlier cells) see the current value, and re-running a cell assigns again
 * instead of failing with "already declared". The rewrite works on the parsed
 * JavaScript (acorn) and never adds or removes a line, so positions in the
 * generated code are the cell's positions:
 *
 * - `const/let/var a = 1, {b} = o` → `;(a = 1), ({b} = o)`
 * - `function f() {}` → renamed `__tailor_fn_f`, declared as `f` before the body runs (hoisting kept)
 * - `class A {}` → `;A = class A {};`
 * - `import * as tf from '@tensorflow/tfjs'` → assignments from the module table, before the body (as ESM hoists)
 * - a trailing expression → `return (expr)`, the cell's result
 *
 * The body runs inside `async function`, so top-level `await` works.
 */
import { parse, type Node, type Pattern, type Program, type Statement, type ModuleDeclaration } from 'acorn';
import { positionOf, stripTypes } from './transpile.ts';

export const FUNCTION_PREFIX = '__tailor_fn_';

/** The object a compiled cell gets as its single parameter. */
export interface CellContext {
  /** Creates the global bindings before the body runs; `values` gives hoisted functions. */
  declare(names: string[], values?: Record<string, unknown>): void;
  /** The module namespace for a specifier of the module table. */
  module(specifier: string): Record<string, unknown>;
  /** `import x from …`: the default export, or the namespace when there is none. */
  importDefault(specifier: string): unknown;
  /** `import {x} from …`: one export; throws naming the module's exports when missing. */
  importName(specifier: string, name: string): unknown;
}

export type CompiledCell = {
  ok: true;
  run: (context: CellContext) => Promise<unknown>;
  /** The top-level names the cell declares. */
  names: string[];
  /** How many generated characters precede the cell's first line (line 1 columns only). */
  columnOffset: number;
};
export type CompileFailure = { ok: false; error: SyntaxError & { loc?: { line: number; column: number } } };

interface Edit {
  start: number;
  end: number;
  text: string;
}

/**
 * Compiles a cell. `sourceName` ends up in stack frames (`//# sourceURL`), so
 * tracebacks can be mapped back; `modules` lists the importable specifiers.
 * Syntax errors and unknown imports come back as a failure, never thrown.
 */
export function compileCell(source: string, sourceName: string, modules: readonly string[]): CompiledCell | CompileFailure {
  let js: string;
  let program: Program;
  try {
    js = stripTypes(source);
    program = parse(js, { ecmaVersion: 'latest', sourceType: 'module', allowAwaitOutsideFunction: true });
  } catch (error) {
    const e = error as SyntaxError & { loc?: { line: number; column: number } };
    const failure = new SyntaxError(String(e.message).replace(/\s*\(\d+:\d+\)\s*$/, '')) as CompileFailure['error'];
    if (e.loc) failure.loc = { line: e.loc.line, column: e.loc.column };
    return { ok: false, error: failure };
  }
  const rewrite = rewriteProgram(js, program, modules);
  if ('error' in rewrite) return { ok: false, error: rewrite.error };
  const prologue =
    `__tailor.declare(${JSON.stringify(rewrite.names)}, {${rewrite.functions.map((f) => `${JSON.stringify(f)}: ${FUNCTION_PREFIX}${f}`).join(', ')}});` +
    rewrite.imports.join('');
  // One line: the wrapper and the prologue share the cell's first line.
  const head = `(async function __tailor_cell(__tailor) {"use strict"; ${prologue}`;
  const code = `${head}${applyEdits(js, rewrite.edits)}\n})\n//# sourceURL=${sourceName}`;
  try {
    // Indirect eval: global scope, no access to this module's variables.
    const run = (0, eval)(code) as CompiledCell['run'];
    return { ok: true, run, names: rewrite.names, columnOffset: head.length };
  } catch (error) {
    // The rewrite produced code the engine rejects (e.g. a reserved name): report it as the cell's syntax error.
    const failure = new SyntaxError((error as Error).message) as CompileFailure['error'];
    return { ok: false, error: failure };
  }
}

interface Rewrite {
  edits: Edit[];
  names: string[];
  functions: string[];
  imports: string[];
}

function rewriteProgram(js: string, program: Program, modules: readonly string[]): Rewrite | { error: CompileFailure['error'] } {
  const out: Rewrite = { edits: [], names: [], functions: [], imports: [] };
  const fail = (message: string, node: Node) => {
    const error = new SyntaxError(message) as CompileFailure['error'];
    error.loc = positionOf(js, node.start);
    return { error };
  };
  const body = program.body;
  for (let i = 0; i < body.length; i++) {
    let statement: Statement | ModuleDeclaration = body[i];
    if (statement.type === 'ExportNamedDeclaration' && statement.declaration) {
      out.edits.push({ start: statement.start, end: statement.declaration.start, text: '' });
      statement = statement.declaration;
    } else if (statement.type.startsWith('Export')) {
      return fail('export is not needed in a notebook cell: top-level declarations are already visible to later cells', statement);
    }
    switch (statement.type) {
      case 'ImportDeclaration': {
        const specifier = String(statement.source.value);
        if (!modules.includes(specifier)) {
          return fail(`Cannot find module '${specifier}'. Available modules: ${modules.join(', ')}`, statement.source);
        }
        const from = JSON.stringify(specifier);
        const parts = statement.specifiers.map((s) => {
          out.names.push(s.local.name);
          if (s.type === 'ImportNamespaceSpecifier') return `${s.local.name} = __tailor.module(${from});`;
          if (s.type === 'ImportDefaultSpecifier') return `${s.local.name} = __tailor.importDefault(${from});`;
          const imported = s.imported.type === 'Identifier' ? s.imported.name : String(s.imported.value);
          return `${s.local.name} = __tailor.importName(${from}, ${JSON.stringify(imported)});`;
        });
        out.imports.push(parts.length ? parts.join(' ') : `__tailor.module(${from});`);
        out.edits.push({ start: statement.start, end: statement.end, text: blank(js.slice(statement.start, statement.end)) });
        break;
      }
      case 'VariableDeclaration': {
        const first = statement.declarations[0];
        out.edits.push({ start: statement.start, end: first.start, text: ';' });
        for (const [k, d] of statement.declarations.entries()) {
          out.names.push(...patternNames(d.id));
          if (k > 0) out.edits.push({ start: statement.declarations[k - 1].end, end: d.start, text: ', ' + newlines(js.slice(statement.declarations[k - 1].end, d.start)) });
          if (d.init) {
            out.edits.push({ start: d.start, end: d.start, text: '(' }, { start: d.end, end: d.end, text: ')' });
          } else {
            // `let x;` resets, `var x;` keeps the value (as a var re-declaration does).
            const id = js.slice(d.start, d.end);
            out.edits.push({ start: d.start, end: d.end, text: statement.kind === 'var' ? `(void 0)` : `(${id} = undefined)` });
          }
        }
        break;
      }
      case 'FunctionDeclaration': {
        const id = statement.id!;
        out.names.push(id.name);
        out.functions.push(id.name);
        out.edits.push({ start: id.start, end: id.end, text: FUNCTION_PREFIX + id.name });
        break;
      }
      case 'ClassDeclaration': {
        const id = statement.id!;
        out.names.push(id.name);
        out.edits.push({ start: statement.start, end: statement.start, text: `;${id.name} = ` }, { start: statement.end, end: statement.end, text: ';' });
        break;
      }
      case 'ExpressionStatement': {
        if (i === body.length - 1) {
          // The statement's span includes parentheses around the expression (`({a})`), the expression's does not.
          const end = js[statement.end - 1] === ';' ? statement.end - 1 : statement.end;
          out.edits.push({ start: statement.start, end: statement.start, text: 'return (' }, { start: end, end, text: ')' });
        }
        break;
      }
      default:
        break;
    }
  }
  out.names = [...new Set(out.names)];
  return out;
}

/** The names a binding pattern declares (`{a, b: [c, ...d]}` → a, c, d). */
function patternNames(pattern: Pattern): string[] {
  switch (pattern.type) {
    case 'Identifier':
      return [pattern.name];
    case 'ObjectPattern':
      return pattern.properties.flatMap((p) => (p.type === 'RestElement' ? patternNames(p.argument) : patternNames(p.value)));
    case 'ArrayPattern':
      return pattern.elements.flatMap((e) => (e ? patternNames(e) : []));
    case 'AssignmentPattern':
      return patternNames(pattern.left);
    case 'RestElement':
      return patternNames(pattern.argument);
    default:
      return [];
  }
}

/** Replaces text by the same number of line breaks, so later lines keep their numbers. */
function blank(text: string): string {
  return newlines(text);
}

function newlines(text: string): string {
  return '\n'.repeat(text.split('\n').length - 1);
}

function applyEdits(js: string, edits: Edit[]): string {
  // Stable order: by position, inserts at the same point in the order they were made.
  const sorted = edits.map((e, i) => ({ ...e, i })).sort((a, b) => a.start - b.start || a.end - b.end || a.i - b.i);
  let out = '';
  let at = 0;
  for (const e of sorted) {
    out += js.slice(at, e.start) + e.text;
    at = Math.max(at, e.end);
  }
  return out + js.slice(at);
}
