/**
 * TypeScript's language service over the notebook: completions, quick info,
 * signature help and diagnostics for one cell, answered in that cell's
 * offsets. The files are virtual: the code cells (see `notebook-files.ts`),
 * the kernel's globals, and the declaration files given (TypeScript's libs,
 * TensorFlow.js, Plot, the `tailor` sources). Pure TypeScript API, no
 * worker: the worker wraps it, and Node tests drive it directly.
 * Files are parsed without their JSDoc; documentation in answers is read on
 * demand (`documentation.ts`), which halves building the first program.
 */
import ts from 'typescript';
import { compilerOptions } from './compiler-options.ts';
import { callAt, createDocumentation, identifierAt } from './documentation.ts';
import { KERNEL_GLOBALS, KERNEL_GLOBALS_PATH } from './kernel-globals.ts';
import { buildCellFiles, type CellFile, type NotebookCellSource } from './notebook-files.ts';
import type { CellDiagnostic, CompletionDetail, CompletionResult, LanguageRequest, LanguageResults, QuickInfo, SignatureHelp } from './protocol.ts';
import { timePhase } from './timings.ts';

export interface NotebookLanguageServiceOptions {
  /** Every declaration file by absolute virtual path. */
  files: ReadonlyMap<string, string>;
  /** The folder of TypeScript's `lib.*.d.ts` files among `files`. */
  libDir: string;
  /** The `tailor` module's entry among `files`. */
  tailorEntry: string;
}

export interface NotebookLanguageService {
  /** Answers one request (the cells it carries become the notebook's text first). */
  handle<R extends LanguageRequest>(request: R): LanguageResults[R['kind']];
}

const severityOf = (category: ts.DiagnosticCategory): CellDiagnostic['severity'] =>
  category === ts.DiagnosticCategory.Error ? 'error' : category === ts.DiagnosticCategory.Warning ? 'warning' : 'info';

/** `(alias) const net: Backbone\nimport net` → `const net: Backbone` (the prelude's imports are an implementation detail). */
function cleanSignature(text: string): string {
  return text.replace(/^\(alias\) /, '').replace(/\nimport [\w$]+$/, '');
}

export function createNotebookLanguageService(options: NotebookLanguageServiceOptions): NotebookLanguageService {
  const { files } = options;
  const directories = new Set<string>(['/']);
  for (const path of files.keys()) {
    for (let dir = path.slice(0, path.lastIndexOf('/')); dir; dir = dir.slice(0, dir.lastIndexOf('/'))) directories.add(dir);
  }
  directories.add('/notebook');

  let cellFiles: CellFile[] = [];
  const cellTexts = new Map<string, { text: string; version: number }>();
  const snapshots = new Map<string, ts.IScriptSnapshot>();
  let sources: readonly NotebookCellSource[] = [];

  const staticText = (path: string) => (path === KERNEL_GLOBALS_PATH ? KERNEL_GLOBALS : files.get(path));
  // The declaration files never change, so how their imports resolve is worked out once for the worker's life.
  // Without this, every new program whose file list changed (a cell added, removed or moved) resolved the
  // imports of all ~800 library files again. Cells resolve afresh: they come and go.
  const resolutionCache = ts.createModuleResolutionCache('/', (name) => name, compilerOptions(options.tailorEntry));
  const host: ts.LanguageServiceHost = {
    getScriptFileNames: () => [KERNEL_GLOBALS_PATH, ...cellFiles.map((f) => f.path)],
    getScriptVersion: (path) => String(cellTexts.get(path)?.version ?? 0),
    getScriptSnapshot: (path) => {
      const cell = cellTexts.get(path);
      if (cell) return ts.ScriptSnapshot.fromString(cell.text);
      let snapshot = snapshots.get(path);
      const text = staticText(path);
      if (!snapshot && text !== undefined) snapshots.set(path, (snapshot = ts.ScriptSnapshot.fromString(text)));
      return snapshot;
    },
    getCurrentDirectory: () => '/',
    getCompilationSettings: () => compilerOptions(options.tailorEntry),
    getDefaultLibFileName: () => `${options.libDir}/lib.d.ts`,
    fileExists: (path) => cellTexts.has(path) || staticText(path) !== undefined,
    readFile: (path) => cellTexts.get(path)?.text ?? staticText(path),
    directoryExists: (path) => directories.has(path.replace(/\/$/, '') || '/'),
    getDirectories: () => [],
    useCaseSensitiveFileNames: () => true,
    // JSDoc is read only when an answer shows it (see documentation.ts): parsing it would double the first program's time.
    jsDocParsingMode: ts.JSDocParsingMode.ParseNone,
    resolveModuleNameLiterals: (literals, containingFile, redirected, compilerOptions, containingSourceFile) => {
      const cache = containingFile.startsWith('/notebook/') ? undefined : resolutionCache;
      return literals.map((literal) => {
        const mode = ts.getModeForUsageLocation(containingSourceFile, literal, compilerOptions);
        return ts.resolveModuleName(literal.text, containingFile, compilerOptions, host, cache, redirected, mode);
      });
    },
  };
  const service = ts.createLanguageService(host, ts.createDocumentRegistry(true, '/', ts.JSDocParsingMode.ParseNone));
  const documentation = createDocumentation((path) => cellTexts.get(path)?.text ?? staticText(path), ts.ScriptTarget.ES2022);
  const checker = () => service.getProgram()!.getTypeChecker();

  /** Makes the notebook's text the given cells (changed files get a new version). */
  function setCells(cells: readonly NotebookCellSource[]): void {
    if (cells.length === sources.length && cells.every((c, i) => c.id === sources[i].id && c.source === sources[i].source)) return;
    sources = cells.map((c) => ({ id: c.id, source: c.source }));
    cellFiles = buildCellFiles(sources);
    const live = new Set<string>();
    for (const file of cellFiles) {
      live.add(file.path);
      const previous = cellTexts.get(file.path);
      if (previous?.text !== file.text) cellTexts.set(file.path, { text: file.text, version: (previous?.version ?? 0) + 1 });
    }
    for (const path of [...cellTexts.keys()]) if (!live.has(path)) cellTexts.delete(path);
  }

  function fileOf(cellId: string): CellFile {
    const file = cellFiles.find((f) => f.cellId === cellId);
    if (!file) throw new RangeError(`no code cell with id ${JSON.stringify(cellId)} among the ${cellFiles.length} sent`);
    return file;
  }
  const clampRange = (file: CellFile, start: number, length: number) => {
    const from = Math.max(0, Math.min(file.length, start - file.offset));
    return { from, to: Math.max(from, Math.min(file.length, start + length - file.offset)) };
  };

  function completions(file: CellFile, pos: number, explicit: boolean): CompletionResult | null {
    const at = file.offset + pos;
    const before = file.text[at - 1];
    const trigger = before === '.' || before === '"' || before === "'" || before === '`' || before === '/' || before === '@' || before === '<' || before === '#' ? before : undefined;
    const result = service.getCompletionsAtPosition(file.path, at, {
      includeCompletionsWithInsertText: true,
      includeCompletionsForModuleExports: false,
      triggerCharacter: explicit ? undefined : (trigger as ts.CompletionsTriggerCharacter | undefined),
      triggerKind: explicit ? ts.CompletionTriggerKind.Invoked : trigger ? ts.CompletionTriggerKind.TriggerCharacter : ts.CompletionTriggerKind.Invoked,
    });
    if (!result) return null;
    let from = pos;
    while (from > 0 && /[\w$]/.test(file.text[file.offset + from - 1])) from--;
    return {
      from,
      entries: result.entries.map((e) => ({
        label: e.name,
        kind: e.kind,
        sortText: e.sortText,
        ...(e.insertText !== undefined && e.insertText !== e.name ? { insertText: e.insertText } : {}),
        ...(e.replacementSpan ? { replacement: clampRange(file, e.replacementSpan.start, e.replacementSpan.length) } : {}),
      })),
    };
  }

  function completionDetail(file: CellFile, pos: number, name: string): CompletionDetail | null {
    const details = service.getCompletionEntryDetails(file.path, file.offset + pos, name, {}, undefined, {}, undefined);
    if (!details) return null;
    const symbol = service.getCompletionEntrySymbol(file.path, file.offset + pos, name, undefined);
    return {
      signature: cleanSignature(ts.displayPartsToString(details.displayParts)),
      documentation: documentation.ofSymbol(checker(), symbol),
    };
  }

  function quickInfo(file: CellFile, pos: number): QuickInfo | null {
    const info = service.getQuickInfoAtPosition(file.path, file.offset + pos);
    if (!info) return null;
    const source = service.getProgram()!.getSourceFile(file.path)!;
    const node = identifierAt(source, info.textSpan.start);
    return {
      range: clampRange(file, info.textSpan.start, info.textSpan.length),
      signature: cleanSignature(ts.displayPartsToString(info.displayParts)),
      documentation: node ? documentation.ofSymbol(checker(), checker().getSymbolAtLocation(node)) : '',
    };
  }

  function signatureHelp(file: CellFile, pos: number): SignatureHelp | null {
    const help = service.getSignatureHelpItems(file.path, file.offset + pos, {});
    if (!help) return null;
    const call = callAt(service.getProgram()!.getSourceFile(file.path)!, help.applicableSpan.start);
    const callee = call && (ts.isCallExpression(call) || ts.isNewExpression(call)) ? call.expression : undefined;
    const named = callee && (ts.isPropertyAccessExpression(callee) ? callee.name : callee);
    const docs = named ? documentation.perDeclaration(checker(), checker().getSymbolAtLocation(named)) : [];
    // One declaration per overload, in order; otherwise the symbol's documentation for each.
    const docOf = (i: number) => (docs.length === help.items.length ? docs[i] : [...new Set(docs.filter(Boolean))].join('\n\n'));
    const signatures = help.items.map((item, index) => {
      let label = ts.displayPartsToString(item.prefixDisplayParts);
      const parameters = item.parameters.map((p, i) => {
        if (i > 0) label += ts.displayPartsToString(item.separatorDisplayParts);
        const from = label.length;
        label += ts.displayPartsToString(p.displayParts);
        return { from, to: label.length };
      });
      label += ts.displayPartsToString(item.suffixDisplayParts);
      return { label, parameters, documentation: docOf(index) };
    });
    const active = help.selectedItemIndex;
    return { signatures: [signatures[active], ...signatures.filter((_, i) => i !== active)], activeParameter: help.argumentIndex };
  }

  function diagnostics(file: CellFile): CellDiagnostic[] {
    const all = [...service.getSyntacticDiagnostics(file.path), ...service.getSemanticDiagnostics(file.path)];
    const out: CellDiagnostic[] = [];
    for (const d of all) {
      if (d.start === undefined) continue;
      // Only what lies in the cell's own text: the prelude and the export list are ours.
      if (d.start < file.offset || d.start > file.offset + file.length) continue;
      out.push({ ...clampRange(file, d.start, d.length ?? 0), severity: severityOf(d.category), message: ts.flattenDiagnosticMessageText(d.messageText, '\n'), code: d.code });
    }
    return out;
  }

  function handle(request: LanguageRequest): LanguageResults[LanguageRequest['kind']] {
    timePhase('cells', () => setCells(request.cells), request.kind);
    const file = fileOf(request.cellId);
    // Measured apart so a slow answer shows whether bringing the program up to date (parsing changed files,
    // binding, a new checker) or the answer itself took the time.
    timePhase('program', () => service.getProgram(), request.kind);
    return timePhase('answer', () => answerFor(request, file), request.kind);
  }

  function answerFor(request: LanguageRequest, file: CellFile): LanguageResults[LanguageRequest['kind']] {
    switch (request.kind) {
      case 'completions':
        return completions(file, request.pos, request.explicit);
      case 'completionDetail':
        return completionDetail(file, request.pos, request.name);
      case 'quickInfo':
        return quickInfo(file, request.pos);
      case 'signatureHelp':
        return signatureHelp(file, request.pos);
      case 'diagnostics':
        return diagnostics(file);
    }
  }

  return { handle: handle as NotebookLanguageService['handle'] };
}
