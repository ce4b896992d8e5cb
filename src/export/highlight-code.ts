/**
 * TypeScript source to highlighted HTML, with the editor's own grammar
 * (`@lezer/javascript`, TypeScript dialect) and `@lezer/highlight`'s
 * `classHighlighter`: tokens become `<span class="tok-…">`, coloured by the
 * export's stylesheet. No extra highlighting library, no network.
 */
import { classHighlighter, highlightCode } from '@lezer/highlight';
import { parser } from '@lezer/javascript';
import { escapeHtml } from './html-text.ts';

const typescriptParser = parser.configure({ dialect: 'ts' });

/** The code as HTML (escaped text and `tok-*` spans; line breaks kept as `\n`). */
export function highlightTypeScript(code: string): string {
  let html = '';
  highlightCode(
    code,
    typescriptParser.parse(code),
    classHighlighter,
    (text, classes) => (html += classes ? `<span class="${classes}">${escapeHtml(text)}</span>` : escapeHtml(text)),
    () => (html += '\n'),
  );
  return html;
}
