/**
 * The home page: the guided notebooks, recently opened notebooks, "New
 * notebook", "Open" (picker, or drop a file anywhere on the page).
 *
 * @fires new-notebook
 * @fires open-request - the user asked for the file picker.
 * @fires open-guided - `CustomEvent<string>` with the guided notebook's path.
 * @fires open-recent - `CustomEvent<string>` with the record key.
 */
import { css, html, LitElement } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { NotebookRecord } from '../storage/index.ts';
import { listGuidedNotebooks, titleOf } from './guided-notebooks.ts';

interface GuidedEntry {
  path: string;
  title: string;
  summary: string;
}

@customElement('tailor-home')
export class TailorHome extends LitElement {
  static styles = css`
    :host {
      display: block;
      max-width: 880px;
      margin: 0 auto;
      padding: 48px 24px 80px;
      color: var(--fg, #1f2328);
    }
    header h1 {
      font-size: 34px;
      margin: 0 0 6px;
      letter-spacing: -0.02em;
    }
    header p {
      margin: 0;
      color: var(--muted, #5f6368);
      font-size: 16px;
      max-width: 640px;
      line-height: 1.5;
    }
    .actions {
      display: flex;
      gap: 10px;
      margin: 26px 0 8px;
    }
    .actions button {
      font: inherit;
      font-size: 15px;
      padding: 9px 18px;
      border-radius: 8px;
      border: 1px solid var(--border, #d0d0d7);
      background: #fff;
      cursor: pointer;
    }
    .actions button.primary {
      background: var(--accent, #2f6fd6);
      border-color: var(--accent, #2f6fd6);
      color: #fff;
    }
    .hint {
      font-size: 13px;
      color: var(--muted, #5f6368);
    }
    h2 {
      font-size: 15px;
      text-transform: uppercase;
      letter-spacing: 0.06em;
      color: var(--muted, #5f6368);
      margin: 36px 0 10px;
    }
    ul {
      list-style: none;
      padding: 0;
      margin: 0;
      display: grid;
      gap: 8px;
    }
    li button {
      width: 100%;
      text-align: left;
      font: inherit;
      padding: 12px 16px;
      border-radius: 8px;
      border: 1px solid var(--border, #e2e2e6);
      background: #fff;
      cursor: pointer;
      display: grid;
      gap: 2px;
    }
    li button:hover,
    li button:focus-visible {
      border-color: var(--accent, #2f6fd6);
    }
    .name {
      font-weight: 600;
    }
    .meta {
      font-size: 13px;
      color: var(--muted, #5f6368);
    }
    .empty {
      color: var(--muted, #5f6368);
      font-size: 14px;
    }
    .error {
      margin-top: 16px;
      padding: 10px 14px;
      border-radius: 6px;
      background: #fdecea;
      color: #8a1f1f;
      white-space: pre-wrap;
      font-size: 14px;
    }
  `;

  /** Recently opened notebooks, newest first. */
  @property({ attribute: false }) recent: readonly NotebookRecord[] = [];
  /** A problem from the last open attempt, shown under the actions. */
  @property() error = '';
  @state() private guided: GuidedEntry[] = listGuidedNotebooks().map((g) => ({ path: g.path, title: g.name, summary: '' }));

  connectedCallback(): void {
    super.connectedCallback();
    void Promise.all(
      listGuidedNotebooks().map(async (g) => ({ path: g.path, ...titleOf(await g.load(), g.name.replace(/\.ipynb$/, '')) })),
    ).then((entries) => (this.guided = entries));
  }

  private emit(name: string, detail?: string): void {
    this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
  }

  protected render() {
    return html`
      <header>
        <h1>Tailor</h1>
        <p>
          TypeScript notebooks for transfer learning, running in your browser. Start from a pretrained ImageNet model and
          tailor it to your own images.
        </p>
      </header>
      <div class="actions">
        <button class="primary" @click=${() => this.emit('new-notebook')}>New notebook</button>
        <button aria-label="Open" @click=${() => this.emit('open-request')}>Open…</button>
      </div>
      <div class="hint">…or drop an <code>.ipynb</code> file anywhere on this page.</div>
      ${this.error ? html`<div class="error" role="alert">${this.error}</div>` : null}
      <h2>Guided notebooks</h2>
      ${this.guided.length
        ? html`<ul>
            ${this.guided.map(
              (g) => html`<li>
                <button @click=${() => this.emit('open-guided', g.path)}>
                  <span class="name">${g.title}</span><span class="meta">${g.summary || g.path}</span>
                </button>
              </li>`,
            )}
          </ul>`
        : html`<p class="empty">No guided notebooks are installed.</p>`}
      <h2>Recent</h2>
      ${this.recent.length
        ? html`<ul>
            ${this.recent.map(
              (r) => html`<li>
                <button @click=${() => this.emit('open-recent', r.key)}>
                  <span class="name">${r.name}${r.dirty ? ' ●' : ''}</span>
                  <span class="meta">${r.origin === 'url' ? r.location : r.origin} · ${new Date(r.updatedAt).toLocaleString()}</span>
                </button>
              </li>`,
            )}
          </ul>`
        : html`<p class="empty">Notebooks you open or create appear here.</p>`}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tailor-home': TailorHome;
  }
}
