import { askInputRenderer } from '../ask/index.ts';
import { htmlRenderer } from './html.ts';
import { imageRenderer } from './image.ts';
import { jsonRenderer } from './json.ts';
import { markdownRenderer } from './markdown.ts';
import { progressRenderer } from './progress.ts';
import { RendererRegistry } from './renderer.ts';
import { svgRenderer } from './svg.ts';
import { textPlainRenderer } from './text-plain.ts';

export * from './renderer.ts';
export * from './output.ts';
export { renderAnsi, stripAnsi } from './ansi.ts';
export { renderError } from './error-output.ts';
export { renderMarkdown } from './markdown.ts';
export { sanitizeHtml, sanitizeSvg } from './sanitize.ts';

/** Every built-in renderer; a new output type is one file and one line here. */
export const defaultRenderers = [
  askInputRenderer,
  progressRenderer,
  htmlRenderer,
  markdownRenderer,
  svgRenderer,
  imageRenderer,
  jsonRenderer,
  textPlainRenderer,
] as const;

export function createDefaultRegistry(): RendererRegistry {
  return new RendererRegistry(defaultRenderers);
}
