import { fitRects, type FitSpec, type RawImage } from './raw-image.ts';
import { EXACT_FIT_MAX_PIXELS, fitRaw } from './resample.ts';

/**
 * Decodes image bytes in a page or a Web Worker with `createImageBitmap`
 * (JPEG, PNG, WebP, GIF first frame, with EXIF orientation) and draws them on
 * an `OffscreenCanvas` over white (so alpha becomes white, as in Node). With
 * `fit`, see {@link drawToRaw}.
 */
export async function decodeImageBrowser(bytes: Uint8Array, fit?: FitSpec): Promise<RawImage> {
  const bitmap = await createImageBitmap(new Blob([bytes as BlobPart]), { imageOrientation: 'from-image' });
  try {
    return drawToRaw(bitmap, bitmap.width, bitmap.height, fit);
  } finally {
    bitmap.close();
  }
}

/**
 * Draws any canvas image source into RGB bytes, fitted to `fit` when given:
 * drawn at full size and fitted by `fitRaw` (the same arithmetic as in Node,
 * so both give the same pixels); sources over `EXACT_FIT_MAX_PIXELS` are
 * drawn straight at the target size instead (the canvas's own resampling),
 * which keeps memory bounded.
 */
export function drawToRaw(source: CanvasImageSource, width: number, height: number, fit?: FitSpec): RawImage {
  if (fit && width * height <= EXACT_FIT_MAX_PIXELS) return fitRaw(drawToRaw(source, width, height), fit);
  const r = fit ? fitRects(width, height, fit) : { sx: 0, sy: 0, sw: width, sh: height, dx: 0, dy: 0, dw: width, dh: height };
  const w = fit ? fit.size : width;
  const h = fit ? fit.size : height;
  const canvas = new OffscreenCanvas(w, h);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('This browser cannot draw images on an OffscreenCanvas (no 2d context).');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, w, h);
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(source, r.sx, r.sy, r.sw, r.sh, r.dx, r.dy, r.dw, r.dh);
  const rgba = ctx.getImageData(0, 0, w, h).data;
  const rgb = new Uint8Array(w * h * 3);
  for (let i = 0, j = 0; i < rgba.length; i += 4, j += 3) {
    rgb[j] = rgba[i];
    rgb[j + 1] = rgba[i + 1];
    rgb[j + 2] = rgba[i + 2];
  }
  return { data: rgb, width: w, height: h };
}
