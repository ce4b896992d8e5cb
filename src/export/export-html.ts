/**
 * `exportHtml(notebook, {title})`: the notebook as one self-contained HTML
 * page to share — Markdown rendered, code highlighted, outputs (Plot SVGs,
 * images as data URLs, tables, streams, errors) shown as they were saved.
 *
 * The page runs no script and loads nothing: styles are inlined, images are
 * data URLs, every piece of notebook markup is sanitised as untrusted, and a
 * Content-Security-Policy (`default-src 'none'`) makes the browser refuse
 * anything that slipped through. Pure: the same output in the page and in Node.
 */
import type { Cell, Notebook } from '../model/index.ts';
import { EXPORT_STYLES } from './export-styles.ts';
import { highlightTypeScript } from './highlight-code.ts';
import { escapeHtml } from './html-text.ts';
import { markdownToHtml } from './markdown-html.ts';
import { outputToHtml } from './output-html.ts';

export interface ExportHtmlOptions {
  /** The page title and heading; default the notebook's `metadata.title`, else "Notebook". */
  title?: string;
}

/** Nothing may load or run; inline styles and data: images are all the page needs. */
const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; form-action 'none'; base-uri 'none'";

function cellToHtml(cell: Cell): string {
  switch (cell.cell_type) {
    case 'markdown':
      return `<section class="cell markdown"><div class="body markdown">${markdownToHtml(cell.source, cell.attachments)}</div></section>`;
    case 'raw':
      return cell.source.trim() ? `<section class="cell raw"><div class="body"><pre class="text-output">${escapeHtml(cell.source)}</pre></div></section>` : '';
    case 'code': {
      const prompt = `[${cell.execution_count ?? ' '}]:`;
      const outputs = cell.outputs.map(outputToHtml).join('\n');
      return (
        `<section class="cell code"><div class="prompt">${escapeHtml(prompt)}</div><div class="body">` +
        `<pre class="code"><code>${highlightTypeScript(cell.source)}</code></pre>` +
        (outputs ? `<div class="outputs">${outputs}</div>` : '') +
        `</div></section>`
      );
    }
  }
}

/** The notebook as a self-contained, script-free HTML document (a string). */
export function exportHtml(notebook: Notebook, options: ExportHtmlOptions = {}): string {
  const metadataTitle = typeof notebook.metadata['title'] === 'string' ? (notebook.metadata['title'] as string) : undefined;
  const title = options.title ?? metadataTitle ?? 'Notebook';
  const cells = notebook.cells.map(cellToHtml).filter(Boolean).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Tailor">
<title>${escapeHtml(title)}</title>
<style>${EXPORT_STYLES}</style>
</head>
<body>
<main>
<header class="notebook-title"><h1>${escapeHtml(title)}</h1></header>
${cells}
<footer>Exported from Tailor. A static copy: nothing on this page runs.</footer>
</main>
</body>
</html>
`;
}
