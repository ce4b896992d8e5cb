/**
 * The command palette (Ctrl/Cmd+Shift+P): type to filter the command table,
 * arrows to choose, Enter to run, Escape to close.
 *
 * @fires command - `CustomEvent<string>` with the chosen command id.
 * @fires close - the palette closed without a choice.
 */
import { css, html, LitElement } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { COMMANDS, type Command } from './commands.ts';

@customElement('tailor-command-palette')
export class TailorCommandPalette extends LitElement {
  static styles = css`
    :host {
      position: fixed;
      inset: 0;
      display: flex;
      justify-content: center;
      align-items: flex-start;
      padding-top: 12vh;
      background: rgba(20, 20, 30, 0.18);
      z-index: 10;
    }
    .box {
      width: min(560px, 92vw);
      background: #fff;
      border-radius: 10px;
      box-shadow: 0 12px 40px rgba(0, 0, 0, 0.2);
      overflow: hidden;
    }
    input {
      width: 100%;
      box-sizing: border-box;
      font: inherit;
      font-size: 15px;
      padding: 12px 14px;
      border: none;
      border-bottom: 1px solid #e2e2e6;
      outline: none;
    }
    ul {
      list-style: none;
      margin: 0;
      padding: 4px 0;
      max-height: 50vh;
      overflow: auto;
    }
    li {
      display: flex;
      justify-content: space-between;
      padding: 7px 14px;
      font-size: 14px;
      cursor: pointer;
    }
    li[aria-selected='true'] {
      background: #e8f0fe;
    }
    kbd {
      font-family: var(--mono, monospace);
      font-size: 12px;
      color: #5f6368;
    }
  `;

  @property({ attribute: false }) commands: readonly Command[] = COMMANDS;
  @state() private filter = '';
  @state() private index = 0;
  @query('input') private input!: HTMLInputElement;

  private get visibleCommands(): Command[] {
    const words = this.filter.toLowerCase().split(/\s+/).filter(Boolean);
    return this.commands.filter((c) => words.every((w) => c.label.toLowerCase().includes(w)));
  }

  protected firstUpdated(): void {
    this.input.focus();
  }

  private choose(command: Command | undefined): void {
    if (command) this.dispatchEvent(new CustomEvent<string>('command', { detail: command.id }));
  }

  private onKey(event: KeyboardEvent): void {
    const matches = this.visibleCommands;
    if (event.key === 'ArrowDown') this.index = Math.min(matches.length - 1, this.index + 1);
    else if (event.key === 'ArrowUp') this.index = Math.max(0, this.index - 1);
    else if (event.key === 'Enter') this.choose(matches[this.index]);
    else if (event.key === 'Escape') this.dispatchEvent(new CustomEvent('close'));
    else return;
    event.preventDefault();
    event.stopPropagation();
  }

  protected render() {
    const matches = this.visibleCommands;
    return html`<div class="box" role="dialog" aria-label="Command palette" @click=${(e: Event) => e.stopPropagation()}>
      <input
        aria-label="Search commands"
        placeholder="Type a command…"
        .value=${this.filter}
        @input=${(e: Event) => {
          this.filter = (e.target as HTMLInputElement).value;
          this.index = 0;
        }}
        @keydown=${this.onKey}
      />
      <ul role="listbox" aria-label="Commands">
        ${matches.map(
          (c, i) => html`<li role="option" aria-selected=${i === this.index ? 'true' : 'false'} @click=${() => this.choose(c)}>
            <span>${c.label}</span>${c.keys ? html`<kbd>${c.keys}</kbd>` : null}
          </li>`,
        )}
      </ul>
    </div>`;
  }

  connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('click', () => this.dispatchEvent(new CustomEvent('close')));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tailor-command-palette': TailorCommandPalette;
  }
}
