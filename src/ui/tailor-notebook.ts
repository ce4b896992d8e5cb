/**
 * The notebook view: toolbar, notices, the cells, and the command palette.
 * It owns one kernel (from the kernel factory context), autosaves through the
 * store context, and implements every command in `commands.ts`. Document
 * state lives in `NotebookController`, runs in `KernelController`, autosave
 * in `AutosaveController`.
 *
 * @fires open-request - the user asked to open another notebook.
 * @fires home-request - the user asked for the home page.
 */
import { consume } from '@lit/context';
import { html, LitElement, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { KernelClient } from '../kernel-client/index.ts';
import { clearOutputs, toIpynb, type Notebook } from '../model/index.ts';
import { downloadText, TabPresence, type NotebookRecord, type NotebookStore } from '../storage/index.ts';
import { AutosaveController } from './autosave-controller.ts';
import { CommandKeys } from './command-keys.ts';
import { findCommand, type NotebookActions } from './commands.ts';
import { kernelFactoryContext, storeContext } from './contexts.ts';
import { KernelController } from './kernel-controller.ts';
import { NotebookController } from './notebook-controller.ts';
import { saveNotebook } from './notebook-files.ts';
import { notebookStyles } from './notebook-styles.ts';
import type { TailorCell } from './tailor-cell.ts';
import './tailor-cell.ts';
import './tailor-command-palette.ts';
import './tailor-toolbar.ts';

@customElement('tailor-notebook')
export class TailorNotebook extends LitElement implements NotebookActions {
  static styles = notebookStyles;

  /** Where the notebook came from and how it is saved; the element keeps it up to date. */
  @property({ attribute: false }) record!: NotebookRecord;
  /** The notebook when the view opens. */
  @property({ attribute: false }) initial!: Notebook;
  /** Set when the notebook was restored from an autosave (ms since epoch of that save). */
  @property({ type: Number }) recoveredAt?: number;
  /** Problems found while opening (parser warnings), shown once. */
  @property({ attribute: false }) warnings: readonly string[] = [];

  @consume({ context: storeContext }) store!: NotebookStore;
  @consume({ context: kernelFactoryContext }) createKernel!: () => KernelClient;

  @state() private paletteOpen = false;
  @state() private message = '';
  @state() private otherTab = false;

  doc!: NotebookController;
  kernel!: KernelController;
  autosave!: AutosaveController;
  private readonly keys = new CommandKeys();
  private presence?: TabPresence;

  connectedCallback(): void {
    // First: the context consumers ask for the store and kernel factory while connecting.
    super.connectedCallback();
    if (!this.doc) {
      this.doc = new NotebookController(this, this.initial);
      if (this.record.dirty) this.doc.saved = { ...this.initial };
      this.kernel = new KernelController(this, this.doc, this.createKernel());
      this.autosave = new AutosaveController(this, this.doc, this.store, () => {
        const { ipynb: _i, dirty: _d, updatedAt: _u, ...rest } = this.record;
        return rest;
      });
    }
    this.presence = new TabPresence((other) => (this.otherTab = other));
    this.presence.announce(this.record.key);
    addEventListener('keydown', this.onGlobalKey, true);
    addEventListener('beforeunload', this.onBeforeUnload);
    this.addEventListener('keydown', this.onCommandKey);
    void this.autosave.flush();
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this.presence?.close();
    removeEventListener('keydown', this.onGlobalKey, true);
    removeEventListener('beforeunload', this.onBeforeUnload);
    this.removeEventListener('keydown', this.onCommandKey);
    this.kernel.kernel.dispose();
  }

  protected updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    document.title = `${this.doc.dirty ? '• ' : ''}${this.record.name} — Tailor`;
  }

  // ---- commands ----

  runActive(then: 'advance' | 'stay' | 'insert'): void {
    const cell = this.doc.activeCell;
    if (!cell) return;
    if (cell.cell_type === 'code') void this.kernel.run([cell.id]);
    if (then === 'stay') this.focusActive('command');
    else if (then === 'insert') this.insertCell('code', 'below', 'edit');
    else if (this.doc.activeIndex === this.doc.notebook.cells.length - 1) this.insertCell('code', 'below', 'edit');
    else {
      this.doc.selectRelative(1, 'command');
      this.focusActive('command');
    }
  }

  runAll(): void {
    this.trust();
    void this.kernel.run(this.doc.notebook.cells.map((c) => c.id));
  }

  runAbove(): void {
    void this.kernel.run(this.doc.notebook.cells.slice(0, this.doc.activeIndex).map((c) => c.id));
  }

  runBelow(): void {
    void this.kernel.run(this.doc.notebook.cells.slice(Math.max(0, this.doc.activeIndex)).map((c) => c.id));
  }

  interrupt(): void {
    void this.kernel.interrupt();
  }

  restart(): void {
    void this.kernel.restart();
  }

  restartAndRunAll(): void {
    void this.kernel.restart().then(() => this.runAll());
  }

  clearAllOutputs(): void {
    this.doc.update((nb) => clearOutputs(nb));
  }

  insertCell(type: 'code' | 'markdown', where: 'above' | 'below' | 'end', mode: 'command' | 'edit' = 'edit'): void {
    this.doc.insert(type, where);
    this.focusActive(mode);
  }

  deleteCell(): void {
    this.doc.deleteActive();
    this.message = 'Cell deleted. Press Z (or use "Undo cell deletion") to bring it back.';
    this.focusActive('command');
  }

  undoDelete(): void {
    this.doc.undoDelete();
    this.message = '';
    this.focusActive('command');
  }

  moveCell(delta: -1 | 1): void {
    this.doc.moveActive(delta);
    this.focusActive(this.doc.mode);
  }

  setCellType(type: 'code' | 'markdown'): void {
    this.doc.setType(type);
  }

  async save(saveAs = false): Promise<void> {
    try {
      const outcome = await saveNotebook(this.doc.notebook, this.record, saveAs);
      if (!outcome.saved) return;
      this.record = outcome.record;
      this.doc.markSaved();
      this.message = `Saved ${this.record.name}.`;
      await this.autosave.flush();
    } catch (error) {
      this.message = `Could not save: ${error instanceof Error ? error.message : String(error)}. Try "Download .ipynb".`;
    }
  }

  saveAs(): void {
    void this.save(true);
  }

  download(): void {
    downloadText(this.record.name, toIpynb(this.doc.notebook));
  }

  /** Downloads the notebook as one self-contained HTML page (the exporter loads on first use). */
  async exportHtml(): Promise<void> {
    try {
      const { downloadHtml, htmlFileName } = await import('../export/index.ts');
      downloadHtml(this.doc.notebook, this.record.name);
      this.message = `Exported ${htmlFileName(this.record.name)}.`;
    } catch (error) {
      this.message = `Could not export: ${error instanceof Error ? error.message : String(error)}.`;
    }
  }

  trust(): void {
    if (this.record.trusted) return;
    this.record = { ...this.record, trusted: true };
    void this.autosave.flush();
  }

  open(): void {
    this.dispatchEvent(new CustomEvent('open-request', { bubbles: true, composed: true }));
  }

  goHome(): void {
    this.dispatchEvent(new CustomEvent('home-request', { bubbles: true, composed: true }));
  }

  openPalette(): void {
    this.paletteOpen = true;
  }

  /** Runs a command by id (toolbar, palette, keys). */
  runCommand(id: string): void {
    if (id === 'palette') return this.openPalette();
    findCommand(id).run(this);
  }

  // ---- focus and keys ----

  private cellElement(id: string | undefined): TailorCell | null {
    return id ? this.renderRoot.querySelector(`tailor-cell[data-id="${id}"]`) : null;
  }

  /** Moves focus to the active cell: its editor in edit mode, the cell itself in command mode. */
  focusActive(mode: 'command' | 'edit'): void {
    this.doc.setMode(mode);
    // Leave the editor at once, so keys typed right after go to command mode, not into the text.
    if (mode === 'command') this.cellElement(this.doc.activeId)?.focus({ preventScroll: true });
    void this.updateComplete.then(async () => {
      const el = this.cellElement(this.doc.activeId);
      if (!el) return;
      el.scrollIntoView({ block: 'nearest' });
      if (mode === 'edit') await el.focusEditor();
      else el.focus({ preventScroll: true });
    });
  }

  private onGlobalKey = (event: KeyboardEvent) => {
    const mod = event.ctrlKey || event.metaKey;
    if (mod && event.shiftKey && event.key.toLowerCase() === 'p') this.openPalette();
    else if (mod && !event.shiftKey && event.key.toLowerCase() === 's') void this.save();
    else if (mod && event.shiftKey && event.key.toLowerCase() === 's') void this.save(true);
    else if (mod && event.key.toLowerCase() === 'o') this.open();
    else return;
    event.preventDefault();
    event.stopPropagation();
  };

  private onCommandKey = (event: KeyboardEvent) => {
    if (this.paletteOpen || this.doc.mode === 'edit') return;
    const path = event.composedPath() as Element[];
    if (path.some((el) => el.tagName === 'TAILOR-CELL-EDITOR' || el.tagName === 'INPUT' || el.tagName === 'BUTTON')) return;
    const action = this.keys.resolve(event);
    if (!action) {
      if (['d', 'D', 'i', 'I', '0'].includes(event.key)) event.preventDefault();
      return;
    }
    event.preventDefault();
    if ('select' in action) {
      this.doc.selectRelative(action.select, 'command');
      this.focusActive('command');
    } else if ('edit' in action) this.focusActive('edit');
    else this.runCommand(action.command);
  };

  private onCellKey(event: CustomEvent<string>): void {
    event.stopPropagation();
    switch (event.detail) {
      case 'run-advance':
        return this.runActive('advance');
      case 'run-stay':
        return this.runActive('stay');
      case 'run-insert':
        return this.runActive('insert');
      case 'leave':
        return this.focusActive('command');
      case 'edge-up':
      case 'edge-down': {
        const delta = event.detail === 'edge-up' ? -1 : 1;
        const before = this.doc.activeId;
        this.doc.selectRelative(delta, 'edit');
        if (this.doc.activeId !== before) {
          void this.updateComplete.then(() => this.cellElement(this.doc.activeId)?.focusEditor(delta < 0 ? 'end' : 'start'));
        }
        return;
      }
    }
  }

  private onBeforeUnload = (event: BeforeUnloadEvent) => {
    void this.autosave.flush();
    if (!this.doc.dirty) return;
    event.preventDefault();
    event.returnValue = '';
  };

  // ---- rendering ----

  private notices() {
    const notes = [];
    if (!this.record.trusted) {
      notes.push(html`<div class="notice untrusted" role="note">
        This notebook came from a file or a link, so its HTML and SVG outputs are shown sanitised and nothing has run.
        <button @click=${() => this.trust()}>Trust</button>
      </div>`);
    }
    if (this.recoveredAt) {
      notes.push(html`<div class="notice recovered" role="status">
        Restored unsaved changes from ${new Date(this.recoveredAt).toLocaleString()}.
        <button @click=${() => (this.recoveredAt = undefined)}>Dismiss</button>
      </div>`);
    }
    if (this.otherTab) {
      notes.push(html`<div class="notice warning" role="alert">
        This notebook is also open in another tab. Edit it in one tab only, or the tabs will overwrite each other's autosave.
        <button @click=${() => (this.otherTab = false)}>Dismiss</button>
      </div>`);
    }
    if (this.autosave.problem) notes.push(html`<div class="notice error" role="alert">${this.autosave.problem}</div>`);
    for (const warning of this.warnings) notes.push(html`<div class="notice warning" role="note">${warning}</div>`);
    if (this.message) {
      notes.push(html`<div class="notice info" role="status">
        ${this.message}
        ${this.doc.canUndoDelete && this.message.startsWith('Cell deleted')
          ? html`<button @click=${() => this.undoDelete()}>Undo</button>`
          : null}
        <button aria-label="Dismiss message" @click=${() => (this.message = '')}>×</button>
      </div>`);
    }
    return notes;
  }

  /** The cells as the TypeScript language service reads them (on every request, so always current). */
  private readonly notebookCells = () => this.doc.notebook.cells.map(({ id, source, cell_type }) => ({ id, source, cell_type }));

  private cellState(id: string) {
    return this.kernel.running === id ? 'running' : this.kernel.queued.has(id) ? 'queued' : 'idle';
  }

  protected render() {
    const { notebook, activeId, mode, dirty } = this.doc;
    const note = this.autosave.problem ? 'Autosave failed' : dirty ? 'Unsaved changes' : 'Saved';
    return html`
      <tailor-toolbar
        .status=${this.kernel.status}
        .backend=${this.kernel.backend}
        .note=${note}
        @command=${(e: CustomEvent<string>) => this.runCommand(e.detail)}
      ></tailor-toolbar>
      <div class="notices">${this.notices()}</div>
      <main class="cells" @cell-key=${this.onCellKey}>
        <header class="title">
          <button class="home" aria-label="Home" title="Home" @click=${() => this.goHome()}>Tailor</button>
          <h1>${this.record.name}${dirty ? html`<span class="dirty" title="Unsaved changes" aria-label="Unsaved changes"> ●</span>` : null}</h1>
          ${this.record.trusted ? null : html`<span class="badge">Not trusted</span>`}
        </header>
        ${repeat(
          notebook.cells,
          (cell) => cell.id,
          (cell, i) => html`<tailor-cell
            data-id=${cell.id}
            tabindex="-1"
            .cell=${cell}
            .number=${i + 1}
            .active=${cell.id === activeId}
            .editing=${cell.id === activeId && mode === 'edit'}
            .runState=${this.cellState(cell.id)}
            .elapsedMs=${this.kernel.elapsed.get(cell.id)}
            .trusted=${this.record.trusted || this.kernel.ranHere.has(cell.id)}
            .getNotebookCells=${this.notebookCells}
            @cell-select=${(e: CustomEvent<{ id: string; edit: boolean }>) => {
              this.doc.select(e.detail.id, e.detail.edit ? 'edit' : 'command');
              if (e.detail.edit) void this.updateComplete.then(() => this.cellElement(e.detail.id)?.focusEditor());
              else this.focusActive('command');
            }}
            @cell-source=${(e: CustomEvent<{ id: string; source: string }>) => this.doc.setSource(e.detail.id, e.detail.source)}
            @cell-clear-output=${(e: CustomEvent<{ id: string }>) => this.doc.update((nb) => clearOutputs(nb, e.detail.id))}
          ></tailor-cell>`,
        )}
        <div class="append">
          <button @click=${() => this.insertCell('code', 'end')}>+ Code</button>
          <button @click=${() => this.insertCell('markdown', 'end')}>+ Text</button>
        </div>
      </main>
      ${this.paletteOpen
        ? html`<tailor-command-palette
            @command=${(e: CustomEvent<string>) => {
              this.paletteOpen = false;
              this.runCommand(e.detail);
            }}
            @close=${() => {
              this.paletteOpen = false;
              this.focusActive(this.doc.mode);
            }}
          ></tailor-command-palette>`
        : null}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tailor-notebook': TailorNotebook;
  }
}
