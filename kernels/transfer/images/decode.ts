import { isNode } from '../env.ts';
import { decodeImageBrowser } from './decode-browser.ts';
import { decodeImageNode } from './decode-node.ts';
import { sniffNonImage, type FitSpec, type RawImage } from './raw-image.ts';

/**
 * Which decoder this platform uses (part of the feature-cache key: the two
 * agree to the bit on RGB JPEGs and PNGs, but not on CMYK colour management,
 * alpha rounding, or images too large to fit exactly).
 */
export function decoderName(): 'sharp' | 'canvas' {
  return isNode() ? 'sharp' : 'canvas';
}

/**
 * Decodes image bytes to RGB, fitted to `fit` when given (sharp in Node,
 * `createImageBitmap` + `OffscreenCanvas` in the page, then the library's own
 * crop + resize on both, so the same file gives the same pixels). Throws an
 * Error whose message says why the bytes are not a usable image.
 */
export async function decodeImage(bytes: Uint8Array, fit?: FitSpec): Promise<RawImage> {
  const sniffed = sniffNonImage(bytes);
  if (sniffed) throw new Error(sniffed);
  try {
    return isNode() ? await decodeImageNode(bytes, fit) : await decodeImageBrowser(bytes, fit);
  } catch (error) {
    throw new Error(`not a decodable image (${shortReason(error)})`);
  }
}

function shortReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // sharp's limitInputPixels (libvips' default, 268 megapixels) guards against decompression bombs.
  if (/exceeds pixel limit/i.test(message)) return 'too many pixels to decode safely (more than 268 megapixels); shrink it first';
  return message.split('\n')[0].replace(/^Input (buffer|file) /i, '').slice(0, 200);
}
