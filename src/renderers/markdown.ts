/**
 * Markdown to sanitised HTML with `marked`; code fences in TypeScript or
 * JavaScript are highlighted with the editor's own parser (no extra library).
 * Used for Markdown cells and for `text/markdown` outputs. Always sanitised:
 * Markdown never needs to run code.
 */
import { Marked, type Tokens } from 'marked';
import { classHighlighter, highlightCode } from '@lezer/highlight';
import { typescriptLanguage } from '@codemirror/lang-javascript';
import { joinText, type RendererFactory } from './renderer.ts';
import { sanitizeHtml } from './sanitize.ts';

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const HIGHLIGHTED = new Set(['ts', 'typescript', 'js', 'javascript', 'tsx', 'jsx', '']);

function highlightFence(code: string): string {
  let html = '';
  highlightCode(
    code,
    typescriptLanguage.parser.parse(code),
    classHighlighter,
    (text, classes) => (html += classes ? `<span class="${classes}">${escapeHtml(text)}</span>` : escapeHtml(text)),
    () => (html += '\n'),
  );
  return html;
}

const marked = new Marked({
  gfm: true,
  renderer: {
    code({ text, lang }: Tokens.Code) {
      const language = (lang ?? '').trim().split(/\s+/)[0].toLowerCase();
      const body = HIGHLIGHTED.has(language) ? highlightFence(text) : escapeHtml(text);
      return `<pre class="md-code"><code class="language-${escapeHtml(language || 'ts')}">${body}</code></pre>\n`;
    },
  },
});

/** Renders Markdown source into a new sanitised element. */
export function renderMarkdown(source: string): HTMLElement {
  const host = document.createElement('div');
  host.className = 'markdown-body';
  const html = marked.parse(source, { async: false }) as string;
  host.append(sanitizeHtml(html));
  for (const a of host.querySelectorAll('a[href]')) {
    // Links leave the notebook in a new tab so unsaved work stays on screen.
    if (!a.getAttribute('href')?.startsWith('#')) {
      a.setAttribute('target', '_blank');
      a.setAttribute('rel', 'noopener noreferrer');
    }
  }
  return host;
}

export const markdownRenderer: RendererFactory = {
  mimeTypes: ['text/markdown'],
  rank: 60,
  safe: true,
  render: (data) => renderMarkdown(joinText(data)),
};
