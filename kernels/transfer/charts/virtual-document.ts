/**
 * The document Plot draws into when none is given: a linkedom document, so
 * charts render in Node and in workers (no page DOM) as static SVG/HTML.
 */
import { parseHTML } from 'linkedom';

let shared: Document | undefined;

/** A shared virtual document (created on first use). */
export function virtualDocument(): Document {
  shared ??= parseHTML('<!doctype html><html><head></head><body></body></html>').document as unknown as Document;
  return shared;
}

/** The symbol the kernel runtime looks for to get an object's MIME bundle. */
export const mimeSymbol = Symbol.for('tailor.mime');

/** A MIME bundle as the kernel displays it. */
export type MimeBundle = Record<string, string>;

/** What a chart helper returns: a Plot figure or SVG element that knows its MIME bundle. */
export type Chart = (SVGSVGElement | HTMLElement) & { [mimeSymbol](): MimeBundle };

/**
 * Attaches `[Symbol.for('tailor.mime')]()` to a Plot result: a bare `<svg>`
 * becomes `image/svg+xml`, a `<figure>` (title, legend) `text/html`; both
 * with a `text/plain` description.
 */
export function withMime(element: Element, description: string): Chart {
  const chart = element as unknown as Chart;
  const svg = element.tagName.toLowerCase() === 'svg';
  Object.defineProperty(chart, mimeSymbol, {
    value: (): MimeBundle => {
      let markup = element.outerHTML;
      if (svg && !markup.includes('xmlns=')) markup = markup.replace('<svg', '<svg xmlns="http://www.w3.org/2000/svg"');
      return { [svg ? 'image/svg+xml' : 'text/html']: markup, 'text/plain': description };
    },
  });
  return chart;
}
