/** Styles for rendered outputs and Markdown (shared by output areas and Markdown cells). */
import { css } from 'lit';

export const outputStyles = css`
  pre {
    margin: 0;
    white-space: pre-wrap;
    word-break: break-word;
    font-family: var(--mono, ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace);
    font-size: 13px;
    line-height: 1.45;
  }
  .output-stderr {
    background: #fff5f5;
    color: #8a1f1f;
    padding: 2px 4px;
  }
  .output-error {
    background: #fdf2f2;
    border-left: 3px solid #d93025;
    padding: 6px 10px;
    border-radius: 4px;
    font-size: 13px;
  }
  .error-head {
    font-family: var(--mono, ui-monospace, monospace);
    color: #a50e0e;
    margin-bottom: 4px;
  }
  .output-html,
  .output-svg {
    overflow-x: auto;
    font-size: 14px;
  }
  .output-html table {
    border-collapse: collapse;
    font-size: 13px;
  }
  .output-html th,
  .output-html td {
    border-bottom: 1px solid #e2e2e6;
    padding: 3px 10px;
    text-align: right;
  }
  .output-image {
    max-width: 100%;
    image-rendering: auto;
  }
  .output-json ul {
    list-style: none;
    margin: 0;
    padding-left: 1.2em;
    font-family: var(--mono, monospace);
    font-size: 13px;
  }
  .output-json summary {
    cursor: pointer;
    font-family: var(--mono, monospace);
    font-size: 13px;
  }
  .json-key {
    color: #7a3e9d;
  }
  .json-string {
    color: #0b7a39;
  }
  .json-number {
    color: #1a56b8;
  }
  .output-progress {
    display: flex;
    align-items: center;
    gap: 10px;
    font-size: 13px;
  }
  .output-progress progress {
    width: 240px;
    height: 10px;
  }
  .progress-figures {
    color: var(--muted, #5f6368);
    font-variant-numeric: tabular-nums;
  }
  .output-unsupported {
    color: var(--muted, #5f6368);
    font-style: italic;
  }
  .markdown-body {
    font-size: 15px;
    line-height: 1.6;
    color: var(--fg, #1f2328);
  }
  .markdown-body h1,
  .markdown-body h2,
  .markdown-body h3 {
    line-height: 1.25;
    margin: 0.6em 0 0.4em;
  }
  .markdown-body h1 {
    font-size: 1.7em;
  }
  .markdown-body h2 {
    font-size: 1.35em;
  }
  .markdown-body p {
    margin: 0.4em 0;
  }
  .markdown-body code {
    font-family: var(--mono, monospace);
    font-size: 0.88em;
    background: #f0f0f3;
    padding: 1px 4px;
    border-radius: 3px;
  }
  .markdown-body pre.md-code {
    background: #f7f7f8;
    padding: 8px 12px;
    border-radius: 6px;
  }
  .markdown-body pre.md-code code {
    background: none;
    padding: 0;
  }
  .markdown-body img {
    max-width: 100%;
  }
  .markdown-body blockquote {
    margin: 0.5em 0;
    padding-left: 1em;
    border-left: 3px solid #d0d0d7;
    color: var(--muted, #5f6368);
  }
  .tok-keyword {
    color: #7a3e9d;
  }
  .tok-string,
  .tok-string2 {
    color: #0b7a39;
  }
  .tok-number,
  .tok-bool,
  .tok-atom {
    color: #1a56b8;
  }
  .tok-comment {
    color: #6e7781;
    font-style: italic;
  }
  .tok-typeName,
  .tok-className {
    color: #a15c00;
  }
  .tok-propertyName,
  .tok-definition {
    color: #1f4f8f;
  }
`;
