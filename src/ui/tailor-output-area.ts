/**
 * The outputs of one code cell, drawn by the ranked renderers. Tall output
 * collapses with "Show more"; it can also be scrolled in place or cleared.
 *
 * @fires clear-output - the user asked to clear this cell's output.
 */
import { css, html, LitElement, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { Output } from '../model/index.ts';
import { createDefaultRegistry, renderOutput, type OutputLike } from '../renderers/index.ts';
import { outputStyles } from './output-styles.ts';

const registry = createDefaultRegistry();
/** Pixels of output shown before "Show more". */
const COLLAPSED_HEIGHT = 480;

@customElement('tailor-output-area')
export class TailorOutputArea extends LitElement {
  static styles = [
    outputStyles,
    css`
      :host {
        display: block;
      }
      .outputs {
        position: relative;
        overflow: hidden;
      }
      .outputs.collapsed {
        max-height: ${COLLAPSED_HEIGHT}px;
        mask-image: linear-gradient(to bottom, black 85%, transparent);
      }
      .outputs.scrolled {
        max-height: ${COLLAPSED_HEIGHT}px;
        overflow: auto;
      }
      .actions {
        opacity: 0;
        transition: opacity 0.15s;
        display: flex;
        gap: 6px;
        margin-top: 2px;
      }
      :host(:hover) .actions,
      .actions:focus-within {
        opacity: 1;
      }
      .actions button {
        font: inherit;
        font-size: 12px;
        color: var(--muted, #5f6368);
        background: none;
        border: 1px solid transparent;
        border-radius: 4px;
        padding: 1px 6px;
        cursor: pointer;
      }
      .actions button:hover,
      .actions button:focus-visible {
        border-color: var(--border, #e2e2e6);
        color: var(--fg, #1f2328);
      }
    `,
  ];

  /** The cell's outputs. */
  @property({ attribute: false }) outputs: readonly Output[] = [];
  /** Whether HTML/SVG may be shown unsanitised. */
  @property({ type: Boolean }) trusted = false;
  @state() private expanded = false;
  @state() private scrolled = false;
  @state() private overflowing = false;
  @query('.outputs') private container!: HTMLElement;

  protected render() {
    const cls = this.scrolled ? 'scrolled' : this.overflowing && !this.expanded ? 'collapsed' : '';
    return html`
      <div class="outputs ${cls}" role="region" aria-label="Output" aria-live="polite"></div>
      ${this.outputs.length
        ? html`<div class="actions">
            ${this.overflowing && !this.scrolled
              ? html`<button @click=${() => (this.expanded = !this.expanded)}>${this.expanded ? 'Show less' : 'Show more'}</button>`
              : null}
            ${this.overflowing || this.scrolled
              ? html`<button @click=${() => (this.scrolled = !this.scrolled)}>${this.scrolled ? 'Stop scrolling' : 'Scroll'}</button>`
              : null}
            <button aria-label="Clear output" @click=${() => this.dispatchEvent(new CustomEvent('clear-output', { bubbles: true, composed: true }))}>
              Clear
            </button>
          </div>`
        : null}
    `;
  }

  protected updated(changed: PropertyValues<this>): void {
    if (!changed.has('outputs') && !changed.has('trusted')) return;
    const context = { trusted: this.trusted };
    const nodes = this.outputs.map((output) => {
      try {
        return renderOutput(output as OutputLike, registry, context);
      } catch (error) {
        const note = document.createElement('div');
        note.className = 'output-unsupported';
        note.textContent = `This output could not be shown: ${error instanceof Error ? error.message : String(error)}`;
        return note;
      }
    });
    this.container.replaceChildren(...nodes);
    requestAnimationFrame(() => {
      const overflowing = this.container.scrollHeight > COLLAPSED_HEIGHT + 40;
      if (overflowing !== this.overflowing) this.overflowing = overflowing;
    });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tailor-output-area': TailorOutputArea;
  }
}
