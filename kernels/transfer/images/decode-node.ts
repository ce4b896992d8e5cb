import type SharpType from 'sharp';
import { importNode } from '../env.ts';
import type { FitSpec, RawImage } from './raw-image.ts';
import { EXACT_FIT_MAX_PIXELS, fitRaw } from './resample.ts';

let sharpModule: Promise<typeof SharpType> | undefined;

function loadSharp(): Promise<typeof SharpType> {
  sharpModule ??= importNode<{ default: typeof SharpType }>('sharp').then((m) => m.default);
  return sharpModule;
}

/**
 * Decodes JPEG, PNG, WebP, GIF (first frame), TIFF or AVIF bytes in Node
 * with sharp (libvips): EXIF orientation applied, alpha flattened onto white,
 * grey/CMYK converted to sRGB — always 3-channel RGB. Decoding runs on
 * libuv's thread pool, so it overlaps with inference. With `fit`, the full
 * decode is cropped and resized by `fitRaw` (the same arithmetic as in the
 * page, so both give the same pixels); images over `EXACT_FIT_MAX_PIXELS`
 * are instead shrunk by libvips while decoding (JPEG shrink-on-load), which
 * keeps memory bounded. Throws on truncated or corrupt data.
 */
export async function decodeImageNode(bytes: Uint8Array, fit?: FitSpec): Promise<RawImage> {
  const sharp = await loadSharp();
  const open = () =>
    sharp(bytes, { failOn: 'truncated', pages: 1 })
      .rotate()
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb');
  if (fit) {
    const meta = await sharp(bytes, { pages: 1 }).metadata();
    if ((meta.width ?? 0) * (meta.height ?? 0) > EXACT_FIT_MAX_PIXELS) {
      const mode = fit.crop === 'center' ? 'cover' : fit.crop === 'stretch' ? 'fill' : 'contain';
      return toRaw(open().resize(fit.size, fit.size, { fit: mode, position: 'centre', background: '#ffffff' }));
    }
    return fitRaw(await toRaw(open()), fit);
  }
  return toRaw(open());
}

async function toRaw(pipeline: ReturnType<typeof SharpType>): Promise<RawImage> {
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  const pixels = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return { data: info.channels === 3 ? pixels : toRgb(pixels, info.channels), width: info.width, height: info.height };
}

/** Drops alpha / expands grey, for the odd output libvips keeps in another layout. */
function toRgb(pixels: Uint8Array, channels: number): Uint8Array {
  const n = pixels.length / channels;
  const out = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 3; c++) out[i * 3 + c] = pixels[i * channels + (channels < 3 ? 0 : c)];
  }
  return out;
}
