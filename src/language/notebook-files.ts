/**
 * The notebook as TypeScript files, one module per code cell, so the
 * language service types the notebook as the kernel runs it:
 *
 * - A cell sees the names earlier cells declare, with their types: a one-line
 *   prelude imports each name from the latest earlier cell that declares it
 *   (`let`/`var` names are re-declared as `declare let x: typeof import(…).x`
 *   instead, so later cells may assign them, as they can in the kernel).
 * - A cell may declare a name again (the kernel allows it): the prelude then
 *   leaves that name out, and later cells get the newer declaration's type.
 * - Each file is a module (an `export {…}` of its names is appended), so
 *   top-level `await` and `import` work.
 *
 * Positions: the cell's text starts right after the prelude line, so a cell
 * offset is the file offset minus `prelude.length`.
 */
import ts from 'typescript';

export interface NotebookCellSource {
  readonly id: string;
  readonly source: string;
}

export interface CellFile {
  readonly cellId: string;
  /** Virtual path, e.g. `/notebook/cell-3.ts`. */
  readonly path: string;
  /** The whole file: prelude + cell source + exports. */
  readonly text: string;
  /** Characters before the cell's source. */
  readonly offset: number;
  /** Length of the cell's source. */
  readonly length: number;
}

type Kind = 'mutable' | 'other';

/** The top-level names a cell declares, and whether each may be re-assigned (`let`/`var`). */
export function declaredNames(source: string): Map<string, Kind> {
  const file = ts.createSourceFile('cell.ts', source, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const names = new Map<string, Kind>();
  const addBinding = (name: ts.BindingName, kind: Kind) => {
    if (ts.isIdentifier(name)) names.set(name.text, kind);
    else for (const element of name.elements) if (!ts.isOmittedExpression(element)) addBinding(element.name, kind);
  };
  for (const statement of file.statements) {
    if (ts.isVariableStatement(statement)) {
      const mutable = !(statement.declarationList.flags & (ts.NodeFlags.Const | ts.NodeFlags.Using | ts.NodeFlags.AwaitUsing));
      for (const d of statement.declarationList.declarations) addBinding(d.name, mutable ? 'mutable' : 'other');
    } else if (
      (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isInterfaceDeclaration(statement) ||
        ts.isTypeAliasDeclaration(statement) || ts.isEnumDeclaration(statement)) && statement.name
    ) {
      names.set(statement.name.text, 'other');
    } else if (ts.isModuleDeclaration(statement) && ts.isIdentifier(statement.name)) {
      names.set(statement.name.text, 'other');
    } else if (ts.isImportDeclaration(statement) && statement.importClause) {
      const clause = statement.importClause;
      if (clause.name) names.set(clause.name.text, 'other');
      const bindings = clause.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) names.set(bindings.name.text, 'other');
      else if (bindings) for (const element of bindings.elements) names.set(element.name.text, 'other');
    } else if (ts.isImportEqualsDeclaration(statement)) {
      names.set(statement.name.text, 'other');
    }
  }
  return names;
}

/** Names a cell already exports itself (`export const x`), which the appended export list must not repeat. */
function exportedNames(source: string): Set<string> {
  const out = new Set<string>();
  const file = ts.createSourceFile('cell.ts', source, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  for (const statement of file.statements) {
    const modifiers = ts.canHaveModifiers(statement) ? ts.getModifiers(statement) : undefined;
    if (!modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
    if (ts.isVariableStatement(statement)) {
      for (const d of statement.declarationList.declarations) if (ts.isIdentifier(d.name)) out.add(d.name.text);
    } else if ('name' in statement && statement.name && ts.isIdentifier(statement.name as ts.Node)) {
      out.add((statement.name as ts.Identifier).text);
    }
  }
  return out;
}

export const cellPath = (index: number) => `/notebook/cell-${index + 1}.ts`;

/** The files of the notebook's code cells, in order (see the module comment). */
export function buildCellFiles(cells: readonly NotebookCellSource[]): CellFile[] {
  /** name → [index of the latest cell declaring it, kind] */
  const visible = new Map<string, [number, Kind]>();
  const files: CellFile[] = [];
  cells.forEach((cell, index) => {
    const own = declaredNames(cell.source);
    const byCell = new Map<number, string[]>();
    const lets: string[] = [];
    for (const [name, [from, kind]] of visible) {
      if (own.has(name)) continue;
      if (kind === 'mutable') lets.push(`declare let ${name}: typeof import('./cell-${from + 1}').${name};`);
      else byCell.set(from, [...(byCell.get(from) ?? []), name]);
    }
    const imports = [...byCell].map(([from, names]) => `import { ${names.join(', ')} } from './cell-${from + 1}';`);
    const prelude = [...imports, ...lets].join(' ') + '\n';
    const already = exportedNames(cell.source);
    const exports = [...own.keys()].filter((name) => !already.has(name));
    // A new line first: a trailing line comment in the cell must not swallow the exports.
    const text = `${prelude}${cell.source}\n;export { ${exports.join(', ')} };\n`;
    files.push({ cellId: cell.id, path: cellPath(index), text, offset: prelude.length, length: cell.source.length });
    for (const [name, kind] of own) visible.set(name, [index, kind]);
  });
  return files;
}
