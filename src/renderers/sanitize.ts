/**
 * Sanitising untrusted markup with DOMPurify: no scripts, no event handlers,
 * no `javascript:` URLs, no forms or frames, and no external resources
 * (only data:/blob: images survive) — the rules for a notebook nobody has
 * trusted yet.
 */
import DOMPurify from 'dompurify';

let hooked = false;

/** `url(…)` in CSS that points outside the notebook (anything but data:, blob: or #fragment). */
const EXTERNAL_CSS_URL = /url\(\s*(['"]?)(?!\s*(data:|blob:|#))[^)]*\)/gi;

/** True for URLs that load nothing from elsewhere. */
function isLocal(value: string): boolean {
  const v = value.trim().toLowerCase();
  return v.startsWith('#') || v.startsWith('data:image/') || v.startsWith('blob:');
}

function installHooks(): void {
  if (hooked) return;
  hooked = true;
  // External resources leak that the notebook was opened and can track the reader: images, SVG
  // <image>/<use>/<feImage> hrefs and CSS url()s load by themselves. Links (<a href>) only load when clicked.
  DOMPurify.addHook('uponSanitizeAttribute', (node, data) => {
    const name = data.attrName;
    const value = data.attrValue ?? '';
    if (name === 'src' && value && !isLocal(value)) data.keepAttr = false;
    if ((name === 'href' || name === 'xlink:href') && value && !isLocal(value) && node.nodeName.toLowerCase() !== 'a') data.keepAttr = false;
    if (name === 'style' && /url\(|@import/i.test(value)) data.attrValue = value.replace(EXTERNAL_CSS_URL, 'none');
  });
  // <style> (allowed in SVG, where charts use it) must not import or fetch either.
  DOMPurify.addHook('uponSanitizeElement', (node, data) => {
    if (data.tagName === 'style' && node.textContent) {
      node.textContent = node.textContent.replace(/@import[^;]*;?/gi, '').replace(EXTERNAL_CSS_URL, 'none');
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
