/**
 * The drop zone and picker a cell's `ask.files(options)` shows in its
 * output. Dropped or picked files (a whole folder with `directory: true`)
 * are filtered by `accept`, read as bytes and sent to the kernel as
 * `{name, path, type, bytes}` items; the kernel then replaces this output
 * with a summary.
 *
 * @csspart zone - the drop zone.
 */
import { consume } from '@lit/context';
import { css, html, LitElement } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { matchesAccept } from '../../kernels/protocol/index.ts';
import { payloadReply, type AskRequest, type PayloadFile } from './ask-request.ts';
import { droppedFiles, pickedFiles, type ChosenFile } from './dropped-files.ts';
import { InputBroker, inputBrokerContext } from './input-broker.ts';

@customElement('tailor-ask-files')
export class TailorAskFiles extends LitElement {
  static styles = css`
    :host {
      display: block;
      font: inherit;
    }
    .zone {
      border: 2px dashed var(--border, #c8ccd2);
      border-radius: 8px;
      padding: 16px;
      text-align: center;
      color: var(--fg, #1f2328);
      background: var(--active-bg, #fafbfc);
    }
    .zone.over {
      border-color: var(--accent, #2f6fd6);
      background: #eef4fe;
    }
    .prompt {
      font-weight: 600;
      margin: 0 0 6px;
    }
    .hint {
      color: var(--muted, #5f6368);
      margin: 0 0 10px;
    }
    button {
      font: inherit;
      padding: 4px 12px;
      border-radius: 6px;
      border: 1px solid var(--accent, #2f6fd6);
      background: var(--accent, #2f6fd6);
      color: white;
      cursor: pointer;
    }
    button:disabled {
      opacity: 0.5;
      cursor: default;
    }
    .status {
      margin: 8px 0 0;
      min-height: 1.2em;
    }
    .status.problem {
      color: #b3261e;
    }
    input {
      display: none;
    }
  `;

  /** The kernel's request (id, prompt, options) from the output. */
  @property({ attribute: false }) request!: AskRequest;
  @consume({ context: inputBrokerContext }) broker?: InputBroker;
  @state() private over = false;
  @state() private busy = false;
  @state() private status = '';
  @state() private problem = false;

  private get directory(): boolean {
    return this.request.options.directory === true;
  }

  protected render() {
    const accept = typeof this.request.options.accept === 'string' ? this.request.options.accept : '';
    const multiple = this.request.options.multiple !== false;
    const what = this.directory ? 'a folder' : multiple ? 'files' : 'a file';
    return html`<div
      class="zone ${this.over ? 'over' : ''}"
      part="zone"
      role="group"
      aria-label=${this.request.prompt || 'Choose files'}
      @dragover=${this.onDragOver}
      @dragleave=${() => (this.over = false)}
      @drop=${this.onDrop}
    >
      <p class="prompt">${this.request.prompt || 'Choose files'}</p>
      <p class="hint">Drop ${what} here${accept ? html` (${accept})` : null}, or</p>
      <button ?disabled=${this.busy} @click=${() => this.renderRoot.querySelector('input')?.click()}>
        ${this.directory ? 'Choose folder…' : multiple ? 'Choose files…' : 'Choose file…'}
      </button>
      <input
        type="file"
        aria-label=${this.directory ? 'Folder' : 'Files'}
        accept=${accept}
        ?multiple=${multiple || this.directory}
        ?webkitdirectory=${this.directory}
        @change=${this.onPick}
      />
      <p class="status ${this.problem ? 'problem' : ''}" role="status">${this.status}</p>
    </div>`;
  }

  private onDragOver = (event: DragEvent) => {
    event.preventDefault();
    // The drop is ours: keep the app's "drop a notebook" overlay away (a dragleave without target hides it).
    event.stopPropagation();
    if (!this.over) window.dispatchEvent(new DragEvent('dragleave'));
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    this.over = true;
  };

  private onDrop = async (event: DragEvent) => {
    event.preventDefault();
    // Keep the notebook's own drop handler (open a dropped .ipynb) out of it.
    event.stopPropagation();
    this.over = false;
    if (event.dataTransfer) await this.send(await droppedFiles(event.dataTransfer));
  };

  private onPick = async (event: Event) => {
    const input = event.target as HTMLInputElement;
    if (input.files?.length) await this.send(pickedFiles(input.files));
    input.value = '';
  };

  private say(text: string, problem = false): void {
    this.status = text;
    this.problem = problem;
  }

  /** Filters by accept, reads the bytes and replies to the kernel. */
  private async send(chosen: ChosenFile[]): Promise<void> {
    if (this.busy) return;
    const accept = typeof this.request.options.accept === 'string' ? this.request.options.accept : '';
    let files = chosen.filter(({ file, path }) => matchesAccept({ name: path.split('/').pop() ?? file.name, type: file.type }, accept));
    if (files.length === 0) {
      return this.say(`None of the ${chosen.length} file${chosen.length === 1 ? '' : 's'} matches ${accept}. Choose others.`, true);
    }
    if (this.request.options.multiple === false && !this.directory) files = files.slice(0, 1);
    this.busy = true;
    this.say(`Reading ${files.length} file${files.length === 1 ? '' : 's'}…`);
    try {
      const items: PayloadFile[] = await Promise.all(
        files.map(async ({ file, path }) => ({ name: file.name, path, type: file.type, bytes: await file.arrayBuffer() })),
      );
      const sent = this.broker?.reply(this.request.id, payloadReply(items, 'files')) ?? false;
      if (sent) this.say(`Sent ${items.length} file${items.length === 1 ? '' : 's'} to the kernel.`);
      else this.say('The cell is no longer waiting for files. Run it again to choose files.', true);
    } catch (error) {
      this.say(`Could not read the files: ${error instanceof Error ? error.message : String(error)}`, true);
    } finally {
      this.busy = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tailor-ask-files': TailorAskFiles;
  }
}
