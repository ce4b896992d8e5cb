/**
 * The application shell: home or one notebook, chosen from the address
 * (`?open=<url or path>`, `?nb=<autosave key>`), file picks and drops. It
 * provides the services the views consume: the autosave store and the
 * kernel factory.
 */
import { provide } from '@lit/context';
import { css, html, LitElement } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import { KernelClient } from '../kernel-client/index.ts';
import { NotebookStore, pickNotebookFile, readNotebookFile, type NotebookRecord, type OpenedFile } from '../storage/index.ts';
import { kernelFactoryContext, storeContext } from './contexts.ts';
import { newNotebook, openLocation, openRecord, openText, OpenError, type OpenedNotebook } from './open-notebook.ts';
import './tailor-home.ts';

@customElement('tailor-app')
export class TailorApp extends LitElement {
  static styles = css`
    :host {
      display: block;
      min-height: 100vh;
    }
    .drop {
      position: fixed;
      inset: 0;
      display: grid;
      place-items: center;
      background: rgba(47, 111, 214, 0.12);
      border: 3px dashed var(--accent, #2f6fd6);
      font-size: 20px;
      color: var(--accent, #2f6fd6);
      pointer-events: none;
      z-index: 20;
    }
    .loading {
      padding: 40px;
      text-align: center;
      color: var(--muted, #5f6368);
    }
    input[type='file'] {
      display: none;
    }
  `;

  @provide({ context: storeContext }) @property({ attribute: false }) store = new NotebookStore();
  @provide({ context: kernelFactoryContext }) @property({ attribute: false }) createKernel = () => new KernelClient();

  @state() private opened?: OpenedNotebook;
  @state() private loading = false;
  @state() private error = '';
  @state() private recent: NotebookRecord[] = [];
  @state() private dragging = false;
  @query('input[type=file]') private fileInput!: HTMLInputElement;

  connectedCallback(): void {
    super.connectedCallback();
    addEventListener('popstate', this.route);
    addEventListener('dragover', this.onDragOver);
    addEventListener('dragleave', this.onDragLeave);
    addEventListener('drop', this.onDrop);
    void this.route();
    // Most visits open a notebook next, and TypeScript's worker needs a second or more to build its first
    // program: start it once the home page is idle, so the first completion answers at once (~0.1 s once warm).
    const whenIdle = globalThis.requestIdleCallback ?? ((run: () => void) => setTimeout(run, 1000));
    whenIdle(() => void import('../language/index.ts').then(({ sharedLanguageClient }) => sharedLanguageClient().start()), { timeout: 3000 });
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    removeEventListener('popstate', this.route);
    removeEventListener('dragover', this.onDragOver);
    removeEventListener('dragleave', this.onDragLeave);
    removeEventListener('drop', this.onDrop);
  }

  /** Shows what the address asks for. */
  private route = async () => {
    const params = new URLSearchParams(location.search);
    const key = params.get('nb');
    const open = params.get('open');
    if (key) await this.show(() => openRecord(this.store, key), false);
    else if (open) await this.show(() => openLocation(this.store, open), false);
    else {
      this.opened = undefined;
      await this.refreshRecent();
    }
  };

  private async refreshRecent(): Promise<void> {
    this.recent = await this.store.recent().catch(() => []);
  }

  /** Opens a notebook; on failure goes home with the reason. `push` records it in the address. */
  private async show(load: () => Promise<OpenedNotebook>, push: boolean): Promise<void> {
    this.loading = true;
    this.error = '';
    try {
      // TypeScript's language worker takes seconds to get ready, and the first completion waits for it:
      // start it now, beside loading the notebook view, rather than once the view's editors exist.
      void import('../language/index.ts').then(({ sharedLanguageClient }) => sharedLanguageClient().start());
      // The notebook view (CodeMirror, renderers) is its own chunk: the home page does not wait for it.
      const [opened] = await Promise.all([load(), import('./tailor-notebook.ts')]);
      await this.store.put(opened.record).catch(() => undefined);
      this.opened = opened;
      const url = new URL(location.href);
      url.search = opened.record.origin === 'url' ? `?open=${encodeURIComponent(opened.record.location!)}` : `?nb=${encodeURIComponent(opened.record.key)}`;
      if (url.href !== location.href) history[push ? 'pushState' : 'replaceState'](null, '', url);
    } catch (error) {
      this.opened = undefined;
      this.error = error instanceof OpenError ? error.message : `Could not open the notebook: ${String(error)}`;
      history.replaceState(null, '', location.pathname);
      await this.refreshRecent();
    } finally {
      this.loading = false;
    }
  }

  private openFile(file: OpenedFile): Promise<void> {
    return this.show(
      () => openText(this.store, file.text, { key: `file:${crypto.randomUUID()}`, name: file.name, origin: 'file', trusted: false, handle: file.handle }),
      true,
    );
  }

  private async pickFile(): Promise<void> {
    try {
      const file = await pickNotebookFile(() => this.fileInput);
      if (file) await this.openFile(file);
    } catch (error) {
      this.error = `Could not open the file: ${String(error)}`;
    }
  }

  private goHome(): void {
    history.pushState(null, '', location.pathname);
    void this.route();
  }

  private onDragOver = (event: DragEvent) => {
    if (!event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault();
    this.dragging = true;
  };

  private onDragLeave = (event: DragEvent) => {
    if (!event.relatedTarget) this.dragging = false;
  };

  private onDrop = async (event: DragEvent) => {
    const file = event.dataTransfer?.files[0];
    this.dragging = false;
    if (!file) return;
    event.preventDefault();
    if (!file.name.endsWith('.ipynb')) {
      this.error = `${file.name} is not a notebook: drop a .ipynb file.`;
      if (this.opened) this.goHome();
      return;
    }
    await this.openFile(await readNotebookFile(file));
  };

  protected render() {
    const opened = this.opened;
    return html`
      ${this.loading && !opened
        ? html`<div class="loading">Opening…</div>`
        : opened
          ? keyed(
              opened.record.key,
              html`<tailor-notebook
                .record=${opened.record}
                .initial=${opened.notebook}
                .warnings=${opened.warnings}
                .recoveredAt=${opened.recoveredAt}
                @open-request=${() => this.pickFile()}
                @home-request=${() => this.goHome()}
              ></tailor-notebook>`,
            )
          : html`<tailor-home
              .recent=${this.recent}
              .error=${this.error}
              @new-notebook=${() => this.show(async () => newNotebook(), true)}
              @open-request=${() => this.pickFile()}
              @open-guided=${(e: CustomEvent<string>) => this.show(() => openLocation(this.store, e.detail), true)}
              @open-recent=${(e: CustomEvent<string>) => this.show(() => openRecord(this.store, e.detail), true)}
            ></tailor-home>`}
      <input type="file" accept=".ipynb,application/x-ipynb+json" aria-label="Notebook file" />
      ${this.dragging ? html`<div class="drop">Drop the notebook to open it</div>` : null}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tailor-app': TailorApp;
  }
}
