/**
 * The kernel indicator: a dot and the state (starting / idle / busy / dead),
 * labelled "Kernel status", with the TensorFlow.js backend beside it.
 */
import { css, html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { KernelStatus } from '../kernel-client/index.ts';

@customElement('tailor-kernel-status')
export class TailorKernelStatus extends LitElement {
  static styles = css`
    :host {
      display: inline-flex;
      align-items: center;
      gap: 6px;
      font-size: 13px;
      color: var(--muted, #5f6368);
    }
    .dot {
      width: 9px;
      height: 9px;
      border-radius: 50%;
      background: #9aa0a6;
    }
    .dot.idle {
      background: #1e8e3e;
    }
    .dot.busy {
      background: #f29900;
      animation: pulse 1s ease-in-out infinite;
    }
    .dot.dead {
      background: #d93025;
    }
    .backend {
      font-family: var(--mono, monospace);
      font-size: 12px;
      padding: 1px 6px;
      border: 1px solid var(--border, #e2e2e6);
      border-radius: 10px;
    }
    @keyframes pulse {
      50% {
        opacity: 0.35;
      }
    }
  `;

  @property() status: KernelStatus = 'starting';
  /** The TensorFlow.js backend the kernel uses, once known. */
  @property() backend = '';

  protected render() {
    return html`<span class="dot ${this.status}" aria-hidden="true"></span
      ><span role="status" aria-label="Kernel status">${this.status}</span
      >${this.backend ? html`<span class="backend" title="TensorFlow.js backend">${this.backend}</span>` : null}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tailor-kernel-status': TailorKernelStatus;
  }
}
