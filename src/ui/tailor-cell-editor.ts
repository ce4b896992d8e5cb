/**
 * A CodeMirror 6 editor for one cell's source. The view lives as long as the
 * element (so undo history is per cell and survives re-renders); edits leave
 * as `source-change` events; a new `source` set from outside replaces the text.
 *
 * @fires source-change - `CustomEvent<string>` with the full new source.
 * @fires cell-key - `CustomEvent<CellKey>` for Jupyter's run/leave keys.
 * @fires type-errors - `CustomEvent<number>`: the TypeScript errors now shown in a code cell (0 when none).
 */
import { Compartment, EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { css, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { cellKeymap, cellLanguage, cellSetup, loadCellLanguage, sourceSync, loadTypescriptIntelligence, type CellLanguage } from '../editor/index.ts';

export type CellKey = 'run-advance' | 'run-stay' | 'run-insert' | 'leave' | 'edge-up' | 'edge-down';

/**
 * Editors are made when their cell comes within a few screens of the viewport:
 * each EditorView measures the page when it is made, so making thousands at
 * once (a 10,000-cell notebook) took minutes. Until then the source shows as
 * plain text of the same size.
 */
const nearViewport =
  typeof IntersectionObserver === 'undefined'
    ? undefined
    : new IntersectionObserver(
        (entries) => {
          for (const entry of entries) if (entry.isIntersecting) (entry.target as TailorCellEditor).ensureView();
        },
        { rootMargin: '2000px 0px' },
      );

/** A notebook cell as the TypeScript language service needs it. */
export interface NotebookCellText {
  id: string;
  source: string;
  cell_type: string;
}

@customElement('tailor-cell-editor')
export class TailorCellEditor extends LitElement {
  static styles = css`
    :host {
      display: block;
      font-size: 14px;
    }
    .cm-editor {
      background: var(--editor-bg, #f7f7f8);
      border: 1px solid var(--border, #e2e2e6);
      border-radius: 6px;
    }
    .cm-editor.cm-focused {
      outline: 2px solid var(--accent, #2f6fd6);
      outline-offset: -1px;
    }
    .cm-editor:not(.cm-focused) .cm-activeLine {
      background: transparent;
    }
    .cm-scroller {
      font-family: var(--mono, ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace);
      line-height: 1.5;
    }
    .cm-content {
      padding: 8px 0;
    }
    .cm-line {
      padding: 0 10px;
    }
    pre.pending {
      margin: 0;
      padding: 8px 10px;
      min-height: 1.5em;
      white-space: pre-wrap;
      font-family: var(--mono, ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace);
      line-height: 1.5;
      background: var(--editor-bg, #f7f7f8);
      border: 1px solid var(--border, #e2e2e6);
      border-radius: 6px;
    }
  `;

  /** The cell's source; setting a different text replaces the editor's document. */
  @property() source = '';
  /** TypeScript or Markdown highlighting. */
  @property() language: CellLanguage = 'typescript';
  /** Accessible name of the editing area. */
  @property() label = 'Cell source';
  /** The id of the notebook cell edited; with `language` TypeScript, turns on the TypeScript language service. */
  @property() cellId = '';
  /** The notebook's cells in order, read on every language-service request (default: this cell alone). */
  @property({ attribute: false }) getNotebookCells?: () => readonly NotebookCellText[];

  private view?: EditorView;
  private readonly languageSlot = new Compartment();
  private readonly intelligenceSlot = new Compartment();
  private typeErrors = 0;
  /** The cell id the TypeScript extension is configured for ('' when off). */
  private intelligenceFor = '';

  /** The source as plain text until the editor is made (see `nearViewport`). */
  private pending?: HTMLPreElement;

  /** Moves focus into the editor, the cursor at the start or end. */
  focusEditor(at: 'start' | 'end' | 'keep' = 'keep'): void {
    this.ensureView();
    if (!this.view) return;
    if (at !== 'keep') {
      const pos = at === 'start' ? 0 : this.view.state.doc.length;
      this.view.dispatch({ selection: { anchor: pos } });
    }
    this.view.focus();
  }

  get hasFocus(): boolean {
    return this.view?.hasFocus ?? false;
  }

  protected firstUpdated(): void {
    if (!nearViewport) return this.ensureView();
    this.pending ??= document.createElement('pre');
    this.pending.className = 'pending';
    this.pending.textContent = this.source;
    this.renderRoot.append(this.pending);
    nearViewport.observe(this);
  }

  /** Makes the CodeMirror view now (it is near the viewport, or about to be focused). */
  ensureView(): void {
    if (this.view || !this.isConnected) return;
    nearViewport?.unobserve(this);
    this.pending?.remove();
    this.pending = undefined;
    const emitKey = (key: CellKey) => () =>
      this.dispatchEvent(new CustomEvent<CellKey>('cell-key', { detail: key, bubbles: true, composed: true }));
    this.view = new EditorView({
      parent: this.renderRoot as ShadowRoot,
      root: this.renderRoot as ShadowRoot,
      state: EditorState.create({
        doc: this.source,
        extensions: [
          cellKeymap({
            runAndAdvance: emitKey('run-advance'),
            runAndStay: emitKey('run-stay'),
            runAndInsert: emitKey('run-insert'),
            leave: emitKey('leave'),
            leaveEdge: (direction) => emitKey(direction === 'up' ? 'edge-up' : 'edge-down')(),
          }),
          cellSetup({ label: this.label }),
          this.languageSlot.of(cellLanguage(this.language)),
          this.intelligenceSlot.of(this.intelligence()),
          sourceSync((source) => {
            this.source = source;
            this.dispatchEvent(new CustomEvent<string>('source-change', { detail: source, bubbles: true, composed: true }));
          }),
        ],
      }),
    });
  }

  private intelligenceKey = () => (this.language === 'typescript' && this.cellId ? this.cellId : '');

  /**
   * TypeScript completions, hover, signature help and squiggles for a code cell; nothing for Markdown.
   * The extension arrives asynchronously (its module is fetched on first use); until then the slot is empty.
   */
  private intelligence(): [] {
    const key = (this.intelligenceFor = this.intelligenceKey());
    if (!key) return [];
    void loadTypescriptIntelligence({
      cellId: key,
      getNotebookCells: () => this.getNotebookCells?.() ?? [{ id: key, source: this.source, cell_type: 'code' }],
      onDiagnostics: ({ errors }) => this.reportTypeErrors(errors),
    }).then(
      (extension) => {
        if (this.view && this.intelligenceFor === key) this.view.dispatch({ effects: this.intelligenceSlot.reconfigure(extension) });
      },
      // Without it the cell still edits and runs; only the type hints are missing.
      (error) => console.warn('TypeScript intelligence could not load:', error),
    );
    return [];
  }

  private reportTypeErrors(errors: number): void {
    if (errors === this.typeErrors) return;
    this.typeErrors = errors;
    this.dispatchEvent(new CustomEvent<number>('type-errors', { detail: errors, bubbles: true, composed: true }));
  }

  protected updated(changed: Map<string, unknown>): void {
    const view = this.view;
    if (this.pending && changed.has('source')) this.pending.textContent = this.source;
    if (!view) return;
    if (this.intelligenceFor !== this.intelligenceKey()) {
      view.dispatch({ effects: this.intelligenceSlot.reconfigure(this.intelligence()) });
      if (this.language !== 'typescript') this.reportTypeErrors(0);
    }
    if (changed.has('language')) {
      const language = this.language;
      view.dispatch({ effects: this.languageSlot.reconfigure(cellLanguage(language)) });
      void loadCellLanguage(language).then((extension) => {
        if (this.view === view && this.language === language) view.dispatch({ effects: this.languageSlot.reconfigure(extension) });
      });
    }
    if (changed.has('source') && view.state.doc.toString() !== this.source) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: this.source } });
    }
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    // Lit may reconnect a moved element; keep the view (and its history) unless it is really gone.
    queueMicrotask(() => {
      if (!this.isConnected) {
        nearViewport?.unobserve(this);
        this.view?.destroy();
        this.view = undefined;
      }
    });
  }

  connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated && !this.view) this.firstUpdated();
  }

  protected render() {
    return null;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tailor-cell-editor': TailorCellEditor;
  }
}
