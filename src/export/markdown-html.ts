/**
 * Markdown (cells and `text/markdown` outputs) to sanitised HTML with
 * `marked`: TypeScript/JavaScript fences are highlighted; `attachment:NAME`
 * images of the cell become data URLs; everything goes through the
 * untrusted-markup sanitiser.
 */
import { Marked, type Tokens } from 'marked';
import type { Attachments } from '../model/index.ts';
import { highlightTypeScript } from './highlight-code.ts';
import { escapeHtml } from './html-text.ts';
import { sanitizeMarkup } from './sanitize-markup.ts';

const HIGHLIGHTED = new Set(['', 'ts', 'typescript', 'js', 'javascript', 'tsx', 'jsx']);

const marked = new Marked({
  gfm: true,
  renderer: {
    code({ text, lang }: Tokens.Code) {
      const language = (lang ?? '').trim().split(/\s+/)[0].toLowerCase();
      const body = HIGHLIGHTED.has(language) ? highlightTypeScript(text) : escapeHtml(text);
      return `<pre class="code"><code>${body}</code></pre>\n`;
    },
  },
});

/** The data URL of an `attachment:NAME` reference, or the reference unchanged when the cell has no such image. */
function resolveAttachment(url: string, attachments: Attachments | undefined): string {
  if (!url.startsWith('attachment:') || !attachments) return url;
  const bundle = attachments[decodeURIComponent(url.slice('attachment:'.length))];
  if (!bundle) return url;
  const type = Object.keys(bundle).find((mime) => mime.startsWith('image/') && typeof bundle[mime] === 'string');
  if (!type) return url;
  const data = String(bundle[type]);
  return type === 'image/svg+xml' ? `data:image/svg+xml;charset=utf-8,${encodeURIComponent(data)}` : `data:${type};base64,${data.replace(/\s+/g, '')}`;
}

/** Markdown source → sanitised HTML. */
export function markdownToHtml(source: string, attachments?: Attachments): string {
  const html = marked.parse(source, {
    async: false,
    walkTokens: (token) => {
      if (token.type === 'image') (token as Tokens.Image).href = resolveAttachment((token as Tokens.Image).href, attachments);
    },
  }) as string;
  return sanitizeMarkup(html);
}
