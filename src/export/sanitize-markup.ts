/**
 * An allow-list sanitiser for untrusted notebook markup (HTML outputs, SVG
 * outputs, rendered Markdown), returning markup text. It works the same in
 * the page and in Node: the markup is parsed with linkedom, walked, and
 * written out again from allowed elements and attributes only, with every
 * text and attribute value escaped.
 *
 * Removed: scripts and every other embedding or raw-text element (iframe,
 * object, template, textarea, form controls…), event handlers,
 * `javascript:` and every other non-local URL in resource positions (only
 * `data:image/…` sources and `#fragment` references survive), and CSS that
 * could load something (`url(…)` other than `url(#…)`, `@import`).
 * Links (`<a href>`) may point to http(s) and mailto: they load nothing until
 * clicked, and they open in a new tab.
 *
 * (DOMPurify was the first choice, but over linkedom's window it reports
 * itself unsupported and returns its input unchanged, so it cannot be used in Node.)
 */
import { parseHTML } from 'linkedom';

const SVG_NS = 'http://www.w3.org/2000/svg';

const HTML_ELEMENTS = new Set(
  ('a abbr article aside b bdi bdo blockquote br caption center cite code col colgroup dd del details dfn div dl dt em ' +
    'figcaption figure footer h1 h2 h3 h4 h5 h6 header hr i img ins kbd label li main mark nav ol p pre q s samp section ' +
    'small span strong style sub summary sup table tbody td tfoot th thead time tr u ul var wbr input progress meter').split(' '),
);

/** SVG elements kept, by lower-case local name → the name as SVG spells it. */
const SVG_ELEMENTS = new Map(
  ('svg g path rect circle ellipse line polyline polygon text tspan textPath defs clipPath mask pattern marker symbol use ' +
    'linearGradient radialGradient stop title desc style image filter feGaussianBlur feOffset feMerge feMergeNode feFlood ' +
    'feComposite feBlend feColorMatrix feDropShadow feMorphology')
    .split(' ')
    .map((name) => [name.toLowerCase(), name]),
);

/** Dropped with everything inside: they run code, embed other documents, or hold raw text. */
const DROP_WITH_CONTENT = new Set(
  ('script template noscript iframe frame frameset object embed applet textarea title xmp noembed noframes plaintext ' +
    'select option button form math head meta link base foreignobject audio video source track canvas portal').split(' '),
);

const HTML_ATTRIBUTES = new Set(
  ('class id title alt width height colspan rowspan align valign start type scope dir lang open role checked disabled ' +
    'value max min low high optimum datetime cite reversed span abbr headers').split(' '),
);

const VOID_ELEMENTS = new Set(['br', 'hr', 'img', 'input', 'wbr', 'col']);

const escapeText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttribute = (text: string) => escapeText(text).replace(/"/g, '&quot;');

/** True when CSS text (a style attribute or a `<style>` in SVG) could fetch something or run script. */
function unsafeCss(css: string): boolean {
  const squeezed = css.replace(/\\|\/\*[\s\S]*?\*\//g, '').toLowerCase();
  if (/@import|expression\s*\(|behavior\s*:|-moz-binding|javascript:/.test(squeezed)) return true;
  // Only fragment references (clip paths, markers, gradients) may use url().
  return [...squeezed.matchAll(/url\s*\(\s*(['"]?)\s*([^'")\s]*)/g)].some((m) => !m[2].startsWith('#') && !m[2].startsWith('data:image/'));
}

const DATA_IMAGE = /^data:image\/(png|jpeg|gif|webp|bmp|svg\+xml)[;,]/i;

/** The attribute's value when it is allowed on this element, else undefined. */
function allowedAttribute(element: string, svg: boolean, name: string, value: string): string | undefined {
  const lower = name.toLowerCase();
  if (lower.startsWith('on') || lower === 'srcdoc' || lower === 'formaction') return undefined;
  if (lower === 'style') return unsafeCss(value) ? undefined : value;
  const url = value.replace(/[\u0000-\u0020]/g, '');
  if (lower === 'href' || lower === 'xlink:href') {
    if (svg) return url.startsWith('#') || (element === 'image' && DATA_IMAGE.test(url)) ? value : undefined;
    if (element !== 'a') return undefined;
    return /^(https?:|mailto:|#)/i.test(url) ? value : undefined;
  }
  if (lower === 'src') return element === 'img' && DATA_IMAGE.test(url) ? value : undefined;
  if (/^(aria-[a-z-]+|data-[a-z0-9-]+)$/.test(lower)) return value;
  if (svg) {
    if (lower === 'xmlns') return value === SVG_NS ? value : undefined;
    if (!/^[a-z][a-z0-9:_.-]*$/i.test(name) || lower.startsWith('xmlns:') || lower === 'xml:base') return undefined;
    // Presentation attributes may reference paint servers by url(#id) only.
    return /url\s*\(/i.test(value) && unsafeCss(value) ? undefined : value;
  }
  if (!HTML_ATTRIBUTES.has(lower)) return undefined;
  if (element === 'input' && lower === 'type' && value.toLowerCase() !== 'checkbox') return undefined;
  return value;
}

interface DomNode {
  nodeType: number;
  localName?: string;
  namespaceURI?: string | null;
  data?: string;
  attributes?: ArrayLike<{ name: string; value: string }>;
  childNodes: ArrayLike<DomNode>;
}

function writeNode(node: DomNode): string {
  if (node.nodeType === 3) return escapeText(node.data ?? '');
  if (node.nodeType !== 1 && node.nodeType !== 11) return '';
  const children = () => Array.from(node.childNodes, writeNode).join('');
  if (node.nodeType === 11) return children();
  const local = (node.localName ?? '').toLowerCase();
  const svg = node.namespaceURI === SVG_NS;
  if (svg ? local === 'foreignobject' : DROP_WITH_CONTENT.has(local)) return '';
  const name = svg ? SVG_ELEMENTS.get(local) : HTML_ELEMENTS.has(local) ? local : undefined;
  if (!name) return children(); // Unknown but harmless wrappers (font, custom elements): keep their content.
  if (local === 'style') {
    // Plot scopes its styles to a generated class. In HTML a <style> holds raw text (no escapes), so CSS with `<` is dropped.
    const css = Array.from(node.childNodes, (c) => (c.nodeType === 3 ? c.data ?? '' : '')).join('');
    if (unsafeCss(css) || (!svg && css.includes('<'))) return '';
    return `<style>${svg ? escapeText(css) : css}</style>`;
  }
  let attributes = '';
  for (const { name: attribute, value } of Array.from(node.attributes ?? [])) {
    const kept = allowedAttribute(local, svg, attribute, value);
    if (kept !== undefined) attributes += ` ${attribute}="${escapeAttribute(kept)}"`;
  }
  // An image whose source was removed would show as a broken icon: leave it out.
  if (!svg && local === 'img' && !/\ssrc="/.test(attributes)) return '';
  if (local === 'a' && /\shref="(?!#)/.test(attributes)) attributes += ' target="_blank" rel="noopener noreferrer"';
  if (local === 'input') attributes += ' disabled';
  if (!svg && VOID_ELEMENTS.has(local)) return `<${name}${attributes}>`;
  return `<${name}${attributes}>${children()}</${name}>`;
}

/** Untrusted HTML or SVG markup → markup safe to put in a page that must run nothing and load nothing. */
export function sanitizeMarkup(markup: string): string {
  // An XML prolog or doctype in an SVG file is not markup a page can hold.
  const body = markup.replace(/^\s*<\?xml[^>]*>/i, '').replace(/<!DOCTYPE[^>]*>/gi, '');
  const { document } = parseHTML('<!doctype html><html><head></head><body></body></html>');
  const host = document.createElement('div');
  host.innerHTML = body;
  return Array.from((host as unknown as DomNode).childNodes, writeNode).join('');
}
