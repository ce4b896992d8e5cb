/**
 * One cell: its prompt (execution count, running marker, elapsed time), the
 * source editor or, for Markdown not being edited, the rendered Markdown, and
 * the output area. The host element is the cell's `role="group"` "Cell N".
 *
 * @fires cell-select - `CustomEvent<{id, edit}>`: the user clicked or focused the cell.
 * @fires cell-source - `CustomEvent<{id, source}>` on every edit.
 * @fires cell-clear-output - `CustomEvent<{id}>`.
 */
import { css, html, LitElement, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { Cell } from '../model/index.ts';
import { renderMarkdown } from '../renderers/index.ts';
import { outputStyles } from './output-styles.ts';
import type { NotebookCellText, TailorCellEditor } from './tailor-cell-editor.ts';
import './tailor-cell-editor.ts';
import './tailor-output-area.ts';

export type RunState = 'idle' | 'queued' | 'running';

function formatElapsed(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

@customElement('tailor-cell')
export class TailorCell extends LitElement {
  static styles = [
    outputStyles,
    css`
      :host {
        display: grid;
        grid-template-columns: 72px minmax(0, 1fr);
        gap: 0 8px;
        padding: 6px 12px 6px 0;
        border-left: 3px solid transparent;
        border-radius: 2px;
        scroll-margin: 80px;
      }
      :host([active]) {
        border-left-color: var(--command, #9aa0a6);
        background: var(--active-bg, #fafbfc);
      }
      :host([active][editing]) {
        border-left-color: var(--accent, #2f6fd6);
      }
      .prompt {
        font-family: var(--mono, monospace);
        font-size: 12px;
        color: var(--muted, #5f6368);
        text-align: right;
        padding-top: 9px;
        user-select: none;
      }
      .prompt .elapsed {
        display: block;
        font-size: 11px;
        opacity: 0.8;
        margin-top: 2px;
      }
      .prompt.running {
        color: var(--accent, #2f6fd6);
      }
      .type-errors {
        display: inline-block;
        margin-top: 4px;
        padding: 0 6px;
        border-radius: 8px;
        font-size: 11px;
        line-height: 16px;
        color: #fff;
        background: var(--error, #c5221f);
      }
      .body {
        min-width: 0;
      }
      tailor-output-area {
        margin-top: 6px;
      }
      .rendered {
        padding: 2px 10px;
        min-height: 1.6em;
        cursor: text;
      }
      .rendered.empty {
        color: var(--muted, #5f6368);
        font-style: italic;
      }
    `,
  ];

  @property({ attribute: false }) cell!: Cell;
  /** Position in the notebook, 1-based (used in the accessible name). */
  @property({ type: Number }) number = 1;
  /** The selected cell. */
  @property({ type: Boolean, reflect: true }) active = false;
  /** Selected and in edit mode. */
  @property({ type: Boolean, reflect: true }) editing = false;
  @property() runState: RunState = 'idle';
  /** Milliseconds the last run took, when it ran in this session. */
  @property({ type: Number }) elapsedMs?: number;
  /** Whether HTML/SVG outputs may render unsanitised. */
  @property({ type: Boolean }) trusted = false;
  /** The notebook's cells in order, for the TypeScript language service of a code cell's editor. */
  @property({ attribute: false }) getNotebookCells?: () => readonly NotebookCellText[];
  /** TypeScript errors the editor shows in this cell's source (shown only, never blocks running). */
  @state() private typeErrors = 0;

  @query('tailor-cell-editor') private editor?: TailorCellEditor;

  /** Focuses the source editor (edit mode). */
  async focusEditor(at: 'start' | 'end' | 'keep' = 'keep'): Promise<void> {
    await this.updateComplete;
    this.editor?.focusEditor(at);
  }

  get editorHasFocus(): boolean {
    return this.editor?.hasFocus ?? false;
  }

  protected willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('number')) {
      this.setAttribute('role', 'group');
      this.setAttribute('aria-label', `Cell ${this.number}`);
    }
  }

  private emit(name: string, detail: Record<string, unknown>): void {
    this.dispatchEvent(new CustomEvent(name, { detail: { id: this.cell.id, ...detail }, bubbles: true, composed: true }));
  }

  private prompt() {
    if (this.cell.cell_type !== 'code') return html`<div class="prompt"></div>`;
    const count = this.runState === 'running' || this.runState === 'queued' ? '*' : (this.cell.execution_count ?? ' ');
    const label = this.runState === 'running' ? 'Running' : this.runState === 'queued' ? 'Queued' : `Execution count ${count}`;
    return html`<div class="prompt ${this.runState}" aria-label=${label}>
      [${count}]:
      ${this.elapsedMs !== undefined && this.runState === 'idle' ? html`<span class="elapsed">${formatElapsed(this.elapsedMs)}</span>` : null}
      ${this.typeErrorBadge()}
    </div>`;
  }

  private typeErrorBadge() {
    if (!this.typeErrors) return null;
    const label = `${this.typeErrors} type error${this.typeErrors === 1 ? '' : 's'}`;
    return html`<span class="type-errors" role="status" aria-label=${label} title=${`${label} (the cell still runs)`}>${this.typeErrors}</span>`;
  }

  private body() {
    const cell = this.cell;
    if (cell.cell_type === 'markdown' && !this.editing) {
      const rendered = cell.source.trim() ? renderMarkdown(cell.source) : null;
      return html`<div
        class="rendered ${rendered ? '' : 'empty'}"
        @dblclick=${() => this.emit('cell-select', { edit: true })}
      >
        ${rendered ?? 'Empty Markdown cell — double-click or press Enter to edit'}
      </div>`;
    }
    return html`
      <tailor-cell-editor
        .source=${cell.source}
        .language=${cell.cell_type === 'code' ? 'typescript' : 'markdown'}
        .label=${`Cell ${this.number} source`}
        .cellId=${cell.id}
        .getNotebookCells=${this.getNotebookCells}
        @type-errors=${(e: CustomEvent<number>) => {
          e.stopPropagation();
          this.typeErrors = e.detail;
        }}
        @source-change=${(e: CustomEvent<string>) => this.emit('cell-source', { source: e.detail })}
        @focusin=${() => this.emit('cell-select', { edit: true })}
      ></tailor-cell-editor>
      ${cell.cell_type === 'code' && cell.outputs.length
        ? html`<tailor-output-area
            .outputs=${cell.outputs}
            .trusted=${this.trusted}
            @clear-output=${() => this.emit('cell-clear-output', {})}
          ></tailor-output-area>`
        : null}
    `;
  }

  protected render() {
    return html`${this.prompt()}<div class="body" @mousedown=${this.onMouseDown}>${this.body()}</div>`;
  }

  private onMouseDown = (event: MouseEvent) => {
    const inEditor = event.composedPath().some((el) => (el as Element).tagName === 'TAILOR-CELL-EDITOR');
    if (!inEditor) this.emit('cell-select', { edit: false });
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'tailor-cell': TailorCell;
  }
}
