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
    // The header's size decides the path; JPEG and PNG headers are read here, without a second libvips parse.
    const size = headerSize(bytes) ?? (await sharp(bytes, { pages: 1 }).metadata());
    if ((size.width ?? 0) * (size.height ?? 0) > EXACT_FIT_MAX_PIXELS) {
      const mode = fit.crop === 'center' ? 'cover' : fit.crop === 'stretch' ? 'fill' : 'contain';
      return toRaw(open().resize(fit.size, fit.size, { fit: mode, position: 'centre', background: '#ffffff' }));
    }
    return fitRaw(await toRaw(open()), fit);
  }
  return toRaw(open());
}

/**
 * Width and height from a JPEG's frame header (SOFn) or a PNG's IHDR, or
 * `undefined` for other formats or a header this does not follow (then
 * libvips reads it). Orientation is ignored: it does not change the pixel count.
 */
export function headerSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  const n = bytes.length;
  const u16 = (i: number) => (bytes[i] << 8) | bytes[i + 1];
  if (n >= 24 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47 && bytes[12] === 0x49 && bytes[13] === 0x48) {
    return { width: u16(16) * 65536 + u16(18), height: u16(20) * 65536 + u16(22) };
  }
  if (n < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return undefined;
  let i = 2;
  while (i + 9 < n) {
    if (bytes[i] !== 0xff) return undefined;
    const marker = bytes[i + 1];
    // Fill bytes before a marker.
    if (marker === 0xff) {
      i++;
      continue;
    }
    // Markers without a length (TEM, RSTn).
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2;
      continue;
    }
    // SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      const height = u16(i + 5);
      const width = u16(i + 7);
      return width > 0 && height > 0 ? { width, height } : undefined;
    }
    // Start of scan or end of image before any frame header: not a file this can read.
    if (marker === 0xda || marker === 0xd9) return undefined;
    i += 2 + u16(i + 2);
  }
  return undefined;
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
