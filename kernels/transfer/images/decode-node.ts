import type SharpType from 'sharp';
import { importNode } from '../env.ts';
import type { FitSpec, RawImage } from './raw-image.ts';

let sharpModule: Promise<typeof SharpType> | undefined;

function loadSharp(): Promise<typeof SharpType> {
  sharpModule ??= importNode<{ default: typeof SharpType }>('sharp').then((m) => m.default);
  return sharpModule;
}

/**
 * Decodes JPEG, PNG, WebP, GIF (first frame), TIFF or AVIF bytes in Node
 * with sharp (libvips): EXIF orientation applied, alpha flattened onto white,
 * grey/CMYK converted to sRGB — always 3-channel RGB. With `fit`, crops and
 * resizes in the same pass (JPEG shrink-on-load makes large photos cheap);
 * the work runs on libuv's thread pool, so it overlaps with inference.
 * Throws on truncated or corrupt data.
 */
export async function decodeImageNode(bytes: Uint8Array, fit?: FitSpec): Promise<RawImage> {
  const sharp = await loadSharp();
  let pipeline = sharp(bytes, { failOn: 'truncated', pages: 1 })
    .rotate()
    .flatten({ background: '#ffffff' })
    .toColourspace('srgb');
  if (fit) {
    const mode = fit.crop === 'center' ? 'cover' : fit.crop === 'stretch' ? 'fill' : 'contain';
    pipeline = pipeline.resize(fit.size, fit.size, { fit: mode, position: 'centre', background: '#ffffff' });
  }
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
