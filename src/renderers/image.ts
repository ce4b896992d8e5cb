/** `image/png` and `image/jpeg`: base64 payloads shown as data: URLs (allowed by the CSP). */
import { joinText, type RendererFactory } from './renderer.ts';

export const imageRenderer: RendererFactory = {
  mimeTypes: ['image/png', 'image/jpeg', 'image/gif', 'image/webp'],
  rank: 90,
  safe: true,
  render(data, mimeType) {
    const img = document.createElement('img');
    img.className = 'output-image';
    img.alt = 'Image output';
    img.src = `data:${mimeType};base64,${joinText(data).replace(/\s+/g, '')}`;
    return img;
  },
};
