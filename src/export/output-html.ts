/**
 * One cell output to static HTML for the export: the richest MIME type of a
 * bundle that a page without scripts can show (HTML, SVG, images, Markdown,
 * JSON, progress, plain text), streams and errors with their ANSI colours.
 * Markup from the notebook is always sanitised (an exported notebook is
 * untrusted content for whoever opens it).
 */
import type { MimeBundle, Output } from '../model/index.ts';
import { ansiToHtml } from './ansi-html.ts';
import { escapeHtml } from './html-text.ts';
import { markdownToHtml } from './markdown-html.ts';
import { sanitizeMarkup } from './sanitize-markup.ts';

const PROGRESS_MIME = 'application/vnd.tailor.progress+json';
const BASE64_IMAGES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];

const text = (value: unknown): string => (Array.isArray(value) ? value.join('') : typeof value === 'string' ? value : JSON.stringify(value, null, 2));

/** Renderers by MIME type, in the order they are preferred. */
const RICH: [mime: string, render: (value: unknown) => string][] = [
  [PROGRESS_MIME, renderProgress],
  ['text/html', (value) => `<div class="html-output">${sanitizeMarkup(text(value))}</div>`],
  ['image/svg+xml', (value) => `<div class="svg-output">${sanitizeMarkup(text(value))}</div>`],
  ...BASE64_IMAGES.map((mime): [string, (value: unknown) => string] => [
    mime,
    (value) => `<img class="image-output" alt="" src="data:${mime};base64,${escapeHtml(text(value).replace(/\s+/g, ''))}">`,
  ]),
  ['text/markdown', (value) => `<div class="markdown">${markdownToHtml(text(value))}</div>`],
  ['application/json', (value) => `<pre class="text-output">${escapeHtml(JSON.stringify(value, null, 2))}</pre>`],
  ['text/plain', (value) => `<pre class="text-output">${ansiToHtml(text(value))}</pre>`],
];

function renderProgress(value: unknown): string {
  const { done = 0, total = 0, label = '' } = (value ?? {}) as { done?: number; total?: number; label?: string };
  return (
    `<div class="progress-output">${label ? `<span>${escapeHtml(String(label))}</span> ` : ''}` +
    `<progress max="${Number(total) || 0}" value="${Number(done) || 0}"></progress> <span>${Number(done)}/${Number(total)}</span></div>`
  );
}

/** The bundle as the HTML of its preferred MIME type; a note when none can be shown. */
export function mimeBundleToHtml(data: MimeBundle): string {
  for (const [mime, render] of RICH) if (mime in data && data[mime] !== undefined) return render(data[mime]);
  const types = Object.keys(data).join(', ') || 'none';
  return `<pre class="text-output muted">[output of type ${escapeHtml(types)} cannot be shown in a static page]</pre>`;
}

/** One output as HTML. */
export function outputToHtml(output: Output): string {
  switch (output.output_type) {
    case 'stream':
      return `<pre class="stream ${output.name === 'stderr' ? 'stderr' : 'stdout'}">${ansiToHtml(output.text)}</pre>`;
    case 'error': {
      const traceback = output.traceback.length ? output.traceback.join('\n') : `${output.ename}: ${output.evalue}`;
      return `<pre class="error-output">${ansiToHtml(traceback)}</pre>`;
    }
    case 'display_data':
    case 'execute_result':
      return mimeBundleToHtml(output.data);
  }
}
