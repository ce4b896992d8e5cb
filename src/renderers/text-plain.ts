/** `text/plain`: preformatted text with ANSI colours. Safe for any notebook. */
import { renderAnsi } from './ansi.ts';
import { joinText, type RendererFactory } from './renderer.ts';

export const textPlainRenderer: RendererFactory = {
  mimeTypes: ['text/plain'],
  rank: 120,
  safe: true,
  render: (data) => renderAnsi(joinText(data)),
};
