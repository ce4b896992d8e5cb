/** `image/svg+xml`: Plot charts and other vector images; sanitised while untrusted. */
import { joinText, type RendererFactory } from './renderer.ts';
import { sanitizeSvg } from './sanitize.ts';

export const svgRenderer: RendererFactory = {
  mimeTypes: ['image/svg+xml'],
  rank: 80,
  safe: false,
  render(data, _mime, { trusted }) {
    const host = document.createElement('div');
    host.className = 'output-svg';
    if (trusted) host.innerHTML = joinText(data);
    else host.append(sanitizeSvg(joinText(data)));
    return host;
  },
};
