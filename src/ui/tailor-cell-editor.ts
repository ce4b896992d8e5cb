/**
 * A CodeMirror 6 editor for one cell's source. The view lives as long as the
 * element (so undo history is per cell and survives re-renders); edits leave
 * as `source-change` events; a new `source` set from outside replaces the text.
 *
 * @fires source-change - `CustomEvent<string>` with the full new source.
 * @fires cell-key - `CustomEvent<CellKey>` for Jupyter's run/leave keys.
 */
import { Compartment, EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { css, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { cellKeymap, cellLanguage, cellSetup, loadCellLanguage, sourceSync, type CellLanguage } from '../editor/index.ts';

export type CellKey = 'run-advance' | 'run-stay' | 'run-insert' | 'leave' | 'edge-up' | 'edge-down';

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
  `;

  /** The cell's source; setting a different text replaces the editor's document. */
  @property() source = '';
  /** TypeScript or Markdown highlighting. */
  @property() language: CellLanguage = 'typescript';
  /** Accessible name of the editing area. */
  @property() label = 'Cell source';

  private view?: EditorView;
  private readonly languageSlot = new Compartment();

  /** Moves focus into the editor, the cursor at the start or end. */
  focusEditor(at: 'start' | 'end' | 'keep' = 'keep'): void {
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
          sourceSync((source) => {
            this.source = source;
            this.dispatchEvent(new CustomEvent<string>('source-change', { detail: source, bubbles: true, composed: true }));
          }),
        ],
      }),
    });
  }

  protected updated(changed: Map<string, unknown>): void {
    const view = this.view;
    if (!view) return;
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
