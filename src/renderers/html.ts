/**
 * `text/html`: trusted markup is inserted as is (the page's CSP still blocks
 * inline scripts); untrusted markup is sanitised first.
 */
import { joinText, type RendererFactory } from './renderer.ts';
import { sanitizeHtml } from './sanitize.ts';

export const htmlRenderer: RendererFactory = {
  mimeTypes: ['text/html'],
  rank: 50,
  safe: false,
  render(data, _mime, { trusted }) {
    const host = document.createElement('div');
    host.className = 'output-html';
    if (trusted) host.innerHTML = joinText(data);
    else host.append(sanitizeHtml(joinText(data)));
    return host;
  },
};
