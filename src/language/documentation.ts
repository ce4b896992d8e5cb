/**
 * Documentation comments, read on demand. The language service parses every
 * file without its JSDoc (`ts.JSDocParsingMode.ParseNone`): comments are most
 * of the declaration text (57 % of lib.webworker, 71 % of lib.es5, most of
 * TensorFlow.js and Plot), and skipping them takes about half off building
 * the first program, which the first completion waits for (measured in Node:
 * 2.2 s → 1.2 s). Types do not depend on JSDoc in `.ts`/`.d.ts` files.
 *
 * When an answer shows documentation (completion details, hover, signature
 * help), the file declaring the symbol is parsed once more with its JSDoc
 * (kept for the worker's life), and the comment of the declaration at the
 * same position is read: the text is the same, so the positions are.
 */
import ts from 'typescript';

export interface Documentation {
  /** The documentation text of `symbol` (aliases followed; several declarations joined), or `''`. */
  ofSymbol(checker: ts.TypeChecker, symbol: ts.Symbol | undefined): string;
  /** The documentation of each declaration of `symbol`, in declaration order (for overloads). */
  perDeclaration(checker: ts.TypeChecker, symbol: ts.Symbol | undefined): string[];
}

/** Documentation read from the files `readText` gives, by path. */
export function createDocumentation(readText: (path: string) => string | undefined, languageVersion: ts.ScriptTarget): Documentation {
  const parsed = new Map<string, ts.SourceFile>();

  const withJsDoc = (path: string): ts.SourceFile | undefined => {
    const text = readText(path);
    if (text === undefined) return undefined;
    let file = parsed.get(path);
    // A cell's text changes; a declaration file's never does.
    if (file?.text !== text) parsed.set(path, (file = ts.createSourceFile(path, text, { languageVersion, jsDocParsingMode: ts.JSDocParsingMode.ParseAll }, true)));
    return file;
  };

  /** The node of `file` at the same place and of the same kind as `declaration` (from the program's copy). */
  const twinOf = (file: ts.SourceFile, declaration: ts.Node): ts.Node | undefined => {
    let found: ts.Node | undefined;
    const visit = (node: ts.Node): void => {
      if (found || node.pos > declaration.pos || node.end < declaration.end) return;
      if (node.pos === declaration.pos && node.end === declaration.end && node.kind === declaration.kind) found = node;
      else ts.forEachChild(node, visit);
    };
    ts.forEachChild(file, visit);
    return found;
  };

  const commentOf = (declaration: ts.Declaration): string => {
    const source = declaration.getSourceFile();
    const file = withJsDoc(source.fileName);
    const twin = file && twinOf(file, declaration);
    if (!twin) return '';
    const parts: string[] = [];
    for (const doc of ts.getJSDocCommentsAndTags(twin)) {
      // A parameter's documentation is its `@param` tag; anything else's, the comment block above it.
      const text = ts.isJSDoc(doc) ? ts.getTextOfJSDocComment(doc.comment) : ts.isJSDocParameterTag(doc) ? ts.getTextOfJSDocComment(doc.comment) : undefined;
      if (text?.trim()) parts.push(text.trim());
    }
    return parts.join('\n\n');
  };

  const roots = (checker: ts.TypeChecker, symbol: ts.Symbol): readonly ts.Symbol[] => {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    // Properties of mapped, union or instantiated types are synthetic; their roots hold the declarations.
    return checker.getRootSymbols(target);
  };

  const perDeclaration = (checker: ts.TypeChecker, symbol: ts.Symbol | undefined): string[] =>
    symbol ? roots(checker, symbol).flatMap((root) => (root.declarations ?? []).map(commentOf)) : [];

  return {
    ofSymbol(checker, symbol) {
      return [...new Set(perDeclaration(checker, symbol).filter(Boolean))].join('\n\n');
    },
    perDeclaration,
  };
}

/** The identifier (or private name) starting at `start` in `file`, if any. */
export function identifierAt(file: ts.SourceFile, start: number): ts.Node | undefined {
  let found: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (found || start < node.pos || start >= node.end) return;
    if ((ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) && node.getStart(file) === start) found = node;
    else ts.forEachChild(node, visit);
  };
  ts.forEachChild(file, visit);
  return found;
}

/** The call (or `new`) whose argument list starts at `argumentsStart` in `file` (signature help's applicable span). */
export function callAt(file: ts.SourceFile, argumentsStart: number): ts.CallLikeExpression | undefined {
  let found: ts.CallLikeExpression | undefined;
  const visit = (node: ts.Node): void => {
    if (argumentsStart < node.pos || argumentsStart > node.end) return;
    if ((ts.isCallExpression(node) || ts.isNewExpression(node)) && node.arguments && node.arguments.pos === argumentsStart) found = node;
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(file, visit);
  return found;
}
