/**
 * Sanitising untrusted markup with DOMPurify: no scripts, no event handlers,
 * no `javascript:` URLs, no forms or frames, and no external resources
 * (only data:/blob: images survive) — the rules for a notebook nobody has
 * trusted yet.
 */
import DOMPurify from 'dompurify';

let hooked = false;

function installHooks(): void {
  if (hooked) return;
  hooked = true;
  // External resources leak that the notebook was opened and can track the reader.
  DOMPurify.addHook('uponSanitizeAttribute', (_node, data) => {
    if ((data.attrName === 'src' || data.attrName === 'href' || data.attrName === 'xlink:href') && data.attrValue) {
      const value = data.attrValue.trim().toLowerCase();
      const local = value.startsWith('#') || value.startsWith('data:image/') || value.startsWith('blob:');
      if (!local && data.attrName === 'src') data.keepAttr = false;
    }
  });
}

/** Markup with everything that could run code removed; for HTML outputs and Markdown. */
export function sanitizeHtml(html: string): DocumentFragment {
  installHooks();
  return DOMPurify.sanitize(html, {
    RETURN_DOM_FRAGMENT: true,
    FORBID_TAGS: ['style', 'form', 'iframe', 'object', 'embed', 'link', 'meta', 'base'],
    ADD_ATTR: ['target'],
  });
}

/** SVG with scripts, handlers and foreign objects removed. */
export function sanitizeSvg(svg: string): DocumentFragment {
  installHooks();
  return DOMPurify.sanitize(svg, {
    RETURN_DOM_FRAGMENT: true,
    USE_PROFILES: { svg: true, svgFilters: true },
    ADD_TAGS: ['style'],
    FORBID_TAGS: ['foreignObject', 'script'],
  });
}
