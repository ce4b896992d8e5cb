/** Decoded pixels: `width × height × 3` RGB bytes, row-major. */
export interface RawImage {
  data: Uint8Array;
  width: number;
  height: number;
}

/**
 * How an image is fitted to the network's square input:
 * `center` crops the largest centred square, then resizes (the default; what
 * the ImageNet models were evaluated with); `stretch` resizes the whole image,
 * ignoring its aspect ratio; `pad` fits the whole image and pads the rest white.
 */
export type CropMode = 'center' | 'stretch' | 'pad';

/** Target of decoding: a `size × size` square fitted with `crop`. */
export interface FitSpec {
  size: number;
  crop: CropMode;
}

export const CROP_MODES: readonly CropMode[] = ['center', 'stretch', 'pad'];

/** Source and destination rectangles that fit a `w × h` image into `spec` (for canvas drawing). */
export function fitRects(w: number, h: number, spec: FitSpec): { sx: number; sy: number; sw: number; sh: number; dx: number; dy: number; dw: number; dh: number } {
  const s = spec.size;
  if (spec.crop === 'stretch') return { sx: 0, sy: 0, sw: w, sh: h, dx: 0, dy: 0, dw: s, dh: s };
  if (spec.crop === 'center') {
    const side = Math.min(w, h);
    return { sx: (w - side) / 2, sy: (h - side) / 2, sw: side, sh: side, dx: 0, dy: 0, dw: s, dh: s };
  }
  const scale = s / Math.max(w, h);
  const dw = Math.round(w * scale);
  const dh = Math.round(h * scale);
  return { sx: 0, sy: 0, sw: w, sh: h, dx: Math.floor((s - dw) / 2), dy: Math.floor((s - dh) / 2), dw, dh };
}

/**
 * A short reason why `bytes` are not an image, from their first bytes, or
 * `undefined` when they may be one. Lets a dataset say "a text file", not
 * only "unsupported format".
 */
export function sniffNonImage(bytes: Uint8Array): string | undefined {
  if (bytes.byteLength === 0) return 'empty file (0 bytes)';
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 16));
  if (head.startsWith('%PDF')) return 'a PDF document, not an image';
  if (/^PK\x03\x04/.test(head)) return 'a ZIP archive, not an image';
  const sample = bytes.subarray(0, Math.min(bytes.byteLength, 512));
  // An SVG is a drawing, not pixels: the page cannot decode one as a photo, so neither does Node.
  const markup = new TextDecoder('latin1').decode(sample);
  if (/^(\xef\xbb\xbf)?\s*</.test(markup) && /<svg[\s>]/i.test(markup)) return 'an SVG drawing, not a photo (save it as PNG or JPEG)';
  const text = sample.every((b) => b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127));
  if (text) return 'a text file, not an image';
  return undefined;
}
