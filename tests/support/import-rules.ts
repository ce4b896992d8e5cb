/**
 * The layer map of DESIGN.md as a checker. It reads TypeScript sources with
 * the TypeScript parser (so comments and strings never count), collects every
 * edge — `import`, `export … from`, `import()`, `require()`, `import('x').T`
 * type references and `new URL('…', import.meta.url)` module references —
 * and reports each edge the layer table forbids, plus uses of globals a
 * layer must not touch.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative } from 'node:path';
import ts from 'typescript';

export interface SourceFile {
  /** Repository-relative path with forward slashes, e.g. `src/model/cell.ts`. */
  readonly path: string;
  readonly text: string;
}

export interface ImportEdge {
  readonly file: string;
  readonly line: number;
  readonly specifier: string;
  readonly kind: 'import' | 'export' | 'dynamic import' | 'require' | 'type import' | 'module URL';
  /** True when the edge carries types only (erased at build time). */
  readonly typeOnly: boolean;
}

export interface Violation {
  readonly file: string;
  readonly line: number;
  /** The import specifier or the global's name. */
  readonly what: string;
  readonly rule: string;
}

/** Layers are the first two path segments under `src/` and `kernels/`; `src/main.ts` and friends are the layer `src`. */
export function layerOf(path: string): string | undefined {
  const parts = path.split('/');
  if (parts[0] !== 'src' && parts[0] !== 'kernels') return undefined;
  if (parts.length === 2) return parts[0];
  return `${parts[0]}/${parts[1]}`;
}

/** Where an import points: `{layer, path}` for our files, `{pkg}` for packages (`@scope/name`, `name`, `node:fs`). */
export function resolveTarget(file: string, specifier: string): { path?: string; layer?: string; pkg?: string } {
  const bare = specifier.replace(/\?.*$/, ''); // Vite suffixes such as ?worker, ?url
  if (bare.startsWith('.') || bare.startsWith('/')) {
    const path = posix.normalize(posix.join(posix.dirname(file), bare));
    return { path, layer: layerOf(path) };
  }
  const parts = bare.split('/');
  return { pkg: bare.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0] };
}

const isSrc = (layer: string | undefined) => layer !== undefined && (layer === 'src' || layer.startsWith('src/'));
const UI_PACKAGES = (pkg: string) => pkg === 'lit' || pkg.startsWith('@lit/') || pkg.startsWith('@codemirror/');
const TFJS = (pkg: string) => pkg.startsWith('@tensorflow/');

/** Layers whose files are entries, not re-exported through an index (the worker and Node hosts). */
const ENTRY_LAYERS = new Set(['kernels/host', 'src']);

type Rule = (target: ReturnType<typeof resolveTarget>, edge: ImportEdge) => string | undefined;

/** DESIGN.md's layer table: per layer, the reason an edge is forbidden, or undefined. */
export const LAYER_RULES: Record<string, Rule> = {
  'kernels/protocol': (t) =>
    t.layer === 'kernels/protocol' ? undefined : 'kernels/protocol imports nothing (only its own files)',
  'kernels/transfer': (t) => {
    if (t.layer === 'kernels/protocol') return 'kernels/transfer must not import kernels/protocol';
    if (t.layer === 'kernels/runtime' || t.layer === 'kernels/host') return `kernels/transfer must not import ${t.layer} (it sits below them)`;
    if (isSrc(t.layer)) return 'kernels/transfer must not import src/**';
    if (t.pkg && UI_PACKAGES(t.pkg)) return `kernels/transfer must not import page UI packages (${t.pkg})`;
    return undefined;
  },
  'kernels/runtime': (t) => {
    if (isSrc(t.layer)) return 'kernels/runtime must not import src/**';
    if (t.layer === 'kernels/host') return 'kernels/runtime must not import kernels/host (the hosts wrap the runtime)';
    if (t.pkg && UI_PACKAGES(t.pkg)) return `kernels/runtime must not import page UI packages (${t.pkg})`;
    return undefined;
  },
  'kernels/host': (t) => {
    if (isSrc(t.layer)) return 'kernels/host must not import src/**';
    if (t.pkg && UI_PACKAGES(t.pkg)) return `kernels/host must not import page UI packages (${t.pkg})`;
    return undefined;
  },
  'src/model': (t, edge) => {
    if (t.pkg && (UI_PACKAGES(t.pkg) || TFJS(t.pkg))) return `src/model must not import ${t.pkg} (no Lit, CodeMirror or TensorFlow.js in the model)`;
    if (t.layer === 'kernels/protocol') return edge.typeOnly ? undefined : 'src/model may import kernels/protocol for types only (use `import type`)';
    if (t.layer?.startsWith('kernels/')) return `src/model must not import ${t.layer}`;
    if (isSrc(t.layer) && t.layer !== 'src/model') return `src/model must not import ${t.layer} (the views depend on the model, not the other way)`;
    return undefined;
  },
};

/** The rule for all other `src/**` layers. */
const srcRule: Rule = (t) => {
  if (t.pkg && TFJS(t.pkg)) return `src/** must not import ${t.pkg} (TensorFlow.js runs in the kernel)`;
  if (t.layer === 'kernels/runtime' || t.layer === 'kernels/transfer') return `src/** must not import ${t.layer} (talk to the kernel through kernels/protocol)`;
  return undefined;
};

/** Globals a layer must not touch (DESIGN.md: the runtime takes a `send` callback; the model has no DOM). */
export const FORBIDDEN_GLOBALS: Record<string, readonly string[]> = {
  'kernels/protocol': ['window', 'document', 'self', 'postMessage'],
  'kernels/runtime': ['self', 'postMessage', 'window'],
  'src/model': ['window', 'document', 'self', 'postMessage', 'localStorage', 'indexedDB'],
};

const parsed = new WeakMap<SourceFile, ts.SourceFile>();
function parse(file: SourceFile): ts.SourceFile {
  let source = parsed.get(file);
  if (!source) {
    source = ts.createSourceFile(file.path, file.text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    parsed.set(file, source);
  }
  return source;
}

/** Every import-like edge in one file. */
export function findImports(file: SourceFile): ImportEdge[] {
  const source = parse(file);
  const edges: ImportEdge[] = [];
  const add = (node: ts.Node, specifier: string, kind: ImportEdge['kind'], typeOnly: boolean) =>
    edges.push({ file: file.path, line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1, specifier, kind, typeOnly });
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const typeOnly =
        !!clause &&
        (clause.isTypeOnly ||
          (!clause.name &&
            !!clause.namedBindings &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.length > 0 &&
            clause.namedBindings.elements.every((e) => e.isTypeOnly)));
      add(node, node.moduleSpecifier.text, 'import', typeOnly);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const typeOnly =
        node.isTypeOnly ||
        (!!node.exportClause && ts.isNamedExports(node.exportClause) && node.exportClause.elements.length > 0 && node.exportClause.elements.every((e) => e.isTypeOnly));
      add(node, node.moduleSpecifier.text, 'export', typeOnly);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
      add(node, node.moduleReference.expression.text, 'require', node.isTypeOnly);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      add(node, node.argument.literal.text, 'type import', true);
    } else if (ts.isCallExpression(node)) {
      const [arg] = node.arguments;
      const literal = arg && (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg)) ? arg.text : undefined;
      if (node.expression.kind === ts.SyntaxKind.ImportKeyword) add(node, literal ?? '<computed>', 'dynamic import', false);
      else if (ts.isIdentifier(node.expression) && node.expression.text === 'require' && literal) add(node, literal, 'require', false);
    } else if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'URL' && node.arguments?.length === 2) {
      const [arg, base] = node.arguments;
      const isImportMeta = ts.isPropertyAccessExpression(base) && ts.isMetaProperty(base.expression) && base.name.text === 'url';
      if (isImportMeta && ts.isStringLiteral(arg) && /\.(m?[jt]s)(\?.*)?$/.test(arg.text)) add(node, arg.text, 'module URL', false);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edges;
}

/** Uses of `names` as free globals (not property names, not locally declared). */
export function findGlobalUses(file: SourceFile, names: readonly string[]): { line: number; name: string }[] {
  if (names.length === 0) return [];
  const source = parse(file);
  const declared = new Set<string>();
  const uses: { line: number; name: string; node: ts.Identifier }[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isVariableDeclaration(node) || ts.isParameter(node) || ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node) || ts.isImportSpecifier(node) || ts.isImportClause(node) || ts.isNamespaceImport(node)) && node.name && ts.isIdentifier(node.name)) {
      declared.add(node.name.text);
    }
    if (ts.isIdentifier(node) && names.includes(node.text)) {
      const parent = node.parent;
      const isPropertyName =
        (ts.isPropertyAccessExpression(parent) && parent.name === node) ||
        (ts.isPropertyAssignment(parent) && parent.name === node) ||
        ((ts.isPropertySignature(parent) || ts.isPropertyDeclaration(parent) || ts.isMethodDeclaration(parent) || ts.isMethodSignature(parent)) && parent.name === node) ||
        ts.isQualifiedName(parent) ||
        ts.isTypeReferenceNode(parent);
      if (!isPropertyName) uses.push({ line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1, name: node.text, node });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return uses.filter((u) => !declared.has(u.name)).map(({ line, name }) => ({ line, name }));
}

/** Every forbidden edge and global use in `files`. */
export function checkImportRules(files: readonly SourceFile[]): Violation[] {
  const violations: Violation[] = [];
  for (const file of files) {
    const layer = layerOf(file.path);
    if (!layer) continue;
    const rule = LAYER_RULES[layer] ?? (isSrc(layer) ? srcRule : undefined);
    for (const edge of findImports(file)) {
      if (edge.specifier === '<computed>') {
        // The kernel reaches Node built-ins through a specifier hidden from the bundler (kernels/transfer/env.ts);
        // the page has no such need, so there an unnamed import is refused: its layer could not be checked.
        if (isSrc(layer)) {
          violations.push({ file: file.path, line: edge.line, what: 'import(<computed>)', rule: 'src/** imports must name their module literally so the layer rules can be checked' });
        }
        continue;
      }
      const target = resolveTarget(file.path, edge.specifier);
      const reason = rule?.(target, edge);
      if (reason) violations.push({ file: file.path, line: edge.line, what: edge.specifier, rule: `${reason} [${edge.kind}]` });
      else if (target.layer && target.layer !== layer && !ENTRY_LAYERS.has(target.layer) && target.path !== `${target.layer}/index.ts`) {
        violations.push({ file: file.path, line: edge.line, what: edge.specifier, rule: `deep import into ${target.layer}: import its index.ts instead` });
      }
    }
    for (const use of findGlobalUses(file, FORBIDDEN_GLOBALS[layer] ?? [])) {
      violations.push({ file: file.path, line: use.line, what: use.name, rule: `${layer} must not use the global ${use.name}` });
    }
  }
  return violations;
}

/** All `.ts` files under `dirs` (relative to `root`), as repository-relative sources. */
export function readSources(root: string, dirs: readonly string[]): SourceFile[] {
  const files: SourceFile[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') walk(full);
      } else if (/\.(m|c)?ts$/.test(entry.name)) {
        files.push({ path: relative(root, full).split('\\').join('/'), text: readFileSync(full, 'utf8') });
      }
    }
  };
  for (const dir of dirs) walk(join(root, dir));
  return files;
}
