/** Layout of the notebook view: a calm centred column under a sticky toolbar. */
import { css } from 'lit';

export const notebookStyles = css`
  :host {
    display: block;
    min-height: 100vh;
    background: var(--page-bg, #fff);
  }
  tailor-toolbar {
    position: sticky;
    top: 0;
    z-index: 5;
  }
  .notices {
    max-width: 980px;
    margin: 0 auto;
    padding: 0 16px;
  }
  .notice {
    display: flex;
    align-items: center;
    gap: 10px;
    margin-top: 10px;
    padding: 8px 12px;
    border-radius: 6px;
    font-size: 13px;
    background: #eef3fd;
    color: #1d3a6e;
  }
  .notice.untrusted,
  .notice.warning {
    background: #fff7e0;
    color: #6b4a00;
  }
  .notice.error {
    background: #fdecea;
    color: #8a1f1f;
  }
  .notice button {
    font: inherit;
    font-size: 12px;
    padding: 2px 10px;
    border-radius: 4px;
    border: 1px solid currentColor;
    background: transparent;
    color: inherit;
    cursor: pointer;
  }
  .cells {
    max-width: 980px;
    margin: 0 auto;
    padding: 8px 16px 40vh;
  }
  .title {
    display: flex;
    align-items: baseline;
    gap: 12px;
    padding: 14px 0 10px 83px;
  }
  .title h1 {
    font-size: 20px;
    font-weight: 600;
    margin: 0;
  }
  .title .home {
    font: inherit;
    font-weight: 700;
    color: var(--accent, #2f6fd6);
    background: none;
    border: none;
    padding: 0;
    cursor: pointer;
  }
  .dirty {
    color: var(--accent, #2f6fd6);
  }
  .badge {
    font-size: 11px;
    padding: 1px 8px;
    border-radius: 10px;
    background: #fff7e0;
    color: #6b4a00;
  }
  tailor-cell:focus {
    outline: none;
  }
  tailor-cell:focus-visible {
    outline: 2px solid var(--command, #9aa0a6);
  }
  .append {
    display: flex;
    gap: 8px;
    padding: 12px 0 0 83px;
  }
  .append button {
    font: inherit;
    font-size: 13px;
    padding: 4px 14px;
    border-radius: 6px;
    border: 1px dashed var(--border, #d0d0d7);
    background: none;
    color: var(--muted, #5f6368);
    cursor: pointer;
  }
  .append button:hover {
    color: var(--fg, #1f2328);
    border-style: solid;
  }
`;
