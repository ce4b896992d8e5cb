/**
 * The notebook's toolbar: file, cell and kernel actions as buttons with
 * accessible names, the kernel indicator, and the dirty/autosave state.
 *
 * @fires command - `CustomEvent<string>` with a command id from `commands.ts`.
 */
import { css, html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { KernelStatus } from '../kernel-client/index.ts';
import { ICONS } from './icons.ts';
import './tailor-kernel-status.ts';

interface Button {
  command: string;
  label: string;
  icon: string;
  text?: string;
}

const GROUPS: Button[][] = [
  [
    { command: 'open', label: 'Open', icon: 'open' },
    { command: 'save', label: 'Save', icon: 'save' },
    { command: 'export-html', label: 'Export HTML', icon: 'export' },
  ],
  [
    { command: 'add-code-cell', label: 'Add code cell', icon: 'plus', text: 'Code' },
    { command: 'add-markdown-cell', label: 'Add markdown cell', icon: 'plus', text: 'Text' },
  ],
  [
    { command: 'run-cell', label: 'Run cell', icon: 'run' },
    { command: 'run-all', label: 'Run all', icon: 'runAll', text: 'Run all' },
    { command: 'interrupt', label: 'Interrupt kernel', icon: 'stop' },
    { command: 'restart', label: 'Restart kernel', icon: 'restart' },
  ],
  [
    { command: 'move-up', label: 'Move cell up', icon: 'up' },
    { command: 'move-down', label: 'Move cell down', icon: 'down' },
    { command: 'clear-outputs', label: 'Clear all outputs', icon: 'clear' },
  ],
];

@customElement('tailor-toolbar')
export class TailorToolbar extends LitElement {
  static styles = css`
    :host {
      display: flex;
      align-items: center;
      flex-wrap: wrap;
      gap: 4px 10px;
      padding: 6px 16px;
      border-bottom: 1px solid var(--border, #e2e2e6);
      background: var(--toolbar-bg, #fff);
    }
    .group {
      display: flex;
      gap: 2px;
      padding-right: 10px;
      border-right: 1px solid var(--border, #e2e2e6);
    }
    button {
      font: inherit;
      font-size: 13px;
      display: inline-flex;
      align-items: center;
      gap: 4px;
      min-width: 30px;
      height: 30px;
      padding: 0 8px;
      border: 1px solid transparent;
      border-radius: 6px;
      background: none;
      color: var(--fg, #1f2328);
      cursor: pointer;
    }
    button:hover {
      background: #f0f1f3;
    }
    button:focus-visible {
      outline: 2px solid var(--accent, #2f6fd6);
    }
    .spacer {
      flex: 1;
    }
    .state {
      font-size: 12px;
      color: var(--muted, #5f6368);
    }
    .palette {
      color: var(--muted, #5f6368);
      font-size: 12px;
    }
  `;

  @property() status: KernelStatus = 'starting';
  @property() backend = '';
  /** A short note on the right: "Unsaved changes", "Autosaved", an autosave problem. */
  @property() note = '';

  private emit(command: string): void {
    this.dispatchEvent(new CustomEvent<string>('command', { detail: command, bubbles: true, composed: true }));
  }

  protected render() {
    return html`
      ${GROUPS.map(
        (group) => html`<div class="group">
          ${group.map(
            (b) => html`<button aria-label=${b.label} title=${b.label} @click=${() => this.emit(b.command)}>
              ${ICONS[b.icon]}${b.text ? html`<span aria-hidden="true">${b.text}</span>` : null}
            </button>`,
          )}
        </div>`,
      )}
      <button class="palette" aria-label="Command palette" title="Command palette (Ctrl+Shift+P)" @click=${() => this.emit('palette')}>
        ${ICONS.palette}<span aria-hidden="true">Commands</span>
      </button>
      <span class="spacer"></span>
      <span class="state">${this.note}</span>
      <tailor-kernel-status .status=${this.status} .backend=${this.backend}></tailor-kernel-status>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tailor-toolbar': TailorToolbar;
  }
}
