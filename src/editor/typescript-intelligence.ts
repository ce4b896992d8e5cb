/**
 * TypeScript intelligence for a code cell's editor, from the notebook's
 * language worker (`src/language`): completions, hover types, signature help
 * on `(` and `,`, and diagnostics (squiggles, plus a count on the editor as
 * `data-type-errors` / `data-type-warnings` and through `onDiagnostics`).
 * The worker types the notebook as one program in cell order, so a name from
 * an earlier cell completes here with its type. Type errors never block
 * running: they are only shown.
 *
 * Usage, for code cells only:
 * `typescriptIntelligence({cellId, getNotebookCells: () => codeCells.map(({id, source}) => ({id, source}))})`.
 */
import { autocompletion, type Completion, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { diagnosticCount, forceLinting, linter, type Diagnostic } from '@codemirror/lint';
import { StateEffect, StateField, type EditorState, type Extension } from '@codemirror/state';
import { EditorView, hoverTooltip, showTooltip, ViewPlugin, type Tooltip, type ViewUpdate } from '@codemirror/view';
import { sharedLanguageClient, type LanguageClient, type NotebookCellSource, type SignatureHelp } from '../language/index.ts';

export interface TypeScriptIntelligenceContext {
  /** The id of the cell this editor edits. */
  cellId: string;
  /** The notebook's cells in order (non-code cells are skipped when `cell_type` is given); read on every request. */
  getNotebookCells(): readonly (NotebookCellSource & { cell_type?: string })[];
  /** Told the cell's diagnostic counts after every check. */
  onDiagnostics?(counts: { errors: number; warnings: number }): void;
  /** The language client; default the page's shared one. */
  client?: LanguageClient;
}

/** TypeScript element kinds → CodeMirror completion types (icons). */
const COMPLETION_TYPES: Record<string, string> = {
  method: 'method',
  property: 'property',
  getter: 'property',
  setter: 'property',
  function: 'function',
  'local function': 'function',
  const: 'constant',
  let: 'variable',
  var: 'variable',
  'local var': 'variable',
  parameter: 'variable',
  alias: 'variable',
  class: 'class',
  'local class': 'class',
  interface: 'interface',
  type: 'type',
  enum: 'enum',
  'enum member': 'enum',
  module: 'namespace',
  keyword: 'keyword',
  string: 'text',
};

const codeCells = (context: TypeScriptIntelligenceContext): NotebookCellSource[] =>
  context
    .getNotebookCells()
    .filter((cell) => cell.cell_type === undefined || cell.cell_type === 'code')
    .map(({ id, source }) => ({ id, source }));

function completionSource(context: TypeScriptIntelligenceContext, client: LanguageClient) {
  return async (completion: CompletionContext): Promise<CompletionResult | null> => {
    const word = completion.matchBefore(/[\w$]*/);
    const before = completion.state.sliceDoc(Math.max(0, (word?.from ?? completion.pos) - 1), word?.from ?? completion.pos);
    const member = before === '.';
    if (!completion.explicit && !member && (!word || word.from === word.to)) return null;
    const cells = codeCells(context);
    const result = await client.request('completions', cells, { cellId: context.cellId, pos: completion.pos, explicit: completion.explicit });
    if (!result || completion.aborted) return null;
    const options: Completion[] = result.entries.map((entry) => ({
      label: entry.label,
      apply: entry.insertText,
      type: COMPLETION_TYPES[entry.kind] ?? 'variable',
      // TypeScript ranks by sortText ("11" local before "15" global…); lower is better.
      boost: -Math.min(99, parseInt(entry.sortText, 10) || 0),
      info: async () => {
        const detail = await client.request('completionDetail', cells, { cellId: context.cellId, pos: completion.pos, name: entry.label });
        if (!detail) return null;
        return infoDom(detail.signature, detail.documentation);
      },
    }));
    return { from: word?.from ?? completion.pos, options, validFor: /^[\w$]*$/ };
  };
}

function infoDom(signature: string, documentation: string): HTMLElement {
  const dom = document.createElement('div');
  dom.className = 'cm-ts-info';
  const code = document.createElement('pre');
  code.className = 'cm-ts-signature';
  code.textContent = signature;
  dom.append(code);
  if (documentation) {
    const doc = document.createElement('div');
    doc.className = 'cm-ts-doc';
    doc.textContent = documentation;
    dom.append(doc);
  }
  return dom;
}

function hoverSource(context: TypeScriptIntelligenceContext, client: LanguageClient) {
  return hoverTooltip(async (_view, pos) => {
    const info = await client.request('quickInfo', codeCells(context), { cellId: context.cellId, pos }).catch(() => null);
    if (!info || !info.signature) return null;
    return { pos: info.range.from, end: info.range.to, above: true, create: () => ({ dom: infoDom(info.signature, info.documentation) }) };
  });
}

function lintSource(context: TypeScriptIntelligenceContext, client: LanguageClient) {
  return linter(
    async (view): Promise<Diagnostic[]> => {
      const found = await client.request('diagnostics', codeCells(context), { cellId: context.cellId }).catch(() => []);
      const length = view.state.doc.length;
      const diagnostics = found.map((d) => ({
        from: Math.min(d.from, length),
        to: Math.min(Math.max(d.to, d.from), length),
        severity: d.severity,
        message: d.message,
        source: `ts(${d.code})`,
      }));
      context.onDiagnostics?.({
        errors: diagnostics.filter((d) => d.severity === 'error').length,
        warnings: diagnostics.filter((d) => d.severity === 'warning').length,
      });
      return diagnostics;
    },
    { delay: 400 },
  );
}

const setSignature = StateEffect.define<Tooltip | null>();
const signatureField = StateField.define<Tooltip | null>({
  create: () => null,
  update: (value, tr) => {
    for (const effect of tr.effects) if (effect.is(setSignature)) return effect.value;
    return value && tr.docChanged ? { ...value, pos: tr.changes.mapPos(value.pos) } : value;
  },
  provide: (field) => showTooltip.from(field),
});

function signatureDom(help: SignatureHelp): HTMLElement {
  const dom = document.createElement('div');
  dom.className = 'cm-ts-signature-help';
  const [first] = help.signatures;
  const code = document.createElement('pre');
  code.className = 'cm-ts-signature';
  const active = first.parameters[help.activeParameter];
  if (active) {
    const strong = document.createElement('strong');
    strong.textContent = first.label.slice(active.from, active.to);
    code.append(first.label.slice(0, active.from), strong, first.label.slice(active.to));
  } else {
    code.textContent = first.label;
  }
  dom.append(code);
  if (help.signatures.length > 1) {
    const more = document.createElement('div');
    more.className = 'cm-ts-doc';
    more.textContent = `+${help.signatures.length - 1} overload${help.signatures.length > 2 ? 's' : ''}`;
    dom.append(more);
  }
  return dom;
}

/** Asks for signature help when `(` or `,` is typed, and keeps it current while the cursor stays inside the call. */
function signatureHelp(context: TypeScriptIntelligenceContext, client: LanguageClient): Extension {
  const plugin = ViewPlugin.fromClass(
    class {
      private asked = 0;
      constructor(private readonly view: EditorView) {}
      update(update: ViewUpdate) {
        const open = update.state.field(signatureField) !== null;
        let typed = false;
        update.changes.iterChanges((_fa, _ta, _fb, _tb, inserted) => {
          if (/[(,]$/.test(inserted.toString())) typed = true;
        });
        if (typed || (open && (update.docChanged || update.selectionSet))) this.ask();
      }
      private ask() {
        const ticket = ++this.asked;
        const pos = this.view.state.selection.main.head;
        client.request('signatureHelp', codeCells(context), { cellId: context.cellId, pos }).then(
          (help) => {
            if (ticket !== this.asked) return;
            const tooltip: Tooltip | null = help && help.signatures.length ? { pos, above: true, create: () => ({ dom: signatureDom(help) }) } : null;
            this.view.dispatch({ effects: setSignature.of(tooltip) });
          },
          () => undefined,
        );
      }
    },
  );
  return [signatureField, plugin, EditorView.domEventHandlers({ blur: (_event, view) => void view.dispatch({ effects: setSignature.of(null) }) })];
}

/** Keeps the live text registered, re-checks when an earlier cell changes, and mirrors the diagnostic counts onto the editor. */
function notebookLink(context: TypeScriptIntelligenceContext, client: LanguageClient): Extension {
  return ViewPlugin.fromClass(
    class {
      private readonly unregister: () => void;
      private readonly unlisten: () => void;
      private recheck?: ReturnType<typeof setTimeout>;
      constructor(private readonly view: EditorView) {
        // A code cell's editor exists: the notebook has code, so load TypeScript now rather than at the first keystroke.
        client.start();
        this.unregister = client.registerLiveCell(context.cellId, () => this.view.state.doc.toString());
        this.unlisten = client.onNotebookChange((changed, cells) => {
          const own = cells.findIndex((cell) => cell.id === context.cellId);
          const earlier = changed.some((id) => id !== context.cellId && cells.findIndex((cell) => cell.id === id) < own);
          if (!earlier || own < 0) return;
          clearTimeout(this.recheck);
          this.recheck = setTimeout(() => forceLinting(this.view), 300);
        });
        this.mirror(view.state);
      }
      update(update: ViewUpdate) {
        this.mirror(update.state);
      }
      private mirror(state: EditorState) {
        const errors = String(typeErrorCount(state));
        if (this.view.dom.dataset.typeErrors !== errors) this.view.dom.dataset.typeErrors = errors;
      }
      destroy() {
        clearTimeout(this.recheck);
        this.unregister();
        this.unlisten();
      }
    },
  );
}

/** Type errors (and warnings) currently shown in the editor. */
export function typeErrorCount(state: EditorState): number {
  return diagnosticCount(state);
}

const theme = EditorView.baseTheme({
  '.cm-ts-info, .cm-ts-signature-help': { padding: '4px 8px', maxWidth: '640px' },
  '.cm-ts-signature': { margin: '0', whiteSpace: 'pre-wrap', fontFamily: 'var(--mono, ui-monospace, Menlo, Consolas, monospace)', fontSize: '12px' },
  '.cm-ts-signature strong': { textDecoration: 'underline' },
  '.cm-ts-doc': { marginTop: '4px', fontSize: '12px', whiteSpace: 'pre-wrap', opacity: '0.85' },
});

/** The TypeScript extension for one code cell's editor (see the module comment). */
export function typescriptIntelligence(context: TypeScriptIntelligenceContext): Extension {
  const client = context.client ?? sharedLanguageClient();
  return [
    // The worker answers in tens of milliseconds; CodeMirror's default 100 ms pause before asking would dominate.
    autocompletion({ override: [completionSource(context, client)], activateOnTypingDelay: 10 }),
    hoverSource(context, client),
    signatureHelp(context, client),
    lintSource(context, client),
    notebookLink(context, client),
    theme,
  ];
}
